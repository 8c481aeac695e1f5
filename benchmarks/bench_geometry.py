"""Benchmark: flight-time surface for isochrones on a Europe grid.

Measures the warm time of warning_time.geometry.flight_time_surface for a 0.05 deg grid over
Europe (lon -12..45, lat 34..65: about 700,000 cells) from 20 launch points in the notional
Belarus areas (Oreshnik class, minimum energy, WGS84, rotating Earth), and a plain numpy +
pyproj baseline of the same job (every point to every cell, minimum over points) timed in the
same run on a subsample of cells and scaled. The baseline is the numpy implementation of the
same physics from bench_core.py; with rotation it runs the same iterative search in numpy.

Warning-surface row: the warm time of warning_time.geometry.warning_surface (the same 20 points,
a 0.5 deg Europe grid by default, the shipped sensors) against the same pipeline with the warning kernel as
it was before the warning chain (benchmarks/_legacy_warning.py: 4/3 Earth, no sectors, one range
for every object, no infrared), timed in the same run; the chain (sectors, refraction tables,
cross-sections, infrared within the burn) must stay within 2x of it.

Run: ``python benchmarks/bench_geometry.py [--res-deg 0.05] [--baseline-cells 20000] [--warning-res-deg 0.25]``.
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
    ap.add_argument("--warning-res-deg", type=float, default=0.5)
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
    warning_surface_row(pts, args.warning_res_deg, args.rotation)


def warning_surface_row(pts, res_deg, rotation):
    """Warm warning_surface vs the pre-chain kernel on the same cells and points (same run)."""
    from _legacy_warning import warning_many as legacy_warning_many

    from warning_time.geometry import EUROPE, _min_grid, surface_model, warning_surface
    from warning_time.sensors import sensor_set

    plat, plon = pts["lat_deg"].to_numpy(float), pts["lon_deg"].to_numpy(float)
    kw = dict(missile="oreshnik", region=EUROPE, res_deg=res_deg, rotation=rotation)
    warning_surface(plat, plon, **kw)  # compile and warm the caches
    new = []
    for _ in range(3):
        t0 = time.perf_counter()
        da = warning_surface(plat, plon, **kw)
        new.append(time.perf_counter() - t0)
    model = surface_model("oreshnik", "minimum-energy", "wgs84", rotation)
    lons, lats = grid_coords(EUROPE, res_deg)
    LON, LAT = np.meshgrid(lons, lats)
    sens = sensor_set()

    def legacy():
        t, idx, _ = _min_grid(model, plat, plon, LAT.ravel(), LON.ravel())
        ok = idx >= 0
        j = idx[ok].astype(int)
        return legacy_warning_many(np.radians(plat[j]), np.radians(plon[j]), np.radians(LAT.ravel()[ok]),
                                   np.radians(LON.ravel()[ok]), model.params, model.table, sens.radar_lat_rad,
                                   sens.radar_lon_rad, sens.radar_h_m, sens.radar_mask_rad, sens.radar_max_m,
                                   4.0 / 3.0, 2.0)

    legacy()
    old = []
    for _ in range(3):
        t0 = time.perf_counter()
        legacy()
        old.append(time.perf_counter() - t0)
    b_new, b_old = min(new), min(old)
    n = int(np.isfinite(da.values).sum())
    print(f"warning surface: {lats.size} x {lons.size} cells at {res_deg} deg, {n:,} with a warning; "
          f"{len(sens.radar_names)} radars + space infrared")
    print(f"warning_surface_s {b_new:8.3f}   (runs: {', '.join(f'{w:.3f}' for w in new)})")
    print(f"pre_chain_s       {b_old:8.3f}   (runs: {', '.join(f'{w:.3f}' for w in old)}; same cells, old kernel)")
    print(f"ratio             {b_new / b_old:8.2f}x  target: <= 2x the pre-chain time "
          f"({'met' if b_new <= 2 * b_old else 'NOT met'})")
    print(f"RESULT geometry_warning_surface_warm {b_new:.3f} s {b_old / b_new:.2f}")


if __name__ == "__main__":
    main()
