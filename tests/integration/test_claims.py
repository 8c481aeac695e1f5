"""Published-claims verdicts recomputed here from the class parameters (missiles.toml read
directly), the geodesic range and the class's preset flight times, independently of the
verdict code in warning_time.analysis."""
import tomllib
from importlib import resources

import numpy as np
import pytest
from pyproj import Geod

import warning_time as wt
from warning_time.analysis import CLAIM_ORDER, load_claims, published_claims
from warning_time.scenario import load_scenario

G = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def claims():
    sc = load_scenario()
    return sc, published_claims(sc), load_claims()


def _expected(c, row, cat):
    """The verdict category by the stated order, from first principles."""
    claimed = float(c["claimed_time_s"])
    g = G.inv(row["origin_lon_deg"], row["origin_lat_deg"], *_target(c))[2]
    if claimed < g / 7800.0:
        return "physically impossible"
    key = c.get("missile", "")
    if not key:
        return "class not modelled"
    bt = cat[key]["burn_time_s"]
    if claimed <= bt["low"]:
        return "impossible for the class"
    kw = dict(missile=key, on_invalid="nan")
    lat1, lon1 = row["origin_lat_deg"], row["origin_lon_deg"]
    lat2, lon2 = _target(c)[1], _target(c)[0]
    traj = c.get("trajectory", "minimum-energy")
    me = float(wt.flight_time(lat1, lon1, lat2, lon2, trajectory=traj, **kw).flight_time_s)
    if not np.isfinite(me):
        return "impossible for the class"
    if claimed <= bt["nominal"]:
        return "implausible for the class"
    quasi = cat[key].get("default_trajectory") == "quasi-ballistic" and traj in ("default", "quasi-ballistic")
    if quasi and claimed < me:
        return "not reproduced by the class model"
    if claimed >= me:
        return "consistent"
    dep = float(wt.flight_time(lat1, lon1, lat2, lon2, trajectory="depressed", **kw).flight_time_s)
    if abs(claimed - dep) < 0.5:
        return None  # at the edge: the bisection and the preset may fall either side
    return "needs a depressed trajectory" if claimed >= dep else "impossible for the class"


def _target(c):
    t = c["target"]
    if isinstance(t, dict):
        return t["lon_deg"], t["lat_deg"]
    from warning_time.places import load_targets

    r = load_targets().set_index("name").loc[t]
    return r["lon_deg"], r["lat_deg"]


def test_every_verdict_matches_the_order_recomputed_here(claims):
    sc, pc, raw = claims
    cat = tomllib.loads(resources.files("warning_time").joinpath("data/missiles.toml").read_text())
    assert len(pc) == len(raw)
    checked = 0
    for c, (_, row) in zip(raw, pc.iterrows()):
        exp = _expected(c, row, cat)
        got = row["verdict"].split(":")[0]
        assert got in CLAIM_ORDER
        if exp is not None:
            assert got == exp, (c["id"], row["verdict"])
            checked += 1
    assert checked >= len(raw) - 2


def test_claims_shorter_than_the_boost_are_not_told_they_need_a_depressed_trajectory(claims):
    sc, pc, raw = claims
    cat = tomllib.loads(resources.files("warning_time").joinpath("data/missiles.toml").read_text())
    for c, (_, row) in zip(raw, pc.iterrows()):
        if c.get("missile") and c["claimed_time_s"] <= cat[c["missile"]]["burn_time_s"]["low"]:
            assert row["verdict"].startswith(("impossible for the class", "physically impossible")), c["id"]


def test_named_class_missing_from_the_catalog_and_circular_claims_are_marked(claims):
    sc, pc, raw = claims
    kinzhal = pc[pc["claim"].str.contains("Kinzhal")].iloc[0]
    assert kinzhal["verdict"].startswith(("class not modelled", "physically impossible"))
    assert kinzhal["missile"] == ""
    dnipro = pc[pc["claim"].str.contains("Dnipro")].iloc[0]
    assert dnipro["used_to_derive"] and "circular" in dnipro["verdict"]
    assert (pc.loc[pc["used_to_derive"] == "", "verdict"].str.contains("circular") == False).all()  # noqa: E712
