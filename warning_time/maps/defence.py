"""Map layer of defended footprints (:func:`warning_time.defence.footprint` /
:func:`~warning_time.defence.footprint_comparison`): one builder, composed into a map by the
caller (``build_map`` or a folium map of one's own)."""
from __future__ import annotations

from ..escaping import escape_frame, escape_text

#: fill colour per footprint kind and level
FOOTPRINT_COLORS = {
    ("Belarus", 1): "#4575b4", ("Belarus", 2): "#313695",
    ("baseline", 1): "#91bfdb", ("baseline", 2): "#4575b4",
    ("lost (baseline minus Belarus)", 1): "#d73027", ("lost (baseline minus Belarus)", 2): "#a50026",
}


def layer_footprints(footprints, name="Defended footprints (NOTIONAL interceptor data)", show=True):
    """A folium FeatureGroup of footprint polygons (a GeoDataFrame from
    :func:`warning_time.defence.footprint` or :func:`~warning_time.defence.footprint_comparison`),
    with a tooltip naming site, interceptor, launch set, level and area. Text reaches the page
    escaped (warning_time.escaping)."""
    import json

    import folium

    g = footprints[~footprints.geometry.is_empty].copy()
    g["label"] = [f"{s} ({i}) vs {lch}: engaged {lvl}, {a:,.0f} km^2" for s, i, lch, lvl, a in
                  zip(g["site"], g["interceptor"], g["launch"], g["level"], g["area_km2"])]
    g["_kind"] = g["launch"].astype(str)
    g["_k"] = g["min_shots"].astype(int)
    e = escape_frame(g, ["label", "_kind", "_k"])
    fg = folium.FeatureGroup(name=escape_text(name), show=show)

    def style(f):
        kind = f["properties"]["_kind"]
        k = int(f["properties"]["_k"])
        return {"fillColor": FOOTPRINT_COLORS.get((kind, k), "#4575b4"), "color": "#333", "weight": 0.6,
                "fillOpacity": 0.25 if k == 1 else 0.35}

    folium.GeoJson(json.loads(e.to_json()), style_function=style,
                   tooltip=folium.GeoJsonTooltip(fields=["label"], aliases=["Footprint"], sticky=True)).add_to(fg)
    return fg
