"""Sensors: the sensor table (data/sensors.toml or a user's) as arrays for the warning kernels,
with each parameter band at one end, at its nominal value, or drawn (Monte Carlo)."""
from __future__ import annotations

import dataclasses

import numpy as np

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
