"""Ground-radar line of sight with standard refraction, and the first detection of a flight.

Line of sight (4/3 effective Earth). Refraction is modelled the standard way by replacing the
Earth's radius R with k R (k = 4/3) and keeping heights and the ground arc: radar and target
then sit at radii kR + h_r and kR + h_t separated by the angle phi/k (phi the true central
angle), and the elevation of the target seen from the radar is
    sin(el) = ((kR + h_t) cos(phi/k) - (kR + h_r)) / slant,
    slant^2 = (kR + h_r)^2 + (kR + h_t)^2 - 2 (kR + h_r)(kR + h_t) cos(phi/k).
With el = 0 this gives the radar horizon d = sqrt(2 k R h_r) + sqrt(2 k R h_t) for small
heights (FS-1037C "radar line-of-sight equation"). A target is seen when el >= the radar's
elevation mask and the slant range is within its maximum range.
"""
import math

import numpy as np

from ._jit import jit, pjit, prange
from .batch import store_pair
from .geodesy import geodetic_to_ecef
from .timeline import flight_timeline, position_at, quasi_stretch, timeline_mode
from .trajectory import MODE_QUASI_FLYOUT, P_H_ENTRY, ST_OK, effective_shape, pair_flight, unpack

NAN = math.nan


@jit
def elevation_and_slant(rx, ry, rz, h_r, px, py, pz, h_t, k):
    """Elevation (rad) and slant range (m) of a target at ECEF (px, py, pz) with height h_t seen
    from a radar at ECEF (rx, ry, rz) with height h_r, on a k-times-larger effective Earth."""
    nr = math.sqrt(rx * rx + ry * ry + rz * rz)
    npp = math.sqrt(px * px + py * py + pz * pz)
    c = (rx * px + ry * py + rz * pz) / (nr * npp)
    cx = ry * pz - rz * py
    cy = rz * px - rx * pz
    cz = rx * py - ry * px
    phi = math.atan2(math.sqrt(cx * cx + cy * cy + cz * cz), c * nr * npp)
    R = nr - h_r  # local surface radius below the radar
    A = k * R + h_r
    B = k * R + h_t
    pe = phi / k
    # slant^2 = (B - A)^2 + 4 A B sin^2(pe / 2): no cancellation for nearly vertical lines of sight
    sh = math.sin(0.5 * pe)
    slant = math.sqrt((B - A) * (B - A) + 4.0 * A * B * sh * sh)
    if slant == 0.0:
        return 0.5 * math.pi, 0.0
    # elevation from its sine and cosine (law of cosines / sines), well conditioned everywhere:
    # sin(el) = (B cos pe - A) / slant, cos(el) = B sin pe / slant
    return math.atan2(B * math.cos(pe) - A, B * math.sin(pe)), slant


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
        emode, eshape, ehigh, et_b, eh_bo, ed_bo, ev_max, _ = effective_shape(
            params, r[2], mode, shape_value, high, t_boost, h_bo, d_bo, v_max)
        tmode, tshape = timeline_mode(emode, eshape, r[3], eh_bo)
        (st, p1x, p1y, p1z, bx, by, bz, b1x, b1y, b1z, v1x, v1y, v1z, tof, t_apo,
         tau_entry) = flight_timeline(lat1[i], lon1[i], lat2[i], lon2[i], a, e2, omega, mu, tmode,
                                      tshape, ehigh, eh_bo, ed_bo, h_entry, ev_max)
        if st != ST_OK:
            continue
        delay = r[8]
        if mode == MODE_QUASI_FLYOUT:
            tau_entry, delay = quasi_stretch(r[1], et_b, tof, t_apo)
        out[9, i] = et_b + t_apo
        out[10, i] = et_b + tau_entry
        out[11, i] = et_b
        t_imp = r[1]
        ns = int(t_imp / dt_sample) + 2
        for j in range(nr):
            prev_t = 0.0
            found = NAN
            for q in range(ns):
                t = min(q * dt_sample, t_imp)
                x, y, z, h = position_at(t, p1x, p1y, p1z, bx, by, bz, et_b, eh_bo, a, e2,
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
                        x, y, z, h = position_at(mid, p1x, p1y, p1z, bx, by, bz, et_b, eh_bo, a, e2,
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


@jit
def track(lat1, lon1, lat2, lon2, params, table, n_samples):
    """Sampled flight of one pair (angles in rad) for a packed parameter array and its
    drag-delay table: (status, times (s), ECEF x, y, z (m), height (m)) at n_samples instants
    from launch to impact."""
    (a, e2, f, omega, mu, mode, shape_value, high, t_boost, h_bo, d_bo, v_max, min_range,
     max_range, v_lo, v_step, g_lo, g_step) = unpack(params)
    ts = np.full(n_samples, NAN)
    xs = np.full(n_samples, NAN)
    ys = np.full(n_samples, NAN)
    zs = np.full(n_samples, NAN)
    hs = np.full(n_samples, NAN)
    r = pair_flight(lat1, lon1, lat2, lon2, a, e2, f, omega, mu, mode, shape_value, high, t_boost,
                    h_bo, d_bo, v_max, min_range, max_range, table, v_lo, v_step, g_lo, g_step, params)
    if r[0] != ST_OK:
        return r[0], ts, xs, ys, zs, hs
    mode, shape_value, high, t_boost, h_bo, d_bo, v_max, _ = effective_shape(
        params, r[2], mode, shape_value, high, t_boost, h_bo, d_bo, v_max)
    tmode, tshape = timeline_mode(mode, shape_value, r[3], h_bo)
    (st, p1x, p1y, p1z, bx, by, bz, b1x, b1y, b1z, v1x, v1y, v1z, tof, t_apo,
     tau_entry) = flight_timeline(lat1, lon1, lat2, lon2, a, e2, omega, mu, tmode, tshape, high,
                                  h_bo, d_bo, params[P_H_ENTRY], v_max)
    if st != ST_OK:
        return st, ts, xs, ys, zs, hs
    delay = r[8]
    if mode == MODE_QUASI_FLYOUT:
        tau_entry, delay = quasi_stretch(r[1], t_boost, tof, t_apo)
    for q in range(n_samples):
        t = r[1] * q / (n_samples - 1)
        x, y, z, h = position_at(t, p1x, p1y, p1z, bx, by, bz, t_boost, h_bo, a, e2,
                                 b1x, b1y, b1z, v1x, v1y, v1z, omega, mu, tau_entry, tof, delay)
        ts[q] = t
        xs[q] = x
        ys[q] = y
        zs[q] = z
        hs[q] = h
    return ST_OK, ts, xs, ys, zs, hs
