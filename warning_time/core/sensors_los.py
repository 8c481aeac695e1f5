"""Sensor geometry and the first detection of a ballistic flight by each sensor.

Ground radars (:func:`radar_sees`). A radar sees an object when all of these hold:

* line of sight above the elevation mask, with refraction. The atmosphere's refractivity falls
  off exponentially with height (ITU-R P.453 reference atmosphere, N(h) = N0 exp(-h / h0)), and
  a ray in a spherically stratified atmosphere keeps Bouguer's invariant n r cos(el) = c
  (Born & Wolf, Principles of Optics, sec. 3.2.1). The ray leaving the radar at the mask
  elevation reaches height h at the central angle
      Phi_mask(h) = int_{r0}^{R+h} c dr / (r sqrt(n(r)^2 r^2 - c^2)),
  and every target at height h with a central angle phi <= Phi_mask(h) is above the mask (the
  rays of higher elevations reach h sooner; with no ducting, dN/dh > -157 /km, no ray turns
  back down). ``Phi_mask`` is tabulated per radar up to ``h_top`` (warning_time/sensors.py) and
  continued as a straight line above it (n = 1: r cos(el) = c). Target and radar sit on the
  local sphere of radius R, the radar's geocentric distance less its height.
* inside its sector: azimuth within ``half_width`` of the boresight, geometric elevation at most
  ``elevation_max`` (local geodetic up, straight line);
* within its detection range for the object in view: R_det = R_ref (sigma / sigma_ref)^(1/4)
  (radar equation: received power ~ sigma / R^4, Skolnik, Introduction to Radar Systems, 3rd
  ed., eq. 2.1), with sigma the cross-section of the booster (before burnout), of the
  post-boost vehicle (burnout to release) or of the re-entry vehicle (after release).

Space infrared (:func:`cloud_clear_time`): the plume is seen only while the engine burns, once
it is above the cloud tops (on the flight's own timeline) plus the sensor's revisit time.

The 4/3 effective Earth (:func:`elevation_and_slant` with k = 4/3) is kept for targets in the
troposphere (the cruise model's radar horizon); it is wrong for targets above it (it bends the
ray all the way up), which is why ballistic flights use the refractivity profile.
"""
import math

import numpy as np

from ._jit import jit, pjit, prange
from .batch import store_pair
from .geodesy import central_angle, geodetic_to_ecef
from .timeline import pair_timeline, position_at
from .trajectory import ST_OK, unpack

NAN = math.nan

# columns of the radar matrix (one row per radar), built by warning_time/sensors.py
RC_LAT = 0          # geodetic latitude (rad)
RC_LON = 1          # longitude (rad)
RC_H = 2            # height over the ellipsoid (m)
RC_AZ = 3           # boresight azimuth (rad, from north, clockwise)
RC_HALF = 4         # azimuth half-width of the sector (rad; >= pi: all round)
RC_EL_MAX = 5       # maximum geometric elevation (rad)
RC_RANGE = 6        # detection range against the reference cross-section (m)
RC_RCS_REF = 7      # reference cross-section (m^2)
RC_C = 8            # Bouguer invariant of the mask ray, n0 r0 cos(mask) (m)
RC_R = 9            # local sphere radius R below the radar (m)
RC_DH = 10          # spacing of the Phi_mask table (m), from the radar's height up
RC_PHI_TOP = 11     # Phi_mask at the top of the table (rad)
RC_R_TOP = 12       # radius of the top of the table (m)
N_RC = 13

# cross-section vector: booster, post-boost vehicle, re-entry vehicle (m^2), post-boost time (s)
OBJ_BOOSTER = 0
OBJ_POST_BOOST = 1
OBJ_RV = 2


@jit
def elevation_and_slant(rx, ry, rz, h_r, px, py, pz, h_t, k):
    """Elevation (rad) and slant range (m) of a target at ECEF (px, py, pz) with height h_t seen
    from a radar at ECEF (rx, ry, rz) with height h_r, on a k-times-larger effective Earth
    (k = 1: the straight geometric line; k = 4/3: standard refraction in the troposphere).
    Radar and target sit at radii A = kR + h_r and B = kR + h_t separated by phi / k
    (phi the true central angle): sin(el) = (B cos(phi/k) - A) / slant."""
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
    return math.atan2(B * math.cos(pe) - A, B * math.sin(pe)), slant


@jit
def phi_mask(h_t, rad, tab):
    """Central angle (rad) at which the radar's mask ray reaches height h_t (table row ``tab``
    of the radar ``rad``); -1 below the radar (a ray above the mask never goes down)."""
    h_r = rad[RC_H]
    if h_t < h_r:
        return -1.0
    r = rad[RC_R] + h_t
    if r >= rad[RC_R_TOP]:
        c = rad[RC_C]
        return rad[RC_PHI_TOP] + math.acos(min(1.0, c / r)) - math.acos(min(1.0, c / rad[RC_R_TOP]))
    x = (h_t - h_r) / rad[RC_DH]
    i = int(x)
    n = tab.shape[0]
    if i >= n - 1:
        return tab[n - 1]
    w = x - i
    return tab[i] * (1.0 - w) + tab[i + 1] * w


@jit
def radar_sees(rx, ry, rz, ux, uy, uz, ex, ey, nx, ny, nz, rad, tab, px, py, pz, h_t, rcs):
    """True when the radar (ECEF rx, ry, rz; local up u, east e, north n) sees an object of
    cross-section rcs (m^2) at ECEF (px, py, pz), height h_t: refracted line of sight above the
    mask, inside the sector, within the detection range for that cross-section."""
    dx = px - rx
    dy = py - ry
    dz = pz - rz
    slant = math.sqrt(dx * dx + dy * dy + dz * dz)
    if slant == 0.0:
        return True
    if slant > rad[RC_RANGE] * math.sqrt(math.sqrt(rcs / rad[RC_RCS_REF])):
        return False
    up = (dx * ux + dy * uy + dz * uz) / slant
    if up > math.sin(rad[RC_EL_MAX]):
        return False
    if rad[RC_HALF] < math.pi:
        if abs(sector_offset(dx * ex + dy * ey, dx * nx + dy * ny + dz * nz, rad[RC_AZ])) > rad[RC_HALF]:
            return False
    return central_angle(rx, ry, rz, px, py, pz) <= phi_mask(max(h_t, 0.0), rad, tab)


@jit
def sector_offset(east, north, boresight):
    """Azimuth of a line of sight with these east and north parts, less the boresight azimuth,
    wrapped to [-pi, pi) (rad)."""
    off = math.atan2(east, north) - boresight
    return off - 2.0 * math.pi * math.floor((off + math.pi) / (2.0 * math.pi))


@jit
def scan_bounds(p1x, p1y, p1z, bx, by, bz, t_b, h_bo, a_e, e2, r1x, r1y, r1z, v1x, v1y, v1z, omega, mu,
                tau_entry, tof, delay):
    """Bounds for skipping radar-scan samples that cannot be seen: (k_boost, v_free, h_max,
    r_min). The displacement of :func:`position_at`'s Earth-fixed point between t and t + s is
    at most :func:`displacement` (k_boost, v_free); h_max bounds its height over the ellipsoid
    and r_min its geocentric distance from below.

    Boost: the point turns from the launch direction toward the burnout direction by the angle
    frac * Theta, frac = (t / t_b)^2, at height frac * h_bo, on the surface radius (which changes
    by less than 2 a e2 per radian of direction): |dP/dt| <= frac'(t) k_boost with k_boost = h_bo +
    Theta (a + h_bo + 2 a e2), so the displacement from t to t + s (inside the boost) is at most
    k_boost ((t + s)^2 - t^2) / t_b^2. Free flight: |v| = sqrt(mu (2 / r - 1 / a)) (vis-viva) is
    largest at the least radius, at least the polar radius less 1 %; the Earth-fixed velocity
    adds omega |r| with |r| <= the conic's apocentre a (1 + e); the drag stretch of the descent
    multiplies the rate of the conic's time by at most max(1, seg / (seg + delay)). Both bounds
    carry a 5 % margin. Returns v_free = inf (no skipping) when a bound is not available
    (hyperbolic or degenerate arcs)."""
    inf = math.inf
    b_pol = a_e * math.sqrt(1.0 - e2)
    r_min = 0.99 * b_pol
    n1 = math.sqrt(r1x * r1x + r1y * r1y + r1z * r1z)
    vv = v1x * v1x + v1y * v1y + v1z * v1z
    inv_a = 2.0 / n1 - vv / mu
    if not (inv_a > 0.0) or not (t_b > 0.0):
        return inf, inf, inf, r_min
    sma = 1.0 / inv_a
    h_vec = math.sqrt((r1y * v1z - r1z * v1y) ** 2 + (r1z * v1x - r1x * v1z) ** 2 + (r1x * v1y - r1y * v1x) ** 2)
    ecc = math.sqrt(max(0.0, 1.0 - h_vec * h_vec * inv_a / mu))
    r_top = max(sma * (1.0 + ecc), a_e + h_bo, n1)
    stretch = 1.0
    if delay != 0.0:
        seg = tof - tau_entry
        if not (seg + delay > 0.0):
            return inf, inf, inf, r_min
        stretch = max(1.0, seg / (seg + delay))
    v_free = 1.05 * stretch * (math.sqrt(mu * (2.0 / r_min - inv_a)) + omega * r_top) + 1.0
    n0 = math.sqrt(p1x * p1x + p1y * p1y + p1z * p1z)
    cth = (p1x * bx + p1y * by + p1z * bz) / n0
    theta = math.acos(max(-1.0, min(1.0, cth)))
    k_boost = 1.05 * (h_bo + theta * (a_e + h_bo + 2.0 * a_e * e2)) + 1.0
    return k_boost, v_free, r_top - b_pol + 1.0, r_min


@jit
def displacement(t, s, t_b, k_boost, v_free):
    """Upper bound of the distance the point moves from t to t + s (t + s inside t's phase)."""
    if t < t_b:
        return k_boost * ((t + s) * (t + s) - t * t) / (t_b * t_b)
    return v_free * s


@jit
def time_to_move(t, dist, t_b, k_boost, v_free):
    """The least s with displacement(t, s) = dist (dist >= 0): no point can move dist sooner."""
    if t < t_b:
        return math.sqrt(t * t + dist * t_b * t_b / k_boost) - t
    return dist / v_free


@jit
def mask_wait(t, phi, h, n_p, t_b, k_boost, v_free, h_max, rad, env, dt):
    """A time (s; 0, or dt times a power of two) during which a point at central angle phi from
    the radar, height h and geocentric distance n_p stays below the radar's mask: after moving
    at most D = displacement(t, s), its angle is at least phi - asin(D / n_p) and its height at
    most h + 1.01 D (the height over the ellipsoid changes by at most the displacement plus
    the surface radius's change, < 1 %), capped at h_max; it is below the mask while that angle
    exceeds Phi_env(height), with Phi_env (:func:`phi_mask` on the running maximum ``env`` of
    the table) non-decreasing in height. Both sides are monotone in s, so the condition at s
    holds at every earlier time; s is doubled from dt while it holds."""
    s = dt
    for k in range(31):
        d = displacement(t, s, t_b, k_boost, v_free)
        if d >= n_p or not (phi - math.asin(d / n_p) > phi_mask(min(h + 1.01 * d, h_max), rad, env)):
            return 0.0 if k == 0 else 0.5 * s
        s = 2.0 * s
    return 0.5 * s


@jit
def object_at(t, t_b, t_rel):
    """Which object a radar sees t s after launch: booster, post-boost vehicle, re-entry vehicle."""
    if t < t_b:
        return OBJ_BOOSTER
    if t < t_rel:
        return OBJ_POST_BOOST
    return OBJ_RV


@jit
def plume_clear_time(cloud, t_b, h_bo, p1x, p1y, p1z, bx, by, bz, r1x, r1y, r1z, v1x, v1y, v1z, tof,
                     tau_entry, delay, a, e2, omega, mu):
    """When the boost plume first rises above the cloud tops at ``cloud`` (m): 0 for clear sky,
    NaN when it stays below them until burnout (or there is no boost), else the crossing found
    by bisection to 1e-6 s (timeline positions, core/timeline.py position_at)."""
    if not t_b > 0.0:
        return NAN
    if cloud <= 0.0:
        return 0.0
    x, y, z, h = position_at(t_b, p1x, p1y, p1z, bx, by, bz, t_b, h_bo, a, e2,
                             r1x, r1y, r1z, v1x, v1y, v1z, omega, mu, tau_entry, tof, delay)
    if not h > cloud:
        return NAN
    lo = 0.0
    hi = t_b
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        x, y, z, h = position_at(mid, p1x, p1y, p1z, bx, by, bz, t_b, h_bo, a, e2,
                                 r1x, r1y, r1z, v1x, v1y, v1z, omega, mu, tau_entry, tof, delay)
        if h >= cloud:
            hi = mid
        else:
            lo = mid
        if hi - lo < 1e-6:
            break
    return hi


@jit
def first_seen(lo, hi, geo, j, rad, tab, rcs, t_b, t_rel, h_bo, p1x, p1y, p1z, bx, by, bz, r1x, r1y, r1z,
               v1x, v1y, v1z, tof, tau_entry, delay, a, e2, omega, mu):
    """The first detection by radar j between a sample it misses (``lo``) and one it sees
    (``hi``): bisection to 1e-3 s on radar_sees along the timeline positions, each instant seen
    with the cross-section of the object flying then (``rcs`` indexed by object_at)."""
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        x, y, z, h = position_at(mid, p1x, p1y, p1z, bx, by, bz, t_b, h_bo, a, e2,
                                 r1x, r1y, r1z, v1x, v1y, v1z, omega, mu, tau_entry, tof, delay)
        if radar_sees(geo[j, 0], geo[j, 1], geo[j, 2], geo[j, 3], geo[j, 4], geo[j, 5], geo[j, 6], geo[j, 7],
                      geo[j, 8], geo[j, 9], geo[j, 10], rad, tab, x, y, z, h, rcs[object_at(mid, t_b, t_rel)]):
            hi = mid
        else:
            lo = mid
        if hi - lo < 1e-3:
            break
    return hi


@jit
def radar_frames(radars, a, e2):
    """Per radar (rows of the radar matrix): its ECEF position (m) and local frame, as the
    columns ECEF x, y, z, up (x, y, z), east (x, y), north (x, y, z) of an (n_radar, 11) array."""
    nr = radars.shape[0]
    geo = np.empty((nr, 11))
    for j in range(nr):
        la = radars[j, RC_LAT]
        lo = radars[j, RC_LON]
        geo[j, 0], geo[j, 1], geo[j, 2] = geodetic_to_ecef(la, lo, radars[j, RC_H], a, e2)
        geo[j, 3] = math.cos(la) * math.cos(lo)
        geo[j, 4] = math.cos(la) * math.sin(lo)
        geo[j, 5] = math.sin(la)
        geo[j, 6] = -math.sin(lo)
        geo[j, 7] = math.cos(lo)
        geo[j, 8] = -math.sin(la) * math.cos(lo)
        geo[j, 9] = -math.sin(la) * math.sin(lo)
        geo[j, 10] = math.cos(la)
    return geo


@pjit
def warning_many(lat1, lon1, lat2, lon2, params, table, radars, tabs, ir, sig, dt_sample):
    """Flight and first detection by each sensor per pair (angles in rad, SI units) for a packed
    parameter array (``trajectory.P_*``) and its drag-delay table; the flight's positions come
    from core/timeline.py.

    ``radars`` (n_radar, N_RC) and ``tabs`` (n_radar, n_tab): the radar matrix and Phi_mask
    tables; ``ir`` (n_ir, 2): cloud-top height (m) and revisit time (s) of each space-infrared
    sensor; ``sig``: cross-sections of booster, post-boost vehicle and re-entry vehicle (m^2) and
    the post-boost time after burnout (s).

    Returns a (13 + n_ir + 2 n_radar, n) array: rows 0-8 as pair_flight (status, flight time,
    ground range, apogee, burnout speed, free flight, impact speed, impact angle, drag delay), 9
    time of apogee, 10 time of reentry (entry altitude, descending), 11 burnout time, 12 re-entry
    vehicle release time, then per infrared sensor its first detection (NaN: the plume never
    clears the clouds before burnout), per radar its first detection (NaN: never) and the object
    it first sees (OBJ_*; NaN: never)."""
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
    rcs_max = max(sig[0], max(sig[1], sig[2]))
    env = np.empty_like(tabs)  # running maximum of each Phi_mask table (mask_wait)
    for j in range(nr):
        m = -math.inf
        for k in range(tabs.shape[1]):
            m = max(m, tabs[j, k])
            env[j, k] = m
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
        # positions are the same for every radar: each sample (and the two instants just before
        # burnout and release) is computed once per pair, on first use, and shared
        samp = np.empty((ns, 4))
        have = np.zeros(ns, np.bool_)
        chg = np.empty((2, 4))
        have_chg = np.zeros(2, np.bool_)
        # samples a radar provably cannot see are skipped: from a sample where a condition of
        # radar_sees fails, the time the point needs to move far enough to meet it (scan_bounds,
        # displacement) is a window in which every sample is invisible, so the result is the
        # same as scanning it (tests/unit/test_radar_scan.py)
        k_boost, v_free, h_max, r_min = scan_bounds(p1x, p1y, p1z, bx, by, bz, et_b, eh_bo, a, e2, b1x, b1y, b1z,
                                            v1x, v1y, v1z, omega, mu, tau_entry, tof, delay)
        for j in range(nr):
            rad = radars[j]
            tab = tabs[j]
            rx = geo[j, 0]
            ry = geo[j, 1]
            rz = geo[j, 2]
            r_det_max = rad[RC_RANGE] * math.sqrt(math.sqrt(rcs_max / rad[RC_RCS_REF]))
            prev_t = 0.0
            found = NAN
            q = -1
            while q < ns - 1:
                q += 1
                t = min(q * dt_sample, t_imp)
                # the object changes at burnout and at release (its range drops): look just
                # before each change too, so that a short window of the larger object is not missed
                c_hit = -1
                for c in range(2):
                    tb = (et_b if c == 0 else t_rel) * (1.0 - 1e-9)
                    if prev_t < tb < t:
                        if not have_chg[c]:
                            chg[c, 0], chg[c, 1], chg[c, 2], chg[c, 3] = position_at(
                                tb, p1x, p1y, p1z, bx, by, bz, et_b, eh_bo, a, e2, b1x, b1y, b1z, v1x, v1y, v1z,
                                omega, mu, tau_entry, tof, delay)
                            have_chg[c] = True
                        if radar_sees(rx, ry, rz, geo[j, 3], geo[j, 4], geo[j, 5], geo[j, 6], geo[j, 7],
                                      geo[j, 8], geo[j, 9], geo[j, 10], rad, tab, chg[c, 0], chg[c, 1], chg[c, 2],
                                      chg[c, 3], rcs[object_at(tb, et_b, t_rel)]):
                            t = tb
                            c_hit = c
                            break
                if c_hit >= 0:
                    x, y, z, h = chg[c_hit, 0], chg[c_hit, 1], chg[c_hit, 2], chg[c_hit, 3]
                else:
                    if not have[q]:
                        samp[q, 0], samp[q, 1], samp[q, 2], samp[q, 3] = position_at(
                            t, p1x, p1y, p1z, bx, by, bz, et_b, eh_bo, a, e2, b1x, b1y, b1z, v1x, v1y, v1z,
                            omega, mu, tau_entry, tof, delay)
                        have[q] = True
                    x, y, z, h = samp[q, 0], samp[q, 1], samp[q, 2], samp[q, 3]
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
                if c_hit < 0 and v_free < math.inf:
                    # the least time before the point could meet each condition of radar_sees
                    # that fails now (one failing condition is enough to be invisible)
                    dx = x - rx
                    dy = y - ry
                    dz = z - rz
                    slant = math.sqrt(dx * dx + dy * dy + dz * dz)
                    wait = 0.0
                    if slant > r_det_max:  # range: the slant falls at most by the displacement
                        wait = time_to_move(t, slant - r_det_max, et_b, k_boost, v_free)
                    if slant > 0.0:
                        # a displacement D turns the line of sight by at most asin(D / slant):
                        # elevation above the maximum, azimuth outside the sector (horizontal part)
                        up = (dx * geo[j, 3] + dy * geo[j, 4] + dz * geo[j, 5]) / slant
                        d_el = math.asin(max(-1.0, min(1.0, up))) - rad[RC_EL_MAX]
                        if d_el > 0.0:
                            wait = max(wait, time_to_move(t, slant * math.sin(min(d_el, 0.5 * math.pi)), et_b,
                                                          k_boost, v_free))
                        if rad[RC_HALF] < math.pi:
                            de = dx * geo[j, 6] + dy * geo[j, 7]
                            dn = dx * geo[j, 8] + dy * geo[j, 9] + dz * geo[j, 10]
                            d_az = abs(sector_offset(de, dn, rad[RC_AZ])) - rad[RC_HALF]
                            if d_az > 0.0:
                                wait = max(wait, time_to_move(t, math.sqrt(de * de + dn * dn)
                                                              * math.sin(min(d_az, 0.5 * math.pi)), et_b,
                                                              k_boost, v_free))
                    phi = central_angle(rx, ry, rz, x, y, z)
                    wait = max(wait, mask_wait(t, phi, h, math.sqrt(x * x + y * y + z * z), et_b, k_boost,
                                               v_free, h_max, rad, env[j], dt_sample))
                    if wait > dt_sample:
                        t_end = t + wait
                        if t < et_b:  # the bound of one phase holds up to its end
                            t_end = min(t_end, et_b)
                        qs = min(int(t_end / dt_sample), ns - 1)
                        if qs * dt_sample > t_end:
                            qs -= 1
                        if qs > q:
                            q = qs
                            prev_t = min(qs * dt_sample, t_imp)
                            if prev_t >= t_imp:
                                break
            out[o_rd + j, i] = found
            if found == found:
                out[o_ob + j, i] = object_at(found, et_b, t_rel)
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
    (r, st, t_boost, h_bo, p1x, p1y, p1z, bx, by, bz, b1x, b1y, b1z, v1x, v1y, v1z, tof, t_apo,
     tau_entry, delay) = pair_timeline(lat1, lon1, lat2, lon2, params, table)
    if r[0] != ST_OK:
        return r[0], ts, xs, ys, zs, hs
    if st != ST_OK:
        return st, ts, xs, ys, zs, hs
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
