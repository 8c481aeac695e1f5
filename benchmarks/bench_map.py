"""Briefing map build time, given the analysis, with a baseline timed in the same run.

Run from the repository root::

    .venv/bin/python benchmarks/bench_map.py [--res-deg R] [--repeat N]

What it measures
----------------
The analysis (best points, draws, Claim 3: the report's cost, paid once and shared by the report
and the map) is built first with small uncertainty settings and is not timed. Then, warm (one
untimed build first, so numba has compiled):

1. ``map_build``: :func:`warning_time.maps.build_map` for the paper scenario at ``--res-deg``
   (default 0.25, the map's default): the region the class reaches, both flight-time surfaces,
   the bands, every layer, the legend and the frame. Best of ``--repeat``.
2. ``map_save``: :func:`warning_time.maps.save_map` of that map (render + offline inlining).
3. Baseline (same run): the two flight-time surfaces the pre-issue-17 map computed, over its
   fixed region (-25, 33, 60, 72) at the same resolution (the launch and the baseline lattice
   points), which were most of its cost; the ratio is build / baseline.

``RESULT name value unit ratio`` lines feed ``make bench``; nothing is asserted. The target of
issue 17 is a build under 15 s warm.
"""
from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from warning_time.analysis import lattice_points
from warning_time.geometry import flight_time_surface
from warning_time.maps import build_map, save_map
from warning_time.scenario import load_scenario
from warning_time.study import Analysis

OLD_REGION = (-25.0, 33.0, 60.0, 72.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--res-deg", type=float, default=0.25)
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}")
    t0 = time.perf_counter()
    sc = load_scenario()
    an = Analysis(sc, draws=2, trajectories=["minimum-energy"], spacing_km=10.0)
    _ = an.capitals, an.claim3
    print(f"# analysis (not timed below): {time.perf_counter() - t0:.1f} s")
    build_map(analysis=an, res_deg=a.res_deg)  # warm-up: numba compiles
    best, m = float("inf"), None
    for _ in range(max(1, a.repeat)):
        t = time.perf_counter()
        m = build_map(analysis=an, res_deg=a.res_deg)
        best = min(best, time.perf_counter() - t)
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        save_map(m, Path(d) / "map.html")
        t_save = time.perf_counter() - t
        size_mb = (Path(d) / "map.html").stat().st_size / 1e6
    s = sc["scenario"]
    areas = an.areas
    lp = lattice_points(areas[areas["role"] == "launch"])
    bp = lattice_points(areas[areas["role"] == "baseline"])
    base = float("inf")
    for _ in range(max(1, a.repeat)):
        t = time.perf_counter()
        for pts in (lp, bp):
            flight_time_surface(pts["lat_deg"], pts["lon_deg"], missile=an.irbm, trajectory=an.irbm_trajectory,
                                region=OLD_REGION, res_deg=a.res_deg, earth=s["earth"], rotation=s["rotation"])
        base = min(base, time.perf_counter() - t)
    da = m.wt_surface
    print(f"# surface grid {da.shape[1]} x {da.shape[0]} cells over lon {float(da.lon.min()):.0f}..{float(da.lon.max()):.0f},"
          f" lat {float(da.lat.min()):.0f}..{float(da.lat.max()):.0f}; HTML {size_mb:.1f} MB")
    print(f"RESULT map_build {best:.2f} s {best / base:.2f}")
    print(f"RESULT map_save {t_save:.2f} s {t_save / base:.2f}")
    print(f"RESULT map_baseline_old_surfaces {base:.2f} s 1.00")


if __name__ == "__main__":
    main()
