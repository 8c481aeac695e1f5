"""The Dask side of batch runs: chunks of :func:`warning_time.run_batch` on a cluster, and the
lazy :func:`flight_time_dask` over dask DataFrames and arrays.

``run_batch(..., dask="local[:N]")`` or ``scheduler="tcp://host:port"`` hands its chunks to
:func:`run_chunks`: the client reads the chunks, submits one task per chunk (with ``retries``; a
chunk whose worker dies is recomputed by the scheduler) and writes the results in input order
as they come back, holding at most a few chunks per worker in flight. Each chunk is computed by
:func:`warning_time.batch.process_chunk` and written exactly once, by the same writer as the
single-process run, so the output is identical; workers need no access to the input or output
files. The streaming engine itself (reading, chunking, writing) is :mod:`warning_time.batch`.

A local cluster costs seconds of start-up on a small machine (~3-4 s of CPU for two workers on
the 2-core reference machine), which a short run cannot win back: on one machine the workers
gain only what the client does on one core (reading, checking, writing) while the numba kernel
already uses every core. So the client computes the first chunks itself and starts the cluster
only once the work left is estimated at more than ``min_work_s`` (default
:data:`LOCAL_MIN_WORK_S`); a shorter run is simply computed in this process. What the start
costs is then hidden where it can be: it runs in a background thread while the client goes on;
its worker processes are forked from a fork server that imported the package once (not spawned
interpreters importing it each) and are warmed on a one-row sample (kernels and drag-delay
tables loaded) before they get chunks; each runs one numba thread when there are as many
workers as cores; and they hand their results back through Arrow files in a temporary
directory on the same machine instead of the network connection.
"""
from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
import warnings
from collections import deque

import numpy as np
import pandas as pd

from .batch import COORD_COLUMNS, MODEL_KEYWORDS, RESULT_COLUMNS, prefixed_names, process_chunk
from .errors import InputError, check_choice
from .flight import FlightResult

__all__ = ["LOCAL_MIN_WORK_S", "flight_time_dask", "parse_dask_spec", "run_chunks"]

#: seconds of work left (estimated from the time and progress so far) from which a LocalCluster
#: is started: its start costs ~3-4 s of CPU on two cores, and two local workers win back at
#: most the share of the client's single-threaded work (~60 % of a Parquet run), so a run
#: left with less than ~10 s would end later with the cluster than without it
LOCAL_MIN_WORK_S = 10.0


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


#: modules a local worker process starts with (imported once, in the fork server)
_WORKER_PRELOAD = ("distributed", "warning_time.batch", "warning_time.dask_api")


@contextlib.contextmanager
def _forkserver():
    """Start local worker processes from a fork server that has imported the package once,
    instead of spawning interpreters that each import it: a worker starts with a third of the
    CPU time and stops in milliseconds instead of a second or two. Where the platform has no
    fork server (Windows), workers are spawned as usual."""
    import multiprocessing

    import dask

    if "forkserver" not in multiprocessing.get_all_start_methods():
        yield
        return
    from distributed.utils import get_mp_context

    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        get_mp_context().set_forkserver_preload(list(_WORKER_PRELOAD))  # no effect once the server runs
        yield


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
        with _forkserver():
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


def _warm_worker(table, row0, opts, lines, bad):
    """Run one chunk's first row on a new worker and drop the result: imports the package,
    loads the compiled kernels from the numba cache and the drag-delay tables from disk
    before the worker is given real chunks. Any failure is left to the real chunk to report."""
    try:
        process_chunk(table, row0, opts, lines, bad)
    except Exception:  # noqa: BLE001 - warm-up only
        pass


def _chunk_to_file(table, row0, opts, lines, bad, directory):
    """:func:`process_chunk` on a local worker, the result handed back as an Arrow IPC file in
    ``directory`` (shared with the client on the same machine) instead of through the
    cluster's network connection: 70 MB of results per 500,000 rows cost tens of
    milliseconds this way and up to a second that way. Returns the file's path."""
    import pyarrow as pa

    out = process_chunk(table, row0, opts, lines, bad)
    path = os.path.join(directory, f"{uuid.uuid4().hex}.arrow")
    with pa.OSFile(path, "wb") as f, pa.ipc.new_file(f, out.schema) as w:
        w.write_table(out)
    return path


def _chunk_from_file(path):
    """The result table of :func:`_chunk_to_file`, memory-mapped; the file is removed (the
    mapping stays readable on POSIX systems until the table is dropped)."""
    import pyarrow as pa

    try:
        with pa.memory_map(path) as source:
            return pa.ipc.open_file(source).read_all()
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


class _LocalStart(threading.Thread):
    """Starts the LocalCluster in the background and warms its workers on a one-row sample of
    the first chunk (given by :meth:`sample`), while the client computes chunks itself."""

    def __init__(self, n_local, worker_opts, run):
        super().__init__(name="warning-time-dask-start", daemon=True)
        self.n_local, self.worker_opts, self.run_id = n_local, worker_opts, run
        self.client = self.cluster = self.error = None
        self._sample = None
        self._have_sample = threading.Event()
        self.cancelled = threading.Event()
        self.ready = threading.Event()

    def sample(self, table, row0, lines, bad):
        if self._sample is None:
            self._sample = (table.slice(0, 1), row0, None if lines is None else lines[:1], {0: bad[0]} if bad and 0 in bad else None)
            self._have_sample.set()

    def run(self):
        try:
            self.client, self.cluster = _dask_client(self.n_local, None)
            while not (self._have_sample.wait(0.05) or self.cancelled.is_set()):
                pass
            if not self.cancelled.is_set():
                from dask.distributed import wait

                table, row0, lines, bad = self._sample
                futs = [self.client.submit(_warm_worker, table, row0, self.worker_opts(), lines, bad, workers=[w],
                                           allow_other_workers=False, pure=False,
                                           key=f"warning-time-warm-{self.run_id}-{k}")
                        for k, w in enumerate(self.client.scheduler_info().get("workers", {}))]
                with contextlib.suppress(TimeoutError):
                    wait(futs, timeout=120)
                for f in futs:
                    f.release()
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            self.error = exc
        finally:
            self.ready.set()

    def close(self):
        self.cancelled.set()
        self.join()
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def run_chunks(chunks, opts, emit, n_local, scheduler, retries, *, no_worker_timeout_s=120.0, min_work_s=None,
               progress_total=None) -> int:
    """Compute ``(row0, chunk)`` pairs (:class:`warning_time.batch._Chunk`) on a Dask cluster
    and ``emit(i, result, position)`` them in input order: one task per chunk, a bounded
    window in flight. The cluster is a LocalCluster of ``n_local`` single-threaded worker
    processes (one numba thread each when there are as many workers as cores), or the one at
    ``scheduler``; after ``no_worker_timeout_s`` seconds without a worker the run stops with
    InputError. A LocalCluster is started once the work left is estimated at more than
    ``min_work_s`` seconds (default :data:`LOCAL_MIN_WORK_S`; 0: at once), from the time so far
    and the chunks' positions out of ``progress_total`` (rows or bytes; None: unknown, then from
    the time alone). It starts in the background: until its workers are up and warm (package
    imported, kernels and tables loaded, on a one-row sample of the first chunk) the client
    computes the chunks itself, then hands every further chunk to the workers. Every chunk is
    computed by the same pure :func:`process_chunk`, so the output is the same whichever
    process computed it. Returns the number of workers, 0 when no worker computed a chunk (the
    run ended before a local cluster was worth starting, or before it was up)."""
    run = uuid.uuid4().hex[:12]

    def worker_opts():  # read at each submit: the batch driver completes opts on the first chunk
        o = dict(opts)
        if scheduler is None:
            o["numba_threads"] = max(1, (os.cpu_count() or 1) // max(n_local, 1))
        return o

    min_work_s = LOCAL_MIN_WORK_S if min_work_s is None else float(min_work_s)
    first = None  # (time, position) once the first chunk is done: the rate is measured from there
    starter = client = handoff = None

    def start_local():
        nonlocal starter, handoff
        if os.name == "posix":  # local workers hand results back through files (see _chunk_to_file)
            handoff = tempfile.mkdtemp(prefix="warning_time-dask.")
        starter = _LocalStart(n_local, worker_opts, run)
        starter.start()

    def worth_starting(position):
        """Is the work left (estimated) more than min_work_s? Measured from the end of the first
        chunk, so one-off costs (a CSV's pre-scan, loading or compiling the kernels, the
        drag-delay tables) are not taken for the pace of the run; asked only when another chunk
        is known to follow."""
        spent = time.monotonic() - first[0]
        if progress_total:
            if position <= first[1]:
                return False  # no pace yet: known once a chunk after the first is done
            rate = (position - first[1]) / spent if spent > 0 else math.inf
            return (progress_total - position) / rate > min_work_s
        return spent > min_work_s  # no total (standard input): the time alone

    if scheduler is not None:
        client, _ = _dask_client(None, scheduler)
    elif min_work_s <= 0:
        start_local()
    try:
        pending = deque()
        window = None

        def drain(limit):
            while len(pending) > limit:
                j, f, p = pending.popleft()
                r = _result(client, f, no_worker_timeout_s)
                f.release()
                emit(j, r if handoff is None else _chunk_from_file(r), p)

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*[Ll]arge.*")
            last_position = 0
            for i, (row0, ch) in enumerate(chunks):
                if starter is None and client is None and first is not None and worth_starting(last_position):
                    start_local()  # this chunk exists: the cluster will have work
                if client is None and starter is not None:
                    starter.sample(ch.table, row0, ch.lines, ch.bad)
                    if starter.ready.is_set():
                        if starter.error is not None:
                            raise starter.error
                        client = starter.client
                if client is None:  # no cluster yet (or still starting): compute here
                    emit(i, process_chunk(ch.table, row0, opts, ch.lines, ch.bad), ch.position)
                    last_position = ch.position
                    if first is None:
                        first = (time.monotonic(), ch.position)
                    continue
                if window is None:
                    window = max(2, 2 * (sum(client.nthreads().values()) or 1))
                fn, extra = (process_chunk, ()) if handoff is None else (_chunk_to_file, (handoff,))
                fut = client.submit(fn, ch.table, row0, worker_opts(), ch.lines, ch.bad, *extra,
                                    key=f"warning-time-chunk-{run}-{i}", retries=retries, pure=False)
                pending.append((i, fut, ch.position))
                drain(window - 1)
            drain(0)
        if starter is None and client is None:  # a short run: no cluster was worth starting
            return 0
        if client is None:  # every chunk was computed before the cluster was up
            starter.cancelled.set()
            starter.join()
            if starter.error is not None:
                raise starter.error
            return 0  # no worker computed a chunk
        return len(client.nthreads())
    finally:
        if starter is not None:
            starter.close()
        elif client is not None:
            client.close()
        if handoff is not None:
            shutil.rmtree(handoff, ignore_errors=True)


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
