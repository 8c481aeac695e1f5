"""warning_time: ballistic-missile flight times, warning times and their compression.

Everything here runs on public figures; launch areas are notional.
"""
from .errors import InputError
from .flight import FlightResult, flight_time
from .missiles import MissileClass, get_missile, load_missiles

__version__ = "0.1.0"
__all__ = ["flight_time", "FlightResult", "InputError", "MissileClass", "load_missiles", "get_missile",
           "__version__"]
