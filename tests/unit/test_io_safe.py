"""warning_time.io.atomic_path: regular files, FIFOs, character devices, symbolic links, '-'
(standard output) and the paths it refuses. No test writes to a real device."""
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import warning_time.io as wio
from warning_time.errors import InputError
from warning_time.io import atomic_path, output_kind


def _leftovers(directory: Path):
    return [p.name for p in directory.iterdir() if ".part." in p.name]


def test_new_file_gets_umask_mode(tmp_path):
    out = tmp_path / "sub" / "new.csv"  # missing parent directories are created
    old = os.umask(0o027)
    try:
        with atomic_path(out) as tmp:
            assert tmp != out and tmp.parent == out.parent
            tmp.write_text("a\n")
    finally:
        os.umask(old)
    assert out.read_text() == "a\n" and stat.S_IMODE(out.stat().st_mode) == 0o640
    assert not _leftovers(out.parent)


def test_existing_file_keeps_its_mode_and_owner(tmp_path):
    out = tmp_path / "t.csv"
    out.write_text("old\n")
    out.chmod(0o640)
    before = out.stat()
    with atomic_path(out) as tmp:
        tmp.write_text("new\n")
    after = out.stat()
    assert out.read_text() == "new\n"
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert after.st_ino != before.st_ino  # replaced by rename, not rewritten in place


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_existing_file_keeps_a_foreign_owner_as_root(tmp_path):
    out = tmp_path / "t.csv"
    out.write_text("old\n")
    os.chown(out, 4321, 4321)
    with atomic_path(out) as tmp:
        tmp.write_text("new\n")
    assert (out.stat().st_uid, out.stat().st_gid) == (4321, 4321)


def test_exception_leaves_old_file_and_no_temp(tmp_path):
    out = tmp_path / "t.csv"
    out.write_text("old\n")
    with pytest.raises(RuntimeError):
        with atomic_path(out) as tmp:
            tmp.write_text("half")
            raise RuntimeError("boom")
    assert out.read_text() == "old\n" and not _leftovers(tmp_path)


def test_fifo_is_written_directly_and_stays_a_fifo(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    with atomic_path(fifo) as tmp:
        assert tmp == fifo
        tmp.write_bytes(b"x,y\n1,2\n")
    reader.join(10)
    assert got == [b"x,y\n1,2\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and not _leftovers(tmp_path)


def test_character_device_is_yielded_not_replaced(tmp_path, monkeypatch):
    dev = tmp_path / "fake-null"
    dev.write_text("")
    monkeypatch.setattr(wio, "output_kind", lambda p: "chr" if Path(p) == dev else "missing")
    calls = []
    monkeypatch.setattr(wio.os, "replace", lambda *a: calls.append(("replace", a)))
    monkeypatch.setattr(wio.os, "rename", lambda *a: calls.append(("rename", a)))
    monkeypatch.setattr(wio.os, "unlink", lambda *a: calls.append(("unlink", a)))
    with atomic_path(dev) as tmp:
        assert tmp == dev
    with pytest.raises(RuntimeError):  # nor removed on failure
        with atomic_path(dev) as tmp:
            raise RuntimeError("boom")
    assert calls == [] and dev.exists() and not _leftovers(tmp_path)


def test_output_kind_classifies_by_stat(tmp_path, monkeypatch):
    f = tmp_path / "f"
    f.write_text("")
    real_stat = os.stat
    fake = {str(tmp_path / "chr"): stat.S_IFCHR | 0o666, str(tmp_path / "blk"): stat.S_IFBLK | 0o660,
            str(tmp_path / "sock"): stat.S_IFSOCK | 0o777}

    def fake_stat(p, *a, **k):
        if str(p) in fake:
            return os.stat_result((fake[str(p)], 0, 0, 1, 0, 0, 0, 0, 0, 0))
        return real_stat(p, *a, **k)

    monkeypatch.setattr(wio.os, "stat", fake_stat)
    assert [output_kind(tmp_path / k) for k in ("chr", "blk", "sock")] == ["chr", "blk", "sock"]
    assert output_kind(f) == "file" and output_kind(tmp_path) == "dir" and output_kind("-") == "stdout"
    assert output_kind(tmp_path / "nope") == "missing" and output_kind(f / "x") == "notdir"


@pytest.mark.parametrize("kind,needle", [("blk", "block device"), ("sock", "socket")])
def test_block_devices_and_sockets_are_refused(tmp_path, monkeypatch, kind, needle):
    path = tmp_path / "thing"
    monkeypatch.setattr(wio, "output_kind", lambda p: kind)
    with pytest.raises(InputError, match=needle) as exc:
        with atomic_path(path):
            pytest.fail("must not yield")
    assert str(path) in str(exc.value) and "standard output" in str(exc.value)


def test_directory_and_parent_file_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="is a directory") as exc:
        with atomic_path(tmp_path):
            pytest.fail("must not yield")
    assert str(tmp_path) in str(exc.value) and "\n" not in str(exc.value)
    f = tmp_path / "file.txt"
    f.write_text("keep")
    with pytest.raises(InputError, match="not a directory") as exc:
        with atomic_path(f / "sub" / "out.csv"):
            pytest.fail("must not yield")
    assert str(f / "sub" / "out.csv") in str(exc.value) and f.read_text() == "keep"


def test_unwritable_directory_is_an_input_error(tmp_path, monkeypatch):
    # root may write anywhere, so the permission check is simulated
    real = os.access
    monkeypatch.setattr(wio.os, "access", lambda p, mode, **k: False if Path(p) == tmp_path else real(p, mode, **k))
    with pytest.raises(InputError, match="not writable") as exc:
        with atomic_path(tmp_path / "out.csv"):
            pytest.fail("must not yield")
    assert str(tmp_path / "out.csv") in str(exc.value) and not list(tmp_path.iterdir())


def test_symlink_is_written_through(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    target = data / "real.csv"
    target.write_text("old\n")
    target.chmod(0o604)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    with atomic_path(link) as tmp:
        assert tmp.parent == data  # the temporary file lives beside the target
        tmp.write_text("new\n")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new\n" and stat.S_IMODE(target.stat().st_mode) == 0o604
    assert not _leftovers(tmp_path) and not _leftovers(data)


def test_dangling_symlink(tmp_path):
    link = tmp_path / "link.csv"
    link.symlink_to("made.csv")  # relative, target's directory exists
    with atomic_path(link) as tmp:
        tmp.write_text("x\n")
    assert link.is_symlink() and (tmp_path / "made.csv").read_text() == "x\n"
    bad = tmp_path / "bad.csv"
    bad.symlink_to(tmp_path / "nodir" / "t.csv")
    with pytest.raises(InputError, match="does not exist") as exc:
        with atomic_path(bad):
            pytest.fail("must not yield")
    assert str(bad) in str(exc.value) and not (tmp_path / "nodir").exists()


def test_symlink_loop_is_an_input_error(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(InputError, match="loop"):
        with atomic_path(a):
            pytest.fail("must not yield")


def test_dash_is_standard_output(tmp_path, monkeypatch, capfd):
    monkeypatch.chdir(tmp_path)
    print("before", flush=True)
    with atomic_path("-") as tmp:
        assert tmp.parent != tmp_path
        tmp.write_bytes(b"a,b\n1,2\n")
        spool = tmp
    assert capfd.readouterr().out == "before\na,b\n1,2\n"
    assert not spool.exists() and not os.path.lexists(tmp_path / "-") and not list(tmp_path.iterdir())
    with pytest.raises(RuntimeError):  # a failed run prints nothing
        with atomic_path("-") as tmp:
            tmp.write_bytes(b"partial")
            spool = tmp
            raise RuntimeError("boom")
    assert capfd.readouterr().out == "" and not spool.exists()


def test_dev_stdout_in_a_pipe_is_written_not_replaced(tmp_path):
    code = ("from warning_time.io import atomic_path\n"
            "with atomic_path('/dev/stdout') as t:\n"
            "    assert str(t) == '/dev/stdout'\n"
            "    t.write_text('through the pipe\\n')\n")
    if not os.path.exists("/dev/stdout"):
        pytest.skip("no /dev/stdout here")
    r = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"through the pipe\n" and not list(tmp_path.iterdir())


def test_geometry_export_refuses_a_fifo_and_leaves_it(tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    from warning_time.geometry import export

    fifo = tmp_path / "out.geojson"
    os.mkfifo(fifo)
    gdf = gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(0, 0)], crs=4326)
    with pytest.raises(InputError, match="regular files only"):
        export(gdf, fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    link = tmp_path / "link.geojson"  # a link to a regular file is written through
    target = tmp_path / "real.geojson"
    target.write_text("old")
    link.symlink_to(target)
    export(gdf, link)
    assert link.is_symlink() and "FeatureCollection" in target.read_text()
