"""Offline assets: Leaflet 1.9.4 (BSD-2-Clause), jQuery 3.7.1 (MIT, used by folium popups), and the
fullscreen (MIT) and measure (MIT)
Leaflet plugins, shipped in this folder (from their npm packages; licences in LICENSES.txt),
inlined into saved maps so that an offline file makes no network request at all."""
from __future__ import annotations

import base64
import re
from importlib import resources


def _read(name: str) -> bytes:
    return resources.files("warning_time.maps").joinpath(f"assets/{name}").read_bytes()


def _data_uri(name: str) -> str:
    mime = "image/svg+xml" if name.endswith(".svg") else "image/png"
    return f"data:{mime};base64,{base64.b64encode(_read(name)).decode()}"


def _css_with_inline_images(name: str) -> str:
    css = _read(name).decode("utf-8")

    def repl(m):
        ref = m.group(1).strip("'\"")
        if ref.startswith("#") or ref.startswith("data:"):
            return m.group(0)
        return f'url("{_data_uri(ref.split("/")[-1])}")'

    return re.sub(r"url\(([^)]*)\)", repl, css)


#: which bundled asset replaces which folium resource (matched on the URL); None = drop it
JS = {"leaflet.js": "leaflet.js", "Control.FullScreen": "Control.FullScreen.js", "leaflet-measure": "leaflet-measure.js",
      "jquery": "jquery.min.js", "bootstrap": None, "awesome-markers": None}
CSS = {"leaflet.css": "leaflet.css", "Control.FullScreen": "Control.FullScreen.css",
       "leaflet-measure": "leaflet-measure.css", "bootstrap": None, "glyphicons": None, "fontawesome": None,
       "awesome-markers": None, "awesome.rotate": None}


def _bundled(table: dict, kind: str, inline):
    """A regex replacement that swaps a remote URL for the bundled asset of ``table`` (``inline``
    turns the asset's name into the element that carries it), or drops it when it maps to None."""
    def repl(m):
        url = m.group(1)
        for key, asset in table.items():
            if key in url:
                return "" if asset is None else inline(asset)
        raise ValueError(f"offline map: no bundled asset for {kind} {url}")
    return repl


def inline_assets(html: str) -> str:
    """Replace every remote <script src> and stylesheet <link> of a folium page by the bundled
    asset inlined, or drop it when the map does not use it. Raises if any remote reference is
    left (an offline file must not make a request)."""
    html = re.sub(r'<script\s+src="(https?://[^"]+)"\s*>\s*</script>',
                  _bundled(JS, "script", lambda a: f"<script>{_read(a).decode('utf-8')}</script>"), html)
    html = re.sub(r'<link\s+rel="stylesheet"\s+href="(https?://[^"]+)"\s*/?>',
                  _bundled(CSS, "stylesheet", lambda a: f"<style>{_css_with_inline_images(a)}</style>"), html)
    # what a browser would fetch by itself: scripts, stylesheets, images, CSS urls in style sheets
    # and style attributes (hyperlinks such as Leaflet's attribution are only followed on a click,
    # and the tests record every request). Text from data files is escaped, so it cannot form a
    # tag or an attribute; it is not searched for "url(" since there it is only text.
    left = re.findall(r'<(?:script|img|iframe)\b[^>]*\bsrc\s*=\s*["\'](https?://[^"\']+)', html)
    left += re.findall(r'<link\b[^>]*\bhref\s*=\s*["\'](https?://[^"\']+)', html)
    css = re.findall(r"<style\b[^>]*>(.*?)</style>", html, flags=re.S)
    css += re.findall(r'\bstyle\s*=\s*"([^"]*)"', html) + re.findall(r"\bstyle\s*=\s*'([^']*)'", html)
    for block in css:
        left += re.findall(r'url\(\s*["\']?(https?://[^)"\']+)', block)
    if left:
        raise ValueError(f"offline map: remote references left: {left[:3]}")
    return html
