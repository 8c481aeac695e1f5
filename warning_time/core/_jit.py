"""The single home of numba compiler options for the core.

Kernels never call ``numba.njit`` directly: scalar helpers use :func:`jit` (tiny ones
:func:`jit_inline`), batch drivers
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
from numba.core import types


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


def _one_signature_per_type(dispatcher):
    """Type calls from other kernels with plain types, never literal ones.

    numba types a constant argument (``_solve_shape(MODE_FPA, ..., False, ...)``) as a literal
    (``Literal[int](2)``, ``Literal[bool](False)``) and compiles the callee, and everything it
    calls, once more for every distinct constant: ``_solve_shape`` and ``_root_rotating`` were
    compiled six times each on the first call. With the literals dropped a kernel has one
    signature per set of plain argument types (the value is still passed, so nothing changes
    but the compile time)."""
    typed = dispatcher.get_call_template

    def get_call_template(args, kws):
        return typed(tuple(types.unliteral(a) for a in args), {k: types.unliteral(v) for k, v in kws.items()})

    dispatcher.get_call_template = get_call_template
    return dispatcher


def jit(fn):
    """Compile a scalar kernel (no parallelism)."""
    return _one_signature_per_type(numba.njit(**_OPTS)(fn))


def jit_inline(fn):
    """Compile a tiny scalar helper that is inlined into each kernel calling it (numba's
    ``inline='always'``, at numba IR level) instead of being compiled as a function of its own:
    each separately compiled function costs a fresh install's first call ~0.05-0.15 s (typing,
    lowering, wrappers, its own machine code and that of its callees), so inlining the core's
    one-line geometry and bookkeeping helpers saves ~1 s of it (benchmarks/bench_core.py). Called
    from Python, the helper compiles as usual."""
    return _one_signature_per_type(numba.njit(inline="always", **_OPTS)(fn))


def pjit(fn):
    """Compile a batch driver whose outer loop uses ``numba.prange``."""
    return _one_signature_per_type(numba.njit(parallel=True, **_OPTS)(fn))


prange = numba.prange
