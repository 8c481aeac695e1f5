"""Independent reconstruction of a flight of the model and of what a radar sees of it, for the
warning tests. Nothing here imports warning_time's kernels except the one input named below.

- Flight: boost as the model's kinematic stand-in ((t / t_b)^2 of the burnout altitude and of
  the arc to the burnout point); free flight by integrating the package's burnout state (the
  one input taken from warning_time.core.trajectory.burnout_state) in the Earth-fixed frame with
  scipy (independent.fly_dense). Valid until the entry altitude (no drag stretch).
- Radar: line of sight by a ray trace through the ITU-R P.453 exponential refractivity profile
  (independent.ray_trace_mask: the mask ray, integrated as a Cartesian ray equation); a target at
  height h and central angle phi is above the mask when phi <= the mask ray's angle at h. Sector
  by the azimuth and geometric elevation in the radar's local geodetic frame; detection range
  R_ref (sigma / sigma_ref)^(1/4) for the object in view (booster, post-boost vehicle, re-entry
  vehicle), values read from the TOML files with tomllib.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq

from independent import A_WGS84, F_WGS84, MU, OMEGA, central_angle, ecef, ellipsoid_radius, fly_dense, ray_trace_mask

E2_WGS84 = F_WGS84 * (2 - F_WGS84)


def burnout_point(launch, target, h_bo, d_bo):
    """Burnout position: the launch point's geocentric direction turned toward the target's by
    d_bo / |r_launch| on their great circle, h_bo above the ellipsoid along that direction."""
    p1, p2 = ecef(*launch), ecef(*target)
    u1, u2 = p1 / np.linalg.norm(p1), p2 / np.linalg.norm(p2)
    t = u2 - np.dot(u1, u2) * u1
    t /= np.linalg.norm(t)
    ang = d_bo / np.linalg.norm(p1)
    u = math.cos(ang) * u1 + math.sin(ang) * t
    return u * (ellipsoid_radius(u) + h_bo)


class Flight:
    """Independent Earth-fixed trajectory of one flight of the model (until the vacuum impact;
    the model's drag stretch after the entry altitude is not rebuilt, so use it before entry).
    ``t_b``, ``h_bo``, ``d_bo`` (s, m, m) come from the catalog TOML."""

    def __init__(self, launch, target, t_b, h_bo, d_bo, mode, value):
        from warning_time.core import trajectory as tr

        self.t_b, self.h_bo = t_b, h_bo
        out = tr.burnout_state(*np.radians([*launch, *target]), A_WGS84, E2_WGS84, OMEGA, MU, mode,
                               value, False, h_bo, d_bo)
        assert out[0] == 0
        self.r0, v0, self.tof = np.array(out[1:4]), np.array(out[4:7]), out[7]
        assert np.linalg.norm(self.r0 - burnout_point(launch, target, h_bo, d_bo)) < 1e-3
        self.sol = fly_dense(self.r0, v0, self.tof, rotating=True)
        p1 = ecef(*launch)
        self.u1 = p1 / np.linalg.norm(p1)
        self.ub = self.r0 / np.linalg.norm(self.r0)
        self.ang = central_angle(self.u1, self.ub)
        self.t_end = self.t_b + self.tof

    def position(self, t):
        """ECEF position (m) and height over the ellipsoid along the geocentric radial (m)."""
        if t < self.t_b:
            f = (t / self.t_b) ** 2
            if self.ang > 0:  # slerp by f of the arc to the burnout direction
                d = (math.sin((1 - f) * self.ang) * self.u1 + math.sin(f * self.ang) * self.ub) / math.sin(self.ang)
            else:
                d = self.u1
            h = f * self.h_bo
            return d * (ellipsoid_radius(d) + h), h
        r = self.sol.sol(min(t - self.t_b, self.tof))[:3]
        return r, float(np.linalg.norm(r) - ellipsoid_radius(r))


class Radar:
    """A radar of a sensors TOML entry (parsed with tomllib), its bands at ``band``.

    ``rcs`` = (booster, post-boost vehicle, re-entry vehicle cross-sections, post-boost time) of
    the class; None: range not limited by the object (reference cross-section everywhere)."""

    def __init__(self, entry, band="nominal", rcs=None, h_trace_m=2_000e3):
        val = lambda k, d=None: float(entry[k][band]) if k in entry else d  # noqa: E731
        self.h = val("height_m")
        lat, lon = math.radians(entry["lat_deg"]), math.radians(entry["lon_deg"])
        self.pos = ecef(entry["lat_deg"], entry["lon_deg"], self.h)
        self.R = float(np.linalg.norm(self.pos)) - self.h  # the local sphere below the radar
        self.up = np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])
        self.east = np.array([-math.sin(lon), math.cos(lon), 0.0])
        self.north = np.cross(self.up, self.east)
        self.mask = math.radians(val("elevation_mask_deg"))
        self.el_max = math.radians(val("elevation_max_deg", 90.0))
        self.az0 = math.radians(float(entry.get("boresight_az_deg", 0.0)))
        self.half = math.radians(val("half_width_deg", 180.0))
        self.range_ref = val("max_range_km") * 1e3
        self.rcs_ref = val("rcs_ref_m2", 1.0)
        self.rcs = rcs
        self.ray_h, self.ray_phi = ray_trace_mask(self.R, self.h, self.mask, h_trace_m)

    def range_m(self, flight, t):
        if self.rcs is None:
            return self.range_ref
        sig = self.rcs[0] if t < flight.t_b else (self.rcs[1] if t < flight.t_b + self.rcs[3] else self.rcs[2])
        return self.range_ref * (sig / self.rcs_ref) ** 0.25

    def margins(self, flight, t):
        """(line of sight (rad), range (m), sector (rad), elevation ceiling (rad)) margins of the
        object at time t: all >= 0 when the radar sees it."""
        p, h = flight.position(t)
        d = p - self.pos
        slant = float(np.linalg.norm(d))
        phi = central_angle(self.pos, p)
        if h < self.h:
            los = -1.0
        else:
            los = float(np.interp(h, self.ray_h, self.ray_phi)) - phi
        az = math.atan2(float(d @ self.east), float(d @ self.north))
        off = (az - self.az0 + math.pi) % (2 * math.pi) - math.pi
        sector = self.half - abs(off) if self.half < math.pi else 1.0
        el = math.asin(float(d @ self.up) / slant)
        return los, self.range_m(flight, t) - slant, sector, self.el_max - el

    def sees(self, flight, t):
        return min(self.margins(flight, t)) >= 0

    def first_detection(self, flight, dt=0.5):
        ts = np.append(np.arange(0.0, flight.t_end, dt), flight.t_end)
        prev = None
        for t in ts:
            if self.sees(flight, t):
                if prev is None:
                    return 0.0
                lo, hi = prev, t
                while hi - lo > 1e-4:  # bisection: the margins jump where the object changes
                    mid = 0.5 * (lo + hi)
                    lo, hi = (lo, mid) if self.sees(flight, mid) else (mid, hi)
                return hi
            prev = t
        return math.nan

    def slant_m(self, flight, t):
        return float(np.linalg.norm(flight.position(t)[0] - self.pos))


__all__ = ["Flight", "Radar", "burnout_point", "brentq"]


def boost_for_pair(missile, launch, target, band="nominal", catalog=None):
    """The boost a flight of ``missile`` flies from ``launch`` to ``target`` (degrees), read from
    the data files (not from the package's code): for a class with a range-dependent boost
    (warning_time/data/boost_tables.toml) the least-burn table interpolated linearly in the WGS84
    ground range and scaled by the band's ratio to the table's full burn, flown at the table's
    burnout flight-path angle (core MODE_ME_FPA); otherwise the catalog's fixed boost at minimum
    energy. Returns (t_b s, h_bo m, d_bo m, mode, value)."""
    import tomllib
    from pathlib import Path

    from pyproj import Geod

    from warning_time.core import trajectory as tr

    data = Path(__file__).resolve().parents[2] / "warning_time" / "data"
    cat = catalog or tomllib.loads((data / "missiles.toml").read_text("utf-8"))
    m = cat[missile]
    t_c, h_c, d_c = (float(m[k][band]) for k in ("burn_time_s", "burnout_altitude_km", "burnout_downrange_km"))
    tables = tomllib.loads((data / "boost_tables.toml").read_text("utf-8"))
    if missile not in tables:
        return t_c, h_c * 1e3, d_c * 1e3, tr.MODE_MIN_ENERGY, 0.0
    e = tables[missile]
    me = e["minimum-energy"]
    fb = e["full_burn"]
    ground_km = Geod(ellps="WGS84").inv(launch[1], launch[0], target[1], target[0])[2] / 1e3
    x = e["range_km"]

    def at(col):
        return float(np.interp(ground_km, x, me[col]))

    t_b = at("burnout_time_s") * t_c / fb["burn_time_s"]
    h_bo = at("burnout_altitude_km") * h_c / fb["burnout_altitude_km"] * 1e3
    d_bo = at("burnout_downrange_km") * d_c / fb["burnout_downrange_km"] * 1e3
    return t_b, h_bo, d_bo, tr.MODE_ME_FPA, math.radians(at("burnout_flight_path_angle_deg"))
