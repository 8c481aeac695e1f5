"""Named errors. ``InputError`` names the field, the rows and the allowed range."""
from __future__ import annotations


class WarningTimeError(Exception):
    """Base class of warning_time's own errors."""


class InputError(WarningTimeError, ValueError):
    """Bad input: carries the field, the offending rows and the allowed range or choices.

    Examples
    --------
    >>> str(InputError("launch_lat_deg", rows=[17], values=[95.0], allowed="[-90, 90]"))
    'launch_lat_deg[17] = 95.0 is outside [-90, 90]'
    """

    def __init__(self, field, rows=None, values=None, allowed=None, message=None, source=None):
        self.field = field
        self.rows = list(rows) if rows is not None else []
        self.values = list(values) if values is not None else []
        self.allowed = allowed
        self.source = source
        if message is None:
            if self.rows:
                shown = ", ".join(
                    f"{field}[{r}] = {v!r}" for r, v in zip(self.rows[:5], self.values[:5])
                )
                more = f" (and {len(self.rows) - 5} more rows)" if len(self.rows) > 5 else ""
                message = f"{shown}{more} is outside {allowed}"
            else:
                message = f"{field} is invalid; allowed: {allowed}"
        if source:
            message = f"{source}: {message}"
        super().__init__(message)


def check_choice(name: str, value, choices) -> str:
    """Return ``value`` if it is one of ``choices``, else raise InputError listing them."""
    if value not in choices:
        opts = ", ".join(repr(c) for c in choices)
        shown = repr(value)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        raise InputError(name, message=f"{name}={shown} is not a valid option, must be one of {opts}")
    return value


class Interrupted(KeyboardInterrupt):
    """A run stopped by a signal (SIGINT, SIGTERM or SIGHUP) while
    :func:`warning_time.io.interruptible` was in force. A KeyboardInterrupt, so that clean-up
    code written for Ctrl-C runs for every stopping signal; ``exit_code`` is the shell's
    convention, 128 + the signal number (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP)."""

    def __init__(self, signum: int):
        import signal

        self.signum = int(signum)
        self.exit_code = 128 + self.signum
        try:
            self.signame = signal.Signals(self.signum).name
        except ValueError:
            self.signame = f"signal {self.signum}"
        super().__init__(f"interrupted by {self.signame}")
