"""Maps in a real browser: Debian's Chromium driven by Playwright (installed by .ci/run).

The saved offline map renders, lists the expected layers, shows popups whose numbers match
flight_time and the warning model, makes no network request, and shows hostile names as text.
"""
import re
import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import warning_time as wt
from warning_time.maps import (CHROMIUM_ARGS, PRINT_PAGE_PX, build_map, find_chromium, map_exports, map_pdf, map_png,
                               save_map)
from warning_time.places import load_targets
from warning_time.scenario import load_scenario

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (installed by .ci/run)")

EXPECTED_LAYERS = ["Countries (Natural Earth)", "Flight-time isochrones (oreshnik, min)",
                   "Compression surface (flight time, s)", "Maximum-range rings (from Belarus)",
                   "Newly in reach (SRBM class)", "Launch areas (NOTIONAL)",
                   "Radars and coverage (100 km target altitude)",
                   "Great-circle ground tracks (from the best Belarus point)",
                   "Defended footprints (NOTIONAL interceptor data)", "Targets (capitals, military sites, cities)"]
EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("map")
    sc = load_scenario()
    s = sc["scenario"]
    t = load_targets()
    t = pd.concat([t, pd.DataFrame([dict(name=EVIL, country_iso3="POL", lat_deg=51.0, lon_deg=19.0, kind="capital",
                                         population=1, note="", source="test")])], ignore_index=True)
    import geopandas as gpd

    t = gpd.GeoDataFrame(t, geometry=gpd.points_from_xy(t["lon_deg"], t["lat_deg"]), crs=4326)
    from warning_time.study import Analysis

    an = Analysis(sc, draws=2, trajectories=["minimum-energy"], spacing_km=10.0)
    summary = an.capitals
    m = build_map(sc, analysis=an, targets=t, res_deg=0.5)
    path = save_map(m, out / "map.html", offline=True)
    return path, summary, t


def _open(path, fn):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = b.new_page(viewport={"width": 1400, "height": 900})
        log = {"requests": [], "errors": [], "dialogs": []}
        page.on("request", lambda r: log["requests"].append(r.url))
        page.on("pageerror", lambda e: log["errors"].append(str(e)))
        page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_timeout(1000)
        try:
            return fn(page, log)
        finally:
            b.close()


def test_offline_map_renders_with_expected_layers_and_no_request(built):
    path, _, _ = built

    def check(page, log):
        assert page.evaluate("typeof L") == "object"
        labels = page.evaluate("Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
                               ".map(e => e.textContent.trim())")
        assert labels == EXPECTED_LAYERS
        assert page.locator(".leaflet-interactive").count() > 50
        assert "NOTIONAL" in page.inner_text(".wt-banner")
        assert "Sources" in page.inner_text(".wt-sources")
        remote = [u for u in log["requests"] if not u.startswith(("file:", "data:", "about:"))]
        assert remote == [], remote
        assert log["errors"] == []

    _open(path, check)


def test_popup_numbers_match_the_model(built):
    path, summary, t = built
    row = summary[summary["target"] == "Warsaw"].iloc[0]
    warsaw = t[t["name"] == "Warsaw"].iloc[0]
    ft = wt.flight_time(row["launch_lat_deg"], row["launch_lon_deg"], warsaw["lat_deg"], warsaw["lon_deg"],
                        missile="oreshnik")
    expect_ft = f"{float(ft.flight_time_s) / 60:.1f} min"
    expect_cp = f"{row['compression_s']:.1f} s"
    expect_w = f"{row['launch_warning_s'] / 60:.1f} min"

    def check(page, log):
        page.evaluate("""() => { for (const k in window) { const v = window[k];
            if (v && v instanceof L.CircleMarker && v.getTooltip() && String(v.getTooltip().getContent()).replace(/<[^>]*>/g, '').trim() === 'Warsaw') {
                v.openPopup(); } } }""")
        page.wait_for_timeout(300)
        text = page.inner_text(".leaflet-popup-content")
        assert "Warsaw" in text and "oreshnik" in text
        assert page.inner_text(".leaflet-popup-content .ft") == expect_ft
        assert page.inner_text(".leaflet-popup-content .wt") == expect_w
        assert page.inner_text(".leaflet-popup-content .cp") == expect_cp

    _open(path, check)


def test_hostile_names_are_text(built):
    path, _, _ = built
    html = path.read_text()
    assert EVIL not in html  # never raw in the page

    def check(page, log):
        page.evaluate("""() => { for (const k in window) { const v = window[k];
            if (v && v instanceof L.CircleMarker && v.getTooltip() && v.getTooltip().getContent().includes('onerror')) {
                v.openTooltip(); v.openPopup(); } } }""")
        page.wait_for_timeout(300)
        assert EVIL in page.inner_text(".leaflet-popup-content")  # shown as text
        assert page.locator(".leaflet-popup-content img").count() == 0
        assert log["dialogs"] == [] and log["errors"] == []

    _open(path, check)


def test_screenshot_and_size(built, tmp_path):
    path, _, _ = built
    assert path.stat().st_size < 5e6
    png = map_png(path, tmp_path / "map.png", width=1200, height=800)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000


def test_embed_size(built, tmp_path):
    path, summary, t = built
    from warning_time.study import Analysis

    an = Analysis(load_scenario(), draws=2, trajectories=["minimum-energy"], spacing_km=10.0)
    m = build_map(load_scenario(), analysis=an, targets=t, res_deg=1.0)
    p = save_map(m, tmp_path / "embed.html", offline=True, embed=(640, 400))

    def check(page, log):
        box = page.evaluate("(() => { const r = document.querySelector('.wt-frame').getBoundingClientRect();"
                            " return [r.width, r.height]; })()")
        assert box == [640, 400]  # the frame (banner, title, map, legend, sources) fits the iframe
        inner = page.evaluate("(() => { const r = document.querySelector('.wt-mapcell .folium-map')"
                              ".getBoundingClientRect(); return [r.right, r.bottom]; })()")
        assert inner[0] <= 640 and inner[1] <= 400

    _open(p, check)


# -------------------------------------------------------------------------------------------
# presentation: every size, an iframe, full screen; the legend against the drawn layers
# -------------------------------------------------------------------------------------------

from _presentation import (CLICK_PREP_JS, MARKERS_JS, TIPS_JS, check_panels, click_targets,  # noqa: E402
                           inside, legend_matches_drawn, overlap)


def _browser(fn, width, height):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = b.new_page(viewport={"width": width, "height": height})
            log = {"requests": [], "errors": []}
            page.on("request", lambda r: log["requests"].append(r.url))
            page.on("pageerror", lambda e: log["errors"].append(str(e)))
            fn(page, log)
            remote = [u for u in log["requests"] if not u.startswith(("file:", "data:", "about:"))]
            assert remote == [], remote[:3]
            assert log["errors"] == [], log["errors"][:3]
        finally:
            b.close()


@pytest.mark.parametrize("width, height, every", [(1600, 1000, 4), (1280, 720, 4), (800, 500, 1)])
def test_presentation_at_every_size(built, width, height, every):
    """Banner, title, legend and map visible and apart; every (every-th) target opens its popup
    on a click, with every overlay on (polygons and radar symbols never take a target's click),
    and the popup stays inside the map, clear of the panels. At 800x500 (the most overlap)
    every target is clicked. The page has a <title>."""
    path, _, _ = built

    def check(page, log):
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_timeout(800)
        assert page.title().strip()
        check_panels(page, width, height)
        small = width < 1000 or height < 650
        assert page.evaluate("document.getElementById('wt-frame').classList.contains('wt-small')") == small
        # the layer list is folded at small sizes, open at large ones
        assert page.locator(".leaflet-control-layers-expanded").count() == (0 if small else 1)
        assert click_targets(page, page, every=every) > 10

    _browser(check, width, height)


def test_presentation_in_an_iframe(built, tmp_path):
    path, _, _ = built
    host = Path(path).parent / "host.html"
    host.write_text("<!doctype html><title>host</title><body style='margin:20px'>"
                    f"<iframe src='{Path(path).name}' width='800' height='500' style='border:1px solid #000'>"
                    "</iframe></body>", encoding="utf-8")

    def check(page, log):
        page.goto(host.resolve().as_uri())
        page.wait_for_timeout(1200)
        frame = page.frames[1]
        check_panels(frame, 800, 500)
        box = page.locator("iframe").bounding_box()
        assert click_targets(page, frame, every=6, offset=(box["x"] + 1, box["y"] + 1)) > 5

    _browser(check, 1200, 700)


def test_presentation_in_full_screen(built):
    """The full-screen button puts the whole frame (banner, title, map, legend, sources) in
    full screen, not the bare map."""
    path, _, _ = built

    def check(page, log):
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_timeout(800)
        page.click(".leaflet-control-zoom-fullscreen")
        page.wait_for_timeout(800)
        fs = page.evaluate("(document.fullscreenElement && document.fullscreenElement.id) || "
                           "(document.querySelector('.leaflet-pseudo-fullscreen') || {}).id || ''")
        assert fs == "wt-frame", fs
        w, h = page.evaluate("[window.innerWidth, window.innerHeight]")
        check_panels(page, w, h)
        assert click_targets(page, page, every=8) > 5

    _browser(check, 1280, 720)


def test_legend_is_generated_from_the_drawn_layers(built):
    path, _, _ = built

    def check(page, log):
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_timeout(800)
        r = legend_matches_drawn(page)
        assert r["missing"] == [] and r["extra"] == [], r
        labels = page.evaluate("Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label'))"
                               ".map(e => e.textContent.trim())")
        heads = page.evaluate("Array.from(document.querySelectorAll('.wt-leg .wt-leg-h')).map(e => e.textContent)")
        assert heads == labels  # one section per layer of the control, in its order
        for key in ("isochrones", "compression"):  # the bands as computed, labelled alike in legend and map
            assert r["labels"][key]["drawn"] == r["labels"][key]["legend"], r["labels"][key]
        iso = r["labels"]["isochrones"]["legend"]
        assert "6-8 min" in iso and not any(x.startswith("0-") for x in iso)
        notes = page.inner_text(".wt-leg[data-key=isochrones]")
        assert "minimum range" in notes and "not safe" in notes
        # a hidden layer's section is marked off and follows the layer control
        assert page.evaluate("document.querySelector('.wt-leg[data-key=compression]').classList.contains('wt-off')")
        page.evaluate("document.querySelectorAll('.leaflet-control-layers-overlays input')[2].click()")
        assert not page.evaluate("document.querySelector('.wt-leg[data-key=compression]').classList.contains('wt-off')")

    _browser(check, 1600, 1000)


@pytest.mark.parametrize("w, h, scale", [(800, 500, 2.0), (1200, 675, 1.0)])
def test_png_has_the_requested_size_and_no_controls(built, tmp_path, w, h, scale):
    path, _, _ = built
    png = map_png(path, tmp_path / "slide.png", width=w, height=h, scale=scale)
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
    assert struct.unpack(">II", head[16:24]) == (int(w * scale), int(h * scale))

    def check(page, log):  # what the PNG shows: the static mode
        page.goto(Path(path).resolve().as_uri() + "#static")
        page.wait_for_timeout(800)
        for sel in (".leaflet-control-zoom", ".leaflet-control-layers", ".leaflet-control-zoom-fullscreen",
                    ".leaflet-control-measure"):
            assert not page.locator(sel).first.is_visible(), sel
        assert page.locator(".wt-lab-iso").first.is_visible()  # "8 min" on the line
        assert page.locator(".wt-lab").filter(has_text="Warsaw").first.is_visible()
        assert page.evaluate(LEGEND_FITS_JS)
        check_panels(page, w, h)

    _browser(check, w, h)


CONTROLS = (".leaflet-control-zoom", ".leaflet-control-layers", ".leaflet-control-zoom-fullscreen",
            ".leaflet-control-measure")


def test_pdf_is_one_a4_landscape_page_with_banner_title_and_legend(built, tmp_path):
    """Chromium's print of the map: one page, A4 landscape (841.9 x 595.3 pt), the NOTIONAL
    banner, the title, the legend and the sources on it, and no layer control (its names of
    hidden layers do not appear: their legend sections are left out of the print too)."""
    pypdf = pytest.importorskip("pypdf")
    path, _, _ = built
    pdf = map_pdf(path, tmp_path / "map.pdf")
    reader = pypdf.PdfReader(str(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 841.89) < 1.0 and abs(float(box.height) - 595.28) < 1.0, box
    text = " ".join(reader.pages[0].extract_text().split())
    title = " ".join(load_scenario()["scenario"]["title"].split())
    assert "NOTIONAL" in text and title in text, text[:300]
    assert "Flight-time isochrones" in text and "Sources:" in text  # legend and sources
    assert "Great-circle ground tracks" not in text  # a hidden layer: not in a layer list, not in the legend
    assert "10 min" in text  # isochrone labels are printed


def test_pdf_and_png_in_one_browser(built, tmp_path):
    path, _, _ = built
    png, pdf = map_exports(path, png=tmp_path / "s.png", pdf=tmp_path / "s.pdf", width=640, height=400)
    head = Path(png).read_bytes()[:24]
    assert struct.unpack(">II", head[16:24]) == (640, 400)
    assert Path(pdf).read_bytes()[:5] == b"%PDF-"


def test_print_stylesheet_hides_controls_and_keeps_panels_apart(built):
    """Under print media (no static mode asked): no interactive control visible; banner,
    title, legend and map inside the A4 printable area and apart; the labels are shown."""
    path, _, _ = built
    w, h = PRINT_PAGE_PX

    def check(page, log):
        page.emulate_media(media="print")
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_timeout(800)
        for sel in CONTROLS:
            assert not page.locator(sel).first.is_visible(), sel
        rects = check_panels(page, w, h)
        assert page.locator(".wt-lab-iso").first.is_visible()
        assert page.locator(".wt-lab-t").filter(has_text="Warsaw").first.is_visible()
        assert page.evaluate(LEGEND_FITS_JS)
        src = page.evaluate("(() => { const r = document.querySelector('.wt-sources').getBoundingClientRect();"
                            " return [r.left, r.top, r.right, r.bottom]; })()")
        assert src[3] <= h + 1 and src[1] >= rects[".wt-mapcell"][3] - 1  # sources below the map, on the page

    _browser(check, w, h)


LEGEND_FITS_JS = """() => { const l = document.querySelector('.wt-legend');
    return l.scrollHeight <= l.clientHeight + 1 && parseFloat(getComputedStyle(l).fontSize) >= 7; }"""

LABELS_JS = """() => Array.from(document.querySelectorAll('.wt-lab-t')).map(l => {
    const r = l.getBoundingClientRect();
    return {text: l.textContent.trim(), pri: +l.dataset.pri, hidden: l.classList.contains('wt-lab-hid')
            || getComputedStyle(l).visibility === 'hidden', rect: [r.left, r.top, r.right, r.bottom]}; })"""


def test_target_labels_do_not_overlap_on_a_slide(built):
    """A 1280x720 slide (static mode): no two visible target labels intersect, none leaves
    the map, the pressure countries' capitals are all labelled, and every target whose label
    was dropped is still drawn and opens its popup on a click at its marker."""
    path, _, _ = built

    def check(page, log):
        page.goto(Path(path).resolve().as_uri() + "#static")
        page.wait_for_timeout(800)
        labs = page.evaluate(LABELS_JS)
        cell = check_panels(page, 1280, 720)[".wt-mapcell"]
        shown = [x for x in labs if not x["hidden"]]
        hidden = [x for x in labs if x["hidden"]]
        assert len(shown) >= 15, len(shown)
        assert all(x["rect"][2] - x["rect"][0] > 3 * len(x["text"]) and x["rect"][3] - x["rect"][1] > 8
                   for x in shown)  # the text's own box, not its 1 px anchor
        for i, a in enumerate(shown):
            assert inside(a["rect"], cell), a
            for b in shown[i + 1:]:
                assert not overlap(a["rect"], b["rect"], tol=0.0), (a, b)
        assert all(not x["hidden"] for x in labs if x["pri"] == 0)
        assert {"Warsaw", "Berlin", "Vilnius", "Riga", "Tallinn"} <= {x["text"] for x in shown}
        assert page.evaluate(LEGEND_FITS_JS)  # a slide cannot scroll: the whole legend shows
        markers = page.evaluate(MARKERS_JS)
        tips = dict(zip(page.evaluate(TIPS_JS, markers), markers))
        for x in hidden:
            k = tips[x["text"]]
            assert page.evaluate("k => window.wtMap.hasLayer(window[k])", k)
            px, py, name = page.evaluate(CLICK_PREP_JS, k)
            page.mouse.click(px, py)
            page.wait_for_selector(".leaflet-popup-content", timeout=2000)
            assert name in page.inner_text(".leaflet-popup-content")
            page.evaluate("() => window.wtMap.closePopup()")

    _browser(check, 1280, 720)
