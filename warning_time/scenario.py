"""The scenario: one validated TOML file that states every assumption of an analysis.

A scenario names the launch areas and the baselines they are compared with (shipped areas by
name, inline circles or GeoJSON geometries, or the features of a GeoJSON file), the targets,
the missile classes of its two runs (``[irbm]``, ``[srbm]``) with any parameter or band
overridden (``[missiles.<class>]``), the sensors and the warning chain (``[warning]``), the
targets' reaction times, the trajectory set and the Monte Carlo settings. The schema is
:class:`ScenarioSpec` (pydantic); :func:`load_scenario` validates a file and resolves it into
the dictionary the analyses read. Every problem is one :class:`~warning_time.errors.InputError`
naming the file and the key path (``uncertainty.draw: unknown key; did you mean 'draws'?``).

Defaults (what a file may leave out; ``warning-time scenario show`` prints them filled in):

* ``scenario.title``: "warning_time scenario"; ``scenario.paper_claims``: none;
  ``scenario.earth``: "wgs84"; ``scenario.rotation``: true;
  ``scenario.interior_baseline_areas``: none (no "Russia proper" column);
  ``scenario.pressure_countries``: the paper's (POL, DEU, LTU, LVA, EST);
  ``scenario.aegis_sites``: the two shipped Aegis Ashore sites;
* ``[targets]``: the shipped targets.csv;
* ``[warning]``: every shipped sensor; decision delay 0 s (no band);
* ``[reaction_times]``: none given;
* ``[irbm]``/``[srbm]``: ``trajectory = "default"`` (the class's own), ``trajectories`` = that one;
* ``[uncertainty]``: 100 draws, 6 points per area, seed 1, 16 Sobol base samples, a 10 km
  best-point lattice, triangular distributions.

Required: ``scenario.launch_areas``, ``scenario.baseline_areas``, ``[irbm]`` and ``[srbm]``
with their ``missile``.
"""
from __future__ import annotations

import copy
import hashlib
import json
import math
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError, model_validator

from .errors import InputError
from .io import parse_toml
from .missiles import (CRUISE_TRAJECTORIES, TRAJECTORIES, MissileClass, MissileRef, Param, load_missiles,
                       unknown_name)

RUNS = ("irbm", "srbm")
PAPER_PRESSURE_COUNTRIES = ("POL", "DEU", "LTU", "LVA", "EST")
PAPER_AEGIS_SITES = ("Redzikowo Aegis Ashore", "Deveselu Aegis Ashore")
DEFAULT_TITLE = "warning_time scenario"
#: keys that earlier scenario files held elsewhere, and where they live now
MOVED = {("scenario", "sensors"): "[warning] sensors", ("scenario", "decision_delay_s"): "[warning] decision_delay_s"}
#: parameters a class flown from its calibrated flight table (quasi-ballistic flyout) does not read
TABLE_IGNORES = ("burnout_altitude_km", "ballistic_coefficient_kg_m2", "reentry_altitude_km", "apogee_cap_km")

Finite = Annotated[float, Field(allow_inf_nan=False)]
Text = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Band(_Strict):
    """A band of values: low <= nominal <= high (finite) and where the figure comes from."""

    low: Finite
    nominal: Finite
    high: Finite
    source: Text

    @model_validator(mode="after")
    def _ordered(self):
        if not (self.low <= self.nominal <= self.high):
            raise ValueError(f"need low <= nominal <= high, got low {self.low:g}, nominal {self.nominal:g}, "
                             f"high {self.high:g}")
        return self


class DelayBand(Band):
    """A band of times (s): a delay is never negative."""

    @model_validator(mode="after")
    def _non_negative(self):
        if self.low < 0:
            raise ValueError(f"a delay cannot be negative, got low {self.low:g} s")
        return self


class ParamBand(_Strict):
    """A missile parameter's band as in missiles.toml (infinite only where the catalog allows:
    an unlimited range or no drag)."""

    low: float
    nominal: float
    high: float
    source: Text

    @model_validator(mode="after")
    def _ordered(self):
        if any(math.isnan(v) for v in (self.low, self.nominal, self.high)):
            raise ValueError("a band cannot be nan")
        if not (0 <= self.low <= self.nominal <= self.high):
            raise ValueError(f"need 0 <= low <= nominal <= high, got low {self.low:g}, nominal {self.nominal:g}, "
                             f"high {self.high:g}")
        return self


class CircleArea(_Strict):
    """An inline launch area: a circle of ``radius_km`` around a point (NOTIONAL)."""

    name: Text
    lat_deg: Annotated[float, Field(ge=-90, le=90)]
    lon_deg: Annotated[float, Field(ge=-180, le=180)]
    radius_km: Annotated[float, Field(gt=0, le=1000)]
    country_iso3: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "XXX"
    basis: Text = "scenario file (inline circle)"


class GeometryArea(_Strict):
    """An inline launch area: a GeoJSON Polygon or MultiPolygon (lon, lat degrees)."""

    name: Text
    geometry: dict
    country_iso3: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "XXX"
    basis: Text = "scenario file (inline geometry)"


class FileAreas(_Strict):
    """The features of a GeoJSON file of the launch_areas.geojson schema (path relative to the
    scenario file), all of them or those named."""

    file: Text
    names: list[Text] | None = None


def _area_kind(v):
    if isinstance(v, str):
        return "name"
    for cls, tag in ((CircleArea, "circle"), (GeometryArea, "geometry"), (FileAreas, "file")):
        if isinstance(v, cls):
            return tag
    if isinstance(v, dict):
        return "file" if "file" in v else "geometry" if "geometry" in v else "circle"
    return "name"  # anything else fails as a name, with its type in the message


AreaItem = Annotated[Union[Annotated[Text, Tag("name")], Annotated[CircleArea, Tag("circle")],
                           Annotated[GeometryArea, Tag("geometry")], Annotated[FileAreas, Tag("file")]],
                     Discriminator(_area_kind)]


def _override_kind(v):
    return "band" if isinstance(v, (dict, ParamBand)) else "value"


Override = Annotated[Union[Annotated[float, Tag("value")], Annotated[ParamBand, Tag("band")]],
                     Discriminator(_override_kind)]


class ScenarioTable(_Strict):
    title: Text = DEFAULT_TITLE
    paper_claims: list[str] = []
    earth: Literal["wgs84", "sphere"] = "wgs84"
    rotation: bool = True
    launch_areas: Annotated[list[AreaItem], Field(min_length=1)]
    baseline_areas: Annotated[list[AreaItem], Field(min_length=1)]
    interior_baseline_areas: list[Text] = []
    pressure_countries: Annotated[list[Annotated[str, Field(pattern=r"^[A-Z]{3}$")]], Field(min_length=1)] = \
        list(PAPER_PRESSURE_COUNTRIES)
    aegis_sites: list[Text] = list(PAPER_AEGIS_SITES)


class TargetsTable(_Strict):
    file: Text | None = None


class WarningTable(_Strict):
    sensors: list[Text] | None = None
    decision_delay_s: DelayBand = DelayBand(
        low=0.0, nominal=0.0, high=0.0, source="none added: warning time is what is left after detection and "
        "processing; decision time is the analyst's to subtract")


class Run(_Strict):
    missile: Text
    trajectory: Text = "default"
    trajectories: list[Text] | None = None


class UncertaintyTable(_Strict):
    draws: Annotated[int, Field(ge=1, le=1000)] = 100
    points_per_area: Annotated[int, Field(ge=1, le=200)] = 6
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = 1
    sobol_samples: Annotated[int, Field(ge=2, le=4096)] = 16
    geometry_spacing_km: Annotated[float, Field(gt=0.5, le=50.0)] = 10.0
    distribution: Literal["triangular", "uniform"] = "triangular"


class ScenarioSpec(_Strict):
    """The scenario file's schema (see the module docstring for the defaults)."""

    scenario: ScenarioTable
    targets: TargetsTable = TargetsTable()
    warning: WarningTable = WarningTable()
    reaction_times: dict[str, DelayBand] = {}
    irbm: Run
    srbm: Run
    missiles: dict[str, dict[str, Override]] = {}
    sensors: dict[str, dict[str, Override]] = {}
    uncertainty: UncertaintyTable = UncertaintyTable()


# ----------------------------------------------------------------------------------------------
# errors: one line naming the key path
# ----------------------------------------------------------------------------------------------

_TAGS = {"name", "circle", "geometry", "file", "value", "band"}
_TYPE_WORDS = {"bool_type": "must be true or false", "int_type": "must be an integer",
               "float_type": "must be a number", "string_type": "must be text (a quoted string)",
               "list_type": "must be a list [...]", "dict_type": "must be a table {...}",
               "model_type": "must be a table {...}", "model_attributes_type": "must be a table {...}",
               "finite_number": "must be a finite number (not nan or inf)",
               "literal_error": None, "union_tag_invalid": None}


def _is_tag(loc, i) -> bool:
    """Whether ``loc[i]`` is the tag of a union member (an area item after its list index, a
    parameter override after its name under [missiles]) rather than a key of the file."""
    if loc[i] not in _TAGS:
        return False
    if loc[i] in ("name", "circle", "geometry", "file"):
        return i >= 1 and isinstance(loc[i - 1], int) and loc[0] == "scenario"
    return i == 3 and loc[0] in ("missiles", "sensors")


def _path(loc) -> str:
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif _is_tag(loc, i):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def _unwrap(tp):
    """The model class (or list/dict element) behind an annotation."""
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _keys_at(loc) -> list[str] | None:
    """The valid keys of the table at ``loc`` (a pydantic error location), or None."""
    tp: Any = ScenarioSpec
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if part not in tp.model_fields:
                return None
            tp = tp.model_fields[part].annotation
            continue
        origin = get_origin(tp)
        if origin is list:
            tp = get_args(tp)[0]
        elif origin is dict:
            tp = get_args(tp)[1]
        elif origin is Union:
            members = {}
            for a in get_args(tp):
                tags = [m for m in getattr(a, "__metadata__", ()) if isinstance(m, Tag)]
                if tags:
                    members[tags[0].tag] = a
            if part not in members:
                return None
            tp = members[part]
        else:
            return None
        while True:  # Optional[X]: X
            tp = _unwrap(tp)
            if get_origin(tp) is Union and type(None) in get_args(tp):
                tp = next(a for a in get_args(tp) if a is not type(None))
            else:
                break
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return None


def _shown(v) -> str:
    s = repr(v)
    return s if len(s) <= 60 else s[:57] + "..."


def _message(err: dict, data: dict) -> tuple[str, str]:
    loc = err["loc"]
    path = _path(loc)
    kind = err["type"]
    if kind == "extra_forbidden":
        moved = MOVED.get(tuple(p for i, p in enumerate(loc) if not _is_tag(loc, i)))
        if moved:
            return path, f"{path}: this key now lives under {moved}"
        if len(loc) == 2 and loc[0] in RUNS:
            run = data.get(loc[0]) if isinstance(data.get(loc[0]), dict) else {}
            key = run.get("missile") if isinstance(run.get("missile"), str) else "<class>"
            params = set().union(*(m.params for m in load_missiles().values()))
            if loc[1] in params:
                return path, (f"{path}: a parameter of the missile class is set under [missiles.{key}] "
                              f"(e.g. {loc[1]} = {_value(err.get('input'))}), not under [{loc[0]}]")
        keys = _keys_at(loc[:-1]) or []
        return path, f"{path}: {unknown_name('this key', loc[-1], keys)}"
    if kind == "missing":
        if len(loc) == 1:
            return path, f"[{path}]: required table missing"
        parent = _keys_at(loc[:-1])
        where = f" (a band needs {', '.join(parent)})" if parent == ["low", "nominal", "high", "source"] else ""
        return path, f"{path}: required key missing{where}"
    if kind == "union_tag_invalid":
        return path, f"{path}: {err['msg']}"
    if kind == "list_type" and isinstance(err.get("input"), str):
        return path, (f"{path} = {_shown(err['input'])}: must be a list, e.g. [{json.dumps(err['input'])}], "
                      "not a single string")
    if kind in ("model_type", "model_attributes_type") and path.endswith("decision_delay_s"):
        return path, (f"{path} = {_shown(err.get('input'))}: must be a band table, e.g. "
                      "{ low = 60, nominal = 60, high = 60, source = \"...\" } for a fixed delay")
    if kind == "literal_error":
        return path, f"{path} = {_shown(err.get('input'))}: {err['msg'].replace('Input should be', 'must be')}"
    words = _TYPE_WORDS.get(kind)
    msg = words or err["msg"].replace("Value error, ", "").replace("Input should be", "must be")
    shown = f" = {_shown(err['input'])}" if "input" in err and not isinstance(err["input"], dict) else ""
    return path, f"{path}{shown}: {msg}"


def _fail(source, path, msg):
    raise InputError(path, message=f"{source}: {msg}")


# ----------------------------------------------------------------------------------------------
# loading
# ----------------------------------------------------------------------------------------------

def read_scenario_text(path=None) -> tuple[str, str, Path | None]:
    """(text, source name, directory relative paths start from) of a scenario file, or of the
    shipped paper scenario when ``path`` is None."""
    if path is None:
        text = resources.files("warning_time").joinpath("data/scenarios/paper.toml").read_text("utf-8")
        return text, "paper.toml (package data)", None
    p = Path(path)
    source = str(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError("scenario", message=f"{source}: file not found") from None
    except IsADirectoryError:
        raise InputError("scenario", message=f"{source}: is a directory, not a scenario file") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError("scenario", message=f"{source}: line {line}: not UTF-8 text (byte {exc.start}: "
                         f"0x{raw[exc.start]:02x}); save the file as UTF-8") from None
    return text, source, p.resolve().parent


def validate_spec(data: dict, source: str) -> ScenarioSpec:
    """The parsed TOML checked against :class:`ScenarioSpec` (structure and value ranges)."""
    try:
        return ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        errs = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")  # typos first
        try:
            path, msg = _message(errs[0], data)
        except Exception:  # noqa: BLE001 - never let the message builder hide the problem
            path, msg = _path(errs[0]["loc"]), f"{_path(errs[0]['loc'])}: {errs[0]['msg']}"
        more = len(errs) - 1
        _fail(source, path, msg + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""))


def load_scenario(path=None, *, draws: int | None = None) -> dict:
    """The shipped paper scenario, or a user TOML file, validated and resolved.

    Returns the dictionary the analyses read: ``scenario`` (names of the areas and sites, the
    Earth model, ``sensors`` and ``decision_delay_band`` for the warning chain), ``irbm`` /
    ``srbm`` (``missile`` a :class:`~warning_time.missiles.MissileRef` carrying the class with
    the scenario's overrides, ``trajectory``, ``trajectories``), ``uncertainty``, plus
    ``areas`` and ``target_table`` (GeoDataFrames of the places used), ``missile_classes`` (the
    effective catalog), ``_effective`` (the effective scenario as plain data),
    ``_hash`` and ``_source``. ``draws`` replaces the Monte Carlo draws (and is stated)."""
    text, source, base = read_scenario_text(path)
    data = parse_toml(text, "scenario", source)
    if draws is not None:
        data = copy.deepcopy(data)
        data.setdefault("uncertainty", {})["draws"] = draws
    spec = validate_spec(data, source)
    return resolve(spec, source, base)


def resolve(spec: ScenarioSpec, source: str, base: Path | None) -> dict:
    """Check a structurally valid scenario against the data (names exist, overrides are
    parameters of their class, trajectories fit their class) and build what the analyses read."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    from .places import load_launch_areas, load_sensors, load_targets

    s = spec.scenario
    files: dict[str, str] = {}

    def rel(p):
        q = Path(p)
        return q if q.is_absolute() or base is None else base / q

    def digest(key, p):
        try:
            files[key] = hashlib.sha256(Path(p).read_bytes()).hexdigest()
        except OSError as exc:
            _fail(source, key, f"{key}: cannot read {p}: {exc.strerror or exc}")

    # -- places --------------------------------------------------------------------------------
    shipped = load_launch_areas()
    rows, seen = [], {}

    def add_area(row, role, path):
        if row["name"] in seen:
            other = seen[row["name"]]
            _fail(source, path, f"{path}: area {row['name']!r} is already listed at {other}"
                  + ("" if other.split("[")[0] == path.split("[")[0] else " (an area is a launch area or a "
                     "baseline, not both)"))
        seen[row["name"]] = path
        rows.append({**row, "role": role, "notional": True})

    for key, role in (("launch_areas", "launch"), ("baseline_areas", "baseline")):
        for i, item in enumerate(getattr(s, key)):
            path = f"scenario.{key}[{i}]"
            if isinstance(item, str):
                hit = shipped[shipped["name"] == item]
                if not len(hit):
                    _fail(source, f"scenario.{key}", f"scenario.{key}: unknown area(s) [{item!r}]; "
                          + unknown_name(f"area {item!r}", item, shipped["name"]).split(" is unknown", 1)[1]
                          .lstrip("; "))
                r = hit.iloc[0].to_dict()
                add_area({k: v for k, v in r.items() if k != "role"}, role, path)
            elif isinstance(item, CircleArea):
                from .geometry import range_ring

                ring = range_ring(item.lat_deg, item.lon_deg, item.radius_km)
                geom = shapely.Polygon(ring) if not hasattr(ring, "geom_type") else ring
                add_area(dict(name=item.name, country_iso3=item.country_iso3, basis=item.basis,
                              center_lat_deg=item.lat_deg, center_lon_deg=item.lon_deg, radius_km=item.radius_km,
                              geometry=geom), role, path)
            elif isinstance(item, GeometryArea):
                try:
                    geom = shapely.geometry.shape(item.geometry)
                except Exception as exc:  # noqa: BLE001 - any GeoJSON problem, named by its path
                    _fail(source, f"{path}.geometry", f"{path}.geometry: not a GeoJSON geometry: {exc}")
                _check_geom(source, f"{path}.geometry", geom)
                add_area(dict(name=item.name, country_iso3=item.country_iso3, basis=item.basis, geometry=geom),
                         role, path)
            else:
                p = rel(item.file)
                if not p.is_file():
                    _fail(source, f"{path}.file", f"{path}.file: {p}: file not found")
                digest(f"{path}.file", p)
                g = load_launch_areas(p)
                names = item.names if item.names is not None else list(g["name"])
                for n in names:
                    hit = g[g["name"] == n]
                    if not len(hit):
                        _fail(source, f"{path}.names", f"{path}.names: " + unknown_name(f"area {n!r} in {p}", n,
                                                                                        g["name"]))
                    r = hit.iloc[0].to_dict()
                    add_area({k: v for k, v in r.items() if k != "role"}, role, path)
    areas = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs="EPSG:4326")
    launch_names = list(areas.loc[areas["role"] == "launch", "name"])
    base_names = list(areas.loc[areas["role"] == "baseline", "name"])
    for i, n in enumerate(s.interior_baseline_areas):
        if n not in base_names:
            _fail(source, f"scenario.interior_baseline_areas[{i}]", f"scenario.interior_baseline_areas[{i}]: "
                  + unknown_name(f"{n!r} (must be one of the baseline_areas)", n, base_names))

    if spec.targets.file is not None:
        tp = rel(spec.targets.file)
        if not tp.is_file():
            _fail(source, "targets.file", f"targets.file: {tp}: file not found")
        digest("targets.file", tp)
        targets = load_targets(tp)
    else:
        targets = load_targets()
    countries = set(targets["country_iso3"])
    for i, c in enumerate(s.pressure_countries):
        if c not in countries:
            _fail(source, f"scenario.pressure_countries[{i}]", f"scenario.pressure_countries[{i}]: "
                  + unknown_name(f"country {c!r} (no target there)", c, sorted(countries)))
    for i, n in enumerate(s.aegis_sites):
        if n not in set(targets["name"]):
            _fail(source, f"scenario.aegis_sites[{i}]", f"scenario.aegis_sites[{i}]: "
                  + unknown_name(f"site {n!r} (not among the targets)", n,
                                 targets.loc[targets["kind"] == "military", "name"]))
    if not (targets["kind"] == "capital").any():
        _fail(source, "targets.file", "targets.file: no target of kind 'capital' (the claim-1 tables list capitals)")

    # -- warning chain -------------------------------------------------------------------------
    sensor_table = load_sensors()
    sensor_names = list(sensor_table["sensor"])
    sensors = list(spec.warning.sensors) if spec.warning.sensors is not None else sensor_names
    for i, n in enumerate(sensors):
        if n not in sensor_names:
            _fail(source, f"warning.sensors[{i}]", f"warning.sensors[{i}]: "
                  + unknown_name(f"sensor {n!r}", n, sensor_names))
    sensor_table = _override_sensors(source, sensor_table, spec.sensors)
    from .places import TARGET_KINDS

    for k in spec.reaction_times:
        if k not in TARGET_KINDS:
            _fail(source, f"reaction_times.{k}", f"reaction_times.{k}: "
                  + unknown_name(f"target kind {k!r}", k, TARGET_KINDS))

    # -- missile classes -----------------------------------------------------------------------
    catalog = load_missiles()
    classes = dict(catalog)
    for key, over in spec.missiles.items():
        if key not in catalog:
            _fail(source, f"missiles.{key}", f"missiles.{key}: " + unknown_name(f"missile class {key!r}", key,
                                                                              catalog))
        for pname in over:
            if pname not in catalog[key].params:
                _fail(source, f"missiles.{key}.{pname}", f"missiles.{key}.{pname}: "
                      + unknown_name(f"parameter {pname!r} of class '{key}'", pname, catalog[key].params))
        vals = {p: (Param(v.nominal, v.low, v.high, v.source) if isinstance(v, ParamBand) else v)
                for p, v in over.items()}
        try:
            classes[key] = catalog[key].with_params(vals, source="scenario override")
        except InputError as exc:
            _fail(source, f"missiles.{key}.{exc.field}", f"missiles.{key}.{exc.field}: {exc}")
    runs = {}
    for run in RUNS:
        r = getattr(spec, run)
        if r.missile not in classes:
            _fail(source, f"{run}.missile", f"{run}.missile: " + unknown_name(f"missile class {r.missile!r}",
                                                                            r.missile, classes))
        m = classes[r.missile]
        trajs = list(r.trajectories) if r.trajectories is not None else [r.trajectory]
        for label, t in [(f"{run}.trajectory", r.trajectory)] + [(f"{run}.trajectories[{i}]", t)
                                                                 for i, t in enumerate(trajs)]:
            _check_trajectory(source, label, m, t, s.earth, s.rotation)
        resolved = m.default_trajectory if r.trajectory == "default" else r.trajectory
        cat = catalog[r.missile].params
        touched = [p for p in spec.missiles.get(r.missile, {}) if p in TABLE_IGNORES
                   and (m.params[p].low, m.params[p].nominal, m.params[p].high) != (cat[p].low, cat[p].nominal,
                                                                                    cat[p].high)]
        from .model import quasi_tables

        if resolved == "quasi-ballistic" and m.key in quasi_tables() and touched:
            _fail(source, f"missiles.{m.key}.{touched[0]}", f"missiles.{m.key}.{touched[0]}: the {run} run flies "
                  f"class '{m.key}' on its calibrated flight table (trajectory 'quasi-ballistic'), which does not "
                  f"read {touched[0]}; choose another {run}.trajectory or leave the parameter alone")
        runs[run] = dict(missile=MissileRef(m), trajectory=r.trajectory, trajectories=trajs)

    effective = _effective(spec, sensors, classes, runs, sensor_table)
    h = scenario_hash(effective, files)
    dd = spec.warning.decision_delay_s
    legacy = dict(
        title=s.title, paper_claims=list(s.paper_claims), earth=s.earth, rotation=s.rotation,
        launch_areas=launch_names, baseline_areas=base_names, interior_baseline_areas=list(s.interior_baseline_areas),
        pressure_countries=list(s.pressure_countries), aegis_sites=list(s.aegis_sites),
        sensors=SensorNames(sensors, sensor_table),
        decision_delay_s=dd.model_dump(), decision_delay_band=(dd.low, dd.nominal, dd.high))
    return dict(scenario=legacy, **runs, uncertainty=spec.uncertainty.model_dump(),
                warning=dict(sensors=legacy["sensors"], decision_delay_s=dd.model_dump()),
                sensor_table=sensor_table,
                reaction_times={k: v.model_dump() for k, v in spec.reaction_times.items()},
                areas=areas, target_table=targets, missile_classes=classes,
                _spec=spec, _effective=effective, _files=files, _hash=h, _source=source, _base=base)


def with_draws(sc: dict, draws: int) -> dict:
    """A loaded scenario with another number of Monte Carlo draws (re-validated, so the
    effective scenario and its hash state it)."""
    spec = sc["_spec"]
    data = spec.model_dump(mode="python", exclude_unset=True)
    data.setdefault("uncertainty", {})["draws"] = draws
    return resolve(validate_spec(data, sc["_source"]), sc["_source"], sc.get("_base"))


class SensorNames(list):
    """The names of a scenario's sensors, carrying the scenario's sensor table (its overrides
    applied): a list wherever a list of names is wanted, and what
    :func:`~warning_time.sensors.sensor_set` reads the parameters from when handed it."""

    def __init__(self, names, table):
        super().__init__(names)
        self.table = table

    def __reduce__(self):  # deep copies and pickles keep the table
        return (SensorNames, (list(self), self.table))


def sensor_bands(table, name: str) -> dict:
    """{parameter: {low, nominal, high, source}} of one sensor of a sensor table."""
    row = table[table["sensor"] == name].iloc[0]
    out = {}
    for col in table.columns:
        if col.endswith("_nominal") and isinstance(row.get(col[:-8] + "_source"), str):
            p = col[:-8]
            out[p] = dict(low=float(row[f"{p}_low"]), nominal=float(row[f"{p}_nominal"]),
                          high=float(row[f"{p}_high"]), source=str(row[f"{p}_source"]))
    return out


def _override_sensors(source, table, overrides):
    """The sensor table with the scenario's ``[sensors.<name>]`` overrides applied (checked:
    known sensor and parameter, finite bands, a radar's elevation mask below 90 deg)."""
    if not overrides:
        return table
    table = table.copy()
    names = list(table["sensor"])
    for name, over in overrides.items():
        if name not in names:
            _fail(source, f"sensors.{name}", f"sensors.{name}: " + unknown_name(f"sensor {name!r}", name, names))
        bands = sensor_bands(table, name)
        i = names.index(name)
        for p, v in over.items():
            path = f"sensors.{name}.{p}"
            if p not in bands:
                _fail(source, path, f"{path}: " + unknown_name(f"parameter {p!r} of sensor '{name}'", p, bands))
            if isinstance(v, ParamBand):
                lo, nom, hi, src = v.low, v.nominal, v.high, v.source
            else:
                if math.isnan(v) or v < 0:
                    _fail(source, path, f"{path} = {v!r}: must be a number >= 0")
                lo = nom = hi = float(v)
                src = "scenario override"
            if not all(math.isfinite(x) for x in (lo, nom, hi)):
                _fail(source, path, f"{path}: must be finite (not inf)")
            if p == "elevation_mask_deg" and hi >= 90:
                _fail(source, path, f"{path}: an elevation mask must be below 90 deg, got high {hi:g}")
            for suffix, val in (("low", lo), ("nominal", nom), ("high", hi), ("source", src)):
                table.at[table.index[i], f"{p}_{suffix}"] = val
    return table


def _check_geom(source, path, geom):
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty or not geom.is_valid:
        _fail(source, path, f"{path}: must be a valid non-empty Polygon or MultiPolygon, got {geom.geom_type}")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        _fail(source, path, f"{path}: coordinates outside lon [-180, 180] / lat [-90, 90]")


def _check_trajectory(source, path, m: MissileClass, traj, earth, rotation):
    """The run's trajectory must be one the class flies (resolved with FlightModel)."""
    from .model import FlightModel

    choices = TRAJECTORIES + ("default",)
    if traj not in choices:
        _fail(source, path, f"{path}: " + unknown_name(f"trajectory {traj!r}", traj, choices))
    if (m.kind == "cruise") != (traj in CRUISE_TRAJECTORIES) and traj != "default":
        _fail(source, path, f"{path} = {traj!r}: class '{m.key}' is {m.kind}; "
              + ("cruise classes fly 'cruise' or 'default'" if m.kind == "cruise"
                 else "ballistic classes fly " + ", ".join(repr(t) for t in TRAJECTORIES if t != "cruise")
                 + " or 'default'"))
    try:
        FlightModel.resolve(m, trajectory=traj, earth=earth, rotation=rotation)
    except InputError as exc:
        _fail(source, path, f"{path} = {traj!r}: {exc}")


# ----------------------------------------------------------------------------------------------
# the effective scenario, its hash and its TOML
# ----------------------------------------------------------------------------------------------

def _band_dict(p: Param) -> dict:
    return dict(low=p.low, nominal=p.nominal, high=p.high, source=p.source)


def _effective(spec: ScenarioSpec, sensors, classes, runs, sensor_table) -> dict:
    """The scenario with every default filled in, as plain data (what ``scenario show`` prints):
    the classes of the two runs and every overridden class appear with all their parameters, and
    so does every sensor used or overridden."""
    d = spec.model_dump(mode="python")
    sc = d["scenario"]
    for key in ("launch_areas", "baseline_areas"):
        sc[key] = [item if isinstance(item, str) else {k: v for k, v in item.items() if v is not None}
                   for item in sc[key]]
    d["warning"]["sensors"] = list(sensors)
    d["targets"] = {k: v for k, v in d["targets"].items() if v is not None}
    for run in RUNS:
        d[run]["trajectories"] = list(runs[run]["trajectories"])
    used = sorted({str(runs[r]["missile"]) for r in RUNS} | set(spec.missiles))
    d["missiles"] = {k: {p: _band_dict(v) for p, v in classes[k].params.items()} for k in used}
    shown = [n for n in sensor_table["sensor"] if n in set(sensors) | set(spec.sensors)]
    d["sensors"] = {n: sensor_bands(sensor_table, n) for n in shown}
    return d


def scenario_hash(effective: dict, files: dict | None = None) -> str:
    """SHA-256 (hex, first 16 digits) of the effective scenario in canonical JSON plus the
    contents of the files it reads (by digest): equal for equal assumptions, whatever the
    file's layout, comments or key order."""
    doc = {"scenario": effective, "files": dict(sorted((files or {}).items()))}
    blob = json.dumps(doc, sort_keys=True, separators=(",", ":"), default=_json_default, allow_nan=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def _json_default(v):
    if isinstance(v, float):
        return repr(v)
    raise TypeError(type(v).__name__)


def to_toml(effective: dict, header: str = "") -> str:
    """The effective scenario as TOML text (tables in schema order; readable back by
    :func:`load_scenario` to the same hash)."""
    lines = [f"# {ln}" if ln else "#" for ln in header.splitlines()]
    order = ["scenario", "targets", "warning", "reaction_times", "irbm", "srbm", "uncertainty", "missiles",
             "sensors"]
    for table in order:
        body = effective.get(table)
        if body is None:
            continue
        if table in ("missiles", "sensors", "reaction_times"):
            for key, sub in body.items():
                if table != "reaction_times":
                    lines += ["", f"[{table}.{_key(key)}]"] + [f"{_key(p)} = {_value(v)}" for p, v in sub.items()]
                else:
                    lines += ["", "[reaction_times]"] if key == next(iter(body)) else []
                    lines.append(f"{_key(key)} = {_value(sub)}")
            continue
        lines += ["", f"[{table}]"]
        lines += [f"{_key(k)} = {_value(v)}" for k, v in body.items()]
        if table == "targets" and not body:
            lines.append("# file: not set, the shipped targets.csv")
    return "\n".join(lines).lstrip("\n") + "\n"


def _key(k: str) -> str:
    import re

    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k)


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def show(sc: dict) -> str:
    """The effective scenario of a loaded scenario as TOML, headed by its source and hash."""
    return to_toml(sc["_effective"], header=f"effective scenario of {sc['_source']}\n"
                   f"scenario hash {sc['_hash']} (warning_time scenario check FILE prints it)")


def flat(effective: dict, prefix: str = "") -> dict:
    """The effective scenario as {dotted key path: value} (lists kept whole)."""
    out = {}
    for k, v in effective.items():
        p = f"{prefix}.{k}" if prefix else str(k)
        if isinstance(v, dict) and not (set(v) == {"low", "nominal", "high", "source"}):
            out.update(flat(v, p))
        else:
            out[p] = v
    return out


def changed_assumptions(a: dict, b: dict) -> list[tuple[str, Any, Any]]:
    """(key path, value in a, value in b) for every assumption that differs between two
    loaded scenarios (missing on one side: None)."""
    fa, fb = flat(a["_effective"]), flat(b["_effective"])
    rows = [(k, fa.get(k), fb.get(k)) for k in sorted(set(fa) | set(fb)) if fa.get(k) != fb.get(k)]
    for k in sorted(set(a["_files"]) | set(b["_files"])):
        if a["_files"].get(k) != b["_files"].get(k):
            rows.append((f"{k} (contents, sha256)", a["_files"].get(k), b["_files"].get(k)))
    return rows


def scenario_missile(sc: dict, name) -> MissileClass:
    """The scenario's version of a missile class (its overrides applied), by catalog name."""
    from .missiles import get_missile

    classes = sc.get("missile_classes") if isinstance(sc, dict) else None
    if classes and str(name) in classes:
        return classes[str(name)]
    return get_missile(name)
