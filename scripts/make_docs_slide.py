"""Make the README's slide image, docs/img/slide.png (a documentation asset, not a run's output).

Run from the repository root (needs Chromium and the png extra)::

    .venv/bin/python scripts/make_docs_slide.py

It runs the documented slide command on the default (paper) scenario, the brief's analysis::

    warning-time map -o <tmp>/map.html --png <tmp>/slide.png --size 1280x720 --scale 1

and stores the 1280 x 720 PNG with a 256-colour palette (Pillow's fast octree, no dithering) so
the repository stays small (about 100 KB instead of about 320 KB); the map itself is unchanged.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PIL import Image

from warning_time.cli import main
from warning_time.io import atomic_path

OUT = Path(__file__).resolve().parent.parent / "docs" / "img" / "slide.png"


def run() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "slide.png"
        rc = main(["map", "-o", str(Path(tmp) / "map.html"), "--png", str(png), "--size", "1280x720",
                   "--scale", "1"])
        if rc:
            return rc
        im = Image.open(png).convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                                                     dither=Image.Dither.NONE)
        OUT.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(OUT) as out:
            im.save(out, format="PNG", optimize=True)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e3:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(run())
