"""Benchmark: Monte Carlo draws of the warning for 32 NATO capitals x 12 areas (7 Belarus, 5
Russian baselines), Oreshnik class, minimum energy, the paper's sensors.

New: one draw = every parameter band drawn (:mod:`warning_time.uncertainty`), the drag delay
from the continuous table over the ballistic coefficient and entry altitude (exact node tables
built once, cached on disk), the warning at each area's best point for each capital (found once
by optimisation, :mod:`warning_time.best_point`). Baseline, timed in the same run: the previous
per-draw cost, one draw of the former Monte Carlo (warning_time.compression.compression_uncertainty,
6 points per area, every band drawn uniformly), whose drawn ballistic coefficient needs a drag
table built for it (disk cache off for the baseline, as before this change).

Run: ``python benchmarks/bench_uncertainty.py [--draws 1000] [--baseline-draws 2]``. No
assertions on timing; prints a table and ``RESULT name value unit ratio`` lines.
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--draws", type=int, default=1000)
    ap.add_argument("--baseline-draws", type=int, default=2)
    args = ap.parse_args(argv)

    from warning_time.analysis import scenario_areas, scenario_targets
    from warning_time.scenario import load_scenario
    from warning_time.study import Analysis

    sc = load_scenario()
    s = sc["scenario"]
    caps = scenario_targets(("capital",))
    an = Analysis(sc, draws=0, trajectories=["minimum-energy"], targets=caps)
    t0 = time.perf_counter()
    an.run("minimum-energy")
    t_geom = time.perf_counter() - t0
    # warm the continuous drag table's node tables (built once per class and cached on disk)
    t0 = time.perf_counter()
    rng = np.random.default_rng(7)
    an.evaluate_values(an.space.values(rng.random((4, len(an.space.factors)))), "minimum-energy")
    t_warm = time.perf_counter() - t0
    u = np.random.default_rng(1).random((args.draws, len(an.space.factors)))
    t0 = time.perf_counter()
    w = an.evaluate_values(an.space.values(u), "minimum-energy")
    t_new = time.perf_counter() - t0
    assert w.shape == (args.draws, len(an.areas), len(caps))
    new_rate = args.draws / t_new

    # baseline: the former per-draw cost (fresh drag table per draw, 6 random points per area)
    from warning_time import model
    from warning_time.compression import compression_uncertainty

    os.environ["WARNING_TIME_TABLE_CACHE"] = "0"
    model.delay_table.cache_clear()
    kw = dict(missile=sc["irbm"]["missile"], trajectory="minimum-energy", points_per_area=6, seed=11,
              sensor_names=s["sensors"])
    la, ba = scenario_areas(s["launch_areas"]), scenario_areas(s["baseline_areas"])
    t0 = time.perf_counter()
    compression_uncertainty(caps, la, ba, draws=1, **kw)
    t_one = time.perf_counter() - t0
    t0 = time.perf_counter()
    compression_uncertainty(caps, la, ba, draws=1 + args.baseline_draws, **kw)
    t_base = (time.perf_counter() - t0 - t_one) / args.baseline_draws
    base_rate = 1.0 / t_base

    print(f"{'step':44s} {'time':>10s}")
    print(f"{'best points (once per trajectory)':44s} {t_geom:9.1f}s")
    print(f"{'drag node tables and first draws (warm-up)':44s} {t_warm:9.1f}s")
    print(f"{f'{args.draws} draws, 32 capitals x 12 areas':44s} {t_new:9.1f}s")
    print(f"{'former cost of one draw (baseline)':44s} {t_base:9.2f}s")
    print(f"RESULT uncertainty_draws_per_s {new_rate:.1f} draws/s {new_rate / base_rate:.1f}")
    print(f"RESULT uncertainty_1000_draws_s {1000 / new_rate:.1f} s -")
    print(f"RESULT uncertainty_former_draw_s {t_base:.2f} s -")


if __name__ == "__main__":
    main()
