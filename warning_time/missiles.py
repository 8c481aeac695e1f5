"""Missile classes: a frozen dataclass per catalog entry, every parameter a sourced band."""
from __future__ import annotations

import dataclasses
import functools
import math
from importlib import resources
from pathlib import Path

from .errors import InputError
from .io import parse_toml

TRAJECTORIES = ("minimum-energy", "apogee", "flight-path-angle", "burnout-speed", "depressed",
                "lofted", "quasi-ballistic", "cruise")
#: the trajectories of cruise classes (ballistic classes take the others)
CRUISE_TRAJECTORIES = ("cruise",)


@dataclasses.dataclass(frozen=True)
class Param:
    """A parameter band (low, nominal, high) with its source."""

    nominal: float
    low: float
    high: float
    source: str


@dataclasses.dataclass(frozen=True, eq=False)
class MissileClass:
    """One missile class of the catalog; lengths in km and times in s as in the catalog file."""

    key: str
    label: str
    description: str
    default_trajectory: str
    params: dict = dataclasses.field(hash=False, compare=False)
    kind: str = "ballistic"
    #: the class's category as published (a label, e.g. an INF-treaty band); never a limit
    category: str = ""

    def value(self, name: str, band: str = "nominal") -> float:
        p = self.params.get(name)
        if p is None:
            return math.nan
        return float(getattr(p, band))

    @property
    def max_range_km(self) -> float:
        return self.value("max_range_km")

    @property
    def min_range_km(self) -> float:
        return self.value("min_range_km")

    def reach_min_km(self, band: str = "nominal") -> float:
        """The shortest ground range the analytic class flies: its minimum range, or its boost
        footprint (10/9 of the burnout downrange: the core refuses targets the boost would
        overfly) when that is longer; 0 for cruise classes without a footprint."""
        foot = self.value("burnout_downrange_km", band) / 0.9 if self.kind == "ballistic" else 0.0
        if self.kind == "ballistic":
            from .model import boost_tables

            entry = boost_tables().get(self.key)
            if entry is not None:
                # range-dependent boost: the footprint of the shortest tabulated (least-burn) shot
                x0, _, rows = entry["minimum-energy"]
                foot = float(rows[2, 0]) / 1e3 / 0.9
        return max(self.value("min_range_km", band), foot if math.isfinite(foot) else 0.0)

    def sample_kernel_params(self, rng) -> dict:
        """Kernel parameters with every band drawn uniformly between its low and high ends
        (independently); infinite bands stay infinite. Used by the Monte Carlo summaries."""
        draws = {}  # every band drawn, in catalog order (the random stream of a seed stays put)
        for pname, p in self.params.items():
            finite = math.isfinite(p.low) and math.isfinite(p.high) and p.high > p.low
            draws[pname] = float(rng.uniform(p.low, p.high)) if finite else p.nominal
        kp = self.kernel_params("nominal")
        kp.update({key: draws[pname] * scale for key, (pname, scale) in self._units().items() if pname in draws})
        return kp

    def drag_nodes(self):
        """(beta nodes, entry-altitude nodes in m) of the continuous drag-delay table over this
        class's bands (:func:`warning_time.model.drag_nodes`); None without drag."""
        from .model import drag_nodes

        b, h = self.params.get("ballistic_coefficient_kg_m2"), self.params.get("reentry_altitude_km")
        if b is None or h is None or not math.isfinite(b.nominal):
            return None
        return (drag_nodes(b.low, b.nominal, b.high),
                drag_nodes(h.low * 1e3, h.nominal * 1e3, h.high * 1e3, geometric=False))

    def kernel_params(self, band: str = "nominal") -> dict:
        """SI parameters for the core (m, s, kg/m^2); for a cruise class, those of its speed
        profile (:data:`CRUISE_UNITS`, NaN where an optional phase is absent)."""
        return {key: self.value(pname, band) * scale for key, (pname, scale) in self._units().items()}

    def _units(self) -> dict:
        return CRUISE_UNITS if self.kind == "cruise" else KERNEL_UNITS

    def parameter_values(self, kernel_params: dict | None = None, band: str = "nominal") -> dict:
        """The catalog parameters (catalog units: km, s, kg/m^2) a flight uses: those of
        ``kernel_params`` (SI, e.g. a Monte Carlo draw) where given, else the band's values."""
        out = {name: self.value(name, band) for name in self.params}
        if kernel_params is not None:
            for key, (pname, scale) in self._units().items():
                if key in kernel_params and pname in out:
                    out[pname] = float(kernel_params[key]) / scale
        return out

    def with_params(self, overrides: dict, source: str = "explicit value") -> MissileClass:
        """A copy of the class with some parameters replaced. Each value is a number (the
        parameter is fixed there: low = nominal = high) or a :class:`Param` (a whole band).
        Unknown names raise :class:`InputError` naming the closest parameter of the class."""
        params = dict(self.params)
        for name, val in overrides.items():
            if name not in params:
                raise InputError(name, message=unknown_name(f"parameter {name!r} of missile '{self.key}'", name,
                                                            params))
            if isinstance(val, Param):
                params[name] = val
            else:
                try:
                    v = float(val)
                except (TypeError, ValueError):
                    raise InputError(name, message=f"{name}={val!r} must be one number") from None
                if math.isnan(v) or v < 0:
                    raise InputError(name, message=f"{name}={v!r} must be a number >= 0")
                params[name] = Param(v, v, v, source)
        for name, p in params.items():
            if not (0 <= p.low <= p.nominal <= p.high) or math.isnan(p.nominal):
                raise InputError(name, message=f"missile '{self.key}', parameter '{name}': need 0 <= low <= "
                                 f"nominal <= high, got ({p.low}, {p.nominal}, {p.high})")
        return dataclasses.replace(self, params=params)


#: kernel parameter -> (catalog parameter, factor to SI)
KERNEL_UNITS = dict(t_boost=("burn_time_s", 1.0), h_bo=("burnout_altitude_km", 1e3),
                    d_bo=("burnout_downrange_km", 1e3), beta=("ballistic_coefficient_kg_m2", 1.0),
                    h_entry=("reentry_altitude_km", 1e3), min_range=("min_range_km", 1e3),
                    max_range=("max_range_km", 1e3), apogee_cap=("apogee_cap_km", 1e3))
#: parameters of earlier catalogs that are no longer read, with what replaces them
RETIRED = {"lofted_apogee_km": "the 'lofted' and 'depressed' presets are defined physically (full burnout "
                               "speed, docs/model.md); fly a given apogee with trajectory='apogee', apogee_km=...",
           "depressed_apogee_km": "the 'lofted' and 'depressed' presets are defined physically (full burnout "
                                  "speed, docs/model.md); fly a given apogee with trajectory='apogee', apogee_km=..."}

#: cruise profile parameter -> (catalog parameter, factor to SI); see warning_time/cruise.py
CRUISE_UNITS = dict(t_climb=("climb_time_s", 1.0), v_climb=("climb_speed_m_s", 1.0),
                    v_cruise=("cruise_speed_m_s", 1.0), h_cruise=("cruise_altitude_m", 1.0),
                    d_terminal=("terminal_distance_km", 1e3), v_terminal=("terminal_speed_m_s", 1.0),
                    h_terminal=("terminal_altitude_m", 1.0), min_range=("min_range_km", 1e3),
                    max_range=("max_range_km", 1e3))
CRUISE_REQUIRED = ("max_range_km", "min_range_km", "climb_time_s", "climb_speed_m_s", "cruise_speed_m_s",
                   "cruise_altitude_m")

KINDS = ("ballistic", "cruise")
REQUIRED = ("max_range_km", "min_range_km", "burn_time_s", "burnout_altitude_km",
            "burnout_downrange_km", "ballistic_coefficient_kg_m2", "reentry_altitude_km")


def _parse(key: str, entry: dict, source: str) -> MissileClass:
    params = {}
    for name, val in entry.items():
        if name in RETIRED:
            raise InputError(f"{key}.{name}", message=f"{source}: missile '{key}': '{name}' is no longer "
                             f"used: {RETIRED[name]}")
        if isinstance(val, dict):
            for fld in ("nominal", "low", "high", "source"):
                if fld not in val:
                    raise InputError(f"{key}.{name}.{fld}", message=f"{source}: missile '{key}', "
                                     f"parameter '{name}' lacks '{fld}'", source=None)
            lo, nom, hi = float(val["low"]), float(val["nominal"]), float(val["high"])
            if not (lo <= nom <= hi) or math.isnan(nom) or nom < 0:
                raise InputError(f"{key}.{name}", message=f"{source}: missile '{key}', parameter "
                                 f"'{name}': need 0 <= low <= nominal <= high, got ({lo}, {nom}, {hi})")
            if not str(val["source"]).strip():
                raise InputError(f"{key}.{name}.source", message=f"{source}: missile '{key}', "
                                 f"parameter '{name}' has an empty source")
            params[name] = Param(nom, lo, hi, str(val["source"]))
    kind = entry.get("kind", "ballistic")
    for name in (CRUISE_REQUIRED if kind == "cruise" else REQUIRED):
        if name not in params:
            raise InputError(f"{key}.{name}", message=f"{source}: missile '{key}' lacks required parameter '{name}'")
    traj = entry.get("default_trajectory", "cruise" if kind == "cruise" else "minimum-energy")
    if traj not in TRAJECTORIES:
        raise InputError(f"{key}.default_trajectory", message=f"{source}: missile '{key}': "
                         f"default_trajectory={traj!r} must be one of {TRAJECTORIES}")
    if kind not in KINDS:
        raise InputError(f"{key}.kind", message=f"{source}: missile '{key}': kind={kind!r} must be one of {KINDS}")
    if (kind == "cruise") != (traj in CRUISE_TRAJECTORIES):
        raise InputError(f"{key}.default_trajectory", message=f"{source}: missile '{key}' ({kind}): "
                         f"default_trajectory={traj!r}; cruise classes fly {CRUISE_TRAJECTORIES}, "
                         "ballistic classes the others")
    if traj == "quasi-ballistic" and "apogee_cap_km" not in params:
        raise InputError(f"{key}.apogee_cap_km", message=f"{source}: quasi-ballistic missile '{key}' needs apogee_cap_km")
    return MissileClass(key, str(entry.get("label", key)), str(entry.get("description", "")), traj, params, kind,
                        str(entry.get("category", "")))


def load_missiles(path: str | Path | None = None) -> dict[str, MissileClass]:
    """Load the catalog shipped with the package, or a user TOML file of the same schema."""
    if path is None:
        text = resources.files("warning_time").joinpath("data/missiles.toml").read_text("utf-8")
        source = "missiles.toml (package data)"
        return _load_text(text, source)
    p = Path(path)
    return _load_text(p.read_text("utf-8"), str(p))


@functools.lru_cache(maxsize=8)
def _load_text(text: str, source: str) -> dict[str, MissileClass]:
    data = parse_toml(text, "missiles", source)
    return {key: _parse(key, entry, source) for key, entry in data.items()}


def unknown_name(what: str, name, choices) -> str:
    """'<what> is unknown; did you mean 'x'? valid: ...' with the closest of ``choices``."""
    import difflib

    choices = [str(c) for c in choices]
    close = difflib.get_close_matches(str(name), choices, n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{what} is unknown{hint} (valid: {', '.join(choices)})"


class MissileRef(str):
    """A catalog name that carries a (scenario's) version of the class: it reads, compares and
    prints as the name, and :func:`get_missile` turns it into that class, so a scenario's
    parameter overrides reach every computation handed the name."""

    missile_class: MissileClass

    def __new__(cls, missile_class: MissileClass):
        obj = super().__new__(cls, missile_class.key)
        obj.missile_class = missile_class
        return obj

    def __reduce__(self):  # pickles (Dask workers) and deep-copies with its class
        return (MissileRef, (self.missile_class,))


def get_missile(missile) -> MissileClass:
    """A MissileClass from a name of the catalog, a :class:`MissileRef`, or the object itself."""
    if isinstance(missile, MissileClass):
        return missile
    if isinstance(missile, MissileRef):
        return missile.missile_class
    catalog = load_missiles()
    if not isinstance(missile, str) or missile not in catalog:
        opts = ", ".join(repr(k) for k in catalog)
        raise InputError("missile", message=f"missile={missile!r} is not a valid option, must be one of {opts}")
    return catalog[missile]
