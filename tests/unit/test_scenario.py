"""The scenario file: every malformed case is one InputError naming its key path (and the
closest valid key for a typo), every default is stated, the shipped scenarios validate, the
effective scenario reads back to the same hash, and parameter overrides reach the computation."""
from __future__ import annotations

import math
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

import warning_time as wt
from warning_time.cli import main
from warning_time.errors import InputError
from warning_time.places import load_sensors
from warning_time.scenario import (PAPER_AEGIS_SITES, PAPER_PRESSURE_COUNTRIES, load_scenario, scenario_hash,
                                   show, to_toml)

PAPER = resources.files("warning_time").joinpath("data/scenarios/paper.toml").read_text("utf-8")
DD_LINE = next(ln for ln in PAPER.splitlines() if ln.startswith("decision_delay_s = "))


def edit(old: str, new: str, text: str = PAPER) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def drop_line(prefix: str, text: str = PAPER) -> str:
    lines = [ln for ln in text.splitlines() if not ln.startswith(prefix)]
    assert len(lines) == len(text.splitlines()) - 1, prefix
    return "\n".join(lines) + "\n"


# (case id, scenario text, field of the error, text the one-line message must contain)
MALFORMED = [
    ("decision_delay_scalar", edit(DD_LINE, "decision_delay_s = 60"), "warning.decision_delay_s",
     "must be a band table"),
    ("decision_delay_nominal_only", edit(DD_LINE, "decision_delay_s = {nominal = 0}"),
     "warning.decision_delay_s.low", "required key missing"),
    ("decision_delay_negative", edit(DD_LINE, 'decision_delay_s = {low = -180, nominal = -180, high = -180, '
                                     'source = "x"}'), "warning.decision_delay_s", "cannot be negative"),
    ("decision_delay_inverted", edit(DD_LINE, 'decision_delay_s = {low = 100, nominal = 50, high = 10, source = "x"}'),
     "warning.decision_delay_s", "low <= nominal <= high"),
    ("decision_delay_nan", edit(DD_LINE, 'decision_delay_s = {low = nan, nominal = nan, high = nan, source = "x"}'),
     "warning.decision_delay_s.low", "finite"),
    ("decision_delay_inf", edit(DD_LINE, 'decision_delay_s = {low = 0, nominal = 0, high = inf, source = "x"}'),
     "warning.decision_delay_s.high", "finite"),
    ("missile_band_inverted", PAPER + '\n[missiles.oreshnik]\nburn_time_s = {low = 100, nominal = 50, high = 10, '
     'source = "x"}\n', "missiles.oreshnik.burn_time_s", "low <= nominal <= high"),
    ("missile_band_nan", PAPER + '\n[missiles.oreshnik]\nburn_time_s = {low = nan, nominal = 150, high = 180, '
     'source = "x"}\n', "missiles.oreshnik.burn_time_s", "nan"),
    ("missile_value_nan", PAPER + "\n[missiles.oreshnik]\nburn_time_s = nan\n", "missiles.oreshnik.burn_time_s",
     "nan"),
    ("rotation_string", edit("rotation = true", 'rotation = "yes"'), "scenario.rotation", "true or false"),
    ("seed_string", edit("seed = 1", 'seed = "abc"'), "uncertainty.seed", "integer"),
    ("seed_negative", edit("seed = 1", "seed = -1"), "uncertainty.seed", "greater than or equal to 0"),
    ("draws_zero", edit("draws = 100 ", "draws = 0 "), "uncertainty.draws", "greater than or equal to 1"),
    ("trajectory_sideways", edit('trajectory = "minimum-energy"', 'trajectory = "sideways"'), "irbm.trajectory",
     "'sideways' is unknown"),
    ("trajectory_cruise_on_ballistic", edit('trajectory = "minimum-energy"', 'trajectory = "cruise"'),
     "irbm.trajectory", "ballistic"),
    ("trajectory_set_member", edit('trajectories = ["depressed"', 'trajectories = ["lofed"'),
     "irbm.trajectories[0]", "did you mean 'lofted'"),
    ("aegis_nowhere", edit('aegis_sites = ["Redzikowo Aegis Ashore", "Deveselu Aegis Ashore"]',
                           'aegis_sites = ["Nowhere"]'), "scenario.aegis_sites[0]", "'Nowhere'"),
    ("launch_areas_string", edit('launch_areas = ["Asipovichy", "Krychaw", "Baranavichy", "Lida-Hrodna", '
                                 '"Mazyr-Homel", "Brest-Kobryn", "Slutsk-Pavlovka"]', 'launch_areas = "Krychaw"'),
     "scenario.launch_areas", 'e.g. ["Krychaw"]'),
    ("launch_area_unknown", edit('"Asipovichy", "Krychaw"', '"Atlantis", "Krychaw"'), "scenario.launch_areas",
     "unknown area(s) ['Atlantis']"),
    ("launch_area_misspelt", edit('"Asipovichy", "Krychaw"', '"Krychav", "Asipovichy"'), "scenario.launch_areas",
     "did you mean 'Krychaw'"),
    ("area_in_both_lists", edit('"Asipovichy", "Krychaw"', '"Asipovichy", "Kaliningrad"'),
     "scenario.baseline_areas[0]", "not both"),
    ("interior_not_a_baseline", edit('interior_baseline_areas = ["Luga-Pskov"', 'interior_baseline_areas = ["Krychaw"'),
     "scenario.interior_baseline_areas[0]", "baseline_areas"),
    ("pressure_country_unknown", edit('pressure_countries = ["POL"', 'pressure_countries = ["POX"'),
     "scenario.pressure_countries[0]", "did you mean 'POL'"),
    ("sensor_unknown", edit('sensors = ["space-infrared"', 'sensors = ["space-infrard"'), "warning.sensors[0]",
     "did you mean 'space-infrared'"),
    ("launch_areas_empty", edit('launch_areas = ["Asipovichy", "Krychaw", "Baranavichy", "Lida-Hrodna", '
                                '"Mazyr-Homel", "Brest-Kobryn", "Slutsk-Pavlovka"]', "launch_areas = []"),
     "scenario.launch_areas", "at least 1"),
    ("launch_areas_missing", drop_line("launch_areas = "), "scenario.launch_areas", "required key missing"),
    ("irbm_table_missing", edit('[irbm]\nmissile = "oreshnik"\ntrajectory = "minimum-energy"\n'
                                'trajectories = ["depressed", "minimum-energy", "lofted"]\n', ""), "irbm",
     "[irbm]: required table missing"),
    ("missile_missing", edit('[srbm]\nmissile = "iskander-m"\n', "[srbm]\n"), "srbm.missile", "required key missing"),
    ("missile_unknown", edit('missile = "oreshnik"', 'missile = "oreshnick"'), "irbm.missile",
     "did you mean 'oreshnik'"),
    # typos and unknown keys: the path and the closest valid key
    ("typo_draw", edit("draws = 100 ", "draw = 30 "), "uncertainty.draw", "did you mean 'draws'"),
    ("typo_earth", edit('earth = "wgs84"', 'eart = "wgs84"'), "scenario.eart", "did you mean 'earth'"),
    ("typo_table", edit("[uncertainty]", "[uncertainity]"), "uncertainity", "did you mean 'uncertainty'"),
    ("typo_band_key", PAPER + '\n[missiles.oreshnik]\nburn_time_s = {low = 120, nominal = 150, hihg = 180, '
     'source = "x"}\n', "missiles.oreshnik.burn_time_s.hihg", "did you mean 'high'"),
    ("typo_class_parameter", PAPER + "\n[missiles.oreshnik]\nmax_rnge_km = 4000\n", "missiles.oreshnik.max_rnge_km",
     "did you mean 'max_range_km'"),
    ("typo_class_name", PAPER + "\n[missiles.oreshnick]\nmax_range_km = 4000\n", "missiles.oreshnick",
     "did you mean 'oreshnik'"),
    ("parameter_under_run", edit('missile = "oreshnik"\n', 'missile = "oreshnik"\nmax_range_km = 4000\n'),
     "irbm.max_range_km", "[missiles.oreshnik]"),
    ("inline_area_typo", edit('"Asipovichy", "Krychaw"', '{ name = "X", lat_deg = 53, lon_deg = 28, radius = 30 }, '
                              '"Krychaw"'), "scenario.launch_areas[0].radius", "did you mean 'radius_km'"),
    ("inline_area_radius", edit('"Asipovichy", "Krychaw"', '{ name = "X", lat_deg = 53, lon_deg = 28, '
                                'radius_km = -3 }, "Krychaw"'), "scenario.launch_areas[0].radius_km", "greater than 0"),
    ("inline_geometry_not_polygon", edit('"Asipovichy", "Krychaw"', '{ name = "X", geometry = { type = "Point", '
                                         'coordinates = [28.0, 53.0] } }, "Krychaw"'),
     "scenario.launch_areas[0].geometry", "Polygon"),
    ("area_file_missing", edit('"Asipovichy", "Krychaw"', '{ file = "no_such.geojson" }, "Krychaw"'),
     "scenario.launch_areas[0].file", "file not found"),
    ("old_location_of_sensors", edit("[warning]\nsensors", "sensors").replace(
        "[irbm]", "[warning]\n[irbm]", 1), "scenario.sensors", "[warning] sensors"),
    ("quasi_table_ignores_override", PAPER + "\n[missiles.iskander-m]\nballistic_coefficient_kg_m2 = 5000\n",
     "missiles.iskander-m.ballistic_coefficient_kg_m2", "calibrated flight table"),
    ("not_toml", PAPER + "\n[scenario\n", "scenario", "not valid TOML"),
    ("sensor_override_unknown_sensor", PAPER + "\n[sensors.fylingdale]\nprocessing_delay_s = 90\n",
     "sensors.fylingdale", "did you mean 'fylingdales'"),
    ("sensor_override_unknown_parameter", PAPER + "\n[sensors.fylingdales]\nprocesing_delay_s = 90\n",
     "sensors.fylingdales.procesing_delay_s", "did you mean 'processing_delay_s'"),
    ("sensor_override_mask", PAPER + '\n[sensors.fylingdales]\nelevation_mask_deg = { low = 1, nominal = 3, '
     'high = 95, source = "x" }\n', "sensors.fylingdales.elevation_mask_deg", "below 90"),
    ("sensor_override_inf", PAPER + '\n[sensors.fylingdales]\nmax_range_km = inf\n',
     "sensors.fylingdales.max_range_km", "finite"),
]


@pytest.mark.parametrize("text, field, needle", [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_malformed_scenario_is_one_line_naming_the_field(tmp_path, capsys, text, field, needle):
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_scenario(f)
    msg = str(exc.value)
    assert exc.value.field == field, msg
    assert msg.startswith(f"{f}: "), msg  # names the file
    if field != "scenario":
        assert field in msg, msg  # and the key path
    assert needle in msg, msg
    assert "\n" not in msg
    # the CLI: exit 1, one line on stderr, no traceback
    assert main(["scenario", "check", str(f)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and field in err


def test_non_utf8_scenario(tmp_path, capsys):
    f = tmp_path / "latin1.toml"
    f.write_bytes(edit('title = "Russian', 'title = "Ru\xdfsian').encode("latin-1"))
    line = 1 + next(i for i, ln in enumerate(PAPER.splitlines()) if ln.startswith("title = "))
    with pytest.raises(InputError, match=rf"latin1.toml: line {line}: not UTF-8 text") as exc:
        load_scenario(f)
    assert exc.value.field == "scenario"
    assert main(["scenario", "check", str(f)]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_missing_file_and_directory(tmp_path, capsys):
    assert main(["scenario", "check", str(tmp_path / "nope.toml")]) == 1
    assert "file not found" in capsys.readouterr().err
    assert main(["scenario", "check", str(tmp_path)]) == 1
    assert "is a directory" in capsys.readouterr().err


@pytest.mark.parametrize("case", ["report", "compare", "map"])
def test_malformed_scenario_through_every_command_no_traceback(tmp_path, case):
    """Out of process, as a user runs it: exit 1, one line, no traceback, nothing written."""
    f = tmp_path / "s.toml"
    f.write_text(edit("seed = 1", 'seed = "abc"'), encoding="utf-8")
    args = {"report": ["report", "--scenario", str(f), "-o", str(tmp_path / "o")],
            "compare": ["compare", str(f), "paper"],
            "map": ["map", "--scenario", str(f), "-o", str(tmp_path / "m.html")]}[case]
    r = subprocess.run([sys.executable, "-m", "warning_time", *args], capture_output=True, text=True, timeout=300)
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr and "uncertainty.seed" in r.stderr, r.stderr
    assert not (tmp_path / "o").exists() and not (tmp_path / "m.html").exists()


# ------------------------------------------------------------------------------------------------
# defaults: a missing optional key takes its stated default (and `scenario show` states it)
# ------------------------------------------------------------------------------------------------

DEFAULTS = [
    ("title", drop_line("title = "), ("scenario", "title"), "warning_time scenario"),
    ("earth", drop_line("earth = "), ("scenario", "earth"), "wgs84"),
    ("rotation", drop_line("rotation = "), ("scenario", "rotation"), True),
    ("sensors", drop_line('sensors = ["space-infrared"'), ("warning", "sensors"), None),  # None: every sensor
    ("aegis_sites", drop_line("aegis_sites = "), ("scenario", "aegis_sites"), list(PAPER_AEGIS_SITES)),
    ("pressure_countries", drop_line("pressure_countries = "), ("scenario", "pressure_countries"),
     list(PAPER_PRESSURE_COUNTRIES)),
    ("decision_delay", drop_line("decision_delay_s = "), ("warning", "decision_delay_s"), None),
    ("uncertainty", PAPER.split("[uncertainty]")[0], ("uncertainty", "draws"), 100),
]


@pytest.mark.parametrize("text, key, expected", [d[1:] for d in DEFAULTS], ids=[d[0] for d in DEFAULTS])
def test_missing_optional_key_takes_its_stated_default(tmp_path, capsys, text, key, expected):
    f = tmp_path / "s.toml"
    f.write_text(text, encoding="utf-8")
    sc = load_scenario(f)
    value = sc["_effective"][key[0]][key[1]]
    if key[1] == "sensors":
        expected = list(load_sensors()["sensor"])
        assert sc["scenario"]["sensors"] == expected
    if key[1] == "decision_delay_s":
        assert (value["low"], value["nominal"], value["high"]) == (0.0, 0.0, 0.0)
        assert sc["scenario"]["decision_delay_band"] == (0.0, 0.0, 0.0)
    else:
        assert value == expected
    # the module docstring states every default
    import warning_time.scenario as mod

    assert f"``{key[0]}" in mod.__doc__ or f"``[{key[0]}]``" in mod.__doc__
    # `scenario show` prints the default filled in
    assert main(["scenario", "show", str(f)]) == 0
    shown = tomllib.loads(capsys.readouterr().out)
    assert shown[key[0]][key[1]] == value


# ------------------------------------------------------------------------------------------------
# shipped scenarios, show, hash
# ------------------------------------------------------------------------------------------------

SHIPPED = sorted(p.name for p in resources.files("warning_time").joinpath("data/scenarios").iterdir()
                 if p.name.endswith(".toml"))


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_scenario_validates(name, capsys):
    path = resources.files("warning_time").joinpath(f"data/scenarios/{name}")
    with resources.as_file(path) as p:
        assert main(["scenario", "check", str(p)]) == 0
        out = capsys.readouterr().out
        sc = load_scenario(p)
    assert f"hash {sc['_hash']}" in out


def test_paper_scenario_is_the_package_default():
    sc = load_scenario()
    assert sc["irbm"]["missile"] == "oreshnik" and sc["srbm"]["missile"] == "iskander-m"
    assert len(sc["scenario"]["launch_areas"]) == 7 and len(sc["scenario"]["baseline_areas"]) == 5
    assert set(sc["scenario"]["interior_baseline_areas"]) < set(sc["scenario"]["baseline_areas"])


def test_show_reads_back_to_the_same_hash(tmp_path, capsys):
    """The effective scenario is itself a scenario: fed back, it gives the same effective
    scenario and hash (nothing is lost or added by filling in the defaults)."""
    sc = load_scenario()
    assert main(["scenario", "show"]) == 0
    text = capsys.readouterr().out
    assert f"scenario hash {sc['_hash']}" in text
    f = tmp_path / "effective.toml"
    f.write_text(text, encoding="utf-8")
    again = load_scenario(f)
    assert again["_hash"] == sc["_hash"]
    assert again["_effective"] == sc["_effective"]


def test_hash_ignores_layout_and_follows_assumptions(tmp_path):
    base = load_scenario()["_hash"]
    f = tmp_path / "s.toml"
    # comments, blank lines, key order and a default written out: same assumptions, same hash
    shuffled = edit("seed = 1", "seed = 1\n# a comment\n").replace(
        'earth = "wgs84"\nrotation = true', 'rotation = true\n\nearth = "wgs84"')
    f.write_text(shuffled + "\n[targets]\n", encoding="utf-8")
    assert load_scenario(f)["_hash"] == base
    # any changed assumption changes it
    for old, new in (("seed = 1", "seed = 2"), ('"Krychaw", ', ""), ("rotation = true", "rotation = false")):
        f.write_text(edit(old, new), encoding="utf-8")
        assert load_scenario(f)["_hash"] != base, new
    f.write_text(PAPER + "\n[missiles.oreshnik]\nmax_range_km = 4000\n", encoding="utf-8")
    assert load_scenario(f)["_hash"] != base
    # independent of where the file is
    sub = tmp_path / "elsewhere"
    sub.mkdir()
    (sub / "s.toml").write_text(PAPER + "\n[missiles.oreshnik]\nmax_range_km = 4000\n", encoding="utf-8")
    assert load_scenario(sub / "s.toml")["_hash"] == load_scenario(f)["_hash"]
    assert len(base) == 16 and int(base, 16) >= 0


def test_hash_covers_the_files_a_scenario_reads(tmp_path):
    t = resources.files("warning_time").joinpath("data/targets.csv").read_text("utf-8")
    (tmp_path / "t.csv").write_text(t, encoding="utf-8")
    f = tmp_path / "s.toml"
    f.write_text(PAPER + '\n[targets]\nfile = "t.csv"\n', encoding="utf-8")
    h1 = load_scenario(f)["_hash"]
    (tmp_path / "t.csv").write_text(t.replace("Tirana,ALB,41.3275", "Tirana,ALB,41.3000"), encoding="utf-8")
    assert load_scenario(f)["_hash"] != h1


def test_to_toml_writes_what_tomllib_reads():
    doc = {"scenario": {"title": 'quote " and \\ and ü', "rotation": False, "n": 3, "x": 0.1,
                        "l": ["a", 1.5], "inline": {"low": 1.0, "source": "s"}},
           "missiles": {"oreshnik": {"max_range_km": {"low": 1.0, "nominal": 2.0, "high": math.inf,
                                                      "source": "x"}}}}
    back = tomllib.loads(to_toml(doc))
    assert back == doc
    assert scenario_hash(doc) == scenario_hash(back)


# ------------------------------------------------------------------------------------------------
# places in the scenario: inline circles and geometries, GeoJSON files, a targets file
# ------------------------------------------------------------------------------------------------

def test_inline_and_file_areas(tmp_path):
    import json

    from warning_time.analysis import scenario_areas

    geo = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "name": "Field A", "country_iso3": "BLR", "role": "launch", "notional": True, "basis": "test"},
        "geometry": {"type": "Polygon", "coordinates": [[[27, 52], [27.5, 52], [27.5, 52.5], [27, 52.5], [27, 52]]]}}]}
    (tmp_path / "a.geojson").write_text(json.dumps(geo), encoding="utf-8")
    f = tmp_path / "s.toml"
    f.write_text(edit('launch_areas = ["Asipovichy", "Krychaw", "Baranavichy", "Lida-Hrodna", "Mazyr-Homel", '
                      '"Brest-Kobryn", "Slutsk-Pavlovka"]',
                      'launch_areas = ["Krychaw", { name = "Circle", lat_deg = 53.0, lon_deg = 28.0, radius_km = 20 },\n'
                      '  { name = "Square", geometry = { type = "Polygon", coordinates = [[[29, 53], [29.2, 53], '
                      '[29.2, 53.2], [29, 53.2], [29, 53]]] } },\n  { file = "a.geojson" }]'), encoding="utf-8")
    sc = load_scenario(f)
    assert sc["scenario"]["launch_areas"] == ["Krychaw", "Circle", "Square", "Field A"]
    a = scenario_areas(sc["scenario"]["launch_areas"], sc).set_index("name")
    assert (a["role"] == "launch").all()
    # the circle: every vertex 20 km (geodesic) from its centre
    ring = np.asarray(a.loc["Circle"].geometry.exterior.coords)
    d = Geod(ellps="WGS84").inv(np.full(len(ring), 28.0), np.full(len(ring), 53.0), ring[:, 0], ring[:, 1])[2]
    np.testing.assert_allclose(d, 20e3, rtol=1e-9)
    assert a.loc["Square"].geometry.bounds == (29.0, 53.0, 29.2, 53.2)
    assert a.loc["Field A"].geometry.bounds == (27.0, 52.0, 27.5, 52.5)
    # the effective scenario (inline geometry, circle, file) reads back to the same hash
    (tmp_path / "eff.toml").write_text(show(sc), encoding="utf-8")
    assert load_scenario(tmp_path / "eff.toml")["_hash"] == sc["_hash"]
    # the file's contents are part of the hash
    h = sc["_hash"]
    geo["features"][0]["geometry"]["coordinates"][0][1][0] = 27.6
    geo["features"][0]["geometry"]["coordinates"][0][2][0] = 27.6
    (tmp_path / "a.geojson").write_text(json.dumps(geo), encoding="utf-8")
    assert load_scenario(f)["_hash"] != h


def test_targets_file_reaches_the_analyses(tmp_path):
    from warning_time.analysis import scenario_targets

    t = resources.files("warning_time").joinpath("data/targets.csv").read_text("utf-8").splitlines()
    keep = [t[0]] + [ln for ln in t[1:] if ln.startswith(("Warsaw,", "Vilnius,", "Redzikowo", "Deveselu",
                                                          "Berlin,", "Tallinn,", "Riga,"))]
    (tmp_path / "t.csv").write_text("\n".join(keep) + "\n", encoding="utf-8")
    f = tmp_path / "s.toml"
    f.write_text(PAPER + '\n[targets]\nfile = "t.csv"\n', encoding="utf-8")
    sc = load_scenario(f)
    assert sorted(scenario_targets(("capital",), sc=sc)["name"]) == ["Berlin", "Riga", "Tallinn", "Vilnius",
                                                                       "Warsaw"]


# ------------------------------------------------------------------------------------------------
# overrides reach the computation
# ------------------------------------------------------------------------------------------------

def _point_at(lat, lon, az_deg, dist_km):
    lon2, lat2, _ = Geod(ellps="WGS84").fwd(lon, lat, az_deg, dist_km * 1e3)
    return lat2, lon2


def test_class_override_changes_reach_and_the_stated_range(tmp_path):
    """max_range_km = 4000 under [missiles.oreshnik]: a target 4,700 km away (geodesic, pyproj)
    is in the catalog class's reach and out of the scenario's; one 3,500 km away is in both,
    with the same flight time (the range limit changes the speed limit, not the arc)."""
    from warning_time.analysis import model_line

    f = tmp_path / "s.toml"
    f.write_text(PAPER + "\n[missiles.oreshnik]\nmax_range_km = 4000\n", encoding="utf-8")
    sc = load_scenario(f)
    ref = sc["irbm"]["missile"]
    assert ref == "oreshnik" and wt.get_missile(ref).max_range_km == 4000.0
    assert wt.load_missiles()["oreshnik"].max_range_km == 5512.4  # the catalog (flyout-calibrated) is untouched
    lat, lon = 53.7, 31.7
    far = _point_at(lat, lon, 270.0, 4700.0)
    near = _point_at(lat, lon, 270.0, 3500.0)
    cat_far = wt.flight_time(lat, lon, *far, missile="oreshnik", on_invalid="nan")
    sc_far = wt.flight_time(lat, lon, *far, missile=ref, on_invalid="nan")
    assert np.isfinite(cat_far.flight_time_s) and not np.isfinite(sc_far.flight_time_s)
    assert "out of range" in str(sc_far.reason) and "4000" in str(sc_far.reason)
    a = wt.flight_time(lat, lon, *near, missile="oreshnik")
    b = wt.flight_time(lat, lon, *near, missile=ref)
    assert float(a.flight_time_s) == float(b.flight_time_s)
    assert b.meta["parameters"]["max_range_km"] == 4000.0
    assert "maximum range 4000 km" in model_line(sc, "irbm")
    # the override survives the copies the analyses make (deep copy, pickling for workers)
    import copy
    import pickle

    for clone in (copy.deepcopy(sc)["irbm"]["missile"], pickle.loads(pickle.dumps(ref))):
        assert clone == "oreshnik" and wt.get_missile(clone).max_range_km == 4000.0
    assert type(str(ref)) is str  # a plain name where one is wanted


def test_class_override_band_reaches_the_monte_carlo(tmp_path):
    """A band override is what the draws sample: every drawn burn time lies in the scenario's band."""
    f = tmp_path / "s.toml"
    f.write_text(PAPER + '\n[missiles.oreshnik]\nburn_time_s = { low = 60, nominal = 70, high = 80, '
                 'source = "test (D)" }\n', encoding="utf-8")
    m = wt.get_missile(load_scenario(f)["irbm"]["missile"])
    rng = np.random.default_rng(3)
    draws = np.array([m.sample_kernel_params(rng)["t_boost"] for _ in range(200)])
    assert draws.min() >= 60 and draws.max() <= 80 and draws.max() - draws.min() > 15
    assert m.params["burn_time_s"].source == "test (D)"


def test_class_override_reaches_published_claims(tmp_path):
    from warning_time.scenario import scenario_missile

    f = tmp_path / "s.toml"
    f.write_text(PAPER + "\n[missiles.rs-26]\nmax_range_km = 3000\n", encoding="utf-8")
    sc = load_scenario(f)
    assert scenario_missile(sc, "rs-26").max_range_km == 3000.0
    assert scenario_missile(sc, "oreshnik").max_range_km == 5512.4


def test_decision_delay_reaches_the_warning(tmp_path):
    """A nominal decision delay of 60 s takes exactly 60 s off every nominal warning and leaves
    the compression unchanged (both sides lose the same minute)."""
    from warning_time.analysis import claim_compression

    tiny = _tiny()
    (tmp_path / "a.toml").write_text(tiny, encoding="utf-8")
    (tmp_path / "b.toml").write_text(edit(DD_LINE, 'decision_delay_s = { low = 30, nominal = 60, high = 90, '
                                          'source = "test (D)" }', tiny), encoding="utf-8")
    a = claim_compression(load_scenario(tmp_path / "a.toml"))
    b = claim_compression(load_scenario(tmp_path / "b.toml"))
    ok = np.isfinite(a["launch_warning_s"].to_numpy(float))
    assert ok.sum() > 20
    np.testing.assert_allclose((a["launch_warning_s"] - b["launch_warning_s"])[ok], 60.0, atol=1e-9)
    np.testing.assert_allclose(a["compression_s"][ok], b["compression_s"][ok], atol=1e-9)


def _tiny(text=PAPER):
    """The paper scenario on one launch area and one baseline, one draw of two points."""
    t = edit('launch_areas = ["Asipovichy", "Krychaw", "Baranavichy", "Lida-Hrodna", "Mazyr-Homel", '
             '"Brest-Kobryn", "Slutsk-Pavlovka"]', 'launch_areas = ["Krychaw"]', text)
    t = edit('baseline_areas = ["Kaliningrad", "Luga-Pskov", "Bryansk-Smolensk", "Kapustin Yar", "Teykovo"]',
             'baseline_areas = ["Luga-Pskov"]', t)
    t = edit('interior_baseline_areas = ["Luga-Pskov", "Bryansk-Smolensk", "Kapustin Yar", "Teykovo"]',
             'interior_baseline_areas = ["Luga-Pskov"]', t)
    return edit("draws = 100 ", "draws = 1 ", edit("points_per_area = 6", "points_per_area = 2", t))


def test_sensor_override_reaches_the_warning(tmp_path):
    """Space-based infrared alone, its processing delay fixed at 90 s instead of the nominal 40 s:
    every nominal warning is exactly 50 s shorter (warning = impact - detection - processing),
    the compression does not move, and the scenario states the new band."""
    from warning_time.analysis import claim_compression

    only_ir = edit('sensors = ["space-infrared", "fylingdales", "kurecik", "redzikowo-spy1", "deveselu-spy1"]',
                   'sensors = ["space-infrared"]', _tiny())
    (tmp_path / "a.toml").write_text(only_ir, encoding="utf-8")
    (tmp_path / "b.toml").write_text(only_ir + "\n[sensors.space-infrared]\nprocessing_delay_s = 90\n",
                                     encoding="utf-8")
    sa, sb = load_scenario(tmp_path / "a.toml"), load_scenario(tmp_path / "b.toml")
    assert sa["_effective"]["sensors"]["space-infrared"]["processing_delay_s"]["nominal"] == 40.0  # sensors.toml
    assert sb["_effective"]["sensors"]["space-infrared"]["processing_delay_s"] == dict(
        low=90.0, nominal=90.0, high=90.0, source="scenario override")
    assert sa["_hash"] != sb["_hash"]
    a, b = claim_compression(sa), claim_compression(sb)
    ok = np.isfinite(a["launch_warning_s"].to_numpy(float))
    assert ok.sum() > 20
    np.testing.assert_allclose((a["launch_warning_s"] - b["launch_warning_s"])[ok], 90.0 - 40.0, atol=1e-9)
    np.testing.assert_allclose(a["compression_s"][ok], b["compression_s"][ok], atol=1e-9)
    # the shipped sensor table is untouched, and the override survives copies
    import copy

    assert load_sensors().set_index("sensor").loc["space-infrared", "processing_delay_s_nominal"] == 40.0
    from warning_time.sensors import sensor_set

    assert sensor_set(names=copy.deepcopy(sb["scenario"]["sensors"])).ir_process_s.tolist() == [90.0]
    # and it reads back
    (tmp_path / "eff.toml").write_text(show(sb), encoding="utf-8")
    assert load_scenario(tmp_path / "eff.toml")["_hash"] == sb["_hash"]


def test_reaction_times_are_validated_and_stated(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(PAPER + '\n[reaction_times]\ncapital = { low = 300, nominal = 600, high = 900, source = "x (D)" }\n',
                 encoding="utf-8")
    sc = load_scenario(f)
    assert sc["reaction_times"]["capital"]["nominal"] == 600.0
    assert "[reaction_times]" in show(sc)
    f.write_text(PAPER + '\n[reaction_times]\ncapitol = { low = 300, nominal = 600, high = 900, source = "x" }\n',
                 encoding="utf-8")
    with pytest.raises(InputError, match="reaction_times.capitol: .*did you mean 'capital'"):
        load_scenario(f)


def test_scenario_show_to_a_file(tmp_path):
    out = tmp_path / "eff.toml"
    assert main(["scenario", "show", "-o", str(out)]) == 0
    assert load_scenario(out)["_hash"] == load_scenario()["_hash"]
    assert Path(out).read_text(encoding="utf-8").startswith("# effective scenario of paper.toml")


@pytest.mark.parametrize("item, path", [
    ('{ lat_deg = 53, lon_deg = 28, radius_km = 30 }', "scenario.launch_areas[0].name"),
    ('{ name = 5, lat_deg = 53, lon_deg = 28, radius_km = 30 }', "scenario.launch_areas[0].name"),
    ('{ name = "X", geometry = "polygon" }', "scenario.launch_areas[0].geometry"),
    ('{ file = 3 }', "scenario.launch_areas[0].file"),
    ('{ file = "a.geojson", nmes = ["A"] }', "scenario.launch_areas[0].nmes"),
    ('42', "scenario.launch_areas[0]"),
])
def test_inline_area_errors_name_the_key_inside_the_item(tmp_path, item, path):
    f = tmp_path / "s.toml"
    f.write_text(edit('"Asipovichy", "Krychaw"', f'{item}, "Krychaw"'), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_scenario(f)
    assert exc.value.field == path, str(exc.value)
    assert f"{path}:" in str(exc.value) or f"{path} =" in str(exc.value)


def test_top_level_names():
    from warning_time.compare import compare_scenarios

    assert wt.load_scenario is load_scenario and wt.compare_scenarios is compare_scenarios
