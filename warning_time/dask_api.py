"""The Dask side of batch runs: chunks of :func:`warning_time.run_batch` on a cluster, and the
lazy :func:`flight_time_dask` over dask DataFrames and arrays.

``run_batch(..., dask="local[:N]")`` or ``scheduler="tcp://host:port"`` hands its chunks to
:func:`run_chunks`: the client reads the chunks, submits one task per chunk (with ``retries``; a
chunk whose worker dies is recomputed by the scheduler) and writes the results in input order
as they come back, holding at most a few chunks per worker in flight. Each chunk is computed by
:func:`warning_time.batch.process_chunk` and written exactly once, by the same writer as the
single-process run, so the output is identical; workers need no access to the input or output
files. The streaming engine itself (reading, chunking, writing) is :mod:`warning_time.batch`.
"""
from __future__ import annotations

import os
import re
import time
import uuid
import warnings
from collections import deque

import numpy as np
import pandas as pd

from .batch import COORD_COLUMNS, MODEL_KEYWORDS, RESULT_COLUMNS, prefixed_names, process_chunk
from .errors import InputError, check_choice
from .flight import FlightResult

__all__ = ["flight_time_dask", "parse_dask_spec", "run_chunks"]


def parse_dask_spec(spec: str) -> int:
    """'local' -> CPU count workers, 'local:N' -> N workers."""
    m = re.fullmatch(r"local(?::(\d+))?", str(spec).strip())
    if not m:
        raise InputError("--dask", message=f"--dask {spec!r}: expected 'local' or 'local:N' (N worker processes); "
                         "use --scheduler ADDRESS for an existing cluster")
    n = int(m.group(1)) if m.group(1) else (os.cpu_count() or 1)
    if not 1 <= n <= 256:
        raise InputError("--dask", message=f"--dask local:{n}: N must be in [1, 256]")
    return n


def _import_distributed():
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--dask", message="Dask runs need dask.distributed: pip install 'warning_time[dask]'") from None
    return Client, LocalCluster


def _dask_client(n_local, scheduler):
    import logging

    Client, LocalCluster = _import_distributed()

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            text = " ".join(str(exc).split())
            text = text if len(text) <= 200 else text[:200] + "..."
            raise InputError("--scheduler", message=f"--scheduler {scheduler}: cannot connect: {text}") from None
        return client, None
    try:
        cluster = LocalCluster(n_workers=n_local, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR)
    except Exception as exc:  # noqa: BLE001 - e.g. "Nanny failed to start" when a worker dies at start-up
        text = " ".join(str(exc).split())
        text = text if len(text) <= 200 else text[:200] + "..."
        raise InputError("--dask", message=f"--dask local:{n_local}: the local cluster did not start "
                         f"({type(exc).__name__}: {text})") from None
    return Client(cluster), cluster


def _result(client, fut, no_worker_timeout_s, poll_s=1.0):
    """``fut.result()``, but InputError once the cluster has had no worker for
    ``no_worker_timeout_s`` seconds (the scheduler would wait for one for ever)."""
    from dask.distributed import wait

    idle_since = None
    while True:
        try:
            wait(fut, timeout=poll_s)
        except TimeoutError:
            pass
        if fut.done():
            return fut.result()
        n = len(client.scheduler_info().get("workers", {}))
        if n:
            idle_since = None
            continue
        now = time.monotonic()
        idle_since = idle_since or now
        if now - idle_since >= no_worker_timeout_s:
            raise InputError("--dask", message=f"the Dask cluster has had no worker for {no_worker_timeout_s:g} s "
                             "(workers died or none joined); stopping. Nothing was written; check the workers' "
                             "memory and logs, or raise --no-worker-timeout")


def run_chunks(chunks, opts, emit, n_local, scheduler, retries, *, no_worker_timeout_s=120.0) -> int:
    """Compute ``(row0, chunk)`` pairs (:class:`warning_time.batch._Chunk`) on a Dask cluster
    and ``emit(i, result, position)`` them in input order: one task per chunk, a bounded
    window in flight. The cluster is a LocalCluster of ``n_local`` single-threaded worker
    processes, or the one at ``scheduler``; after ``no_worker_timeout_s`` seconds without a
    worker the run stops with InputError. Returns the number of workers."""
    client, cluster = _dask_client(n_local, scheduler)
    try:
        nthreads = sum(client.nthreads().values()) or 1
        opts = dict(opts)
        if cluster is not None:
            opts["numba_threads"] = max(1, (os.cpu_count() or 1) // max(n_local, 1))
        window = max(2, 2 * nthreads)
        run = uuid.uuid4().hex[:12]
        pending = deque()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*[Ll]arge.*")
            for i, (row0, ch) in enumerate(chunks):
                fut = client.submit(process_chunk, ch.table, row0, opts, ch.lines, ch.bad,
                                    key=f"warning-time-chunk-{run}-{i}", retries=retries, pure=False)
                pending.append((i, fut, ch.position))
                while len(pending) >= window:
                    j, f, p = pending.popleft()
                    emit(j, _result(client, f, no_worker_timeout_s), p)
                    f.release()
            while pending:
                j, f, p = pending.popleft()
                emit(j, _result(client, f, no_worker_timeout_s), p)
                f.release()
        return len(client.nthreads())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ---------------------------------------------------------------------------------------------
# lazy API
# ---------------------------------------------------------------------------------------------

def _partition_flight(df, kwargs, on_invalid):
    from .flight import flight_time

    r = flight_time(*(df[c].to_numpy(dtype=float) for c in COORD_COLUMNS), on_invalid=on_invalid, **kwargs)
    out = df.copy()
    for c in FlightResult.NUMBERS:
        out[c] = np.asarray(r[c], dtype=float)
    out["status"] = np.asarray(r["status"], dtype=np.int8)
    out["reason"] = pd.Series(np.asarray(r["reason"], dtype=object), index=df.index, dtype=object)
    out["missile"] = pd.Series(r.meta["missile"], index=df.index, dtype=object)
    out["trajectory"] = pd.Series(r.meta["trajectory"], index=df.index, dtype=object)
    return out


def flight_time_dask(data, *, missile, on_invalid="nan", **kwargs):
    """Lazy :func:`warning_time.flight_time` over a dask DataFrame or dask array.

    Parameters
    ----------
    data : dask.dataframe.DataFrame or dask.array.Array
        A DataFrame with the columns ``launch_lat_deg``, ``launch_lon_deg``,
        ``target_lat_deg``, ``target_lon_deg`` (deg; other columns are kept), or an (n, 4)
        array of those four in that order.
    missile, **kwargs
        As in :func:`warning_time.flight_time` (``trajectory``, ``earth``, ``rotation``, ...).
    on_invalid : {'nan', 'raise'}
        Batch default 'nan': bad rows keep their place with NaN, ``status`` and ``reason``.

    Returns
    -------
    dask.dataframe.DataFrame
        The input columns plus :data:`warning_time.batch.RESULT_COLUMNS` (``flight_time_s``,
        ``ground_range_km``, ``apogee_km``, ``burnout_speed_m_s``, ``free_flight_time_s``,
        ``impact_speed_m_s``, ``impact_angle_deg``, ``drag_delay_s``, ``status``,
        ``reason``, ``missile`` and ``trajectory``), partition by partition; ``.compute()`` on any scheduler (threads,
        processes, a distributed Client) gives the same numbers as
        ``flight_time(...).to_frame()``.
    """
    try:
        import dask.array as da
        import dask.dataframe as dd
    except ImportError:
        raise InputError("data", message="flight_time_dask needs dask: pip install 'warning_time[dask]'") from None
    from .flight import flight_time

    kwargs = dict(kwargs, missile=missile)
    bad = set(kwargs) - set(MODEL_KEYWORDS)
    if bad:
        raise TypeError(f"flight_time_dask() got unexpected keyword argument(s) {', '.join(sorted(bad))}")
    check_choice("on_invalid", on_invalid, ("nan", "raise"))
    flight_time(*[np.empty(0)] * 4, on_invalid="nan", **kwargs)  # bad options raise now, not in a task
    if isinstance(data, da.Array):
        if data.ndim != 2 or data.shape[1] != 4:
            raise InputError("data", message=f"a dask array must have shape (n, 4) with columns "
                             f"{', '.join(COORD_COLUMNS)}; got shape {data.shape}")
        data = dd.from_dask_array(data.astype(float).rechunk({1: 4}), columns=list(COORD_COLUMNS))
    elif not isinstance(data, dd.DataFrame):
        raise InputError("data", message=f"expected a dask DataFrame or array, got {type(data).__name__}; "
                         "use warning_time.flight_time for in-memory data")
    missing = [c for c in COORD_COLUMNS if c not in data.columns]
    if missing:
        raise InputError(missing[0], message=f"missing column(s) {', '.join(missing)}; found {', '.join(map(str, data.columns))}")
    names = prefixed_names(data.columns, "data")
    if names != list(map(str, data.columns)):  # result-named input columns are kept as input_<name>
        data = data.rename(columns=dict(zip(data.columns, names)))
    meta = _partition_flight(data._meta, kwargs, "nan")
    return data.map_partitions(_partition_flight, kwargs, on_invalid, meta=meta)
