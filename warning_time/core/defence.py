"""Missile-defence kernels: interceptor fly-out fans and engagement windows (numba).

Fly-out fan. An interceptor launched at t = 0 from a site is flown (core/flyout.py) at a set
of kick angles (toward each of K azimuth sectors, in the rotating frame; or once, K = 1); each track gives its ground range R (central angle from the site times the
site's geocentric radius) and altitude H (geocentric-radial height over the ellipsoid, as
core/flyout.py ``altitude``) against time. The fan is the earliest arrival time T(R, H) over
all tracks on a regular (R, H) grid (and the interceptor's speed there): each quadrilateral
between two neighbouring kicks and two successive samples is split into two triangles whose
corner times are interpolated linearly (barycentric) onto the grid nodes inside them, keeping
the least time per node (:func:`fan_tables`). A node no track reaches holds +inf. The fan
is looked up bilinearly (:func:`fan_lookup`), and linearly in the threat's bearing from the
site between sectors (:func:`fan_lookup_az`); a cell with an unreachable corner is unreachable
(conservative by at most one cell).

Engagement window. For a threat flight (core/timeline.py ``position_at``) and a site whose
first interceptor can launch at t_L0 (cue + commit + launch delays, computed outside), an
intercept at threat time t is possible when the threat is inside the envelope (altitude in
[h_min, h_max], ground range from the site <= r_max) and an interceptor launched at or after
t_L0 arrives in time: g(t) = t - T(R(t), H(t)) >= t_L0, g the latest launch for an intercept
at t. The window is the set of such t: its measure, first and last instants (edges refined by
bisection to 1e-3 s). Shoot-look-shoot: shot k+1 launches no earlier than the kill assessment
time after shot k's intercept; shot opportunities count the shots that still meet the
threat. Closing speed at an intercept: v_i - v_t . u, v_i the interceptor's speed from the fan,
v_t the threat's velocity and u the unit vector from the site to the intercept point (the
interceptor is taken to fly along the line of sight at the end: an approximation); v_t . u > 0
is a tail chase, < 0 head-on.
"""
import math

import numpy as np

from ._jit import jit, pjit, prange
from .flyout import altitude
from .geodesy import geodetic_to_ecef, north_east
from .timeline import pair_timeline, position_at
from .trajectory import ST_OK, unpack

NAN = math.nan
INF = math.inf

# envelope array E
E_HMIN = 0        # lowest intercept altitude (m)
E_HMAX = 1        # highest intercept altitude (m)
E_RMAX = 2        # largest ground range from the site (m)
E_KA = 3          # kill assessment time (s) before the next shot may launch
E_VMAX = 4        # largest threat re-entry speed (m/s; inf: no limit)
E_GMIN = 5        # re-entry angle below the horizontal (rad): lowest
E_GMAX = 6        # ... highest
E_MAXSHOTS = 7    # most shots counted
E_DT = 8          # threat sampling step (s)
N_E = 9

# window codes
W_OK = 0            # a window exists
W_NONE = 1          # the flight never enters the envelope where an interceptor can meet it
W_THREAT = 2        # terminal tier: the threat's re-entry speed or angle is outside the envelope
W_FLIGHT = 3        # the threat flight itself failed (its status in O_FLIGHT)
W_NO_CUE = 4        # no sensor cues the site (t_L0 NaN)

# output columns
O_CODE = 0
O_FLIGHT = 1        # flight status (core/status.py)
O_T_IMPACT = 2
O_T_L0 = 3          # earliest interceptor launch (s after threat launch)
O_WINDOW = 4        # measure of the window (s)
O_FIRST = 5         # earliest intercept (s after threat launch)
O_LAST = 6          # latest intercept
O_H_FIRST = 7       # intercept altitude (m) and ground range from the site (m) at the first
O_R_FIRST = 8
O_H_LAST = 9
O_R_LAST = 10
O_CLOSE_FIRST = 11  # closing speed (m/s) at the first intercept
O_ALONG_FIRST = 12  # threat velocity along the line of sight (m/s; > 0 tail chase)
O_CLOSE_LAST = 13
O_ALONG_LAST = 14
O_SHOTS = 15        # shot opportunities (shoot-look-shoot)
O_V_ENTRY = 16      # threat re-entry speed (m/s) and angle below the horizontal (rad)
O_G_ENTRY = 17
O_LAST_LAUNCH = 18  # latest interceptor launch that still meets the threat
N_O = 19

# timeline array L of one flight (position_at's arguments)
L_P1 = 0      # 0-2 launch point
L_B = 3       # 3-5 unit burnout direction
L_TB = 6
L_HBO = 7
L_A = 8
L_E2 = 9
L_R1 = 10     # 10-12 burnout position
L_V1 = 13     # 13-15 inertial burnout velocity
L_OMEGA = 16
L_MU = 17
L_TAU_ENTRY = 18
L_TOF = 19
L_DELAY = 20
L_T_IMPACT = 21
N_L = 22


# ------------------------------------------------------------------------------------------
# fan
# ------------------------------------------------------------------------------------------

@jit
def track_range_height(rec, n, lat, lon, a, e2, out):
    """Ground range (m, central angle from the launch point times its geocentric radius),
    altitude (m) and speed (m/s) of the first n rows of a flyout track rec (t, x, y, z, vx, vy,
    vz, m) into out (n, 4): (t, R, H, speed)."""
    sx, sy, sz = geodetic_to_ecef(lat, lon, 0.0, a, e2)
    ns = math.sqrt(sx * sx + sy * sy + sz * sz)
    for i in range(n):
        x = rec[i, 1]
        y = rec[i, 2]
        z = rec[i, 3]
        cx = sy * z - sz * y
        cy = sz * x - sx * z
        cz = sx * y - sy * x
        ang = math.atan2(math.sqrt(cx * cx + cy * cy + cz * cz), sx * x + sy * y + sz * z)
        out[i, 0] = rec[i, 0]
        out[i, 1] = ang * ns
        out[i, 2] = altitude(x, y, z, a, e2)
        out[i, 3] = math.sqrt(rec[i, 4] ** 2 + rec[i, 5] ** 2 + rec[i, 6] ** 2)


@jit
def _raster_tri(T, V, dr, dh, r1, h1, t1, v1, r2, h2, t2, v2, r3, h3, t3, v3):
    """Linear interpolation of (t, v) over the triangle onto the grid nodes inside it; keeps the
    least time per node."""
    det = (h2 - h3) * (r1 - r3) + (r3 - r2) * (h1 - h3)
    if det == 0.0 or det != det:
        return
    nr = T.shape[0]
    nh = T.shape[1]
    i0 = max(int(math.ceil(min(r1, r2, r3) / dr)), 0)
    i1 = min(int(math.floor(max(r1, r2, r3) / dr)), nr - 1)
    j0 = max(int(math.ceil(min(h1, h2, h3) / dh)), 0)
    j1 = min(int(math.floor(max(h1, h2, h3) / dh)), nh - 1)
    eps = -1e-9
    for i in range(i0, i1 + 1):
        r = i * dr
        for j in range(j0, j1 + 1):
            h = j * dh
            l1 = ((h2 - h3) * (r - r3) + (r3 - r2) * (h - h3)) / det
            l2 = ((h3 - h1) * (r - r3) + (r1 - r3) * (h - h3)) / det
            l3 = 1.0 - l1 - l2
            if l1 >= eps and l2 >= eps and l3 >= eps:
                t = l1 * t1 + l2 * t2 + l3 * t3
                if t < T[i, j]:
                    T[i, j] = t
                    V[i, j] = l1 * v1 + l2 * v2 + l3 * v3


@jit
def fan_tables(tracks, counts, nr, nh, dr, dh):
    """Earliest-arrival fan from tracks (n_kick, n_t, 4) = (t, R, H, speed) with counts[k]
    valid rows each, kicks in increasing order: (T, V) on the grid R = i dr, H = j dh
    (T = +inf where no track reaches)."""
    T = np.full((nr, nh), INF)
    V = np.full((nr, nh), NAN)
    nk = tracks.shape[0]
    for k in range(nk - 1):
        n = min(counts[k], counts[k + 1])
        for q in range(n - 1):
            a = tracks[k, q]
            b = tracks[k + 1, q]
            c = tracks[k + 1, q + 1]
            d = tracks[k, q + 1]
            _raster_tri(T, V, dr, dh, a[1], a[2], a[0], a[3], b[1], b[2], b[0], b[3], c[1], c[2], c[0], c[3])
            _raster_tri(T, V, dr, dh, a[1], a[2], a[0], a[3], c[1], c[2], c[0], c[3], d[1], d[2], d[0], d[3])
        # the longer track's tail beyond its neighbour: the track line itself
        for kk in (k, k + 1):
            for q in range(n - 1, counts[kk] - 1):
                a = tracks[kk, q]
                c = tracks[kk, q + 1]
                _raster_seg(T, V, dr, dh, a, c)
    for k in range(nk):
        for q in range(counts[k] - 1):
            _raster_seg(T, V, dr, dh, tracks[k, q], tracks[k, q + 1])
    return T, V


@jit
def _raster_seg(T, V, dr, dh, a, c):
    """Nodes within half a cell of the segment a-c (rows t, R, H, speed) get its time."""
    L = math.hypot(c[1] - a[1], c[2] - a[2])
    n = int(L / (0.5 * min(dr, dh))) + 1
    nr = T.shape[0]
    nh = T.shape[1]
    for s in range(n + 1):
        f = s / n
        r = a[1] + f * (c[1] - a[1])
        h = a[2] + f * (c[2] - a[2])
        i = int(round(r / dr))
        j = int(round(h / dh))
        if 0 <= i < nr and 0 <= j < nh and abs(i * dr - r) <= 0.5 * dr and abs(j * dh - h) <= 0.5 * dh:
            t = a[0] + f * (c[0] - a[0])
            if t < T[i, j]:
                T[i, j] = t
                V[i, j] = a[3] + f * (c[3] - a[3])


@jit
def fan_lookup(T, V, dr, dh, r, h):
    """Bilinear (time, speed) of the fan at ground range r and altitude h (m); (inf, NaN) out
    of the table or where a corner is unreachable."""
    if not (r >= 0.0 and h >= 0.0):
        return INF, NAN
    fi = r / dr
    fj = h / dh
    i = int(fi)
    j = int(fj)
    if i >= T.shape[0] - 1 or j >= T.shape[1] - 1:
        return INF, NAN
    u = fi - i
    w = fj - j
    t00 = T[i, j]
    t10 = T[i + 1, j]
    t01 = T[i, j + 1]
    t11 = T[i + 1, j + 1]
    if t00 == INF or t10 == INF or t01 == INF or t11 == INF:
        return INF, NAN
    t = (1 - u) * (1 - w) * t00 + u * (1 - w) * t10 + (1 - u) * w * t01 + u * w * t11
    v = (1 - u) * (1 - w) * V[i, j] + u * (1 - w) * V[i + 1, j] + (1 - u) * w * V[i, j + 1] + u * w * V[i + 1, j + 1]
    return t, v


@jit
def fan_lookup_az(T, V, dr, dh, r, h, az):
    """Lookup in a fan of K azimuth sectors (T, V of shape (K, nr, nh), sector k flown toward
    azimuth 2 pi k / K): linear in azimuth between the two neighbouring sectors (K = 1: the one
    fan); unreachable if either is."""
    K = T.shape[0]
    if K == 1:
        return fan_lookup(T[0], V[0], dr, dh, r, h)
    f = (az % (2.0 * math.pi)) / (2.0 * math.pi) * K
    k0 = int(math.floor(f)) % K
    k1 = (k0 + 1) % K
    w = f - math.floor(f)
    t0, v0 = fan_lookup(T[k0], V[k0], dr, dh, r, h)
    t1, v1 = fan_lookup(T[k1], V[k1], dr, dh, r, h)
    if t0 == INF or t1 == INF:
        return INF, NAN
    return (1 - w) * t0 + w * t1, (1 - w) * v0 + w * v1


@pjit
def fan_lookup_many(T, V, dr, dh, r, h, az):
    """:func:`fan_lookup_az` over arrays: (time, speed)."""
    n = r.shape[0]
    t = np.empty(n)
    v = np.empty(n)
    for i in prange(n):
        t[i], v[i] = fan_lookup_az(T, V, dr, dh, r[i], h[i], az[i])
    return t, v


# ------------------------------------------------------------------------------------------
# threat timeline
# ------------------------------------------------------------------------------------------

@jit
def threat_timeline(lat1, lon1, lat2, lon2, params, table, L):
    """Solve one flight and fill its timeline array L (N_L). Returns the pair_flight tuple."""
    (a, e2, f, omega, mu, mode, shape_value, high, t_boost, h_bo, d_bo, v_max, min_range,
     max_range, v_lo, v_step, g_lo, g_step) = unpack(params)
    for i in range(N_L):
        L[i] = NAN
    (r, st, t_boost, h_bo, p1x, p1y, p1z, bx, by, bz, b1x, b1y, b1z, v1x, v1y, v1z, tof, t_apo,
     tau_entry, delay) = pair_timeline(lat1, lon1, lat2, lon2, params, table)
    if r[0] != ST_OK:
        return r
    if st != ST_OK:
        return (st, NAN, r[2], NAN, NAN, NAN, NAN, NAN, NAN)
    L[0] = p1x
    L[1] = p1y
    L[2] = p1z
    L[3] = bx
    L[4] = by
    L[5] = bz
    L[L_TB] = t_boost
    L[L_HBO] = h_bo
    L[L_A] = a
    L[L_E2] = e2
    L[10] = b1x
    L[11] = b1y
    L[12] = b1z
    L[13] = v1x
    L[14] = v1y
    L[15] = v1z
    L[L_OMEGA] = omega
    L[L_MU] = mu
    L[L_TAU_ENTRY] = tau_entry
    L[L_TOF] = tof
    L[L_DELAY] = delay
    L[L_T_IMPACT] = r[1]
    return r


@jit
def threat_at(t, L):
    """Earth-fixed position (m) and height (m) of the timeline L at t s after launch."""
    return position_at(t, L[0], L[1], L[2], L[3], L[4], L[5], L[L_TB], L[L_HBO], L[L_A], L[L_E2],
                       L[10], L[11], L[12], L[13], L[14], L[15], L[L_OMEGA], L[L_MU], L[L_TAU_ENTRY],
                       L[L_TOF], L[L_DELAY])


# ------------------------------------------------------------------------------------------
# windows
# ------------------------------------------------------------------------------------------

@jit
def site_array(lat, lon, a, e2):
    """The site array S of the window kernels: ECEF position (0-2), its norm (3), local north
    (4-6) and east (7-9) unit vectors at geodetic latitude/longitude (rad)."""
    S = np.empty(10)
    S[0], S[1], S[2] = geodetic_to_ecef(lat, lon, 0.0, a, e2)
    S[3] = math.sqrt(S[0] * S[0] + S[1] * S[1] + S[2] * S[2])
    S[4], S[5], S[6], S[7], S[8], S[9] = north_east(lat, lon)
    return S


@jit
def _geom(t, L, S):
    """(R, H, x, y, z, azimuth) of the threat at t relative to the site S: ground range
    (central angle x |site|), height, ECEF position and the bearing (rad from north) of the
    threat's projection on the site's horizontal plane (the great circle's initial bearing)."""
    x, y, z, h = threat_at(t, L)
    sx = S[0]
    sy = S[1]
    sz = S[2]
    cx = sy * z - sz * y
    cy = sz * x - sx * z
    cz = sx * y - sy * x
    ang = math.atan2(math.sqrt(cx * cx + cy * cy + cz * cz), sx * x + sy * y + sz * z)
    dx = x - sx
    dy = y - sy
    dz = z - sz
    az = math.atan2(dx * S[7] + dy * S[8] + dz * S[9], dx * S[4] + dy * S[5] + dz * S[6])
    return ang * S[3], h, x, y, z, az


@jit
def _latest_launch(t, L, S, T, V, dr, dh, E):
    """g(t): the latest interceptor launch that meets the threat at t (-inf outside the
    envelope or the fan)."""
    r, h, x, y, z, az = _geom(t, L, S)
    if not (h >= E[E_HMIN] and h <= E[E_HMAX] and r <= E[E_RMAX]):
        return -INF
    tf, vf = fan_lookup_az(T, V, dr, dh, r, h, az)
    if tf == INF:
        return -INF
    return t - tf


@jit
def _edge(t_out, t_in, tl, L, S, T, V, dr, dh, E):
    """Bisection between an instant outside (g < tl) and one inside (g >= tl) the window."""
    a = t_out
    b = t_in
    for _ in range(40):
        if abs(b - a) < 1e-3:
            break
        m = 0.5 * (a + b)
        if _latest_launch(m, L, S, T, V, dr, dh, E) >= tl:
            b = m
        else:
            a = m
    return b


@jit
def first_intercept(tl, t_from, L, S, T, V, dr, dh, E):
    """Earliest threat time >= t_from at which an interceptor launched at tl meets it (NaN if
    none before the impact)."""
    dt = E[E_DT]
    t_imp = L[L_T_IMPACT]
    t = max(t_from, tl)
    if t > t_imp:
        return NAN
    if _latest_launch(t, L, S, T, V, dr, dh, E) >= tl:
        return t
    prev = t
    while prev < t_imp:
        t = min(prev + dt, t_imp)
        if _latest_launch(t, L, S, T, V, dr, dh, E) >= tl:
            return _edge(prev, t, tl, L, S, T, V, dr, dh, E)
        prev = t
    return NAN


@jit
def _closing(t, L, S, T, V, dr, dh):
    """(closing speed, threat velocity along the site -> threat line) at t."""
    r, h, x, y, z, az = _geom(t, L, S)
    e = 0.05
    x1, y1, z1, h1 = threat_at(t - e, L)
    x2, y2, z2, h2 = threat_at(t + e, L)
    vx = (x2 - x1) / (2 * e)
    vy = (y2 - y1) / (2 * e)
    vz = (z2 - z1) / (2 * e)
    ux = x - S[0]
    uy = y - S[1]
    uz = z - S[2]
    nu = math.sqrt(ux * ux + uy * uy + uz * uz)
    along = (vx * ux + vy * uy + vz * uz) / nu
    tf, vi = fan_lookup_az(T, V, dr, dh, r, h, az)
    return vi - along, along


@jit
def window_one(L, flight_status, v_entry, g_entry, S, t_l0, T, V, dr, dh, E, out):
    """Engagement window of one threat timeline L against one site (site array S) whose
    first interceptor can launch at t_l0; fills out (N_O)."""
    for i in range(N_O):
        out[i] = NAN
    out[O_FLIGHT] = flight_status
    out[O_T_L0] = t_l0
    out[O_SHOTS] = 0.0
    out[O_WINDOW] = 0.0
    out[O_V_ENTRY] = v_entry
    out[O_G_ENTRY] = g_entry
    if flight_status != ST_OK:
        out[O_CODE] = W_FLIGHT
        return
    t_imp = L[L_T_IMPACT]
    out[O_T_IMPACT] = t_imp
    if t_l0 != t_l0:
        out[O_CODE] = W_NO_CUE
        return
    if not (v_entry <= E[E_VMAX] and g_entry >= E[E_GMIN] and g_entry <= E[E_GMAX]):
        out[O_CODE] = W_THREAT
        return
    dt = E[E_DT]
    # window: the set of t with g(t) >= t_l0, scanned at dt from t_l0, edges bisected
    t = max(t_l0, 0.0)
    measure = 0.0
    first = NAN
    last = NAN
    gmax = -INF
    if t < t_imp:
        inside = _latest_launch(t, L, S, T, V, dr, dh, E) >= t_l0
        start = t if inside else NAN
        prev = t
        while prev < t_imp:
            t = min(prev + dt, t_imp)
            g = _latest_launch(t, L, S, T, V, dr, dh, E)
            now = g >= t_l0
            if g > gmax:
                gmax = g
            if now and not inside:
                start = _edge(prev, t, t_l0, L, S, T, V, dr, dh, E)
            elif inside and not now:
                end = _edge(t, prev, t_l0, L, S, T, V, dr, dh, E)
                measure += end - start
                if first != first:
                    first = start
                last = end
            inside = now
            prev = t
        if inside:
            measure += t_imp - start
            if first != first:
                first = start
            last = t_imp
    if first != first:
        out[O_CODE] = W_NONE
        return
    out[O_CODE] = W_OK
    out[O_WINDOW] = measure
    out[O_FIRST] = first
    out[O_LAST] = last
    out[O_LAST_LAUNCH] = gmax
    r, h, x, y, z, az = _geom(first, L, S)
    out[O_H_FIRST] = h
    out[O_R_FIRST] = r
    out[O_CLOSE_FIRST], out[O_ALONG_FIRST] = _closing(first, L, S, T, V, dr, dh)
    r, h, x, y, z, az = _geom(last, L, S)
    out[O_H_LAST] = h
    out[O_R_LAST] = r
    out[O_CLOSE_LAST], out[O_ALONG_LAST] = _closing(last, L, S, T, V, dr, dh)
    # shoot-look-shoot
    shots = 0
    tl = t_l0
    t_from = first
    while shots < E[E_MAXSHOTS]:
        ti = first_intercept(tl, t_from, L, S, T, V, dr, dh, E)
        if ti != ti:
            break
        shots += 1
        tl = ti + E[E_KA]
        t_from = tl
    out[O_SHOTS] = shots


@pjit
def windows_many(lat1, lon1, lat2, lon2, params, table, site_lat, site_lon, t_l0, T, V, dr, dh, E):
    """Windows of n flights (angles in rad) against m sites: t_l0 (n, m) earliest interceptor
    launches (s after threat launch, NaN: no cue); T, V (K, nr, nh) the fan (K azimuth sectors,
    or 1). Returns (n, m, N_O). Each flight is solved once and serves every site."""
    n = lat1.shape[0]
    m = site_lat.shape[0]
    a = params[0]
    e2 = params[1]
    out = np.empty((n, m, N_O))
    SS = np.empty((m, 10))
    for j in range(m):
        SS[j] = site_array(site_lat[j], site_lon[j], a, e2)
    for i in prange(n):
        L = np.empty(N_L)
        r = threat_timeline(lat1[i], lon1[i], lat2[i], lon2[i], params, table, L)
        for j in range(m):
            window_one(L, r[0], r[6], r[7], SS[j], t_l0[i, j], T, V, dr, dh, E, out[i, j])
    return out
