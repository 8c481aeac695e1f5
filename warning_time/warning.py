"""Detection, warning time and compression.

warning time = impact time - (first detection + processing delay of that sensor) - decision
delay, where the first warning is the earliest over the sensors: the space-infrared class
(a delay after launch) and each ground radar (first moment the flight is above the radar's
4/3-Earth horizon, above its elevation mask and within its maximum range; kernels in
core/sensors_los.py). A flight no sensor sees has NaN warning with a reason, never the flight
time.

compression (target) = W_baseline - W_launch, with W_X the shortest warning over the launch
points of the area set X (the attacker's best point). Positive compression = warning lost by
launching from the launch areas instead of the baselines. Uncertainty: Monte Carlo over
points inside the area polygons and over every parameter band (missile and sensors), reported
as min / median / max.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from . import status as st
from .core.sensors_los import warning_many as _warning_many_fast
from .errors import InputError, check_choice
from .flight import ON_INVALID, NamedArrays
from .model import FlightModel
from .places import load_sensors

K_REFRACTION = 4.0 / 3.0  # standard-atmosphere effective Earth radius factor (FS-1037C)
NOT_DETECTED = "not detected: no sensor of the scenario sees this flight"


@dataclasses.dataclass(frozen=True)
class SensorSet:
    """Sensors as arrays for the kernels, with the band values chosen (nominal or drawn)."""

    names: tuple
    ir_names: tuple
    ir_detect_s: np.ndarray
    ir_process_s: np.ndarray
    radar_names: tuple
    radar_lat_rad: np.ndarray
    radar_lon_rad: np.ndarray
    radar_h_m: np.ndarray
    radar_mask_rad: np.ndarray
    radar_max_m: np.ndarray
    radar_process_s: np.ndarray


def sensor_set(sensors=None, names=None, band="nominal", rng=None) -> SensorSet:
    """Build a SensorSet from the sensor table (default: the shipped sensors.toml).

    ``names`` restricts it (an empty list means no sensor at all). With ``rng`` every band is
    drawn uniformly between its low and high ends; otherwise ``band`` picks one end."""
    df = load_sensors() if sensors is None else sensors
    if names is not None:
        unknown = sorted(set(names) - set(df["sensor"]))
        if unknown:
            raise InputError("sensors", message=f"unknown sensor(s) {unknown}; known: {sorted(df['sensor'])}")
        df = df[df["sensor"].isin(list(names))]

    def val(row, name):
        lo, nom, hi = row[f"{name}_low"], row[f"{name}_nominal"], row[f"{name}_high"]
        if rng is not None:
            return float(rng.uniform(lo, hi)) if hi > lo else float(nom)
        return float({"low": lo, "nominal": nom, "high": hi}[band])

    ir = df[df["kind"] == "space-infrared"]
    rad = df[df["kind"] == "ground-radar"]
    return SensorSet(
        names=tuple(df["sensor"]),
        ir_names=tuple(ir["sensor"]),
        ir_detect_s=np.array([val(r, "detection_delay_s") for _, r in ir.iterrows()]),
        ir_process_s=np.array([val(r, "processing_delay_s") for _, r in ir.iterrows()]),
        radar_names=tuple(rad["sensor"]),
        radar_lat_rad=np.radians(rad["lat_deg"].to_numpy(float)) if len(rad) else np.zeros(0),
        radar_lon_rad=np.radians(rad["lon_deg"].to_numpy(float)) if len(rad) else np.zeros(0),
        radar_h_m=np.array([val(r, "height_m") for _, r in rad.iterrows()]),
        radar_mask_rad=np.radians([val(r, "elevation_mask_deg") for _, r in rad.iterrows()]),
        radar_max_m=np.array([val(r, "max_range_km") * 1e3 for _, r in rad.iterrows()]),
        radar_process_s=np.array([val(r, "processing_delay_s") for _, r in rad.iterrows()]),
    )


class WarningResult(NamedArrays):
    """Named arrays of one warning_time call (broadcast shape of the inputs), with the flight
    model's metadata in ``meta`` (missile, resolved trajectory, earth, rotation, band,
    burnout-speed limit) and the radars of the sensor set in ``meta['radars']``.

    Fields: :attr:`FIELDS`, then one ``detect_<radar>_s`` per radar (first detection by that
    radar, s after launch; NaN when it never sees the flight). Times are seconds after launch.
    """

    #: the fields of every result, in the order of :meth:`to_frame` (missile and trajectory,
    #: from ``meta``, follow the coordinates there)
    FIELDS = ("launch_lat_deg", "launch_lon_deg", "target_lat_deg", "target_lon_deg",
              "ground_range_km", "apogee_km", "flight_time_s", "burnout_time_s", "apogee_time_s",
              "reentry_time_s", "detected_by", "detection_time_s", "warning_issued_s", "warning_time_s",
              "status", "reason")
    COORDINATES = FIELDS[:4]

    def __repr__(self):
        shape = self._arrays["warning_time_s"].shape
        return (f"WarningResult(shape={shape}, missile={self.meta['missile']!r}, "
                f"trajectory={self.meta['trajectory']!r})")

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per pair: inputs, missile, trajectory, results and the
        per-radar detection columns."""
        cols = {k: np.ravel(self[k]) for k in self.COORDINATES}
        cols["missile"] = self.meta["missile"]
        cols["trajectory"] = self.meta["trajectory"]
        cols.update((k, np.ravel(v)) for k, v in self.items() if k not in self.COORDINATES)
        return pd.DataFrame(cols)


def warning_time(launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg, *, missile,
                 trajectory="minimum-energy", apogee_km=None, flight_path_angle_deg=None,
                 burnout_speed_m_s=None, branch="low", earth="wgs84", rotation=True,
                 band="nominal", sensors: SensorSet | None = None, decision_delay_s=0.0,
                 k_refraction=K_REFRACTION, dt_sample_s=2.0, kernel_params=None,
                 on_invalid="raise") -> WarningResult:
    """Flight timeline, first detection and warning time for launch-target pairs.

    Flight options (``missile`` ... ``band``) as in :func:`warning_time.flight_time`, checked
    the same way (:meth:`FlightModel.resolve`); ``kernel_params`` replaces the band's parameters
    (a Monte Carlo draw). Returns a :class:`WarningResult`: ``flight_time_s``,
    ``burnout_time_s``, ``apogee_time_s``, ``reentry_time_s`` (the entry altitude on the way
    down), ``detected_by``, ``detection_time_s`` (of the sensor that gives the first warning),
    ``warning_issued_s`` (detection + processing + decision delay), ``warning_time_s``
    (impact - warning issued), one ``detect_<radar>_s`` per radar, ``status`` and ``reason``;
    ``.to_frame()`` gives them as a DataFrame, one row per pair. Times are seconds after launch.
    """
    model = FlightModel.resolve(missile, trajectory=trajectory, apogee_km=apogee_km,
                                flight_path_angle_deg=flight_path_angle_deg,
                                burnout_speed_m_s=burnout_speed_m_s, branch=branch, earth=earth,
                                rotation=rotation, band=band, kernel_params=kernel_params)
    check_choice("on_invalid", on_invalid, ON_INVALID)
    m = model.missile
    if model.is_cruise:
        raise InputError("missile", message="the warning model covers ballistic classes; "
                         f"'{m.key}' is a cruise class")
    if not (k_refraction >= 1.0):
        raise InputError("k_refraction", message=f"k_refraction={k_refraction} must be >= 1")
    if not (dt_sample_s > 0):
        raise InputError("dt_sample_s", message="dt_sample_s must be > 0")
    sens = sensors if sensors is not None else sensor_set()
    arrs = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in
                                 (launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg)))
    shape = arrs[0].shape
    lat1, lon1, lat2, lon2 = (np.ascontiguousarray(x).ravel() for x in arrs)
    bad = np.zeros(lat1.shape, bool)
    for name, arr, lo, hi in (("launch_lat_deg", lat1, -90, 90), ("launch_lon_deg", lon1, -180, 360),
                              ("target_lat_deg", lat2, -90, 90), ("target_lon_deg", lon2, -180, 360)):
        b = ~((arr >= lo) & (arr <= hi))
        if b.any() and on_invalid == "raise":
            rows = np.flatnonzero(b)
            raise InputError(name, rows=rows.tolist(), values=[float(v) for v in arr[rows[:5]]],
                             allowed=f"[{lo}, {hi}]")
        bad |= b
    clean = lambda x: np.radians(np.where(bad, 0.0, x))  # noqa: E731
    out = _warning_many_fast(clean(lat1), clean(lon1), clean(lat2), clean(lon2), model.params, model.table,
                             sens.radar_lat_rad, sens.radar_lon_rad, sens.radar_h_m, sens.radar_mask_rad,
                             sens.radar_max_m, float(k_refraction), float(dt_sample_s))
    code = out[0].astype(np.int8)
    code[bad] = st.BAD_INPUT
    out[1:, bad] = np.nan
    n = lat1.size
    flight = out[1]
    # candidate warnings: IR (delay after launch) and radars
    cand_names = list(sens.ir_names) + list(sens.radar_names)
    det = np.full((len(cand_names), n), np.nan)
    issued = np.full((len(cand_names), n), np.nan)
    for i, name in enumerate(sens.ir_names):
        det[i] = np.where(np.isfinite(flight) & (sens.ir_detect_s[i] < flight), sens.ir_detect_s[i], np.nan)
        issued[i] = det[i] + sens.ir_process_s[i]
    for j, name in enumerate(sens.radar_names):
        row = len(sens.ir_names) + j
        det[row] = out[12 + j]
        issued[row] = out[12 + j] + sens.radar_process_s[j]
    issued = issued + float(decision_delay_s)
    any_det = np.isfinite(issued).any(axis=0) if len(cand_names) else np.zeros(n, bool)
    first = np.full(n, -1)
    if len(cand_names):
        filled = np.where(np.isfinite(issued), issued, np.inf)
        first = np.where(any_det, np.argmin(filled, axis=0), -1)
    names_arr = np.array(cand_names + [""], dtype=object)
    detected_by = np.where(first >= 0, names_arr[first], "")
    if cand_names:
        warn_issued = np.where(first >= 0, np.take_along_axis(issued, np.maximum(first, 0)[None, :], 0)[0], np.nan)
        det_time = np.where(first >= 0, np.take_along_axis(det, np.maximum(first, 0)[None, :], 0)[0], np.nan)
    else:  # no sensor at all: nothing is detected
        warn_issued = np.full(n, np.nan)
        det_time = np.full(n, np.nan)
    warning = flight - warn_issued
    reason = st.reasons(code, max_range_km=m.max_range_km, min_range_km=m.min_range_km).astype(object)
    ok = code == st.OK
    reason[ok & ~any_det] = NOT_DETECTED
    arrays = dict(zip(WarningResult.FIELDS, (
        lat1, lon1, lat2, lon2, out[2] / 1e3, out[3] / 1e3, flight, out[11], out[9], out[10], detected_by,
        det_time, warn_issued, warning, code, reason)))
    for j, name in enumerate(sens.radar_names):
        arrays[f"detect_{name}_s"] = out[12 + j]
    meta = dict(model.meta, radars=tuple(sens.radar_names))
    return WarningResult({k: v.reshape(shape) for k, v in arrays.items()}, meta)


# ----------------------------------------------------------------------------------------------
# launch areas -> launch points
# ----------------------------------------------------------------------------------------------

def area_points(areas, n_per_area: int = 12, seed: int = 0) -> pd.DataFrame:
    """Launch points inside each area polygon: its representative point plus uniform random
    points (rejection sampling, seeded). Columns: area, lat_deg, lon_deg."""
    import shapely

    rng = np.random.default_rng(seed)
    rows = []
    for _, a in areas.iterrows():
        geom = a.geometry
        p = geom.representative_point()
        pts = [(p.y, p.x)]
        minx, miny, maxx, maxy = geom.bounds
        tries = 0
        while len(pts) < n_per_area and tries < 100 * n_per_area:
            tries += 1
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if geom.contains(shapely.Point(x, y)):
                pts.append((y, x))
        rows += [dict(area=a["name"], lat_deg=la, lon_deg=lo) for la, lo in pts]
    return pd.DataFrame(rows)


def best_warning(points: pd.DataFrame, targets: pd.DataFrame, *, missile, trajectory="minimum-energy",
                 apogee_km=None, earth="wgs84", rotation=True, band="nominal", sensors: SensorSet | None = None,
                 decision_delay_s=0.0, k_refraction=K_REFRACTION, dt_sample_s=2.0,
                 kernel_params=None) -> pd.DataFrame:
    """For each target, the shortest warning over the launch points (the attacker's best
    point), with the point, its area and the flight time. Targets out of reach of every point
    get NaN and the reason of the nearest point. Options as in :func:`warning_time`."""
    ip, it = np.meshgrid(np.arange(len(points)), np.arange(len(targets)), indexing="ij")
    w = warning_time(points["lat_deg"].to_numpy()[ip], points["lon_deg"].to_numpy()[ip],
                     targets["lat_deg"].to_numpy()[it], targets["lon_deg"].to_numpy()[it], missile=missile,
                     trajectory=trajectory, apogee_km=apogee_km, earth=earth, rotation=rotation, band=band,
                     sensors=sensors, decision_delay_s=decision_delay_s, k_refraction=k_refraction,
                     dt_sample_s=dt_sample_s, kernel_params=kernel_params).to_frame()
    w["area"] = points["area"].to_numpy()[ip.ravel()]
    w["target"] = targets["name"].to_numpy()[it.ravel()]
    w["_t"] = it.ravel()
    key = w["warning_time_s"].fillna(np.inf)
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
        lp = area_points(launch_areas, points_per_area, seed=seed * 1000 + d)
        bp = area_points(baseline_areas, points_per_area, seed=seed * 1000 + d)
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
