"""The warning chain per audience, and what the warning buys: margins against reaction times.

Chain (data/warning_chain.toml): detect -> track + predict the impact point (the sensor's
``processing_delay_s``, from its first detection but never before the end of powered flight:
burnout, or re-entry vehicle release for a class with a post-boost vehicle) -> assess ->
disseminate, with its own assessment and dissemination times for each audience: military
forces, national leaders, the public. The warning an audience gets is

    W_audience = impact time - (impact prediction + assess_s + disseminate_s + decision delay).

Reaction times (data/reaction_times.toml): the time a target needs once warned (alert fighters
airborne, personnel to shelter, defences ready, leadership relocated, public to shelter), each
for one audience. Margin = W_audience - required time; negative: the reaction cannot be
completed before the impact.

In a compression (W_baseline - W_launch for the same class, sensors and chain) the audience's
assess and disseminate times and the decision delay are the same on both sides and cancel: the
compression is the same for every audience, and is the difference of the flight times minus
the difference of the impact-prediction times. Margins do not cancel: the same compression
moves a margin across zero for one reaction and not for another.
"""
from __future__ import annotations

import dataclasses
import functools
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError
from .io import parse_toml

AUDIENCES = ("forces", "leaders", "public")
CHAIN_FIELDS = ("assess_s", "disseminate_s")


def _band(source, key, name, val):
    if not (isinstance(val, dict) and {"low", "nominal", "high", "source"} <= set(val)):
        raise InputError(f"{key}.{name}", message=f"{source}: [{key}] field '{name}' must be a table "
                         "{low, nominal, high, source}")
    try:
        lo, nom, hi = float(val["low"]), float(val["nominal"]), float(val["high"])
    except (TypeError, ValueError):
        raise InputError(f"{key}.{name}", message=f"{source}: [{key}] field '{name}': low, nominal, high "
                         "must be numbers") from None
    if not (0 <= lo <= nom <= hi) or not str(val["source"]).strip():
        raise InputError(f"{key}.{name}", message=f"{source}: [{key}] field '{name}': need 0 <= low <= "
                         f"nominal <= high and a source, got ({lo}, {nom}, {hi})")
    return lo, nom, hi, str(val["source"])


def _read(name, path):
    source = f"{name} (package data)" if path is None else str(path)
    text = (resources.files("warning_time").joinpath(f"data/{name}").read_text("utf-8") if path is None
            else Path(path).read_text("utf-8"))
    return source, parse_toml(text, name.split(".")[0], source)


@functools.lru_cache(maxsize=8)
def _load_chain_cached(path):
    source, data = _read("warning_chain.toml", path)
    rows = []
    for aud in AUDIENCES:
        if aud not in data:
            raise InputError("warning_chain", message=f"{source}: missing audience [{aud}]; "
                             f"audiences: {', '.join(AUDIENCES)}")
    for key in data:
        if key not in AUDIENCES:
            raise InputError("warning_chain", message=f"{source}: unknown audience [{key}]; "
                             f"allowed: {', '.join(AUDIENCES)}")
    for aud in AUDIENCES:
        e = data[aud]
        row = {"audience": aud, "label": str(e.get("label", aud))}
        for f in CHAIN_FIELDS:
            lo, nom, hi, src = _band(source, aud, f, e.get(f))
            row.update({f"{f}_low": lo, f"{f}_nominal": nom, f"{f}_high": hi, f"{f}_source": src})
        rows.append(row)
    return pd.DataFrame(rows)


def load_chain(path: str | Path | None = None) -> pd.DataFrame:
    """The warning chain: one row per audience (forces, leaders, public) with the bands of
    ``assess_s`` and ``disseminate_s`` (columns NAME_low / _nominal / _high / _source)."""
    return _load_chain_cached(None if path is None else str(path)).copy()


@dataclasses.dataclass(frozen=True)
class WarningChain:
    """Assessment and dissemination time (s) per audience, band values chosen."""

    audiences: tuple
    assess_s: np.ndarray
    disseminate_s: np.ndarray

    def after_prediction_s(self, audience: str) -> float:
        """Time from the impact prediction to the audience's warning (assess + disseminate)."""
        i = self.audiences.index(audience)
        return float(self.assess_s[i] + self.disseminate_s[i])


def warning_chain(chain=None, band="nominal", rng=None) -> WarningChain:
    """A WarningChain from the chain table (default: data/warning_chain.toml): a band end, or
    each band drawn uniformly with ``rng``."""
    if isinstance(chain, WarningChain):
        return chain
    if chain is None and rng is None and band in ("low", "nominal", "high"):
        return _default_chain(band)  # the analysis asks for it hundreds of times
    df = load_chain() if chain is None else (chain if isinstance(chain, pd.DataFrame) else load_chain(chain))
    if band not in ("low", "nominal", "high"):
        raise InputError("band", message=f"band={band!r} must be one of low, nominal, high")

    def val(r, f):
        lo, nom, hi = r[f"{f}_low"], r[f"{f}_nominal"], r[f"{f}_high"]
        if rng is not None:
            return float(rng.uniform(lo, hi)) if hi > lo else float(nom)
        return float(r[f"{f}_{band}"])

    rows = [r for _, r in df.iterrows()]
    return WarningChain(tuple(r["audience"] for r in rows), np.array([val(r, "assess_s") for r in rows]),
                        np.array([val(r, "disseminate_s") for r in rows]))


@functools.lru_cache(maxsize=3)
def _default_chain(band):
    ch = warning_chain(load_chain(), band)
    ch.assess_s.flags.writeable = False  # shared between calls: read-only
    ch.disseminate_s.flags.writeable = False
    return ch


@functools.lru_cache(maxsize=8)
def _load_reactions_cached(path):
    source, data = _read("reaction_times.toml", path)
    rows = []
    for key, e in data.items():
        aud = e.get("audience")
        if aud not in AUDIENCES:
            raise InputError(f"{key}.audience", message=f"{source}: [{key}] audience {aud!r} must be one of "
                             f"{', '.join(AUDIENCES)}")
        lo, nom, hi, src = _band(source, key, "required_s", e.get("required_s"))
        rows.append({"reaction": key, "audience": aud, "label": str(e.get("label", key)),
                     "required_low_s": lo, "required_s": nom, "required_high_s": hi, "source": src})
    if not rows:
        raise InputError("reaction_times", message=f"{source}: no reactions")
    return pd.DataFrame(rows)


def load_reactions(path: str | Path | None = None) -> pd.DataFrame:
    """Reaction times: one row per reaction with its audience, label, required time band (s)
    and source (data/reaction_times.toml or a user file of that schema)."""
    return _load_reactions_cached(None if path is None else str(path)).copy()


def margins(warnings: pd.DataFrame, reactions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Margin of every reaction for every row of ``warnings`` (a frame with one
    ``warning_<audience>_s`` column per audience, e.g. :meth:`WarningResult.to_frame`): one
    column ``margin_<reaction>_s`` = warning to the reaction's audience - its nominal required
    time, and ``margin_<reaction>_low_s`` / ``_high_s`` against the high / low end of the
    required-time band (the low margin uses the longest required time). NaN where the warning is
    NaN (no flight or no detection)."""
    r = load_reactions() if reactions is None else reactions
    out = pd.DataFrame(index=warnings.index)
    for _, row in r.iterrows():
        w = warnings[f"warning_{row['audience']}_s"].to_numpy(float)
        out[f"margin_{row['reaction']}_s"] = w - row["required_s"]
        out[f"margin_{row['reaction']}_low_s"] = w - row["required_high_s"]
        out[f"margin_{row['reaction']}_high_s"] = w - row["required_low_s"]
    return out
