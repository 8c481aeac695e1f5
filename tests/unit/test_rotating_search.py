"""The rotating minimum-energy search: its closed-form partial derivatives and its agreement
with the slow, robust search over the time of flight.

The physics of the result (it lands on the target, and no time of flight needs less relative
speed) is checked against independent code in tests/reference/test_rotating.py; these tests
pin the pieces of the fast method:
- ``_eval_d`` differentiates the conic formulas by hand (forward mode). Each partial derivative
  is compared with a central finite difference of ``_state``, the plain closed-form conic
  evaluation (``conic_from_slope``) used by the rest of the core.
- ``_min_energy_fast`` (Newton on the total derivative along the family of conics that hit
  the rotating target) against ``_min_energy_by_time`` (golden-section search over the time of
  flight, each time solved as a Lambert problem): the same least relative speed.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from warning_time.constants import GM_EARTH_M3_S2 as MU
from warning_time.constants import OMEGA_EARTH_RAD_S as W
from warning_time.constants import WGS84_A_M, WGS84_E2
from warning_time.core import trajectory as tr
from warning_time.core.geodesy import geodetic_to_ecef


def _points(rng, lat_rng=(-60, 60), h=30e3):
    la1, lo1, la2, lo2 = np.radians([rng.uniform(*lat_rng), rng.uniform(0, 360),
                                     rng.uniform(*lat_rng), rng.uniform(0, 360)])
    r1 = np.array(geodetic_to_ecef(la1, lo1, h, WGS84_A_M, WGS84_E2))
    r2 = np.array(geodetic_to_ecef(la2, lo2, 0.0, WGS84_A_M, WGS84_E2))
    return r1, r2


def test_closed_form_partials_match_finite_differences():
    rng = np.random.default_rng(11)
    checked = 0
    while checked < 150:
        r1, r2 = _points(rng)
        n1, n2 = float(np.linalg.norm(r1)), float(np.linalg.norm(r2))
        s, th = rng.uniform(0.05, 2.0), rng.uniform(0.0, 0.2)
        d = tr._eval_d(s, th, *r1, n1, *r2, n2, W, MU)
        if not d[0]:
            continue
        ok, t, t_s, t_t, t_ss, f, f_s, f_t, f_ss, f_st = d
        lean = lambda ds=0.0, dt=0.0: tr._state(s + ds, th + dt, *r1, *r2, W, MU)  # noqa: E731
        base = lean()
        assert base[0]
        assert t == pytest.approx(base[1], rel=1e-12) and f == pytest.approx(base[2], rel=1e-12)
        h = 1e-5
        p, m, pt, mt = lean(h), lean(-h), lean(0.0, h), lean(0.0, -h)
        if not all(x[0] for x in (p, m, pt, mt)):
            continue
        ppt = tr._eval_d(s, th + h, *r1, n1, *r2, n2, W, MU)
        mmt = tr._eval_d(s, th - h, *r1, n1, *r2, n2, W, MU)
        fd = {
            "t_s": (p[1] - m[1]) / (2 * h), "t_theta": (pt[1] - mt[1]) / (2 * h),
            "t_ss": (p[1] - 2 * base[1] + m[1]) / h**2,
            "f_s": (p[2] - m[2]) / (2 * h), "f_theta": (pt[2] - mt[2]) / (2 * h),
            "f_ss": (p[2] - 2 * base[2] + m[2]) / h**2,
            "f_stheta": (ppt[6] - mmt[6]) / (2 * h),  # d/dtheta of the analytic f_s
        }
        an = {"t_s": t_s, "t_theta": t_t, "t_ss": t_ss, "f_s": f_s, "f_theta": f_t, "f_ss": f_ss,
              "f_stheta": f_st}
        scale = {"t_s": abs(t), "t_theta": abs(t), "t_ss": abs(t), "f_s": f, "f_theta": f, "f_ss": f,
                 "f_stheta": f}
        for k in an:
            # central differences: truncation O(h^2), rounding O(eps/h) (O(eps/h^2) for the
            # second differences), both well below these bounds relative to the value's scale
            tol = 1e-4 if k in ("t_ss", "f_ss") else 1e-6
            assert abs(an[k] - fd[k]) <= tol * max(scale[k], abs(fd[k])), (k, an[k], fd[k], s, th)
        checked += 1


@pytest.mark.parametrize("case", ["europe", "short", "global", "long"])
def test_newton_search_agrees_with_search_over_time_of_flight(case):
    rng = np.random.default_rng({"europe": 1, "short": 2, "global": 3, "long": 4}[case])
    n_ok = 0
    for _ in range(60):
        if case == "europe":
            lat1, lon1 = rng.uniform(51, 56), rng.uniform(23, 32)
            lat2, lon2 = rng.uniform(36, 65), rng.uniform(-10, 40)
        elif case == "short":  # 30-150 km in any direction, where the target moves most
            lat1, lon1 = rng.uniform(-70, 70), rng.uniform(-180, 180)
            d, az = rng.uniform(30e3, 150e3) / 6.371e6, rng.uniform(0, 2 * math.pi)
            la = math.radians(lat1)
            lat2 = math.degrees(math.asin(math.sin(la) * math.cos(d) + math.cos(la) * math.sin(d) * math.cos(az)))
            lon2 = lon1 + math.degrees(math.atan2(math.sin(az) * math.sin(d) * math.cos(la),
                                                  math.cos(d) - math.sin(la) * math.sin(math.radians(lat2))))
        elif case == "global":  # up to ~6,000 km
            lat1, lon1 = rng.uniform(-60, 60), rng.uniform(-180, 180)
            lat2, lon2 = lat1 + rng.uniform(-30, 30), lon1 + rng.uniform(-40, 40)
            lat2 = max(-80.0, min(80.0, lat2))
        else:  # 5,000-17,000 km: the Lambert bisection must not mistake flat hyperbolae for long
            lat1, lon1 = rng.uniform(-60, 60), rng.uniform(-180, 180)
            lat2, lon2 = rng.uniform(-60, 60), lon1 + rng.uniform(60, 150) * rng.choice([-1, 1])
        r1 = geodetic_to_ecef(math.radians(lat1), math.radians(lon1), 20e3, WGS84_A_M, WGS84_E2)
        r2 = geodetic_to_ecef(math.radians(lat2), math.radians(lon2), 0.0, WGS84_A_M, WGS84_E2)
        ok_f, s_f, th_f = tr._min_energy_fast(*r1, *r2, W, MU)
        ok_t, s_t, th_t = tr._min_energy_by_time(*r1, *r2, W, MU)
        if not ok_t:
            continue
        if case != "short":
            assert ok_f, (lat1, lon1, lat2, lon2)  # the Newton search only gives up on short shots
        if not ok_f:
            continue
        a = tr._state(s_f, th_f, *r1, *r2, W, MU)
        b = tr._state(s_t, th_t, *r1, *r2, W, MU)
        assert abs(th_f - W * a[1]) < 1e-10  # on the family: the target turned by omega t
        v_f, v_t = math.sqrt(a[2]), math.sqrt(b[2])
        assert v_f <= v_t + 1e-6, (v_f, v_t)  # never worse than the robust search
        assert abs(v_f - v_t) < 1e-6
        assert a[1] == pytest.approx(b[1], abs=5e-3)  # the optimum is flat: time to a few ms
        n_ok += 1
    assert n_ok >= 40


def test_near_antipodal_rotating_targets_are_degenerate_not_guessed():
    """Within omega x 1.8 x 2,520 s (0.33 rad) of the antipode the Earth's turn during the flight
    can make the other way around the globe the shorter; the short-way searches cannot tell, so
    the pair is flagged (these gave wrong speeds, by up to ~190 m/s, before the flag)."""
    import warning_time as wt
    from warning_time import status as st

    res = wt.flight_time([51.85, 0.87, 20.0], [5.52, 12.60, 0.0], [-52.80, -4.16, -15.0],
                         [175.74, -174.92, 170.0], missile="ideal")
    assert (res.status == st.DEGENERATE).all()
    assert np.isnan(res.flight_time_s).all()
    assert (res.ground_range_km > 17_900).all()
    # without rotation the same pairs are solved (the plane is defined)
    assert (wt.flight_time([51.85, 0.87, 20.0], [5.52, 12.60, 0.0], [-52.80, -4.16, -15.0],
                           [175.74, -174.92, 170.0], missile="ideal", rotation=False).status == 0).all()


def test_search_over_time_of_flight_agrees_with_the_angle_searches():
    """``_root_by_time`` (the robust fallback for relative flight-path angles and speeds: a grid
    over the time of flight refined by Illinois) finds the same arc as the fast searches along the
    inertial angle (``_fpa_rotating`` / ``_root_rotating``) wherever those succeed: the first root
    in time for an angle, the branch's root for a speed."""
    rng = np.random.default_rng(5)
    checked = 0
    while checked < 30:
        r1, r2 = _points(rng, h=0.0)
        n1, n2, c, sn = tr.plane_geometry(*r1, *r2)[:4]
        if not (200e3 < n1 * math.atan2(sn, c) < 4000e3):
            continue
        deg = float(rng.uniform(20.0, 75.0))
        st_a, s_a, th_a = tr._root_rotating(tr.MODE_FPA, math.sin(math.radians(deg)), False,
                                            math.tan(math.radians(deg)), *r1, *r2, W, MU)
        st_b, s_b, th_b = tr._root_by_time(tr.MODE_FPA, math.radians(deg), False, *r1, *r2, W, MU)
        if st_a != 0:
            continue
        assert st_b == 0
        assert math.atan(s_b) == pytest.approx(math.atan(s_a), abs=1e-9)
        assert th_b == pytest.approx(th_a, abs=1e-9)
        v_me = math.sqrt(tr._state(*tr._min_energy_rotating(*r1, *r2, W, MU)[1:], *r1, *r2, W, MU)[2])
        v = v_me * float(rng.uniform(1.02, 1.3))
        for high in (False, True):
            st_a, s_a, th_a = tr._root_rotating(tr.MODE_SPEED, v, high, math.tan(math.radians(45.0)),
                                                *r1, *r2, W, MU)
            st_b, s_b, th_b = tr._root_by_time(tr.MODE_SPEED, v, high, *r1, *r2, W, MU)
            if st_a != 0:
                continue
            assert st_b == 0, (high, st_b)
            assert math.atan(s_b) == pytest.approx(math.atan(s_a), abs=1e-8)
            assert math.sqrt(tr._state(s_b, th_b, *r1, *r2, W, MU)[2]) == pytest.approx(v, rel=1e-9)
        checked += 1


def test_closed_form_horizontal_speed_partials_match_finite_differences():
    """``_eval_dh`` adds the inertial horizontal speed H = v cos(gamma) and its partials, which
    the joint Newton iteration of the flight-path-angle solve (``_fpa_newton``) uses: H s is the
    radial speed, checked against the plain conic evaluation (``_state`` returns the radial
    speed), and H_s, H_theta against central differences of it."""
    rng = np.random.default_rng(12)
    checked = 0
    while checked < 100:
        r1, r2 = _points(rng)
        n1, n2 = float(np.linalg.norm(r1)), float(np.linalg.norm(r2))
        s, th = rng.uniform(0.05, 2.0), rng.uniform(0.0, 0.2)
        d = tr._eval_dh(s, th, *r1, n1, *r2, n2, W, MU)
        if not d[0]:
            continue
        H, H_s, H_t = d[10:13]
        radial = lambda ds=0.0, dt=0.0: tr._state(s + ds, th + dt, *r1, *r2, W, MU)  # noqa: E731
        base = radial()
        h = 1e-5
        p, m, pt, mt = radial(h), radial(-h), radial(0.0, h), radial(0.0, -h)
        if not all(x[0] for x in (base, p, m, pt, mt)):
            continue
        assert H * s == pytest.approx(base[3], rel=1e-12)
        # H = radial / s from the plain evaluation
        fd_s = (p[3] / (s + h) - m[3] / (s - h)) / (2 * h)
        fd_t = (pt[3] - mt[3]) / (2 * h * s)
        assert abs(H_s - fd_s) <= 1e-6 * max(H, abs(fd_s)), (H_s, fd_s)
        assert abs(H_t - fd_t) <= 1e-6 * max(H, abs(fd_t)), (H_t, fd_t)
        assert tr._eval_d(s, th, *r1, n1, *r2, n2, W, MU) == d[:10]
        checked += 1


@pytest.mark.parametrize("case", ["europe", "short", "global"])
def test_fpa_newton_lands_on_the_angle_and_agrees_with_the_bracketed_search(case):
    """The joint Newton iteration in (angle, target rotation) for a burnout flight-path angle
    relative to the Earth (the least-burn angle of a boost table, 30-56 deg): its solution burns
    out at that angle (plain conic evaluation), lies on the consistent family (theta = omega t)
    and is the one the bracketed search along the family finds."""
    rng = np.random.default_rng({"europe": 21, "short": 22, "global": 23}[case])
    n_ok = 0
    for _ in range(80):
        lat1, lon1 = rng.uniform(-60, 60), rng.uniform(-180, 180)
        if case == "europe":
            lat1, lon1 = rng.uniform(51, 56), rng.uniform(23, 32)
            lat2, lon2 = rng.uniform(36, 65), rng.uniform(-10, 40)
        elif case == "short":
            lat2, lon2 = lat1 + rng.uniform(-1.2, 1.2), lon1 + rng.uniform(-1.5, 1.5)
        else:
            lat2, lon2 = max(-80.0, min(80.0, lat1 + rng.uniform(-30, 30))), lon1 + rng.uniform(-40, 40)
        gam = math.radians(rng.uniform(28.0, 58.0))
        r1 = geodetic_to_ecef(math.radians(lat1), math.radians(lon1), rng.uniform(5e3, 160e3), WGS84_A_M, WGS84_E2)
        r2 = geodetic_to_ecef(math.radians(lat2), math.radians(lon2), 0.0, WGS84_A_M, WGS84_E2)
        code, s, th = tr._fpa_newton(math.sin(gam), math.tan(gam), *r1, *r2, W, MU)
        code_b, s_b, th_b = tr._root_rotating(tr.MODE_FPA, math.sin(gam), False, math.tan(gam), *r1, *r2, W, MU)
        if code != 0:
            continue  # falls back to the slower paths (covered by the flight tests)
        a = tr._state(s, th, *r1, *r2, W, MU)
        assert a[0]
        assert a[3] / math.sqrt(a[2]) == pytest.approx(math.sin(gam), abs=1e-11)
        assert abs(th - W * a[1]) < 1e-11
        assert code_b == 0
        b = tr._state(s_b, th_b, *r1, *r2, W, MU)
        assert a[1] == pytest.approx(b[1], rel=1e-8)
        n_ok += 1
    # short shots whose relative angle the Earth's turn tilts most take the fallback paths
    assert n_ok >= (30 if case == "short" else 60)
