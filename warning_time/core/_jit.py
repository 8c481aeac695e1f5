"""The single home of numba compiler options for the core.

Kernels never call ``numba.njit`` directly: scalar helpers use :func:`jit`, batch drivers
use :func:`pjit`. ``cache=True`` keeps compiled code between runs; ``error_model='numpy'``
makes a division by zero give inf/NaN instead of raising inside hot loops; fastmath stays
off so NaN propagates as IEEE 754 says.
"""
import numba

_OPTS = dict(cache=True, error_model="numpy", fastmath=False, nogil=True)


def jit(fn):
    """Compile a scalar kernel (no parallelism)."""
    return numba.njit(**_OPTS)(fn)


def pjit(fn):
    """Compile a batch driver whose outer loop uses ``numba.prange``."""
    return numba.njit(parallel=True, **_OPTS)(fn)


prange = numba.prange
