"""Cruise classes (warning_time/cruise.py): flight time along a route at the catalog's speed
profile, the options a cruise class refuses, detection at the radar horizon, and the
flight-time surface. Reference values come from GeographicLib's geodesic (not pyproj, which
the package uses) and the profile values read straight from missiles.toml / sensors.toml."""
from __future__ import annotations

import functools
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

import warning_time as wt
from warning_time.constants import R_MEAN_M
from warning_time.errors import InputError
from warning_time.geometry import flight_time_surface
from warning_time.sensors import sensor_set
from warning_time.warning import NOT_DETECTED
from warning_time.warning import warning_time as wt_warning

from independent import catalog_band

DATA = Path(wt.__file__).resolve().parent / "data"
MISSILES = tomllib.loads((DATA / "missiles.toml").read_text("utf-8"))
SENSORS = tomllib.loads((DATA / "sensors.toml").read_text("utf-8"))
CHAIN = tomllib.loads((DATA / "warning_chain.toml").read_text("utf-8"))
CRUISE = [k for k, v in MISSILES.items() if v.get("kind") == "cruise"]
WGS84 = Geodesic.WGS84
SPHERE = Geodesic(R_MEAN_M, 0.0)
K43 = 4.0 / 3.0

BARANAVICHY = (53.13, 26.02)
WARSAW = (52.23, 21.01)
BERLIN = (52.52, 13.405)


mval = functools.partial(catalog_band, MISSILES)


def ref_time(key, length_m, band="nominal"):
    """Independent profile: launch phase, cruise, terminal (absent -> zero length)."""
    t_c, v_c, v = mval(key, "climb_time_s", band), mval(key, "climb_speed_m_s", band), mval(key, "cruise_speed_m_s", band)
    d_t = mval(key, "terminal_distance_km", band) * 1e3 if "terminal_distance_km" in MISSILES[key] else 0.0
    v_t = mval(key, "terminal_speed_m_s", band) if d_t > 0 else v
    d_c = t_c * v_c
    assert length_m >= d_c + d_t  # the cases below fly every phase
    return t_c + (length_m - d_c - d_t) / v + d_t / v_t


def test_catalog_has_the_cruise_classes():
    assert {"cruise-subsonic", "kh-101", "iskander-k"} <= set(CRUISE)
    for key in CRUISE:
        assert MISSILES[key]["default_trajectory"] == "cruise"
        assert 0.7 * 340.3 - 40 <= mval(key, "cruise_speed_m_s") <= 0.8 * 340.3  # Mach ~0.6-0.8 at sea level


@pytest.mark.parametrize("key", ["cruise-subsonic", "kh-101", "iskander-k"])
@pytest.mark.parametrize("band", ["nominal", "low", "high"])
def test_flight_time_is_profile_over_geodesic(key, band):
    lat1, lon1 = BARANAVICHY
    lat2, lon2 = BERLIN
    r = wt.flight_time(lat1, lon1, lat2, lon2, missile=key, trajectory="cruise", band=band)
    s12 = WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"]
    assert float(r.ground_range_km) == pytest.approx(s12 / 1e3, abs=1e-6)
    if s12 > mval(key, "max_range_km", band) * 1e3:
        assert int(r.status) == 1
        return
    assert int(r.status) == 0
    assert float(r.flight_time_s) == pytest.approx(ref_time(key, s12, band), rel=1e-12)
    assert float(r.apogee_km) * 1e3 == pytest.approx(max(mval(key, "cruise_altitude_m", band),
                                                         mval(key, "terminal_altitude_m", band)
                                                         if "terminal_altitude_m" in MISSILES[key] else 0.0))
    assert float(r.burnout_speed_m_s) == mval(key, "cruise_speed_m_s", band)


def test_sphere_route_is_the_great_circle():
    r = wt.flight_time(*BARANAVICHY, *BERLIN, missile="iskander-k", trajectory="default", earth="sphere")
    s12 = SPHERE.Inverse(*BARANAVICHY, *BERLIN)["s12"]
    assert float(r.flight_time_s) == pytest.approx(ref_time("iskander-k", s12), rel=1e-12)


def test_waypoint_route_is_the_sum_of_legs():
    wps = [(54.5, 23.0), (53.8, 18.0)]
    r = wt.flight_time(*BARANAVICHY, *BERLIN, missile="cruise-subsonic", waypoints=wps, trajectory="cruise")
    pts = [BARANAVICHY, *wps, BERLIN]
    s = sum(WGS84.Inverse(*a, *b)["s12"] for a, b in zip(pts[:-1], pts[1:]))
    assert float(r.ground_range_km) == pytest.approx(s / 1e3, abs=1e-6)
    assert float(r.flight_time_s) == pytest.approx(ref_time("cruise-subsonic", s), rel=1e-12)
    direct = wt.flight_time(*BARANAVICHY, *BERLIN, missile="cruise-subsonic", trajectory="cruise")
    assert float(r.flight_time_s) > float(direct.flight_time_s)


def test_waypoints_count_against_the_range():
    # 500 km straight, but a detour far beyond the 480 km low band of iskander-k
    r = wt.flight_time(*BARANAVICHY, *WARSAW, missile="iskander-k", band="low", trajectory="cruise",
                       waypoints=[(58.0, 24.0)])
    assert int(r.status) == 1 and "out of range" in str(r.reason)


def test_published_speed_1000_km_at_mach_075():
    """1,000 km at Mach 0.75 at sea level (0.75 x 340.29 m/s = 255.2 m/s) takes 65.3 min of
    cruise; with the Kalibr class's nominal profile (240 m/s, 30 s launch phase at 150 m/s)
    the flight along the equator is ~70 min: both are "about an hour" (Ukrainian Air Force)."""
    lon2 = math.degrees(1.0e6 / 6378137.0)  # ~1,000 km along the equator
    s12 = WGS84.Inverse(0.0, 20.0, 0.0, 20.0 + lon2)["s12"]
    assert s12 == pytest.approx(1.0e6, rel=1e-9)
    mach075 = 0.75 * 340.29
    assert s12 / mach075 / 60 == pytest.approx(65.3, abs=0.1)
    # a catalog-free class at Mach 0.75 without a launch phase gives exactly the published-speed time
    m = wt.get_missile("cruise-subsonic")
    from warning_time.missiles import MissileClass, Param

    params = dict(m.params)
    params["cruise_speed_m_s"] = Param(mach075, mach075, mach075, "test")
    params["climb_time_s"] = Param(0.0, 0.0, 0.0, "test")
    mach = MissileClass("mach075", "test", "", "cruise", params, "cruise")
    r = wt.flight_time(0.0, 20.0, 0.0, 20.0 + lon2, missile=mach, trajectory="cruise")
    assert float(r.flight_time_s) == pytest.approx(s12 / mach075, rel=1e-12)
    k = wt.flight_time(0.0, 20.0, 0.0, 20.0 + lon2, missile="cruise-subsonic", trajectory="cruise")
    assert float(k.flight_time_s) / 60 == pytest.approx(30 / 60 + (s12 - 30 * 150.0) / 240.0 / 60, rel=1e-12)
    assert 60 < float(k.flight_time_s) / 60 < 80


# --- options ----------------------------------------------------------------------------------

@pytest.mark.parametrize("traj", ["minimum-energy", "lofted", "depressed", "apogee", "quasi-ballistic"])
def test_ballistic_trajectory_on_cruise_class_raises(traj):
    with pytest.raises(InputError, match=r"cruise class.*only trajectory is 'cruise'") as e:
        wt.flight_time(*BARANAVICHY, *WARSAW, missile="kh-101", trajectory=traj)
    assert e.value.field == "trajectory"


@pytest.mark.parametrize("option, value, takes", [
    ("apogee_km", 300.0, "'apogee' and 'quasi-ballistic'"),
    ("flight_path_angle_deg", 20.0, "'flight-path-angle'"),
    ("burnout_speed_m_s", 2000.0, "'burnout-speed'"),
    ("branch", "high", "'burnout-speed'"),
])
def test_ballistic_option_on_cruise_class_raises(option, value, takes):
    with pytest.raises(InputError, match=rf"{option}=.*cruise class.*taken by the ballistic trajectory {takes}") as e:
        wt.flight_time(*BARANAVICHY, *WARSAW, missile="iskander-k", trajectory="cruise", **{option: value})
    assert e.value.field == option
    with pytest.raises(InputError) as e:  # the warning model checks the same way
        wt_warning(*BARANAVICHY, *WARSAW, missile="iskander-k", trajectory="default", **{option: value})
    assert e.value.field == option


def test_cruise_trajectory_on_ballistic_class_raises():
    for fn in (wt.flight_time, wt_warning):
        with pytest.raises(InputError, match=r"trajectory='cruise' is taken by cruise classes only") as e:
            fn(*BARANAVICHY, *WARSAW, missile="iskander-m", trajectory="cruise")
        assert e.value.field == "trajectory"


def test_waypoints_on_ballistic_class_raise():
    with pytest.raises(InputError, match="waypoints apply to cruise classes") as e:
        wt.flight_time(*BARANAVICHY, *WARSAW, missile="iskander-m", waypoints=[(53.0, 24.0)])
    assert e.value.field == "waypoints"
    with pytest.raises(InputError) as e:
        wt.flight_time(*BARANAVICHY, *WARSAW, missile="kh-101", trajectory="cruise", waypoints=[(95.0, 24.0)])
    assert e.value.field == "waypoints"


# --- warning ----------------------------------------------------------------------------------

def _radar_sensors(tmp_path, lat, lon, height_m, max_km, kind="ground-radar", process=45.0):
    """A sensor table with one radar (and the space layer, which must not see cruise missiles)."""
    import pandas as pd

    from warning_time.places import load_sensors

    df = load_sensors()
    ir = df[df["kind"] == "space-infrared"]
    row = {"sensor": "test-radar", "kind": kind, "label": "t", "lat_deg": lat, "lon_deg": lon}
    hname = "height_m" if kind == "ground-radar" else "altitude_m"
    for name, v in ((hname, height_m), ("elevation_mask_deg", 1.0), ("max_range_km", max_km),
                    ("processing_delay_s", process)):
        row.update({f"{name}_low": v, f"{name}_nominal": v, f"{name}_high": v, f"{name}_source": "t"})
    return sensor_set(pd.concat([ir, pd.DataFrame([row])], ignore_index=True))


@pytest.mark.parametrize("kind, h_radar", [("ground-radar", 60.0), ("airborne-radar", 9000.0)])
def test_first_detection_at_the_radar_horizon(tmp_path, kind, h_radar):
    """A flight along a meridian towards a radar on its route (sphere): detection when the
    remaining distance to the radar equals the 4/3-Earth horizon for the cruise altitude."""
    key = "cruise-subsonic"
    launch, target = (50.0, 24.0), (55.0, 24.0)
    radar = (54.0, 24.0)
    sens = _radar_sensors(tmp_path, *radar, h_radar, 5000.0, kind)
    w = wt_warning(*launch, *target, missile=key, trajectory="cruise", earth="sphere", sensors=sens,
                   decision_delay_s=10.0).to_frame().iloc[0]
    h_t = mval(key, "cruise_altitude_m")
    d_hor = math.sqrt(2 * K43 * R_MEAN_M * h_radar) + math.sqrt(2 * K43 * R_MEAN_M * h_t)
    to_radar = SPHERE.Inverse(*launch, *radar)["s12"]
    s_det = to_radar - d_hor
    t_det = mval(key, "climb_time_s") + (s_det - mval(key, "climb_time_s") * mval(key, "climb_speed_m_s")) \
        / mval(key, "cruise_speed_m_s")
    assert w["detected_by"] == "test-radar"
    assert w["detection_time_s"] == pytest.approx(t_det, abs=0.5)  # ~100 m along the route
    # impact prediction 45 s after detection (no burnout bound for a cruise missile), then the
    # forces' assessment and dissemination from warning_chain.toml, then the decision delay
    assert w["impact_predicted_s"] == pytest.approx(w["detection_time_s"] + 45.0, abs=1e-9)
    forces = CHAIN["forces"]["assess_s"]["nominal"] + CHAIN["forces"]["disseminate_s"]["nominal"]
    assert w["warning_issued_s"] == pytest.approx(w["detection_time_s"] + 45.0 + forces + 10.0, abs=1e-9)
    for aud in ("leaders", "public"):
        after = CHAIN[aud]["assess_s"]["nominal"] + CHAIN[aud]["disseminate_s"]["nominal"]
        assert w[f"warning_{aud}_s"] == pytest.approx(w["flight_time_s"] - (w["detection_time_s"] + 45.0 + after + 10.0),
                                                       abs=1e-9)
    flight = ref_time(key, SPHERE.Inverse(*launch, *target)["s12"])
    assert w["flight_time_s"] == pytest.approx(flight, rel=1e-12)
    assert w["warning_time_s"] == pytest.approx(flight - w["warning_issued_s"], abs=1e-9)
    assert w["apogee_km"] == pytest.approx(h_t / 1e3)


def test_max_range_caps_the_horizon(tmp_path):
    key = "iskander-k"
    launch, target, radar = (50.0, 24.0), (55.0, 24.0), (54.0, 24.0)
    sens = _radar_sensors(tmp_path, *radar, 9000.0, 150.0, "airborne-radar")
    w = wt_warning(*launch, *target, missile=key, trajectory="cruise", earth="sphere", sensors=sens).to_frame().iloc[0]
    s_det = SPHERE.Inverse(*launch, *radar)["s12"] - 150e3
    t_det = mval(key, "climb_time_s") + (s_det - mval(key, "climb_time_s") * mval(key, "climb_speed_m_s")) \
        / mval(key, "cruise_speed_m_s")
    assert w["detection_time_s"] == pytest.approx(t_det, abs=0.5)


def test_never_within_a_horizon_is_not_detected(tmp_path):
    # the radar is 300 km east of the route: far beyond the ~60 km horizon of a 50 m target
    sens = _radar_sensors(tmp_path, 52.5, 28.5, 60.0, 5000.0)
    w = wt_warning(50.0, 24.0, 55.0, 24.0, missile="iskander-k", trajectory="cruise", sensors=sens).to_frame().iloc[0]
    assert w["status"] == 0 and np.isfinite(w["flight_time_s"])
    assert math.isnan(w["warning_time_s"]) and math.isnan(w["detection_time_s"])
    assert w["detected_by"] == "" and w["reason"] == NOT_DETECTED
    # the space-infrared layer alone does not see a cruise missile
    w = wt_warning(*BARANAVICHY, *WARSAW, missile="kh-101", trajectory="cruise",
                   sensors=sensor_set(names=["space-infrared"])).to_frame().iloc[0]
    assert w["reason"] == NOT_DETECTED


def test_shipped_sensors_awacs_sees_belarus_to_warsaw():
    w = wt_warning(*BARANAVICHY, *WARSAW, missile="iskander-k", trajectory="cruise").to_frame().iloc[0]
    assert w["detected_by"] == "nato-awacs-poland"
    assert 0 < w["warning_time_s"] < w["flight_time_s"]


def test_vectorised_and_nan_rows():
    lat2 = np.array([WARSAW[0], BERLIN[0], 95.0])
    lon2 = np.array([WARSAW[1], BERLIN[1], 0.0])
    w = wt_warning(BARANAVICHY[0], BARANAVICHY[1], lat2, lon2, missile="cruise-subsonic", trajectory="cruise",
                   on_invalid="nan")
    assert w.flight_time_s.shape == (3,)
    assert list(w.status) == [0, 0, 5]
    one = wt_warning(*BARANAVICHY, *BERLIN, missile="cruise-subsonic", trajectory="cruise")
    assert float(w.warning_time_s[1]) == pytest.approx(float(one.warning_time_s), abs=1e-9) \
        or (math.isnan(w.warning_time_s[1]) and math.isnan(one.warning_time_s))


def test_best_warning_covers_cruise():
    import pandas as pd

    from warning_time.compression import best_warning

    pts = pd.DataFrame({"lat_deg": [BARANAVICHY[0], 53.9], "lon_deg": [BARANAVICHY[1], 27.6], "area": ["a", "b"]})
    tg = pd.DataFrame({"lat_deg": [WARSAW[0]], "lon_deg": [WARSAW[1]], "name": ["Warsaw"]})
    b = best_warning(pts, tg, missile="iskander-k", trajectory="cruise")
    assert len(b) == 1 and b["missile"].iloc[0] == "iskander-k" and np.isfinite(b["warning_time_s"].iloc[0])


# --- surfaces ---------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["cruise-subsonic", "kh-101"])
def test_surface_agrees_with_flight_time(key):
    plat = np.array([53.13, 52.1, 54.6])
    plon = np.array([26.02, 23.7, 28.4])
    da = flight_time_surface(plat, plon, missile=key, trajectory="cruise", region=(10.0, 48.0, 30.0, 58.0),
                             res_deg=1.0)
    rng = np.random.default_rng(3)
    vals = da.values
    assert np.isfinite(vals).sum() > 0.8 * vals.size
    for _ in range(25):
        i, j = rng.integers(0, vals.shape[0]), rng.integers(0, vals.shape[1])
        lat, lon = float(da["lat"][i]), float(da["lon"][j])
        r = wt.flight_time(plat, plon, lat, lon, missile=key, trajectory="cruise", on_invalid="nan")
        t = np.where(r.status == 0, r.flight_time_s, np.inf).min()
        if np.isfinite(t):
            assert vals[i, j] == pytest.approx(t / 60.0, rel=1e-12)
        else:
            assert math.isnan(vals[i, j])
