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
import re
import textwrap
from importlib import resources
from pathlib import Path

import numpy as np

from . import status as st
from .constants import (G0_M_S2, GM_EARTH_M3_S2, OMEGA_EARTH_RAD_S, EARTH_MODELS, WGS84_A_M,
                        earth_axes)
from .core import flyout as _fo
from .flight import NamedArrays
from .errors import InputError, check_choice
from .io import parse_toml

#: WGS84 second-degree zonal harmonic J2 = -sqrt(5) C20, C20 = -4.84166774985e-4
#: (NIMA TR8350.2, 3rd ed., Table 5.1): J2 = 1.08263e-3.
J2_WGS84 = 1.08262982e-3
SOLVES = ("min-energy", "loft", "cutoff")
BRANCHES = ("low", "high")
P0_PA = 101325.0  # US76 sea-level pressure

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
        if v.get("lift_to_drag", 0.0) > 0.0:
            # lifting body after burnout (core/flyout.py lift_command); absent: no lift term
            G[_fo.G_LD] = v["lift_to_drag"]
            G[_fo.G_HCAP] = v["apogee_cap_km"] * 1e3
            G[_fo.G_GLIDE] = -math.radians(v["glide_angle_deg"])
            G[_fo.G_VDIVE] = v["dive_speed_m_s"]
            G[_fo.G_DIVE] = -math.radians(v["dive_angle_deg"])
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
    data = parse_toml(text, "vehicles", name)
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

#: The flyout options shared by :func:`options_array`, :func:`fly`, :func:`max_range`,
#: :func:`aim`, :func:`coast` and :func:`track` (numpydoc entries, filled into their docstrings).
_OPTIONS_DOC = """\
earth : {'wgs84', 'sphere'}, default 'wgs84'
    Earth model: the WGS84 ellipsoid or the IUGG mean sphere.
rotation : bool, default True
    Integrate in the rotating Earth-fixed frame (Coriolis and centrifugal terms); False
    for a non-rotating Earth.
j2 : bool, default True
    Add the J2 zonal term to point-mass gravity.
atmosphere : bool, default True
    US Standard Atmosphere 1976 (drag and thrust back-pressure); False for vacuum.
rtol : float, default 1e-9
    Relative tolerance of the adaptive Dormand-Prince 5(4) integrator, in [1e-13, 1e-3].
t_max_s : float, default 20000.0
    Give up after this flight time (s): status 'no impact'.
reentry_altitude_km : float, default 100.0
    Altitude (km) of the reentry event (descending crossing), reported as ``reentry_time_s``.
max_steps : int, default 200000
    Step budget of one integration: status 'too many steps' beyond it.
"""


def _options_doc(fn):
    """Fill the ``{options}`` line of fn's docstring with :data:`_OPTIONS_DOC`, indented alike."""
    def fill(match):
        return textwrap.indent(_OPTIONS_DOC, match.group(1))

    if fn.__doc__:  # None under python -OO
        fn.__doc__ = re.sub(r"^([ \t]*)\{options\}\n", fill, fn.__doc__, count=1, flags=re.M)
    return fn


@_options_doc
def options_array(*, earth="wgs84", rotation=True, j2=True, atmosphere=True, rtol=1e-9,
                  t_max_s=20000.0, reentry_altitude_km=100.0, max_steps=200000) -> np.ndarray:
    """The core's options array P (see core/flyout.py) from keyword options.

    Parameters
    ----------
    {options}

    Raises
    ------
    InputError
        For an unknown Earth model, a non-boolean switch or ``rtol`` out of range.
    """
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
        "reason": st.reasons(code, kind="flyout"),
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

def _options(earth, rotation, j2, atmosphere, rtol, t_max_s, reentry_altitude_km, max_steps):
    """(P, options dict) for the keyword options of a public function, in signature order."""
    opts = dict(earth=earth, rotation=rotation, j2=j2, atmosphere=atmosphere, rtol=rtol, t_max_s=t_max_s,
                reentry_altitude_km=reentry_altitude_km, max_steps=max_steps)
    return options_array(**opts), opts


@_options_doc
def fly(vehicle, launch_lat_deg, launch_lon_deg, azimuth_deg, kick_deg, cutoff_s=np.inf, *, earth="wgs84",
        rotation=True, j2=True, atmosphere=True, rtol=1e-9, t_max_s=20000.0, reentry_altitude_km=100.0,
        max_steps=200000):
    """Flyouts from the ground, in parallel.

    Parameters
    ----------
    vehicle : str or Vehicle
        A vehicle name of the shipped ``vehicles.toml`` (see :func:`load_vehicles`) or a
        :class:`Vehicle`.
    launch_lat_deg, launch_lon_deg : array_like
        Launch point (geodetic degrees). The inputs broadcast against each other.
    azimuth_deg : array_like
        Launch azimuth (degrees clockwise from north).
    kick_deg : array_like
        Kick angle (degrees from the vertical at the end of the pitch-over), in [0, 89.9].
    cutoff_s : array_like, default inf
        Thrust cut-off (s after launch); inf for a full burn.
    {options}

    Returns
    -------
    FlyoutResult
        One row per flyout (see :data:`COLUMNS`), with the inputs.
    """
    v = get_vehicle(vehicle)
    lat, lon, az, kick, cut = _flat(launch_lat_deg, launch_lon_deg, azimuth_deg, kick_deg, cutoff_s)
    _check_coords((("launch_lat_deg", lat, -90, 90), ("launch_lon_deg", lon, -180, 360),
                   ("kick_deg", kick, 0, 89.9)))
    P, options = _options(earth, rotation, j2, atmosphere, rtol, t_max_s, reentry_altitude_km, max_steps)
    S, G, mt, ct = v.kernel_arrays()
    out = _fo.fly_many(np.radians(lat), np.radians(lon), np.radians(az), np.radians(kick), cut, S, G, mt, ct, P)
    arr = _arrays(out)
    arr.update(launch_lat_deg=lat, launch_lon_deg=lon, azimuth_deg=az, kick_deg=kick, cutoff_s=cut)
    return FlyoutResult(arr, dict(vehicle=v.key, options=options))


@_options_doc
def max_range(vehicle, launch_lat_deg, launch_lon_deg, azimuth_deg, *, earth="wgs84", rotation=True, j2=True,
              atmosphere=True, rtol=1e-9, t_max_s=20000.0, reentry_altitude_km=100.0, max_steps=200000):
    """Maximum range (full burn, best kick) per launch point and azimuth.

    Parameters
    ----------
    vehicle : str or Vehicle
        A vehicle name of the shipped ``vehicles.toml`` or a :class:`Vehicle`.
    launch_lat_deg, launch_lon_deg : array_like
        Launch point (geodetic degrees). The inputs broadcast against each other.
    azimuth_deg : array_like
        Launch azimuth (degrees clockwise from north).
    {options}

    Returns
    -------
    FlyoutResult
        The flyout of the best kick per row: ``kick_deg`` is the best kick and
        ``ground_range_km`` the maximum range.
    """
    v = get_vehicle(vehicle)
    lat, lon, az = _flat(launch_lat_deg, launch_lon_deg, azimuth_deg)
    _check_coords((("launch_lat_deg", lat, -90, 90), ("launch_lon_deg", lon, -180, 360)))
    P, options = _options(earth, rotation, j2, atmosphere, rtol, t_max_s, reentry_altitude_km, max_steps)
    S, G, mt, ct = v.kernel_arrays()
    out, kick = _fo.max_range_many(np.radians(lat), np.radians(lon), np.radians(az), S, G, mt, ct, P)
    arr = _arrays(out)
    arr.update(launch_lat_deg=lat, launch_lon_deg=lon, azimuth_deg=az, kick_deg=np.degrees(kick))
    return FlyoutResult(arr, dict(vehicle=v.key, options=options))


@_options_doc
def aim(vehicle, launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg, *, solve="min-energy",
        branch="low", kick_deg=None, tolerance_m=1.0, earth="wgs84", rotation=True, j2=True, atmosphere=True,
        rtol=1e-9, t_max_s=20000.0, reentry_altitude_km=100.0, max_steps=200000):
    """Flyouts aimed at targets, in parallel.

    The launch azimuth is corrected for rotation until the impact is within ``tolerance_m`` of
    the target.

    Parameters
    ----------
    vehicle : str or Vehicle
        A vehicle name of the shipped ``vehicles.toml`` or a :class:`Vehicle`.
    launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg : array_like
        Launch and target points (geodetic degrees). The inputs broadcast against each other.
    solve : {'min-energy', 'loft', 'cutoff'}, default 'min-energy'
        'min-energy': the least burn that reaches the target (thrust cut-off time minimised
        over the kick angle; the flyout counterpart of the analytic minimum-energy shot).
        'loft': full burn, the kick angle solved on the lofted ('low' kick) or depressed
        (``branch='high'``, larger kick) branch. 'cutoff': cut-off time at the fixed
        ``kick_deg``.
    branch : {'low', 'high'}, default 'low'
        The kick-angle branch of ``solve='loft'``.
    kick_deg : array_like, optional
        The fixed kick angle (degrees) of ``solve='cutoff'``, where it is required.
    tolerance_m : float, default 1.0
        Largest miss distance (m) at the target.
    {options}

    Returns
    -------
    FlyoutResult
        One row per target with ``azimuth_deg``, ``kick_deg``, ``cutoff_s`` (inf for a full
        burn), ``miss_m`` and ``flyouts`` (integrations used) added.
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
    P, options = _options(earth, rotation, j2, atmosphere, rtol, t_max_s, reentry_altitude_km, max_steps)
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


@_options_doc
def coast(position_m, velocity_m_s, *, mass_kg=1000.0, ballistic_coefficient_kg_m2=np.inf, earth="wgs84",
          rotation=True, j2=True, atmosphere=True, rtol=1e-9, t_max_s=20000.0, reentry_altitude_km=100.0,
          max_steps=200000):
    """Unpowered flights to the ground (vacuum checks of the analytic core).

    Parameters
    ----------
    position_m : array_like, shape (n, 3)
        ECEF start positions (m).
    velocity_m_s : array_like, shape (n, 3)
        Start velocities relative to the Earth (m/s).
    mass_kg : float, default 1000.0
        Mass of the body (kg).
    ballistic_coefficient_kg_m2 : float, default inf
        Ballistic coefficient m / (C_D A) (kg/m^2); required (finite) with ``atmosphere=True``,
        unused in vacuum.
    {options}

    Returns
    -------
    FlyoutResult
        One row per start state; the start counts as the burnout.
    """
    r0 = np.atleast_2d(np.asarray(position_m, dtype=float))
    v0 = np.atleast_2d(np.asarray(velocity_m_s, dtype=float))
    if r0.shape != v0.shape or r0.shape[1] != 3:
        raise InputError("position_m", message="position_m and velocity_m_s must both be (n, 3)")
    P, options = _options(earth, rotation, j2, atmosphere, rtol, t_max_s, reentry_altitude_km, max_steps)
    beta = float(ballistic_coefficient_kg_m2)
    inv_beta = 1.0 / beta if 0 < beta < np.inf else 0.0
    if P[_fo.P_ATM] and inv_beta == 0.0:
        raise InputError("ballistic_coefficient_kg_m2", message="with atmosphere=True give a finite "
                         "ballistic_coefficient_kg_m2 (or atmosphere=False)")
    out = _fo.coast_many(np.ascontiguousarray(r0), np.ascontiguousarray(v0), float(mass_kg), inv_beta, 0.0,
                         np.zeros(0), np.zeros(0), P)
    return FlyoutResult(_arrays(out), dict(options=options))


@_options_doc
def track(vehicle, launch_lat_deg, launch_lon_deg, azimuth_deg, kick_deg, cutoff_s=np.inf, *, step_s=1.0,
          max_points=20000, earth="wgs84", rotation=True, j2=True, atmosphere=True, rtol=1e-9, t_max_s=20000.0,
          reentry_altitude_km=100.0, max_steps=200000):
    """Ground track and altitude profile of one flyout as a GeoDataFrame (EPSG:4326).

    Parameters
    ----------
    vehicle : str or Vehicle
        A vehicle name of the shipped ``vehicles.toml`` or a :class:`Vehicle`.
    launch_lat_deg, launch_lon_deg, azimuth_deg, kick_deg, cutoff_s : float
        One flyout, as in :func:`fly`.
    step_s : float, default 1.0
        Sampling interval (s) of the track.
    max_points : int, default 20000
        Size of the track buffer (samples beyond it are dropped).
    {options}

    Returns
    -------
    geopandas.GeoDataFrame
        One row, geometry a LineString Z (longitude deg, latitude deg, altitude m; longitudes
        unwrapped so the line never jumps at the antimeridian) sampled every ``step_s`` seconds
        and at the impact, with per-vertex lists ``time_s``, ``altitude_km``, ``speed_m_s`` and
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
    P, _ = _options(earth, rotation, j2, atmosphere, rtol, t_max_s, reentry_altitude_km, max_steps)
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
