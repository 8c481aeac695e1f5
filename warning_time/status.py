"""Status codes returned per row by the core, their names and their reasons.

The table itself lives in :mod:`warning_time.core.status`, where the numba kernels import their
codes from; this module is its public face.
"""
from __future__ import annotations

from .core.status import (BAD_INPUT, BELOW_MIN_RANGE, CRASH, DEGENERATE, EARTH_TURN, ESCAPE, KINDS, MAX_STEPS, NO_CONVERGENCE,
                          NO_IMPACT, NO_SOLUTION, NOT_FINITE, OK, OUT_OF_RANGE, STATUS_TABLE, STEP_UNDERFLOW,
                          Status, reason, reasons, status_name)

__all__ = ["OK", "OUT_OF_RANGE", "BELOW_MIN_RANGE", "NO_SOLUTION", "NO_CONVERGENCE", "BAD_INPUT", "DEGENERATE", "EARTH_TURN", "ESCAPE",
           "CRASH", "NO_IMPACT", "STEP_UNDERFLOW", "MAX_STEPS", "NOT_FINITE", "KINDS", "STATUS_TABLE", "Status",
           "reason", "reasons", "status_name"]
