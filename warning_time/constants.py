"""Physical and geodetic constants, SI units, each with its source.

Every value here is a published constant; nothing is tuned. Values are plain
floats so the numba core can read them as compile-time constants.
"""

#: WGS84 semi-major axis (m). NIMA TR8350.2, 3rd ed. (2000), Table 3.1.
WGS84_A_M = 6378137.0
#: WGS84 flattening (dimensionless). NIMA TR8350.2, Table 3.1.
WGS84_F = 1.0 / 298.257223563
#: WGS84 semi-minor axis (m), derived: b = a (1 - f).
WGS84_B_M = WGS84_A_M * (1.0 - WGS84_F)
#: WGS84 first eccentricity squared, derived: e^2 = f (2 - f).
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)
#: Earth's gravitational parameter incl. atmosphere (m^3/s^2). NIMA TR8350.2, Table 3.1.
GM_EARTH_M3_S2 = 3.986004418e14
#: Earth's mean angular velocity (rad/s). NIMA TR8350.2, Table 3.1.
OMEGA_EARTH_RAD_S = 7.292115e-5
#: IUGG mean Earth radius R1 = (2a + b)/3 (m). Moritz, "Geodetic Reference System 1980",
#: Bulletin Geodesique 54 (1980); value for WGS84 as used by GeographicLib.
R_MEAN_M = 6371008.8
#: Standard gravity (m/s^2). CGPM 1901; NIST SP 330.
G0_M_S2 = 9.80665
#: Sea-level density of the US Standard Atmosphere 1976 (kg/m^3). NOAA-S/T 76-1562, Table I.
RHO0_KG_M3 = 1.225
#: Density scale height of an isothermal exponential atmosphere fitted to 0-100 km (m).
#: Common textbook value, e.g. Fortescue & Stark, Spacecraft Systems Engineering, 4th ed., ch. 7.
SCALE_HEIGHT_M = 7200.0

EARTH_MODELS = ("wgs84", "sphere")


def earth_axes(earth: str) -> tuple[float, float]:
    """Semi-major axis (m) and first eccentricity squared for an Earth model name."""
    if earth == "wgs84":
        return WGS84_A_M, WGS84_E2
    if earth == "sphere":
        return R_MEAN_M, 0.0
    raise ValueError(f"earth={earth!r} is not a valid option, must be one of {EARTH_MODELS}")
