"""The scenario file: the default paper scenario or a user's TOML of the same schema, checked
before anything is computed (names from a list are checked against that list)."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import InputError, check_choice
from .io import parse_toml
from .missiles import TRAJECTORIES, get_missile
from .places import load_launch_areas, load_sensors


def load_scenario(path=None) -> dict:
    """The default paper scenario, or a user TOML of the same schema (validated)."""
    if path is None:
        text = resources.files("warning_time").joinpath("data/scenarios/paper.toml").read_text("utf-8")
        source = "paper.toml (package data)"
    else:
        source = str(path)
        try:
            text = Path(path).read_text("utf-8")
        except FileNotFoundError:
            raise InputError("scenario", message=f"{source}: file not found") from None
    sc = parse_toml(text, "scenario", source)
    s = sc.get("scenario")
    if not isinstance(s, dict):
        raise InputError("scenario", message=f"{source}: missing [scenario] table")
    areas = set(load_launch_areas()["name"])
    for key in ("launch_areas", "baseline_areas", "interior_baseline_areas"):
        names = s.get(key, [])
        if not names and key != "interior_baseline_areas":
            raise InputError(f"scenario.{key}", message=f"{source}: scenario.{key} is empty")
        bad = [n for n in names if n not in areas]
        if bad:
            raise InputError(f"scenario.{key}", message=f"{source}: scenario.{key}: unknown area(s) {bad}; "
                             f"known: {sorted(areas)}")
    sensors = set(load_sensors()["sensor"])
    bad = [n for n in s.get("sensors", []) if n not in sensors]
    if bad:
        raise InputError("scenario.sensors", message=f"{source}: unknown sensor(s) {bad}; known: {sorted(sensors)}")
    for run in ("irbm", "srbm"):
        if run not in sc or "missile" not in sc[run]:
            raise InputError(f"{run}.missile", message=f"{source}: missing [{run}] table with a missile")
        try:
            get_missile(_scenario_str(sc[run]["missile"], f"{run}.missile", source))
        except InputError as exc:
            raise InputError(f"{run}.missile", message=f"{source}: {run}.{exc}") from None
        traj = _scenario_str(sc[run].get("trajectory", "default"), f"{run}.trajectory", source)
        try:
            check_choice(f"{run}.trajectory", traj, TRAJECTORIES + ("default",))
        except InputError as exc:
            raise InputError(f"{run}.trajectory", message=f"{source}: {exc}") from None
    for key in ("title",):
        _scenario_str(s.get(key, ""), f"scenario.{key}", source)
    if s.get("earth", "wgs84") not in ("wgs84", "sphere"):
        raise InputError("scenario.earth", message=f"{source}: scenario.earth must be 'wgs84' or 'sphere'")
    if not isinstance(s.get("rotation", True), bool):
        raise InputError("scenario.rotation", message=f"{source}: scenario.rotation must be true or false")
    u = sc.setdefault("uncertainty", {})
    for key, lo, hi in (("draws", 1, 1000), ("points_per_area", 1, 200)):
        v = u.setdefault(key, {"draws": 12, "points_per_area": 6}[key])
        if not (isinstance(v, int) and lo <= v <= hi):
            raise InputError(f"uncertainty.{key}", message=f"{source}: uncertainty.{key}={v!r} must be an integer in [{lo}, {hi}]")
    u.setdefault("seed", 1)
    dd = s.get("decision_delay_s", {"low": 0.0, "nominal": 0.0, "high": 0.0})
    s["decision_delay_band"] = (float(dd["low"]), float(dd["nominal"]), float(dd["high"]))
    sc["_source"] = source
    return sc


def _scenario_str(value, field, source):
    """A scenario value that must be text (names, titles): anything else is an error naming the field."""
    if not isinstance(value, str):
        raise InputError(field, message=f"{source}: {field} must be a string, got {type(value).__name__}")
    return value
