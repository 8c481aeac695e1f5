"""Streaming batch runs (warning_time.batch / `warning-time batch`): CSV, Parquet and GeoParquet
in and out, per-row overrides, malformed input, atomic output."""
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import warning_time as wt
from warning_time.batch import COORD_COLUMNS, RESULT_COLUMNS, run_batch
from warning_time.flight import FlightResult
from warning_time.cli import main
from warning_time.errors import InputError


def _pairs(n, seed=3):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "id": [f"p{i}" for i in range(n)],
        "launch_lat_deg": rng.uniform(51, 56, n), "launch_lon_deg": rng.uniform(23, 32, n),
        "target_lat_deg": rng.uniform(36, 65, n), "target_lon_deg": rng.uniform(-10, 40, n),
    })


def _direct(df, **kw):
    return wt.flight_time(*(df[c].to_numpy(dtype=float) for c in COORD_COLUMNS), on_invalid="nan", **kw)


def _no_leftovers(out: Path):
    return not list(out.parent.glob(f".{out.name}.*"))


@pytest.mark.parametrize("out_name", ["out.csv", "out.parquet", "out.geoparquet"])
@pytest.mark.parametrize("in_name", ["in.csv", "in.parquet"])
def test_formats_roundtrip_match_api(tmp_path, in_name, out_name):
    df = _pairs(700)
    src = tmp_path / in_name
    df.to_csv(src, index=False) if in_name.endswith(".csv") else df.to_parquet(src, index=False)
    out = tmp_path / out_name
    s = run_batch(src, out, chunk_rows=256, missile="oreshnik")
    assert s.rows == 700 and s.chunks == 3 and sum(s.status_counts.values()) == 700
    got = pd.read_csv(out) if out_name.endswith(".csv") else pd.read_parquet(out)
    assert list(got["id"]) == list(df["id"])
    r = _direct(df, missile="oreshnik")
    for c in FlightResult.NUMBERS:
        np.testing.assert_allclose(got[c].to_numpy(dtype=float), r[c], rtol=1e-12, equal_nan=True, err_msg=c)
    np.testing.assert_array_equal(got["status"], r.status)
    assert (r.status != 0).any() and (r.status == 0).any()  # both kinds of row are exercised
    assert _no_leftovers(out)


def test_geoparquet_output_and_input(tmp_path):
    gpd = pytest.importorskip("geopandas")
    df = _pairs(50)
    df.loc[7, "launch_lat_deg"] = 95.0
    src = tmp_path / "in.parquet"
    df.to_parquet(src, index=False)
    out = tmp_path / "out.geoparquet"
    assert main(["batch", str(src), "-o", str(out), "--missile", "oreshnik", "--no-progress"]) == 0
    g = gpd.read_parquet(out)
    assert g.crs is not None and g.crs.equals("OGC:CRS84")
    assert g.geometry.iloc[0].geom_type == "LineString"
    assert list(g.geometry.iloc[0].coords) == [(df.launch_lon_deg[0], df.launch_lat_deg[0]),
                                               (df.target_lon_deg[0], df.target_lat_deg[0])]
    assert g.geometry.iloc[7] is None and g["status"].iloc[7] == 5  # bad row: no geometry, status
    # GeoParquet in (geometry only, no coordinate columns) -> same numbers; metadata carried through
    g2 = g[["id", "geometry"]].drop(index=7)
    g2.to_parquet(tmp_path / "lines.parquet")
    assert main(["batch", str(tmp_path / "lines.parquet"), "-o", str(tmp_path / "again.parquet"),
                 "--missile", "oreshnik"]) == 0
    again = gpd.read_parquet(tmp_path / "again.parquet")
    np.testing.assert_allclose(again["flight_time_s"], g["flight_time_s"].drop(index=7), rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(again["launch_lat_deg"], df["launch_lat_deg"].drop(index=7))
    # ... and to CSV, where the geometry becomes WKT
    assert main(["batch", str(tmp_path / "lines.parquet"), "-o", str(tmp_path / "again.csv"), "--missile", "ideal"]) == 0
    assert pd.read_csv(tmp_path / "again.csv")["geometry"].iloc[0].startswith("LINESTRING (")


def test_per_row_overrides_grouped_in_original_order(tmp_path):
    df = _pairs(40)
    df["missile"] = np.where(np.arange(40) % 3 == 0, "oreshnik", np.where(np.arange(40) % 3 == 1, "", "iskander-m"))
    df["trajectory"] = np.where(np.arange(40) % 4 == 0, "lofted", "")
    df["trajectory_apogee_km"] = ""
    df.loc[5, ["missile", "trajectory", "trajectory_apogee_km"]] = ["oreshnik", "apogee", "900"]
    df["rotation"] = np.where(np.arange(40) % 5 == 0, "false", "")
    df.loc[11, "missile"] = "no-such-missile"
    df.loc[13, "rotation"] = "maybe"
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    out = tmp_path / "out.parquet"
    run_batch(src, out, chunk_rows=16, missile="ideal", trajectory="minimum-energy")
    got = pd.read_parquet(out)
    assert list(got["id"]) == list(df["id"])
    for i, row in df.iterrows():
        if i in (11, 13):
            continue
        kw = dict(missile=row.missile or "ideal", trajectory=row.trajectory or "minimum-energy",
                  rotation=row.rotation != "false")
        if row.trajectory_apogee_km:
            kw["apogee_km"] = float(row.trajectory_apogee_km)
        try:
            r = wt.flight_time(*(row[c] for c in COORD_COLUMNS), on_invalid="nan", **kw)
        except InputError as exc:  # e.g. a lofted ideal missile: the whole group is bad input
            assert got["status"].iloc[i] == 5 and str(exc) in got["reason"].iloc[i]
            continue
        np.testing.assert_allclose(got["flight_time_s"].iloc[i], float(r.flight_time_s), rtol=1e-12,
                                   equal_nan=True, err_msg=str(i))
        assert got["status"].iloc[i] == int(r.status)
    assert got["status"].iloc[11] == 5 and "no-such-missile" in got["reason"].iloc[11]
    assert got["status"].iloc[13] == 5 and "rotation" in got["reason"].iloc[13]
    assert np.isnan(got["flight_time_s"].iloc[[11, 13]]).all()


def test_bad_cells_keep_their_rows_with_reasons(tmp_path):
    df = _pairs(6).astype(str)
    df.loc[1, "target_lon_deg"] = "east"
    df.loc[2, "launch_lat_deg"] = "95"
    df.loc[3, "target_lat_deg"] = ""
    df.loc[4, "launch_lon_deg"] = " 27.5 "  # padded numbers are numbers
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    out = tmp_path / "out.csv"
    run_batch(src, out, chunk_rows=4, missile="ideal")
    got = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert len(got) == 6 and got["status"].tolist()[1:5] == [5, 5, 5, 0]
    assert "target_lon_deg = 'east' (line 3) is not a number" in got["reason"].iloc[1]
    assert "launch_lat_deg = 95.0 (line 4) is outside [-90, 90]" in got["reason"].iloc[2]
    assert "target_lat_deg (line 5) is empty" in got["reason"].iloc[3]
    assert got["launch_lat_deg"].iloc[2] == 95  # the input text is kept in CSV output


def test_parquet_string_and_null_cells(tmp_path):
    t = pa.table({"launch_lat_deg": pa.array(["53.3", "x", None]), "launch_lon_deg": [28.64, 28.64, 28.64],
                  "target_lat_deg": pa.array([52.23, None, 52.23]), "target_lon_deg": [21.01, 21.01, 21.01]})
    pq.write_table(t, tmp_path / "in.parquet")
    run_batch(tmp_path / "in.parquet", tmp_path / "out.parquet", missile="ideal")
    got = pd.read_parquet(tmp_path / "out.parquet")
    assert got["status"].tolist() == [0, 5, 5]
    assert "launch_lat_deg = 'x' (row 2) is not a number" in got["reason"].iloc[1]
    assert "launch_lat_deg (row 3) is empty" in got["reason"].iloc[2]
    assert got["launch_lat_deg"].dtype == np.float64  # binary formats carry the parsed numbers


def test_byte_order_mark_and_categorical_columns(tmp_path):
    df = _pairs(5)
    (tmp_path / "in.csv").write_bytes(b"\xef\xbb\xbf" + df.to_csv(index=False).encode())
    run_batch(tmp_path / "in.csv", tmp_path / "a.parquet", missile="ideal")
    df["launch_lat_deg"] = df["launch_lat_deg"].astype(str).astype("category")
    df.to_parquet(tmp_path / "in.parquet")
    run_batch(tmp_path / "in.parquet", tmp_path / "b.parquet", missile="ideal")
    a, b = pd.read_parquet(tmp_path / "a.parquet"), pd.read_parquet(tmp_path / "b.parquet")
    assert (a["status"] == 0).all()
    np.testing.assert_array_equal(a["flight_time_s"], b["flight_time_s"])


LONG = 100_000_000  # a 100 MB line


@pytest.mark.parametrize("case", ["empty", "header-only", "missing-column", "too-many-fields", "unbalanced-quote",
                                  "not-parquet", "parquet-no-rows", "parquet-missing-column", "directory"])
def test_malformed_input_is_a_clear_error_and_writes_nothing(tmp_path, capsys, case):
    head = ",".join(COORD_COLUMNS) + "\n"
    ok = "53.3,28.64,52.23,21.01\n"
    src = tmp_path / "in.csv"
    needle = {"empty": "empty", "header-only": "no rows", "missing-column": "target_lon_deg",
              "too-many-fields": "line 3: 100,000,004 fields, the header (line 1) has 4: too many fields", "unbalanced-quote": "line 3: a quoted field never closes",
              "not-parquet": "not a readable Parquet", "parquet-no-rows": "no rows",
              "parquet-missing-column": "launch_lon_deg", "directory": "directory"}[case]
    if case == "empty":
        src.write_text("")
    elif case == "header-only":
        src.write_text(head)
    elif case == "missing-column":
        src.write_text("launch_lat_deg,launch_lon_deg,target_lat_deg\n1,2,3\n")
    elif case == "too-many-fields":  # a 100 MB line of delimiters
        with open(src, "w") as fh:
            fh.write(head + ok + "53.3,28.64,52.23," + "," * LONG + "\n" + ok)
    elif case == "unbalanced-quote":
        src.write_text(head + ok + '53.3,28.64,52.23,"21.01\n' + ok * 3)
    elif case == "not-parquet":
        src.write_bytes(b"PAR1" + b"\x00" * 100)
    elif case == "parquet-no-rows":
        _pairs(3).iloc[:0].to_parquet(src)
    elif case == "parquet-missing-column":
        _pairs(3).drop(columns="launch_lon_deg").to_parquet(src)
    elif case == "directory":
        src = tmp_path / "adir"
        src.mkdir()
    out = tmp_path / "out.csv"
    out.write_text("previous result\n")  # an existing output survives a failed run untouched
    assert main(["batch", str(src), "-o", str(out), "--missile", "ideal"]) == 1
    err = capsys.readouterr().err
    assert needle in err and str(src) in err and "Traceback" not in err
    assert out.read_text() == "previous result\n" and _no_leftovers(out)


def test_100mb_cell_is_a_per_row_status_not_a_traceback(tmp_path):
    head = ",".join(COORD_COLUMNS) + ",note\n"
    ok = "53.3,28.64,52.23,21.01,x\n"
    src = tmp_path / "in.csv"
    with open(src, "w") as fh:
        fh.write(head + ok + "53.3,28.64,52.23,1" + "x" * LONG + ",x\n" + ok)
    out = tmp_path / "out.parquet"
    s = run_batch(src, out, chunk_rows=2, missile="ideal")
    assert s.rows == 3
    got = pq.read_table(out, columns=["status", "reason", "note"]).to_pandas()
    assert got["status"].tolist() == [0, 5, 0] and got["note"].tolist() == ["x"] * 3
    reason = got["reason"].iloc[1]
    assert "target_lon_deg" in reason and "(line 3)" in reason and "100,000,001 characters" in reason
    assert len(reason) < 300


def test_memory_stays_bounded_over_many_chunks(tmp_path):
    # Arrow memory in use after each chunk stays a small fraction of the input (with
    # ParquetFile's pre-buffering the whole file, or every row group read so far, stayed in memory)
    df = _pairs(400_000)
    table = pa.Table.from_pandas(df, preserve_index=False)
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=20_000)
    nbytes = table.nbytes
    del table, df
    base = pa.total_allocated_bytes()
    used = []
    run_batch(tmp_path / "in.parquet", tmp_path / "out.parquet", chunk_rows=10_000, missile="ideal",
              on_chunk=lambda i, rows: used.append(pa.total_allocated_bytes() - base))
    assert len(used) == 40
    assert max(used) < 0.25 * nbytes, f"{max(used) / 1e6:.1f} MB of Arrow memory for {nbytes / 1e6:.1f} MB of input"


def test_interrupted_run_leaves_no_output(tmp_path):
    df = _pairs(100)
    src = tmp_path / "in.parquet"
    df.to_parquet(src)
    out = tmp_path / "out.parquet"

    def stop(i, rows):
        if i == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(src, out, chunk_rows=10, on_chunk=stop, missile="ideal")
    assert not out.exists() and _no_leftovers(out)


def test_bad_options_are_input_errors(tmp_path, capsys):
    src = tmp_path / "in.csv"
    _pairs(3).to_csv(src, index=False)
    out = str(tmp_path / "o.csv")
    assert main(["batch", str(src), "-o", out, "--missile", "nope"]) == 1
    assert "missile='nope'" in capsys.readouterr().err
    assert main(["batch", str(src), "-o", out]) == 1  # no missile: no textbook default
    assert "no missile" in capsys.readouterr().err
    assert main(["batch", str(src), "-o", out, "--chunk-rows", "0"]) == 1
    assert main(["batch", str(src), "-o", out, "--dask", "cluster"]) == 1
    assert "local:N" in capsys.readouterr().err
    assert main(["batch", str(src), "-o", out, "--dask", "local:2", "--scheduler", "tcp://x:1"]) == 2
    assert main(["batch", str(src), "-o", out, "--output-format", "xlsx"]) == 2
    assert not Path(out).exists()


def test_progress_bar_and_summary(tmp_path, capsys):
    src = tmp_path / "in.csv"
    _pairs(50).to_csv(src, index=False)
    assert main(["batch", str(src), "-o", str(tmp_path / "o.csv"), "--progress", "--chunk-rows", "10",
                 "--missile", "ideal"]) == 0
    err = capsys.readouterr().err
    assert "rows/s" in err and "wrote 50 rows" in err


def test_help_has_an_example_for_every_command(capsys):
    import re

    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    commands = re.search(r"\{([a-z,]+)\}", text).group(1).split(",")
    assert {"brief", "flight", "table", "batch", "report", "missiles", "places", "versions"} <= set(commands)
    for cmd in commands:
        assert main([cmd, "--help"]) == 0
        assert f"warning-time {cmd}" in capsys.readouterr().out.split("example")[-1], cmd


def test_places_and_versions(tmp_path, capsys):
    assert main(["places"]) == 0
    text = capsys.readouterr().out
    assert "NOTIONAL" in text and "Asipovichy" in text and "Warsaw" in text and "fylingdales" in text
    assert main(["places", "--kind", "targets", "-o", str(tmp_path / "t.csv")]) == 0
    t = pd.read_csv(tmp_path / "t.csv")
    assert set(t["kind"]) == {"target"} and t["source"].notna().all() and "Warsaw" in set(t["name"])
    assert main(["places", "--kind", "volcanoes"]) == 2
    assert main(["versions"]) == 0
    text = capsys.readouterr().out
    assert "pyarrow" in text and "dask" in text and "warning_time" in text


def test_installed_entry_point_batch_parquet(tmp_path):
    exe = shutil.which("warning-time") or str(Path(sys.executable).parent / "warning-time")
    src = tmp_path / "in.parquet"
    _pairs(30).to_parquet(src)
    out = tmp_path / "out.geoparquet"
    r = subprocess.run([exe, "batch", str(src), "-o", str(out), "--missile", "oreshnik"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "wrote 30 rows" in r.stderr and len(pq.read_table(out)) == 30
    r = subprocess.run([exe, "batch", str(tmp_path / "missing.csv"), "-o", str(out)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 1 and "missing.csv" in r.stderr and "Traceback" not in r.stderr
