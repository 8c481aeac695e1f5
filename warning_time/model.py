"""A missile class resolved once into what the numba kernels take.

:meth:`FlightModel.resolve` checks every option of a flight (trajectory shape, parameter band,
Earth model, rotation, branch) with :class:`~warning_time.errors.InputError`, resolves the
class's ``"default"`` trajectory, and packs the class's parameters, the Earth model and the
trajectory mode into one float64 array laid out by the ``P_*`` indices of
:mod:`warning_time.core.trajectory`, beside the class's drag-delay table. Every kernel entry
point (``flight_many``, ``min_flight_grid``, ``warning_many``, ``track``) takes
``(coordinates..., model.params, model.table)``; ``model.meta`` is the metadata of the results.
"""
from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np

from .constants import (EARTH_MODELS, GM_EARTH_M3_S2, OMEGA_EARTH_RAD_S, R_MEAN_M, RHO0_KG_M3,
                        SCALE_HEIGHT_M, WGS84_F, earth_axes)
from .core import trajectory as tr
from .core.batch import flight_many
from .core.reentry import build_delay_table
from .errors import InputError, check_choice
from .missiles import TRAJECTORIES, MissileClass, get_missile

BRANCHES = ("low", "high")
BANDS = ("nominal", "low", "high")

#: Drag-delay table grid: vacuum impact speed (m/s) and angle below the horizontal (deg).
DELAY_V_NODES = np.linspace(300.0, 8000.0, 78)
DELAY_G_NODES_DEG = np.linspace(1.0, 90.0, 90)
#: (first node, spacing) of the table's speed and angle (rad) axes, as the kernels take them
DELAY_GRID = (float(DELAY_V_NODES[0]), float(DELAY_V_NODES[1] - DELAY_V_NODES[0]),
              float(np.radians(DELAY_G_NODES_DEG)[0]),
              float(np.radians(DELAY_G_NODES_DEG)[1] - np.radians(DELAY_G_NODES_DEG)[0]))

#: kernel parameters (SI) that shape a flight, in the order the speed-limit cache keys them
SHAPE_KEYS = ("t_boost", "h_bo", "d_bo", "beta", "h_entry", "min_range", "max_range")


@functools.lru_cache(maxsize=256)
def delay_table(beta: float, h_entry_m: float):
    """Drag-delay table (s) for a ballistic coefficient and entry altitude; cached in memory
    and on disk (:func:`delay_table_path`), so a new process or Dask worker loads it instead
    of integrating 7,020 reentries again."""
    if not math.isfinite(beta):
        # read-only like every other table: one kernel signature (the flag is part of numba's
        # array type, and a writeable empty table compiled the whole core a second time)
        tab = np.zeros((0, 0))
        tab.setflags(write=False)
        return tab
    path = delay_table_path(beta, h_entry_m)
    tab = _load_table(path) if path is not None else None
    if tab is None:
        tab = compute_delay_table(beta, h_entry_m)
        if path is not None:
            _save_table(path, tab)
    tab.setflags(write=False)
    return tab


#: largest ratio between neighbouring ballistic-coefficient nodes, and largest spacing (m)
#: between entry-altitude nodes, of the continuous drag-delay table (tests/unit/test_drag_table.py
#: bounds the flight-time error this leaves)
BETA_NODE_RATIO = 1.5
H_NODE_STEP_M = 20e3


def drag_nodes(lo: float, nominal: float, hi: float, *, ratio: float | None = None, step: float | None = None,
               geometric: bool = True) -> tuple:
    """Nodes covering the band [lo, hi] that include its nominal: geometric (ratio at most
    ``ratio``) for the ballistic coefficient, even (spacing at most ``step``) for the altitude."""
    out = []
    for a, b in ((lo, nominal), (nominal, hi)):
        if not (b > a):
            out.append(np.array([a]))
            continue
        if geometric:
            n = max(1, int(math.ceil(math.log(b / a) / math.log(ratio or BETA_NODE_RATIO))))
            out.append(np.geomspace(a, b, n + 1))
        else:
            n = max(1, int(math.ceil((b - a) / (step or H_NODE_STEP_M))))
            out.append(np.linspace(a, b, n + 1))
    return tuple(float(x) for x in np.unique(np.concatenate(out)))


def delay_table_continuous(beta: float, h_entry_m: float, beta_nodes: tuple, h_nodes: tuple):
    """Drag-delay table for any ballistic coefficient and entry altitude inside the nodes:
    bilinear in (1 / beta, h) between the exact tables of the four surrounding nodes (each
    built once and cached, :func:`delay_table`); exact at a node. Outside the nodes, or for an
    infinite beta, the exact table."""
    if not math.isfinite(beta):
        return delay_table(beta, h_entry_m)  # the read-only empty table (one kernel signature)
    bn, hn = np.asarray(beta_nodes, float), np.asarray(h_nodes, float)
    if not (bn[0] <= beta <= bn[-1] and hn[0] <= h_entry_m <= hn[-1]):
        return delay_table(float(beta), float(h_entry_m))

    def bracket(nodes, x, f):
        j = int(np.clip(np.searchsorted(nodes, x, side="right") - 1, 0, max(len(nodes) - 2, 0)))
        if len(nodes) == 1 or x == nodes[j]:
            return [(j, 1.0)]
        if x == nodes[j + 1]:
            return [(j + 1, 1.0)]
        w = (f(x) - f(nodes[j])) / (f(nodes[j + 1]) - f(nodes[j]))
        return [(j, 1.0 - w), (j + 1, w)]

    tab = None
    for i, wb in bracket(bn, beta, lambda b: 1.0 / b):
        for k, wh in bracket(hn, h_entry_m, lambda h: h):
            t = wb * wh * delay_table(float(bn[i]), float(hn[k]))
            tab = t if tab is None else tab + t
    tab.setflags(write=False)
    return tab


def compute_delay_table(beta: float, h_entry_m: float) -> np.ndarray:
    """The drag-delay table computed afresh (no cache)."""
    g = np.radians(DELAY_G_NODES_DEG)
    return build_delay_table(DELAY_V_NODES, g, R_MEAN_M, h_entry_m, GM_EARTH_M3_S2, RHO0_KG_M3,
                             SCALE_HEIGHT_M, beta)


def delay_table_path(beta: float, h_entry_m: float):
    """Where the table for (``beta``, ``h_entry_m``) is kept: ``delay_tables/`` in the numba
    cache directory, named by a hash of the inputs, the grid, the constants and every core
    source file (:func:`warning_time.table_cache.cache_file`: a changed kernel never reads an
    old table). None when ``WARNING_TIME_TABLE_CACHE=0``."""
    from .table_cache import cache_file

    return cache_file("delay", ".npy", repr((float(beta), float(h_entry_m), R_MEAN_M, GM_EARTH_M3_S2, RHO0_KG_M3,
                                              SCALE_HEIGHT_M)),
                      DELAY_V_NODES.tobytes(), DELAY_G_NODES_DEG.tobytes())


def _load_table(path):
    """A cached table, or None when it is missing or unreadable or of the wrong shape."""
    try:
        tab = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    if tab.shape != (DELAY_V_NODES.size, DELAY_G_NODES_DEG.size) or tab.dtype != np.float64:
        return None
    return tab


def _save_table(path, tab) -> None:
    """Write a table atomically, ignoring a cache we cannot write."""
    from .table_cache import write_file

    write_file(path, lambda fh: np.save(fh, tab, allow_pickle=False))


def pack(kp: dict, *, a: float, e2: float, f: float, omega: float, mode: int, shape_value: float,
         high: bool, v_max: float, boost=None, depressed=(math.nan, math.nan)) -> np.ndarray:
    """The packed float64 parameter array (``core.trajectory.P_*`` layout) of kernel parameters
    ``kp`` (SI, as :meth:`MissileClass.kernel_params` gives them) and a resolved flight.
    ``boost`` is a range-dependent boost table ``(x0_m, dx_m, rows)`` with rows laid out by
    ``core.trajectory.BT_*`` (:func:`boost_table`), appended after the scalars; ``depressed`` the
    ground-range interval (m) of the full-burn depressed arc (:func:`depressed_full_burn_interval`)."""
    n = 0 if boost is None else boost[2].shape[1]
    p = np.empty(tr.N_PARAMS + tr.N_BT * n)
    p[tr.P_A], p[tr.P_E2], p[tr.P_F], p[tr.P_OMEGA], p[tr.P_MU] = a, e2, f, omega, GM_EARTH_M3_S2
    p[tr.P_MODE], p[tr.P_SHAPE], p[tr.P_HIGH] = mode, shape_value, 1.0 if high else 0.0
    p[tr.P_T_BOOST], p[tr.P_H_BO], p[tr.P_D_BO] = kp["t_boost"], kp["h_bo"], kp["d_bo"]
    p[tr.P_V_MAX], p[tr.P_MIN_RANGE], p[tr.P_MAX_RANGE] = v_max, kp["min_range"], kp["max_range"]
    p[tr.P_V_LO], p[tr.P_V_STEP], p[tr.P_G_LO], p[tr.P_G_STEP] = DELAY_GRID
    p[tr.P_H_ENTRY] = kp["h_entry"]
    p[tr.P_BT_N], p[tr.P_BT_X0], p[tr.P_BT_DX] = float(n), 0.0, 1.0
    p[tr.P_DEP_LO], p[tr.P_DEP_HI] = depressed
    if n:
        p[tr.P_BT_X0], p[tr.P_BT_DX] = boost[0], boost[1]
        p[tr.N_PARAMS:] = np.asarray(boost[2], dtype=float).ravel()
    p.setflags(write=False)
    return p


#: a full-burn (lofted) table whose burnout altitudes all lie below this (m) is flown by its
#: flight-path angles, not its speeds: drag after an endo-atmospheric burnout takes speed the
#: vacuum conic would keep (docs/model.md "Range-dependent boost")
ENDO_BURNOUT_M = 50e3


@functools.lru_cache(maxsize=None)
def boost_tables() -> dict:
    """The range-dependent boost of the flyout-calibrated ballistic classes
    (data/boost_tables.toml, written by ``scripts/calibrate.py --boost``): class key ->
    {'vehicle', 'max_range_km', 'full_burn', shape -> (x0_m, dx_m, read-only (N_BT, n) rows SI)}
    for the shapes 'minimum-energy' and 'lofted'."""
    import tomllib
    from importlib import resources

    text = resources.files("warning_time").joinpath("data/boost_tables.toml").read_text("utf-8")
    out = {}
    for key, e in tomllib.loads(text).items():
        x = np.asarray(e["range_km"], float) * 1e3
        step = (x[-1] - x[0]) / max(x.size - 1, 1)
        if x.size < 2 or not step > 0 or not np.allclose(np.diff(x), step, rtol=1e-6, atol=0.0):
            raise InputError(f"boost_tables.{key}", message=f"boost_tables.toml [{key}]: the ranges must be "
                             "evenly spaced and increasing")
        entry = dict(vehicle=e["vehicle"], max_range_km=float(e["max_range_km"]), full_burn=dict(e["full_burn"]))
        for shape in ("minimum-energy", "lofted"):
            t = e.get(shape)
            if t is None:
                continue
            rows = np.full((tr.N_BT, x.size), np.nan)
            rows[tr.BT_T] = t["burnout_time_s"]
            rows[tr.BT_H] = np.asarray(t["burnout_altitude_km"], float) * 1e3
            rows[tr.BT_D] = np.asarray(t["burnout_downrange_km"], float) * 1e3
            if shape == "minimum-energy" or np.max(rows[tr.BT_H]) < ENDO_BURNOUT_M:
                rows[tr.BT_GAM] = np.radians(t["burnout_flight_path_angle_deg"])
            if shape == "lofted":
                rows[tr.BT_V] = t["burnout_speed_m_s"]
            rows[tr.BT_DT] = t.get("added_time_s", np.zeros(x.size))
            if not np.all(np.isfinite(rows[:tr.BT_GAM])) or any(len(t[c]) != x.size for c in (
                    "burnout_time_s", "burnout_altitude_km", "burnout_downrange_km")):
                raise InputError(f"boost_tables.{key}.{shape}", message=f"boost_tables.toml [{key}.{shape}]: "
                                 "every row needs one finite value per range node")
            rows.setflags(write=False)
            entry[shape] = (float(x[0]), float(step), rows)
        out[key] = entry
    return out


def boost_table(m: MissileClass, trajectory: str, kp: dict):
    """The range-dependent boost table ``(x0_m, dx_m, rows)`` a resolved ballistic trajectory of
    class ``m`` flies, or None (a class without flyout calibration keeps its fixed boost).
    'minimum-energy' (and 'depressed', which flies the least-burn shot outside its full-burn
    interval) takes the least-burn table with its burnout flight-path angles, 'lofted'
    the full-burn lofted table with its burnout speeds (each with its added times), every other shape the least-burn
    burnout states only (its own shape rule decides the free flight). The burn time, burnout altitude and
    downrange of a band, a Monte Carlo draw or an override scale the table by their ratio to the
    table's full-burn state (the catalog nominal)."""
    entry = boost_tables().get(m.key)
    if entry is None:
        return None
    x0, dx, rows = entry["lofted" if trajectory == "lofted" and "lofted" in entry else "minimum-energy"]
    rows = rows.copy()
    if trajectory not in ("minimum-energy", "lofted", "depressed"):
        rows[tr.BT_GAM] = np.nan
        rows[tr.BT_V] = np.nan
        rows[tr.BT_DT] = 0.0
    fb = entry["full_burn"]
    full = dict(t_boost=fb["burn_time_s"], h_bo=fb["burnout_altitude_km"] * 1e3, d_bo=fb["burnout_downrange_km"] * 1e3)
    for row, name in ((tr.BT_T, "t_boost"), (tr.BT_H, "h_bo"), (tr.BT_D, "d_bo")):
        # the table's full-burn state is the catalog nominal; a band, a draw or a scenario
        # override of the class's value scales the table by its ratio to it
        if full[name] > 0 and abs(kp[name] / full[name] - 1.0) > 1e-9:
            rows[row] *= kp[name] / full[name]
    rows.setflags(write=False)
    return x0, dx, rows


@functools.lru_cache(maxsize=None)
def quasi_tables() -> dict:
    """The flight tables of quasi-ballistic classes calibrated on lifting flyouts
    (data/quasi_tables.toml, written by ``scripts/calibrate.py --quasi``): class key ->
    read-only (N_QT, n) float64 array laid out by the ``core.trajectory.QT_*`` rows (SI)."""
    import tomllib
    from importlib import resources

    text = resources.files("warning_time").joinpath("data/quasi_tables.toml").read_text("utf-8")
    out = {}
    for key, e in tomllib.loads(text).items():
        tab = np.array([np.asarray(e["range_km"], float) * 1e3, e["flight_time_s"],
                        np.asarray(e["apogee_km"], float) * 1e3, e["burnout_speed_m_s"], e["impact_speed_m_s"],
                        np.radians(e["impact_angle_deg"])], dtype=float)
        steps = np.diff(tab[tr.QT_RANGE])
        if tab.shape[0] != tr.N_QT or tab.shape[1] < 2 or not np.allclose(steps, steps[0]) or steps[0] <= 0:
            raise InputError(f"quasi_tables.{key}", message=f"quasi_tables.toml [{key}]: the ranges must be "
                             "evenly spaced and increasing, every row of the same length")
        tab.setflags(write=False)
        out[key] = tab
    return out


def burnout_speed_limit(kp: dict, boost=None, nodes=None) -> float:
    """Burnout speed (m/s) at which a minimum-energy shot reaches the class's maximum range
    (mean sphere, no rotation, launch and target on the equator, with the class's boost and
    reentry), for kernel parameters ``kp`` and the class's range-dependent boost table
    (:func:`boost_table` for 'minimum-energy'), if any; inf when the range is unlimited, NaN
    when it cannot be derived. Every ballistic shape is held to this speed; the
    quasi-ballistic profile (which glides in reality) is held to the published ground range.
    ``nodes`` (beta nodes, entry-altitude nodes): take the drag delay from
    :func:`delay_table_continuous` (a Monte Carlo draw)."""
    bt = None if boost is None else (boost[0], boost[1], boost[2].shape, boost[2].tobytes())
    return _speed_limit(tuple(float(kp[k]) for k in SHAPE_KEYS), bt, nodes)


def _table(kp, nodes):
    if nodes is None:
        return delay_table(kp["beta"], kp["h_entry"])
    return delay_table_continuous(kp["beta"], kp["h_entry"], *nodes)


@functools.lru_cache(maxsize=4096)
def _speed_limit(key, bt, nodes=None) -> float:
    kp = dict(zip(SHAPE_KEYS, key))
    if not math.isfinite(kp["max_range"]):
        return math.inf
    boost = None if bt is None else (bt[0], bt[1], np.frombuffer(bt[3]).reshape(bt[2]))
    params = pack(kp, a=R_MEAN_M, e2=0.0, f=0.0, omega=0.0, mode=tr.MODE_MIN_ENERGY, shape_value=0.0,
                  high=False, v_max=math.inf, boost=boost)
    lon2 = math.degrees(kp["max_range"] / R_MEAN_M)
    out = flight_many(np.zeros(1), np.zeros(1), np.zeros(1), np.array([lon2]), params, _table(kp, nodes))
    return float(out[4, 0])


#: the depressed preset of a class with a range-dependent boost flies the full-burn depressed arc
#: where it is faster than the least-burn minimum-energy shot by more than this fraction of the
#: latter's flight time on equatorial profiles (depressed_full_burn_interval; latitude, azimuth
#: and the Earth's figure move the two arcs' times by a few per cent, mostly alike;
#: tests/unit/test_presets.py checks the ordering on rotating WGS84 grids); elsewhere the
#: least-burn shot (docs/model.md "Range-dependent boost")
DEPRESSED_MARGIN = 0.1
#: nodes of the range profile on which the full-burn interval is found
DEPRESSED_PROFILE_NODES = 200


def depressed_full_burn_interval(kp: dict, boost, v_max: float, nodes=None) -> tuple[float, float]:
    """Ground-range interval (m) where the depressed preset of a class with a range-dependent
    boost table ``boost`` (:func:`boost_table` for 'minimum-energy') flies the full-burn depressed
    arc: the class's full-burn boost (the scalar burn time, burnout altitude and downrange of
    ``kp``) at the full burnout speed ``v_max`` on the low branch, burnout flight-path angle at
    or above the floor. It is the longest run of profile ranges (the table's first node to the
    maximum range, mean sphere, launch on the equator; without rotation, and with rotation
    toward the east, the west and the north) where that arc is faster than the least-burn
    minimum-energy shot by more than DEPRESSED_MARGIN of the latter's time in every profile;
    (NaN, NaN) where there is none (the preset is then the least-burn shot). ``nodes``: the drag
    delay from :func:`delay_table_continuous` (a Monte Carlo draw), as in :func:`burnout_speed_limit`."""
    bt = (boost[0], boost[1], boost[2].shape, boost[2].tobytes())
    return _depressed_interval(tuple(float(kp[k]) for k in SHAPE_KEYS), bt, float(v_max), nodes)


@functools.lru_cache(maxsize=4096)
def _depressed_interval(key, bt, v_max, nodes=None) -> tuple[float, float]:
    kp = dict(zip(SHAPE_KEYS, key))
    boost = (bt[0], bt[1], np.frombuffer(bt[3]).reshape(bt[2]))
    if not (math.isfinite(kp["max_range"]) and math.isfinite(v_max)):
        return math.nan, math.nan
    ranges = np.linspace(max(boost[0], kp["min_range"]), kp["max_range"], DEPRESSED_PROFILE_NODES)
    ang = np.degrees(ranges / R_MEAN_M)
    zeros = np.zeros(ranges.size)
    table = _table(kp, nodes)
    faster = np.ones(ranges.size, bool)
    # the Earth's turn moves the two arcs' times apart most on the equator: eastward, westward
    # (shorter reach: full speed only just reaches where the least-burn shot still flies) and
    # northward
    for omega, lat2, lon2 in ((0.0, zeros, ang), (OMEGA_EARTH_RAD_S, zeros, ang), (OMEGA_EARTH_RAD_S, zeros, -ang),
                              (OMEGA_EARTH_RAD_S, ang, zeros)):
        common = dict(a=R_MEAN_M, e2=0.0, f=0.0, omega=omega, v_max=v_max)
        t_me = flight_many(zeros, zeros, lat2, lon2, pack(kp, mode=tr.MODE_MIN_ENERGY, shape_value=0.0,
                                                          high=False, boost=boost, **common), table)[1]
        t_full = flight_many(zeros, zeros, lat2, lon2, pack(kp, mode=tr.MODE_DEPRESSED,
                                                            shape_value=tr.DEPRESSED_FLOOR_RAD, high=False,
                                                            **common), table)[1]
        faster &= t_full < (1.0 - DEPRESSED_MARGIN) * t_me  # False where either is NaN
    best, lo, run = (0, 0, 0), 0, 0
    for i, f in enumerate(faster):
        run = run + 1 if f else 0
        if run == 1:
            lo = i
        if run > best[0]:
            best = (run, lo, i)
    if best[0] == 0:
        return math.nan, math.nan
    return float(ranges[best[1]]), float(ranges[best[2]])


def _scalar(name, value):
    if value is None:
        return None
    arr = np.asarray(value, dtype=float) if not isinstance(value, str) else None
    if arr is None or arr.ndim != 0:
        raise InputError(name, message=f"{name} must be one number (one trajectory shape per call), "
                         f"got {value!r}; loop over values to compare shapes")
    return float(arr)


def check_bool(name: str, value) -> bool:
    """``value`` as a bool if it is one (Python or numpy), else InputError: strings such as
    'False' and numbers such as 1 are rejected rather than read by their truth value."""
    if not isinstance(value, (bool, np.bool_)):
        raise InputError(name, message=f"{name}={value!r} must be True or False")
    return bool(value)


#: the options that shape one kind of (ballistic) trajectory, and the trajectories that take them
SHAPE_OPTIONS = {"apogee_km": ("apogee", "quasi-ballistic"), "flight_path_angle_deg": ("flight-path-angle",),
                 "burnout_speed_m_s": ("burnout-speed",), "branch": ("burnout-speed",)}


def misapplied_option(trajectory: str, *, apogee_km=None, flight_path_angle_deg=None, burnout_speed_m_s=None,
                      branch="low"):
    """The first shape option given that ``trajectory`` does not take, as (name, shown value,
    the trajectories that take it), or None. ``branch`` counts as given when it is not 'low'."""
    given = dict(apogee_km=apogee_km, flight_path_angle_deg=flight_path_angle_deg,
                 burnout_speed_m_s=burnout_speed_m_s, branch=None if branch == "low" else branch)
    for name, value in given.items():
        if value is not None and trajectory not in SHAPE_OPTIONS[name]:
            shown = f"{value:g}" if isinstance(value, float) else repr(value)
            return name, shown, " and ".join(repr(t) for t in SHAPE_OPTIONS[name])
    return None


def check_options_apply(trajectory: str, **options) -> None:
    """An option given for a trajectory that does not use it is an InputError naming the
    option and the trajectories that take it (rather than a silently ignored value)."""
    bad = misapplied_option(trajectory, **options)
    if bad is not None:
        name, shown, takes = bad
        note = " (the 'lofted' and 'depressed' presets pick their own branch)" if name == "branch" else ""
        raise InputError(name, message=f"{name}={shown} does not apply to trajectory={trajectory!r}; "
                         f"it is taken by trajectory {takes}{note}")


def _mode(m: MissileClass, trajectory, kp, apogee_km, flight_path_angle_deg, burnout_speed_m_s, branch, nodes=None):
    """(mode, shape value, high branch) of a resolved (never 'default') ballistic trajectory."""
    if trajectory == "minimum-energy":
        return tr.MODE_MIN_ENERGY, 0.0, False
    if trajectory == "apogee":
        if apogee_km is None or not (apogee_km > 0):
            raise InputError("apogee_km", message="trajectory='apogee' needs apogee_km > 0")
        return tr.MODE_APOGEE, apogee_km * 1e3, False
    if trajectory == "flight-path-angle":
        if flight_path_angle_deg is None or not (-89.0 < flight_path_angle_deg < 89.0):
            raise InputError("flight_path_angle_deg", message="trajectory='flight-path-angle' needs "
                             "flight_path_angle_deg in (-89, 89)")
        return tr.MODE_FPA, math.radians(flight_path_angle_deg), False
    if trajectory == "burnout-speed":
        if burnout_speed_m_s is None or not (burnout_speed_m_s > 0):
            raise InputError("burnout_speed_m_s", message="trajectory='burnout-speed' needs burnout_speed_m_s > 0")
        return tr.MODE_SPEED, burnout_speed_m_s, branch == "high"
    if trajectory in ("depressed", "lofted"):
        vmax = burnout_speed_limit(kp, boost_table(m, "minimum-energy", kp), nodes)
        if not math.isfinite(vmax):
            raise InputError("trajectory", message=f"trajectory={trajectory!r} flies the class's full "
                             f"burnout speed, but missile '{m.key}' has no speed limit; use "
                             "'apogee', 'flight-path-angle' or 'burnout-speed'")
        if trajectory == "lofted":
            return tr.MODE_LOFTED, 0.0, True
        return tr.MODE_DEPRESSED, tr.DEPRESSED_FLOOR_RAD, False
    # quasi-ballistic (the choices are checked before)
    cap = apogee_km * 1e3 if apogee_km is not None else kp["apogee_cap"]
    if not (cap > 0):
        raise InputError("apogee_km", message=f"trajectory='quasi-ballistic' needs an apogee cap: "
                         f"missile '{m.key}' has none, pass apogee_km")
    if apogee_km is None and m.key in quasi_tables():
        return tr.MODE_QUASI_FLYOUT, cap, False
    return tr.MODE_QUASI, cap, False


@dataclasses.dataclass(frozen=True, eq=False)
class FlightModel:
    """One missile class with every flight option resolved and checked.

    ``params`` is the packed float64 array of the kernels (``core.trajectory.P_*``), ``table``
    the drag-delay table (empty without drag), ``kernel_params`` the class's SI parameters,
    ``meta`` the metadata the results carry (missile key, resolved trajectory, earth, rotation,
    band, burnout-speed limit, and ``parameters``: every catalog parameter's value used, in
    catalog units). Build it with :meth:`resolve`."""

    missile: MissileClass
    trajectory: str
    band: str
    earth: str
    rotation: bool
    branch: str
    kernel_params: dict
    params: np.ndarray
    table: np.ndarray
    burnout_speed_limit_m_s: float

    @property
    def key(self) -> str:
        return self.missile.key

    @property
    def is_cruise(self) -> bool:
        return self.missile.kind == "cruise"

    @property
    def meta(self) -> dict:
        return dict(missile=self.missile.key, trajectory=self.trajectory, earth=self.earth,
                    rotation=self.rotation, band=self.band,
                    burnout_speed_limit_m_s=self.burnout_speed_limit_m_s,
                    parameters=self.missile.parameter_values(self.kernel_params, self.band))

    def at_burnout_speed(self, burnout_speed_m_s: float, *, high: bool = False) -> FlightModel:
        """A copy flying the given burnout speed (low branch, or high with ``high``) without the
        class's own speed limit: to find what speed a claimed flight time would need."""
        p = self.params.copy()
        p[tr.P_MODE], p[tr.P_SHAPE], p[tr.P_HIGH] = tr.MODE_SPEED, burnout_speed_m_s, float(high)
        p[tr.P_V_MAX] = math.inf
        p.setflags(write=False)
        return dataclasses.replace(self, params=p, trajectory="burnout-speed", burnout_speed_limit_m_s=math.inf)

    @classmethod
    def resolve(cls, missile, *, trajectory="minimum-energy", apogee_km=None, flight_path_angle_deg=None,
                burnout_speed_m_s=None, branch="low", earth="wgs84", rotation=True, band="nominal",
                kernel_params=None, drag_table="exact") -> FlightModel:
        """Check every option and resolve the class into kernel inputs.

        Options as in :func:`warning_time.flight_time`. ``kernel_params`` replaces the band's
        SI parameters (a Monte Carlo draw, :meth:`MissileClass.sample_kernel_params`).
        ``drag_table``: 'exact' (the drag-delay table of the exact ballistic coefficient and entry
        altitude) or 'continuous' (bilinear between exact node tables over the class's bands,
        :func:`delay_table_continuous`: what the Monte Carlo draws take, no table built per draw).
        Raises :class:`InputError` naming the option for anything not allowed: an unknown
        missile (listing the catalog), trajectory, band, earth or branch outside its choices,
        ``rotation`` that is not a bool, a shape value missing or out of range."""
        m = get_missile(missile)
        check_choice("trajectory", trajectory, TRAJECTORIES + ("default",))
        check_choice("earth", earth, EARTH_MODELS)
        check_choice("branch", branch, BRANCHES)
        check_choice("band", band, BANDS)
        rotation = check_bool("rotation", rotation)
        apogee_km = _scalar("apogee_km", apogee_km)
        flight_path_angle_deg = _scalar("flight_path_angle_deg", flight_path_angle_deg)
        burnout_speed_m_s = _scalar("burnout_speed_m_s", burnout_speed_m_s)
        kp = dict(kernel_params) if kernel_params is not None else m.kernel_params(band)
        if m.kind == "cruise":
            from .cruise import CruiseProfile, check_cruise_options

            check_cruise_options(m.key, trajectory, apogee_km=apogee_km, flight_path_angle_deg=flight_path_angle_deg,
                                 burnout_speed_m_s=burnout_speed_m_s, branch=branch)
            profile = CruiseProfile.from_params(kp, m.key)
            return cls(m, "cruise", band, earth, rotation, branch, kp, np.zeros(0), np.zeros((0, 0)),
                       profile.v_cruise)
        if trajectory == "cruise":
            raise InputError("trajectory", message=f"trajectory='cruise' is taken by cruise classes only; missile "
                             f"'{m.key}' is ballistic (trajectories: "
                             f"{', '.join(repr(t) for t in TRAJECTORIES if t != 'cruise')} or 'default')")
        resolved = m.default_trajectory if trajectory == "default" else trajectory
        check_options_apply(resolved, apogee_km=apogee_km, flight_path_angle_deg=flight_path_angle_deg,
                            burnout_speed_m_s=burnout_speed_m_s, branch=branch)
        # a Monte Carlo draw takes its drag delay from the continuous table over the class's
        # bands (exact at their nodes, nominal included; model.delay_table_continuous)
        check_choice("drag_table", drag_table, ("exact", "continuous"))
        nodes = m.drag_nodes() if drag_table == "continuous" else None
        mode, value, high = _mode(m, resolved, kp, apogee_km, flight_path_angle_deg, burnout_speed_m_s, branch, nodes)
        vmax = burnout_speed_limit(kp, boost_table(m, "minimum-energy", kp), nodes)
        if not math.isfinite(vmax) and math.isfinite(kp["max_range"]):
            raise InputError(f"{m.key}.max_range_km", message=f"missile '{m.key}': cannot derive its "
                             f"burnout-speed limit from max_range_km={kp['max_range'] / 1e3:g}")
        a, e2 = earth_axes(earth)
        boost = None if mode == tr.MODE_QUASI_FLYOUT else boost_table(m, resolved, kp)
        dep = (math.nan, math.nan)
        if mode == tr.MODE_DEPRESSED and boost is not None:
            dep = depressed_full_burn_interval(kp, boost, vmax, nodes)
        params = pack(kp, a=a, e2=e2, f=WGS84_F if earth == "wgs84" else 0.0,
                      omega=OMEGA_EARTH_RAD_S if rotation else 0.0, mode=mode, shape_value=value,
                      high=high, v_max=vmax, boost=boost, depressed=dep)
        # a class calibrated on lifting flyouts takes its flight table in place of the drag delay
        table = quasi_tables()[m.key] if mode == tr.MODE_QUASI_FLYOUT else _table(kp, nodes)
        return cls(m, resolved, band, earth, rotation, branch, kp, params, table, vmax)
