"""Geodesy kernels: geodetic <-> Earth-centred Earth-fixed (ECEF), ellipsoid radius along a
direction, geodesic distance (Vincenty), great-circle stepping. SI units, radians inside.

An Earth model is passed as (a, e2): semi-major axis (m) and first eccentricity squared;
a sphere is e2 = 0.
"""
import math

from ._jit import jit, jit_inline


@jit
def geodetic_to_ecef(lat, lon, h, a, e2):
    """Geodetic latitude/longitude (rad) and height (m) to ECEF (m).

    N = a / sqrt(1 - e2 sin^2 lat); X = (N + h) cos lat cos lon; Y = (N + h) cos lat sin lon;
    Z = (N (1 - e2) + h) sin lat. (NIMA TR8350.2, eq. 4-14.)
    """
    s = math.sin(lat)
    c = math.cos(lat)
    n = a / math.sqrt(1.0 - e2 * s * s)
    return (n + h) * c * math.cos(lon), (n + h) * c * math.sin(lon), (n * (1.0 - e2) + h) * s


@jit
def sphere_unit(lat, lon):
    """Unit vector (x, y, z) of latitude/longitude (rad) on the unit sphere."""
    c = math.cos(lat)
    return c * math.cos(lon), c * math.sin(lon), math.sin(lat)


@jit
def north_east(lat, lon):
    """Local north and east unit vectors (ECEF components) at geodetic latitude/longitude (rad):
    (n_x, n_y, n_z, e_x, e_y, e_z)."""
    cl = math.cos(lat)
    sl = math.sin(lat)
    co = math.cos(lon)
    so = math.sin(lon)
    return -sl * co, -sl * so, cl, -so, co, 0.0


@jit_inline
def ecef_sc(slat, clat, clon, slon, a, e2):
    """Surface point (h = 0) of :func:`geodetic_to_ecef` from the sines and cosines of the
    geodetic latitude and the longitude."""
    n = a / math.sqrt(1.0 - e2 * slat * slat) if e2 != 0.0 else a
    return n * clat * clon, n * clat * slon, n * (1.0 - e2) * slat


@jit
def ecef_to_geodetic(x, y, z, a, e2):
    """ECEF (m) to geodetic latitude, longitude (rad) and height (m).

    Bowring's iteration, run to convergence (5 passes give < 1e-9 m for |h| < 1e7 m).
    """
    lon = math.atan2(y, x)
    p = math.hypot(x, y)
    if e2 == 0.0:
        return math.atan2(z, p), lon, math.sqrt(p * p + z * z) - a
    lat = math.atan2(z, p * (1.0 - e2))
    h = 0.0
    for _ in range(6):
        s = math.sin(lat)
        n = a / math.sqrt(1.0 - e2 * s * s)
        h = p / math.cos(lat) - n if abs(lat) < 1.2 else z / s - n * (1.0 - e2)
        lat = math.atan2(z, p * (1.0 - e2 * n / (n + h)))
    return lat, lon, h


@jit_inline
def surface_radius(ux, uy, uz, a, e2):
    """Geocentric radius (m) of the ellipsoid surface along the unit direction (ux, uy, uz).

    1/r^2 = (ux^2 + uy^2)/a^2 + uz^2/b^2, with b^2 = a^2 (1 - e2).
    """
    b2 = a * a * (1.0 - e2)
    return 1.0 / math.sqrt((ux * ux + uy * uy) / (a * a) + uz * uz / b2)


@jit_inline
def central_angle(ux, uy, uz, vx, vy, vz):
    """Angle (rad) between two unit vectors, accurate at small and large angles (atan2 form)."""
    cx = uy * vz - uz * vy
    cy = uz * vx - ux * vz
    cz = ux * vy - uy * vx
    return math.atan2(math.sqrt(cx * cx + cy * cy + cz * cz), ux * vx + uy * vy + uz * vz)


@jit_inline
def rotate_toward(ux, uy, uz, vx, vy, vz, angle):
    """Unit vector obtained by turning unit u toward unit v by ``angle`` (rad) on their great circle."""
    d = ux * vx + uy * vy + uz * vz
    tx = vx - d * ux
    ty = vy - d * uy
    tz = vz - d * uz
    tn = math.sqrt(tx * tx + ty * ty + tz * tz)
    c = math.cos(angle)
    s = math.sin(angle) / tn
    return c * ux + s * tx, c * uy + s * ty, c * uz + s * tz


@jit
def haversine_m(lat1, lon1, lat2, lon2, r):
    """Great-circle distance (m) on a sphere of radius r (haversine formula)."""
    sdlat = math.sin(0.5 * (lat2 - lat1))
    sdlon = math.sin(0.5 * (lon2 - lon1))
    h = sdlat * sdlat + math.cos(lat1) * math.cos(lat2) * sdlon * sdlon
    return 2.0 * r * math.asin(math.sqrt(min(1.0, h)))


@jit
def vincenty_inverse_m(lat1, lon1, lat2, lon2, a, f):
    """Geodesic distance (m) on the ellipsoid (a, f) by Vincenty's inverse method.

    T. Vincenty, "Direct and inverse solutions of geodesics on the ellipsoid with application of
    nested equations", Survey Review 23 (176), 1975, eqs. (3)-(6), (13)-(14) with the lambda
    iteration. Accurate to well under a millimetre where it converges; it fails to converge only
    for nearly antipodal points, for which it returns NaN (the caller flags the pair).
    """
    if f == 0.0:
        return haversine_m(lat1, lon1, lat2, lon2, a)
    return vincenty_sc(math.sin(lat1), math.cos(lat1), math.sin(lat2), math.cos(lat2),
                       lon2 - lon1, a, f)


@jit
def vincenty_sc(s1, c1, s2, c2, L, a, f):
    """:func:`vincenty_inverse_m` from the sines and cosines of the geodetic latitudes and the
    longitude difference L (rad), for callers that already have them. The reduced latitude
    tan U = (1 - f) tan(lat) is formed without trigonometric calls:
    (cos U, sin U) = (cos lat, (1 - f) sin lat) / sqrt(cos^2 lat + (1 - f)^2 sin^2 lat).

    The lambda iteration lambda <- L + g(lambda) contracts by a factor ~f per step; once the
    residual is small (< 1e-4 rad) secant steps on lambda - (L + g(lambda)) replace it, which
    converge superlinearly (3 evaluations instead of 5 at European ranges). It stops when the
    residual at the evaluated lambda is below 1e-11 rad (< 0.1 mm of distance)."""
    b = a * (1.0 - f)
    k1 = (1.0 - f) * s1
    k2 = (1.0 - f) * s2
    n1 = 1.0 / math.sqrt(c1 * c1 + k1 * k1)
    n2 = 1.0 / math.sqrt(c2 * c2 + k2 * k2)
    sU1 = k1 * n1
    cU1 = c1 * n1
    sU2 = k2 * n2
    cU2 = c2 * n2
    lam = L
    lam_prev = 0.0
    res_prev = 0.0
    for it in range(200):
        sl = math.sin(lam)
        cl = math.cos(lam)
        t1 = cU2 * sl
        t2 = cU1 * sU2 - sU1 * cU2 * cl
        ss = math.sqrt(t1 * t1 + t2 * t2)
        if ss == 0.0:
            return 0.0
        cs = sU1 * sU2 + cU1 * cU2 * cl
        sigma = math.atan2(ss, cs)
        salpha = cU1 * cU2 * sl / ss
        c2a = 1.0 - salpha * salpha
        c2sm = cs - 2.0 * sU1 * sU2 / c2a if c2a != 0.0 else 0.0
        C = f / 16.0 * c2a * (4.0 + f * (4.0 - 3.0 * c2a))
        lam_fp = L + (1.0 - C) * f * salpha * (
            sigma + C * ss * (c2sm + C * cs * (-1.0 + 2.0 * c2sm * c2sm))
        )
        res = lam_fp - lam
        if abs(res) < 1e-11:
            u2 = c2a * (a * a - b * b) / (b * b)
            A = 1.0 + u2 / 16384.0 * (4096.0 + u2 * (-768.0 + u2 * (320.0 - 175.0 * u2)))
            B = u2 / 1024.0 * (256.0 + u2 * (-128.0 + u2 * (74.0 - 47.0 * u2)))
            ds = B * ss * (
                c2sm
                + B / 4.0 * (
                    cs * (-1.0 + 2.0 * c2sm * c2sm)
                    - B / 6.0 * c2sm * (-3.0 + 4.0 * ss * ss) * (-3.0 + 4.0 * c2sm * c2sm)
                )
            )
            return b * A * (sigma - ds)
        if it > 0 and abs(res) < 1e-4 and res != res_prev:
            new = lam - res * (lam - lam_prev) / (res - res_prev)
        else:
            new = lam_fp
        lam_prev = lam
        res_prev = res
        lam = new
    return math.nan
