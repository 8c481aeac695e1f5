"""Ideal missile on the non-rotating mean sphere against textbook Kepler flight.

Source of the expected values, never warning_time itself:
- closed forms of Bate, Mueller & White, *Fundamentals of Astrodynamics* (Dover 1971), ch. 6:
  eqs. 6.2-3, 6.2-11, 6.2-12, 6.2-16, 6.2-18, 6.2-20, 6.2-21, 6.2-22, written out in
  ``independent.py`` (see the shared REFERENCES, section 1.2, and 1.4 for the apogee relations);
- a numerical integration of the two-body problem (scipy ``solve_ivp``, DOP853, rtol 1e-12) from
  the burnout state the package solved for (``burnout_state``) to the sphere.

Units: metres, seconds, radians unless the name says otherwise. Ground range on the sphere is
R * central angle with R = 6,371,008.8 m.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import warning_time as wt
from warning_time import status as st
from warning_time.core import trajectory as tr

from independent import (MU, R_SPHERE, apogee_flight, bmw_apogee_radius, bmw_fpa_for_q,
                         bmw_min_energy_fpa, bmw_q_for_fpa, bmw_q_min_energy, bmw_range_angle,
                         bmw_time, ecef, fly, fly_to_apogee, kepler_min_energy_time, sphere_direct)

R = R_SPHERE
TIME_RTOL = 1e-6  # relative, time of flight (brief)
MISS_M = 1.0  # impact point of the integration vs the target (m)

# (launch lat, launch lon, azimuth deg, range km): along the equator and along oblique great circles
EQUATOR = [(0.0, 0.0, 90.0, d) for d in (10, 50, 100, 300, 1000, 3000, 6000, 10000, 15000)]
OBLIQUE = [
    (53.30, 28.64, 250.0, 500),      # Asipovichy toward the west-south-west
    (53.30, 28.64, 250.0, 1500),
    (48.58, 45.72, 300.0, 3200),     # Kapustin Yar toward the north-west
    (10.0, -80.0, 330.0, 800),
    (-33.92, 18.42, 37.0, 7000),     # southern hemisphere, crossing the equator
    (35.0, 139.0, 60.0, 12000),
    (64.0, -150.0, 170.0, 14000),
]
CASES = EQUATOR + OBLIQUE


def case_id(c):
    return f"{c[0]:g},{c[1]:g}@{c[2]:g}deg-{c[3]:g}km"


def pair(case):
    lat1, lon1, az, d_km = case
    d = d_km * 1e3
    lat2, lon2 = sphere_direct(lat1, lon1, az, d, R)
    return lat1, lon1, lat2, lon2, d


def run(lat1, lon1, lat2, lon2, **kw):
    res = wt.flight_time(lat1, lon1, lat2, lon2, missile="ideal", earth="sphere", rotation=False, **kw)
    return {k: res[k][()] for k in res.keys()}


def state(lat1, lon1, lat2, lon2, mode, value=0.0, high=False):
    out = tr.burnout_state(*np.radians([lat1, lon1, lat2, lon2]), R, 0.0, 0.0, MU, mode, value, high,
                           0.0, 0.0)
    assert out[0] == 0, f"burnout_state status {out[0]}"
    return np.array(out[1:4]), np.array(out[4:7]), out[7]


def fpa(r, v):
    """Flight-path angle above the local horizontal (rad) of velocity v at position r."""
    return math.asin(float(np.dot(r, v)) / (np.linalg.norm(r) * np.linalg.norm(v)))


def check_integration(lat1, lon1, lat2, lon2, mode, value, high, t_pkg, residual, tag):
    """Integrate the package's burnout state to the sphere: same time, lands on the target."""
    r0, v0, tof = state(lat1, lon1, lat2, lon2, mode, value, high)
    assert np.linalg.norm(r0 - ecef(lat1, lon1, 0.0, a=R, f=0.0)) < 1e-3  # burnout at the launch point
    t_int, r_imp = fly(r0, v0, rotating=False, a=R, b=R)
    miss = np.linalg.norm(r_imp - ecef(lat2, lon2, 0.0, a=R, f=0.0))
    rel = (t_pkg - t_int) / t_int
    residual(f"sphere {tag}: time vs solve_ivp (rel)", rel)
    residual(f"sphere {tag}: impact miss vs solve_ivp", miss, "m")
    assert abs(rel) < TIME_RTOL
    assert miss < MISS_M
    return r0, v0


# --------------------------------------------------------------------------------------------
# minimum energy
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_min_energy_matches_bmw_closed_form(case, residual):
    lat1, lon1, lat2, lon2, d = pair(case)
    res = run(lat1, lon1, lat2, lon2)
    assert res["status"] == 0 and res["reason"] == ""
    psi = d / R
    # ground range = R * central angle
    residual("sphere: ground range vs R*psi", res["ground_range_km"] * 1e3 - d, "m")
    assert res["ground_range_km"] * 1e3 == pytest.approx(d, abs=1e-3)
    # BMW 6.2-20..22: time; ideal missile: no boost, no drag
    t_ref = kepler_min_energy_time(d, R, MU)
    residual("sphere min-energy: time vs BMW 6.2-20..22 (rel)", (res["flight_time_s"] - t_ref) / t_ref)
    assert res["flight_time_s"] == pytest.approx(t_ref, rel=TIME_RTOL)
    assert res["free_flight_time_s"] == res["flight_time_s"]
    assert res["drag_delay_s"] == 0.0
    # BMW 6.2-20: v = sqrt(mu/R * Q)
    v_ref = math.sqrt(MU / R * bmw_q_min_energy(psi))
    residual("sphere min-energy: burnout speed vs BMW 6.2-20 (rel)", (res["burnout_speed_m_s"] - v_ref) / v_ref)
    assert res["burnout_speed_m_s"] == pytest.approx(v_ref, rel=1e-8)
    # symmetric flight: impact speed = burnout speed, impact angle = BMW 6.2-18 angle
    assert res["impact_speed_m_s"] == pytest.approx(v_ref, rel=1e-8)
    g_ref = math.degrees(bmw_min_energy_fpa(psi))
    residual("sphere min-energy: impact angle vs BMW 6.2-18", res["impact_angle_deg"] - g_ref, "deg")
    assert res["impact_angle_deg"] == pytest.approx(g_ref, abs=1e-6)
    # apogee r_a = a (1 + e)
    h_ref = bmw_apogee_radius(bmw_q_min_energy(psi), bmw_min_energy_fpa(psi), R) - R
    residual("sphere min-energy: apogee vs BMW a(1+e)", res["apogee_km"] * 1e3 - h_ref, "m")
    assert res["apogee_km"] * 1e3 == pytest.approx(h_ref, abs=1e-3)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_min_energy_matches_integration(case, residual):
    lat1, lon1, lat2, lon2, d = pair(case)
    res = run(lat1, lon1, lat2, lon2)
    r0, v0 = check_integration(lat1, lon1, lat2, lon2, tr.MODE_MIN_ENERGY, 0.0, False,
                               res["free_flight_time_s"], residual, "min-energy")
    psi = d / R
    # the integrated state itself: BMW 6.2-18 angle and 6.2-20 speed
    assert fpa(r0, v0) == pytest.approx(bmw_min_energy_fpa(psi), abs=1e-9)
    assert np.linalg.norm(v0) == pytest.approx(math.sqrt(MU / R * bmw_q_min_energy(psi)), rel=1e-9)


# --------------------------------------------------------------------------------------------
# given apogee
# --------------------------------------------------------------------------------------------

APOGEE_CASES = [  # (range km, apogee km)
    (300, 50), (300, 150), (300, 400), (1000, 100), (1000, 600), (1000, 1500),
    (3000, 300), (3000, 1200), (8000, 500), (8000, 2000),
]


@pytest.mark.parametrize("d_km, apo_km", APOGEE_CASES, ids=[f"{d}km-apo{h}km" for d, h in APOGEE_CASES])
def test_apogee_shape(d_km, apo_km, residual):
    lat1, lon1, lat2, lon2, d = pair((53.30, 28.64, 250.0, d_km))
    res = run(lat1, lon1, lat2, lon2, trajectory="apogee", apogee_km=apo_km)
    assert res["status"] == 0
    residual("sphere apogee: returned apogee vs requested", res["apogee_km"] * 1e3 - apo_km * 1e3, "m")
    assert res["apogee_km"] == pytest.approx(apo_km, abs=1e-6)
    t_ref, v_ref, phi_ref = apogee_flight(d / R, R + apo_km * 1e3, R, MU)
    residual("sphere apogee: time vs closed form (rel)", (res["flight_time_s"] - t_ref) / t_ref)
    assert res["flight_time_s"] == pytest.approx(t_ref, rel=TIME_RTOL)
    assert res["burnout_speed_m_s"] == pytest.approx(v_ref, rel=1e-8)
    r0, v0 = check_integration(lat1, lon1, lat2, lon2, tr.MODE_APOGEE, apo_km * 1e3, False,
                               res["free_flight_time_s"], residual, "apogee")
    assert fpa(r0, v0) == pytest.approx(phi_ref, abs=1e-8)
    _, r_apo = fly_to_apogee(r0, v0, rotating=False)
    residual("sphere apogee: integrated apogee vs requested", np.linalg.norm(r_apo) - R - apo_km * 1e3, "m")
    assert np.linalg.norm(r_apo) - R == pytest.approx(apo_km * 1e3, abs=1.0)


# --------------------------------------------------------------------------------------------
# given flight-path angle
# --------------------------------------------------------------------------------------------

FPA_CASES = [  # (range km, flight-path angle deg)
    (500, 10), (500, 45), (500, 80), (2000, 20), (2000, 60), (8000, 15), (8000, 35),
    (12000, 5), (12000, 30),
]


@pytest.mark.parametrize("d_km, phi_deg", FPA_CASES, ids=[f"{d}km-{p}deg" for d, p in FPA_CASES])
def test_fpa_shape(d_km, phi_deg, residual):
    lat1, lon1, lat2, lon2, d = pair((10.0, -80.0, 40.0, d_km))
    psi = d / R
    phi = math.radians(phi_deg)
    q = bmw_q_for_fpa(psi, phi)  # BMW 6.2-16
    assert 0 < q < 2
    assert bmw_range_angle(q, phi) == pytest.approx(psi, rel=1e-12)  # 6.2-12: the reference is consistent
    res = run(lat1, lon1, lat2, lon2, trajectory="flight-path-angle", flight_path_angle_deg=phi_deg)
    assert res["status"] == 0
    v_ref = math.sqrt(q * MU / R)
    residual("sphere fpa: burnout speed vs BMW 6.2-16 (rel)", (res["burnout_speed_m_s"] - v_ref) / v_ref)
    assert res["burnout_speed_m_s"] == pytest.approx(v_ref, rel=1e-8)
    t_ref = bmw_time(psi, q, phi, R, MU)
    residual("sphere fpa: time vs BMW 6.2-21/22 (rel)", (res["flight_time_s"] - t_ref) / t_ref)
    assert res["flight_time_s"] == pytest.approx(t_ref, rel=TIME_RTOL)
    assert res["apogee_km"] * 1e3 == pytest.approx(bmw_apogee_radius(q, phi, R) - R, abs=1e-3)
    assert res["impact_angle_deg"] == pytest.approx(phi_deg, abs=1e-6)
    r0, v0 = check_integration(lat1, lon1, lat2, lon2, tr.MODE_FPA, phi, False,
                               res["free_flight_time_s"], residual, "fpa")
    assert fpa(r0, v0) == pytest.approx(phi, abs=1e-12)


#: the Earth's sphere of influence (m), Laplace's a (m_Earth/m_Sun)^(2/5) from the IAU 1 AU and
#: the IAU 2009 Sun/Earth mass ratio (Curtis, Orbital Mechanics, Table A.2: 925,000 km)
SOI_M = 1.495978707e11 * (1 / 332946.0487) ** 0.4


@pytest.mark.parametrize("d_km, phi_deg", [(8000, 80), (15000, 85), (490, 88.9), (1000, 88.0)])
def test_fpa_needing_escape_speed_is_escape(d_km, phi_deg):
    """BMW 6.2-16 gives Q >= 2 (a parabola or hyperbola: the path never comes back), or an ellipse
    so near Q = 2 that its apogee lies beyond the Earth's sphere of influence (490 km at 88.9 deg
    is Q = 2 to a few parts in 1e4, which once gave 8.17e26 s with status 0): status 'escape',
    NaN, never a two-body time."""
    lat1, lon1, lat2, lon2, d = pair((10.0, -80.0, 40.0, d_km))
    psi = d / R
    phi = math.radians(phi_deg)
    q = bmw_q_for_fpa(psi, phi)
    assert q >= 2 or bmw_apogee_radius(q, phi, R) > SOI_M
    res = run(lat1, lon1, lat2, lon2, trajectory="flight-path-angle", flight_path_angle_deg=phi_deg)
    assert res["status"] == st.ESCAPE, res["reason"]
    assert math.isnan(res["flight_time_s"]) and math.isnan(res["apogee_km"])
    assert res["reason"].startswith("escape: ") and "sphere of influence" in res["reason"]


def test_fpa_just_below_the_sphere_of_influence_is_a_flight(residual):
    """The other side of the line: an ellipse whose apogee stays inside the sphere of influence is
    a flight, with BMW's time (200 km at 88.9 deg: apogee ~17,000 km)."""
    lat1, lon1, lat2, lon2, d = pair((10.0, -80.0, 40.0, 200))
    psi = d / R
    phi = math.radians(88.9)
    q = bmw_q_for_fpa(psi, phi)
    assert q < 2 and bmw_apogee_radius(q, phi, R) < SOI_M
    res = run(lat1, lon1, lat2, lon2, trajectory="flight-path-angle", flight_path_angle_deg=88.9)
    assert res["status"] == 0
    assert res["flight_time_s"] == pytest.approx(bmw_time(psi, q, phi, R, MU), rel=TIME_RTOL)


def test_fpa_with_no_conic_is_no_solution():
    """A steep dive (-80 deg) at 500 km: BMW 6.2-16 has no positive Q, no conic reaches the target;
    status 'no solution', not 'escape'."""
    lat1, lon1, lat2, lon2, d = pair((10.0, -80.0, 40.0, 500))
    assert bmw_q_for_fpa(d / R, math.radians(-80.0)) < 0
    res = run(lat1, lon1, lat2, lon2, trajectory="flight-path-angle", flight_path_angle_deg=-80.0)
    assert res["status"] == st.NO_SOLUTION
    assert "no solution" in res["reason"]


@pytest.mark.parametrize("apo_km, expect", [(1e5, 0), (5e5, 0), (9e5, 0), (1e6, st.ESCAPE), (1e7, st.ESCAPE)])
def test_very_high_apogees(apo_km, expect, residual):
    """Apogees of 1e5-1e7 km (once 'no convergence' with rotation): inside the sphere of influence
    the closed-form time (shared REFERENCES 1.4) and an integration; beyond it 'escape'."""
    lat1, lon1, lat2, lon2, d = pair((53.30, 28.64, 250.0, 736))
    res = run(lat1, lon1, lat2, lon2, trajectory="apogee", apogee_km=apo_km)
    assert res["status"] == expect, res["reason"]
    if expect:
        assert R + apo_km * 1e3 > SOI_M
        assert math.isnan(res["flight_time_s"])
        return
    t_ref, v_ref, phi_ref = apogee_flight(d / R, R + apo_km * 1e3, R, MU)
    residual("sphere high apogee: time vs closed form (rel)", (res["flight_time_s"] - t_ref) / t_ref)
    assert res["flight_time_s"] == pytest.approx(t_ref, rel=TIME_RTOL)
    if apo_km <= 1e5:  # one integration (the longer ones take minutes at rtol 1e-12)
        r0, v0, tof = state(lat1, lon1, lat2, lon2, tr.MODE_APOGEE, apo_km * 1e3)
        t_int, r_imp = fly(r0, v0, rotating=False, a=R, b=R, t_max=2.0 * t_ref)
        assert np.linalg.norm(r_imp - ecef(lat2, lon2, 0.0, a=R, f=0.0)) < 100.0
        assert t_int == pytest.approx(res["free_flight_time_s"], rel=TIME_RTOL)


def test_burnout_speed_above_escape_is_escape():
    """11.5 km/s from the surface exceeds escape speed sqrt(2 mu / R) = 11.19 km/s: on either branch
    the conic is a hyperbola (status 'escape', not 'no solution')."""
    lat1, lon1, lat2, lon2, d = pair((0.0, 0.0, 90.0, 2000))
    assert 11500.0 > math.sqrt(2 * MU / R)
    for branch in ("low", "high"):
        res = run(lat1, lon1, lat2, lon2, trajectory="burnout-speed", burnout_speed_m_s=11500.0, branch=branch)
        assert res["status"] == st.ESCAPE, (branch, res["reason"])


# --------------------------------------------------------------------------------------------
# given burnout speed: low and high branches
# --------------------------------------------------------------------------------------------

SPEED_CASES = [  # (range km, burnout speed / minimum-energy speed)
    (300, 1.05), (1000, 1.01), (1000, 1.2), (3000, 1.1), (8000, 1.05), (12000, 1.02),
]


@pytest.mark.parametrize("d_km, factor", SPEED_CASES, ids=[f"{d}km-x{f}" for d, f in SPEED_CASES])
def test_burnout_speed_branches(d_km, factor, residual):
    lat1, lon1, lat2, lon2, d = pair((-33.92, 18.42, 37.0, d_km))
    psi = d / R
    v = factor * math.sqrt(MU / R * bmw_q_min_energy(psi))
    q = v * v * R / MU
    phis = dict(zip(("low", "high"), bmw_fpa_for_q(psi, q)))  # BMW 6.2-16, two roots
    times = {}
    for branch, phi in phis.items():
        assert 0 < phi < math.pi / 2
        res = run(lat1, lon1, lat2, lon2, trajectory="burnout-speed", burnout_speed_m_s=v, branch=branch)
        assert res["status"] == 0
        residual("sphere speed: returned burnout speed vs requested (rel)", (res["burnout_speed_m_s"] - v) / v)
        assert res["burnout_speed_m_s"] == pytest.approx(v, rel=1e-9)
        t_ref = bmw_time(psi, q, phi, R, MU)
        residual(f"sphere speed ({branch}): time vs BMW 6.2-16/21/22 (rel)", (res["flight_time_s"] - t_ref) / t_ref)
        assert res["flight_time_s"] == pytest.approx(t_ref, rel=TIME_RTOL)
        r0, v0 = check_integration(lat1, lon1, lat2, lon2, tr.MODE_SPEED, v, branch == "high",
                                   res["free_flight_time_s"], residual, f"speed-{branch}")
        residual(f"sphere speed ({branch}): burnout angle vs BMW 6.2-16", fpa(r0, v0) - phi, "rad")
        assert fpa(r0, v0) == pytest.approx(phi, abs=1e-8)
        times[branch] = res["flight_time_s"]
    assert times["high"] > times["low"]


def test_burnout_speed_below_minimum_energy_is_out_of_range():
    """A burnout speed below BMW 6.2-20's minimum-energy speed cannot reach the target on either
    branch: the target is out of reach for that speed (status 'out of range', NaN time)."""
    lat1, lon1, lat2, lon2, d = pair((0.0, 0.0, 90.0, 2000))
    v_min = math.sqrt(MU / R * bmw_q_min_energy(d / R))
    for branch in ("low", "high"):
        res = run(lat1, lon1, lat2, lon2, trajectory="burnout-speed", burnout_speed_m_s=0.99 * v_min, branch=branch)
        assert res["status"] == st.OUT_OF_RANGE
        assert math.isnan(res["flight_time_s"])
