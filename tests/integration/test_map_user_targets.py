"""A user's targets in full: every target of the user's file, whatever its kind and country, is
carried by the one Analysis (best points, warning, compression), and the map's popups print the
analysis's numbers for each (no recomputation, no flight time read off the map's surface)."""
import re

import numpy as np
import pandas as pd

from warning_time.places import load_targets
from warning_time.scenario import load_scenario
from warning_time.study import Analysis

# outside the shipped target set, none in the scenario's pressure countries
USER = [dict(name="Chisinau", country_iso3="MDA", lat_deg=47.0105, lon_deg=28.8638, kind="capital", population=0,
             note="user capital <b>note</b>", source="user file"),
        dict(name="Graz", country_iso3="AUT", lat_deg=47.0707, lon_deg=15.4395, kind="city", population=0,
             note="", source="user file"),
        dict(name="Souda Bay", country_iso3="GRC", lat_deg=35.4870, lon_deg=24.1190, kind="military", population=0,
             note="", source="user file")]


def _span(pop, cls):
    m = re.search(rf"class='{cls}'>([^<]*)<", pop)
    return m.group(1) if m else None


def test_every_user_target_gets_flight_warning_and_compression_from_the_analysis(tmp_path):
    from warning_time.maps import build_map, save_map

    sc = load_scenario()
    shipped = load_targets()
    assert not shipped["name"].isin([u["name"] for u in USER]).any()
    assert not any(u["country_iso3"] in sc["scenario"]["pressure_countries"] for u in USER)
    mine = pd.concat([shipped[shipped["name"].isin(["Warsaw", "Berlin"])].drop(columns="geometry"),
                      pd.DataFrame(USER)], ignore_index=True)
    an = Analysis(sc, targets=mine, draws=3, trajectories=["minimum-energy"], spacing_km=15.0)
    assert set(an.targets["name"]) == set(mine["name"])  # every user target is carried
    table = an.slice(targets=mine["name"]).set_index("target")
    m = build_map(analysis=an, targets=mine, res_deg=2.0, layers="countries,targets")
    html = save_map(m, tmp_path / "map.html").read_text()
    assert "Not in the analysis" not in html
    for u in USER + [dict(name="Warsaw"), dict(name="Berlin")]:
        pop = re.search(r"<b>" + re.escape(u["name"]) + r"</b>.*?</div>", html, re.S)
        assert pop, u["name"]
        pop = pop.group(0)
        r = table.loc[u["name"]]
        # the analysis's nominal numbers at the printed digits (flight, warning 0.1 min; compression 0.1 s)
        assert np.isfinite(r["launch_flight_time_s"]) and np.isfinite(r["compression_s"]), u["name"]
        assert _span(pop, "ft") == f"{r['launch_flight_time_s'] / 60:.1f} min", u["name"]
        assert _span(pop, "wt") == f"{r['launch_warning_s'] / 60:.1f} min", u["name"]
        assert _span(pop, "cp") == f"{r['compression_s']:.1f} s", u["name"]
        assert _span(pop, "src") == ("user file" if "source" in u else _span(pop, "src"))
    assert "user capital &lt;b&gt;note&lt;/b&gt;" in html  # the note shown, as text
