"""One launch-target pair: boost, free-flight conic (rotating Earth optional), reentry delay.

Frames. Positions are Earth-centred Earth-fixed (ECEF) at the moment of burnout; the inertial
frame is taken to coincide with ECEF at that instant. A point fixed on the Earth then sits, a
time t later, at Rz(omega t) r_ecef. The boost is modelled in the Earth-fixed frame (burnout
altitude and downrange along the great circle toward the target, after the burn time).

Rotating Earth, minimum energy. The missile starts at rest on the Earth, so its capability is
the burnout speed *relative to the launch site*, |v_I - omega x r1|. The family of conics that
hit the rotating target is one-dimensional: for a burnout slope s = tan(gamma_inertial) and a
target rotation angle theta, the conic to Rz(theta) r2 has a time of flight t(s, theta), and
it is consistent when theta = omega t. Minimum energy minimises f(s) = |v_I - omega x r1|^2
along the consistent family. We do Newton steps on f with derivatives from a 3-point stencil
in s; the stencil points are moved to the consistent theta by linearisation
theta(s +- h) = theta_c + omega (t(s +- h) - t(s)) / (1 - omega dt/dtheta), with dt/dtheta and
df/dtheta from one extra evaluation. Minimising f with theta frozen (aiming an inertial
minimum-energy ellipse at the rotated target) ignores d(theta)/ds and is wrong by tens of
seconds at European ranges; the tests check that the result is the true minimum over all
times of flight by shooting independent rotating-frame integrations.

Limitation: when the target's inertial displacement during the flight is comparable to the
range (shots of less than ~30 km, mostly westward), the inertial flight plane swings through
the launch point and the slope parametrisation cannot reach the optimum; the search then
reports "no convergence" (NaN) instead of a number. There the effect of rotation on the
minimum-energy time is below 0.2 s, so rotation=False is the right tool.
"""
import math

from ._jit import jit
from .geodesy import (central_angle, geodetic_to_ecef, rotate_toward,
                      surface_radius, vincenty_inverse_m)
from .kepler import (conic_from_slope, plane_geometry, slope_for_apogee, slope_for_speed,
                     slope_min_energy)
from .reentry import interp_delay

# trajectory modes
MODE_MIN_ENERGY = 0
MODE_APOGEE = 1
MODE_FPA = 2
MODE_SPEED = 3
MODE_QUASI = 4

# status codes (mirror warning_time.status)
ST_OK = 0
ST_OUT_OF_RANGE = 1
ST_BELOW_MIN = 2
ST_NO_SOLUTION = 3
ST_NO_CONVERGENCE = 4
ST_BAD_INPUT = 5
ST_DEGENERATE = 6

THETA_TOL = 1e-12  # rad of Earth rotation (~6 um at the surface)
NAN = math.nan
TWO_PI = 2.0 * math.pi


@jit
def _state(s, theta, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Evaluate the conic of slope s to the target rotated by theta.

    Returns ok, tof, f = |v_rel|^2, sin of the relative flight-path angle, rmax, apogee unit
    direction (x, y, z), the vacuum impact speed and the cosine of the impact angle.
    """
    if theta == 0.0:
        qx = r2x
        qy = r2y
    else:
        ct = math.cos(theta)
        st = math.sin(theta)
        qx = ct * r2x - st * r2y
        qy = st * r2x + ct * r2y
    qz = r2z
    n1, n2, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(r1x, r1y, r1z, qx, qy, qz)
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
    sgr = (wx * ux + wy * uy + wz * uz) / math.sqrt(f)
    ax = cn * ux + sn * tx
    ay = cn * uy + sn * ty
    az = cn * uz + sn * tz
    # vacuum impact state at the aim point (energy and angular momentum)
    v2 = math.sqrt(max(v * v + 2.0 * mu * (1.0 / n2 - 1.0 / n1), 0.0))
    cimp = min(1.0, n1 * v * cg / (n2 * v2))
    return True, tof, f, sgr, rmax, ax, ay, az, v2, cimp


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


@jit
def _lean(s, theta, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """The search's evaluation: (ok, tof, f = |v_rel|^2) of the conic of slope s to the target
    rotated by theta (no impact or apogee bookkeeping).

    Uses v cos(gamma) = sqrt(mu q / r1) (q = p / r1) and that the site velocity omega x r1 has
    no radial part: f = v^2 - 2 v cos(gamma) (t-hat . w) + |w|^2, with no vector assembly."""
    ct = math.cos(theta)
    st = math.sin(theta)
    qx = ct * r2x - st * r2y
    qy = st * r2x + ct * r2y
    n1 = math.sqrt(r1x * r1x + r1y * r1y + r1z * r1z)
    n2 = math.sqrt(r2x * r2x + r2y * r2y + r2z * r2z)
    inv1 = 1.0 / n1
    inv2 = 1.0 / n2
    ux = r1x * inv1
    uy = r1y * inv1
    uz = r1z * inv1
    vx = qx * inv2
    vy = qy * inv2
    vz = r2z * inv2
    cpsi = ux * vx + uy * vy + uz * vz
    tx = vx - cpsi * ux
    ty = vy - cpsi * uy
    tz = vz - cpsi * uz
    spsi = math.sqrt(tx * tx + ty * ty + tz * tz)
    k = n1 * inv2 - cpsi
    den = k + s * spsi
    if not (den > 0.0) or not (spsi > 0.0):
        return False, NAN, NAN
    one_m_c = 1.0 - cpsi
    if one_m_c < 1e-6:
        one_m_c = spsi * spsi / (1.0 + cpsi)
    q = one_m_c / den
    mu_q_r1 = mu * q * inv1  # (v cos gamma)^2
    v2 = mu_q_r1 * (1.0 + s * s)
    inv_a = 2.0 * inv1 - v2 / mu
    if not (inv_a > 0.0):
        return False, NAN, NAN
    a = 1.0 / inv_a
    ec1 = q - 1.0
    es1 = q * s
    ec2 = ec1 * cpsi - es1 * spsi
    es2 = es1 * cpsi + ec1 * spsi
    if es1 < 0.0 and es2 > 0.0:
        return False, NAN, NAN  # passes perigee below the aim point (see conic_from_slope)
    rspa = 1.0 / math.sqrt(q * n1 * a)
    eE1c = 1.0 - n1 * inv_a
    eE1s = es1 * n1 * rspa
    eE2c = 1.0 - n2 * inv_a
    eE2s = es2 * n2 * rspa
    dE = math.atan2(eE2s * eE1c - eE2c * eE1s, eE2c * eE1c + eE2s * eE1s)
    if dE < 0.0:
        dE += TWO_PI
    tof = a * math.sqrt(a / mu) * (dE - (eE2s - eE1s))
    # t-hat . w with w = omega z x r1 = omega (-r1y, r1x, 0), t-hat = t / spsi
    tw = omega * (-r1y * tx + r1x * ty) / spsi
    wsq = omega * omega * (r1x * r1x + r1y * r1y)
    f = v2 - 2.0 * math.sqrt(mu_q_r1) * tw + wsq
    return True, tof, f


@jit
def _on_family(s, g, den, f_th, t_th, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu, tol):
    """Evaluate slope s on the consistent family starting from the guess theta = g.

    Newton on theta - omega t(s, theta) (slope 1 - omega dt/dtheta = den); once the correction d
    is below ``tol`` (rad) it is applied to first order (f += df/dtheta d,
    t += dt/dtheta d) without another evaluation: the neglected terms are O(d^2).
    Returns (ok, f, t, theta)."""
    for _ in range(12):
        r = _lean(s, g, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
        if not r[0]:
            return False, NAN, NAN, g
        d = (omega * r[1] - g) / den
        if abs(d) < tol:
            return True, r[2] + f_th * d, r[1] + t_th * d, g + d
        g = g + d
    return False, NAN, NAN, g


@jit
def _frozen_coeffs(r1x, r1y, n1, n2, cpsi, spsi, tx, ty, omega, mu):
    """A = mu (1 - cos Psi)/r1, B = w_t sqrt(A) sin Psi and k = r1/r2 - cos Psi of the
    frozen-aim-point relative speed f(s) (see :func:`_slope_min_relative`)."""
    wt = omega * (-r1y * tx + r1x * ty)
    one_m_c = 1.0 - cpsi
    if one_m_c < 1e-6:
        one_m_c = spsi * spsi / (1.0 + cpsi)
    A = mu * one_m_c / n1
    return A, wt * math.sqrt(A) * spsi, n1 / n2 - cpsi


@jit
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
def _frozen_curvature(r1x, r1y, n1, n2, cpsi, spsi, tx, ty, omega, mu, s):
    """d2f/ds2 of the frozen-aim-point f(s) of :func:`_slope_min_relative` (closed form)."""
    A, B, k = _frozen_coeffs(r1x, r1y, n1, n2, cpsi, spsi, tx, ty, omega, mu)
    return _frozen_derivs(A, B, k, spsi, s)[2]


@jit
def _min_energy_newton(r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Least relative burnout speed over the consistent family. Returns (ok, s, theta).

    Newton steps on f(s) = |v_rel|^2 with a 3-point stencil whose points are placed on the
    consistent family (their theta predicted from the total derivative dt/ds and corrected by
    :func:`_on_family`), safeguarded by backtracking so that f never grows.
    """
    # start: non-rotating minimum energy, then the inertial one aimed at the rotated target
    n1, n2, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(r1x, r1y, r1z, r2x, r2y, r2z)
    s = slope_min_energy(n1, n2, cpsi, spsi)
    r = _lean(s, 0.0, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    if not r[0]:
        return False, s, 0.0
    theta = omega * r[1]
    ct = math.cos(theta)
    st = math.sin(theta)
    n1, n2, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(
        r1x, r1y, r1z, ct * r2x - st * r2y, st * r2x + ct * r2y, r2z)
    s = slope_min_energy(n1, n2, cpsi, spsi)
    s_rel = _slope_min_relative(r1x, r1y, r1z, n1, n2, cpsi, spsi, tx, ty, tz, omega, mu, s)
    if not math.isnan(s_rel):
        s = s_rel
    r = _lean(s, theta, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    dth = 1e-7
    rt = _lean(s, theta + dth, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    if not (r[0] and rt[0]):
        return False, s, theta
    t_th = (rt[1] - r[1]) / dth
    f_th = (rt[2] - r[2]) / dth
    den = 1.0 - omega * t_th
    if not (den > 0.05):
        return False, s, theta  # target motion dominates the geometry (very short shots)
    # Short shots (the target's rotation during flight exceeds 25 % of the transfer angle)
    # are sensitive to theta: tight tolerances there, loose (cheap) ones elsewhere.
    short = omega * r[1] > 0.25 * math.atan2(spsi, cpsi)
    tol = 1e-9 if short else 1e-6
    conv = 1e-6 if short else 1e-4
    ok, f0, t0, theta = _on_family(s, theta + (omega * r[1] - theta) / den, den, f_th, t_th,
                                   r1x, r1y, r1z, r2x, r2y, r2z, omega, mu, tol)
    if not ok:
        return False, s, theta
    h = 2e-3
    # prime the total dt/ds with a one-sided step so the first stencil sits on the family
    okp, fp, tp, thp = _on_family(s + h, theta, den, f_th, t_th, r1x, r1y, r1z, r2x, r2y, r2z,
                                  omega, mu, tol)
    if not okp:
        return False, s, theta
    dtds = (tp - t0) / h
    # first Newton step from the priming point: one-sided consistent slope of f (it carries
    # the target-motion coupling) with its O(h) bias removed by the closed-form curvature
    c2 = _frozen_curvature(r1x, r1y, n1, n2, cpsi, spsi, tx, ty, omega, mu, s)
    if c2 > 0.0:
        ds = -((fp - f0) / h - 0.5 * c2 * h) / c2
        lim = 0.1 * (1.0 + abs(s))
        if ds > lim:
            ds = lim
        elif ds < -lim:
            ds = -lim
        okn, fn, tn, thn = _on_family(s + ds, theta + omega * dtds * ds, den, f_th, t_th,
                                      r1x, r1y, r1z, r2x, r2y, r2z, omega, mu, tol)
        if okn and fn <= f0:
            s = s + ds
            theta = thn
            f0 = fn
            h = max(1e-4, min(2e-3, 2.0 * abs(ds)))
    for it in range(40):
        okm, fm, tm, thm = _on_family(s - h, theta - omega * dtds * h, den, f_th, t_th,
                                      r1x, r1y, r1z, r2x, r2y, r2z, omega, mu, tol)
        okp, fp, tp, thp = _on_family(s + h, theta + omega * dtds * h, den, f_th, t_th,
                                      r1x, r1y, r1z, r2x, r2y, r2z, omega, mu, tol)
        if not (okm and okp):
            h *= 0.25
            if h < 1e-10:
                return False, s, theta
            continue
        dtds = (tp - tm) / (2.0 * h)
        d1 = (fp - fm) / (2.0 * h)
        d2 = (fp - 2.0 * f0 + fm) / (h * h)
        lim = 0.25 * (1.0 + abs(s))
        if d2 > 0.0:
            ds = -d1 / d2
        else:
            ds = -lim if d1 > 0.0 else lim  # not convex here: bounded descent step
        if ds > lim:
            ds = lim
        elif ds < -lim:
            ds = -lim
        if abs(ds) < conv * (1.0 + abs(s)):
            # Newton is quadratic here: after this step the error in s is O(ds^2); the
            # time of flight then sits within ~1 ms of the exact minimum (benchmarked)
            okn, fn, tn, thn = _on_family(s + ds, theta + omega * dtds * ds, den, f_th, t_th,
                                          r1x, r1y, r1z, r2x, r2y, r2z, omega, mu, tol)
            if okn:
                return True, s + ds, thn
            return True, s, theta
        ds_full = ds
        accepted = False
        for _ in range(40):
            okn, fn, tn, thn = _on_family(s + ds, theta + omega * dtds * ds, den, f_th, t_th,
                                          r1x, r1y, r1z, r2x, r2y, r2z, omega, mu, tol)
            if okn and fn <= f0:
                accepted = True
                break
            ds *= 0.5
        if not accepted:
            # f cannot resolve the decrease of a small Newton step (its predicted gain
            # d1^2 / 2 d2 is below f's evaluation noise): inside the quadratic region the Newton
            # step itself is the answer; a large step that does not descend is a failure
            if abs(ds_full) < 1e-3 * (1.0 + abs(s)):
                okn, fn, tn, thn = _on_family(s + ds_full, theta + omega * dtds * ds_full, den,
                                              f_th, t_th, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu, tol)
                if okn:
                    return True, s + ds_full, thn
            return False, s, theta
        s = s + ds
        theta = thn
        f0 = fn
        h = max(1e-4, min(2e-3, 2.0 * abs(ds)))
    return False, s, theta


@jit
def _slope_for_time(T, theta, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Slope of the short-way conic from r1 to the target rotated by theta whose time of flight
    is T (a Lambert solution). By Lambert's theorem each T > 0 has exactly one such conic and the
    time grows monotonically with the flight-path angle across the elliptic family, from 0 at
    the flattest angle (r1/r2 - cos Psi + s sin Psi -> 0, infinite speed) to infinity at the
    parabolic one: bisection in the angle. Returns (ok, s, |v_rel|^2)."""
    ct = math.cos(theta)
    st = math.sin(theta)
    n1, n2, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(
        r1x, r1y, r1z, ct * r2x - st * r2y, st * r2x + ct * r2y, r2z)
    if spsi < 1e-9:
        return False, NAN, math.inf
    lo = math.atan2(-(n1 / n2 - cpsi), spsi)
    hi = 0.5 * math.pi
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        r = _lean(math.tan(mid), theta, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
        if (not r[0]) or r[1] > T:
            hi = mid
        else:
            lo = mid
        if hi - lo < 1e-14:
            break
    s = math.tan(0.5 * (lo + hi))
    r = _lean(s, theta, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    if not r[0]:
        return False, NAN, math.inf
    return True, s, r[2]


@jit
def _min_energy_by_time(r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Robust (slow) minimum energy on the rotating Earth: golden-section search over the time
    of flight T, each T solved exactly as a Lambert problem to the target rotated by omega T, so
    no consistency iteration is needed. Used where the Newton search gives up (short shots whose
    target moves a large fraction of the range during the flight). Returns (ok, s, theta)."""
    n1, n2, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(r1x, r1y, r1z, r2x, r2y, r2z)
    s0 = slope_min_energy(n1, n2, cpsi, spsi)
    r = _lean(s0, 0.0, r1x, r1y, r1z, r2x, r2y, r2z, 0.0, mu)
    if not r[0]:
        return False, NAN, 0.0
    lo = 0.5 * r[1]
    hi = 1.8 * r[1]
    gr = 0.6180339887498949
    c = hi - gr * (hi - lo)
    d = lo + gr * (hi - lo)
    okc, sc, fc = _slope_for_time(c, omega * c, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    okd, sd, fd = _slope_for_time(d, omega * d, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    for _ in range(100):
        if hi - lo < 1e-5:
            break
        if fc <= fd:
            hi = d
            d = c
            fd = fc
            c = hi - gr * (hi - lo)
            okc, sc, fc = _slope_for_time(c, omega * c, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
        else:
            lo = c
            c = d
            fc = fd
            d = lo + gr * (hi - lo)
            okd, sd, fd = _slope_for_time(d, omega * d, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    T = 0.5 * (lo + hi)
    ok, s, f = _slope_for_time(T, omega * T, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
    # a minimum at the bracket's edge is not a minimum we can vouch for
    if not ok or not (f < math.inf) or T < 0.5 * r[1] * 1.001 or T > 1.8 * r[1] * 0.999:
        return False, NAN, 0.0
    return True, s, omega * T


@jit
def _min_energy_rotating(r1x, r1y, r1z, r2x, r2y, r2z, omega, mu):
    """Least burnout speed relative to the rotating Earth (see module docstring): the fast
    Newton search, and where it gives up the robust search over the time of flight."""
    ok, s, theta = _min_energy_newton(r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
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
    return True, r[3] - target, th


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
    for _ in range(60):
        b = a + direction * step
        if b > half:
            b = half
        elif b < -half:
            b = -half
        okb, gb, th_b = _g_rotating(mode, target, b, th_a, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
        if okb and (gb == 0.0 or (gb > 0.0) != (ga > 0.0)):
            found = True
            break
        if not okb or abs(b) >= half:
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
    tol_g = 1e-9 * abs(target) if mode == MODE_SPEED else 1e-12
    side = 0
    for _ in range(200):
        c = (a * gb - b * ga) / (gb - ga)
        okc, gc, th_c = _g_rotating(mode, target, c, th_a, r1x, r1y, r1z, r2x, r2y, r2z, omega, mu)
        if not okc:
            return ST_NO_SOLUTION, s0, theta
        if abs(gc) <= tol_g or abs(b - a) < 1e-13:
            return ST_OK, math.tan(c), th_c
        if (gc > 0.0) == (gb > 0.0):
            b = c
            gb = gc
            th_b = th_c
            if side == -1:
                ga *= 0.5
            side = -1
        else:
            a = c
            ga = gc
            th_a = th_c
            if side == 1:
                gb *= 0.5
            side = 1
    return ST_NO_SOLUTION, s0, theta


@jit
def _solve_shape(mode, shape_value, high, r1x, r1y, r1z, p2x, p2y, p2z, n1, n2, a, e2, omega, mu):
    """Burnout slope s and consistent target rotation theta for a trajectory shape.
    Returns (status, s, theta)."""
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
            ok, s, theta = _min_energy_rotating(r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
            if not ok:
                return ST_NO_CONVERGENCE, NAN, 0.0
        elif mode == MODE_APOGEE:
            rref = 0.5 * (n1 + n2)
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
                rref = surface_radius(r[5], r[6], r[7], a, e2)
                new = omega * r[1]
                if abs(new - theta) < THETA_TOL:
                    ok = True
                    break
                theta = new
            if not ok:
                return ST_NO_CONVERGENCE, NAN, 0.0
        else:
            n1b, n2b, cpsi, spsi, ux, uy, uz, tx, ty, tz = plane_geometry(r1x, r1y, r1z, p2x, p2y, p2z)
            if mode == MODE_FPA:
                s0 = math.tan(shape_value)
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
def _solve_full(mode, shape_value, high, r1x, r1y, r1z, p2x, p2y, p2z, n1, n2, a, e2, omega, mu):
    """_solve_shape plus the quasi-ballistic rule: minimum energy, re-solved with the apogee
    capped at shape_value when the minimum-energy apogee is higher. Returns (status, s, theta)."""
    base_mode = MODE_MIN_ENERGY if mode == MODE_QUASI else mode
    status, s, theta = _solve_shape(base_mode, shape_value, high, r1x, r1y, r1z, p2x, p2y, p2z,
                                    n1, n2, a, e2, omega, mu)
    if status == ST_OK and mode == MODE_QUASI:
        r = _state(s, theta, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
        if r[0] and r[4] - surface_radius(r[5], r[6], r[7], a, e2) > shape_value:
            status, s, theta = _solve_shape(MODE_APOGEE, shape_value, high, r1x, r1y, r1z,
                                            p2x, p2y, p2z, n1, n2, a, e2, omega, mu)
    return status, s, theta


@jit
def burnout_point(u1x, u1y, u1z, u2x, u2y, u2z, n1, a, e2, h_bo, d_bo):
    """Burnout position (ECEF, m): d_bo (m) downrange from the launch direction u1 toward the
    target direction u2 on their great circle, h_bo above the ellipsoid along the radius."""
    delta = d_bo / n1
    if delta > 0.0:
        bx, by, bz = rotate_toward(u1x, u1y, u1z, u2x, u2y, u2z, delta)
    else:
        bx, by, bz = u1x, u1y, u1z
    rb = surface_radius(bx, by, bz, a, e2) + h_bo
    return rb * bx, rb * by, rb * bz


@jit
def solve_pair(lat1, lon1, lat2, lon2, a, e2, f, omega, mu, mode, shape_value, high,
               t_boost, h_bo, d_bo, v_max, min_range, max_range, table, v_lo, v_step,
               g_lo, g_step):
    """Flight of one pair (angles in rad, lengths in m). Returns
    (status, flight_time_s, ground_range_m, apogee_m, burnout_speed_m_s, free_flight_s,
     impact_speed_m_s, impact_angle_rad, drag_delay_s)."""
    bad = (ST_BAD_INPUT, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN)
    if not (abs(lat1) <= 0.5 * math.pi and abs(lat2) <= 0.5 * math.pi):
        return bad
    if not (abs(lon1) <= 2.0 * math.pi and abs(lon2) <= 2.0 * math.pi):
        return bad
    p1x, p1y, p1z = geodetic_to_ecef(lat1, lon1, 0.0, a, e2)
    p2x, p2y, p2z = geodetic_to_ecef(lat2, lon2, 0.0, a, e2)
    n1 = math.sqrt(p1x * p1x + p1y * p1y + p1z * p1z)
    n2 = math.sqrt(p2x * p2x + p2y * p2y + p2z * p2z)
    u1x = p1x / n1
    u1y = p1y / n1
    u1z = p1z / n1
    u2x = p2x / n2
    u2y = p2y / n2
    u2z = p2z / n2
    psi_tot = central_angle(u1x, u1y, u1z, u2x, u2y, u2z)
    if e2 == 0.0:
        ground = a * psi_tot  # great-circle distance on the sphere (same as haversine)
    else:
        ground = vincenty_inverse_m(lat1, lon1, lat2, lon2, a, f)
    if psi_tot < 1e-7 or psi_tot > math.pi - 1e-3:
        return (ST_DEGENERATE, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    if math.isnan(ground):
        return (ST_NO_CONVERGENCE, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    if ground < min_range:
        return (ST_BELOW_MIN, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    if mode == MODE_QUASI and ground > max_range:
        # quasi-ballistic classes glide (lift is not modelled): their reach is their published
        # ground range, not a burnout speed
        return (ST_OUT_OF_RANGE, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    # burnout point
    if d_bo / n1 >= 0.9 * psi_tot:
        return (ST_BELOW_MIN, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    r1x, r1y, r1z = burnout_point(u1x, u1y, u1z, u2x, u2y, u2z, n1, a, e2, h_bo, d_bo)

    status, s, theta = _solve_full(mode, shape_value, high, r1x, r1y, r1z, p2x, p2y, p2z, n1, n2,
                                   a, e2, omega, mu)
    if status != ST_OK:
        return (status, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    r = _state(s, theta, r1x, r1y, r1z, p2x, p2y, p2z, omega, mu)
    if not r[0]:
        return (ST_NO_SOLUTION, NAN, ground, NAN, NAN, NAN, NAN, NAN, NAN)
    tof = r[1]
    vrel = math.sqrt(r[2])
    apo = r[4] - surface_radius(r[5], r[6], r[7], a, e2)
    if mode != MODE_QUASI and vrel > v_max * (1.0 + 1e-8):
        return (ST_OUT_OF_RANGE, NAN, ground, NAN, vrel, NAN, NAN, NAN, NAN)
    v_imp = r[8]
    g_imp = math.acos(r[9])
    delay = interp_delay(table, v_lo, v_step, g_lo, g_step, v_imp, g_imp) if table.shape[0] > 0 else 0.0
    return (ST_OK, t_boost + tof + delay, ground, apo, vrel, tof, v_imp, g_imp, delay)


@jit
def burnout_state(lat1, lon1, lat2, lon2, a, e2, omega, mu, mode, shape_value, high, h_bo, d_bo):
    """Burnout position (ECEF, m) and velocity relative to the Earth (m/s) of the solved
    trajectory, its free-flight time (s) and status: the state the tests integrate
    independently. Returns (status, rx, ry, rz, vx, vy, vz, tof)."""
    p1x, p1y, p1z = geodetic_to_ecef(lat1, lon1, 0.0, a, e2)
    p2x, p2y, p2z = geodetic_to_ecef(lat2, lon2, 0.0, a, e2)
    n1 = math.sqrt(p1x * p1x + p1y * p1y + p1z * p1z)
    n2 = math.sqrt(p2x * p2x + p2y * p2y + p2z * p2z)
    r1x, r1y, r1z = burnout_point(p1x / n1, p1y / n1, p1z / n1, p2x / n2, p2y / n2, p2z / n2, n1, a, e2,
                                  h_bo, d_bo)
    status, s, theta = _solve_full(mode, shape_value, high, r1x, r1y, r1z, p2x, p2y, p2z,
                                   n1, n2, a, e2, omega, mu)
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
    return ST_OK, r1x, r1y, r1z, vx, vy, vz, tof
