"""Drag delay of the reentry kernel against an independent planar point-mass integration.

Reference model (written here, scipy solve_ivp DOP853, rtol 1e-11): planar flight over a
spherical, non-rotating Earth of radius R = 6,371,008.8 m,

    dv/dt = -mu r/|r|^3 - rho(h) |v| v / (2 beta),   rho(h) = rho0 exp(-h/H),

rho0 = 1.225 kg/m^3 (US Standard Atmosphere 1976, sea level), H = 7,200 m, from the entry state
at h_entry down to |r| = R, with and without the drag term; the delay is the difference of the two
fall times. ``drag_delay_direct`` takes the *vacuum impact* speed and angle at the ground, so the
entry state is converted with energy and angular-momentum conservation:
v0^2 = vE^2 + 2 mu (1/R - 1/rE), R v0 cos g0 = rE vE cos gE.

Secondary check: the shared REFERENCES, section 6.3, numerical illustration (2-D point mass,
same atmosphere, entry at 100 km); its figures are quoted to two significant digits, so they are
compared within 15 %.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import warning_time as wt
from warning_time.core.reentry import drag_delay_direct, interp_delay
from warning_time.flight import DELAY_G_NODES_DEG, DELAY_V_NODES, delay_table

from independent import MU, R_SPHERE

RHO0 = 1.225
H = 7200.0
RG = R_SPHERE
H_ENTRY = 100e3


def impact_from_entry(v_e, g_e, h_entry=H_ENTRY):
    """Vacuum impact speed (m/s) and angle below the horizontal (rad) at |r| = RG of the conic
    through the entry state (speed v_e, angle g_e below the horizontal at RG + h_entry)."""
    r_e = RG + h_entry
    v0 = math.sqrt(v_e ** 2 + 2 * MU * (1 / RG - 1 / r_e))
    return v0, math.acos(min(1.0, r_e * v_e * math.cos(g_e) / (RG * v0)))


def entry_from_impact(v0, g0, h_entry=H_ENTRY):
    """Planar state (r, v_radial, v_transverse) where the descending vacuum conic with impact
    speed v0 and angle g0 crosses RG + h_entry, or its apogee if it never climbs that high."""
    eps = 0.5 * v0 ** 2 - MU / RG
    hmom = RG * v0 * math.cos(g0)
    r_e = RG + h_entry
    ve2 = 2 * (eps + MU / r_e)
    if ve2 > 0 and hmom / r_e <= math.sqrt(ve2):
        vt = hmom / r_e
        return r_e, -math.sqrt(max(ve2 - vt * vt, 0.0)), vt
    a = -MU / (2 * eps)
    e = math.sqrt(max(0.0, 1 + 2 * eps * hmom ** 2 / MU ** 2))
    ra = a * (1 + e)
    return ra, 0.0, hmom / ra


def fall(state, beta=None):
    """Time (s) and speed (m/s) at the ground from a planar state (r, vr, vt); beta None = vacuum."""
    r0, vr, vt = state

    def rhs(t, y):
        x, z, vx, vz = y
        r = math.hypot(x, z)
        ax, az = -MU * x / r ** 3, -MU * z / r ** 3
        if beta is not None:
            v = math.hypot(vx, vz)
            k = RHO0 * math.exp(-(r - RG) / H) * v / (2 * beta)
            ax -= k * vx
            az -= k * vz
        return [vx, vz, ax, az]

    def ground(t, y):
        return math.hypot(y[0], y[1]) - RG

    ground.terminal = True
    ground.direction = -1
    sol = solve_ivp(rhs, (0.0, 20000.0), [r0, 0.0, vr, vt], method="DOP853", rtol=1e-11,
                    atol=1e-6, events=ground)
    y = sol.y_events[0][0]
    return float(sol.t_events[0][0]), math.hypot(y[2], y[3])


def reference_delay(v0, g0, beta, h_entry=H_ENTRY):
    s = entry_from_impact(v0, g0, h_entry)
    return fall(s, beta)[0] - fall(s, None)[0]


def package_direct(v0, g0, beta, h_entry=H_ENTRY):
    return drag_delay_direct(v0, g0, RG, h_entry, MU, RHO0, H, beta)


def package_table(v0, g0, beta, h_entry=H_ENTRY):
    g = np.radians(DELAY_G_NODES_DEG)
    tab = delay_table(float(beta), float(h_entry))
    return interp_delay(tab, float(DELAY_V_NODES[0]), float(DELAY_V_NODES[1] - DELAY_V_NODES[0]),
                        float(g[0]), float(g[1] - g[0]), v0, g0)


# --------------------------------------------------------------------------------------------
# the kernel's direct integration
# --------------------------------------------------------------------------------------------

DIRECT_CASES = [  # (entry speed m/s, entry angle deg below horizontal, beta kg/m^2)
    (2700.0, 40.0, 2000.0), (2700.0, 40.0, 13000.0), (3700.0, 35.0, 5000.0),
    (6500.0, 25.0, 20000.0), (1500.0, 60.0, 9000.0), (2400.0, 14.0, 9000.0),
]


@pytest.mark.parametrize("v_e, g_e_deg, beta", DIRECT_CASES,
                         ids=[f"{v:g}mps-{g:g}deg-b{b:g}" for v, g, b in DIRECT_CASES])
def test_direct_delay_matches_solve_ivp(v_e, g_e_deg, beta, residual):
    g_e = math.radians(g_e_deg)
    v0, g0 = impact_from_entry(v_e, g_e)
    state = (RG + H_ENTRY, -v_e * math.sin(g_e), v_e * math.cos(g_e))
    ref = fall(state, beta)[0] - fall(state, None)[0]
    assert entry_from_impact(v0, g0) == pytest.approx(state, rel=1e-9)  # conversion round trip
    got = package_direct(v0, g0, beta)
    residual("reentry: drag_delay_direct vs solve_ivp", got - ref, "s")
    assert got == pytest.approx(ref, abs=0.05)


@pytest.mark.parametrize("v0, g0_deg, beta", [(400.0, 2.0, 9000.0), (350.0, 30.0, 2000.0)])
def test_direct_delay_for_conics_that_stay_below_entry_altitude(v0, g0_deg, beta, residual):
    """Slow impacts whose vacuum conic peaks below 100 km start at the apogee."""
    g0 = math.radians(g0_deg)
    assert entry_from_impact(v0, g0)[1] == 0.0
    ref = reference_delay(v0, g0, beta)
    got = package_direct(v0, g0, beta)
    residual("reentry: drag_delay_direct vs solve_ivp", got - ref, "s")
    assert got == pytest.approx(ref, abs=0.05)


# --------------------------------------------------------------------------------------------
# the interpolated table that flight_time uses
# --------------------------------------------------------------------------------------------

def off_grid_points(n, v_range, g_range_deg, seed):
    rng = np.random.default_rng(seed)
    v = rng.uniform(*v_range, n)
    g = rng.uniform(*g_range_deg, n)
    # keep clear of the nodes (step 100 m/s, 1 deg)
    v = np.floor(v / 100.0) * 100.0 + rng.uniform(15.0, 85.0, n)
    g = np.floor(g) + rng.uniform(0.15, 0.85, n)
    return v, np.radians(g)


@pytest.mark.parametrize("beta, h_entry", [(9000.0, 100e3), (15000.0, 100e3), (5000.0, 80e3),
                                           (25000.0, 120e3)])
def test_table_matches_direct_off_grid(beta, h_entry, residual):
    """Within 2 % or 0.1 s, for impact speeds 0.3-4.8 km/s at any angle (1-89 deg) and
    4.8-8 km/s at impact angles of 8 deg and more. The fast grazing corner is tested separately
    below; the catalog classes' trajectories stay out of it (their impacts are >= 8.4 deg, see
    test_flight_time_drag_delay_matches_reference)."""
    v_a, g_a = off_grid_points(300, (300.0, 4800.0), (1.0, 89.0), seed=1)
    v_b, g_b = off_grid_points(150, (4800.0, 7990.0), (8.0, 89.0), seed=2)
    worst = 0.0
    for v0, g0 in zip(np.concatenate([v_a, v_b]), np.concatenate([g_a, g_b])):
        direct = package_direct(v0, g0, beta, h_entry)
        tab = package_table(v0, g0, beta, h_entry)
        tol = max(0.02 * abs(direct), 0.1)
        worst = max(worst, abs(tab - direct) / tol)
        residual("reentry: table vs direct", tab - direct, "s")
        assert abs(tab - direct) <= tol, (v0, math.degrees(g0), direct, tab)
    residual("reentry: table vs direct (fraction of max(2%, 0.1 s))", worst)


@pytest.mark.xfail(strict=True, reason=(
    "table limitation: fast grazing impacts (>= ~5 km/s at <= ~7 deg) vary too fast for the "
    "100 m/s x 1 deg grid; the bilinear table is off by up to ~20 s there (e.g. 7673 m/s, "
    "2.61 deg, beta 15000: table -23.7 s, direct and solve_ivp -5.7 s)"))
def test_table_matches_direct_fast_grazing_corner():
    v0s, g0s = off_grid_points(60, (5000.0, 7990.0), (1.0, 6.0), seed=3)
    bad = []
    for v0, g0 in zip(v0s, g0s):
        direct = package_direct(v0, g0, 15000.0)
        tab = package_table(v0, g0, 15000.0)
        if abs(tab - direct) > max(0.02 * abs(direct), 0.1):
            bad.append((round(v0), round(math.degrees(g0), 2), round(direct, 2), round(tab, 2)))
    assert not bad, bad


@pytest.mark.parametrize("v0, g0_deg", [(7673.0, 2.61), (6000.0, 3.0), (5200.0, 6.0)])
def test_direct_delay_is_right_in_the_fast_grazing_corner(v0, g0_deg, residual):
    """The direct integration itself is right there (negative delays: drag makes the grazing
    body fall sooner than its long vacuum arc)."""
    ref = reference_delay(v0, math.radians(g0_deg), 15000.0)
    got = package_direct(v0, math.radians(g0_deg), 15000.0)
    residual("reentry: drag_delay_direct vs solve_ivp", got - ref, "s")
    assert got == pytest.approx(ref, abs=0.05)


def test_table_grid_matches_flight_module_constants():
    tab = delay_table(9000.0, 100e3)
    assert tab.shape == (DELAY_V_NODES.size, DELAY_G_NODES_DEG.size)
    assert not tab.flags.writeable
    # on the nodes the table is the direct value
    for i, j in [(0, 0), (10, 44), (47, 20), (77, 89)]:
        v0, g0 = DELAY_V_NODES[i], math.radians(DELAY_G_NODES_DEG[j])
        assert tab[i, j] == pytest.approx(package_direct(v0, g0, 9000.0), abs=1e-9)


# --------------------------------------------------------------------------------------------
# flight_time end to end: the delay it adds for the vacuum impact state it reports
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("missile, trajectory, ranges_km", [
    ("iskander-m", "minimum-energy", (100, 400)),
    ("iskander-m", "depressed", (150, 300)),
    ("oreshnik", "minimum-energy", (600, 1500, 3000, 5000)),
    ("oreshnik", "depressed", (1000, 2000)),
    ("oreshnik", "lofted", (2000,)),
])
def test_flight_time_drag_delay_matches_reference(missile, trajectory, ranges_km, residual):
    from geographiclib.geodesic import Geodesic

    kp = wt.get_missile(missile).kernel_params("nominal")
    lat1, lon1 = 53.30, 28.64
    pts = [Geodesic.WGS84.Direct(lat1, lon1, 265.0, d * 1e3) for d in ranges_km]
    res = wt.flight_time(lat1, lon1, [p["lat2"] for p in pts], [p["lon2"] for p in pts],
                         missile=missile, trajectory=trajectory)
    assert np.all(res.status == 0), res.reason
    from warning_time.core import trajectory as tr
    from warning_time.model import FlightModel

    params = FlightModel.resolve(missile, trajectory=trajectory).params
    for k in range(len(ranges_km)):
        v0, g0 = res.impact_speed_m_s[k], math.radians(res.impact_angle_deg[k])
        ref = reference_delay(v0, g0, kp["beta"], kp["h_entry"])
        # a range-dependent boost table (model.boost_tables): its burn time at this range and
        # its added time, which counts with the drag delay
        eff = tr.effective_shape(params, res.ground_range_km[k] * 1e3, *tr.unpack(params)[5:12])
        t_boost, added = eff[3], eff[7]
        got = res.drag_delay_s[k] - added
        residual("reentry: flight_time drag_delay_s vs solve_ivp", got - ref, "s")
        assert got == pytest.approx(ref, abs=max(0.02 * abs(ref), 0.1)), (ranges_km[k], v0, math.degrees(g0))
        assert res.flight_time_s[k] == pytest.approx(t_boost + res.free_flight_time_s[k] + got + added, rel=1e-12)


# --------------------------------------------------------------------------------------------
# secondary: the shared REFERENCES, section 6.3, numerical illustration
# --------------------------------------------------------------------------------------------

REFERENCES_6_3 = [  # (entry km/s, entry deg, vacuum time 100 km -> 0 s, {beta: delay s})
    (2.7, 40.0, 50.9, {2000: 20.0, 5000: 5.4, 13000: 1.7, 20000: 1.1}),
    (3.7, 35.0, 43.5, {2000: 23.0, 5000: 5.8, 13000: 1.8, 20000: 1.1}),
    (6.5, 25.0, 35.5, {2000: 33.0, 5000: 8.5, 13000: 2.3, 20000: 1.4}),
]


@pytest.mark.parametrize("v_e_kms, g_e_deg, t_vac, delays", REFERENCES_6_3,
                         ids=[f"{r[0]}kms-{r[1]:g}deg" for r in REFERENCES_6_3])
def test_references_6_3_numerical_illustration(v_e_kms, g_e_deg, t_vac, delays, residual):
    """shared REFERENCES §6.3, numerical illustration: 2-D point mass, rho0 = 1.225 kg/m^3,
    H = 7.2 km, entry at 100 km. Secondary figures (two digits), tolerance 15 %."""
    v_e, g_e = v_e_kms * 1e3, math.radians(g_e_deg)
    state = (RG + H_ENTRY, -v_e * math.sin(g_e), v_e * math.cos(g_e))
    assert fall(state, None)[0] == pytest.approx(t_vac, rel=0.15)
    v0, g0 = impact_from_entry(v_e, g_e)
    for beta, quoted in delays.items():
        got = package_direct(v0, g0, float(beta))
        residual("reentry: direct vs REFERENCES 6.3 (rel)", (got - quoted) / quoted)
        assert got == pytest.approx(quoted, rel=0.15), beta
        assert package_table(v0, g0, float(beta)) == pytest.approx(quoted, rel=0.15), beta


def test_references_6_3_impact_speeds_of_the_reference_model():
    """The same table quotes impact speeds with drag at 2.7 km/s, 40 deg: 0.25 km/s for
    beta = 2,000 and 1.9 km/s for beta = 13,000 (checks the reference integrator itself)."""
    v_e, g_e = 2700.0, math.radians(40.0)
    state = (RG + H_ENTRY, -v_e * math.sin(g_e), v_e * math.cos(g_e))
    assert fall(state, 2000.0)[1] == pytest.approx(250.0, rel=0.15)
    assert fall(state, 13000.0)[1] == pytest.approx(1900.0, rel=0.15)
