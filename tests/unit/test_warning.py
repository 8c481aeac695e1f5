"""Warning model (warning_time.warning): who detects a flight, the warning-time arithmetic, the
radar detection time against an independent reconstruction, and compression.

Expected values, never from warning_time's outputs:
- sensor parameters read here from the shipped sensors.toml with tomllib, missile parameters
  from missiles.toml, cross-sections and post-boost times from signatures.toml, the chain from
  warning_chain.toml;
- infrared detection: the model's kinematic boost climbs as (t / t_b)^2 of the burnout altitude,
  so the plume clears the cloud tops at t_b sqrt(h_cloud / h_bo), plus the revisit time;
- radar detection time: the trajectory rebuilt independently (tests/reference/indep_flight.py:
  boost as the model's kinematic stand-in, free flight by integrating the package's burnout
  state in the Earth-fixed frame with scipy), the line of sight by a ray trace through the
  ITU-R P.453 refractivity profile, sector and range by cross-section written out there; the
  first time the radar sees the flight is found by scanning and bisection.

Coordinates are public city/site coordinates; launch areas are notional.
"""
from __future__ import annotations

import functools
import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq

import warning_time
from warning_time import places
from warning_time.core import trajectory as tr
from warning_time.compression import compression, compression_uncertainty
from warning_time.sampling import area_points
from warning_time.chain import warning_chain
from warning_time.sensors import sensor_set
from warning_time.warning import warning_time as wt_warning

from indep_flight import Flight as _Flight
from indep_flight import Radar as _Radar
from indep_flight import boost_for_pair
from independent import catalog_band

DATA = Path(warning_time.__file__).resolve().parent / "data"
SENSORS = tomllib.loads((DATA / "sensors.toml").read_text("utf-8"))
MISSILES = tomllib.loads((DATA / "missiles.toml").read_text("utf-8"))
SIGNATURES = tomllib.loads((DATA / "signatures.toml").read_text("utf-8"))
CHAIN = tomllib.loads((DATA / "warning_chain.toml").read_text("utf-8"))

KAPUSTIN_YAR = (48.58, 45.72)
DNIPRO = (48.46, 35.05)
KRYCHAW = (53.70, 31.71)
BERLIN = (52.52, 13.405)
WARSAW = (52.23, 21.01)
CHERNYAKHOVSK = (54.63, 21.81)
LONDON = (51.507, -0.128)
TABRIZ = (38.08, 46.29)
BARANAVICHY = (53.13, 26.02)
BUCHAREST = (44.43, 26.10)
COPENHAGEN = (55.676, 12.568)
OSLO = (59.913, 10.752)
OLENYA = (68.15, 33.46)  # an air base on the Kola peninsula (public maps)
ANKARA = (39.93, 32.86)


sval = functools.partial(catalog_band, SENSORS)
mval = functools.partial(catalog_band, MISSILES)


def one(res):
    df = res.to_frame()
    assert len(df) == 1
    return df.iloc[0]


# --------------------------------------------------------------------------------------------
# independent trajectory and line of sight
# --------------------------------------------------------------------------------------------

def sig(missile, band="nominal"):
    """(booster, post-boost, re-entry vehicle cross-sections, post-boost time) from the TOML."""
    e = SIGNATURES.get(missile, SIGNATURES["default"])
    return tuple(float(e[k][band]) for k in ("booster_rcs_m2", "post_boost_rcs_m2", "rv_rcs_m2", "post_boost_s"))


def chain_after(audience, band="nominal"):
    return CHAIN[audience]["assess_s"][band] + CHAIN[audience]["disseminate_s"][band]


def Flight(launch, target, missile, mode, value, band="nominal"):
    """The independent rebuild with the boost of that pair (a range-dependent boost class: its
    table's least-burn state and angle at minimum energy; indep_flight.boost_for_pair)."""
    t_b, h_bo, d_bo, b_mode, b_value = boost_for_pair(missile, launch, target, band)
    if mode == tr.MODE_MIN_ENERGY:
        mode, value = b_mode, b_value
    return _Flight(launch, target, t_b, h_bo, d_bo, mode, value)


def Radar(name, band="nominal", missile=None):
    return _Radar(SENSORS[name], band, rcs=None if missile is None else sig(missile, band))


def ir_detection(missile, launch, target, band="nominal"):
    """Independent infrared first detection: cloud-top clearing on the (t / t_b)^2 climb + revisit;
    NaN when that is not before burnout (the pair's boost: indep_flight.boost_for_pair)."""
    t_b, h_bo_m = boost_for_pair(missile, launch, target, band)[:2]
    h_bo = h_bo_m / 1e3
    cloud = sval("space-infrared", "cloud_top_km", band)
    if t_b <= 0 or h_bo <= cloud:
        return math.nan
    t = t_b * math.sqrt(cloud / h_bo) + sval("space-infrared", "revisit_s", band)
    return t if t < t_b else math.nan


# --------------------------------------------------------------------------------------------
# (a) a flight no radar sees
# --------------------------------------------------------------------------------------------

def test_flight_no_radar_sees_is_reported_by_space_infrared():
    """Oreshnik, Kapustin Yar -> Dnipro (the 21 Nov 2024 strike geometry) with Fylingdales and
    the space-infrared class only: Fylingdales (~2,500 km away, apogee ~230 km) never sees it."""
    sens = sensor_set(names=["fylingdales", "space-infrared"])
    res = one(wt_warning(*KAPUSTIN_YAR, *DNIPRO, missile="oreshnik", sensors=sens))
    assert res["status"] == 0
    radar_cols = [c for c in res.index if c.startswith("detect_") and c.endswith("_s")]
    assert radar_cols == ["detect_space-infrared_s", "detect_fylingdales_s"]
    assert math.isnan(res["detect_fylingdales_s"])
    assert res["detected_by"] == "space-infrared"
    assert res["detected_object"] == "plume (infrared)"
    t_ir = ir_detection("oreshnik", KAPUSTIN_YAR, DNIPRO)
    t_b = boost_for_pair("oreshnik", KAPUSTIN_YAR, DNIPRO)[0]
    assert res["detection_time_s"] == pytest.approx(t_ir, abs=1e-4)
    assert res["detection_time_s"] < res["burnout_time_s"] == pytest.approx(t_b, rel=1e-9)
    release = t_b + sig("oreshnik")[3]
    assert res["release_time_s"] == pytest.approx(release, abs=1e-9)
    predicted = release + sval("space-infrared", "processing_delay_s")
    assert res["impact_predicted_s"] == pytest.approx(predicted, abs=1e-9)
    issued = predicted + chain_after("forces")
    assert res["warning_issued_s"] == pytest.approx(issued, abs=1e-9)
    assert res["warning_time_s"] == pytest.approx(res["flight_time_s"] - issued, abs=1e-9)
    for aud in ("forces", "leaders", "public"):
        assert res[f"warning_{aud}_s"] == pytest.approx(res["flight_time_s"] - predicted - chain_after(aud), abs=1e-9)
    assert res["reason"] == ""
    # independently: the whole path stays below Fylingdales' mask or beyond its range
    fl = Flight(KAPUSTIN_YAR, DNIPRO, "oreshnik", tr.MODE_MIN_ENERGY, 0.0)
    assert fl.t_b + fl.tof < res["flight_time_s"]  # (plus the drag delay)
    r = Radar("fylingdales", missile="oreshnik")
    assert not any(r.sees(fl, t) for t in np.arange(0.0, fl.t_end, 1.0))


# --------------------------------------------------------------------------------------------
# (b) no sensor at all
# --------------------------------------------------------------------------------------------

def test_no_sensor_at_all_gives_nan_warning_not_the_flight_time():
    res = wt_warning([KRYCHAW[0], KAPUSTIN_YAR[0]], [KRYCHAW[1], KAPUSTIN_YAR[1]],
                     [BERLIN[0], DNIPRO[0]], [BERLIN[1], DNIPRO[1]], missile="oreshnik",
                     sensors=sensor_set(names=[])).to_frame()
    assert (res["status"] == 0).all()
    assert np.isfinite(res["flight_time_s"]).all()
    assert res["warning_time_s"].isna().all()
    assert (res["warning_time_s"] != res["flight_time_s"]).all()
    assert res["detection_time_s"].isna().all()
    assert (res["detected_by"] == "").all()
    assert all("not detected" in r for r in res["reason"])


def test_only_radars_that_never_see_give_nan_warning_with_reason():
    """The same contract through the path that works today: a sensor set whose only radar
    (Fylingdales) never sees the flight and no space-infrared class."""
    res = one(wt_warning(*KAPUSTIN_YAR, *DNIPRO, missile="oreshnik", sensors=sensor_set(names=["fylingdales"])))
    assert res["status"] == 0 and math.isfinite(res["flight_time_s"])
    assert math.isnan(res["warning_time_s"])
    assert res["warning_time_s"] != res["flight_time_s"]
    assert res["detected_by"] == ""
    assert "not detected" in res["reason"]


def test_sensor_set_empty_names_has_no_sensor():
    s = sensor_set(names=[])
    assert s.names == () and s.ir_names == () and s.radar_names == ()
    assert s.radar_lat_rad.shape == (0,) and s.ir_cloud_m.shape == (0,)


# --------------------------------------------------------------------------------------------
# (c) warning = flight - (detection + processing + decision)
# --------------------------------------------------------------------------------------------

CASES_C = [  # launch, target, missile, trajectory
    (KAPUSTIN_YAR, DNIPRO, "oreshnik", "minimum-energy"),
    (KRYCHAW, BERLIN, "oreshnik", "minimum-energy"),
    (KRYCHAW, WARSAW, "oreshnik", "minimum-energy"),
    (CHERNYAKHOVSK, WARSAW, "iskander-m", "default"),
]


@pytest.mark.parametrize("band", ["nominal", "low", "high"])
def test_warning_is_flight_minus_prediction_and_chain(band):
    """warning(audience) = flight - (max(detection, release) + processing of the first sensor to
    predict + assess + disseminate of the audience + decision delay), every term from the TOML
    files and the per-sensor detection times."""
    decision = 30.0
    sens = sensor_set(band=band)
    n_radar_first = 0
    for launch, target, missile, traj in CASES_C:
        res = one(wt_warning(*launch, *target, missile=missile, trajectory=traj, sensors=sens,
                             decision_delay_s=decision, band=band, chain=warning_chain(band=band)))
        assert res["status"] == 0
        flight = res["flight_time_s"]
        t_b = boost_for_pair(missile, launch, target, band)[0]
        release = t_b + sig(missile, band)[3]
        assert res["burnout_time_s"] == pytest.approx(t_b, rel=1e-9)
        assert res["release_time_s"] == pytest.approx(min(release, flight), abs=1e-9)
        predicted = {}
        ir_det = ir_detection(missile, launch, target, band)
        assert res["detect_space-infrared_s"] == pytest.approx(ir_det, abs=1e-4, nan_ok=True)
        if math.isfinite(ir_det):
            predicted["space-infrared"] = (ir_det, max(ir_det, release) + sval("space-infrared", "processing_delay_s", band))
        for name, entry in SENSORS.items():
            if entry["kind"] != "ground-radar":
                continue
            det = res[f"detect_{name}_s"]
            if math.isfinite(det):
                assert 0.0 <= det <= flight
                predicted[name] = (det, max(det, release) + sval(name, "processing_delay_s", band))
        assert predicted, "every case here is detected"
        first = min(predicted, key=lambda n: predicted[n][1])
        det, pred = predicted[first]
        assert res["detected_by"] == first
        assert res["detection_time_s"] == pytest.approx(det, abs=1e-4)
        assert res["first_detection_s"] == pytest.approx(min(v[0] for v in predicted.values()), abs=1e-4)
        assert res["impact_predicted_s"] == pytest.approx(pred, abs=1e-4)
        assert res["impact_predicted_s"] >= release
        for aud in ("forces", "leaders", "public"):
            issued = pred + chain_after(aud, band) + decision
            assert res[f"warning_{aud}_s"] == pytest.approx(flight - issued, abs=1e-4)
        assert res["warning_issued_s"] == pytest.approx(pred + chain_after("forces", band) + decision, abs=1e-4)
        assert res["warning_time_s"] == res["warning_forces_s"]
        # a radar that sees the booster still predicts only after burnout / release
        n_radar_first += any(k != "space-infrared" and v[0] < res["burnout_time_s"] for k, v in predicted.items())
    if band == "nominal":
        assert n_radar_first >= 1  # Chernyakhovsk -> Warsaw: Redzikowo sees the Iskander's boost


def test_decision_delay_shifts_warning_one_for_one():
    base = one(wt_warning(*KRYCHAW, *BERLIN, missile="oreshnik"))
    later = one(wt_warning(*KRYCHAW, *BERLIN, missile="oreshnik", decision_delay_s=90.0))
    assert later["detected_by"] == base["detected_by"]
    assert later["warning_time_s"] == pytest.approx(base["warning_time_s"] - 90.0, abs=1e-9)


# --------------------------------------------------------------------------------------------
# (d) radar detection time against the independent reconstruction
# --------------------------------------------------------------------------------------------

CASES_D = [  # id, launch, target, missile, trajectory, mode, value, radar, phase
    ("oreshnik-baranavichy-berlin-redzikowo", BARANAVICHY, BERLIN, "oreshnik", "minimum-energy",
     tr.MODE_MIN_ENERGY, 0.0, "redzikowo-spy1", "boost"),
    ("oreshnik-krychaw-berlin-fylingdales", KRYCHAW, BERLIN, "oreshnik", "minimum-energy",
     tr.MODE_MIN_ENERGY, 0.0, "fylingdales", "free"),
    ("oreshnik-chernyakhovsk-copenhagen-baltic-ship", CHERNYAKHOVSK, COPENHAGEN, "oreshnik", "minimum-energy",
     tr.MODE_MIN_ENERGY, 0.0, "baltic-aegis-ship", "boost"),
    ("oreshnik-olenya-oslo-vardo", OLENYA, OSLO, "oreshnik", "minimum-energy",
     tr.MODE_MIN_ENERGY, 0.0, "vardo-globus", "boost"),
    ("iskander-chernyakhovsk-warsaw-redzikowo", CHERNYAKHOVSK, WARSAW, "iskander-m", "default",
     tr.MODE_QUASI, mval("iskander-m", "apogee_cap_km") * 1e3, "redzikowo-spy1", "boost"),
    ("oreshnik-tabriz-ankara-kurecik", TABRIZ, ANKARA, "oreshnik", "minimum-energy",
     tr.MODE_MIN_ENERGY, 0.0, "kurecik", "boost"),
    ("oreshnik-kapustin-yar-london-fylingdales", KAPUSTIN_YAR, LONDON, "oreshnik", "minimum-energy",
     tr.MODE_MIN_ENERGY, 0.0, "fylingdales", "free"),
]


@pytest.mark.parametrize("case", CASES_D, ids=[c[0] for c in CASES_D])
def test_radar_detection_time_matches_independent_reconstruction(case, residual):
    _, launch, target, missile, traj, mode, value, radar, phase = case
    res = one(wt_warning(*launch, *target, missile=missile, trajectory=traj,
                         sensors=sensor_set(names=[radar])))
    assert res["status"] == 0
    t_pkg = res[f"detect_{radar}_s"]
    fl = Flight(launch, target, missile, mode, value)
    assert res["burnout_time_s"] == pytest.approx(fl.t_b, rel=1e-9)
    r = Radar(radar, missile=missile)
    t_ref = r.first_detection(fl)
    assert math.isfinite(t_pkg) and math.isfinite(t_ref), (t_pkg, t_ref)
    # the reconstruction has no drag stretch: valid while the detection precedes the entry
    assert t_ref < res["reentry_time_s"]
    assert (t_ref < fl.t_b) == (phase == "boost")
    residual(f"warning: radar first detection vs independent reconstruction ({phase})", t_pkg - t_ref, "s")
    assert t_pkg == pytest.approx(t_ref, abs=1.0)
    # the package's detection time is a time the radar sees the flight, 0.05 s earlier it does not
    assert r.sees(fl, t_pkg + 0.05)
    assert not r.sees(fl, t_pkg - 0.05)
    obj = "booster" if t_ref < fl.t_b else ("post-boost vehicle" if t_ref < fl.t_b + sig(missile)[3]
                                             else "re-entry vehicle")
    assert res["detected_object"] == obj


# --------------------------------------------------------------------------------------------
# (e) compression: antisymmetry and zero
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compression_inputs():
    areas = places.load_launch_areas()
    targets = places.load_targets()
    tg = targets[targets["name"].isin(["Warsaw", "Berlin", "Vilnius", "Riga"])].reset_index(drop=True)
    lp = area_points(areas[areas["role"] == "launch"], 2, seed=3)
    bp = area_points(areas[areas["role"] == "baseline"], 2, seed=3)
    return tg, lp, bp, areas


def test_compression_is_antisymmetric_and_zero_for_identical_sets(compression_inputs):
    tg, lp, bp, _ = compression_inputs
    ab = compression(tg, lp, bp, missile="oreshnik")
    ba = compression(tg, bp, lp, missile="oreshnik")
    assert list(ab["target"]) == list(tg["name"])
    assert np.isfinite(ab["compression_s"]).sum() >= 2  # (Vilnius is inside Oreshnik's minimum range)
    assert np.array_equal(ab["compression_s"].to_numpy(), -ba["compression_s"].to_numpy(), equal_nan=True)
    assert np.array_equal(ab["launch_warning_s"].to_numpy(), ba["baseline_warning_s"].to_numpy(), equal_nan=True)
    assert np.array_equal(ab["baseline_warning_s"].to_numpy(), ba["launch_warning_s"].to_numpy(), equal_nan=True)
    same = compression(tg, lp, lp, missile="oreshnik")
    c = same["compression_s"].to_numpy()
    fin = np.isfinite(same["launch_warning_s"].to_numpy())
    assert (c[fin] == 0.0).all()
    assert np.isnan(c[~fin]).all()
    # the best (shortest) warning over the points, per target
    allw = wt_warning(np.repeat(lp["lat_deg"].to_numpy(), len(tg)), np.repeat(lp["lon_deg"].to_numpy(), len(tg)),
                      np.tile(tg["lat_deg"].to_numpy(), len(lp)), np.tile(tg["lon_deg"].to_numpy(), len(lp)),
                      missile="oreshnik").to_frame()
    w = allw["warning_time_s"].to_numpy().reshape(len(lp), len(tg))
    best = np.array([col[np.isfinite(col)].min() if np.isfinite(col).any() else np.nan for col in w.T])
    assert np.array_equal(ab["launch_warning_s"].to_numpy(), best, equal_nan=True)


# --------------------------------------------------------------------------------------------
# (f) compression uncertainty: ordered summary
# --------------------------------------------------------------------------------------------

def test_compression_uncertainty_min_median_max_bracket_nominal(compression_inputs):
    tg, _, _, areas = compression_inputs
    u = compression_uncertainty(tg, areas[areas["role"] == "launch"], areas[areas["role"] == "baseline"],
                                missile="oreshnik", draws=3, points_per_area=3)
    assert list(u["target"]) == list(tg["name"])
    n_finite = 0
    for q in ("launch_warning", "baseline_warning", "compression"):
        lo, med, hi, nom = (u[f"{q}_min_s"].to_numpy(), u[f"{q}_median_s"].to_numpy(), u[f"{q}_max_s"].to_numpy(),
                            u[f"{q}_s"].to_numpy())
        fin = np.isfinite(nom)
        n_finite += fin.sum()
        assert (lo[fin] <= med[fin]).all() and (med[fin] <= hi[fin]).all()
        assert (lo[fin] <= nom[fin]).all() and (nom[fin] <= hi[fin]).all()
    assert n_finite >= 6


def test_area_points_do_not_depend_on_the_other_areas():
    """A baseline set and its subset (all baselines vs Russia proper) must sample the same points
    in their common areas, or their best warnings contradict each other."""
    areas = places.load_launch_areas()
    base = areas[areas["role"] == "baseline"]
    a = area_points(base, 6, seed=3)
    b = area_points(base[base["name"] != "Kaliningrad"], 6, seed=3)
    pd.testing.assert_frame_equal(a[a["area"] != "Kaliningrad"].reset_index(drop=True), b.reset_index(drop=True))
    assert not area_points(base, 6, seed=4).equals(a)
