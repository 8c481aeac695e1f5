"""Provenance of an output: what produced it, with which model.

Every batch output records the package version, the git commit when the package runs from a
checkout, the run's options and, for every model the rows used (a per-row override makes more
than one), the missile class with the parameter values actually used, the resolved trajectory,
the Earth model, rotation and band; a scenario run may add the SHA-256 of its scenario file.
CSV outputs carry it in a JSON sidecar (``OUT.provenance.json``), Parquet and GeoParquet in
the file's key-value metadata under :data:`METADATA_KEY`. Nothing in it depends on the time or
the machine, so the same run gives the same bytes (a Dask run the same as one process).
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import subprocess
from pathlib import Path

from . import __version__

#: key of the provenance JSON in Parquet key-value metadata
METADATA_KEY = "warning_time.provenance"
#: suffix of the JSON sidecar of a CSV output
SIDECAR_SUFFIX = ".provenance.json"
SCHEMA_VERSION = 1


@functools.lru_cache(maxsize=1)
def git_revision() -> tuple[str | None, bool | None]:
    """(commit, dirty) of the checkout the package is imported from, or (None, None) when it
    is not a git checkout (an installed wheel) or git is not available."""
    root = Path(__file__).resolve().parent.parent
    if not (root / ".git").exists():
        return None, None
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip() != ""
    except (OSError, subprocess.SubprocessError):
        return None, None
    return (commit or None), dirty


def _plain(value):
    """JSON-ready value: numpy scalars and arrays as Python numbers and lists; inf/NaN as
    strings (JSON has no such numbers)."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def model_record(model, options: dict) -> dict:
    """What one resolved :class:`~warning_time.model.FlightModel` computed with: the options
    as asked (``options``, the keyword arguments of ``FlightModel.resolve``), the missile
    class, the resolved trajectory, Earth model, rotation, band, branch, burnout-speed limit
    and the class's SI kernel parameters as used."""
    return {
        "options": _plain({k: v for k, v in sorted(options.items()) if v is not None}),
        "missile": model.key,
        "missile_label": getattr(model.missile, "label", model.key),
        "trajectory": model.trajectory,
        "earth": model.earth,
        "rotation": bool(model.rotation),
        "band": model.band,
        "branch": model.branch,
        "burnout_speed_limit_m_s": _plain(float(model.burnout_speed_limit_m_s)),
        "parameters_si": _plain(dict(model.kernel_params)),
    }


def scenario_hash(path) -> str:
    """SHA-256 (hex) of a scenario file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run_provenance(*, command: str, options: dict, models=(), inputs=None, scenario_sha256=None) -> dict:
    """The provenance record of one output: package version, git commit (or None), the
    command and its options, the models used (sorted, so the record is deterministic), the
    input names and an optional scenario hash."""
    commit, dirty = git_revision()
    models = sorted(models, key=lambda r: json.dumps(r.get("options", {}), sort_keys=True))
    rec = {
        "schema": SCHEMA_VERSION,
        "producer": "warning_time",
        "warning_time_version": __version__,
        "git_commit": commit,
        "git_dirty": dirty,
        "command": command,
        "options": _plain(dict(options)),
        "models": [_plain(m) for m in models],
    }
    if inputs is not None:
        rec["inputs"] = [os.fspath(p) for p in inputs]
    if scenario_sha256 is not None:
        rec["scenario_sha256"] = scenario_sha256
    return rec


def sidecar_path(out_path) -> Path:
    """The JSON sidecar of a CSV output: ``OUT.provenance.json``."""
    return Path(os.fspath(out_path) + SIDECAR_SUFFIX)


def write_sidecar(out_path, record: dict) -> Path:
    """Write ``record`` as the JSON sidecar of ``out_path`` (atomically) and return its path."""
    from .io import atomic_path

    path = sidecar_path(out_path)
    with atomic_path(path) as tmp:
        Path(tmp).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_provenance(path) -> dict | None:
    """The provenance of an output: a Parquet file's key-value metadata, else a CSV's sidecar;
    None if there is none."""
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head == b"PAR1":
        import pyarrow.parquet as pq

        meta = pq.read_metadata(path).metadata or {}
        raw = meta.get(METADATA_KEY.encode())
        return json.loads(raw) if raw else None
    side = sidecar_path(path)
    return json.loads(side.read_text(encoding="utf-8")) if side.exists() else None
