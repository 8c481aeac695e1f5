"""User launch-area files (``--areas``): polygons across the antimeridian are split there, and a
GeoJSON ``crs`` member is honoured (transformed to longitude/latitude) or refused.

Expected values are written here: the split parts are the two boxes either side of 180 deg, and
the projected coordinates come from the spherical (web) Mercator formulas x = a lon,
y = a ln tan(pi/4 + lat/2) with a = 6,378,137 m (EPSG:3857), not from the package.
"""
from __future__ import annotations

import json
import math

import pytest
import shapely

from warning_time.errors import InputError
from warning_time.places import load_launch_areas
from warning_time.sampling import area_points

A_3857 = 6378137.0


def _feature(ring, name="a1"):
    return {"type": "Feature",
            "properties": {"name": name, "country_iso3": "RUS", "role": "launch", "basis": "test (D)",
                           "notional": True},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def _write(tmp_path, features, crs=None):
    doc = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        doc["crs"] = crs
    path = tmp_path / "areas.geojson"
    path.write_text(json.dumps(doc))
    return path


#: a 2 x 2 deg square centred on the antimeridian at the equator, written the usual way
ACROSS = [[179.0, -1.0], [-179.0, -1.0], [-179.0, 1.0], [179.0, 1.0], [179.0, -1.0]]
#: the same square written with longitudes beyond 180
BEYOND = [[179.0, -1.0], [181.0, -1.0], [181.0, 1.0], [179.0, 1.0], [179.0, -1.0]]


@pytest.mark.parametrize("ring", [ACROSS, BEYOND], ids=["jump", "beyond-180"])
def test_antimeridian_polygon_is_split_not_a_band(tmp_path, ring):
    areas = load_launch_areas(_write(tmp_path, [_feature(ring)]))
    geom = areas.geometry.iloc[0]
    assert geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    east = shapely.box(179.0, -1.0, 180.0, 1.0)
    west = shapely.box(-180.0, -1.0, -179.0, 1.0)
    assert geom.symmetric_difference(shapely.MultiPolygon([east, west])).area < 1e-12
    assert geom.area == pytest.approx(4.0)  # not the 356 deg^2 band the raw ring encloses
    assert geom.contains(shapely.Point(179.5, 0.0)) and geom.contains(shapely.Point(-179.5, 0.0))
    assert not geom.contains(shapely.Point(0.0, 0.0))
    pts = area_points(areas, n_per_area=12, seed=3)
    assert len(pts) == 12  # the sampler draws from the area's own box, not the globe's
    assert (pts.lon_deg.abs() >= 179.0).all() and (pts.lat_deg.abs() <= 1.0).all()
    assert ((pts.lon_deg > 0).any() and (pts.lon_deg < 0).any())


def test_polygon_not_crossing_keeps_its_geometry_and_points(tmp_path):
    ring = [[27.0, 53.0], [29.0, 53.0], [29.0, 54.0], [27.0, 54.0], [27.0, 53.0]]
    areas = load_launch_areas(_write(tmp_path, [_feature(ring)]))
    assert areas.geometry.iloc[0].equals(shapely.Polygon(ring))


def _mercator(lon_deg, lat_deg):
    return [A_3857 * math.radians(lon_deg), A_3857 * math.log(math.tan(math.pi / 4 + math.radians(lat_deg) / 2))]


def test_projected_crs_is_transformed_to_lon_lat(tmp_path):
    ring = [[27.0, 53.0], [29.0, 53.0], [29.0, 54.0], [27.0, 54.0], [27.0, 53.0]]
    projected = [_mercator(*p) for p in ring]
    areas = load_launch_areas(_write(tmp_path, [_feature(projected)],
                                     crs={"type": "name", "properties": {"name": "EPSG:3857"}}))
    got = list(areas.geometry.iloc[0].exterior.coords)
    for (lon, lat), (x, y) in zip(ring, got):
        assert x == pytest.approx(lon, abs=1e-9) and y == pytest.approx(lat, abs=1e-9)


@pytest.mark.parametrize("name", ["urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326"])
def test_wgs84_crs_names_change_nothing(tmp_path, name):
    ring = [[27.0, 53.0], [29.0, 53.0], [29.0, 54.0], [27.0, 54.0], [27.0, 53.0]]
    areas = load_launch_areas(_write(tmp_path, [_feature(ring)], crs={"type": "name", "properties": {"name": name}}))
    assert areas.geometry.iloc[0].equals(shapely.Polygon(ring))


@pytest.mark.parametrize("crs, words", [
    ({"type": "name", "properties": {"name": "EPSG:999999"}}, "not a coordinate reference system"),
    ({"type": "link", "properties": {"href": "http://example.com/crs"}}, "not a named CRS"),
])
def test_unknown_or_linked_crs_is_refused(tmp_path, crs, words):
    ring = [[27.0, 53.0], [29.0, 53.0], [29.0, 54.0], [27.0, 54.0], [27.0, 53.0]]
    path = _write(tmp_path, [_feature(ring)], crs=crs)
    with pytest.raises(InputError) as exc:
        load_launch_areas(path)
    assert str(path) in str(exc.value) and words in str(exc.value)
