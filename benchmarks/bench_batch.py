"""End-to-end throughput and peak memory of streaming batch runs (read, compute, write).

Run from the repository root::

    .venv/bin/python benchmarks/bench_batch.py                 # the 100-million-row run (~4 GB in, ~9 GB out
                                                               # of temporary files; minutes)
    .venv/bin/python benchmarks/bench_batch.py --rows 5000000  # what `make bench` runs
    # options: --chunk-rows K (default 500,000), --missile NAME (default oreshnik),
    #          --side-rows M (CSV, naive and Dask runs; default min(rows, 2,000,000)),
    #          --no-dask, --dask-streaming (also --dask local:2 on the streaming rows),
    #          --repeats R (side-row single-process and Dask runs, alternated, best of; default 4),
    #          --tmp DIR (where the generated files go), --json PATH

What it measures
----------------
1. Input: ``--rows`` launch-target pairs generated on the fly from a fixed seed
   (``np.random.default_rng(7)``; launch points in Belarus 51-56 N, 23-32 E, targets across Europe
   36-65 N, 10 W - 40 E; an ``id`` column), written chunk by chunk to a temporary Parquet file
   and never committed. Generation is not timed.
2. Streaming run: ``warning_time.batch.run_batch`` Parquet -> Parquet in a fresh subprocess
   (so that ``resource.getrusage`` peak RSS is the batch's own), the missile's default
   minimum-energy trajectory on WGS84 with rotation. Reported: rows/s end to end (wall time from
   opening the input to the renamed output), peak RSS, and the split of the wall time into the
   numba core (time inside ``warning_time.core.batch.flight_many``, measured by wrapping it),
   the rest of the computation (parsing, validation, reasons, Arrow columns), writing and
   reading (the remainder).
3. Baselines timed in the same run on the first ``--side-rows`` rows, each in its own
   subprocess: (a) the in-memory API alone (``flight_time`` on numpy arrays already in memory: the
   ceiling for any batch driver); (b) the naive job: ``pandas.read_parquet`` of the whole file,
   ``flight_time``, ``DataFrame.to_parquet`` (memory grows with the input); (c) the same
   streaming run CSV -> CSV; (d) ``--dask local:2`` Parquet -> Parquet (cluster start included;
   by default the cluster starts only once the work left is estimated at more than 10 s, so a
   short run is computed in the client and the table says how many workers computed chunks).
   With ``--dask-streaming`` also ``--dask local:2`` on the streaming run's rows, compared with
   the single-process streaming run: a run long enough for the cluster to start.
4. One table, and ``RESULT name value unit ratio`` lines for the `make bench` summary (ratio
   is ``-`` when there is none). Timings are reported, never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SEED = 7
GEN_CHUNK = 2_000_000


def make_pairs(rng, n):
    return {
        "launch_lat_deg": rng.uniform(51.0, 56.0, n), "launch_lon_deg": rng.uniform(23.0, 32.0, n),
        "target_lat_deg": rng.uniform(36.0, 65.0, n), "target_lon_deg": rng.uniform(-10.0, 40.0, n),
    }


def generate(path: Path, rows: int, fmt: str = "parquet"):
    """Write ``rows`` pairs chunk by chunk (bounded memory) as Parquet or CSV."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    rng = np.random.default_rng(SEED)
    writer = None
    done = 0
    try:
        while done < rows:
            n = min(GEN_CHUNK, rows - done)
            cols = {"id": np.arange(done, done + n, dtype=np.int64)} | make_pairs(rng, n)
            t = pa.table(cols)
            if writer is None:
                writer = (pq.ParquetWriter(str(path), t.schema) if fmt == "parquet"
                          else pacsv.CSVWriter(str(path), t.schema))
            writer.write_table(t)
            done += n
    finally:
        if writer is not None:
            writer.close()


# ---------------------------------------------------------------------------------------------
# child processes (each measures its own peak RSS)
# ---------------------------------------------------------------------------------------------

def _peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def child_stream(src, out, chunk_rows, missile, dask):
    import warning_time.batch as wb
    import warning_time.flight as wf

    timers = {"core": 0.0, "process": 0.0, "write": 0.0}

    def timed(fn, key):
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                timers[key] += time.perf_counter() - t
        return wrapper

    wf._flight_many_fast = timed(wf._flight_many_fast, "core")
    wb.process_chunk = timed(wb.process_chunk, "process")
    wb._Writer.write = timed(wb._Writer.write, "write")
    # warm-up outside the timing: numba cache load and the missile's drag-delay table
    wf.flight_time(np.array([53.0]), np.array([28.0]), np.array([52.0]), np.array([21.0]), missile=missile)
    timers.update(core=0.0)
    t0 = time.perf_counter()
    # minimum-energy as the API baselines below (batch otherwise takes the class default trajectory)
    s = wb.run_batch(src, out, chunk_rows=chunk_rows, missile=missile, trajectory="minimum-energy", dask=dask)
    wall = time.perf_counter() - t0
    return dict(rows=s.rows, chunks=s.chunks, wall_s=wall, status_counts=s.status_counts, workers=s.workers,
                out_bytes=os.path.getsize(out), peak_rss_mb=_peak_rss_mb(), **{f"{k}_s": v for k, v in timers.items()})


def child_api(src, rows, missile):
    import pyarrow.parquet as pq

    import warning_time as wt

    t = pq.read_table(src).slice(0, rows)
    cols = [t.column(c).to_numpy() for c in ("launch_lat_deg", "launch_lon_deg", "target_lat_deg", "target_lon_deg")]
    wt.flight_time(*(c[:10] for c in cols), missile=missile)
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        wt.flight_time(*cols, missile=missile, on_invalid="nan")
        best = min(best, time.perf_counter() - t0)
    return dict(rows=len(cols[0]), wall_s=best, peak_rss_mb=_peak_rss_mb())


def child_naive(src, out, missile):
    import pandas as pd

    import warning_time as wt

    wt.flight_time(53.0, 28.0, 52.0, 21.0, missile=missile)
    t0 = time.perf_counter()
    df = pd.read_parquet(src)
    r = wt.flight_time(df["launch_lat_deg"], df["launch_lon_deg"], df["target_lat_deg"], df["target_lon_deg"],
                       missile=missile, on_invalid="nan").to_frame()
    out_df = pd.concat([df[["id"]], r.drop(columns=["launch_lat_deg", "launch_lon_deg", "target_lat_deg",
                                                      "target_lon_deg"])], axis=1)
    out_df.to_parquet(out, index=False)
    return dict(rows=len(df), wall_s=time.perf_counter() - t0, peak_rss_mb=_peak_rss_mb())


def run_child(*args):
    cmd = [sys.executable, __file__, "--child", json.dumps(args)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr)
        raise SystemExit(f"child {args[0]} failed")
    return json.loads(r.stdout.strip().splitlines()[-1])


def slice_parquet(src, dst, rows):
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(src)
    w = None
    done = 0
    for b in pf.iter_batches(batch_size=min(rows, 1_000_000)):
        b = b.slice(0, rows - done)
        if w is None:
            w = pq.ParquetWriter(str(dst), b.schema)
        w.write_batch(b)
        done += b.num_rows
        if done >= rows:
            break
    w.close()


def fmt_rate(x):
    return f"{x / 1e6:.2f} M rows/s" if x >= 1e6 else f"{x / 1e3:.0f} k rows/s"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=100_000_000, help="rows of the streaming run (default 100,000,000)")
    ap.add_argument("--chunk-rows", type=int, default=500_000)
    ap.add_argument("--missile", default="oreshnik")
    ap.add_argument("--side-rows", type=int, default=2_000_000, help="rows of the baseline, CSV and Dask runs")
    ap.add_argument("--no-dask", action="store_true", help="skip the --dask local:2 run")
    ap.add_argument("--repeats", type=int, default=4,
                    help="single-process and Dask runs of the side rows, alternated, best of (default 4: "
                    "each goes first as often)")
    ap.add_argument("--dask-streaming", action="store_true",
                    help="also run --dask local:2 on the streaming rows (compared with the streaming run)")
    ap.add_argument("--tmp", default=None, help="directory for the generated files (default: system temp)")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        kind, *rest = json.loads(args.child)
        fn = {"stream": child_stream, "api": child_api, "naive": child_naive}[kind]
        print(json.dumps(fn(*rest)))
        return

    import numba
    import pyarrow

    import warning_time

    n = args.rows
    m = min(args.side_rows, n)
    print(f"warning_time {warning_time.__version__} | numba {numba.__version__} ({numba.config.NUMBA_NUM_THREADS} threads) "
          f"| pyarrow {pyarrow.__version__} | {platform.python_implementation()} {platform.python_version()} "
          f"| {os.cpu_count()} CPUs | load average {os.getloadavg()[0]:.2f}")
    print(f"rows {n:,} (streaming run), {m:,} (baselines, CSV, Dask); chunk {args.chunk_rows:,} rows; "
          f"missile {args.missile}, minimum energy, WGS84, rotating Earth; seed {SEED}")
    tmp = Path(tempfile.mkdtemp(prefix="wt-bench-batch-", dir=args.tmp))
    t_start = time.perf_counter()
    try:
        src = tmp / "pairs.parquet"
        t0 = time.perf_counter()
        print(f"generating {n:,} rows ...", flush=True)
        generate(src, n)
        print(f"  {src.stat().st_size / 1e9:.2f} GB in {time.perf_counter() - t0:.0f} s (not timed)", flush=True)
        side = src
        if m < n:
            side = tmp / "side.parquet"
            slice_parquet(src, side, m)
        side_csv = tmp / "side.csv"
        generate(side_csv, m, fmt="csv")

        print("streaming Parquet -> Parquet ...", flush=True)
        big = run_child("stream", str(src), str(tmp / "out.parquet"), args.chunk_rows, args.missile, None)
        if not args.dask_streaming:  # kept for the byte comparison of the Dask streaming run
            (tmp / "out.parquet").unlink()
        print("in-memory API baseline ...", flush=True)
        api = run_child("api", str(side), m, args.missile)
        print("naive pandas baseline ...", flush=True)
        naive = run_child("naive", str(side), str(tmp / "naive.parquet"), args.missile)
        print("streaming CSV -> CSV ...", flush=True)
        csv = run_child("stream", str(side_csv), str(tmp / "out.csv"), args.chunk_rows, args.missile, None)
        # the single-process and Dask runs of the side rows alternate (each going first in turn),
        # best of --repeats each: the
        # ratio of two runs of a few seconds is otherwise at the mercy of the machine's noise
        small = dsk = None
        same = True
        runs = [(None, "small.parquet")] + ([] if args.no_dask else [("local:2", "dask.parquet")])
        for k in range(max(1, args.repeats)):
            for dask, name in (runs if k % 2 == 0 else runs[::-1]):  # each goes first in turn
                if dask:
                    print("streaming Parquet -> Parquet on --dask local:2 ...", flush=True)
                if hasattr(os, "sync"):
                    os.sync()  # the previous run's output written back now, not during this run
                r = run_child("stream", str(side), str(tmp / name), args.chunk_rows, args.missile, dask)
                if dask is None:
                    small = r if small is None or r["wall_s"] < small["wall_s"] else small
                else:
                    dsk = r if dsk is None or r["wall_s"] < dsk["wall_s"] else dsk
            if not args.no_dask:
                same = same and (tmp / "dask.parquet").read_bytes() == (tmp / "small.parquet").read_bytes()
        dsk_big = None
        if args.dask_streaming:
            print("streaming Parquet -> Parquet on --dask local:2, streaming rows ...", flush=True)
            big_out = tmp / "out.parquet"
            dsk_big = run_child("stream", str(src), str(tmp / "dask_big.parquet"), args.chunk_rows, args.missile,
                                "local:2")
            same_big = (tmp / "dask_big.parquet").read_bytes() == big_out.read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    rate = big["rows"] / big["wall_s"]
    core_share = big["core_s"] / big["wall_s"]
    other_compute = big["process_s"] - big["core_s"]
    read_s = big["wall_s"] - big["process_s"] - big["write_s"]
    api_rate = api["rows"] / api["wall_s"]
    naive_rate = naive["rows"] / naive["wall_s"]
    small_rate = small["rows"] / small["wall_s"]
    csv_rate = csv["rows"] / csv["wall_s"]

    print()
    hdr = ("run", "rows", "rows/s", "peak RSS", "vs")
    w = (44, 13, 16, 10, 40)
    line = " | ".join(h.ljust(x) for h, x in zip(hdr, w))
    print(line)
    print("-" * len(line))
    rows = [
        ("streaming Parquet -> Parquet", big, f"{rate / naive_rate:.2f}x naive, {rate / api_rate:.2f}x API ceiling"),
        ("streaming Parquet -> Parquet (side rows)", small, f"{small_rate / naive_rate:.2f}x naive"),
        ("streaming CSV -> CSV", csv, f"{csv_rate / small_rate:.2f}x Parquet (side rows)"),
        ("naive: read_parquet + flight_time + write", naive, "baseline"),
        ("in-memory API only (no I/O)", api, "ceiling"),
    ]
    if dsk is not None:
        rows.append(("--dask local:2 Parquet -> Parquet", dsk,
                     f"{(dsk['rows'] / dsk['wall_s']) / small_rate:.2f}x single process; {dsk['workers']} workers; "
                     f"identical: {'yes' if same else 'NO'}"))
    if dsk_big is not None:
        rows.append(("--dask local:2 Parquet -> Parquet (streaming)", dsk_big,
                     f"{(dsk_big['rows'] / dsk_big['wall_s']) / rate:.2f}x single process; {dsk_big['workers']} "
                     f"workers; identical: {'yes' if same_big else 'NO'}"))
    for name, r, vs in rows:
        cells = (name, f"{r['rows']:,}", fmt_rate(r["rows"] / r["wall_s"]), f"{r['peak_rss_mb']:,.0f} MB", vs)
        print(" | ".join(c.ljust(x) for c, x in zip(cells, w)))
    print()
    print(f"streaming run of {big['rows']:,} rows: {big['wall_s']:.1f} s wall = numba core {big['core_s']:.1f} s "
          f"({100 * core_share:.0f}%) + other computation {other_compute:.1f} s ({100 * other_compute / big['wall_s']:.0f}%) "
          f"+ write {big['write_s']:.1f} s ({100 * big['write_s'] / big['wall_s']:.0f}%) + read and rest {read_s:.1f} s "
          f"({100 * read_s / big['wall_s']:.0f}%); {big['chunks']} chunks; output {big['out_bytes'] / 1e9:.2f} GB; "
          f"peak RSS {big['peak_rss_mb']:,.0f} MB (target < 2,048 MB: {'met' if big['peak_rss_mb'] < 2048 else 'NOT met'})")
    print(f"status counts: {big['status_counts']}; benchmark wall time {time.perf_counter() - t_start:.0f} s, "
          f"load average now {os.getloadavg()[0]:.2f}")
    print()
    print(f"RESULT batch_parquet_rows_per_s {rate:.0f} rows/s {rate / naive_rate:.2f}")
    print(f"RESULT batch_parquet_rows {big['rows']} rows -")
    print(f"RESULT batch_peak_rss {big['peak_rss_mb']:.0f} MB {big['peak_rss_mb'] / 2048:.2f}")
    print(f"RESULT batch_numba_core_share {100 * core_share:.1f} % -")
    print(f"RESULT batch_csv_rows_per_s {csv_rate:.0f} rows/s {csv_rate / small_rate:.2f}")
    if dsk is not None:
        print(f"RESULT batch_dask_local2_rows_per_s {dsk['rows'] / dsk['wall_s']:.0f} rows/s "
              f"{(dsk['rows'] / dsk['wall_s']) / small_rate:.2f}")
    if dsk_big is not None:
        print(f"RESULT batch_dask_local2_streaming_rows_per_s {dsk_big['rows'] / dsk_big['wall_s']:.0f} rows/s "
              f"{(dsk_big['rows'] / dsk_big['wall_s']) / rate:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps(dict(rows=n, side_rows=m, chunk_rows=args.chunk_rows,
                                                   missile=args.missile, streaming=big, side_streaming=small,
                                                   csv=csv, naive=naive, api=api, dask=dsk,
                                                   dask_streaming=dsk_big), indent=2))


if __name__ == "__main__":
    main()
