"""Reference vehicles from the open literature: the V-2 (A-4) and the Minuteman III.

Issue 8 asks that reference vehicles with published parameters reach their published ranges
within 10 %. Maximum range here has the catalog's definition (as for the Scud-B in
test_flyout_scud.py): full burn, best kick, mean sphere without rotation or J2, US76
atmosphere, ``F.max_range(key, 0.0, 0.0, 90.0, earth="sphere", rotation=False, j2=False)``.
Every vehicle value and its source is in warning_time/data/vehicles.toml (see also
data/SOURCES.md); the expected values below are the published figures, never flyout output.

V-2 (A-4), vehicle ``v2``
-------------------------
Sources of the inputs:
- National Museum of the U.S. Air Force, "V-2 Rocket" fact sheet (nationalmuseum.af.mil,
  fact sheet 195894): thrust 56,000 lbf; the turbopumps forced 128 lb of alcohol and 159 lb
  of liquid oxygen into the chamber every second (287 lb/s = 130.18 kg/s); "maximum range of
  220 miles, a ceiling of 50-60 miles and a speed of 3,400 mph".
- Encyclopaedia Britannica, "V-2 rocket": 12,700-13,200 kg at launch, about 60,000 lbf of
  thrust, about 725 kg of explosive, horizontal range about 320 km (200 mi), usual maximum
  altitude about 80 km.
- Widely published figures (primary German tables not consulted): lift-off 12,500 kg,
  propellant 3,810 kg alcohol-water + 4,910 kg LOX, burn ~65 s, diameter 1.65 m, warhead
  ~1,000 kg (2,200 lb), empty mass with warhead ~4,000 kg, sea-level / vacuum Isp 203 / 239 s
  (only their ratio is used, for the back-pressure term).
- Drag: the v2 table (Sutton, *Rocket Propulsion Elements*, 3rd ed., p. 119) on the 1.65 m
  body, during boost and after burnout (the whole body flies on).
The reference range is Britannica's 320 km. Chosen before any flyout: the museum's flow and
thrust (one primary source, sea-level Isp 195.1 s derived) with the widely published 12,500 kg
and 65 s, because together they reproduce the published ~4,000-kg burnout mass (4,038 kg);
the widely quoted 203 s with a 25 t thrust would burn only 8,000 kg and leave 4,500 kg.
Finding: 321.3 km, +0.4 %; burnout 1,628 m/s at 28 km, 42.9 deg; apogee 92 km. The check is
sensitive to the spread of open V-2 figures, which the +0.4 % does not hide: lift-off mass
12,250 / 12,700 / 13,200 kg gives 355 / 297 / 247 km; Isp 203 / 239 s at the museum's flow
gives 362 km; a 60 s burn gives 218 km.

Minuteman III, vehicle ``minuteman-iii``
----------------------------------------
Sources of the inputs: G. Forden's GUI_Missile_Flyout Minuteman III entry (Science & Global
Security 15, 2007, program table as carried by a public Python port, the same provenance as
the Scud-B values): stages 23,230 / 7,270 / 3,710 kg with 20,780 / 6,240 / 3,306 kg of
propellant burning 61 / 66 / 61 s, Isp 267 (sea level) / 287 / 285 s (x 9.8 m/s), first-stage
exit area 0.68 m^2, payload 900 kg ("one W78 + bus"), beta 2,000 lb/ft^2, 150-kg shroud off at
76 s, first pitch window 10-25 s; large-solid drag table. U.S. Air Force fact sheet
"LGM-30G Minuteman III" (af.mil): diameter 5.5 ft (1.67 m), weight 79,432 lb (36,030 kg),
range "6,000-plus miles" (5,218 nmi = 9,656 km), speed about 15,000 mph (24,000 km/h) at
burnout, ceiling 700 mi (1,120 km). Spaceflight Now (20 Jun 2021): the Minuteman first-stage
motor gives "more than 200,000 pounds of thrust".
The reference range is the Air Force's 9,656 km, the primary source (a floor: "6,000-plus").
The 13,000 km also widely quoted names no payload; the flyout is 20 % short of it.
Finding: 10,371 km, +7.4 %; burnout 7,028 m/s (+4.8 % on 15,000 mph) at 199 km; apogee
1,073 km (-4.7 % on the 700-mi ceiling).
"""
from __future__ import annotations

import pytest

from warning_time import flyout as F
from warning_time.core import flyout as core

LBF_N = 4.4482216152605
LB_KG = 0.45359237
MPH_M_S = 0.44704
MILE_KM = 1.609344
P0_PA = 101325.0

# V-2: National Museum of the U.S. Air Force fact sheet; Britannica
V2_RANGE_KM = 320.0                              # Britannica: about 320 km (200 mi)
V2_RANGE_MUSEUM_KM = 220 * MILE_KM               # museum: maximum range 220 mi (354 km)
V2_THRUST_N = 56000 * LBF_N                      # museum: 56,000 lbf
V2_FLOW_KG_S = (128 + 159) * LB_KG               # museum: 128 lb/s alcohol + 159 lb/s LOX
V2_SPEED_M_S = 3400 * MPH_M_S                    # museum: speed 3,400 mph
V2_CEILING_KM = (50 * MILE_KM, 60 * MILE_KM)     # museum: ceiling 50-60 mi
V2_LIFTOFF_SPAN_KG = (27000 * LB_KG, 13200.0)    # open figures: 27,000 lb .. 13,200 kg (Britannica)
V2_EMPTY_KG = 4000.0                             # widely published empty V-2 with warhead, ~4,000 kg
V2_BURN_S = 65.0                                 # widely published burn, ~65 s

# Minuteman III: U.S. Air Force fact sheet LGM-30G
MM3_RANGE_KM = 6000 * MILE_KM                    # "6,000-plus miles" = 9,656 km
MM3_WEIGHT_KG = 36030.0                          # 79,432 lb
MM3_SPEED_M_S = 15000 * MPH_M_S                  # about 15,000 mph at burnout
MM3_CEILING_KM = 700 * MILE_KM                   # 700 mi
MM3_STAGE1_THRUST_N = 200000 * LBF_N             # "more than 200,000 pounds of thrust"

OPTS = dict(earth="sphere", rotation=False, j2=False)


@pytest.fixture(scope="module")
def v2_max():
    return F.max_range("v2", 0.0, 0.0, 90.0, **OPTS)


@pytest.fixture(scope="module")
def mm3_max():
    return F.max_range("minuteman-iii", 0.0, 0.0, 90.0, **OPTS)


def _sea_level_thrust(key, stage=0):
    S = F.get_vehicle(key).kernel_arrays()[0]
    return S[stage, core.S_FVAC] - P0_PA * S[stage, core.S_AE]


# ------------------------------------------------------------------------------------------
# V-2
# ------------------------------------------------------------------------------------------

def test_v2_inputs_match_published_figures():
    v = F.get_vehicle("v2")
    lo, hi = V2_LIFTOFF_SPAN_KG
    assert lo <= v.liftoff_mass_kg <= hi
    assert v.burn_time_s == pytest.approx(V2_BURN_S)
    st = v.stages[0]
    assert st["mass_flow_kg_s"] == pytest.approx(V2_FLOW_KG_S, rel=1e-4)
    assert st["mass_flow_kg_s"] * st["burn_time_s"] <= st["propellant_kg"]
    # the thrust bookkeeping (F_vac - p0 A_e) gives back the museum's sea-level thrust
    assert _sea_level_thrust("v2") == pytest.approx(V2_THRUST_N, rel=1e-3)


def test_v2_burnout_and_apogee_match_published_figures(v2_max, residual):
    r = v2_max
    assert r.status[0] == 0
    assert r.burnout_time_s[0] == pytest.approx(V2_BURN_S)
    # mass bookkeeping: the whole body flies on; the burnt propellant is the flow x 65 s
    mdot = F.get_vehicle("v2").stages[0]["mass_flow_kg_s"]
    assert r.burnout_mass_kg[0] == pytest.approx(12500.0 - mdot * V2_BURN_S, rel=1e-9)
    # ... and agrees with the published ~4,000-kg empty V-2 (a two-significant-digit figure)
    assert r.burnout_mass_kg[0] == pytest.approx(V2_EMPTY_KG, rel=0.05)
    lo, hi = V2_CEILING_KM
    assert lo <= r.apogee_km[0] <= hi
    v = float(r.burnout_speed_m_s[0])
    residual("flyout V-2 max-range burnout speed vs museum 3,400 mph", v / V2_SPEED_M_S - 1.0, "rel")
    assert abs(v / V2_SPEED_M_S - 1.0) < 0.10


def test_v2_reaches_published_range_within_10_percent(v2_max, residual):
    """Britannica's 320 km; measured 321.3 km (+0.4 %). The museum's 354 km is also within
    10 % (-9 %)."""
    rng = float(v2_max.ground_range_km[0])
    residual("flyout V-2 max range vs published 320 km", rng / V2_RANGE_KM - 1.0, "rel")
    assert abs(rng / V2_RANGE_KM - 1.0) < 0.10
    assert abs(rng / V2_RANGE_MUSEUM_KM - 1.0) < 0.10


# ------------------------------------------------------------------------------------------
# Minuteman III
# ------------------------------------------------------------------------------------------

def test_minuteman_iii_inputs_match_published_figures():
    v = F.get_vehicle("minuteman-iii")
    # Forden's entry (one RV + bus) vs the fact sheet's missile (its operational payload):
    # 35,260 vs 36,030 kg
    assert v.liftoff_mass_kg == pytest.approx(MM3_WEIGHT_KG, rel=0.05)
    assert v.burn_time_s == pytest.approx(61.0 + 66.0 + 61.0)
    f1 = _sea_level_thrust("minuteman-iii")
    assert MM3_STAGE1_THRUST_N < f1 < 1.05 * MM3_STAGE1_THRUST_N


def test_minuteman_iii_burnout_and_apogee_match_published_figures(mm3_max, residual):
    r = mm3_max
    assert r.status[0] == 0
    assert r.burnout_time_s[0] == pytest.approx(188.0)
    assert r.burnout_mass_kg[0] == pytest.approx(900.0)  # the reentry vehicle and bus fly on
    v = float(r.burnout_speed_m_s[0])
    apo = float(r.apogee_km[0])
    residual("flyout Minuteman III burnout speed vs fact sheet 15,000 mph", v / MM3_SPEED_M_S - 1.0, "rel")
    residual("flyout Minuteman III apogee vs fact sheet 700-mi ceiling", apo / MM3_CEILING_KM - 1.0, "rel")
    assert abs(v / MM3_SPEED_M_S - 1.0) < 0.10
    assert abs(apo / MM3_CEILING_KM - 1.0) < 0.10


def test_minuteman_iii_reaches_published_range_within_10_percent(mm3_max, residual):
    """The Air Force fact sheet's 6,000 miles (9,656 km); measured 10,371 km (+7.4 %)."""
    rng = float(mm3_max.ground_range_km[0])
    residual("flyout Minuteman III max range vs published 9,656 km", rng / MM3_RANGE_KM - 1.0, "rel")
    assert abs(rng / MM3_RANGE_KM - 1.0) < 0.10
