"""The package's modules talk to each other through public names only: no module imports an
underscore name from another module of the package (``from .flight import _run``), and a
module imported under an alias (``from .core import trajectory as tr``) is used through its
public attributes only (no ``tr._state``)."""
from __future__ import annotations

import ast
from pathlib import Path

import warning_time

PKG = Path(warning_time.__file__).resolve().parent
NAME = "warning_time"


def _modules(pkg):
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg.parent).with_suffix("")
        parts = list(rel.parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        yield path, ".".join(parts), is_pkg


def _absolute(node: ast.ImportFrom, module: str, is_pkg: bool) -> str | None:
    """The absolute module an ImportFrom refers to, or None when outside the package."""
    if node.level == 0:
        name = node.module or ""
        return name if name == NAME or name.startswith(NAME + ".") else None
    base = module.split(".") if is_pkg else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_module(name: str, pkg=PKG) -> bool:
    rel = Path(*name.split("."))
    return (pkg.parent / rel).is_dir() or (pkg.parent / rel).with_suffix(".py").is_file()


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def violations(pkg=PKG):
    found = []
    for path, module, is_pkg in _modules(pkg):
        tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        aliases = {}  # local name -> module of the package bound to it
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                src = _absolute(node, module, is_pkg)
                if src is None:
                    continue
                for a in node.names:
                    if _is_module(f"{src}.{a.name}", pkg):
                        aliases[a.asname or a.name] = f"{src}.{a.name}"
                    elif _private(a.name) and src != module:
                        found.append(f"{module}: from {src} import {a.name}")
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith(NAME) and a.asname:
                        aliases[a.asname] = a.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and _private(node.attr)):
                found.append(f"{module}: {node.value.id}.{node.attr} ({aliases[node.value.id]})")
    return sorted(set(found))


def test_no_module_imports_a_private_name_of_another():
    assert violations() == []


def test_the_checker_sees_the_forms_it_forbids(tmp_path):
    pkg = tmp_path / NAME
    (pkg / "core").mkdir(parents=True)
    for f in ("__init__.py", "flight.py", "core/__init__.py", "core/trajectory.py"):
        (pkg / f).write_text("", "utf-8")
    (pkg / "report.py").write_text("from .flight import _run, flight_time\n"
                                   "from .core import trajectory as tr\n"
                                   "from . import __version__\n"
                                   "x = tr._state(tr.solve_pair)\n", "utf-8")
    (pkg / "core" / "grid.py").write_text("from .trajectory import _eval_d as fast\n"
                                          "from ..flight import flight_time as _ft\n", "utf-8")
    assert violations(pkg) == [
        "warning_time.core.grid: from warning_time.core.trajectory import _eval_d",
        "warning_time.report: from warning_time.flight import _run",
        "warning_time.report: tr._state (warning_time.core.trajectory)",
    ]


def test_moved_names_still_import_from_their_old_modules():
    """warning.py and report.py were split (one concept per module); code written against the old
    locations keeps working and gets the same objects."""
    from warning_time import analysis, compression, report, sampling, scenario, warning

    assert warning.area_points is sampling.area_points
    assert warning.compression_uncertainty is compression.compression_uncertainty
    assert warning.sensor_set is __import__("warning_time.sensors", fromlist=["x"]).sensor_set
    assert report.load_scenario is scenario.load_scenario
    assert report.claim_compression is analysis.claim_compression
