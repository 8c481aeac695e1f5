"""Benchmark: the default brief (``warning-time brief``), and the warning kernel that dominates it.

1. Warning kernel: the pairs the analysis evaluates most (every area's lattice of launch points
   at the scenario's spacing x every capital; Oreshnik class, the scenario's trajectory and
   sensors), pairs/s of the package's kernel (one position per scan sample shared by every
   radar, samples a radar provably cannot see skipped) against the plain scan it replaced
   (benchmarks/_plain_scan.py: every radar computes every 2-s position), timed in the same
   run, best of ``--repeats``; the two must agree bit for bit (checked here).
2. The brief: ``warning-time brief -o DIR`` in a subprocess, wall time of a warm run (numba
   cache and drag tables populated by a first run, which is timed too and printed).

Run: ``python benchmarks/bench_brief.py [--repeats 3] [--skip-brief]``. No assertions on
timing; prints a table and ``RESULT name value unit ratio`` lines, with the load average.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))


def kernel_rows(repeats):
    from _plain_scan import warning_many_plain

    from warning_time.best_point import area_frame
    from warning_time.core.sensors_los import warning_many
    from warning_time.core.trajectory import P_A, P_E2
    from warning_time.model import FlightModel
    from warning_time.sensors import signature
    from warning_time.study import Analysis

    an = Analysis(draws=0)
    la, lo = [], []
    for _, a in an.areas.iterrows():
        fr = area_frame(a["name"], a.geometry, an.spacing_km)
        y, x = fr.to_latlon(fr.xy)
        la.append(y)
        lo.append(x)
    la, lo = np.concatenate(la), np.concatenate(lo)
    caps = an.capital_targets
    T = len(caps)
    lat1, lon1 = np.repeat(la, T), np.repeat(lo, T)
    lat2 = np.tile(caps["lat_deg"].to_numpy(float), la.size)
    lon2 = np.tile(caps["lon_deg"].to_numpy(float), la.size)
    model = FlightModel.resolve(an.irbm, trajectory=an.irbm_trajectory, earth=an.s["earth"], rotation=an.s["rotation"])
    sens = an.nominal_sensors
    rad, tabs = sens.radar_matrix(float(model.params[P_A]), float(model.params[P_E2]))
    ir = np.column_stack([sens.ir_cloud_m, sens.ir_revisit_s])
    sig = signature(model.missile.key, "nominal")
    args = [np.radians(v) for v in (lat1, lon1, lat2, lon2)] + [model.params, model.table, rad, tabs, ir, sig, 2.0]
    small = [a[:50] for a in args[:4]] + args[4:]
    warning_many(*small)
    warning_many_plain(*small)
    times = {}
    outs = {}
    for name, fn in (("plain", warning_many_plain), ("shortcut", warning_many)):
        best = np.inf
        for _ in range(repeats):
            t0 = time.perf_counter()
            outs[name] = fn(*args)
            best = min(best, time.perf_counter() - t0)
        times[name] = best
    same = np.array_equal(outs["plain"], outs["shortcut"], equal_nan=True)
    n = lat1.size
    return n, len(sens.radar_names), times, same


def brief_run(out):
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "warning_time", "brief", "-o", out], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"brief failed: {r.stderr[-2000:]}")
    return time.perf_counter() - t0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--skip-brief", action="store_true")
    args = ap.parse_args(argv)
    import numba

    print(f"{os.cpu_count()} CPUs, numba {numba.__version__} ({numba.config.NUMBA_NUM_THREADS} threads)")
    load0 = os.getloadavg()[0]
    n, nr, times, same = kernel_rows(args.repeats)
    rate = {k: n / v for k, v in times.items()}
    print(f"\nwarning kernel, {n:,} pairs (area lattices x capitals), {nr} radars + space infrared; "
          f"load average {load0:.1f}")
    print(f"{'scan':12s} {'best time':>10s} {'pairs/s':>12s}")
    for k in ("plain", "shortcut"):
        print(f"{k:12s} {times[k]:9.2f}s {rate[k]:12,.0f}")
    print(f"outputs identical bit for bit: {same}")
    print(f"RESULT warning_kernel_pairs_per_s {rate['shortcut']:.0f} pairs/s {rate['shortcut'] / rate['plain']:.2f}")
    if not same:
        raise SystemExit("the shortcut scan differs from the plain scan")
    if not args.skip_brief:
        with tempfile.TemporaryDirectory() as d:
            first = brief_run(os.path.join(d, "b1"))
            load = os.getloadavg()[0]
            warm = brief_run(os.path.join(d, "b2"))
        print(f"\nwarning-time brief (default scenario, report + tables + map + PNG): first run {first:.1f} s, "
              f"warm run {warm:.1f} s (load average {load:.1f} before it; target: about a minute)")
        print(f"RESULT brief_warm_s {warm:.1f} s -")


if __name__ == "__main__":
    main()
