"""Missile defence: interceptors, fly-out fans, engagement windows, defended footprints.

The chain (kernels in ``warning_time/core/defence.py``)::

    interceptor (data/interceptors.toml) --flyout of its vehicle--> fly-out fan T(range, altitude)
    threat flight (the core's timeline) + cue (the warning model's first warning for the site)
        + commit and launch delays  -->  engagement window, intercept points, closing speed,
        shot opportunities (shoot-look-shoot)  -->  defended footprints, raid table

Public functions:

- :func:`load_interceptors`, :func:`load_sites` -- the catalog (every value banded, sourced);
- :func:`fan` -- the interceptor's fly-out fan (earliest arrival time at a ground range and
  altitude), flown with the 3-DOF flyout; :class:`Fan` looks it up;
- :func:`engagement_windows` -- windows for launch-target pairs against sites;
- :func:`footprint`, :func:`footprint_comparison` -- defended footprints (GeoDataFrames);
- :func:`raid_table` -- shots needed for a raid against each site's inventory.

Modelling choices (each stated in README "Missile defence"):

- A site's fan is flown in the rotating Earth-fixed frame from the site's latitude toward 8
  azimuths and looked up linearly between them (the threat's bearing from the site); a
  non-rotating run uses one fan flown on a non-rotating Earth (tests/unit/test_defence_fan.py).
- The interceptor flies its catalog vehicle at nominal values; the burnout-speed band is not
  flown. Bands of the envelope and of the delays apply with ``band``.
- The cue is the first warning of the warning model (:func:`warning_time.warning.warning_time`:
  detection + that sensor's processing delay) over the cueing sensors: ``cueing='remote'`` all
  sensors given (default: every sensor of the shipped table), ``cueing='own'`` the site's own
  radar only.
- The first interceptor launches at cue + commit delay + launch delay; an intercept is
  possible at a threat time when the threat is inside the altitude and range envelope and the
  fan says an interceptor launched then or later arrives in time.
- Terminal-tier interceptors (PAC-3 MSE, Aster 30) engage only threats whose re-entry speed
  and angle (the flight's impact speed and angle before drag, i.e. at the entry interface)
  are inside their envelope.
"""
from __future__ import annotations

import dataclasses
import functools
import math
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .core import defence as _k
from .core import flyout as _fo
from .errors import InputError, check_choice
from .io import parse_toml

TIERS = ("upper", "terminal")
CUEING = ("remote", "own")
BANDS = ("nominal", "low", "high")
#: The map region of the package's maps and grids (lon_min, lat_min, lon_max, lat_max), deg:
#: a site must lie inside it.
MAP_REGION = (-25.0, 34.0, 45.0, 72.0)
#: latitude (deg) the fans are flown from (non-rotating Earth, so only the ellipsoid matters)
FAN_LATITUDE_DEG = 50.0

STATUS = {
    _k.W_OK: ("ok", "window"),
    _k.W_NONE: ("no window", "no window: the threat never enters the envelope where an interceptor launched "
                "after the cue can meet it"),
    _k.W_THREAT: ("outside threat envelope", "outside the threat envelope: the threat's re-entry speed or angle "
                  "exceeds what this terminal interceptor engages"),
    _k.W_FLIGHT: ("no flight", "no flight: the threat cannot fly this pair (out of reach or failed)"),
    _k.W_NO_CUE: ("not cued", "not cued: no cueing sensor sees the flight"),
}

_I_BANDS = ("burnout_speed_m_s", "burn_time_s", "min_intercept_altitude_km", "max_intercept_altitude_km",
            "max_range_km", "commit_delay_s", "launch_delay_s", "kill_assessment_s")
_I_OPTIONAL = ("max_threat_speed_m_s", "min_reentry_angle_deg", "max_reentry_angle_deg", "single_shot_pk")


# ------------------------------------------------------------------------------------------
# catalog
# ------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, eq=False)
class Band:
    low: float
    nominal: float
    high: float
    source: str

    def at(self, band="nominal") -> float:
        return float(getattr(self, band))


@dataclasses.dataclass(frozen=True, eq=False)
class Interceptor:
    """One interceptor type of interceptors.toml; ``bands`` maps field -> :class:`Band`."""

    key: str
    label: str
    tier: str
    vehicle: str
    bands: dict

    def value(self, field, band="nominal") -> float:
        b = self.bands.get(field)
        return b.at(band) if b is not None else math.nan

    def envelope(self, band="nominal", *, dt_s=0.5, max_shots=20) -> np.ndarray:
        """The kernel's envelope array (core/defence.py E_*)."""
        E = np.empty(_k.N_E)
        E[_k.E_HMIN] = self.value("min_intercept_altitude_km", band) * 1e3
        E[_k.E_HMAX] = self.value("max_intercept_altitude_km", band) * 1e3
        E[_k.E_RMAX] = self.value("max_range_km", band) * 1e3
        E[_k.E_KA] = self.value("kill_assessment_s", band)
        v = self.value("max_threat_speed_m_s", band)
        E[_k.E_VMAX] = v if math.isfinite(v) else math.inf
        gmin, gmax = self.value("min_reentry_angle_deg", band), self.value("max_reentry_angle_deg", band)
        E[_k.E_GMIN] = math.radians(gmin) if math.isfinite(gmin) else -math.inf
        E[_k.E_GMAX] = math.radians(gmax) if math.isfinite(gmax) else math.inf
        E[_k.E_MAXSHOTS] = float(max_shots)
        E[_k.E_DT] = float(dt_s)
        return E


@dataclasses.dataclass(frozen=True, eq=False)
class Site:
    """A defence site: position, interceptors, inventory and own radar."""

    key: str
    label: str
    lat_deg: float
    lon_deg: float
    interceptors: tuple = ()
    inventory: Band | None = None
    own_radar: str = ""
    country_iso3: str = ""
    notional: bool = True
    coordinate_source: str = ""


def _band(source, key, field, val):
    if not isinstance(val, dict) or not {"low", "nominal", "high", "source"} <= set(val):
        raise InputError(f"{key}.{field}", message=f"{source}: {key}.{field} needs "
                         "{ low = ..., nominal = ..., high = ..., source = \"...\" }")
    try:
        lo, nom, hi = (float(val[k]) for k in ("low", "nominal", "high"))
    except (TypeError, ValueError):
        raise InputError(f"{key}.{field}", message=f"{source}: {key}.{field}: low, nominal and high must be "
                         "numbers") from None
    if not (lo <= nom <= hi) or not all(map(math.isfinite, (lo, nom, hi))):
        raise InputError(f"{key}.{field}", message=f"{source}: {key}.{field}: need finite low <= nominal <= high, "
                         f"got {lo:g}, {nom:g}, {hi:g}")
    if lo < 0:
        raise InputError(f"{key}.{field}", message=f"{source}: {key}.{field} must be >= 0, got {lo:g}")
    if not str(val["source"]).strip():
        raise InputError(f"{key}.{field}.source", message=f"{source}: {key}.{field} has no source")
    return Band(lo, nom, hi, str(val["source"]))


def _check_site_position(name, lat, lon, field="site"):
    lo_lon, lo_lat, hi_lon, hi_lat = MAP_REGION
    if not (lo_lat <= lat <= hi_lat and lo_lon <= lon <= hi_lon):
        raise InputError(field, message=f"{name}: site at lat {lat:g}, lon {lon:g} is outside the map "
                         f"(lat {lo_lat:g} to {hi_lat:g}, lon {lo_lon:g} to {hi_lon:g})")


@functools.lru_cache(maxsize=8)
def _load_text(text: str, source: str):
    from .flyout import load_vehicles
    from .places import load_sensors

    data = parse_toml(text, "interceptors", source)
    unknown = sorted(set(data) - {"interceptors", "sites"})
    if unknown:
        raise InputError(unknown[0], message=f"{source}: unknown table(s) {unknown}; allowed: 'interceptors', 'sites'")
    vehicles = load_vehicles()
    inter = {}
    for key, e in data.get("interceptors", {}).items():
        name = f"interceptors.{key}"
        tier = e.get("tier")
        if tier not in TIERS:
            raise InputError(f"{name}.tier", message=f"{source}: {name}.tier = {tier!r} must be one of "
                             + ", ".join(map(repr, TIERS)))
        if e.get("vehicle") not in vehicles:
            raise InputError(f"{name}.vehicle", message=f"{source}: {name}.vehicle = {e.get('vehicle')!r} is not a "
                             "vehicle of vehicles.toml: " + ", ".join(map(repr, vehicles)))
        allowed = set(_I_BANDS) | set(_I_OPTIONAL) | {"label", "tier", "vehicle"}
        extra = sorted(set(e) - allowed)
        if extra:
            raise InputError(f"{name}.{extra[0]}", message=f"{source}: unknown key(s) {extra} in {name}; allowed: "
                             + ", ".join(sorted(allowed)))
        bands = {}
        for f in _I_BANDS:
            if f not in e:
                raise InputError(f"{name}.{f}", message=f"{source}: {name} lacks '{f}'")
            bands[f] = _band(source, name, f, e[f])
        for f in _I_OPTIONAL:
            if f in e:
                bands[f] = _band(source, name, f, e[f])
        for b in BANDS:
            lo_h, hi_h = bands["min_intercept_altitude_km"].at(b), bands["max_intercept_altitude_km"].at(b)
            if not lo_h < hi_h:
                raise InputError(f"{name}.min_intercept_altitude_km", message=f"{source}: {name}: altitudes out of "
                                 f"order at the {b} band: min_intercept_altitude_km = {lo_h:g} must be below "
                                 f"max_intercept_altitude_km = {hi_h:g}")
        if tier == "terminal" and "max_threat_speed_m_s" not in bands:
            raise InputError(f"{name}.max_threat_speed_m_s", message=f"{source}: terminal interceptor {name} needs "
                             "max_threat_speed_m_s")
        if "single_shot_pk" in bands and bands["single_shot_pk"].high > 1:
            raise InputError(f"{name}.single_shot_pk", message=f"{source}: {name}.single_shot_pk must be in [0, 1]")
        inter[key] = Interceptor(key, str(e.get("label", key)), tier, e["vehicle"], bands)
    radars = set(load_sensors().query("kind == 'ground-radar'")["sensor"])
    sites = {}
    for key, e in data.get("sites", {}).items():
        name = f"sites.{key}"
        try:
            lat, lon = float(e["lat_deg"]), float(e["lon_deg"])
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{name}.lat_deg", message=f"{source}: {name} needs numeric lat_deg and lon_deg") from None
        _check_site_position(f"{source}: {name}", lat, lon, f"{name}.lat_deg")
        ints = tuple(e.get("interceptors", ()))
        bad = [i for i in ints if i not in inter]
        if not ints or bad:
            raise InputError(f"{name}.interceptors", message=f"{source}: {name}.interceptors {bad or '[]'} must name "
                             "interceptors of the file: " + ", ".join(map(repr, inter)))
        radar = str(e.get("own_radar", ""))
        if radar and radar not in radars:
            raise InputError(f"{name}.own_radar", message=f"{source}: {name}.own_radar = {radar!r} is not a ground "
                             "radar of sensors.toml: " + ", ".join(map(repr, sorted(radars))))
        if not str(e.get("coordinate_source", "")).strip():
            raise InputError(f"{name}.coordinate_source", message=f"{source}: {name} has no coordinate_source")
        sites[key] = Site(key, str(e.get("label", key)), lat, lon, ints,
                          _band(source, name, "inventory", e["inventory"]) if "inventory" in e else None, radar,
                          str(e.get("country_iso3", "")), bool(e.get("notional", True)), str(e["coordinate_source"]))
    return inter, sites


def _catalog(path=None):
    if path is None:
        text = resources.files("warning_time").joinpath("data/interceptors.toml").read_text("utf-8")
        return _load_text(text, "interceptors.toml (package data)")
    p = Path(path)
    return _load_text(p.read_text("utf-8"), str(p))


def load_interceptors(path=None) -> dict[str, Interceptor]:
    """The interceptors of the shipped interceptors.toml (or a user file of the same schema)."""
    return _catalog(path)[0]


def load_sites(path=None) -> dict[str, Site]:
    """The defence sites of the shipped interceptors.toml (or a user file of the same schema)."""
    return _catalog(path)[1]


def get_interceptor(interceptor, catalog=None) -> Interceptor:
    """An :class:`Interceptor` from a name of the catalog (default: the shipped file) or itself."""
    if isinstance(interceptor, Interceptor):
        return interceptor
    cat = load_interceptors(catalog)
    if interceptor not in cat:
        raise InputError("interceptor", message=f"interceptor={interceptor!r} is not a valid option, must be one of "
                         + ", ".join(map(repr, cat)))
    return cat[interceptor]


def get_site(site, catalog=None) -> Site:
    """A :class:`Site` from a name of the shipped file, a Site, or a mapping with lat_deg,
    lon_deg and optionally label, interceptors, own_radar (a user's site; checked to lie on the map)."""
    if isinstance(site, Site):
        _check_site_position(f"site {site.key!r}", site.lat_deg, site.lon_deg)
        return site
    if isinstance(site, dict):
        try:
            lat, lon = float(site["lat_deg"]), float(site["lon_deg"])
        except (KeyError, TypeError, ValueError):
            raise InputError("site", message="a site given as a mapping needs numeric lat_deg and lon_deg") from None
        label = str(site.get("label", "user site"))
        _check_site_position(f"site {label!r}", lat, lon)
        return Site("user", label, lat, lon, tuple(site.get("interceptors", ())), None, str(site.get("own_radar", "")))
    sites = load_sites(catalog)
    if site not in sites:
        raise InputError("site", message=f"site={site!r} is not a valid option, must be one of "
                         + ", ".join(map(repr, sites)))
    return sites[site]


# ------------------------------------------------------------------------------------------
# fans
# ------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True, eq=False)
class Fan:
    """Earliest arrival time (s after launch) and speed of an interceptor on a (ground range,
    altitude) grid with spacings dr_m, dh_m from 0, in K azimuth sectors (arrays (K, nr, nh);
    sector k flown toward azimuth 360 k / K deg; K = 1: the same in every direction); +inf where
    it never arrives."""

    time_s: np.ndarray
    speed_m_s: np.ndarray
    dr_m: float
    dh_m: float
    label: str = ""

    @classmethod
    def from_arrays(cls, time_s, speed_m_s, dr_m, dh_m, label="user fan"):
        """A fan from tables (rows: ground range i dr_m, columns: altitude j dh_m), 2-D (one
        fan for every direction) or 3-D (azimuth sectors first)."""
        t = np.asarray(time_s, dtype=float)
        v = np.asarray(speed_m_s, dtype=float)
        if t.ndim == 2:
            t, v = t[None], v[None] if v.ndim == 2 else v
        if t.ndim != 3 or t.shape != v.shape or min(t.shape[1:]) < 2:
            raise InputError("fan", message="fan time and speed tables must be 2-D (or 3-D with azimuth sectors "
                             "first), equal shapes, at least 2 x 2")
        if not (dr_m > 0 and dh_m > 0):
            raise InputError("fan", message="fan grid spacings must be > 0")
        t = np.ascontiguousarray(np.where(np.isnan(t), np.inf, t))
        return cls(t, np.ascontiguousarray(v), float(dr_m), float(dh_m), label)

    def _lookup(self, range_km, altitude_km, azimuth_deg):
        r, h, az = np.broadcast_arrays(np.asarray(range_km, float), np.asarray(altitude_km, float),
                                       np.asarray(azimuth_deg, float))
        t, v = _k.fan_lookup_many(self.time_s, self.speed_m_s, self.dr_m, self.dh_m,
                                  np.ascontiguousarray(r.ravel() * 1e3), np.ascontiguousarray(h.ravel() * 1e3),
                                  np.ascontiguousarray(np.radians(az.ravel())))
        return t.reshape(r.shape), v.reshape(r.shape)

    def time_at(self, range_km, altitude_km, azimuth_deg=90.0):
        """Earliest arrival time (s) at ground range and altitude (km) toward an azimuth (deg;
        linear between sectors), bilinear in range and altitude; inf beyond reach."""
        return self._lookup(range_km, altitude_km, azimuth_deg)[0]

    def speed_at(self, range_km, altitude_km, azimuth_deg=90.0):
        return self._lookup(range_km, altitude_km, azimuth_deg)[1]


def fan_kicks(n=171, kick_max_deg=85.0):
    """The kick angles (deg) a fan is flown at."""
    return np.linspace(0.0, kick_max_deg, n)


def flyout_tracks(vehicle, kicks_deg, *, t_max_s, rec_dt_s=0.5, rtol=1e-7, lat_deg=FAN_LATITUDE_DEG,
                  azimuth_deg=90.0, rotation=False):
    """Tracks (n_kick, n_t, 4) = (t, ground range m, altitude m, speed m/s relative to the
    Earth) and valid row counts of flyouts of ``vehicle`` launched from ``lat_deg`` toward
    ``azimuth_deg`` (default: east from FAN_LATITUDE_DEG on a non-rotating Earth). A
    flyout that skims the dense air at hypersonic speed (a large kick) exhausts a step budget of
    5,000 steps (ordinary ones take < 200) and is kept up to there."""
    from .flyout import get_vehicle, options_array

    v = get_vehicle(vehicle)
    P = options_array(rotation=bool(rotation), rtol=rtol, t_max_s=float(t_max_s), max_steps=5000)
    S, G, mt, ct = v.kernel_arrays()
    nmax = int(t_max_s / rec_dt_s) + 4
    tracks = np.full((len(kicks_deg), nmax, 4), np.nan)
    counts = np.zeros(len(kicks_deg), dtype=np.int64)
    lat = math.radians(float(lat_deg))
    out = np.empty(_fo.N_OUT)
    rec = np.empty((nmax, 8))
    for i, k in enumerate(kicks_deg):
        _fo.fly_one(lat, 0.0, math.radians(float(azimuth_deg)), math.radians(float(k)), math.inf, S, G, mt, ct, P, out,
                    rec, float(rec_dt_s))
        n = int(out[_fo.O_NREC])
        _k.track_range_height(rec, n, lat, 0.0, P[_fo.P_A], P[_fo.P_E2], tracks[i])
        counts[i] = n
    return tracks, counts


def fan_table_path(vehicle_key, r_ext_m, h_ext_m, n_cells, lat_deg, n_azimuths):
    """Where a fan's tables are kept: ``fan_tables/`` in the numba cache directory, named by a
    hash of the inputs, the vehicle's kernel arrays (its vehicles.toml entry), this module and
    every core source file (:func:`warning_time.table_cache.cache_file`: a changed vehicle or
    kernel never reads an old fan). None when ``WARNING_TIME_TABLE_CACHE=0``."""
    from .flyout import get_vehicle
    from .table_cache import cache_file

    arrays = [np.ascontiguousarray(a).tobytes() for a in get_vehicle(vehicle_key).kernel_arrays()]
    return cache_file("fan", ".npz", repr((vehicle_key, float(r_ext_m), float(h_ext_m), int(n_cells), lat_deg,
                                          int(n_azimuths))), Path(__file__).read_bytes(), *arrays)


def _load_fan(path, n_azimuths):
    try:
        with np.load(path, allow_pickle=False) as z:
            T, V, d = z["time_s"], z["speed_m_s"], float(z["d_m"])
    except (OSError, ValueError, EOFError, KeyError):
        return None
    if T.ndim != 3 or T.shape != V.shape or T.shape[0] != n_azimuths or T.dtype != np.float64 or not d > 0:
        return None
    return T, V, d


def _save_fan(path, T, V, d):
    """Write a fan atomically, ignoring a cache we cannot write."""
    from .table_cache import write_file

    write_file(path, lambda fh: np.savez(fh, time_s=T, speed_m_s=V, d_m=np.float64(d)))


@functools.lru_cache(maxsize=32)
def _fan_cached(vehicle_key, r_ext_m, h_ext_m, n_cells, lat_deg, n_azimuths):
    """A fan, from the disk cache (:func:`fan_table_path`) or computed (:func:`compute_fan_tables`)."""
    where = "non-rotating Earth" if lat_deg is None else f"rotating Earth at {lat_deg:g} deg, {n_azimuths} azimuths"
    path = fan_table_path(vehicle_key, r_ext_m, h_ext_m, n_cells, lat_deg, n_azimuths)
    got = None if path is None else _load_fan(path, n_azimuths)
    if got is None:
        got = compute_fan_tables(vehicle_key, r_ext_m, h_ext_m, n_cells, lat_deg, n_azimuths)
        if path is not None:
            _save_fan(path, *got)
    T, V, d = got
    T.setflags(write=False)
    V.setflags(write=False)
    return Fan(T, V, d, d, f"flyout fan of vehicle {vehicle_key} ({where})")


def compute_fan_tables(vehicle_key, r_ext_m, h_ext_m, n_cells, lat_deg, n_azimuths):
    """The fan's arrival-time and speed tables (K, nr, nh) and its cell size (m), flown afresh."""
    from .flyout import get_vehicle

    v = get_vehicle(vehicle_key)
    d = max(r_ext_m, h_ext_m) / n_cells
    # flight long enough to cover the extents at 60 % of the burnout speed (the flyout's own)
    vb = max(float(v.burn_time_s), 1.0)
    probe = flyout_tracks(vehicle_key, [45.0], t_max_s=vb + 1.0, rec_dt_s=1.0)[0]
    v_bo = float(np.nanmax(probe[0, :, 3]))
    t_max = vb + 1.6 * math.hypot(r_ext_m, h_ext_m) / max(v_bo, 100.0) + 30.0
    rec_dt = float(np.clip(d / max(v_bo, 100.0), 0.05, 1.0))
    nr = int(math.ceil(r_ext_m / d)) + 2
    nh = int(math.ceil(h_ext_m / d)) + 2
    T = np.empty((n_azimuths, nr, nh))
    V = np.empty((n_azimuths, nr, nh))
    for k in range(n_azimuths):
        tracks, counts = flyout_tracks(vehicle_key, fan_kicks(), t_max_s=t_max, rec_dt_s=rec_dt,
                                       lat_deg=FAN_LATITUDE_DEG if lat_deg is None else lat_deg,
                                       azimuth_deg=90.0 if n_azimuths == 1 else 360.0 * k / n_azimuths,
                                       rotation=lat_deg is not None)
        T[k], V[k] = _k.fan_tables(tracks, counts, nr, nh, d, d)
    return T, V, d


#: azimuth sectors of a site's fan in the rotating frame
FAN_AZIMUTHS = 8


def fan(interceptor, *, site_lat_deg=None, n_azimuths=FAN_AZIMUTHS, n_cells=400) -> Fan:
    """The fly-out fan of an interceptor: its vehicle flown at kicks 0-85 deg, earliest arrival
    times on a square grid covering 1.1 x its highest maximum range and altitude in ``n_cells``
    cells along the longer side. With ``site_lat_deg`` (rounded to 0.5 deg) the flyouts are
    flown in the rotating Earth-fixed frame from that latitude toward ``n_azimuths`` azimuths
    (Coriolis and centrifugal effects included; looked up linearly between azimuths); without
    it, once on a non-rotating Earth (the same in every direction). Cached."""
    it = get_interceptor(interceptor)
    r_ext = 1.1 * it.bands["max_range_km"].high * 1e3
    h_ext = 1.1 * it.bands["max_intercept_altitude_km"].high * 1e3
    if site_lat_deg is None:
        return _fan_cached(it.vehicle, r_ext, h_ext, int(n_cells), None, 1)
    if not (int(n_azimuths) >= 2):
        raise InputError("n_azimuths", message=f"n_azimuths={n_azimuths!r} must be >= 2")
    lat = round(float(site_lat_deg) * 2.0) / 2.0
    return _fan_cached(it.vehicle, r_ext, h_ext, int(n_cells), lat, int(n_azimuths))


# ------------------------------------------------------------------------------------------
# engagement windows
# ------------------------------------------------------------------------------------------

def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _cues(lat1, lon1, lat2, lon2, model_kw, names):
    """(cue time s, cueing sensor) per pair from the warning model's first warning."""
    from .sensors import sensor_set
    from .warning import warning_time

    w = warning_time(lat1, lon1, lat2, lon2, sensors=sensor_set(names=names), decision_delay_s=0.0,
                     on_invalid="nan", **model_kw)
    return np.asarray(w.warning_issued_s, float).ravel(), np.asarray(w.detected_by, dtype=object).ravel()


def engagement_windows(launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg, *, missile, site,
                       interceptor=None, trajectory="minimum-energy", earth="wgs84", rotation=True,
                       missile_band="nominal", band="nominal", cueing="remote", sensors=None, cue_s=None,
                       fan_override=None, dt_s=1.0, max_shots=20, catalog=None) -> pd.DataFrame:
    """Engagement windows of launch-target pairs against defence sites.

    Parameters
    ----------
    launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg : array_like
        Pairs (geodetic degrees); they broadcast against each other.
    missile, trajectory, earth, rotation : as :func:`warning_time.flight_time`
        The threat (``missile_band`` is its parameter band).
    site : str, Site, mapping or list of them
        Defence sites (names of interceptors.toml ``[sites]``).
    interceptor : str, optional
        The interceptor fired; default each site's first.
    band : {'nominal', 'low', 'high'}
        End of the interceptor's bands (envelope and delays).
    cueing : {'remote', 'own'}
        'remote': the first warning over ``sensors`` (sensors.toml names; default all);
        'own': the site's own radar only.
    cue_s : array_like, optional
        Cue times (s after launch) that replace the warning model's (broadcast with the pairs).
    fan_override : Fan, optional
        A fan to use instead of the interceptor's flyout fan (tests, what-ifs).
    dt_s : float, default 1.0
        Threat sampling step of the window search (edges are bisected to 1 ms; a stretch of
        the window shorter than dt_s between two samples outside it can be missed).
    max_shots : int
        Most shot opportunities counted.
    catalog : path, optional
        A user interceptors.toml (same schema) instead of the shipped one.

    Returns
    -------
    pandas.DataFrame
        One row per pair and site (pairs vary slowest): the pair, ``site``, ``interceptor``,
        ``flight_time_s``, ``cue_s``, ``cued_by``, ``earliest_launch_s``, ``window_s`` (measure of
        the interval(s) of threat times that can be intercepted), ``first_intercept_s``,
        ``last_intercept_s``, ``first_intercept_altitude_km``, ``first_intercept_range_km``
        (ground range from the site), the same for the last, ``closing_speed_first_m_s``,
        ``geometry_first`` ('head-on' or 'tail chase'), ``closing_speed_last_m_s``, ``shots``
        (shoot-look-shoot opportunities), ``latest_launch_s``, ``reentry_speed_m_s``,
        ``reentry_angle_deg``, ``status`` and ``reason``. Times are seconds after the threat's launch.
    """
    from .flight import pair_coordinates
    from .model import FlightModel

    check_choice("band", band, BANDS)
    check_choice("cueing", cueing, CUEING)
    if not (float(dt_s) > 0):
        raise InputError("dt_s", message=f"dt_s={dt_s!r} must be > 0")
    if not (int(max_shots) >= 1):
        raise InputError("max_shots", message=f"max_shots={max_shots!r} must be >= 1")
    sites = [get_site(s, catalog) for s in _as_list(site)]
    if not sites:
        raise InputError("site", message="site: give at least one site")
    its = []
    for s in sites:
        if interceptor is not None:
            its.append(get_interceptor(interceptor, catalog))
        elif s.interceptors:
            its.append(get_interceptor(s.interceptors[0], catalog))
        else:
            raise InputError("interceptor", message=f"site {s.label!r} lists no interceptor: give interceptor=... "
                             "(one of " + ", ".join(map(repr, load_interceptors(catalog))) + ")")
    if cueing == "own":
        for s in sites:
            if not s.own_radar:
                raise InputError("cueing", message=f"cueing='own': site {s.label!r} has no own radar; use "
                                 "cueing='remote'")
    model = FlightModel.resolve(missile, trajectory=trajectory, earth=earth, rotation=rotation, band=missile_band)
    if model.is_cruise:
        raise InputError("missile", message=f"missile={model.missile.key!r} is a cruise missile; engagement windows "
                         "are for ballistic classes")
    if cue_s is not None:  # the cue times broadcast with the pairs
        try:
            *coords, cue_b = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (
                launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg, cue_s)))
        except ValueError as exc:
            raise InputError("cue_s", message=f"cue_s does not broadcast with the coordinates: {exc}") from None
        launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg = coords
    lat1, lon1, lat2, lon2, shape, bad = pair_coordinates(launch_lat_deg, launch_lon_deg, target_lat_deg,
                                                          target_lon_deg)
    n = lat1.size
    m = len(sites)
    model_kw = dict(missile=missile, trajectory=trajectory, earth=earth, rotation=rotation, band=missile_band)
    cue = np.full((n, m), np.nan)
    cued_by = np.full((n, m), "", dtype=object)
    if cue_s is not None:
        cue[:] = np.ascontiguousarray(cue_b).ravel()[:, None]
        cued_by[:] = "given"
    elif cueing == "remote":
        c, by = _cues(lat1, lon1, lat2, lon2, model_kw, sensors)
        cue[:] = c[:, None]
        cued_by[:] = by[:, None]
    else:
        for j, s in enumerate(sites):
            cue[:, j], cued_by[:, j] = _cues(lat1, lon1, lat2, lon2, model_kw, [s.own_radar])
    out = np.empty((n, m, _k.N_O))
    # one kernel call per interceptor and fan: a site's fan is flown in the rotating frame at its
    # latitude (one non-rotating fan when the Earth does not rotate, or the caller's fan)
    groups = {}
    for j, (s, it) in enumerate(zip(sites, its)):
        lat_key = None if (fan_override is not None or not rotation) else round(s.lat_deg * 2.0) / 2.0
        groups.setdefault((it.key, lat_key), []).append(j)
    for (_, lat_key), cols in groups.items():
        it = its[cols[0]]
        t_l0 = cue[:, cols] + it.value("commit_delay_s", band) + it.value("launch_delay_s", band)
        fn = fan_override if fan_override is not None else fan(it, site_lat_deg=lat_key)
        E = it.envelope(band, dt_s=float(dt_s), max_shots=int(max_shots))
        res = _k.windows_many(np.radians(lat1), np.radians(lon1), np.radians(lat2), np.radians(lon2), model.params,
                              model.table, np.radians([sites[j].lat_deg for j in cols]),
                              np.radians([sites[j].lon_deg for j in cols]), np.ascontiguousarray(t_l0),
                              fn.time_s, fn.speed_m_s, fn.dr_m, fn.dh_m, E)
        out[:, cols, :] = res
    o = out.reshape(n * m, _k.N_O)
    code = o[:, _k.O_CODE].astype(int)
    along = o[:, _k.O_ALONG_FIRST]
    rep = lambda a: np.repeat(a, m)  # noqa: E731
    df = pd.DataFrame({
        "launch_lat_deg": rep(lat1), "launch_lon_deg": rep(lon1), "target_lat_deg": rep(lat2),
        "target_lon_deg": rep(lon2), "missile": model.missile.key,
        "site": np.tile([s.key for s in sites], n), "interceptor": np.tile([i.key for i in its], n),
        "flight_time_s": o[:, _k.O_T_IMPACT], "cue_s": cue.ravel(), "cued_by": cued_by.ravel(),
        "earliest_launch_s": o[:, _k.O_T_L0], "window_s": o[:, _k.O_WINDOW],
        "first_intercept_s": o[:, _k.O_FIRST], "last_intercept_s": o[:, _k.O_LAST],
        "first_intercept_altitude_km": o[:, _k.O_H_FIRST] / 1e3, "first_intercept_range_km": o[:, _k.O_R_FIRST] / 1e3,
        "last_intercept_altitude_km": o[:, _k.O_H_LAST] / 1e3, "last_intercept_range_km": o[:, _k.O_R_LAST] / 1e3,
        "closing_speed_first_m_s": o[:, _k.O_CLOSE_FIRST],
        "geometry_first": np.where(np.isfinite(along), np.where(along > 0, "tail chase", "head-on"), ""),
        "closing_speed_last_m_s": o[:, _k.O_CLOSE_LAST], "shots": o[:, _k.O_SHOTS].astype(int),
        "latest_launch_s": o[:, _k.O_LAST_LAUNCH], "reentry_speed_m_s": o[:, _k.O_V_ENTRY],
        "reentry_angle_deg": np.degrees(o[:, _k.O_G_ENTRY]),
        "status": [STATUS[c][0] for c in code], "reason": [STATUS[c][1] for c in code],
    })
    badr = np.repeat(bad, m)
    if badr.any():
        df.loc[badr, "status"] = "bad input"
        df.loc[badr, "reason"] = "bad input: coordinates outside their ranges"
    return df


# ------------------------------------------------------------------------------------------
# footprints
# ------------------------------------------------------------------------------------------

def launch_points(areas, n_boundary=4) -> pd.DataFrame:
    """Deterministic launch points of launch areas: each area's representative point and
    ``n_boundary`` points evenly spaced along its outline (no random draw). Columns: area,
    lat_deg, lon_deg."""
    rows = []
    for _, a in areas.iterrows():
        g = a.geometry
        p = g.representative_point()
        rows.append(dict(area=a["name"], lat_deg=p.y, lon_deg=p.x))
        ring = g.exterior if hasattr(g, "exterior") else max(g.geoms, key=lambda x: x.area).exterior
        for k in range(n_boundary):
            q = ring.interpolate(k / n_boundary, normalized=True)
            rows.append(dict(area=a["name"], lat_deg=q.y, lon_deg=q.x))
    return pd.DataFrame(rows)


def _launch_points(launch):
    """Launch points from area names, an areas GeoDataFrame, a points DataFrame or (lat, lon)."""
    from .places import load_launch_areas

    if isinstance(launch, pd.DataFrame) and {"lat_deg", "lon_deg"} <= set(launch.columns):
        return launch.reset_index(drop=True)
    if isinstance(launch, pd.DataFrame):
        return launch_points(launch)
    if isinstance(launch, tuple) and len(launch) == 2 and all(isinstance(x, (int, float)) for x in launch):
        return pd.DataFrame([dict(area="point", lat_deg=float(launch[0]), lon_deg=float(launch[1]))])
    names = _as_list(launch)
    areas = load_launch_areas()
    unknown = [a for a in names if a not in set(areas["name"])]
    if unknown:
        raise InputError("launch", message=f"unknown launch area(s) {unknown}; known: " + ", ".join(areas["name"]))
    return launch_points(areas[areas["name"].isin(names)])


def footprint_grid(site, launch, *, missile, interceptor=None, trajectory="minimum-energy", res_deg=1.0,
                   region=None, dt_s=2.0, **kw) -> pd.DataFrame:
    """Per target node of a lat/lon grid, the shot opportunities of the site against the
    attacker's best launch point (the fewest shots over the launch points that reach the
    node; NaN where none reaches). Columns: lat_deg, lon_deg, shots, window_s (of that point).
    ``launch``: area names, an areas GeoDataFrame (:func:`launch_points`: each area's
    representative point and 4 outline points), a points DataFrame (lat_deg, lon_deg) or one
    (lat, lon) tuple. ``dt_s`` (default 2 s) is the window search step; other options as
    :func:`engagement_windows`."""
    s = get_site(site)
    pts = _launch_points(launch)
    lo_lon, lo_lat, hi_lon, hi_lat = region or MAP_REGION
    if not (res_deg > 0):
        raise InputError("res_deg", message=f"res_deg={res_deg!r} must be > 0")
    lats = np.arange(lo_lat + 0.5 * res_deg, hi_lat, res_deg)
    lons = np.arange(lo_lon + 0.5 * res_deg, hi_lon, res_deg)
    glat, glon = np.meshgrid(lats, lons, indexing="ij")
    tlat, tlon = glat.ravel(), glon.ravel()
    ip, it = np.meshgrid(np.arange(len(pts)), np.arange(tlat.size), indexing="ij")
    w = engagement_windows(pts["lat_deg"].to_numpy()[ip.ravel()], pts["lon_deg"].to_numpy()[ip.ravel()],
                           tlat[it.ravel()], tlon[it.ravel()], missile=missile, site=s, interceptor=interceptor,
                           trajectory=trajectory, dt_s=dt_s, **kw)
    flies = w["status"].ne("no flight").to_numpy() & w["status"].ne("bad input").to_numpy()
    shots = np.where(flies, w["shots"].to_numpy(float), np.inf).reshape(len(pts), -1)
    win = np.where(flies, w["window_s"].to_numpy(float), np.inf).reshape(len(pts), -1)
    k = np.argmin(shots + 1e-6 * np.where(np.isfinite(win), win, 0), axis=0)
    best = shots[k, np.arange(tlat.size)]
    bw = win[k, np.arange(tlat.size)]
    return pd.DataFrame({"lat_deg": tlat, "lon_deg": tlon, "shots": np.where(np.isfinite(best), best, np.nan),
                         "window_s": np.where(np.isfinite(bw), bw, np.nan)})


def _cells_polygon(g, mask, res_deg):
    import shapely

    boxes = [shapely.box(lo - 0.5 * res_deg, la - 0.5 * res_deg, lo + 0.5 * res_deg, la + 0.5 * res_deg)
             for la, lo in zip(g["lat_deg"].to_numpy()[mask], g["lon_deg"].to_numpy()[mask])]
    return shapely.union_all(boxes) if boxes else shapely.Polygon()


def _area_km2(geom):
    from pyproj import Geod

    return abs(Geod(ellps="WGS84").geometry_area_perimeter(geom)[0]) / 1e6 if not geom.is_empty else 0.0


def footprint(site, launch, *, missile, interceptor=None, res_deg=1.0, region=None, label=None, **kw):
    """Defended footprint: the region (union of grid cells of ``res_deg``, centred on the nodes
    of :func:`footprint_grid`) whose incoming flights from ``launch`` (area names, areas, points)
    the site can engage at least once and at least twice, against the attacker's best launch
    point. A GeoDataFrame (EPSG:4326), one row per level: site, interceptor, launch, level
    ('at least once', 'at least twice'), min_shots, area_km2, geometry."""
    import geopandas as gpd

    s = get_site(site)
    it = get_interceptor(interceptor) if interceptor is not None else get_interceptor(s.interceptors[0])
    g = footprint_grid(s, launch, missile=missile, interceptor=it, res_deg=res_deg, region=region, **kw)
    rows = []
    for lvl, k in (("at least once", 1), ("at least twice", 2)):
        geom = _cells_polygon(g, (g["shots"] >= k).to_numpy(), res_deg)
        rows.append(dict(site=s.key, interceptor=it.key, launch=label or _launch_label(launch), level=lvl,
                         min_shots=k, area_km2=_area_km2(geom), geometry=geom))
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    out.attrs["grid"] = g
    out.attrs["res_deg"] = res_deg
    return out


def _launch_label(launch):
    if isinstance(launch, (list, tuple)) and all(isinstance(x, str) for x in launch):
        return ", ".join(launch)
    return str(launch) if isinstance(launch, str) else "given points"


def footprint_comparison(site, launch_areas, baseline_areas, *, missile, interceptor=None, res_deg=1.0,
                         region=None, **kw):
    """Footprints against flights from the Belarus areas and from the baselines, and the
    difference (battle space lost by basing in Belarus: defended against the baselines but not
    against Belarus). A GeoDataFrame (EPSG:4326) with ``launch`` 'Belarus', 'baseline' and
    'lost (baseline minus Belarus)' per level."""
    import geopandas as gpd

    a = footprint(site, launch_areas, missile=missile, interceptor=interceptor, res_deg=res_deg, region=region,
                  label="Belarus", **kw)
    b = footprint(site, baseline_areas, missile=missile, interceptor=interceptor, res_deg=res_deg, region=region,
                  label="baseline", **kw)
    rows = []
    for (_, ra), (_, rb) in zip(a.iterrows(), b.iterrows()):
        lost = rb.geometry.difference(ra.geometry)
        rows.append(dict(site=ra["site"], interceptor=ra["interceptor"], launch="lost (baseline minus Belarus)",
                         level=ra["level"], min_shots=ra["min_shots"], area_km2=_area_km2(lost), geometry=lost))
    out = gpd.GeoDataFrame(pd.concat([a, b, gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")],
                                     ignore_index=True), geometry="geometry", crs="EPSG:4326")
    return out


# ------------------------------------------------------------------------------------------
# raid and inventory
# ------------------------------------------------------------------------------------------

DOCTRINES = ("shoot-shoot", "shoot-look-shoot")


def raid_table(sites=None, *, missiles=4, rvs_per_missile=1, interceptors_per_rv=2, doctrine="shoot-shoot",
               shots_available=None, band="nominal") -> pd.DataFrame:
    """Shots a raid needs against each site's inventory.

    A raid of ``missiles`` x ``rvs_per_missile`` re-entry vehicles; ``interceptors_per_rv``
    interceptors per RV, fired in one salvo ('shoot-shoot') or one per shot opportunity
    ('shoot-look-shoot': needs that many opportunities, ``shots_available`` per site, from
    :func:`engagement_windows`). Expected leakers use the single-shot kill probability band:
    an engaged RV survives k independent shots with probability (1 - pk)^k; RVs beyond the
    inventory (or with fewer opportunities than the doctrine needs, counted at what they get)
    all leak."""
    check_choice("doctrine", doctrine, DOCTRINES)
    check_choice("band", band, BANDS)
    for name, v in (("missiles", missiles), ("rvs_per_missile", rvs_per_missile),
                    ("interceptors_per_rv", interceptors_per_rv)):
        if not (int(v) == v and v >= 1):
            raise InputError(name, message=f"{name}={v!r} must be an integer >= 1")
    all_sites = load_sites()
    keys = list(all_sites) if sites is None else _as_list(sites)
    rows = []
    for key in keys:
        s = get_site(key)
        it = get_interceptor(s.interceptors[0])
        inv = int(s.inventory.at(band)) if s.inventory else 0
        rvs = int(missiles * rvs_per_missile)
        k = int(interceptors_per_rv)
        if doctrine == "shoot-look-shoot" and shots_available is not None:
            k_eff = int(min(k, (shots_available or {}).get(s.key, k)))
        else:
            k_eff = k
        need = rvs * k
        engaged = min(rvs, inv // k_eff) if k_eff > 0 else 0
        pk = it.bands.get("single_shot_pk")
        row = dict(site=s.key, interceptor=it.key, inventory=inv, raid_rvs=rvs, interceptors_per_rv=k,
                   doctrine=doctrine, shots_per_rv_possible=k_eff, interceptors_needed=need,
                   rvs_engaged=engaged, rvs_unengaged=rvs - engaged,
                   inventory_left=max(inv - engaged * k_eff, 0))
        for b in BANDS:
            p = pk.at(b) if pk else math.nan
            row[f"expected_leakers_pk_{b}"] = engaged * (1 - p) ** k_eff + (rvs - engaged)
        rows.append(row)
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------
# the report's Claim 3 (one computation; the report only renders it)
# ------------------------------------------------------------------------------------------

#: sites of the report's Claim 3 (interceptor: the site's first): the two Aegis Ashore sites and
#: Germany's Arrow 3
CLAIM3_SITES = ("redzikowo", "deveselu", "holzdorf")
#: the raid of the report's raid table: Oreshnik-class missiles with six re-entry vehicles each
#: (six warhead clusters were seen in the Dnipro strike, 21 Nov 2024, press reporting via
#: REFERENCES.md 4) and two interceptors per RV (D)
CLAIM3_RAID = dict(missiles=4, rvs_per_missile=6, interceptors_per_rv=2)


_SCENARIO_KEYS = ("sites", "cueing", "band", "raid_missiles", "raid_rvs_per_missile", "interceptors_per_rv")


def scenario_defence(sc) -> dict:
    """The optional ``[defence]`` table of a scenario, checked, with defaults: ``sites`` (keys of
    interceptors.toml, default :data:`CLAIM3_SITES`), ``cueing`` ('remote' or 'own'), ``band``,
    and the raid (``raid_missiles``, ``raid_rvs_per_missile``, ``interceptors_per_rv``)."""
    src = sc.get("_source", "scenario")
    d = sc.get("defence", {})
    if not isinstance(d, dict):
        raise InputError("defence", message=f"{src}: [defence] must be a table")
    extra = sorted(set(d) - set(_SCENARIO_KEYS))
    if extra:
        raise InputError(f"defence.{extra[0]}", message=f"{src}: unknown key(s) {extra} in [defence]; allowed: "
                         + ", ".join(_SCENARIO_KEYS))
    out = dict(sites=tuple(d.get("sites", CLAIM3_SITES)), cueing=d.get("cueing", "remote"),
               band=d.get("band", "nominal"), raid=dict(
                   missiles=d.get("raid_missiles", CLAIM3_RAID["missiles"]),
                   rvs_per_missile=d.get("raid_rvs_per_missile", CLAIM3_RAID["rvs_per_missile"]),
                   interceptors_per_rv=d.get("interceptors_per_rv", CLAIM3_RAID["interceptors_per_rv"])))
    try:
        check_choice("defence.cueing", out["cueing"], CUEING)
        check_choice("defence.band", out["band"], BANDS)
        if not out["sites"]:
            raise InputError("defence.sites", message="defence.sites is empty")
        for k in out["sites"]:
            if k not in load_sites():
                raise InputError("defence.sites", message=f"defence.sites: {k!r} is not a site of interceptors.toml: "
                                 + ", ".join(map(repr, load_sites())))
            if out["cueing"] == "own" and not load_sites()[k].own_radar:
                raise InputError("defence.cueing", message=f"defence.cueing = 'own': site {k!r} has no own radar")
        keys = dict(missiles="raid_missiles", rvs_per_missile="raid_rvs_per_missile",
                    interceptors_per_rv="interceptors_per_rv")
        for name, v in out["raid"].items():
            if not (isinstance(v, int) and not isinstance(v, bool) and v >= 1):
                raise InputError(f"defence.{keys[name]}", message=f"defence.{keys[name]} = {v!r} must be an integer >= 1")
    except InputError as exc:
        raise InputError(exc.field, message=f"{src}: {exc}") from None
    return out


def _best_per_target(w, n_points, n_targets, n_sites, areas):
    """Attacker's best point per (site, target): fewest shots, then shortest window, among the
    points whose flight exists."""
    shots = w["shots"].to_numpy(float).reshape(n_points, n_targets, n_sites)
    win = w["window_s"].to_numpy(float).reshape(n_points, n_targets, n_sites)
    flies = (~w["status"].isin(["no flight", "bad input"])).to_numpy().reshape(n_points, n_targets, n_sites)
    key = np.where(flies, shots * 1e5 + np.nan_to_num(win), np.inf)
    k = np.argmin(key, axis=0)
    take = lambda a: np.take_along_axis(a, k[None], 0)[0]  # noqa: E731
    ok = np.take_along_axis(flies, k[None], 0)[0]
    return (np.where(ok, take(shots), np.nan), np.where(ok, take(win), np.nan),
            np.where(ok, np.asarray(areas, dtype=object)[k], ""))


def claim3_analysis(sc, *, res_deg=2.0) -> dict:
    """Every table of the report's Claim 3 from a loaded scenario (see the report for how they
    read): ``windows`` (per site and NATO capital, the IRBM class's window and shot opportunities
    from the attacker's best Belarus point and best baseline point), ``srbm`` (the SRBM class
    against the upper-tier sites: flights, apogees, windows), ``footprints`` (areas defended at
    least once / twice against Belarus and against the baselines, and the difference, for the
    first site), ``raid`` (shots a raid needs against each site's inventory), and ``passes``
    (the old pass-by geometry, real passes only). Launch points: :func:`launch_points` of each
    area (deterministic)."""
    from .analysis import aegis_geometry, scenario_areas, scenario_targets

    s = sc["scenario"]
    dfn = scenario_defence(sc)
    sites = dfn["sites"]
    irbm = sc["irbm"]
    caps = scenario_targets(("capital",), sc=sc)
    bl = launch_points(scenario_areas(s["launch_areas"], sc))
    bs = launch_points(scenario_areas(s["baseline_areas"], sc))
    site_objs = [get_site(k) for k in sites]
    out = {}
    kw = dict(missile=irbm["missile"], trajectory=irbm.get("trajectory", "minimum-energy"), earth=s["earth"],
              rotation=s["rotation"], sensors=s["sensors"], site=list(sites), cueing=dfn["cueing"], band=dfn["band"])
    per = {}
    for label, pts in (("belarus", bl), ("baseline", bs)):
        ip, it_ = np.meshgrid(np.arange(len(pts)), np.arange(len(caps)), indexing="ij")
        w = engagement_windows(pts["lat_deg"].to_numpy()[ip.ravel()], pts["lon_deg"].to_numpy()[ip.ravel()],
                               caps["lat_deg"].to_numpy()[it_.ravel()], caps["lon_deg"].to_numpy()[it_.ravel()], **kw)
        per[label] = _best_per_target(w, len(pts), len(caps), len(sites), pts["area"].to_numpy())
    rows = []
    for j, so in enumerate(site_objs):
        for i, (_, c) in enumerate(caps.iterrows()):
            sb, wb, ab = (x[i, j] for x in per["belarus"])
            sr, wr, ar = (x[i, j] for x in per["baseline"])
            rows.append({"site": so.key, "interceptor": so.interceptors[0], "target": c["name"],
                         "from Belarus (best point)": ab, "window from Belarus (s)": wb, "shots from Belarus": sb,
                         "from baseline (best point)": ar, "window from baseline (s)": wr, "shots from baseline": sr,
                         "window lost (s)": wr - wb, "shots lost": sr - sb})
    out["windows"] = pd.DataFrame(rows)
    # SRBM class vs the upper tier: the floor
    srbm = sc["srbm"]
    tg = scenario_targets(("capital", "city", "military"), s["pressure_countries"], sc)
    bl = launch_points(scenario_areas(s["launch_areas"], sc), n_boundary=0)
    ip, it_ = np.meshgrid(np.arange(len(bl)), np.arange(len(tg)), indexing="ij")
    w = engagement_windows(bl["lat_deg"].to_numpy()[ip.ravel()], bl["lon_deg"].to_numpy()[ip.ravel()],
                           tg["lat_deg"].to_numpy()[it_.ravel()], tg["lon_deg"].to_numpy()[it_.ravel()],
                           missile=srbm["missile"], trajectory=srbm.get("trajectory", "default"), earth=s["earth"],
                           rotation=s["rotation"], sensors=s["sensors"], site=list(sites), cueing=dfn["cueing"],
                           band=dfn["band"])
    from .flight import flight_time

    ft = flight_time(bl["lat_deg"].to_numpy()[ip.ravel()], bl["lon_deg"].to_numpy()[ip.ravel()],
                     tg["lat_deg"].to_numpy()[it_.ravel()], tg["lon_deg"].to_numpy()[it_.ravel()],
                     missile=srbm["missile"], trajectory=srbm.get("trajectory", "default"), earth=s["earth"],
                     rotation=s["rotation"], on_invalid="nan")
    apo = np.repeat(np.asarray(ft.apogee_km, float).ravel(), len(sites))
    srows = []
    for so in site_objs:
        itc = get_interceptor(so.interceptors[0])
        m = (w["site"] == so.key).to_numpy() & w["status"].ne("no flight").to_numpy()
        srows.append({"site": so.key, "interceptor": itc.key, "SRBM flights in reach": int(m.sum()),
                      "highest apogee (km)": float(np.nanmax(apo[m])) if m.any() else np.nan,
                      "interceptor floor (km)": itc.value("min_intercept_altitude_km"),
                      "flights with a window": int((w["window_s"].to_numpy()[m] > 0).sum())})
    out["srbm"] = pd.DataFrame(srows)
    # footprints of the first site: Belarus vs baselines (representative points)
    fp = footprint_comparison(sites[0], launch_points(scenario_areas(s["launch_areas"], sc), n_boundary=0),
                              launch_points(scenario_areas(s["baseline_areas"], sc), n_boundary=0),
                              missile=irbm["missile"], trajectory=irbm.get("trajectory", "minimum-energy"),
                              earth=s["earth"], rotation=s["rotation"], sensors=s["sensors"], res_deg=res_deg,
                              cueing=dfn["cueing"], band=dfn["band"])
    out["footprint_geo"] = fp
    out["footprints"] = pd.DataFrame(fp.drop(columns="geometry")).assign(area_km2=lambda d: d["area_km2"].round(-3))
    # raid vs inventory, with the shot opportunities of the median Belarus flight per site
    wt = out["windows"]
    avail = {k: int(np.nanmedian(wt.loc[wt["site"] == k, "shots from Belarus"])) if
             np.isfinite(wt.loc[wt["site"] == k, "shots from Belarus"]).any() else 0 for k in sites}
    out["raid"] = pd.concat([raid_table(list(sites), **dfn["raid"], band=dfn["band"]),
                             raid_table(list(sites), **dfn["raid"], band=dfn["band"], doctrine="shoot-look-shoot",
                                        shots_available=avail)], ignore_index=True)
    out["settings"] = dfn
    # the old pass-by geometry, real passes only: a flight whose closest approach is its own
    # impact point does not pass the site
    ag = aegis_geometry(sc, "irbm")
    if len(ag):
        passes = ag[(ag["closest_approach_km"] < 300) & (ag["time_there_s"] < ag["flight_time_s"] - 1.0)]
        out["passes"] = passes.sort_values("closest_approach_km").reset_index(drop=True)
        out["passes_dropped"] = int(((ag["closest_approach_km"] < 300)
                                     & (ag["time_there_s"] >= ag["flight_time_s"] - 1.0)).sum())
    else:
        out["passes"] = ag
        out["passes_dropped"] = 0
    out["sites"] = site_objs
    return out
