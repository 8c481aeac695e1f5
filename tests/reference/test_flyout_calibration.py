"""The analytic core with flyout-calibrated parameters against fresh flyouts.

For every vehicle in vehicles.toml that names a ``catalog_class``, scripts/calibrate.py fitted
that class's boost parameters (burn time, burnout altitude and downrange) and reach from
minimum-energy flyouts at 50 N 30 E. Here the class's analytic minimum-energy flight time
(``warning_time.flight_time``, WGS84, rotating Earth) must agree within 3 % with minimum-energy
flyouts (``warning_time.flyout.aim``: least burn, full physics: rotation, J2, US76, drag) on a
grid of ranges across the class's band (1.05 x min .. 0.95 x max range) and azimuths, from two
launch sites not used in the fit. The flyout is the reference; nothing here comes from the
analytic core's own output.
"""
from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod

import warning_time as wt
from warning_time import flyout as F
from warning_time.missiles import load_missiles
from warning_time.model import boost_tables

SITES = [(53.30, 28.64), (35.0, 40.0)]
AZIMUTHS = [0.0, 60.0, 135.0, 200.0, 290.0]
N_RANGES = 5
#: the classes calibrated with a fixed boost (the range-dependent ones: test_boost_calibration.py)
VEHICLES = [v for v in F.load_vehicles().values() if v.catalog_class and v.catalog_class not in boost_tables()]


def test_every_vehicle_class_is_in_the_catalog():
    catalog = load_missiles()
    for v in VEHICLES:
        assert v.catalog_class in catalog, f"run scripts/calibrate.py --write for vehicle {v.key}"


@pytest.mark.parametrize("site", SITES, ids=[f"{s[0]}N{s[1]}E" for s in SITES])
@pytest.mark.parametrize("vehicle", VEHICLES, ids=[v.key for v in VEHICLES])
def test_calibrated_class_matches_flyouts(vehicle, site, residual):
    catalog = load_missiles()
    if vehicle.catalog_class not in catalog:
        pytest.fail(f"catalog class {vehicle.catalog_class!r} missing: run scripts/calibrate.py --write")
    m = catalog[vehicle.catalog_class]
    ranges = np.linspace(1.05 * m.min_range_km, 0.95 * m.max_range_km, N_RANGES)
    geod = Geod(ellps="WGS84")
    lat2, lon2 = [], []
    for r in ranges:
        for az in AZIMUTHS:
            lo, la, _ = geod.fwd(site[1], site[0], az, r * 1e3)
            lat2.append(la)
            lon2.append(lo)
    fo = F.aim(vehicle, *site, lat2, lon2, solve="min-energy")
    an = wt.flight_time(*site, np.array(lat2), np.array(lon2), missile=m.key, trajectory="minimum-energy")
    assert np.all(fo.status == 0), fo.reason
    assert np.all(an.status == 0), an.reason
    rel = (an.flight_time_s - fo.flight_time_s) / fo.flight_time_s
    residual("calibrated analytic vs min-energy flyout: flight time", float(np.max(np.abs(rel))), "rel")
    residual("calibrated analytic vs min-energy flyout: flight time (s)",
             float(np.max(np.abs(an.flight_time_s - fo.flight_time_s))), "s")
    assert np.max(np.abs(rel)) < 0.03
