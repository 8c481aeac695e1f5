"""Stated distributions and the Sobol indices (warning_time.uncertainty) against known values."""
import math

import numpy as np
import pytest
from scipy import stats

from warning_time.uncertainty import ParameterSpace, inverse_cdf, quantiles, sobol_indices


def test_sobol_indices_of_the_ishigami_function():
    """Ishigami (a=7, b=0.1) on [-pi, pi]^3: S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)
    (Ishigami & Homma 1990; Saltelli et al. 2008, Global Sensitivity Analysis, section 4.6)."""
    a, b = 7.0, 0.1
    v = a * a / 8 + b * math.pi ** 4 / 5 + b * b * math.pi ** 8 / 18 + 0.5
    v1 = 0.5 * (1 + b * math.pi ** 4 / 5) ** 2
    v2 = a * a / 8
    v13 = b * b * math.pi ** 8 * (1 / 18 - 1 / 50)
    s1 = np.array([v1 / v, v2 / v, 0.0])
    st = np.array([(v1 + v13) / v, v2 / v, v13 / v])

    def ishigami(u):
        x = -math.pi + 2 * math.pi * u
        return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])

    r = sobol_indices(ishigami, 3, n_base=4096, seed=3)
    assert r["S1"][0] == pytest.approx(s1, abs=0.03)
    assert r["ST"][0] == pytest.approx(st, abs=0.03)


def test_grouped_sobol_indices_of_an_additive_function():
    """y = x0 + x1 + 2 x2 (uniform): groups {x0, x1} and {x2} carry 2/6 and 4/6 of the variance."""
    r = sobol_indices(lambda u: u[:, 0] + u[:, 1] + 2 * u[:, 2], 3, groups=["g", "g", "h"], n_base=2048, seed=1)
    assert r["groups"] == ["g", "h"]
    assert r["S1"][0] == pytest.approx([1 / 3, 2 / 3], abs=0.03)
    assert r["ST"][0] == pytest.approx([1 / 3, 2 / 3], abs=0.03)


def test_triangular_inverse_cdf_matches_scipy():
    u = np.linspace(0.001, 0.999, 201)
    lo, nom, hi = 120.0, 150.0, 180.0
    ref = stats.triang(c=(nom - lo) / (hi - lo), loc=lo, scale=hi - lo).ppf(u)
    assert np.allclose(inverse_cdf(u, lo, nom, hi), ref)
    assert np.allclose(inverse_cdf(u, lo, nom, hi, "uniform"), lo + u * (hi - lo))
    assert np.all(inverse_cdf(u, 5.0, 5.0, 5.0) == 5.0)


def test_boost_parameters_are_comonotone_and_the_nominal_setting_is_the_catalog_nominal():
    sp = ParameterSpace("oreshnik", ["space-infrared", "fylingdales"])
    f = sp.factors[0]
    assert f.group == "boost" and {m.name for m in f.members} == {"burn_time_s", "burnout_altitude_km",
                                                                  "burnout_downrange_km"}
    x = sp.values(np.array([[0.9] + [0.5] * (len(sp.factors) - 1)]))[0]
    for k, mb in enumerate(f.members):  # one quantile drives the three
        assert (x[k] - mb.nominal) > 0
    kp, sens, dd = sp.setting(sp.nominal_values())
    assert kp is None and dd == 0.0 and sens is sp.nominal_sensors


def test_quantiles_ignore_draws_without_a_flight():
    q = quantiles(np.array([[1.0], [np.nan], [3.0]]))
    assert q[1, 0] == 2.0
