"""The claim-check report: it runs, writes its files, and its numbers match flight_time."""
import math

import numpy as np
import pandas as pd
import pytest

import warning_time as wt
from warning_time.cli import main
from warning_time.errors import InputError
from warning_time.scenario import load_scenario


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    assert main(["report", "-o", str(out), "--draws", "2", "--sobol-samples", "2"]) == 0
    return out


def test_report_files(report_dir):
    for name in ("report.md", "report.html", "capitals_irbm.csv", "published_claims.csv",
                 "srbm_newly_in_reach.csv", "aegis_geometry.csv"):
        assert (report_dir / name).stat().st_size > 0, name
    md = (report_dir / "report.md").read_text()
    assert "NOTIONAL" in md and "Verdict" in md and "Sources" in md
    html = (report_dir / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "NOTIONAL" in html


def test_capital_numbers_match_flight_time(report_dir):
    sc = load_scenario()
    t = pd.read_csv(report_dir / "capitals_irbm.csv")
    from warning_time.places import load_targets

    caps = load_targets().set_index("name")
    rows = t.dropna(subset=["flight (min)"]).head(6)
    assert len(rows) >= 3
    for _, r in rows.iterrows():
        c = caps.loc[r["capital"]]
        ft = wt.flight_time(r["launch_lat_deg"], r["launch_lon_deg"], c["lat_deg"], c["lon_deg"],
                            missile=sc["irbm"]["missile"], trajectory=sc["irbm"]["trajectory"])
        assert float(ft.flight_time_s) / 60 == pytest.approx(r["flight (min)"], rel=1e-9)


def test_claim_numbers_match_flight_time(report_dir):
    """A claim from an area flies from the area's nearest point to the target (found here by brute
    force on the boundary), and its model time is flight_time from there."""
    import shapely
    from pyproj import Geod

    pc = pd.read_csv(report_dir / "published_claims.csv", keep_default_na=False, na_values=[""])
    row = pc[pc["claim"].str.startswith("Kapustin Yar to Berlin")].iloc[0]
    from warning_time.places import load_launch_areas, load_targets

    geom = load_launch_areas().set_index("name").loc["Kapustin Yar"].geometry
    b = load_targets().set_index("name").loc["Berlin"]
    pts = shapely.get_coordinates(shapely.segmentize(geom.exterior, 0.001))
    d = Geod(ellps="WGS84").inv(pts[:, 0], pts[:, 1], np.full(len(pts), b["lon_deg"]), np.full(len(pts), b["lat_deg"]))[2]
    k = int(np.argmin(d))
    assert Geod(ellps="WGS84").inv(pts[k, 0], pts[k, 1], row["origin_lon_deg"], row["origin_lat_deg"])[2] < 200.0
    ft = wt.flight_time(row["origin_lat_deg"], row["origin_lon_deg"], b["lat_deg"], b["lon_deg"], missile="oreshnik")
    assert float(ft.flight_time_s) / 60 == pytest.approx(row["model_min_energy_min"], rel=1e-9)
    # the Dnipro flight: 15 min is slower than minimum energy (a lofted arc), and circular
    dn = pc[pc["claim"].str.contains("Dnipro")].iloc[0]
    assert dn["model_min_energy_min"] < 15 and dn["verdict"].startswith("consistent") and "circular" in dn["verdict"]
    assert np.isfinite(pc["ideal_fastest_min"]).all()


def test_bad_scenario_is_a_clear_error(tmp_path, capsys):
    text = (load_scenario.__globals__["resources"].files("warning_time")
            .joinpath("data/scenarios/paper.toml").read_text())
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('"Asipovichy", "Krychaw"', '"Atlantis", "Krychaw"'))
    with pytest.raises(InputError, match=r"bad.toml: scenario.launch_areas: unknown area\(s\) \['Atlantis'\]"):
        load_scenario(bad)
    assert main(["report", "--scenario", str(bad), "-o", str(tmp_path / "o")]) == 1
    assert "Atlantis" in capsys.readouterr().err
    assert not (tmp_path / "o" / "report.md").exists()


def test_fastest_threat_names_the_class(report_dir):
    """Vilnius, Riga and Warsaw appear with their fastest Belarus threat and its class; the row's
    time is the lesser of the classes' own times, and it matches flight_time from the named
    area's launch points (treaty categories do not cut a class's reach)."""
    sc = load_scenario()
    ft = pd.read_csv(report_dir / "fastest_threat.csv", keep_default_na=False, na_values=[""])
    md = (report_dir / "report.md").read_text()
    classes = {sc["srbm"]["missile"], sc["irbm"]["missile"]}
    for name in ("Vilnius", "Riga", "Warsaw"):
        r = ft[ft["target"] == name].iloc[0]
        assert r["fastest_class"] in classes
        own = [r[f"{c}_warning_min"] for c in classes]
        assert r["warning_min"] == pytest.approx(np.nanmin(own), rel=1e-12)
        assert f"{name}: {r['fastest_class']} from {r['from_belarus_area']}" in md
    # the IRBM class's columns are the capitals table's (same nominal points, same rule)
    caps = pd.read_csv(report_dir / "capitals_irbm.csv").set_index("capital")
    irbm = sc["irbm"]["missile"]
    for _, r in ft.iterrows():
        np.testing.assert_allclose(r[f"{irbm}_warning_min"], caps.loc[r["target"], "warning (min)"], rtol=1e-12)
        np.testing.assert_allclose(r[f"{irbm}_flight_time_min"], caps.loc[r["target"], "flight (min)"], rtol=1e-12)
    # Vilnius lies inside the Oreshnik class's old 500 km treaty cut from every Belarus area:
    # the class now reaches it (its minimum range is its boost footprint)
    assert np.isfinite(ft.loc[ft["target"] == "Vilnius", f"{sc['irbm']['missile']}_flight_time_min"]).all()


def test_russia_proper_never_compresses_less_than_all_baselines(report_dir):
    """Russia proper is a subset of all baselines, so its best warning is never shorter and the
    compression against it never smaller (the same launch points in the common areas)."""
    t = pd.read_csv(report_dir / "capitals_irbm.csv")
    both = t[["compression (s)", "vs Russia proper: compression (s)"]].dropna()
    assert len(both) > 10
    assert (both["vs Russia proper: compression (s)"] >= both["compression (s)"] - 1e-9).all()


def test_warning_chain_section(report_dir):
    """The report's warning-chain section: the chain per audience, the reaction times, warning
    per audience with the compression's terms, margins and what cancels; its CSVs agree with
    each other (compression = flight-time term + prediction term; margins = warning - required)."""
    md = (report_dir / "report.md").read_text()
    assert "The warning chain: who is warned when" in md and "What cancels (oreshnik)" in md
    assert "Margins (oreshnik)" in md and "Margins (iskander-m)" in md
    steps = pd.read_csv(report_dir / "warning_chain.csv")
    assert list(steps["audience"]) == ["forces", "leaders", "public"]
    react = pd.read_csv(report_dir / "reaction_times.csv")
    for run in ("irbm", "srbm"):
        w = pd.read_csv(report_dir / f"warning_by_audience_{run}.csv")
        fin = np.isfinite(w["compression, every audience (s)"])
        assert fin.sum() >= 3
        np.testing.assert_allclose(w.loc[fin, "flight-time term (s)"] + w.loc[fin, "prediction term (s)"],
                                   w.loc[fin, "compression, every audience (s)"], atol=1e-6)
        m = pd.read_csv(report_dir / f"margins_{run}.csv", keep_default_na=False, na_values=[""])
        assert list(m["capital"]) == list(w["capital"])
        for _, x in react.iterrows():
            aud_col = {"forces": "forces (min)", "leaders": "leaders (min)", "public": "public (min)"}[x["audience"]]
            np.testing.assert_allclose(m[f"{x['reaction']} margin (s)"], w[aud_col] * 60 - x["required (s)"], atol=1e-6)
def test_claim3_tables(report_dir):
    """Claim 3 reads the defence analysis: windows per site and capital, the SRBM floor,
    footprints, raid table; the pass-by table keeps only real passes (no impact points)."""
    for name in ("defence_windows.csv", "defence_srbm_floor.csv", "defence_footprints.csv", "defence_raid.csv"):
        assert (report_dir / name).stat().st_size > 0, name
    md = (report_dir / "report.md").read_text()
    assert "Claim 3: European missile defence (engagement windows" in md
    passes = pd.read_csv(report_dir / "aegis_geometry.csv")
    assert (passes["time_there_s"] < passes["flight_time_s"] - 1.0).all()
    assert (passes["altitude_there_km"] > 0).all()
    w = pd.read_csv(report_dir / "defence_windows.csv")
    assert set(w["site"]) == {"redzikowo", "deveselu", "holzdorf"}
    # one figure against the API: Berlin from the best Belarus area point, Redzikowo
    from warning_time import defence as D
    from warning_time.analysis import scenario_areas

    r = w[(w["site"] == "redzikowo") & (w["target"] == "Berlin")].iloc[0]
    pts = D.launch_points(scenario_areas([r["from Belarus (best point)"]]))
    api = D.engagement_windows(pts["lat_deg"], pts["lon_deg"], 52.52, 13.405, missile="oreshnik", site="redzikowo",
                               sensors=load_scenario()["scenario"]["sensors"])
    assert r["shots from Belarus"] == api["shots"].min()
    fp = pd.read_csv(report_dir / "defence_footprints.csv")
    assert set(fp["launch"]) == {"Belarus", "baseline", "lost (baseline minus Belarus)"}
