"""US Standard Atmosphere 1976: density, pressure and speed of sound (numba kernels).

Source: *U.S. Standard Atmosphere, 1976*, NOAA-S/T 76-1562 (NASA-TM-X-74335), U.S. Government
Printing Office, Washington D.C., 1976.

0-86 km (geometric). Seven layers in geopotential altitude H = r0 z / (r0 + z), r0 = 6,356.766 km
(US76 eq. 18), each with a linear molecular-scale temperature T_M = T_b + L_b (H - H_b) (US76
Table 4). Hydrostatic pressure (US76 eqs. 33a, 33b):

    P = P_b [T_b / T_M]^(g0' M0 / (R* L_b))      (L_b != 0)
    P = P_b exp(-g0' M0 (H - H_b) / (R* T_b))    (L_b == 0)

with g0' = 9.80665 m^2/(s^2 m'), M0 = 28.9644 kg/kmol, R* = 8,314.32 J/(kmol K) (US76 Table 2).
Density rho = P M0 / (R* T_M) and the speed of sound a = sqrt(gamma R* T_M / M0), gamma = 1.4
(US76 eqs. 42, 50). Both are exact in T_M: the 80-86 km molecular-weight correction cancels.

86-1,000 km. US76 does not give a closed form that fits a numba kernel cheaply (diffusive
equilibrium of several species); the density is interpolated log-linearly in the US76 Table I
values at the listed geometric altitudes (exponential between nodes), and extrapolated
exponentially above 1,000 km with the last segment's scale height. The pressure there follows
the same interpolation; the speed of sound is held at its 86 km value (no continuum flow at
those densities: the Mach number only indexes drag tables, where drag is negligible).

Everything is SI: altitudes in metres above the ellipsoid, density kg/m^3, pressure Pa,
speed m/s. Altitudes below -5 km are clamped to -5 km (layer 0 extrapolated).
"""
import math

import numpy as np

from ._jit import jit

#: Effective Earth radius for geopotential altitude (m). US76 eq. 18.
R0_GEOPOT_M = 6356766.0
#: Sea-level gravity (m/s^2), mean molecular weight (kg/kmol), gas constant (J/(kmol K)),
#: ratio of specific heats. US76 Table 2.
G0 = 9.80665
M0 = 28.9644
RSTAR = 8314.32
GAMMA = 1.4

#: Layer bases: geopotential altitude (m'), molecular-scale temperature (K), lapse rate (K/m').
#: US76 Table 4.
H_BASE = np.array([0.0, 11000.0, 20000.0, 32000.0, 47000.0, 51000.0, 71000.0, 84852.0])
T_BASE = np.array([288.15, 216.65, 216.65, 228.65, 270.65, 270.65, 214.65, 186.946])
L_BASE = np.array([-6.5e-3, 0.0, 1.0e-3, 2.8e-3, 0.0, -2.8e-3, -2.0e-3, 0.0])


def _base_pressures():
    """Pressure at each layer base (Pa) from the hydrostatic equation, starting at 101,325 Pa
    (US76 Table I lists 101325, 22632.06, 5474.889, 868.0187, 110.9063, 66.93887, 3.956420,
    0.3733836 Pa; the test checks this)."""
    p = [101325.0]
    k = G0 * M0 / RSTAR
    for i in range(7):
        dh = H_BASE[i + 1] - H_BASE[i]
        if L_BASE[i] == 0.0:
            p.append(p[-1] * math.exp(-k * dh / T_BASE[i]))
        else:
            p.append(p[-1] * (T_BASE[i] / (T_BASE[i] + L_BASE[i] * dh)) ** (k / L_BASE[i]))
    return np.array(p)


P_BASE = _base_pressures()
#: g0' M0 / R* (K/m'): the hydrostatic exponent factor.
K_HYDRO = G0 * M0 / RSTAR

#: Geometric altitude (m) of the top of the layered part.
Z_86_M = 86000.0
#: US76 Table I densities (kg/m^3) at geometric altitudes (km) from 86 to 1,000 km.
Z_UPPER_KM = np.array([86.0, 88.0, 90.0, 95.0, 100.0, 105.0, 110.0, 120.0, 130.0, 140.0, 150.0,
                       160.0, 180.0, 200.0, 250.0, 300.0, 350.0, 400.0, 450.0, 500.0, 600.0,
                       700.0, 800.0, 900.0, 1000.0])
RHO_UPPER = np.array([6.958e-06, 4.875e-06, 3.416e-06, 1.393e-06, 5.604e-07, 2.325e-07,
                      9.708e-08, 2.222e-08, 8.152e-09, 3.831e-09, 2.076e-09, 1.233e-09,
                      5.194e-10, 2.541e-10, 6.073e-11, 1.916e-11, 7.014e-12, 2.803e-12,
                      1.184e-12, 5.215e-13, 1.137e-13, 3.070e-14, 1.136e-14, 5.759e-15,
                      3.561e-15])
#: US76 Table I pressures (Pa) at the same altitudes.
P_UPPER = np.array([3.7338e-01, 2.6173e-01, 1.8359e-01, 7.5962e-02, 3.2011e-02, 1.4477e-02,
                    7.1042e-03, 2.5382e-03, 1.2505e-03, 7.2028e-04, 4.5422e-04, 3.0395e-04,
                    1.5271e-04, 8.4736e-05, 2.4767e-05, 8.7704e-06, 3.4498e-06, 1.4518e-06,
                    6.4468e-07, 3.0236e-07, 8.2130e-08, 3.1908e-08, 1.7036e-08, 1.0873e-08,
                    7.5138e-09])
LOG_RHO_UPPER = np.log(RHO_UPPER)
LOG_P_UPPER = np.log(P_UPPER)
Z_UPPER_M = Z_UPPER_KM * 1e3
#: Speed of sound at 86 km (m/s), held above.
A_86 = math.sqrt(GAMMA * RSTAR * T_BASE[7] / M0)


@jit
def us76(z):
    """Density (kg/m^3), pressure (Pa) and speed of sound (m/s) at geometric altitude z (m)."""
    if z < -5000.0:
        z = -5000.0
    if z <= Z_86_M:
        h = R0_GEOPOT_M * z / (R0_GEOPOT_M + z)
        i = 0
        while i < 6 and h >= H_BASE[i + 1]:
            i += 1
        tb = T_BASE[i]
        lb = L_BASE[i]
        dh = h - H_BASE[i]
        if lb == 0.0:
            tm = tb
            p = P_BASE[i] * math.exp(-K_HYDRO * dh / tb)
        else:
            tm = tb + lb * dh
            p = P_BASE[i] * math.pow(tb / tm, K_HYDRO / lb)
        rho = p * M0 / (RSTAR * tm)
        return rho, p, math.sqrt(GAMMA * RSTAR * tm / M0)
    n = Z_UPPER_M.shape[0]
    j = 0
    while j < n - 2 and z >= Z_UPPER_M[j + 1]:
        j += 1
    f = (z - Z_UPPER_M[j]) / (Z_UPPER_M[j + 1] - Z_UPPER_M[j])
    rho = math.exp(LOG_RHO_UPPER[j] + f * (LOG_RHO_UPPER[j + 1] - LOG_RHO_UPPER[j]))
    p = math.exp(LOG_P_UPPER[j] + f * (LOG_P_UPPER[j + 1] - LOG_P_UPPER[j]))
    return rho, p, A_86


@jit
def us76_density(z):
    """Density (kg/m^3) at geometric altitude z (m)."""
    return us76(z)[0]
