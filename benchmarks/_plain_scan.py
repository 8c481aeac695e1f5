"""The warning kernel's radar scan as it was before the scan shortcuts (every radar computes
every 2-s position of the flight itself; no sample is skipped), kept only as the baseline of
benchmarks/bench_brief.py's kernel row. Not used by the package; tests/unit/test_radar_scan.py
checks the shortcut scan against its own plain scan, written independently.
"""
import math

import numpy as np

from warning_time.core._jit import pjit, prange
from warning_time.core.batch import store_pair
from warning_time.core.sensors_los import first_seen, object_at, plume_clear_time, radar_frames, radar_sees
from warning_time.core.timeline import pair_timeline, position_at
from warning_time.core.trajectory import ST_OK, unpack

NAN = math.nan


@pjit
def warning_many_plain(lat1, lon1, lat2, lon2, params, table, radars, tabs, ir, sig, dt_sample):
    """:func:`warning_time.core.sensors_los.warning_many` (same arguments, same output rows)
    with the plain radar scan: every radar computes every sample position itself."""
    (a, e2, f, omega, mu, mode, shape_value, high, t_boost, h_bo, d_bo, v_max, min_range,
     max_range, v_lo, v_step, g_lo, g_step) = unpack(params)
    n = lat1.shape[0]
    nr = radars.shape[0]
    ni = ir.shape[0]
    o_ir = 13
    o_rd = 13 + ni
    o_ob = 13 + ni + nr
    out = np.empty((13 + ni + 2 * nr, n))
    geo = radar_frames(radars, a, e2)
    rcs = np.empty(3)
    rcs[0] = sig[0]
    rcs[1] = sig[1]
    rcs[2] = sig[2]
    for i in prange(n):
        (r, st, et_b, eh_bo, p1x, p1y, p1z, bx, by, bz, b1x, b1y, b1z, v1x, v1y, v1z, tof, t_apo,
         tau_entry, delay) = pair_timeline(lat1[i], lon1[i], lat2[i], lon2[i], params, table)
        store_pair(out, i, r)
        for q in range(9, 13 + ni + 2 * nr):
            out[q, i] = NAN
        if st != ST_OK:
            continue
        t_imp = r[1]
        t_rel = min(et_b + sig[3], t_imp)
        out[9, i] = et_b + t_apo
        out[10, i] = et_b + tau_entry
        out[11, i] = et_b
        out[12, i] = t_rel
        # space infrared: the plume above the cloud tops, before burnout
        for j in range(ni):
            t_det = plume_clear_time(ir[j, 0], et_b, eh_bo, p1x, p1y, p1z, bx, by, bz, b1x, b1y, b1z,
                                     v1x, v1y, v1z, tof, tau_entry, delay, a, e2, omega, mu) + ir[j, 1]
            out[o_ir + j, i] = t_det if t_det < et_b else NAN
        ns = int(t_imp / dt_sample) + 2
        for j in range(nr):
            rad = radars[j]
            tab = tabs[j]
            rx = geo[j, 0]
            ry = geo[j, 1]
            rz = geo[j, 2]
            prev_t = 0.0
            found = NAN
            for q in range(ns):
                t = min(q * dt_sample, t_imp)
                # the object changes at burnout and at release (its range drops): look just
                # before each change too, so that a short window of the larger object is not missed
                for tc in (et_b, t_rel):
                    tb = tc * (1.0 - 1e-9)
                    if prev_t < tb < t:
                        x, y, z, h = position_at(tb, p1x, p1y, p1z, bx, by, bz, et_b, eh_bo, a, e2,
                                                 b1x, b1y, b1z, v1x, v1y, v1z, omega, mu, tau_entry, tof, delay)
                        if radar_sees(rx, ry, rz, geo[j, 3], geo[j, 4], geo[j, 5], geo[j, 6], geo[j, 7],
                                      geo[j, 8], geo[j, 9], geo[j, 10], rad, tab, x, y, z, h,
                                      rcs[object_at(tb, et_b, t_rel)]):
                            t = tb
                            break
                x, y, z, h = position_at(t, p1x, p1y, p1z, bx, by, bz, et_b, eh_bo, a, e2,
                                         b1x, b1y, b1z, v1x, v1y, v1z, omega, mu, tau_entry, tof, delay)
                if radar_sees(rx, ry, rz, geo[j, 3], geo[j, 4], geo[j, 5], geo[j, 6], geo[j, 7],
                              geo[j, 8], geo[j, 9], geo[j, 10], rad, tab, x, y, z, h,
                              rcs[object_at(t, et_b, t_rel)]):
                    if q == 0:
                        found = 0.0
                        break
                    found = first_seen(prev_t, t, geo, j, rad, tab, rcs, et_b, t_rel, eh_bo, p1x, p1y, p1z,
                                       bx, by, bz, b1x, b1y, b1z, v1x, v1y, v1z, tof, tau_entry, delay,
                                       a, e2, omega, mu)
                    break
                prev_t = t
                if t >= t_imp:
                    break
            out[o_rd + j, i] = found
            if found == found:
                out[o_ob + j, i] = object_at(found, et_b, t_rel)
    return out
