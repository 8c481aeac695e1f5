"""The drag-delay table cache on disk (model.delay_table): a loaded table is the computed one
bit for bit, a damaged or foreign file is ignored and rewritten, and the cache can be off."""
import numpy as np

from warning_time import model


def test_disk_cache_round_trip_and_damaged_files(tmp_path, monkeypatch):
    import numba

    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))
    beta, h = 4321.0, 95_000.0
    model.delay_table.cache_clear()
    real = model.compute_delay_table
    computed = []
    monkeypatch.setattr(model, "compute_delay_table", lambda *a: computed.append(real(*a)) or computed[-1])
    first = model.delay_table(beta, h)  # empty cache: computed and written
    path = model.delay_table_path(beta, h)
    assert len(computed) == 1 and path.parent == tmp_path / "delay_tables" and path.exists()
    fresh = computed[0]
    np.testing.assert_array_equal(first, fresh)
    model.delay_table.cache_clear()
    calls = []
    monkeypatch.setattr(model, "compute_delay_table", lambda *a: calls.append(a) or fresh.copy())
    loaded = model.delay_table(beta, h)  # a new process: read from disk, nothing computed
    assert calls == [] and not loaded.flags.writeable
    np.testing.assert_array_equal(loaded, fresh)
    for damage in (b"not a numpy file", None):
        if damage is None:
            np.save(path, np.zeros((3, 3)))  # a table of another shape
        else:
            path.write_bytes(damage)
        model.delay_table.cache_clear()
        np.testing.assert_array_equal(model.delay_table(beta, h), fresh)
        assert len(calls) == (1 if damage else 2)
        np.testing.assert_array_equal(np.load(path), fresh)  # rewritten
    assert model.delay_table_path(beta, h + 1.0) != path  # other inputs, other file
    monkeypatch.setenv("WARNING_TIME_TABLE_CACHE", "0")
    assert model.delay_table_path(beta, h) is None
    model.delay_table.cache_clear()


def test_interceptor_fan_disk_cache_is_the_computed_fan(tmp_path, monkeypatch):
    """A fan read back from the disk cache equals the fan flown afresh bit for bit; a damaged
    file is ignored and rewritten; other inputs get another file; the cache can be off."""
    import numba

    from warning_time import defence

    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))
    args = ("sm3-iia", 1.2e6, 6.0e5, 60, 54.5, 2)  # a small fan: 60 cells, 2 azimuths
    defence._fan_cached.cache_clear()
    first = defence._fan_cached(*args)
    path = defence.fan_table_path(*args)
    assert path.parent == tmp_path / "fan_tables" and path.exists()
    T, V, d = defence.compute_fan_tables(*args)
    np.testing.assert_array_equal(first.time_s, T)
    np.testing.assert_array_equal(first.speed_m_s, V)
    assert first.dr_m == d
    defence._fan_cached.cache_clear()
    calls = []
    monkeypatch.setattr(defence, "compute_fan_tables", lambda *a: calls.append(a))
    again = defence._fan_cached(*args)  # a new process: read from disk, nothing flown
    assert calls == [] and not again.time_s.flags.writeable
    np.testing.assert_array_equal(again.time_s, T)
    np.testing.assert_array_equal(again.speed_m_s, V)
    monkeypatch.undo()
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))
    path.write_bytes(b"not a numpy file")
    defence._fan_cached.cache_clear()
    np.testing.assert_array_equal(defence._fan_cached(*args).time_s, T)
    with np.load(path) as z:  # rewritten
        np.testing.assert_array_equal(z["time_s"], T)
    assert defence.fan_table_path(*args[:-1], 3) != path
    monkeypatch.setenv("WARNING_TIME_TABLE_CACHE", "0")
    assert defence.fan_table_path(*args) is None
    defence._fan_cached.cache_clear()
