"""warning_time: ballistic-missile flight times, warning times and their compression.

Everything here runs on public figures; launch areas are notional.
"""
from .errors import InputError
from .flight import FlightResult, flight_time
from .missiles import MissileClass, get_missile, load_missiles

__version__ = "0.1.0"


def __getattr__(name):
    # heavier optional entry points, imported on first use
    if name in ("run_batch", "flight_time_dask"):
        from . import batch

        return getattr(batch, name)
    if name == "load_scenario":
        from .scenario import load_scenario

        return load_scenario
    if name == "compare_scenarios":
        from .compare import compare_scenarios

        return compare_scenarios
    raise AttributeError(f"module 'warning_time' has no attribute {name!r}")

__all__ = ["flight_time", "flight_time_dask", "run_batch", "load_scenario", "compare_scenarios", "FlightResult", "InputError", "MissileClass", "load_missiles", "get_missile",
           "__version__"]
