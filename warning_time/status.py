"""One table of status codes returned per pair by the core, and their reasons."""
from __future__ import annotations

import numpy as np

OK = 0
OUT_OF_RANGE = 1
BELOW_MIN_RANGE = 2
NO_SOLUTION = 3
NO_CONVERGENCE = 4
BAD_INPUT = 5
DEGENERATE = 6

#: code -> (short name, reason template). ``{max_range_km}`` and ``{min_range_km}`` are
#: filled in from the missile class when the reason is rendered.
STATUS_TABLE: dict[int, tuple[str, str]] = {
    OK: ("ok", ""),
    OUT_OF_RANGE: (
        "out of range",
        "target beyond reach: the trajectory needs more burnout speed than the class has "
        "(maximum range {max_range_km:.0f} km)",
    ),
    BELOW_MIN_RANGE: (
        "below minimum range",
        "target closer than the class's minimum range ({min_range_km:.0f} km) or inside its boost footprint",
    ),
    NO_SOLUTION: (
        "no solution",
        "no trajectory of the requested shape connects launch and target "
        "(apogee below an end point, flight-path angle too low, or burnout speed too low)",
    ),
    NO_CONVERGENCE: (
        "no convergence",
        "the iterative solver did not converge; please report the launch and target "
        "(rotation=False avoids the rotating-Earth search)",
    ),
    BAD_INPUT: ("bad input", "input coordinate is NaN or outside its valid range"),
    DEGENERATE: (
        "degenerate geometry",
        "launch and target coincide or are (nearly) antipodal, so the flight plane is undefined "
        "(with rotation on: beyond ~17,900 km, where the Earth's turn during the flight can make "
        "either way around the globe the shorter)",
    ),
}


def status_name(code: int) -> str:
    return STATUS_TABLE[int(code)][0]


def reasons(codes: np.ndarray, *, max_range_km: float = float("nan"), min_range_km: float = 0.0) -> np.ndarray:
    """Render an object array of reason strings for an array of status codes."""
    codes = np.asarray(codes)
    out = np.empty(codes.shape, dtype=object)
    out[...] = ""
    for code, (name, template) in STATUS_TABLE.items():
        if code == OK:
            continue
        mask = codes == code
        if mask.any():
            out[mask] = f"{name}: " + template.format(max_range_km=max_range_km, min_range_km=min_range_km)
    return out
