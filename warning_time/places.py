"""Places as GeoDataFrames (EPSG:4326): notional launch areas, targets, sensors, countries.

Each loader reads the file shipped in the package (through importlib.resources) or a user file
of the same schema, validates it, and raises :class:`InputError` naming the file, the row and
the field of the first problem found.
"""
from __future__ import annotations

import json
import math
import re
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import InputError
from .io import parse_toml

TARGET_KINDS = ("capital", "city", "military")
AREA_ROLES = ("launch", "baseline")
SENSOR_KINDS = ("space-infrared", "ground-radar", "airborne-radar")
_ISO3 = re.compile(r"^[A-Z]{3}$")


def _package_text(name: str) -> str:
    return resources.files("warning_time").joinpath(f"data/{name}").read_text("utf-8")


def _fail(source, row, field, msg):
    where = f"row {row}, " if row is not None else ""
    raise InputError(field, rows=[row] if row is not None else None,
                     message=f"{source}: {where}field '{field}': {msg}")


def _check_number(source, df, field, lo, hi, row_offset=2):
    if field not in df.columns:
        _fail(source, None, field, "missing column")
    vals = pd.to_numeric(df[field], errors="coerce")
    bad = ~((vals >= lo) & (vals <= hi))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        _fail(source, i + row_offset, field, f"{df[field].iloc[i]!r} is not a number in [{lo}, {hi}]")
    return vals.astype(float)


def _check_text(source, df, field, choices=None, pattern=None, row_offset=2):
    if field not in df.columns:
        _fail(source, None, field, "missing column")
    for i, v in enumerate(df[field]):
        s = "" if (v is None or (isinstance(v, float) and math.isnan(v))) else str(v).strip()
        if not s:
            _fail(source, i + row_offset, field, "empty")
        if choices is not None and s not in choices:
            _fail(source, i + row_offset, field, f"{s!r} must be one of {', '.join(choices)}")
        if pattern is not None and not pattern.match(s):
            _fail(source, i + row_offset, field, f"{s!r} is not a 3-letter upper-case ISO code")


TARGET_COLUMNS = ("name", "country_iso3", "lat_deg", "lon_deg", "kind", "population", "source")


def load_targets(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Targets: name, country_iso3, lat_deg, lon_deg, kind (capital/city/military), population,
    note, source. Row numbers in errors count the header as row 1."""
    source = "targets.csv (package data)" if path is None else str(path)
    try:
        if path is None:
            with resources.files("warning_time").joinpath("data/targets.csv").open("r", encoding="utf-8") as fh:
                df = pd.read_csv(fh, keep_default_na=False)
        else:
            df = pd.read_csv(path, keep_default_na=False)
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as exc:
        raise InputError("targets", message=f"{source}: cannot read CSV: {exc}") from None
    if df.empty:
        raise InputError("targets", message=f"{source}: no rows")
    missing = [c for c in TARGET_COLUMNS if c not in df.columns]
    if missing:  # every missing column at once, not one per attempt
        raise InputError(missing[0], message=f"{source}: missing column{'s' if len(missing) > 1 else ''} "
                                             f"{', '.join(missing)} (a targets file has {', '.join(TARGET_COLUMNS)}"
                                             ", and optionally note)")
    _check_text(source, df, "name")
    _check_text(source, df, "country_iso3", pattern=_ISO3)
    lat = _check_number(source, df, "lat_deg", -90, 90)
    lon = _check_number(source, df, "lon_deg", -180, 180)
    _check_text(source, df, "kind", choices=TARGET_KINDS)
    df["population"] = _check_number(source, df, "population", 0, 5e7).astype("int64")
    _check_text(source, df, "source")
    if "note" not in df.columns:
        df["note"] = ""
    df["lat_deg"] = lat
    df["lon_deg"] = lon
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def load_launch_areas(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Notional launch areas: polygons with name, country_iso3, role (launch/baseline),
    notional (must be true), basis; plus their centre and radius when generated as circles."""
    source = "launch_areas.geojson (package data)" if path is None else str(path)
    try:
        text = _package_text("launch_areas.geojson") if path is None else Path(path).read_text("utf-8")
        data = json.loads(text)
        feats = data["features"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError("launch_areas", message=f"{source}: not a GeoJSON FeatureCollection: {exc}") from None
    if not feats:
        raise InputError("launch_areas", message=f"{source}: no features")
    rows = []
    geoms = []
    for i, f in enumerate(feats):
        props = dict(f.get("properties") or {})
        for fld in ("name", "country_iso3", "role", "basis"):
            if not str(props.get(fld, "")).strip():
                _fail(source, i, fld, "missing or empty (feature index)")
        if props["role"] not in AREA_ROLES:
            _fail(source, i, "role", f"{props['role']!r} must be one of {', '.join(AREA_ROLES)}")
        if not _ISO3.match(str(props["country_iso3"])):
            _fail(source, i, "country_iso3", f"{props['country_iso3']!r} is not a 3-letter ISO code")
        if props.get("notional") is not True:
            _fail(source, i, "notional", "launch areas are notional and must say so (notional: true)")
        try:
            geom = shapely.geometry.shape(f["geometry"])
        except Exception as exc:  # noqa: BLE001 - report any geometry parsing problem with its row
            _fail(source, i, "geometry", f"unreadable geometry: {exc}")
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty or not geom.is_valid:
            _fail(source, i, "geometry", f"must be a valid non-empty (Multi)Polygon, got {geom.geom_type}")
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            _fail(source, i, "geometry", "coordinates outside lon [-180, 180] / lat [-90, 90]")
        rows.append(props)
        geoms.append(geom)
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs="EPSG:4326")


def _band(source, key, name, val):
    if not isinstance(val, dict) or not {"low", "nominal", "high", "source"} <= set(val):
        _fail(source, None, f"{key}.{name}", "must be a table {low, nominal, high, source}")
    lo, nom, hi = float(val["low"]), float(val["nominal"]), float(val["high"])
    if not (0 <= lo <= nom <= hi) or not str(val["source"]).strip():
        _fail(source, None, f"{key}.{name}", f"need 0 <= low <= nominal <= high and a source, got ({lo}, {nom}, {hi})")
    return lo, nom, hi, str(val["source"])


#: a ground radar's sector and cross-section fields when its entry leaves them out: all round,
#: up to the zenith, range quoted against 1 m^2
RADAR_DEFAULTS = {"half_width_deg": 180.0, "elevation_max_deg": 90.0, "rcs_ref_m2": 1.0}


def _radar_sector(source, key, entry, row):
    """Check (and default) a ground radar's sector: boresight_az_deg in [0, 360), half width in
    (0, 180], mask in (0, 90) below the maximum elevation (<= 90), reference cross-section > 0."""
    az = entry.get("boresight_az_deg", 0.0)
    if not (isinstance(az, (int, float)) and 0.0 <= az < 360.0):
        _fail(source, None, f"{key}.boresight_az_deg", f"{az!r} must be a number in [0, 360)")
    row["boresight_az_deg"] = float(az)
    for name, default in RADAR_DEFAULTS.items():
        if f"{name}_nominal" not in row:
            row.update({f"{name}_low": default, f"{name}_nominal": default, f"{name}_high": default,
                        f"{name}_source": "default (warning_time.places.RADAR_DEFAULTS)"})
    if not (0.0 < row["half_width_deg_low"] and row["half_width_deg_high"] <= 180.0):
        _fail(source, None, f"{key}.half_width_deg", "must be in (0, 180] deg (180: all round)")
    if not (0.0 < row["elevation_mask_deg_low"] and row["elevation_mask_deg_high"] < 90.0):
        _fail(source, None, f"{key}.elevation_mask_deg", "must be in (0, 90) deg")
    if not (row["elevation_max_deg_high"] <= 90.0 and row["elevation_max_deg_low"] > row["elevation_mask_deg_high"]):
        _fail(source, None, f"{key}.elevation_max_deg", "must be above the elevation mask and at most 90 deg")
    if not (row["rcs_ref_m2_low"] > 0.0):
        _fail(source, None, f"{key}.rcs_ref_m2", "must be > 0")


def load_sensors(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Sensors: one row per sensor with its kind and parameter bands (columns NAME_low,
    NAME_nominal, NAME_high, NAME_source); ground radars carry a point geometry."""
    source = "sensors.toml (package data)" if path is None else str(path)
    data = parse_toml(_package_text("sensors.toml") if path is None else Path(path).read_text("utf-8"),
                      "sensors", source)
    rows = []
    geoms = []
    for key, entry in data.items():
        kind = entry.get("kind")
        if kind not in SENSOR_KINDS:
            _fail(source, None, f"{key}.kind", f"{kind!r} must be one of {', '.join(SENSOR_KINDS)}")
        row = {"sensor": key, "kind": kind, "label": str(entry.get("label", key))}
        required = ["processing_delay_s"] + {"space-infrared": ["cloud_top_km", "revisit_s"],
                                             "ground-radar": ["height_m", "elevation_mask_deg", "max_range_km"],
                                             "airborne-radar": ["altitude_m", "max_range_km"]}[kind]
        for name in required:
            if name not in entry:
                _fail(source, None, f"{key}.{name}", "missing")
        for name, val in entry.items():
            if isinstance(val, dict):
                lo, nom, hi, src = _band(source, key, name, val)
                row.update({f"{name}_low": lo, f"{name}_nominal": nom, f"{name}_high": hi, f"{name}_source": src})
        if kind in ("ground-radar", "airborne-radar"):  # an airborne radar: the point of its orbit
            lat, lon = entry.get("lat_deg"), entry.get("lon_deg")
            if not (isinstance(lat, (int, float)) and -90 <= lat <= 90):
                _fail(source, None, f"{key}.lat_deg", f"{lat!r} is outside [-90, 90]")
            if not (isinstance(lon, (int, float)) and -180 <= lon <= 180):
                _fail(source, None, f"{key}.lon_deg", f"{lon!r} is outside [-180, 180]")
            if kind == "ground-radar":
                _radar_sector(source, key, entry, row)
            row.update(lat_deg=float(lat), lon_deg=float(lon))
            geoms.append(shapely.Point(lon, lat))
        else:
            geoms.append(None)
        rows.append(row)
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs="EPSG:4326")


def load_countries(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Country outlines (Natural Earth 1:110m admin-0, public domain) with name, iso_a3,
    continent, pop_est, nato_member, nato_joined."""
    source = "countries.geojson (package data)" if path is None else str(path)
    try:
        if path is None:
            with resources.as_file(resources.files("warning_time").joinpath("data/countries.geojson")) as p:
                g = gpd.read_file(p)
        else:
            g = gpd.read_file(path)
    except Exception as exc:  # noqa: BLE001 - any reader failure becomes a named input error
        raise InputError("countries", message=f"{source}: cannot read: {exc}") from None
    for fld in ("name", "iso_a3", "pop_est", "nato_member"):
        if fld not in g.columns:
            _fail(source, None, fld, "missing column")
    _check_number(source, g, "pop_est", 0, 2e9, row_offset=0)
    return g.set_crs("EPSG:4326", allow_override=True)
