"""Independent reference computations for the tests: numerical integration with scipy.

Nothing here imports warning_time's kernels. Equations:
- inertial two-body: r'' = -mu r / |r|^3
- Earth-fixed (rotating) frame: r'' = -mu r/|r|^3 - 2 w x r' - w x (w x r), w = (0, 0, omega)
  (e.g. Vallado, Fundamentals of Astrodynamics and Applications, 4th ed., sec. 3.7)
Integrated with scipy.integrate.solve_ivp (DOP853, rtol 1e-12) to a surface-crossing event.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.integrate import solve_ivp

MU = 3.986004418e14
OMEGA = 7.292115e-5
A_WGS84 = 6378137.0
F_WGS84 = 1 / 298.257223563
B_WGS84 = A_WGS84 * (1 - F_WGS84)
R_SPHERE = 6371008.8


def ecef(lat_deg, lon_deg, h=0.0, a=A_WGS84, f=F_WGS84):
    """Geodetic to ECEF (m), written out independently of the package."""
    lat = math.radians(lat_deg)
    lon = math.radians(lon_deg)
    e2 = f * (2 - f)
    n = a / math.sqrt(1 - e2 * math.sin(lat) ** 2)
    return np.array([(n + h) * math.cos(lat) * math.cos(lon), (n + h) * math.cos(lat) * math.sin(lon),
                     (n * (1 - e2) + h) * math.sin(lat)])


def _surface_event(a, b):
    def ev(t, y):
        if t < 1e-3:
            return 1.0
        return (y[0] ** 2 + y[1] ** 2) / a ** 2 + y[2] ** 2 / b ** 2 - 1.0
    ev.terminal = True
    ev.direction = -1
    return ev


def fly(r0, v0, *, rotating: bool, a=A_WGS84, b=B_WGS84, mu=MU, omega=OMEGA, t_max=20000.0):
    """Integrate from r0, v0 (frame as named) to the surface; returns (t_impact, r_impact)."""
    w = np.array([0.0, 0.0, omega if rotating else 0.0])

    def rhs(t, y):
        r = y[:3]
        v = y[3:]
        acc = -mu * r / np.linalg.norm(r) ** 3
        if rotating:
            acc = acc - 2 * np.cross(w, v) - np.cross(w, np.cross(w, r))
        return np.concatenate([v, acc])

    sol = solve_ivp(rhs, (0.0, t_max), np.concatenate([r0, v0]), method="DOP853", rtol=1e-12,
                    atol=1e-6, events=_surface_event(a, b), dense_output=False)
    if not sol.t_events[0].size:
        raise RuntimeError("no impact")
    return float(sol.t_events[0][0]), sol.y_events[0][0][:3]


def kepler_min_energy_time(range_m, r=R_SPHERE, mu=MU):
    """BMW eqs. 6.2-20, 6.2-11, 6.2-3, 6.2-21, 6.2-22: minimum-energy free-flight time (s)
    between two points on a sphere of radius r separated by the surface range range_m."""
    psi = range_m / r
    sh = math.sin(psi / 2)
    Q = 2 * sh / (1 + sh)
    phi = (math.pi - psi) / 4
    e = math.sqrt(1 + Q * (Q - 2) * math.cos(phi) ** 2)
    a = r / (2 - Q)
    E1 = math.acos((e - math.cos(psi / 2)) / (1 - e * math.cos(psi / 2)))
    return 2 * math.sqrt(a ** 3 / mu) * (math.pi - E1 + e * math.sin(E1))
