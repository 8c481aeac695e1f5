"""One launch-target pair: boost, free-flight conic (rotating Earth optional), reentry delay.

Frames. Positions are Earth-centred Earth-fixed (ECEF) at the moment of burnout; the inertial
frame is taken to coincide with ECEF at that instant. A point fixed on the Earth then sits, a
time t later, at Rz(omega t) r_ecef. The boost is modelled in the Earth-fixed frame (burnout
altitude and downrange along the great circle toward the target, after the burn time).

Rotating Earth, minimum energy. The missile starts at rest on the Earth, so its capability is
the burnout speed *relative to the launch site*, |v_I - omega x r1|. The family of conics that
hit the rotating target is one-dimensional: for a burnout slope s = tan(gamma_inertial) and a
target rotation angle theta, the conic to Rz(theta) r2 has a time of flight t(s, theta), and
it is consistent when theta = omega t. Minimum energy minimises F(s) = f(s, theta(s)),
f = |v_rel|^2, along the consistent family. The family's slope is
theta' = omega t_s / (1 - omega t_theta), so F' = f_s + f_theta theta'. :func:`_eval_d` gives t,
f and their partial derivatives in closed form (forward-mode differentiation of the conic
formulas), and :func:`_min_energy_fast` does Newton steps on F' = 0 with one conic evaluation
per step: it starts from the slope that minimises f with the target rotation of the
non-rotating flight frozen, corrected for the coupling term, moves each point onto the family
to first order, takes F'' first from the partials (f_ss + 2 f_s_theta theta' +
f_theta theta'') and then from the secant of F', and keeps a bracket of the root. Typical
European shots converge in 3-4 evaluations; the result is the minimum to ~1e-6 in s
(flight time within ~1e-4 s of an independent search over all times of flight). Minimising f
with theta frozen (aiming an inertial minimum-energy ellipse at the rotated target) ignores
d(theta)/ds and is wrong by tens of seconds at European ranges; the tests check that the
result is the true minimum over all times of flight by shooting independent rotating-frame
integrations and by an independent Lambert solver.

Where the Newton search gives up (shots of less than ~150 km whose target moves a large
fraction of the range during the flight, about 1 % of them) a robust golden-section search
over the time of flight, each time solved as a Lambert problem, takes over
(:func:`_min_energy_by_time`). Near the antipode the Earth's turn during the flight can make
the other way around the globe the shorter one; both searches follow the short way only, so
targets within omega x ANTIPODE_T_S of the antipode (0.33 rad, beyond ~17,900 km, outside
every catalog class's reach) get "degenerate geometry" with rotation on.
"""
import math

import numpy as np

from ._jit import jit, jit_inline
from .geodesy import (central_angle, ecef_sc, rotate_toward,
                      surface_radius, vincenty_sc)
from .kepler import (EARTH_SOI_M, conic_from_slope, plane_from_units, plane_geometry, slope_for_apogee,
                     slope_for_speed, slope_min_energy)
from .reentry import interp_delay
from .roots import illinois_step

# trajectory modes
MODE_MIN_ENERGY = 0
MODE_APOGEE = 1
MODE_FPA = 2
MODE_SPEED = 3
MODE_QUASI = 4
#: the class's presets, defined physically (docs/model.md "Trajectory presets"): the full
#: burnout speed (the class's limit) on the high branch (lofted), or on the low branch with the
#: burnout flight-path angle relative to the Earth held at or above a floor (depressed; the
#: shape value is the floor in rad). Both are the minimum-energy arc where the two branches meet.
MODE_DEPRESSED = 5
MODE_LOFTED = 6
#: quasi-ballistic class calibrated on lifting flyouts (docs/model.md "The SRBM in the
#: atmosphere"): flight time, apogee, burnout speed and impact speed and angle interpolated in
#: the ground range from the class's flight table, which the kernels receive in place of the
#: drag-delay table (rows QT_*; no drag delay: drag and lift are inside the flyout times)
MODE_QUASI_FLYOUT = 7
#: the lofted shot of a range-dependent boost table with an endo-atmospheric burnout
#: (effective_shape): the table's burnout flight-path angle (shape value, rad) relative to the
#: Earth, and, where no conic of that angle reaches the target (near-vertical shots whose
#: target the turning Earth carries away), the lofted preset at the table's speed
MODE_LOFTED_FPA = 8
#: the minimum-energy shot of a range-dependent boost table: the vehicle's least-burn burnout
#: flight-path angle (shape value, rad) relative to the Earth, and, where no conic of that angle
#: reaches the target (a short westward shot whose target the Earth carries away during the
#: flight), the minimum-energy conic from the same burnout point
MODE_ME_FPA = 9
QT_RANGE = 0       # ground range nodes (m), evenly spaced
QT_TIME = 1        # flight time (s)
QT_APOGEE = 2      # apogee (m)
QT_V_BO = 3        # burnout speed relative to the Earth (m/s)
QT_V_IMP = 4       # impact speed (m/s)
QT_G_IMP = 5       # impact angle below the horizontal (rad)
N_QT = 6
#: depressed preset: least burnout flight-path angle relative to the Earth (rad). A missile
#: does not burn out diving: at 0 the burnout point is the apogee of the free flight.
DEPRESSED_FLOOR_RAD = 0.0
#: lofted preset: steepest burnout flight-path angle relative to the Earth (rad), 80 deg (D).
#: Full speed on the high branch is near vertical at short range, and with the Earth turning
#: under a long flight it can even need a burnout leaning away from the target (a vertical
#: full-speed shot drifts hundreds of km west): the preset then flies this angle, below full speed.
LOFTED_CEILING_RAD = math.radians(80.0)
#: offset from the minimum-energy angle (rad) where the rotating preset searches start
PRESET_START_RAD = 0.01

# status codes: the one table in core/status.py
from .status import (BAD_INPUT as ST_BAD_INPUT, BELOW_MIN_RANGE as ST_BELOW_MIN,  # noqa: E402
                     DEGENERATE as ST_DEGENERATE, EARTH_TURN as ST_EARTH_TURN, ESCAPE as ST_ESCAPE,
                     NO_CONVERGENCE as ST_NO_CONVERGENCE,
                     NO_SOLUTION as ST_NO_SOLUTION, OK as ST_OK, OUT_OF_RANGE as ST_OUT_OF_RANGE)

# packed flight-model parameters (float64 array built by warning_time.model.FlightModel):
# every kernel entry point takes (coordinates..., params, table) and unpacks them with
# :func:`unpack` once, before its loop
P_A = 0            # ellipsoid semi-major axis (m)
P_E2 = 1           # first eccentricity squared
P_F = 2            # flattening (0 on the sphere)
P_OMEGA = 3        # Earth rotation rate (rad/s; 0 without rotation)
P_MU = 4           # gravitational parameter (m^3/s^2)
P_MODE = 5         # trajectory mode (MODE_*)
P_SHAPE = 6        # the mode's shape value (apogee m, slope rad, speed m/s, cap m)
P_HIGH = 7         # 1.0: high (lofted) branch of the burnout-speed mode
P_T_BOOST = 8      # burn time (s)
P_H_BO = 9         # burnout altitude (m)
P_D_BO = 10        # burnout downrange (m)
P_V_MAX = 11       # burnout-speed limit (m/s, inf when unlimited)
P_MIN_RANGE = 12   # m
P_MAX_RANGE = 13   # m
P_V_LO = 14        # drag-delay table: first impact-speed node (m/s)
P_V_STEP = 15      # ... its spacing (m/s)
P_G_LO = 16        # ... first impact-angle node (rad)
P_G_STEP = 17      # ... its spacing (rad)
P_H_ENTRY = 18     # entry altitude of the drag delay (m)
P_BT_N = 19        # range-dependent boost table: number of ground-range nodes (0: fixed boost)
P_BT_X0 = 20       # ... first node (m)
P_BT_DX = 21       # ... node spacing (m)
#: the depressed preset of a class with a boost table (effective_shape): the ground ranges (m)
#: between which it flies the full-burn depressed arc (the scalar boost at full speed); outside
#: them, or NaN, the least-burn minimum-energy shot (model.depressed_full_burn_interval)
P_DEP_LO = 22
P_DEP_HI = 23
N_PARAMS = 24      # the scalars; a boost table's rows follow them (N_BT rows of P_BT_N values)
#: rows of the boost table (docs/model.md "Range-dependent boost"): the burnout state of the
#: class's vehicle at each node of total ground range, from flyouts (scripts/calibrate.py)
BT_T = 0           # burn time (s)
BT_H = 1           # burnout altitude (m)
BT_D = 2           # burnout downrange (m)
BT_GAM = 3         # burnout flight-path angle relative to the Earth (rad; NaN: not used)
BT_V = 4           # burnout speed relative to the Earth (m/s; NaN: not used)
BT_DT = 5          # time (s) added to the conic flight: the flyout's flight time less the analytic
#                    one at the fit shots (drag and lift in the atmosphere after burnout, J2)
N_BT = 6

THETA_TOL = 1e-12  # rad of Earth rotation (~6 um at the surface)
#: On the rotating Earth, a target whose direction comes within the Earth's turn during the
#: flight of the launch point's antipode can be reached either way around the globe, and the
#: short-way searches cannot tell which is cheaper. The margin is omega x ANTIPODE_T_S, 1.8
#: times the longest minimum-energy flight (the antipodal one, ~2,520 s): 0.33 rad, i.e.
#: targets beyond ~17,900 km get "degenerate geometry" with rotation on.
ANTIPODE_T_S = 1.8 * 2520.0
#: The rotating solutions stop where the Earth's turn during the flight, with a 10 % margin,
#: would carry the target past the launch point's antipode (psi + 1.1 omega t > pi): beyond it
#: either way around the globe can be the shorter. pair_flight gives "earth turn" there, and the
#: search over the time of flight (:func:`_root_by_time`) searches no further.
LONG_FLIGHT_MARGIN = 1.1
#: points of the grid of flight times :func:`_root_by_time` scans before refining a root
N_TIME_GRID = 240
NAN = math.nan
TWO_PI = 2.0 * math.pi


@jit_inline
def _state(s, theta, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Evaluate the conic of slope s to the target rotated by theta.

    Returns ok, tof, f = |v_rel|^2, the radial burnout speed (the same inertial and relative:
    the site velocity is horizontal), rmax, apogee unit direction (x, y, z), the vacuum impact
    speed and the cosine of the impact angle.
    """
    if theta == 0.0:
        qx = r2x
        qy = r2y
    else:
        ct = math.cos(theta)
        st = math.sin(theta)
        qx = ct * r2x - st * r2y
        qy = st * r2x + ct * r2y
    n1, n2, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(r1x, r1y, r1z, qx, qy, r2z)
    return _state_g(s, n1, n2, cpsi, spsi, ux, uy, uz, tx, ty, tz, r1x, r1y, omega, mu)


@jit
def _state_g(s, n1, n2, cpsi, spsi, ux, uy, uz, tx, ty, tz, r1x, r1y, omega, mu):
    """:func:`_state` from the transfer geometry of :func:`plane_geometry`."""
    ok, v, tof, a, e, rmax, cn, sn = conic_from_slope(n1, n2, cpsi, spsi, s, mu)
    if not ok:
        return False, NAN, NAN, NAN, NAN, 0.0, 0.0, 1.0, NAN, NAN
    cg = 1.0 / math.sqrt(1.0 + s * s)
    sg = s * cg
    vx = v * (cg * tx + sg * ux)
    vy = v * (cg * ty + sg * uy)
    vz = v * (cg * tz + sg * uz)
    # relative velocity: subtract omega z x r1
    wx = vx + omega * r1y
    wy = vy - omega * r1x
    wz = vz
    f = wx * wx + wy * wy + wz * wz
    ax = cn * ux + sn * tx
    ay = cn * uy + sn * ty
    az = cn * uz + sn * tz
    # vacuum impact state at the aim point (energy and angular momentum)
    v2 = math.sqrt(max(v * v + 2.0 * mu * (1.0 / n2 - 1.0 / n1), 0.0))
    cimp = min(1.0, n1 * v * cg / (n2 * v2))
    return True, tof, f, v * sg, rmax, ax, ay, az, v2, cimp


@jit
def _consistent(s, theta, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Solve theta = omega * tof(s, theta) from the guess ``theta``.

    Secant steps on the residual R(theta) = theta - omega tof, safeguarded by a bracket: R < 0
    at theta = 0 (every flight takes time), so the iteration keeps the largest theta with R < 0
    and the smallest with R > 0 and falls back to bisection when a secant step leaves them. A
    plain fixed-point iteration diverges at short ranges, where turning the target by theta
    changes the range, and so the time, faster than 1/omega; a plain secant can jump away on
    steep lofted shots whose time depends strongly on theta."""
    lo = 0.0
    hi = math.inf
    r = _state(s, theta, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    if not r[0]:
        return False, theta, r
    res = theta - omega * r[1]
    th_prev = theta
    res_prev = res
    for _ in range(60):
        if abs(res) < THETA_TOL:
            return True, theta, r
        if res < 0.0:
            lo = max(lo, theta)
        else:
            hi = min(hi, theta)
        if th_prev != theta and res != res_prev:
            new = theta - res * (theta - th_prev) / (res - res_prev)
        else:
            new = omega * r[1]  # fixed-point step for the first move
        if not (lo < new < hi):
            new = 0.5 * (lo + hi) if hi < math.inf else max(omega * r[1], lo + 1e-6)
        th_prev = theta
        res_prev = res
        theta = new
        r = _state(s, theta, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
        if not r[0]:
            return False, theta, r
        res = theta - omega * r[1]
    return False, theta, r


@jit_inline
def _eval_d(s, theta, r1x, r1y, r1z, n1, r2x, r2y, r2z, n2, omega, mu):
    """:func:`_eval_dh` without the horizontal speed: (ok, t, t_s, t_theta, t_ss, f, f_s,
    f_theta, f_ss, f_stheta)."""
    r = _eval_dh(s, theta, r1x, r1y, r1z, n1, r2x, r2y, r2z, n2, omega, mu)
    return r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]


@jit
def _eval_dh(s, theta, r1x, r1y, r1z, n1, r2x, r2y, r2z, n2, omega, mu):
    """Time of flight t and f = |v_rel|^2 of the conic of slope s to the target rotated by
    theta, with the partial derivatives the rotating search needs, in closed form (forward-mode
    differentiation of the conic formulas of :func:`conic_from_slope`; the tests check them against finite
    differences). The target direction turns as dv/dtheta = z x v, so
    d cos(Psi)/dtheta = u . (z x v) and sin(Psi) follows; the site speed along the in-plane
    horizontal is w_t = omega (x1 v_y - y1 v_x) / sin(Psi) (the u-part of t-hat drops out).

    Returns (ok, t, t_s, t_theta, t_ss, f, f_s, f_theta, f_ss, f_stheta, H, H_s, H_theta), H
    the inertial horizontal burnout speed v cos(gamma) (the radial speed is H s)."""
    ct = math.cos(theta)
    st = math.sin(theta)
    inv1 = 1.0 / n1
    inv2 = 1.0 / n2
    ux = r1x * inv1
    uy = r1y * inv1
    uz = r1z * inv1
    vx = (ct * r2x - st * r2y) * inv2
    vy = (st * r2x + ct * r2y) * inv2
    vz = r2z * inv2
    c = ux * vx + uy * vy + uz * vz
    tx = vx - c * ux
    ty = vy - c * uy
    tz = vz - c * uz
    sn = math.sqrt(tx * tx + ty * ty + tz * tz)
    if not (sn > 1e-12):
        return False, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN
    c_t = uy * vx - ux * vy
    sn_t = -c * c_t / sn
    omc = 1.0 - c
    if omc < 1e-6:
        omc = sn * sn / (1.0 + c)
    D = n1 * inv2 - c + s * sn
    if not (D > 0.0):
        return False, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN
    iD = 1.0 / D
    D_t = s * sn_t - c_t
    q = omc * iD
    q_s = -q * sn * iD
    q_t = -(c_t + q * D_t) * iD
    q_ss = 2.0 * q * sn * sn * iD * iD
    q_st = -(q_t * sn + q * sn_t) * iD + q * sn * D_t * iD * iD
    ss1 = 1.0 + s * s
    X = q * ss1  # v^2 r1 / mu
    X_s = q_s * ss1 + 2.0 * q * s
    X_t = q_t * ss1
    two_m_x = 2.0 - X  # r1 / a
    if not (two_m_x > 0.0):
        return False, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN
    a = n1 / two_m_x
    a_s = a * a * X_s * inv1
    a_t = a * a * X_t * inv1
    ec1 = q - 1.0
    es1 = q * s
    es1_s = q_s * s + q
    es1_t = q_t * s
    es2 = es1 * c + ec1 * sn
    if es1 < 0.0 and es2 > 0.0:
        return False, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN  # passes perigee (conic_from_slope)
    es2_s = es1_s * c + q_s * sn
    es2_t = es1_t * c + es1 * c_t + q_t * sn + ec1 * sn_t
    P = q * n1 * a  # p a
    rspa = 1.0 / math.sqrt(P)
    rspa_s = -0.5 * rspa * n1 * (q_s * a + q * a_s) / P
    rspa_t = -0.5 * rspa * n1 * (q_t * a + q * a_t) / P
    r21 = n2 * inv1
    E1c = X - 1.0
    E1s = es1 * n1 * rspa
    E2c = 1.0 - r21 * two_m_x
    E2s = es2 * n2 * rspa
    E1s_s = n1 * (es1_s * rspa + es1 * rspa_s)
    E1s_t = n1 * (es1_t * rspa + es1 * rspa_t)
    E2c_s = r21 * X_s
    E2c_t = r21 * X_t
    E2s_s = n2 * (es2_s * rspa + es2 * rspa_s)
    E2s_t = n2 * (es2_t * rspa + es2 * rspa_t)
    Y = E2s * E1c - E2c * E1s
    Z = E2c * E1c + E2s * E1s
    dE = math.atan2(Y, Z)
    if dE < 0.0:
        dE += TWO_PI
    iR = 1.0 / (Y * Y + Z * Z)
    Y_s = E2s_s * E1c + E2s * X_s - E2c_s * E1s - E2c * E1s_s
    Z_s = E2c_s * E1c + E2c * X_s + E2s_s * E1s + E2s * E1s_s
    Y_t = E2s_t * E1c + E2s * X_t - E2c_t * E1s - E2c * E1s_t
    Z_t = E2c_t * E1c + E2c * X_t + E2s_t * E1s + E2s * E1s_t
    M = dE - E2s + E1s
    M_s = (Z * Y_s - Y * Z_s) * iR - E2s_s + E1s_s
    M_t = (Z * Y_t - Y * Z_t) * iR - E2s_t + E1s_t
    sa = math.sqrt(a / mu)
    t = a * sa * M
    t_s = sa * (1.5 * a_s * M + a * M_s)
    t_t = sa * (1.5 * a_t * M + a * M_t)
    # second derivative in s (the curvature of the family theta(s) in the search)
    X_ss = q_ss * ss1 + 4.0 * q_s * s + 2.0 * q
    a_ss = (2.0 * a * a_s * X_s + a * a * X_ss) * inv1
    P_s = n1 * (q_s * a + q * a_s)
    P_ss = n1 * (q_ss * a + 2.0 * q_s * a_s + q * a_ss)
    rspa_ss = rspa * (0.75 * P_s * P_s / (P * P) - 0.5 * P_ss / P)
    es1_ss = q_ss * s + 2.0 * q_s
    es2_ss = es1_ss * c + q_ss * sn
    E1s_ss = n1 * (es1_ss * rspa + 2.0 * es1_s * rspa_s + es1 * rspa_ss)
    E2s_ss = n2 * (es2_ss * rspa + 2.0 * es2_s * rspa_s + es2 * rspa_ss)
    E2c_ss = r21 * X_ss
    Y_ss = (E2s_ss * E1c + 2.0 * E2s_s * X_s + E2s * X_ss
            - E2c_ss * E1s - 2.0 * E2c_s * E1s_s - E2c * E1s_ss)
    Z_ss = (E2c_ss * E1c + 2.0 * E2c_s * X_s + E2c * X_ss
            + E2s_ss * E1s + 2.0 * E2s_s * E1s_s + E2s * E1s_ss)
    N_s = Z * Y_s - Y * Z_s
    M_ss = ((Z * Y_ss - Y * Z_ss) * iR - 2.0 * N_s * (Y * Y_s + Z * Z_s) * iR * iR
            - E2s_ss + E1s_ss)
    t_ss = sa * (0.5 * a_s / a * (1.5 * a_s * M + a * M_s) + 1.5 * a_ss * M + 2.5 * a_s * M_s
                 + a * M_ss)
    # f = v^2 - 2 w_t H + |w|^2 with H = v cos(gamma) = sqrt(mu q / r1)
    mu1 = mu * inv1
    H = math.sqrt(mu1 * q)
    iq2 = 0.5 / q
    H_s = H * q_s * iq2
    H_t = H * q_t * iq2
    H_ss = H * (q_ss * iq2 - q_s * q_s * iq2 * iq2)
    H_st = H_t * q_s * iq2 + H * (q_st * q - q_s * q_t) * iq2 / q
    isn = 1.0 / sn
    g = r1x * vy - r1y * vx
    wt = omega * g * isn
    wt_t = omega * (r1x * vx + r1y * vy - g * sn_t * isn) * isn
    f = mu1 * X - 2.0 * wt * H + omega * omega * (r1x * r1x + r1y * r1y)
    f_s = mu1 * X_s - 2.0 * wt * H_s
    f_t = mu1 * X_t - 2.0 * (wt_t * H + wt * H_t)
    f_ss = mu1 * X_ss - 2.0 * wt * H_ss
    f_st = mu1 * (q_st * ss1 + 2.0 * q_t * s) - 2.0 * (wt_t * H_s + wt * H_st)
    return True, t, t_s, t_t, t_ss, f, f_s, f_t, f_ss, f_st, H, H_s, H_t


@jit
def _min_energy_fast(r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Least relative burnout speed over the consistent family, by Newton on the total
    derivative along it. Returns (ok, s, theta).

    Along the family theta(s) solves theta = omega t(s, theta), so
    theta' = omega t_s / (1 - omega t_theta) and F(s) = f(s, theta(s)) has
    F' = f_s + f_theta theta'. All partials come in closed form from :func:`_eval_d`, so each
    iteration costs one conic evaluation: the point is first made consistent to first order
    (theta += (omega t - theta) / (1 - omega t_theta), F' corrected by f_s_theta times that
    move), then s moves by -F'/F''. F'' comes from the partials
    (f_ss + 2 f_s_theta theta' + f_theta theta'') and, once two points lie on the family, from
    the secant of F' (superlinear convergence); the points on the family also keep a bracket
    of the root of F', which a step may not leave, and a step that leaves the elliptic family
    is halved back. Start: the non-rotating minimum-energy slope, the target rotation of its
    flight time, and the slope that minimises the relative speed with that rotation frozen
    (closed form), moved by the coupling term.
    """
    n1 = math.sqrt(r1x * r1x + r1y * r1y + r1z * r1z)
    n2 = math.sqrt(r2x * r2x + r2y * r2y + r2z * r2z)
    nb1, nb2, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(r1x, r1y, r1z, r2x, r2y, r2z)
    s = slope_min_energy(nb1, nb2, cpsi, spsi)
    r = _eval_d(s, 0.0, r1x, r1y, r1z, n1, r2x, r2y, r2z, n2, omega, mu)
    if not r[0]:
        return False, s, 0.0
    den = 1.0 - omega * r[3]
    if not (den > 0.05):
        return False, s, 0.0  # target motion dominates the geometry (very short shots)
    theta = omega * r[1] / den
    ct = math.cos(theta)
    st = math.sin(theta)
    nb1, nb2, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(
        r1x, r1y, r1z, ct * r2x - st * r2y, st * r2x + ct * r2y, r2z)
    s_fr = _slope_min_relative(r1x, r1y, r1z, nb1, nb2, cpsi, spsi, tx, ty, tz, omega, mu,
                               slope_min_energy(nb1, nb2, cpsi, spsi))
    if math.isnan(s_fr):
        return False, s, theta
    # the coupling term f_theta theta' of the start point moves the frozen optimum
    thp = omega * r[2] / den
    thpp = omega * r[4] / den
    s_new = s_fr - r[7] * thp / (r[8] + 2.0 * r[9] * thp + r[7] * thpp)
    ds = s_new - s
    theta += thp * ds + 0.5 * thpp * ds * ds
    # fallback anchor when a step leaves the elliptic family: the frozen optimum
    s_ok = s_fr
    th_ok = theta - thp * (s_new - s_fr)
    s = s_new
    s_prev = NAN
    fp_prev = NAN
    lo = -math.inf
    hi = math.inf
    for _ in range(40):
        ok, t, t_s, t_t, t_ss, f, f_s, f_t, f_ss, f_st = _eval_d(s, theta, r1x, r1y, r1z, n1,
                                                                 r2x, r2y, r2z, n2, omega, mu)
        if not ok:
            # no elliptic conic of this slope reaches the target: step back halfway
            if s == s_ok:
                return False, s, theta
            s = 0.5 * (s + s_ok)
            theta = 0.5 * (theta + th_ok)
            continue
        den = 1.0 - omega * t_t
        if not (den > 0.05):
            return False, s, theta
        s_ok = s
        th_ok = theta
        dth = (omega * t - theta) / den  # move onto the family (first order)
        thp = omega * t_s / den          # theta' along the family
        thpp = omega * t_ss / den        # theta'' (leading term)
        fp = f_s + f_st * dth + f_t * thp
        # F'' = f_ss + 2 f_s_theta theta' + f_theta theta'' (+ O(theta'^2) terms)
        fpp = f_ss + 2.0 * f_st * thp + f_t * thpp
        # Near the family (|dth| small) the corrected F' is exact to O(dth^2): only such points
        # bracket the root or enter the secant
        near = abs(dth) < 1e-6
        if near and s != s_prev and not math.isnan(s_prev):
            sec = (fp - fp_prev) / (s - s_prev)
            if sec > 0.0:
                fpp = sec
        if not (fpp > 0.0):
            fpp = f_ss  # strong coupling (short shots): the frozen curvature still descends
            if not (fpp > 0.0):
                return False, s, theta
        step = -fp / fpp
        if near and abs(dth) < 1e-9 and abs(step) < 1e-6 * (1.0 + abs(s)):
            # converged: after this Newton step the error in s is O(step^2)
            return True, s + step, theta + dth + thp * step
        if near:
            if fp < 0.0:
                lo = max(lo, s)
            else:
                hi = min(hi, s)
            s_prev = s
            fp_prev = fp
        else:
            s_prev = NAN
        lim = 0.25 * (1.0 + abs(s))
        ds = max(-lim, min(lim, step))
        if not (lo < s + ds < hi) and lo > -math.inf and hi < math.inf:
            ds = 0.5 * (lo + hi) - s  # F' changes sign once: bisect the bracket
        s += ds
        theta += dth + thp * ds + 0.5 * thpp * ds * ds
    return False, s, theta


@jit_inline
def _frozen_coeffs(r1x, r1y, n1, n2, cpsi, spsi, tx, ty, omega, mu):
    """A = mu (1 - cos Psi)/r1, B = w_t sqrt(A) sin Psi and k = r1/r2 - cos Psi of the
    frozen-aim-point relative speed f(s) (see :func:`_slope_min_relative`)."""
    wt = omega * (-r1y * tx + r1x * ty)
    one_m_c = 1.0 - cpsi
    if one_m_c < 1e-6:
        one_m_c = spsi * spsi / (1.0 + cpsi)
    A = mu * one_m_c / n1
    return A, wt * math.sqrt(A) * spsi, n1 / n2 - cpsi


@jit_inline
def _frozen_derivs(A, B, k, spsi, s):
    """(ok, df/ds, d2f/ds2) of f(s) = A (1 + s^2)/D - 2 w_t sqrt(A/D) + |w|^2, D = k + s sin Psi."""
    D = k + s * spsi
    if not (D > 0.0):
        return False, NAN, NAN
    N = 2.0 * s * D - (1.0 + s * s) * spsi
    d1 = A * N / (D * D) + B / (D * math.sqrt(D))
    d2 = A * (2.0 * D * D - 2.0 * N * spsi) / (D * D * D) - 1.5 * B * spsi / (D * D * math.sqrt(D))
    return True, d1, d2


@jit
def _slope_min_relative(r1x, r1y, r1z, n1, n2, cpsi, spsi, tx, ty, tz, omega, mu, s):
    """Slope minimising |v_inertial - omega x r1|^2 over the conics to a *fixed* aim point.

    With A = mu (1 - cos Psi)/r1 and D = r1/r2 - cos Psi + s sin Psi, the horizontal inertial
    speed is sqrt(A/D) and f(s) = A (1 + s^2)/D - 2 w_t sqrt(A/D) + |w|^2, w_t the site speed
    along the in-plane horizontal t-hat (the site velocity has no radial part). Newton with the
    closed-form derivatives, from the inertial minimum-energy slope s. Used as the start of the
    rotating search: it removes most of the rotation effect without any Kepler time.
    """
    A, B, k = _frozen_coeffs(r1x, r1y, n1, n2, cpsi, spsi, tx, ty, omega, mu)
    for _ in range(6):
        ok, d1, d2 = _frozen_derivs(A, B, k, spsi, s)
        if not (ok and d2 > 0.0):
            return NAN
        ds = -d1 / d2
        s += ds
        if abs(ds) < 1e-10:
            break
    return s


@jit
def _slope_for_time(T, theta, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Slope of the short-way conic from r1 to the target rotated by theta whose time of flight
    is T (a Lambert solution). By Lambert's theorem each T above the parabolic time has exactly
    one such elliptic conic, and the time grows monotonically with the flight-path angle across
    the elliptic family, from the parabolic time at its flat end to infinity at its steep
    (parabolic) end: bisection in the angle. Angles that give no usable conic lie at either end
    of the family: below the minimum-energy angle they are the fast, flat side (hyperbolic, or
    dipping below the target's radius) and count as too short, above it as too long.
    Returns (ok, s, |v_rel|^2, time of flight of the conic found); not ok (and inf) when T is
    below the parabolic time."""
    ct = math.cos(theta)
    st = math.sin(theta)
    n1, n2, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(
        r1x, r1y, r1z, ct * r2x - st * r2y, st * r2x + ct * r2y, r2z)
    if spsi < 1e-9:
        return False, NAN, math.inf, NAN
    lo = math.atan2(-(n1 / n2 - cpsi), spsi)
    hi = 0.5 * math.pi
    g_me = math.atan(slope_min_energy(n1, n2, cpsi, spsi))
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        r = conic_from_slope(n1, n2, cpsi, spsi, math.tan(mid), mu)
        if r[0]:
            too_long = r[2] > T
        else:
            too_long = mid > g_me
        if too_long:
            hi = mid
        else:
            lo = mid
        if hi - lo < 1e-14:
            break
    s = math.tan(0.5 * (lo + hi))
    r = _state_g(s, n1, n2, cpsi, spsi, ux, uy, uz, tx, ty, tz, r1x, r1y, omega, mu)
    if not r[0]:
        return False, NAN, math.inf, NAN
    return True, s, r[2], r[1]


@jit
def _min_energy_by_time(r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Robust (slow) minimum energy on the rotating Earth: golden-section search over the time
    of flight T, each T solved exactly as a Lambert problem to the target rotated by omega T, so
    no consistency iteration is needed. Used where the Newton search gives up (short shots whose
    target moves a large fraction of the range during the flight, near-antipodal shots).
    Returns (ok, s, theta)."""
    n1, n2, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(r1x, r1y, r1z, r2x, r2y, r2z)
    r = conic_from_slope(n1, n2, cpsi, spsi, slope_min_energy(n1, n2, cpsi, spsi), mu)
    if not r[0]:
        return False, NAN, 0.0
    t0 = r[2]  # non-rotating minimum-energy time: the search brackets 0.5-1.8 times it
    lo = 0.5 * t0
    hi = 1.8 * t0
    gr = 0.6180339887498949
    c = hi - gr * (hi - lo)
    d = lo + gr * (hi - lo)
    okc, sc, fc, tc = _slope_for_time(c, omega * c, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    okd, sd, fd, td = _slope_for_time(d, omega * d, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    for _ in range(100):
        if hi - lo < 1e-5:
            break
        # no elliptic conic (f = inf) only below the parabolic time: move up when both are there
        if fc <= fd and fc < math.inf:
            hi = d
            d = c
            fd = fc
            c = hi - gr * (hi - lo)
            okc, sc, fc, tc = _slope_for_time(c, omega * c, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
        else:
            lo = c
            c = d
            fc = fd
            d = lo + gr * (hi - lo)
            okd, sd, fd, td = _slope_for_time(d, omega * d, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    T = 0.5 * (lo + hi)
    ok, s, f, t_found = _slope_for_time(T, omega * T, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    # a minimum at the bracket's edge is not a minimum we can vouch for
    if not ok or not (f < math.inf) or T < 0.5 * t0 * 1.001 or T > 1.8 * t0 * 0.999:
        return False, NAN, 0.0
    # the conic found must take T (theta = omega T consistent), to 1 ms
    if not abs(t_found - T) < 1e-3:
        return False, NAN, 0.0
    return True, s, omega * T


@jit
def _min_energy_rotating(r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Least burnout speed relative to the rotating Earth (see module docstring): the fast
    Newton search, and where it gives up the robust search over the time of flight."""
    ok, s, theta = _min_energy_fast(r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    if ok:
        return ok, s, theta
    return _min_energy_by_time(r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)


@jit
def _g_rotating(mode, target, gam, theta, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Residual along the consistent family at inertial flight-path angle gam (rad):
    |v_rel| - target (MODE_SPEED) or sin(relative flight-path angle) - target (MODE_FPA)."""
    ok, th, r = _consistent(math.tan(gam), theta, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    if not ok:
        return False, NAN, th
    if mode == MODE_SPEED:
        return True, math.sqrt(r[2]) - target, th
    return True, r[3] / math.sqrt(r[2]) - target, th  # sin(relative flight-path angle)


@jit
def _root_rotating(mode, target, high, s0, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Bracketed root search along the consistent family for |v_rel| = target (MODE_SPEED,
    low or high branch) or sin(relative flight-path angle) = target (MODE_FPA).

    Works in the inertial flight-path angle gam = atan(s), which stays well scaled for steep
    lofted shots. The residual is monotonic on each branch: |v_rel| falls with gam on the low
    branch and rises on the high one; sin(gamma_rel) rises with gam. The start gam0 (the
    non-rotating solution) is bracketed by steps that double, then the Illinois variant of
    regula falsi converges. Returns (status, s, theta): ST_OUT_OF_RANGE when the
    target speed is below the least speed that reaches the target on the low/high branch."""
    half = 0.5 * math.pi - 1e-9
    gam0 = math.atan(s0)
    ok, g0, theta = _g_rotating(mode, target, gam0, 0.0, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    if not ok:
        return ST_NO_SOLUTION, s0, 0.0
    if g0 == 0.0:
        return ST_OK, s0, theta
    rising = mode == MODE_FPA or high
    # move toward the root: residual rising with gam and positive -> go down, etc.
    direction = -1.0 if (g0 > 0.0) == rising else 1.0
    step = 0.01
    a = gam0
    ga = g0
    th_a = theta
    found = False
    b = gam0
    gb = g0
    th_b = theta
    for _ in range(120):
        b = a + direction * step
        if b > half:
            b = half
        elif b < -half:
            b = -half
        okb, gb, th_b = _g_rotating(mode, target, b, th_a, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
        if not okb:
            # no closed conic there (steep shots toward escape speed): step back toward a,
            # where the family still exists, rather than give up
            if step < 1e-9:
                return ST_NO_SOLUTION, s0, theta
            step *= 0.25
            continue
        if gb == 0.0 or (gb > 0.0) != (ga > 0.0):
            found = True
            break
        if abs(b) >= half:
            return ST_NO_SOLUTION, s0, theta
        if mode == MODE_SPEED and ((high and direction < 0.0) or (not high and direction > 0.0)):
            # walking toward the minimum-energy angle: a residual that grows means we passed the
            # minimum without reaching the target speed: no solution on this branch
            if gb > ga:
                return ST_OUT_OF_RANGE, s0, theta
        a = b
        ga = gb
        th_a = th_b
        step *= 2.0
    if not found:
        return ST_NO_SOLUTION, s0, theta
    return _bracketed_rotating(mode, target, a, b, ga, gb, th_a, th_b, r1x, r1y, r1z, r2x, r2y, r2z,
                               omega, mu)


@jit
def _fpa_newton(target, s0, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Fastest path of MODE_FPA on the rotating Earth: Newton's method on the pair of equations
    sin(relative flight-path angle) = target and theta = omega t, jointly in the inertial
    flight-path angle gam and the target rotation theta, with the closed-form partials of
    :func:`_eval_dh` (sin(gamma_rel) = H s / sqrt(f), H the inertial horizontal speed, s the
    slope, f = |v_rel|^2). Starts from the angle itself, unrotated target; converges
    quadratically, in 3-5 conic evaluations where the secant path (:func:`_fpa_rotating`) with
    its inner consistency search needs 12-23 (150 Oreshnik shots: median 4 against 18). Returns
    a status other than ST_OK (and the caller falls back to the secant path) when an evaluation
    leaves the elliptic family, the target's motion dominates the geometry, a step is large or
    it does not converge."""
    n1 = math.sqrt(r1x * r1x + r1y * r1y + r1z * r1z)
    n2 = math.sqrt(r2x * r2x + r2y * r2y + r2z * r2z)
    gam = math.atan(s0)
    theta = 0.0
    for _ in range(12):
        s = math.tan(gam)
        (ok, t, t_s, t_t, t_ss, f, f_s, f_t, f_ss, f_st, h, h_s,
         h_t) = _eval_dh(s, theta, r1x, r1y, r1z, n1, r2x, r2y, r2z, n2, omega, mu)
        if not ok:
            return ST_NO_SOLUTION, NAN, 0.0
        rf = 1.0 / math.sqrt(f)
        hs = h * s
        g1 = hs * rf - target
        g2 = theta - omega * t
        c = 1.0 + s * s  # ds / dgam
        j11 = (h_s * s + h - 0.5 * hs * f_s / f) * rf * c
        j12 = (h_t * s - 0.5 * hs * f_t / f) * rf
        j21 = -omega * t_s * c
        j22 = 1.0 - omega * t_t
        det = j11 * j22 - j12 * j21
        if not (j22 > 0.05) or not (abs(det) > 0.0):
            return ST_NO_CONVERGENCE, NAN, 0.0
        dg = (g2 * j12 - g1 * j22) / det
        dth = (g1 * j21 - g2 * j11) / det
        if not (abs(dg) < 0.3 and abs(dth) < 0.1):
            # far from the root (short shots, where the Earth's turn tilts the relative angle
            # most, and the family can hold several roots): the careful path decides
            return ST_NO_CONVERGENCE, NAN, 0.0
        gam += dg
        theta += dth
        if not (-0.5 * math.pi < gam < 0.5 * math.pi):
            return ST_NO_SOLUTION, NAN, 0.0
        if abs(dg) < 1e-9 and abs(dth) < 1e-11:
            # quadratic convergence: the error after this step is O(step^2)
            return ST_OK, math.tan(gam), theta
    return ST_NO_CONVERGENCE, NAN, 0.0


@jit
def _fpa_rotating(target, s0, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Fast path of MODE_FPA on the rotating Earth: secant steps on the inertial flight-path
    angle for sin(relative angle) = target, from the relative angle itself (the two differ by
    the Earth's turn, a few degrees at most), each step starting the target-rotation search from
    the previous step's rotation. Converges in 3-5 conic families where the bracketed search
    (:func:`_root_rotating`) needs ~10; returns a status other than ST_OK (and the caller falls
    back to the bracketed search) when a step leaves the family or it does not converge."""
    gam_a = math.atan(s0)
    ok, ga, th_a = _g_rotating(MODE_FPA, target, gam_a, omega * 0.0, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    if not ok:
        return ST_NO_SOLUTION, NAN, 0.0
    if abs(ga) <= 1e-12:
        return ST_OK, s0, th_a
    # first step: d sin(gamma_rel) / d gamma ~ cos(gamma)
    gam_b = gam_a - ga / max(math.cos(gam_a), 1e-3)
    th_b = th_a
    for _ in range(12):
        if not (-0.5 * math.pi < gam_b < 0.5 * math.pi):
            return ST_NO_SOLUTION, NAN, 0.0
        ok, gb, th_b = _g_rotating(MODE_FPA, target, gam_b, th_b, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
        if not ok:
            return ST_NO_SOLUTION, NAN, 0.0
        if abs(gb) <= 1e-12 or abs(gam_b - gam_a) < 1e-13:
            return ST_OK, math.tan(gam_b), th_b
        if gb == ga:
            return ST_NO_CONVERGENCE, NAN, 0.0
        gam_c = gam_b - gb * (gam_b - gam_a) / (gb - ga)
        gam_a, ga = gam_b, gb
        gam_b = gam_c
    return ST_NO_CONVERGENCE, NAN, 0.0


@jit
def _bracketed_rotating(mode, target, a, b, ga, gb, th_a, th_b, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Illinois search for the root of :func:`_g_rotating` on the bracket [a, b] of inertial
    flight-path angles (residuals ga, gb of opposite sign, consistent rotations th_a, th_b).
    Returns (status, s, theta)."""
    tol_g = 1e-9 * abs(target) if mode == MODE_SPEED else 1e-12
    side = 0
    for _ in range(200):
        c = (a * gb - b * ga) / (gb - ga)
        # start the rotation search between the ends' rotations (steep arcs turn the Earth a lot)
        th0 = th_a + (th_b - th_a) * (c - a) / (b - a) if b != a else th_a
        okc, gc, th_c = _g_rotating(mode, target, c, th0, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
        if not okc:
            return ST_NO_SOLUTION, NAN, 0.0
        if abs(gc) <= tol_g or abs(b - a) < 1e-13:
            return ST_OK, math.tan(c), th_c
        a, b, ga, gb, side, took_b = illinois_step(a, b, ga, gb, side, c, gc)
        if took_b:
            th_b = th_c
        else:
            th_a = th_c
    return ST_NO_SOLUTION, NAN, 0.0


@jit
def _rel_shape(s, theta, r1x, r1y, r1z, p2x, p2y, p2z, gx, gy, gz, omega, mu):
    """Speed and flight-path angle relative to the Earth of the conic of slope s to the target
    rotated by theta. The angle is signed by the horizontal direction: atan2(radial, +/-
    horizontal), + where the relative horizontal velocity points toward the target (gx, gy, gz:
    the Earth-fixed horizontal unit vector at the burnout point toward it), so an arc leaning
    back, away from the target, has an angle above 90 deg (the sine alone cannot tell the two).
    Returns (ok, |v_rel|, angle rad, time of flight)."""
    ct = math.cos(theta)
    st = math.sin(theta)
    n1, n2, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(
        r1x, r1y, r1z, ct * p2x - st * p2y, st * p2x + ct * p2y, p2z)
    ok, v, tof, a, e, rmax, cn, sn = conic_from_slope(n1, n2, cpsi, spsi, s, mu)
    if not ok:
        return False, NAN, NAN, NAN
    cg = 1.0 / math.sqrt(1.0 + s * s)
    sg = s * cg
    wx = v * (cg * tx + sg * ux) + omega * r1y
    wy = v * (cg * ty + sg * uy) - omega * r1x
    wz = v * (cg * tz + sg * uz)
    vr = wx * ux + wy * uy + wz * uz
    hx = wx - vr * ux
    hy = wy - vr * uy
    hz = wz - vr * uz
    h = math.sqrt(hx * hx + hy * hy + hz * hz)
    if hx * gx + hy * gy + hz * gz < 0.0:
        h = -h
    return True, math.sqrt(wx * wx + wy * wy + wz * wz), math.atan2(vr, h), tof


@jit
def _by_time_eval(mode, target, T, r1x, r1y, r1z, p2x, p2y, p2z, gx, gy, gz, omega, mu):
    """Residual of :func:`_root_by_time` at the time of flight T: the Lambert conic to the target
    turned by omega T, then its relative speed - target (MODE_SPEED) or relative flight-path
    angle - target (rad, MODE_FPA). Returns (ok, residual, s, |v_rel|)."""
    ok, s, f, t_found = _slope_for_time(T, omega * T, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
    if not ok or not abs(t_found - T) <= 1e-6 * T + 1e-3:
        return False, NAN, NAN, NAN
    ok, v, gam, tof = _rel_shape(s, omega * T, r1x, r1y, r1z, p2x, p2y, p2z, gx, gy, gz, omega, mu)
    if not ok:
        return False, NAN, NAN, NAN
    if mode == MODE_SPEED:
        return True, v - target, s, v
    return True, gam - target, s, v


@jit
def _root_by_time(mode, target, high, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu):
    """Robust rotating-Earth search for a flight-path angle relative to the Earth (MODE_FPA,
    ``target`` in rad) or a relative burnout speed (MODE_SPEED, low or high branch): the family
    of arcs that hit the turning target is parametrised by the time of flight T (each T one
    Lambert conic to the target turned by omega T, :func:`_slope_for_time`), which, unlike the
    inertial flight-path angle of :func:`_root_rotating`, never folds back: on steep eastward
    shots the inertial angle of the family reaches a largest value and turns back (the target
    runs away east as the flight grows longer), and on steep westward shots the turned target
    passes the burnout point (the transfer plane flips). T is scanned on a geometric grid up to
    the longest flight the rotating model serves (LONG_FLIGHT_MARGIN), a sign change of the
    residual is refined by the Illinois method, and the arc is made consistent (theta = omega
    t) to THETA_TOL. Roots: MODE_FPA the first in T (the one that becomes the non-rotating arc
    as omega -> 0; a second, slower one exists where the angle falls again); MODE_SPEED the
    first above (high) or the last below (low) the least speed of the grid.

    Returns (status, s, theta). Without a root: ST_ESCAPE where even the non-rotating arc of
    that shape needs escape speed (or an apogee beyond the sphere of influence), ST_OUT_OF_RANGE
    for a speed below the least that reaches the target, else ST_EARTH_TURN (the Earth's turn
    makes the shape unreachable within the model's flights)."""
    n1, n2, cpsi, spsi, ux, uy, uz, gx, gy, gz = plane_geometry(r1x, r1y, r1z, p2x, p2y, p2z)
    if not (spsi > 0.0) or omega == 0.0:
        return ST_NO_SOLUTION, NAN, 0.0
    psi = math.atan2(spsi, cpsi)
    ok0, v0, t0, a0, e0, rm0, c0, s0 = conic_from_slope(n1, n2, cpsi, spsi,
                                                        slope_min_energy(n1, n2, cpsi, spsi), mu)
    if not ok0:
        return ST_NO_SOLUTION, NAN, 0.0
    t_hi = (math.pi - psi) / (LONG_FLIGHT_MARGIN * omega)
    t_lo = 0.02 * t0
    if not (t_hi > t_lo):
        return ST_EARTH_TURN, NAN, 0.0
    ratio = math.exp(math.log(t_hi / t_lo) / (N_TIME_GRID - 1))
    # the grid's residuals; speeds to find the least one (the minimum-energy time)
    res = np.full(N_TIME_GRID, NAN)
    spd = np.full(N_TIME_GRID, NAN)
    times = np.full(N_TIME_GRID, NAN)
    i_min = -1
    i_max = -1
    i_last = -1
    steepest = -math.inf
    T = t_lo
    for i in range(N_TIME_GRID):
        times[i] = T
        ok, g, s, v = _by_time_eval(mode, target, T, r1x, r1y, r1z, p2x, p2y, p2z, gx, gy, gz,
                                    omega, mu)
        if ok:
            res[i] = g
            spd[i] = v
            i_last = i
            if i_min < 0 or v < spd[i_min]:
                i_min = i
            if mode == MODE_FPA:
                # the angle above the horizontal whichever way the arc leans
                lean = min(g + target, math.pi - (g + target))
                if lean > steepest:
                    steepest = lean
                    i_max = i
        T *= ratio
    if i_min < 0:
        return ST_NO_SOLUTION, NAN, 0.0
    # candidate brackets in the order the branch asks for; a sign change may also be a jump of the
    # angle (where the relative horizontal velocity turns across the direction to the target):
    # only a bracket that refines to a true root counts
    found = False
    c = NAN
    if mode == MODE_SPEED and not high:
        first = i_min - 1
        last = -1
        step = -1
    else:
        first = i_min if mode == MODE_SPEED else 0
        last = N_TIME_GRID - 1
        step = 1
    for i in range(first, last, step):
        j = i + 1
        if not (res[i] == res[i] and res[j] == res[j]) or (res[i] > 0.0) == (res[j] > 0.0):
            continue
        ok, c = _refine_by_time(mode, target, times[i], times[j], res[i], res[j], r1x, r1y, r1z,
                                p2x, p2y, p2z, gx, gy, gz, omega, mu)
        if ok:
            found = True
            break
    if not found:
        if mode == MODE_SPEED:
            if target < spd[i_min]:
                return ST_OUT_OF_RANGE, NAN, 0.0
            if not high:
                return ST_NO_SOLUTION, NAN, 0.0  # so fast a low arc would pass below the target
            site = omega * math.sqrt(r1x * r1x + r1y * r1y)
            if target >= math.sqrt(2.0 * mu / n1) - site:
                return ST_ESCAPE, NAN, 0.0
            return ST_EARTH_TURN, NAN, 0.0
        # the angle grows to the longest flights and even the non-rotating arc needs escape
        # speed: escape; it peaks earlier (the target's turn outruns steeper arcs): earth turn
        okf, vf, tf, af, ef, rmf, cf, sf = conic_from_slope(n1, n2, cpsi, spsi, math.tan(target), mu)
        if i_max == i_last and ((not okf and vf * vf * n1 >= 2.0 * mu) or (okf and rmf > EARTH_SOI_M)):
            return ST_ESCAPE, NAN, 0.0
        return ST_EARTH_TURN, NAN, 0.0
    ok, s, f, t_found = _slope_for_time(c, omega * c, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
    # on the family: the conic to the target turned by omega c takes c itself (the Lambert
    # bisection pins the angle to 1e-14 rad). No fixed-point polish: on these steep, long arcs
    # theta = omega t(s, theta) has other roots for the same slope, and a polish can jump to one
    # (a different, shorter arc with a different speed)
    if not ok or not abs(omega * (t_found - c)) <= THETA_TOL * 1e3:
        return ST_NO_CONVERGENCE, NAN, 0.0
    return ST_OK, s, omega * c


@jit
def _refine_by_time(mode, target, a, b, ga, gb, r1x, r1y, r1z, p2x, p2y, p2z, gx, gy, gz, omega, mu):
    """Illinois refinement of a sign change of :func:`_by_time_eval` between the flight times a
    and b (s). Returns (ok, T): ok only for a true root (residual within 1e-9 of the target's
    scale), not for a jump of the residual."""
    side = 0
    tol = 1e-9 * abs(target) if mode == MODE_SPEED else 1e-10
    for _ in range(200):
        c = (a * gb - b * ga) / (gb - ga)
        ok, gc, s, v = _by_time_eval(mode, target, c, r1x, r1y, r1z, p2x, p2y, p2z, gx, gy, gz,
                                     omega, mu)
        if not ok:
            return False, NAN
        if abs(gc) <= tol:
            return True, c
        if abs(b - a) < 1e-13 * b:
            return False, NAN  # the bracket closed on a jump, not a root
        a, b, ga, gb, side, took_b = illinois_step(a, b, ga, gb, side, c, gc)
    return False, NAN


@jit_inline
def _open_status(s, theta, r1x, r1y, r1z, p2x, p2y, p2z, mu):
    """Why the conic of slope s to the target turned by theta is no trajectory: ST_ESCAPE when it
    is open (burnout speed at or above escape speed) or its apogee lies beyond the Earth's sphere
    of influence, else ST_NO_SOLUTION (it dips below the target's radius or misses it)."""
    ct = math.cos(theta)
    st = math.sin(theta)
    n1, n2, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(
        r1x, r1y, r1z, ct * p2x - st * p2y, st * p2x + ct * p2y, p2z)
    ok, v, tof, a, e, rmax, cn, sn = conic_from_slope(n1, n2, cpsi, spsi, s, mu)
    if (not ok and v * v * n1 >= 2.0 * mu) or (ok and rmax > EARTH_SOI_M):
        return ST_ESCAPE
    return ST_NO_SOLUTION


#: status of a pair the lean batch kernel leaves to the full one (core.batch.flight_many): it
#: needs a rarely used solver (see :func:`_solve_full`). Never leaves core.batch.flight_many.
PAIR_DEFERRED = -1


@jit
def _solve_shape(mode, shape_value, high, r1x, r1y, r1z, p2x, p2y, p2z, n1, n2, a, e2, omega, mu, full):
    """Burnout slope s and consistent target rotation theta for a trajectory shape.
    ``full``: True, or None for the lean batch kernel (see :func:`_solve_full`), which leaves to
    the full one the searches of a rotating Earth along a flight-path angle or a speed and the
    minimum-energy pairs where the fast Newton search gives up. Returns (status, s, theta)."""
    s = NAN
    theta = 0.0
    if omega == 0.0:
        n1b, n2b, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(r1x, r1y, r1z, p2x, p2y, p2z)
        if mode == MODE_MIN_ENERGY or mode == MODE_QUASI:
            s = slope_min_energy(n1b, n2b, cpsi, spsi)
        elif mode == MODE_APOGEE:
            # apogee altitude over the surface below it: iterate the reference radius
            rref = 0.5 * (n1 + n2)
            for _ in range(3):
                s = slope_for_apogee(n1b, n2b, cpsi, spsi, rref + shape_value)
                if math.isnan(s):
                    break
                r = _state(s, 0.0, r1x, r1y, r1z, p2x, p2y, p2z, 0.0, mu)
                rref = surface_radius(r[5], r[6], r[7], a, e2)
        elif mode == MODE_FPA:
            s = math.tan(shape_value)
        else:
            s = slope_for_speed(n1b, n2b, cpsi, spsi, shape_value, mu, high)
            if math.isnan(s):
                ok, v_me, tme, am, em, rm, cm, sm = conic_from_slope(
                    n1b, n2b, cpsi, spsi, slope_min_energy(n1b, n2b, cpsi, spsi), mu)
                if v_me > shape_value:
                    return ST_OUT_OF_RANGE, NAN, 0.0  # the speed cannot reach the target
        if math.isnan(s):
            return ST_NO_SOLUTION, NAN, 0.0
    else:
        if mode == MODE_MIN_ENERGY or mode == MODE_QUASI:
            if full is None:
                # the fast Newton search only; where it gives up, the full kernel
                ok, s, theta = _min_energy_fast(r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
                if not ok:
                    return PAIR_DEFERRED, NAN, 0.0
            else:
                ok, s, theta = _min_energy_rotating(r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
                if not ok:
                    return ST_NO_CONVERGENCE, NAN, 0.0
        elif mode == MODE_APOGEE:
            rref = 0.5 * (n1 + n2)
            if rref + shape_value > EARTH_SOI_M:
                return ST_ESCAPE, NAN, 0.0
            n1b, n2b, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(r1x, r1y, r1z, p2x, p2y, p2z)
            # the longest flight the rotating model serves (see LONG_FLIGHT_MARGIN)
            t_long = (math.pi - math.atan2(spsi, cpsi)) / (LONG_FLIGHT_MARGIN * omega)
            ok = False
            for _ in range(60):
                ct = math.cos(theta)
                st = math.sin(theta)
                n1b, n2b, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(
                    r1x, r1y, r1z, ct * p2x - st * p2y, st * p2x + ct * p2y, p2z)
                s = slope_for_apogee(n1b, n2b, cpsi, spsi, rref + shape_value)
                if math.isnan(s):
                    return ST_NO_SOLUTION, NAN, 0.0
                r = _state(s, theta, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
                if not r[0]:
                    return ST_NO_SOLUTION, NAN, 0.0
                if r[1] > t_long:
                    # hours aloft: the target turns toward the antipode (and the fixed point
                    # iteration on theta no longer contracts)
                    return ST_EARTH_TURN, NAN, 0.0
                rref = surface_radius(r[5], r[6], r[7], a, e2)
                new = omega * r[1]
                if abs(new - theta) < THETA_TOL:
                    ok = True
                    break
                theta = new
            if not ok:
                return ST_NO_CONVERGENCE, NAN, 0.0
        else:
            if full is None:
                return PAIR_DEFERRED, NAN, 0.0
            n1b, n2b, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(r1x, r1y, r1z, p2x, p2y, p2z)
            if mode == MODE_FPA:
                s0 = math.tan(shape_value)
                code, s, theta = _fpa_rotating(math.sin(shape_value), s0, r1x, r1y, r1z, p2x, p2y, p2z,
                                               omega, mu)
                if code != ST_OK:
                    code, s, theta = _root_rotating(MODE_FPA, math.sin(shape_value), high, s0,
                                                    r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
            else:
                s0 = slope_for_speed(n1b, n2b, cpsi, spsi, shape_value, mu, high)
                if math.isnan(s0):
                    # start from the (nearly equal) non-rotating minimum-energy slope: the
                    # search itself decides whether the relative speed suffices
                    s0 = slope_min_energy(n1b, n2b, cpsi, spsi) + (0.05 if high else -0.05)
                code, s, theta = _root_rotating(MODE_SPEED, shape_value, high, s0,
                                                r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
            if code != ST_OK:
                return code, NAN, 0.0
    return ST_OK, s, theta


@jit
def _solve_preset(mode, limit, v_max, r1x, r1y, r1z, p2x, p2y, p2z, n1, n2, a, e2, omega, mu):
    """The depressed / lofted preset (MODE_DEPRESSED, MODE_LOFTED): the class's full burnout
    speed v_max (relative to the Earth) on the low / high branch, with the burnout flight-path
    angle relative to the Earth held at or above the floor ``limit`` (depressed) or at or below
    the ceiling LOFTED_CEILING_RAD (lofted): where full speed would cross that angle, the arc at
    the angle itself, flown below full speed. (The floor, 0: no burnout diving, is the same in
    the inertial angle that parametrises the conic family, since the Earth's turn adds no
    radial velocity.) Where v_max is (to 1e-9) the minimum-energy speed the branches meet and
    the preset is the minimum-energy arc. Returns (status, s, theta)."""
    status, s_me, th_me = _solve_shape(MODE_MIN_ENERGY, 0.0, False, r1x, r1y, r1z, p2x, p2y, p2z,
                                       n1, n2, a, e2, omega, mu, True)
    if status != ST_OK:
        return status, NAN, 0.0
    r = _state(s_me, th_me, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
    if not r[0]:
        return ST_NO_SOLUTION, NAN, 0.0
    v_me = math.sqrt(r[2])
    if v_me > v_max * (1.0 + 1e-8):
        return ST_OUT_OF_RANGE, NAN, 0.0
    if v_me >= v_max * (1.0 - 1e-9):
        return ST_OK, s_me, th_me
    gam_me = math.atan(s_me)
    if mode == MODE_LOFTED:
        if omega != 0.0:
            # fast path: the arc at the ceiling (one root search); if it needs no more than full
            # speed it is the preset, else full speed lies between it and the minimum
            st_c, s_c, th_c = _solve_shape(MODE_FPA, LOFTED_CEILING_RAD, False, r1x, r1y, r1z, p2x, p2y, p2z,
                                           n1, n2, a, e2, omega, mu, True)
            if st_c == ST_OK and math.atan(s_c) > gam_me:
                gam_c = math.atan(s_c)
                ok_c, g_c, th_c = _g_rotating(MODE_SPEED, v_max, gam_c, th_c, r1x, r1y, r1z, p2x, p2y, p2z,
                                              omega, mu)
                if ok_c and g_c <= 0.0:
                    return ST_OK, s_c, th_c
                if ok_c:
                    st_v, s_v, th_v = _bracketed_rotating(MODE_SPEED, v_max, gam_me, gam_c, v_me - v_max, g_c,
                                                          th_me, th_c, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
                    if st_v == ST_OK:
                        return st_v, s_v, th_v
            # the careful path: step up from the minimum carrying the Earth's turn along
            return _loft_rotating(v_max, v_me, gam_me, th_me, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
        # the ceiling is on the burnout angle (the missile's pitch): if the ceiling arc needs
        # no more than full speed, full speed would burn out steeper, and the preset is that arc
        s_c = math.tan(LOFTED_CEILING_RAD)
        ok_c, g_c, th_c = _g_rotating(MODE_SPEED, v_max, LOFTED_CEILING_RAD, 0.0, r1x, r1y, r1z, p2x, p2y, p2z,
                                      omega, mu)
        if ok_c and g_c <= 0.0:
            return ST_OK, s_c, 0.0
        return _solve_shape(MODE_SPEED, v_max, True, r1x, r1y, r1z, p2x, p2y, p2z, n1, n2, a, e2, omega, mu,
                            True)
    # depressed: the floor (0: no burnout diving) is the same inertial and relative to the Earth,
    # since the Earth's turn adds no radial velocity
    ok_l, g_l, th_l = _g_rotating(MODE_SPEED, v_max, limit, th_me, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
    if ok_l and g_l <= 0.0:
        return ST_OK, math.tan(limit), th_l
    if omega == 0.0:
        return _solve_shape(MODE_SPEED, v_max, False, r1x, r1y, r1z, p2x, p2y, p2z, n1, n2, a, e2, omega, mu,
                            True)
    if ok_l:
        return _bracketed_rotating(MODE_SPEED, v_max, limit, gam_me, g_l, v_me - v_max, th_l, th_me,
                                   r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
    return _root_rotating(MODE_SPEED, v_max, False, math.tan(gam_me - PRESET_START_RAD), r1x, r1y, r1z,
                          p2x, p2y, p2z, omega, mu)


@jit
def _loft_rotating(v_max, v_me, gam_me, th_me, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu):
    """The lofted preset on the rotating Earth: from the minimum-energy angle up, in steps that
    carry the Earth's turn along (each arc's rotation starts from the last one's), until the arc
    needs full speed or burns out at the ceiling angle relative to the Earth, whichever comes
    first; then the crossing is solved on that step. Where the family of arcs ends first (the
    Earth's turn during the steep flight carries the target past the launch point: westward
    shots shorter than the ground's drift during the flight), ST_EARTH_TURN.
    Returns (status, s, theta)."""
    half = 0.5 * math.pi - 1e-9
    sin_c = math.sin(LOFTED_CEILING_RAD)
    a = gam_me
    gv_a = v_me - v_max
    ok, gf_a, th_a = _g_rotating(MODE_FPA, sin_c, a, th_me, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
    if not ok:
        return ST_EARTH_TURN, NAN, 0.0
    step = 0.02
    for _ in range(400):
        b = min(a + step, half)
        ok, gv_b, th_b = _g_rotating(MODE_SPEED, v_max, b, th_a, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
        if ok:
            ok, gf_b, th_b = _g_rotating(MODE_FPA, sin_c, b, th_b, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
        if not ok or abs(th_b - th_a) > 0.2:
            # past the end of the family, or a jump to another rotation: a smaller step
            if step < 1e-7:
                return ST_EARTH_TURN, NAN, 0.0
            step *= 0.25
            continue
        if gv_b >= 0.0 or gf_b >= 0.0:
            st_v = ST_NO_SOLUTION
            s_v = NAN
            if gv_b >= 0.0:
                st_v, s_v, t_v = _bracketed_rotating(MODE_SPEED, v_max, a, b, gv_a, gv_b, th_a, th_b,
                                                     r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
            if gf_b >= 0.0:
                st_f, s_f, t_f = _bracketed_rotating(MODE_FPA, sin_c, a, b, gf_a, gf_b, th_a, th_b,
                                                     r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
                if st_f == ST_OK and (st_v != ST_OK or s_f < s_v):
                    return ST_OK, s_f, t_f
            if st_v == ST_OK:
                return ST_OK, s_v, t_v
            return ST_EARTH_TURN, NAN, 0.0
        if b >= half:
            return ST_EARTH_TURN, NAN, 0.0
        a = b
        gv_a = gv_b
        gf_a = gf_b
        th_a = th_b
        step = min(2.0 * step, 0.05)
    return ST_EARTH_TURN, NAN, 0.0


@jit
def _solve_full(mode, shape_value, high, r1x, r1y, r1z, p2x, p2y, p2z, n1, n2, a, e2, omega, mu, v_max, full):
    """_solve_shape plus the presets (:func:`_solve_preset`) and the quasi-ballistic rule:
    minimum energy, re-solved with the apogee capped at shape_value when the minimum-energy
    apogee is higher. ``full``: True, or None for the lean batch kernel, which leaves the pairs
    needing a rarely used solver (the presets, the search over the time of flight
    :func:`_root_by_time`, the searches of a rotating Earth along a flight-path angle or a speed
    and :func:`_min_energy_rotating` past its fast Newton search: :func:`_solve_shape`) to the
    full kernel with status PAIR_DEFERRED: numba drops the branch
    ``full is None`` (or its alternative) when it compiles for a None or a bool, so the lean
    kernel's call tree holds neither solver. Returns (status, s, theta)."""
    if mode == MODE_DEPRESSED or mode == MODE_LOFTED:
        if full is None:
            return PAIR_DEFERRED, NAN, 0.0
        return _solve_preset(mode, shape_value, v_max, r1x, r1y, r1z, p2x, p2y, p2z, n1, n2, a, e2,
                             omega, mu)
    if mode == MODE_ME_FPA and omega != 0.0:
        # the least-burn angle (30-56 deg): the joint Newton iteration, else the general path
        status, s, theta = _fpa_newton(math.sin(shape_value), math.tan(shape_value), r1x, r1y, r1z,
                                       p2x, p2y, p2z, omega, mu)
        if status == ST_OK:
            return status, s, theta
    if mode == MODE_LOFTED_FPA or mode == MODE_ME_FPA:
        status, s, theta = _solve_shape(MODE_FPA, shape_value, False, r1x, r1y, r1z, p2x, p2y, p2z,
                                        n1, n2, a, e2, omega, mu, full)
        if status == PAIR_DEFERRED:
            return status, s, theta
        if status == ST_OK and omega != 0.0:
            # the bracketed search can close on a jump of the consistent rotation (a westward
            # short shot whose inertial velocity would have to lean away from the target): the
            # arc found must burn out at the angle, else no conic of that angle reaches the target
            r = _state(s, theta, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
            if not (r[0] and abs(r[3] / math.sqrt(r[2]) - math.sin(shape_value)) < 1e-8):
                status = ST_NO_SOLUTION
        if status == ST_OK:
            return status, s, theta
        if mode == MODE_ME_FPA:
            return _solve_shape(MODE_MIN_ENERGY, 0.0, False, r1x, r1y, r1z, p2x, p2y, p2z,
                                n1, n2, a, e2, omega, mu, full)
        if full is None:
            return PAIR_DEFERRED, NAN, 0.0
        return _solve_preset(MODE_LOFTED, 0.0, v_max, r1x, r1y, r1z, p2x, p2y, p2z, n1, n2, a, e2,
                             omega, mu)
    base_mode = MODE_MIN_ENERGY if mode == MODE_QUASI else mode
    status, s, theta = _solve_shape(base_mode, shape_value, high, r1x, r1y, r1z, p2x, p2y, p2z,
                                    n1, n2, a, e2, omega, mu, full)
    if (omega != 0.0 and (mode == MODE_FPA or mode == MODE_SPEED)
            and (status == ST_NO_SOLUTION or status == ST_NO_CONVERGENCE)):
        # the searches along the inertial angle lost the family (it folds back on steep eastward
        # shots, its plane flips on steep westward ones, or the start lies off it): search over
        # the time of flight, which says why where no arc exists. (The presets keep their own
        # searches: docs/model.md.)
        if full is None:
            return PAIR_DEFERRED, NAN, 0.0
        status, s, theta = _root_by_time(mode, shape_value, high, r1x, r1y, r1z, p2x, p2y, p2z,
                                         omega, mu)
    if status == ST_OK and mode == MODE_QUASI:
        r = _state(s, theta, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
        if r[0] and r[4] - surface_radius(r[5], r[6], r[7], a, e2) > shape_value:
            status, s, theta = _solve_shape(MODE_APOGEE, shape_value, high, r1x, r1y, r1z,
                                            p2x, p2y, p2z, n1, n2, a, e2, omega, mu, full)
    return status, s, theta


@jit
def burnout_point(u1x, u1y, u1z, u2x, u2y, u2z, n1, a, e2, h_bo, d_bo):
    """Burnout position (ECEF, m): d_bo (m) downrange from the launch direction u1 toward the
    target direction u2 on their great circle, h_bo above the ellipsoid along the radius."""
    rb, bx, by, bz = burnout_radius_dir(u1x, u1y, u1z, u2x, u2y, u2z, n1, a, e2, h_bo, d_bo)
    return rb * bx, rb * by, rb * bz


@jit_inline
def burnout_radius_dir(u1x, u1y, u1z, u2x, u2y, u2z, n1, a, e2, h_bo, d_bo):
    """:func:`burnout_point` as its geocentric radius (m) and unit direction."""
    delta = d_bo / n1
    if delta > 0.0:
        bx, by, bz = rotate_toward(u1x, u1y, u1z, u2x, u2y, u2z, delta)
    else:
        bx, by, bz = u1x, u1y, u1z
    if h_bo == 0.0 and delta == 0.0:
        return n1, bx, by, bz  # burnout at the launch point
    return surface_radius(bx, by, bz, a, e2) + h_bo, bx, by, bz


@jit_inline
def _pair_frame(lat1, lon1, lat2, lon2, a, e2):
    """Launch and target points (ECEF, m) in the frame turned about the polar axis so that the
    launch point lies on the prime meridian. Every output of a pair is unchanged by that turn
    (the Earth's spin axis is the polar axis), and it saves two trigonometric calls.
    Returns (sin lat1, cos lat1, sin lat2, cos lat2, lon2 - lon1, x1, z1, x2, y2, z2, |p1|, |p2|)."""
    s1 = math.sin(lat1)
    c1 = math.cos(lat1)
    s2 = math.sin(lat2)
    c2 = math.cos(lat2)
    dlon = lon2 - lon1
    p1x, p1y, p1z = ecef_sc(s1, c1, 1.0, 0.0, a, e2)
    p2x, p2y, p2z = ecef_sc(s2, c2, math.cos(dlon), math.sin(dlon), a, e2)
    n1 = math.sqrt(p1x * p1x + p1z * p1z)
    n2 = math.sqrt(p2x * p2x + p2y * p2y + p2z * p2z)
    return s1, c1, s2, c2, dlon, p1x, p1z, p2x, p2y, p2z, n1, n2


@jit_inline
def unpack(params):
    """The scalars of a packed parameter array, in the order :func:`pair_flight` takes them
    (before the table): (a, e2, f, omega, mu, mode, shape_value, high, t_boost, h_bo, d_bo,
    v_max, min_range, max_range, v_lo, v_step, g_lo, g_step)."""
    return (params[P_A], params[P_E2], params[P_F], params[P_OMEGA], params[P_MU],
            int(params[P_MODE]), params[P_SHAPE], params[P_HIGH] != 0.0, params[P_T_BOOST],
            params[P_H_BO], params[P_D_BO], params[P_V_MAX], params[P_MIN_RANGE],
            params[P_MAX_RANGE], params[P_V_LO], params[P_V_STEP], params[P_G_LO],
            params[P_G_STEP])


@jit
def solve_pair(lat1, lon1, lat2, lon2, params, table):
    """Flight of one pair (angles in rad) for a packed parameter array and its drag-delay
    table: :func:`pair_flight` with the parameters unpacked."""
    (a, e2, f, omega, mu, mode, shape_value, high, t_boost, h_bo, d_bo, v_max, min_range,
     max_range, v_lo, v_step, g_lo, g_step) = unpack(params)
    return pair_flight(lat1, lon1, lat2, lon2, a, e2, f, omega, mu, mode, shape_value, high,
                       t_boost, h_bo, d_bo, v_max, min_range, max_range, table, v_lo, v_step,
                       g_lo, g_step, params)


@jit
def quasi_flyout_row(ground, t_boost, table):
    """Flight of a MODE_QUASI_FLYOUT class at a ground range (m) from its flight table (rows
    QT_*): every row interpolated linearly between the two nodes around the range; beyond the
    last node the flight time is extrapolated along the last interval and the other rows are
    held at their end values (so the burnout speed never exceeds the table's). Returns the
    pair_flight tuple, with no drag delay (0)."""
    n = table.shape[1]
    x0 = table[QT_RANGE, 0]
    dx = table[QT_RANGE, 1] - x0
    f = (ground - x0) / dx
    i = int(math.floor(f))
    if i < 0:
        i = 0
    if i > n - 2:
        i = n - 2
    w = f - i
    wc = min(max(w, 0.0), 1.0)
    t = table[QT_TIME, i] + w * (table[QT_TIME, i + 1] - table[QT_TIME, i])
    apo = table[QT_APOGEE, i] + wc * (table[QT_APOGEE, i + 1] - table[QT_APOGEE, i])
    vbo = table[QT_V_BO, i] + wc * (table[QT_V_BO, i + 1] - table[QT_V_BO, i])
    vimp = table[QT_V_IMP, i] + wc * (table[QT_V_IMP, i + 1] - table[QT_V_IMP, i])
    gimp = table[QT_G_IMP, i] + wc * (table[QT_G_IMP, i + 1] - table[QT_G_IMP, i])
    return (ST_OK, t, ground, apo, vbo, t - t_boost, vimp, gimp, 0.0)


@jit
def boost_at(params, ground):
    """The boost table's burnout state at a total ground range (m), interpolated linearly between
    the two nodes around it and held at the end nodes outside them: (burn time s, burnout
    altitude m, downrange m, flight-path angle rad, speed m/s, added time s)."""
    n = int(params[P_BT_N])
    f = (ground - params[P_BT_X0]) / params[P_BT_DX]
    i = int(math.floor(f))
    if i < 0:
        i = 0
    if i > n - 2:
        i = n - 2
    w = min(max(f - i, 0.0), 1.0)
    return (_lerp(params, N_PARAMS + BT_T * n + i, w), _lerp(params, N_PARAMS + BT_H * n + i, w),
            _lerp(params, N_PARAMS + BT_D * n + i, w), _lerp(params, N_PARAMS + BT_GAM * n + i, w),
            _lerp(params, N_PARAMS + BT_V * n + i, w), _lerp(params, N_PARAMS + BT_DT * n + i, w))


@jit_inline
def _lerp(x, j, w):
    return x[j] + w * (x[j + 1] - x[j])


@jit
def effective_shape(params, ground, mode, shape_value, high, t_boost, h_bo, d_bo, v_max):
    """The shape and boost a pair at total ground range ``ground`` (m) flies: the packed ones,
    or, for a class with a range-dependent boost table (P_BT_N > 1), the table's burnout state
    at that range. Minimum energy then flies the table's flight-path angle (the vehicle's
    least-burn shot, MODE_ME_FPA) and 'lofted' the table's speed (the vehicle's full-burn speed on
    the lofted branch, in place of the class limit) or, for a burnout inside the atmosphere,
    where drag after burnout makes the speed no vacuum speed, the table's flight-path angle;
    each with the table's added time (s). 'depressed' flies the full-burn depressed arc (the
    packed full-burn boost, the preset's rule) inside the ground-range interval
    [P_DEP_LO, P_DEP_HI] where that arc is the faster by a margin, and the least-burn
    minimum-energy shot elsewhere (docs/model.md "Range-dependent boost").
    Returns (mode, shape_value, high, t_boost, h_bo, d_bo, v_max, added time s)."""
    if params[P_BT_N] < 2.0 or mode == MODE_QUASI_FLYOUT:
        return mode, shape_value, high, t_boost, h_bo, d_bo, v_max, 0.0
    if mode == MODE_DEPRESSED and params[P_DEP_LO] <= ground <= params[P_DEP_HI]:
        return mode, shape_value, high, t_boost, h_bo, d_bo, v_max, 0.0
    t, h, d, gam, v, dt = boost_at(params, ground)
    if mode == MODE_DEPRESSED and not math.isnan(gam):
        return MODE_ME_FPA, gam, False, t, h, d, v_max, dt
    if mode == MODE_MIN_ENERGY and not math.isnan(gam):
        return MODE_ME_FPA, gam, False, t, h, d, v_max, dt
    if mode == MODE_LOFTED and not math.isnan(gam):
        return MODE_LOFTED_FPA, gam, False, t, h, d, v, dt
    if mode == MODE_LOFTED and not math.isnan(v):
        return mode, shape_value, high, t, h, d, v, dt
    return mode, shape_value, high, t, h, d, v_max, 0.0


@jit
def pair_flight(lat1, lon1, lat2, lon2, a, e2, f, omega, mu, mode, shape_value, high,
                t_boost, h_bo, d_bo, v_max, min_range, max_range, table, v_lo, v_step,
                g_lo, g_step, params):
    """Flight of one pair (angles in rad, lengths in m) from unpacked parameters: the form the
    batch loops call after unpacking once. Returns
    (status, flight_time_s, ground_range_m, apogee_m, burnout_speed_m_s, free_flight_s,
     impact_speed_m_s, impact_angle_rad, drag_delay_s)."""
    return pair_flight_with(lat1, lon1, lat2, lon2, a, e2, f, omega, mu, mode, shape_value, high,
                            t_boost, h_bo, d_bo, v_max, min_range, max_range, table, v_lo, v_step,
                            g_lo, g_step, params, True)


@jit
def pair_flight_with(lat1, lon1, lat2, lon2, a, e2, f, omega, mu, mode, shape_value, high,
                     t_boost, h_bo, d_bo, v_max, min_range, max_range, table, v_lo, v_step,
                     g_lo, g_step, params, full):
    """:func:`pair_flight`, or with ``full=None`` its lean form (:func:`_solve_full`)."""
    bad = (ST_BAD_INPUT, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN)
    if not (abs(lat1) <= 0.5 * math.pi and abs(lat2) <= 0.5 * math.pi):
        return bad
    if not (abs(lon1) <= 2.0 * math.pi and abs(lon2) <= 2.0 * math.pi):
        return bad
    s1, c1, s2, c2, dlon, p1x, p1z, p2x, p2y, p2z, n1, n2 = _pair_frame(lat1, lon1, lat2, lon2, a, e2)
    u1x = p1x / n1
    u1y = 0.0
    u1z = p1z / n1
    u2x = p2x / n2
    u2y = p2y / n2
    u2z = p2z / n2
    psi_tot = central_angle(u1x, u1y, u1z, u2x, u2y, u2z)
    if e2 == 0.0:
        ground = a * psi_tot  # great-circle distance on the sphere (same as haversine)
    else:
        ground = vincenty_sc(s1, c1, s2, c2, dlon, a, f)
    if psi_tot < 1e-7 or psi_tot > math.pi - max(1e-3, omega * ANTIPODE_T_S):
        return (ST_DEGENERATE, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    if math.isnan(ground):
        return (ST_NO_CONVERGENCE, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    if ground < min_range:
        return (ST_BELOW_MIN, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    if (mode == MODE_QUASI or mode == MODE_QUASI_FLYOUT) and ground > max_range:
        # quasi-ballistic classes glide: their reach is their published ground range, not the
        # burnout speed of a vacuum conic
        return (ST_OUT_OF_RANGE, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    if mode == MODE_QUASI_FLYOUT:
        return quasi_flyout_row(ground, t_boost, table)
    mode, shape_value, high, t_boost, h_bo, d_bo, v_max, added = effective_shape(
        params, ground, mode, shape_value, high, t_boost, h_bo, d_bo, v_max)
    # burnout point
    if d_bo / n1 >= 0.9 * psi_tot:
        return (ST_BELOW_MIN, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    rb, bx, by, bz = burnout_radius_dir(u1x, u1y, u1z, u2x, u2y, u2z, n1, a, e2, h_bo, d_bo)
    r1x = rb * bx
    r1y = rb * by
    r1z = rb * bz
    theta = 0.0
    if omega == 0.0 and mode == MODE_MIN_ENERGY:
        # the common closed-form case: one transfer geometry serves the slope and the state
        g = plane_from_units(rb, bx, by, bz, n2, u2x, u2y, u2z)
        s = slope_min_energy(g[0], g[1], g[2], g[3])
        r = _state_g(s, g[0], g[1], g[2], g[3], g[4], g[5],
                     g[6], g[7], g[8], g[9], r1x, r1y, 0.0, mu)
    else:
        status, s, theta = _solve_full(mode, shape_value, high, r1x, r1y, r1z, p2x, p2y, p2z,
                                       n1, n2, a, e2, omega, mu, v_max, full)
        if status != ST_OK:
            return (status, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
        r = _state(s, theta, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
    if not r[0]:
        # no closed arc of the solved shape: escape speed (or beyond the sphere of influence),
        # or an arc that misses the target
        return (_open_status(s, theta, r1x, r1y, r1z, p2x, p2y, p2z, mu), NAN, ground, NAN, NAN, NAN,
                NAN, NAN, NAN)
    if r[4] > EARTH_SOI_M:
        # a closed conic so near escape speed that its apogee leaves the Earth's sphere of
        # influence: its two-body time (up to ~1e27 s at the edge) is no flight time
        return (ST_ESCAPE, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    tof = r[1]
    if omega != 0.0 and psi_tot + LONG_FLIGHT_MARGIN * omega * tof > math.pi:
        # a flight so long that the target turns past the antipode: see LONG_FLIGHT_MARGIN
        return (ST_EARTH_TURN, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    vrel = math.sqrt(r[2])
    apo = r[4] - surface_radius(r[5], r[6], r[7], a, e2)
    if mode != MODE_QUASI and vrel > v_max * (1.0 + 1e-8):
        return (ST_OUT_OF_RANGE, NAN, ground, NAN, vrel, NAN, NAN, NAN, NAN)
    v_imp = r[8]
    g_imp = math.acos(r[9])
    delay = interp_delay(table, v_lo, v_step, g_lo, g_step, v_imp, g_imp) if table.shape[0] > 0 else 0.0
    # a boost table's added time (atmosphere after burnout) counts with the drag delay
    delay += added
    return (ST_OK, t_boost + tof + delay, ground, apo, vrel, tof, v_imp, g_imp, delay)


@jit
def burnout_state(lat1, lon1, lat2, lon2, a, e2, omega, mu, mode, shape_value, high, h_bo, d_bo, v_max=math.inf):
    """Burnout position (ECEF, m) and velocity relative to the Earth (m/s) of the solved
    trajectory, its free-flight time (s) and status: the state the tests integrate
    independently. Returns (status, rx, ry, rz, vx, vy, vz, tof).

    Solved in the frame of :func:`solve_pair` (launch point on the prime meridian), so the two
    agree to the last bit, then turned back by the launch longitude."""
    s1, c1, s2, c2, dlon, p1x, p1z, p2x, p2y, p2z, n1, n2 = _pair_frame(lat1, lon1, lat2, lon2, a, e2)
    r1x, r1y, r1z = burnout_point(p1x / n1, 0.0, p1z / n1, p2x / n2, p2y / n2, p2z / n2, n1, a, e2,
                                  h_bo, d_bo)
    status, s, theta = _solve_full(mode, shape_value, high, r1x, r1y, r1z, p2x, p2y, p2z,
                                   n1, n2, a, e2, omega, mu, v_max, True)
    if status != ST_OK:
        return status, NAN, NAN, NAN, NAN, NAN, NAN, NAN
    if theta == 0.0:
        qx, qy = p2x, p2y
    else:
        qx = math.cos(theta) * p2x - math.sin(theta) * p2y
        qy = math.sin(theta) * p2x + math.cos(theta) * p2y
    nn1, nn2, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(r1x, r1y, r1z, qx, qy, p2z)
    ok, v, tof, aa, e, rmax, cn, sn = conic_from_slope(nn1, nn2, cpsi, spsi, s, mu)
    cg = 1.0 / math.sqrt(1.0 + s * s)
    sg = s * cg
    vx = v * (cg * tx + sg * ux) + omega * r1y
    vy = v * (cg * ty + sg * uy) - omega * r1x
    vz = v * (cg * tz + sg * uz)
    # back to the true longitude
    cl = math.cos(lon1)
    sl = math.sin(lon1)
    return (ST_OK, cl * r1x - sl * r1y, sl * r1x + cl * r1y, r1z, cl * vx - sl * vy,
            sl * vx + cl * vy, vz, tof)
