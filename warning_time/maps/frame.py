"""The presentation frame of a briefing map and its legend.

One element (``#wt-frame``) holds the NOTIONAL banner, the title, the map, the legend and the
sources; the map's container is moved into it when the page loads and the full-screen button puts
the whole frame in full screen, so nothing is lost there. The panels sit beside the map, never on
it: they cannot cover a control, a target or a popup at any size. Below 1000 x 650 px the frame
goes compact (smaller type, narrow legend, collapsed layer list, sources folded into one line);
``#static`` in the URL (or :func:`warning_time.maps.map_png`) hides every interactive control and
shows the labels, for slides.

The legend is built from :class:`LegendEntry` rows that the layer builders return with what they
draw (colour, opacity, dash and label as drawn), one section per layer; every swatch carries its
colour and opacity as data attributes so a test can compare it with the drawn features.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from branca.element import Element, MacroElement, Template

from ..escaping import escape_text as esc


@dataclass
class LegendEntry:
    """One legend row: ``kind`` is 'fill', 'line', 'circle' or 'symbol'; colours and opacities
    are the ones the layer draws."""
    label: str
    kind: str = "fill"
    color: str = "#555"
    fill: str | None = None
    fill_opacity: float = 1.0
    dash: str | None = None
    weight: float = 1.0
    symbol: str | None = None


@dataclass
class Drawn:
    """A layer as drawn: its folium FeatureGroup, its key (for ``layers=``), its name in the
    layer control and its legend entries (plus notes, e.g. what a blank area means)."""
    key: str
    group: object
    name: str
    entries: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def _swatch(e: LegendEntry) -> str:
    attrs = (f" data-color='{esc(e.color)}' data-fill='{esc(e.fill or '')}' data-opacity='{e.fill_opacity:g}'"
             f" data-kind='{esc(e.kind)}'")
    if e.kind == "fill":
        inner = (f"<span class='wt-sw-in' style='background:{esc(e.fill or e.color)};"
                 f"opacity:{e.fill_opacity:g}'></span>")
        return (f"<span class='wt-sw'{attrs} style='border:{max(e.weight, 1):g}px "
                f"{'dashed' if e.dash else 'solid'} {esc(e.color)}'>{inner}</span>")
    if e.kind == "line":
        return (f"<span class='wt-sw wt-sw-line'{attrs}><span style='border-top:{max(e.weight, 1.5):g}px "
                f"{'dashed' if e.dash else 'solid'} {esc(e.color)}'></span></span>")
    if e.kind == "circle":
        return (f"<span class='wt-sw wt-sw-circle'{attrs}><span style='border:2px solid {esc(e.color)};"
                f"background:{esc(e.fill or e.color)}'></span></span>")
    return f"<span class='wt-sw wt-sw-sym'{attrs} style='color:{esc(e.color)}'>{e.symbol or ''}</span>"


def legend_html(drawn: list) -> str:
    """The legend: one section per drawn layer in the order of the layer control, each with the
    layer's entries and notes (all text escaped here)."""
    out = []
    for d in drawn:
        if not d.entries and not d.notes:
            continue
        rows = [f"<div class='wt-leg-h'>{esc(d.name)}</div>"]
        rows += [f"<div class='wt-leg-r' data-label='{esc(e.label)}'>{_swatch(e)}<span>{esc(e.label)}</span></div>"
                 for e in d.entries]
        rows += [f"<div class='wt-leg-n'>{esc(n)}</div>" for n in d.notes]
        var = d.group.get_name() if d.group is not None else ""
        out.append(f"<div class='wt-leg' data-var='{esc(var)}' data-key='{esc(d.key)}'>" + "".join(rows) + "</div>")
    return "".join(out)


CSS = """
html,body{margin:0;padding:0;width:100%;height:100%;overflow:hidden}
.wt-frame{position:absolute;inset:0;display:flex;flex-direction:column;background:#fff;color:#222;
  font:12px/1.35 system-ui,-apple-system,"Segoe UI",sans-serif;box-sizing:border-box}
.wt-frame *{box-sizing:border-box}
.wt-head{flex:0 0 auto;display:flex;align-items:center;gap:10px;padding:4px 8px;border-bottom:1px solid #bbb}
.wt-titles{flex:1 1 auto;min-width:0}
.wt-title{font:bold 17px/1.2 system-ui,sans-serif;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.wt-subtitle{font-size:12px;color:#444;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.wt-banner{flex:0 1 46%;background:#8b0000;color:#fff;font:bold 11.5px/1.25 system-ui,sans-serif;padding:3px 8px;
  border-radius:3px}
.wt-body{flex:1 1 auto;display:flex;min-height:0}
.wt-mapcell{flex:1 1 auto;position:relative;min-width:0}
.wt-mapcell>.folium-map{position:absolute!important;inset:0;width:100%!important;height:100%!important}
.wt-legend{flex:0 0 250px;overflow:auto;border-left:1px solid #bbb;padding:5px 8px;background:#fafafa}
.wt-leg{margin-bottom:6px}.wt-leg.wt-off{opacity:.45}
.wt-leg-h{font-weight:bold;margin:2px 0}
.wt-leg-r{display:flex;align-items:center;gap:5px;margin:1px 0}
.wt-leg-n{font-size:.92em;color:#444;margin:1px 0 2px 0}
.wt-sw{flex:0 0 auto;display:inline-flex;align-items:center;justify-content:center;width:1.5em;height:1em;
  background:#f2f2f2;position:relative}
.wt-sw-in{position:absolute;inset:0}
.wt-sw-line{background:none}.wt-sw-line>span{display:block;width:1.5em}
.wt-sw-circle{background:none}.wt-sw-circle>span{display:block;width:.85em;height:.85em;border-radius:50%}
.wt-sw-sym{background:none;font-size:1.1em;text-shadow:0 0 2px #000}
.wt-sources{flex:0 0 auto;border-top:1px solid #bbb;padding:3px 8px;font-size:12px;color:#333;max-height:30%;overflow:auto}
.wt-sources summary{cursor:pointer}
.wt-small .wt-title{font-size:14px;white-space:normal;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical}.wt-small .wt-subtitle{font-size:11px}
.wt-small .wt-banner{font-size:10px;padding:2px 5px}.wt-small .wt-banner-long,.wt-banner-short{display:none}
.wt-small .wt-banner-short{display:inline}
.wt-small .wt-legend{flex-basis:165px;font-size:10px;padding:3px 5px}
.wt-small .wt-leg-n{font-size:.95em}
.wt-small .wt-sources{font-size:10px}
.wt-lab{display:none}.wt-static .wt-lab{display:block}.wt-static .wt-leg.wt-off{display:none}
.wt-static .wt-legend{overflow:hidden;line-height:1.2}.wt-static .wt-leg-r{margin:0}.wt-static .wt-leg{margin-bottom:4px}
.wt-lab{font:bold 11px system-ui,sans-serif;color:#111;white-space:nowrap;width:max-content;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff}
.wt-lab-iso{font-size:12px;color:#67001f}
.wt-small .wt-lab{font-size:9.5px}.wt-small .wt-lab-iso{font-size:10.5px}
.wt-lab.wt-lab-hid{visibility:hidden}
.wt-static .leaflet-control-zoom,.wt-static .leaflet-control-layers,.wt-static .leaflet-control-fullscreen,
.wt-static .leaflet-control-measure,.wt-static .leaflet-control-attribution a{display:none!important}
.wt-popup{max-width:340px}.wt-popup+.wt-popup{border-top:1px solid #ccc;margin-top:6px;padding-top:6px}
.leaflet-pane.leaflet-wt-labels-pane{pointer-events:none}
@media print{@page{size:A4 landscape;margin:8mm}
  html,body{width:281mm!important;height:193mm!important;overflow:hidden}
  .wt-frame{position:absolute;inset:0;width:100%!important;height:100%!important}
  .leaflet-control-zoom,.leaflet-control-layers,.leaflet-control-fullscreen,.leaflet-control-measure,
  .leaflet-control-attribution a{display:none!important}
  .wt-lab{display:block}.wt-leg.wt-off{display:none}
  .wt-title{white-space:normal}.wt-legend{overflow:hidden;font-size:9.5px;line-height:1.2;flex-basis:230px;padding:3px 6px}
  .wt-leg-n{font-size:.95em;margin:0}.wt-leg-h{margin:1px 0}.wt-leg-r{margin:0}
  .wt-leg{margin-bottom:3px}.wt-sources{overflow:hidden;font-size:10px}
  .wt-lab{text-shadow:none;background:rgba(255,255,255,.75);padding:0 2px;border-radius:2px}
  .wt-banner,.wt-sw,.wt-sw-in,.wt-legend{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


#: the banner at small sizes (the full text stays in the page and in the sources)
BANNER_SHORT = "NOTIONAL - launch areas are notional circles, not identified sites; open-source model estimates."


class RawHTML(Element):
    """Finished HTML placed in the page as it is: never compiled as a template (branca's
    ``Element(text)`` compiles ``text`` as Jinja2, so rendered output must not go through it)."""

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawHTML"
        self.text = str(text)

    def render(self, **kwargs) -> str:
        return self.text


class Frame(MacroElement):
    """The frame: its HTML goes into the page body as finished HTML (:class:`RawHTML`, built by
    :func:`frame_html` from escaped text); its script moves the map into the frame, fits the
    view, switches the compact and static modes and keeps the legend in step with the layer
    control. The script's only inputs are the map's name and numbers."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var frame = document.getElementById('wt-frame');
            frame.querySelector('.wt-mapcell').appendChild(map.getContainer());
            function small() { return frame.clientWidth < 1000 || frame.clientHeight < 650; }
            function modes() {
                frame.classList.toggle('wt-small', small());
                frame.classList.toggle('wt-static', location.hash === '#static' || frame.dataset.static === '1');
                var d = frame.querySelector('.wt-sources details');
                if (d) { d.open = !small(); }
                fitLegend();
            }
            // a slide or a page cannot scroll: the legend's type shrinks (to 7 px at least),
            // then the legend widens, until all of it shows
            function fitLegend() {
                var leg = frame.querySelector('.wt-legend');
                if (!leg) return;
                leg.style.fontSize = ''; leg.style.flexBasis = '';
                var still = frame.classList.contains('wt-static') ||
                            (window.matchMedia && window.matchMedia('print').matches);
                if (!still) return;
                function over() { return leg.scrollHeight > leg.clientHeight + 1; }
                var fs = parseFloat(getComputedStyle(leg).fontSize), w0 = leg.getBoundingClientRect().width, w = w0;
                while (over() && fs > 7) { fs -= 0.5; leg.style.fontSize = fs + 'px'; }
                // then wider (fewer wrapped lines), up to half as wide again
                while (over() && w < 1.5 * w0) { w += 10; leg.style.flexBasis = w + 'px'; }
            }
            modes();
            map.invalidateSize();
            map.fitBounds({{ this.bounds }}, {animate: false, padding: [4, 4]});
            function sync() {
                frame.querySelectorAll('.wt-leg[data-var]').forEach(function (el) {
                    var l = window[el.dataset.var];
                    el.classList.toggle('wt-off', !(l && map.hasLayer(l)));
                });
            }
            map.on('overlayadd overlayremove', sync);
            sync();
            // target labels (static and print modes): in priority order (data-pri: the pressure
            // countries' capitals first), each takes the side of its marker (east, west, north,
            // south, then the corners; the first of the least cover) where it overlaps no label
            // placed before it, stays inside the map and covers the least of the other targets'
            // markers; with no such side it is hidden (its target stays drawn and clickable)
            function declutter() {
                var labs = Array.prototype.slice.call(frame.querySelectorAll('.wt-lab-t'));
                labs.forEach(function (l) { l.style.transform = ''; l.classList.remove('wt-lab-hid'); });
                if (!labs.length || getComputedStyle(labs[0]).display === 'none') return;
                var cell = frame.querySelector('.wt-mapcell').getBoundingClientRect();
                var box = map.getContainer().getBoundingClientRect();
                function hit(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }
                var placed = [], dots = [];
                frame.querySelectorAll('.wt-lab-iso').forEach(function (l) {
                    var r = l.getBoundingClientRect(); if (r.width) placed.push([r.left, r.top, r.right, r.bottom]); });
                targets.forEach(function (t) { if (!map.hasLayer(t)) return;
                    var p = map.latLngToContainerPoint(t.getLatLng()), q = t.options.radius + 1;
                    dots.push([box.left + p.x - q, box.top + p.y - q, box.left + p.x + q, box.top + p.y + q]); });
                labs.map(function (l, i) { return [+(l.dataset.pri || 9), i, l]; })
                    .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
                    .forEach(function (e) {
                        var l = e[2], r = l.getBoundingClientRect(), w = r.width, h = r.height;
                        var own = [r.left - 14, r.top - 2, r.left + 2, r.bottom + 2];
                        var sides = [[0, 0], [-(w + 14), 0], [-(w / 2 + 7), 1 - h], [-(w / 2 + 7), 13],
                                     [0, 3 - h], [0, 11], [-(w + 14), 3 - h], [-(w + 14), 11]];
                        var pick = null, best = Infinity;
                        for (var k = 0; k < sides.length && best > 0; k++) {
                            var c = [r.left + sides[k][0] - 1, r.top + sides[k][1] - 1,
                                     r.right + sides[k][0] + 1, r.bottom + sides[k][1] + 1];
                            if (c[0] < cell.left || c[1] < cell.top || c[2] > cell.right || c[3] > cell.bottom) continue;
                            if (placed.some(function (p) { return hit(c, p); })) continue;
                            // the area of other targets' markers the label would cover (least wins)
                            var cover = 0;
                            dots.forEach(function (d) { if (!hit(d, own)) cover +=
                                Math.max(0, Math.min(c[2], d[2]) - Math.max(c[0], d[0])) *
                                Math.max(0, Math.min(c[3], d[3]) - Math.max(c[1], d[1])); });
                            if (cover < best) { best = cover; pick = [sides[k], c]; }
                        }
                        if (!pick) { l.classList.add('wt-lab-hid'); return; }
                        l.style.transform = 'translate(' + pick[0][0] + 'px,' + pick[0][1] + 'px)';
                        placed.push(pick[1]);
                    });
            }
            map.on('zoomend moveend viewreset', declutter);
            window.wtDeclutter = declutter;
            window.addEventListener('resize', function () { modes(); map.invalidateSize(); declutter(); });
            if (window.matchMedia) {  // printing: the map takes the page's size, labels are shown
                var mq = window.matchMedia('print'), onprint = function () { fitLegend(); map.invalidateSize(); declutter(); };
                if (mq.addEventListener) mq.addEventListener('change', onprint); else mq.addListener(onprint);
            }
            window.addEventListener('hashchange', modes);
            document.addEventListener('fullscreenchange', function () { modes(); map.invalidateSize(); });
            // a click on a target opens the popups of every target drawn under the click (markers
            // that overlap at this zoom), the clicked one first
            var targets = [];
            function collect(l) { if (l instanceof L.CircleMarker && l.options.pane === 'wt-targets') targets.push(l);
                                  else if (l.eachLayer) l.eachLayer(collect); }
            map.eachLayer(collect);
            targets = targets.filter(function (t, i) { return targets.indexOf(t) === i; });
            targets.forEach(function (t) {
                if (!t.getPopup()) return;
                t.off('click', t._openPopup, t);
                t.on('click', function (e) {
                    var p = map.latLngToContainerPoint(t.getLatLng()), near = [];
                    targets.forEach(function (u) {
                        if (!map.hasLayer(u) || !u.getPopup()) return;
                        var d = p.distanceTo(map.latLngToContainerPoint(u.getLatLng()));
                        if (d <= t.options.radius + u.options.radius + 2) near.push([d, u]);
                    });
                    near.sort(function (a, b) { return a[0] - b[0]; });
                    if (near.length <= 1) { t.openPopup(); return; }
                    var box = document.createElement('div');
                    near.forEach(function (n) { var c = n[1].getPopup().getContent();
                        if (c && c.cloneNode) box.appendChild(c.cloneNode(true)); });
                    L.popup({maxWidth: 360, maxHeight: 300}).setLatLng(t.getLatLng()).setContent(box).openOn(map);
                });
            });
            window.wtMap = map;
            window.wtRefit = function () { modes(); map.invalidateSize();
                map.fitBounds({{ this.bounds }}, {animate: false, padding: [4, 4]}); declutter(); };
            window.addEventListener('hashchange', declutter);
            declutter();
        })();
        {% endmacro %}
    """)

    def __init__(self, bounds):
        super().__init__()
        self._name = "WtFrame"
        (s, w), (n, e) = bounds
        self.bounds = json.dumps([[float(s), float(w)], [float(n), float(e)]])


def frame_html(title, subtitle, banner, legend, sources_html) -> str:
    """The frame's HTML; ``title``, ``subtitle`` and ``banner`` are plain text (escaped here),
    ``legend`` and ``sources_html`` finished HTML built from escaped text."""
    sub = f"<div class='wt-subtitle'>{esc(subtitle)}</div>" if subtitle else ""
    return ("<div id='wt-frame' class='wt-frame'>"
            f"<div class='wt-head'><div class='wt-titles'><div class='wt-title'>{esc(title)}</div>{sub}</div>"
            f"<div class='wt-banner' role='note'><span class='wt-banner-long'>{esc(banner)}</span>"
            f"<span class='wt-banner-short'>{esc(BANNER_SHORT)}</span></div></div>"
            "<div class='wt-body'><div class='wt-mapcell'></div>"
            f"<aside class='wt-legend' aria-label='Legend'>{legend}</aside></div>"
            f"<footer class='wt-sources'>{sources_html}</footer></div>")
