"""Run a serial, GIL-releasing kernel over slices of a batch on several threads.

The batch drivers whose items are independent (the flight of a pair, one node of a drag-delay
table) are compiled serial and run here in slices rather than as numba ``prange`` loops: the
results are the same bits (each item is computed alone, in any order) at the same speed, while
a parallel kernel costs numba's parfor passes and gufunc wrapper over the whole call tree at
compile time (~1.7 s more for the first ``flight_time`` call of a fresh install).

The number of threads is ``numba.get_num_threads()`` of the calling thread, so
``NUMBA_NUM_THREADS`` and ``numba.set_num_threads`` (as a Dask worker sets it) apply as to
prange loops."""
from __future__ import annotations

import os
import threading

_POOL = None
_POOL_LOCK = threading.Lock()


def _pool():
    """The process's thread pool, made on first use (concurrent.futures costs ~30 ms of import,
    which a short run never needs), with as many threads as numba may use."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            from concurrent.futures import ThreadPoolExecutor

            import numba

            _POOL = ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1, numba.config.NUMBA_NUM_THREADS),
                                       thread_name_prefix="warning_time")
        return _POOL


def _forget_pool_in_child():
    """A forked child inherits the pool object but not its threads: it makes its own."""
    global _POOL, _POOL_LOCK
    _POOL = None
    _POOL_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool_in_child)


def run_slices(n: int, slice_len: int, work) -> None:
    """Call ``work(start, stop)`` over ``[0, n)`` in slices of ``slice_len`` items: in the
    calling thread when one slice (or one thread) suffices, else on up to
    ``numba.get_num_threads()`` threads taking slices in turn (a slow slice does not hold up
    the others). ``work`` writes its own results (into preallocated arrays). An exception in
    any slice, or one raised in the calling thread while it waits (KeyboardInterrupt, a signal
    handler's), is raised here, and no thread starts another slice after it."""
    n_slices = -(-n // slice_len)
    threads = 1
    if n_slices > 1:
        import numba

        threads = min(numba.get_num_threads(), n_slices)
    if threads <= 1:
        if n > 0:
            work(0, n)
        return
    slices = iter(range(n_slices))
    lock = threading.Lock()
    stop = threading.Event()

    def worker():
        while not stop.is_set():
            with lock:
                k = next(slices, None)
            if k is None:
                return
            try:
                work(k * slice_len, min(n, (k + 1) * slice_len))
            except BaseException:
                stop.set()
                raise

    futures = []
    try:
        for _ in range(threads):
            futures.append(_pool().submit(worker))
        for fut in futures:
            fut.result()
    except BaseException:  # a slice failed, or the caller was interrupted (Ctrl-C, SIGTERM):
        stop.set()  # no thread starts another slice
        raise
