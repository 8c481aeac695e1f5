"""Interactive folium maps for analysts and briefers: one builder per layer, composed by
:func:`build_map`; :func:`save_map` writes a self-contained (offline) or CDN-linked HTML file;
:func:`map_png` screenshots it with a headless Chromium for slides.

Every map carries a title, the NOTIONAL banner, the model assumptions and the sources. Text that
comes from data files (area, target and sensor names) is HTML-escaped before it reaches the page.
"""
from __future__ import annotations

import json
from pathlib import Path

import folium
import numpy as np
import shapely
from branca.element import Element, MacroElement, Template
from folium.plugins import Fullscreen, MeasureControl

from .. import __version__
from ..errors import InputError
from ..escaping import escape_frame, escape_text
from ..geometry import area_range_ring, contour_bands, flight_time_surface, newly_in_reach, range_ring
from ..io import atomic_path
from ..missiles import get_missile
from ..places import load_countries, load_launch_areas, load_sensors, load_targets
from ..analysis import lattice_points
from ..sensors import horizon_m
from .assets import inline_assets
from .defence import layer_footprints

ISO_COLORS = ["#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0"]
COMP_COLORS = ["#f7f7f7", "#fee090", "#fdae61", "#f46d43", "#a50026"]
NOTIONAL_TEXT = ("NOTIONAL - launch areas are circles around publicly reported garrisons, airfields and ranges, "
                 "not identified sites. Model estimates from open-source figures.")


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
# one builder per layer
# ----------------------------------------------------------------------------------------------

def layer_basemap(countries):
    """Offline basemap: the country outlines (NATO members shaded)."""
    g = escape_frame(countries.assign(nato=np.where(countries["nato_member"], "NATO member", "")),
                     ["name", "nato"])
    return _geojson(g, "Countries (Natural Earth)", lambda f: {
        "fillColor": "#dde7f0" if f["properties"]["nato"] else "#f2f2f2", "color": "#8a8a8a",
        "weight": 0.6, "fillOpacity": 1.0}, ["name"], ["Country"])


def layer_areas(areas):
    g = escape_frame(areas.assign(label=areas["role"].map({"launch": "Belarus (NOTIONAL)",
                                                            "baseline": "Russian baseline (NOTIONAL)"})),
                     ["name", "label", "basis"])
    return _geojson(g, "Launch areas (NOTIONAL)", lambda f: {
        "fillColor": "#7b3294" if "Belarus" in f["properties"]["label"] else "#e66101",
        "color": "#222", "weight": 1.2, "dashArray": "4 3", "fillOpacity": 0.45},
        ["name", "label", "basis"], ["Area", "Kind", "Basis"])


def layer_rings(areas, missiles):
    rows, geoms = [], []
    launch = areas[areas["role"] == "launch"]
    for key in missiles:
        m = get_missile(key)
        r = m.max_range_km
        if not (0 < r < 19000):
            continue
        u = shapely.union_all([area_range_ring(g, r, edge_km=25.0, boundary_step_km=40.0) for g in launch.geometry])
        rows.append(dict(missile=m.key, label=f"{m.label}: {r:.0f} km from the Belarus areas"))
        geoms.append(u)
    import geopandas as gpd

    g = escape_frame(gpd.GeoDataFrame(rows, geometry=geoms, crs=4326), ["missile", "label"])
    colors = {"iskander-m": "#1b7837", "oreshnik": "#2166ac"}
    return _geojson(g, "Maximum-range rings (from Belarus)", lambda f: {
        "fill": False, "color": colors.get(f["properties"]["missile"], "#555"), "weight": 2.2},
        ["label"], ["Range ring"])


def layer_isochrones(bands, missile):
    levels = sorted(bands["level_min"].unique())
    cmap = {lv: ISO_COLORS[i % len(ISO_COLORS)] for i, lv in enumerate(levels)}
    g = escape_frame(bands.assign(label=[f"{lo:.0f}-{hi:.0f} min" for lo, hi in
                                         zip(bands["level_min_low"], bands["level_min"])]), ["label", "level_min"])
    return _geojson(g, f"Flight-time isochrones ({get_missile(missile).key}, min)", lambda f: {
        "fillColor": cmap.get(f["properties"]["level_min"], "#999"), "color": "#555", "weight": 0.4,
        "fillOpacity": 0.35}, ["label"], ["Arrives within"]), cmap


def layer_compression(bands):
    levels = sorted(bands["compression_s"].unique())
    cmap = {lv: COMP_COLORS[min(i, len(COMP_COLORS) - 1)] for i, lv in enumerate(levels)}
    g = escape_frame(bands.assign(label=[f"{lo:.0f} to {hi:.0f} s" for lo, hi in
                                         zip(bands["compression_s_low"], bands["compression_s"])]),
                     ["label", "compression_s"])
    return _geojson(g, "Compression surface (flight time, s)", lambda f: {
        "fillColor": cmap.get(f["properties"]["compression_s"], "#999"), "color": "#777", "weight": 0.3,
        "fillOpacity": 0.45}, ["label"], ["Flight time lost"], show=False), cmap


def layer_newly(new_gdf):
    g = escape_frame(new_gdf.assign(label=new_gdf["description"] + " (" + new_gdf["missile"] + ")"), ["label"])
    return _geojson(g, "Newly in reach (SRBM class)", lambda f: {
        "fillColor": "#1b7837", "color": "#1b7837", "weight": 1, "fillOpacity": 0.3, "hatch": True},
        ["label"], ["Area"])


def _fmt(v, unit="min", div=60.0):
    return "-" if v is None or not np.isfinite(v) else f"{v / div:.1f} {unit}"


def _shots(v):
    return "no shot" if v is None or not np.isfinite(v) or v < 1 else f"{v:.0f} shot" + ("s" if v >= 2 else "")


def target_popup(row) -> str:
    """HTML of a target's popup (all text escaped); the numbers are the analysis's, formatted
    as the report prints them (warning in min to 0.1, compression in s to 0.1)."""
    parts = [f"<b>{esc(row['name'])}</b> ({esc(row.get('country_iso3', ''))}, {esc(row.get('kind', ''))})"]
    if "flight_time_min" in row and row.get("missile"):
        parts.append(f"Missile <b>{esc(row['missile'])}</b>, trajectory {esc(row.get('trajectory', ''))}")
        parts.append(f"Flight time from Belarus: <span class='ft'>{_fmt(row.get('flight_time_min'), 'min', 1.0)}</span>")
        parts.append(f"Warning time: <span class='wt'>{_fmt(row.get('warning_min'), 'min', 1.0)}</span> "
                     f"(p5 to p95 <span class='wq'>{esc(row.get('warning_q', '-'))}</span> min)")
        parts.append(f"Compression vs Russian baselines: <span class='cp'>{_fmt(row.get('compression_s'), 's', 1.0)}"
                     f"</span> (p5 / p50 / p95 <span class='cq'>{esc(row.get('compression_q', '-'))}</span> s)")
        parts.append(f"Best Belarus area: {esc(row.get('launch_area', '-') or '-')}; best baseline: "
                     f"{esc(row.get('baseline_area', '-') or '-')}")
    for d in row.get("defence") or ():
        parts.append(f"Missile defence, {esc(d['site'])} ({esc(d['interceptor'])}): engagement window "
                     f"<span class='dw'>{_fmt(d['window_b'], 's', 1.0)}</span>, "
                     f"{_shots(d['shots_b'])} from Belarus; {_fmt(d['window_r'], 's', 1.0)}, "
                     f"{_shots(d['shots_r'])} from the best baseline (kinematic; NOTIONAL interceptor data)")
    return "<div class='wt-popup'>" + "<br>".join(parts) + "</div>"


def layer_targets(targets, capitals=None, missile=None, trajectory=None, windows=None):
    """Target markers; ``capitals`` is the report's capitals table (report.capitals_view of the
    analysis), so the popups print the report's numbers; ``windows`` the report's Claim 3
    engagement windows (per site and capital), shown in the capitals' popups."""
    fg = folium.FeatureGroup(name="Targets (capitals, military sites)")
    s = capitals.set_index("capital") if capitals is not None else None
    for _, t in targets.iterrows():
        row = dict(t)
        if windows is not None:
            w = windows[windows["target"] == t["name"]]
            row["defence"] = [dict(site=r["site"], interceptor=r["interceptor"],
                                   window_b=float(r["window from Belarus (s)"]), shots_b=float(r["shots from Belarus"]),
                                   window_r=float(r["window from baseline (s)"]),
                                   shots_r=float(r["shots from baseline"])) for _, r in w.iterrows()]
        if s is not None and t["name"] in s.index:
            r = s.loc[t["name"]]
            row.update(missile=missile, trajectory=trajectory, flight_time_min=r["flight (min)"],
                       warning_min=r["warning (min)"], warning_q=r["warning p5 to p95 (min)"],
                       compression_s=r["compression (s)"], compression_q=r["compression p5 / p50 / p95 (s)"],
                       launch_area=r["Belarus area"], baseline_area=r["best baseline"])
        color = {"capital": "#000", "military": "#b2182b", "city": "#555"}.get(t["kind"], "#555")
        folium.CircleMarker([t["lat_deg"], t["lon_deg"]], radius=5 if t["kind"] == "capital" else 4,
                            color=color, fill=True, fill_color="#fff" if t["kind"] == "capital" else color,
                            fill_opacity=1.0, weight=2,
                            tooltip=folium.Tooltip(esc(t["name"])),
                            popup=folium.Popup(target_popup(row), max_width=360)).add_to(fg)
    return fg


def layer_radars(sensors, altitude_km=100.0, k=4.0 / 3.0):
    """Radar sites and their coverage against a target at ``altitude_km``: the lesser of the
    maximum range and the 4/3-Earth horizon, sqrt(2kRh_r) + sqrt(2kRh_t)."""
    fg = folium.FeatureGroup(name=f"Radars and coverage ({altitude_km:.0f} km target altitude)")
    for _, s in sensors[sensors["kind"] == "ground-radar"].iterrows():
        cov_km = min(s["max_range_km_nominal"], float(horizon_m(s["height_m_nominal"], altitude_km * 1e3, k)) / 1e3)
        ring = range_ring(s["lat_deg"], s["lon_deg"], cov_km, edge_km=25.0)
        folium.GeoJson(shapely.geometry.mapping(ring), style_function=lambda f: {
            "fill": True, "fillOpacity": 0.06, "color": "#4d4d4d", "weight": 1, "dashArray": "2 4"},
            tooltip=esc(f"{s['label']}: coverage {cov_km:.0f} km")).add_to(fg)
        folium.Marker([s["lat_deg"], s["lon_deg"]], tooltip=esc(s["label"]), icon=folium.DivIcon(
            html="<div style='font-size:18px;line-height:18px;color:#ffd92f;text-shadow:0 0 2px #000,0 0 2px #000'>"
                 "&#9650;</div>", icon_size=(18, 18), icon_anchor=(9, 9))).add_to(fg)
    return fg


def layer_tracks(areas, targets, names, n=64):
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    fg = folium.FeatureGroup(name="Great-circle ground tracks (from Krychaw)", show=False)
    src = areas[areas["role"] == "launch"]
    src = src[src["name"] == "Krychaw"] if (src["name"] == "Krychaw").any() else src.head(1)
    p = src.geometry.iloc[0].representative_point()
    for _, t in targets[targets["name"].isin(names)].iterrows():
        pts = [(p.y, p.x)] + [(la, lo) for lo, la in geod.npts(p.x, p.y, t["lon_deg"], t["lat_deg"], n)] + \
              [(t["lat_deg"], t["lon_deg"])]
        folium.PolyLine(pts, color="#2166ac", weight=1.5, dash_array="6 4",
                        tooltip=esc(f"{src['name'].iloc[0]} -> {t['name']}")).add_to(fg)
    return fg


# ----------------------------------------------------------------------------------------------
# fixed elements: title, banner, legend, assumptions and sources
# ----------------------------------------------------------------------------------------------

class RawHTML(Element):
    """Finished HTML placed in the page as it is: never compiled as a template (branca's
    ``Element(text)`` compiles ``text`` as Jinja2, so rendered output must not go through it)."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawHTML"
        self.text = str(text)

    def render(self, **kwargs) -> str:
        return self.text


class Box(MacroElement):
    """A fixed panel on the map (title, banner, legend, sources).

    The template is the class's own; ``body`` is HTML built by this module, in which every value
    from a data file has been escaped by :func:`warning_time.escaping.escape_text`. ``css`` and
    ``cls`` are this module's constants. The rendered panel goes into the page as
    :class:`RawHTML`, so it is not compiled a second time."""

    _template = Template(
        "{% macro html(this, kwargs) %}<div class=\"{{ this.cls }}\" "
        "style=\"position:absolute;z-index:1000;{{ this.css }}\">{{ this.body }}</div>{% endmacro %}")

    def __init__(self, body_html: str, position_css: str, cls: str):
        super().__init__()
        self._name = "Box"
        self.body = body_html
        self.css = position_css
        self.cls = cls

    def render(self, **kwargs):
        figure = self.get_root()
        figure.html.add_child(RawHTML(self._template.module.html(self, kwargs)), name=self.get_name())


def _box(html_body, position_css, cls):
    return Box(html_body, position_css, cls)


def banner_and_panels(title, legend_html, assumptions, sources):
    css = ("<style>.wt-box{background:rgba(255,255,255,.93);border:1px solid #888;border-radius:4px;padding:6px 9px;"
           "font:12px/1.35 system-ui,sans-serif;color:#222;max-width:360px}"
           ".wt-banner{background:#8b0000;color:#fff;font:bold 13px system-ui,sans-serif;padding:4px 10px;"
           "border-radius:3px}.wt-title{font:bold 16px system-ui,sans-serif}.wt-sw{display:inline-block;width:14px;"
           "height:10px;margin-right:5px;border:1px solid #777;vertical-align:middle}</style>")
    return [
        RawHTML(css),
        _box(f"<div class='wt-title'>{esc(title)}</div>", "top:10px;left:55px;max-width:min(300px,28%);", "wt-box"),
        _box(esc(NOTIONAL_TEXT), "top:10px;left:50%;transform:translateX(-50%);max-width:34%;text-align:center;",
             "wt-banner"),
        _box(legend_html, "bottom:30px;right:10px;", "wt-box wt-legend"),
        _box("<b>Model and assumptions</b><br>" + "<br>".join(esc(a) for a in assumptions)
             + "<br><b>Sources</b><br>" + "<br>".join(esc(s) for s in sources)
             + f"<br><i>warning_time {esc(__version__)}</i>", "bottom:45px;left:10px;max-width:420px;font-size:11px;",
             "wt-box wt-sources"),
    ]


def _legend(iso_cmap, comp_cmap, iso_missile):
    rows = [f"<b>Flight time, {esc(iso_missile)} from Belarus</b>"]
    prev = 0.0
    for lv, col in sorted(iso_cmap.items()):
        rows.append(f"<span class='wt-sw' style='background:{col}'></span>{prev:.0f}-{lv:.0f} min")
        prev = lv
    if comp_cmap:
        rows.append("<b>Flight time lost vs Russian baselines</b>")
        for lv, col in sorted(comp_cmap.items()):
            rows.append(f"<span class='wt-sw' style='background:{col}'></span>up to {lv:.0f} s")
    rows.append("<span class='wt-sw' style='background:#7b3294'></span>Belarus area (NOTIONAL)")
    rows.append("<span class='wt-sw' style='background:#e66101'></span>Russian baseline (NOTIONAL)")
    rows.append("<span class='wt-sw' style='background:#ffd92f'></span>Radar site")
    return "<br>".join(rows)


# ----------------------------------------------------------------------------------------------
# compose, save, screenshot
# ----------------------------------------------------------------------------------------------

def build_map(scenario=None, *, analysis=None, targets=None, areas=None, missiles=None, res_deg=0.25,
              region=(-25.0, 33.0, 60.0, 72.0), offline=True, track_targets=("London", "Berlin", "Warsaw", "Paris", "Rome")):
    """The briefing map for a scenario (default: the paper scenario), as a folium.Map.

    ``analysis`` is the scenario's :class:`warning_time.study.Analysis` (the report's; computed
    when omitted): the popups print its capitals table, so map and report agree to the digit.
    ``targets`` / ``areas`` replace the shipped files with the user's own (same schema) for the
    drawn layers."""
    from ..report import capitals_view
    from ..scenario import load_scenario
    from ..study import Analysis

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
    tg_show = tg[tg["kind"].isin(["capital", "military"])]
    capitals = capitals_view(analysis)
    m = folium.Map(location=[52.0, 20.0], zoom_start=4, tiles=None, control_scale=True, prefer_canvas=False)
    if not offline:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap (online)", show=False).add_to(m)
    layer_basemap(load_countries()).add_to(m)
    # surfaces
    # surfaces: deterministic lattice points of the areas (no seed)
    lp = lattice_points(launch)
    bp = lattice_points(base)
    traj = analysis.irbm_trajectory
    da_l = flight_time_surface(lp["lat_deg"], lp["lon_deg"], missile=irbm, trajectory=traj, region=region,
                               res_deg=res_deg, earth=s["earth"], rotation=s["rotation"])
    iso = contour_bands(da_l, [6.0, 8.0, 10.0, 12.0, 15.0])
    iso_layer, iso_cmap = layer_isochrones(iso, irbm)
    da_b = flight_time_surface(bp["lat_deg"], bp["lon_deg"], missile=irbm, trajectory=traj, region=region,
                               res_deg=res_deg, earth=s["earth"], rotation=s["rotation"])
    comp = ((da_b - da_l) * 60.0).rename("compression_s")
    comp_bands = contour_bands(comp, [0.0, 30.0, 60.0, 120.0, 240.0], value_name="compression_s") \
        if np.isfinite(comp.values).any() else None
    comp_layer, comp_cmap = layer_compression(comp_bands) if comp_bands is not None and len(comp_bands) else (None, {})
    new, _ = newly_in_reach(launch, base, missile=srbm)
    # compose
    iso_layer.add_to(m)
    if comp_layer is not None:
        comp_layer.add_to(m)
    layer_rings(use_areas, missiles).add_to(m)
    layer_newly(new).add_to(m)
    layer_areas(use_areas).add_to(m)
    sensors = sc.get("sensor_table", load_sensors())  # the scenario's, overrides applied
    layer_radars(sensors[sensors["sensor"].isin(s["sensors"])]).add_to(m)
    layer_tracks(use_areas, tg, list(track_targets)).add_to(m)
    c3 = analysis.claim3  # Claim 3 of the report: footprints layer, windows in the capitals' popups
    if len(c3["footprint_geo"]):
        layer_footprints(c3["footprint_geo"], show=False).add_to(m)
    layer_targets(tg_show, capitals, irbm, traj, windows=c3["windows"]).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    Fullscreen().add_to(m)
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
    for el in banner_and_panels(s["title"], _legend(iso_cmap, comp_cmap, irbm), assumptions, sources):
        if isinstance(el, RawHTML):
            m.get_root().header.add_child(el)
        else:
            m.add_child(el)
    m.fit_bounds([[36.0, -12.0], [66.0, 42.0]])
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
                                      f".folium-map{{width:{int(w)}px!important;height:{int(h)}px!important}}</style>"))
    text = root.render()
    if offline:
        text = inline_assets(text)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


def find_chromium():
    import shutil

    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


def png_available() -> str | None:
    """None when PNG screenshots can be made here, else the reason they cannot."""
    if find_chromium() is None:
        return "a PNG needs Chromium: install Debian's 'chromium' package"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "a PNG needs the playwright package: pip install 'warning_time[png]'"
    return None


def map_png(html_path, png_path, *, width=1600, height=1000, wait_ms=1500):
    """Screenshot a saved map with the system's headless Chromium (Playwright) for slides."""
    why = png_available()
    if why:
        raise InputError("png", message=why)
    exe = find_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(Path(html_path).resolve().as_uri())
        page.wait_for_timeout(wait_ms)
        with atomic_path(png_path) as tmp:
            page.screenshot(path=str(tmp), full_page=False)
        browser.close()
    return Path(png_path)
