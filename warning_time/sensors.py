"""Sensors: the sensor table (data/sensors.toml or a user's) as arrays for the warning kernels,
with each parameter band at one end, at its nominal value, or drawn (Monte Carlo)."""
from __future__ import annotations

import dataclasses

import numpy as np

from .constants import R_MEAN_M
from .errors import InputError
from .places import load_sensors

#: standard-atmosphere effective Earth radius factor for radar line of sight (FS-1037C)
K_REFRACTION = 4.0 / 3.0


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
    #: airborne radars (kind "airborne-radar": orbit point, altitude, range against low-flying
    #: targets); the warning model uses them for cruise classes
    air_names: tuple = ()
    air_lat_rad: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    air_lon_rad: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    air_h_m: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    air_max_m: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    air_process_s: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))


def sensor_set(sensors=None, names=None, band="nominal", rng=None) -> SensorSet:
    """Build a SensorSet from the sensor table (default: the shipped sensors.toml).

    ``names`` restricts it (an empty list means no sensor at all); a scenario's names
    (:class:`~warning_time.scenario.SensorNames`) bring its sensor table, overrides applied. With ``rng`` every band is
    drawn uniformly between its low and high ends; otherwise ``band`` picks one end."""
    if sensors is None:  # a scenario's names carry its sensor table (with its overrides)
        sensors = getattr(names, "table", None)
    df = load_sensors() if sensors is None else sensors
    if names is not None:
        unknown = sorted(set(names) - set(df["sensor"]))
        if unknown:
            raise InputError("sensors", message=f"unknown sensor(s) {unknown}; known: {sorted(df['sensor'])}")
        df = df[df["sensor"].isin(list(names))]

    def val(row, name, gen=None):
        gen = rng if gen is None else gen
        lo, nom, hi = row[f"{name}_low"], row[f"{name}_nominal"], row[f"{name}_high"]
        if gen is not None:
            return float(gen.uniform(lo, hi)) if hi > lo else float(nom)
        return float({"low": lo, "nominal": nom, "high": hi}[band])

    ir = df[df["kind"] == "space-infrared"]
    rad = df[df["kind"] == "ground-radar"]
    air = df[df["kind"] == "airborne-radar"]
    # airborne draws come from a child generator: the parent's stream (and so every draw of
    # the ballistic warning model) stays what it was without airborne sensors
    air_rng = rng.spawn(1)[0] if rng is not None and len(air) else None
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
        air_names=tuple(air["sensor"]),
        air_lat_rad=np.radians(air["lat_deg"].to_numpy(float)) if len(air) else np.zeros(0),
        air_lon_rad=np.radians(air["lon_deg"].to_numpy(float)) if len(air) else np.zeros(0),
        air_h_m=np.array([val(r, "altitude_m", air_rng) for _, r in air.iterrows()]),
        air_max_m=np.array([val(r, "max_range_km", air_rng) * 1e3 for _, r in air.iterrows()]),
        air_process_s=np.array([val(r, "processing_delay_s", air_rng) for _, r in air.iterrows()]),
    )


def horizon_m(h_sensor_m, h_target_m, k_refraction=K_REFRACTION):
    """Radar horizon distance (m) between a sensor and a target on the k-Earth (4/3 default):
    sqrt(2 k R h_s) + sqrt(2 k R h_t), R the mean Earth radius."""
    kr = 2.0 * k_refraction * R_MEAN_M
    return np.sqrt(kr * np.maximum(h_sensor_m, 0.0)) + np.sqrt(kr * np.maximum(h_target_m, 0.0))
