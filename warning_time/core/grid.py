"""Grid kernels: the fastest flight from a set of launch points to every grid cell (or from
every cell to one target), for isochrones and reverse reach.

Screening. Without rotation the minimum-energy time grows with range, and rotation changes
times by seconds (a few tens of km of range at most), so for each cell the full solver runs
only for the points whose central angle to the cell is within a band of the nearest one
(``band_rad``); the others are slower by more than rotation can make up. Central angles come from
precomputed unit vectors (dot products, no trigonometry per pair).
"""
import math

import numpy as np

from ._jit import pjit, prange
from .geodesy import sphere_unit
from .trajectory import ST_BELOW_MIN, ST_OK, pair_flight, unpack

NAN = math.nan


@pjit
def min_flight_grid(pt_lat, pt_lon, cell_lat, cell_lon, reverse, band_rad, params, table):
    """For each cell: the least flight time (s) over the points (points -> cell, or cell -> points
    when ``reverse``), the index of that point, and the status of the best attempt, for a packed
    parameter array (``trajectory.P_*``) and its drag-delay table.

    Returns (time (n,), best point index (n,) as float, status (n,) as float)."""
    (a, e2, f, omega, mu, mode, shape_value, high, t_boost, h_bo, d_bo, v_max, min_range,
     max_range, v_lo, v_step, g_lo, g_step) = unpack(params)
    n = cell_lat.shape[0]
    m = pt_lat.shape[0]
    out_t = np.empty(n)
    out_i = np.empty(n)
    out_s = np.empty(n)
    ux = np.empty(m)
    uy = np.empty(m)
    uz = np.empty(m)
    cos_min = math.cos(0.98 * min_range / a) if min_range > 0.0 else 2.0
    for j in range(m):
        ux[j], uy[j], uz[j] = sphere_unit(pt_lat[j], pt_lon[j])
    for i in prange(n):
        vx, vy, vz = sphere_unit(cell_lat[i], cell_lon[i])
        # nearest eligible point by central angle (points inside the class's minimum range,
        # with a 2 % margin for the ellipsoid, cannot fly there)
        best_dot = -2.0
        for j in range(m):
            d = ux[j] * vx + uy[j] * vy + uz[j] * vz
            if d > best_dot and d <= cos_min:
                best_dot = d
        if best_dot < -1.5:
            out_t[i] = NAN
            out_i[i] = -1.0
            out_s[i] = ST_BELOW_MIN  # every point is inside the minimum range
            continue
        ang_min = math.acos(min(1.0, best_dot))
        bt = math.inf
        bi = -1.0
        bs = 99.0
        # solve the points in a band above the nearest eligible one; if every one of them is still
        # inside the minimum range (the 2 % margin above is generous), move the band outward
        lo_ang = ang_min - 1e-12
        for _ in range(200):
            hi_ang = lo_ang + band_rad
            cut_hi = math.cos(min(math.pi, hi_ang))
            cut_lo = math.cos(max(0.0, lo_ang))
            any_pt = False
            only_below_min = True
            for j in range(m):
                d = ux[j] * vx + uy[j] * vy + uz[j] * vz
                if d < cut_hi or d > cut_lo or d > cos_min:
                    continue
                any_pt = True
                if reverse:
                    r = pair_flight(cell_lat[i], cell_lon[i], pt_lat[j], pt_lon[j], a, e2, f, omega, mu, mode,
                                    shape_value, high, t_boost, h_bo, d_bo, v_max, min_range, max_range, table,
                                    v_lo, v_step, g_lo, g_step, params)
                else:
                    r = pair_flight(pt_lat[j], pt_lon[j], cell_lat[i], cell_lon[i], a, e2, f, omega, mu, mode,
                                    shape_value, high, t_boost, h_bo, d_bo, v_max, min_range, max_range, table,
                                    v_lo, v_step, g_lo, g_step, params)
                if r[0] != ST_BELOW_MIN:
                    only_below_min = False
                if r[0] == ST_OK and r[1] < bt:
                    bt = r[1]
                    bi = j
                    bs = 0.0
                elif bs != 0.0 and r[0] < bs:
                    bs = r[0]
            if bt < math.inf or not only_below_min or hi_ang >= math.pi:
                break
            if not any_pt and bs == 99.0:
                # an empty band: jump to the next point outward
                nxt = -2.0
                for j in range(m):
                    d = ux[j] * vx + uy[j] * vy + uz[j] * vz
                    if d < cut_hi and d > nxt:
                        nxt = d
                if nxt < -1.5:
                    break
                lo_ang = math.acos(min(1.0, nxt)) - 1e-12
            else:
                lo_ang = hi_ang
        out_t[i] = bt if bt < math.inf else NAN
        out_i[i] = bi
        out_s[i] = bs
    return out_t, out_i, out_s
