"""The flyout integrator against scipy's solve_ivp on the same equations of motion.

The equations are written out again here, independently of warning_time (nothing below imports
the package's kernels): Earth-fixed frame with Coriolis and centrifugal terms (Vallado,
*Fundamentals of Astrodynamics and Applications*, 4th ed., sec. 3.7), J2 gravity (Vallado eq.
8-30, J2 = 1.08262982e-3), the US Standard Atmosphere 1976 (NOAA-S/T 76-1562: the seven
layers of Table 4 below 86 km, Table I densities above), thrust F_vac - p A_e along the
steering direction, drag 1/2 rho v^2 C_D(M) A (the vehicle's C_D table from vehicles.toml, data
only) and rho v^2 / (2 beta) after burnout. Steering: vertical, then the thrust held at the kick
angle from the velocity toward the launch azimuth, then a gravity turn (Forden's
GUI_Missile_Flyout program). scipy integrates each phase with DOP853 (rtol 1e-11) and stops at
the ground with an event.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from warning_time import flyout as F

from independent import MU, OMEGA, ecef

A = 6378137.0
FL = 1 / 298.257223563
B = A * (1 - FL)
J2 = 1.08262982e-3
G0 = 9.80665
# US76 (NOAA-S/T 76-1562, Table 4): geopotential base (m'), T_M (K), lapse (K/m'), P_b (Pa, Table I)
US76 = [(0.0, 288.15, -6.5e-3, 101325.0), (11000.0, 216.65, 0.0, 22632.06), (20000.0, 216.65, 1e-3, 5474.889),
        (32000.0, 228.65, 2.8e-3, 868.0187), (47000.0, 270.65, 0.0, 110.9063), (51000.0, 270.65, -2.8e-3, 66.93887),
        (71000.0, 214.65, -2e-3, 3.956420), (84852.0, 186.946, 0.0, 0.3733836)]
UPPER_Z = np.array([86e3, 90e3, 100e3, 110e3, 120e3, 150e3, 200e3, 300e3, 500e3])
UPPER_RHO = np.log([6.958e-06, 3.416e-06, 5.604e-07, 9.708e-08, 2.222e-08, 2.076e-09, 2.541e-10, 1.916e-11,
                    5.215e-13])
UPPER_P = np.log([3.7338e-01, 1.8359e-01, 3.2011e-02, 7.1042e-03, 2.5382e-03, 4.5422e-04, 8.4736e-05, 8.7704e-06,
                  3.0236e-07])


def atmosphere(z):
    """US76: density, pressure, speed of sound at geometric altitude z (m)."""
    if z > 86e3:
        return (math.exp(np.interp(z, UPPER_Z, UPPER_RHO)), math.exp(np.interp(z, UPPER_Z, UPPER_P)),
                math.sqrt(1.4 * 8314.32 * 186.946 / 28.9644))
    h = 6356766.0 * z / (6356766.0 + z)
    base = [b for b in US76 if h >= b[0]][-1] if h >= 0 else US76[0]
    hb, tb, lb, pb = base
    k = G0 * 28.9644 / 8314.32
    if lb == 0.0:
        tm, p = tb, pb * math.exp(-k * (h - hb) / tb)
    else:
        tm = tb + lb * (h - hb)
        p = pb * (tb / tm) ** (k / lb)
    return p * 28.9644 / (8314.32 * tm), p, math.sqrt(1.4 * 8314.32 * tm / 28.9644)


def height(r):
    u = r / np.linalg.norm(r)
    return np.linalg.norm(r) - 1.0 / math.sqrt((u[0] ** 2 + u[1] ** 2) / A ** 2 + u[2] ** 2 / B ** 2)


def make_rhs(veh, phase, up, hor, kick):
    stage = veh.stages[0]
    mdot = stage["mass_flow_kg_s"]
    ae = stage["nozzle_exit_area_m2"]
    f_vac = mdot * G0 * stage["isp_sea_level_s"] + 101325.0 * ae
    area = math.pi / 4 * stage["diameter_m"] ** 2
    beta = veh.values["reentry_ballistic_coefficient_kg_m2"]
    w = np.array([0.0, 0.0, OMEGA])

    def rhs(t, y):
        r, v, m = y[:3], y[3:6], y[6]
        rn = np.linalg.norm(r)
        f = 1.5 * J2 * (A / rn) ** 2
        zr2 = (r[2] / rn) ** 2
        g = -MU * r / rn ** 3 * np.array([1 + f * (1 - 5 * zr2), 1 + f * (1 - 5 * zr2), 1 + f * (3 - 5 * zr2)])
        acc = g - 2 * np.cross(w, v) - np.cross(w, np.cross(w, r))
        rho, p, cs = atmosphere(height(r))
        vn = np.linalg.norm(v)
        if phase == "coast":
            acc = acc - rho * vn * v / (2 * beta)
            return np.concatenate([v, acc, [0.0]])
        if vn > 0:
            cd = np.interp(vn / cs, veh.mach, veh.cd)
            acc = acc - 0.5 * rho * vn * cd * area / m * v
        if phase == "vertical":
            e = up
        else:
            vh = v / vn
            if phase == "kick":
                pp = hor - np.dot(hor, vh) * vh
                e = math.cos(kick) * vh + math.sin(kick) * pp / np.linalg.norm(pp)
            else:
                e = vh
        acc = acc + max(f_vac - p * ae, 0.0) / m * e
        return np.concatenate([v, acc, [-mdot]])

    return rhs


def scipy_flyout(veh, lat, lon, az, kick_deg):
    """Scud-B flyout (single stage, no separation) with scipy, phase by phase."""
    la, lo, a = (math.radians(x) for x in (lat, lon, az))
    up = np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])
    north = np.array([-math.sin(la) * math.cos(lo), -math.sin(la) * math.sin(lo), math.cos(la)])
    east = np.array([-math.sin(lo), math.cos(lo), 0.0])
    hor = math.cos(a) * north + math.sin(a) * east
    kick = math.radians(kick_deg)
    t_v = veh.values["t_vertical_s"]
    t_k = t_v + veh.values["t_pitchover_s"]
    t_b = veh.stages[0]["burn_time_s"]
    y = np.concatenate([ecef(lat, lon, 0.0), [0, 0, 0], [veh.liftoff_mass_kg]])
    kw = dict(method="DOP853", rtol=1e-11, atol=1e-6)
    for phase, t0, t1 in (("vertical", 0.0, t_v), ("kick", t_v, t_k), ("turn", t_k, t_b)):
        sol = solve_ivp(make_rhs(veh, phase, up, hor, kick), (t0, t1), y, **kw)
        y = sol.y[:, -1]
    burnout = y.copy()

    def ground(t, y):
        return height(y[:3])

    ground.terminal = True
    ground.direction = -1

    def apogee(t, y):
        return float(np.dot(y[:3], y[3:6]))

    apogee.direction = -1
    sol = solve_ivp(make_rhs(veh, "coast", up, hor, kick), (t_b, t_b + 3000.0), y, events=[ground, apogee], **kw)
    t_imp = float(sol.t_events[0][0])
    r_imp = sol.y_events[0][0][:3]
    t_apo = float(sol.t_events[1][0])
    h_apo = height(sol.y_events[1][0][:3])
    return t_imp, r_imp, burnout, t_apo, h_apo


CASES = [(50.0, 30.0, 90.0, 16.0), (50.0, 30.0, 270.0, 16.0), (20.0, -60.0, 0.0, 8.0), (-35.0, 140.0, 200.0, 30.0)]


@pytest.mark.parametrize("lat, lon, az, kick", CASES, ids=[f"{c[0]}_{c[1]}_az{c[2]}_k{c[3]}" for c in CASES])
def test_powered_flyout_matches_scipy(lat, lon, az, kick, residual):
    veh = F.get_vehicle("scud-b")
    t_imp, r_imp, bo, t_apo, h_apo = scipy_flyout(veh, lat, lon, az, kick)
    res = F.fly("scud-b", lat, lon, az, kick)
    assert res.status[0] == 0, res.reason[0]
    miss = float(np.linalg.norm(res["impact_position_m"][0] - r_imp))
    d_bo_r = float(np.linalg.norm(res["burnout_position_m"][0] - bo[:3]))
    d_bo_v = float(np.linalg.norm(res["burnout_velocity_m_s"][0] - bo[3:6]))
    residual("flyout vs scipy (Scud-B, full physics): impact time", res.flight_time_s[0] - t_imp, "s")
    residual("flyout vs scipy (Scud-B, full physics): impact point", miss, "m")
    residual("flyout vs scipy (Scud-B, full physics): burnout position", d_bo_r, "m")
    residual("flyout vs scipy (Scud-B, full physics): burnout velocity", d_bo_v, "m/s")
    residual("flyout vs scipy (Scud-B, full physics): apogee altitude", res.apogee_km[0] * 1e3 - h_apo, "m")
    assert abs(res.flight_time_s[0] - t_imp) < 0.02
    assert miss < 20.0
    assert d_bo_r < 1.0 and d_bo_v < 0.01
    assert res.burnout_mass_kg[0] == pytest.approx(bo[6], rel=1e-12)
    assert res.apogee_time_s[0] == pytest.approx(t_apo, abs=0.02)
    assert res.apogee_km[0] * 1e3 == pytest.approx(h_apo, abs=1.0)
