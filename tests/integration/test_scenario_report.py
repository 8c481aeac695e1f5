"""The report states every assumption it used (read back from report.md), an override reaches
its numbers, and `warning-time compare` puts two scenarios side by side with what changed."""
from __future__ import annotations

import re
import tomllib
from importlib import resources

import numpy as np
import pandas as pd
import pytest

import warning_time as wt
from warning_time.cli import main
from warning_time.places import load_targets
from warning_time.scenario import load_scenario

PAPER = resources.files("warning_time").joinpath("data/scenarios/paper.toml").read_text("utf-8")
DD_LINE = next(ln for ln in PAPER.splitlines() if ln.startswith("decision_delay_s = "))
#: the centres of the two areas of small() (Krychaw, Brest-Kobryn: circles of 20 km, launch_areas.geojson)
CENTRES = ((53.65, 31.45), (52.21, 24.36))
RADIUS_KM = 20.0


def small(text=PAPER):
    """The paper scenario on two launch areas, two baselines, one draw of two points (fast)."""
    for old, new in (
            ('launch_areas = ["Asipovichy", "Krychaw", "Baranavichy", "Lida-Hrodna", "Mazyr-Homel", "Brest-Kobryn", '
             '"Slutsk-Pavlovka"]', 'launch_areas = ["Krychaw", "Brest-Kobryn"]'),
            ('baseline_areas = ["Kaliningrad", "Luga-Pskov", "Bryansk-Smolensk", "Kapustin Yar", "Teykovo"]',
             'baseline_areas = ["Kaliningrad", "Luga-Pskov"]'),
            ('interior_baseline_areas = ["Luga-Pskov", "Bryansk-Smolensk", "Kapustin Yar", "Teykovo"]',
             'interior_baseline_areas = ["Luga-Pskov"]'),
            ("draws = 100 ", "draws = 1 "), ("points_per_area = 6", "points_per_area = 2")):
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def override_report(tmp_path_factory):
    d = tmp_path_factory.mktemp("override")
    f = d / "s.toml"
    f.write_text(small() .replace(DD_LINE, 'decision_delay_s = { low = 20, nominal = 45, high = 70, '
                                  'source = "analyst estimate (D)" }')
                 + '\n[missiles.oreshnik]\nmax_range_km = 4000\n'
                 + '\n[reaction_times]\ncapital = { low = 300, nominal = 600, high = 900, source = "test (D)" }\n',
                 encoding="utf-8")
    assert main(["report", "--scenario", str(f), "-o", str(d / "out")]) == 0
    return dict(file=f, out=d / "out", sc=load_scenario(f), md=(d / "out" / "report.md").read_text("utf-8"))


def _bullet(md, label):
    m = re.search(rf"^- {re.escape(label)}: (.*)$", md, flags=re.M)
    assert m, label
    return m.group(1)


def test_report_states_every_assumption(override_report):
    md, sc = override_report["md"], override_report["sc"]
    eff = sc["_effective"]
    assert f"scenario hash {sc['_hash']}" in md
    assert _bullet(md, "Earth model") == "wgs84; Earth rotation: true."
    assert _bullet(md, "Launch areas (NOTIONAL)") == "Krychaw (BLR), Brest-Kobryn (BLR)."
    assert _bullet(md, "Baseline areas") == "Kaliningrad (RUS), Luga-Pskov (RUS)."
    assert _bullet(md, "Russia proper (baselines without Kaliningrad)") == "Luga-Pskov."
    assert _bullet(md, "Pressure countries (Claim 2)") == "POL, DEU, LTU, LVA, EST."
    assert _bullet(md, "Aegis Ashore sites (Claim 3)") == "Redzikowo Aegis Ashore, Deveselu Aegis Ashore."
    sensors = _bullet(md, "Sensors")
    assert sensors.startswith(", ".join(eff["warning"]["sensors"]) + "; processing delay ")
    for n in eff["warning"]["sensors"]:
        b = eff["sensors"][n]["processing_delay_s"]
        assert f"{n} {b['nominal']:g} s (band {b['low']:g}-{b['high']:g})" in sensors, n
    assert _bullet(md, "Decision delay") == "45 s (band 20-70); source: analyst estimate (D)."
    assert _bullet(md, "Reaction times").startswith("capital 600 s (band 300-900) (test (D))")
    irbm = _bullet(md, "IRBM run")
    assert "class oreshnik" in irbm and "trajectory minimum-energy" in irbm and "maximum range 4000 km" in irbm
    assert "trajectory set depressed, minimum-energy, lofted" in irbm
    for p, b in eff["missiles"]["oreshnik"].items():
        assert f"{p} {b['nominal']:g}" in irbm, p
    assert "max_range_km 4000 (fixed)" in irbm
    assert "class iskander-m" in _bullet(md, "SRBM run")
    assert _bullet(md, "Parameter overrides of the scenario") == "missiles.oreshnik.max_range_km."
    assert _bullet(md, "Monte Carlo") == "1 draws (draw 0 = nominal), 2 launch points per area per draw, seed 1."
    # the effective scenario, in full, reads back as TOML to the same assumptions and hash
    block = re.search(r"```toml\n(.*?)\n```", md, flags=re.S).group(1)
    assert tomllib.loads(block.split("\n", 2)[2]) == eff
    f = override_report["out"] / "again.toml"
    f.write_text(block, encoding="utf-8")
    assert load_scenario(f)["_hash"] == sc["_hash"]
    # the same scenario is written beside the report
    assert load_scenario(override_report["out"] / "scenario.toml")["_hash"] == sc["_hash"]
    # and the HTML carries it too (escaped)
    html = (override_report["out"] / "report.html").read_text("utf-8")
    assert f"scenario hash {sc['_hash']}" in html and "<pre class='scenario'>" in html


def test_override_reaches_the_report_numbers(override_report):
    """The capitals table's flights use the scenario's class: a capital beyond 4,000 km of every
    Belarus point has no flight, one within has the flight_time of the overridden class, and the
    warning is the flight minus detection minus the stated 45 s decision delay."""
    t = pd.read_csv(override_report["out"] / "capitals_irbm.csv")
    md = override_report["md"]
    assert "farther than 4,000 km" in md and "maximum range 4000 km" in md and "5,500 km;" not in md
    caps = load_targets().set_index("name")
    ref = override_report["sc"]["irbm"]["missile"]
    lisbon = t[t["capital"] == "Lisbon"].iloc[0]
    ottawa = t[t["capital"] == "Ottawa"].iloc[0]
    assert not np.isfinite(ottawa["flight (min)"])
    assert np.isfinite(lisbon["flight (min)"])
    for _, r in t.dropna(subset=["flight (min)"]).head(5).iterrows():
        c = caps.loc[r["capital"]]
        ft = wt.flight_time(r["launch_lat_deg"], r["launch_lon_deg"], c["lat_deg"], c["lon_deg"], missile=ref,
                            trajectory="minimum-energy")
        assert float(ft.flight_time_s) / 60 == pytest.approx(r["flight (min)"], rel=1e-12)
        assert ft.meta["parameters"]["max_range_km"] == 4000.0
    # a capital the catalog class reaches but the 4,000 km class does not: none finite beyond 4,000 km
    from pyproj import Geod

    g = Geod(ellps="WGS84")
    for _, r in t.iterrows():
        c = caps.loc[r["capital"]]
        d_km = min(g.inv(lon, lat, c["lon_deg"], c["lat_deg"])[2] / 1e3 for lat, lon in CENTRES)
        if d_km > 4000 + RADIUS_KM + 1:  # every point of both areas is beyond 4,000 km
            assert not np.isfinite(r["flight (min)"]), r["capital"]


def test_report_draws_option_is_stated(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text(small().replace("seed = 1", "seed = 5"), encoding="utf-8")
    assert main(["report", "--scenario", str(f), "-o", str(tmp_path / "o"), "--draws", "2"]) == 0
    md = (tmp_path / "o" / "report.md").read_text("utf-8")
    assert "- Monte Carlo: 2 draws (draw 0 = nominal), 2 launch points per area per draw, seed 5." in md
    assert load_scenario(f, draws=2)["_hash"] in md


def test_compare_two_scenarios(tmp_path, capsys):
    """A 60 s decision delay: every reachable capital's warning drops by exactly 60 s, the
    compression does not move, and the one changed assumption is listed."""
    a = tmp_path / "a.toml"
    b = tmp_path / "b.toml"
    a.write_text(small(), encoding="utf-8")
    b.write_text(small().replace(DD_LINE, 'decision_delay_s = { low = 60, nominal = 60, high = 60, '
                                 'source = "test (D)" }'), encoding="utf-8")
    assert main(["compare", str(a), str(b), "-o", str(tmp_path / "cmp")]) == 0
    out = capsys.readouterr().out
    assert "Changed assumptions (1):" in out and "warning.decision_delay_s" in out
    t = pd.read_csv(tmp_path / "cmp" / "compare.csv")
    ok = np.isfinite(t["warning A (min)"])
    assert ok.sum() > 20
    np.testing.assert_allclose(t.loc[ok, "warning B - A (s)"], -60.0, atol=1e-9)
    np.testing.assert_allclose(t.loc[ok, "compression B - A (s)"], 0.0, atol=1e-9)
    ch = pd.read_csv(tmp_path / "cmp" / "changes.csv")
    assert list(ch["key"]) == ["warning.decision_delay_s"]
    assert (tmp_path / "cmp" / "compare.md").read_text("utf-8").startswith("# Scenario comparison")


def test_compare_a_class_override(tmp_path, capsys):
    """max_range_km 5512.4 (the flyout-calibrated class) -> 4000: capitals beyond 4,000 km lose their flight in B; the others
    keep the same warning (the range limit does not change a reachable arc)."""
    a = tmp_path / "a.toml"
    b = tmp_path / "b.toml"
    a.write_text(small(), encoding="utf-8")
    b.write_text(small() + "\n[missiles.oreshnik]\nmax_range_km = 4000\n", encoding="utf-8")
    assert main(["compare", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "missiles.oreshnik.max_range_km: low=4000.0, nominal=5512.4, high=5512.4 -> low=4000.0, " \
           "nominal=4000.0, high=4000.0" in out
    from warning_time.compare import compare_scenarios

    t = compare_scenarios(str(a), str(b)).table.set_index("capital")
    lost = t[np.isfinite(t["warning A (min)"]) & ~np.isfinite(t["warning B (min)"])].index
    from pyproj import Geod

    g, caps = Geod(ellps="WGS84"), load_targets().set_index("name")
    for c in lost:  # only capitals that some point of the areas sees beyond 4,000 km
        assert min(g.inv(lon, lat, caps.loc[c, "lon_deg"], caps.loc[c, "lat_deg"])[2] / 1e3
                   for lat, lon in CENTRES) > 4000 - RADIUS_KM - 1, c
    same = np.isfinite(t["warning B (min)"])
    assert same.sum() > 20
    np.testing.assert_allclose(t.loc[same, "warning B - A (s)"], 0.0, atol=1e-9)


def test_compare_same_scenario_changes_nothing(capsys):
    assert main(["compare", "paper", "paper"]) == 0
    assert "No assumption differs" in capsys.readouterr().out


def test_hostile_scenario_text_stays_text_in_the_report(tmp_path):
    """Every user string the scenario section repeats (title, claims, inline area name and basis,
    an override's source) reaches report.html escaped, never as markup."""
    bad = "<script>alert(1)</script>{{ 7*7 }}<img src=x onerror=alert(2)>"
    text = small().replace('title = "Russian missiles in Belarus', f'title = "{bad} Russian missiles in Belarus')
    text = text.replace('launch_areas = ["Krychaw", "Brest-Kobryn"]',
                        'launch_areas = ["Krychaw", { name = "' + bad + ' area", lat_deg = 52.0, lon_deg = 27.0, '
                        'radius_km = 20, basis = "' + bad + '" }]')
    text += f'\n[missiles.oreshnik]\nburn_time_s = {{ low = 140, nominal = 150, high = 160, source = "{bad}" }}\n'
    f = tmp_path / "s.toml"
    f.write_text(text, encoding="utf-8")
    assert main(["report", "--scenario", str(f), "-o", str(tmp_path / "o")]) == 0
    html = (tmp_path / "o" / "report.html").read_text("utf-8")
    assert "<script>" not in html and "<img src=x" not in html and "{{" not in html
    assert not re.search(r"<[^>]*\bonerror", html)  # the report's own <img> charts carry no handler
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the Markdown carries the text as given (it is text), and the scenario beside it reads back
    assert bad in (tmp_path / "o" / "report.md").read_text("utf-8")
    assert load_scenario(tmp_path / "o" / "scenario.toml")["_hash"] == load_scenario(f)["_hash"]
