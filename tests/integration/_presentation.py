"""Browser checks of a saved briefing map's presentation (used by test_maps.py): the frame's
panels are visible and apart at a size, in an iframe and in full screen; a click on every target
opens its popup, which stays clear of the panels; the legend matches the drawn layers."""
from __future__ import annotations

from pathlib import Path

PANELS = (".wt-banner", ".wt-title", ".wt-legend", ".wt-mapcell")

RECTS_JS = """sels => sels.map(s => { const e = document.querySelector(s); if (!e) return null;
    const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""

MARKERS_JS = """() => { const out = [];
    for (const k in window) { const v = window[k];
        if (v && v instanceof L.CircleMarker && v.options.pane === 'wt-targets') out.push(k); }
    return out; }"""

TIPS_JS = """ks => ks.map(k => { const d = document.createElement('div');
    d.innerHTML = window[k].getTooltip().getContent(); return d.textContent.trim(); })"""

CLICK_PREP_JS = """k => { const map = window.wtMap, v = window[k]; map.closePopup();
    map.setView(v.getLatLng(), map.getZoom(), {animate: false});
    const p = map.latLngToContainerPoint(v.getLatLng()), r = map.getContainer().getBoundingClientRect();
    const d = document.createElement('div'); d.innerHTML = v.getTooltip().getContent();
    return [r.left + p.x, r.top + p.y, d.textContent.trim().split(' / ')[0].trim()]; }"""


def overlap(a, b, tol=0.5):
    return a[0] < b[2] - tol and b[0] < a[2] - tol and a[1] < b[3] - tol and b[1] < a[3] - tol


def inside(a, box, tol=1.0):
    return a[0] >= box[0] - tol and a[1] >= box[1] - tol and a[2] <= box[2] + tol and a[3] <= box[3] + tol


def check_panels(frame, width, height):
    """Banner, title, legend and map visible inside the page and apart from each other."""
    rects = frame.evaluate(RECTS_JS, list(PANELS))
    for sel, r in zip(PANELS, rects):
        assert r is not None, sel
        assert r[2] - r[0] > 20 and r[3] - r[1] > 8, (sel, r)
        assert inside(r, [0, 0, width, height]), (sel, r, width, height)
    for i in range(len(PANELS)):
        for j in range(i + 1, len(PANELS)):
            assert not overlap(rects[i], rects[j]), (PANELS[i], PANELS[j], rects[i], rects[j])
    assert "NOTIONAL" in frame.inner_text(".wt-banner")
    assert frame.inner_text(".wt-title").strip()
    return dict(zip(PANELS, rects))


def click_targets(page, frame, every=1, offset=(0, 0)):
    """Click every ``every``-th target where it is drawn (all overlays on); its popup opens with
    its name, inside the map and clear of the banner, title and legend. Returns the count."""
    frame.evaluate("""() => { const c = document.querySelectorAll('.leaflet-control-layers-overlays input');
        c.forEach(i => { if (!i.checked) i.click(); }); }""")
    rects = dict(zip(PANELS, frame.evaluate(RECTS_JS, list(PANELS))))
    keys = frame.evaluate(MARKERS_JS)
    assert keys
    n = 0
    for k in keys[::every]:
        x, y, name = frame.evaluate(CLICK_PREP_JS, k)
        frame.wait_for_function("() => !document.querySelector('.leaflet-popup')", timeout=2000)  # closed
        page.mouse.click(x + offset[0], y + offset[1])
        frame.wait_for_selector(".leaflet-popup-content", timeout=2000)
        try:  # the popup pans the map to fit it (animated): wait until it is in, at most 1.5 s
            frame.wait_for_function("""() => { const p = document.querySelector('.leaflet-popup'),
                c = document.querySelector('.wt-mapcell'); if (!p || !c) return false;
                const a = p.getBoundingClientRect(), b = c.getBoundingClientRect();
                return a.left >= b.left - 2 && a.top >= b.top - 2 && a.right <= b.right + 2 && a.bottom <= b.bottom + 2; }""",
                                    timeout=1500)
        except Exception:
            pass  # the assertion below reports where it is
        text = frame.inner_text(".leaflet-popup-content")
        assert name in text, (name, text[:80])
        pop = frame.evaluate("() => { const r = document.querySelector('.leaflet-popup').getBoundingClientRect();"
                             " return [r.left, r.top, r.right, r.bottom]; }")
        assert inside(pop, rects[".wt-mapcell"], tol=2.0), (name, pop, rects[".wt-mapcell"])
        for sel in (".wt-banner", ".wt-title", ".wt-legend"):
            assert not overlap(pop, rects[sel]), (name, sel)
        n += 1
    return n


def legend_matches_drawn(frame):
    """Per layer of the layer control: a legend section; per drawn fill (colour, opacity) of
    its GeoJSON features: a swatch with that colour and opacity, and no swatch that is not
    drawn; the isochrone and compression band labels equal the drawn features' labels."""
    return frame.evaluate("""() => {
        const out = {missing: [], extra: [], labels: {}, sections: []};
        const map = window.wtMap;
        document.querySelectorAll('.wt-leg[data-var]').forEach(sec => {
            const fg = window[sec.dataset.var]; if (!fg) { out.missing.push('no layer ' + sec.dataset.key); return; }
            out.sections.push(sec.dataset.key);
            const drawn = new Set(), labels = new Set();
            fg.eachLayer(l => { const each = l.eachLayer ? (f => l.eachLayer(f)) : (f => f(l));
                each(p => { const o = p.options || {};
                    if (o.fill !== false && o.fillColor && p instanceof L.Polygon)
                        drawn.add(o.fillColor.toLowerCase() + '@' + (+o.fillOpacity));
                    const pr = p.feature && p.feature.properties; if (pr && pr.label !== undefined) labels.add(String(pr.label)); }); });
            const shown = new Set();
            sec.querySelectorAll('.wt-sw[data-kind=fill]').forEach(sw =>
                shown.add((sw.dataset.fill || sw.dataset.color).toLowerCase() + '@' + (+sw.dataset.opacity)));
            drawn.forEach(d => { if (!shown.has(d)) out.missing.push(sec.dataset.key + ' ' + d); });
            shown.forEach(d => { if (!drawn.has(d)) out.extra.push(sec.dataset.key + ' ' + d); });
            out.labels[sec.dataset.key] = {drawn: Array.from(labels).sort(),
                legend: Array.from(sec.querySelectorAll('.wt-leg-r')).map(r => r.dataset.label).sort()};
        });
        return out; }""")
