"""`warning-time map` options: every one is checked before anything is computed (a misspelt
name fails at once, naming the valid choices), and ``--missile`` changes the class the whole map
is drawn for (isochrones, compression and popups: the analysis of a scenario with that class)."""
from __future__ import annotations

import pandas as pd
import pytest

from warning_time import study
from warning_time.cli import main, map_scenario
from warning_time.places import load_targets


@pytest.fixture
def no_compute(monkeypatch):
    """Fails the test if an analysis is started (options must be refused before it)."""
    def boom(*a, **k):
        raise AssertionError("an analysis was started before the options were checked")
    monkeypatch.setattr(study.Analysis, "__init__", boom)


@pytest.mark.parametrize("argv, words", [
    (["--missile", "oreshnk"], ["'oreshnk'", "oreshnik", "iskander-m"]),
    (["--rings", "iskander"], ["'iskander'", "iskander-m"]),
    (["--layers", "isochrones,tagrets"], ["'tagrets'", "targets", "footprints"]),
    (["--levels-min", "0", "8"], ["--levels-min"]),
    (["--extent", "42,36,-12,66"], ["--extent", "W,S,E,N"]),
    (["--extent", "a,b"], ["--extent"]),
    (["--size", "800by500", "--png", "x.png"], ["--size", "800x500"]),
    (["--embed", "10x10"], ["--embed", "50-10000"]),
    (["--scale", "9", "--png", "x.png"], ["--scale"]),
    (["--res-deg", "0"], ["--res-deg"]),
])
def test_bad_options_fail_before_any_computation(tmp_path, capsys, no_compute, argv, words):
    out = tmp_path / "m.html"
    assert main(["map", *argv, "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    for w in words:
        assert w in err, (w, err)
    assert not out.exists()


@pytest.mark.parametrize("opt", ["--pdf", "--png"])
def test_missing_chromium_is_one_line_before_any_computation(tmp_path, capsys, no_compute, monkeypatch, opt):
    import warning_time.maps as maps

    monkeypatch.setattr(maps, "find_chromium", lambda: None)
    out = tmp_path / "m.html"
    assert main(["map", opt, str(tmp_path / "x"), "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert opt in err and "Chromium" in err and "chromium" in err, err
    assert not out.exists() and not (tmp_path / "x").exists()
    with pytest.raises(maps.InputError, match="Chromium"):
        maps.map_pdf(out, tmp_path / "x.pdf")


def test_report_pdf_without_chromium_is_one_line_before_any_computation(tmp_path, capsys, no_compute,
                                                                        monkeypatch):
    import warning_time.browser as browser

    monkeypatch.setattr(browser, "find_chromium", lambda: None)
    assert main(["report", "--pdf", "-o", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err and "--pdf" in err and "Chromium" in err, err
    assert not (tmp_path / "r" / "report.html").exists()
    with pytest.raises(browser.InputError, match="Chromium"):
        browser.html_pdf(tmp_path / "x.html", tmp_path / "x.pdf")


def test_trajectory_choices_are_checked_by_the_parser(tmp_path, capsys, no_compute):
    assert main(["map", "--trajectory", "lofed", "-o", str(tmp_path / "m.html")]) == 2
    err = capsys.readouterr().err
    assert "lofted" in err and "minimum-energy" in err


def test_user_targets_missing_columns_all_named_before_computation(tmp_path, capsys, no_compute):
    t = pd.DataFrame(load_targets().drop(columns="geometry")).drop(columns=["kind", "population"])
    t.to_csv(tmp_path / "t.csv", index=False)
    assert main(["map", "--targets", str(tmp_path / "t.csv"), "-o", str(tmp_path / "m.html")]) == 1
    err = capsys.readouterr().err
    assert "missing columns kind, population" in err


def test_missile_option_replaces_the_drawn_class():
    sc = map_scenario(None, missile="iskander-m")
    assert sc["irbm"]["missile"] == "iskander-m"
    assert sc["irbm"]["trajectory"] == "default"  # the class's own trajectory, resolved by the analysis
    base = map_scenario(None)
    assert base["irbm"]["missile"] == "oreshnik"
    assert sc["_hash"] != base["_hash"]  # the change is stated in the scenario hash the map prints
