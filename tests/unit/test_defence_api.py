"""warning_time.defence: catalog, cue from the warning model, terminal envelope, footprints,
raid table and bad input."""
from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from warning_time import defence as D
from warning_time.errors import InputError
from warning_time.sensors import sensor_set
from warning_time.warning import warning_time

BLR = (53.30, 28.64)
BERLIN = (52.52, 13.405)
COPENHAGEN = (55.676, 12.568)


# --------------------------------------------------------------------------------------------
# catalog
# --------------------------------------------------------------------------------------------

def test_catalog_values_are_banded_and_sourced():
    cat = D.load_interceptors()
    assert {"sm3-ib", "sm3-iia", "thaad", "pac3-mse", "aster-30-b1", "aster-30-b1nt", "arrow-3"} <= set(cat)
    for it in cat.values():
        for f, b in it.bands.items():
            assert b.low <= b.nominal <= b.high and b.source.strip(), (it.key, f)
        assert it.value("min_intercept_altitude_km") < it.value("max_intercept_altitude_km")
        if it.tier == "terminal":
            assert math.isfinite(it.value("max_threat_speed_m_s"))
    sites = D.load_sites()
    assert {"redzikowo", "deveselu", "holzdorf"} <= set(sites)
    for s in sites.values():
        assert s.coordinate_source.strip() and s.inventory is not None


def test_aegis_sites_match_targets_table():
    from warning_time.places import load_targets

    t = load_targets().set_index("name")
    for key, name in (("redzikowo", "Redzikowo Aegis Ashore"), ("deveselu", "Deveselu Aegis Ashore")):
        s = D.get_site(key)
        assert (s.lat_deg, s.lon_deg) == (t.loc[name, "lat_deg"], t.loc[name, "lon_deg"])


# --------------------------------------------------------------------------------------------
# cue and delays
# --------------------------------------------------------------------------------------------

def test_cue_is_the_warning_models_first_warning_plus_delays():
    w = D.engagement_windows(*BLR, *BERLIN, missile="oreshnik", site="redzikowo").iloc[0]
    ref = warning_time(*BLR, *BERLIN, missile="oreshnik", sensors=sensor_set(), decision_delay_s=0.0)
    assert w["cue_s"] == pytest.approx(float(ref.warning_issued_s))
    assert w["cued_by"] == str(ref.detected_by)
    it = D.get_interceptor("sm3-iia")
    assert w["earliest_launch_s"] == pytest.approx(w["cue_s"] + it.value("commit_delay_s") + it.value("launch_delay_s"))
    assert w["first_intercept_s"] >= w["earliest_launch_s"]


def test_own_radar_cueing_uses_only_the_sites_radar():
    # (Copenhagen: a flight the Redzikowo radar sees on its own; with the least-burn Oreshnik
    # trajectory the Berlin flight stays out of its coverage, and then there is no own cue)
    w = D.engagement_windows(*BLR, *COPENHAGEN, missile="oreshnik", site="redzikowo", cueing="own").iloc[0]
    ref = warning_time(*BLR, *COPENHAGEN, missile="oreshnik", sensors=sensor_set(names=["redzikowo-spy1"]))
    assert math.isfinite(float(ref.warning_issued_s))
    assert w["cue_s"] == pytest.approx(float(ref.warning_issued_s))
    assert w["cued_by"] == "redzikowo-spy1"


def test_later_cue_never_lengthens_the_window():
    cues = np.array([150.0, 200.0, 250.0, 300.0, 350.0])
    w = D.engagement_windows(*BLR, *BERLIN, missile="oreshnik", site="redzikowo", cue_s=cues)
    assert np.all(np.diff(w["window_s"].to_numpy()) <= 1e-6)
    assert np.all(np.diff(w["shots"].to_numpy()) <= 0)


def test_terminal_interceptor_refuses_threats_faster_than_its_envelope():
    # Aster 30 B1 (600 km-class threats) at Rzeszow: an Oreshnik-class flight from Teykovo
    # (~1,500 km) re-enters too fast; one from Belarus (~600 km) does not
    it = D.get_interceptor("aster-30-b1")
    w = D.engagement_windows([56.85, BLR[0]], [40.55, BLR[1]], 50.11, 22.019, missile="oreshnik",
                             site="sampt-rzeszow", interceptor="aster-30-b1")
    far, near = w.iloc[0], w.iloc[1]
    assert far["reentry_speed_m_s"] > it.value("max_threat_speed_m_s")
    assert far["status"] == "outside threat envelope" and far["shots"] == 0
    assert near["reentry_speed_m_s"] <= it.value("max_threat_speed_m_s")
    assert near["status"] != "outside threat envelope"


def test_srbm_flies_below_upper_tier_floor():
    # Iskander-class lifting flight (apogee ~50 km) to Vilnius: below SM-3's 100-km floor
    w = D.engagement_windows(*BLR, 54.687, 25.279, missile="iskander-m", trajectory="default",
                             site="redzikowo", interceptor="sm3-iia", cue_s=30.0).iloc[0]
    assert w["status"] == "no window" and w["shots"] == 0


# --------------------------------------------------------------------------------------------
# footprints
# --------------------------------------------------------------------------------------------

REGION = (0.0, 44.0, 30.0, 62.0)


@pytest.fixture(scope="module")
def fp():
    return D.footprint("holzdorf", (BLR[0], BLR[1]), missile="oreshnik", res_deg=2.0, region=REGION)


def test_footprint_is_a_geodataframe_in_wgs84(fp):
    assert fp.crs.to_epsg() == 4326
    assert list(fp["level"]) == ["at least once", "at least twice"]
    once, twice = fp.geometry.iloc[0], fp.geometry.iloc[1]
    assert not once.is_empty
    assert twice.difference(once).area < 1e-9  # twice is inside once
    assert fp["area_km2"].iloc[0] >= fp["area_km2"].iloc[1] > 0


def test_footprint_boundaries_match_point_by_point_windows(fp):
    """Random targets more than one grid cell from a footprint boundary: inside the polygon
    exactly when the point-by-point window gives at least that many shots."""
    rng = np.random.default_rng(16)
    lat = rng.uniform(REGION[1] + 1, REGION[3] - 1, 60)
    lon = rng.uniform(REGION[0] + 1, REGION[2] - 1, 60)
    w = D.engagement_windows(BLR[0], BLR[1], lat, lon, missile="oreshnik", site="holzdorf", dt_s=2.0)
    shots = w["shots"].to_numpy()
    flies = w["status"].ne("no flight").to_numpy()
    checked = 0
    for k, geom in zip((1, 2), fp.geometry):
        for i in range(lat.size):
            pt = shapely.Point(lon[i], lat[i])
            if geom.boundary.distance(pt) <= 2.0 or not flies[i]:
                continue
            assert geom.contains(pt) == (shots[i] >= k), (k, lat[i], lon[i], shots[i])
            checked += 1
    assert checked >= 20


def test_footprint_comparison_difference():
    c = D.footprint_comparison("redzikowo", (BLR[0], BLR[1]), (56.85, 40.55), missile="oreshnik", res_deg=3.0,
                               region=REGION)
    assert set(c["launch"]) == {"Belarus", "baseline", "lost (baseline minus Belarus)"}
    for lvl in ("at least once", "at least twice"):
        a = c[(c["launch"] == "Belarus") & (c["level"] == lvl)].geometry.iloc[0]
        b = c[(c["launch"] == "baseline") & (c["level"] == lvl)].geometry.iloc[0]
        lost = c[(c["launch"] == "lost (baseline minus Belarus)") & (c["level"] == lvl)].geometry.iloc[0]
        assert lost.symmetric_difference(b.difference(a)).area < 1e-9


# --------------------------------------------------------------------------------------------
# raid table
# --------------------------------------------------------------------------------------------

def test_raid_table_counts():
    r = D.raid_table(["redzikowo"], missiles=10, rvs_per_missile=3, interceptors_per_rv=2).iloc[0]
    assert r["inventory"] == 24 and r["raid_rvs"] == 30 and r["interceptors_needed"] == 60
    assert r["rvs_engaged"] == 12 and r["rvs_unengaged"] == 18 and r["inventory_left"] == 0
    pk = D.get_interceptor("sm3-iia").value("single_shot_pk")
    assert r["expected_leakers_pk_nominal"] == pytest.approx(12 * (1 - pk) ** 2 + 18)


def test_raid_table_shoot_look_shoot_limited_by_opportunities():
    r = D.raid_table(["redzikowo"], missiles=2, interceptors_per_rv=2, doctrine="shoot-look-shoot",
                     shots_available={"redzikowo": 1}).iloc[0]
    assert r["shots_per_rv_possible"] == 1 and r["rvs_engaged"] == 2


# --------------------------------------------------------------------------------------------
# bad input: one clear line
# --------------------------------------------------------------------------------------------

def _one_line(exc):
    msg = str(exc.value)
    assert "\n" not in msg and "Traceback" not in msg
    return msg


def test_unknown_interceptor_and_site():
    with pytest.raises(InputError) as e:
        D.engagement_windows(*BLR, *BERLIN, missile="oreshnik", site="redzikowo", interceptor="sm-9")
    assert "sm3-iia" in _one_line(e)
    with pytest.raises(InputError) as e:
        D.engagement_windows(*BLR, *BERLIN, missile="oreshnik", site="atlantis")
    assert "redzikowo" in _one_line(e)


def test_site_outside_the_map():
    with pytest.raises(InputError) as e:
        D.engagement_windows(*BLR, *BERLIN, missile="oreshnik", site={"lat_deg": 10.0, "lon_deg": 100.0},
                             interceptor="sm3-iia")
    assert "outside the map" in _one_line(e)


def test_altitudes_out_of_order_in_a_user_catalog(tmp_path):
    text = (D.resources.files("warning_time").joinpath("data/interceptors.toml").read_text("utf-8")
            .replace('max_intercept_altitude_km = { low = 250.0, nominal = 500.0',
                     'max_intercept_altitude_km = { low = 50.0, nominal = 500.0', 1))
    p = tmp_path / "bad.toml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        D.load_interceptors(p)
    msg = _one_line(e)
    assert "altitudes out of order" in msg and "sm3-ib" in msg and str(p) in msg


def test_own_cueing_without_radar():
    with pytest.raises(InputError) as e:
        D.engagement_windows(*BLR, *BERLIN, missile="oreshnik", site="holzdorf", cueing="own")
    assert "remote" in _one_line(e)


def test_bad_options():
    for kw in (dict(band="worst"), dict(cueing="psychic"), dict(dt_s=0.0)):
        with pytest.raises(InputError) as e:
            D.engagement_windows(*BLR, *BERLIN, missile="oreshnik", site="redzikowo", **kw)
        _one_line(e)


def test_scenario_defence_table_defaults_and_errors():
    from warning_time.scenario import load_scenario

    sc = load_scenario()
    d = D.scenario_defence(sc)
    assert d["sites"] == D.CLAIM3_SITES and d["cueing"] == "remote" and d["raid"] == D.CLAIM3_RAID
    for bad, needle in (({"cueing": "psychic"}, "defence.cueing"), ({"sites": ["narnia"]}, "narnia"),
                        ({"raid_missiles": 0}, "raid_missiles"), ({"colour": 1}, "unknown key"),
                        ({"sites": ["holzdorf"], "cueing": "own"}, "no own radar")):
        with pytest.raises(InputError) as e:
            D.scenario_defence(dict(sc, defence=bad))
        assert needle in _one_line(e) and "paper.toml" in str(e.value)
    ok = D.scenario_defence(dict(sc, defence={"sites": ["redzikowo"], "cueing": "own", "raid_missiles": 2}))
    assert ok["sites"] == ("redzikowo",) and ok["raid"]["missiles"] == 2
