"""The Scud-B entry of Forden's GUI_Missile_Flyout *program* (the vehicle the catalog's scud-b
class is calibrated on). The paper's own Table 1 Scud-B -- the issue's reference vehicle, with
different published values -- is tested in test_flyout_scud_table1.py and reaches 294 km
(-2.0 %).

Sources of every value (see warning_time/data/vehicles.toml and data/SOURCES.md):
- G. Forden, "GUI_Missile_Flyout: A General Program for Simulating Ballistic Missiles",
  *Science & Global Security* 15 (2007) 133-146. The vehicle values here are not the paper's
  Table 1 but the Scud entry of the program's missile table as
  carried by a public Python port of the program: payload 987 kg, stage 4,873 kg with 3,771 kg
  of propellant, mass flow 58.8 kg/s for 62 s, sea-level exhaust velocity 226 x 9.8 m/s,
  nozzle exit area 0.1352 m^2, diameter 0.88 m, V-2 drag table (Sutton, *Rocket Propulsion
  Elements*, 3rd ed., p. 119), pitch-over window 10-20 s with a 16 deg kick for the
  minimum-energy trajectory, beta 4,000 lb/ft^2.
- Published range 300 km (the figure the catalog cites for Scud-B, Forden 2007; also the widely
  published Scud-B range). Widely published lift-off mass ~5,900 kg, burn time ~62 s.

Finding: with these values the flyout's full-burn maximum range is ~330 km, about 10.2 % above
300 km -- just outside a 10 % band. The program entry differs from the paper's Table 1 (62 s
instead of 75 s, 226 s sea-level / 250 s vacuum Isp instead of 230 s, 0.88 m instead of
0.84 m), which gives 294 km with the same flyout; the strict xfail below records the program
entry's gap, and the regression test pins its present figure.

Investigation of the gap (no input was changed to reach 300 km):
- The model terms were checked one by one. Thrust T = mdot ve_sl + (p_sl - p_a) A_e gives
  130.2 kN at sea level (Forden's 58.8 kg/s x 226 x 9.8 m/s) and 143.9 kN in vacuum
  (Isp 249.8 s); drag uses the V-2 C_D(Mach) on the 0.88 m body during boost and beta =
  19,530 kg/m^2 after burnout (the C_D table on the 2.2 t body instead: +0.7 km); the whole
  body stays together, burnout mass 5,860 - 58.8 x 62 = 2,214.4 kg with the 125 kg of
  unburnt propellant on board; point-mass gravity on the sphere; best kick 16.7 deg, next to
  Forden's 16 deg MET kick. No term is missing or mis-signed.
- Delta-v budget of the best shot: vacuum-thrust 2,382 m/s - back-pressure 87 - drag 137 -
  gravity 503 - steering ~11 = 1,644 m/s at burnout (28.2 km, 41.1 deg).
- The +10 % is ~75 m/s (4.6 %) of burnout speed. Sensitivities (for the record, not used):
  a 2 % / 3 % thrust deficit gives 312 / 304 km; 70 kg more unburnt propellant or structure
  (0.42 km per kg) about 300 km; a 5 s vertical rise +5 km; the after-burnout drag model
  < 1 km. Effects of that size that the flyout does not model: thrust lost on the Scud's four
  graphite jet vanes, guidance and propellant reserves behind a rounded operational "300 km",
  and a real (fixed) pitch programme that is not the optimum of this kick family.
- The same physics and drag table fly the V-2, from published inputs that reproduce its
  published ~4,000-kg burnout mass, to 321 km vs 320 km (test_flyout_reference_vehicles.py;
  that check is itself sensitive to the spread of open V-2 figures). No systematic +10 % bias
  of the model shows there; the Scud gap more likely lies in the input values as obtained (not
  the paper's table) or in the rounding of the published range -- and the paper's Table 1
  values, flown by the same model, land at 294 km.
"""
from __future__ import annotations

import pytest

from warning_time import flyout as F

PUBLISHED_RANGE_KM = 300.0  # Scud-B (Forden 2007, as cited in missiles.toml; widely published)
FORDEN_MET_KICK_DEG = 16.0  # Forden's program, Scud entry: etad = 16 deg "Scud MET"


@pytest.fixture(scope="module")
def max_range_sphere():
    """Full-burn maximum range on the mean sphere without rotation or J2 (the catalog's
    definition of maximum range)."""
    return F.max_range("scud-b", 0.0, 0.0, 90.0, earth="sphere", rotation=False, j2=False)


def test_vehicle_matches_published_figures():
    v = F.get_vehicle("scud-b")
    assert v.liftoff_mass_kg == pytest.approx(5900.0, rel=0.01)  # widely published ~5,900 kg
    assert v.burn_time_s == pytest.approx(62.0)
    r = F.fly("scud-b", 50.0, 30.0, 90.0, FORDEN_MET_KICK_DEG)
    assert r.status[0] == 0
    assert r.burnout_time_s[0] == pytest.approx(62.0)
    assert r.burnout_mass_kg[0] == pytest.approx(5860.0 - 58.8 * 62.0)


@pytest.mark.xfail(strict=True, reason="Forden's program values as obtained give ~330 km, 10.2 % above the "
                   "published 300 km (~75 m/s of burnout speed; no model term found at fault, see the "
                   "module docstring); the paper's Table 1 Scud-B reaches 294 km (test_flyout_scud_table1.py)")
def test_scud_b_reaches_published_range_within_10_percent(max_range_sphere, residual):
    rng = float(max_range_sphere.ground_range_km[0])
    residual("flyout Scud-B max range vs published 300 km", rng / PUBLISHED_RANGE_KM - 1.0, "rel")
    assert abs(rng / PUBLISHED_RANGE_KM - 1.0) < 0.10


def test_scud_b_max_range_regression(max_range_sphere, residual):
    """Pins the present figure: 330.5 km (+10.2 %) with Forden's program values."""
    rng = float(max_range_sphere.ground_range_km[0])
    residual("flyout Scud-B max range vs published 300 km", rng / PUBLISHED_RANGE_KM - 1.0, "rel")
    assert 320.0 < rng < 340.0


def test_best_kick_is_fordens_minimum_energy_kick(max_range_sphere, residual):
    """The kick that maximises range is the minimum-energy trajectory of the full burn; Forden's
    program uses 16 deg for the Scud MET."""
    k = float(max_range_sphere.kick_deg[0])
    residual("flyout Scud-B best kick vs Forden's MET kick", k - FORDEN_MET_KICK_DEG, "deg")
    assert abs(k - FORDEN_MET_KICK_DEG) < 1.5


def test_rotation_helps_eastward_shots():
    r = F.max_range("scud-b", 0.0, 30.0, [90.0, 270.0])
    assert r.status.tolist() == [0, 0]
    east, west = r.ground_range_km
    assert east > west + 3.0  # ~0.46 km/s of surface speed at the equator
