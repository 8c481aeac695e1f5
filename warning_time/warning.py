"""Detection, impact prediction and the warning chain of single flights.

The timeline of a ballistic flight and what each sensor sees of it (kernels in
core/sensors_los.py):

* space infrared sees the plume only while the engine burns: first detection when the plume has
  climbed above the cloud tops plus the revisit time, and none if that comes after burnout;
* a ground radar sees the object in view (booster, post-boost vehicle, re-entry vehicle: data/
  signatures.toml) inside its sector, above its elevation mask through a refracting atmosphere,
  within its detection range for that object's cross-section (R ~ sigma^(1/4));
* each sensor predicts the impact point ``processing_delay_s`` after its first detection, but
  never before the end of powered flight (burnout, or the release of the re-entry vehicles for
  a class with a post-boost vehicle): impact prediction = max(detection, release) + processing;
* the first impact prediction over the sensors starts the chain (warning_time/chain.py): each
  audience (forces, leaders, public) is warned after its assessment and dissemination times
  (and the scenario's decision delay).

warning_time_s is the warning of the military forces (the first audience); warning_<audience>_s
gives each. A flight no sensor sees has NaN warning with a reason, never the flight time.

The sensor arrays live in :mod:`warning_time.sensors`, launch points in
:mod:`warning_time.sampling`, best warning and compression over point sets in
:mod:`warning_time.compression`; their names are also reachable from here for older code.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import status as st
from .chain import AUDIENCES, WarningChain, warning_chain
from .core.sensors_los import warning_many as _warning_many_fast
from .core.trajectory import P_A, P_E2
from .errors import InputError, check_choice
from .flight import ON_INVALID, NamedArrays, check_route, pair_coordinates
from .model import FlightModel
from .sensors import K_REFRACTION, SensorSet, sensor_set, signature

NOT_DETECTED = "not detected: no sensor of the scenario sees this flight"
#: names of the objects a sensor first sees (core.sensors_los.OBJ_*; the infrared plume)
OBJECTS = ("booster", "post-boost vehicle", "re-entry vehicle")
PLUME = "plume (infrared)"

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

    The chain: ``first_detection_s`` (earliest detection by any sensor), ``detected_by`` (the
    sensor whose impact prediction comes first), its ``detection_time_s`` and
    ``detected_object``, ``release_time_s`` (end of powered flight: burnout, or re-entry vehicle
    release), ``impact_predicted_s``, ``warning_issued_s`` / ``warning_time_s`` (military
    forces), ``warning_<audience>_s`` for forces, leaders and public.
    """

    #: the fields of every result, in the order of :meth:`to_frame` (missile and trajectory,
    #: from ``meta``, follow the coordinates there)
    FIELDS = ("launch_lat_deg", "launch_lon_deg", "target_lat_deg", "target_lon_deg",
              "ground_range_km", "apogee_km", "flight_time_s", "burnout_time_s", "release_time_s",
              "apogee_time_s", "reentry_time_s", "first_detection_s", "detected_by", "detection_time_s",
              "detected_object", "impact_predicted_s", "warning_issued_s", "warning_time_s",
              *(f"warning_{a}_s" for a in AUDIENCES), "status", "reason")
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


def first_warning(det, process_s, names, decision_delay_s=0.0, ready_s=None):
    """The first impact prediction over candidate sensors: ``det`` (sensors x flights) first
    detection times after launch (NaN: never), ``process_s`` each sensor's track-formation +
    impact-prediction time, ``ready_s`` (flights,) the earliest time an impact point can be
    predicted (end of powered flight; None: no such bound). A sensor predicts at
    max(detection, ready) + processing; the earliest prediction counts, and ``decision_delay_s``
    is added to it. Returns (sensor name, its detection time, prediction time + decision delay,
    any sensor detected), NaN / '' where no sensor sees the flight."""
    n = det.shape[1]
    if not len(names):
        return np.full(n, "", dtype=object), np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, bool)
    start = det if ready_s is None else np.where(np.isfinite(det), np.maximum(det, np.asarray(ready_s, float)[None, :]),
                                                 np.nan)
    issued = start + np.asarray(process_s, float)[:, None] + float(decision_delay_s)
    any_det = np.isfinite(issued).any(axis=0)
    first = np.where(any_det, np.argmin(np.where(np.isfinite(issued), issued, np.inf), axis=0), -1)
    detected_by = np.where(first >= 0, np.array(list(names) + [""], dtype=object)[first], "")
    pick = lambda a: np.where(first >= 0, np.take_along_axis(a, np.maximum(first, 0)[None, :], 0)[0], np.nan)  # noqa: E731
    return detected_by, pick(det), pick(issued), any_det


def chain_arrays(flight_s, det, process_s, names, objects, chain: WarningChain, decision_delay_s=0.0,
                 ready_s=None) -> dict:
    """The chain fields of a :class:`WarningResult` (flat arrays): first detection over all
    sensors, the sensor of the first impact prediction with its detection time and the object it
    first saw (``objects``: sensors x flights, names), the impact prediction, and the warning of
    every audience (impact - (prediction + assess + disseminate + decision delay));
    ``warning_issued_s`` / ``warning_time_s`` are the forces'."""
    detected_by, det_time, predicted, any_det = first_warning(det, process_s, names, 0.0, ready_s)
    n = det.shape[1]
    first_det = np.full(n, np.nan)
    if len(names):
        seen = np.isfinite(det)
        first_det = np.where(seen.any(axis=0), np.where(seen, det, np.inf).min(axis=0), np.nan)
    k = np.array([list(names).index(d) if d else -1 for d in detected_by], dtype=int)
    obj = np.array([objects[kk][i] if kk >= 0 else "" for i, kk in enumerate(k)], dtype=object)
    out = {"first_detection_s": first_det, "detected_by": detected_by, "detection_time_s": det_time,
           "detected_object": obj, "impact_predicted_s": predicted}
    for a in AUDIENCES:
        issued = predicted + chain.after_prediction_s(a) + float(decision_delay_s)
        out[f"warning_{a}_s"] = flight_s - issued
        if a == "forces":
            out["warning_issued_s"] = issued
            out["warning_time_s"] = flight_s - issued
    out["_any_det"] = any_det
    return out


def warning_time(launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg, *, missile,
                 trajectory="minimum-energy", apogee_km=None, flight_path_angle_deg=None,
                 burnout_speed_m_s=None, branch="low", earth="wgs84", rotation=True,
                 band="nominal", sensors: SensorSet | None = None, decision_delay_s=0.0,
                 k_refraction=K_REFRACTION, dt_sample_s=2.0, kernel_params=None,
                 on_invalid="raise", waypoints=None, chain=None, signature_values=None,
                 drag_table="exact") -> WarningResult:
    """Flight timeline, detection, impact prediction and the warning of each audience for
    launch-target pairs (see the module text).

    Flight options (``missile`` ... ``band``) as in :func:`warning_time.flight_time`, checked
    the same way (:meth:`FlightModel.resolve`); ``kernel_params`` replaces the band's parameters
    (a Monte Carlo draw; ``drag_table='continuous'`` takes its drag delay from the continuous
    table, :meth:`FlightModel.resolve`). ``chain``: a :class:`~warning_time.chain.WarningChain`, a chain table
    or file (default data/warning_chain.toml, nominal); ``signature_values``: (booster,
    post-boost vehicle, re-entry vehicle cross-section m^2, post-boost time s) replacing the
    class's entry of data/signatures.toml (at ``band``). ``decision_delay_s`` is added for every
    audience. Returns a :class:`WarningResult`; ``.to_frame()`` gives it as a DataFrame, one row
    per pair. Times are seconds after launch.

    Cruise classes (:mod:`warning_time.cruise`): ground and airborne radars see the missile
    inside the 4/3-Earth horizon between their height and its altitude (``k_refraction``: valid
    in the troposphere, where a cruise missile flies), ground radars only inside their sector;
    the space-infrared layer does not see it; ``waypoints`` gives its route as in
    :func:`warning_time.flight_time`. Ballistic flights use the refractivity profile of
    :mod:`warning_time.sensors` and ignore ``k_refraction``.
    """
    model = FlightModel.resolve(missile, trajectory=trajectory, apogee_km=apogee_km,
                                flight_path_angle_deg=flight_path_angle_deg,
                                burnout_speed_m_s=burnout_speed_m_s, branch=branch, earth=earth,
                                rotation=rotation, band=band, kernel_params=kernel_params, drag_table=drag_table)
    check_choice("on_invalid", on_invalid, ON_INVALID)
    m = model.missile
    wps = check_route(model, waypoints)
    if not (k_refraction >= 1.0):
        raise InputError("k_refraction", message=f"k_refraction={k_refraction} must be >= 1")
    if not (dt_sample_s > 0):
        raise InputError("dt_sample_s", message="dt_sample_s must be > 0")
    if not np.isfinite(decision_delay_s) or decision_delay_s < 0:
        raise InputError("decision_delay_s", message=f"decision_delay_s={decision_delay_s} must be >= 0")
    sens = sensors if sensors is not None else sensor_set()
    ch = warning_chain(chain)
    lat1, lon1, lat2, lon2, shape, bad = pair_coordinates(launch_lat_deg, launch_lon_deg, target_lat_deg,
                                                          target_lon_deg, on_invalid=on_invalid)
    if model.is_cruise:
        from .cruise import cruise_warning

        return cruise_warning(model, lat1, lon1, lat2, lon2, bad, shape, sens, decision_delay_s=decision_delay_s,
                              k_refraction=float(k_refraction), waypoints=wps, chain=ch)
    if signature_values is None:
        sig = signature(m.key, band if band in ("low", "nominal", "high") else "nominal")
    else:
        sig = np.asarray(signature_values, float)
        if sig.shape != (4,) or not (np.isfinite(sig).all() and (sig[:3] > 0).all() and sig[3] >= 0):
            raise InputError("signature_values", message="signature_values must be 4 numbers: booster, post-boost "
                             "and re-entry vehicle cross-sections (m^2, > 0) and the post-boost time (s, >= 0)")
    clean = lambda x: np.radians(np.where(bad, 0.0, x))  # noqa: E731
    rad, tabs = sens.radar_matrix(float(model.params[P_A]), float(model.params[P_E2]))
    ni = len(sens.ir_names)
    nr = len(sens.radar_names)
    ir = np.column_stack([sens.ir_cloud_m, sens.ir_revisit_s]) if ni else np.zeros((0, 2))
    out = _warning_many_fast(clean(lat1), clean(lon1), clean(lat2), clean(lon2), model.params, model.table,
                             rad, tabs, ir, sig, float(dt_sample_s))
    code = out[0].astype(np.int8)
    code[bad] = st.BAD_INPUT
    out[1:, bad] = np.nan
    n = lat1.size
    flight = out[1]
    names = list(sens.ir_names) + list(sens.radar_names)
    det = out[13:13 + ni + nr]
    obj_codes = out[13 + ni + nr:]
    objects = [np.full(n, PLUME, dtype=object) for _ in range(ni)]
    names_of = np.array(OBJECTS + ("",), dtype=object)  # code -> name; NaN (never seen) -> ""
    for j in range(nr):
        oc = obj_codes[j]
        objects.append(names_of[np.where(np.isfinite(oc), oc, len(OBJECTS)).astype(np.intp)])
    process = np.concatenate([np.asarray(sens.ir_process_s, float), np.asarray(sens.radar_process_s, float)])
    ch_out = chain_arrays(flight, det, process, names, objects, ch, decision_delay_s, ready_s=out[12])
    any_det = ch_out.pop("_any_det")
    reason = st.reasons(code, max_range_km=m.max_range_km, min_range_km=m.reach_min_km(model.band)).astype(object)
    ok = code == st.OK
    reason[ok & ~any_det] = NOT_DETECTED
    arrays = dict(launch_lat_deg=lat1, launch_lon_deg=lon1, target_lat_deg=lat2, target_lon_deg=lon2,
                  ground_range_km=out[2] / 1e3, apogee_km=out[3] / 1e3, flight_time_s=flight, burnout_time_s=out[11],
                  release_time_s=out[12], apogee_time_s=out[9], reentry_time_s=out[10], status=code, reason=reason,
                  **ch_out)
    arrays = {k: arrays[k] for k in WarningResult.FIELDS}
    for j, name in enumerate(sens.ir_names):
        arrays[f"detect_{name}_s"] = out[13 + j]
    for j, name in enumerate(sens.radar_names):
        arrays[f"detect_{name}_s"] = out[13 + ni + j]
    meta = dict(model.meta, radars=tuple(sens.radar_names), chain=ch, signature=tuple(float(x) for x in sig))
    return WarningResult({k: v.reshape(shape) for k, v in arrays.items()}, meta)
