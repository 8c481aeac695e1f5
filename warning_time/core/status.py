"""The one table of status codes: every code the core returns, its short name and its reason.

The numba kernels (``core/trajectory.py``, ``core/flyout.py``) import their codes from here;
numba reads module-level integers as compile-time constants. :mod:`warning_time.status` is the
public face of this module.

Codes 0-8 are those of the analytic flight-time solver. The 3-DOF flyout shares 0-5 and
appends its integration failures from 10 on. Each code has one reason template; where the
flyout's cause of a shared code differs from the analytic solver's, the entry carries a flyout
text as well, and :func:`reasons` picks it with ``kind="flyout"``. Flight templates may name
``{max_range_km}`` and ``{min_range_km}`` of the missile class.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

OK = 0
OUT_OF_RANGE = 1
BELOW_MIN_RANGE = 2
NO_SOLUTION = 3
NO_CONVERGENCE = 4
BAD_INPUT = 5
DEGENERATE = 6
EARTH_TURN = 7
ESCAPE = 8
# 3-DOF flyout only
CRASH = 10           # ground impact while the engine burns (thrust below weight, steep kick)
NO_IMPACT = 11       # no impact before t_max (orbit or escape)
STEP_UNDERFLOW = 12
MAX_STEPS = 13
NOT_FINITE = 14      # the state became NaN/inf

#: The kinds of result a reason is rendered for.
KINDS = ("flight", "flyout")


class Status(NamedTuple):
    """One row of :data:`STATUS_TABLE`."""

    name: str
    #: reason template (flight results; flyout results too unless ``flyout`` is set)
    reason: str
    #: the flyout's reason where its cause differs from the analytic solver's
    flyout: str | None = None


#: code -> :class:`Status` (short name, reason template, flyout reason).
STATUS_TABLE: dict[int, Status] = {
    OK: Status("ok", ""),
    OUT_OF_RANGE: Status(
        "out of range",
        "target beyond reach: the trajectory needs more burnout speed than the class has "
        "(maximum range {max_range_km:.0f} km)",
        "the vehicle cannot reach the target (range beyond its full-burn maximum)",
    ),
    BELOW_MIN_RANGE: Status(
        "below minimum range",
        "target closer than the class's minimum range ({min_range_km:.0f} km) or inside its boost footprint",
        "the target is closer than the shortest cut-off shot (engine stopped right after the pitch-over)",
    ),
    NO_SOLUTION: Status(
        "no solution",
        "no trajectory of the requested shape connects launch and target "
        "(apogee below an end point, a flight-path angle too low, or, on the low branch, a burnout "
        "speed so high that the arc would pass below the target's radius)",
        "no kick angle on the requested branch reaches the target",
    ),
    NO_CONVERGENCE: Status(
        "no convergence",
        "the iterative solver did not converge; please report the launch and target "
        "(rotation=False avoids the rotating-Earth search)",
        "the aiming iteration did not converge",
    ),
    BAD_INPUT: Status(
        "bad input",
        "input coordinate is NaN or outside its valid range",
        "input is NaN or outside its valid range",
    ),
    DEGENERATE: Status(
        "degenerate geometry",
        "launch and target coincide or are (nearly) antipodal, so the flight plane is undefined "
        "(with rotation on: beyond ~17,900 km, where the Earth's turn during the flight can make "
        "either way around the globe the shorter)",
    ),
    EARTH_TURN: Status(
        "earth turn",
        "no arc of this shape is solved on the rotating Earth: the Earth's turn during the steep, slow "
        "flight moves the target away faster than a steeper or faster arc gains on it (steep eastward "
        "shots: at 490 km from 53 deg N no arc steeper than ~85 deg reaches the target), or carries it "
        "past the burnout point (the lofted preset on westward shots closer than the ground moves during "
        "the flight, omega R cos(latitude) x flight time), or the flight is so long (hours) that the "
        "target turns by more than the angle left to the antipode; use rotation=False, or a flatter or "
        "lower shape",
    ),
    ESCAPE: Status(
        "escape",
        "the requested shape needs escape speed: an open (parabolic or hyperbolic) path that never comes "
        "back down, or an ellipse so close to it that its apogee lies beyond the Earth's sphere of "
        "influence (~925,000 km), where the Sun's pull dominates and a two-body flight time means "
        "nothing; no flight time is given (flight-path angles near 90 deg, burnout speeds near "
        "11.2 km/s, or very high apogees)",
    ),
    CRASH: Status("crash", "ground impact while the engine burns (thrust below weight or too steep a kick)"),
    NO_IMPACT: Status("no impact", "no ground impact within t_max (orbit or escape)"),
    STEP_UNDERFLOW: Status("step underflow", "the integrator's step size underflowed"),
    MAX_STEPS: Status("too many steps", "the integrator exceeded its step budget"),
    NOT_FINITE: Status("not finite", "the state became NaN or infinite"),
}


def status_name(code: int) -> str:
    """The short name of a status code ('ok', 'out of range', ...)."""
    return STATUS_TABLE[int(code)].name


def reason(code: int, *, kind: str = "flight", max_range_km: float = float("nan"),
           min_range_km: float = 0.0) -> str:
    """'name: reason' for one status code ('' for success and for codes not in the table).

    kind : {'flight', 'flyout'}
        The result the code belongs to: the analytic flight-time core or the 3-DOF flyout.
    max_range_km, min_range_km : float
        The missile class's range limits, named by some flight reasons.
    """
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is not a valid option, must be one of {KINDS}")
    row = STATUS_TABLE.get(int(code))
    if row is None or int(code) == OK:
        return ""
    text = row.flyout if kind == "flyout" and row.flyout is not None else row.reason
    return f"{row.name}: " + text.format(max_range_km=max_range_km, min_range_km=min_range_km)


def reasons(codes, *, kind: str = "flight", max_range_km: float = float("nan"),
            min_range_km: float = 0.0) -> np.ndarray:
    """Object array of :func:`reason` strings for an array of status codes (same shape)."""
    codes = np.asarray(codes)
    out = np.empty(codes.shape, dtype=object)
    out[...] = ""
    for code in np.unique(codes):
        if code in STATUS_TABLE:
            out[codes == code] = reason(code, kind=kind, max_range_km=max_range_km, min_range_km=min_range_km)
    return out
