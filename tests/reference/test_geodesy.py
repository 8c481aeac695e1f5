"""Ground range against independent geodesic tools.

- WGS84: GeographicLib (C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87, 2013),
  ``Geodesic.WGS84.Inverse``, and PROJ's geodesic via ``pyproj.Geod(ellps="WGS84").inv``;
  both accurate to ~15 nm. Pairs within 1,000 km of antipodal (> 19,000 km) are excluded:
  there the package's Vincenty inverse may not converge, which it reports with a status.
- Mean sphere R = 6,371,008.8 m: haversine and the atan2 (Vincenty special case) great-circle
  formulas, written in this file.
Random pairs are seeded (numpy default_rng(20261125)), uniform on the sphere.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from pyproj import Geod

import warning_time as wt
from warning_time import status as st

from independent import R_SPHERE

N_PAIRS = 2000
MAX_KM = 19000.0


def random_pairs(n=N_PAIRS, seed=20261125):
    rng = np.random.default_rng(seed)
    lat1 = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    lat2 = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    lon1 = rng.uniform(-180, 180, n)
    lon2 = rng.uniform(-180, 180, n)
    return lat1, lon1, lat2, lon2


# edge cases: coincident, 1 m, 100 m, along the equator and a meridian, through a pole, at the
# poles, across the antimeridian, longitudes given in [180, 360]
EDGE = np.array([
    (53.30, 28.64, 53.30, 28.64),
    (53.30, 28.64, 53.30000899, 28.64),
    (53.30, 28.64, 53.30, 28.6415),
    (0.0, 0.0, 0.0, 90.0),
    (0.0, -10.0, 0.0, 150.0),
    (-60.0, 20.0, 60.0, 20.0),
    (80.0, 0.0, 80.0, 180.0),
    (90.0, 0.0, 45.0, 77.0),
    (-90.0, 0.0, -89.0, 0.0),
    (65.0, 179.5, 66.0, -179.5),
    (10.0, 350.0, 11.0, -9.0),
    (52.23, 21.01, 51.51, 359.87),
])


def package_range_m(lat1, lon1, lat2, lon2, earth):
    res = wt.flight_time(lat1, lon1, lat2, lon2, missile="ideal", earth=earth, rotation=False)
    return res.ground_range_km * 1e3, res.status


def test_wgs84_range_matches_geographiclib_and_pyproj(residual):
    lat1, lon1, lat2, lon2 = random_pairs()
    lat1, lon1, lat2, lon2 = (np.concatenate([e, x]) for e, x in zip(EDGE.T, (lat1, lon1, lat2, lon2)))
    s_gl = np.array([Geodesic.WGS84.Inverse(a, b, c, d)["s12"] for a, b, c, d in zip(lat1, lon1, lat2, lon2)])
    _, _, s_pp = Geod(ellps="WGS84").inv(lon1, lat1, lon2, lat2)
    keep = s_gl < MAX_KM * 1e3
    assert keep.sum() > 0.9 * len(keep)
    got, status = package_range_m(lat1[keep], lon1[keep], lat2[keep], lon2[keep], "wgs84")
    assert np.all(np.isfinite(got)), status[~np.isfinite(got)]
    err_gl = np.abs(got - s_gl[keep])
    err_pp = np.abs(got - s_pp[keep])
    residual("wgs84 ground range vs geographiclib Inverse", err_gl.max(), "m")
    residual("wgs84 ground range vs pyproj Geod.inv", err_pp.max(), "m")
    worst = int(np.argmax(err_gl))
    assert err_gl.max() < 1.0, (lat1[keep][worst], lon1[keep][worst], lat2[keep][worst], lon2[keep][worst])
    assert err_pp.max() < 1.0
    # short ranges to the millimetre (relative accuracy of Vincenty's inverse)
    short = s_gl[keep] < 1e3
    assert np.all(err_gl[short] < 1e-3)


def _haversine(lat1, lon1, lat2, lon2, r):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(lon2 - lon1)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * r * np.arcsin(np.sqrt(np.minimum(1.0, h)))


def _atan2_great_circle(lat1, lon1, lat2, lon2, r):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(lon2 - lon1)
    y = np.hypot(np.cos(p2) * np.sin(dl), np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl))
    x = np.sin(p1) * np.sin(p2) + np.cos(p1) * np.cos(p2) * np.cos(dl)
    return r * np.arctan2(y, x)


def test_sphere_range_matches_haversine(residual):
    lat1, lon1, lat2, lon2 = random_pairs(seed=7)
    lat1, lon1, lat2, lon2 = (np.concatenate([e, x]) for e, x in zip(EDGE.T, (lat1, lon1, lat2, lon2)))
    ref = _haversine(lat1, lon1, lat2, lon2, R_SPHERE)
    # the two textbook formulas agree with each other (guards the reference itself)
    assert np.max(np.abs(ref - _atan2_great_circle(lat1, lon1, lat2, lon2, R_SPHERE))) < 1e-3
    got, _ = package_range_m(lat1, lon1, lat2, lon2, "sphere")
    err = np.abs(got - ref)
    residual("sphere ground range vs haversine", err.max(), "m")
    assert err.max() < 1e-3


def test_longitude_conventions_give_same_range():
    """Longitudes in [-180, 360] are accepted; 359.87 E is -0.13 E."""
    a, _ = package_range_m(52.23, 21.01, 51.51, -0.13, "wgs84")
    b, _ = package_range_m(52.23, 21.01, 51.51, 359.87, "wgs84")
    c, _ = package_range_m(52.23, 381.01 - 360.0, 51.51, -0.13, "wgs84")
    assert a == pytest.approx(b, abs=1e-6) and a == pytest.approx(c, abs=1e-6)
    ref = Geodesic.WGS84.Inverse(52.23, 21.01, 51.51, -0.13)["s12"]
    assert a == pytest.approx(ref, abs=1e-3)


def test_coincident_points_are_degenerate_with_zero_range():
    got, status = package_range_m(53.30, 28.64, 53.30, 28.64, "wgs84")
    assert got == 0.0
    assert status == st.DEGENERATE


def test_nearly_antipodal_pairs_are_flagged_not_invented():
    """Within ~6 km of antipodal the flight plane is undefined: status, NaN time, no number."""
    res = wt.flight_time(0.0, 0.0, 0.0, 179.99, missile="ideal", rotation=False)
    assert res.status[()] != 0
    assert math.isnan(res.flight_time_s[()])


def test_near_antipodal_ranges_match_geographiclib_or_are_nan(residual):
    """Vincenty's lambda iteration (with its secant acceleration) near the antipode, where it
    converges slowly or not at all: a number must agree with GeographicLib, else NaN."""
    from geographiclib.geodesic import Geodesic

    from warning_time.constants import WGS84_A_M, WGS84_F
    from warning_time.core.geodesy import vincenty_inverse_m

    rng = np.random.default_rng(2024)
    worst, n_num = 0.0, 0
    for _ in range(3000):
        lat1, lon1 = rng.uniform(-89, 89), rng.uniform(-180, 180)
        lat2 = float(np.clip(-lat1 + rng.normal(0, 2), -89.9, 89.9))
        lon2 = lon1 + 180.0 + rng.normal(0, 2)
        got = vincenty_inverse_m(*np.radians([lat1, lon1, lat2, lon2]), WGS84_A_M, WGS84_F)
        if math.isnan(got):
            continue
        n_num += 1
        worst = max(worst, abs(got - Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"]))
    residual("WGS84 ground range near the antipode vs geographiclib", worst, "m")
    assert n_num > 2500
    assert worst < 1e-3
