"""The warning-time CLI, in-process (main(argv)) and through the installed entry point."""
import os
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import warning_time as wt
from warning_time.cli import main

PAIRS = pd.DataFrame({
    "id": ["a", "b", "c", "d"],
    "launch_lat_deg": [53.30, 53.70, 48.58, 53.30],
    "launch_lon_deg": [28.64, 31.71, 45.72, 28.64],
    "target_lat_deg": [52.23, 51.51, 48.46, 38.90],
    "target_lon_deg": [21.01, -0.13, 35.05, -77.04],
})


def test_batch_roundtrip_matches_api(tmp_path):
    src = tmp_path / "in.csv"
    PAIRS.to_csv(src, index=False)
    out = tmp_path / "out.csv"
    assert main(["batch", str(src), "-o", str(out), "--missile", "oreshnik"]) == 0
    df = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert len(df) == len(PAIRS) and list(df["id"]) == list(PAIRS["id"])
    direct = wt.flight_time(PAIRS.launch_lat_deg, PAIRS.launch_lon_deg, PAIRS.target_lat_deg,
                            PAIRS.target_lon_deg, missile="oreshnik")
    np.testing.assert_allclose(df["flight_time_s"], direct.flight_time_s, rtol=1e-12, equal_nan=True)
    # Washington is beyond 5,500 km: NaN, status 1, max range in the reason
    assert df["status"].iloc[3] == 1 and "5512" in df["reason"].iloc[3]


def test_batch_small_chunks_same_output(tmp_path):
    src = tmp_path / "in.csv"
    PAIRS.to_csv(src, index=False)
    assert main(["batch", str(src), "-o", str(tmp_path / "a.csv"), "--missile", "ideal"]) == 0
    assert main(["batch", str(src), "-o", str(tmp_path / "b.csv"), "--missile", "ideal", "--chunk-rows", "1"]) == 0
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()


def test_batch_non_numeric_cell_keeps_row(tmp_path):
    bad = PAIRS.copy().astype(str)
    bad.loc[1, "target_lon_deg"] = "east"
    bad.loc[2, "launch_lat_deg"] = "95"
    src = tmp_path / "in.csv"
    bad.to_csv(src, index=False)
    out = tmp_path / "out.csv"
    assert main(["batch", str(src), "-o", str(out), "--missile", "ideal"]) == 0
    df = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert len(df) == 4
    assert df["status"].tolist()[1:3] == [5, 5]
    assert "target_lon_deg" in df["reason"].iloc[1] and "line 3" in df["reason"].iloc[1]
    assert np.isnan(df["flight_time_s"].iloc[1]) and np.isfinite(df["flight_time_s"].iloc[0])


@pytest.mark.parametrize("content,needle", [
    ("", "empty"),
    ("launch_lat_deg,launch_lon_deg,target_lat_deg,target_lon_deg\n", "no rows"),
    ("launch_lat_deg,launch_lon_deg,target_lat_deg\n1,2,3\n", "target_lon_deg"),
])
def test_batch_malformed_input_is_a_clear_error(tmp_path, capsys, content, needle):
    src = tmp_path / "in.csv"
    src.write_text(content)
    out = tmp_path / "out.csv"
    assert main(["batch", str(src), "-o", str(out), "--missile", "ideal"]) == 1
    err = capsys.readouterr().err
    assert needle in err and str(src) in err
    assert not out.exists() and not list(tmp_path.glob(".out.part.*"))  # nothing half-written


def test_usage_and_missing_file_exit_codes(tmp_path, capsys):
    assert main(["batch"]) == 2
    assert main(["nonsense"]) == 2
    assert main(["batch", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv")]) == 1
    assert main(["flight", "95", "0", "0", "1"]) == 2  # --missile is required: no textbook default
    assert main(["flight", "95", "0", "0", "1", "--missile", "ideal"]) == 1
    assert "launch_lat_deg[0] = 95.0" in capsys.readouterr().err


def test_missiles_and_table(capsys, tmp_path):
    assert main(["missiles"]) == 0
    text = capsys.readouterr().out
    for key in ("ideal", "iskander-m", "oreshnik"):
        assert key in text
    assert main(["table", "--missile", "oreshnik", "-o", str(tmp_path / "t.csv")]) == 0
    t = pd.read_csv(tmp_path / "t.csv")
    assert {"launch_point", "target", "flight_time_s", "status"} <= set(t.columns)
    assert "NOTIONAL" in capsys.readouterr().out


@pytest.mark.parametrize("cmd", [["warning-time"], [sys.executable, "-m", "warning_time"]])
def test_installed_entry_points(cmd, tmp_path):
    if cmd[0] == "warning-time":
        exe = shutil.which("warning-time") or str(__import__("pathlib").Path(sys.executable).parent / "warning-time")
        cmd = [exe]
    r = subprocess.run(cmd + ["flight", "53.30", "28.64", "52.23", "21.01", "--missile", "ideal"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "flight_time_s" in r.stdout
    r = subprocess.run(cmd + ["--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "brief" in r.stdout


def test_written_files_are_readable_by_others(tmp_path):
    import os
    import stat

    src = tmp_path / "in.csv"
    PAIRS.to_csv(src, index=False)
    out = tmp_path / "out.csv"
    old = os.umask(0o022)
    try:
        assert main(["batch", str(src), "-o", str(out), "--missile", "ideal"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_batch_to_stdout_through_a_pipe(tmp_path):
    """`warning-time batch in.csv -o - --progress | reader`: only the CSV on stdout, nothing named '-'."""
    exe = shutil.which("warning-time") or str(__import__("pathlib").Path(sys.executable).parent / "warning-time")
    src = tmp_path / "in.csv"
    PAIRS.to_csv(src, index=False)
    reader = ("import sys, pandas as pd\n"
              "df = pd.read_csv(sys.stdin, keep_default_na=False, na_values=[''])\n"
              "print(len(df), ','.join(df['id']), ','.join(map(str, df['status'])))\n")
    p1 = subprocess.Popen([exe, "batch", str(src), "-o", "-", "--missile", "oreshnik", "--progress"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    p2 = subprocess.Popen([sys.executable, "-c", reader], stdin=p1.stdout, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    p1.stdout.close()
    out, err2 = p2.communicate(timeout=300)
    err1 = p1.stderr.read().decode()
    p1.stderr.close()
    assert p1.wait(timeout=60) == 0, err1
    assert p2.returncode == 0, err2
    assert out.split() == ["4", "a,b,c,d", "0,0,0,1"]
    assert "wrote 4 rows to standard output" in err1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_dash_output_in_process(tmp_path, capfd, monkeypatch):
    import io

    monkeypatch.chdir(tmp_path)
    src = tmp_path / "in.csv"
    PAIRS.to_csv(src, index=False)
    assert main(["batch", str(src), "-o", str(tmp_path / "file.csv"), "--missile", "ideal", "--no-progress"]) == 0
    capfd.readouterr()
    assert main(["batch", str(src), "-o", "-", "--missile", "ideal", "--progress"]) == 0
    cap = capfd.readouterr()
    assert cap.out == (tmp_path / "file.csv").read_text() and "wrote 4 rows" in cap.err
    assert main(["table", "--missile", "oreshnik", "-o", "-"]) == 0
    cap = capfd.readouterr()
    t = pd.read_csv(io.StringIO(cap.out))
    assert {"launch_point", "target", "flight_time_s"} <= set(t.columns) and "NOTIONAL" in cap.err
    for argv in (["brief", "-o", "-"], ["report", "-o", "-"], ["isochrones", "-o", "-"]):
        assert main(argv) == 1
        cap = capfd.readouterr()
        assert "-o -" in cap.err and "standard output" in cap.err and cap.out == ""
    assert not os.path.lexists(tmp_path / "-")


def test_cli_output_path_errors_are_clear(tmp_path, capsys):
    src = tmp_path / "in.csv"
    PAIRS.to_csv(src, index=False)
    assert main(["batch", str(src), "-o", str(tmp_path)]) == 1
    assert "is a directory" in capsys.readouterr().err
    assert main(["batch", str(src), "-o", str(src / "out.csv")]) == 1
    err = capsys.readouterr().err
    assert "not a directory" in err and "Traceback" not in err
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "target.csv")
    assert main(["batch", str(src), "-o", str(link), "--missile", "ideal"]) == 0
    assert link.is_symlink() and len(pd.read_csv(tmp_path / "target.csv")) == 4


@pytest.mark.parametrize("argv", [["missiles"], ["places"]])
def test_listings_fit_a_100_column_terminal(argv, capsys, monkeypatch):
    """The listings print no line wider than the terminal (100 columns here); the keys stay whole."""
    monkeypatch.setenv("COLUMNS", "100")
    assert main(argv) == 0
    out = capsys.readouterr()
    lines = (out.out + out.err).splitlines()
    assert len(lines) > 10 and max(len(x) for x in lines) <= 100
    text = out.out + out.err
    for key in (("generic-irbm-liquid", "oreshnik", "quasi-ballistic") if argv == ["missiles"] else
                ("Asipovichy", "Kaliningrad", "space-infrared")):
        assert key in text
