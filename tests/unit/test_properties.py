"""Property tests (hypothesis) of the public flight_time.

Geodesic points for a given range and azimuth come from GeographicLib (WGS84) or the spherical
direct formula (mean sphere), never from warning_time.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st_

import warning_time as wt
from warning_time import status as st

from independent import R_SPHERE, sphere_direct

PROPS = settings(max_examples=60, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow])

# launch points (notional areas and European sites), mid and high latitudes
LAUNCH = {"asipovichy": (53.30, 28.64), "krychaw": (53.70, 31.71), "kapustin_yar": (48.58, 45.72),
          "london": (51.51, -0.13), "rome": (41.90, 12.50)}


def destinations(lat, lon, az, ranges_m, earth):
    if earth == "wgs84":
        pts = [Geodesic.WGS84.Direct(lat, lon, az, d) for d in ranges_m]
        return np.array([p["lat2"] for p in pts]), np.array([p["lon2"] for p in pts])
    pts = [sphere_direct(lat, lon, az, d, R_SPHERE) for d in ranges_m]
    return np.array([p[0] for p in pts]), np.array([p[1] for p in pts])


def ranges_strategy(lo_km, hi_km):
    # distinct ranges at least 100 m apart (time grows by >= 5 ms per 100 m at 12,000 km)
    return st_.lists(st_.floats(lo_km, hi_km, allow_nan=False), min_size=2, max_size=25).map(
        lambda xs: np.unique(np.round(np.asarray(xs), 1))).filter(lambda a: a.size >= 2)


# --------------------------------------------------------------------------------------------
# minimum-energy time grows strictly with range along a geodesic
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("earth", ["wgs84", "sphere"])
@pytest.mark.parametrize("rotation, hi_km", [(False, 18000.0), (True, 12000.0)])
@PROPS
@given(launch=st_.sampled_from(sorted(LAUNCH)), az=st_.floats(0.0, 360.0, exclude_max=True),
       data=st_.data())
def test_min_energy_time_grows_with_range(earth, rotation, hi_km, launch, az, data):
    """rotation=True stops at 12,000 km: beyond ~16,800 km eastward the rotating minimum-energy
    time really does fall with range (tests/reference/test_rotating.py shows it against Lambert)."""
    ranges_km = data.draw(ranges_strategy(50.0, hi_km), label="ranges_km")
    lat, lon = LAUNCH[launch]
    lat2, lon2 = destinations(lat, lon, az, ranges_km * 1e3, earth)
    res = wt.flight_time(lat, lon, lat2, lon2, missile="ideal", earth=earth, rotation=rotation)
    assert np.all(res.status == 0), list(zip(ranges_km[res.status != 0], res.reason[res.status != 0]))
    t = res.flight_time_s
    assert np.all(np.diff(t) > 0), list(zip(ranges_km[1:][np.diff(t) <= 0], np.diff(t)[np.diff(t) <= 0]))


# --------------------------------------------------------------------------------------------
# swapping launch and target (no rotation) gives the same time
# --------------------------------------------------------------------------------------------

lat_s = st_.floats(-89.0, 89.0, allow_nan=False)
lon_s = st_.floats(-180.0, 180.0, allow_nan=False)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(lat1=lat_s, lon1=lon_s, lat2=lat_s, lon2=lon_s)
def test_swap_launch_and_target_same_time_without_rotation(lat1, lon1, lat2, lon2):
    d = Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"]
    assume(1e3 < d < 19000e3)
    fwd = wt.flight_time(lat1, lon1, lat2, lon2, missile="ideal", earth="wgs84", rotation=False)
    bwd = wt.flight_time(lat2, lon2, lat1, lon1, missile="ideal", earth="wgs84", rotation=False)
    assert fwd.status[()] == 0 and bwd.status[()] == 0
    assert fwd.flight_time_s[()] == pytest.approx(bwd.flight_time_s[()], rel=1e-6)
    assert fwd.ground_range_km[()] == pytest.approx(bwd.ground_range_km[()], rel=1e-9)


# --------------------------------------------------------------------------------------------
# inside the class's reach: a time; beyond it: NaN, status 'out of range' and the maximum range
# --------------------------------------------------------------------------------------------

REACH = {  # missile: (inside km, beyond km, maximum range as it appears in the reason)
    "iskander-m": ((60.0, 480.0), (550.0, 1500.0), "500 km"),
    "oreshnik": ((600.0, 5000.0), (6500.0, 10000.0), "5512 km"),  # its vehicle's full-burn range
}
INSIDE = [("iskander-m", "default"), ("iskander-m", "minimum-energy"), ("oreshnik", "default"),
          ("oreshnik", "minimum-energy")]
BEYOND = [("iskander-m", "default"),
          ("iskander-m", "minimum-energy"),
          ("oreshnik", "default"), ("oreshnik", "minimum-energy")]
europe_lat = st_.floats(45.0, 60.0)
europe_lon = st_.floats(-5.0, 45.0)
azimuth = st_.floats(0.0, 360.0, exclude_max=True)


@pytest.mark.parametrize("missile, trajectory", INSIDE)
@PROPS
@given(lat=europe_lat, lon=europe_lon, az=azimuth, frac=st_.floats(0.0, 1.0))
def test_inside_reach_gives_a_time(missile, trajectory, lat, lon, az, frac):
    (lo, hi), _, _ = REACH[missile]
    d = (lo + frac * (hi - lo)) * 1e3
    g = Geodesic.WGS84.Direct(lat, lon, az, d)
    res = wt.flight_time(lat, lon, g["lat2"], g["lon2"], missile=missile, trajectory=trajectory)
    assert res.status[()] == st.OK, res.reason[()]
    assert res.reason[()] == ""
    for name in ("flight_time_s", "free_flight_time_s", "burnout_speed_m_s", "apogee_km", "drag_delay_s"):
        assert math.isfinite(res[name][()]), name
    assert res.flight_time_s[()] > res.free_flight_time_s[()] > 0


@pytest.mark.parametrize("missile, trajectory", BEYOND)
@PROPS
@given(lat=europe_lat, lon=europe_lon, az=azimuth, frac=st_.floats(0.0, 1.0))
def test_beyond_reach_is_nan_with_reason(missile, trajectory, lat, lon, az, frac):
    _, (lo, hi), max_txt = REACH[missile]
    d = (lo + frac * (hi - lo)) * 1e3
    g = Geodesic.WGS84.Direct(lat, lon, az, d)
    res = wt.flight_time(lat, lon, g["lat2"], g["lon2"], missile=missile, trajectory=trajectory)
    assert res.status[()] == st.OUT_OF_RANGE, (d, res.reason[()])
    assert math.isnan(res.flight_time_s[()])
    reason = res.reason[()]
    assert "out of range" in reason and max_txt in reason, reason


@pytest.mark.parametrize("missile, trajectory", BEYOND)
def test_reach_vectorised_no_row_dropped(missile, trajectory):
    """The same in one call over many pairs: every row answered, inside vs beyond as expected."""
    (lo, hi), (blo, bhi), _ = REACH[missile]
    rng = np.random.default_rng(3)
    n = 400
    lat = rng.uniform(45, 60, n)
    lon = rng.uniform(-5, 45, n)
    az = rng.uniform(0, 360, n)
    inside = rng.random(n) < 0.5
    d = np.where(inside, rng.uniform(lo, hi, n), rng.uniform(blo, bhi, n)) * 1e3
    pts = [Geodesic.WGS84.Direct(a, b, c, x) for a, b, c, x in zip(lat, lon, az, d)]
    res = wt.flight_time(lat, lon, [p["lat2"] for p in pts], [p["lon2"] for p in pts], missile=missile,
                         trajectory=trajectory)
    assert res.flight_time_s.shape == (n,)
    assert np.all(res.status[inside] == st.OK), np.unique(res.reason[inside & (res.status != 0)])
    assert np.all(np.isfinite(res.flight_time_s[inside]))
    assert np.all(res.status[~inside] == st.OUT_OF_RANGE), np.sort(d[~inside & (res.status != 1)] / 1e3)
    assert np.all(np.isnan(res.flight_time_s[~inside]))
