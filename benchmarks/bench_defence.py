"""Engagement windows and defended footprints: throughput, with a numpy baseline in the same run.

Run from the repository root::

    .venv/bin/python benchmarks/bench_defence.py [--baseline-pairs N] [--res-deg R]

What it measures
----------------
1. Windows: every launch point of the Belarus areas (:func:`warning_time.defence.launch_points`:
   each area's representative point and 4 outline points) x the 32 NATO capitals x the sites
   Redzikowo (SM-3 IIA), Deveselu (SM-3 IB) and Holzdorf (Arrow 3), Oreshnik class,
   minimum-energy, cue from the warning model (every sensor). Timed: the whole
   :func:`engagement_windows` call per site set (cue + kernel) and the kernel alone
   (``core.defence.windows_many``, prange over the flights, both cores), after a warm-up.
2. Baseline (same run): the same window for the first ``--baseline-pairs`` flight-site pairs
   (Redzikowo, on the non-rotating fan, which the kernel also runs on for the comparison)
   computed the plain way: the threat sampled at 0.25 s with the core's track kernel, the fan
   looked up with ``scipy.interpolate.RegularGridInterpolator`` and the envelope tested with
   numpy over the samples (no bisection); pairs per second and the ratio. Their windows agree
   to ~0.25 s (printed).
3. Footprint: one site (Redzikowo, SM-3 IIA) and one area (Asipovichy) on a ``--res-deg`` grid
   over the map region, in seconds.
``RESULT name value unit ratio`` lines feed ``make bench``; nothing is asserted.
"""
from __future__ import annotations

import argparse
import math
import os
import platform
import time

import numpy as np
from scipy.interpolate import RegularGridInterpolator

from warning_time import defence as D
from warning_time.analysis import scenario_areas, scenario_targets
from warning_time.core import defence as K
from warning_time.core.sensors_los import track
from warning_time.model import FlightModel

AREAS = ["Asipovichy", "Krychaw", "Baranavichy", "Lida-Hrodna", "Mazyr-Homel", "Brest-Kobryn", "Slutsk-Pavlovka"]
SITES = ["redzikowo", "deveselu", "holzdorf"]


def baseline_window(lat1, lon1, lat2, lon2, site, it, t_l0, model, interp, dt=0.25):
    """Window (s) of one pair and site, the plain numpy way."""
    a, e2 = model.params[0], model.params[1]
    r = K.threat_timeline(*np.radians([lat1, lon1, lat2, lon2]), model.params, model.table, np.empty(K.N_L))
    if r[0] != 0:
        return 0.0
    n = int(r[1] / dt) + 1
    st, ts, xs, ys, zs, hs = track(*np.radians([lat1, lon1, lat2, lon2]), model.params, model.table, n)
    la, lo = math.radians(site.lat_deg), math.radians(site.lon_deg)
    nn = a / math.sqrt(1 - e2 * math.sin(la) ** 2)
    s = np.array([nn * math.cos(la) * math.cos(lo), nn * math.cos(la) * math.sin(lo), nn * (1 - e2) * math.sin(la)])
    p = np.column_stack([xs, ys, zs])
    ang = np.arctan2(np.linalg.norm(np.cross(s, p), axis=1), p @ s)
    R = ang * np.linalg.norm(s)
    env = ((hs >= it.value("min_intercept_altitude_km") * 1e3) & (hs <= it.value("max_intercept_altitude_km") * 1e3)
           & (R <= it.value("max_range_km") * 1e3))
    with np.errstate(invalid="ignore"):  # unreachable corners (inf) give NaN: not feasible
        tf = interp(np.column_stack([R, np.maximum(hs, 0.0)]))
    ok = env & (ts - tf >= t_l0)
    return ok.sum() * (ts[1] - ts[0])


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline-pairs", type=int, default=200)
    ap.add_argument("--res-deg", type=float, default=1.0)
    args = ap.parse_args(argv)
    print(f"# bench_defence: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"numba threads {os.environ.get('NUMBA_NUM_THREADS', 'default')}")
    pts = D.launch_points(scenario_areas(AREAS))
    caps = scenario_targets(("capital",))
    ip, it_ = np.meshgrid(np.arange(len(pts)), np.arange(len(caps)), indexing="ij")
    lat1, lon1 = pts["lat_deg"].to_numpy()[ip.ravel()], pts["lon_deg"].to_numpy()[ip.ravel()]
    lat2, lon2 = caps["lat_deg"].to_numpy()[it_.ravel()], caps["lon_deg"].to_numpy()[it_.ravel()]
    n_pairs = lat1.size
    kw = dict(missile="oreshnik", site=SITES)
    D.engagement_windows(lat1[:4], lon1[:4], lat2[:4], lon2[:4], **kw)  # warm-up (fans, compile)
    t0 = time.perf_counter()
    w = D.engagement_windows(lat1, lon1, lat2, lon2, **kw)
    t_all = time.perf_counter() - t0
    # kernel alone, the same cues
    model = FlightModel.resolve("oreshnik")
    sites = [D.get_site(s) for s in SITES]
    cue = w["earliest_launch_s"].to_numpy().reshape(n_pairs, len(SITES))
    t_kernel = 0.0
    kernel_out = []
    for j, s in enumerate(sites):
        itc = D.get_interceptor(s.interceptors[0])
        fn = D.fan(itc, site_lat_deg=s.lat_deg)
        E = itc.envelope(dt_s=1.0)
        args_k = (np.radians(lat1), np.radians(lon1), np.radians(lat2), np.radians(lon2), model.params, model.table,
                  np.radians([s.lat_deg]), np.radians([s.lon_deg]), np.ascontiguousarray(cue[:, j:j + 1]),
                  fn.time_s, fn.speed_m_s, fn.dr_m, fn.dh_m, E)
        t0 = time.perf_counter()
        kernel_out.append(K.windows_many(*args_k))
        t_kernel += time.perf_counter() - t0
    n_ws = n_pairs * len(SITES)
    rate_all = n_ws / t_all
    rate_kernel = n_ws / t_kernel
    # baseline
    nb = min(args.baseline_pairs, n_pairs)
    s0 = sites[0]
    it0 = D.get_interceptor(s0.interceptors[0])
    fn0 = D.fan(it0)  # the non-rotating fan (one table): the baseline and the kernel run on it here
    R = np.arange(fn0.time_s.shape[1]) * fn0.dr_m
    H = np.arange(fn0.time_s.shape[2]) * fn0.dh_m
    interp = RegularGridInterpolator((R, H), fn0.time_s[0], bounds_error=False, fill_value=np.inf)
    t0 = time.perf_counter()
    base = [baseline_window(lat1[i], lon1[i], lat2[i], lon2[i], s0, it0, cue[i, 0], model, interp) for i in range(nb)]
    t_base = time.perf_counter() - t0
    rate_base = nb / t_base
    same = K.windows_many(np.radians(lat1[:nb]), np.radians(lon1[:nb]), np.radians(lat2[:nb]), np.radians(lon2[:nb]),
                          model.params, model.table, np.radians([s0.lat_deg]), np.radians([s0.lon_deg]),
                          np.ascontiguousarray(cue[:nb, :1]), fn0.time_s, fn0.speed_m_s, fn0.dr_m, fn0.dh_m,
                          it0.envelope(dt_s=1.0))
    ours = same[:, 0, K.O_WINDOW]
    diff = np.abs(np.asarray(base) - ours)
    print(f"windows: {n_pairs} flights ({len(pts)} Belarus-area points x {len(caps)} capitals) x {len(SITES)} sites "
          f"= {n_ws} windows")
    print(f"  engagement_windows (cue + windows): {t_all:.2f} s, {rate_all:,.0f} windows/s")
    print(f"  kernel only:                       {t_kernel:.2f} s, {rate_kernel:,.0f} windows/s")
    print(f"  numpy baseline ({nb} pairs):          {t_base:.2f} s, {rate_base:,.0f} windows/s; "
          f"|window difference| max {diff.max():.2f} s, median {np.median(diff):.2f} s")
    print(f"RESULT defence_windows_all {rate_all:.1f} windows/s {rate_all / rate_base:.1f}")
    print(f"RESULT defence_windows_kernel {rate_kernel:.1f} windows/s {rate_kernel / rate_base:.1f}")
    t0 = time.perf_counter()
    fp = D.footprint("redzikowo", ["Asipovichy"], missile="oreshnik", res_deg=args.res_deg)
    t_fp = time.perf_counter() - t0
    n_cells = len(fp.attrs["grid"])
    print(f"footprint Redzikowo SM-3 IIA vs Asipovichy ({n_cells} cells of {args.res_deg} deg x 5 launch points): "
          f"{t_fp:.1f} s; at least once {fp['area_km2'].iloc[0]:,.0f} km^2, twice {fp['area_km2'].iloc[1]:,.0f} km^2")
    per_pair_base = 1.0 / rate_base
    est_base = n_cells * 5 * per_pair_base
    print(f"RESULT defence_footprint {t_fp:.2f} s {est_base / t_fp:.1f}")


if __name__ == "__main__":
    main()
