"""Batch drivers: one prange loop over pairs, writing into preallocated arrays."""
import math

import numpy as np

from ._jit import jit, pjit, prange
from .trajectory import PAIR_DEFERRED, pair_flight_with, unpack


@jit
def store_pair(out, i, r):
    """Write the 9 pair_flight outputs of pair i into column i of out (a heterogeneous tuple
    cannot be indexed in a loop)."""
    out[0, i] = r[0]
    out[1, i] = r[1]
    out[2, i] = r[2]
    out[3, i] = r[3]
    out[4, i] = r[4]
    out[5, i] = r[5]
    out[6, i] = r[6]
    out[7, i] = r[7]
    out[8, i] = r[8]


@pjit
def _flight_many(lat1, lon1, lat2, lon2, params, table, full):
    """The batch loop. ``full=None``: without the rare solvers (pairs needing them get status
    PAIR_DEFERRED); ``full=True``: with every solver (:func:`trajectory.pair_flight`). numba
    compiles one version per argument type and prunes the other branch in each."""
    (a, e2, f, omega, mu, mode, shape_value, high, t_boost, h_bo, d_bo, v_max, min_range,
     max_range, v_lo, v_step, g_lo, g_step) = unpack(params)
    n = lat1.shape[0]
    out = np.empty((9, n))
    rad = math.pi / 180.0
    for i in prange(n):
        r = pair_flight_with(lat1[i] * rad, lon1[i] * rad, lat2[i] * rad, lon2[i] * rad, a, e2, f, omega, mu,
                             mode, shape_value, high, t_boost, h_bo, d_bo, v_max, min_range, max_range,
                             table, v_lo, v_step, g_lo, g_step, params, full)
        # written out rather than store_pair(out, i, r): the prange index is int64 when the loop
        # is typed and uint64 in the parallel body, so a helper would be compiled twice
        out[0, i] = r[0]
        out[1, i] = r[1]
        out[2, i] = r[2]
        out[3, i] = r[3]
        out[4, i] = r[4]
        out[5, i] = r[5]
        out[6, i] = r[6]
        out[7, i] = r[7]
        out[8, i] = r[8]
    return out


def flight_many(lat1, lon1, lat2, lon2, params, table):
    """Solve every pair (geodetic angles in degrees, as the public API takes them; converted to
    radians in the kernel so the batch needs no temporary arrays) for a packed parameter array
    (``trajectory.P_*``) and its drag-delay table. Returns a (9, n) float64 array of the
    pair_flight outputs in SI units (row 0 is the status code) so that one allocation serves the
    whole batch.

    Two compiled kernels, one code: the lean one solves every pair but those needing a rarely
    used solver (the presets, the search over the time of flight: ``trajectory._solve_full``),
    which it marks PAIR_DEFERRED; the full one solves those pairs, with the same ``pair_flight``.
    The rare solvers are thus compiled only when a call first needs them (a fresh install's
    first call compiles about a third less), and each pair's numbers are the ones the full
    kernel gives (tests/unit/test_lean_kernel.py)."""
    out = _flight_many(lat1, lon1, lat2, lon2, params, table, None)
    deferred = np.flatnonzero(out[0] == PAIR_DEFERRED)
    if deferred.size:
        out[:, deferred] = _flight_many(np.ascontiguousarray(lat1[deferred]), np.ascontiguousarray(lon1[deferred]),
                                        np.ascontiguousarray(lat2[deferred]), np.ascontiguousarray(lon2[deferred]),
                                        params, table, True)
    return out


@jit
def bad_coords(lat1, lon1, lat2, lon2):
    """True where a pair's coordinates (deg) are outside the public API's ranges (latitudes in
    [-90, 90], longitudes in [-180, 360]) or NaN: one pass instead of numpy's several; the
    caller then names the offending fields. Serial: a parallel launch costs more than the check
    itself for the short batches the analysis makes by the thousand (~6 ms vs ~0.02 ms on the
    loaded 2-core machine), and the pass is a few ms for millions of rows."""
    n = lat1.shape[0]
    bad = np.empty(n, dtype=np.bool_)
    for i in range(n):
        bad[i] = not (-90.0 <= lat1[i] <= 90.0 and -90.0 <= lat2[i] <= 90.0
                      and -180.0 <= lon1[i] <= 360.0 and -180.0 <= lon2[i] <= 360.0)
    return bad
