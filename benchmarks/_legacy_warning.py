"""The warning kernel as it was before the warning chain (issue 14), kept only as the baseline
of benchmarks/bench_geometry.py's warning-surface row: every radar all round, the 4/3 effective
Earth all the way up, one detection range for every object, no infrared. Not used by the package.
"""
import math

import numpy as np

from warning_time.core._jit import pjit, prange
from warning_time.core.batch import store_pair
from warning_time.core.geodesy import geodetic_to_ecef
from warning_time.core.sensors_los import elevation_and_slant
from warning_time.core.timeline import flight_timeline, position_at, quasi_stretch, timeline_mode
from warning_time.core.trajectory import MODE_QUASI_FLYOUT, P_H_ENTRY, ST_OK, pair_flight, unpack

NAN = math.nan


@pjit
def warning_many(lat1, lon1, lat2, lon2, params, table, radar_lat, radar_lon, radar_h, radar_mask,
                 radar_max, k_refr, dt_sample):
    """Flight and first radar detection per pair (angles in rad, SI units) for a packed parameter
    array (``trajectory.P_*``) and its drag-delay table; the flight's positions come from
    core/timeline.py.

    Returns a (12 + n_radar, n) array: rows 0-8 as pair_flight (status, flight time, ground
    range, apogee, burnout speed, free flight, impact speed, impact angle, drag delay), 9 time
    of apogee, 10 time of reentry (entry altitude, descending), 11 burnout time, then per radar
    the first detection time after launch (NaN when the radar never sees the flight)."""
    (a, e2, f, omega, mu, mode, shape_value, high, t_boost, h_bo, d_bo, v_max, min_range,
     max_range, v_lo, v_step, g_lo, g_step) = unpack(params)
    h_entry = params[P_H_ENTRY]
    n = lat1.shape[0]
    nr = radar_lat.shape[0]
    out = np.empty((12 + nr, n))
    rx = np.empty(nr)
    ry = np.empty(nr)
    rz = np.empty(nr)
    for j in range(nr):
        rx[j], ry[j], rz[j] = geodetic_to_ecef(radar_lat[j], radar_lon[j], radar_h[j], a, e2)
    for i in prange(n):
        r = pair_flight(lat1[i], lon1[i], lat2[i], lon2[i], a, e2, f, omega, mu, mode, shape_value,
                        high, t_boost, h_bo, d_bo, v_max, min_range, max_range, table, v_lo, v_step,
                        g_lo, g_step, params)
        store_pair(out, i, r)
        for q in range(9, 12 + nr):
            out[q, i] = NAN
        if r[0] != ST_OK:
            continue
        tmode, tshape = timeline_mode(mode, shape_value, r[3], h_bo)
        (st, p1x, p1y, p1z, bx, by, bz, b1x, b1y, b1z, v1x, v1y, v1z, tof, t_apo,
         tau_entry) = flight_timeline(lat1[i], lon1[i], lat2[i], lon2[i], a, e2, omega, mu, tmode,
                                      tshape, high, h_bo, d_bo, h_entry, v_max)
        if st != ST_OK:
            continue
        delay = r[8]
        if mode == MODE_QUASI_FLYOUT:
            tau_entry, delay = quasi_stretch(r[1], t_boost, tof, t_apo)
        out[9, i] = t_boost + t_apo
        out[10, i] = t_boost + tau_entry
        out[11, i] = t_boost
        t_imp = r[1]
        ns = int(t_imp / dt_sample) + 2
        for j in range(nr):
            prev_t = 0.0
            found = NAN
            for q in range(ns):
                t = min(q * dt_sample, t_imp)
                x, y, z, h = position_at(t, p1x, p1y, p1z, bx, by, bz, t_boost, h_bo, a, e2,
                                         b1x, b1y, b1z, v1x, v1y, v1z, omega, mu, tau_entry, tof, delay)
                el, sl = elevation_and_slant(rx[j], ry[j], rz[j], radar_h[j], x, y, z, max(h, 0.0), k_refr)
                if el >= radar_mask[j] and sl <= radar_max[j]:
                    if q == 0:
                        found = 0.0
                        break
                    lo = prev_t
                    hi = t
                    for _ in range(30):
                        mid = 0.5 * (lo + hi)
                        x, y, z, h = position_at(mid, p1x, p1y, p1z, bx, by, bz, t_boost, h_bo, a, e2,
                                                 b1x, b1y, b1z, v1x, v1y, v1z, omega, mu, tau_entry,
                                                 tof, delay)
                        el, sl = elevation_and_slant(rx[j], ry[j], rz[j], radar_h[j], x, y, z,
                                                     max(h, 0.0), k_refr)
                        if el >= radar_mask[j] and sl <= radar_max[j]:
                            hi = mid
                        else:
                            lo = mid
                        if hi - lo < 1e-3:
                            break
                    found = hi
                    break
                prev_t = t
                if t >= t_imp:
                    break
            out[12 + j, i] = found
    return out
