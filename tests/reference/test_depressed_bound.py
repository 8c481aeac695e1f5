"""The depressed preset of a class with a range-dependent boost is a physical trajectory.

A missile that burns its whole motor burns out where its full burn ends (the catalog's burn
time, burnout altitude and downrange: the full-burn state); one that burns less burns out
sooner, lower and slower (the least-burn table). The depressed preset is the faster of two
physical shots (docs/model.md "Range-dependent boost"):

* the full-burn depressed arc: from the full-burn burnout point, burnout flight-path angle
  relative to the Earth at the floor (0: no burnout diving, the apogee at or above the burnout
  altitude) if the speed that needs is within the class's burnout-speed limit, else the limit
  itself on the low branch with the angle above the floor;
* the least-burn minimum-energy shot (the class's 'minimum-energy').

Here the full-burn arc is solved independently: shooting in the rotating Earth-fixed frame
(tests/reference/independent.py ``fly``: scipy DOP853 to the WGS84 surface) from the burnout
point rebuilt from the catalog TOML, with the burnout velocity's speed or angle and its azimuth
as unknowns (scipy fsolve on the impact point), started from a closed-form horizontal-burnout
conic on the non-rotating sphere. The preset must never be faster than both physical shots (the
old definition, full speed from the least-burn burnout point, gave Asipovichy -> Warsaw 170 s
against 317 s and 378 s here), never slower than minimum energy, and must fly the full-burn arc
wherever that is clearly (20 %) the faster.
"""
from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import fsolve

import warning_time as wt
from warning_time.core import trajectory as tr
from warning_time.core.batch import flight_many
from warning_time.model import FlightModel
from independent import MU, OMEGA, ecef, fly
from indep_flight import burnout_point

DATA = Path(__file__).resolve().parents[2] / "warning_time" / "data"
ASIPOVICHY = (53.30, 28.64)
#: (class, launch, target, rotation): short, middle and long shots of each calibrated class,
#: eastward, westward and along the meridian (Vilnius and Minsk-area shots are below the
#: Oreshnik class's full-burn interval)
CASES = [
    ("oreshnik", ASIPOVICHY, (52.23, 21.01), True),     # Warsaw, ~526 km (the issue's case)
    ("oreshnik", ASIPOVICHY, (54.69, 25.28), True),     # Vilnius, ~290 km
    ("oreshnik", ASIPOVICHY, (52.52, 13.40), True),     # Berlin
    ("oreshnik", ASIPOVICHY, (51.51, -0.13), True),     # London
    ("oreshnik", ASIPOVICHY, (38.72, -9.14), False),    # Lisbon, no rotation
    ("generic-srbm-solid", ASIPOVICHY, (53.68, 23.83), True),  # Grodno, ~320 km
    ("generic-srbm-solid", ASIPOVICHY, (54.40, 27.30), True),
    ("generic-irbm", ASIPOVICHY, (48.86, 2.35), True),  # Paris
    ("generic-irbm", (35.0, 40.0), (41.0, 29.0), True),
    ("generic-icbm", (62.0, 40.0), (40.7, -74.0), True),
    ("generic-icbm", (0.0, 100.0), (0.0, 30.0), True),  # westward on the equator, ~7,800 km
    ("generic-icbm", (55.0, 37.0), (53.3, 28.6), True),  # ~550 km
]
#: where the full-burn arc beats minimum energy by this fraction the preset must fly it
CLEARLY = 0.2


def _catalog_boost(missile):
    """Full-burn burn time (s), burnout altitude and downrange (m) from missiles.toml."""
    m = tomllib.loads((DATA / "missiles.toml").read_text("utf-8"))[missile]
    return tuple(float(m[k]["nominal"]) for k in ("burn_time_s", "burnout_altitude_km", "burnout_downrange_km"))


def _frame(r):
    up = r / np.linalg.norm(r)
    east = np.cross([0.0, 0.0, 1.0], up)
    east /= np.linalg.norm(east)
    return up, east, np.cross(up, east)


def _full_burn_arc(launch, target, missile, v_max, rotating):
    """Independent full-burn depressed arc: (free-flight time s, burnout speed m/s, angle rad)."""
    t_b, h_km, d_km = _catalog_boost(missile)
    rb = burnout_point(launch, target, h_km * 1e3, d_km * 1e3)
    pt = ecef(*target)
    up, east, north = _frame(rb)
    ut, et, nt = _frame(pt)
    horiz = pt - np.dot(pt, up) * up
    az0 = math.atan2(np.dot(horiz, east), np.dot(horiz, north))
    # closed-form start: horizontal burnout at radius |rb| (the apoapsis) reaching radius |pt|
    # after the central angle psi on a non-rotating sphere: e = (rb - R)/(rb - R cos psi)
    r_b, r_t = float(np.linalg.norm(rb)), float(np.linalg.norm(pt))
    psi = math.acos(float(np.clip(np.dot(up, ut), -1, 1)))
    e = (r_b - r_t) / (r_b - r_t * math.cos(psi))
    v0 = math.sqrt(MU * r_b * (1 - e)) / r_b

    def shoot(v, gam, az):
        h = math.cos(az) * north + math.sin(az) * east
        vel = v * (math.cos(gam) * h + math.sin(gam) * up)
        t, ri = fly(rb, vel, rotating=rotating, omega=OMEGA)
        d = ri - pt
        return t, np.array([np.dot(d, et), np.dot(d, nt)]) / 1e3

    # the floor: horizontal burnout, unknown speed and azimuth (unless even the non-rotating
    # estimate needs more than the limit)
    ier, v = 0, math.inf
    if v0 < 1.05 * v_max:
        sol, info, ier, _ = fsolve(lambda x: shoot(x[0], 0.0, x[1])[1], [v0, az0], full_output=True, xtol=1e-12)
        v, gam, az = sol[0], 0.0, sol[1]
    if ier != 1 or v > v_max:
        # full speed on the low branch: unknown angle (above the floor) and azimuth
        sol, info, ier, _ = fsolve(lambda x: shoot(v_max, x[0], x[1])[1], [0.05, az0], full_output=True,
                                   xtol=1e-12)
        v, gam, az = v_max, sol[0], sol[1]
    assert ier == 1
    t, miss = shoot(v, gam, az)
    assert np.linalg.norm(miss) < 1e-3  # km: lands on the target
    return t, v, gam, t_b


@pytest.mark.parametrize("missile,launch,target,rotation", CASES)
def test_depressed_is_the_faster_physical_shot(missile, launch, target, rotation):
    kw = dict(missile=missile, earth="wgs84", rotation=rotation)
    dep = wt.flight_time(*launch, *target, trajectory="depressed", **kw)
    me = wt.flight_time(*launch, *target, trajectory="minimum-energy", **kw)
    assert int(dep.status) == 0 and int(me.status) == 0
    v_max = dep.meta["burnout_speed_limit_m_s"]
    tof, v, gam, t_b = _full_burn_arc(launch, target, missile, v_max, rotation)
    assert gam >= 0.0 and gam < math.radians(45.0)  # above the floor, on the low branch
    # the same arc from the package: the class's depressed model with its full-burn interval
    # widened to every range (the drag delay of that arc comes with it)
    model = FlightModel.resolve(missile, trajectory="depressed", earth="wgs84", rotation=rotation)
    p = model.params.copy()
    p[tr.P_DEP_LO], p[tr.P_DEP_HI] = 0.0, math.inf
    full = flight_many(*(np.array([x]) for x in (*launch, *target)), p, model.table)[:, 0]
    assert full[0] == 0
    assert full[5] == pytest.approx(tof, abs=1e-4)  # free flight
    assert full[4] == pytest.approx(v, rel=1e-6)  # burnout speed
    t_full = t_b + tof + full[8]
    t_dep, t_me = float(dep.flight_time_s), float(me.flight_time_s)
    # never faster than both physical shots, never slower than minimum energy
    assert t_dep >= min(t_full, t_me) - 1e-4, (t_dep, t_full, t_me)
    assert t_dep <= t_me + 1e-6
    if t_full < (1 - CLEARLY) * t_me:
        assert t_dep == pytest.approx(t_full, abs=1e-4)
        assert float(dep.burnout_speed_m_s) == pytest.approx(v, rel=1e-6)
        assert float(dep.free_flight_time_s) == pytest.approx(tof, abs=1e-4)
    if not t_dep == pytest.approx(t_full, abs=1e-4):
        assert t_dep == pytest.approx(t_me, abs=1e-9)  # else the least-burn shot itself
    # the floor: no burnout diving, so the apogee is at or above the burnout altitude
    assert float(dep.apogee_km) >= min(_catalog_boost(missile)[1], float(me.apogee_km)) - 0.2


def test_issue_case_asipovichy_warsaw():
    """Asipovichy -> Warsaw, Oreshnik class: the old preset (full speed from the least-burn
    burnout point, ~59 s and 35 km) gave 170 s; the full-burn arc burns 127 s and burns out at
    163 km, flat, below full speed, and arrives a minute before the least-burn shot."""
    r = {k: wt.flight_time(*ASIPOVICHY, 52.23, 21.01, missile="oreshnik", trajectory=k)
         for k in ("depressed", "minimum-energy")}
    t_b, h_km, _ = _catalog_boost("oreshnik")
    assert float(r["depressed"].flight_time_s) > t_b + math.sqrt(2 * h_km * 1e3 / 9.81)  # burn + free fall
    assert float(r["depressed"].flight_time_s) < float(r["minimum-energy"].flight_time_s) - 30.0
    assert float(r["depressed"].apogee_km) == pytest.approx(h_km, abs=0.2)
