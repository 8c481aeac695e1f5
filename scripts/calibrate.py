"""Calibrate the analytic missile model from 3-DOF flyouts.

For every vehicle in ``warning_time/data/vehicles.toml`` that names a ``catalog_class``, this
script derives the analytic core's boost and reentry parameters from flyouts and writes them,
with provenance, as that class's entry of ``warning_time/data/missiles.toml`` (``--write``).

Run from the repository root::

    .venv/bin/python scripts/calibrate.py            # fit and print, write nothing
    .venv/bin/python scripts/calibrate.py --write    # also write the calibrated classes
    .venv/bin/python scripts/calibrate.py --json calib.json

Method
------
1. Reach. ``max_range_km`` nominal is the flyout's full-burn maximum range on the mean sphere
   without rotation or J2 (the catalog's definition of maximum range: the analytic class's
   burnout-speed limit is the minimum-energy speed at that range on the same sphere); the band
   is the spread of the maximum range on the rotating WGS84 Earth (J2, US76) at the calibration
   site over eight azimuths.
2. Reference flyouts. Minimum-energy flyouts (least burn: thrust cut-off minimised over the kick
   angle, ``warning_time.flyout.aim``), full physics, from the calibration site (50 N, 30 E) to
   targets on a grid of ranges (1.05 x min range .. 0.95 x max range) and four azimuths (N, E, S, W).
3. Fit. ``burn_time_s``, ``burnout_altitude_km`` and ``burnout_downrange_km`` minimise the
   largest relative difference between the analytic flight time (``warning_time.flight_time``,
   minimum energy, WGS84, rotating) and the flyout time over the grid (Nelder-Mead from the
   mean flyout burnout state). ``ballistic_coefficient_kg_m2`` is the vehicle's reentry
   ballistic coefficient (a physical input, not fitted). Bands span the fitted value and the
   flyouts' own burnout spread.
4. Write. The class is written between marker comments at the end of missiles.toml (replacing an
   earlier calibration of the same class), each parameter's source naming this script, the
   vehicle, the grid and the measured agreement.

The tests (tests/reference/test_flyout_calibration.py) then hold the catalog class against
fresh flyouts from other launch sites.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import warning_time as wt  # noqa: E402
from warning_time import flyout as F  # noqa: E402
from warning_time.missiles import MissileClass, Param, load_missiles  # noqa: E402

SITE = (50.0, 30.0)
AZIMUTHS = (0.0, 90.0, 180.0, 270.0)
N_RANGES = 8
MISSILES = REPO / "warning_time" / "data" / "missiles.toml"
BEGIN = "# --- flyout calibration (scripts/calibrate.py) begin: {key} ---"
END = "# --- flyout calibration (scripts/calibrate.py) end: {key} ---"


def direct(lat, lon, az_deg, dist_m):
    """Geodesic destination on WGS84 (pyproj)."""
    from pyproj import Geod

    lon2, lat2, _ = Geod(ellps="WGS84").fwd(lon, lat, az_deg, dist_m)
    return lat2, lon2


def analytic_times(params: dict, lat1, lon1, lat2, lon2, stands_for: str):
    """Analytic minimum-energy flight times for a candidate parameter set."""
    base = load_missiles()[stands_for]
    p = dict(base.params)
    for name, val in params.items():
        p[name] = Param(val, val, val, "candidate")
    m = MissileClass("candidate", "candidate", "", "minimum-energy", p)
    r = wt.flight_time(lat1, lon1, lat2, lon2, missile=m, trajectory="minimum-energy", on_invalid="nan")
    return r.flight_time_s, r.status


def calibrate(vehicle: F.Vehicle, verbose=True) -> dict:
    t0 = time.time()
    key = vehicle.catalog_class
    # 1. reach
    mr = F.max_range(vehicle, 0.0, 0.0, 90.0, earth="sphere", rotation=False, j2=False)
    max_nom = float(mr.ground_range_km[0])
    azs8 = np.arange(0.0, 360.0, 45.0)
    mr_rot = F.max_range(vehicle, SITE[0], SITE[1], azs8)
    max_lo, max_hi = float(np.min(mr_rot.ground_range_km)), float(np.max(mr_rot.ground_range_km))
    max_lo, max_hi = min(max_lo, max_nom), max(max_hi, max_nom)
    base = load_missiles()[vehicle.stands_for]
    min_range = base.min_range_km
    # 2. reference flyouts
    ranges = np.linspace(1.05 * min_range, 0.95 * max_nom, N_RANGES)
    grid = [(r, az) for r in ranges for az in AZIMUTHS]
    lat2, lon2 = zip(*(direct(SITE[0], SITE[1], az, r * 1e3) for r, az in grid))
    lat2 = np.array(lat2)
    lon2 = np.array(lon2)
    fo = F.aim(vehicle, SITE[0], SITE[1], lat2, lon2, solve="min-energy")
    if not np.all(fo.status == 0):
        raise RuntimeError(f"{vehicle.key}: reference flyouts failed: {fo.reason[fo.status != 0]}")
    t_fly = fo.flight_time_s
    beta = vehicle.values.get("reentry_ballistic_coefficient_kg_m2", math.inf)

    # 3. fit (burn time s, burnout altitude km, burnout downrange km)
    def params(x):
        return {"burn_time_s": float(x[0]), "burnout_altitude_km": float(x[1]),
                "burnout_downrange_km": float(x[2]), "ballistic_coefficient_kg_m2": beta,
                "max_range_km": max_nom, "min_range_km": min_range, "reentry_altitude_km": 100.0}

    def objective(x):
        if x[0] < 0 or x[1] < 0 or x[2] < 0:
            return 10.0
        t_an, stt = analytic_times(params(x), SITE[0], SITE[1], lat2, lon2, vehicle.stands_for)
        if np.any(stt != 0):
            return 10.0 + float(np.sum(stt != 0))
        rel = (t_an - t_fly) / t_fly
        return float(np.max(np.abs(rel)) + 0.1 * np.sqrt(np.mean(rel ** 2)))

    x0 = np.array([np.mean(fo.burnout_time_s), np.mean(fo.burnout_altitude_km), np.mean(fo.burnout_downrange_km)])
    best = minimize(objective, x0, method="Nelder-Mead",
                    options=dict(xatol=1e-3, fatol=1e-6, maxiter=600, initial_simplex=np.array(
                        [x0, x0 * [1.15, 1.0, 1.0], x0 * [1.0, 1.2, 1.0], x0 * [1.0, 1.0, 1.3]])))
    x = best.x
    t_an, stt = analytic_times(params(x), SITE[0], SITE[1], lat2, lon2, vehicle.stands_for)
    rel = (t_an - t_fly) / t_fly
    res = dict(
        vehicle=vehicle.key, catalog_class=key, stands_for=vehicle.stands_for,
        max_range_km=dict(nominal=max_nom, low=max_lo, high=max_hi),
        max_range_kick_deg=float(mr.kick_deg[0]),
        min_range_km=min_range,
        burn_time_s=float(x[0]), burnout_altitude_km=float(x[1]), burnout_downrange_km=float(x[2]),
        ballistic_coefficient_kg_m2=beta,
        flyout_burnout_time_s=(float(np.min(fo.burnout_time_s)), float(np.max(fo.burnout_time_s))),
        flyout_burnout_altitude_km=(float(np.min(fo.burnout_altitude_km)), float(np.max(fo.burnout_altitude_km))),
        flyout_burnout_downrange_km=(float(np.min(fo.burnout_downrange_km)), float(np.max(fo.burnout_downrange_km))),
        grid_ranges_km=[float(r) for r in ranges], grid_azimuths_deg=list(AZIMUTHS), site=SITE,
        max_rel_error=float(np.max(np.abs(rel))), rms_rel_error=float(np.sqrt(np.mean(rel ** 2))),
        max_abs_error_s=float(np.max(np.abs(t_an - t_fly))),
        rows=[dict(range_km=float(r), azimuth_deg=float(az), flyout_s=float(tf), analytic_s=float(ta))
              for (r, az), tf, ta in zip(grid, t_fly, t_an)],
        seconds=time.time() - t0,
    )
    if verbose:
        print(f"{vehicle.key} -> [{key}] (stands for {vehicle.stands_for}): max range {max_nom:.1f} km "
              f"(rotating WGS84 at {SITE}: {max_lo:.1f}-{max_hi:.1f} km), best kick {res['max_range_kick_deg']:.2f} deg")
        print(f"  fitted: burn {x[0]:.2f} s, burnout altitude {x[1]:.2f} km, downrange {x[2]:.2f} km, "
              f"beta {beta:g} kg/m^2")
        print(f"  analytic vs flyout over {len(grid)} shots: max |dt| {res['max_abs_error_s']:.2f} s, "
              f"max rel {100 * res['max_rel_error']:.2f} %, rms {100 * res['rms_rel_error']:.2f} %  "
              f"({res['seconds']:.0f} s)")
        for row in res["rows"]:
            print(f"    {row['range_km']:7.1f} km az {row['azimuth_deg']:5.0f}: flyout {row['flyout_s']:7.2f} s  "
                  f"analytic {row['analytic_s']:7.2f} s  ({100 * (row['analytic_s'] / row['flyout_s'] - 1):+.2f} %)")
    return res


def toml_block(vehicle: F.Vehicle, r: dict) -> str:
    key = r["catalog_class"]
    prov = (f"scripts/calibrate.py from 3-DOF flyouts of vehicle '{vehicle.key}' (vehicles.toml): "
            f"minimum-energy shots from {r['site'][0]:g} N {r['site'][1]:g} E, "
            f"{len(r['grid_ranges_km'])} ranges {r['grid_ranges_km'][0]:.0f}-{r['grid_ranges_km'][-1]:.0f} km x "
            f"azimuths 0/90/180/270; analytic vs flyout max {100 * r['max_rel_error']:.2f} % "
            f"({r['max_abs_error_s']:.1f} s)")
    bt = r["flyout_burnout_time_s"]
    bh = r["flyout_burnout_altitude_km"]
    bd = r["flyout_burnout_downrange_km"]

    def band(nom, spread):
        return min(nom, spread[0]), nom, max(nom, spread[1])

    def line(name, lo, nom, hi, src):
        return f'{name} = {{ nominal = {nom:.4g}, low = {lo:.4g}, high = {hi:.4g}, source = "{src}" }}'

    mr = r["max_range_km"]
    lines = [
        BEGIN.format(key=key),
        f"[{key}]",
        f'label = "{vehicle.label} (flyout-calibrated)"',
        f'description = "Analytic model calibrated from 3-DOF flyouts of the {vehicle.key} vehicle; '
        f'stands for the {vehicle.stands_for} class. Parameters are fitted, not measured: see their sources."',
        'default_trajectory = "minimum-energy"',
        line("max_range_km", mr["low"], mr["nominal"], mr["high"],
             f"flyout full-burn maximum range of vehicle '{vehicle.key}' on the mean sphere without rotation "
             f"(best kick {r['max_range_kick_deg']:.1f} deg); band: rotating WGS84 Earth with J2 and US76 at "
             f"{r['site'][0]:g} N over 8 azimuths (scripts/calibrate.py). Published range: "
             f"{vehicle.values.get('published_range_km', float('nan')):.0f} km ({vehicle.sources.get('published_range_km', '')})"),
        line("min_range_km", r["min_range_km"], r["min_range_km"], r["min_range_km"],
             f"as {vehicle.stands_for} (the grid's lower end)"),
        line("burn_time_s", *band(r["burn_time_s"], bt), f"fitted by {prov}; flyout burnout {bt[0]:.1f}-{bt[1]:.1f} s"),
        line("burnout_altitude_km", *band(r["burnout_altitude_km"], bh),
             f"fitted by {prov}; flyout burnout altitude {bh[0]:.1f}-{bh[1]:.1f} km"),
        line("burnout_downrange_km", *band(r["burnout_downrange_km"], bd),
             f"fitted by {prov}; flyout burnout downrange {bd[0]:.1f}-{bd[1]:.1f} km"),
        line("ballistic_coefficient_kg_m2", r["ballistic_coefficient_kg_m2"], r["ballistic_coefficient_kg_m2"],
             r["ballistic_coefficient_kg_m2"],
             f"vehicle '{vehicle.key}' reentry ballistic coefficient (vehicles.toml: "
             f"{vehicle.sources.get('reentry_ballistic_coefficient_kg_m2', '')})"),
        line("reentry_altitude_km", 100.0, 100.0, 100.0, "conventional entry interface"),
        END.format(key=key),
    ]
    return "\n".join(lines).replace('\\', '/') + "\n"


def write_block(key: str, block: str, path: Path = MISSILES) -> None:
    text = path.read_text("utf-8")
    b, e = BEGIN.format(key=key), END.format(key=key)
    if b in text:
        i = text.index(b)
        j = text.index(e) + len(e) + 1
        text = text[:i] + block + text[j:]
    else:
        if not text.endswith("\n"):
            text += "\n"
        text += "\n" + block
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(path)


# ------------------------------------------------------------------------------------------
# quasi-ballistic (lifting) classes: a table of flyout flight time vs ground range
# ------------------------------------------------------------------------------------------

#: classes with range-dependent boost tables (calibrate --boost); the vehicle names its class
BOOST_CLASSES = ("oreshnik", "generic-srbm-solid", "generic-irbm", "generic-icbm")

#: lifting vehicle -> the quasi-ballistic catalog class whose flight table it defines
QUASI = {"iskander-9m723": "iskander-m"}
QUASI_TABLES = REPO / "warning_time" / "data" / "quasi_tables.toml"
#: fit grid: ground ranges (km) from the calibration site SITE, launch azimuths (deg)
QUASI_RANGES_KM = tuple(float(x) for x in range(50, 481, 10))
QUASI_AZIMUTHS = (90.0, 270.0)


def fan_targets(site, azimuths, ranges_km):
    """Targets (lat, lon arrays, degrees) at every (azimuth, range) from ``site``, azimuth-major:
    the shots of a calibration grid."""
    rng = np.asarray(ranges_km, dtype=float)
    lats, lons = [], []
    for az in azimuths:
        la, lo = direct(np.full(rng.size, site[0]), np.full(rng.size, site[1]), np.full(rng.size, az), rng * 1e3)
        lats.append(la)
        lons.append(lo)
    return np.concatenate(lats), np.concatenate(lons)


def quasi_flyouts(vehicle, site=SITE, azimuths=QUASI_AZIMUTHS, ranges_km=QUASI_RANGES_KM):
    """Aimed full-burn flyouts of a lifting vehicle on its depressed (flattest) kick branch,
    ``warning_time.flyout.aim(solve='loft', branch='high')``: rows (azimuth, range) of the
    FlyoutResult, in that order."""
    lat2, lon2 = fan_targets(site, azimuths, ranges_km)
    return F.aim(vehicle, site[0], site[1], lat2, lon2, solve="loft", branch="high", tolerance_m=10.0)


def calibrate_quasi(vehicle, verbose=True) -> dict:
    """The flight table of a quasi-ballistic class: at each fit range the mean over the fit
    azimuths of the flyout's flight time, apogee, burnout speed, impact speed and impact angle."""
    key = QUASI[vehicle.key]
    t0 = time.time()
    r = quasi_flyouts(vehicle)
    n = len(QUASI_RANGES_KM)
    ok = (r["status"] == 0).reshape(len(QUASI_AZIMUTHS), n)
    if not ok.all():
        bad = [QUASI_RANGES_KM[i] for i in range(n) if not ok[:, i].all()]
        raise RuntimeError(f"{vehicle.key}: flyouts failed at {bad} km")
    cols = {}
    for name in ("flight_time_s", "apogee_km", "burnout_speed_m_s", "impact_speed_m_s", "impact_angle_deg"):
        cols[name] = r[name].reshape(len(QUASI_AZIMUTHS), n).mean(axis=0)
    spread = np.ptp(r["flight_time_s"].reshape(len(QUASI_AZIMUTHS), n), axis=0)
    if verbose:
        print(f"{vehicle.key} -> {key}: {2 * n} flyouts in {time.time() - t0:.0f} s; largest azimuth "
              f"spread of the time {spread.max():.2f} s")
        for i in (0, 5, 15, 25, n - 1):
            print(f"  {QUASI_RANGES_KM[i]:5.0f} km  {cols['flight_time_s'][i]:6.1f} s  apogee "
                  f"{cols['apogee_km'][i]:5.1f} km  burnout {cols['burnout_speed_m_s'][i]:6.0f} m/s")
    return dict(vehicle=vehicle.key, catalog_class=key, site=SITE, azimuths=QUASI_AZIMUTHS,
                range_km=list(QUASI_RANGES_KM), **{k: [round(float(x), 3) for x in v] for k, v in cols.items()},
                max_azimuth_spread_s=float(spread.max()))


def quasi_toml(r: dict) -> str:
    """The [<class>] block of quasi_tables.toml for a calibrate_quasi result."""
    def arr(xs):
        return "[" + ", ".join(f"{x:g}" for x in xs) + "]"

    lines = [f"[{r['catalog_class']}]",
             f"vehicle = \"{r['vehicle']}\"",
             f"source = \"scripts/calibrate.py --quasi: aimed full-burn flyouts of vehicle {r['vehicle']} "
             f"(flattest kick branch, lift guidance) from {r['site'][0]:g} N {r['site'][1]:g} E at azimuths "
             f"{', '.join(f'{a:g}' for a in r['azimuths'])} deg, rotating WGS84 Earth with J2 and US76; "
             f"the mean over the azimuths (largest spread {r['max_azimuth_spread_s']:.2f} s)\""]
    for k in ("range_km", "flight_time_s", "apogee_km", "burnout_speed_m_s", "impact_speed_m_s", "impact_angle_deg"):
        lines.append(f"{k} = {arr(r[k])}")
    return "\n".join(lines) + "\n"


QUASI_HEADER = """# Flight tables of the quasi-ballistic (lifting) classes, written by scripts/calibrate.py --quasi.
# Per class: ground range nodes (km, evenly spaced) and, at each, the mean flyout flight time,
# apogee, burnout speed, impact speed and impact angle of its lifting vehicle (vehicles.toml).
# The analytic core interpolates them linearly in the ground range (core/trajectory.py
# MODE_QUASI_FLYOUT); see docs/model.md "The SRBM in the atmosphere".

"""


# ------------------------------------------------------------------------------------------
# range-dependent boost: flyout burnout states as a function of the ground range and shape
# ------------------------------------------------------------------------------------------

BOOST_TABLES = REPO / "warning_time" / "data" / "boost_tables.toml"
#: fit azimuths at SITE (east and west: the mean cancels the first-order effect of rotation)
BOOST_AZIMUTHS = (90.0, 270.0)
#: range nodes per table: BOOST_NODES evenly spaced (boost_grid)
BOOST_NODES = 12
BOOST_LOW = 0.02
BOOST_LOW_KM = 50.0
BOOST_HIGH = 0.98
BOOST_COLUMNS = ("burnout_time_s", "burnout_altitude_km", "burnout_downrange_km",
                 "burnout_flight_path_angle_deg", "burnout_speed_m_s")


def boost_grid(max_range_km: float, reach_km: float) -> np.ndarray:
    """Range nodes (km) from BOOST_LOW x the maximum range (at least BOOST_LOW_KM) to BOOST_HIGH x
    ``reach_km``, the shortest full-burn range of the rotating Earth at the site (so that the
    westward least-burn shots still reach every node)."""
    lo = max(BOOST_LOW_KM, BOOST_LOW * max_range_km)
    return np.linspace(lo, BOOST_HIGH * reach_km, BOOST_NODES)


def aimed_states(vehicle, ranges_km, solve, branch="low", site=SITE, azimuths=BOOST_AZIMUTHS):
    """Aimed flyouts from ``site`` at every (azimuth, range): the FlyoutResult columns of
    BOOST_COLUMNS (and status, flight time) as (n_azimuth, n_range) arrays."""
    lat2, lon2 = fan_targets(site, azimuths, ranges_km)
    fo = F.aim(vehicle, site[0], site[1], lat2, lon2, solve=solve, branch=branch)
    shape = (len(azimuths), len(ranges_km))
    return {k: np.asarray(fo[k], dtype=float).reshape(shape) for k in BOOST_COLUMNS + ("flight_time_s",)} | \
        {"status": np.asarray(fo["status"]).reshape(shape)}


def calibrate_boost(vehicle, verbose=True) -> dict:
    """Boost tables of a ballistic class from its vehicle's flyouts.

    'minimum-energy': the least-burn (thrust-terminated) shot of ``flyout.aim(solve='min-energy')``
    at each range node; 'lofted': the full-burn shot on the lofted kick branch
    (``solve='loft'``). At each node the burnout time, altitude, downrange, flight-path angle
    (relative to the Earth) and speed are the mean over the east and west shots from SITE. Lofted
    nodes the full burn cannot reach (short ranges: a full-burn shot cannot be lofted steeply
    enough) take the nearest node that it reaches. The analytic core flies the free flight and
    reentry from the tabulated burnout state (core/trajectory.py boost_at)."""
    t0 = time.time()
    key = vehicle.catalog_class
    mr = F.max_range(vehicle, 0.0, 0.0, 90.0, earth="sphere", rotation=False, j2=False)
    max_nom = float(mr.ground_range_km[0])
    mr_rot = F.max_range(vehicle, SITE[0], SITE[1], np.arange(0.0, 360.0, 45.0))
    max_lo = min(float(np.min(mr_rot.ground_range_km)), max_nom)
    max_hi = max(float(np.max(mr_rot.ground_range_km)), max_nom)
    ranges = boost_grid(max_nom, float(np.min(mr_rot.ground_range_km)))
    out = dict(vehicle=vehicle.key, catalog_class=key, site=SITE, azimuths=BOOST_AZIMUTHS,
               max_range_km=dict(nominal=max_nom, low=max_lo, high=max_hi),
               full_burn=dict(burn_time_s=float(mr.burnout_time_s[0]), burnout_altitude_km=float(mr.burnout_altitude_km[0]),
                              burnout_downrange_km=float(mr.burnout_downrange_km[0]),
                              burnout_speed_m_s=float(mr.burnout_speed_m_s[0])),
               range_km=[float(r) for r in ranges], tables={})
    for shape, solve in (("minimum-energy", "min-energy"), ("lofted", "loft")):
        st = aimed_states(vehicle, ranges, solve)
        ok = st["status"] == 0
        if shape == "minimum-energy" and not ok.all():
            bad = [float(ranges[i]) for i in range(ranges.size) if not ok[:, i].all()]
            raise RuntimeError(f"{vehicle.key}: least-burn flyouts failed at {bad} km")
        cols = {}
        for c in BOOST_COLUMNS + ("flight_time_s",):
            x = np.where(ok, st[c], np.nan)
            with np.errstate(all="ignore"):
                cols[c] = np.nanmean(x, axis=0)
        node_ok = ok.all(axis=0)
        if not node_ok.any():
            out["tables"][shape] = None
            continue
        first = int(np.argmax(node_ok))
        if not node_ok[first:].all():
            raise RuntimeError(f"{vehicle.key}: {shape} flyouts fail between reachable nodes")
        for c in cols:
            cols[c][:first] = cols[c][first]
        spread = np.nanmax(np.abs(np.diff(st["flight_time_s"], axis=0)), initial=0.0)
        out["tables"][shape] = dict({c: [round(float(x), 4) for x in cols[c]] for c in cols},
                                    first_reached_km=float(ranges[first]), east_west_spread_s=float(spread))
        if verbose:
            print(f"{vehicle.key} -> [{key}] {shape}: nodes {ranges[0]:.0f}-{ranges[-1]:.0f} km, full burn "
                  f"reached from {ranges[first]:.0f} km; east-west time spread up to {spread:.1f} s")
            for i in range(ranges.size):
                print(f"    {ranges[i]:7.1f} km  t {cols['burnout_time_s'][i]:6.1f} s  h {cols['burnout_altitude_km'][i]:6.1f} km"
                      f"  d {cols['burnout_downrange_km'][i]:6.1f} km  fpa {cols['burnout_flight_path_angle_deg'][i]:5.1f}"
                      f"  v {cols['burnout_speed_m_s'][i]:6.0f} m/s  flight {cols['flight_time_s'][i]:7.1f} s")
    out["seconds"] = time.time() - t0
    return out


def boost_toml(r: dict) -> str:
    """The [<class>] blocks of boost_tables.toml for a calibrate_boost result."""
    def arr(xs):
        return "[" + ", ".join(f"{x:.6g}" for x in xs) + "]"

    key = r["catalog_class"]
    fb = r["full_burn"]
    mr = r["max_range_km"]
    lines = [f"[{key}]", f'vehicle = "{r["vehicle"]}"',
             f"max_range_km = {mr['nominal']:.6g}",
             f"max_range_km_rotating = [{mr['low']:.6g}, {mr['high']:.6g}]",
             f"full_burn = {{ burn_time_s = {fb['burn_time_s']:.6g}, burnout_altitude_km = {fb['burnout_altitude_km']:.6g}, "
             f"burnout_downrange_km = {fb['burnout_downrange_km']:.6g}, burnout_speed_m_s = {fb['burnout_speed_m_s']:.6g} }}",
             "range_km = [" + ", ".join(f"{x:.12g}" for x in r["range_km"]) + "]"]
    for shape, t in r["tables"].items():
        if t is None:
            continue
        solve = "least burn, thrust cut-off minimised over the kick angle" if shape == "minimum-energy" else \
            "full burn, lofted kick branch"
        lines += ["", f"[{key}.{shape}]",
                  f'source = "scripts/calibrate.py --boost: aimed flyouts of vehicle {r["vehicle"]} ({solve}) from '
                  f'{r["site"][0]:g} N {r["site"][1]:g} E at azimuths {", ".join(f"{a:g}" for a in r["azimuths"])} deg, '
                  f'rotating WGS84 Earth with J2 and US76; the east-west mean (flight times differ by up to '
                  f'{t["east_west_spread_s"]:.1f} s); full burn reached from {t["first_reached_km"]:.0f} km"']
        for c in BOOST_COLUMNS + ("flight_time_s",):
            lines.append(f"{c} = {arr(t[c])}")
    return "\n".join(lines) + "\n"


#: relative band (D) of the full-burn boost parameters of a calibrated class: a band or a draw
#: scales the whole table by its ratio to the nominal
BOOST_BAND = 0.15


def write_class_params(vehicle, r: dict, path: Path = MISSILES) -> None:
    """Set the reach and full-burn boost lines of the class's missiles.toml entry from a
    calibrate_boost result (the rest of the entry, with its published bands, stays)."""
    import re
    import tomllib

    key = r["catalog_class"]
    text = path.read_text("utf-8")
    old = tomllib.loads(text)[key]
    start = text.index(f"[{key}]\n")
    end = text.find("\n[", start + 1)
    end = len(text) if end < 0 else end
    block = text[start:end]
    fb, mr = r["full_burn"], r["max_range_km"]
    prov = (f"scripts/calibrate.py --boost from 3-DOF flyouts of vehicle '{vehicle.key}' (vehicles.toml; "
            f"boost_tables.toml)")

    def line(name, lo, nom, hi, src):
        return f'{name} = {{ nominal = {nom:.6g}, low = {lo:.6g}, high = {hi:.6g}, source = "{src}" }}'

    o = old["max_range_km"]
    new = {
        "max_range_km": line("max_range_km", min(o["low"], mr["nominal"]), mr["nominal"], max(o["high"], mr["nominal"]),
                             f"{prov}: full-burn maximum range on the mean sphere without rotation "
                             f"(rotating WGS84 at 50 N: {mr['low']:.0f}-{mr['high']:.0f} km); band: the published "
                             f"figures ({o['source'].replace(chr(34), chr(39))})"),
        "min_range_km": line("min_range_km", r["range_km"][0], r["range_km"][0], r["range_km"][0],
                             f"{prov}: the shortest tabulated least-burn shot (physics, not a treaty category)"),
    }
    for name, val, what in (("burn_time_s", fb["burn_time_s"], "burn time"),
                            ("burnout_altitude_km", fb["burnout_altitude_km"], "burnout altitude"),
                            ("burnout_downrange_km", fb["burnout_downrange_km"], "burnout downrange")):
        new[name] = line(name, val * (1 - BOOST_BAND), val, val * (1 + BOOST_BAND),
                         f"{prov}: full-burn {what} at the maximum range; shorter shots burn less "
                         f"(range-dependent table); band (D) +-{100 * BOOST_BAND:.0f} %, scaling the table")
    beta = vehicle.values.get("reentry_ballistic_coefficient_kg_m2", math.inf)
    if math.isfinite(beta):
        o = old["ballistic_coefficient_kg_m2"]
        new["ballistic_coefficient_kg_m2"] = line(
            "ballistic_coefficient_kg_m2", min(o["low"], beta), beta, max(o["high"], beta),
            f"vehicle '{vehicle.key}' reentry ballistic coefficient "
            f"({vehicle.sources.get('reentry_ballistic_coefficient_kg_m2', '').replace(chr(34), chr(39))}); "
            f"band as before ({o['source'].replace(chr(34), chr(39))})")
    for name, ln in new.items():
        block, n = re.subn(rf"^{name} = .*$", ln.replace("\\", "/"), block, count=1, flags=re.M)
        if n != 1:
            raise RuntimeError(f"missiles.toml [{key}] has no {name} line")
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(text[:start] + block + text[end:], "utf-8")
    tmp.replace(path)


def write_boost_block(key: str, block: str) -> None:
    """Write (or replace) one class's tables in boost_tables.toml, between marker comments."""
    if not BOOST_TABLES.exists():
        BOOST_TABLES.write_text(BOOST_HEADER, "utf-8")
    write_block(key, f"{BEGIN.format(key=key)}\n{block}{END.format(key=key)}\n", BOOST_TABLES)


def first_reached(downrange_km) -> int:
    """Index of the first node a lofted table reaches (the nodes before it copy its state)."""
    d = np.diff(np.asarray(downrange_km, dtype=float))
    return int(np.argmax(d != 0.0)) if np.any(d != 0.0) else 0


def fit_added_time(key: str, verbose=True) -> None:
    """Fit each table's added time of class ``key`` in boost_tables.toml: at every node, the
    flyout's flight time (the east-west mean, stored with the table) less the analytic class's
    (table boost and free flight, no added time) at the same fit shots, so that the analytic
    class reproduces its vehicle at the fit site; the drag and lift of the atmosphere after an
    SRBM's low burnout are most of it. The lofted tables get none: flown by their speeds (or,
    after an endo-atmospheric burnout, by their angles) they agree with the flyouts without one,
    and their east-west mean time is no target (the Earth turns under a long lofted flight:
    east and west differ by minutes, which the conic models itself)."""
    import re
    import tomllib

    from warning_time import model as M

    text = BOOST_TABLES.read_text("utf-8")
    b, e_ = BEGIN.format(key=key), END.format(key=key)
    i0, i1 = text.index(b), text.index(e_)
    text = text[:i0] + re.sub(r"^added_time_s = .*\n", "", text[i0:i1], flags=re.M) + text[i1:]
    BOOST_TABLES.write_text(text, "utf-8")
    M.boost_tables.cache_clear()
    e = tomllib.loads(text)[key]
    rng = np.asarray(e["range_km"], dtype=float)
    lat_all, lon_all = fan_targets(SITE, BOOST_AZIMUTHS, rng)
    lats, lons = np.split(lat_all, len(BOOST_AZIMUTHS)), np.split(lon_all, len(BOOST_AZIMUTHS))
    for shape in ("minimum-energy",):
        t = e[shape]
        an = [wt.flight_time(SITE[0], SITE[1], la, lo, missile=key, trajectory=shape, on_invalid="nan").flight_time_s
              for la, lo in zip(lats, lons)]
        dt = np.asarray(t["flight_time_s"], dtype=float) - np.mean(an, axis=0)
        if not np.all(np.isfinite(dt)):
            raise RuntimeError(f"{key} {shape}: the analytic class fails at a fit node: {dt}")
        line = "added_time_s = [" + ", ".join(f"{x:.4f}" for x in dt) + "]"
        sec = text.index(f"[{key}.{shape}]\n")
        i = text.index("flight_time_s = [", sec)
        j = text.index("\n", i) + 1
        text = text[:j] + line + "\n" + text[j:]
        if verbose:
            print(f"{key} {shape}: added time {dt.min():+.2f} .. {dt.max():+.2f} s", flush=True)
    tmp = BOOST_TABLES.with_suffix(".toml.tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(BOOST_TABLES)
    M.boost_tables.cache_clear()


BOOST_HEADER = """# Range-dependent boost of the flyout-calibrated ballistic classes, written by
# scripts/calibrate.py --boost --write. Per class: the vehicle (vehicles.toml), its full-burn
# maximum range (mean sphere, no rotation), the full-burn burnout state, and ground-range nodes
# (km, evenly spaced); per trajectory shape the mean flyout burnout state at each node (burn
# time, altitude, downrange, flight-path angle relative to the Earth, speed relative to the
# Earth) and, for reference, the flyout's flight time. The analytic core interpolates the
# burnout state linearly in the ground range (core/trajectory.py boost_at) and flies the free
# flight and reentry itself; see docs/model.md "Range-dependent boost".

"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="write the calibrated classes into missiles.toml")
    ap.add_argument("--vehicle", action="append", help="only these vehicles (default: all with a catalog_class)")
    ap.add_argument("--json", help="also write the results as JSON")
    ap.add_argument("--quasi", action="store_true", help="calibrate the quasi-ballistic flight tables only "
                    "(quasi_tables.toml with --write)")
    ap.add_argument("--boost", action="store_true", help="calibrate the range-dependent boost tables only "
                    "(boost_tables.toml with --write)")
    ap.add_argument("--added-time-only", action="store_true", help="with --boost: refit only the added "
                    "times of the existing tables (no flyouts)")
    args = ap.parse_args(argv)
    if args.boost:
        vehicles = sorted((v for v in F.load_vehicles().values() if v.catalog_class in BOOST_CLASSES),
                          key=lambda v: BOOST_CLASSES.index(v.catalog_class))
        if args.vehicle:
            vehicles = [v for v in vehicles if v.key in args.vehicle]
        if args.added_time_only:
            for v in vehicles:
                fit_added_time(v.catalog_class)
            return 0
        for v in vehicles:
            r = calibrate_boost(v)
            if args.json:
                Path(args.json).with_suffix(f".{v.key}.json").write_text(json.dumps(r, indent=1))
            if args.write:
                write_boost_block(v.catalog_class, boost_toml(r))
                write_class_params(v, r)
                fit_added_time(v.catalog_class)
                print(f"  wrote [{v.catalog_class}] to {BOOST_TABLES.relative_to(REPO)}", flush=True)
        return 0
    if args.quasi:
        blocks = []
        for vkey in QUASI:
            if args.vehicle and vkey not in args.vehicle:
                continue
            blocks.append(quasi_toml(calibrate_quasi(F.get_vehicle(vkey))))
        if args.write:
            QUASI_TABLES.write_text(QUASI_HEADER + "\n".join(blocks), "utf-8")
            print(f"  wrote {QUASI_TABLES.relative_to(REPO)}")
        return 0
    vehicles = [v for v in F.load_vehicles().values() if v.catalog_class and v.catalog_class not in BOOST_CLASSES]
    if args.vehicle:
        vehicles = [v for v in vehicles if v.key in args.vehicle]
    results = []
    for v in vehicles:
        r = calibrate(v)
        results.append(r)
        if args.write:
            write_block(v.catalog_class, toml_block(v, r))
            print(f"  wrote [{v.catalog_class}] to {MISSILES.relative_to(REPO)}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
