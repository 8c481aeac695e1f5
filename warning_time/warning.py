"""Detection and warning time of single flights.

warning time = impact time - (first detection + processing delay of that sensor) - decision
delay, where the first warning is the earliest over the sensors: the space-infrared class
(a delay after launch) and each ground radar (first moment the flight is above the radar's
4/3-Earth horizon, above its elevation mask and within its maximum range; kernels in
core/sensors_los.py). A flight no sensor sees has NaN warning with a reason, never the flight
time.

The sensor arrays live in :mod:`warning_time.sensors`, launch points in
:mod:`warning_time.sampling`, best warning and compression over point sets in
:mod:`warning_time.compression`; their names are also reachable from here for older code.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import status as st
from .core.sensors_los import warning_many as _warning_many_fast
from .errors import InputError, check_choice
from .flight import ON_INVALID, NamedArrays, check_route, pair_coordinates
from .model import FlightModel
from .sensors import K_REFRACTION, SensorSet, sensor_set

NOT_DETECTED = "not detected: no sensor of the scenario sees this flight"

#: names that moved to their own modules, still importable from here
_MOVED = {"area_points": "sampling", "best_warning": "compression", "compression": "compression",
          "compression_uncertainty": "compression"}


def __getattr__(name):
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(f".{_MOVED[name]}", __package__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class WarningResult(NamedArrays):
    """Named arrays of one warning_time call (broadcast shape of the inputs), with the flight
    model's metadata in ``meta`` (missile, resolved trajectory, earth, rotation, band,
    burnout-speed limit) and the radars of the sensor set in ``meta['radars']``.

    Fields: :attr:`FIELDS`, then one ``detect_<radar>_s`` per radar (first detection by that
    radar, s after launch; NaN when it never sees the flight). Times are seconds after launch.
    """

    #: the fields of every result, in the order of :meth:`to_frame` (missile and trajectory,
    #: from ``meta``, follow the coordinates there)
    FIELDS = ("launch_lat_deg", "launch_lon_deg", "target_lat_deg", "target_lon_deg",
              "ground_range_km", "apogee_km", "flight_time_s", "burnout_time_s", "apogee_time_s",
              "reentry_time_s", "detected_by", "detection_time_s", "warning_issued_s", "warning_time_s",
              "status", "reason")
    COORDINATES = FIELDS[:4]

    def __repr__(self):
        shape = self._arrays["warning_time_s"].shape
        return (f"WarningResult(shape={shape}, missile={self.meta['missile']!r}, "
                f"trajectory={self.meta['trajectory']!r})")

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame, one row per pair: inputs, missile, trajectory, results and the
        per-radar detection columns."""
        cols = {k: np.ravel(self[k]) for k in self.COORDINATES}
        cols["missile"] = self.meta["missile"]
        cols["trajectory"] = self.meta["trajectory"]
        cols.update((k, np.ravel(v)) for k, v in self.items() if k not in self.COORDINATES)
        return pd.DataFrame(cols)


def first_warning(det, process_s, names, decision_delay_s=0.0):
    """The first warning over candidate sensors: ``det`` (sensors x flights) first detection
    times after launch (NaN: never), ``process_s`` each sensor's processing delay. A warning is
    issued at detection + processing + decision delay; the earliest one counts. Returns
    (detected_by name, its detection time, warning issued time, any sensor detected), NaN / ''
    where no sensor sees the flight."""
    n = det.shape[1]
    if not len(names):
        return np.full(n, "", dtype=object), np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, bool)
    issued = det + np.asarray(process_s, float)[:, None] + float(decision_delay_s)
    any_det = np.isfinite(issued).any(axis=0)
    first = np.where(any_det, np.argmin(np.where(np.isfinite(issued), issued, np.inf), axis=0), -1)
    detected_by = np.where(first >= 0, np.array(list(names) + [""], dtype=object)[first], "")
    pick = lambda a: np.where(first >= 0, np.take_along_axis(a, np.maximum(first, 0)[None, :], 0)[0], np.nan)  # noqa: E731
    return detected_by, pick(det), pick(issued), any_det


def warning_time(launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg, *, missile,
                 trajectory="minimum-energy", apogee_km=None, flight_path_angle_deg=None,
                 burnout_speed_m_s=None, branch="low", earth="wgs84", rotation=True,
                 band="nominal", sensors: SensorSet | None = None, decision_delay_s=0.0,
                 k_refraction=K_REFRACTION, dt_sample_s=2.0, kernel_params=None,
                 on_invalid="raise", waypoints=None) -> WarningResult:
    """Flight timeline, first detection and warning time for launch-target pairs.

    Flight options (``missile`` ... ``band``) as in :func:`warning_time.flight_time`, checked
    the same way (:meth:`FlightModel.resolve`); ``kernel_params`` replaces the band's parameters
    (a Monte Carlo draw). Returns a :class:`WarningResult`: ``flight_time_s``,
    ``burnout_time_s``, ``apogee_time_s``, ``reentry_time_s`` (the entry altitude on the way
    down), ``detected_by``, ``detection_time_s`` (of the sensor that gives the first warning),
    ``warning_issued_s`` (detection + processing + decision delay), ``warning_time_s``
    (impact - warning issued), one ``detect_<radar>_s`` per radar, ``status`` and ``reason``;
    ``.to_frame()`` gives them as a DataFrame, one row per pair. Times are seconds after launch.

    Cruise classes (:mod:`warning_time.cruise`): ground and airborne radars see the missile
    inside the 4/3-Earth horizon between their height and its altitude (capped by their
    range), the space-infrared layer does not see it; ``waypoints`` gives its route as in
    :func:`warning_time.flight_time`; one ``detect_<radar>_s`` per ground and airborne radar.
    """
    model = FlightModel.resolve(missile, trajectory=trajectory, apogee_km=apogee_km,
                                flight_path_angle_deg=flight_path_angle_deg,
                                burnout_speed_m_s=burnout_speed_m_s, branch=branch, earth=earth,
                                rotation=rotation, band=band, kernel_params=kernel_params)
    check_choice("on_invalid", on_invalid, ON_INVALID)
    m = model.missile
    wps = check_route(model, waypoints)
    if not (k_refraction >= 1.0):
        raise InputError("k_refraction", message=f"k_refraction={k_refraction} must be >= 1")
    if not (dt_sample_s > 0):
        raise InputError("dt_sample_s", message="dt_sample_s must be > 0")
    sens = sensors if sensors is not None else sensor_set()
    lat1, lon1, lat2, lon2, shape, bad = pair_coordinates(launch_lat_deg, launch_lon_deg, target_lat_deg,
                                                          target_lon_deg, on_invalid=on_invalid)
    if model.is_cruise:
        from .cruise import cruise_warning

        return cruise_warning(model, lat1, lon1, lat2, lon2, bad, shape, sens, decision_delay_s=decision_delay_s,
                              k_refraction=float(k_refraction), waypoints=wps)
    clean = lambda x: np.radians(np.where(bad, 0.0, x))  # noqa: E731
    out = _warning_many_fast(clean(lat1), clean(lon1), clean(lat2), clean(lon2), model.params, model.table,
                             sens.radar_lat_rad, sens.radar_lon_rad, sens.radar_h_m, sens.radar_mask_rad,
                             sens.radar_max_m, float(k_refraction), float(dt_sample_s))
    code = out[0].astype(np.int8)
    code[bad] = st.BAD_INPUT
    out[1:, bad] = np.nan
    n = lat1.size
    flight = out[1]
    # candidate warnings: IR (delay after launch) and radars
    cand_names = list(sens.ir_names) + list(sens.radar_names)
    det = np.full((len(cand_names), n), np.nan)
    for i in range(len(sens.ir_names)):
        det[i] = np.where(np.isfinite(flight) & (sens.ir_detect_s[i] < flight), sens.ir_detect_s[i], np.nan)
    for j in range(len(sens.radar_names)):
        det[len(sens.ir_names) + j] = out[12 + j]
    process = np.concatenate([np.asarray(sens.ir_process_s, float), np.asarray(sens.radar_process_s, float)])
    detected_by, det_time, warn_issued, any_det = first_warning(det, process, cand_names, decision_delay_s)
    warning = flight - warn_issued
    reason = st.reasons(code, max_range_km=m.max_range_km, min_range_km=m.reach_min_km(model.band)).astype(object)
    ok = code == st.OK
    reason[ok & ~any_det] = NOT_DETECTED
    arrays = dict(zip(WarningResult.FIELDS, (
        lat1, lon1, lat2, lon2, out[2] / 1e3, out[3] / 1e3, flight, out[11], out[9], out[10], detected_by,
        det_time, warn_issued, warning, code, reason)))
    for j, name in enumerate(sens.radar_names):
        arrays[f"detect_{name}_s"] = out[12 + j]
    meta = dict(model.meta, radars=tuple(sens.radar_names))
    return WarningResult({k: v.reshape(shape) for k, v in arrays.items()}, meta)
