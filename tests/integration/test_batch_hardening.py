"""Batch and CLI hardening (issue 18): signals, standard input and output, the output that is
the input, compressed CSV, malformed lines (--on-bad-line, with a fuzz test), original values
in every format, one result schema, provenance. No test writes to a real device."""
import bz2
import gzip
import json
import lzma
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import warning_time as wt
import warning_time.batch as wb
from warning_time.batch import COORD_COLUMNS, RESULT_COLUMNS, run_batch
from warning_time.cli import main
from warning_time.errors import InputError
from warning_time.flight import FlightResult
from warning_time.provenance import METADATA_KEY, read_provenance

HEAD = "id," + ",".join(COORD_COLUMNS)
CMD = [sys.executable, "-m", "warning_time"]


def _pairs(n, seed=5):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "id": [f"p{i}" for i in range(n)],
        "launch_lat_deg": rng.uniform(51, 56, n).round(4), "launch_lon_deg": rng.uniform(23, 32, n).round(4),
        "target_lat_deg": rng.uniform(45, 60, n).round(4), "target_lon_deg": rng.uniform(5, 30, n).round(4),
    })


def _part_files(directory: Path):
    return [p for p in directory.iterdir() if ".part." in p.name]


def _env():
    return dict(os.environ, PYTHONUNBUFFERED="1")


# ---------------------------------------------------------------------------------------------
# (1) output paths and signals
# ---------------------------------------------------------------------------------------------

def _feed_fifo(fifo: Path, text: str, hold: threading.Event):
    """Write ``text`` into the FIFO and keep it open (the reader blocks for more) until ``hold``."""
    with open(fifo, "w") as fh:
        fh.write(text)
        fh.flush()
        hold.wait(120)


@pytest.mark.parametrize("extra", [[], ["--dask", "local:1", "--dask-min-work", "0"]], ids=["one-process", "dask"])
def test_sigterm_mid_run_removes_the_temporary_file(tmp_path, extra):
    fifo = tmp_path / "in.csv"
    os.mkfifo(fifo)
    out = tmp_path / "out.csv"
    out.write_text("previous result\n")
    rows = _pairs(120).to_csv(index=False)
    hold = threading.Event()
    feeder = threading.Thread(target=_feed_fifo, args=(fifo, rows, hold), daemon=True)
    feeder.start()
    proc = subprocess.Popen(CMD + ["batch", str(fifo), "-o", str(out), "--missile", "oreshnik", "--chunk-rows", "50",
                                   "--no-progress"] + extra, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=_env(), cwd=tmp_path)
    try:
        deadline = time.monotonic() + 240
        # mid-run: the first chunks are computed and written, the reader waits for more input
        while time.monotonic() < deadline:
            parts = _part_files(tmp_path)
            if parts and parts[0].stat().st_size > 1000:
                break
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.2)
        else:
            pytest.fail("the run never wrote its first chunks")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=120)
    finally:
        hold.set()
        if proc.poll() is None:
            proc.kill()
    err = err.decode()
    assert proc.returncode == 143, err
    assert "interrupted (SIGTERM)" in err and "Traceback" not in err and "leaked" not in err
    assert out.read_text() == "previous result\n"
    assert not _part_files(tmp_path)


def test_keyboard_interrupt_is_a_short_message(tmp_path, monkeypatch, capsys):
    src = tmp_path / "in.csv"
    _pairs(10).to_csv(src, index=False)

    def stop(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(wb, "process_chunk", stop)
    assert main(["batch", str(src), "-o", str(tmp_path / "o.csv"), "--missile", "ideal"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err and not _part_files(tmp_path)


def test_stdout_pipes_into_another_process_and_stdin_is_read(tmp_path):
    df = _pairs(40)
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    producer = subprocess.Popen(CMD + ["batch", str(src), "-o", "-", "--missile", "oreshnik"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), cwd=tmp_path)
    consumer = subprocess.run(CMD + ["batch", "-", "-o", str(tmp_path / "again.parquet"), "--missile", "oreshnik"],
                              stdin=producer.stdout, capture_output=True, env=_env(), cwd=tmp_path, timeout=300)
    producer.stdout.close()
    producer.wait(timeout=300)
    assert producer.returncode == 0 and consumer.returncode == 0, consumer.stderr
    assert not os.path.lexists(tmp_path / "-")
    got = pd.read_parquet(tmp_path / "again.parquet")
    assert got["id"].tolist() == df["id"].tolist()
    # the first run's results are kept under input_ names, never silently replaced
    assert tuple(got.columns) == (tuple(df.columns) + tuple("input_" + c for c in RESULT_COLUMNS[:-2])
                                  + RESULT_COLUMNS)
    np.testing.assert_array_equal(got["input_flight_time_s"], got["flight_time_s"])
    ref = wt.flight_time(*(df[c] for c in COORD_COLUMNS), missile="oreshnik", on_invalid="nan")
    np.testing.assert_array_equal(got["flight_time_s"], ref.flight_time_s)


def test_output_may_not_be_the_input(tmp_path, capsys):
    src = tmp_path / "same.csv"
    _pairs(5).to_csv(src, index=False)
    before = src.read_bytes()
    link = tmp_path / "link.csv"
    link.symlink_to(src)
    for out in (src, link):
        assert main(["batch", str(src), "-o", str(out), "--missile", "ideal"]) == 1
        err = capsys.readouterr().err
        assert "is the input file" in err and "Traceback" not in err
    assert src.read_bytes() == before and not _part_files(tmp_path)


def test_output_path_problems_are_found_before_computing(tmp_path, monkeypatch, capsys):
    src = tmp_path / "in.csv"
    _pairs(5).to_csv(src, index=False)
    calls = []
    real = wb.process_chunk
    monkeypatch.setattr(wb, "process_chunk", lambda *a, **k: calls.append(1) or real(*a, **k))
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("x")
    for out, needle in ((tmp_path / "adir", "is a directory"), (tmp_path / "afile" / "o.csv", "not a directory"),
                        (tmp_path / "o.xlsx", "supported: .csv, .csv.gz"), (tmp_path / "o.parquet.gz", "CSV only")):
        assert main(["batch", str(src), "-o", str(out), "--missile", "ideal"]) == 1
        err = capsys.readouterr().err
        assert needle in err and "Traceback" not in err and err.count("\n") == 1, err
    assert calls == []
    assert main(["batch", str(src), "-o", str(tmp_path / "o.xlsx"), "--missile", "ideal", "--output-format",
                 "csv"]) == 0  # an explicit format takes any name
    assert pd.read_csv(tmp_path / "o.xlsx")["status"].tolist() == [0] * 5


def test_full_disk_is_one_line(tmp_path, monkeypatch, capsys):
    import errno

    src = tmp_path / "in.csv"
    _pairs(5).to_csv(src, index=False)

    def full(self, table):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(wb._Writer, "write", full)
    out = tmp_path / "o.csv"
    assert main(["batch", str(src), "-o", str(out), "--missile", "ideal"]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert not out.exists() and not _part_files(tmp_path)


# ---------------------------------------------------------------------------------------------
# (2) compressed CSV
# ---------------------------------------------------------------------------------------------

def _zstd(data: bytes) -> bytes:
    out = pa.BufferOutputStream()
    with pa.CompressedOutputStream(out, "zstd") as z:
        z.write(data)
    return out.getvalue().to_pybytes()


def _unzstd(data: bytes) -> bytes:
    with pa.CompressedInputStream(pa.BufferReader(data), "zstd") as z:
        return z.read()


CODECS = {"gz": (gzip.compress, gzip.decompress), "bz2": (bz2.compress, bz2.decompress),
          "xz": (lzma.compress, lzma.decompress), "zst": (_zstd, _unzstd)}


@pytest.mark.parametrize("ext", list(CODECS))
def test_compressed_csv_in_and_out(tmp_path, ext):
    comp, decomp = CODECS[ext]
    df = _pairs(300)
    text = df.to_csv(index=False).encode()
    (tmp_path / "plain.csv").write_bytes(text)
    (tmp_path / f"in.csv.{ext}").write_bytes(comp(text))
    run_batch(tmp_path / "plain.csv", tmp_path / "ref.csv", chunk_rows=64, missile="oreshnik")
    s = run_batch(tmp_path / f"in.csv.{ext}", tmp_path / f"out.csv.{ext}", chunk_rows=64, missile="oreshnik")
    assert s.rows == 300
    raw = (tmp_path / f"out.csv.{ext}").read_bytes()
    assert raw[:2] != b"id"  # really compressed
    assert decomp(raw) == (tmp_path / "ref.csv").read_bytes()


def test_compression_option_and_gzip_determinism(tmp_path):
    src = tmp_path / "in.csv"
    _pairs(20).to_csv(src, index=False)
    assert main(["batch", str(src), "-o", str(tmp_path / "a.csv"), "--missile", "ideal", "--compression", "gzip"]) == 0
    first = (tmp_path / "a.csv").read_bytes()
    assert first[:2] == b"\x1f\x8b"
    assert main(["batch", str(src), "-o", str(tmp_path / "a.csv"), "--missile", "ideal", "--compression", "gzip"]) == 0
    assert (tmp_path / "a.csv").read_bytes() == first  # no time stamp in the gzip header
    big = _pairs(20_000).to_csv(index=False).encode()
    (tmp_path / "broken.csv.gz").write_bytes(gzip.compress(big)[:-30])
    with pytest.raises(InputError, match=r"cannot read gzip data after line \d+"):
        run_batch(tmp_path / "broken.csv.gz", tmp_path / "b.csv", missile="ideal")


# ---------------------------------------------------------------------------------------------
# (3) malformed lines
# ---------------------------------------------------------------------------------------------

def test_bad_lines_flag_keeps_their_place_with_file_line_numbers(tmp_path):
    ok = "53.3,28.64,52.23,21.01"
    text = "\n".join([HEAD, f"a,{ok}", "", f'"b\nsecond line",{ok}', f"c,{ok},extra", f"d,53.3,28.64",
                      f"e,{ok}", f'f,{ok[:-5]}"x"y', f"g,{ok}"]) + "\n"
    src = tmp_path / "in.csv"
    src.write_text(text)
    with pytest.raises(InputError) as exc:
        run_batch(src, tmp_path / "o.csv", missile="oreshnik")
    assert "line 6: 6 fields, the header (line 1) has 5: too many fields" in str(exc.value)
    assert not (tmp_path / "o.csv").exists()
    run_batch(src, tmp_path / "o.parquet", missile="oreshnik", on_bad_line="flag", chunk_rows=2)
    got = pd.read_parquet(tmp_path / "o.parquet")
    assert [None if pd.isna(v) else v for v in got["id"]] == ["a", "b\nsecond line", None, None, "e", None, "g"]
    assert got["status"].tolist() == [0, 0, 5, 5, 0, 5, 0]
    assert "line 6: 6 fields" in got["reason"][2] and "too many fields" in got["reason"][2]
    assert "line 7: 3 fields" in got["reason"][3] and "too few fields" in got["reason"][3]
    assert "line 9: malformed CSV" in got["reason"][5]


def test_error_policy_stops_before_any_computation(tmp_path, monkeypatch):
    df = _pairs(500)
    text = df.to_csv(index=False) + "x,1,2,3,4,5\n"  # a stray comma on the last line (502)
    src = tmp_path / "in.csv"
    src.write_text(text)
    calls = []
    monkeypatch.setattr(wb, "process_chunk", lambda *a, **k: calls.append(1))
    with pytest.raises(InputError, match=r"line 502: 6 fields.*too many"):
        run_batch(src, tmp_path / "o.csv", missile="oreshnik", chunk_rows=100)
    assert calls == []  # nothing computed and thrown away
    (tmp_path / "in.csv.gz").write_bytes(gzip.compress(text.encode()))
    with pytest.raises(InputError, match="line 502"):
        run_batch(tmp_path / "in.csv.gz", tmp_path / "o.csv", missile="oreshnik", chunk_rows=100)
    assert calls == []


# launch and target apart and far from antipodal (zero-length and antipodal flights have their
# own status): at most 135 deg of arc
GOOD = st.tuples(st.floats(10, 60), st.floats(-40, 40), st.floats(-60, 0), st.floats(-40, 40))
LINE = st.one_of(
    GOOD.map(lambda c: ("good", ",".join(f"{v:.3f}" for v in c))),
    GOOD.map(lambda c: ("many", ",".join(f"{v:.3f}" for v in c) + ",9")),
    GOOD.map(lambda c: ("few", ",".join(f"{v:.3f}" for v in c[:3]))),
    st.just(("text", "north,1,2,3")),
    st.just(("empty-cells", ",,,")),
    st.just(("blank", "")),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(LINE, min_size=1, max_size=25), chunk_rows=st.integers(1, 7),
       policy=st.sampled_from(["error", "flag"]))
def test_fuzz_malformed_lines(tmp_path, lines, chunk_rows, policy):
    body, expect = [HEAD], []
    for i, (kind, fields) in enumerate(lines):
        if kind == "blank":
            body.append("")
            continue
        body.append(f"r{i}," + fields)
        expect.append((f"r{i}", kind, len(body)))  # file line of the row
    src = tmp_path / "fuzz.csv"
    src.write_text("\n".join(body) + "\n")
    out = tmp_path / "fuzz.parquet"
    if out.exists():
        out.unlink()
    first_bad = next((e for e in expect if e[1] in ("many", "few")), None)
    if not expect:
        with pytest.raises(InputError, match="no rows"):
            run_batch(src, out, missile="ideal", chunk_rows=chunk_rows, on_bad_line=policy)
        return
    if policy == "error" and first_bad is not None:
        with pytest.raises(InputError) as exc:
            run_batch(src, out, missile="ideal", chunk_rows=chunk_rows, on_bad_line=policy)
        what = "too many fields" if first_bad[1] == "many" else "too few fields"
        assert f"line {first_bad[2]}: " in str(exc.value) and what in str(exc.value)
        assert not out.exists()
        return
    s = run_batch(src, out, missile="ideal", chunk_rows=chunk_rows, on_bad_line=policy)
    got = pd.read_parquet(out)
    assert s.rows == len(expect) == len(got)  # every input row once ...
    for (rid, kind, line), (_, row) in zip(expect, got.iterrows()):  # ... in order
        if kind in ("many", "few"):
            assert pd.isna(row["id"]) and row["status"] == 5
            assert f"bad line: line {line}: " in row["reason"]
        else:
            assert row["id"] == rid
            if kind == "good":
                assert row["status"] == 0
            else:
                assert row["status"] == 5 and f"(line {line})" in row["reason"]


def test_header_problems(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("launch_lat_deg,launch_lat_deg,launch_lon_deg,target_lat_deg,target_lon_deg\n1,2,3,4,5\n")
    with pytest.raises(InputError, match="launch_lat_deg appear more than once"):
        run_batch(src, tmp_path / "o.csv", missile="ideal")
    src.write_text(HEAD + ",status,input_status\np,53.3,28.64,52.23,21.01,x,y\n")
    with pytest.raises(InputError, match="status have the names of result columns and input_status exist"):
        run_batch(src, tmp_path / "o.csv", missile="ideal")
    src.write_text(HEAD.replace(",", "\t") + "\np\t53.3\t28.64\t52.23\t21.01\n")
    with pytest.raises(InputError, match="looks tab-separated"):
        run_batch(src, tmp_path / "o.csv", missile="ideal")
    src.write_bytes((HEAD + ",place\np,53.3,28.64,52.23,21.01,K\xf6ln\n").encode("latin-1"))
    with pytest.raises(InputError, match="line 2: not UTF-8"):
        run_batch(src, tmp_path / "o.csv", missile="ideal")
    assert not (tmp_path / "o.csv").exists()


# ---------------------------------------------------------------------------------------------
# (4) original values; (5) one schema, provenance
# ---------------------------------------------------------------------------------------------

def test_original_values_kept_and_extra_columns_typed(tmp_path):
    df = _pairs(6)
    df["count"] = pd.array([1, 2, None, 4, 5, 6], dtype="Int64")
    df["weight"] = [0.5, 1, 2, 3, 4, 5.25]
    df["label"] = ["x", "1", "y", "2", "z", "3"]
    df.loc[2, "launch_lat_deg"] = 95.0
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    run_batch(src, tmp_path / "o.parquet", missile="oreshnik", chunk_rows=4)
    got = pq.read_table(tmp_path / "o.parquet")
    assert got.schema.field("count").type == pa.int64() and got.schema.field("weight").type == pa.float64()
    assert got.schema.field("label").type == pa.string()
    g = got.to_pandas()
    assert g["launch_lat_deg"][2] == 95.0 and g["status"][2] == 5  # the bad value stays as given
    assert g["count"].tolist()[:2] == [1, 2] and pd.isna(g["count"][2])
    df.to_parquet(tmp_path / "in.parquet", index=False)
    run_batch(tmp_path / "in.parquet", tmp_path / "o2.parquet", missile="oreshnik")
    assert pd.read_parquet(tmp_path / "o2.parquet")["launch_lat_deg"][2] == 95.0


def test_odd_coordinate_types(tmp_path):
    t = pa.table({
        "launch_lat_deg": pa.array([b"53.3", b"53.3", b"\xff"], type=pa.binary()),
        "launch_lon_deg": pa.array([28, 2**60, 28], type=pa.int64()),
        "target_lat_deg": [52.23] * 3, "target_lon_deg": [21.01] * 3,
        "meta": pa.array([{"a": 1}, {"a": 2}, None], type=pa.struct([("a", pa.int64())])),
        "tags": pa.array([[1, 2], [], None], type=pa.list_(pa.int64())),
    })
    pq.write_table(t, tmp_path / "in.parquet")
    run_batch(tmp_path / "in.parquet", tmp_path / "o.csv", missile="oreshnik")
    got = pd.read_csv(tmp_path / "o.csv", keep_default_na=False)
    assert got["status"].tolist() == [0, 5, 5]
    assert got["launch_lat_deg"].tolist()[:2] == ["53.3", "53.3"]  # decoded text, not hex
    assert "outside [-180, 360]" in got["reason"][1] and "(row 2)" in got["reason"][1]
    assert "not a number" in got["reason"][2] and "(row 3)" in got["reason"][2]
    assert json.loads(got["meta"][0]) == {"a": 1} and json.loads(got["tags"][0]) == [1, 2]


def test_one_result_schema_for_every_entry_point(tmp_path):
    df = _pairs(8)
    r = wt.flight_time(*(df[c] for c in COORD_COLUMNS), missile="iskander-m", trajectory="default")
    assert tuple(r.to_frame().columns) == COORD_COLUMNS + RESULT_COLUMNS
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    for name in ("o.csv", "o.parquet"):
        run_batch(src, tmp_path / name, missile="iskander-m")
        got = pd.read_csv(tmp_path / name) if name.endswith(".csv") else pd.read_parquet(tmp_path / name)
        assert tuple(got.columns) == tuple(df.columns) + RESULT_COLUMNS
        assert set(got["missile"]) == {"iskander-m"} and set(got["trajectory"]) == {r.meta["trajectory"]}
    dd = pytest.importorskip("dask.dataframe")
    from warning_time.dask_api import flight_time_dask

    lazy = flight_time_dask(dd.from_pandas(df, npartitions=2), missile="iskander-m", trajectory="default")
    assert tuple(lazy.columns) == tuple(df.columns) + RESULT_COLUMNS
    assert tuple(lazy.compute(scheduler="sync").columns) == tuple(df.columns) + RESULT_COLUMNS


def test_per_row_missile_takes_its_own_default_trajectory(tmp_path):
    df = _pairs(3)
    df["missile"] = ["iskander-m", "", "oreshnik"]
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    run_batch(src, tmp_path / "o.parquet", missile="oreshnik")
    got = pd.read_parquet(tmp_path / "o.parquet")
    for i, m in enumerate(["iskander-m", "oreshnik", "oreshnik"]):
        ref = wt.flight_time(*(df[c][i] for c in COORD_COLUMNS), missile=m, trajectory="default", on_invalid="nan")
        np.testing.assert_array_equal(got["flight_time_s"][i], ref.flight_time_s)
        assert got["missile"][i] == m and got["trajectory"][i] == ref.meta["trajectory"]
    prov = read_provenance(tmp_path / "o.parquet")
    assert sorted(m["missile"] for m in prov["models"]) == ["iskander-m", "oreshnik"]


def test_provenance_in_every_output(tmp_path):
    from warning_time import __version__
    from warning_time.missiles import load_missiles

    src = tmp_path / "in.csv"
    _pairs(4).to_csv(src, index=False)
    run_batch(src, tmp_path / "o.parquet", missile="oreshnik", band="high", rotation=False, earth="sphere")
    meta = pq.read_metadata(tmp_path / "o.parquet").metadata
    prov = json.loads(meta[METADATA_KEY.encode()])
    assert prov["warning_time_version"] == __version__ and prov["command"] == "batch"
    (m,) = prov["models"]
    assert (m["missile"], m["trajectory"], m["earth"], m["rotation"], m["band"]) == (
        "oreshnik", "minimum-energy", "sphere", False, "high")
    kp = load_missiles()["oreshnik"].kernel_params("high")  # the parameter values actually used
    assert m["parameters_si"]["max_range"] == pytest.approx(kp["max_range"])
    run_batch(src, tmp_path / "o.csv", missile="oreshnik")
    side = json.loads((tmp_path / "o.csv.provenance.json").read_text())
    assert side["models"][0]["missile"] == "oreshnik" and side == read_provenance(tmp_path / "o.csv")
    if (Path(wt.__file__).resolve().parent.parent / ".git").exists():
        assert len(side["git_commit"]) == 40


def test_parquet_nan_override_rows_and_unreadable_wkb(tmp_path):
    t = pa.table({"launch_lat_deg": [53.3, float("nan"), 53.3], "launch_lon_deg": [28.64] * 3,
                  "target_lat_deg": [52.23] * 3, "target_lon_deg": [21.01] * 3,
                  "missile": ["oreshnik", "oreshnik", "nope"],
                  "blob": pa.array([b"\x01\x02", None, b"x"], type=pa.binary())})
    pq.write_table(t, tmp_path / "in.parquet")
    run_batch(tmp_path / "in.parquet", tmp_path / "o.parquet")
    got = pd.read_parquet(tmp_path / "o.parquet")
    assert got["status"].tolist() == [0, 5, 5]
    assert "launch_lat_deg (row 2) is NaN" in got["reason"][1] and "outside" not in got["reason"][1]
    assert "missile='nope'" in got["reason"][2] and "(row 3)" in got["reason"][2]
    # a GeoParquet whose geometry cannot be read is kept as 0x-hex in CSV, not a GEOS traceback
    gpd = pytest.importorskip("geopandas")
    from shapely.geometry import LineString

    g = gpd.GeoDataFrame({"id": [1, 2]}, geometry=[LineString([(28.64, 53.3), (21.01, 52.23)])] * 2, crs="OGC:CRS84")
    g.to_parquet(tmp_path / "g.parquet")
    tab = pq.read_table(tmp_path / "g.parquet")
    wkb = tab.column("geometry").to_pylist()
    wkb[1] = b"\x01\x02\x00"
    tab = tab.set_column(tab.schema.get_field_index("geometry"), "geometry", pa.array(wkb, type=pa.binary()))
    pq.write_table(tab, tmp_path / "g2.parquet")
    run_batch(tmp_path / "g2.parquet", tmp_path / "g.csv", missile="oreshnik")
    out = pd.read_csv(tmp_path / "g.csv")
    assert out["geometry"][0].startswith("LINESTRING") and out["geometry"][1] == "0x010200"
    assert out["status"].tolist() == [0, 5] and "not a LineString" in out["reason"][1]
    # a GeoParquet in another CRS is refused, not read as degrees
    g.to_crs(3857).to_parquet(tmp_path / "merc.parquet")
    with pytest.raises(InputError, match="is in CRS WGS 84 / Pseudo-Mercator"):
        run_batch(tmp_path / "merc.parquet", tmp_path / "m.csv", missile="oreshnik")


@pytest.mark.parametrize("name", ["in.csv", "in.csv.gz"])
def test_fast_and_line_readers_give_the_same_output(tmp_path, monkeypatch, name):
    df = _pairs(700)
    df.loc[3, "launch_lat_deg"] = 95.0
    df["note"] = ["x y"] * 700  # no quote, no blank line: the fast reader
    text = df.to_csv(index=False).encode()
    (tmp_path / name).write_bytes(gzip.compress(text) if name.endswith(".gz") else text)
    seen = []
    real = wb._prescan_csv
    monkeypatch.setattr(wb, "_prescan_csv", lambda *a: seen.append(real(*a)) or seen[-1])
    run_batch(tmp_path / name, tmp_path / "fast.csv", missile="oreshnik", chunk_rows=128)
    monkeypatch.setattr(wb, "_prescan_csv", lambda *a: False)
    run_batch(tmp_path / name, tmp_path / "line.csv", missile="oreshnik", chunk_rows=128)
    assert seen == [True]
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "line.csv").read_bytes()
    got = pd.read_csv(tmp_path / "fast.csv")
    assert len(got) == 700 and "(line 5)" in got["reason"][3]


def test_table_needs_a_missile_and_records_provenance(tmp_path, capsys):
    assert main(["table", "-o", str(tmp_path / "t.csv")]) == 2
    assert "--missile" in capsys.readouterr().err
    assert main(["table", "--missile", "iskander-m", "-o", str(tmp_path / "t.csv")]) == 0
    t = pd.read_csv(tmp_path / "t.csv")
    assert set(t["missile"]) == {"iskander-m"} and set(t["trajectory"]) == {"quasi-ballistic"}
    prov = read_provenance(tmp_path / "t.csv")
    assert prov["command"] == "table" and prov["models"][0]["trajectory"] == "quasi-ballistic"


def test_short_runs_print_no_rate():
    from warning_time.batch import BatchSummary

    assert "rows/s" not in BatchSummary(rows=11, seconds=25.0, out_path="o.csv", out_format="csv").describe()
    assert "40,000 rows/s" in BatchSummary(rows=1_000_000, seconds=25.0, out_path="o.csv",
                                           out_format="csv").describe()
