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
import shapely.affinity

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


def _geojson_crs(source: str, data: dict):
    """The CRS a GeoJSON file declares in the (2008 GeoJSON) ``crs`` member, as a pyproj CRS, or
    None for longitude/latitude on WGS84 (RFC 7946 files, which have no ``crs``, and files naming
    OGC CRS84 or EPSG:4326). An unknown or linked CRS is an :class:`InputError`."""
    crs = data.get("crs") if isinstance(data, dict) else None
    if crs is None:
        return None
    import pyproj

    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) and crs.get("type") == "name" else None
    if not isinstance(name, str) or not name.strip():
        raise InputError("launch_areas", message=f"{source}: crs {json.dumps(crs)[:80]} is not a named CRS; give "
                         "longitude/latitude on WGS84 (RFC 7946: no crs member) or a named CRS such as "
                         '{"type": "name", "properties": {"name": "EPSG:3857"}}')
    try:
        c = pyproj.CRS.from_user_input(name)
    except pyproj.exceptions.CRSError:
        raise InputError("launch_areas", message=f"{source}: crs {name!r} is not a coordinate reference system "
                         "known to PROJ; give longitude/latitude on WGS84 (no crs member) or e.g. EPSG:3857")
    if c.equals(pyproj.CRS("OGC:CRS84")) or c.equals(pyproj.CRS("EPSG:4326"), ignore_axis_order=True):
        return None  # GeoJSON coordinates are longitude, latitude whatever the axis order of EPSG:4326
    return c


def _to_lon_lat(geom, transformer):
    """A geometry transformed to longitude/latitude on WGS84 (``always_xy`` transformer)."""
    return shapely.transform(geom, lambda x, y: transformer.transform(x, y), interleaved=False)


def _ring_crosses_antimeridian(coords) -> bool:
    lon = np.asarray(coords, dtype=float)[:, 0]
    return bool(np.any(np.abs(np.diff(lon)) > 180.0) or np.any(lon > 180.0))


def split_antimeridian(geom):
    """A (Multi)Polygon whose rings cross the antimeridian, i.e. jump by more than 180 deg of
    longitude from one vertex to the next (179.5 -> -179.5: the short way is across 180, not
    the 359 deg the other way round the globe), or that is written with longitudes beyond 180,
    as a MultiPolygon of its parts on either side of 180 deg, each within [-180, 180]. Other
    geometries are returned unchanged.

    Each ring is unwrapped (consecutive longitudes differ by at most 180 deg; holes shifted by
    whole turns next to their shell), then the unwrapped polygon is cut by the world box at its
    place and one turn east and west of it."""
    if geom.geom_type == "MultiPolygon":
        parts = [split_antimeridian(g) for g in geom.geoms]
        if all(p is g for p, g in zip(parts, geom.geoms)):
            return geom
        out = []
        for p in parts:
            out += list(p.geoms) if p.geom_type == "MultiPolygon" else [p]
        return shapely.MultiPolygon(out)
    if geom.geom_type != "Polygon" or geom.is_empty:
        return geom
    rings = [geom.exterior.coords] + [r.coords for r in geom.interiors]
    if not any(_ring_crosses_antimeridian(r) for r in rings):
        return geom

    def unwrap(coords, ref=None):
        xy = np.asarray(coords, dtype=float)
        lon = np.degrees(np.unwrap(np.radians(xy[:, 0])))
        if ref is not None:  # a hole: the whole turn that puts it next to its shell
            lon += 360.0 * np.round((ref - lon.mean()) / 360.0)
        return np.column_stack([lon, xy[:, 1]])

    shell = unwrap(rings[0])
    ref = float(shell[:, 0].mean())
    poly = shapely.Polygon(shell, [unwrap(r, ref) for r in rings[1:]])
    world = shapely.box(-180.0, -90.0, 180.0, 90.0)
    out = []
    for turn in (-360.0, 0.0, 360.0):
        part = shapely.affinity.translate(poly, xoff=turn).intersection(world)
        for g in getattr(part, "geoms", [part]):
            if g.geom_type == "Polygon" and not g.is_empty and g.area > 0.0:
                out.append(g)
    return shapely.MultiPolygon(out) if len(out) > 1 else (out[0] if out else geom)


def load_launch_areas(path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Notional launch areas: polygons with name, country_iso3, role (launch/baseline),
    notional (must be true), basis; plus their centre and radius when generated as circles.

    Coordinates are longitude/latitude on WGS84 (RFC 7946); a file that declares another CRS in
    a (2008 GeoJSON) ``crs`` member is transformed from it, an unknown CRS is refused. A polygon
    crossing the antimeridian is split there into a MultiPolygon (:func:`split_antimeridian`),
    never read as a band around the globe."""
    source = "launch_areas.geojson (package data)" if path is None else str(path)
    try:
        text = _package_text("launch_areas.geojson") if path is None else Path(path).read_text("utf-8")
        data = json.loads(text)
        feats = data["features"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError("launch_areas", message=f"{source}: not a GeoJSON FeatureCollection: {exc}") from None
    if not feats:
        raise InputError("launch_areas", message=f"{source}: no features")
    crs = _geojson_crs(source, data)
    transformer = None
    if crs is not None:
        import pyproj

        transformer = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
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
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
            _fail(source, i, "geometry", f"must be a valid non-empty (Multi)Polygon, got {geom.geom_type}")
        if transformer is not None:
            geom = _to_lon_lat(geom, transformer)
            if not np.all(np.isfinite(geom.bounds)):
                _fail(source, i, "geometry", f"not transformable from {crs.to_string()} to longitude/latitude")
        geom = split_antimeridian(geom)
        if not geom.is_valid:
            _fail(source, i, "geometry", f"must be a valid non-empty (Multi)Polygon, got an invalid {geom.geom_type}")
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
