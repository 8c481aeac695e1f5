"""Atomic file writes and small readers for the package data."""
from __future__ import annotations

import contextlib
import os
import tempfile
from importlib import resources
from pathlib import Path

import pandas as pd


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary path beside ``path``; rename it onto ``path`` only on success, so an
    interrupted run never leaves a truncated file that looks complete."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # the real extension stays last so that format drivers (GDAL, pyarrow) recognise the file
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.part.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp creates 0600; give the file the permissions a normal open() would (0666 - umask)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def package_csv(name: str) -> pd.DataFrame:
    """A CSV shipped in warning_time/data, read through importlib.resources."""
    with resources.files("warning_time").joinpath(f"data/{name}").open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)
