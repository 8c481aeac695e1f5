"""Computed tables kept on disk beside the numba cache, so that a new process or Dask worker
loads them instead of computing them again: the drag-delay tables (:mod:`warning_time.model`)
and the interceptors' fly-out fans (:mod:`warning_time.defence`).

A table's file is named by a hash of everything it is computed from plus every core source
file (``core._jit.SOURCE_DIGEST``), so a changed input or kernel never reads an old table;
files are written atomically and a cache that cannot be written is ignored. Set
``WARNING_TIME_TABLE_CACHE=0`` to turn the cache off."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_file(kind: str, suffix: str, *parts) -> Path | None:
    """``<numba cache>/<kind>_tables/<kind>-<hash><suffix>`` for the inputs ``parts`` (bytes, or
    anything whose text names it exactly), or None when the cache is off."""
    import numba

    from .core._jit import SOURCE_DIGEST

    if os.environ.get("WARNING_TIME_TABLE_CACHE", "1") == "0":
        return None
    h = hashlib.sha256(SOURCE_DIGEST.encode())
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode())
    return Path(numba.config.CACHE_DIR) / f"{kind}_tables" / f"{kind}-{h.hexdigest()[:32]}{suffix}"


def write_file(path: Path, write) -> None:
    """Call ``write(binary file)`` on a temporary file renamed onto ``path`` on success
    (:func:`warning_time.io.atomic_path`); a cache we cannot write is left alone."""
    from .errors import InputError
    from .io import atomic_path

    try:
        with atomic_path(path) as tmp, open(tmp, "wb") as fh:
            write(fh)
    except (OSError, InputError):
        pass
