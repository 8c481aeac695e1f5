"""The one analysis (warning_time.study): nominal results free of the seed, quantiles that
converge, Claim 2 from polygon geometry recomputed here, map popups equal to the report."""
import copy
import re
import tomllib
from importlib import resources

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from warning_time.places import load_launch_areas, load_targets
from warning_time.scenario import load_scenario
from warning_time.study import Analysis

G = Geod(ellps="WGS84")
NOMINAL_COLS = ["target", "launch_area", "launch_lat_deg", "launch_lon_deg", "launch_flight_time_s",
                "launch_warning_s", "baseline_area", "baseline_warning_s", "compression_s", "geometry_bound_s"]


def _small_scenario():
    sc = copy.deepcopy(load_scenario())
    s = sc["scenario"]
    s["launch_areas"] = ["Krychaw", "Brest-Kobryn"]
    s["baseline_areas"] = ["Kaliningrad", "Bryansk-Smolensk"]
    s["interior_baseline_areas"] = ["Bryansk-Smolensk"]
    return sc


def _targets(names):
    t = load_targets()
    return t[t["name"].isin(names)].reset_index(drop=True)


def test_nominal_results_do_not_depend_on_the_seed():
    sc = _small_scenario()
    t = _targets(["Warsaw", "Berlin", "Vilnius", "Riga", "Paris", "Krakow"])
    a = Analysis(sc, draws=3, seed=1, trajectories=["minimum-energy"], targets=t, spacing_km=10.0)
    b = Analysis(sc, draws=3, seed=2, trajectories=["minimum-energy"], targets=t, spacing_km=10.0)
    pd.testing.assert_frame_equal(a.capitals[NOMINAL_COLS], b.capitals[NOMINAL_COLS])
    pd.testing.assert_frame_equal(a.claim2_reach, b.claim2_reach)
    # the draws do depend on it (the test would pass trivially otherwise)
    assert not np.allclose(a.capitals["compression_p50_s"], b.capitals["compression_p50_s"], equal_nan=True)


def test_quantiles_converge_as_draws_grow():
    """The spread over seeds of the p5 / p50 / p95 estimates shrinks as the draws grow (by
    ~sqrt(16) = 4 from 25 to 400 draws; at least 2 asked here)."""
    sc = _small_scenario()
    t = _targets(["Warsaw", "Berlin"])
    spread = {}
    for n in (25, 400):
        est = []
        for seed in (1, 2, 3, 4):
            an = Analysis(sc, draws=n, seed=seed, trajectories=["minimum-energy"], targets=t, spacing_km=10.0)
            c = an.capitals
            est.append(c[["launch_warning_p5_s", "launch_warning_p50_s", "launch_warning_p95_s",
                          "compression_p50_s"]].to_numpy(float))
        spread[n] = np.std(np.stack(est), axis=0)
    assert np.all(np.isfinite(spread[400]))
    assert np.mean(spread[400]) < np.mean(spread[25]) / 2


def _nearest_km(geom, lat, lon):
    """Brute force: the boundary densified to ~100 m, geodesic distance to each vertex (0 inside)."""
    if geom.contains(shapely.Point(lon, lat)):
        return 0.0, 0.0
    pts = shapely.get_coordinates(shapely.segmentize(geom.exterior, 0.001))
    d = G.inv(pts[:, 0], pts[:, 1], np.full(len(pts), lon), np.full(len(pts), lat))[2] / 1e3
    return d.min(), d.max()


def test_claim2_recomputed_from_polygon_geometry():
    """Newly in reach = some point of a Belarus area within the SRBM class's range (read from
    missiles.toml here) and no point of any baseline area; recomputed by brute force."""
    sc = load_scenario()
    s = sc["scenario"]
    an = Analysis(sc, draws=0, trajectories=["minimum-energy"])
    cat = tomllib.loads(resources.files("warning_time").joinpath("data/missiles.toml").read_text())
    key = sc["srbm"]["missile"]
    rng = cat[key]["max_range_km"]
    rmin = cat[key]["min_range_km"]["nominal"]
    areas = load_launch_areas().set_index("name")
    t = load_targets()
    t = t[t["kind"].isin(["capital", "city", "military"]) & t["country_iso3"].isin(s["pressure_countries"])]
    got = an.claim2_reach.set_index("target")
    for band in ("low", "nominal", "high"):
        rmax = rng[band]
        for bs, bnames in (("all Russian baselines", s["baseline_areas"]), ("Russia proper", s["interior_baseline_areas"])):
            expect = []
            for _, r in t.iterrows():
                def reach(names):
                    out = False
                    for n in names:
                        dmin, dmax = _nearest_km(areas.loc[n].geometry, r["lat_deg"], r["lon_deg"])
                        out |= (dmin <= rmax) and (dmax >= rmin)
                    return out
                expect.append(reach(s["launch_areas"]) and not reach(bnames))
            col = f"newly in reach vs {bs} ({band} range {rmax:.0f} km)"
            np.testing.assert_array_equal(got.loc[t["name"], col].to_numpy(bool), np.array(expect), err_msg=col)
            # and the distances agree with the brute force to 0.1 km
        for _, r in t.head(8).iterrows():
            d = min(_nearest_km(areas.loc[n].geometry, r["lat_deg"], r["lon_deg"])[0] for n in s["launch_areas"])
            assert got.loc[r["name"], "from_belarus_km"] == pytest.approx(d, abs=0.1)


def test_map_popups_and_report_tables_agree_to_the_printed_digit(tmp_path):
    from warning_time.maps import build_map, save_map
    from warning_time.report import MISSING, build_report

    sc = load_scenario()
    an = Analysis(sc, draws=4, sobol_samples=2, trajectories=["minimum-energy"], spacing_km=10.0)
    build_report(out_dir=tmp_path, analysis=an, with_map=True)
    assert "href='map.html'" in (tmp_path / "report.html").read_text()
    save_map(build_map(analysis=an, res_deg=2.0), tmp_path / "map.html")
    md = (tmp_path / "report.md").read_text()
    html = (tmp_path / "map.html").read_text()
    lines = md.splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith("| capital |"))
    head = [c.strip() for c in lines[i].strip("|").split("|")]
    rows = []
    for ln in lines[i + 2:]:
        if not ln.startswith("|"):
            break
        rows.append(dict(zip(head, [c.strip() for c in ln.strip("|").split("|")])))
    assert len(rows) == len(an.capital_targets)
    checked = 0
    for r in rows:
        m = re.search(r"<b>" + re.escape(r["capital"]) + r"</b>.*?</div>", html, re.S)
        assert m, r["capital"]
        pop = m.group(0)
        span = lambda cls: re.search(rf"class='{cls}'>([^<]*)<", pop).group(1)  # noqa: E731
        if r["flight (min)"] == MISSING:  # the report's empty cell; the popup's is '-'
            assert span("ft") == "-"
            continue
        assert span("ft") == f"{r['flight (min)']} min"
        assert span("wt") == f"{r['warning (min)']} min"
        assert span("wq") == r["warning p5 to p95 (min)"]
        assert span("cp") == ("-" if r["compression (s)"] == MISSING else f"{r['compression (s)']} s")
        assert span("cq") == r["compression p5 / p50 / p95 (s)"]
        checked += 1
    assert checked > 20
    # Claim 3 in the popups: each capital's engagement windows from Belarus, site by site, as the
    # report's defence_windows table prints them
    j = next(k for k, ln in enumerate(lines) if ln.startswith("| site | interceptor | target |"))
    dhead = [c.strip() for c in lines[j].strip("|").split("|")]
    win = {}
    for ln in lines[j + 2:]:
        if not ln.startswith("|"):
            break
        d = dict(zip(dhead, [c.strip() for c in ln.strip("|").split("|")]))
        win.setdefault(d["target"], []).append(d["window from Belarus (s)"])
    assert len(win) == len(an.capital_targets)
    shown = 0
    for cap, vals in win.items():
        pop = re.search(r"<b>" + re.escape(cap) + r"</b>.*?</div>", html, re.S).group(0)
        got = re.findall(r"class='dw'>([^<]*)<", pop)
        assert got == ["-" if v == MISSING else f"{v} s" for v in vals], cap
        shown += sum(v != MISSING for v in vals)
    assert shown > 10


def test_draws_are_upper_bounds_of_a_full_reoptimisation_and_mostly_equal():
    """A draw evaluates each area's nominal best point and the best lattice point of each other
    detection regime. Re-optimising the polygon for the draw's own parameters can only lower the
    least warning: the draw is an upper bound. For most pairs the two agree within 1 s plus the
    geometry bound; where a drawn radar range moves a regime boundary across the area they can
    differ by more (a known limitation, docs/model.md: 13 s for Brest-Kobryn -> Berlin here)."""
    from warning_time.best_point import optimise
    from warning_time.warning import warning_time

    sc = _small_scenario()
    t = _targets(["Warsaw", "Berlin", "Riga"])
    an = Analysis(sc, draws=3, seed=5, trajectories=["minimum-energy"], targets=t, spacing_km=10.0)
    run = an.run("minimum-energy")
    close, total = 0, 0
    for i in range(3):
        kp, sens, dd = an.space.setting(run["values"][i])

        def ev(lat, lon, ti):
            return warning_time(lat, lon, t["lat_deg"].to_numpy()[ti], t["lon_deg"].to_numpy()[ti], missile="oreshnik",
                                sensors=sens, decision_delay_s=dd, kernel_params=kp, on_invalid="nan").warning_time_s

        r = optimise(an.areas, t, ev, spacing_km=10.0)
        re = r["value"].to_numpy().reshape(len(an.areas), len(t))
        d = run["draws"][i]
        ok = np.isfinite(d)
        assert ok.sum() >= 8
        assert np.all(re[ok] <= d[ok] + 1e-6)  # the re-optimised value is the better one
        close += int(np.sum(d[ok] - re[ok] <= 1.0 + run["bound"][ok]))
        total += int(ok.sum())
    assert close >= 0.9 * total
