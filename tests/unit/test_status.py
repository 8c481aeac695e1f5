"""The one status table (warning_time.core.status): unique codes and names, a reason for every
failure, the numba core's codes taken from it, and one renderer for flight and flyout results."""
from __future__ import annotations

import numpy as np
import pytest

import warning_time as wt
from warning_time import flyout as F
from warning_time import status as st
from warning_time.core import flyout as core_flyout
from warning_time.core import status as core_status
from warning_time.core import trajectory as core_trajectory

#: module-level code constant -> value, as the table module declares them
CODES = {name: value for name, value in vars(core_status).items()
         if name.isupper() and isinstance(value, int) and not isinstance(value, bool)}


def test_every_code_has_one_unique_name_and_a_reason():
    assert sorted(CODES.values()) == sorted(core_status.STATUS_TABLE)  # one constant per table row
    assert len(set(CODES.values())) == len(CODES)
    names = [row.name for row in core_status.STATUS_TABLE.values()]
    assert len(set(names)) == len(names) and all(names)
    for code, row in core_status.STATUS_TABLE.items():
        assert isinstance(code, int)
        if code == st.OK:
            assert row.reason == "" and st.reason(code) == ""
            continue
        for kind in st.KINDS:
            text = st.reason(code, kind=kind, max_range_km=5500.0, min_range_km=500.0)
            assert text.startswith(f"{row.name}: ") and len(text) > len(row.name) + 10, (code, kind)


def test_codes_users_see_keep_their_numbers():
    assert [st.OK, st.OUT_OF_RANGE, st.BELOW_MIN_RANGE, st.NO_SOLUTION, st.NO_CONVERGENCE, st.BAD_INPUT,
            st.DEGENERATE, st.EARTH_TURN, st.ESCAPE] == list(range(9))
    assert [st.CRASH, st.NO_IMPACT, st.STEP_UNDERFLOW, st.MAX_STEPS, st.NOT_FINITE] == list(range(10, 15))
    assert st.status_name(1) == "out of range" and st.status_name(10) == "crash"


@pytest.mark.parametrize("module", [core_trajectory, core_flyout], ids=["trajectory", "flyout"])
def test_numba_core_codes_are_the_tables(module):
    kernel_names = {"ST_BELOW_MIN": "BELOW_MIN_RANGE"}  # the kernels' short spelling
    found = {name: value for name, value in vars(module).items() if name.startswith("ST_")}
    assert found, module.__name__
    for name, value in found.items():
        table_name = kernel_names.get(name, name[3:])
        assert value == CODES[table_name], (module.__name__, name)
        assert value is getattr(core_status, table_name)  # imported, not a copy


def test_kernel_results_carry_table_codes():
    bad = wt.flight_time([np.nan, 53.3], [28.6, 28.6], [52.0, 53.3], [21.0, 28.6], missile="ideal",
                         on_invalid="nan")
    assert list(bad.status) == [st.BAD_INPUT, st.DEGENERATE]
    nan = F.fly("scud-b", 50.0, 30.0, np.nan, 16.0)
    assert nan.status[0] == st.BAD_INPUT
    orbit = F.coast([[7.0e6, 0, 0]], [[0, 7546.0 - 7.0e6 * 7.292115e-5, 0]], atmosphere=False, t_max_s=3000.0)
    assert orbit.status[0] == st.NO_IMPACT


def test_flight_and_flyout_reasons_come_from_one_renderer(monkeypatch):
    calls = []
    render = core_status.reason

    def spy(code, *, kind="flight", **fill):
        calls.append((int(code), kind))
        return render(code, kind=kind, **fill)

    monkeypatch.setattr(core_status, "reason", spy)
    flight = wt.flight_time([53.3, 53.3], [28.6, 28.6], [52.0, 40.0], [21.0, -75.0], missile="oreshnik")
    flight_reasons = list(flight.reason)
    fly = F.fly("scud-b", 50.0, 30.0, [90.0, np.nan], 16.0)
    assert (st.OUT_OF_RANGE, "flight") in calls and (st.BAD_INPUT, "flyout") in calls
    assert flight_reasons[0] == "" and flight_reasons[1].startswith("out of range: target beyond reach")
    assert list(fly.reason) == list(st.reasons(fly.status, kind="flyout"))
    assert not hasattr(F, "FLYOUT_STATUS") and not hasattr(F, "flyout_reasons")


def test_shared_code_reads_per_kind():
    assert st.reasons([1], max_range_km=5500.0)[0] == (
        "out of range: target beyond reach: the trajectory needs more burnout speed than the class has "
        "(maximum range 5500 km)")
    assert st.reasons([1], kind="flyout")[0] == (
        "out of range: the vehicle cannot reach the target (range beyond its full-burn maximum)")
    assert st.reasons(np.array([[0, 10], [99, 5]]), kind="flyout").tolist() == [
        ["", "crash: ground impact while the engine burns (thrust below weight or too steep a kick)"],
        ["", "bad input: input is NaN or outside its valid range"]]
    with pytest.raises(ValueError, match="kind"):
        st.reason(1, kind="warning")


def test_readme_lists_every_status():
    """The README's status list names every code with its number (a new code is documented)."""
    from pathlib import Path

    text = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text().split())
    for code, row in core_status.STATUS_TABLE.items():
        assert f"{code} `{row.name}`" in text, (code, row.name)
