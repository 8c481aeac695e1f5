"""Benchmark: flight-time surface for isochrones on a Europe grid.

Measures the warm time of warning_time.geometry.flight_time_surface for a 0.05 deg grid over
Europe (lon -12..45, lat 34..65: about 700,000 cells) from 20 launch points in the notional
Belarus areas (Oreshnik class, minimum energy, WGS84, rotating Earth), and a plain numpy +
pyproj baseline of the same job (every point to every cell, minimum over points) timed in the
same run on a subsample of cells and scaled. The baseline is the numpy implementation of the
same physics from bench_core.py; with rotation it runs the same iterative search in numpy.

Run: ``python benchmarks/bench_geometry.py [--res-deg 0.05] [--baseline-cells 20000]``.
No assertions on timing; the printed figures are what the README and notes cite.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))

from bench_core import baseline  # noqa: E402  (numpy + pyproj implementation of the same physics)

from warning_time.geometry import flight_time_surface, grid_coords  # noqa: E402
from warning_time.places import load_launch_areas  # noqa: E402
from warning_time.sampling import area_points  # noqa: E402

REGION = (-12.0, 34.0, 45.0, 65.0)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--res-deg", type=float, default=0.05)
    ap.add_argument("--baseline-cells", type=int, default=20_000)
    ap.add_argument("--rotation", action=argparse.BooleanOptionalAction, default=True)
    args = ap.parse_args(argv)
    areas = load_launch_areas()
    pts = area_points(areas[areas["role"] == "launch"], 3, seed=0).head(20)
    lons, lats = grid_coords(REGION, args.res_deg)
    n_cells = lons.size * lats.size
    kw = dict(missile="oreshnik", region=REGION, res_deg=args.res_deg, rotation=args.rotation)
    t0 = time.perf_counter()
    flight_time_surface(pts["lat_deg"], pts["lon_deg"], **kw)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        da = flight_time_surface(pts["lat_deg"], pts["lon_deg"], **kw)
        warm.append(time.perf_counter() - t0)
    best = min(warm)
    # baseline on a subsample of cells: every point to every cell, minimum over points
    rng = np.random.default_rng(0)
    LON, LAT = np.meshgrid(lons, lats)
    idx = rng.choice(n_cells, size=min(args.baseline_cells, n_cells), replace=False)
    clat, clon = LAT.ravel()[idx], LON.ravel()[idx]
    P = len(pts)
    t0 = time.perf_counter()
    times = np.full((P, idx.size), np.nan)
    for j in range(P):
        t, _ = baseline(np.full(idx.size, pts["lat_deg"].iloc[j]), np.full(idx.size, pts["lon_deg"].iloc[j]),
                        clat, clon, "wgs84", args.rotation)
        times[j] = t
    base_t = (time.perf_counter() - t0) * n_cells / idx.size
    base_min = np.nanmin(np.where(np.isfinite(times), times, np.inf), axis=0)
    ours = da.values.ravel()[idx] * 60.0
    ok = np.isfinite(ours) & np.isfinite(base_min)
    # the baseline ignores the class's boost, minimum range and drag: compare shapes only
    print(f"grid: {lats.size} x {lons.size} = {n_cells:,} cells at {args.res_deg} deg; {P} launch points; "
          f"rotation {args.rotation}; threads {os.environ.get('NUMBA_NUM_THREADS', 'default')}")
    print(f"warm_time_s      {best:8.3f}   (runs: {', '.join(f'{w:.3f}' for w in warm)}; first call {cold:.2f} s)")
    print(f"numpy_baseline_s {base_t:8.3f}   (measured on {idx.size:,} cells, scaled)")
    print(f"ratio            {base_t / best:8.1f}x   target: < 2 s warm for ~700,000 cells x 20 points")
    print(f"cells compared   {int(ok.sum()):,}")
    print(f"RESULT geometry_europe_grid_warm {best:.3f} s {base_t / best:.1f}")


if __name__ == "__main__":
    main()
