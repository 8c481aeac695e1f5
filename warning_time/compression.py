"""Compression: the warning lost by launching from one set of areas instead of another.

compression (target) = W_baseline - W_launch, with W_X the shortest warning over the launch
points of the area set X (the attacker's best point). Positive compression = warning lost by
launching from the launch areas instead of the baselines. Uncertainty: Monte Carlo over
points inside the area polygons and over every parameter band (missile and sensors), reported
as min / median / max.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError
from .model import FlightModel
from .sampling import area_points
from .sensors import K_REFRACTION, SensorSet, sensor_set
from .warning import warning_time


def draw_points(areas, points_per_area: int, seed: int, draw: int = 0) -> pd.DataFrame:
    """The launch points of Monte Carlo draw ``draw`` (0: the nominal draw) of
    :func:`compression_uncertainty`; other analyses use draw 0 to stay on the same points."""
    return area_points(areas, points_per_area, seed=seed * 1000 + draw)


def best_warning(points: pd.DataFrame, targets: pd.DataFrame, *, missile, trajectory="minimum-energy",
                 apogee_km=None, earth="wgs84", rotation=True, band="nominal", sensors: SensorSet | None = None,
                 decision_delay_s=0.0, k_refraction=K_REFRACTION, dt_sample_s=2.0,
                 kernel_params=None, by: str = "warning_time_s") -> pd.DataFrame:
    """For each target, the shortest warning over the launch points (the attacker's best
    point), with the point, its area and the flight time. Targets out of reach of every point
    get NaN and the reason of the nearest point. Options as in :func:`warning_time`;
    ``by='flight_time_s'`` picks the fastest flight instead of the shortest warning."""
    if by not in ("warning_time_s", "flight_time_s"):
        raise InputError("by", message=f"by={by!r} must be 'warning_time_s' or 'flight_time_s'")
    ip, it = np.meshgrid(np.arange(len(points)), np.arange(len(targets)), indexing="ij")
    w = warning_time(points["lat_deg"].to_numpy()[ip], points["lon_deg"].to_numpy()[ip],
                     targets["lat_deg"].to_numpy()[it], targets["lon_deg"].to_numpy()[it], missile=missile,
                     trajectory=trajectory, apogee_km=apogee_km, earth=earth, rotation=rotation, band=band,
                     sensors=sensors, decision_delay_s=decision_delay_s, k_refraction=k_refraction,
                     dt_sample_s=dt_sample_s, kernel_params=kernel_params).to_frame()
    w["area"] = points["area"].to_numpy()[ip.ravel()]
    w["target"] = targets["name"].to_numpy()[it.ravel()]
    w["_t"] = it.ravel()
    key = w[by].fillna(np.inf)
    w["_key"] = key
    idx = w.sort_values(["_t", "_key", "ground_range_km"]).groupby("_t").head(1).index
    best = w.loc[idx].sort_values("_t").reset_index(drop=True)
    return best.drop(columns=["_t", "_key"])


def compression(targets: pd.DataFrame, launch_points: pd.DataFrame, baseline_points: pd.DataFrame, *,
                missile, trajectory="minimum-energy", apogee_km=None, earth="wgs84", rotation=True,
                band="nominal", sensors: SensorSet | None = None, decision_delay_s=0.0,
                k_refraction=K_REFRACTION, dt_sample_s=2.0, kernel_params=None) -> pd.DataFrame:
    """Per target: best warning from the launch points, from the baseline points, and the
    compression W_baseline - W_launch (s). Antisymmetric in the two point sets; zero when they
    are the same. Options as in :func:`warning_time`."""
    opts = dict(missile=missile, trajectory=trajectory, apogee_km=apogee_km, earth=earth, rotation=rotation,
                band=band, sensors=sensors, decision_delay_s=decision_delay_s, k_refraction=k_refraction,
                dt_sample_s=dt_sample_s, kernel_params=kernel_params)
    a = best_warning(launch_points, targets, **opts)
    b = best_warning(baseline_points, targets, **opts)
    out = pd.DataFrame({
        "target": targets["name"].to_numpy(),
        "launch_area": a["area"], "launch_lat_deg": a["launch_lat_deg"], "launch_lon_deg": a["launch_lon_deg"],
        "baseline_lat_deg": b["launch_lat_deg"], "baseline_lon_deg": b["launch_lon_deg"],
        "launch_flight_time_s": a["flight_time_s"],
        "launch_warning_s": a["warning_time_s"], "launch_detected_by": a["detected_by"],
        "baseline_area": b["area"], "baseline_flight_time_s": b["flight_time_s"],
        "baseline_warning_s": b["warning_time_s"], "baseline_detected_by": b["detected_by"],
    })
    out["compression_s"] = out["baseline_warning_s"] - out["launch_warning_s"]
    return out


def compression_uncertainty(targets, launch_areas, baseline_areas, *, missile, trajectory="minimum-energy",
                            draws: int = 16, points_per_area: int = 8, seed: int = 1, sensor_names=None,
                            decision_delay_band=(0.0, 0.0, 0.0), apogee_km=None, earth="wgs84", rotation=True,
                            k_refraction=K_REFRACTION, dt_sample_s=2.0) -> pd.DataFrame:
    """Monte Carlo over launch points inside the areas and over every parameter band.

    Draw 0 uses the nominal parameters; draws 1..N-1 draw the missile's and the sensors' bands
    uniformly and new points inside the areas. Returns per target the min / median / max of the
    launch-area warning, the baseline warning and the compression, plus the nominal values.
    The flight options are checked once, before the first draw."""
    m = FlightModel.resolve(missile, trajectory=trajectory, apogee_km=apogee_km, earth=earth,
                            rotation=rotation).missile
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(draws):
        if d == 0:
            kp, sens, dd = None, sensor_set(names=sensor_names), decision_delay_band[1]
        else:
            kp = m.sample_kernel_params(rng)
            sens = sensor_set(names=sensor_names, rng=rng)
            dd = float(rng.uniform(decision_delay_band[0], decision_delay_band[2])) \
                if decision_delay_band[2] > decision_delay_band[0] else decision_delay_band[1]
        lp = draw_points(launch_areas, points_per_area, seed, d)
        bp = draw_points(baseline_areas, points_per_area, seed, d)
        c = compression(targets, lp, bp, missile=m, trajectory=trajectory, sensors=sens, kernel_params=kp,
                        decision_delay_s=dd, apogee_km=apogee_km, earth=earth, rotation=rotation,
                        k_refraction=k_refraction, dt_sample_s=dt_sample_s)
        c["draw"] = d
        rows.append(c)
    allc = pd.concat(rows, ignore_index=True)
    nominal = allc[allc["draw"] == 0].set_index("target")
    g = allc.groupby("target", sort=False)
    summary = pd.DataFrame({
        "launch_warning_s": nominal["launch_warning_s"],
        "launch_warning_min_s": g["launch_warning_s"].min(), "launch_warning_median_s": g["launch_warning_s"].median(),
        "launch_warning_max_s": g["launch_warning_s"].max(),
        "baseline_warning_s": nominal["baseline_warning_s"],
        "baseline_warning_min_s": g["baseline_warning_s"].min(),
        "baseline_warning_median_s": g["baseline_warning_s"].median(),
        "baseline_warning_max_s": g["baseline_warning_s"].max(),
        "compression_s": nominal["compression_s"],
        "compression_min_s": g["compression_s"].min(), "compression_median_s": g["compression_s"].median(),
        "compression_max_s": g["compression_s"].max(),
        "launch_area": nominal["launch_area"], "baseline_area": nominal["baseline_area"],
        "launch_lat_deg": nominal["launch_lat_deg"], "launch_lon_deg": nominal["launch_lon_deg"],
        "baseline_lat_deg": nominal["baseline_lat_deg"], "baseline_lon_deg": nominal["baseline_lon_deg"],
        "launch_flight_time_s": nominal["launch_flight_time_s"],
        "baseline_flight_time_s": nominal["baseline_flight_time_s"],
        "launch_detected_by": nominal["launch_detected_by"], "baseline_detected_by": nominal["baseline_detected_by"],
    }).reset_index()
    summary.insert(1, "missile", m.key)
    summary.insert(2, "trajectory", trajectory)
    return summary
