"""The single home of numba compiler options for the core.

Kernels never call ``numba.njit`` directly: scalar helpers use :func:`jit`, batch drivers
use :func:`pjit`. ``cache=True`` keeps compiled code between runs; ``error_model='numpy'``
makes a division by zero give inf/NaN instead of raising inside hot loops; fastmath stays
off so NaN propagates as IEEE 754 says.

Cache location. numba keys a cached function on its own file only, so a cached batch driver
would survive an edit of a kernel it calls in another file. The cache therefore lives in a
directory named after a hash of every core source file (``~/.cache/warning_time/numba-<hash>``,
or under ``$XDG_CACHE_HOME``), which also works for read-only installs. A user-set
``NUMBA_CACHE_DIR`` is respected.
"""
import hashlib
import os
from pathlib import Path

import numba


def _source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


#: SHA-256 of every core source file: keys the numba cache directory and the cached tables
SOURCE_DIGEST = _source_digest()


def _cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "warning_time", f"numba-{numba.__version__}-{SOURCE_DIGEST[:16]}")


if not os.environ.get("NUMBA_CACHE_DIR"):
    numba.config.CACHE_DIR = _cache_dir()

_OPTS = dict(cache=True, error_model="numpy", fastmath=False, nogil=True)


def jit(fn):
    """Compile a scalar kernel (no parallelism)."""
    return numba.njit(**_OPTS)(fn)


def pjit(fn):
    """Compile a batch driver whose outer loop uses ``numba.prange``."""
    return numba.njit(parallel=True, **_OPTS)(fn)


prange = numba.prange
