"""The flyout's integrator in vacuum against the analytic conic and the core's rotating solution.

Thrust off after an instantaneous burnout: the burnout state (position and velocity relative to
the Earth) that warning_time's analytic core solves for a target is handed to the flyout's
unpowered integrator (``warning_time.flyout.coast``) with no atmosphere and no J2. The flyout
must land within 100 m of the target and reproduce the free-flight time to 0.1 s.

Expected values, never from the flyout itself:
- non-rotating sphere: the minimum-energy time from Bate, Mueller & White eqs. 6.2-20, 6.2-11,
  6.2-3, 6.2-21 and 6.2-22, written out in ``independent.py`` (``kepler_min_energy_time``);
- rotating WGS84 Earth: the package's analytic core (``flight_time`` free-flight time and the
  target coordinates), itself held against an independent scipy integration in
  ``test_rotating.py``.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import warning_time as wt
from warning_time import flyout as F
from warning_time.core import trajectory as tr

from independent import MU, OMEGA, R_SPHERE, ecef, kepler_min_energy_time, sphere_direct

A_WGS84 = 6378137.0
E2_WGS84 = (1 / 298.257223563) * (2 - 1 / 298.257223563)
VACUUM = dict(atmosphere=False, j2=False)


def burnout(lat1, lon1, lat2, lon2, a, e2, omega, mode=tr.MODE_MIN_ENERGY, value=0.0, high=False,
            h_bo=0.0, d_bo=0.0):
    out = tr.burnout_state(*np.radians([lat1, lon1, lat2, lon2]), a, e2, omega, MU, mode, value, high,
                           h_bo, d_bo)
    assert out[0] == 0
    return np.array(out[1:4]), np.array(out[4:7]), out[7]


@pytest.mark.parametrize("range_km", [100.0, 300.0, 1000.0, 2500.0, 5500.0, 11000.0])
def test_vacuum_sphere_min_energy_matches_bmw(range_km, residual):
    lat1, lon1 = 10.0, 20.0
    lat2, lon2 = sphere_direct(lat1, lon1, 60.0, range_km * 1e3)
    r0, v0, tof = burnout(lat1, lon1, lat2, lon2, R_SPHERE, 0.0, 0.0)
    res = F.coast(r0, v0, earth="sphere", rotation=False, **VACUUM)
    assert res.status[0] == 0, res.reason[0]
    t_bmw = kepler_min_energy_time(range_km * 1e3)
    miss = float(np.linalg.norm(res["impact_position_m"][0] - ecef(lat2, lon2, 0.0, a=R_SPHERE, f=0.0)))
    residual("flyout vacuum sphere: time vs BMW min-energy", res.flight_time_s[0] - t_bmw, "s")
    residual("flyout vacuum sphere: impact miss", miss, "m")
    assert abs(res.flight_time_s[0] - t_bmw) < 0.1
    assert miss < 100.0


PAIRS = [((53.30, 28.64), (52.23, 21.01)), ((52.23, 21.01), (53.30, 28.64)), ((48.58, 45.72), (51.51, -0.13)),
         ((48.86, 2.35), (48.58, 45.72)), ((53.70, 31.71), (54.69, 25.28)), ((41.90, 12.50), (54.69, 25.28))]


@pytest.mark.parametrize("launch, target", PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
@pytest.mark.parametrize("shape", ["min-energy", "apogee-500km", "burnout-boost"])
def test_vacuum_rotating_wgs84_matches_core(launch, target, shape, residual):
    """With rotation on, the flyout integrates the core's rotating-Earth burnout state in the
    Earth-fixed frame (Coriolis and centrifugal terms) and must hit the target at the core's time."""
    kw = {}
    mode, value, h_bo, d_bo = tr.MODE_MIN_ENERGY, 0.0, 0.0, 0.0
    if shape == "apogee-500km":
        mode, value = tr.MODE_APOGEE, 500e3
        kw = dict(trajectory="apogee", apogee_km=500.0)
    elif shape == "burnout-boost":
        h_bo, d_bo = 100e3, 120e3  # a boosted burnout point above and downrange of the launch site
    r0, v0, tof = burnout(*launch, *target, A_WGS84, E2_WGS84, OMEGA, mode, value, False, h_bo, d_bo)
    if shape != "burnout-boost":
        core = wt.flight_time(*launch, *target, missile="ideal", rotation=True, **kw)
        assert core.status == 0
        assert tof == pytest.approx(float(core.free_flight_time_s), abs=1e-6)
    res = F.coast(r0, v0, earth="wgs84", rotation=True, **VACUUM)
    assert res.status[0] == 0, res.reason[0]
    miss = float(np.linalg.norm(res["impact_position_m"][0] - ecef(*target)))
    residual("flyout vacuum rotating wgs84: time vs core", res.flight_time_s[0] - tof, "s")
    residual("flyout vacuum rotating wgs84: impact miss vs target", miss, "m")
    assert abs(res.flight_time_s[0] - tof) < 0.1
    assert miss < 100.0


def test_vacuum_apogee_and_reentry_events(residual):
    """Apogee event against the conic's apogee (core) and apogee time (half the flight of the
    symmetric conic); the descending 100 km crossing lies between apogee and impact."""
    launch, target = (0.0, 0.0), (0.0, math.degrees(3000e3 / R_SPHERE))
    r0, v0, tof = burnout(*launch, *target, R_SPHERE, 0.0, 0.0)
    core = wt.flight_time(*launch, *target, missile="ideal", earth="sphere", rotation=False)
    res = F.coast(r0, v0, earth="sphere", rotation=False, **VACUUM)
    residual("flyout vacuum: apogee altitude vs core", res.apogee_km[0] - core.apogee_km, "km")
    assert res.apogee_km[0] == pytest.approx(float(core.apogee_km), abs=1e-3)
    assert res.apogee_time_s[0] == pytest.approx(tof / 2, abs=1e-3)
    t_re = res.reentry_time_s[0]
    assert tof / 2 < t_re < tof


def test_batch_coast_equals_single():
    launch, target = PAIRS[0]
    r0, v0, _ = burnout(*launch, *target, A_WGS84, E2_WGS84, OMEGA)
    one = F.coast(r0, v0, **VACUUM)
    many = F.coast(np.repeat(r0[None], 5, 0), np.repeat(v0[None], 5, 0), **VACUUM)
    assert np.all(many.flight_time_s == one.flight_time_s[0])
