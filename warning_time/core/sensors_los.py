"""Ground-radar line of sight with standard refraction, and the flight's timeline.

Line of sight (4/3 effective Earth). Refraction is modelled the standard way by replacing the
Earth's radius R with k R (k = 4/3) and keeping heights and the ground arc: radar and target
then sit at radii kR + h_r and kR + h_t separated by the angle phi/k (phi the true central
angle), and the elevation of the target seen from the radar is
    sin(el) = ((kR + h_t) cos(phi/k) - (kR + h_r)) / slant,
    slant^2 = (kR + h_r)^2 + (kR + h_t)^2 - 2 (kR + h_r)(kR + h_t) cos(phi/k).
With el = 0 this gives the radar horizon d = sqrt(2 k R h_r) + sqrt(2 k R h_t) for small
heights (FS-1037C "radar line-of-sight equation"). A target is seen when el >= the radar's
elevation mask and the slant range is within its maximum range.

Timeline. Boost: the missile climbs and moves downrange along the launch-burnout great circle
as (t / t_b)^2 of the burnout altitude and downrange (a kinematic stand-in; the flyout issue
replaces it). Free flight: Kepler propagation of the burnout state with the f and g functions
(Bate, Mueller & White eqs. 4.5-?; position r = f r1 + g v1, f = 1 - a/r1 (1 - cos dE),
g = tau - sqrt(a^3/mu) (dE - sin dE)), rotated into the Earth-fixed frame. Below the entry
altitude the descent is stretched in time by the drag delay.
"""
import math

import numpy as np

from ._jit import jit, pjit, prange
from .geodesy import geodetic_to_ecef, rotate_toward, surface_radius
from .batch import store_pair
from .trajectory import burnout_state, solve_pair

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


@jit
def _elements(r1x, r1y, r1z, v1x, v1y, v1z, mu):
    """Conic quantities of the state (r1, v1): |r1|, 1/a, a, e cos E1, e sin E1, mean motion."""
    n1 = math.sqrt(r1x * r1x + r1y * r1y + r1z * r1z)
    vv = v1x * v1x + v1y * v1y + v1z * v1z
    inv_a = 2.0 / n1 - vv / mu
    a = 1.0 / inv_a
    eC1 = 1.0 - n1 * inv_a
    eS1 = (r1x * v1x + r1y * v1y + r1z * v1z) / math.sqrt(mu * a)
    return n1, inv_a, a, eC1, eS1, math.sqrt(mu * inv_a * inv_a * inv_a)


@jit
def _kepler_position(tau, r1x, r1y, r1z, v1x, v1y, v1z, mu):
    """Inertial position tau seconds after the state (r1, v1) on its ellipse (f and g)."""
    n1, inv_a, a, eC1, eS1, nmean = _elements(r1x, r1y, r1z, v1x, v1y, v1z, mu)
    dM = nmean * tau
    dE = dM
    for _ in range(50):
        # M(dE) = dE + eS1 (1 - cos dE) - eC1 sin dE
        g = dE + eS1 * (1.0 - math.cos(dE)) - eC1 * math.sin(dE) - dM
        gp = 1.0 + eS1 * math.sin(dE) - eC1 * math.cos(dE)
        step = g / gp
        dE -= step
        if abs(step) < 1e-13:
            break
    f = 1.0 - a / n1 * (1.0 - math.cos(dE))
    gg = tau - (dE - math.sin(dE)) / nmean
    return f * r1x + gg * v1x, f * r1y + gg * v1y, f * r1z + gg * v1z


@jit
def _vacuum_time_at_radius_descending(r_target, r1x, r1y, r1z, v1x, v1y, v1z, tof, mu):
    """Time after burnout when the descending conic passes radius r_target (or tof if never)."""
    n1, inv_a, a, eC1, eS1, nmean = _elements(r1x, r1y, r1z, v1x, v1y, v1z, mu)
    e = math.sqrt(eC1 * eC1 + eS1 * eS1)
    E1 = math.atan2(eS1, eC1)
    c = (1.0 - r_target * inv_a) / e if e > 0.0 else 2.0
    if c > 1.0 or c < -1.0:
        return tof
    Ed = 2.0 * math.pi - math.acos(c)  # descending branch (E in (pi, 2 pi))
    dE = Ed - E1
    while dE < 0.0:
        dE += 2.0 * math.pi
    t = (dE - e * math.sin(Ed) + eS1) / nmean
    if t > tof or t < 0.0:
        return tof
    return t


@jit
def _apogee_time(r1x, r1y, r1z, v1x, v1y, v1z, tof, mu):
    n1, inv_a, a, eC1, eS1, nmean = _elements(r1x, r1y, r1z, v1x, v1y, v1z, mu)
    E1 = math.atan2(eS1, eC1)
    dE = math.pi - E1
    if dE < 0.0:
        return 0.0  # burnout after apogee: the highest point is burnout
    t = (dE + eS1) / nmean  # e sin(pi) = 0
    return min(t, tof)


@jit
def position_at(t, p1x, p1y, p1z, bx, by, bz, t_b, h_bo, a_e, e2, r1x, r1y, r1z, v1x, v1y, v1z,
                omega, mu, tau_entry, tof, delay):
    """Earth-fixed position (m) and height over the ellipsoid (m) t seconds after launch."""
    if t < t_b:
        frac = (t / t_b) * (t / t_b)
        n1 = math.sqrt(p1x * p1x + p1y * p1y + p1z * p1z)
        ux = p1x / n1
        uy = p1y / n1
        uz = p1z / n1
        ang = frac * math.acos(max(-1.0, min(1.0, ux * bx + uy * by + uz * bz)))
        if ang > 0.0:
            dx, dy, dz = rotate_toward(ux, uy, uz, bx, by, bz, ang)
        else:
            dx, dy, dz = ux, uy, uz
        h = frac * h_bo
        rs = surface_radius(dx, dy, dz, a_e, e2)
        return (rs + h) * dx, (rs + h) * dy, (rs + h) * dz, h
    tau = t - t_b
    if tau > tau_entry and delay > 0.0:
        seg = tof - tau_entry
        tau = tau_entry + (tau - tau_entry) * seg / (seg + delay)
    if tau > tof:
        tau = tof
    ix, iy, iz = _kepler_position(tau, r1x, r1y, r1z, v1x, v1y, v1z, mu)
    c = math.cos(-omega * tau)
    s = math.sin(-omega * tau)
    x = c * ix - s * iy
    y = s * ix + c * iy
    nn = math.sqrt(x * x + y * y + iz * iz)
    h = nn - surface_radius(x / nn, y / nn, iz / nn, a_e, e2)
    return x, y, iz, h


@pjit
def warning_many(lat1, lon1, lat2, lon2, a, e2, f, omega, mu, mode, shape_value, high, t_boost,
                 h_bo, d_bo, v_max, min_range, max_range, table, v_lo, v_step, g_lo, g_step,
                 h_entry, radar_lat, radar_lon, radar_h, radar_mask, radar_max, k_refr, dt_sample):
    """Flight and first radar detection per pair (angles in rad, SI units).

    Returns a (12 + n_radar, n) array: rows 0-8 as solve_pair (status, flight time, ground
    range, apogee, burnout speed, free flight, impact speed, impact angle, drag delay), 9 time
    of apogee, 10 time of reentry (entry altitude, descending), 11 burnout time, then per radar
    the first detection time after launch (NaN when the radar never sees the flight)."""
    n = lat1.shape[0]
    nr = radar_lat.shape[0]
    out = np.empty((12 + nr, n))
    rx = np.empty(nr)
    ry = np.empty(nr)
    rz = np.empty(nr)
    for j in range(nr):
        rx[j], ry[j], rz[j] = geodetic_to_ecef(radar_lat[j], radar_lon[j], radar_h[j], a, e2)
    for i in prange(n):
        r = solve_pair(lat1[i], lon1[i], lat2[i], lon2[i], a, e2, f, omega, mu, mode, shape_value,
                       high, t_boost, h_bo, d_bo, v_max, min_range, max_range, table, v_lo, v_step,
                       g_lo, g_step)
        store_pair(out, i, r)
        for q in range(9, 12 + nr):
            out[q, i] = NAN
        if r[0] != 0:
            continue
        st, b1x, b1y, b1z, vrx, vry, vrz, tof = burnout_state(lat1[i], lon1[i], lat2[i], lon2[i], a,
                                                             e2, omega, mu, mode, shape_value, high,
                                                             h_bo, d_bo)
        if st != 0:
            continue
        v1x = vrx - omega * b1y
        v1y = vry + omega * b1x
        v1z = vrz
        p1x, p1y, p1z = geodetic_to_ecef(lat1[i], lon1[i], 0.0, a, e2)
        p2x, p2y, p2z = geodetic_to_ecef(lat2[i], lon2[i], 0.0, a, e2)
        nb = math.sqrt(b1x * b1x + b1y * b1y + b1z * b1z)
        bx = b1x / nb
        by = b1y / nb
        bz = b1z / nb
        n2 = math.sqrt(p2x * p2x + p2y * p2y + p2z * p2z)
        delay = r[8]
        t_apo = _apogee_time(b1x, b1y, b1z, v1x, v1y, v1z, tof, mu)
        tau_entry = _vacuum_time_at_radius_descending(n2 + h_entry, b1x, b1y, b1z, v1x, v1y, v1z, tof, mu)
        if tau_entry < t_apo:
            tau_entry = t_apo  # apogee below the entry altitude: drag acts from apogee on
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


@jit
def track(lat1, lon1, lat2, lon2, a, e2, f, omega, mu, mode, shape_value, high, t_boost, h_bo, d_bo,
          v_max, min_range, max_range, table, v_lo, v_step, g_lo, g_step, h_entry, n_samples):
    """Sampled flight of one pair: (status, times (s), ECEF x, y, z (m), height (m)) at
    n_samples instants from launch to impact."""
    ts = np.full(n_samples, NAN)
    xs = np.full(n_samples, NAN)
    ys = np.full(n_samples, NAN)
    zs = np.full(n_samples, NAN)
    hs = np.full(n_samples, NAN)
    r = solve_pair(lat1, lon1, lat2, lon2, a, e2, f, omega, mu, mode, shape_value, high, t_boost,
                   h_bo, d_bo, v_max, min_range, max_range, table, v_lo, v_step, g_lo, g_step)
    if r[0] != 0:
        return r[0], ts, xs, ys, zs, hs
    st, b1x, b1y, b1z, vrx, vry, vrz, tof = burnout_state(lat1, lon1, lat2, lon2, a, e2, omega, mu,
                                                         mode, shape_value, high, h_bo, d_bo)
    v1x = vrx - omega * b1y
    v1y = vry + omega * b1x
    v1z = vrz
    p1x, p1y, p1z = geodetic_to_ecef(lat1, lon1, 0.0, a, e2)
    p2x, p2y, p2z = geodetic_to_ecef(lat2, lon2, 0.0, a, e2)
    nb = math.sqrt(b1x * b1x + b1y * b1y + b1z * b1z)
    n2 = math.sqrt(p2x * p2x + p2y * p2y + p2z * p2z)
    t_apo = _apogee_time(b1x, b1y, b1z, v1x, v1y, v1z, tof, mu)
    tau_entry = _vacuum_time_at_radius_descending(n2 + h_entry, b1x, b1y, b1z, v1x, v1y, v1z, tof, mu)
    if tau_entry < t_apo:
        tau_entry = t_apo
    for q in range(n_samples):
        t = r[1] * q / (n_samples - 1)
        x, y, z, h = position_at(t, p1x, p1y, p1z, b1x / nb, b1y / nb, b1z / nb, t_boost, h_bo, a, e2,
                                 b1x, b1y, b1z, v1x, v1y, v1z, omega, mu, tau_entry, tof, r[8])
        ts[q] = t
        xs[q] = x
        ys[q] = y
        zs[q] = z
        hs[q] = h
    return 0, ts, xs, ys, zs, hs
