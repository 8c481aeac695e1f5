"""Parameter uncertainty: the stated distributions of every band, Monte Carlo draws, one-at-a-time
(tornado) and variance-based (Sobol) sensitivity.

Every band (low, nominal, high) of the missile class, the sensors and the decision delay is one
input. Its distribution is triangular with mode at the nominal and support [low, high]
(``distribution='triangular'``, the default: the nominal is the most likely value and the band
its plausible range) or uniform on [low, high] (``'uniform'``). Inputs that physics ties move
together: the boost (burn time, burnout altitude, burnout downrange: a longer burn climbs higher
and flies farther) is one factor, its three parameters comonotone (each the same quantile of
its own distribution). Every other input is independent.

A factor is one latent quantile u in [0, 1] mapped through the inverse distribution function of
each parameter it drives; Monte Carlo draws u uniformly, Sobol indices (Saltelli sampling and
Jansen/Sobol estimators, SALib) are computed on the same u, grouped as :attr:`Factor.group`
(variance indices are invariant under these monotone maps). The nominal result sets every
parameter to its nominal (not a draw); the draws give quantiles (p5, p50, p95) and are kept.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from .errors import check_choice
from .missiles import CRUISE_UNITS, KERNEL_UNITS, get_missile
from .places import load_sensors
from .sensors import sensor_set

DISTRIBUTIONS = ("triangular", "uniform")
BOOST = ("burn_time_s", "burnout_altitude_km", "burnout_downrange_km")
#: sensor parameter -> SensorSet field (radars), scale to SI
_RADAR_FIELDS = {"processing_delay_s": ("radar_process_s", 1.0), "max_range_km": ("radar_max_m", 1e3),
                 "height_m": ("radar_h_m", 1.0), "elevation_mask_deg": ("radar_mask_rad", math.pi / 180.0),
                 "half_width_deg": ("radar_half_rad", math.pi / 180.0),
                 "elevation_max_deg": ("radar_el_max_rad", math.pi / 180.0)}
_IR_FIELDS = {"cloud_top_km": ("ir_cloud_m", 1e3), "revisit_s": ("ir_revisit_s", 1.0),
              "processing_delay_s": ("ir_process_s", 1.0)}


@dataclasses.dataclass(frozen=True)
class Member:
    """One parameter driven by a factor: where it goes (``missile``, ``ir``, ``radar`` or
    ``decision``), its name, index (sensor) and band."""

    where: str
    name: str
    index: int
    low: float
    nominal: float
    high: float


@dataclasses.dataclass(frozen=True)
class Factor:
    name: str
    group: str
    members: tuple


def inverse_cdf(u, low, nominal, high, distribution="triangular"):
    """The value at quantile ``u`` of a band's distribution (triangular with mode at the nominal,
    or uniform on [low, high]); the nominal when the band is degenerate."""
    u = np.asarray(u, float)
    if not (high > low):
        return np.full(u.shape, float(nominal))
    if distribution == "uniform":
        return low + u * (high - low)
    fc = (nominal - low) / (high - low)
    left = low + np.sqrt(np.clip(u, 0, 1) * (high - low) * (nominal - low))
    right = high - np.sqrt(np.clip(1 - u, 0, 1) * (high - low) * (high - nominal))
    return np.where(u < fc, left, right)


class ParameterSpace:
    """The factors of one missile class, a sensor set and a decision-delay band, and the
    settings (kernel parameters, SensorSet, decision delay) of any point of that space."""

    def __init__(self, missile, sensor_names, decision_delay_band=(0.0, 0.0, 0.0), distribution="triangular"):
        check_choice("distribution", distribution, DISTRIBUTIONS)
        self.missile = get_missile(missile)
        self.distribution = distribution
        self.sensor_names = sensor_names  # a scenario's SensorNames carry its sensor table
        self.nominal_sensors = sensor_set(names=self.sensor_names)
        self.decision_nominal = float(decision_delay_band[1])
        self.factors = self._factors(decision_delay_band)

    def _factors(self, dd):
        m = self.missile
        out = []
        units = {pname for pname, _ in KERNEL_UNITS.values()}

        def band(p):
            return p.low, p.nominal, p.high

        def varies(lo, nom, hi):
            return math.isfinite(lo) and math.isfinite(hi) and hi > lo

        boost = tuple(Member("missile", n, 0, *band(m.params[n])) for n in BOOST
                      if n in m.params and varies(*band(m.params[n])))
        if boost:
            out.append(Factor("boost (burn time, burnout altitude and downrange, comonotone)", "boost", boost))
        groups = {"ballistic_coefficient_kg_m2": "ballistic coefficient", "reentry_altitude_km": "reentry altitude",
                  "max_range_km": "range limits", "min_range_km": "range limits", "apogee_cap_km": "apogee cap"}
        for n, p in m.params.items():
            if n in BOOST or n not in units or not varies(*band(p)):
                continue
            out.append(Factor(n, groups.get(n, n), (Member("missile", n, 0, *band(p)),)))
        table = getattr(self.sensor_names, "table", None)
        s = (load_sensors() if table is None else table).set_index("sensor")
        ns = self.nominal_sensors
        kinds = (("ir", ns.ir_names, _IR_FIELDS, "space-infrared processing delay",
                  "space-infrared detection (cloud tops, revisit)"),
                 ("radar", ns.radar_names, _RADAR_FIELDS, "radar processing delays",
                  "radar coverage (range, height, mask, sector)"))
        for where, names, fields, g_proc, g_other in kinds:
            for i, name in enumerate(names):
                for f in fields:
                    lo, nom, hi = (float(s.loc[name, f"{f}_{b}"]) if f"{f}_{b}" in s.columns else math.nan
                                   for b in ("low", "nominal", "high"))
                    if varies(lo, nom, hi):
                        grp = g_proc if f == "processing_delay_s" else g_other
                        out.append(Factor(f"{name} {f}", grp, (Member(where, f, i, lo, nom, hi),)))
        if varies(*dd):
            out.append(Factor("decision_delay_s", "decision delay", (Member("decision", "decision_delay_s", 0, *dd),)))
        return out

    @property
    def names(self):
        return [f.name for f in self.factors]

    @property
    def groups(self):
        return [f.group for f in self.factors]

    def values(self, u) -> np.ndarray:
        """Parameter values (draws x members, members in factor order) at latent quantiles u
        (draws x factors)."""
        u = np.atleast_2d(np.asarray(u, float))
        cols = []
        for k, f in enumerate(self.factors):
            for mb in f.members:
                cols.append(inverse_cdf(u[:, k], mb.low, mb.nominal, mb.high, self.distribution))
        return np.column_stack(cols) if cols else np.zeros((u.shape[0], 0))

    @property
    def members(self):
        return [mb for f in self.factors for mb in f.members]

    def nominal_values(self) -> np.ndarray:
        return np.array([mb.nominal for mb in self.members])

    def one_at_a_time(self, group: str, end: str) -> np.ndarray:
        """Values with every parameter of ``group`` at its ``end`` ('low' or 'high') and the rest nominal."""
        return np.array([getattr(mb, end) if f.group == group else mb.nominal
                         for f in self.factors for mb in f.members])

    def setting(self, x):
        """(kernel parameters, or None at the nominal, SensorSet, decision delay s) of one row of values."""
        m = self.missile
        if np.array_equal(np.asarray(x, float), self.nominal_values()):
            return None, self.nominal_sensors, self.decision_nominal
        kp = m.kernel_params("nominal")
        units = CRUISE_UNITS if m.kind == "cruise" else KERNEL_UNITS
        inv = {pname: (key, scale) for key, (pname, scale) in units.items()}
        sens_fields = {}
        dd = self.decision_nominal
        for mb, v in zip(self.members, x):
            if mb.where == "missile":
                key, scale = inv[mb.name]
                kp[key] = float(v) * scale
            elif mb.where in ("ir", "radar"):
                fld, scale = (_IR_FIELDS if mb.where == "ir" else _RADAR_FIELDS)[mb.name]
                arr = sens_fields.setdefault(fld, np.array(getattr(self.nominal_sensors, fld), float))
                arr[mb.index] = float(v) * scale
            else:
                dd = float(v)
        sens = dataclasses.replace(self.nominal_sensors, **sens_fields) if sens_fields else self.nominal_sensors
        return kp, sens, dd

    def table(self) -> pd.DataFrame:
        """The stated distributions: one row per parameter, with its factor and group."""
        return pd.DataFrame([dict(factor=f.name, group=f.group, parameter=mb.name, where=mb.where, low=mb.low,
                                  nominal=mb.nominal, high=mb.high, distribution=self.distribution)
                             for f in self.factors for mb in f.members])


def quantiles(x, axis=0, qs=(0.05, 0.5, 0.95)):
    """p5 / p50 / p95 over draws (NaN-aware: a draw without a flight is left out)."""
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanquantile(np.asarray(x, float), qs, axis=axis)


def sobol_indices(evaluate, n_factors: int, *, groups=None, n_base: int = 64, seed: int = 1,
                  names=None) -> dict:
    """First-order and total Sobol indices of every output of ``evaluate(u) -> (n, k)`` over
    independent uniform latent inputs u in [0, 1]^n_factors (Saltelli sampling with scrambled
    Sobol points, SALib), grouped by ``groups`` (one label per input) when given.

    Returns dict(groups=[labels], S1=(k, G), ST=(k, G), S1_conf, ST_conf, n_evaluations)."""
    from SALib.analyze import sobol as sobol_an
    from SALib.sample import sobol as sobol_sa

    names = list(names) if names is not None else [f"x{i}" for i in range(n_factors)]
    problem = dict(num_vars=n_factors, names=names, bounds=[[0.0, 1.0]] * n_factors)
    if groups is not None and len(set(groups)) < n_factors:
        problem["groups"] = list(groups)
    u = sobol_sa.sample(problem, int(n_base), calc_second_order=False, scramble=True, seed=int(seed))
    y = np.asarray(evaluate(u), float)
    if y.ndim == 1:
        y = y[:, None]
    labels = list(dict.fromkeys(problem.get("groups", names)))
    k = y.shape[1]
    out = {key: np.full((k, len(labels)), np.nan) for key in ("S1", "ST", "S1_conf", "ST_conf")}
    for j in range(k):
        yj = y[:, j]
        if not np.isfinite(yj).all() or np.nanstd(yj) == 0:
            continue
        r = sobol_an.analyze(problem, yj, calc_second_order=False, seed=int(seed))
        for key in out:
            out[key][j] = r[key]
    out["groups"] = labels
    out["n_evaluations"] = len(u)
    return out
