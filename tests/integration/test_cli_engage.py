"""`warning-time engage`: windows from the command line, the catalog listing, and bad input as
one clear line with exit code 1."""
from __future__ import annotations

import pandas as pd
import pytest

from warning_time import defence as D
from warning_time.cli import main

PAIR = ["53.30", "28.64", "52.52", "13.40"]


def test_engage_writes_the_api_result(tmp_path):
    out = tmp_path / "w.csv"
    assert main(["engage", *PAIR, "--missile", "oreshnik", "--site", "redzikowo", "--site", "holzdorf",
                 "-o", str(out)]) == 0
    got = pd.read_csv(out)
    ref = D.engagement_windows(53.30, 28.64, 52.52, 13.40, missile="oreshnik", site=["redzikowo", "holzdorf"])
    assert list(got["site"]) == ["redzikowo", "holzdorf"]
    pd.testing.assert_series_equal(got["window_s"], ref["window_s"], check_names=False)
    assert list(got["shots"]) == list(ref["shots"])


def test_engage_pairs_file(tmp_path):
    src = tmp_path / "pairs.csv"
    src.write_text("launch_lat_deg,launch_lon_deg,target_lat_deg,target_lon_deg\n53.3,28.64,52.52,13.4\n"
                   "56.85,40.55,55.676,12.568\n", encoding="utf-8")
    out = tmp_path / "w.csv"
    assert main(["engage", "--pairs", str(src), "--missile", "oreshnik", "--site", "redzikowo", "-o", str(out)]) == 0
    assert len(pd.read_csv(out)) == 2


def test_engage_list(capsys):
    assert main(["engage", "--list"]) == 0
    text = capsys.readouterr().out
    assert "sm3-iia" in text and "redzikowo" in text and "NOTIONAL" in text


@pytest.mark.parametrize("argv,needle", [
    (["engage", *PAIR, "--missile", "oreshnik", "--site", "atlantis"], "is not a valid option"),
    (["engage", *PAIR, "--missile", "oreshnik", "--site", "redzikowo", "--interceptor", "sm-9"], "sm3-iia"),
    (["engage", *PAIR, "--missile", "oreshnik"], "--site"),
    (["engage", "--missile", "oreshnik", "--site", "redzikowo"], "LAUNCH_LAT"),
    (["engage", *PAIR, "--missile", "oreshnik", "--site", "holzdorf", "--cueing", "own"], "no own radar"),
])
def test_engage_bad_input_is_one_line(argv, needle, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert needle in err and "\n" not in err and "Traceback" not in err


def test_engage_user_catalog_with_site_off_the_map(tmp_path, capsys):
    text = D.resources.files("warning_time").joinpath("data/interceptors.toml").read_text("utf-8")
    bad = text.replace("lat_deg = 54.479\nlon_deg = 17.097", "lat_deg = 21.3\nlon_deg = -157.9", 1)
    p = tmp_path / "cat.toml"
    p.write_text(bad, encoding="utf-8")
    assert main(["engage", *PAIR, "--missile", "oreshnik", "--site", "redzikowo", "--catalog", str(p)]) == 1
    err = capsys.readouterr().err.strip()
    assert "outside the map" in err and "sites.redzikowo" in err and "\n" not in err
