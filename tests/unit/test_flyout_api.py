"""warning_time.flyout: statuses on every failure, aiming, batches, vehicles file, track output."""
from __future__ import annotations

import math

import numpy as np
import pytest

from warning_time import flyout as F
from warning_time.errors import InputError

SITE = (50.0, 30.0)


def destination(lat, lon, az, dist_km):
    from pyproj import Geod

    lon2, lat2, _ = Geod(ellps="WGS84").fwd(lon, lat, az, dist_km * 1e3)
    return lat2, lon2


@pytest.mark.parametrize("solve, branch", [("min-energy", "low"), ("loft", "low"), ("loft", "high"), ("cutoff", "low")])
def test_aim_lands_on_target(solve, branch):
    targets = [destination(*SITE, az, d) for az, d in ((0, 120), (90, 250), (225, 280))]
    lat2, lon2 = map(np.array, zip(*targets))
    r = F.aim("scud-b", *SITE, lat2, lon2, solve=solve, branch=branch, kick_deg=20.0)
    assert np.all(r.status == 0), r.reason
    assert np.all(r.miss_m < 1.0)
    # the aimed flyout, flown again from its solution, lands at the target
    again = F.fly("scud-b", *SITE, r.azimuth_deg, r.kick_deg, r.cutoff_s)
    from pyproj import Geod

    d = Geod(ellps="WGS84").inv(again.impact_lon_deg, again.impact_lat_deg, lon2, lat2)[2]
    assert np.all(d < 2.0)
    if solve == "loft":
        assert np.all(np.isinf(r.cutoff_s))
    else:
        assert np.all(r.cutoff_s < 62.0)


def test_branches_and_min_energy_are_ordered():
    lat2, lon2 = destination(*SITE, 90.0, 200.0)
    low = F.aim("scud-b", *SITE, lat2, lon2, solve="loft", branch="low")
    high = F.aim("scud-b", *SITE, lat2, lon2, solve="loft", branch="high")
    me = F.aim("scud-b", *SITE, lat2, lon2, solve="min-energy")
    assert low.apogee_km[0] > me.apogee_km[0] > high.apogee_km[0]
    assert low.flight_time_s[0] > me.flight_time_s[0] > high.flight_time_s[0]
    assert low.kick_deg[0] < high.kick_deg[0]


def test_out_of_range_and_below_minimum():
    far = destination(*SITE, 90.0, 400.0)
    near = destination(*SITE, 90.0, 3.0)
    r = F.aim("scud-b", *SITE, [far[0], near[0]], [far[1], near[1]])
    assert r.status.tolist() == [1, 2]
    assert "out of range" in r.reason[0] and "minimum range" in r.reason[1]
    assert np.isnan(r.flight_time_s).all()


def test_crash_no_impact_and_bad_input_statuses(tmp_path):
    from importlib import resources

    text = resources.files("warning_time").joinpath("data/vehicles.toml").read_text("utf-8")
    weak = text.replace("mass_flow_kg_s = { value = 58.8", "mass_flow_kg_s = { value = 20.0")
    p = tmp_path / "v.toml"
    p.write_text(weak)
    v = F.load_vehicles(p)["scud-b"]
    r = F.fly(v, *SITE, 90.0, 16.0)  # thrust below weight: sinks on the pad
    assert r.status[0] == 10 and "crash" in r.reason[0]
    orbit = F.coast([[7.0e6, 0, 0]], [[0, 7546.0 - 7.0e6 * 7.292115e-5, 0]], atmosphere=False, t_max_s=3000.0)
    assert orbit.status[0] == 11 and "no impact" in orbit.reason[0]
    nan = F.fly("scud-b", *SITE, np.nan, 16.0)
    assert nan.status[0] == 5
    with pytest.raises(InputError, match="launch_lat_deg"):
        F.fly("scud-b", 95.0, 30.0, 90.0, 16.0)
    with pytest.raises(InputError, match="solve"):
        F.aim("scud-b", *SITE, 50.0, 33.0, solve="fast")
    with pytest.raises(InputError, match="vehicle"):
        F.fly("no-such", *SITE, 90.0, 16.0)
    with pytest.raises(InputError, match="rtol"):
        F.fly("scud-b", *SITE, 90.0, 16.0, rtol=1.0)


def test_vehicle_file_errors(tmp_path):
    from importlib import resources

    text = resources.files("warning_time").joinpath("data/vehicles.toml").read_text("utf-8")
    for bad, match in ((text.replace('drag_table = "v2"', 'drag_table = "v9"'), "drag_table"),
                       (text.replace("burn_time_s = { value = 62.0", "burn_time_s = { value = 99.0"), "burns more"),
                       (text.replace('payload_kg = { value = 987.0, source = "', 'payload_kg = { value = 987.0, source = "" , x = "'),
                        "payload_kg")):
        p = tmp_path / "bad.toml"
        p.write_text(bad)
        with pytest.raises(InputError, match=match):
            F.load_vehicles(p)


def test_batch_equals_single_and_timeline_order():
    az = np.array([0.0, 90.0, 180.0, 270.0])
    many = F.fly("scud-b", *SITE, az, 16.0)
    for i, a in enumerate(az):
        one = F.fly("scud-b", *SITE, a, 16.0)
        assert one.flight_time_s[0] == many.flight_time_s[i]
    assert np.all(many.burnout_time_s < many.apogee_time_s)
    assert np.all(many.apogee_time_s < many.flight_time_s)
    # Scud apogee below 100 km: no 100 km reentry event; a lofted shot above it has one
    assert np.all(np.isnan(many.reentry_time_s))
    loft = F.fly("scud-b", *SITE, 90.0, 5.0)
    assert loft.apogee_km[0] > 100.0
    assert loft.apogee_time_s[0] < loft.reentry_time_s[0] < loft.flight_time_s[0]
    df = many.to_frame()
    assert len(df) == 4 and "flight_time_s" in df


def test_cutoff_shortens_the_shot():
    r = F.fly("scud-b", *SITE, 90.0, 16.0, [np.inf, 55.0, 45.0])
    assert r.ground_range_km[0] > r.ground_range_km[1] > r.ground_range_km[2]
    assert r.burnout_time_s.tolist() == [62.0, 55.0, 45.0]


def test_track_geodataframe():
    g = F.track("scud-b", *SITE, 90.0, 16.0, step_s=2.0)
    assert len(g) == 1 and g.crs.to_epsg() == 4326
    line = g.geometry.iloc[0]
    assert line.has_z
    t = np.array(g["time_s"].iloc[0])
    assert t[0] == 0.0 and np.all(np.diff(t) > 0)
    assert t[-1] == pytest.approx(g["flight_time_s"].iloc[0])
    alt = np.array(g["altitude_km"].iloc[0])
    assert alt.max() == pytest.approx(g["apogee_km"].iloc[0], abs=0.05)
    assert abs(alt[-1]) < 1e-6
    x, y = line.coords[-1][:2]
    assert y == pytest.approx(F.fly("scud-b", *SITE, 90.0, 16.0).impact_lat_deg[0], abs=1e-9)
    assert len(t) == len(line.coords)


def test_max_range_monotone_in_kick_bounds():
    r = F.max_range("scud-b", *SITE, [90.0])
    k = r.kick_deg[0]
    below = F.fly("scud-b", *SITE, 90.0, k - 3.0)
    above = F.fly("scud-b", *SITE, 90.0, k + 3.0)
    assert r.ground_range_km[0] > below.ground_range_km[0]
    assert r.ground_range_km[0] > above.ground_range_km[0]
    assert math.isfinite(r.flight_time_s[0])
