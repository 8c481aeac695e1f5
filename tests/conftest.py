"""Shared pytest setup: the independent reference helpers on sys.path, library versions in the
report header, and a hypothesis profile without deadlines (numba compiles on first call)."""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
if str(REFERENCE_DIR) not in sys.path:
    sys.path.insert(0, str(REFERENCE_DIR))

try:
    from hypothesis import settings

    settings.register_profile("warning_time", deadline=None, print_blob=True)
    settings.load_profile("warning_time")
except ImportError:  # hypothesis is a dev dependency; only tests/unit/test_properties.py needs it
    pass


def pytest_report_header(config):
    import importlib

    parts = []
    for name in ("numpy", "numba", "scipy", "geographiclib", "pyproj", "hypothesis", "pandas"):
        try:
            mod = importlib.import_module(name)
            parts.append(f"{name} {getattr(mod, '__version__', '?')}")
        except ImportError:
            parts.append(f"{name} missing")
    return "warning_time test deps: " + ", ".join(parts)


# ---------------------------------------------------------------------------------------------
# Residual log: reference tests record |package - reference| with ``residual(name, value, unit)``;
# the largest value per name is printed at the end of the run (merged across xdist workers), as
# the source of the figures in docs/validation.md.
# ---------------------------------------------------------------------------------------------
_RESIDUALS: dict[str, list] = {}


def _merge(name, value, unit, nodeid):
    cur = _RESIDUALS.get(name)
    if cur is None or value > cur[0] or math.isnan(value):
        _RESIDUALS[name] = [value, unit, nodeid]


@pytest.fixture
def residual(request):
    """Record a residual: residual(name, value, unit); the maximum |value| per name is kept."""
    def record(name, value, unit=""):
        _merge(name, float(abs(value)), unit, request.node.nodeid)
    return record


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["wt_residuals"] = json.dumps(_RESIDUALS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):  # pytest-xdist controller: collect the workers' residuals
    data = getattr(node, "workeroutput", {}).get("wt_residuals")
    if data:
        for name, (value, unit, nodeid) in json.loads(data).items():
            _merge(name, value, unit, nodeid)


def pytest_terminal_summary(terminalreporter):
    if not _RESIDUALS:
        return
    tr = terminalreporter
    tr.section("max residuals against independent references")
    width = max(len(k) for k in _RESIDUALS)
    for name in sorted(_RESIDUALS):
        value, unit, nodeid = _RESIDUALS[name]
        tr.write_line(f"{name:<{width}}  {value:11.3e} {unit:<4}  {nodeid}")
