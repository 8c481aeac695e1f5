"""Ground-radar line of sight (core/sensors_los.elevation_and_slant) against independent geometry.

Model (module docstring of core/sensors_los.py): standard refraction as a k-times effective
Earth (k = 4/3): Earth radius R -> kR with heights and the ground arc kept, so radar and target
sit at radii A = kR + h_r and B = kR + h_t separated by phi / k (phi the true central angle).
R is the radar's geocentric distance less its height.

Expected values, never from warning_time:
- ``effective_earth_los`` (independent.py): law of cosines for the slant, law of cosines and law
  of sines for the elevation, combined with atan2;
- the grazing (tangent) condition of the line of sight on the sphere of radius kR:
  phi / k = acos(kR / A) + acos(kR / B); at that angle the elevation is minus the dip of the
  horizon, acos(kR / A);
- the classic radar-horizon formula d = sqrt(2 k R h) (FS-1037C) and the shared REFERENCES
  tables: k = 4/3, h_r = 0: 922, 1303, 1843, 2915 km at h_t = 50, 100, 200, 500 km (that is
  sqrt(2 k R h), a small-height approximation of the ground arc k R acos(kR / (kR + h)), whose
  relative error is -5 h / (12 k R) to first order: -0.25 % at 50 km, -2.4 % at 500 km); k = 1:
  800, 1133, 1609, 1978, 2573, 3707 km at h_t = 50, 100, 200, 300, 500, 1000 km (the straight
  tangent length sqrt(2 R h + h^2), i.e. the slant range to the horizon).
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from warning_time.core.sensors_los import elevation_and_slant

from independent import (R_SPHERE, central_angle, ecef, effective_earth_los, ellipsoid_radius,
                         radar_horizon_angle)

K43 = 4.0 / 3.0


def kernel(radar, h_r, target, h_t, k):
    el, sl = elevation_and_slant(float(radar[0]), float(radar[1]), float(radar[2]), float(h_r),
                                 float(target[0]), float(target[1]), float(target[2]), float(h_t),
                                 float(k))
    return float(el), float(sl)


def equatorial(phi, radius):
    """A point at central angle phi from the +x axis in the equatorial plane."""
    return np.array([radius * math.cos(phi), radius * math.sin(phi), 0.0])


def radar_on_sphere(h_r, R=R_SPHERE):
    """Radar on the +x axis at height h_r over a sphere of radius R (the kernel's R is then R)."""
    return np.array([R + h_r, 0.0, 0.0])


def offset_direction(u, phi, az):
    """Unit vector at angle phi from the unit vector u, toward azimuth az (rad) about u."""
    u = np.asarray(u, float) / np.linalg.norm(u)
    e = np.cross([0.0, 0.0, 1.0], u)
    if np.linalg.norm(e) < 1e-12:
        e = np.array([1.0, 0.0, 0.0])
    e /= np.linalg.norm(e)
    n = np.cross(u, e)
    t = math.cos(az) * e + math.sin(az) * n
    return math.cos(phi) * u + math.sin(phi) * t


# --------------------------------------------------------------------------------------------
# (a) straight above the radar
# --------------------------------------------------------------------------------------------

ZENITH = [(54.36, -0.67, 270.0, 100e3), (38.23, 37.92, 2000.0, 1.0e6), (0.0, 0.0, 0.0, 50e3),
          (-70.0, 120.0, 60.0, 300e3), (89.9, 10.0, 140.0, 2000e3)]


@pytest.mark.parametrize("lat, lon, h_r, h_t", ZENITH)
@pytest.mark.parametrize("k", [1.0, K43])
def test_point_straight_above_is_at_zenith(lat, lon, h_r, h_t, k, residual):
    """A target on the radar's geocentric radial (the vertical of the spherical effective-Earth
    model), 50 km or more above the radar: elevation 90 deg, slant = height difference; the
    reverse (radar above the target on the same radial) is at -90 deg.

    Tolerance 1e-5 rad, not 1e-9: near +-90 deg the kernel's asin of a ratio whose slant is
    computed as sqrt(A^2 + B^2 - 2AB cos) loses precision (see the xfail test below)."""
    r = ecef(lat, lon, h_r)
    p = r * (1.0 + (h_t - h_r) / np.linalg.norm(r))
    el, sl = kernel(r, h_r, p, h_t, k)
    residual("radar LOS: zenith elevation - 90 deg (>= 50 km above)", el - math.pi / 2, "rad")
    residual("radar LOS: zenith slant - height difference (>= 50 km above)", sl - (h_t - h_r), "m")
    assert el == pytest.approx(math.pi / 2, abs=1e-5)
    assert sl == pytest.approx(h_t - h_r, abs=1e-2)
    el_b, sl_b = kernel(p, h_t, r, h_r, k)
    assert el_b == pytest.approx(-math.pi / 2, abs=1e-5)
    assert sl_b == pytest.approx(h_t - h_r, abs=1e-2)
    # exactly on an axis (central angle exactly 0) the result is exact
    el0, sl0 = kernel(radar_on_sphere(h_r), h_r, radar_on_sphere(h_t), h_t, k)
    assert el0 == math.pi / 2
    assert sl0 == pytest.approx(h_t - h_r, abs=1e-6)


@pytest.mark.parametrize("dh", [10.0, 1000.0])
def test_near_vertical_precision(dh):
    worst = 0.0
    rng = np.random.default_rng(0)
    for _ in range(200):
        lat, lon, h_r = rng.uniform(-90, 90), rng.uniform(-180, 180), rng.uniform(0, 3000)
        r = ecef(lat, lon, h_r)
        p = r * (1.0 + dh / np.linalg.norm(r))
        el, _ = kernel(r, h_r, p, h_r + dh, K43)
        worst = max(worst, abs(el - math.pi / 2))
    assert worst < 1e-9


# --------------------------------------------------------------------------------------------
# random geometries against the law of cosines
# --------------------------------------------------------------------------------------------

def random_cases(n, seed):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        lat = math.degrees(math.asin(rng.uniform(-1, 1)))
        lon = rng.uniform(-180, 180)
        h_r = rng.uniform(0.0, 3000.0)
        r = ecef(lat, lon, h_r)
        phi = rng.uniform(0.0, math.radians(35.0)) if rng.uniform() < 0.8 else rng.uniform(0.0, math.pi)
        d = offset_direction(r, phi, rng.uniform(0, 2 * math.pi))
        h_t = rng.choice([rng.uniform(0.0, 20e3), rng.uniform(0.0, 1.5e6)])
        p = d * (ellipsoid_radius(d) + h_t)
        yield r, h_r, p, h_t


@pytest.mark.parametrize("k", [1.0, K43, 2.0])
def test_elevation_and_slant_match_law_of_cosines(k, residual):
    n_checked = 0
    for r, h_r, p, h_t in random_cases(400, seed=int(k * 100)):
        R = float(np.linalg.norm(r)) - h_r
        phi = central_angle(r, p)
        el_ref, s_ref = effective_earth_los(phi, R, h_r, h_t, k)
        el, sl = kernel(r, h_r, p, h_t, k)
        residual("radar LOS: elevation vs law of cosines (random geometries)", el - el_ref, "rad")
        residual("radar LOS: slant vs law of cosines, relative (random geometries)", (sl - s_ref) / s_ref, "")
        assert el == pytest.approx(el_ref, abs=1e-9), (r, h_r, p, h_t, k)
        assert sl == pytest.approx(s_ref, rel=1e-9, abs=1e-4), (r, h_r, p, h_t, k)
        n_checked += 1
    assert n_checked == 400


@pytest.mark.parametrize("h_r, h_t", [(0.0, 100e3), (60.0, 20e3), (2000.0, 500e3), (270.0, 1200e3)])
def test_zero_elevation_is_the_radar_horizontal_plane(h_r, h_t, residual):
    """el = 0 exactly when the target lies on the radar's horizontal plane of the effective
    Earth: B cos(phi/k) = A, i.e. phi = k acos(A / B); above that plane for smaller phi."""
    k = K43
    R = R_SPHERE
    A, B = k * R + h_r, k * R + h_t
    phi0 = k * math.acos(A / B)
    r = radar_on_sphere(h_r)
    el, _ = kernel(r, h_r, equatorial(phi0, R + h_t), h_t, k)
    residual("radar LOS: elevation on the horizontal plane", el, "rad")
    assert el == pytest.approx(0.0, abs=1e-9)
    assert kernel(r, h_r, equatorial(phi0 * (1 - 1e-4), R + h_t), h_t, k)[0] > 0.0
    assert kernel(r, h_r, equatorial(phi0 * (1 + 1e-4), R + h_t), h_t, k)[0] < 0.0


# --------------------------------------------------------------------------------------------
# (b) the 4/3-Earth horizon
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("h_r, h_t", [(0.0, 50e3), (60.0, 15e3), (270.0, 120e3), (2000.0, 227e3),
                                      (140.0, 1000e3)])
@pytest.mark.parametrize("k", [1.0, K43])
def test_grazing_line_of_sight_is_at_minus_the_dip(h_r, h_t, k, residual):
    """At the tangent angle phi_h = k (acos(kR/A) + acos(kR/B)) the line of sight grazes the
    effective Earth: the elevation is -dip, dip = acos(kR/A). Slightly nearer the target is
    above that grazing line (visible over the bulge), slightly farther it is below."""
    R = R_SPHERE
    kR = k * R
    dip = math.acos(kR / (kR + h_r))
    phi_h = radar_horizon_angle(R, h_r, h_t, k)
    r = radar_on_sphere(h_r)
    el, sl = kernel(r, h_r, equatorial(phi_h, R + h_t), h_t, k)
    # tangent lengths from both ends to the grazing point add up to the slant range
    s_ref = math.sqrt((kR + h_r) ** 2 - kR ** 2) + math.sqrt((kR + h_t) ** 2 - kR ** 2)
    residual("radar LOS: elevation at the grazing angle + dip", el + dip, "rad")
    residual("radar LOS: slant at the grazing angle vs tangent lengths, relative", (sl - s_ref) / s_ref, "")
    assert el == pytest.approx(-dip, abs=1e-9)
    assert sl == pytest.approx(s_ref, rel=1e-9)
    for eps in (1e-3, 1e-6):
        el_in, _ = kernel(r, h_r, equatorial(phi_h * (1 - eps), R + h_t), h_t, k)
        el_out, _ = kernel(r, h_r, equatorial(phi_h * (1 + eps), R + h_t), h_t, k)
        assert el_in > -dip
        assert el_out < -dip


def kernel_horizon_angle(h_t, k, R=R_SPHERE):
    """Central angle where the kernel's elevation from a radar on the surface (h_r = 0, dip 0)
    crosses zero, found by bracketing on the kernel alone."""
    r = radar_on_sphere(0.0, R)
    f = lambda phi: kernel(r, 0.0, equatorial(phi, R + h_t), h_t, k)[0]  # noqa: E731
    return brentq(f, 1e-9, 0.99 * k * math.pi / 2, xtol=1e-15, rtol=1e-15)  # el < 0 at phi/k -> pi/2


REF_43 = [(50e3, 922e3), (100e3, 1303e3), (200e3, 1843e3), (500e3, 2915e3)]


@pytest.mark.parametrize("h_t, d_table", REF_43, ids=[f"{h / 1e3:g}km" for h, _ in REF_43])
def test_four_thirds_horizon_distance(h_t, d_table, residual):
    k = K43
    R = R_SPHERE
    x = h_t / (k * R)
    d_kernel = R * kernel_horizon_angle(h_t, k)
    d_exact = k * R * math.acos(1.0 / (1.0 + x))  # ground arc to the grazing point
    d_classic = math.sqrt(2 * k * R * h_t)
    residual("radar horizon 4/3 Earth: ground arc vs exact tangent, relative", d_kernel / d_exact - 1, "")
    assert d_kernel == pytest.approx(d_exact, rel=1e-9)
    # the table is the classic small-height formula, to its rounding
    assert d_table == pytest.approx(d_classic, abs=600.0)
    rel = d_kernel / d_classic - 1
    if h_t <= 100e3:  # beyond, the classic formula's own O(h / kR) error exceeds 0.5 %
        residual("radar horizon 4/3 Earth: ground arc vs sqrt(2kRh), h <= 100 km, relative", rel, "")
        assert abs(rel) < 0.005
        assert abs(d_kernel / d_table - 1) < 0.005
    # at every height it agrees with the classic formula's first-order correction (1 - 5x/12)
    rel1 = d_kernel / (d_classic * (1 - 5 * x / 12)) - 1
    residual("radar horizon 4/3 Earth: ground arc vs sqrt(2kRh)(1 - 5h/12kR), relative", rel1, "")
    assert abs(rel1) < 0.005


@pytest.mark.parametrize("h_r, h_t", [(30.0, 10e3), (60.0, 2e3), (270.0, 20e3)])
def test_two_height_horizon_small_heights(h_r, h_t, residual):
    """FS-1037C: d = sqrt(2kRh_r) + sqrt(2kRh_t) for small heights (ground arc at el = -dip)."""
    k, R = K43, R_SPHERE
    r = radar_on_sphere(h_r)
    dip = math.acos(k * R / (k * R + h_r))
    phi = brentq(lambda p: kernel(r, h_r, equatorial(p, R + h_t), h_t, k)[0] + dip, 1e-9, 0.5,
                 xtol=1e-15, rtol=1e-15)
    d_classic = math.sqrt(2 * k * R * h_r) + math.sqrt(2 * k * R * h_t)
    residual("radar horizon 4/3 Earth: two heights vs FS-1037C, relative", R * phi / d_classic - 1, "")
    assert R * phi == pytest.approx(d_classic, rel=0.002)


REF_1 = [(50e3, 800e3), (100e3, 1133e3), (200e3, 1609e3), (300e3, 1978e3), (500e3, 2573e3), (1000e3, 3707e3)]


@pytest.mark.parametrize("h_t, s_table", REF_1, ids=[f"{h / 1e3:g}km" for h, _ in REF_1])
def test_geometric_horizon_k1_table(h_t, s_table, residual):
    """k = 1 (no refraction): the slant range to the horizon is the tangent length
    sqrt(2Rh + h^2); the REFERENCES table to 1 %."""
    R = R_SPHERE
    phi = kernel_horizon_angle(h_t, 1.0)
    assert phi == pytest.approx(math.acos(R / (R + h_t)), rel=1e-9)
    _, sl = kernel(radar_on_sphere(0.0), 0.0, equatorial(phi, R + h_t), h_t, 1.0)
    residual("radar horizon k=1: slant vs REFERENCES table, relative", sl / s_table - 1, "")
    assert sl == pytest.approx(math.sqrt(2 * R * h_t + h_t ** 2), rel=1e-9)
    assert sl == pytest.approx(s_table, rel=0.01)


# --------------------------------------------------------------------------------------------
# (c) behind the Earth
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("phi_deg", [60.0, 120.0, 162.0, 179.9, 180.0])
@pytest.mark.parametrize("h_t", [0.0, 300e3, 1500e3])
@pytest.mark.parametrize("k", [1.0, K43])
def test_point_behind_the_earth_is_below_the_horizon(phi_deg, h_t, k, residual):
    h_r = 270.0
    R = R_SPHERE
    r = radar_on_sphere(h_r)
    phi = math.radians(phi_deg)
    p = equatorial(phi, R + h_t)
    el, sl = kernel(r, h_r, p, h_t, k)
    el_ref, s_ref = effective_earth_los(central_angle(r, p), R, h_r, h_t, k)
    residual("radar LOS: elevation behind the Earth vs law of cosines", el - el_ref, "rad")
    assert el < 0.0
    assert phi > radar_horizon_angle(R, h_r, h_t, k)  # beyond the grazing angle ...
    assert el < -math.acos(k * R / (k * R + h_r))  # ... so below the grazing line
    assert el == pytest.approx(el_ref, abs=1e-9)
    assert sl == pytest.approx(s_ref, rel=1e-9)
