"""Free-flight conics between two positions (two-body, point-mass Earth), SI units.

The flight plane contains the burnout position r1 and the aim point r2 (both inertial, m).
With Psi the transfer angle between them (0 < Psi < pi) and s = tan(gamma) the tangent of the
burnout flight-path angle above the local horizontal, the polar conic equation
u'' + u = mu/h^2 (u = 1/r) integrated from r1 gives, at Psi,

    v1^2 = mu (1 - cos Psi) (1 + s^2) / (r1 (r1/r2 - cos Psi + s sin Psi))       (K1)

which for r1 = r2 is Bate, Mueller & White (BMW) eq. 6.2-12 rearranged. The semi-latus
rectum is p = r1 (1 - cos Psi) / (r1/r2 - cos Psi + s sin Psi); e cos nu1 = p/r1 - 1,
e sin nu1 = (p/r1) s. The time of flight comes from the eccentric anomalies (Kepler's
equation, BMW eq. 4.2-9 / 6.2-22):  e cos E = 1 - r/a, e sin E = e sin nu r / sqrt(p a),
t = sqrt(a^3/mu) [(E2 - E1) - (e sin E2 - e sin E1)].

Closed-form selectors of s (all for a fixed aim point):
- minimum energy (least v1): tan 2 gamma = sin Psi / (r1/r2 - cos Psi) (maximising the
  denominator of K1); for r1 = r2 this is BMW 6.2-18, gamma = (pi - Psi)/4.
- given burnout speed: K cos 2g + sin Psi sin 2g = 2C - K with C = mu (1 - cos Psi)/(r1 v1^2),
  K = r1/r2 - cos Psi: two roots, low and high (BMW 6.2-16 for r1 = r2).
- given apogee radius ra: cos a_i = rho_i - (rho_i - 1)/e (rho_i = ra/r_i, a_i the angle from
  r_i to apogee), a1 + a2 = Psi; eliminating a2 gives a quadratic in 1/e.
"""
import math

from ._jit import jit, jit_inline

TWO_PI = 2.0 * math.pi
#: Radius of the Earth's sphere of influence in the Sun's field (m): Laplace's
#: r = a (m_Earth / m_Sun)^(2/5) with a = 1 AU = 1.495978707e11 m (IAU 2012 Resolution B2) and
#: m_Sun / m_Earth = 332,946.0487 (IAU 2009 system of astronomical constants): 9.25e8 m, the
#: 925,000 km of Curtis, Orbital Mechanics for Engineering Students, Table A.2. Beyond it a
#: two-body (point-mass Earth) conic means nothing: arcs whose apogee lies beyond it get the
#: status "escape", like the open (parabolic and hyperbolic) ones.
EARTH_SOI_M = 1.495978707e11 * (1.0 / 332946.0487) ** 0.4


@jit
def plane_geometry(r1x, r1y, r1z, r2x, r2y, r2z):
    """Transfer geometry: |r1|, |r2|, cos Psi, sin Psi and the in-plane horizontal unit vector
    at r1 pointing toward r2 (t-hat). sin Psi = 0 means the plane is undefined."""
    n1 = math.sqrt(r1x * r1x + r1y * r1y + r1z * r1z)
    n2 = math.sqrt(r2x * r2x + r2y * r2y + r2z * r2z)
    i1 = 1.0 / n1
    i2 = 1.0 / n2
    return plane_from_units(n1, r1x * i1, r1y * i1, r1z * i1, n2, r2x * i2, r2y * i2, r2z * i2)


@jit_inline
def plane_from_units(n1, ux, uy, uz, n2, vx, vy, vz):
    """:func:`plane_geometry` from the radii and the unit directions of r1 and r2."""
    c = ux * vx + uy * vy + uz * vz
    tx = vx - c * ux
    ty = vy - c * uy
    tz = vz - c * uz
    s = math.sqrt(tx * tx + ty * ty + tz * tz)
    if s > 0.0:
        i = 1.0 / s
        tx *= i
        ty *= i
        tz *= i
    return n1, n2, c, s, ux, uy, uz, tx, ty, tz


@jit
def conic_from_slope(r1, r2, cpsi, spsi, s, mu):
    """Conic through r1 and r2 (transfer angle with cos cpsi, sin spsi) for burnout slope
    s = tan(flight-path angle).

    Returns (ok, v1, tof, a, e, rmax, cos_nu_apo_from_r1, sin_nu_apo_from_r1) where rmax is the
    greatest radius reached between r1 and r2 and (cos, sin) give the angle from r1 to it.
    ok is False when no elliptic conic of that slope reaches r2 going forward.
    """
    k = r1 / r2 - cpsi
    den = k + s * spsi
    if not (den > 0.0):
        return False, math.nan, math.nan, math.nan, math.nan, math.nan, 1.0, 0.0
    one_m_c = 1.0 - cpsi
    if one_m_c < 1e-6:
        # accurate 1 - cos Psi for small angles: 2 sin^2(Psi/2) = s^2 / (1 + c)
        one_m_c = spsi * spsi / (1.0 + cpsi)
    q = one_m_c / den  # p / r1
    v2 = mu * q * (1.0 + s * s) / r1
    inv_a = 2.0 / r1 - v2 / mu
    if not (inv_a > 0.0):
        return False, math.sqrt(v2), math.nan, math.nan, math.nan, math.nan, 1.0, 0.0
    a = 1.0 / inv_a
    p = q * r1
    ec1 = q - 1.0
    es1 = q * s
    e = math.sqrt(ec1 * ec1 + es1 * es1)
    es2 = es1 * cpsi + ec1 * spsi
    if es1 < 0.0 and es2 > 0.0:
        # descending at burnout, ascending at the aim point: the arc passes perigee, i.e. dips
        # below the aim point's radius (underground for a surface target) - not a trajectory
        return False, math.sqrt(v2), math.nan, math.nan, math.nan, math.nan, 1.0, 0.0
    spa = math.sqrt(p * a)
    eE1c = 1.0 - r1 / a
    eE1s = es1 * r1 / spa
    eE2c = 1.0 - r2 / a
    eE2s = es2 * r2 / spa
    # E2 - E1 from one atan2 of the rotation between (cos E1, sin E1) and (cos E2, sin E2)
    dE = math.atan2(eE2s * eE1c - eE2c * eE1s, eE2c * eE1c + eE2s * eE1s)
    if dE < 0.0:
        dE += TWO_PI
    tof = math.sqrt(a * a * a / mu) * (dE - (eE2s - eE1s))
    # apogee (E = pi) inside the arc: burnout before apogee (sin E1 >= 0, E1 in [0, pi]) and
    # impact after it (sin E2 <= 0) or an arc longer than pi
    if e > 0.0 and eE1s >= 0.0 and (eE2s <= 0.0 or dE >= math.pi):
        rmax = a * (1.0 + e)
        # angle from r1 to apogee: true anomaly of apogee is pi; nu1 from (ec1, es1)
        cn = -ec1 / e
        sn = es1 / e
    else:
        if r1 >= r2:
            rmax = r1
            cn = 1.0
            sn = 0.0
        else:
            rmax = r2
            cn = cpsi
            sn = spsi
    return True, math.sqrt(v2), tof, a, e, rmax, cn, sn


@jit_inline
def slope_min_energy(r1, r2, cpsi, spsi):
    """tan of the minimum-energy burnout flight-path angle: tan 2g = sin Psi / (r1/r2 - cos Psi)."""
    k = r1 / r2 - cpsi
    return spsi / (k + math.sqrt(k * k + spsi * spsi))


@jit
def slope_for_speed(r1, r2, cpsi, spsi, v1, mu, high):
    """tan of the flight-path angle giving burnout speed v1 (m/s); ``high`` picks the lofted
    root. NaN when v1 is below the minimum-energy speed."""
    k = r1 / r2 - cpsi
    C = mu * (1.0 - cpsi) / (r1 * v1 * v1)
    R = math.hypot(k, spsi)
    x = (2.0 * C - k) / R
    if x > 1.0 or x < -1.0:
        return math.nan
    phi0 = math.atan2(spsi, k)
    d = math.acos(x)
    g = 0.5 * (phi0 + d) if high else 0.5 * (phi0 - d)
    if g >= 0.5 * math.pi or g <= -0.5 * math.pi:
        return math.nan
    return math.tan(g)


@jit
def slope_for_apogee(r1, r2, cpsi, spsi, ra):
    """tan of the flight-path angle of the conic whose apogee radius is ``ra`` (m) and lies
    between r1 and r2. NaN when no such conic exists (ra below an end point, or the apogee
    would fall outside the arc)."""
    if ra < r1 or ra < r2:
        return math.nan
    rho1 = ra / r1
    rho2 = ra / r2
    A1 = rho1
    B1 = -(rho1 - 1.0)
    A2 = rho2
    B2 = -(rho2 - 1.0)
    D0 = A2 - cpsi * A1
    D1 = B2 - cpsi * B1
    s2 = spsi * spsi
    qa = s2 * B1 * B1 + D1 * D1
    qb = 2.0 * (s2 * A1 * B1 + D0 * D1)
    qc = s2 * A1 * A1 + D0 * D0 - s2
    disc = qb * qb - 4.0 * qa * qc
    if disc < 0.0:
        if disc > -1e-12 * qb * qb:
            disc = 0.0
        else:
            return math.nan
    sq = math.sqrt(disc)
    # numerically stable pair of roots
    if qb >= 0.0:
        t = -0.5 * (qb + sq)
    else:
        t = -0.5 * (qb - sq)
    best = math.nan
    for i in range(2):
        if i == 0:
            x = t / qa if qa != 0.0 else math.nan
        else:
            x = qc / t if t != 0.0 else math.nan
        if not (x >= 1.0):
            continue
        e = 1.0 / x
        c1 = A1 + B1 * x
        sa1 = (A2 + B2 * x - cpsi * c1) / spsi
        sa2 = spsi * c1 - cpsi * sa1
        if sa1 < -1e-9 or sa2 < -1e-9 or c1 > 1.0 + 1e-9 or c1 < -1.0 - 1e-9:
            continue
        s = e * sa1 / (1.0 - e * c1)
        if math.isnan(best) or abs(s) < abs(best):
            best = s
    return best
