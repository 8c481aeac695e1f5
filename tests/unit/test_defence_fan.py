"""Fly-out fans against direct flyouts, and the interceptor vehicles against their catalog.

The fan is the earliest arrival time of an interceptor at (ground range, altitude) over flyouts
at kicks 0-85 deg, rasterised on a grid. Checks here fly the same vehicle at kicks the fan was
not built from and compare, at every sampled point of the track inside the envelope:

- no point of a real flyout is reached later in the fan than by that flyout (the fan is an
  earliest time) by more than half a cell's flight time;
- on the climbing branch the fan's time is that flyout's time within one cell's flight time
  (cell size / burnout speed), the resolution of the table;
- the vehicles reach the catalog's burnout speed and burn time.
Ground range here is computed from the track's geodetic coordinates with the numpy cross
product, independently of the kernel that builds the fan.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from warning_time import defence as D
from warning_time import flyout as F
from warning_time.constants import WGS84_A_M

KEYS = list(D.load_interceptors())
E2 = 6.69437999014e-3  # WGS84 first eccentricity squared (NIMA TR8350.2)


def _ecef(lat, lon, h):
    lat, lon = np.radians(lat), np.radians(lon)
    n = WGS84_A_M / np.sqrt(1 - E2 * np.sin(lat) ** 2)
    return np.stack([(n + h) * np.cos(lat) * np.cos(lon), (n + h) * np.cos(lat) * np.sin(lon),
                     (n * (1 - E2) + h) * np.sin(lat)], axis=-1)


def _track(vehicle, kick, *, rotation=False, az=90.0, lat=50.0, lon=20.0):
    g = F.track(vehicle, lat, lon, az, kick, step_s=2.0, rotation=rotation, t_max_s=900.0, max_steps=5000)
    c = np.array(g.geometry.iloc[0].coords)
    t = np.array(g.iloc[0]["time_s"])
    h_km = np.array(g.iloc[0]["altitude_km"])
    s = _ecef(lat, lon, 0.0)
    p = _ecef(c[:, 1], c[:, 0], c[:, 2])
    ang = np.arctan2(np.linalg.norm(np.cross(s, p), axis=1), p @ s)
    return t, ang * np.linalg.norm(s) / 1e3, h_km


def _envelope_mask(it, t, r_km, h_km):
    return ((h_km >= it.bands["min_intercept_altitude_km"].low) & (h_km <= it.bands["max_intercept_altitude_km"].high)
            & (r_km <= it.bands["max_range_km"].high) & (t > it.value("burn_time_s")))


@pytest.mark.parametrize("key", KEYS)
def test_fan_matches_direct_flyouts(key):
    it = D.get_interceptor(key)
    fn = D.fan(it)
    cell_s = fn.dr_m / it.value("burnout_speed_m_s")  # flight time across one cell
    n_climb = 0
    for kick in (3.3, 17.7, 31.1, 44.4):  # not among the fan's kicks (0.5-deg steps)
        t, r, h = _track(it.vehicle, kick)
        m = _envelope_mask(it, t, r, h)
        if not m.any():
            continue
        tf = fn.time_at(r[m], h[m])
        assert np.isfinite(tf).all(), f"{key}: fan has no time where a flyout passes (kick {kick})"
        assert np.all(tf <= t[m] + 0.5 * cell_s), f"{key}: fan later than a real flyout (kick {kick})"
        climb = m & (np.arange(t.size) <= np.argmax(h))
        tc = fn.time_at(r[climb], h[climb])
        assert np.all(np.abs(tc - t[climb]) <= cell_s), (key, kick, np.max(np.abs(tc - t[climb])), cell_s)
        n_climb += int(climb.sum())
    assert n_climb >= 10


def test_fan_is_unreachable_beyond_the_flyouts():
    fn = D.fan("thaad")
    # THAAD's flyout (2.8 km/s) cannot reach 10,000 km: outside the table or +inf
    assert np.isinf(fn.time_at(10000.0, 100.0))
    assert np.isinf(fn.time_at(-5.0, 100.0))


@pytest.mark.parametrize("key", KEYS)
def test_vehicle_reaches_catalog_burnout_speed_and_burn_time(key):
    it = D.get_interceptor(key)
    v = F.get_vehicle(it.vehicle)
    assert v.burn_time_s == pytest.approx(it.value("burn_time_s"), abs=1e-9)
    r = F.fly(v, 50.0, 20.0, 90.0, 45.0, rotation=False, t_max_s=it.value("burn_time_s") + 1.0)
    assert float(r.burnout_speed_m_s[0]) == pytest.approx(it.value("burnout_speed_m_s"), rel=0.01)
    b = it.bands["burnout_speed_m_s"]
    assert b.low <= float(r.burnout_speed_m_s[0]) <= b.high


def _bearing_deg(lat, lon, p):
    """Bearing (deg from north) of ECEF points p seen from (lat, lon): their projection on the
    local horizontal plane."""
    la, lo = np.radians(lat), np.radians(lon)
    north = np.array([-np.sin(la) * np.cos(lo), -np.sin(la) * np.sin(lo), np.cos(la)])
    east = np.array([-np.sin(lo), np.cos(lo), 0.0])
    d = p - _ecef(lat, lon, 0.0)
    return np.degrees(np.arctan2(d @ east, d @ north)) % 360.0


@pytest.mark.parametrize("key", ["sm3-ib", "sm3-iia", "arrow-3"])
def test_rotating_fan_matches_rotating_flyouts(key):
    """A site's fan is flown in the rotating frame toward 8 azimuths; flyouts at azimuths between
    them (10, 100, 280 deg; kicks 3.3-44.4 deg) arrive at the fan's time (looked up at each point's own
    bearing) within one cell's flight time plus 1 s for the interpolation between azimuths, and
    closer than the non-rotating fan gets (the Coriolis effect it leaves out)."""
    it = D.get_interceptor(key)
    fr = D.fan(it, site_lat_deg=50.0)
    f0 = D.fan(it)
    assert fr.time_s.shape[0] == D.FAN_AZIMUTHS
    cell_s = fr.dr_m / it.value("burnout_speed_m_s")
    worst_rot = worst_flat = 0.0
    for az in (10.0, 100.0, 280.0):
        for kick in (3.3, 17.7, 31.1, 44.4):
            g = F.track(it.vehicle, 50.0, 20.0, az, kick, step_s=2.0, rotation=True, t_max_s=900.0, max_steps=5000)
            c = np.array(g.geometry.iloc[0].coords)
            t = np.array(g.iloc[0]["time_s"])
            h = np.array(g.iloc[0]["altitude_km"])
            p = _ecef(c[:, 1], c[:, 0], c[:, 2])
            s = _ecef(50.0, 20.0, 0.0)
            r = np.arctan2(np.linalg.norm(np.cross(s, p), axis=1), p @ s) * np.linalg.norm(s) / 1e3
            m = _envelope_mask(it, t, r, h) & (np.arange(t.size) <= np.argmax(h))
            if not m.any():
                continue
            brg = _bearing_deg(50.0, 20.0, p[m])
            d_rot = fr.time_at(r[m], h[m], brg) - t[m]
            d_flat = f0.time_at(r[m], h[m]) - t[m]
            worst_rot = max(worst_rot, float(np.max(np.abs(d_rot))))
            worst_flat = max(worst_flat, float(np.max(np.abs(d_flat))))
    print(f"rotating fan vs rotating flyouts, {key}: worst {worst_rot:.2f} s (non-rotating fan {worst_flat:.2f} s, "
          f"cell {cell_s:.2f} s)")
    assert worst_rot <= cell_s + 1.0, (worst_rot, cell_s)
    assert worst_rot <= worst_flat
