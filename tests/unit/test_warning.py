"""Warning model (warning_time.warning): who detects a flight, the warning-time arithmetic, the
radar detection time against an independent reconstruction, and compression.

Expected values, never from warning_time's outputs:
- sensor parameters read here from the shipped sensors.toml with tomllib, missile parameters
  from missiles.toml;
- radar detection time: the trajectory rebuilt independently (boost as the model's kinematic
  stand-in, (t / t_b)^2 of the burnout altitude and of the arc to the burnout point; free flight
  by integrating the package's burnout state in the Earth-fixed frame with scipy, see
  tests/reference/independent.py ``fly_dense``), and the line of sight by the law of cosines on
  the 4/3 effective Earth (``effective_earth_los``); the first time with elevation >= mask and
  slant <= maximum range is found by scanning and brentq.

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
from warning_time.sensors import sensor_set
from warning_time.warning import warning_time as wt_warning

from independent import (A_WGS84, F_WGS84, MU, OMEGA, catalog_band, central_angle, ecef, effective_earth_los,
                         ellipsoid_radius, fly_dense)

DATA = Path(warning_time.__file__).resolve().parent / "data"
SENSORS = tomllib.loads((DATA / "sensors.toml").read_text("utf-8"))
MISSILES = tomllib.loads((DATA / "missiles.toml").read_text("utf-8"))
E2_WGS84 = F_WGS84 * (2 - F_WGS84)
K43 = 4.0 / 3.0

KAPUSTIN_YAR = (48.58, 45.72)
DNIPRO = (48.46, 35.05)
KRYCHAW = (53.70, 31.71)
BERLIN = (52.52, 13.405)
WARSAW = (52.23, 21.01)
CHERNYAKHOVSK = (54.63, 21.81)


sval = functools.partial(catalog_band, SENSORS)
mval = functools.partial(catalog_band, MISSILES)


def one(res):
    df = res.to_frame()
    assert len(df) == 1
    return df.iloc[0]


# --------------------------------------------------------------------------------------------
# independent trajectory and line of sight
# --------------------------------------------------------------------------------------------

def burnout_point(launch, target, h_bo, d_bo):
    """Burnout position: the launch point's geocentric direction turned toward the target's by
    d_bo / |r_launch| on their great circle, h_bo above the ellipsoid along that direction."""
    p1, p2 = ecef(*launch), ecef(*target)
    u1, u2 = p1 / np.linalg.norm(p1), p2 / np.linalg.norm(p2)
    t = u2 - np.dot(u1, u2) * u1
    t /= np.linalg.norm(t)
    ang = d_bo / np.linalg.norm(p1)
    u = math.cos(ang) * u1 + math.sin(ang) * t
    return u * (ellipsoid_radius(u) + h_bo)


class Flight:
    """Independent Earth-fixed trajectory of one flight of the model (until the vacuum impact;
    the model's drag stretch after the entry altitude is not rebuilt, so use it before entry)."""

    def __init__(self, launch, target, missile, mode, value):
        self.t_b = mval(missile, "burn_time_s")
        self.h_bo = mval(missile, "burnout_altitude_km") * 1e3
        d_bo = mval(missile, "burnout_downrange_km") * 1e3
        # the package's burnout state (position, velocity relative to the Earth) is the one input
        out = tr.burnout_state(*np.radians([*launch, *target]), A_WGS84, E2_WGS84, OMEGA, MU, mode,
                               value, False, self.h_bo, d_bo)
        assert out[0] == 0
        self.r0, v0, self.tof = np.array(out[1:4]), np.array(out[4:7]), out[7]
        assert np.linalg.norm(self.r0 - burnout_point(launch, target, self.h_bo, d_bo)) < 1e-3
        self.sol = fly_dense(self.r0, v0, self.tof, rotating=True)
        p1 = ecef(*launch)
        self.u1 = p1 / np.linalg.norm(p1)
        self.ub = self.r0 / np.linalg.norm(self.r0)
        self.ang = central_angle(self.u1, self.ub)
        self.t_end = self.t_b + self.tof

    def position(self, t):
        """ECEF position (m) and height over the ellipsoid along the geocentric radial (m)."""
        if t < self.t_b:
            f = (t / self.t_b) ** 2
            if self.ang > 0:  # slerp by f of the arc to the burnout direction
                d = (math.sin((1 - f) * self.ang) * self.u1 + math.sin(f * self.ang) * self.ub) / math.sin(self.ang)
            else:
                d = self.u1
            h = f * self.h_bo
            return d * (ellipsoid_radius(d) + h), h
        r = self.sol.sol(min(t - self.t_b, self.tof))[:3]
        return r, float(np.linalg.norm(r) - ellipsoid_radius(r))


class Radar:
    def __init__(self, name, band="nominal", k=K43):
        self.name = name
        self.h = sval(name, "height_m", band)
        self.pos = ecef(SENSORS[name]["lat_deg"], SENSORS[name]["lon_deg"], self.h)
        self.R = ellipsoid_radius(self.pos)  # Earth radius below the radar
        self.mask = math.radians(sval(name, "elevation_mask_deg", band))
        self.max_m = sval(name, "max_range_km", band) * 1e3
        self.k = k

    def margin(self, flight, t):
        """min(elevation - mask (rad), max range - slant (m)): >= 0 when the radar sees it."""
        p, h = flight.position(t)
        el, s = effective_earth_los(central_angle(self.pos, p), self.R, self.h, max(h, 0.0), self.k)
        return min(el - self.mask, self.max_m - s)

    def first_detection(self, flight, dt=0.5):
        ts = np.append(np.arange(0.0, flight.t_end, dt), flight.t_end)
        prev = None
        for t in ts:
            if self.margin(flight, t) >= 0:
                if prev is None:
                    return 0.0
                return brentq(lambda x: self.margin(flight, x), prev, t, xtol=1e-6)
            prev = t
        return math.nan

    def max_margin(self, flight, dt=1.0):
        ts = np.append(np.arange(0.0, flight.t_end, dt), flight.t_end)
        return max(self.margin(flight, t) for t in ts)


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
    assert radar_cols == ["detect_fylingdales_s"]
    assert all(math.isnan(res[c]) for c in radar_cols)
    assert res["detected_by"] == "space-infrared"
    assert res["detection_time_s"] == sval("space-infrared", "detection_delay_s")
    issued = sval("space-infrared", "detection_delay_s") + sval("space-infrared", "processing_delay_s")
    assert res["warning_issued_s"] == pytest.approx(issued, abs=1e-9)
    assert res["warning_time_s"] == pytest.approx(res["flight_time_s"] - issued, abs=1e-9)
    assert res["reason"] == ""
    # independently: the whole path stays below Fylingdales' mask or beyond its range
    fl = Flight(KAPUSTIN_YAR, DNIPRO, "oreshnik", tr.MODE_MIN_ENERGY, 0.0)
    assert fl.t_b + fl.tof < res["flight_time_s"]  # (plus the drag delay)
    assert Radar("fylingdales").max_margin(fl) < 0


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
    assert s.radar_lat_rad.shape == (0,) and s.ir_detect_s.shape == (0,)


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
def test_warning_is_flight_minus_detection_processing_decision(band):
    decision = 30.0
    sens = sensor_set(band=band)
    n_radar_first = 0
    for launch, target, missile, traj in CASES_C:
        res = one(wt_warning(*launch, *target, missile=missile, trajectory=traj, sensors=sens,
                             decision_delay_s=decision))
        assert res["status"] == 0
        flight = res["flight_time_s"]
        # every candidate's issue time from the toml values and the detection times
        issued = {}
        ir_det = sval("space-infrared", "detection_delay_s", band)
        if ir_det < flight:
            issued["space-infrared"] = (ir_det, ir_det + sval("space-infrared", "processing_delay_s", band) + decision)
        for name, entry in SENSORS.items():
            if entry["kind"] != "ground-radar":
                continue
            det = res[f"detect_{name}_s"]
            if math.isfinite(det):
                assert 0.0 <= det <= flight
                issued[name] = (det, det + sval(name, "processing_delay_s", band) + decision)
        assert issued, "every case here is detected"
        first = min(issued, key=lambda n: issued[n][1])
        det, warn_at = issued[first]
        assert res["detected_by"] == first
        assert res["detection_time_s"] == pytest.approx(det, abs=1e-12)
        assert res["warning_issued_s"] == pytest.approx(warn_at, abs=1e-9)
        assert res["warning_time_s"] == pytest.approx(flight - warn_at, abs=1e-9)
        assert res["warning_time_s"] < flight
        n_radar_first += first != "space-infrared"
    if band == "nominal":
        assert n_radar_first >= 1  # Chernyakhovsk -> Warsaw: Redzikowo beats the space layer


def test_decision_delay_shifts_warning_one_for_one():
    base = one(wt_warning(*KRYCHAW, *BERLIN, missile="oreshnik"))
    later = one(wt_warning(*KRYCHAW, *BERLIN, missile="oreshnik", decision_delay_s=90.0))
    assert later["detected_by"] == base["detected_by"]
    assert later["warning_time_s"] == pytest.approx(base["warning_time_s"] - 90.0, abs=1e-9)


# --------------------------------------------------------------------------------------------
# (d) radar detection time against the independent reconstruction
# --------------------------------------------------------------------------------------------

CASES_D = [  # id, launch, target, missile, trajectory, mode, value, radar, phase
    ("oreshnik-krychaw-berlin-redzikowo", KRYCHAW, BERLIN, "oreshnik", "minimum-energy",
     tr.MODE_MIN_ENERGY, 0.0, "redzikowo-spy1", "free"),
    ("oreshnik-krychaw-berlin-fylingdales", KRYCHAW, BERLIN, "oreshnik", "minimum-energy",
     tr.MODE_MIN_ENERGY, 0.0, "fylingdales", "free"),
    ("oreshnik-krychaw-warsaw-redzikowo", KRYCHAW, WARSAW, "oreshnik", "minimum-energy",
     tr.MODE_MIN_ENERGY, 0.0, "redzikowo-spy1", "free"),
    ("iskander-chernyakhovsk-warsaw-redzikowo", CHERNYAKHOVSK, WARSAW, "iskander-m", "default",
     tr.MODE_QUASI, mval("iskander-m", "apogee_cap_km") * 1e3, "redzikowo-spy1", "boost"),
    ("oreshnik-kapustin-yar-dnipro-kurecik", KAPUSTIN_YAR, DNIPRO, "oreshnik", "minimum-energy",
     tr.MODE_MIN_ENERGY, 0.0, "kurecik", "boost"),
]


@pytest.mark.parametrize("case", CASES_D, ids=[c[0] for c in CASES_D])
def test_radar_detection_time_matches_independent_reconstruction(case, residual):
    _, launch, target, missile, traj, mode, value, radar, phase = case
    res = one(wt_warning(*launch, *target, missile=missile, trajectory=traj,
                         sensors=sensor_set(names=[radar])))
    assert res["status"] == 0
    t_pkg = res[f"detect_{radar}_s"]
    fl = Flight(launch, target, missile, mode, value)
    assert res["burnout_time_s"] == fl.t_b
    t_ref = Radar(radar).first_detection(fl)
    assert math.isfinite(t_pkg) and math.isfinite(t_ref), (t_pkg, t_ref)
    # the reconstruction has no drag stretch: valid while the detection precedes the entry
    assert t_ref < res["reentry_time_s"]
    assert (t_ref < fl.t_b) == (phase == "boost")
    residual(f"warning: radar first detection vs independent reconstruction ({phase})", t_pkg - t_ref, "s")
    assert t_pkg == pytest.approx(t_ref, abs=2.0)
    # the package's detection time is a time the radar sees the flight, 0.05 s earlier it does not
    r = Radar(radar)
    assert r.margin(fl, t_pkg + 0.05) >= 0
    assert r.margin(fl, t_pkg - 0.05) < 0


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
