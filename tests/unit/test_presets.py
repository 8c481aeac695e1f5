"""The trajectory presets are physics, and their guarantees hold for every ballistic class.

Definitions (docs/model.md "Trajectory presets"): ``lofted`` flies the class's full burnout
speed on the high branch, with the burnout flight-path angle relative to the Earth held at or
below a ceiling (80 deg); ``depressed`` flies full speed on the low branch with that angle at or
above a floor (0 deg: no burnout diving); where the class's speed just reaches the target the
two branches meet the minimum-energy arc. A class with a range-dependent boost table flies those
from its full-burn boost, and its depressed preset is the least-burn minimum-energy shot outside
the range interval where the full-burn arc is clearly the faster (docs/model.md "Range-dependent
boost"; tests/reference/test_depressed_bound.py solves both arcs independently).

Guarantees checked on a dense grid (every 50 km from 50 km to the class's maximum range, from
three latitudes in four directions, on WGS84, rotation on and off):
  * depressed <= minimum-energy <= lofted in flight time;
  * every preset within the class's burnout-speed limit;
  * lofted apogee >= minimum-energy apogee; depressed apogee >= burnout altitude;
  * burnout flight-path angles (from the solved burnout state) within [floor, ceiling];
  * a preset exists wherever the minimum-energy arc does (no false "no solution").
"""
import math

import numpy as np
import pytest

import warning_time as wt
from warning_time.core import trajectory as tr
from warning_time.missiles import load_missiles
from warning_time.status import EARTH_TURN, OUT_OF_RANGE
from warning_time.model import FlightModel, boost_tables

R_KM = 6371.0088
#: fraction of the maximum range beyond which a range-dependent-boost class's presets may
#: exist where its minimum-energy rule is out of range (it holds its last node's burnout angle
#: beyond 98 % of the shortest rotating-Earth reach; westward reach on the equator is ~15 %
#: shorter than the class's maximum range)
EDGE = 0.75
BALLISTIC = [k for k, m in load_missiles().items() if m.kind == "ballistic" and math.isfinite(m.max_range_km)]


def _table_at(missile, shape, row, ground_km):
    """A class's boost-table row (core.trajectory.BT_*) at ground ranges (km), or None."""
    e = boost_tables().get(missile)
    if e is None:
        return None
    x0, dx, rows = e[shape]
    x = (x0 + dx * np.arange(rows.shape[1])) / 1e3
    return np.interp(ground_km, x, rows[row])


def _grid(m):
    """Launch points (lat 0, 35, 60 N) and targets every 50 km up to the maximum range in the
    four cardinal directions (great-circle destinations on the mean sphere)."""
    from pyproj import Geod

    g = Geod(a=R_KM * 1e3, b=R_KM * 1e3)
    ranges = np.arange(50.0, m.max_range_km + 1.0, 50.0)
    rows = []
    for lat in (0.0, 35.0, 60.0):
        for az in (0.0, 90.0, 180.0, 270.0):
            lon2, lat2, _ = g.fwd(np.full(ranges.size, 20.0), np.full(ranges.size, lat), np.full(ranges.size, az),
                                  ranges * 1e3)
            rows.append(np.column_stack([np.full(ranges.size, lat), np.full(ranges.size, 20.0), lat2, lon2]))
    return np.vstack(rows)


def _depressed_burnout_altitude_km(missile, rotation, ground_km):
    """Burnout altitude (km) of the depressed preset at ground ranges (km): the catalog's (full
    burn) for a fixed-boost class; for a class with a boost table the catalog's inside the
    full-burn interval (params P_DEP_LO..P_DEP_HI), the least-burn table's outside it."""
    m = wt.get_missile(missile)
    full = np.full(np.shape(ground_km), m.value("burnout_altitude_km"))
    least = _table_at(missile, "minimum-energy", tr.BT_H, ground_km)
    if least is None:
        return full
    p = FlightModel.resolve(missile, trajectory="depressed", earth="wgs84", rotation=rotation).params
    inside = (ground_km * 1e3 >= p[tr.P_DEP_LO]) & (ground_km * 1e3 <= p[tr.P_DEP_HI])
    return np.where(inside, full, least / 1e3)


@pytest.mark.parametrize("rotation", [False, True], ids=["no-rotation", "rotation"])
@pytest.mark.parametrize("missile", BALLISTIC)
def test_preset_guarantees(missile, rotation):
    m = wt.get_missile(missile)
    pts = _grid(m)
    kw = dict(missile=missile, earth="wgs84", rotation=rotation, on_invalid="nan")
    res = {t: wt.flight_time(*pts.T, trajectory=t, **kw) for t in ("depressed", "minimum-energy", "lofted")}
    d, me, lo = res["depressed"], res["minimum-energy"], res["lofted"]
    vmax = me.meta["burnout_speed_limit_m_s"]
    ok = me.status == 0
    assert ok.sum() > 0.5 * ok.size  # the grid is mostly inside the class's reach
    # a preset exists wherever minimum energy does, and only there; the one exception is the
    # documented corner of lofted arcs on the rotating Earth ("earth turn"): westward shots
    # shorter than the distance the ground moves during the steep flight, which carries the
    # target past the launch point
    # (a class with a range-dependent boost holds its least-burn burnout angle beyond the last
    # table node, so in the last EDGE of its reach the presets, at full speed, reach a little
    # further than minimum energy: docs/model.md "Range-dependent boost")
    edge = np.zeros(ok.shape, bool)
    if missile in boost_tables():
        edge = (me.status == OUT_OF_RANGE) & (me.ground_range_km > EDGE * m.max_range_km)
    assert np.all(d.status[ok] == 0)
    np.testing.assert_array_equal((d.status == 0)[~edge], ok[~edge])
    turn = lo.status == EARTH_TURN
    westward = pts[:, 3] < pts[:, 1]
    if turn.any():
        from pyproj import Geod

        # independent criterion: the ground moves omega R cos(lat) t eastward during the free
        # flight (t from the same preset without rotation); a westward target closer than that
        # to the burnout point is carried past it
        assert rotation
        dist_km = Geod(ellps="WGS84").inv(pts[:, 1], pts[:, 0], pts[:, 3], pts[:, 2])[2] / 1e3
        t_nr = wt.flight_time(*pts.T, missile=missile, trajectory="lofted", earth="wgs84", rotation=False,
                              on_invalid="nan").free_flight_time_s
        drift_km = 7.292115e-5 * R_KM * np.cos(np.radians(pts[:, 0])) * t_nr
        d_bo = _table_at(missile, "lofted", tr.BT_D, dist_km)
        beyond_burnout_km = dist_km - (m.value("burnout_downrange_km") if d_bo is None else d_bo / 1e3)
        assert not (turn & ~(westward & (beyond_burnout_km <= 1.5 * drift_km))).any()
    # (and its vehicle's full-burn lofted speed, below the class limit, reaches a little less far)
    edge_lo = edge | ((lo.status == OUT_OF_RANGE) & (me.ground_range_km > EDGE * m.max_range_km)
                      & (missile in boost_tables()))
    np.testing.assert_array_equal((lo.status == 0)[~edge_lo], (ok & ~turn)[~edge_lo])
    ok_lo = ok & ~turn & (lo.status == 0)
    t_d, t_me, t_lo = d.flight_time_s[ok], me.flight_time_s[ok], lo.flight_time_s[ok]
    t_lo = np.where(np.isfinite(t_lo), t_lo, np.inf)
    assert np.all(t_d <= t_me + 1e-6), np.max(t_d - t_me)
    assert np.all(t_me <= t_lo + 1e-6), np.max(t_me - t_lo)
    # a class with a range-dependent boost (model.boost_tables) lofts at its vehicle's full-burn
    # speed on that branch (the table's), burns out at the table's altitude for the range
    v_lo = _table_at(missile, "lofted", tr.BT_V, lo.ground_range_km)
    v_lo = np.full(lo.flight_time_s.shape, vmax) if v_lo is None else v_lo
    h_bo_km = _depressed_burnout_altitude_km(missile, rotation, d.ground_range_km)
    for r, sel in ((d, ok), (me, ok)):
        assert np.all(r.burnout_speed_m_s[sel] <= vmax * (1 + 1e-8))
    assert np.all(lo.burnout_speed_m_s[ok_lo] <= np.maximum(v_lo[ok_lo], vmax) * (1 + 1e-8))
    assert np.all(lo.apogee_km[ok_lo] >= me.apogee_km[ok_lo] - 1e-6)
    # the floor is geocentric (no radial velocity at burnout): on the ellipsoid the apogee's
    # height can differ from the burnout altitude by the change of the surface radius, < 0.2 km
    assert np.all(d.apogee_km[ok] >= h_bo_km[ok] - 0.2)
    # full speed wherever the angle limits allow it (a lofted table flown by its angles, for an
    # endo-atmospheric burnout, needs less than its speed in vacuum)
    d_full = np.isclose(d.burnout_speed_m_s[ok], vmax, rtol=1e-7)
    lo_full = np.isclose(lo.burnout_speed_m_s[ok_lo], v_lo[ok_lo], rtol=1e-7)
    endo = _table_at(missile, "lofted", tr.BT_GAM, lo.ground_range_km)
    assert d_full.any() and (lo_full.any() or (endo is not None and np.all(np.isfinite(endo))))

    # burnout flight-path angles relative to the Earth from the solved states (geocentric)
    model_d = FlightModel.resolve(missile, trajectory="depressed", earth="wgs84", rotation=rotation)
    model_lo = FlightModel.resolve(missile, trajectory="lofted", earth="wgs84", rotation=rotation)
    idx = np.flatnonzero(ok_lo)[:: max(1, ok_lo.sum() // 40)]
    # an endo-atmospheric lofted table flies its vehicle's own burnout angles (up to ~87 deg)
    endo = _table_at(missile, "lofted", tr.BT_GAM, me.ground_range_km)
    ceiling = tr.LOFTED_CEILING_RAD if endo is None or not np.all(np.isfinite(endo)) else \
        max(tr.LOFTED_CEILING_RAD, float(np.max(endo)))
    for model, lo_lim, hi_lim in ((model_d, tr.DEPRESSED_FLOOR_RAD, math.pi / 2),
                                  (model_lo, 0.0, ceiling)):
        a, e2, f, omega, mu, mode0, value0, high0, t_b0, h_bo0, d_bo0, v_max0 = tr.unpack(model.params)[:12]
        for i in idx:
            mode, value, high, t_b, h_bo, d_bo, v_max, _ = tr.effective_shape(
                model.params, me.ground_range_km[i] * 1e3, mode0, value0, high0, t_b0, h_bo0, d_bo0, v_max0)
            out = tr.burnout_state(*np.radians(pts[i]), a, e2, omega, mu, mode, value, high, h_bo, d_bo, v_max)
            assert out[0] == 0
            r = np.array(out[1:4])
            v = np.array(out[4:7])  # relative to the Earth
            gam = math.asin(float(r @ v) / (np.linalg.norm(r) * np.linalg.norm(v)))
            # geocentric vs the solver's angle: equal on the sphere, within ~0.2 deg on WGS84
            assert lo_lim - math.radians(0.25) <= gam <= hi_lim + math.radians(0.25), (pts[i], math.degrees(gam))


def test_presets_meet_at_the_class_reach():
    """At the class's maximum range (the sphere, no rotation, where its speed limit is defined)
    the three presets of a fixed-boost class are the same minimum-energy arc (a class with a
    range-dependent boost flies its vehicle's least-burn and full-burn lofted shots instead)."""
    for missile in ("rs-26", "generic-irbm-liquid", "scud-b"):
        m = wt.get_missile(missile)
        lon2 = math.degrees(m.max_range_km / R_KM) * (1 - 1e-9)
        t = [float(wt.flight_time(0.0, 0.0, 0.0, lon2, missile=missile, trajectory=k, earth="sphere",
                                  rotation=False).flight_time_s) for k in ("depressed", "minimum-energy", "lofted")]
        assert max(t) - min(t) < 1e-3 * t[1], t


def test_depressed_is_not_diving_at_short_range():
    """The issue's case: Asipovichy -> Warsaw (526 km), depressed Oreshnik class. Full speed from
    the full-burn burnout point would burn out diving; the preset flies a horizontal burnout
    instead (apogee = burnout altitude), at less than full speed, and is still the fastest of the
    three."""
    r = {k: wt.flight_time(53.30, 28.64, 52.23, 21.01, missile="oreshnik", trajectory=k)
         for k in ("depressed", "minimum-energy", "lofted")}
    vmax = r["depressed"].meta["burnout_speed_limit_m_s"]
    assert float(r["depressed"].burnout_speed_m_s) < 0.9 * vmax
    assert float(r["depressed"].apogee_km) == pytest.approx(wt.get_missile("oreshnik").value("burnout_altitude_km"),
                                                            abs=0.2)
    assert float(r["depressed"].flight_time_s) < float(r["minimum-energy"].flight_time_s) < float(r["lofted"].flight_time_s)


def test_lofted_is_slower_than_minimum_energy_at_long_range():
    """The issue's case: Brest area -> Lisbon, where the former fixed 650 km lofted apogee was
    below the minimum-energy apogee and so faster than minimum energy."""
    me = wt.flight_time(52.21, 24.36, 38.7223, -9.1393, missile="oreshnik", trajectory="minimum-energy")
    lo = wt.flight_time(52.21, 24.36, 38.7223, -9.1393, missile="oreshnik", trajectory="lofted")
    assert float(lo.flight_time_s) > float(me.flight_time_s)
    assert float(lo.apogee_km) > float(me.apogee_km)


@pytest.mark.parametrize("trajectory, option, value, takes", [
    ("minimum-energy", "apogee_km", 300.0, "'apogee'"),
    ("lofted", "apogee_km", 300.0, "'apogee'"),
    ("minimum-energy", "flight_path_angle_deg", 30.0, "'flight-path-angle'"),
    ("apogee", "burnout_speed_m_s", 3000.0, "'burnout-speed'"),
    ("minimum-energy", "branch", "high", "'burnout-speed'"),
])
def test_options_that_do_not_apply_raise(trajectory, option, value, takes):
    kw = {option: value}
    if trajectory == "apogee":
        kw["apogee_km"] = 300.0
    with pytest.raises(wt.InputError) as exc:
        wt.flight_time(53.3, 28.6, 52.2, 21.0, missile="oreshnik", trajectory=trajectory, **kw)
    assert exc.value.field == option and takes in str(exc.value) and repr(trajectory) in str(exc.value)


def test_apogee_cap_applies_to_quasi_ballistic_default():
    r = wt.flight_time(53.3, 28.6, 52.2, 24.0, missile="iskander-m", trajectory="default", apogee_km=40.0)
    assert float(r.apogee_km) <= 40.0 + 1e-6


@pytest.mark.parametrize("missile", sorted(boost_tables()))
def test_depressed_never_slower_than_minimum_energy_on_random_pairs(missile):
    """The full-burn interval of a table class's depressed preset is found on equatorial profiles
    (model.depressed_full_burn_interval); on random pairs anywhere (latitudes -75..75, every
    azimuth, WGS84, rotating) the preset must still be no slower than minimum energy, and where
    it flies the full-burn arc that arc must be clearly (> 5 %) the faster."""
    from pyproj import Geod

    m = wt.get_missile(missile)
    rng = np.random.default_rng(13)
    n = 20_000
    lat1, lon1 = rng.uniform(-75, 75, n), rng.uniform(-180, 180, n)
    lon2, lat2, _ = Geod(ellps="WGS84").fwd(lon1, lat1, rng.uniform(0, 360, n), rng.uniform(30, m.max_range_km, n) * 1e3)
    kw = dict(missile=missile, earth="wgs84", rotation=True, on_invalid="nan")
    d = wt.flight_time(lat1, lon1, lat2, lon2, trajectory="depressed", **kw)
    me = wt.flight_time(lat1, lon1, lat2, lon2, trajectory="minimum-energy", **kw)
    ok = me.status == 0
    assert ok.mean() > 0.8 and np.all(d.status[ok] == 0)
    assert np.all(d.flight_time_s[ok] <= me.flight_time_s[ok] + 1e-6)
    full = ok & (d.flight_time_s < me.flight_time_s - 1e-6)
    assert full.sum() > 0.3 * ok.sum()
    assert np.all(d.flight_time_s[full] < 0.95 * me.flight_time_s[full])


def test_minimum_energy_of_a_table_class_burns_out_at_its_least_burn_angle():
    """A table class's minimum-energy shot flies its vehicle's least-burn burnout angle relative
    to the Earth, or, where no conic of that angle reaches the target, the minimum-energy conic
    from the same burnout point. Short westward shots at low latitude are the hard case (the
    inertial velocity would have to lean away from the target): the rotating search once closed
    on a jump of the consistent rotation there and returned an arc burning out 10+ deg off the
    angle (generic-srbm-solid, 56 km westward at 10 N: 299 s at 1.32 km/s, slower than its lofted
    shot, against 128 s at 0.69 km/s for the conic). Checked
    from the solved burnout state (geocentric angle of the relative velocity)."""
    from pyproj import Geod

    rng = np.random.default_rng(17)
    n = 400
    lat1 = rng.uniform(-35, 35, n)
    lon1 = rng.uniform(-180, 180, n)
    lon2, lat2, _ = Geod(ellps="WGS84").fwd(lon1, lat1, rng.uniform(240, 300, n), rng.uniform(50e3, 90e3, n))
    model = FlightModel.resolve("generic-srbm-solid", earth="wgs84", rotation=True)
    a, e2, f, omega, mu, mode0, value0, high0, t_b0, h_bo0, d_bo0, v_max0 = tr.unpack(model.params)[:12]
    res = wt.flight_time(lat1, lon1, lat2, lon2, missile="generic-srbm-solid", on_invalid="nan")
    n_angle = n_conic = 0
    for i in range(n):
        pts = np.radians([lat1[i], lon1[i], lat2[i], lon2[i]])
        mode, value, high, t_b, h_bo, d_bo, v_max, _ = tr.effective_shape(
            model.params, res.ground_range_km[i] * 1e3, mode0, value0, high0, t_b0, h_bo0, d_bo0, v_max0)
        assert mode == tr.MODE_ME_FPA
        out = tr.burnout_state(*pts, a, e2, omega, mu, mode, value, high, h_bo, d_bo, v_max)
        assert out[0] == 0
        r, v = np.array(out[1:4]), np.array(out[4:7])
        gam = math.asin(float(r @ v) / (np.linalg.norm(r) * np.linalg.norm(v)))
        if abs(gam - value) < 1e-6:
            n_angle += 1
            continue
        # else the minimum-energy conic from the same burnout point
        me = tr.burnout_state(*pts, a, e2, omega, mu, tr.MODE_MIN_ENERGY, 0.0, False, h_bo, d_bo, v_max)
        assert me[0] == 0 and out[7] == pytest.approx(me[7], abs=1e-9), (lat1[i], lon1[i], math.degrees(gam))
        n_conic += 1
    assert n_angle > 0.5 * n and n_conic > 0
