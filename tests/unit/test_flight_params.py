"""flight_time with explicit parameters (a researcher's own Monte Carlo), the parameter values in
FlightResult.meta, and FlightResult.to_xarray keeping the broadcast dimensions."""
from __future__ import annotations

import math

import numpy as np
import pytest
from independent import haversine, kepler_min_energy_time

import warning_time as wt
from warning_time.errors import InputError
from warning_time.model import FlightModel

KRYCHAW, WARSAW, PARIS = (53.65, 31.45), (52.23, 21.01), (48.86, 2.35)


def test_explicit_parameters_make_the_textbook_missile():
    """A fixed-boost class (rs-26; the range-dependent boost classes fly their vehicle's
    least-burn angle, not minimum energy) with no boost, burnout at the surface, no drag and no range limit is
    the textbook missile: on the non-rotating sphere its flight time is the minimum-energy
    Kepler time (Bate, Mueller & White eqs. 6.2-20 to 6.2-22, computed independently)."""
    params = dict(burn_time_s=0.0, burnout_altitude_km=0.0, burnout_downrange_km=0.0,
                  ballistic_coefficient_kg_m2=math.inf, max_range_km=math.inf)
    for target in (WARSAW, PARIS):
        r = wt.flight_time(*KRYCHAW, *target, missile="rs-26", params=params, earth="sphere", rotation=False)
        ref = kepler_min_energy_time(haversine(*KRYCHAW, *target))
        assert float(r.flight_time_s) == pytest.approx(ref, rel=1e-9)
        assert r.meta["parameters"]["burn_time_s"] == 0.0
        assert r.meta["parameters"]["ballistic_coefficient_kg_m2"] == math.inf
        assert r.meta["parameters"]["reentry_altitude_km"] == wt.get_missile("rs-26").value("reentry_altitude_km")


def test_three_ways_to_give_parameters_agree():
    m = wt.get_missile("rs-26")
    p = dict(burn_time_s=130.0, ballistic_coefficient_kg_m2=9000.0)
    a = wt.flight_time(*KRYCHAW, *PARIS, missile="rs-26", params=p)
    b = wt.flight_time(*KRYCHAW, *PARIS, missile=m.with_params(p))
    kp = m.kernel_params()
    kp.update(t_boost=130.0, beta=9000.0)
    model = FlightModel.resolve(m, kernel_params=kp)
    from warning_time.flight import model_flight_time

    c = model_flight_time(model, *KRYCHAW, *PARIS)
    assert float(a.flight_time_s) == float(b.flight_time_s) == float(c.flight_time_s)
    assert a.meta["parameters"] == b.meta["parameters"] == c.meta["parameters"]
    assert a.meta["parameters"]["burn_time_s"] == 130.0
    # the catalog class is untouched
    assert wt.get_missile("rs-26").value("burn_time_s") == 160.0


def test_own_monte_carlo_over_burn_time():
    """A researcher's loop: each draw's burn time is in meta, and (kinematic boost, fixed burnout
    point: flight = burn + conic + drag, docs/model.md) the flight time moves by exactly the
    burn-time change."""
    rng = np.random.default_rng(7)
    nominal = float(wt.flight_time(*KRYCHAW, *WARSAW, missile="rs-26").flight_time_s)
    for burn in rng.uniform(120.0, 180.0, 5):
        r = wt.flight_time(*KRYCHAW, *WARSAW, missile="rs-26", params={"burn_time_s": burn})
        assert r.meta["parameters"]["burn_time_s"] == burn
        assert float(r.flight_time_s) - nominal == pytest.approx(burn - 160.0, abs=1e-9)


def test_meta_reports_the_band_and_the_draw_used():
    m = wt.get_missile("iskander-m")
    low = wt.flight_time(*KRYCHAW, *WARSAW, missile=m, band="low", on_invalid="nan")
    assert low.meta["parameters"] == {k: p.low for k, p in m.params.items()}
    kp = m.sample_kernel_params(np.random.default_rng(1))
    model = FlightModel.resolve(m, kernel_params=kp)
    assert model.meta["parameters"]["burn_time_s"] == kp["t_boost"]
    assert model.meta["parameters"]["burnout_altitude_km"] == pytest.approx(kp["h_bo"] / 1e3, rel=1e-15)


@pytest.mark.parametrize("params, needle", [
    ({"burn_tme_s": 3.0}, "did you mean 'burn_time_s'"),
    ({"burn_time_s": [1.0, 2.0]}, "must be one number"),
    ({"burn_time_s": float("nan")}, ">= 0"),
    ({"burn_time_s": -1.0}, ">= 0"),
    ([("burn_time_s", 3.0)], "must be a mapping"),
])
def test_bad_explicit_parameters(params, needle):
    with pytest.raises(InputError, match=needle):
        wt.flight_time(*KRYCHAW, *WARSAW, missile="rs-26", params=params)


def test_to_xarray_keeps_the_broadcast_dimensions():
    lat1 = np.array([53.65, 52.21, 53.30])
    lon1 = np.array([31.45, 24.36, 28.64])
    lat2 = np.array([52.23, 48.86])
    lon2 = np.array([21.01, 2.35])
    r = wt.flight_time(lat1[:, None], lon1[:, None], lat2[None, :], lon2[None, :], missile="rs-26")
    ds = r.to_xarray(dims=("launch", "target"))
    assert dict(ds.sizes) == {"launch": 3, "target": 2}
    assert ds["flight_time_s"].dims == ("launch", "target")
    np.testing.assert_array_equal(ds["flight_time_s"].values, r.flight_time_s)
    np.testing.assert_array_equal(ds["status"].values, r.status)
    # coordinates span only the dimension they vary along
    assert ds["launch_lat_deg"].dims == ("launch",) and ds["target_lon_deg"].dims == ("target",)
    np.testing.assert_array_equal(ds["launch_lat_deg"].values, lat1)
    np.testing.assert_array_equal(ds["target_lon_deg"].values, lon2)
    assert ds["flight_time_s"].attrs["units"] == "s" and ds["burnout_speed_m_s"].attrs["units"] == "m/s"
    assert ds.attrs["missile"] == "rs-26" and ds.attrs["rotation"] == "true"
    assert ds.attrs["parameter_burn_time_s"] == 160.0
    # selection by position matches the flat result
    one = ds.isel(launch=1, target=0)
    ref = wt.flight_time(lat1[1], lon1[1], lat2[0], lon2[0], missile="rs-26")
    assert float(one["flight_time_s"]) == float(ref.flight_time_s)
    # default names, scalar results, wrong names
    assert r.to_xarray()["flight_time_s"].dims == ("dim_0", "dim_1")
    assert wt.flight_time(*KRYCHAW, *WARSAW, missile="rs-26").to_xarray()["flight_time_s"].dims == ()
    with pytest.raises(InputError, match="dims"):
        r.to_xarray(dims=("launch",))


def test_to_xarray_three_dimensions_and_warning_results():
    from warning_time.warning import warning_time

    lat1 = np.array([53.65, 52.21])[:, None, None]
    lon1 = np.array([31.45, 24.36])[:, None, None]
    lat2 = np.array([52.23, 48.86, 41.33])[None, :, None]
    lon2 = np.array([21.01, 2.35, 19.82])[None, :, None]
    r = wt.flight_time(lat1, lon1, lat2, lon2 + np.zeros((1, 1, 4)), missile="rs-26")
    ds = r.to_xarray(dims=("launch", "target", "k"))
    assert dict(ds.sizes) == {"launch": 2, "target": 3, "k": 4}
    assert ds["target_lon_deg"].dims == ("target",)
    w = warning_time(lat1[:, :, 0], lon1[:, :, 0], lat2[:, :, 0], lon2[:, :, 0], missile="rs-26")
    wds = w.to_xarray(dims=("launch", "target"))
    np.testing.assert_array_equal(wds["warning_time_s"].values, w.warning_time_s)
    assert wds["launch_lat_deg"].dims == ("launch",)
