"""Geometry overlays as GeoDataFrames (EPSG:4326): geodesic range rings, flight-time
isochrones, reverse reach, newly-in-reach areas, and exposure per country.

Rings are computed on the WGS84 ellipsoid with pyproj.Geod (GeographicLib) and densified so that
edges stay close to the true ring; rings that cross the antimeridian are split into a
MultiPolygon, and rings that enclose a pole are closed through it. Flight-time surfaces come
from the numba core (core/grid.py) on a lon/lat grid and are contoured with contourpy.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Transformer

from .constants import R_MEAN_M
from .core.grid import min_flight_grid as _min_flight_grid_fast
from .errors import InputError
from .missiles import get_missile
from .model import FlightModel

GEOD = Geod(ellps="WGS84")
#: default region for surfaces: Europe (lon_min, lat_min, lon_max, lat_max), degrees
EUROPE = (-25.0, 34.0, 45.0, 72.0)
RING_EDGE_KM = 10.0
#: launch points farther than the nearest eligible one by more than this are not solved for a
#: cell: 5 km of range is >= 1 s of flight, while rotation changes the times of neighbouring
#: launch points to the same cell by far less (see core/grid.py); isochrone tests check it
SCREEN_BAND_M = 5e3


def _gdf(rows, geoms):
    import geopandas as gpd

    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=list(geoms), crs="EPSG:4326")


# ----------------------------------------------------------------------------------------------
# lon/lat polygons from closed rings: antimeridian and poles
# ----------------------------------------------------------------------------------------------

def _lonlat_polygon(lons, lats, pole: int = 0):
    """Polygon in EPSG:4326 from a closed ring given as lon/lat vertices (not repeated).

    Longitudes are unwrapped along the ring; a ring enclosing a pole (pole=+1 north, -1 south)
    is closed through the pole; the result is cut at the antimeridian into a (Multi)Polygon."""
    lu = np.degrees(np.unwrap(np.radians(np.asarray(lons, float))))
    la = np.asarray(lats, float)
    if pole:
        # the unwrapped ring winds once around the pole: close it along the pole's latitude
        plat = 90.0 * pole
        coords = list(zip(lu, la)) + [(lu[-1], plat), (lu[0], plat)]
    else:
        coords = list(zip(lu, la))
    poly = shapely.Polygon(coords)
    if not poly.is_valid:
        poly = shapely.make_valid(poly)
    lo, hi = min(lu), max(lu)
    pieces = []
    for shift in range(int(math.floor((lo + 180) / 360)), int(math.floor((hi + 180) / 360)) + 1):
        box = shapely.box(-180 + 360 * shift, -90, 180 + 360 * shift, 90)
        part = poly.intersection(box)
        if not part.is_empty:
            pieces.append(shapely.affinity.translate(part, xoff=-360 * shift))
    out = shapely.union_all(pieces) if len(pieces) > 1 else pieces[0]
    polys = [g for g in getattr(out, "geoms", [out]) if g.geom_type == "Polygon" and g.area > 0]
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def _pole_enclosed(lat0, lon0, radius_m):
    north = GEOD.inv(lon0, lat0, lon0, 90.0)[2] < radius_m
    south = GEOD.inv(lon0, lat0, lon0, -90.0)[2] < radius_m
    if north and south:
        raise InputError("radius_km", message="a ring that encloses both poles is not supported "
                         f"(radius {radius_m / 1e3:.0f} km)")
    return 1 if north else (-1 if south else 0)


def range_ring(lat_deg: float, lon_deg: float, radius_km: float, *, edge_km: float = RING_EDGE_KM):
    """The set of points within ``radius_km`` (geodesic, WGS84) of a point, as a (Multi)Polygon.

    Vertices are exact geodesic points at the radius (pyproj.Geod.fwd); their spacing along the
    ring is at most ``edge_km``."""
    if not (0 < radius_km < 19_000):
        raise InputError("radius_km", message=f"radius_km={radius_km} is outside (0, 19000)")
    r = radius_km * 1e3
    circ = 2 * math.pi * R_MEAN_M * abs(math.sin(r / R_MEAN_M))
    n = int(max(72, math.ceil(circ / (edge_km * 1e3))))
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = GEOD.fwd(np.full(n, lon_deg), np.full(n, lat_deg), az, np.full(n, r))
    return _lonlat_polygon(lons, lats, _pole_enclosed(lat_deg, lon_deg, r))


def area_range_ring(area, radius_km: float, *, edge_km: float = RING_EDGE_KM, boundary_step_km: float = 10.0):
    """Points within ``radius_km`` of any point of a (Multi)Polygon area: the union of geodesic
    rings around its boundary and the area itself, formed in an azimuthal equidistant
    projection centred on the area (no wrap or pole problems there) and mapped back."""
    c = area.representative_point()
    aeqd = f"+proj=aeqd +lat_0={c.y} +lon_0={c.x} +datum=WGS84 +units=m"
    fwd = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
    inv = Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True)
    polys = list(getattr(area, "geoms", [area]))
    pts = []
    for p in polys:
        ring = np.asarray(p.exterior.coords)[:-1]
        for (x1, y1), (x2, y2) in zip(ring, np.roll(ring, -1, axis=0)):
            d = GEOD.inv(x1, y1, x2, y2)[2]
            k = max(1, int(math.ceil(d / (boundary_step_km * 1e3))))
            pts.append((x1, y1))
            if k > 1:
                pts += GEOD.npts(x1, y1, x2, y2, k - 1)
    r = radius_km * 1e3
    circ = 2 * math.pi * R_MEAN_M * abs(math.sin(r / R_MEAN_M))
    n = int(max(72, math.ceil(circ / (edge_km * 1e3))))
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    # every boundary point's ring in one call (the same vertices as point by point)
    plon, plat = np.asarray(pts, float).T
    lons, lats, _ = GEOD.fwd(np.repeat(plon, n), np.repeat(plat, n), np.tile(az, len(pts)), np.full(len(pts) * n, r))
    x, y = fwd.transform(lons, lats)
    discs = list(shapely.polygons(np.stack([np.asarray(x), np.asarray(y)], axis=-1).reshape(len(pts), n, 2)))
    ax, ay = fwd.transform(*np.asarray(area.exterior.coords if area.geom_type == "Polygon" else
                                       polys[0].exterior.coords).T)
    u = shapely.union_all(discs + [shapely.Polygon(zip(ax, ay)).buffer(0)])
    if u.geom_type != "Polygon":
        u = max(u.geoms, key=lambda g: g.area)
    ext = shapely.segmentize(shapely.LinearRing(u.exterior.coords), edge_km * 1e3)
    xs, ys = np.asarray(ext.coords)[:-1].T
    lons, lats = inv.transform(xs, ys)
    pole = 0
    for sign in (1, -1):
        px, py = fwd.transform(c.x, 90.0 * sign)
        if u.contains(shapely.Point(px, py)):
            pole = sign
    return _lonlat_polygon(lons, lats, pole)


def range_rings(areas, missiles=("iskander-m", "oreshnik"), *, which=("max",)):
    """Rings at each missile's minimum and/or maximum range around each launch area (or point).

    Returns a GeoDataFrame with launch_area, missile, ring ('min'/'max'), radius_km."""
    rows, geoms = [], []
    for _, a in areas.iterrows():
        for key in missiles:
            m = get_missile(key)
            for w in which:
                r_km = m.max_range_km if w == "max" else m.min_range_km
                if not (0 < r_km < 19_000):
                    continue
                g = a.geometry
                geom = range_ring(g.y, g.x, r_km) if g.geom_type == "Point" else area_range_ring(g, r_km)
                rows.append(dict(launch_area=a.get("name", ""), missile=key, ring=w, radius_km=r_km))
                geoms.append(geom)
    return _gdf(rows, geoms)


# ----------------------------------------------------------------------------------------------
# flight-time surfaces and isochrones
# ----------------------------------------------------------------------------------------------

def surface_model(missile, trajectory, earth, rotation, band="nominal") -> FlightModel:
    """The resolved flight model of a surface."""
    return FlightModel.resolve(missile, trajectory=trajectory, earth=earth, rotation=rotation, band=band)


def _min_grid(model, plat_deg, plon_deg, glat_deg, glon_deg, reverse=False):
    """(least flight time s, index of the point, status) per grid cell: the numba core for
    ballistic classes, the nearest point within range (geodesic route) for cruise classes."""
    if model.is_cruise:
        from .cruise import min_flight_grid

        return min_flight_grid(model, plat_deg, plon_deg, glat_deg, glon_deg)  # distance is symmetric
    return _min_flight_grid_fast(np.radians(np.asarray(plat_deg, float)), np.radians(np.asarray(plon_deg, float)),
                                 np.radians(glat_deg), np.radians(glon_deg), bool(reverse), SCREEN_BAND_M / R_MEAN_M,
                                 model.params, model.table)


def grid_coords(region=EUROPE, res_deg=0.25):
    lon_min, lat_min, lon_max, lat_max = region
    if not (res_deg > 0):
        raise InputError("res_deg", message="res_deg must be > 0")
    lons = np.arange(lon_min, lon_max + 1e-9, res_deg)
    lats = np.arange(lat_min, lat_max + 1e-9, res_deg)
    return lons, lats


def flight_time_surface(points_lat_deg, points_lon_deg, *, missile, trajectory="minimum-energy",
                        region=EUROPE, res_deg=0.25, earth="wgs84", rotation=True, reverse=False,
                        band="nominal"):
    """Least flight time (minutes) from the launch points to every cell of a lon/lat grid (or,
    with ``reverse``, from every cell to the points), as an xarray.DataArray with coordinates
    lat, lon and attributes (missile, trajectory, units). NaN where no point reaches the cell.
    For a cruise class the least time is that of the nearest point within the class's range
    (geodesic route: launch phase + distance at the cruise speed)."""
    import xarray as xr

    model = surface_model(missile, trajectory, earth, rotation, band)
    lons, lats = grid_coords(region, res_deg)
    LON, LAT = np.meshgrid(lons, lats)
    t, idx, status = _min_grid(model, points_lat_deg, points_lon_deg, LAT.ravel(), LON.ravel(), reverse)
    return xr.DataArray((t / 60.0).reshape(LAT.shape), coords={"lat": lats, "lon": lons}, dims=("lat", "lon"),
                        name="flight_time_min",
                        attrs=dict(units="min", missile=model.key, trajectory=trajectory, earth=earth,
                                   rotation=int(rotation), reverse=int(reverse),
                                   description="least flight time over the launch points"))


def warning_surface(points_lat_deg, points_lon_deg, *, missile, trajectory="minimum-energy", region=EUROPE,
                    res_deg=0.5, earth="wgs84", rotation=True, sensor_names=None, band="nominal"):
    """Warning time (minutes) at every grid cell for launches from the points, as an
    xarray.DataArray (lat, lon). Per cell the launch point is the one with the fastest flight
    (core/grid.py); its warning follows the warning model (first detection + processing)."""
    import xarray as xr

    from .sensors import sensor_set
    from .warning import warning_time

    model = surface_model(missile, trajectory, earth, rotation, band)
    lons, lats = grid_coords(region, res_deg)
    LON, LAT = np.meshgrid(lons, lats)
    plat = np.asarray(points_lat_deg, float)
    plon = np.asarray(points_lon_deg, float)
    t, idx, status = _min_grid(model, plat, plon, LAT.ravel(), LON.ravel())
    ok = idx >= 0
    warn = np.full(LAT.size, np.nan)
    if ok.any():
        j = idx[ok].astype(int)
        w = warning_time(plat[j], plon[j], LAT.ravel()[ok], LON.ravel()[ok], missile=model.missile,
                         trajectory=trajectory, earth=earth, rotation=rotation, band=band,
                         sensors=sensor_set(names=sensor_names), on_invalid="nan")
        warn[ok] = w.warning_time_s / 60.0
    return xr.DataArray(warn.reshape(LAT.shape), coords={"lat": lats, "lon": lons}, dims=("lat", "lon"),
                        name="warning_time_min", attrs=dict(units="min", missile=model.key, trajectory=trajectory,
                                                            earth=earth, rotation=int(rotation)))


def compression_surface(launch_lat_deg, launch_lon_deg, baseline_lat_deg, baseline_lon_deg, *, missile,
                        trajectory="minimum-energy", region=EUROPE, res_deg=0.5, earth="wgs84", rotation=True,
                        sensor_names=None, band="nominal"):
    """Warning lost (s) by launching from the launch points instead of the baseline points, on
    the grid: 60 (W_baseline - W_launch), an xarray.DataArray (lat, lon). NaN where either side
    cannot reach the cell. Options as in :func:`warning_surface`."""
    opts = dict(missile=missile, trajectory=trajectory, region=region, res_deg=res_deg, earth=earth,
                rotation=rotation, sensor_names=sensor_names, band=band)
    w_l = warning_surface(launch_lat_deg, launch_lon_deg, **opts)
    w_b = warning_surface(baseline_lat_deg, baseline_lon_deg, **opts)
    out = ((w_b - w_l) * 60.0).rename("compression_s")
    out.attrs = dict(w_l.attrs, units="s", description="warning from the baseline points minus from the launch points")
    return out


def contour_bands(da, levels, *, value_name="level_min"):
    """Filled contour bands of a DataArray (lat, lon) as polygons: one row per band with
    ``{value_name}_low`` / ``{value_name}`` (the upper level: 'arrives within')."""
    import contourpy

    z = np.asarray(da.values, float)
    z = np.where(np.isfinite(z), z, np.nan)
    gen = contourpy.contour_generator(da["lon"].values, da["lat"].values, np.ma.masked_invalid(z),
                                      fill_type=contourpy.FillType.OuterOffset)
    rows, geoms = [], []
    lv = sorted(levels)
    lows = [-np.inf] + lv[:-1]
    zmin = np.nanmin(z) if np.isfinite(z).any() else np.inf
    for lo, hi in zip(lows, lv):
        polys = []
        if not (hi > zmin):
            continue  # nothing on the grid is that fast
        lo_v = zmin - 1.0 if not np.isfinite(lo) else max(lo, zmin - 1.0)
        points, offsets = gen.filled(lo_v, hi)
        for pts, offs in zip(points, offsets):
            rings = [pts[offs[k]:offs[k + 1]] for k in range(len(offs) - 1)]
            if rings and len(rings[0]) >= 4:
                polys.append(shapely.Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]))
        if not polys:
            continue
        geom = shapely.make_valid(shapely.union_all(polys))
        rows.append({f"{value_name}_low": (lo if np.isfinite(lo) else float(math.floor(zmin))), value_name: hi})
        geoms.append(geom)
    if not rows:
        import geopandas as gpd

        return gpd.GeoDataFrame({f"{value_name}_low": [], value_name: []}, geometry=[], crs="EPSG:4326")
    return _gdf(rows, geoms)


def isochrones(areas_or_points, *, missile, trajectory="minimum-energy", levels_min=(3, 5, 8, 10, 12, 15),
               region=EUROPE, res_deg=0.25, points_per_area=12, seed=0, earth="wgs84", rotation=True):
    """Flight-time isochrone bands from launch areas (least time over points sampled in every
    area) or a DataFrame of points (lat_deg, lon_deg). Columns: level_min_low, level_min,
    missile, trajectory, launch_area."""
    from .sampling import area_points

    if "geometry" in getattr(areas_or_points, "columns", []) and \
            areas_or_points.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all():
        pts = area_points(areas_or_points, points_per_area, seed=seed)
        label = ", ".join(areas_or_points["name"]) if "name" in areas_or_points else "areas"
    else:
        pts = areas_or_points
        label = "points"
    da = flight_time_surface(pts["lat_deg"], pts["lon_deg"], missile=missile, trajectory=trajectory,
                             region=region, res_deg=res_deg, earth=earth, rotation=rotation)
    bands = contour_bands(da, list(levels_min))
    bands["missile"] = get_missile(missile).key
    bands["trajectory"] = trajectory
    bands["launch_area"] = label
    return bands


def reverse_reach(target_lat_deg, target_lon_deg, budget_min, *, missile, trajectory="minimum-energy",
                  region=EUROPE, res_deg=0.25, earth="wgs84", rotation=True):
    """The region from which the class reaches the target within ``budget_min`` minutes."""
    da = flight_time_surface([target_lat_deg], [target_lon_deg], missile=missile, trajectory=trajectory,
                             region=region, res_deg=res_deg, earth=earth, rotation=rotation, reverse=True)
    bands = contour_bands(da, [float(budget_min)])
    bands["missile"] = get_missile(missile).key
    bands["trajectory"] = trajectory
    bands["target_lat_deg"] = target_lat_deg
    bands["target_lon_deg"] = target_lon_deg
    return bands


# ----------------------------------------------------------------------------------------------
# newly in reach, exposure, export
# ----------------------------------------------------------------------------------------------

def newly_in_reach(launch_areas, baseline_areas, *, missile, targets=None, edge_km=RING_EDGE_KM,
                   boundary_step_km=10.0):
    """The area a class reaches (its maximum-range ring) from the launch areas but not from the
    baseline areas, and the targets inside it. Returns (GeoDataFrame area, DataFrame targets).
    ``edge_km`` / ``boundary_step_km`` as in :func:`area_range_ring` (coarser for drawing)."""
    m = get_missile(missile)
    r_km = m.max_range_km
    opts = dict(edge_km=edge_km, boundary_step_km=boundary_step_km)
    la = shapely.union_all([area_range_ring(g, r_km, **opts) for g in launch_areas.geometry])
    ba = shapely.union_all([area_range_ring(g, r_km, **opts) for g in baseline_areas.geometry])
    new = shapely.make_valid(la.difference(ba))
    gdf = _gdf([dict(missile=m.key, radius_km=r_km, description="reached from the launch areas only")], [new])
    inside = None
    if targets is not None:
        inside = targets[targets.within(new)].drop(columns="geometry")
    return gdf, inside


def geodesic_area_km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def exposure(bands, countries, targets=None, *, level_col="level_min", nato_only=True):
    """Per country and band: the area (km^2, geodesic) and the population exposed.

    Population = the listed cities inside the band + the country's remaining population
    (Natural Earth pop_est minus its listed cities) spread uniformly over its area."""
    c = countries[countries["nato_member"]] if nato_only else countries
    rows = []
    for _, ctry in c.iterrows():
        cgeom = ctry.geometry
        carea = geodesic_area_km2(cgeom)
        cities = targets[(targets["country_iso3"] == ctry["iso_a3"]) & (targets["population"] > 0)] \
            if targets is not None else None
        rest = max(0.0, float(ctry["pop_est"]) - (cities["population"].sum() if cities is not None else 0.0))
        for _, b in bands.iterrows():
            inter = shapely.make_valid(cgeom.intersection(b.geometry))
            if inter.is_empty:
                continue
            a = geodesic_area_km2(inter)
            city_pop = float(cities[cities.within(inter)]["population"].sum()) if cities is not None else 0.0
            rows.append({"country": ctry["name"], "iso_a3": ctry["iso_a3"], f"{level_col}_low": b.get(f"{level_col}_low"),
                         level_col: b[level_col], "area_km2": a, "area_share": a / carea if carea else math.nan,
                         "population_cities": city_pop, "population_est": city_pop + rest * (a / carea if carea else 0)})
    return pd.DataFrame(rows)


#: KML fill colours (aabbggrr), light to dark, for the bands in order of their level; edges opaque
_KML_RAMP = ["ffb4d9fe", "ff84c6fd", "ff5992fc", "ff3c6af4", "ff2c2fd7", "ff1e0ba5", "ff26004d", "ff1a0033"]


def _kml_label(row, i) -> str:
    """A feature's name: its 'name', else its band ('8-10 min flight'), else 'feature N'."""
    def num(v):
        return v is not None and isinstance(v, (int, float, np.integer, np.floating)) and np.isfinite(v)

    for col in ("name", "label", "target"):
        v = row.get(col)
        if isinstance(v, str) and v.strip():
            return v
    for col, unit, what in (("level_min", "min", "flight"), ("compression_s", "s", "warning lost"),
                            ("warning_min", "min", "warning")):
        if col in row and num(row[col]):
            lo = row.get(f"{col}_low")
            hi = f"{row[col]:g}" if row[col] < 1e4 else "more"
            return (f"{lo:g}-{hi} {unit} {what}" if num(lo) else f"up to {hi} {unit} {what}")
    return f"feature {i + 1}"


def _kml_coords(ring) -> str:
    return " ".join(f"{x:.6f},{y:.6f}" for x, y, *_ in ring.coords)


def _kml_geometry(g) -> str:
    t = g.geom_type
    if t == "Point":
        return f"<Point><coordinates>{g.x:.6f},{g.y:.6f}</coordinates></Point>"
    if t in ("LineString", "LinearRing"):
        return f"<LineString><tessellate>1</tessellate><coordinates>{_kml_coords(g)}</coordinates></LineString>"
    if t == "Polygon":
        inner = "".join(f"<innerBoundaryIs><LinearRing><coordinates>{_kml_coords(r)}</coordinates></LinearRing>"
                        "</innerBoundaryIs>" for r in g.interiors)
        return (f"<Polygon><tessellate>1</tessellate><outerBoundaryIs><LinearRing><coordinates>"
                f"{_kml_coords(g.exterior)}</coordinates></LinearRing></outerBoundaryIs>{inner}</Polygon>")
    if hasattr(g, "geoms"):
        return "<MultiGeometry>" + "".join(_kml_geometry(x) for x in g.geoms if not x.is_empty) + "</MultiGeometry>"
    raise InputError("geometry", message=f"cannot write a {t} to KML")


def kml_document(gdf, title="warning_time") -> str:
    """A GeoDataFrame as KML: every feature a Placemark with a name (its 'name', or its band,
    e.g. '8-10 min flight'), a description and ExtendedData of its attributes (all text
    escaped), and a style per band (fill light to dark in the order of the level, 45 % opaque,
    opaque edge); coordinates in WGS84 longitude, latitude."""
    from xml.sax.saxutils import escape, quoteattr

    gdf = gdf.to_crs(4326) if gdf.crs is not None and gdf.crs.to_epsg() != 4326 else gdf
    attrs = [c for c in gdf.columns if c != gdf.geometry.name]
    level = next((c for c in ("level_min", "compression_s", "warning_min") if c in gdf.columns), None)
    keys = list(dict.fromkeys(gdf[level].tolist())) if level else ["feature"]
    order = sorted(keys, key=lambda v: (not np.isfinite(v), v)) if level else keys
    styles, style_of = [], {}
    for k, v in enumerate(order):
        sid = f"band{k}"
        style_of[v] = sid
        edge = _KML_RAMP[min(k, len(_KML_RAMP) - 1)] if level else "ff2c2fd7"
        fill = "73" + edge[2:]
        styles.append(f"<Style id={quoteattr(sid)}><LineStyle><color>{edge}</color><width>1.5</width></LineStyle>"
                      f"<PolyStyle><color>{fill}</color></PolyStyle>"
                      f"<IconStyle><color>{edge}</color></IconStyle></Style>")
    marks = []
    for i, (_, r) in enumerate(gdf.iterrows()):
        g = r[gdf.geometry.name]
        if g is None or g.is_empty:
            continue
        row = {c: r[c] for c in attrs}
        data = "".join(f"<Data name={quoteattr(str(c))}><value>{escape(str(v))}</value></Data>" for c, v in row.items())
        desc = "; ".join(f"{c}: {v}" for c, v in row.items())
        sid = style_of[r[level]] if level else "band0"
        marks.append(f"<Placemark><name>{escape(_kml_label(row, i))}</name><description>{escape(desc)}</description>"
                     f"<styleUrl>#{sid}</styleUrl><ExtendedData>{data}</ExtendedData>{_kml_geometry(g)}</Placemark>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            f"<name>{escape(str(title))}</name>" + "".join(styles) + "".join(marks) + "</Document></kml>\n")


EXPORT_DRIVERS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON", ".kml": "KML"}


def export(gdf, path):
    """Write a GeoDataFrame to GeoPackage, GeoJSON, GeoParquet (.parquet) or KML (named and
    styled features: :func:`kml_document`), atomically."""
    from pathlib import Path

    from .io import atomic_path, output_kind

    path = Path(path)
    ext = path.suffix.lower()
    if ext not in EXPORT_DRIVERS and ext != ".parquet":
        raise InputError("path", message=f"{path}: unknown format {ext!r}; use .gpkg, .geojson, .parquet or .kml")
    if output_kind(path) not in ("file", "missing"):
        # the GDAL and Parquet writers need a regular file they may create and seek in
        raise InputError("path", message=f"{path}: geometry exports are written to regular files only "
                                         "(not a device, pipe, directory or standard output)")
    with atomic_path(path) as tmp:
        tmp.unlink(missing_ok=True)
        if ext == ".parquet":
            gdf.to_parquet(tmp)
        elif ext == ".kml":
            tmp.write_text(kml_document(gdf, path.stem), encoding="utf-8")
        else:
            layer = "".join(ch if ch.isalnum() else "_" for ch in path.stem) or "layer"
            gdf.to_file(tmp, driver=EXPORT_DRIVERS[ext], layer=layer)
    return path
