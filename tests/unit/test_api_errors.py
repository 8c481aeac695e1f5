"""Public API contract of flight_time: input errors, NaN rows, broadcasting, the data frame."""
from __future__ import annotations

import math

import numpy as np
import pytest

import warning_time as wt
from warning_time import InputError
from warning_time import status as st

MINSK_AREA = (53.30, 28.64)
WARSAW = (52.23, 21.01)
RESULT_COLUMNS = ["flight_time_s", "ground_range_km", "apogee_km", "burnout_speed_m_s",
                  "free_flight_time_s", "impact_speed_m_s", "impact_angle_deg", "drag_delay_s"]
INPUT_COLUMNS = ["launch_lat_deg", "launch_lon_deg", "target_lat_deg", "target_lon_deg"]


def call(lat1=MINSK_AREA[0], lon1=MINSK_AREA[1], lat2=WARSAW[0], lon2=WARSAW[1], **kw):
    kw.setdefault("missile", "ideal")
    return wt.flight_time(lat1, lon1, lat2, lon2, **kw)


def test_input_error_is_a_value_error():
    assert issubclass(InputError, ValueError)


def test_latitude_out_of_range_names_field_row_value_and_range():
    lat = np.full(30, MINSK_AREA[0])
    lat[17] = 95.0
    with pytest.raises(InputError) as exc:
        call(lat1=lat)
    msg = str(exc.value)
    assert "launch_lat_deg[17] = 95.0" in msg
    assert "[-90, 90]" in msg
    assert exc.value.field == "launch_lat_deg"
    assert exc.value.rows == [17]


@pytest.mark.parametrize("field, kw, allowed", [
    ("launch_lon_deg", "lon1", "[-180, 360]"),
    ("target_lat_deg", "lat2", "[-90, 90]"),
    ("target_lon_deg", "lon2", "[-180, 360]"),
])
@pytest.mark.parametrize("bad", [np.nan, 400.0, -200.0, np.inf])
def test_nan_or_out_of_range_coordinate_raises(field, kw, allowed, bad):
    if field.endswith("lat_deg") and bad in (400.0, -200.0):
        bad = 91.0 if bad > 0 else -91.0
    arr = np.array([WARSAW[0] if "lat" in field else WARSAW[1]] * 5)
    arr[3] = bad
    with pytest.raises(InputError) as exc:
        call(**{kw: arr})
    msg = str(exc.value)
    assert f"{field}[3] = " in msg and allowed in msg


def test_many_bad_rows_are_summarised():
    lat = np.full(12, 95.0)
    with pytest.raises(InputError) as exc:
        call(lat1=lat)
    assert "more rows" in str(exc.value)
    assert exc.value.rows == list(range(12))


def test_on_invalid_nan_keeps_every_row():
    n = 30
    lat1 = np.full(n, MINSK_AREA[0])
    lon2 = np.linspace(15.0, 24.0, n)
    lat1[17] = 95.0
    lon2[4] = np.nan
    res = call(lat1=lat1, lon2=lon2, on_invalid="nan")
    assert res.flight_time_s.shape == (n,)
    bad = np.zeros(n, dtype=bool)
    bad[[4, 17]] = True
    assert np.all(res.status[bad] == st.BAD_INPUT)
    for name in RESULT_COLUMNS:
        assert np.all(np.isnan(res[name][bad])), name
    assert all("bad input" in r for r in res.reason[bad])
    assert np.all(res.status[~bad] == st.OK)
    assert np.all(res.reason[~bad] == "")
    for name in RESULT_COLUMNS:
        assert np.all(np.isfinite(res[name][~bad])), name
    # the good rows are the same numbers as a clean call on them alone
    clean = call(lat1=lat1[~bad], lon2=lon2[~bad])
    np.testing.assert_array_equal(clean.flight_time_s, res.flight_time_s[~bad])
    frame = res.to_frame()
    assert len(frame) == n
    assert list(frame.loc[bad, "status"]) == [st.BAD_INPUT] * 2


@pytest.mark.parametrize("option, value, choices", [
    ("missile", "scud-z", ["'ideal'", "'iskander-m'", "'oreshnik'"]),
    ("trajectory", "ballistic", ["'minimum-energy'", "'apogee'", "'flight-path-angle'",
                                 "'burnout-speed'", "'depressed'", "'lofted'", "'quasi-ballistic'",
                                 "'default'"]),
    ("earth", "mars", ["'wgs84'", "'sphere'"]),
    ("branch", "middle", ["'low'", "'high'"]),
    ("band", "typical", ["'nominal'", "'low'", "'high'"]),
    ("on_invalid", "ignore", ["'raise'", "'nan'"]),
])
def test_unknown_option_lists_valid_choices(option, value, choices):
    with pytest.raises(InputError) as exc:
        call(**{option: value})
    msg = str(exc.value)
    assert repr(value) in msg
    for c in choices:
        assert c in msg, (c, msg)


@pytest.mark.parametrize("kw, needle", [
    (dict(trajectory="apogee"), "apogee_km"),
    (dict(trajectory="apogee", apogee_km=-5.0), "apogee_km"),
    (dict(trajectory="flight-path-angle"), "flight_path_angle_deg"),
    (dict(trajectory="flight-path-angle", flight_path_angle_deg=95.0), "flight_path_angle_deg"),
    (dict(trajectory="burnout-speed"), "burnout_speed_m_s"),
    (dict(trajectory="burnout-speed", burnout_speed_m_s=0.0), "burnout_speed_m_s"),
    (dict(trajectory="depressed"), "no speed limit"),
    (dict(trajectory="quasi-ballistic"), "apogee"),
    (dict(rotation="yes"), "rotation"),
])
def test_missing_or_bad_shape_parameter_raises(kw, needle):
    with pytest.raises(InputError) as exc:
        call(**kw)
    assert needle in str(exc.value)


def test_non_broadcastable_inputs_raise():
    with pytest.raises(InputError, match="broadcast"):
        call(lat1=[53.0, 54.0], lon1=[28.0, 29.0, 30.0])


def test_scalar_launch_broadcasts_against_array_targets():
    lat2 = np.array([[52.23, 54.69, 52.52], [51.51, 48.86, 41.90]])
    lon2 = np.array([[21.01, 25.28, 13.40], [-0.13, 2.35, 12.50]])
    res = call(lat2=lat2, lon2=lon2)
    assert res.flight_time_s.shape == (2, 3)
    assert res.status.shape == (2, 3) and res.reason.shape == (2, 3)
    for i in range(2):
        for j in range(3):
            one = call(lat2=lat2[i, j], lon2=lon2[i, j])
            assert one.flight_time_s.shape == ()
            assert res.flight_time_s[i, j] == one.flight_time_s[()]
    # broadcast inputs are echoed with the broadcast shape
    assert np.all(res.launch_lat_deg == MINSK_AREA[0]) and res.launch_lat_deg.shape == (2, 3)


def test_result_arrays_and_status_dtypes():
    res = call(lat2=[52.23, 54.69], lon2=[21.01, 25.28])
    for name in RESULT_COLUMNS:
        assert res[name].dtype == np.float64, name
    assert np.issubdtype(res.status.dtype, np.integer)
    assert res.reason.dtype == object


def test_to_frame_one_row_per_pair_with_unit_named_columns():
    lat2 = np.array([52.23, 54.69, 52.52, 51.51])
    lon2 = np.array([21.01, 25.28, 13.40, -0.13])
    res = call(lat2=lat2, lon2=lon2, missile="oreshnik")
    frame = res.to_frame()
    assert len(frame) == 4
    for col in INPUT_COLUMNS + RESULT_COLUMNS + ["status", "reason"]:
        assert col in frame.columns, col
    np.testing.assert_array_equal(frame["flight_time_s"].to_numpy(), res.flight_time_s)
    np.testing.assert_array_equal(frame["target_lat_deg"].to_numpy(), lat2)
    assert set(frame["missile"]) == {"oreshnik"}
    # a 2-D call still gives one row per pair
    frame2 = call(lat2=lat2.reshape(2, 2), lon2=lon2.reshape(2, 2)).to_frame()
    assert len(frame2) == 4


def test_non_ok_rows_say_why_and_carry_nan_times():
    # below the minimum range, coincident points, beyond reach
    res = wt.flight_time([53.30, 53.30, 53.30], [28.64, 28.64, 28.64], [53.40, 53.30, 40.0],
                         [28.64, 28.64, -75.0], missile="oreshnik")
    assert list(res.status) == [st.BELOW_MIN_RANGE, st.DEGENERATE, st.OUT_OF_RANGE]
    assert np.all(np.isnan(res.flight_time_s))
    assert all(r != "" for r in res.reason)
    # the class's shortest range is its vehicle's shortest tabulated least-burn shot
    m = wt.get_missile("oreshnik")
    assert "minimum range" in res.reason[0] and f"{m.reach_min_km():.0f} km" in res.reason[0]
    assert math.isfinite(res.ground_range_km[0])


def test_reasons_are_those_of_the_call_and_survive_pickling():
    """The reason strings are built on first access, from the status codes as returned."""
    import pickle

    import warning_time as wt

    res = wt.flight_time([53.0, 200.0], [28.0, 28.0], [52.0, 52.0], [21.0, 21.0], missile="ideal",
                         on_invalid="nan")
    res.status[:] = 0  # a user editing the returned array does not rewrite the reasons
    assert res.reason[0] == "" and res.reason[1].startswith("bad input")
    back = pickle.loads(pickle.dumps(res))
    assert list(back.reason) == list(res.reason)
    assert list(back.to_frame()["reason"]) == list(res.reason)
    assert "reason" in dir(res) and not hasattr(res, "no_such_field")


def test_coordinate_inputs_text_masked_complex_and_series_index():
    """Text that is a number is parsed, text that is not names its field and row (not 'do not
    broadcast'); masked entries are bad rows, not their hidden data; an imaginary part is refused;
    a Series index is kept by to_frame() and different indexes raise instead of being combined
    by position; a missile that is not a name is an InputError, not 'unhashable'."""
    import numpy as np
    import pandas as pd
    import pytest

    import warning_time as wt
    from warning_time.errors import InputError

    r = wt.flight_time(["53.3"], 28.64, 52.23, 21.01, missile="oreshnik")
    assert r.flight_time_s[0] == wt.flight_time(53.3, 28.64, 52.23, 21.01, missile="oreshnik").flight_time_s
    with pytest.raises(InputError, match=r"launch_lat_deg\[1\] = 'north' is not a number"):
        wt.flight_time(["53.3", "north"], 28.64, 52.23, 21.01, missile="oreshnik")
    m = np.ma.masked_array([53.3, 53.3], mask=[False, True])
    r = wt.flight_time(m, 28.64, 52.23, 21.01, missile="oreshnik", on_invalid="nan")
    assert r.status.tolist() == [0, 5] and np.isnan(r.flight_time_s[1])
    with pytest.raises(InputError, match=r"launch_lat_deg\[1\]"):
        wt.flight_time(m, 28.64, 52.23, 21.01, missile="oreshnik")
    with pytest.raises(InputError, match="is complex"):
        wt.flight_time(np.array([53.3 + 1j]), 28.64, 52.23, 21.01, missile="oreshnik")
    a = pd.Series([53.3, 53.0], index=["x", "y"])
    b = pd.Series([52.23, 50.0], index=["x", "y"])
    assert wt.flight_time(a, 28.64, b, 21.01, missile="oreshnik").to_frame().index.tolist() == ["x", "y"]
    with pytest.raises(InputError, match="different indexes"):
        wt.flight_time(a, 28.64, b.reset_index(drop=True), 21.01, missile="oreshnik")
    with pytest.raises(InputError, match="do not broadcast: launch_lat_deg \\(2,\\), launch_lon_deg \\(3,\\)"):
        wt.flight_time([1, 2], [1, 2, 3], 0, 0, missile="oreshnik")
    with pytest.raises(InputError, match="missile=\\['ideal'\\] is not a valid option"):
        wt.flight_time(53, 28, 52, 21, missile=["ideal"])


def test_small_and_large_batches_flag_the_same_bad_rows():
    """Short and long batches flag the rows the coordinate kernel flags, at every edge of the
    allowed ranges and for NaN and infinities."""
    import numpy as np

    from warning_time.core.batch import bad_coords
    from warning_time.flight import pair_coordinates

    edges = np.array([0.0, 90.0, -90.0, 90.0000001, -90.0000001, 180.0, -180.0, 360.0, 360.0000001,
                      -180.0000001, np.nan, np.inf, -np.inf, 45.5])
    rng = np.random.default_rng(5)
    cols = [rng.choice(edges, 4000) for _ in range(4)]
    expect = bad_coords(*[np.ascontiguousarray(c) for c in cols])
    small = pair_coordinates(*cols, on_invalid="nan")[5]
    np.testing.assert_array_equal(small, expect)
    assert 0 < expect.sum() < expect.size
    big = [np.resize(c, 200_000) for c in cols]
    np.testing.assert_array_equal(pair_coordinates(*big, on_invalid="nan")[5], bad_coords(*big))
