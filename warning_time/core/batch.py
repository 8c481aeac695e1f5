"""Batch drivers: one loop over pairs, writing into preallocated arrays."""
import math

import numpy as np

from ._jit import jit, jit_inline
from .threads import run_slices
from .trajectory import PAIR_DEFERRED, pair_flight_with, unpack


@jit_inline
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


@jit
def _flight_many(lat1, lon1, lat2, lon2, params, table, full, out, start, stop):
    """The batch loop over pairs ``start .. stop-1``, writing column i of ``out`` (9, n).
    ``full=None``: without the rare solvers (pairs needing them get status PAIR_DEFERRED);
    ``full=True``: with every solver (:func:`trajectory.pair_flight`). numba compiles one
    version per argument type and prunes the other branch in each. Serial and ``nogil``:
    :func:`flight_many` runs slices of a long batch on threads (core.threads: why not prange)."""
    (a, e2, f, omega, mu, mode, shape_value, high, t_boost, h_bo, d_bo, v_max, min_range,
     max_range, v_lo, v_step, g_lo, g_step) = unpack(params)
    rad = math.pi / 180.0
    for i in range(start, stop):
        r = pair_flight_with(lat1[i] * rad, lon1[i] * rad, lat2[i] * rad, lon2[i] * rad, a, e2, f, omega, mu,
                             mode, shape_value, high, t_boost, h_bo, d_bo, v_max, min_range, max_range,
                             table, v_lo, v_step, g_lo, g_step, params, full)
        store_pair(out, i, r)


#: pairs per thread slice of a long batch: short enough to balance the threads (a rotating or
#: preset pair costs ~10x a minimum-energy one), long enough that the hand-off (~20 us) is noise
SLICE_PAIRS = 16384


def _run(lat1, lon1, lat2, lon2, params, table, full):
    """One kernel over every pair, in slices on threads (core.threads.run_slices)."""
    n = lat1.shape[0]
    out = np.empty((9, n))
    run_slices(n, SLICE_PAIRS,
               lambda start, stop: _flight_many(lat1, lon1, lat2, lon2, params, table, full, out, start, stop))
    return out


def flight_many(lat1, lon1, lat2, lon2, params, table):
    """Solve every pair (geodetic angles in degrees, as the public API takes them; converted to
    radians in the kernel so the batch needs no temporary arrays) for a packed parameter array
    (``trajectory.P_*``) and its drag-delay table. Returns a (9, n) float64 array of the
    pair_flight outputs in SI units (row 0 is the status code) so that one allocation serves the
    whole batch.

    Two compiled kernels, one code: the lean one solves every pair but those needing a rarely
    used solver (the presets, the searches of a rotating Earth along a flight-path angle or a
    speed, the search over the time of flight: ``trajectory._solve_full``), which it marks
    PAIR_DEFERRED; the full one solves those pairs, with the same ``pair_flight``. The rare
    solvers are thus compiled only when a call first needs them, and each pair's numbers are
    the ones the full kernel gives (tests/unit/test_lean_kernel.py).

    The kernel is serial; long batches run in slices on threads (core.threads)."""
    out = _run(lat1, lon1, lat2, lon2, params, table, None)
    deferred = np.flatnonzero(out[0] == PAIR_DEFERRED)
    if deferred.size:
        out[:, deferred] = _run(np.ascontiguousarray(lat1[deferred]), np.ascontiguousarray(lon1[deferred]),
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
