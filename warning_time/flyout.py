"""The 3-DOF flyout: numerical trajectories that check and calibrate the analytic core.

A flyout integrates a vehicle (stages, thrust, drag table, pitch program, reentry ballistic
coefficient; ``data/vehicles.toml``) from the launch pad to the ground in the rotating
Earth-fixed frame with J2 gravity and the US Standard Atmosphere 1976 (see
``warning_time/core/flyout.py`` for the equations and the integrator). Public functions:

- :func:`fly` -- flyouts for given launch azimuth, kick angle (loft parameter) and optional
  thrust cut-off, in parallel;
- :func:`max_range` -- the best kick and its range for a launch azimuth;
- :func:`aim` -- flyouts aimed at targets: minimum energy (least burn), full burn on the
  lofted/depressed branch, or cut-off at a fixed kick;
- :func:`coast` -- unpowered flight from given ECEF states (vacuum checks of the analytic core);
- :func:`track` -- ground track and altitude profile as a GeoDataFrame line with times.

Every result carries ``status`` and ``reason`` per row; failures give NaN, never an exception
(bad options and unknown names raise :class:`~warning_time.errors.InputError`).
"""
from __future__ import annotations

import dataclasses
import functools
import math
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np

from . import status as st
from .constants import (G0_M_S2, GM_EARTH_M3_S2, OMEGA_EARTH_RAD_S, EARTH_MODELS, WGS84_A_M,
                        earth_axes)
from .core import flyout as _fo
from .flight import NamedArrays
from .errors import InputError, check_choice

#: WGS84 second-degree zonal harmonic J2 = -sqrt(5) C20, C20 = -4.84166774985e-4
#: (NIMA TR8350.2, 3rd ed., Table 5.1): J2 = 1.08263e-3.
J2_WGS84 = 1.08262982e-3
SOLVES = ("min-energy", "loft", "cutoff")
BRANCHES = ("low", "high")
P0_PA = 101325.0  # US76 sea-level pressure

#: Flyout status codes beyond warning_time.status (same numbers for the shared ones).
FLYOUT_STATUS = {
    st.OK: ("ok", ""),
    st.OUT_OF_RANGE: ("out of range", "the vehicle cannot reach the target (range beyond its full-burn maximum)"),
    st.BELOW_MIN_RANGE: ("below minimum range", "the target is closer than the shortest cut-off shot "
                         "(engine stopped right after the pitch-over)"),
    st.NO_SOLUTION: ("no solution", "no kick angle on the requested branch reaches the target"),
    st.NO_CONVERGENCE: ("no convergence", "the aiming iteration did not converge"),
    st.BAD_INPUT: ("bad input", "input is NaN or outside its valid range"),
    _fo.ST_CRASH: ("crash", "ground impact while the engine burns (thrust below weight or too steep a kick)"),
    _fo.ST_NO_IMPACT: ("no impact", "no ground impact within t_max (orbit or escape)"),
    _fo.ST_STEP_UNDERFLOW: ("step underflow", "the integrator's step size underflowed"),
    _fo.ST_MAX_STEPS: ("too many steps", "the integrator exceeded its step budget"),
    _fo.ST_NOT_FINITE: ("not finite", "the state became NaN or infinite"),
}


def flyout_reasons(codes) -> np.ndarray:
    """Object array of 'name: reason' strings ('' for success) for flyout status codes."""
    codes = np.asarray(codes)
    out = np.empty(codes.shape, dtype=object)
    out[...] = ""
    for code, (name, text) in FLYOUT_STATUS.items():
        if code == st.OK:
            continue
        mask = codes == code
        if mask.any():
            out[mask] = f"{name}: {text}"
    return out


# ------------------------------------------------------------------------------------------
# vehicles
# ------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, eq=False)
class Vehicle:
    """A flyout vehicle from vehicles.toml. ``values`` maps field -> float, ``sources`` field ->
    source; ``stages`` is a tuple of dicts (field -> float) with ``stage_sources``."""

    key: str
    label: str
    description: str
    catalog_class: str | None
    stands_for: str | None
    drag_table: str
    separates: bool
    values: dict = dataclasses.field(hash=False, compare=False)
    sources: dict = dataclasses.field(hash=False, compare=False)
    stages: tuple = ()
    stage_sources: tuple = ()
    mach: np.ndarray = dataclasses.field(default=None, hash=False, compare=False)
    cd: np.ndarray = dataclasses.field(default=None, hash=False, compare=False)
    drag_source: str = ""

    @property
    def liftoff_mass_kg(self) -> float:
        return sum(s["stage_mass_kg"] for s in self.stages) + self.values["payload_kg"] + \
            self.values.get("shroud_mass_kg", 0.0)

    @property
    def burn_time_s(self) -> float:
        return float(_fo.total_burn(self.kernel_arrays()[0]))

    @functools.lru_cache(maxsize=None)  # noqa: B019 (frozen, hash by identity)
    def kernel_arrays(self):
        """(S, G, mach, cd) float64 arrays for the core (see core/flyout.py layouts)."""
        n = len(self.stages)
        S = np.zeros((n, _fo.N_S))
        remaining_above = [0.0] * n
        for i, sg in enumerate(self.stages):
            mdot = sg["mass_flow_kg_s"]
            tb = sg["burn_time_s"]
            burned = mdot * tb
            isp_sl = sg["isp_sea_level_s"]
            if "nozzle_exit_area_m2" in sg:
                ae = sg["nozzle_exit_area_m2"]
                f_vac = mdot * G0_M_S2 * isp_sl + P0_PA * ae
            else:
                isp_vac = sg["isp_vacuum_s"]
                ae = (isp_vac - isp_sl) * mdot * G0_M_S2 / P0_PA
                f_vac = mdot * G0_M_S2 * isp_vac
            S[i, _fo.S_MDOT] = mdot
            S[i, _fo.S_TBURN] = tb
            S[i, _fo.S_FVAC] = f_vac
            S[i, _fo.S_AE] = ae
            S[i, _fo.S_DROP] = (sg["stage_mass_kg"] - burned) if i < n - 1 else 0.0
            S[i, _fo.S_AREA] = math.pi * 0.25 * sg["diameter_m"] ** 2
            S[i, _fo.S_COAST] = sg.get("coast_after_s", 0.0) if i < n - 1 else 0.0
        del remaining_above
        G = np.zeros(_fo.N_G)
        v = self.values
        G[_fo.G_M0] = self.liftoff_mass_kg
        G[_fo.G_TVERT] = v["t_vertical_s"]
        G[_fo.G_TKICK] = v["t_pitchover_s"]
        G[_fo.G_BETA] = v.get("reentry_ballistic_coefficient_kg_m2", math.inf)
        G[_fo.G_AREA] = math.pi * 0.25 * self.stages[-1]["diameter_m"] ** 2
        G[_fo.G_MRV] = v["payload_kg"] if self.separates else 0.0
        G[_fo.G_MSHROUD] = v.get("shroud_mass_kg", 0.0)
        G[_fo.G_TSHROUD] = v.get("shroud_drop_s", math.inf)
        G[_fo.G_KICK_MIN] = math.radians(v["kick_min_deg"])
        G[_fo.G_KICK_MAX] = math.radians(v["kick_max_deg"])
        for arr in (S, G):
            arr.setflags(write=False)
        return S, G, self.mach, self.cd


_VEHICLE_REQUIRED = ("payload_kg", "t_vertical_s", "t_pitchover_s", "kick_min_deg", "kick_max_deg")
_STAGE_REQUIRED = ("stage_mass_kg", "propellant_kg", "mass_flow_kg_s", "burn_time_s", "isp_sea_level_s",
                   "diameter_m")


def _num(src, key, name, field):
    val = src.get(field)
    if not isinstance(val, dict) or "value" not in val or not str(val.get("source", "")).strip():
        raise InputError(f"{key}.{field}", message=f"{name}: vehicle '{key}': '{field}' needs "
                         "{ value = ..., source = \"...\" } with a non-empty source")
    x = float(val["value"])
    if math.isnan(x) or x < 0:
        raise InputError(f"{key}.{field}", message=f"{name}: vehicle '{key}': '{field}' = {x} must be >= 0")
    return x, str(val["source"])


def _parse_vehicle(key, entry, tables, name) -> Vehicle:
    values, sources = {}, {}
    for field, val in entry.items():
        if isinstance(val, dict):
            values[field], sources[field] = _num(entry, key, name, field)
    for field in _VEHICLE_REQUIRED:
        if field not in values:
            raise InputError(f"{key}.{field}", message=f"{name}: vehicle '{key}' lacks '{field}'")
    stages_raw = entry.get("stages")
    if not isinstance(stages_raw, list) or not stages_raw:
        raise InputError(f"{key}.stages", message=f"{name}: vehicle '{key}' needs at least one [[stages]]")
    stages, stage_sources = [], []
    for i, sg in enumerate(stages_raw):
        vals, srcs = {}, {}
        for field in sg:
            vals[field], srcs[field] = _num(sg, f"{key}.stages[{i}]", name, field)
        for field in _STAGE_REQUIRED:
            if field not in vals:
                raise InputError(f"{key}.stages[{i}].{field}", message=f"{name}: vehicle '{key}', stage {i} "
                                 f"lacks '{field}'")
        if "nozzle_exit_area_m2" not in vals and "isp_vacuum_s" not in vals:
            raise InputError(f"{key}.stages[{i}]", message=f"{name}: vehicle '{key}', stage {i} needs "
                             "nozzle_exit_area_m2 or isp_vacuum_s")
        if vals["mass_flow_kg_s"] * vals["burn_time_s"] > vals["propellant_kg"] * (1 + 1e-9):
            raise InputError(f"{key}.stages[{i}]", message=f"{name}: vehicle '{key}', stage {i} burns "
                             "more than its propellant (mass_flow_kg_s x burn_time_s > propellant_kg)")
        if vals["propellant_kg"] >= vals["stage_mass_kg"]:
            raise InputError(f"{key}.stages[{i}]", message=f"{name}: vehicle '{key}', stage {i}: "
                             "propellant_kg must be below stage_mass_kg")
        stages.append(vals)
        stage_sources.append(srcs)
    tname = entry.get("drag_table")
    if tname not in tables:
        raise InputError(f"{key}.drag_table", message=f"{name}: vehicle '{key}': drag_table={tname!r} is "
                         f"not one of {sorted(tables)}")
    mach, cd, tsrc = tables[tname]
    return Vehicle(key, str(entry.get("label", key)), str(entry.get("description", "")),
                   entry.get("catalog_class"), entry.get("stands_for"), tname,
                   bool(entry.get("reentry_vehicle_separates", False)), values, sources,
                   tuple(stages), tuple(stage_sources), mach, cd, tsrc)


@functools.lru_cache(maxsize=8)
def _load_text(text: str, name: str) -> dict[str, Vehicle]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError("vehicles", message=f"{name}: not valid TOML: {exc}") from None
    tables = {}
    for tname, t in data.get("drag_tables", {}).items():
        mach = np.asarray(t.get("mach", []), dtype=float)
        cd = np.asarray(t.get("cd", []), dtype=float)
        if mach.size < 2 or mach.shape != cd.shape or np.any(np.diff(mach) <= 0) or np.any(cd < 0):
            raise InputError(f"drag_tables.{tname}", message=f"{name}: drag table '{tname}' needs increasing "
                             "mach and non-negative cd of equal length")
        if not str(t.get("source", "")).strip():
            raise InputError(f"drag_tables.{tname}.source", message=f"{name}: drag table '{tname}' has no source")
        mach.setflags(write=False)
        cd.setflags(write=False)
        tables[tname] = (mach, cd, str(t["source"]))
    return {k: _parse_vehicle(k, e, tables, name) for k, e in data.get("vehicles", {}).items()}


def load_vehicles(path: str | Path | None = None) -> dict[str, Vehicle]:
    """The vehicles shipped with the package, or those of a user TOML file of the same schema."""
    if path is None:
        text = resources.files("warning_time").joinpath("data/vehicles.toml").read_text("utf-8")
        return _load_text(text, "vehicles.toml (package data)")
    p = Path(path)
    return _load_text(p.read_text("utf-8"), str(p))


def get_vehicle(vehicle) -> Vehicle:
    """A Vehicle from a name of the shipped file, or the object itself."""
    if isinstance(vehicle, Vehicle):
        return vehicle
    vs = load_vehicles()
    if vehicle not in vs:
        raise InputError("vehicle", message=f"vehicle={vehicle!r} is not a valid option, must be one of "
                         + ", ".join(repr(k) for k in vs))
    return vs[vehicle]


# ------------------------------------------------------------------------------------------
# options and results
# ------------------------------------------------------------------------------------------

def options_array(*, earth="wgs84", rotation=True, j2=True, atmosphere=True, rtol=1e-9,
                  t_max_s=20000.0, reentry_altitude_km=100.0, max_steps=200000) -> np.ndarray:
    """The core's options array P (see core/flyout.py) from keyword options."""
    check_choice("earth", earth, EARTH_MODELS)
    for name, val in (("rotation", rotation), ("j2", j2), ("atmosphere", atmosphere)):
        if not isinstance(val, (bool, np.bool_)):
            raise InputError(name, message=f"{name}={val!r} must be True or False")
    if not (1e-13 <= float(rtol) <= 1e-3):
        raise InputError("rtol", message=f"rtol={rtol!r} must be in [1e-13, 1e-3]")
    a, e2 = earth_axes(earth)
    P = np.zeros(_fo.N_P)
    P[_fo.P_MU] = GM_EARTH_M3_S2
    P[_fo.P_J2] = J2_WGS84 if j2 else 0.0
    P[_fo.P_RE] = WGS84_A_M
    P[_fo.P_OMEGA] = OMEGA_EARTH_RAD_S if rotation else 0.0
    P[_fo.P_A] = a
    P[_fo.P_E2] = e2
    P[_fo.P_ATM] = 1.0 if atmosphere else 0.0
    P[_fo.P_H_REENTRY] = float(reentry_altitude_km) * 1e3
    P[_fo.P_RTOL] = float(rtol)
    P[_fo.P_TMAX] = float(t_max_s)
    P[_fo.P_MAXSTEPS] = float(max_steps)
    return P


class FlyoutResult(NamedArrays):
    """Named arrays of a flyout call (one row per flyout): see :data:`COLUMNS`."""

    def __len__(self):
        return len(self._arrays["status"])

    def __repr__(self):
        return f"FlyoutResult(n={len(self)}, vehicle={self.meta.get('vehicle')!r})"

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame({k: v for k, v in self.items() if np.ndim(v) == 1})


COLUMNS = ("status", "reason", "flight_time_s", "impact_lat_deg", "impact_lon_deg", "ground_range_km",
           "apogee_km", "apogee_time_s", "burnout_time_s", "burnout_altitude_km", "burnout_speed_m_s",
           "burnout_flight_path_angle_deg", "burnout_downrange_km", "burnout_mass_kg",
           "reentry_time_s", "impact_speed_m_s", "impact_angle_deg", "steps",
           "burnout_position_m", "burnout_velocity_m_s")


def _arrays(out: np.ndarray) -> dict:
    o = out
    code = o[:, _fo.O_STATUS].astype(np.int16)
    return {
        "status": code,
        "reason": flyout_reasons(code),
        "flight_time_s": o[:, _fo.O_T_IMPACT].copy(),
        "impact_lat_deg": np.degrees(o[:, _fo.O_LAT]),
        "impact_lon_deg": np.degrees(o[:, _fo.O_LON]),
        "ground_range_km": o[:, _fo.O_RANGE] / 1e3,
        "apogee_km": o[:, _fo.O_APOGEE] / 1e3,
        "apogee_time_s": o[:, _fo.O_T_APOGEE].copy(),
        "burnout_time_s": o[:, _fo.O_T_BURNOUT].copy(),
        "burnout_altitude_km": o[:, _fo.O_H_BURNOUT] / 1e3,
        "burnout_speed_m_s": o[:, _fo.O_V_BURNOUT].copy(),
        "burnout_flight_path_angle_deg": np.degrees(o[:, _fo.O_FPA_BURNOUT]),
        "burnout_downrange_km": o[:, _fo.O_D_BURNOUT] / 1e3,
        "burnout_mass_kg": o[:, _fo.O_M_BURNOUT].copy(),
        "reentry_time_s": o[:, _fo.O_T_REENTRY].copy(),
        "impact_speed_m_s": o[:, _fo.O_V_IMPACT].copy(),
        "impact_angle_deg": np.degrees(o[:, _fo.O_G_IMPACT]),
        "steps": np.nan_to_num(o[:, _fo.O_STEPS], nan=0.0).astype(np.int64),
        "burnout_position_m": o[:, _fo.O_R_BURNOUT:_fo.O_R_BURNOUT + 3].copy(),
        "burnout_velocity_m_s": o[:, _fo.O_VEL_BURNOUT:_fo.O_VEL_BURNOUT + 3].copy(),
        "impact_position_m": o[:, _fo.O_R_IMPACT:_fo.O_R_IMPACT + 3].copy(),
    }


def _flat(*xs):
    try:
        arrs = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in xs))
    except ValueError as exc:
        raise InputError("inputs", message=f"inputs do not broadcast: {exc}") from None
    return [np.ascontiguousarray(a).ravel() for a in arrs]


def _check_coords(pairs):
    for name, arr, lo, hi in pairs:
        bad = ~((arr >= lo) & (arr <= hi))
        if bad.any():
            rows = np.flatnonzero(bad)
            raise InputError(name, rows=rows.tolist(), values=[float(x) for x in arr[rows[:5]]],
                             allowed=f"[{lo:g}, {hi:g}]")


# ------------------------------------------------------------------------------------------
# public functions
# ------------------------------------------------------------------------------------------

def fly(vehicle, launch_lat_deg, launch_lon_deg, azimuth_deg, kick_deg, cutoff_s=np.inf, **options):
    """Flyouts from the ground for launch azimuth (deg from north), kick angle (deg from the
    vertical at the end of the pitch-over) and thrust cut-off (s after launch; inf = full burn).
    Inputs broadcast; options as :func:`options_array`. Returns a :class:`FlyoutResult`."""
    v = get_vehicle(vehicle)
    lat, lon, az, kick, cut = _flat(launch_lat_deg, launch_lon_deg, azimuth_deg, kick_deg, cutoff_s)
    _check_coords((("launch_lat_deg", lat, -90, 90), ("launch_lon_deg", lon, -180, 360),
                   ("kick_deg", kick, 0, 89.9)))
    P = options_array(**options)
    S, G, mt, ct = v.kernel_arrays()
    out = _fo.fly_many(np.radians(lat), np.radians(lon), np.radians(az), np.radians(kick), cut, S, G, mt, ct, P)
    arr = _arrays(out)
    arr.update(launch_lat_deg=lat, launch_lon_deg=lon, azimuth_deg=az, kick_deg=kick, cutoff_s=cut)
    return FlyoutResult(arr, dict(vehicle=v.key, options=options))


def max_range(vehicle, launch_lat_deg, launch_lon_deg, azimuth_deg, **options):
    """Maximum range (full burn, best kick) per launch point and azimuth. The result's
    ``kick_deg`` is the best kick and ``ground_range_km`` the maximum range."""
    v = get_vehicle(vehicle)
    lat, lon, az = _flat(launch_lat_deg, launch_lon_deg, azimuth_deg)
    _check_coords((("launch_lat_deg", lat, -90, 90), ("launch_lon_deg", lon, -180, 360)))
    P = options_array(**options)
    S, G, mt, ct = v.kernel_arrays()
    out, kick = _fo.max_range_many(np.radians(lat), np.radians(lon), np.radians(az), S, G, mt, ct, P)
    arr = _arrays(out)
    arr.update(launch_lat_deg=lat, launch_lon_deg=lon, azimuth_deg=az, kick_deg=np.degrees(kick))
    return FlyoutResult(arr, dict(vehicle=v.key, options=options))


def aim(vehicle, launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg, *, solve="min-energy",
        branch="low", kick_deg=None, tolerance_m=1.0, **options):
    """Flyouts aimed at targets, in parallel.

    solve : {'min-energy', 'loft', 'cutoff'}
        'min-energy': the least burn that reaches the target (thrust cut-off time minimised
        over the kick angle; the flyout counterpart of the analytic minimum-energy shot).
        'loft': full burn, the kick angle solved on the lofted ('low' kick) or depressed
        (``branch='high'``, larger kick) branch. 'cutoff': cut-off time at the fixed
        ``kick_deg``.
    The launch azimuth is corrected for rotation until the impact is within ``tolerance_m``.
    Adds ``azimuth_deg``, ``kick_deg``, ``cutoff_s`` (inf for a full burn), ``miss_m`` and
    ``flyouts`` (integrations used) to the result.
    """
    v = get_vehicle(vehicle)
    check_choice("solve", solve, SOLVES)
    check_choice("branch", branch, BRANCHES)
    if solve == "cutoff" and kick_deg is None:
        raise InputError("kick_deg", message="solve='cutoff' needs kick_deg")
    lat1, lon1, lat2, lon2, kk = _flat(launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg,
                                       np.nan if kick_deg is None else kick_deg)
    _check_coords((("launch_lat_deg", lat1, -90, 90), ("launch_lon_deg", lon1, -180, 360),
                   ("target_lat_deg", lat2, -90, 90), ("target_lon_deg", lon2, -180, 360)))
    if not (tolerance_m > 0):
        raise InputError("tolerance_m", message="tolerance_m must be > 0")
    P = options_array(**options)
    S, G, mt, ct = v.kernel_arrays()
    mode = SOLVES.index(solve)
    out, sol = _fo.aim_many(np.radians(lat1), np.radians(lon1), np.radians(lat2), np.radians(lon2), mode,
                            branch == "high", np.radians(kk), S, G, mt, ct, P, float(tolerance_m))
    arr = _arrays(out)
    ok = arr["status"] == 0
    arr.update(launch_lat_deg=lat1, launch_lon_deg=lon1, target_lat_deg=lat2, target_lon_deg=lon2,
               azimuth_deg=np.where(ok, np.degrees(sol[:, 0]), np.nan),
               kick_deg=np.where(ok, np.degrees(sol[:, 1]), np.nan),
               cutoff_s=np.where(ok, sol[:, 2], np.nan), miss_m=np.where(ok, sol[:, 3], np.nan),
               flyouts=sol[:, 4].astype(np.int64))
    return FlyoutResult(arr, dict(vehicle=v.key, solve=solve, branch=branch, options=options))


def coast(position_m, velocity_m_s, *, mass_kg=1000.0, ballistic_coefficient_kg_m2=np.inf, **options):
    """Unpowered flights from ECEF positions (n, 3) with velocities relative to the Earth
    (n, 3) to the ground. With ``atmosphere=False`` (vacuum) the ballistic coefficient is unused."""
    r0 = np.atleast_2d(np.asarray(position_m, dtype=float))
    v0 = np.atleast_2d(np.asarray(velocity_m_s, dtype=float))
    if r0.shape != v0.shape or r0.shape[1] != 3:
        raise InputError("position_m", message="position_m and velocity_m_s must both be (n, 3)")
    P = options_array(**options)
    beta = float(ballistic_coefficient_kg_m2)
    inv_beta = 1.0 / beta if 0 < beta < np.inf else 0.0
    if P[_fo.P_ATM] and inv_beta == 0.0:
        raise InputError("ballistic_coefficient_kg_m2", message="with atmosphere=True give a finite "
                         "ballistic_coefficient_kg_m2 (or atmosphere=False)")
    out = _fo.coast_many(np.ascontiguousarray(r0), np.ascontiguousarray(v0), float(mass_kg), inv_beta, 0.0,
                         np.zeros(0), np.zeros(0), P)
    return FlyoutResult(_arrays(out), dict(options=options))


def track(vehicle, launch_lat_deg, launch_lon_deg, azimuth_deg, kick_deg, cutoff_s=np.inf, *, step_s=1.0,
          max_points=20000, **options):
    """Ground track and altitude profile of one flyout as a GeoDataFrame (EPSG:4326).

    One row, geometry a LineString Z (longitude deg, latitude deg, altitude m; longitudes
    unwrapped so the line never jumps at the antimeridian) sampled every ``step_s`` seconds and
    at the impact, with per-vertex lists ``time_s``, ``altitude_km``, ``speed_m_s`` and
    ``mass_kg``, and the event times (burnout, apogee, reentry, impact) as columns.
    """
    import geopandas as gpd
    from shapely.geometry import LineString

    from .core.geodesy import ecef_to_geodetic

    v = get_vehicle(vehicle)
    if not (step_s > 0):
        raise InputError("step_s", message="step_s must be > 0")
    lat, lon, az, kick, cut = (float(x) for x in (launch_lat_deg, launch_lon_deg, azimuth_deg, kick_deg, cutoff_s))
    _check_coords((("launch_lat_deg", np.array([lat]), -90, 90), ("launch_lon_deg", np.array([lon]), -180, 360)))
    P = options_array(**options)
    S, G, mt, ct = v.kernel_arrays()
    out = np.empty(_fo.N_OUT)
    rec = np.empty((int(max_points), 8))
    _fo.fly_one(math.radians(lat), math.radians(lon), math.radians(az), math.radians(kick), cut, S, G, mt, ct, P,
                out, rec, float(step_s))
    n = int(out[_fo.O_NREC])
    rec = rec[:n]
    a, e2 = P[_fo.P_A], P[_fo.P_E2]
    geo = np.array([ecef_to_geodetic(x, y, z, a, e2) for x, y, z in rec[:, 1:4]])
    lats = np.degrees(geo[:, 0])
    lons = np.degrees(np.unwrap(geo[:, 1]))
    alts = np.array([_fo.altitude(x, y, z, a, e2) for x, y, z in rec[:, 1:4]])
    speed = np.linalg.norm(rec[:, 4:7], axis=1)
    arr = _arrays(out[None, :])
    row = {k: arr[k][0] for k in ("status", "reason", "flight_time_s", "burnout_time_s", "apogee_time_s",
                                  "reentry_time_s", "apogee_km", "ground_range_km")}
    row.update(vehicle=v.key, launch_lat_deg=lat, launch_lon_deg=lon, azimuth_deg=az, kick_deg=kick,
               cutoff_s=cut, time_s=rec[:, 0].tolist(), altitude_km=(alts / 1e3).tolist(),
               speed_m_s=speed.tolist(), mass_kg=rec[:, 7].tolist())
    geom = LineString(np.column_stack([lons, lats, alts])) if n >= 2 else None
    return gpd.GeoDataFrame([row], geometry=[geom], crs="EPSG:4326")
