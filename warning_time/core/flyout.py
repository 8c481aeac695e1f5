"""3-DOF flyout: numerical point-mass trajectories in the Earth-fixed frame (numba).

Equations of motion (state: ECEF position r, velocity relative to the Earth v, mass m):

    r' = v
    v' = g_J2(r) - 2 w x v - w x (w x r) + (T(t) e_T - D) / m,     m' = -mdot (burning)

- Gravity: point mass plus the J2 zonal term (Vallado, *Fundamentals of Astrodynamics and
  Applications*, 4th ed., eq. 8-30; WGS84 J2 = 1.08263e-3, NIMA TR8350.2 Table 3.1 gives
  C20 = -4.84166e-4, J2 = -sqrt(5) C20):
  g = -mu r/|r|^3 [1 + 3/2 J2 (Re/|r|)^2 (1 - 5 z^2/|r|^2)] for x, y and [... (3 - 5 z^2/|r|^2)] for z.
- Rotating frame: Coriolis -2 w x v and centrifugal -w x (w x r), w = (0, 0, omega).
- Atmosphere: US Standard Atmosphere 1976 (core/atmosphere.py), co-rotating with the Earth, so
  the airspeed is |v|. Drag D = 1/2 rho |v| v C_D(M) A during boost and for bodies without a
  ballistic coefficient; D/m = rho |v| v / (2 beta) for a reentering body with ballistic
  coefficient beta = m / (C_D A).
- Thrust along e_T: T = F_vac - p(h) A_e = mdot g0 Isp_vac - p A_e (Sutton & Biblarz, *Rocket
  Propulsion Elements*, 7th ed., eq. 2-14), never negative.
- Steering (as in G. Forden's GUI_Missile_Flyout, Science & Global Security 15, 2007): vertical
  (geodetic up at the launch site) for t_vertical seconds, then for t_kick seconds the thrust
  is held at the kick angle eta from the Earth-relative velocity, pitched toward the launch
  azimuth, then a gravity turn (thrust along the velocity). eta is the loft parameter (small
  eta = lofted, large = depressed). Range can also be set by a thrust
  cut-off time (the engine stops early; Scud-class range control).
- Staging: each stage burns at a constant mass flow for its burn time, then drops its dry mass
  (and optionally coasts) before the next ignites; an optional shroud is dropped at a given
  time. After burnout (or cut-off) an optional reentry vehicle of given mass separates.

Integrator: Dormand-Prince 5(4) (Dormand & Prince, J. Comput. Appl. Math. 6, 1980; Hairer,
Norsett & Wanner, *Solving ODEs I*, table 5.2) with FSAL, adaptive steps on a mixed error norm
(rtol on every component, atol = rtol x 1 m, rtol x 10 m/s), restarted at every discontinuity
(pitch program, stage events, cut-off). Events (ground impact, apogee, descending crossing of
the reentry altitude) are located on the cubic Hermite interpolant of each accepted step by
the Illinois method. Altitudes are geocentric-radial heights above the ellipsoid,
|r| - R_surface(r/|r|): zero exactly on the ellipsoid, within a metre of the geodetic height
below 1,000 km.

Every flyout returns a status; nothing raises. Array layouts are documented with their index
constants below.
"""
import math

import numpy as np

from ._jit import jit, pjit, prange
from .atmosphere import us76
from .geodesy import ecef_to_geodetic, geodetic_to_ecef, north_east, sphere_unit, surface_radius, vincenty_inverse_m
from .roots import illinois_step
# status codes from the one table (0-5 shared with the analytic core, 10-14 the flyout's own)
from .status import (BAD_INPUT as ST_BAD_INPUT, BELOW_MIN_RANGE as ST_BELOW_MIN, CRASH as ST_CRASH,
                     MAX_STEPS as ST_MAX_STEPS, NO_CONVERGENCE as ST_NO_CONVERGENCE, NO_IMPACT as ST_NO_IMPACT,
                     NO_SOLUTION as ST_NO_SOLUTION, NOT_FINITE as ST_NOT_FINITE, OK as ST_OK,
                     OUT_OF_RANGE as ST_OUT_OF_RANGE, STEP_UNDERFLOW as ST_STEP_UNDERFLOW)

NAN = math.nan

# ------------------------------------------------------------------------------------------
# options array P
# ------------------------------------------------------------------------------------------
P_MU = 0
P_J2 = 1
P_RE = 2          # J2 reference radius (m)
P_OMEGA = 3
P_A = 4           # ellipsoid semi-major axis (m)
P_E2 = 5          # ellipsoid first eccentricity squared
P_ATM = 6         # 1.0: US76 atmosphere (drag and back-pressure); 0.0: vacuum
P_H_REENTRY = 7   # altitude (m) of the reentry event
P_RTOL = 8
P_TMAX = 9        # give up after this flight time (s)
P_MAXSTEPS = 10
N_P = 11

# vehicle stage table S (n_stages, N_S)
S_MDOT = 0        # kg/s
S_TBURN = 1       # s
S_FVAC = 2        # vacuum thrust (N)
S_AE = 3          # nozzle exit area (m^2)
S_DROP = 4        # mass dropped at the end of the stage (kg)
S_AREA = 5        # drag reference area while this stage flies (m^2)
S_COAST = 6       # coast after the stage before the next ignites (s)
N_S = 7

# vehicle globals G
G_M0 = 0          # lift-off mass (kg)
G_TVERT = 1       # vertical rise (s)
G_TKICK = 2       # pitch-over duration (s)
G_BETA = 3        # ballistic coefficient of the body after burnout (kg/m^2); inf: C_D table
G_AREA = 4        # drag reference area after burnout (m^2), used with the C_D table
G_MRV = 5         # mass after burnout if a reentry vehicle separates (kg); 0: no separation
G_MSHROUD = 6     # shroud mass (kg)
G_TSHROUD = 7     # shroud drop time (s)
G_KICK_MIN = 8    # search bounds for the kick angle (rad)
G_KICK_MAX = 9
# lifting body after burnout (all 0 for a non-lifting vehicle: no lift term at all)
G_LD = 10         # lift-to-drag ratio at full command (0: no lift)
G_HCAP = 11       # apogee cap of the pull-down (m)
G_GLIDE = 12      # glide flight-path angle held on the descent (rad, negative down)
G_VDIVE = 13      # airspeed below which the glide ends and the terminal dive begins (m/s)
G_DIVE = 14       # terminal dive flight-path angle (rad, negative down)
N_G = 15

# phase array Q (built per segment)
Q_FVAC = 0
Q_AE = 1
Q_MDOT = 2
Q_MODE = 3        # 0 vertical, 1 pitch-over, 2 gravity turn, 3 unpowered
Q_AREA = 4
Q_INVBETA = 5     # > 0: drag from the ballistic coefficient
Q_UP = 6          # 6, 7, 8: launch-site up
Q_HOR = 9         # 9, 10, 11: launch-plane horizontal
Q_TVERT = 12
Q_KICK = 13       # kick angle (rad) between thrust and velocity during the pitch-over
Q_LD = 14         # lift-to-drag ratio at full command (0: no lift; unpowered flight only)
Q_HCAP = 15       # 15-18: G_HCAP, G_GLIDE, G_VDIVE, G_DIVE of the lift guidance
Q_GLIDE = 16
Q_VDIVE = 17
Q_DIVE = 18
N_Q = 19

#: lift guidance (:func:`lift_command`): width of the apogee-cap pull-down ramp (m) and the
#: gain of the flight-path-angle hold (command 1 at this angle error, rad), both (D)
LIFT_CAP_BAND_M = 2000.0
LIFT_GAMMA_BAND_RAD = math.radians(5.0)

# output row of one flyout
O_STATUS = 0
O_T_IMPACT = 1
O_LAT = 2         # impact geodetic latitude (rad)
O_LON = 3         # impact longitude (rad)
O_RANGE = 4       # ground range launch -> impact (m; geodesic on the ellipsoid)
O_APOGEE = 5      # apogee altitude (m)
O_T_APOGEE = 6
O_T_BURNOUT = 7
O_H_BURNOUT = 8   # burnout altitude (m)
O_V_BURNOUT = 9   # burnout speed relative to the Earth (m/s)
O_FPA_BURNOUT = 10  # burnout flight-path angle above the local horizontal (rad, relative)
O_D_BURNOUT = 11  # ground range launch -> burnout sub-point (m)
O_R_BURNOUT = 12  # 12, 13, 14: burnout position (ECEF, m)
O_VEL_BURNOUT = 15  # 15, 16, 17: burnout velocity relative to the Earth (m/s)
O_M_BURNOUT = 18
O_T_REENTRY = 19  # descending crossing of the reentry altitude (s), NaN if never above it
O_V_IMPACT = 20   # impact speed relative to the Earth (m/s)
O_G_IMPACT = 21   # impact angle below the local horizontal (rad)
O_STEPS = 22      # accepted integration steps
O_NREC = 23       # rows written to the track buffer
O_R_IMPACT = 24   # 24, 25, 26: impact position (ECEF, m)
N_OUT = 27

# event record ev
E_APO = 0
E_T_APO = 1
E_H_APO = 2
E_RE = 3
E_T_RE = 4
E_IMP = 5
E_T_IMP = 6
E_R_IMP = 7       # 7..12: impact state
E_STEPS = 13
E_H = 14          # step size carried between segments
N_E = 15

# Dormand-Prince 5(4) tableau
C2, C3, C4, C5 = 0.2, 0.3, 0.8, 8.0 / 9.0
A21 = 0.2
A31, A32 = 3.0 / 40.0, 9.0 / 40.0
A41, A42, A43 = 44.0 / 45.0, -56.0 / 15.0, 32.0 / 9.0
A51, A52, A53, A54 = 19372.0 / 6561.0, -25360.0 / 2187.0, 64448.0 / 6561.0, -212.0 / 729.0
A61, A62, A63, A64, A65 = 9017.0 / 3168.0, -355.0 / 33.0, 46732.0 / 5247.0, 49.0 / 176.0, -5103.0 / 18656.0
B1, B3, B4, B5, B6 = 35.0 / 384.0, 500.0 / 1113.0, 125.0 / 192.0, -2187.0 / 6784.0, 11.0 / 84.0
E1, E3, E4, E5, E6, E7 = (71.0 / 57600.0, -71.0 / 16695.0, 71.0 / 1920.0, -17253.0 / 339200.0,
                          22.0 / 525.0, -1.0 / 40.0)


@jit
def cd_interp(mach_tab, cd_tab, mach):
    """Drag coefficient at a Mach number: linear in the table, constant beyond its ends."""
    n = mach_tab.shape[0]
    if n == 0:
        return 0.0
    if mach <= mach_tab[0]:
        return cd_tab[0]
    if mach >= mach_tab[n - 1]:
        return cd_tab[n - 1]
    lo = 0
    hi = n - 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if mach_tab[mid] <= mach:
            lo = mid
        else:
            hi = mid
    f = (mach - mach_tab[lo]) / (mach_tab[hi] - mach_tab[lo])
    return cd_tab[lo] + f * (cd_tab[hi] - cd_tab[lo])


@jit
def altitude(x, y, z, a, e2):
    """Geocentric-radial height (m) above the ellipsoid (a, e2)."""
    r = math.sqrt(x * x + y * y + z * z)
    return r - surface_radius(x / r, y / r, z / r, a, e2)


@jit
def lift_command(h, v, sg, cg, g, h_cap, gam_glide, v_dive, gam_dive):
    """Lift command u in [-1, 1] (fraction of the full lift, positive up) of the lifting body
    after burnout, from its own state only (height h, airspeed v, sine and cosine of the
    flight-path angle, local gravity g):

    - climbing: pull down in proportion to the excess of the vacuum-predicted apogee
      h + (v sin gamma)^2 / 2g over the cap h_cap (full pull-down LIFT_CAP_BAND_M above it);
    - descending, airspeed above v_dive: hold the glide angle gam_glide (proportional on the
      flight-path angle, full command at LIFT_GAMMA_BAND_RAD of error): the pull-up and glide;
    - descending, airspeed at or below v_dive: hold the dive angle gam_dive (terminal dive).
    """
    if sg > 0.0:
        excess = h + 0.5 * (v * sg) * (v * sg) / g - h_cap
        if excess <= 0.0:
            return 0.0
        return -min(1.0, excess / LIFT_CAP_BAND_M)
    gam = math.atan2(sg, cg)
    target = gam_glide if v > v_dive else gam_dive
    u = (target - gam) / LIFT_GAMMA_BAND_RAD
    return max(-1.0, min(1.0, u))


@jit
def _rhs(t, s, out, Q, P, mach_tab, cd_tab):
    """Derivative of the state s = (x, y, z, vx, vy, vz, m) into out."""
    x = s[0]
    y = s[1]
    z = s[2]
    vx = s[3]
    vy = s[4]
    vz = s[5]
    m = s[6]
    mu = P[P_MU]
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    k = mu / (r2 * r)
    j2 = P[P_J2]
    if j2 != 0.0:
        re_r = P[P_RE] / r
        f = 1.5 * j2 * re_r * re_r
        zr2 = z * z / r2
        cxy = 1.0 + f * (1.0 - 5.0 * zr2)
        cz = 1.0 + f * (3.0 - 5.0 * zr2)
        ax = -k * x * cxy
        ay = -k * y * cxy
        az = -k * z * cz
    else:
        ax = -k * x
        ay = -k * y
        az = -k * z
    w = P[P_OMEGA]
    if w != 0.0:
        ax += 2.0 * w * vy + w * w * x
        ay += -2.0 * w * vx + w * w * y
    p_atm = 0.0
    v = math.sqrt(vx * vx + vy * vy + vz * vz)
    if P[P_ATM] != 0.0:
        h = r - surface_radius(x / r, y / r, z / r, P[P_A], P[P_E2])
        rho, p_atm, cs = us76(h)
        if v > 0.0:
            ib = Q[Q_INVBETA]
            if ib > 0.0:
                kd = 0.5 * rho * v * ib
            else:
                kd = 0.5 * rho * v * cd_interp(mach_tab, cd_tab, v / cs) * Q[Q_AREA] / m
            ax -= kd * vx
            ay -= kd * vy
            az -= kd * vz
            if Q[Q_LD] > 0.0:
                # lift in the vertical plane, perpendicular to the airspeed, L = u (L/D) D
                ux = x / r
                uy = y / r
                uz = z / r
                sg = (ux * vx + uy * vy + uz * vz) / v  # sin of the flight-path angle
                cg2 = 1.0 - sg * sg
                if cg2 > 1e-12:
                    cg = math.sqrt(cg2)
                    u = lift_command(h, v, sg, cg, mu / r2, Q[Q_HCAP], Q[Q_GLIDE], Q[Q_VDIVE], Q[Q_DIVE])
                    al = u * Q[Q_LD] * kd * v / cg
                    ax += al * (ux - sg * vx / v)
                    ay += al * (uy - sg * vy / v)
                    az += al * (uz - sg * vz / v)
    mode = Q[Q_MODE]
    dm = 0.0
    if mode < 3.0:
        thrust = Q[Q_FVAC] - p_atm * Q[Q_AE]
        if thrust < 0.0:
            thrust = 0.0
        if mode == 0.0 or (mode == 2.0 and v < 1e-6):
            ex = Q[Q_UP]
            ey = Q[Q_UP + 1]
            ez = Q[Q_UP + 2]
        elif mode == 1.0:
            # pitch-over: thrust at the kick angle from the velocity, toward the launch-plane
            # horizontal (Forden's GUI_Missile_Flyout steering window)
            if v > 1e-6:
                ux = vx / v
                uy = vy / v
                uz = vz / v
            else:
                ux = Q[Q_UP]
                uy = Q[Q_UP + 1]
                uz = Q[Q_UP + 2]
            d = Q[Q_HOR] * ux + Q[Q_HOR + 1] * uy + Q[Q_HOR + 2] * uz
            px = Q[Q_HOR] - d * ux
            py = Q[Q_HOR + 1] - d * uy
            pz = Q[Q_HOR + 2] - d * uz
            pn = math.sqrt(px * px + py * py + pz * pz)
            c = math.cos(Q[Q_KICK])
            sn = math.sin(Q[Q_KICK])
            if pn > 1e-12:
                ex = c * ux + sn * px / pn
                ey = c * uy + sn * py / pn
                ez = c * uz + sn * pz / pn
            else:
                ex = ux
                ey = uy
                ez = uz
        else:
            ex = vx / v
            ey = vy / v
            ez = vz / v
        a_t = thrust / m
        ax += a_t * ex
        ay += a_t * ey
        az += a_t * ez
        dm = -Q[Q_MDOT]
    out[0] = vx
    out[1] = vy
    out[2] = vz
    out[3] = ax
    out[4] = ay
    out[5] = az
    out[6] = dm


@jit
def _hermite(s, dt, y0, f0, y1, f1, i):
    """Cubic Hermite interpolant of component i (value y, derivative f) at fraction s."""
    s2 = s * s
    s3 = s2 * s
    h00 = 2.0 * s3 - 3.0 * s2 + 1.0
    h10 = s3 - 2.0 * s2 + s
    h01 = -2.0 * s3 + 3.0 * s2
    h11 = s3 - s2
    return h00 * y0[i] + h10 * dt * f0[i] + h01 * y1[i] + h11 * dt * f1[i]


@jit
def _event_fn(kind, s, dt, y0, f0, y1, f1, P, level):
    """Event function on the step interpolant: kind 0 altitude - level, kind 1 r . v."""
    x = _hermite(s, dt, y0, f0, y1, f1, 0)
    y = _hermite(s, dt, y0, f0, y1, f1, 1)
    z = _hermite(s, dt, y0, f0, y1, f1, 2)
    if kind == 0:
        return altitude(x, y, z, P[P_A], P[P_E2]) - level
    # velocity: the derivative of the position interpolant (value r, derivative v)
    s2 = s * s
    d00 = 6.0 * s2 - 6.0 * s
    d10 = 3.0 * s2 - 4.0 * s + 1.0
    d01 = -6.0 * s2 + 6.0 * s
    d11 = 3.0 * s2 - 2.0 * s
    vx = (d00 * y0[0] + d01 * y1[0]) / dt + d10 * f0[0] + d11 * f1[0]
    vy = (d00 * y0[1] + d01 * y1[1]) / dt + d10 * f0[1] + d11 * f1[1]
    vz = (d00 * y0[2] + d01 * y1[2]) / dt + d10 * f0[2] + d11 * f1[2]
    return x * vx + y * vy + z * vz


@jit
def _locate(kind, g0, g1, dt, y0, f0, y1, f1, P, level):
    """Fraction s in [0, 1] of the step where the event function crosses zero (Illinois)."""
    a = 0.0
    b = 1.0
    ga = g0
    gb = g1
    side = 0
    c = 1.0
    for _ in range(60):
        c = (a * gb - b * ga) / (gb - ga)
        if (b - a) * dt < 1e-9:
            break
        gc = _event_fn(kind, c, dt, y0, f0, y1, f1, P, level)
        if gc == 0.0:
            break
        a, b, ga, gb, side, _ = illinois_step(a, b, ga, gb, side, c, gc)
    return c


@jit
def _propagate(s, t, t_end, Q, P, mach_tab, cd_tab, ev, W, powered, rec, rec_dt, nrec):
    """Integrate s (in place) from t to t_end, or to the ground impact if it comes first.

    W is a (10, 7) work array: rows 0-6 the stages k1..k7, row 7 a trial state, row 8 the
    previous state, row 9 the previous derivative. Returns (code, t, nrec): code 0 reached
    t_end, 1 ground impact (state and time in ev), or an error status."""
    rtol = P[P_RTOL]
    atol_r = rtol * 1.0
    atol_v = rtol * 10.0
    a = P[P_A]
    e2 = P[P_E2]
    h_re = P[P_H_REENTRY]
    max_steps = P[P_MAXSTEPS]
    k1 = W[0]
    k2 = W[1]
    k3 = W[2]
    k4 = W[3]
    k5 = W[4]
    k6 = W[5]
    k7 = W[6]
    yt = W[7]
    y0 = W[8]
    f0 = W[9]
    if not (t_end > t):
        return 0, t, nrec
    h = ev[E_H]
    if not (h > 0.0):
        h = 0.5
    _rhs(t, s, k1, Q, P, mach_tab, cd_tab)
    alt0 = altitude(s[0], s[1], s[2], a, e2)
    rv0 = s[0] * s[3] + s[1] * s[4] + s[2] * s[5]
    nrow = rec.shape[0]
    while True:
        if ev[E_STEPS] >= max_steps:
            return ST_MAX_STEPS, t, nrec
        last = False
        if t + h >= t_end:
            h = t_end - t
            last = True
        if h < 1e-10 * (1.0 + abs(t)):
            return ST_STEP_UNDERFLOW, t, nrec
        for i in range(7):
            yt[i] = s[i] + h * A21 * k1[i]
        _rhs(t + C2 * h, yt, k2, Q, P, mach_tab, cd_tab)
        for i in range(7):
            yt[i] = s[i] + h * (A31 * k1[i] + A32 * k2[i])
        _rhs(t + C3 * h, yt, k3, Q, P, mach_tab, cd_tab)
        for i in range(7):
            yt[i] = s[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i])
        _rhs(t + C4 * h, yt, k4, Q, P, mach_tab, cd_tab)
        for i in range(7):
            yt[i] = s[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i])
        _rhs(t + C5 * h, yt, k5, Q, P, mach_tab, cd_tab)
        for i in range(7):
            yt[i] = s[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i])
        _rhs(t + h, yt, k6, Q, P, mach_tab, cd_tab)
        for i in range(7):
            yt[i] = s[i] + h * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i])
        _rhs(t + h, yt, k7, Q, P, mach_tab, cd_tab)
        err = 0.0
        for i in range(6):
            e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i])
            sc = (atol_r if i < 3 else atol_v) + rtol * max(abs(s[i]), abs(yt[i]))
            err += (e / sc) * (e / sc)
        err = math.sqrt(err / 6.0)
        if not (err == err):
            h *= 0.25
            if h < 1e-9:
                return ST_NOT_FINITE, t, nrec
            continue
        if err > 1.0:
            h *= max(0.2, 0.9 * err ** -0.2)
            continue
        # accepted: keep the previous state for events and the track
        ev[E_STEPS] += 1.0
        for i in range(7):
            y0[i] = s[i]
            f0[i] = k1[i]
        t0 = t
        dt = h
        t = t + h if not last else t_end
        for i in range(7):
            s[i] = yt[i]
            k1[i] = k7[i]
        alt1 = altitude(s[0], s[1], s[2], a, e2)
        rv1 = s[0] * s[3] + s[1] * s[4] + s[2] * s[5]
        if not (alt1 == alt1):
            return ST_NOT_FINITE, t, nrec
        # events on this step
        if ev[E_APO] == 0.0 and rv0 > 0.0 and rv1 <= 0.0:
            c = _locate(1, rv0, rv1, dt, y0, f0, s, k1, P, 0.0)
            ev[E_APO] = 1.0
            ev[E_T_APO] = t0 + c * dt
            ev[E_H_APO] = altitude(_hermite(c, dt, y0, f0, s, k1, 0), _hermite(c, dt, y0, f0, s, k1, 1),
                                   _hermite(c, dt, y0, f0, s, k1, 2), a, e2)
        if ev[E_RE] == 0.0 and alt0 > h_re and alt1 <= h_re and rv1 < 0.0:
            c = _locate(0, alt0 - h_re, alt1 - h_re, dt, y0, f0, s, k1, P, h_re)
            ev[E_RE] = 1.0
            ev[E_T_RE] = t0 + c * dt
        impact = False
        c_imp = 1.0
        if powered:
            if alt1 < -1.0:
                impact = True
                c_imp = 1.0
        elif alt1 < 0.0 and alt0 >= 0.0:
            impact = True
            c_imp = _locate(0, alt0, alt1, dt, y0, f0, s, k1, P, 0.0)
        # track samples at multiples of rec_dt in (t0, t]
        if nrow > 0 and rec_dt > 0.0:
            t_stop = t0 + c_imp * dt if impact else t
            kk = math.floor(t0 / rec_dt) + 1.0
            while kk * rec_dt <= t_stop and nrec < nrow:
                sf = (kk * rec_dt - t0) / dt
                rec[nrec, 0] = kk * rec_dt
                for i in range(7):
                    rec[nrec, 1 + i] = _hermite(sf, dt, y0, f0, s, k1, i)
                nrec += 1
                kk += 1.0
        if impact:
            ev[E_IMP] = 1.0
            ev[E_T_IMP] = t0 + c_imp * dt
            for i in range(6):
                ev[E_R_IMP + i] = _hermite(c_imp, dt, y0, f0, s, k1, i)
            if nrow > 0 and nrec < nrow:
                rec[nrec, 0] = ev[E_T_IMP]
                for i in range(7):
                    rec[nrec, 1 + i] = _hermite(c_imp, dt, y0, f0, s, k1, i)
                nrec += 1
            ev[E_H] = h
            return (ST_CRASH if powered else 1), ev[E_T_IMP], nrec
        alt0 = alt1
        rv0 = rv1
        if last:
            ev[E_H] = h
            return 0, t, nrec
        if err < 1e-10:
            fac = 5.0
        else:
            fac = min(5.0, max(0.2, 0.9 * err ** -0.2))
        h *= fac


@jit
def _finish(out, status, lat, lon, s_bo, t_bo, ev, P, nrec):
    """Fill the output row from the burnout state and the event record."""
    a = P[P_A]
    e2 = P[P_E2]
    f = 1.0 - math.sqrt(1.0 - e2)
    out[O_STATUS] = status
    out[O_STEPS] = ev[E_STEPS]
    out[O_NREC] = nrec
    if t_bo == t_bo:
        out[O_T_BURNOUT] = t_bo
        for i in range(3):
            out[O_R_BURNOUT + i] = s_bo[i]
            out[O_VEL_BURNOUT + i] = s_bo[3 + i]
        out[O_M_BURNOUT] = s_bo[6]
        rb = math.sqrt(s_bo[0] ** 2 + s_bo[1] ** 2 + s_bo[2] ** 2)
        vb = math.sqrt(s_bo[3] ** 2 + s_bo[4] ** 2 + s_bo[5] ** 2)
        out[O_H_BURNOUT] = altitude(s_bo[0], s_bo[1], s_bo[2], a, e2)
        out[O_V_BURNOUT] = vb
        out[O_FPA_BURNOUT] = math.asin(min(1.0, max(-1.0, (s_bo[0] * s_bo[3] + s_bo[1] * s_bo[4]
                                                           + s_bo[2] * s_bo[5]) / (rb * vb)))) if vb > 0 else NAN
        blat, blon, bh = ecef_to_geodetic(s_bo[0], s_bo[1], s_bo[2], a, e2)
        out[O_D_BURNOUT] = vincenty_inverse_m(lat, lon, blat, blon, a, f)
    if ev[E_APO] > 0.0:
        out[O_APOGEE] = ev[E_H_APO]
        out[O_T_APOGEE] = ev[E_T_APO]
    if ev[E_RE] > 0.0:
        out[O_T_REENTRY] = ev[E_T_RE]
    if status != ST_OK:
        return
    x = ev[E_R_IMP]
    y = ev[E_R_IMP + 1]
    z = ev[E_R_IMP + 2]
    vx = ev[E_R_IMP + 3]
    vy = ev[E_R_IMP + 4]
    vz = ev[E_R_IMP + 5]
    out[O_T_IMPACT] = ev[E_T_IMP]
    ilat, ilon, ih = ecef_to_geodetic(x, y, z, a, e2)
    out[O_LAT] = ilat
    out[O_LON] = ilon
    out[O_RANGE] = vincenty_inverse_m(lat, lon, ilat, ilon, a, f)
    out[O_R_IMPACT] = x
    out[O_R_IMPACT + 1] = y
    out[O_R_IMPACT + 2] = z
    r = math.sqrt(x * x + y * y + z * z)
    v = math.sqrt(vx * vx + vy * vy + vz * vz)
    out[O_V_IMPACT] = v
    out[O_G_IMPACT] = -math.asin(min(1.0, max(-1.0, (x * vx + y * vy + z * vz) / (r * v)))) if v > 0 else NAN
    if ev[E_APO] == 0.0:  # never climbed after the start of the integration: apogee at the start
        out[O_APOGEE] = NAN


@jit
def _new_ev():
    ev = np.zeros(N_E)
    return ev


@jit
def _record_start(rec, s):
    """Write the start state s at t = 0 as the first track row (if rec has room); returns
    the rows written."""
    if rec.shape[0] == 0:
        return 0
    rec[0, 0] = 0.0
    for i in range(7):
        rec[0, 1 + i] = s[i]
    return 1


@jit
def fly_one(lat, lon, azimuth, kick, t_cut, S, G, mach_tab, cd_tab, P, out, rec, rec_dt):
    """One flyout from the ground at (lat, lon) (rad, geodetic, height 0) with launch azimuth
    (rad from north, clockwise), kick angle (rad from the vertical) and thrust cut-off time t_cut
    (s after launch; inf for a full burn). Fills ``out`` (N_OUT) and, if rec has rows, the
    track (t, x, y, z, vx, vy, vz, m every rec_dt seconds plus the impact). Returns the status."""
    for i in range(N_OUT):
        out[i] = NAN
    out[O_STEPS] = 0.0
    out[O_NREC] = 0.0
    if not (abs(lat) <= 0.5 * math.pi and abs(lon) <= 2.0 * math.pi and azimuth == azimuth
            and kick == kick and abs(kick) < 0.5 * math.pi and not (t_cut <= 0.0)
            and G[G_M0] > 0.0 and S.shape[0] > 0):
        out[O_STATUS] = ST_BAD_INPUT
        return ST_BAD_INPUT
    ev = _new_ev()
    W = np.empty((10, 7))
    Q = np.zeros(N_Q)
    s = np.empty(7)
    s_bo = np.empty(7)
    a = P[P_A]
    e2 = P[P_E2]
    x0, y0, z0 = geodetic_to_ecef(lat, lon, 0.0, a, e2)
    s[0] = x0
    s[1] = y0
    s[2] = z0
    s[3] = 0.0
    s[4] = 0.0
    s[5] = 0.0
    s[6] = G[G_M0]
    # launch frame: geodetic up, north, east; launch-plane horizontal along the azimuth
    upx, upy, upz = sphere_unit(lat, lon)
    nx, ny, nz, exx, exy, exz = north_east(lat, lon)
    ca = math.cos(azimuth)
    sa = math.sin(azimuth)
    Q[Q_UP] = upx
    Q[Q_UP + 1] = upy
    Q[Q_UP + 2] = upz
    Q[Q_HOR] = ca * nx + sa * exx
    Q[Q_HOR + 1] = ca * ny + sa * exy
    Q[Q_HOR + 2] = ca * nz + sa * exz
    t_v = G[G_TVERT]
    t_k = G[G_TKICK]
    Q[Q_TVERT] = t_v
    Q[Q_KICK] = kick
    t_pitch_end = t_v + t_k
    t = 0.0
    nrec = _record_start(rec, s)
    shroud_on = G[G_MSHROUD] > 0.0
    t_shroud = G[G_TSHROUD] if shroud_on else math.inf
    n_st = S.shape[0]
    status = ST_OK
    t_bo = NAN
    stage = 0
    t_ign = 0.0
    cut = False
    # ---------------- powered flight: segments between discontinuities ----------------
    while stage < n_st and not cut:
        t_stage_end = t_ign + S[stage, S_TBURN]
        # kick applied instantly when the pitch-over has no duration
        while t < t_stage_end and not cut:
            t_next = t_stage_end
            if t < t_v:
                t_next = min(t_next, t_v)
                mode = 0.0
            elif t < t_pitch_end:
                t_next = min(t_next, t_pitch_end)
                mode = 1.0
            else:
                mode = 2.0
            if t < t_shroud:
                t_next = min(t_next, t_shroud)
            if t_cut < t_next:
                t_next = t_cut
            if mode == 2.0 and t_k <= 0.0 and t <= t_v + 1e-12 and kick != 0.0:
                # instantaneous kick: tilt the (still vertical) velocity by the kick angle
                vv = math.sqrt(s[3] ** 2 + s[4] ** 2 + s[5] ** 2)
                ck = math.cos(kick)
                sk = math.sin(kick)
                s[3] = vv * (ck * upx + sk * Q[Q_HOR])
                s[4] = vv * (ck * upy + sk * Q[Q_HOR + 1])
                s[5] = vv * (ck * upz + sk * Q[Q_HOR + 2])
            Q[Q_FVAC] = S[stage, S_FVAC]
            Q[Q_AE] = S[stage, S_AE]
            Q[Q_MDOT] = S[stage, S_MDOT]
            Q[Q_MODE] = mode
            Q[Q_AREA] = S[stage, S_AREA]
            Q[Q_INVBETA] = 0.0
            code, t, nrec = _propagate(s, t, t_next, Q, P, mach_tab, cd_tab, ev, W, True, rec, rec_dt, nrec)
            if code != 0:
                status = code
                _finish(out, status, lat, lon, s_bo, t_bo, ev, P, nrec)
                return status
            t = t_next
            if shroud_on and t >= t_shroud:
                s[6] -= G[G_MSHROUD]
                shroud_on = False
                t_shroud = math.inf
            if t >= t_cut:
                cut = True
        if cut:
            break
        # stage burnout: drop its dry mass, coast to the next ignition
        s[6] -= S[stage, S_DROP]
        t_ign = t + S[stage, S_COAST]
        stage += 1
        if stage < n_st and t_ign > t:
            Q[Q_MODE] = 3.0
            Q[Q_AREA] = S[stage, S_AREA]
            Q[Q_INVBETA] = 0.0
            code, t, nrec = _propagate(s, t, t_ign, Q, P, mach_tab, cd_tab, ev, W, False, rec, rec_dt, nrec)
            if code != 0:
                status = ST_CRASH if code == 1 else code
                _finish(out, status, lat, lon, s_bo, t_bo, ev, P, nrec)
                return status
            t = t_ign
    # ---------------- burnout / cut-off ----------------
    if shroud_on:
        s[6] -= G[G_MSHROUD]  # a shroud still on at burnout goes with the last stage
    t_bo = t
    if G[G_MRV] > 0.0:
        s[6] = G[G_MRV]
    for i in range(7):
        s_bo[i] = s[i]
    Q[Q_MODE] = 3.0
    Q[Q_MDOT] = 0.0
    Q[Q_FVAC] = 0.0
    if G[G_LD] > 0.0:
        Q[Q_LD] = G[G_LD]
        Q[Q_HCAP] = G[G_HCAP]
        Q[Q_GLIDE] = G[G_GLIDE]
        Q[Q_VDIVE] = G[G_VDIVE]
        Q[Q_DIVE] = G[G_DIVE]
    beta = G[G_BETA]
    if beta > 0.0 and beta < math.inf:
        Q[Q_INVBETA] = 1.0 / beta
    else:
        Q[Q_INVBETA] = 0.0
        Q[Q_AREA] = G[G_AREA]
    code, t, nrec = _propagate(s, t, P[P_TMAX], Q, P, mach_tab, cd_tab, ev, W, False, rec, rec_dt, nrec)
    if code == 1:
        status = ST_OK
    elif code == 0:
        status = ST_NO_IMPACT
    else:
        status = code
    _finish(out, status, lat, lon, s_bo, t_bo, ev, P, nrec)
    return status


@jit
def coast_one(r0x, r0y, r0z, v0x, v0y, v0z, mass, inv_beta, area, mach_tab, cd_tab, P, out, rec, rec_dt):
    """Unpowered flight from an ECEF state (velocity relative to the Earth) to the ground.
    Drag from 1/beta (inv_beta > 0) or the C_D table with ``area``; P[P_ATM] = 0 for vacuum.
    Fills out like :func:`fly_one` (the start is the 'burnout'); returns the status."""
    for i in range(N_OUT):
        out[i] = NAN
    ev = _new_ev()
    W = np.empty((10, 7))
    Q = np.zeros(N_Q)
    s = np.empty(7)
    s[0] = r0x
    s[1] = r0y
    s[2] = r0z
    s[3] = v0x
    s[4] = v0y
    s[5] = v0z
    s[6] = mass
    s_bo = s.copy()
    Q[Q_MODE] = 3.0
    Q[Q_INVBETA] = inv_beta
    Q[Q_AREA] = area
    a = P[P_A]
    e2 = P[P_E2]
    lat, lon, h = ecef_to_geodetic(r0x, r0y, r0z, a, e2)
    nrec = _record_start(rec, s)
    code, t, nrec = _propagate(s, 0.0, P[P_TMAX], Q, P, mach_tab, cd_tab, ev, W, False, rec, rec_dt, nrec)
    status = ST_OK if code == 1 else (ST_NO_IMPACT if code == 0 else code)
    _finish(out, status, lat, lon, s_bo, 0.0, ev, P, nrec)
    return status


# ------------------------------------------------------------------------------------------
# solvers
# ------------------------------------------------------------------------------------------

@jit
def _frame(lat1, lon1, lat2, lon2, a, e2):
    """Geocentric unit vectors of launch and target, the unit tangent t (toward the target)
    and normal n = u1 x t (to the left), the transfer angle, and the initial azimuth (rad)."""
    x1, y1, z1 = geodetic_to_ecef(lat1, lon1, 0.0, a, e2)
    x2, y2, z2 = geodetic_to_ecef(lat2, lon2, 0.0, a, e2)
    n1 = math.sqrt(x1 * x1 + y1 * y1 + z1 * z1)
    n2 = math.sqrt(x2 * x2 + y2 * y2 + z2 * z2)
    u1 = (x1 / n1, y1 / n1, z1 / n1)
    u2 = (x2 / n2, y2 / n2, z2 / n2)
    d = u1[0] * u2[0] + u1[1] * u2[1] + u1[2] * u2[2]
    tx = u2[0] - d * u1[0]
    ty = u2[1] - d * u1[1]
    tz = u2[2] - d * u1[2]
    tn = math.sqrt(tx * tx + ty * ty + tz * tz)
    if not (tn > 1e-9):
        return u1, (NAN, NAN, NAN), (NAN, NAN, NAN), NAN, NAN
    tx /= tn
    ty /= tn
    tz /= tn
    nx = u1[1] * tz - u1[2] * ty
    ny = u1[2] * tx - u1[0] * tz
    nz = u1[0] * ty - u1[1] * tx
    psi = math.atan2(tn, d)
    n_x, n_y, n_z, e_x, e_y, _ = north_east(lat1, lon1)
    north = tx * n_x + ty * n_y + tz * n_z
    east = tx * e_x + ty * e_y
    return u1, (tx, ty, tz), (nx, ny, nz), psi, math.atan2(east, north)


@jit
def _along_cross(out, u1, tt, nn):
    """Along-track angle (rad) of the impact point from the launch point toward the target and
    its cross-track angle (positive to the left)."""
    x = out[O_R_IMPACT]
    y = out[O_R_IMPACT + 1]
    z = out[O_R_IMPACT + 2]
    r = math.sqrt(x * x + y * y + z * z)
    x /= r
    y /= r
    z /= r
    along = math.atan2(x * tt[0] + y * tt[1] + z * tt[2], x * u1[0] + y * u1[1] + z * u1[2])
    cross = math.asin(max(-1.0, min(1.0, x * nn[0] + y * nn[1] + z * nn[2])))
    return along, cross


@jit
def _range_angle(lat, lon, az, kick, t_cut, S, G, mt, ct, P, out, u1, tt, nn, rec):
    """Flyout and its along-track angle (NaN on failure)."""
    st = fly_one(lat, lon, az, kick, t_cut, S, G, mt, ct, P, out, rec, 0.0)
    if st != ST_OK:
        return NAN, NAN, st
    along, cross = _along_cross(out, u1, tt, nn)
    return along, cross, st


@jit
def total_burn(S):
    """Launch to the last stage's burnout (s), coasts included."""
    t = 0.0
    n = S.shape[0]
    for i in range(n):
        t += S[i, S_TBURN]
        if i < n - 1:
            t += S[i, S_COAST]
    return t


@jit
def best_kick(lat, lon, az, t_cut, S, G, mt, ct, P, u1, tt, nn):
    """Kick angle (rad) that maximises the along-track range at launch azimuth az and cut-off
    t_cut: a scan of 16 angles between G_KICK_MIN and G_KICK_MAX, then golden-section search
    (to 1e-4 rad) around the best. Returns (kick, along angle, flyouts used)."""
    out = np.empty(N_OUT)
    rec = np.empty((0, 8))
    lo = G[G_KICK_MIN]
    hi = G[G_KICK_MAX]
    n = 16
    best = -1.0
    ibest = -1
    vals = np.empty(n)
    nfly = 0
    for i in range(n):
        k = lo + (hi - lo) * i / (n - 1)
        al, cr, st = _range_angle(lat, lon, az, k, t_cut, S, G, mt, ct, P, out, u1, tt, nn, rec)
        nfly += 1
        vals[i] = al if al == al else -10.0
        if vals[i] > best:
            best = vals[i]
            ibest = i
    if ibest < 0 or best <= -10.0:
        return NAN, NAN, nfly
    step = (hi - lo) / (n - 1)
    a = lo + step * max(ibest - 1, 0)
    b = lo + step * min(ibest + 1, n - 1)
    gr = 0.6180339887498949
    c = b - gr * (b - a)
    d = a + gr * (b - a)
    fc, cr, st = _range_angle(lat, lon, az, c, t_cut, S, G, mt, ct, P, out, u1, tt, nn, rec)
    fd, cr, st = _range_angle(lat, lon, az, d, t_cut, S, G, mt, ct, P, out, u1, tt, nn, rec)
    nfly += 2
    if fc != fc:
        fc = -10.0
    if fd != fd:
        fd = -10.0
    while b - a > 1e-4:
        if fc >= fd:
            b = d
            d = c
            fd = fc
            c = b - gr * (b - a)
            fc, cr, st = _range_angle(lat, lon, az, c, t_cut, S, G, mt, ct, P, out, u1, tt, nn, rec)
            if fc != fc:
                fc = -10.0
        else:
            a = c
            c = d
            fc = fd
            d = a + gr * (b - a)
            fd, cr, st = _range_angle(lat, lon, az, d, t_cut, S, G, mt, ct, P, out, u1, tt, nn, rec)
            if fd != fd:
                fd = -10.0
        nfly += 1
    k = 0.5 * (a + b)
    al, cr, st = _range_angle(lat, lon, az, k, t_cut, S, G, mt, ct, P, out, u1, tt, nn, rec)
    nfly += 1
    if not (al == al) or al < max(fc, fd):
        if fc >= fd:
            return c, fc, nfly
        return d, fd, nfly
    return k, al, nfly


@jit
def max_range_one(lat, lon, az, S, G, mt, ct, P, out):
    """Maximum range (full burn) at launch azimuth az: the best kick, flown once more into out.
    Returns (status, kick)."""
    a = P[P_A]
    e2 = P[P_E2]
    x1, y1, z1 = geodetic_to_ecef(lat, lon, 0.0, a, e2)
    n1 = math.sqrt(x1 * x1 + y1 * y1 + z1 * z1)
    u1 = (x1 / n1, y1 / n1, z1 / n1)
    ca = math.cos(az)
    sa = math.sin(az)
    # horizontal unit along the azimuth (geodetic frame), then re-orthogonalised to u1
    n_x, n_y, n_z, e_x, e_y, _ = north_east(lat, lon)
    hx = ca * n_x + sa * e_x
    hy = ca * n_y + sa * e_y
    hz = ca * n_z
    d = hx * u1[0] + hy * u1[1] + hz * u1[2]
    hx -= d * u1[0]
    hy -= d * u1[1]
    hz -= d * u1[2]
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    tt = (hx / hn, hy / hn, hz / hn)
    nn = (u1[1] * tt[2] - u1[2] * tt[1], u1[2] * tt[0] - u1[0] * tt[2], u1[0] * tt[1] - u1[1] * tt[0])
    k, al, nfly = best_kick(lat, lon, az, math.inf, S, G, mt, ct, P, u1, tt, nn)
    if not (k == k):
        for i in range(N_OUT):
            out[i] = NAN
        out[O_STATUS] = ST_NO_SOLUTION
        return ST_NO_SOLUTION, NAN
    st = fly_one(lat, lon, az, k, math.inf, S, G, mt, ct, P, out, np.empty((0, 8)), 0.0)
    return st, k


@jit
def _along_at(kind, c, lat, lon, az, kick, t_cut, S, G, mt, ct, P, out, u1, tt, nn, rec):
    """Along-track angle of the flyout with parameter c: the kick (kind 0, t_cut fixed) or the
    cut-off time (kind 1, kick fixed)."""
    if kind == 0:
        return _range_angle(lat, lon, az, c, t_cut, S, G, mt, ct, P, out, u1, tt, nn, rec)[0]
    return _range_angle(lat, lon, az, kick, c, S, G, mt, ct, P, out, u1, tt, nn, rec)[0]


@jit
def _root(kind, lo, hi, f_lo, f_hi, lat, lon, az, kick, t_cut, S, G, mt, ct, P, out, u1, tt, nn,
          psi, tol):
    """Solve along(param) = psi on [lo, hi] (f = along - psi changes sign), kind 0: param is
    the kick (t_cut fixed), kind 1: param is t_cut (kick fixed). Illinois method.
    Returns (ok, param, flyouts)."""
    rec = np.empty((0, 8))
    side = 0
    nfly = 0
    c = lo
    for _ in range(100):
        c = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
        al = _along_at(kind, c, lat, lon, az, kick, t_cut, S, G, mt, ct, P, out, u1, tt, nn, rec)
        nfly += 1
        if not (al == al):
            # a failed flyout inside the bracket: bisect instead
            c = 0.5 * (lo + hi)
            al = _along_at(kind, c, lat, lon, az, kick, t_cut, S, G, mt, ct, P, out, u1, tt, nn, rec)
            nfly += 1
            if not (al == al):
                return False, c, nfly
        fc = al - psi
        if abs(fc) < tol or abs(hi - lo) < 1e-12 * (1.0 + abs(c)):
            return True, c, nfly
        lo, hi, f_lo, f_hi, side, _ = illinois_step(lo, hi, f_lo, f_hi, side, c, fc)
    return False, c, nfly


@jit
def _solve_cut(lat, lon, az, kick, S, G, mt, ct, P, out, u1, tt, nn, psi, tol, t_lo, t_full):
    """Cut-off time that reaches the along-track angle psi at fixed kick.
    Returns (status, t_cut, flyouts)."""
    rec = np.empty((0, 8))
    al_hi, cr, st = _range_angle(lat, lon, az, kick, math.inf, S, G, mt, ct, P, out, u1, tt, nn, rec)
    if not (al_hi == al_hi):
        return ST_NO_SOLUTION, NAN, 1
    if al_hi < psi:
        return ST_OUT_OF_RANGE, NAN, 1
    al_lo, cr, st = _range_angle(lat, lon, az, kick, t_lo, S, G, mt, ct, P, out, u1, tt, nn, rec)
    if not (al_lo == al_lo):
        return ST_NO_SOLUTION, NAN, 2
    if al_lo > psi:
        return ST_BELOW_MIN, NAN, 2
    ok, tc, n = _root(1, t_lo, t_full, al_lo - psi, al_hi - psi, lat, lon, az, kick, 0.0, S, G, mt,
                      ct, P, out, u1, tt, nn, psi, tol)
    return (ST_OK if ok else ST_NO_CONVERGENCE), tc, n + 2


@jit
def aim_one(lat1, lon1, lat2, lon2, solve, high, kick_fixed, S, G, mt, ct, P, out, tol_m):
    """See :func:`_aim`; on failure the output row is NaN apart from its status."""
    r = _aim(lat1, lon1, lat2, lon2, solve, high, kick_fixed, S, G, mt, ct, P, out, tol_m)
    if r[0] != ST_OK:
        for i in range(N_OUT):
            out[i] = NAN
        out[O_STATUS] = r[0]
    return r


@jit
def _aim(lat1, lon1, lat2, lon2, solve, high, kick_fixed, S, G, mt, ct, P, out, tol_m):
    """Aim a flyout at a target (rad). solve 0: minimum energy (the least burn: cut-off time
    minimised over the kick angle); 1: full burn, kick solved on the lofted (high=False) or
    depressed (high=True) branch; 2: cut-off time at the fixed kick ``kick_fixed``.
    The launch azimuth is corrected until the impact is within tol_m of the target (cross-
    and along-track). Fills ``out`` with the final flyout. Returns
    (status, azimuth, kick, t_cut, miss_m, flyouts)."""
    for i in range(N_OUT):
        out[i] = NAN
    a = P[P_A]
    e2 = P[P_E2]
    if not (abs(lat1) <= 0.5 * math.pi and abs(lat2) <= 0.5 * math.pi and abs(lon1) <= 2 * math.pi
            and abs(lon2) <= 2 * math.pi):
        out[O_STATUS] = ST_BAD_INPUT
        return ST_BAD_INPUT, NAN, NAN, NAN, NAN, 0
    u1, tt, nn, psi, az = _frame(lat1, lon1, lat2, lon2, a, e2)
    if not (psi == psi) or psi > 0.5 * math.pi * 1.9:
        out[O_STATUS] = ST_BAD_INPUT
        return ST_BAD_INPUT, NAN, NAN, NAN, NAN, 0
    R = a  # radius that turns angles into metres for the miss distance
    tol = tol_m / R * 0.2
    t_full = total_burn(S)
    t_lo = G[G_TVERT] + max(G[G_TKICK], 0.0) + 1.0
    rec = np.empty((0, 8))
    nfly = 0
    kick = kick_fixed
    t_cut = math.inf
    kopt = NAN
    al_max = NAN
    if solve != 2:
        kopt, al_max, n = best_kick(lat1, lon1, az, math.inf, S, G, mt, ct, P, u1, tt, nn)
        nfly += n
        if not (kopt == kopt):
            out[O_STATUS] = ST_NO_SOLUTION
            return ST_NO_SOLUTION, az, NAN, NAN, NAN, nfly
        if al_max < psi:
            out[O_STATUS] = ST_OUT_OF_RANGE
            return ST_OUT_OF_RANGE, az, kopt, NAN, NAN, nfly
        kick = kopt
    status = ST_NO_CONVERGENCE
    miss = NAN
    for outer in range(2 if solve == 0 else 1):
        # outer pass for minimum energy: golden search of the kick at the current azimuth
        if solve == 0 and outer == 1:
            lo = G[G_KICK_MIN]
            hi = G[G_KICK_MAX]
            # coarse scan of the needed cut-off over the kick, then golden section
            nsc = 10
            best = math.inf
            ib = -1
            for i in range(nsc):
                k = lo + (hi - lo) * i / (nsc - 1)
                st, tc, n = _solve_cut(lat1, lon1, az, k, S, G, mt, ct, P, out, u1, tt, nn, psi, tol, t_lo, t_full)
                nfly += n
                if st == ST_OK and tc < best:
                    best = tc
                    ib = i
            if ib >= 0:
                stp = (hi - lo) / (nsc - 1)
                ga = lo + stp * max(ib - 1, 0)
                gb = lo + stp * min(ib + 1, nsc - 1)
                gr = 0.6180339887498949
                gc = gb - gr * (gb - ga)
                gd = ga + gr * (gb - ga)
                st, fc, n = _solve_cut(lat1, lon1, az, gc, S, G, mt, ct, P, out, u1, tt, nn, psi, tol, t_lo, t_full)
                nfly += n
                if st != ST_OK:
                    fc = math.inf
                st, fd, n = _solve_cut(lat1, lon1, az, gd, S, G, mt, ct, P, out, u1, tt, nn, psi, tol, t_lo, t_full)
                nfly += n
                if st != ST_OK:
                    fd = math.inf
                while gb - ga > 2e-4:
                    if fc <= fd:
                        gb = gd
                        gd = gc
                        fd = fc
                        gc = gb - gr * (gb - ga)
                        st, fc, n = _solve_cut(lat1, lon1, az, gc, S, G, mt, ct, P, out, u1, tt, nn, psi, tol, t_lo, t_full)
                        if st != ST_OK:
                            fc = math.inf
                    else:
                        ga = gc
                        gc = gd
                        fc = fd
                        gd = ga + gr * (gb - ga)
                        st, fd, n = _solve_cut(lat1, lon1, az, gd, S, G, mt, ct, P, out, u1, tt, nn, psi, tol, t_lo, t_full)
                        if st != ST_OK:
                            fd = math.inf
                    nfly += n
                kick = 0.5 * (ga + gb)
        # azimuth iterations at the current kick / branch
        for it in range(12):
            if solve == 1:
                # full burn: the kick on the lofted (below the best kick) or depressed branch
                k_end = G[G_KICK_MAX] if high else G[G_KICK_MIN]
                al_end, cr, st = _range_angle(lat1, lon1, az, k_end, math.inf, S, G, mt, ct, P, out, u1, tt, nn, rec)
                nfly += 1
                if not (al_end == al_end):
                    al_end = -1.0
                if al_end > psi:
                    out[O_STATUS] = ST_NO_SOLUTION
                    return ST_NO_SOLUTION, az, NAN, NAN, NAN, nfly
                al_top, cr, st = _range_angle(lat1, lon1, az, kopt, math.inf, S, G, mt, ct, P, out, u1, tt, nn, rec)
                nfly += 1
                if not (al_top >= psi):
                    out[O_STATUS] = ST_OUT_OF_RANGE
                    return ST_OUT_OF_RANGE, az, kopt, NAN, NAN, nfly
                ok, kick, n = _root(0, k_end, kopt, al_end - psi, al_top - psi, lat1, lon1, az, 0.0, math.inf,
                                    S, G, mt, ct, P, out, u1, tt, nn, psi, tol)
                nfly += n
                t_cut = math.inf
                if not ok:
                    status = ST_NO_CONVERGENCE
                    break
            else:
                st, t_cut, n = _solve_cut(lat1, lon1, az, kick, S, G, mt, ct, P, out, u1, tt, nn, psi, tol, t_lo, t_full)
                nfly += n
                if st != ST_OK:
                    out[O_STATUS] = st
                    return st, az, kick, NAN, NAN, nfly
            # final flyout of this iteration
            st = fly_one(lat1, lon1, az, kick, t_cut, S, G, mt, ct, P, out, rec, 0.0)
            nfly += 1
            if st != ST_OK:
                return st, az, kick, t_cut, NAN, nfly
            along, cross = _along_cross(out, u1, tt, nn)
            miss = R * math.sqrt((along - psi) ** 2 + (cross * 1.0) ** 2)
            if miss < tol_m:
                status = ST_OK
                break
            sa = math.sin(along)
            if not (abs(sa) > 1e-6):
                status = ST_NO_CONVERGENCE
                break
            az += cross / sa
            status = ST_NO_CONVERGENCE
        if status != ST_OK:
            break
    if status != ST_OK:
        out[O_STATUS] = status
    return status, az, kick, t_cut, miss, nfly


# ------------------------------------------------------------------------------------------
# batch drivers
# ------------------------------------------------------------------------------------------

@pjit
def fly_many(lat, lon, azimuth, kick, t_cut, S, G, mt, ct, P):
    """Flyouts in parallel (prange). Inputs are equal-length arrays (rad, s); returns an
    (n, N_OUT) array of output rows."""
    n = lat.shape[0]
    out = np.empty((n, N_OUT))
    for i in prange(n):
        fly_one(lat[i], lon[i], azimuth[i], kick[i], t_cut[i], S, G, mt, ct, P, out[i],
                np.empty((0, 8)), 0.0)
    return out


@pjit
def aim_many(lat1, lon1, lat2, lon2, solve, high, kick_fixed, S, G, mt, ct, P, tol_m):
    """Aimed flyouts in parallel (prange). Returns (out (n, N_OUT), sol (n, 5)) with sol rows
    (azimuth rad, kick rad, t_cut s, miss m, flyouts used); the status is out[:, O_STATUS]."""
    n = lat1.shape[0]
    out = np.empty((n, N_OUT))
    sol = np.empty((n, 5))
    for i in prange(n):
        st, az, k, tc, miss, nf = aim_one(lat1[i], lon1[i], lat2[i], lon2[i], solve, high, kick_fixed[i],
                                          S, G, mt, ct, P, out[i], tol_m)
        out[i, O_STATUS] = st
        sol[i, 0] = az
        sol[i, 1] = k
        sol[i, 2] = tc
        sol[i, 3] = miss
        sol[i, 4] = nf
    return out, sol


@pjit
def max_range_many(lat, lon, azimuth, S, G, mt, ct, P):
    """Maximum range per launch point and azimuth (prange). Returns (out (n, N_OUT), kick (n,))."""
    n = lat.shape[0]
    out = np.empty((n, N_OUT))
    kick = np.empty(n)
    for i in prange(n):
        st, k = max_range_one(lat[i], lon[i], azimuth[i], S, G, mt, ct, P, out[i])
        out[i, O_STATUS] = st
        kick[i] = k
    return out, kick


@pjit
def coast_many(r0, v0, mass, inv_beta, area, mt, ct, P):
    """Unpowered flights from ECEF states r0, v0 (n, 3) in parallel. Returns (n, N_OUT)."""
    n = r0.shape[0]
    out = np.empty((n, N_OUT))
    for i in prange(n):
        coast_one(r0[i, 0], r0[i, 1], r0[i, 2], v0[i, 0], v0[i, 1], v0[i, 2], mass, inv_beta, area,
                  mt, ct, P, out[i], np.empty((0, 8)), 0.0)
    return out
