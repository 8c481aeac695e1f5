"""Range-dependent boost: analytic classes against fresh flyouts on the full validation grid.

Run from the repository root::

    .venv/bin/python benchmarks/bench_calibration.py [--classes oreshnik generic-irbm ...]

For every class of data/boost_tables.toml (scripts/calibrate.py --boost fitted them at 50 N 30 E,
azimuths 90 and 270 deg): two launch sites not used in the fit x five azimuths x five ground
ranges between the table's nodes x the shapes 'minimum-energy' (least-burn flyout) and
'lofted' (full-burn lofted flyout, from the first range the full burn can be lofted onto).
Each flyout (``warning_time.flyout.aim``: rotating WGS84 Earth, J2, US76, drag) is the
reference; the analytic class (``warning_time.flight_time``) must agree within 2 % of the
flight time. The baseline, timed and scored in the same run, is the same class with its fixed
(full-burn) boost, the model before the tables: its error against the same flyouts shows what
the tables change. Prints one row per shot and
``RESULT calib_<class>_<shape>_max_rel <value> rel <ratio to the fixed-boost error>``.
"""
from __future__ import annotations

import argparse
import dataclasses
import time

import numpy as np
from pyproj import Geod

import warning_time as wt
from warning_time import flyout as F
from warning_time.model import boost_tables

SITES = ((53.30, 28.64), (35.0, 40.0))
AZIMUTHS = (0.0, 60.0, 135.0, 200.0, 290.0)
FRACTIONS = (0.05, 0.27, 0.5, 0.73, 0.95)
LIMIT = 0.02


def grid(site, lo_km, hi_km):
    g = Geod(ellps="WGS84")
    rows = []
    for az in AZIMUTHS:
        for f in FRACTIONS:
            r = lo_km + f * (hi_km - lo_km)
            lon, lat, _ = g.fwd(site[1], site[0], az, r * 1e3)
            rows.append((az, r, lat, lon))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--classes", nargs="*", help="only these classes")
    args = ap.parse_args(argv)
    worst = {}
    t_all = time.perf_counter()
    for key, e in boost_tables().items():
        if args.classes and key not in args.classes:
            continue
        m = wt.get_missile(key)
        fixed = dataclasses.replace(m, key=f"{key}-fixed-boost")
        vehicle = F.get_vehicle(e["vehicle"])
        x0, dx, rows = e["minimum-energy"]
        hi_km = (x0 + dx * (rows.shape[1] - 1)) / 1e3
        for shape in ("minimum-energy", "lofted"):
            lo_km = x0 / 1e3
            if shape == "lofted":
                d = np.diff(e["lofted"][2][2])
                first = int(np.argmax(d != 0.0)) if np.any(d != 0.0) else 0
                lo_km = (x0 + dx * first) / 1e3
            rel_all, rel_fixed = [], []
            t0 = time.perf_counter()
            for site in SITES:
                g = grid(site, lo_km, hi_km)
                lat2 = np.array([r[2] for r in g])
                lon2 = np.array([r[3] for r in g])
                fo = F.aim(vehicle, *site, lat2, lon2, solve="min-energy" if shape == "minimum-energy" else "loft")
                an = wt.flight_time(*site, lat2, lon2, missile=m, trajectory=shape, on_invalid="nan")
                fx = wt.flight_time(*site, lat2, lon2, missile=fixed, trajectory=shape, on_invalid="nan")
                for i, (az, r, _, _) in enumerate(g):
                    if fo.status[i] != 0:
                        print(f"  {key:<18} {shape:<15} {site} az {az:5.0f} {r:7.0f} km  flyout: {fo.reason[i]}")
                        continue
                    rel = an.flight_time_s[i] / fo.flight_time_s[i] - 1.0
                    relf = fx.flight_time_s[i] / fo.flight_time_s[i] - 1.0
                    rel_all.append(rel)
                    rel_fixed.append(relf)
                    print(f"  {key:<18} {shape:<15} {site} az {az:5.0f} {r:7.0f} km  flyout {fo.flight_time_s[i]:7.1f} s"
                          f"  table {an.flight_time_s[i]:7.1f} s ({100 * rel:+.2f} %)  fixed boost "
                          f"{fx.flight_time_s[i]:7.1f} s ({100 * relf:+.2f} %)")
            rel_all = np.abs(np.array(rel_all))
            rel_fixed = np.abs(np.array(rel_fixed))
            mx = float(np.nanmax(rel_all)) if rel_all.size else float("nan")
            mf = float(np.nanmax(rel_fixed)) if rel_fixed.size else float("nan")
            worst[(key, shape)] = mx
            print(f"{key} {shape}: {rel_all.size} shots, max |rel| {100 * mx:.2f} % (limit {100 * LIMIT:.0f} %, "
                  f"{'met' if mx < LIMIT else 'NOT met'}); fixed boost {100 * mf:.2f} %; "
                  f"{time.perf_counter() - t0:.0f} s", flush=True)
            print(f"RESULT calib_{key}_{shape}_max_rel {mx:.5f} rel {mx / mf if mf > 0 else float('nan'):.3f}")
    print(f"\nall: {sum(v < LIMIT for v in worst.values())} of {len(worst)} class x shape cells within "
          f"{100 * LIMIT:.0f} %; wall {time.perf_counter() - t_all:.0f} s")
    return 0 if all(v < LIMIT for v in worst.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
