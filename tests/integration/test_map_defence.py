"""The footprint map layer: one builder, escaped text, polygons on the map."""
from __future__ import annotations

import folium
import geopandas as gpd
import shapely

from warning_time.maps.defence import layer_footprints


def _fp(site="redzikowo"):
    rows = [dict(site=site, interceptor="sm3-iia", launch="Belarus", level="at least once", min_shots=1,
                 area_km2=1234.0, geometry=shapely.box(14, 50, 20, 55)),
            dict(site=site, interceptor="sm3-iia", launch="Belarus", level="at least twice", min_shots=2,
                 area_km2=0.0, geometry=shapely.Polygon())]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def test_layer_footprints_renders_polygons():
    m = folium.Map(location=[52, 18], zoom_start=5)
    layer_footprints(_fp()).add_to(m)
    folium.LayerControl().add_to(m)
    html = m.get_root().render()
    assert "[20.0, 55.0], [14.0, 55.0]" in html
    assert "Defended footprints" in html and "at least once" in html and "1,234 km^2" in html
    assert "at least twice" not in html  # empty geometries are left out


def test_layer_footprints_escapes_user_text():
    m = folium.Map(location=[52, 18], zoom_start=5)
    layer_footprints(_fp(site="<script>alert(1)</script>")).add_to(m)
    html = m.get_root().render()
    assert "<script>alert(1)</script>" not in html
