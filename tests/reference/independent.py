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


def fly(r0, v0, *, rotating: bool, a=A_WGS84, b=B_WGS84, mu=MU, omega=OMEGA, t_max=20000.0,
        return_velocity=False):
    """Integrate from r0, v0 (frame as named) to the surface; returns (t_impact, r_impact), or
    (t_impact, r_impact, v_impact) with return_velocity (v in the integration frame)."""
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
    if return_velocity:
        return float(sol.t_events[0][0]), sol.y_events[0][0][:3], sol.y_events[0][0][3:]
    return float(sol.t_events[0][0]), sol.y_events[0][0][:3]


def fly_to_apogee(r0, v0, *, rotating: bool, mu=MU, omega=OMEGA, t_max=20000.0):
    """Integrate from r0, v0 (frame as named) to the first maximum of |r| (r . v = 0 going
    down; in the rotating frame r . v_rel = r . v_inertial as omega x r is normal to r).
    Returns (t_apogee, r_apogee); r0 itself if the flight starts descending."""
    w = np.array([0.0, 0.0, omega if rotating else 0.0])

    def rhs(t, y):
        r = y[:3]
        v = y[3:]
        acc = -mu * r / np.linalg.norm(r) ** 3
        if rotating:
            acc = acc - 2 * np.cross(w, v) - np.cross(w, np.cross(w, r))
        return np.concatenate([v, acc])

    def ev(t, y):
        return float(np.dot(y[:3], y[3:]))

    ev.terminal = True
    ev.direction = -1
    if np.dot(r0, v0) <= 0:
        return 0.0, np.asarray(r0, dtype=float)
    sol = solve_ivp(rhs, (0.0, t_max), np.concatenate([r0, v0]), method="DOP853", rtol=1e-12,
                    atol=1e-6, events=ev)
    return float(sol.t_events[0][0]), sol.y_events[0][0][:3]


def ellipsoid_radius(direction, a=A_WGS84, b=B_WGS84):
    """Geocentric radius (m) of the ellipsoid surface along a direction:
    1/r^2 = (ux^2 + uy^2)/a^2 + uz^2/b^2."""
    u = np.asarray(direction, dtype=float) / np.linalg.norm(direction)
    return 1.0 / math.sqrt((u[0] ** 2 + u[1] ** 2) / a ** 2 + u[2] ** 2 / b ** 2)


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


# ---------------------------------------------------------------------------------------------
# Closed forms of Bate, Mueller & White (BMW), Fundamentals of Astrodynamics (Dover 1971), ch. 6,
# for a symmetric free flight that starts and ends at the same radius r (see the shared
# REFERENCES, section 1.2). Angles in radians; psi is the free-flight range angle.
# ---------------------------------------------------------------------------------------------

def bmw_q_min_energy(psi):
    """BMW eq. 6.2-20: least burnout parameter Q = v^2 r / mu for the range angle psi."""
    sh = math.sin(psi / 2)
    return 2 * sh / (1 + sh)


def bmw_min_energy_fpa(psi):
    """BMW eq. 6.2-18: flight-path angle (above the local horizontal) of the minimum-energy flight."""
    return (math.pi - psi) / 4


def bmw_q_for_fpa(psi, phi):
    """BMW eq. 6.2-16 solved for Q: sin(2 phi + psi/2) = ((2 - Q)/Q) sin(psi/2)."""
    s = math.sin(psi / 2)
    return 2 * s / (math.sin(2 * phi + psi / 2) + s)


def bmw_fpa_for_q(psi, q):
    """BMW eq. 6.2-16 solved for the two flight-path angles (low, high) at burnout parameter q."""
    x = (2 - q) / q * math.sin(psi / 2)
    if not -1 <= x <= 1:
        raise ValueError("range angle out of reach for this Q")
    b = math.asin(x)
    return (b - psi / 2) / 2, (math.pi - b - psi / 2) / 2


def bmw_range_angle(q, phi):
    """BMW eq. 6.2-12, the free-flight range equation: psi for burnout parameter q, angle phi."""
    c = (1 - q * math.cos(phi) ** 2) / math.sqrt(1 + q * (q - 2) * math.cos(phi) ** 2)
    return 2 * math.acos(c)


def bmw_time(psi, q, phi, r=R_SPHERE, mu=MU):
    """BMW eqs. 6.2-3, 6.2-11, 6.2-21, 6.2-22: free-flight time (s) of the symmetric flight."""
    a = r / (2 - q)
    e = math.sqrt(1 + q * (q - 2) * math.cos(phi) ** 2)
    c = math.cos(psi / 2)
    E1 = math.acos((e - c) / (1 - e * c))
    return 2 * math.sqrt(a ** 3 / mu) * (math.pi - E1 + e * math.sin(E1))


def bmw_apogee_radius(q, phi, r=R_SPHERE):
    """Apogee radius r_a = a (1 + e) (BMW eqs. 6.2-3 and 6.2-11)."""
    a = r / (2 - q)
    return a * (1 + math.sqrt(1 + q * (q - 2) * math.cos(phi) ** 2))


def apogee_flight(psi, ra, r=R_SPHERE, mu=MU):
    """Symmetric flight of range angle psi from radius r with apogee radius ra (shared REFERENCES
    section 1.4): e = (ra - r)/(ra - r cos(psi/2)), p = ra (1 - e), a = p / (1 - e^2); returns
    (time s, burnout speed m/s, flight-path angle rad) via vis-viva and h = sqrt(mu p) = r v cos phi."""
    c = math.cos(psi / 2)
    e = (ra - r) / (ra - r * c)
    p = ra * (1 - e)
    a = p / (1 - e * e)
    v = math.sqrt(mu * (2 / r - 1 / a))
    phi = math.acos(min(1.0, math.sqrt(mu * p) / (r * v)))
    E1 = math.acos((e - c) / (1 - e * c))
    return 2 * math.sqrt(a ** 3 / mu) * (math.pi - E1 + e * math.sin(E1)), v, phi


# ---------------------------------------------------------------------------------------------
# Spherical-Earth helpers (plain trigonometry)
# ---------------------------------------------------------------------------------------------

def haversine(lat1_deg, lon1_deg, lat2_deg, lon2_deg, r=R_SPHERE):
    """Great-circle distance (m), haversine formula."""
    p1, p2 = math.radians(lat1_deg), math.radians(lat2_deg)
    dp = p2 - p1
    dl = math.radians(lon2_deg - lon1_deg)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(min(1.0, h)))


def sphere_direct(lat_deg, lon_deg, azimuth_deg, dist_m, r=R_SPHERE):
    """Point reached from (lat, lon) after dist_m along the great circle of initial azimuth
    (deg, clockwise from north) on a sphere of radius r. Returns (lat_deg, lon_deg)."""
    p1 = math.radians(lat_deg)
    az = math.radians(azimuth_deg)
    d = dist_m / r
    sp2 = math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(az)
    p2 = math.asin(max(-1.0, min(1.0, sp2)))
    dl = math.atan2(math.sin(az) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * sp2)
    lon2 = (lon_deg + math.degrees(dl) + 180.0) % 360.0 - 180.0
    return math.degrees(p2), lon2


def rot_z(vec, angle):
    """Rotate a 3-vector by angle (rad) about the z axis (Earth-fixed point seen in inertial axes
    after the Earth turned by angle)."""
    c, s = math.cos(angle), math.sin(angle)
    return np.array([c * vec[0] - s * vec[1], s * vec[0] + c * vec[1], vec[2]])


# ---------------------------------------------------------------------------------------------
# Lambert's problem, universal variables (Curtis, Orbital Mechanics for Engineering Students,
# 3rd ed., Algorithm 5.2; Bate, Mueller & White sec. 5.3), zero revolutions, short way.
# ---------------------------------------------------------------------------------------------

def _stumpff_c(z):
    if z > 1e-8:
        return (1 - math.cos(math.sqrt(z))) / z
    if z < -1e-8:
        return (math.cosh(math.sqrt(-z)) - 1) / (-z)
    return 0.5 - z / 24 + z * z / 720


def _stumpff_s(z):
    if z > 1e-8:
        sz = math.sqrt(z)
        return (sz - math.sin(sz)) / sz ** 3
    if z < -1e-8:
        sz = math.sqrt(-z)
        return (math.sinh(sz) - sz) / sz ** 3
    return 1 / 6 - z / 120 + z * z / 5040


def lambert(r1, r2, tof, mu=MU, long_way=False):
    """Inertial velocity at r1 (m/s) of the zero-revolution conic that reaches r2 after tof
    seconds, the short way (transfer angle < pi) or, with long_way, the other way round."""
    from scipy.optimize import brentq

    r1 = np.asarray(r1, dtype=float)
    r2 = np.asarray(r2, dtype=float)
    n1 = float(np.linalg.norm(r1))
    n2 = float(np.linalg.norm(r2))
    cdth = float(np.dot(r1, r2)) / (n1 * n2)
    # A = sin(dth) sqrt(r1 r2 / (1 - cos dth)): positive for dth in (0, pi), negative beyond
    A = math.sqrt(n1 * n2 * (1 + cdth)) * (-1.0 if long_way else 1.0)

    def y(z):
        return n1 + n2 + A * (z * _stumpff_s(z) - 1) / math.sqrt(_stumpff_c(z))

    def F(z):
        yz = y(z)
        if yz <= 0:
            return -math.sqrt(mu) * tof
        return (yz / _stumpff_c(z)) ** 1.5 * _stumpff_s(z) + A * math.sqrt(yz) - math.sqrt(mu) * tof

    z = brentq(F, -100.0, 4 * math.pi ** 2 * (1 - 1e-6), xtol=1e-15, rtol=1e-15, maxiter=500)
    yz = y(z)
    f = 1 - yz / n1
    g = A * math.sqrt(yz / mu)
    return (r2 - f * r1) / g


# ---------------------------------------------------------------------------------------------
# Dense free flight in the Earth-fixed frame, and radar line of sight on a k-times effective
# Earth (the standard 4/3-Earth refraction model: Earth radius R -> k R, heights and the ground
# arc kept, so the central angle becomes phi / k; e.g. Skolnik, Introduction to Radar Systems,
# 3rd ed., sec. 8.5; FS-1037C "radar line-of-sight equation").
# ---------------------------------------------------------------------------------------------

def fly_dense(r0, v0, t_end, *, rotating: bool = True, mu=MU, omega=OMEGA):
    """Integrate r'' = -mu r/|r|^3 (- 2 w x r' - w x (w x r) when rotating) from (r0, v0) for
    t_end seconds (no surface event) and return scipy's dense-output solution; sol.sol(t)[:3]
    is the position t seconds after the start."""
    w = np.array([0.0, 0.0, omega if rotating else 0.0])

    def rhs(t, y):
        r = y[:3]
        v = y[3:]
        acc = -mu * r / np.linalg.norm(r) ** 3
        if rotating:
            acc = acc - 2 * np.cross(w, v) - np.cross(w, np.cross(w, r))
        return np.concatenate([v, acc])

    return solve_ivp(rhs, (0.0, float(t_end)), np.concatenate([r0, v0]), method="DOP853",
                     rtol=1e-12, atol=1e-6, dense_output=True)


def central_angle(u, v):
    """Angle (rad) between two 3-vectors, atan2(|u x v|, u . v) (accurate at small angles)."""
    u = np.asarray(u, dtype=float)
    v = np.asarray(v, dtype=float)
    return math.atan2(float(np.linalg.norm(np.cross(u, v))), float(np.dot(u, v)))


def effective_earth_los(phi, R, h_r, h_t, k):
    """Elevation (rad) and slant range (m) of a target at height h_t seen from a radar at height
    h_r, the two separated by the true central angle phi on an Earth of radius R, in the
    k-times effective Earth: radii A = kR + h_r, B = kR + h_t, angle phi / k.

    Law of cosines for the slant s: s^2 = A^2 + B^2 - 2 A B cos(phi/k); law of cosines again
    for the angle at the radar between the downward vertical and the line of sight,
    B^2 = A^2 + s^2 - 2 A s cos(angle), so sin(el) = -cos(angle) = (B^2 - A^2 - s^2) / (2 A s),
    and law of sines for cos(el) = B sin(phi/k) / s; el = atan2 of the two (no precision loss
    near +-90 deg). B^2 - A^2 is written (h_t - h_r)(A + B) to avoid cancellation."""
    A = k * R + h_r
    B = k * R + h_t
    pe = phi / k
    # A^2 + B^2 - 2AB cos = (B - A)^2 + 2AB (1 - cos) = (B - A)^2 + 4AB sin^2(pe/2)
    s = math.sqrt((h_t - h_r) ** 2 + 4.0 * A * B * math.sin(pe / 2) ** 2)
    if s == 0.0:
        return 0.5 * math.pi, 0.0
    sin_num = ((h_t - h_r) * (A + B) - s * s) / (2.0 * A)
    cos_num = B * math.sin(pe)
    return math.atan2(sin_num, cos_num), s


def radar_horizon_angle(R, h_r, h_t, k):
    """True central angle (rad) at which the line of sight from height h_r to height h_t grazes
    the effective Earth of radius kR: phi / k = acos(kR / A) + acos(kR / B)."""
    kR = k * R
    return k * (math.acos(kR / (kR + h_r)) + math.acos(kR / (kR + h_t)))


def catalog_band(table: dict, key: str, name: str, band: str = "nominal") -> float:
    """One band value of a catalog entry, read from the TOML as parsed by tomllib (not through
    the package): ``table[key][name][band]``."""
    return float(table[key][name][band])


# ITU-R Recommendation P.453 ("The radio refractive index"), eq. 8: reference atmosphere
# N(h) = N0 exp(-h / h0), N0 = 315 N-units, h0 = 7.35 km; n = 1 + 1e-6 N.
ITU_N0 = 315.0
ITU_H0_M = 7350.0


def ray_trace_mask(R, h_r, el0, h_max, n0=ITU_N0, h0=ITU_H0_M):
    """Trace the ray that leaves a radar at height h_r with elevation el0 through the exponential
    refractivity profile, as a 2-D Cartesian ray equation d/ds (n dr/ds) = grad n (Born & Wolf,
    Principles of Optics, sec. 3.2.1) integrated with scipy (DOP853) in the plane of the ray, on
    a sphere of radius R, up to height h_max. Returns (heights (m), central angles (rad)) along
    the ray, the heights increasing (no ducting for this profile)."""
    def n_of(r):
        return 1.0 + 1e-6 * n0 * math.exp(-(r - R) / h0)

    def rhs(s, y):
        x, z, px, pz = y
        r = math.hypot(x, z)
        n = n_of(r)
        dn_dr = -(n - 1.0) / h0
        return [px / n, pz / n, dn_dr * x / r, dn_dr * z / r]

    def top(s, y):
        return math.hypot(y[0], y[1]) - (R + h_max)
    top.terminal = True

    n_start = n_of(R + h_r)
    y0 = [0.0, R + h_r, n_start * math.cos(el0), n_start * math.sin(el0)]
    s_max = 4.0 * (R + h_max)
    sol = solve_ivp(rhs, (0.0, s_max), y0, method="DOP853", rtol=1e-12, atol=1e-6, events=top,
                    dense_output=True, max_step=20_000.0)
    s_end = float(sol.t_events[0][0])
    s = np.concatenate([np.linspace(0.0, min(s_end, 400e3), 40_000), np.linspace(min(s_end, 400e3), s_end, 40_000)])
    x, z = sol.sol(s)[:2]
    return np.hypot(x, z) - R, np.arctan2(x, z)
