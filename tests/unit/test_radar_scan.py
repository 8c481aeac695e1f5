"""The warning kernel's radar scan takes two shortcuts: one position per sample shared by every
radar, and samples skipped while a radar provably cannot see the flight (speed bound of
``sensors_los.scan_bounds``; windows of range, elevation, sector and mask). Neither may change
a result: every radar's first detection and the object it sees must equal, bit for bit, a plain
scan of every 2-s sample for every radar (written here in Python with the same position and
visibility primitives), over classes, trajectories, radar sectors, an airborne radar and
geometries where radars see early, late and never."""
from __future__ import annotations

import math

import numpy as np
import pytest

from warning_time.core import sensors_los as sl
from warning_time.core.geodesy import geodetic_to_ecef
from warning_time.core.timeline import pair_timeline, position_at
from warning_time.model import FlightModel
from warning_time.sensors import sensor_set, signature
from warning_time.core.trajectory import P_A, P_E2, P_MU, P_OMEGA

DT = 2.0


def _plain_scan(lat1, lon1, lat2, lon2, params, table, rad, tabs, sig):
    """First detection (s) and object code of each radar, sampling every DT s (and just before
    burnout and release), then bisecting to 1 ms: the scan without shortcuts."""
    a, e2 = params[P_A], params[P_E2]
    omega, mu = params[P_OMEGA], params[P_MU]
    (r, st, t_b, h_bo, p1x, p1y, p1z, bx, by, bz, b1x, b1y, b1z, v1x, v1y, v1z, tof, t_apo,
     tau_entry, delay) = pair_timeline(lat1, lon1, lat2, lon2, params, table)
    nr = rad.shape[0]
    if st != 0:
        return [math.nan] * nr, [math.nan] * nr
    t_imp = r[1]
    t_rel = min(t_b + sig[3], t_imp)
    rcs = sig[:3]

    def pos(t):
        return position_at(t, p1x, p1y, p1z, bx, by, bz, t_b, h_bo, a, e2, b1x, b1y, b1z, v1x, v1y, v1z,
                           omega, mu, tau_entry, tof, delay)

    def obj(t):
        return 0 if t < t_b else (1 if t < t_rel else 2)

    found, objs = [], []
    for j in range(nr):
        la, lo, hr = rad[j, sl.RC_LAT], rad[j, sl.RC_LON], rad[j, sl.RC_H]
        rx, ry, rz = geodetic_to_ecef(la, lo, hr, a, e2)
        g = (math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la), -math.sin(lo), math.cos(lo),
             -math.sin(la) * math.cos(lo), -math.sin(la) * math.sin(lo), math.cos(la))

        def sees(t, x, y, z, h):
            return sl.radar_sees(rx, ry, rz, *g, rad[j], tabs[j], x, y, z, h, rcs[obj(t)])

        prev, hit = 0.0, math.nan
        for q in range(int(t_imp / DT) + 2):
            t = min(q * DT, t_imp)
            for tc in (t_b, t_rel):
                tb = tc * (1.0 - 1e-9)
                if prev < tb < t and sees(tb, *pos(tb)):
                    t = tb
                    break
            if sees(t, *pos(t)):
                if q == 0:
                    hit = 0.0
                    break
                lo_, hi_ = prev, t
                for _ in range(40):
                    mid = 0.5 * (lo_ + hi_)
                    if sees(mid, *pos(mid)):
                        hi_ = mid
                    else:
                        lo_ = mid
                    if hi_ - lo_ < 1e-3:
                        break
                hit = hi_
                break
            prev = t
            if t >= t_imp:
                break
        found.append(hit)
        objs.append(float(obj(hit)) if hit == hit else math.nan)
    return found, objs


CASES = [("oreshnik", "minimum-energy"), ("oreshnik", "lofted"), ("oreshnik", "depressed"),
         ("iskander-m", "default"), ("generic-icbm", "minimum-energy")]


@pytest.mark.parametrize("missile,trajectory", CASES)
def test_shortcut_scan_equals_the_plain_scan(missile, trajectory):
    sens = sensor_set()  # every radar of the catalogue's default set
    # the scenario's airborne radar and a sectored one ride along (sector, elevation limit)
    names = list(dict.fromkeys(list(sens.ir_names) + list(sens.radar_names) + ["nato-awacs-poland"]))
    sens = sensor_set(names=names)
    model = FlightModel.resolve(missile, trajectory=trajectory, earth="wgs84", rotation=True)
    rad, tabs = sens.radar_matrix(float(model.params[P_A]), float(model.params[P_E2]))
    sig = signature(model.missile.key, "nominal")
    rng = np.random.default_rng(7)
    n = 40
    # launches in Belarus and, every other pair, in the Kaliningrad region (close to Redzikowo)
    kal = np.arange(n) % 2 == 1
    lat1 = np.where(kal, rng.uniform(54.3, 55.1, n), rng.uniform(51.5, 55.5, n))
    lon1 = np.where(kal, rng.uniform(20.0, 22.5, n), rng.uniform(24.0, 31.0, n))
    # targets from next door (short flights, every class reaches some) to Western Europe and the Atlantic
    near = np.arange(n) < n // 2
    lat2 = np.where(near, lat1 + rng.uniform(-3.5, 3.5, n), rng.uniform(38.0, 64.0, n))
    lon2 = np.where(near, lon1 + rng.uniform(-6.0, 6.0, n), rng.uniform(-12.0, 32.0, n))
    L = [np.radians(v) for v in (lat1, lon1, lat2, lon2)]
    ni = len(sens.ir_names)
    ir = np.column_stack([sens.ir_cloud_m, sens.ir_revisit_s])
    out = sl.warning_many(*L, model.params, model.table, rad, tabs, ir, sig, DT)
    nr = rad.shape[0]
    det, ob = out[13 + ni:13 + ni + nr], out[13 + ni + nr:]
    seen = 0
    for i in range(n):
        f, o = _plain_scan(L[0][i], L[1][i], L[2][i], L[3][i], model.params, model.table, rad, tabs, sig)
        np.testing.assert_array_equal(det[:, i], np.array(f), err_msg=f"pair {i}")
        np.testing.assert_array_equal(ob[:, i], np.array(o), err_msg=f"pair {i}")
        seen += int(np.isfinite(f).sum())
    # the comparison covers radars that see and radars that never do
    assert 0 < seen < n * nr


@pytest.mark.parametrize("missile,trajectory", CASES)
def test_scan_bounds_hold_along_the_flight(missile, trajectory):
    """The bounds the shortcut relies on, checked on the flight itself every 0.05 s: speed of the
    Earth-fixed point (finite differences) <= V, height <= h_max, geocentric distance >= r_min."""
    model = FlightModel.resolve(missile, trajectory=trajectory, earth="wgs84", rotation=True)
    p = model.params
    a, e2, omega, mu = p[P_A], p[P_E2], p[P_OMEGA], p[P_MU]
    rng = np.random.default_rng(11)
    checked = 0
    for k in range(16):
        la1, lo1 = rng.uniform(51.5, 55.5), rng.uniform(24.0, 31.0)
        far = 1.0 if k % 2 else 0.15  # every other target within the SRBM's reach
        la2, lo2 = la1 + far * rng.uniform(-20.0, 20.0), lo1 + far * rng.uniform(-25.0, 25.0)
        (r, st, t_b, h_bo, *rest) = pair_timeline(*np.radians([la1, lo1, la2, lo2]), p, model.table)
        if st != 0:
            continue
        p1x, p1y, p1z, bx, by, bz, b1x, b1y, b1z, v1x, v1y, v1z, tof, t_apo, tau_entry, delay = rest
        args = (p1x, p1y, p1z, bx, by, bz, t_b, h_bo, a, e2, b1x, b1y, b1z, v1x, v1y, v1z, omega, mu, tau_entry,
                tof, delay)
        k_boost, v_free, h_max, r_min = sl.scan_bounds(*args)
        assert math.isfinite(v_free)
        ts = np.arange(0.0, r[1], 0.05)
        P = np.array([position_at(t, *args) for t in ts])
        step = np.linalg.norm(np.diff(P[:, :3], axis=0), axis=1)
        bound = np.array([sl.displacement(t, 0.05, t_b, k_boost, v_free) for t in ts[:-1]])
        boost = ts[1:] <= t_b  # the two phases meet at burnout; each is bounded on its own
        after = ts[:-1] >= t_b
        assert (step <= bound)[boost | after].all()
        # over longer spans too (the bound is not only local): 20 s steps in free flight
        k = np.searchsorted(ts, t_b) + 1
        if k + 400 < len(ts):
            span = np.linalg.norm(P[k + 400:, :3] - P[k:-400, :3], axis=1)
            assert (span <= sl.displacement(t_b + 1.0, 20.0, t_b, k_boost, v_free)).all()
        h = P[:, 3]
        assert h.max() <= h_max
        # height changes by at most 1.01 x the displacement (mask_wait relies on it)
        assert (np.abs(np.diff(h)) <= 1.01 * step + 1e-6).all()
        assert np.linalg.norm(P[:, :3], axis=1).min() >= r_min
        checked += 1
    assert checked >= 6
