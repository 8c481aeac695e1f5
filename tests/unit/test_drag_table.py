"""The continuous drag-delay table of Monte Carlo draws against exact tables built for the draw."""
import dataclasses

import numpy as np
import pytest

from warning_time.flight import model_flight_time
from warning_time.missiles import get_missile
from warning_time.model import (BETA_NODE_RATIO, H_NODE_STEP_M, FlightModel, delay_table, delay_table_continuous,
                                drag_nodes)
from warning_time.places import load_targets


def test_nodes_cover_the_band_include_the_nominal_and_respect_the_spacing():
    b = drag_nodes(8000.0, 15000.0, 25000.0)
    assert b[0] == 8000.0 and b[-1] == 25000.0 and 15000.0 in b
    assert max(y / x for x, y in zip(b, b[1:])) <= BETA_NODE_RATIO * (1 + 1e-12)
    h = drag_nodes(80e3, 100e3, 120e3, geometric=False)
    assert h[0] == 80e3 and h[-1] == 120e3 and 100e3 in h
    assert max(y - x for x, y in zip(h, h[1:])) <= H_NODE_STEP_M + 1e-6


def test_table_is_exact_at_a_node():
    bn, hn = (15000.0, 22500.0), (100e3, 120e3)
    assert np.array_equal(delay_table_continuous(15000.0, 100e3, bn, hn), delay_table(15000.0, 100e3))


@pytest.mark.parametrize("trajectory", ["minimum-energy", "depressed"])
def test_flight_time_error_of_the_interpolated_table_is_below_0_2_s(trajectory):
    """A draw between nodes spaced as the shipped grid (beta ratio, altitude step) flies every
    capital within 0.2 s of the flight with the table built exactly for its beta and altitude."""
    bn = (15000.0, 15000.0 * BETA_NODE_RATIO)
    hn = (100e3, 100e3 + H_NODE_STEP_M)
    t = load_targets()
    t = t[t["kind"] == "capital"]
    la, lo = np.full(len(t), 53.3), np.full(len(t), 28.6)
    base = FlightModel.resolve("oreshnik").kernel_params
    for beta, h in ((17300.0, 107e3), (21000.0, 113e3)):
        kp = dict(base, beta=beta, h_entry=h)
        m = FlightModel.resolve("oreshnik", trajectory=trajectory, kernel_params=kp)
        ex = dataclasses.replace(m, table=delay_table(beta, h))
        co = dataclasses.replace(m, table=delay_table_continuous(beta, h, bn, hn))
        a = model_flight_time(ex, la, lo, t["lat_deg"], t["lon_deg"], on_invalid="nan").flight_time_s
        b = model_flight_time(co, la, lo, t["lat_deg"], t["lon_deg"], on_invalid="nan").flight_time_s
        ok = np.isfinite(a)
        assert ok.sum() > 20 and np.array_equal(ok, np.isfinite(b))
        assert np.max(np.abs(a[ok] - b[ok])) < 0.2


def test_a_draw_uses_the_class_nodes():
    m = get_missile("oreshnik")
    bn, hn = m.drag_nodes()
    assert bn[0] == m.params["ballistic_coefficient_kg_m2"].low and hn[-1] == m.params["reentry_altitude_km"].high * 1e3
