"""Every public entry point checks the flight options the same way (FlightModel.resolve): the
same bad option gives the same InputError, naming the same field with the same message, from
flight_time, warning_time, the geometry surfaces, the report's analyses and the batch."""
from __future__ import annotations

import copy

import pytest

import warning_time as wt
from warning_time import geometry, report
from warning_time.errors import InputError
from warning_time.model import FlightModel
from warning_time.warning import warning_time

BAD = [
    ("trajectory", dict(trajectory="foo")),
    ("band", dict(band="mid")),
    ("earth", dict(earth="flat")),
    ("rotation", dict(rotation="yes")),
    ("rotation", dict(rotation="False")),
    ("rotation", dict(rotation=1)),
    ("missile", dict(missile="nope")),
]
IDS = [f"{k}={v!r}" for _, d in BAD for k, v in d.items()]
PAIR = (53.70, 31.71, 52.23, 21.01)  # Krychaw -> Warsaw


def _kw(bad):
    return {"missile": "oreshnik", **bad}


def _reference(bad):
    with pytest.raises(InputError) as exc:
        FlightModel.resolve(**_kw(bad))
    return exc.value


def _flight_time(bad):
    wt.flight_time(*PAIR, **_kw(bad))


def _warning_time(bad):
    warning_time(*PAIR, **_kw(bad))


def _flight_time_surface(bad):
    geometry.flight_time_surface([PAIR[0]], [PAIR[1]], region=(20.0, 50.0, 22.0, 52.0), res_deg=1.0, **_kw(bad))


def _warning_surface(bad):
    geometry.warning_surface([PAIR[0]], [PAIR[1]], region=(20.0, 50.0, 22.0, 52.0), res_deg=1.0, **_kw(bad))


def _scenario(bad):
    """The default scenario with the bad option in its IRBM run (missile, trajectory) or its
    scenario table (earth, rotation); the report has no band option."""
    sc = copy.deepcopy(report.load_scenario())
    for k, v in _kw(bad).items():
        if k in ("missile", "trajectory"):
            sc["irbm"][k] = v
        else:
            sc["scenario"][k] = v
    return sc


def _report_aegis(bad):
    report.aegis_geometry(_scenario(bad), "irbm")


def _report_compression(bad):
    sc = _scenario(bad)
    sc["uncertainty"].update(draws=1, points_per_area=1)
    report.claim_compression(sc, "irbm", "baseline_areas")


def _batch(bad, tmp_path):
    src = tmp_path / "pairs.csv"
    src.write_text("launch_lat_deg,launch_lon_deg,target_lat_deg,target_lon_deg\n"
                   "53.70,31.71,52.23,21.01\n53.70,31.71,48.86,2.35\n", encoding="utf-8")
    wt.run_batch(src, tmp_path / "out.csv", **_kw(bad))


ENTRY_POINTS = [_flight_time, _warning_time, _flight_time_surface, _warning_surface, _report_aegis,
                _report_compression, _batch]


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=lambda f: f.__name__.lstrip("_"))
@pytest.mark.parametrize("field, bad", BAD, ids=IDS)
def test_same_bad_option_same_input_error(entry, field, bad, tmp_path):
    if entry.__name__.startswith("_report") and field == "band":
        pytest.skip("the report's scenario has no band option")
    ref = _reference(bad)
    assert ref.field == field
    with pytest.raises(InputError) as exc:
        entry(bad, tmp_path) if entry is _batch else entry(bad)
    assert exc.value.field == ref.field
    assert str(ref) in str(exc.value)  # the batch may prefix the file name


def test_unknown_missile_lists_the_catalog():
    with pytest.raises(InputError) as exc:
        FlightModel.resolve("nope")
    for key in wt.load_missiles():
        assert repr(key) in str(exc.value)


def test_rotation_accepts_real_booleans_only():
    import numpy as np

    assert FlightModel.resolve("oreshnik", rotation=np.bool_(False)).rotation is False
    assert FlightModel.resolve("oreshnik", rotation=True).rotation is True


def test_default_trajectory_is_resolved_in_the_metadata():
    m = wt.get_missile("iskander-m")
    model = FlightModel.resolve(m, trajectory="default")
    assert model.trajectory == m.default_trajectory != "default"
    w = warning_time(*PAIR, missile=m, trajectory="default", on_invalid="nan")
    assert w.meta["trajectory"] == m.default_trajectory
    assert set(w.to_frame()["trajectory"]) == {m.default_trajectory}
    assert wt.flight_time(*PAIR, missile=m, trajectory="default").meta == {
        k: v for k, v in w.meta.items() if k not in ("radars", "chain", "signature")}
