"""Cruise missiles: flight time along a route at a speed profile, and warning from radars
that see a low-flying target only inside their horizon.

A cruise class (``kind = "cruise"`` in missiles.toml, trajectory ``'cruise'``) flies three
phases along its route, measured by the distance ``s`` flown from the launch point:

- launch phase: ``climb_time_s`` at the mean ground speed ``climb_speed_m_s`` (booster and
  climb, or release from the carrier), the altitude rising linearly from 0 to the cruise
  altitude;
- cruise at ``cruise_speed_m_s`` and ``cruise_altitude_m``;
- optional terminal phase: the last ``terminal_distance_km`` at ``terminal_speed_m_s`` and
  ``terminal_altitude_m``.

A route shorter than the launch and terminal legs is flown in launch phase first, then
terminal phase. The route is the geodesic (WGS84, or the great circle of the mean sphere with
``earth='sphere'``) from launch to target, or the geodesic legs through ``waypoints``; its
length is what ``max_range_km`` / ``min_range_km`` limit. Rotation does not enter: the missile
flies in the air, which turns with the Earth (no wind).

Detection (:func:`cruise_warning`): a ground or airborne radar at height ``h_r`` sees the missile
at altitude ``h`` when the great-circle distance between them is at most
``min(sqrt(2 k R h_r) + sqrt(2 k R h), max_range)`` (4/3-Earth radar horizon, R the mean
radius; the elevation mask of the early-warning radars is not applied: the radar is taken to
search down to its horizon); a ground radar sees only inside its azimuth sector (boresight +-
half width), airborne radars all round. The 4/3-Earth factor is valid here: the missile flies in
the troposphere. The space-infrared layer does not see a cruise missile: the
booster is small and burns for seconds, or there is none (air launch); (D) assumption. The
detection point along the route is found on samples every ``step_km`` and refined by linear
interpolation of the margin (distance - detection limit).
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import status as st
from .constants import R_MEAN_M
from .errors import InputError
from .sensors import horizon_m

#: route sampling step for detection (km)
STEP_KM = 2.0


def check_cruise_options(key: str, trajectory: str, *, apogee_km=None, flight_path_angle_deg=None,
                         burnout_speed_m_s=None, branch="low") -> None:
    """InputError for a ballistic trajectory or a ballistic option asked of cruise class ``key``,
    naming the option and the trajectories that take it."""
    if trajectory not in ("cruise", "default"):
        raise InputError("trajectory", message=f"trajectory={trajectory!r} is a ballistic trajectory; missile "
                         f"'{key}' is a cruise class, whose only trajectory is 'cruise' (or 'default')")
    from .model import misapplied_option

    bad = misapplied_option("cruise", apogee_km=apogee_km, flight_path_angle_deg=flight_path_angle_deg,
                            burnout_speed_m_s=burnout_speed_m_s, branch=branch)
    if bad is not None:
        name, shown, takes = bad
        raise InputError(name, message=f"{name}={shown} does not apply to missile '{key}' (a cruise class, "
                         f"trajectory 'cruise'); it is taken by the ballistic trajectory {takes}")


def _get(kp, name, default=math.nan):
    v = float(kp.get(name, default))
    return v if math.isfinite(v) else default


@dataclasses.dataclass(frozen=True)
class CruiseProfile:
    """The speed and altitude profile of a cruise class, SI units (m, s, m/s)."""

    t_climb: float
    v_climb: float
    v_cruise: float
    h_cruise: float
    d_terminal: float
    v_terminal: float
    h_terminal: float
    min_range: float
    max_range: float

    @classmethod
    def from_params(cls, kp: dict, key: str = "cruise") -> CruiseProfile:
        """From the cruise kernel parameters (:data:`warning_time.missiles.CRUISE_UNITS`); an
        absent terminal phase is a zero-length one."""
        v_cruise = _get(kp, "v_cruise")
        p = cls(t_climb=_get(kp, "t_climb", 0.0), v_climb=_get(kp, "v_climb", v_cruise), v_cruise=v_cruise,
                h_cruise=_get(kp, "h_cruise", 0.0), d_terminal=_get(kp, "d_terminal", 0.0),
                v_terminal=_get(kp, "v_terminal", v_cruise), h_terminal=_get(kp, "h_terminal", _get(kp, "h_cruise", 0.0)),
                min_range=_get(kp, "min_range", 0.0), max_range=_get(kp, "max_range", math.inf))
        for name in ("v_climb", "v_cruise", "v_terminal"):
            if not (getattr(p, name) > 0):
                raise InputError(f"{key}.{name}", message=f"missile '{key}': cruise profile {name} must be > 0")
        for name in ("t_climb", "h_cruise", "d_terminal", "h_terminal"):
            if not (getattr(p, name) >= 0):
                raise InputError(f"{key}.{name}", message=f"missile '{key}': cruise profile {name} must be >= 0")
        return p

    @property
    def d_climb(self) -> float:
        """Ground distance of the launch phase (m)."""
        return self.t_climb * self.v_climb

    def _bounds(self, length):
        a = np.minimum(self.d_climb, length)                 # end of the launch phase
        b = np.maximum(length - self.d_terminal, a)          # start of the terminal phase
        return a, b

    def time_at(self, s, length):
        """Time (s) at which the missile has flown ``s`` metres of a route ``length`` metres long."""
        s, length = np.asarray(s, float), np.asarray(length, float)
        a, b = self._bounds(length)
        s = np.clip(s, 0.0, length)
        return (np.minimum(s, a) / self.v_climb + np.clip(np.minimum(s, b) - a, 0.0, None) / self.v_cruise
                + np.clip(s - b, 0.0, None) / self.v_terminal)

    def altitude_at(self, s, length):
        """Altitude (m) at distance ``s`` along a route of ``length`` metres."""
        s, length = np.asarray(s, float), np.asarray(length, float)
        a, b = self._bounds(length)
        climb = self.h_cruise * np.divide(s, self.d_climb, out=np.ones(np.broadcast(s, a).shape),
                                          where=(self.d_climb > 0) & (s < a))
        return np.where(s >= b, np.where(b < length, self.h_terminal, self.h_cruise), np.where(s < a, climb,
                                                                                               self.h_cruise))

    def flight_time(self, length):
        """Flight time (s) over a route of ``length`` metres."""
        return self.time_at(length, length)

    def climb_end_time(self, length):
        """Time (s) at the end of the launch phase (the cruise altitude reached)."""
        length = np.asarray(length, float)
        return self.time_at(self._bounds(length)[0], length)

    def terminal_start_time(self, length):
        """Time (s) at the start of the terminal phase; NaN without one."""
        length = np.asarray(length, float)
        a, b = self._bounds(length)
        return np.where(b < length, self.time_at(b, length), np.nan)


# ----------------------------------------------------------------------------------------------
# routes
# ----------------------------------------------------------------------------------------------

def geod_for(earth: str):
    from pyproj import Geod

    return Geod(ellps="WGS84") if earth == "wgs84" else Geod(a=R_MEAN_M, b=R_MEAN_M)


def check_waypoints(waypoints) -> np.ndarray | None:
    """``waypoints`` as an (n, 2) float array of (lat, lon) degrees, or None; InputError otherwise."""
    if waypoints is None:
        return None
    try:
        w = np.asarray(waypoints, dtype=float)
    except (TypeError, ValueError):
        raise InputError("waypoints", message=f"waypoints={waypoints!r} must be a sequence of (lat, lon) pairs") from None
    if w.size == 0:
        return None
    if w.ndim != 2 or w.shape[1] != 2:
        raise InputError("waypoints", message=f"waypoints must be a sequence of (lat, lon) pairs, got shape {w.shape}")
    bad = ~((w[:, 0] >= -90) & (w[:, 0] <= 90) & (w[:, 1] >= -180) & (w[:, 1] <= 360))
    if bad.any():
        rows = np.flatnonzero(bad)
        raise InputError("waypoints", rows=rows.tolist(), values=[tuple(w[r]) for r in rows[:5]],
                         allowed="latitude [-90, 90], longitude [-180, 360]")
    return w


def route_length(geod, lat1, lon1, lat2, lon2, waypoints=None):
    """Length (m) of the route from launch to target through the waypoints (sum of geodesic legs)."""
    if waypoints is None:
        return geod.inv(lon1, lat1, lon2, lat2)[2]
    n = lat1.size
    total = geod.inv(lon1, lat1, np.full(n, waypoints[0, 1]), np.full(n, waypoints[0, 0]))[2]
    for (la, lo), (lb, lob) in zip(waypoints[:-1], waypoints[1:]):
        total = total + geod.inv(lo, la, lob, lb)[2]
    return total + geod.inv(np.full(n, waypoints[-1, 1]), np.full(n, waypoints[-1, 0]), lon2, lat2)[2]


def route_samples(geod, lat1, lon1, lat2, lon2, waypoints=None, step_m=STEP_KM * 1e3):
    """Points along one route: (s, lat, lon) arrays, s the distance flown (m), every <= step_m
    on each leg and at every leg end."""
    pts = [(lat1, lon1)] + ([tuple(w) for w in waypoints] if waypoints is not None else []) + [(lat2, lon2)]
    ss, las, los = [], [], []
    s0 = 0.0
    for (la, lo), (lb, lob) in zip(pts[:-1], pts[1:]):
        az, _, d = geod.inv(lo, la, lob, lb)
        k = max(1, int(math.ceil(d / step_m)))
        ds = np.linspace(0.0, d, k + 1)
        lons, lats, _ = geod.fwd(np.full(k + 1, lo), np.full(k + 1, la), np.full(k + 1, az), ds)
        lats[-1], lons[-1] = lb, lob
        ss.append(s0 + ds)
        las.append(lats)
        los.append(lons)
        s0 += d
    return np.concatenate(ss), np.concatenate(las), np.concatenate(los)


def _great_circle_m(lat1, lon1, lat2, lon2):
    """Great-circle distance (m) on the mean sphere; radians in."""
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * R_MEAN_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _azimuth(lat_r, lon_r, lat, lon):
    """Initial great-circle azimuth (rad, from north, clockwise) from (lat_r, lon_r) to (lat, lon)."""
    dl = lon - lon_r
    return np.arctan2(np.sin(dl) * np.cos(lat), np.cos(lat_r) * np.sin(lat) - np.sin(lat_r) * np.cos(lat) * np.cos(dl))


def first_detection_s(profile: CruiseProfile, s, lat_deg, lon_deg, length, sensors, k_refraction, sectors=None):
    """Distance flown (m) at first detection by each sensor (NaN if never): ``sensors`` is a
    tuple of arrays (lat_rad, lon_rad, height_m, max_range_m); ``sectors`` (boresight azimuth,
    half width; rad, one per sensor; half width >= pi: all round) limits each sensor to its
    azimuth sector: a sample outside it is not seen."""
    lat_r, lon_r, h_r, max_r = sensors
    if lat_r.size == 0:
        return np.zeros(0)
    h = profile.altitude_at(s, length)
    la, lo = np.radians(lat_deg)[None, :], np.radians(lon_deg)[None, :]
    d = _great_circle_m(la, lo, lat_r[:, None], lon_r[:, None])
    limit = np.minimum(horizon_m(h_r[:, None], h[None, :], k_refraction), max_r[:, None])
    f = d - limit
    inside = f <= 0
    if sectors is not None:
        az0, half = (np.asarray(x, float)[:, None] for x in sectors)
        off = np.angle(np.exp(1j * (_azimuth(lat_r[:, None], lon_r[:, None], la, lo) - az0)))
        inside &= (half >= np.pi) | (np.abs(off) <= half)
    out = np.full(lat_r.size, np.nan)
    for j in range(lat_r.size):
        idx = np.flatnonzero(inside[j])
        if idx.size == 0:
            continue
        i = idx[0]
        if i == 0:
            out[j] = s[0]
        elif f[j, i - 1] > 0:  # entering the horizon: interpolate the margin
            f0, f1 = f[j, i - 1], f[j, i]
            out[j] = s[i - 1] + (s[i] - s[i - 1]) * f0 / (f0 - f1)
        else:  # entering the sector (already inside the horizon): the first sample inside
            out[j] = s[i]
    return out


# ----------------------------------------------------------------------------------------------
# flights and warnings
# ----------------------------------------------------------------------------------------------

def flight_arrays(model, lat1, lon1, lat2, lon2, bad, waypoints=None):
    """Flat arrays of a cruise flight: (profile, route length m, status code, flight time s)."""
    profile = CruiseProfile.from_params(model.kernel_params, model.key)
    geod = geod_for(model.earth)
    ok = ~bad
    length = np.full(lat1.shape, np.nan)
    if ok.any():
        length[ok] = route_length(geod, lat1[ok], lon1[ok], lat2[ok], lon2[ok], waypoints)
    code = np.zeros(lat1.shape, dtype=np.int8)
    code[length > profile.max_range] = st.OUT_OF_RANGE
    code[length < profile.min_range] = st.BELOW_MIN_RANGE
    code[bad] = st.BAD_INPUT
    t = np.where(code == st.OK, profile.flight_time(np.where(code == st.OK, length, 0.0)), np.nan)
    return profile, length, code, t


def _reasons(code, profile):
    out = st.reasons(code, max_range_km=profile.max_range / 1e3, min_range_km=profile.min_range / 1e3)
    far = np.asarray(code) == st.OUT_OF_RANGE
    if far.any():  # the ballistic text speaks of burnout speed: a cruise route is limited by its length
        out = out.astype(object)
        out[far] = (f"out of range: the route is longer than the class's maximum range "
                    f"({profile.max_range / 1e3:.0f} km)")
    return out


def cruise_flight_result(model, lat1, lon1, lat2, lon2, bad, shape, waypoints=None):
    """The :class:`~warning_time.flight.FlightResult` of a cruise class. Fields for cruise:
    ``ground_range_km`` the route length, ``apogee_km`` the cruise altitude, ``burnout_speed_m_s``
    the cruise speed, ``free_flight_time_s`` the time after the launch phase, ``impact_speed_m_s``
    the speed of the last phase (terminal, else cruise); ``impact_angle_deg`` and
    ``drag_delay_s`` are NaN (no ballistic arc)."""
    from .flight import FlightResult

    profile, length, code, t = flight_arrays(model, lat1, lon1, lat2, lon2, bad, waypoints)
    ok = code == st.OK
    L = np.where(ok, length, 0.0)
    nan = np.full(lat1.shape, np.nan)
    v_last = profile.v_terminal if profile.d_terminal > 0 else profile.v_cruise
    arrays = {
        "launch_lat_deg": lat1, "launch_lon_deg": lon1, "target_lat_deg": lat2, "target_lon_deg": lon2,
        "flight_time_s": t, "ground_range_km": length / 1e3,
        "apogee_km": np.where(ok, max(profile.h_cruise, profile.h_terminal if profile.d_terminal > 0 else 0.0) / 1e3,
                              np.nan),
        "burnout_speed_m_s": np.where(ok, profile.v_cruise, np.nan),
        "free_flight_time_s": np.where(ok, t - profile.climb_end_time(L), np.nan),
        "impact_speed_m_s": np.where(ok, v_last, np.nan), "impact_angle_deg": nan, "drag_delay_s": nan.copy(),
        "status": code, "reason": _reasons(code, profile),
    }
    return FlightResult({k: np.asarray(v).reshape(shape) for k, v in arrays.items()}, model.meta)


def cruise_warning(model, lat1, lon1, lat2, lon2, bad, shape, sens, *, decision_delay_s=0.0,
                   k_refraction=4.0 / 3.0, waypoints=None, step_km=STEP_KM, chain=None):
    """The :class:`~warning_time.warning.WarningResult` of a cruise class (see the module text).

    Fields for cruise: ``ground_range_km`` the route length, ``apogee_km`` the cruise altitude,
    ``burnout_time_s`` and ``apogee_time_s`` the end of the launch phase (cruise altitude
    reached; ``release_time_s`` the same), ``reentry_time_s`` the start of the terminal phase
    (NaN without one); one ``detect_<radar>_s`` per ground and airborne radar. A cruise
    missile's impact point is predicted from its track: ``processing_delay_s`` after the first
    detection (no burnout bound); the chain of each audience follows (warning_time/chain.py)."""
    from .chain import warning_chain
    from .warning import NOT_DETECTED, WarningResult, chain_arrays

    if not (step_km > 0):
        raise InputError("step_km", message="step_km must be > 0")
    profile, length, code, t = flight_arrays(model, lat1, lon1, lat2, lon2, bad, waypoints)
    geod = geod_for(model.earth)
    names = tuple(sens.radar_names) + tuple(getattr(sens, "air_names", ()))
    cat = lambda a, b: np.concatenate([np.asarray(a, float), np.asarray(b, float)])  # noqa: E731
    air = [getattr(sens, f, np.zeros(0)) for f in ("air_lat_rad", "air_lon_rad", "air_h_m", "air_max_m",
                                                     "air_process_s")]
    sensors = (cat(sens.radar_lat_rad, air[0]), cat(sens.radar_lon_rad, air[1]), cat(sens.radar_h_m, air[2]),
               cat(sens.radar_max_m, air[3]))
    process = cat(sens.radar_process_s, air[4])
    nrad, nair = len(sens.radar_names), len(air[0])
    half = getattr(sens, "radar_half_rad", np.zeros(0))
    sectors = (cat(getattr(sens, "radar_az_rad", np.zeros(0)) if len(half) else np.zeros(nrad), np.zeros(nair)),
               cat(half if len(half) else np.full(nrad, np.pi), np.full(nair, np.pi)))
    n = lat1.size
    det = np.full((len(names), n), np.nan)
    for i in np.flatnonzero(code == st.OK):
        s, la, lo = route_samples(geod, lat1[i], lon1[i], lat2[i], lon2[i], waypoints, step_km * 1e3)
        s_det = first_detection_s(profile, s, la, lo, length[i], sensors, k_refraction, sectors)
        det[:, i] = profile.time_at(np.where(np.isfinite(s_det), s_det, 0.0), length[i])
        det[~np.isfinite(s_det), i] = np.nan
    ok = code == st.OK
    L = np.where(ok, length, 0.0)
    climb_end = np.where(ok, profile.climb_end_time(L), np.nan)
    objects = [np.full(n, "cruise missile", dtype=object) for _ in names]
    ch = chain_arrays(t, det, process, names, objects, warning_chain(chain), decision_delay_s)
    any_det = ch.pop("_any_det")
    reason = _reasons(code, profile).astype(object)
    reason[ok & ~any_det] = NOT_DETECTED
    arrays = dict(launch_lat_deg=lat1, launch_lon_deg=lon1, target_lat_deg=lat2, target_lon_deg=lon2,
                  ground_range_km=length / 1e3, apogee_km=np.where(ok, profile.h_cruise / 1e3, np.nan),
                  flight_time_s=t, burnout_time_s=climb_end, release_time_s=climb_end.copy(),
                  apogee_time_s=climb_end.copy(), reentry_time_s=np.where(ok, profile.terminal_start_time(L), np.nan),
                  status=code, reason=reason, **ch)
    arrays = {k: arrays[k] for k in WarningResult.FIELDS}
    for j, name in enumerate(names):
        arrays[f"detect_{name}_s"] = det[j]
    meta = dict(model.meta, radars=names)
    return WarningResult({k: np.asarray(v).reshape(shape) for k, v in arrays.items()}, meta)


def min_flight_grid(model, plat_deg, plon_deg, glat_deg, glon_deg, chunk=200_000):
    """Least cruise flight time (s) over the points to every grid cell (geodesic routes), the
    index of that point (-1 if none reaches) and a status code per cell: the flight time grows
    with the route length, so the fastest point is the nearest one within the class's range."""
    profile = CruiseProfile.from_params(model.kernel_params, model.key)
    geod = geod_for(model.earth)
    plat = np.asarray(plat_deg, float).ravel()
    plon = np.asarray(plon_deg, float).ravel()
    glat = np.asarray(glat_deg, float).ravel()
    glon = np.asarray(glon_deg, float).ravel()
    best = np.full(glat.size, np.inf)
    idx = np.full(glat.size, -1, dtype=np.int64)
    nearest = np.full(glat.size, np.inf)
    per = max(1, chunk // max(1, glat.size))
    for j0 in range(0, plat.size, per):
        pl, po = plat[j0:j0 + per], plon[j0:j0 + per]
        P_lat = np.repeat(pl, glat.size)
        P_lon = np.repeat(po, glat.size)
        d = geod.inv(P_lon, P_lat, np.tile(glon, pl.size), np.tile(glat, pl.size))[2].reshape(pl.size, glat.size)
        nearest = np.minimum(nearest, d.min(axis=0))
        d = np.where((d >= profile.min_range) & (d <= profile.max_range), d, np.inf)
        k = np.argmin(d, axis=0)
        dk = d[k, np.arange(glat.size)]
        better = dk < best
        best[better] = dk[better]
        idx[better] = j0 + k[better]
    ok = np.isfinite(best)
    t = np.where(ok, profile.flight_time(np.where(ok, best, 0.0)), np.nan)
    status = np.where(ok, st.OK, np.where(nearest < profile.min_range, st.BELOW_MIN_RANGE, st.OUT_OF_RANGE))
    return t, idx, status.astype(np.int8)
