"""The flight's timeline: boost, Kepler propagation of the burnout state, descent.

Boost: the missile climbs and moves downrange along the launch-burnout great circle
as (t / t_b)^2 of the burnout altitude and downrange (a kinematic stand-in; the flyout issue
replaces it). Free flight: Kepler propagation of the burnout state with the f and g functions
(Bate, Mueller & White eqs. 4.5-?; position r = f r1 + g v1, f = 1 - a/r1 (1 - cos dE),
g = tau - sqrt(a^3/mu) (dE - sin dE)), rotated into the Earth-fixed frame. Below the entry
altitude the descent is stretched in time by the drag delay.

Quasi-ballistic classes calibrated on lifting flyouts (MODE_QUASI_FLYOUT) have no conic of
their own: their timeline is the conic of the apogee-capped rule (MODE_QUASI) with the cap at
the flyout's apogee for that range (at least QUASI_TIMELINE_CLIMB_M above burnout), flown in the
flyout's flight time: the climb at its conic pace, the descent from the apogee stretched (or
shrunk) to end at the calibrated impact time (:func:`timeline_mode`, :func:`quasi_stretch`).
An approximation for the radar line of sight: the shape is a conic, not the glide.
"""
import math

from ._jit import jit
from .geodesy import geodetic_to_ecef, rotate_toward, surface_radius
from .trajectory import (MODE_QUASI, MODE_QUASI_FLYOUT, P_H_ENTRY, ST_OK, burnout_state, effective_shape,
                         pair_flight, unpack)

NAN = math.nan
#: least climb (m) from burnout to apogee of the MODE_QUASI_FLYOUT timeline conic
QUASI_TIMELINE_CLIMB_M = 1000.0


@jit
def timeline_mode(mode, shape_value, apogee, h_bo):
    """(mode, shape value) of the timeline's conic: the trajectory's own, or for
    MODE_QUASI_FLYOUT the apogee-capped rule at the flyout's apogee."""
    if mode == MODE_QUASI_FLYOUT:
        return MODE_QUASI, max(apogee, h_bo + QUASI_TIMELINE_CLIMB_M)
    return mode, shape_value


@jit
def quasi_stretch(t_flight, t_boost, tof, t_apo):
    """(tau_entry, delay) of a MODE_QUASI_FLYOUT timeline: the descent from the apogee is
    stretched so that the conic ends at the calibrated flight time t_flight (never shrunk to
    less than a tenth of its conic duration)."""
    seg = tof - t_apo
    delay = t_flight - t_boost - tof
    if delay < -0.9 * seg:
        delay = -0.9 * seg
    return t_apo, delay


@jit
def _elements(r1x, r1y, r1z, v1x, v1y, v1z, mu):
    """Conic quantities of the state (r1, v1): |r1|, 1/a, a, e cos E1, e sin E1, mean motion."""
    n1 = math.sqrt(r1x * r1x + r1y * r1y + r1z * r1z)
    vv = v1x * v1x + v1y * v1y + v1z * v1z
    inv_a = 2.0 / n1 - vv / mu
    a = 1.0 / inv_a
    eC1 = 1.0 - n1 * inv_a
    eS1 = (r1x * v1x + r1y * v1y + r1z * v1z) / math.sqrt(mu * a)
    return n1, inv_a, a, eC1, eS1, math.sqrt(mu * inv_a * inv_a * inv_a)


@jit
def _kepler_position(tau, r1x, r1y, r1z, v1x, v1y, v1z, mu):
    """Inertial position tau seconds after the state (r1, v1) on its ellipse (f and g)."""
    n1, inv_a, a, eC1, eS1, nmean = _elements(r1x, r1y, r1z, v1x, v1y, v1z, mu)
    dM = nmean * tau
    dE = dM
    # M(dE) = dE + eS1 (1 - cos dE) - eC1 sin dE increases monotonically (M' = 1 - e cos E > 0)
    # and |M(dE) - dE| <= 2 |eS1| + |eC1| < 3: the root lies in [dM - 3, dM + 3]. Newton
    # steps are kept inside that shrinking bracket (bisection otherwise): plain Newton from
    # dE = dM diverges for nearly radial (lofted, e -> 1) arcs.
    lo = dM - 3.0
    hi = dM + 3.0
    for _ in range(200):
        g = dE + eS1 * (1.0 - math.cos(dE)) - eC1 * math.sin(dE) - dM
        if g > 0.0:
            hi = dE
        else:
            lo = dE
        gp = 1.0 + eS1 * math.sin(dE) - eC1 * math.cos(dE)
        new = dE - g / gp if gp > 0.0 else 0.5 * (lo + hi)
        if not (lo < new < hi):
            new = 0.5 * (lo + hi)
        step = new - dE
        dE = new
        if abs(step) < 1e-13 or hi - lo < 1e-13:
            break
    f = 1.0 - a / n1 * (1.0 - math.cos(dE))
    gg = tau - (dE - math.sin(dE)) / nmean
    return f * r1x + gg * v1x, f * r1y + gg * v1y, f * r1z + gg * v1z


@jit
def _vacuum_time_at_radius_descending(r_target, r1x, r1y, r1z, v1x, v1y, v1z, tof, mu):
    """Time after burnout when the descending conic passes radius r_target (or tof if never)."""
    n1, inv_a, a, eC1, eS1, nmean = _elements(r1x, r1y, r1z, v1x, v1y, v1z, mu)
    e = math.sqrt(eC1 * eC1 + eS1 * eS1)
    E1 = math.atan2(eS1, eC1)
    c = (1.0 - r_target * inv_a) / e if e > 0.0 else 2.0
    if c > 1.0 or c < -1.0:
        return tof
    Ed = 2.0 * math.pi - math.acos(c)  # descending branch (E in (pi, 2 pi))
    dE = Ed - E1
    while dE < 0.0:
        dE += 2.0 * math.pi
    t = (dE - e * math.sin(Ed) + eS1) / nmean
    if t > tof or t < 0.0:
        return tof
    return t


@jit
def _apogee_time(r1x, r1y, r1z, v1x, v1y, v1z, tof, mu):
    n1, inv_a, a, eC1, eS1, nmean = _elements(r1x, r1y, r1z, v1x, v1y, v1z, mu)
    E1 = math.atan2(eS1, eC1)
    dE = math.pi - E1
    if dE < 0.0:
        return 0.0  # burnout after apogee: the highest point is burnout
    t = (dE + eS1) / nmean  # e sin(pi) = 0
    return min(t, tof)


@jit
def position_at(t, p1x, p1y, p1z, bx, by, bz, t_b, h_bo, a_e, e2, r1x, r1y, r1z, v1x, v1y, v1z,
                omega, mu, tau_entry, tof, delay):
    """Earth-fixed position (m) and height over the ellipsoid (m) t seconds after launch."""
    if t < t_b:
        frac = (t / t_b) * (t / t_b)
        n1 = math.sqrt(p1x * p1x + p1y * p1y + p1z * p1z)
        ux = p1x / n1
        uy = p1y / n1
        uz = p1z / n1
        ang = frac * math.acos(max(-1.0, min(1.0, ux * bx + uy * by + uz * bz)))
        if ang > 0.0:
            dx, dy, dz = rotate_toward(ux, uy, uz, bx, by, bz, ang)
        else:
            dx, dy, dz = ux, uy, uz
        h = frac * h_bo
        rs = surface_radius(dx, dy, dz, a_e, e2)
        return (rs + h) * dx, (rs + h) * dy, (rs + h) * dz, h
    tau = t - t_b
    if tau > tau_entry and delay > 0.0:
        seg = tof - tau_entry
        tau = tau_entry + (tau - tau_entry) * seg / (seg + delay)
    if tau > tof:
        tau = tof
    ix, iy, iz = _kepler_position(tau, r1x, r1y, r1z, v1x, v1y, v1z, mu)
    c = math.cos(-omega * tau)
    s = math.sin(-omega * tau)
    x = c * ix - s * iy
    y = s * ix + c * iy
    nn = math.sqrt(x * x + y * y + iz * iz)
    h = nn - surface_radius(x / nn, y / nn, iz / nn, a_e, e2)
    return x, y, iz, h


@jit
def flight_timeline(lat1, lon1, lat2, lon2, a, e2, omega, mu, mode, shape_value, high, h_bo, d_bo,
                    h_entry, v_max):
    """Everything :func:`position_at` needs for one solved pair (angles in rad, SI units):
    (status, launch point p1 (ECEF), unit burnout direction b, burnout position r1 and inertial
    velocity v1, free-flight time, time after burnout of the apogee and of the entry altitude
    on the way down). The entry time is not before the apogee (an apogee below the entry
    altitude: drag acts from the apogee on)."""
    st, b1x, b1y, b1z, vrx, vry, vrz, tof = burnout_state(lat1, lon1, lat2, lon2, a, e2, omega, mu,
                                                         mode, shape_value, high, h_bo, d_bo, v_max)
    v1x = vrx - omega * b1y
    v1y = vry + omega * b1x
    v1z = vrz
    p1x, p1y, p1z = geodetic_to_ecef(lat1, lon1, 0.0, a, e2)
    p2x, p2y, p2z = geodetic_to_ecef(lat2, lon2, 0.0, a, e2)
    nb = math.sqrt(b1x * b1x + b1y * b1y + b1z * b1z)
    n2 = math.sqrt(p2x * p2x + p2y * p2y + p2z * p2z)
    t_apo = _apogee_time(b1x, b1y, b1z, v1x, v1y, v1z, tof, mu)
    tau_entry = _vacuum_time_at_radius_descending(n2 + h_entry, b1x, b1y, b1z, v1x, v1y, v1z, tof, mu)
    if tau_entry < t_apo:
        tau_entry = t_apo
    return (st, p1x, p1y, p1z, b1x / nb, b1y / nb, b1z / nb, b1x, b1y, b1z, v1x, v1y, v1z, tof,
            t_apo, tau_entry)


@jit
def pair_timeline(lat1, lon1, lat2, lon2, params, table):
    """One pair (angles in rad) solved, and everything :func:`position_at` needs to follow it,
    for a packed parameter array and its table: the flight of :func:`pair_flight`, the boost the
    pair flies (:func:`effective_shape`: a range-dependent boost table's state at its range), the
    timeline of :func:`flight_timeline` and the drag stretch (a quasi-ballistic flight table's
    from :func:`quasi_stretch`). The one sequence every timeline kernel (warning, track,
    defence) runs. Returns (r, status, t_boost, h_bo, p1x, p1y, p1z, bx, by, bz, b1x, b1y, b1z,
    v1x, v1y, v1z, tof, t_apo, tau_entry, delay): r is the pair_flight tuple; status is the
    flight's, or the timeline's when the flight is solved (the rest NaN unless it is ST_OK)."""
    (a, e2, f, omega, mu, mode, shape_value, high, t_boost, h_bo, d_bo, v_max, min_range,
     max_range, v_lo, v_step, g_lo, g_step) = unpack(params)
    r = pair_flight(lat1, lon1, lat2, lon2, a, e2, f, omega, mu, mode, shape_value, high, t_boost,
                    h_bo, d_bo, v_max, min_range, max_range, table, v_lo, v_step, g_lo, g_step, params)
    if r[0] != ST_OK:
        return (r, r[0], NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN,
                NAN, NAN, NAN)
    emode, eshape, ehigh, t_b, h_b, d_b, ev_max, _ = effective_shape(
        params, r[2], mode, shape_value, high, t_boost, h_bo, d_bo, v_max)
    tmode, tshape = timeline_mode(emode, eshape, r[3], h_b)
    (st, p1x, p1y, p1z, bx, by, bz, b1x, b1y, b1z, v1x, v1y, v1z, tof, t_apo,
     tau_entry) = flight_timeline(lat1, lon1, lat2, lon2, a, e2, omega, mu, tmode, tshape, ehigh,
                                  h_b, d_b, params[P_H_ENTRY], ev_max)
    delay = r[8]
    if st == ST_OK and mode == MODE_QUASI_FLYOUT:
        tau_entry, delay = quasi_stretch(r[1], t_b, tof, t_apo)
    return (r, st, t_b, h_b, p1x, p1y, p1z, bx, by, bz, b1x, b1y, b1z, v1x, v1y, v1z, tof, t_apo,
            tau_entry, delay)
