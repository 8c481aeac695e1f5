"""Sensors: the sensor table (data/sensors.toml or a user's) as arrays for the warning kernels,
with each parameter band at one end, at its nominal value, or drawn (Monte Carlo); the
refraction tables of the ground radars' mask rays; the radar cross-sections of each class.

Refraction. The refractivity of the air falls off exponentially with height, N(h) = N0
exp(-h / h0) (N-units, n = 1 + 1e-6 N) with the ITU-R reference atmosphere N0 = 315, h0 =
7.35 km (ITU-R Recommendation P.453, "The radio refractive index", eq. 8). A ray that leaves a
radar at radius r0 with elevation el0 keeps n r cos(el) = n0 r0 cos(el0) (Bouguer's rule for a
spherically stratified medium; Born & Wolf, Principles of Optics, sec. 3.2.1), so the central
angle at which it reaches radius r is
    Phi(r) = int_{r0}^{r} c dr' / (r' sqrt(n(r')^2 r'^2 - c^2)),   c = n0 r0 cos(el0).
:func:`mask_table` integrates it for the mask elevation (trapezoid rule on 5 m steps up to
``H_TOP``, where n - 1 < 1e-10) and the kernel continues it as a straight line above.
"""
from __future__ import annotations

import dataclasses
import functools
import tomllib
from importlib import resources

import numpy as np

from .constants import R_MEAN_M
from .errors import InputError
from .places import RADAR_DEFAULTS, load_sensors

#: standard-atmosphere effective Earth radius factor for radar line of sight in the troposphere
#: (FS-1037C); used for targets that stay in it (the cruise model's radar horizon)
K_REFRACTION = 4.0 / 3.0
#: ITU-R P.453 reference atmosphere: surface refractivity (N-units) and scale height (m)
REFRACTIVITY_N0 = 315.0
REFRACTIVITY_H0_M = 7350.0
#: top of the tabulated refraction (m) and the table's length
H_TOP_M = 120_000.0
N_TAB = 24_001
#: least mask elevation used in the refraction table (rad): a ray at exactly 0 deg has an
#: integrable singularity at the radar; masks are > 0 by the sensor file's rules
MIN_MASK_RAD = 1e-4


@dataclasses.dataclass(frozen=True)
class SensorSet:
    """Sensors as arrays for the kernels, with the band values chosen (nominal or drawn)."""

    names: tuple
    ir_names: tuple
    ir_cloud_m: np.ndarray
    ir_revisit_s: np.ndarray
    ir_process_s: np.ndarray
    radar_names: tuple
    radar_lat_rad: np.ndarray
    radar_lon_rad: np.ndarray
    radar_h_m: np.ndarray
    radar_mask_rad: np.ndarray
    radar_max_m: np.ndarray
    radar_process_s: np.ndarray
    #: sector and cross-section: boresight azimuth, azimuth half-width, maximum elevation (rad)
    #: and the cross-section (m^2) that radar_max_m is quoted against
    radar_az_rad: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    radar_half_rad: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    radar_el_max_rad: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    radar_rcs_ref_m2: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    #: airborne radars (kind "airborne-radar": orbit point, altitude, range against low-flying
    #: targets); the warning model uses them for cruise classes
    air_names: tuple = ()
    air_lat_rad: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    air_lon_rad: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    air_h_m: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    air_max_m: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))
    air_process_s: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0))

    def radar_matrix(self, a, e2):
        """The radar matrix (n_radar, core.sensors_los.N_RC) and the Phi_mask tables (n_radar,
        N_TAB) for the ellipsoid (a, e2) of a flight model."""
        from .core import sensors_los as sl
        from .core.geodesy import geodetic_to_ecef

        n = len(self.radar_names)
        rad = np.zeros((n, sl.N_RC))
        tabs = np.zeros((n, N_TAB))
        for j in range(n):
            h = float(self.radar_h_m[j])
            x, y, z = geodetic_to_ecef(float(self.radar_lat_rad[j]), float(self.radar_lon_rad[j]), h, a, e2)
            R = float(np.sqrt(x * x + y * y + z * z)) - h
            c, dh, tab = mask_table(R, h, float(self.radar_mask_rad[j]))
            tabs[j] = tab
            rad[j, sl.RC_LAT] = self.radar_lat_rad[j]
            rad[j, sl.RC_LON] = self.radar_lon_rad[j]
            rad[j, sl.RC_H] = h
            rad[j, sl.RC_AZ] = self.radar_az_rad[j] if len(self.radar_az_rad) else 0.0
            rad[j, sl.RC_HALF] = self.radar_half_rad[j] if len(self.radar_half_rad) else np.pi
            rad[j, sl.RC_EL_MAX] = self.radar_el_max_rad[j] if len(self.radar_el_max_rad) else np.pi / 2
            rad[j, sl.RC_RANGE] = self.radar_max_m[j]
            rad[j, sl.RC_RCS_REF] = self.radar_rcs_ref_m2[j] if len(self.radar_rcs_ref_m2) else 1.0
            rad[j, sl.RC_C] = c
            rad[j, sl.RC_R] = R
            rad[j, sl.RC_DH] = dh
            rad[j, sl.RC_PHI_TOP] = tab[-1]
            rad[j, sl.RC_R_TOP] = R + H_TOP_M
        return rad, tabs


def refractive_index(h_m):
    """n(h) = 1 + 1e-6 N0 exp(-h / h0) of the ITU-R P.453 reference atmosphere (h in m)."""
    return 1.0 + 1e-6 * REFRACTIVITY_N0 * np.exp(-np.asarray(h_m, float) / REFRACTIVITY_H0_M)


@functools.lru_cache(maxsize=256)
def mask_table(R_m: float, h_r_m: float, mask_rad: float):
    """The central angle (rad) at which the ray leaving a radar at height h_r with elevation
    ``mask_rad`` reaches each height of an even grid from h_r to H_TOP_M, on a sphere of radius
    R (module text). Returns (Bouguer invariant c (m), grid spacing (m), table (N_TAB,))."""
    el = max(mask_rad, MIN_MASK_RAD)
    h = np.linspace(h_r_m, H_TOP_M, N_TAB)
    r = R_m + h
    n = refractive_index(h)
    c = n[0] * r[0] * np.cos(el)
    f = c / (r * np.sqrt(n * n * r * r - c * c))
    phi = np.concatenate([[0.0], np.cumsum(0.5 * (f[1:] + f[:-1]) * np.diff(r))])
    phi.setflags(write=False)
    return float(c), float(h[1] - h[0]), phi


def _band_value(row, name, band, gen, default=None):
    nom = row.get(f"{name}_nominal", np.nan)
    if nom is None or not np.isfinite(float(nom)):
        if default is None:
            raise InputError("sensors", message=f"sensor {row['sensor']!r}: missing {name}")
        return float(default)
    lo, nom, hi = row[f"{name}_low"], row[f"{name}_nominal"], row[f"{name}_high"]
    if gen is not None:
        return float(gen.uniform(lo, hi)) if hi > lo else float(nom)
    return float({"low": lo, "nominal": nom, "high": hi}[band])


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

    def val(row, name, gen=None, default=None):
        return _band_value(row, name, band, rng if gen is None else gen, default)

    ir = df[df["kind"] == "space-infrared"]
    rad = df[df["kind"] == "ground-radar"]
    air = df[df["kind"] == "airborne-radar"]
    # sector and cross-section draws come from child generators: the parent's stream (and so
    # every other draw of the warning model) stays what it was before these parameters existed
    sec_rng = rng.spawn(1)[0] if rng is not None and len(rad) else None
    air_rng = rng.spawn(1)[0] if rng is not None and len(air) else None
    radars = [r for _, r in rad.iterrows()]
    return SensorSet(
        names=tuple(df["sensor"]),
        ir_names=tuple(ir["sensor"]),
        ir_cloud_m=np.array([val(r, "cloud_top_km") * 1e3 for _, r in ir.iterrows()]),
        ir_revisit_s=np.array([val(r, "revisit_s") for _, r in ir.iterrows()]),
        ir_process_s=np.array([val(r, "processing_delay_s") for _, r in ir.iterrows()]),
        radar_names=tuple(rad["sensor"]),
        radar_lat_rad=np.radians(rad["lat_deg"].to_numpy(float)) if len(rad) else np.zeros(0),
        radar_lon_rad=np.radians(rad["lon_deg"].to_numpy(float)) if len(rad) else np.zeros(0),
        radar_h_m=np.array([val(r, "height_m") for r in radars]),
        radar_mask_rad=np.radians([val(r, "elevation_mask_deg") for r in radars]),
        radar_max_m=np.array([val(r, "max_range_km") * 1e3 for r in radars]),
        radar_process_s=np.array([val(r, "processing_delay_s") for r in radars]),
        radar_az_rad=np.radians([float(r.get("boresight_az_deg", 0.0)) if np.isfinite(r.get("boresight_az_deg", 0.0))
                                 else 0.0 for r in radars]),
        radar_half_rad=np.radians([val(r, "half_width_deg", sec_rng, RADAR_DEFAULTS["half_width_deg"])
                                   for r in radars]),
        radar_el_max_rad=np.radians([val(r, "elevation_max_deg", sec_rng, RADAR_DEFAULTS["elevation_max_deg"])
                                     for r in radars]),
        radar_rcs_ref_m2=np.array([val(r, "rcs_ref_m2", sec_rng, RADAR_DEFAULTS["rcs_ref_m2"]) for r in radars]),
        air_names=tuple(air["sensor"]),
        air_lat_rad=np.radians(air["lat_deg"].to_numpy(float)) if len(air) else np.zeros(0),
        air_lon_rad=np.radians(air["lon_deg"].to_numpy(float)) if len(air) else np.zeros(0),
        air_h_m=np.array([val(r, "altitude_m", air_rng) for _, r in air.iterrows()]),
        air_max_m=np.array([val(r, "max_range_km", air_rng) * 1e3 for _, r in air.iterrows()]),
        air_process_s=np.array([val(r, "processing_delay_s", air_rng) for _, r in air.iterrows()]),
    )


def horizon_m(h_sensor_m, h_target_m, k_refraction=K_REFRACTION):
    """Radar horizon distance (m) between a sensor and a target on the k-Earth (4/3 default):
    sqrt(2 k R h_s) + sqrt(2 k R h_t), R the mean Earth radius. Valid for targets in the
    troposphere (cruise missiles), where the 4/3 factor describes the ray's bending."""
    kr = 2.0 * k_refraction * R_MEAN_M
    return np.sqrt(kr * np.maximum(h_sensor_m, 0.0)) + np.sqrt(kr * np.maximum(h_target_m, 0.0))


# ----------------------------------------------------------------------------------------------
# radar cross-sections and post-boost time of the missile classes (data/signatures.toml)
# ----------------------------------------------------------------------------------------------

SIGNATURE_FIELDS = ("booster_rcs_m2", "post_boost_rcs_m2", "rv_rcs_m2", "post_boost_s")


@functools.lru_cache(maxsize=4)
def _signature_table(text=None):
    from .io import parse_toml

    src = "signatures.toml (package data)"
    if text is None:
        text = resources.files("warning_time").joinpath("data/signatures.toml").read_text("utf-8")
    data = parse_toml(text, "signatures", src)
    for key, entry in data.items():
        for f in SIGNATURE_FIELDS:
            v = entry.get(f)
            if not (isinstance(v, dict) and {"low", "nominal", "high", "source"} <= set(v)
                    and 0 <= v["low"] <= v["nominal"] <= v["high"]):
                raise InputError("signatures", message=f"{src}: [{key}] field '{f}' must be a band "
                                 "{low <= nominal <= high, source} of numbers >= 0")
    return data


def signature(missile_key: str, band="nominal", rng=None) -> np.ndarray:
    """(booster, post-boost vehicle, re-entry vehicle cross-sections (m^2), post-boost time (s))
    of a class, from data/signatures.toml ([default] for a class not listed); a band end, or
    drawn uniformly with ``rng``."""
    tab = _signature_table()
    entry = tab.get(missile_key, tab["default"])
    out = []
    for f in SIGNATURE_FIELDS:
        v = entry[f]
        out.append(float(rng.uniform(v["low"], v["high"])) if rng is not None and v["high"] > v["low"]
                   else float(v[band] if rng is None else v["nominal"]))
    return np.array(out)
