"""The batch kernel is compiled in two parts (core.batch.flight_many): a lean kernel without the
rarely used solvers (presets, search over the time of flight, the rotating-Earth searches along a
flight-path angle or a speed, the minimum-energy search past its fast Newton steps) that marks
the pairs needing them, and the full kernel that solves those. Every pair must get the very bits the full kernel alone
gives, for every class, trajectory, Earth and rotation, and no pair may keep the internal mark."""
import os
import time

import numpy as np
import pytest

from warning_time.core import trajectory as tr
from warning_time.core.batch import _run, flight_many
from warning_time.missiles import get_missile, load_missiles
from warning_time.model import FlightModel

N = 2000


def _pairs(seed, n=N):
    rng = np.random.default_rng(seed)
    half = n // 2
    # Belarus to Europe, and anywhere to anywhere (long, polar, near-antipodal, very short shots)
    lat1 = np.concatenate([rng.uniform(51, 56, half), rng.uniform(-89, 89, n - half)])
    lon1 = np.concatenate([rng.uniform(23, 32, half), rng.uniform(-180, 180, n - half)])
    lat2 = np.concatenate([rng.uniform(36, 65, half), rng.uniform(-89, 89, n - half)])
    lon2 = np.concatenate([rng.uniform(-10, 40, half), rng.uniform(-180, 360, n - half)])
    near = rng.random(n) < 0.1  # a tenth within ~2 deg: short shots and below-minimum ranges
    lat2[near] = lat1[near] + rng.uniform(-2, 2, near.sum())
    lat2 = np.clip(lat2, -90, 90)
    lon2[near] = lon1[near] + rng.uniform(-2, 2, near.sum())
    return lat1, lon1, lat2, lon2


def _cases():
    ballistic = [k for k, m in load_missiles().items() if m.kind == "ballistic"]
    for key in ballistic:
        for traj in ("default", "minimum-energy", "depressed", "lofted", "quasi-ballistic"):
            yield key, traj, {}
    for deg in (20.0, 45.0, 80.0, 86.0, 88.9):
        yield "ideal", "flight-path-angle", {"flight_path_angle_deg": deg}
    for v, branch in ((3000.0, "low"), (4500.0, "high"), (7000.0, "high"), (10000.0, "high"), (11500.0, "low")):
        yield "ideal", "burnout-speed", {"burnout_speed_m_s": v, "branch": branch}
    for apo in (100.0, 1000.0, 1e5):
        yield "ideal", "apogee", {"apogee_km": apo}


CASES = list(_cases())


def _resolve(key, traj, kw, earth, rotation):
    try:
        return FlightModel.resolve(get_missile(key), trajectory=traj, earth=earth, rotation=rotation, **kw)
    except Exception:  # noqa: BLE001 - a class without that trajectory
        return None


def _need_threads():
    """The threaded tests mean nothing on one thread (run_slices then runs serially)."""
    import numba

    if min(numba.config.NUMBA_NUM_THREADS, numba.get_num_threads()) < 2:
        pytest.skip("needs at least 2 numba threads")


def _bits(a):
    return np.ascontiguousarray(a).view(np.int64)


@pytest.mark.parametrize("earth,rotation", [("sphere", False), ("wgs84", False), ("wgs84", True)])
def test_lean_and_full_kernels_give_the_same_bits(earth, rotation):
    deferred_total = 0
    deferred_by = set()  # trajectories with pairs the lean kernel left to the full one
    tried = 0
    for k, (key, traj, kw) in enumerate(CASES):
        model = _resolve(key, traj, kw, earth, rotation)
        if model is None:
            continue
        tried += 1
        args = _pairs(k)
        got = flight_many(*args, model.params, model.table)
        full = _run(*args, model.params, model.table, True)
        lean = _run(*args, model.params, model.table, None)
        assert not (got[0] == tr.PAIR_DEFERRED).any()
        np.testing.assert_array_equal(_bits(got), _bits(full), err_msg=f"{key} {traj} {kw}")
        # the lean kernel's own rows are the full kernel's bits too (not only the ones it deferred)
        mine = lean[0] != tr.PAIR_DEFERRED
        np.testing.assert_array_equal(_bits(lean[:, mine]), _bits(full[:, mine]), err_msg=f"{key} {traj} {kw}")
        deferred_total += int((~mine).sum())
        if (~mine).any():
            deferred_by.add(traj)
    assert tried >= 40
    assert deferred_total > 0  # the presets at least go through the full kernel
    assert {"depressed", "lofted"} <= deferred_by
    if rotation:  # the rotating-Earth searches along an angle or a speed are the full kernel's
        assert {"flight-path-angle", "burnout-speed"} <= deferred_by
    else:
        assert not deferred_by & {"flight-path-angle", "burnout-speed", "apogee"}



def test_long_batches_on_threads_give_the_bits_of_one_loop(monkeypatch):
    """flight_many runs a long batch in slices on threads (core.threads): every pair must get the
    bits of one serial loop over the whole batch, the deferred pairs included."""
    import numba

    from warning_time.core import batch

    _need_threads()
    model = FlightModel.resolve(get_missile("oreshnik"), trajectory="lofted", earth="wgs84", rotation=True)
    n = 6000
    args = _pairs(99, n=n)
    one = np.empty((9, n))
    batch._flight_many(*args, model.params, model.table, True, one, 0, n)
    monkeypatch.setattr(batch, "SLICE_PAIRS", 257)  # many uneven slices, both kernels
    threads = numba.get_num_threads()
    numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
    try:
        got = flight_many(*args, model.params, model.table)
    finally:
        numba.set_num_threads(threads)
    np.testing.assert_array_equal(_bits(got), _bits(one))


def test_run_slices_visits_every_item_once_and_raises_a_slice_error():
    from warning_time.core.threads import run_slices

    for n, size in ((0, 4), (1, 4), (10, 3), (1000, 7), (1000, 1000), (1000, 5000)):
        seen = np.zeros(n, dtype=int)

        def work(start, stop, seen=seen):
            assert 0 <= start < stop <= len(seen)
            seen[start:stop] += 1

        run_slices(n, size, work)
        assert (seen == 1).all()

    _need_threads()
    started = []

    def boom(start, stop):
        started.append(start)
        if start == 0:
            raise ValueError("slice failed")
        time.sleep(0.001)

    with pytest.raises(ValueError, match="slice failed"):
        run_slices(1000, 10, boom)
    time.sleep(0.3)  # time enough for the 100 slices of 1 ms, were they all run
    # the failure stops the threads from taking further slices (each finishes the one it holds)
    assert len(started) < 10


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_run_slices_works_in_a_forked_child():
    """A child forked after the pool ran (multiprocessing's fork start method) inherits the pool
    object but not its threads: it must make its own instead of waiting for ever."""
    import signal

    from warning_time.core.threads import run_slices

    _need_threads()
    def slow(a, b):  # slow slices: the parent's pool starts a thread per worker
        time.sleep(0.005)

    run_slices(100, 10, slow)
    time.sleep(0.2)  # the pool's threads are idle (the case that hung: no thread made for the child)
    pid = os.fork()
    if pid == 0:  # the child: no pytest machinery, only an exit code
        code = 3
        try:
            signal.alarm(20)
            mine = np.zeros(100)
            run_slices(100, 10, lambda a, b: mine.__setitem__(slice(a, b), mine[a:b] + 1))
            code = 0 if (mine == 1).all() else 4
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
