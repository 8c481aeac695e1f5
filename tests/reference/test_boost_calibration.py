"""Range-dependent boost: the analytic classes against fresh flyouts of their vehicles.

scripts/calibrate.py --boost tabulated, for each class in data/boost_tables.toml, its vehicle's
burnout state (burn time, altitude, downrange, flight-path angle, speed) at ground-range nodes
from east and west shots at 50 N 30 E: the least-burn (thrust-terminated) shot for
'minimum-energy' and the full-burn lofted shot for 'lofted'. Here the analytic class
(``warning_time.flight_time``: table boost, conic free flight on the rotating WGS84 Earth, drag
delay) must agree within 2 % of the flight time with fresh flyouts (``warning_time.flyout.aim``:
rotation, J2, US76, drag) from launch sites and azimuths not used in the fit, at ranges between
the table's nodes. The flyout is the reference; nothing here comes from the analytic output.

The full grid (two sites x five azimuths x five ranges x both shapes per class) is run by
benchmarks/bench_calibration.py; this test runs a sample of it.
"""
from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

import warning_time as wt
from warning_time import flyout as F
from warning_time.model import boost_tables

#: fit site of scripts/calibrate.py (must not be used here)
FIT_SITE = (50.0, 30.0)
#: per class: an unfitted launch site and two unfitted azimuths
CASES = {
    "oreshnik": ((53.30, 28.64), (245.0, 20.0)),
    "generic-srbm-solid": ((53.30, 28.64), (250.0, 160.0)),
    "generic-irbm": ((35.0, 40.0), (300.0, 45.0)),
    "generic-icbm": ((62.0, 40.0), (300.0, 120.0)),
}
#: fractions of the table's span (between nodes, not on them)
FRACTIONS = (0.13, 0.52, 0.87)
#: lofted shots start this far into the span for an endo-atmospheric table: below it the SRBM's
#: near-vertical full-burn shot (85-87 deg, ~8 min) has no conic of its burnout angle toward
#: some azimuths (the Earth carries the target 100+ km during the flight), and the analytic
#: class flies the 80-degree lofted preset there instead (docs/model.md)
ENDO_LOFTED_START = 0.35


def _targets(site, azimuths, ranges_km):
    g = Geod(ellps="WGS84")
    lat2, lon2 = [], []
    for az in azimuths:
        for r in ranges_km:
            lo, la, _ = g.fwd(site[1], site[0], az, r * 1e3)
            lat2.append(la)
            lon2.append(lo)
    return np.array(lat2), np.array(lon2)


def test_every_boost_class_has_a_vehicle_and_both_tables():
    vehicles = {v.catalog_class: v for v in F.load_vehicles().values() if v.catalog_class}
    tables = boost_tables()
    assert set(CASES) <= set(tables)
    for key, e in tables.items():
        assert vehicles[key].key == e["vehicle"]
        assert "minimum-energy" in e and "lofted" in e
        m = wt.get_missile(key)
        # the class's reach and minimum range are its vehicle's (flyout on the mean sphere)
        assert m.max_range_km == pytest.approx(e["max_range_km"], rel=1e-3)
        x0 = e["minimum-energy"][0] / 1e3
        assert m.min_range_km == pytest.approx(x0, abs=0.5)


def test_least_burn_boost_grows_with_range():
    """Thrust termination: a longer shot burns longer, higher and further, never beyond the
    full burn; and the full-burn lofted shot burns the whole motor."""
    for key, e in boost_tables().items():
        _, _, me = e["minimum-energy"]
        fb = e["full_burn"]
        assert np.all(np.diff(me[0]) > 0), key
        assert np.all(np.diff(me[2]) > 0), key
        assert me[0].max() <= fb["burn_time_s"] + 1e-6, key
        _, _, lo = e["lofted"]
        np.testing.assert_allclose(lo[0], fb["burn_time_s"], rtol=1e-6)


@pytest.mark.parametrize("shape", ["minimum-energy", "lofted"])
@pytest.mark.parametrize("key", sorted(CASES))
def test_calibrated_class_matches_fresh_flyouts(key, shape, residual):
    site, azimuths = CASES[key]
    assert site != FIT_SITE
    e = boost_tables()[key]
    x0, dx, rows = e["minimum-energy"]
    lo_km = x0 / 1e3
    hi_km = (x0 + dx * (rows.shape[1] - 1)) / 1e3
    if shape == "lofted":
        # full burn can be lofted onto the target only beyond the first node it reaches (the
        # table holds that node's state below it; the analytic preset then flies its 80-degree
        # ceiling, which the flyout's pitch programme cannot)
        _, _, lrows = e["lofted"]
        first = int(np.argmax(np.diff(lrows[2]) != 0.0)) if np.any(np.diff(lrows[2]) != 0.0) else 0
        lo_km = (x0 + dx * first) / 1e3
        if np.all(np.isfinite(lrows[3])):  # flown by its angles (endo-atmospheric burnout)
            lo_km += ENDO_LOFTED_START * (hi_km - lo_km)
    ranges = [lo_km + f * (hi_km - lo_km) for f in FRACTIONS]
    lat2, lon2 = _targets(site, azimuths, ranges)
    vehicle = F.get_vehicle(e["vehicle"])
    solve = "min-energy" if shape == "minimum-energy" else "loft"
    fo = F.aim(vehicle, *site, lat2, lon2, solve=solve)
    an = wt.flight_time(*site, lat2, lon2, missile=key, trajectory=shape, on_invalid="nan")
    ok = fo.status == 0
    # every minimum-energy shot exists; a lofted full burn may miss a short westward target
    assert ok.all() if shape == "minimum-energy" else ok.sum() >= len(ok) - 1, fo.reason[~ok]
    assert np.all(an.status[ok] == 0), an.reason[ok]
    rel = (an.flight_time_s[ok] - fo.flight_time_s[ok]) / fo.flight_time_s[ok]
    residual(f"range-dependent boost vs flyout ({shape}): flight time", float(np.max(np.abs(rel))), "rel")
    residual(f"range-dependent boost vs flyout ({shape}): flight time (s)",
             float(np.max(np.abs(an.flight_time_s[ok] - fo.flight_time_s[ok]))), "s")
    assert np.max(np.abs(rel)) < 0.02, list(zip(np.repeat(azimuths, 3)[ok], np.round(np.tile(ranges, 2)[ok]), np.round(rel, 4)))
    # the boost the analytic class reports is the vehicle's (burnout time within 2 %)
    tb_an = an.flight_time_s[ok] - an.free_flight_time_s[ok] - an.drag_delay_s[ok]
    np.testing.assert_allclose(tb_an, fo.burnout_time_s[ok], rtol=0.05)
