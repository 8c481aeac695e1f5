"""The system's headless Chromium, driven by Playwright, for the static outputs: the map's PNG and
PDF (:func:`warning_time.maps.map_exports`) and the report's PDF (:func:`html_pdf`). Nothing here
makes a network request of its own; the pages printed are self-contained files."""
from __future__ import annotations

import shutil
from pathlib import Path

from .errors import InputError
from .io import atomic_path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


def missing(what="a PNG", finder=None) -> str | None:
    """None when Chromium and Playwright are here, else one line saying what ``what`` needs."""
    if (finder or find_chromium)() is None:
        return f"{what} needs Chromium: install Debian's 'chromium' package"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return f"{what} needs the playwright package: pip install 'warning_time[png]'"
    return None


def html_pdf(html_path, pdf_path, *, what="a PDF", wait_ms=300):
    """Print a saved HTML page to PDF with Chromium under print media, the page size and margins
    from the page's own print stylesheet (``@page``); written atomically."""
    why = missing(what)
    if why:
        raise InputError("pdf", message=why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.emulate_media(media="print")
            page.goto(Path(html_path).resolve().as_uri())
            page.wait_for_timeout(wait_ms)
            with atomic_path(pdf_path) as tmp:
                page.pdf(path=str(tmp), prefer_css_page_size=True, print_background=True)
        finally:
            browser.close()
    return Path(pdf_path)
