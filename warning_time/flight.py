"""Public, vectorised flight-time API over the numba core."""
from __future__ import annotations

import numpy as np

from . import status as st
from .core.batch import bad_coords as _bad_coords_fast
from .core.batch import flight_many as _flight_many_fast
from .errors import InputError, check_choice
from .model import BANDS, BRANCHES, DELAY_G_NODES_DEG, DELAY_V_NODES, FlightModel, delay_table  # noqa: F401

ON_INVALID = ("raise", "nan")


class NamedArrays:
    """Named arrays of one call, reachable as attributes and by name, with a metadata dict.

    A value may be given as a zero-argument callable: it is computed on first access and kept
    (used for the per-row reason strings, which cost as much as the arithmetic of a large
    batch and are often not read)."""

    def __init__(self, arrays: dict, meta: dict):
        self._arrays = dict(arrays)
        self.meta = meta

    def __getattr__(self, name):
        arrays = self.__dict__.get("_arrays")
        if arrays is None or name not in arrays:
            raise AttributeError(f"{type(self).__name__} has no field {name!r}")
        return self[name]

    def __dir__(self):  # field names for tab completion in notebooks
        return sorted(set(super().__dir__()) | set(self._arrays))

    def __getitem__(self, name):
        value = self._arrays[name]
        if callable(value):
            value = self._arrays[name] = value()
        return value

    def items(self):
        return ((k, self[k]) for k in self._arrays)

    def __getstate__(self):  # pickling (e.g. Dask workers) materialises the lazy fields
        state = {k: v for k, v in self.__dict__.items() if k != "_arrays"}
        state["_arrays"] = dict(self.items())
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)

    def keys(self):
        return self._arrays.keys()

    #: input coordinate fields (subclasses name theirs); they become coordinates in :meth:`to_xarray`
    COORDINATES: tuple = ()

    def to_xarray(self, dims=None):
        """An ``xarray.Dataset`` with the broadcast shape of the call kept as its dimensions.

        ``dims`` names them (default ``dim_0``, ``dim_1``, ...). Every field is a data variable
        over all dimensions (with its unit in ``attrs['units']``), except the input coordinates,
        which are coordinates over only the dimensions along which they vary (the launch
        coordinates of ``lat[:, None]`` against targets ``lat[None, :]`` span the first
        dimension only). The metadata (missile, trajectory, Earth model, ...) and every
        parameter value used (``parameter_<name>``, catalog units) are in ``attrs``."""
        import xarray as xr

        arrays = dict(self.items())
        shape = np.shape(next(iter(arrays.values())))
        dims = tuple(f"dim_{i}" for i in range(len(shape))) if dims is None else tuple(dims)
        if len(dims) != len(shape) or len(set(dims)) != len(dims):
            raise InputError("dims", message=f"dims={dims!r} must name the {len(shape)} dimension(s) of the result "
                             f"(shape {shape}), each once")
        coords, data = {}, {}
        for name, arr in arrays.items():
            arr = np.asarray(arr)
            if name in self.COORDINATES:
                keep = [i for i in range(arr.ndim) if not _constant_along(arr, i)]
                sub = arr[tuple(slice(None) if i in keep else 0 for i in range(arr.ndim))]
                coords[name] = xr.Variable(tuple(dims[i] for i in keep), sub, attrs={"units": _unit(name)})
            else:
                attrs = {"units": _unit(name)} if _unit(name) else {}
                data[name] = xr.Variable(dims, arr, attrs=attrs)
        attrs = {}
        for k, v in self.meta.items():
            if isinstance(v, dict):
                attrs.update({f"parameter_{pk}": float(pv) for pk, pv in v.items()})
            elif isinstance(v, (bool, np.bool_)):
                attrs[k] = "true" if v else "false"  # netCDF attributes take no booleans
            elif isinstance(v, (tuple, list)):
                attrs[k] = ", ".join(str(x) for x in v)
            else:
                attrs[k] = v
        return xr.Dataset(data, coords=coords, attrs=attrs)


def _constant_along(arr, axis) -> bool:
    """Whether ``arr`` is the same along ``axis`` (NaN equal to NaN)."""
    if arr.shape[axis] <= 1:
        return True
    first = np.take(arr, [0], axis=axis)
    return bool(np.array_equal(np.broadcast_to(first, arr.shape), arr, equal_nan=arr.dtype.kind == "f"))


def _unit(name: str) -> str:
    for suffix, unit in (("_m_s", "m/s"), ("_deg", "degree"), ("_km", "km"), ("_s", "s"), ("_m", "m")):
        if name.endswith(suffix):
            return unit
    return ""


class FlightResult(NamedArrays):
    """Named float64 arrays of one flight_time call (broadcast shape of the inputs).

    Attributes: ``flight_time_s``, ``ground_range_km``, ``apogee_km``, ``burnout_speed_m_s``
    (relative to the rotating Earth), ``free_flight_time_s``, ``impact_speed_m_s`` and
    ``impact_angle_deg`` (vacuum values at the target), ``drag_delay_s``, ``status`` (int) and
    ``reason`` (str, empty when status is 0), plus the inputs.
    """

    #: the input coordinates, first in every result and in :meth:`to_frame`
    COORDINATES = ("launch_lat_deg", "launch_lon_deg", "target_lat_deg", "target_lon_deg")
    #: the computed numbers (float64), in the order of :meth:`to_frame` and of batch outputs
    NUMBERS = ("flight_time_s", "ground_range_km", "apogee_km", "burnout_speed_m_s", "free_flight_time_s",
               "impact_speed_m_s", "impact_angle_deg", "drag_delay_s")
    #: every field of a result, in order; ``missile`` and ``trajectory`` (from ``meta``) follow in frames
    FIELDS = COORDINATES + NUMBERS + ("status", "reason")

    def __init__(self, arrays: dict, meta: dict):
        if tuple(arrays) != self.FIELDS:
            raise ValueError(f"FlightResult fields {tuple(arrays)} differ from {self.FIELDS}")
        super().__init__(arrays, meta)

    def __repr__(self):
        shape = self._arrays["flight_time_s"].shape
        return f"FlightResult(shape={shape}, missile={self.meta['missile']!r}, trajectory={self.meta['trajectory']!r})"

    #: the pandas index of Series inputs (None otherwise); :meth:`to_frame` keeps it
    index = None

    def to_frame(self):
        """A pandas DataFrame, one row per pair, inputs and results as columns; the index of
        pandas Series inputs is kept."""
        import pandas as pd

        cols = {k: np.ravel(v) for k, v in self.items()}
        df = pd.DataFrame(cols, index=self.index if self.index is not None and len(self.index) == len(
            cols["flight_time_s"]) else None)
        df["missile"] = self.meta["missile"]
        df["trajectory"] = self.meta["trajectory"]
        return df


def _validate_coord(name, arr, lo, hi, on_invalid):
    bad = ~((arr >= lo) & (arr <= hi))  # NaN fails both comparisons
    if bad.any() and on_invalid == "raise":
        rows = np.flatnonzero(bad.ravel())
        vals = [float(x) for x in arr.ravel()[rows[:5]]]
        raise InputError(name, rows=rows.tolist(), values=vals, allowed=f"[{lo:g}, {hi:g}]")
    return bad


COORDINATE_NAMES = ("launch_lat_deg", "launch_lon_deg", "target_lat_deg", "target_lon_deg")


def _as_degrees(name, x) -> np.ndarray:
    """``x`` as a float64 array for the coordinate ``name``: numbers as they are, text that
    reads as a number parsed, None and masked entries NaN (so they are bad rows); text that is
    not a number, complex values with an imaginary part and other objects raise
    :class:`InputError` naming the field and the first offending row."""
    if np.ma.isMaskedArray(x):
        x = np.ma.filled(np.ma.asarray(x, dtype=float), np.nan)
    if type(x).__module__.startswith("pandas"):  # Series, Index, extension arrays: NA -> NaN
        try:
            x = x.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            x = np.asarray(x.to_numpy(), dtype=object)
    arr = x if isinstance(x, np.ndarray) else np.asarray(x)
    if arr.dtype.kind == "c":
        if np.any(np.imag(arr) != 0):
            i = int(np.flatnonzero(np.ravel(np.imag(arr)) != 0)[0])
            raise InputError(name, message=f"{name}[{i}] = {complex(np.ravel(arr)[i])!r} is complex; coordinates "
                             "are real degrees")
        arr = np.real(arr)
    if arr.dtype.kind in "fiub":
        return arr.astype(float, copy=False)
    try:  # text that reads as numbers (and None as NaN), all at once
        return np.asarray(arr, dtype=float)
    except (TypeError, ValueError):
        pass  # name the first cell that is not a number
    flat = np.ravel(arr)
    out = np.empty(flat.shape, dtype=float)
    for i, v in enumerate(flat):
        if v is None:
            out[i] = np.nan
            continue
        if isinstance(v, (bytes, bytearray)):
            v = bytes(v).decode("utf-8", "replace")
        try:
            out[i] = float(v.strip() if isinstance(v, str) else v)
        except (TypeError, ValueError):
            shown = repr(v.item() if isinstance(v, np.generic) else v)
            shown = shown if len(shown) <= 40 else shown[:37] + "..."
            raise InputError(name, message=f"{name}[{i}] = {shown} is not a number (degrees expected)") from None
    return out.reshape(arr.shape)


def series_index(*values):
    """The common pandas index of the pandas Series among ``values`` (None if there is none);
    Series with different indexes raise :class:`InputError` rather than being combined by
    position."""
    index = None
    for name, v in zip(COORDINATE_NAMES, values):
        idx = getattr(v, "index", None)
        if idx is None or not hasattr(v, "to_numpy") or getattr(v, "ndim", 1) != 1:
            continue
        if index is None:
            index, first = idx, name
        elif not index.equals(idx):
            raise InputError(name, message=f"{name} and {first} are pandas Series with different indexes; align "
                             "them first (e.g. a.align(b) or .reset_index(drop=True) on both), they are not "
                             "combined by position")
    return index


def pair_coordinates(launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg, *, on_invalid="raise"):
    """Launch and target coordinates broadcast and flattened to contiguous float64 arrays, with
    their broadcast shape and a mask of the rows outside the allowed ranges (latitudes in
    [-90, 90], longitudes in [-180, 360], NaN is outside). With ``on_invalid="raise"`` the first
    bad field raises :class:`InputError` naming its rows and values."""
    check_choice("on_invalid", on_invalid, ON_INVALID)
    values = (launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg)
    coords = [_as_degrees(name, x) for name, x in zip(COORDINATE_NAMES, values)]
    try:
        arrs = np.broadcast_arrays(*coords)
    except ValueError:
        shapes = ", ".join(f"{n} {np.shape(c)}" for n, c in zip(COORDINATE_NAMES, coords))
        raise InputError("coordinates", message=f"launch and target coordinates do not broadcast: {shapes}") from None
    shape = arrs[0].shape
    lat1, lon1, lat2, lon2 = (np.ascontiguousarray(x).ravel() for x in arrs)
    bad = _bad_coords_fast(lat1, lon1, lat2, lon2)  # one pass; names the field only if needed
    if bad.any():
        bad = np.zeros(lat1.shape, dtype=bool)
        for name, arr, lo, hi in (("launch_lat_deg", lat1, -90.0, 90.0), ("launch_lon_deg", lon1, -180.0, 360.0),
                                  ("target_lat_deg", lat2, -90.0, 90.0), ("target_lon_deg", lon2, -180.0, 360.0)):
            bad |= _validate_coord(name, arr, lo, hi, on_invalid)
    return lat1, lon1, lat2, lon2, shape, bad


def flight_time(launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg, *, missile,
                trajectory="minimum-energy", apogee_km=None, flight_path_angle_deg=None,
                burnout_speed_m_s=None, branch="low", earth="wgs84", rotation=True,
                band="nominal", on_invalid="raise", waypoints=None, params=None) -> FlightResult:
    """Flight time from launch points to targets for a missile class and trajectory shape.

    Parameters
    ----------
    launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg : float or array_like
        Geodetic coordinates (deg); broadcast against each other. Latitudes in [-90, 90],
        longitudes in [-180, 360].
    missile : str or MissileClass
        A catalog name (see ``warning-time missiles``) or a MissileClass (e.g. one built with
        :meth:`MissileClass.with_params`).
    params : mapping, optional
        Explicit parameter values for this call, by catalog name in catalog units
        (``{"burn_time_s": 55.0, "ballistic_coefficient_kg_m2": 6000.0}``): each replaces the
        class's value (at every band). One number per parameter: to run your own Monte Carlo,
        call once per draw. An unknown name raises :class:`InputError` naming the closest one.
        The values used are in ``result.meta["parameters"]``.
    trajectory : {'minimum-energy', 'apogee', 'flight-path-angle', 'burnout-speed', 'depressed',
        'lofted', 'quasi-ballistic', 'default'}
        Shape of the free flight. 'minimum-energy' needs the least burnout speed relative to the
        launch site. 'apogee' takes ``apogee_km``; 'flight-path-angle' takes
        ``flight_path_angle_deg`` (burnout, above the local horizontal, relative to the Earth);
        'burnout-speed' takes ``burnout_speed_m_s`` and ``branch`` ('low' or 'high').
        'depressed' and 'lofted' are the class's presets, defined physically (docs/model.md
        "Trajectory presets"): its full burnout speed on the low / high branch, with the
        burnout flight-path angle relative to the Earth kept at or above 0 deg (depressed) or
        at or below 80 deg (lofted), flown below full speed where full speed would cross that
        angle. They guarantee depressed <= minimum-energy <= lofted in flight time. A class
        with a range-dependent boost flies them from its full-burn boost; its 'depressed' is the
        least-burn minimum-energy shot where that full-burn arc is not clearly the faster
        (docs/model.md "Range-dependent boost").
        An option a trajectory does not use (``apogee_km`` with 'minimum-energy', ...) raises
        :class:`InputError` naming the option and the trajectories that take it.
        'quasi-ballistic' is minimum energy with the apogee capped at the class's cap (or
        ``apogee_km``). 'default' uses the class's own default. Cruise classes take
        'cruise' (or 'default') only, and no ballistic option (``apogee_km``,
        ``flight_path_angle_deg``, ``burnout_speed_m_s``, ``branch='high'``): those raise
        :class:`InputError` naming the option; 'cruise' on a ballistic class raises too.
    earth : {'wgs84', 'sphere'}
        WGS84 ellipsoid, or the mean sphere R = 6,371,008.8 m.
    rotation : bool
        Rotating Earth (default) or not.
    band : {'nominal', 'low', 'high'}
        Which end of the missile's parameter bands to use.
    on_invalid : {'raise', 'nan'}
        Bad coordinates raise :class:`InputError` naming field, rows and allowed range, or give
        NaN rows with status 'bad input'.
    waypoints : sequence of (lat, lon), optional
        Cruise classes only: the route runs from the launch point through these points (in
        order, geodesic legs) to the target; default the geodesic. Its length is the
        ``ground_range_km`` of the result and what the class's range limits.

    Returns
    -------
    FlightResult
        Named float64 arrays of the broadcast shape; ``status`` 0 is success, any other code
        comes with NaN times and a ``reason``. A target beyond reach (the shape needs more
        burnout speed than the class has, or than ``burnout_speed_m_s`` gives; for the
        quasi-ballistic profile, beyond the published ground range) has status 'out of range'
        and the class's maximum range in the reason. ``burnout_speed_m_s`` is relative to the
        rotating Earth; ``impact_speed_m_s`` and ``impact_angle_deg`` are the vacuum
        (inertial-frame) values at the target, which the drag delay is computed from.

    Notes
    -----
    flight time = burn time + vacuum conic from burnout to the target + drag delay. For a
    cruise class, flight time = launch phase + the rest of the route at the cruise (and
    terminal) speed, and the fields mean: ``ground_range_km`` the route length, ``apogee_km``
    the cruise altitude, ``burnout_speed_m_s`` the cruise speed, ``free_flight_time_s`` the
    time after the launch phase, ``impact_speed_m_s`` the speed of the last phase;
    ``impact_angle_deg`` and ``drag_delay_s`` are NaN (:mod:`warning_time.cruise`). See
    ``docs/model.md`` for the model chain and ``docs/validation.md`` for its checks.
    """
    if params is not None:
        from collections.abc import Mapping

        from .missiles import get_missile

        if not isinstance(params, Mapping):
            raise InputError("params", message=f"params must be a mapping of parameter names to values, got "
                             f"{type(params).__name__}")
        missile = get_missile(missile).with_params(dict(params))
    model = FlightModel.resolve(missile, trajectory=trajectory, apogee_km=apogee_km,
                                flight_path_angle_deg=flight_path_angle_deg,
                                burnout_speed_m_s=burnout_speed_m_s, branch=branch, earth=earth,
                                rotation=rotation, band=band)
    return model_flight_time(model, launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg,
                             on_invalid=on_invalid, waypoints=waypoints)


def check_route(model: FlightModel, waypoints):
    """``waypoints`` checked (cruise classes only) as an (n, 2) array, or None."""
    if waypoints is None:
        return None
    if not model.is_cruise:
        raise InputError("waypoints", message=f"waypoints apply to cruise classes (trajectory 'cruise') only; "
                         f"missile '{model.key}' is ballistic")
    from .cruise import check_waypoints

    return check_waypoints(waypoints)


def model_flight_time(model: FlightModel, launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg, *,
                      on_invalid="raise", waypoints=None) -> FlightResult:
    """:func:`flight_time` for a resolved :class:`~warning_time.model.FlightModel` (e.g. one
    from :meth:`FlightModel.with_shape`): coordinates, ``on_invalid`` and ``waypoints`` as there."""
    wps = check_route(model, waypoints)
    index = series_index(launch_lat_deg, launch_lon_deg, target_lat_deg, target_lon_deg)
    lat1, lon1, lat2, lon2, shape, bad = pair_coordinates(launch_lat_deg, launch_lon_deg, target_lat_deg,
                                                          target_lon_deg, on_invalid=on_invalid)
    if index is not None and (len(shape) != 1 or shape[0] != len(index)):
        index = None
    result = _model_flight_time(model, lat1, lon1, lat2, lon2, shape, bad, wps)
    result.index = index
    return result


def _model_flight_time(model, lat1, lon1, lat2, lon2, shape, bad, wps) -> FlightResult:
    any_bad = bool(bad.any())
    if model.is_cruise:
        from .cruise import cruise_flight_result

        return cruise_flight_result(model, lat1, lon1, lat2, lon2, bad, shape, wps)
    k_args = (lat1, lon1, lat2, lon2)
    if any_bad:  # the kernel sees valid numbers; the rows are re-flagged below
        k_args = tuple(np.where(bad, 0.0, x) for x in k_args)
    out = _flight_many_fast(*k_args, model.params, model.table)
    code = out[0].astype(np.int8)
    if any_bad:
        code[bad] = st.BAD_INPUT
        out[1:, bad] = np.nan
    out[2:4] *= 1e-3  # ground range and apogee, m -> km (in place, one pass)
    res = {
        "launch_lat_deg": lat1.reshape(shape), "launch_lon_deg": lon1.reshape(shape),
        "target_lat_deg": lat2.reshape(shape), "target_lon_deg": lon2.reshape(shape),
        "flight_time_s": out[1].reshape(shape),
        "ground_range_km": out[2].reshape(shape),
        "apogee_km": out[3].reshape(shape),
        "burnout_speed_m_s": out[4].reshape(shape),
        "free_flight_time_s": out[5].reshape(shape),
        "impact_speed_m_s": out[6].reshape(shape),
        "impact_angle_deg": np.degrees(out[7], out=out[7]).reshape(shape),
        "drag_delay_s": out[8].reshape(shape),
        "status": code.reshape(shape),
        # built on first access from the codes as returned (a copy: status may be edited)
        "reason": lambda code=code.copy(), m=model.missile: st.reasons(
            code, max_range_km=m.max_range_km, min_range_km=m.reach_min_km(model.band)).reshape(shape),
    }
    return FlightResult(res, model.meta)
