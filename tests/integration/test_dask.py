"""Dask: batch runs on a dask.distributed LocalCluster give the single-process output byte for
byte, survive a killed worker with every row exactly once, and flight_time_dask matches
flight_time."""
import os
import signal

import numpy as np
import pandas as pd
import pytest

import warning_time as wt
from warning_time.batch import COORD_COLUMNS, flight_time_dask, run_batch
from warning_time.cli import main
from warning_time.errors import InputError

distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")
da = pytest.importorskip("dask.array")


def _pairs(n, seed=11):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "id": np.arange(n),
        "launch_lat_deg": rng.uniform(51, 56, n), "launch_lon_deg": rng.uniform(23, 32, n),
        "target_lat_deg": rng.uniform(36, 65, n), "target_lon_deg": rng.uniform(-10, 40, n),
    })
    df.loc[5, "target_lat_deg"] = 123.0  # a bad row keeps its place on every path
    return df


@pytest.fixture(scope="module")
def cluster():
    import logging

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=logging.ERROR) as c:
        yield c


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_scheduler_run_is_identical_to_single_process(tmp_path, cluster, fmt):
    df = _pairs(3000)
    src = tmp_path / f"in.{fmt}"
    df.to_csv(src, index=False) if fmt == "csv" else df.to_parquet(src, index=False)
    single = run_batch(src, tmp_path / f"single.{fmt}", chunk_rows=250, missile="oreshnik")
    multi = run_batch(src, tmp_path / f"multi.{fmt}", chunk_rows=250, missile="oreshnik",
                      scheduler=cluster.scheduler_address)
    assert multi.workers == 2 and multi.rows == single.rows == 3000 and multi.chunks == 12
    assert multi.status_counts == single.status_counts
    assert (tmp_path / f"multi.{fmt}").read_bytes() == (tmp_path / f"single.{fmt}").read_bytes()


def test_cli_dask_local_is_identical(tmp_path):
    df = _pairs(1000)
    src = tmp_path / "in.parquet"
    df.to_parquet(src, index=False)
    assert main(["batch", str(src), "-o", str(tmp_path / "a.geoparquet"), "--chunk-rows", "300",
                 "--missile", "iskander-m"]) == 0
    assert main(["batch", str(src), "-o", str(tmp_path / "b.geoparquet"), "--chunk-rows", "300", "--missile", "iskander-m",
                 "--dask", "local:2", "--dask-min-work", "0"]) == 0
    assert (tmp_path / "a.geoparquet").read_bytes() == (tmp_path / "b.geoparquet").read_bytes()


def test_killed_worker_every_row_exactly_once(tmp_path):
    import logging

    df = _pairs(4000)
    src = tmp_path / "in.parquet"
    df.to_parquet(src, index=False)
    run_batch(src, tmp_path / "single.parquet", chunk_rows=100, missile="oreshnik")
    killed = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=logging.CRITICAL) as c, distributed.Client(c) as client:
        def kill_one(i, rows):
            if i == 3 and not killed:  # chunks 4.. are in flight: kill the worker process under them
                pids = client.run(os.getpid)
                victim = sorted(pids.values())[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        s = run_batch(src, tmp_path / "multi.parquet", chunk_rows=100, missile="oreshnik",
                      scheduler=c.scheduler_address, on_chunk=kill_one)
    assert killed and s.rows == 4000 and s.chunks == 40
    got = pd.read_parquet(tmp_path / "multi.parquet")
    assert got["id"].tolist() == list(range(4000))  # every row exactly once, in order
    assert (tmp_path / "multi.parquet").read_bytes() == (tmp_path / "single.parquet").read_bytes()


def test_flight_time_dask_matches_flight_time(cluster):
    df = _pairs(2000)
    ref = wt.flight_time(*(df[c] for c in COORD_COLUMNS), missile="iskander-m", trajectory="default",
                         on_invalid="nan")
    ddf = dd.from_pandas(df, npartitions=5)
    lazy = flight_time_dask(ddf, missile="iskander-m", trajectory="default")
    assert "flight_time_s" in lazy.columns and "id" in lazy.columns
    with distributed.Client(cluster):
        got = lazy.compute()
    assert got["id"].tolist() == df["id"].tolist()
    for c in ("flight_time_s", "ground_range_km", "apogee_km", "drag_delay_s", "impact_angle_deg"):
        np.testing.assert_array_equal(got[c].to_numpy(), ref[c], err_msg=c)
    np.testing.assert_array_equal(got["status"].to_numpy(), ref.status)
    assert got["reason"].iloc[5].startswith("bad input")
    # a dask array (n, 4) on the default (threaded) scheduler
    arr = da.from_array(df[list(COORD_COLUMNS)].to_numpy(), chunks=(300, 2))
    got2 = flight_time_dask(arr, missile="iskander-m", trajectory="default").compute()
    np.testing.assert_array_equal(got2["flight_time_s"].to_numpy(), ref.flight_time_s)


def test_flight_time_dask_bad_options_raise_early():
    ddf = dd.from_pandas(_pairs(10), npartitions=2)
    with pytest.raises(wt.InputError, match="missile='nope'"):
        flight_time_dask(ddf, missile="nope")
    with pytest.raises(wt.InputError, match="shape"):
        flight_time_dask(da.zeros((10, 3)), missile="ideal")
    with pytest.raises(wt.InputError, match="launch_lat_deg"):
        flight_time_dask(ddf.drop(columns="launch_lat_deg"), missile="ideal")


def test_no_worker_timeout_is_a_clear_error(tmp_path):
    import logging

    src = tmp_path / "in.parquet"
    _pairs(50).to_parquet(src, index=False)
    out = tmp_path / "out.parquet"
    with distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=":0",
                                  silence_logs=logging.CRITICAL) as c:
        with pytest.raises(wt.InputError, match="no worker for 2 s"):
            run_batch(src, out, chunk_rows=10, missile="oreshnik", scheduler=c.scheduler_address,
                      no_worker_timeout_s=2)
    assert not out.exists() and not list(tmp_path.glob(".out.part.*"))


def test_local_cluster_hands_results_back_through_files(tmp_path, monkeypatch):
    """--dask local: the client computes the first chunk, finds more work left than the
    threshold and starts the cluster, computes while it starts, then the warm workers take the
    chunks and hand their results back through Arrow files; the output is the single process's,
    byte for byte, and no hand-off file is left behind."""
    import tempfile
    import threading
    import time

    from warning_time import dask_api

    df = _pairs(3000)
    src = tmp_path / "in.parquet"
    df.to_parquet(src, index=False)
    single = run_batch(src, tmp_path / "single.parquet", chunk_rows=200, missile="oreshnik")
    handed = []
    from_file = dask_api._chunk_from_file

    def counting(path):
        handed.append(path)
        return from_file(path)

    monkeypatch.setattr(dask_api, "_chunk_from_file", counting)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the hand-off directory goes here

    started = []

    def wait_for_workers(i, rows):  # hold the client after its third chunk until the workers are warm
        if i <= 1:  # the pace is measured from the end of the first chunk: known after the second
            assert not any(th.name == "warning-time-dask-start" for th in threading.enumerate())
        if i == 2:
            started.extend(th.name for th in threading.enumerate() if th.name == "warning-time-dask-start")
            t = time.monotonic()
            while any(th.name == "warning-time-dask-start" for th in threading.enumerate()):
                assert time.monotonic() - t < 300
                time.sleep(0.1)

    # after the second chunk, 13 chunks left at its pace: more than 1 ms of work
    multi = run_batch(src, tmp_path / "multi.parquet", chunk_rows=200, missile="oreshnik", dask="local:2",
                      dask_min_work_s=1e-3, on_chunk=wait_for_workers)
    assert started
    assert multi.rows == single.rows == 3000 and multi.chunks == 15 and multi.workers == 2
    assert len(handed) >= 10  # the chunks after the third went to the workers
    assert (tmp_path / "multi.parquet").read_bytes() == (tmp_path / "single.parquet").read_bytes()
    assert not list(tmp_path.glob("warning_time-dask.*"))


def test_local_cluster_is_not_started_for_a_short_run(tmp_path, monkeypatch, capsys):
    """A run whose work left never exceeds the threshold (default 10 s; here a few hundred ms)
    is computed in this process: no cluster is started, the output is the single process's and
    the summary says why no workers were used."""
    from warning_time import dask_api

    def no_cluster(*args, **kwargs):
        raise AssertionError("a local cluster was started for a short run")

    monkeypatch.setattr(dask_api, "_dask_client", no_cluster)
    df = _pairs(3000)
    src = tmp_path / "in.parquet"
    df.to_parquet(src, index=False)
    single = run_batch(src, tmp_path / "single.parquet", chunk_rows=200, missile="oreshnik")
    multi = run_batch(src, tmp_path / "multi.parquet", chunk_rows=200, missile="oreshnik", dask="local:2")
    assert multi.workers == 0 and multi.rows == 3000 and multi.chunks == 15
    assert "in this process" in multi.describe()
    assert (tmp_path / "multi.parquet").read_bytes() == (tmp_path / "single.parquet").read_bytes()
    assert main(["batch", str(src), "-o", str(tmp_path / "x.parquet"), "--missile", "oreshnik", "--dask", "local:2",
                 "--dask-min-work", "-1"]) == 1
    err = capsys.readouterr().err
    assert "--dask-min-work must be >= 0" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.parquet").exists()
    with pytest.raises(InputError, match="--dask-min-work applies to --dask local"):
        run_batch(src, tmp_path / "y.parquet", missile="oreshnik", dask_min_work_s=5.0)
    with pytest.raises(InputError, match="must be >= 0"):
        run_batch(src, tmp_path / "y.parquet", missile="oreshnik", dask="local:2", dask_min_work_s=float("nan"))


def test_local_start_ignores_a_slow_first_chunk(tmp_path, monkeypatch):
    """One-off costs of the first chunk (loading or compiling the kernels, the drag-delay tables)
    are not taken for the pace of the run: a slow first chunk followed by fast ones starts no
    cluster, though 14 more chunks at the first one's pace would be far above the threshold."""
    import time

    from warning_time import dask_api

    def no_cluster(*args, **kwargs):
        raise AssertionError("a local cluster was started for a run whose pace is fast")

    calls = []
    real = dask_api.process_chunk

    def first_slow(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(dask_api, "_dask_client", no_cluster)
    monkeypatch.setattr(dask_api, "process_chunk", first_slow)
    df = _pairs(3000)
    src = tmp_path / "in.parquet"
    df.to_parquet(src, index=False)
    single = run_batch(src, tmp_path / "single.parquet", chunk_rows=200, missile="oreshnik")
    multi = run_batch(src, tmp_path / "multi.parquet", chunk_rows=200, missile="oreshnik", dask="local:2",
                      dask_min_work_s=2.0)
    assert len(calls) == 15 and multi.workers == 0
    assert (tmp_path / "multi.parquet").read_bytes() == (tmp_path / "single.parquet").read_bytes()
