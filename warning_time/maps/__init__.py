"""Interactive folium maps for analysts and briefers: one builder per layer, composed by
:func:`build_map`; :func:`save_map` writes a self-contained (offline) or CDN-linked HTML file;
:func:`map_png` screenshots it with a headless Chromium for slides.

Every map carries a title, the NOTIONAL banner, a legend generated from the drawn layers, the
model assumptions and the sources, in one frame around the map (:mod:`.frame`: kept in full
screen, compact at small sizes, static for slides). Each layer builder returns a
:class:`~.frame.Drawn` (its group, name and legend entries). Text that comes from data files
(area, target and sensor names, notes, sources) is HTML-escaped before it reaches the page.
"""
from __future__ import annotations

import json
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import shapely
from folium.plugins import Fullscreen, MeasureControl
from folium.utilities import JsCode

from .. import __version__
from ..errors import InputError
from ..escaping import escape_frame, escape_text
from ..geometry import area_range_ring, contour_bands, flight_time_surface, newly_in_reach, range_ring
from ..io import atomic_path
from ..missiles import get_missile
from ..places import load_countries, load_launch_areas, load_sensors, load_targets
from ..analysis import lattice_points
from ..browser import CHROMIUM_ARGS, find_chromium
from ..browser import missing as _browser_missing
from ..sensors import horizon_m
from .assets import inline_assets
from .defence import FOOTPRINT_COLORS, layer_footprints
from .frame import CSS as FRAME_CSS
from ..map_options import DEFAULT_LEVELS_MIN, LAYER_KEYS, parse_extent, parse_layers, parse_levels  # noqa: F401
from .frame import Drawn, Frame, LegendEntry, RawHTML, frame_html, legend_html

ISO_COLORS = ["#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#92c5de"]
COMP_COLORS = ["#f7f7f7", "#fee090", "#fdae61", "#f46d43", "#d73027", "#a50026"]
ISO_OPACITY = 0.35
COMP_OPACITY = 0.45
NOTIONAL_TEXT = ("NOTIONAL - launch areas are circles around publicly reported garrisons, airfields and ranges, "
                 "not identified sites. Model estimates from open-source figures.")
TARGET_STYLE = {"capital": ("#000", "#fff", 5), "military": ("#b2182b", "#b2182b", 4), "city": ("#555", "#555", 4)}
#: targets closer than this are drawn as one marker whose popup lists each of them
COMBINE_KM = 15.0

#: user text as inert HTML (warning_time.escaping is the only way user text reaches a page)
esc = escape_text


def _geojson(gdf, name, style, tooltip_fields=None, aliases=None, show=True):
    fg = folium.FeatureGroup(name=esc(name), show=show)
    tip = None
    if tooltip_fields:
        tip = folium.GeoJsonTooltip(fields=list(tooltip_fields), aliases=aliases or list(tooltip_fields),
                                    sticky=True)
    folium.GeoJson(json.loads(gdf.to_json()), style_function=style, tooltip=tip).add_to(fg)
    return fg


# ----------------------------------------------------------------------------------------------
# surfaces: the region each class's isochrones need
# ----------------------------------------------------------------------------------------------

def reach_region(points, *, missile, trajectory, top_level_min, earth="wgs84", rotation=True, coarse_deg=3.0):
    """The lon/lat box that holds every place the class reaches from ``points`` within
    ``top_level_min`` (or within its reach, when that is shorter): the cells of a coarse global
    grid at or under the level, widened by two coarse cells so that the contour, which lies
    within one cell of them, is inside. Returns (lon_min, lat_min, lon_max, lat_max)."""
    region = (-180.0, -78.0, 180.0, 84.0)
    da = flight_time_surface(points["lat_deg"], points["lon_deg"], missile=missile, trajectory=trajectory,
                             region=region, res_deg=coarse_deg, earth=earth, rotation=rotation)
    z = np.asarray(da.values)
    ok = np.isfinite(z) & (z <= top_level_min)
    if not ok.any():
        ok = np.isfinite(z)
    if not ok.any():
        lat, lon = float(np.mean(points["lat_deg"])), float(np.mean(points["lon_deg"]))
        return (lon - 5, lat - 5, lon + 5, lat + 5)
    lats, lons = da["lat"].values[ok.any(axis=1)], da["lon"].values[ok.any(axis=0)]
    pad = 2 * coarse_deg
    return (max(-180.0, float(lons.min()) - pad), max(-85.0, float(lats.min()) - pad),
            min(180.0, float(lons.max()) + pad), min(88.0, float(lats.max()) + pad))


def isochrone_surface(points, *, missile, trajectory, levels_min=DEFAULT_LEVELS_MIN, res_deg=0.25,
                      earth="wgs84", rotation=True, region=None):
    """The least-flight-time surface (min) the map's isochrones are drawn from, over the region
    the class reaches within the highest level (:func:`reach_region`) unless ``region`` is
    given. A view of it: ``contour_bands(surface, levels_min)``."""
    if region is None:
        region = reach_region(points, missile=missile, trajectory=trajectory, top_level_min=max(levels_min),
                              earth=earth, rotation=rotation)
    return flight_time_surface(points["lat_deg"], points["lon_deg"], missile=missile, trajectory=trajectory,
                               region=region, res_deg=res_deg, earth=earth, rotation=rotation)


# ----------------------------------------------------------------------------------------------
# one builder per layer: each returns a Drawn (the group, its name, its legend entries)
# ----------------------------------------------------------------------------------------------

def layer_basemap(countries):
    """Offline basemap: the country outlines (NATO members shaded)."""
    g = escape_frame(countries.assign(nato=np.where(countries["nato_member"], "NATO member", "")),
                     ["name", "nato"])
    name = "Countries (Natural Earth)"
    fg = _geojson(g, name, lambda f: {
        "fillColor": "#dde7f0" if f["properties"]["nato"] else "#f2f2f2", "color": "#8a8a8a",
        "weight": 0.6, "fillOpacity": 1.0}, ["name"], ["Country"])
    return Drawn("countries", fg, name, [LegendEntry("NATO member", "fill", "#8a8a8a", "#dde7f0", 1.0),
                                         LegendEntry("other country", "fill", "#8a8a8a", "#f2f2f2", 1.0)])


AREA_STYLE = {"launch": ("Belarus area (NOTIONAL)", "#7b3294"), "baseline": ("Russian baseline (NOTIONAL)", "#e66101")}


def layer_areas(areas):
    g = escape_frame(areas.assign(label=areas["role"].map({k: v[0] for k, v in AREA_STYLE.items()})),
                     ["name", "label", "basis"])
    name = "Launch areas (NOTIONAL)"
    fg = _geojson(g, name, lambda f: {
        "fillColor": "#7b3294" if "Belarus" in f["properties"]["label"] else "#e66101",
        "color": "#222", "weight": 1.2, "dashArray": "4 3", "fillOpacity": 0.45},
        ["name", "label", "basis"], ["Area", "Kind", "Basis"])
    roles = [r for r in ("launch", "baseline") if (areas["role"] == r).any()]
    return Drawn("areas", fg, name, [LegendEntry(AREA_STYLE[r][0], "fill", "#222", AREA_STYLE[r][1], 0.45,
                                                 dash="4 3", weight=1.2) for r in roles])


RING_COLORS = {"iskander-m": "#1b7837", "oreshnik": "#2166ac"}


def layer_rings(areas, missiles):
    rows, geoms = [], []
    launch = areas[areas["role"] == "launch"]
    for key in missiles:
        m = get_missile(key)
        r = m.max_range_km
        if not (0 < r < 19000):
            continue
        # vertices every sqrt(4 r) km (at most 100): a chord then strays at most 0.5 km from the ring
        edge = min(100.0, max(10.0, (4.0 * r) ** 0.5))
        u = shapely.union_all([area_range_ring(g, r, edge_km=edge, boundary_step_km=40.0) for g in launch.geometry])
        rows.append(dict(missile=m.key, label=f"{m.label}: {r:.0f} km from the Belarus areas"))
        geoms.append(u)
    import geopandas as gpd

    g = escape_frame(gpd.GeoDataFrame(rows, geometry=geoms, crs=4326), ["missile", "label"])
    name = "Maximum-range rings (from Belarus)"
    fg = _geojson(g, name, lambda f: {
        "fill": False, "color": RING_COLORS.get(f["properties"]["missile"], "#555"), "weight": 2.2},
        ["label"], ["Range ring"])
    return Drawn("rings", fg, name, [LegendEntry(r["label"], "line", RING_COLORS.get(r["missile"], "#555"),
                                                 weight=2.2) for r in rows])


def _band_labels(lows, highs, unit, top_open):
    out = []
    for i, (lo, hi) in enumerate(zip(lows, highs)):
        if top_open and i == len(highs) - 1:
            out.append(f"{lo:g} {unit} and more")
        else:
            out.append(f"{lo:g}-{hi:g} {unit}" if unit == "min" else f"{lo:g} to {hi:g} {unit}")
    return out


def layer_isochrones(bands, missile, *, reach_km=None, min_range_km=None, top_level=None):
    """Flight-time bands as computed: each labelled by its own low and high level (the first
    from the fastest time on the surface, rounded down to 0.1 min)."""
    levels = sorted(bands["level_min"].unique())
    cmap = {lv: ISO_COLORS[i % len(ISO_COLORS)] for i, lv in enumerate(levels)}
    lows = [float(np.floor(v * 10) / 10) for v in bands["level_min_low"]]
    labels = _band_labels(lows, bands["level_min"], "min", False)
    g = escape_frame(bands.assign(label=labels), ["label", "level_min"])
    key = get_missile(missile).key
    name = f"Flight-time isochrones ({key}, min)"
    fg = _geojson(g, name, lambda f: {
        "fillColor": cmap.get(f["properties"]["level_min"], "#999"), "color": "#555", "weight": 0.4,
        "fillOpacity": ISO_OPACITY}, ["label"], ["Arrives within"])
    entries = [LegendEntry(lab, "fill", "#555", cmap[lv], ISO_OPACITY, weight=0.4)
               for lab, lv in zip(labels, bands["level_min"])]
    notes = ["Least flight time from any point of the Belarus areas."]
    if top_level is not None:
        notes.append(f"Unshaded beyond {top_level:g} min" + (f" or beyond the class's reach ({reach_km:.0f} km)."
                                                            if reach_km else "."))
    if min_range_km:
        notes.append(f"Unshaded around the launch areas: closer than the class's minimum range ({min_range_km:.0f} km),"
                     " not safe: the SRBM class reaches it.")
    return Drawn("isochrones", fg, name, entries, notes), cmap


def layer_compression(bands, top_open=False):
    levels = sorted(bands["compression_s"].unique())
    cmap = {lv: COMP_COLORS[min(i, len(COMP_COLORS) - 1)] for i, lv in enumerate(levels)}
    lows = [float(v) for v in bands["compression_s_low"]]
    labels = _band_labels(lows, bands["compression_s"], "s", top_open)
    g = escape_frame(bands.assign(label=labels), ["label", "compression_s"])
    name = "Compression surface (flight time, s)"
    fg = _geojson(g, name, lambda f: {
        "fillColor": cmap.get(f["properties"]["compression_s"], "#999"), "color": "#777", "weight": 0.3,
        "fillOpacity": COMP_OPACITY}, ["label"], ["Flight time lost"], show=False)
    entries = [LegendEntry(lab, "fill", "#777", cmap[lv], COMP_OPACITY, weight=0.3)
               for lab, lv in zip(labels, bands["compression_s"])]
    notes = ["Flight time from the best Russian baseline minus from the best Belarus point: positive = "
             "Belarus basing arrives sooner (less warning); negative = the baseline is closer."]
    return Drawn("compression", fg, name, entries, notes), cmap


def layer_newly(new_gdf):
    g = escape_frame(new_gdf.assign(label=new_gdf["description"] + " (" + new_gdf["missile"] + ")"), ["label"])
    name = "Newly in reach (SRBM class)"
    fg = _geojson(g, name, lambda f: {
        "fillColor": "#1b7837", "color": "#1b7837", "weight": 1, "fillOpacity": 0.3},
        ["label"], ["Area"])
    lab = [f"reached from Belarus only ({m}, {r:.0f} km)" for m, r in zip(new_gdf["missile"], new_gdf["radius_km"])]
    return Drawn("newly", fg, name, [LegendEntry(x, "fill", "#1b7837", "#1b7837", 0.3) for x in lab])


def _mmss(v_s):
    """Seconds as m:ss (sign kept), '-' when not finite."""
    if v_s is None or not np.isfinite(v_s):
        return "-"
    sign = "-" if v_s < 0 else ""
    t = int(round(abs(float(v_s))))
    return f"{sign}{t // 60}:{t % 60:02d}"


def _fmt(v, unit="min", div=60.0):
    return "-" if v is None or not np.isfinite(v) else f"{v / div:.1f} {unit}"


def _shots(v):
    return "no shot" if v is None or not np.isfinite(v) or v < 1 else f"{v:.0f} shot" + ("s" if v >= 2 else "")


def target_popup(row) -> str:
    """HTML of a target's popup (all text escaped); the numbers are the analysis's, formatted
    as the report prints them (flight and warning in min to 0.1, compression in s to 0.1), with
    the same numbers in min:s beside them."""
    parts = [f"<b>{esc(row['name'])}</b> ({esc(row.get('country_iso3', ''))}, {esc(row.get('kind', ''))})"]
    if "flight_time_min" in row and row.get("missile"):
        ft, wn = row.get("flight_time_min"), row.get("warning_min")
        parts.append(f"Missile <b>{esc(row['missile'])}</b>, trajectory {esc(row.get('trajectory', ''))}")
        parts.append(f"Flight time from Belarus: <span class='ft'>{_fmt(ft, 'min', 1.0)}</span>"
                     f" (<span class='ftm'>{_mmss(ft * 60 if ft is not None else None)}</span> min:s)")
        parts.append(f"Warning time: <span class='wt'>{_fmt(wn, 'min', 1.0)}</span>"
                     f" (<span class='wtm'>{_mmss(wn * 60 if wn is not None else None)}</span> min:s; "
                     f"p5 to p95 <span class='wq'>{esc(row.get('warning_q', '-'))}</span> min)")
        parts.append(f"Compression vs Russian baselines: <span class='cp'>{_fmt(row.get('compression_s'), 's', 1.0)}"
                     f"</span> (p5 / p50 / p95 <span class='cq'>{esc(row.get('compression_q', '-'))}</span> s); "
                     "positive: warning lost by basing in Belarus, negative: the baseline is closer")
        parts.append(f"Best Belarus area: {esc(row.get('launch_area', '-') or '-')}; best baseline: "
                     f"{esc(row.get('baseline_area', '-') or '-')}")
    elif row.get("missile"):
        parts.append(f"Not in the analysis ({esc(row.get('kind', ''))} outside its target set): flight time from the "
                     f"map's surface, <span class='fts'>{_fmt(row.get('surface_min'), 'min', 1.0)}</span> "
                     f"({esc(row['missile'])}, least over the Belarus areas' lattice points)")
    for d in row.get("defence") or ():
        parts.append(f"Missile defence, {esc(d['site'])} ({esc(d['interceptor'])}): engagement window "
                     f"<span class='dw'>{_fmt(d['window_b'], 's', 1.0)}</span>, "
                     f"{_shots(d['shots_b'])} from Belarus; {_fmt(d['window_r'], 's', 1.0)}, "
                     f"{_shots(d['shots_r'])} from the best baseline (kinematic; NOTIONAL interceptor data)")
    note, src = str(row.get("note", "") or ""), str(row.get("source", "") or "")
    if note:
        parts.append(f"<i>Note:</i> {esc(note)}")
    if src:
        parts.append(f"<i>Source:</i> <span class='src'>{esc(src)}</span>")
    return "<div class='wt-popup'>" + "<br>".join(parts) + "</div>"


def _groups(targets, km=COMBINE_KM):
    """Indices of targets grouped when closer than ``km`` (first come, first grouped)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    lat, lon = targets["lat_deg"].to_numpy(float), targets["lon_deg"].to_numpy(float)
    left = list(range(len(targets)))
    out = []
    while left:
        i = left.pop(0)
        if not left:
            out.append([i])
            break
        j = np.array(left)
        _, _, d = geod.inv(np.full(len(j), lon[i]), np.full(len(j), lat[i]), lon[j], lat[j])
        near = [int(k) for k, dd in zip(j, d) if dd / 1e3 < km]
        out.append([i] + near)
        left = [k for k in left if k not in near]
    return out


def label_priority(kind, country, pressure_countries=()) -> int:
    """Which target labels a crowded slide keeps first (0 first): the capitals of the pressure
    countries, the other capitals, military sites, cities."""
    if kind == "capital":
        return 0 if country in set(pressure_countries) else 1
    return 2 if kind == "military" else 3


def layer_targets(targets, capitals=None, missile=None, trajectory=None, windows=None, surface=None,
                  pressure_countries=()):
    """Target markers, above every polygon (their own pane); ``capitals`` is the report's
    capitals table (report.capitals_view of the analysis), so the popups print the report's
    numbers; ``windows`` the report's Claim 3 engagement windows (per site and capital), shown
    in the capitals' popups; ``surface`` the map's flight-time surface, read (nearest cell) for
    targets the analysis does not tabulate. Targets closer than COMBINE_KM share one marker whose
    popup lists each. Their labels (static and print modes) are placed clear of each other in
    :func:`label_priority` order by the page (:mod:`.frame`)."""
    name = "Targets (capitals, military sites, cities)"
    fg = folium.FeatureGroup(name=esc(name))
    labels = folium.FeatureGroup(name="labels", control=False)
    s = capitals.set_index("capital") if capitals is not None else None
    rows = []
    for _, t in targets.iterrows():
        row = dict(t)
        row["missile"] = missile
        if windows is not None:
            w = windows[windows["target"] == t["name"]]
            row["defence"] = [dict(site=r["site"], interceptor=r["interceptor"],
                                   window_b=float(r["window from Belarus (s)"]), shots_b=float(r["shots from Belarus"]),
                                   window_r=float(r["window from baseline (s)"]),
                                   shots_r=float(r["shots from baseline"])) for _, r in w.iterrows()]
        if s is not None and t["name"] in s.index:
            r = s.loc[t["name"]]
            if isinstance(r, type(s)):
                r = r.iloc[0]
            row.update(trajectory=trajectory, flight_time_min=r["flight (min)"],
                       warning_min=r["warning (min)"], warning_q=r["warning p5 to p95 (min)"],
                       compression_s=r["compression (s)"], compression_q=r["compression p5 / p50 / p95 (s)"],
                       launch_area=r["Belarus area"], baseline_area=r["best baseline"])
        elif surface is not None:
            v = surface.sel(lat=t["lat_deg"], lon=t["lon_deg"], method="nearest")
            inside = (surface["lat"].min() <= t["lat_deg"] <= surface["lat"].max()
                      and surface["lon"].min() <= t["lon_deg"] <= surface["lon"].max())
            row["surface_min"] = float(v) if inside else float("nan")
        rows.append(row)
    kinds = []
    for grp in _groups(targets):
        first = rows[grp[0]]
        kind = first["kind"]
        color, fill, radius = TARGET_STYLE.get(kind, ("#555", "#555", 4))
        if len(grp) > 1:
            radius += 2
            kind = "several"
        kinds.append(kind)
        html = "".join(target_popup(rows[i]) for i in grp)
        tip = " / ".join(str(rows[i]["name"]) for i in grp)
        cm = folium.CircleMarker([first["lat_deg"], first["lon_deg"]], radius=radius, color=color, fill=True,
                                 fill_color=fill, fill_opacity=1.0, weight=2 if len(grp) == 1 else 3,
                                 tooltip=folium.Tooltip(esc(tip)),
                                 popup=folium.Popup(html, max_width=360, max_height=300))
        cm.options["pane"] = "wt-targets"  # above every polygon and the radar symbols (folium drops pane=)
        cm.add_to(fg)
        if len(targets) > 40 and first["kind"] != "capital":
            continue  # a slide of many targets labels the capitals only
        pri = min(label_priority(rows[i]["kind"], rows[i].get("country_iso3"), pressure_countries) for i in grp)
        folium.Marker([first["lat_deg"], first["lon_deg"]], interactive=False, pane="wt-labels",
                      icon=folium.DivIcon(html=f"<div class='wt-lab wt-lab-t' data-pri='{pri}'>{esc(tip)}</div>",
                                          icon_size=(1, 1),
                                          icon_anchor=(-7, 7), class_name="wt-lab-icon")).add_to(labels)
    entries = []
    for k, lab in (("capital", "capital"), ("military", "military site"), ("city", "city")):
        if k in kinds:
            c, f, _ = TARGET_STYLE[k]
            entries.append(LegendEntry(lab, "circle", c, f, 1.0))
    if "several" in kinds:
        entries.append(LegendEntry(f"targets within {COMBINE_KM:.0f} km of each other (one popup lists each)",
                                   "circle", "#000", "#fff", 1.0, weight=3))
    return Drawn("targets", fg, name, entries, ["Click a target for its flight, warning and compression."]), labels


def layer_radars(sensors, altitude_km=100.0, k=4.0 / 3.0):
    """Radar sites and their coverage against a target at ``altitude_km``: the lesser of the
    maximum range and the 4/3-Earth horizon, sqrt(2kRh_r) + sqrt(2kRh_t). The site symbols sit
    below the targets (a site that is also a target keeps its target's popup)."""
    name = f"Radars and coverage ({altitude_km:.0f} km target altitude)"
    fg = folium.FeatureGroup(name=name)
    n = 0
    for _, s in sensors[sensors["kind"] == "ground-radar"].iterrows():
        cov_km = min(s["max_range_km_nominal"], float(horizon_m(s["height_m_nominal"], altitude_km * 1e3, k)) / 1e3)
        ring = range_ring(s["lat_deg"], s["lon_deg"], cov_km, edge_km=25.0)
        folium.GeoJson(shapely.geometry.mapping(ring), style_function=lambda f: {
            "fill": True, "fillOpacity": 0.06, "color": "#4d4d4d", "fillColor": "#4d4d4d", "weight": 1,
            "dashArray": "2 4"},
            tooltip=esc(f"{s['label']}: coverage {cov_km:.0f} km")).add_to(fg)
        folium.Marker([s["lat_deg"], s["lon_deg"]], tooltip=esc(s["label"]), icon=folium.DivIcon(
            html="<div style='font-size:18px;line-height:18px;color:#ffd92f;text-shadow:0 0 2px #000,0 0 2px #000'>"
                 "&#9650;</div>", icon_size=(18, 18), icon_anchor=(9, 9))).add_to(fg)
        n += 1
    entries = [LegendEntry("radar site", "symbol", "#ffd92f", symbol="&#9650;"),
               LegendEntry("radar coverage (horizon or maximum range)", "fill", "#4d4d4d", "#4d4d4d", 0.06,
                           dash="2 4")] if n else []
    return Drawn("radars", fg, name, entries)


def layer_tracks(capitals, targets, names, n=64):
    """Great-circle ground tracks from each target's best Belarus point (the analysis's capitals
    table of numbers, report.capitals_table) to the named targets that the table holds (else its first five)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    name = "Great-circle ground tracks (from the best Belarus point)"
    fg = folium.FeatureGroup(name=esc(name), show=False)
    c = capitals[np.isfinite(capitals["launch_lat_deg"].to_numpy(float))]
    pick = c[c["capital"].isin(names)]
    if pick.empty:
        pick = c.head(5)
    for _, r in pick.iterrows():
        t = targets[targets["name"] == r["capital"]]
        if t.empty:
            continue
        t = t.iloc[0]
        la, lo = float(r["launch_lat_deg"]), float(r["launch_lon_deg"])
        pts = [(la, lo)] + [(a, b) for b, a in geod.npts(lo, la, t["lon_deg"], t["lat_deg"], n)] + \
              [(t["lat_deg"], t["lon_deg"])]
        folium.PolyLine(pts, color="#2166ac", weight=1.5, dash_array="6 4",
                        tooltip=esc(f"{r['Belarus area']} -> {t['name']}")).add_to(fg)
    return Drawn("tracks", fg, name, [LegendEntry("ground track, best Belarus point to target", "line", "#2166ac",
                                                  dash="6 4", weight=1.5)])


def _iso_labels(da, levels, bounds):
    """One label point per level on its contour line, inside the view: the line's point nearest
    the view's west-centre (labels for slides)."""
    import contourpy

    z = np.ma.masked_invalid(np.asarray(da.values, float))
    gen = contourpy.contour_generator(da["lon"].values, da["lat"].values, z)
    (s, w), (n, e) = bounds
    ref = np.array([w + 0.3 * (e - w), s + 0.5 * (n - s)])
    out = []
    for lv in levels:
        best = None
        for line in gen.lines(lv):
            ins = line[(line[:, 0] > w + 0.05 * (e - w)) & (line[:, 0] < e - 0.05 * (e - w)) &
                       (line[:, 1] > s + 0.05 * (n - s)) & (line[:, 1] < n - 0.05 * (n - s))]
            if len(ins) == 0:
                continue
            d = np.hypot(*(ins - ref).T)
            k = int(np.argmin(d))
            if best is None or d[k] < best[0]:
                best = (d[k], ins[k])
        if best is not None:
            out.append((lv, float(best[1][1]), float(best[1][0])))
    return out


# ----------------------------------------------------------------------------------------------
# compose, save, screenshot
# ----------------------------------------------------------------------------------------------

class _TargetSlice:
    """The analysis seen through a list of target names: ``capitals_view`` of it gives those
    targets' rows (the analysis's numbers) in the capitals table's format."""

    def __init__(self, an, names):
        self._an, self._names = an, list(names)
        self.baselines = an.baselines

    @property
    def capitals(self):
        return self._an.slice(targets=self._names)

    def slice(self, kind=None, **kw):
        return self._an.slice(targets=self._names, **kw)


def build_map(scenario=None, *, analysis=None, targets=None, areas=None, missiles=None, res_deg=0.25,
              region=None, offline=True, track_targets=("London", "Berlin", "Warsaw", "Paris", "Rome"),
              levels_min=DEFAULT_LEVELS_MIN, title=None, subtitle=None, extent=None, layers=None):
    """The briefing map for a scenario (default: the paper scenario), as a folium.Map.

    ``analysis`` is the scenario's :class:`warning_time.study.Analysis` (the report's; computed
    when omitted): the popups print its capitals table, so map and report agree to the digit,
    and the isochrones are drawn for its IRBM class and trajectory (to draw another class, give
    the analysis of a scenario with that class: ``warning-time map --missile``).
    ``targets`` / ``areas`` replace the shipped files with the user's own (same schema) for the
    drawn layers. ``region`` (W, S, E, N) fixes the surfaces' grid (default: the box the class
    reaches within the highest level); ``extent`` (W, S, E, N) the view (default: fitted to the
    areas and the targets within reach of the highest level). ``layers``: a subset of
    LAYER_KEYS."""
    from ..report import capitals_table, capitals_view
    from ..scenario import load_scenario
    from ..study import Analysis

    keys = parse_layers(layers)
    levels = parse_levels(levels_min)
    extent = parse_extent(extent)
    if analysis is None:
        analysis = Analysis(load_scenario(scenario) if not isinstance(scenario, dict) else scenario)
    sc = analysis.sc
    s = sc["scenario"]
    irbm = sc["irbm"]["missile"]
    srbm = sc["srbm"]["missile"]
    missiles = list(missiles) if missiles else [srbm, irbm]
    areas = sc.get("areas", load_launch_areas()) if areas is None else areas
    use_areas = areas[areas["name"].isin(s["launch_areas"] + s["baseline_areas"])] \
        if areas["name"].isin(s["launch_areas"]).any() else areas
    launch = use_areas[use_areas["role"] == "launch"]
    base = use_areas[use_areas["role"] == "baseline"]
    tg = sc.get("target_table", load_targets()) if targets is None else targets
    capitals = capitals_view(analysis)
    # the analysis's other targets (military sites and cities of the pressure countries), in the
    # same view function, so their popups print the analysis's numbers the way the report does
    others = [n for n in analysis.targets["name"] if n not in set(capitals["capital"])]
    table = pd.concat([capitals, capitals_view(_TargetSlice(analysis, others))], ignore_index=True) \
        if others else capitals
    m = folium.Map(location=[52.0, 20.0], zoom_start=4, tiles=None, control_scale=True, prefer_canvas=False)
    folium.map.CustomPane("wt-targets", z_index=620).add_to(m)   # above polygons (400) and icons (600)
    folium.map.CustomPane("wt-labels", z_index=610, pointer_events=False).add_to(m)
    if not offline:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", show=False).add_to(m)
    drawn = []
    if "countries" in keys:
        drawn.append(layer_basemap(load_countries()))
    # surfaces: deterministic lattice points of the areas (no seed), over the region the class reaches
    lp = lattice_points(launch)
    traj = analysis.irbm_trajectory
    mdl = get_missile(irbm)
    da_l = isochrone_surface(lp, missile=irbm, trajectory=traj, levels_min=levels, res_deg=res_deg,
                             earth=s["earth"], rotation=s["rotation"], region=region)
    if "isochrones" in keys:
        iso = contour_bands(da_l, levels)
        d, iso_cmap = layer_isochrones(iso, irbm, reach_km=mdl.max_range_km, min_range_km=mdl.min_range_km,
                                       top_level=levels[-1])
        drawn.append(d)
    if "compression" in keys and len(base):
        bp = lattice_points(base)
        grid_region = (float(da_l["lon"].min()), float(da_l["lat"].min()), float(da_l["lon"].max()),
                       float(da_l["lat"].max()))
        da_b = flight_time_surface(bp["lat_deg"], bp["lon_deg"], missile=irbm, trajectory=traj, region=grid_region,
                                   res_deg=res_deg, earth=s["earth"], rotation=s["rotation"])
        comp = ((da_b - da_l) * 60.0).rename("compression_s")
        if np.isfinite(comp.values).any():
            cl = [0.0, 30.0, 60.0, 120.0, 240.0]
            zmax = float(np.nanmax(comp.values))
            top_open = zmax > cl[-1]
            comp_bands = contour_bands(comp, cl + ([float(np.ceil(zmax)) + 1.0] if top_open else []),
                                       value_name="compression_s")
            if len(comp_bands):
                drawn.append(layer_compression(comp_bands, top_open=top_open and
                                               comp_bands["compression_s"].max() > cl[-1])[0])
    if "rings" in keys:
        drawn.append(layer_rings(use_areas, missiles))
    if "newly" in keys and len(base):
        r = get_missile(srbm).max_range_km  # drawn with chords within 0.5 km of the ring, as the rings are
        new, _ = newly_in_reach(launch, base, missile=srbm, edge_km=min(100.0, max(10.0, (4.0 * r) ** 0.5)),
                                boundary_step_km=40.0)
        drawn.append(layer_newly(new))
    if "areas" in keys:
        drawn.append(layer_areas(use_areas))
    if "radars" in keys:
        sensors = sc.get("sensor_table", load_sensors())  # the scenario's, overrides applied
        drawn.append(layer_radars(sensors[sensors["sensor"].isin(s["sensors"])]))
    if "tracks" in keys:
        # the numbers of the same table (the printed view leaves the coordinates to the CSV)
        drawn.append(layer_tracks(capitals_table(analysis), tg, list(track_targets)))
    c3 = analysis.claim3  # Claim 3 of the report: footprints layer, windows in the capitals' popups
    if "footprints" in keys and len(c3["footprint_geo"]):
        fp = c3["footprint_geo"]
        fp = fp[~fp.geometry.is_empty]
        ents = [LegendEntry(f"{k} engaged {'at least once' if lv == 1 else 'at least twice'}", "fill", "#333",
                            FOOTPRINT_COLORS.get((k, lv), "#4575b4"), 0.25 if lv == 1 else 0.35, weight=0.6)
                for k, lv in sorted({(str(a), int(b)) for a, b in zip(fp["launch"], fp["min_shots"])})]
        fg = layer_footprints(c3["footprint_geo"], show=False)
        drawn.append(Drawn("footprints", fg, "Defended footprints (NOTIONAL interceptor data)", ents))
    labels = None
    in_view = tg
    if "targets" in keys:
        d, labels = layer_targets(tg, table, irbm, traj, windows=c3["windows"], surface=da_l,
                                  pressure_countries=s.get("pressure_countries", ()))
        drawn.append(d)
    # the view: the extent given, else the areas and the targets within the highest level
    if extent is None:
        ft = []
        for _, t in tg.iterrows():
            inside = (da_l["lat"].min() <= t["lat_deg"] <= da_l["lat"].max()
                      and da_l["lon"].min() <= t["lon_deg"] <= da_l["lon"].max())
            ft.append(float(da_l.sel(lat=t["lat_deg"], lon=t["lon_deg"], method="nearest")) if inside else np.nan)
        ft = np.asarray(ft)
        in_view = tg[np.isfinite(ft) & (ft <= levels[-1])] if (np.isfinite(ft) & (ft <= levels[-1])).any() else tg
        b = use_areas.total_bounds
        w = min(b[0], in_view["lon_deg"].min()) - 1.0
        e = max(b[2], in_view["lon_deg"].max()) + 1.0
        so = min(b[1], in_view["lat_deg"].min()) - 0.5
        no = max(b[3], in_view["lat_deg"].max()) + 0.5
    else:
        w, so, e, no = extent
    bounds = [[so, w], [no, e]]
    for d in drawn:
        d.group.add_to(m)
    if labels is not None:
        labels.add_to(m)
    if "isochrones" in keys:
        lab = folium.FeatureGroup(name="isochrone labels", control=False)
        for lv, la, lo in _iso_labels(da_l, levels, bounds):
            folium.Marker([la, lo], interactive=False, pane="wt-labels", icon=folium.DivIcon(
                html=f"<div class='wt-lab wt-lab-iso'>{lv:g} min</div>", icon_size=(1, 1), icon_anchor=(0, 8),
                class_name="wt-lab-icon")).add_to(lab)
        lab.add_to(m)
    folium.LayerControl(collapsed=JsCode("document.documentElement.clientWidth < 1000 || "
                                         "document.documentElement.clientHeight < 650")).add_to(m)
    Fullscreen(fullscreenElement=JsCode("document.getElementById('wt-frame')")).add_to(m)
    MeasureControl(primary_length_unit="kilometers").add_to(m)
    assumptions = [
        f"IRBM class '{irbm}' ({traj}), SRBM class '{srbm}' ({sc['srbm'].get('trajectory', 'minimum-energy')}); "
        f"Earth {s['earth']}, rotation {s['rotation']}.",
        "Flight time = boost + two-body conic + drag delay; warning = impact - (first detection + processing).",
        "Isochrones: least flight time over points in the Belarus areas. Compression surface: flight time from the "
        "best Russian baseline minus from the best Belarus point.",
    ]
    if sc.get("_hash"):  # the scenario in full: `warning-time scenario show` with this hash
        assumptions.append(f"Scenario {sc['_source']}, hash {sc['_hash']} (every assumption: "
                           "warning-time scenario show).")
    sources = ["Parameters: warning_time data/missiles.toml, sensors.toml (data/SOURCES.md).",
               "Country outlines: Natural Earth (public domain). Leaflet (BSD-2), plugins (MIT)."]
    src_html = ("<details open><summary><b>Model, assumptions and sources</b> (warning_time "
                f"{esc(__version__)})</summary>" + "<br>".join(esc(a) for a in assumptions)
                + "<br><b>Sources:</b> " + " ".join(esc(x) for x in sources) + "</details>")
    the_title = title if title is not None else s["title"]
    root = m.get_root()
    root.header.add_child(RawHTML(f"<title>{esc(the_title)}</title>"), name="wt_title")
    root.header.add_child(RawHTML(f"<style>{FRAME_CSS}</style>"), name="wt_css")
    root.html.add_child(RawHTML(frame_html(the_title, subtitle, NOTIONAL_TEXT, legend_html(drawn), src_html)),
                        name="wt_frame_html")
    m.add_child(Frame(bounds))
    m.wt_drawn = drawn  # what was drawn (layers, legend entries): for tests and callers
    m.wt_surface = da_l
    return m


def save_map(m, path, *, offline=True, embed=None):
    """Write the map as one HTML file, atomically. ``offline`` inlines every script and
    stylesheet (no network request at all); ``embed=(width_px, height_px)`` sizes it to fit an
    iframe of that size."""
    path = Path(path)
    root = m.get_root()
    if embed is not None:
        w, h = embed
        if not (50 <= int(w) <= 10000 and 50 <= int(h) <= 10000):
            raise InputError("embed", message=f"embed size {w}x{h} must be between 50 and 10000 px")
        root.header.add_child(RawHTML(f"<style>html,body{{margin:0;width:{int(w)}px;height:{int(h)}px;overflow:hidden}}"
                                      f".wt-frame{{width:{int(w)}px;height:{int(h)}px}}</style>"), name="wt_embed")
    text = root.render()
    if offline:
        text = inline_assets(text)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def png_available(what="a PNG") -> str | None:
    """None when PNG (or PDF) exports can be made here, else the reason they cannot."""
    return _browser_missing(what, finder=lambda: find_chromium())


#: A4 landscape, less the print stylesheet's 8 mm margins, in CSS px (96 per inch): the page a
#: PDF's map is laid out on, so the view fitted on screen is the one printed
A4_LANDSCAPE_MM = (297.0, 210.0)
PRINT_MARGIN_MM = 8.0
PRINT_PAGE_PX = (round((A4_LANDSCAPE_MM[0] - 2 * PRINT_MARGIN_MM) / 25.4 * 96),
                 round((A4_LANDSCAPE_MM[1] - 2 * PRINT_MARGIN_MM) / 25.4 * 96))

_STATIC_JS = """s => { const f = document.getElementById('wt-frame');
    if (f) { f.style.width = '100vw'; f.style.height = '100vh';
             document.documentElement.style.width = document.body.style.width = '100vw';
             document.documentElement.style.height = document.body.style.height = '100vh';
             f.dataset.static = s ? '1' : '0'; if (window.wtRefit) window.wtRefit(); } }"""


def map_exports(html_path, *, png=None, pdf=None, width=1600, height=1000, scale=1.0, static=True, wait_ms=1500):
    """Screenshot (``png``) and/or print (``pdf``) a saved map in one headless Chromium
    (Playwright). The PNG: a ``width`` x ``height`` CSS-pixel page at ``scale`` device pixels
    per CSS pixel, so (width * scale) x (height * scale) pixels. The PDF: Chromium's print of
    the page under print media, one A4 landscape page (the frame laid out on the printable
    area, the view refitted to it). ``static`` hides every interactive control and shows the
    target and isochrone labels (the print stylesheet does the same). Files are written
    atomically."""
    why = png_available("a PDF" if pdf is not None and png is None else "a PNG")
    if why:
        raise InputError("pdf" if png is None else "png", message=why)
    if not (50 <= int(width) <= 10000 and 50 <= int(height) <= 10000 and 0.5 <= float(scale) <= 4):
        raise InputError("png", message=f"PNG size {width}x{height} px (50-10000) at scale {scale} (0.5-4)")
    exe = find_chromium()
    from playwright.sync_api import sync_playwright

    url = Path(html_path).resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            if png is not None:
                page = browser.new_page(viewport={"width": int(width), "height": int(height)},
                                        device_scale_factor=float(scale))
                page.goto(url)
                page.evaluate(_STATIC_JS, bool(static))
                page.wait_for_timeout(wait_ms)
                with atomic_path(png) as tmp:
                    page.screenshot(path=str(tmp), full_page=False)
                page.close()
            if pdf is not None:
                w, h = PRINT_PAGE_PX
                page = browser.new_page(viewport={"width": w, "height": h})
                page.emulate_media(media="print")
                page.goto(url)
                page.evaluate(_STATIC_JS, True)
                page.wait_for_timeout(wait_ms)
                with atomic_path(pdf) as tmp:
                    page.pdf(path=str(tmp), prefer_css_page_size=True, print_background=True)
                page.close()
        finally:
            browser.close()
    return png, pdf


def map_png(html_path, png_path, *, width=1600, height=1000, scale=1.0, static=True, wait_ms=1500):
    """Screenshot a saved map for slides (:func:`map_exports`); returns the PNG's path."""
    map_exports(html_path, png=png_path, width=width, height=height, scale=scale, static=static, wait_ms=wait_ms)
    return Path(png_path)


def map_pdf(html_path, pdf_path, *, wait_ms=1500):
    """Print a saved map to a one-page A4 landscape PDF (:func:`map_exports`): no interactive
    controls; banner, title, map with its labels, legend and sources on the page."""
    map_exports(html_path, pdf=pdf_path, wait_ms=wait_ms)
    return Path(pdf_path)
