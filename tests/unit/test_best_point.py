"""Deterministic geometry (warning_time.best_point) against brute force written here."""
import numpy as np
import pytest
import shapely
from pyproj import Geod

from warning_time.best_point import optimise, polygon_distance_km, reach_table
from warning_time.places import load_launch_areas, load_targets
from warning_time.sensors import sensor_set
from warning_time.warning import warning_time

G = Geod(ellps="WGS84")


def _areas(names):
    a = load_launch_areas()
    return a[a["name"].isin(names)].reset_index(drop=True)


def _targets(names):
    t = load_targets()
    return t[t["name"].isin(names)].reset_index(drop=True)


def _brute_points(geom, n, seed):
    """Uniform points inside the polygon (rejection in lon/lat), independent of the module."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = geom.bounds
    x, y = rng.uniform(minx, maxx, 20 * n), rng.uniform(miny, maxy, 20 * n)
    ok = shapely.contains_xy(geom, x, y)
    return y[ok][:n], x[ok][:n]


def test_nearest_and_farthest_point_of_a_polygon_by_optimisation():
    """Minimising / maximising the geodesic distance to a far point finds the polygon's nearest /
    farthest point: compared with the boundary densified to 20 m (brute force)."""
    areas = _areas(["Krychaw", "Luga-Pskov"])
    tg = _targets(["Warsaw", "Berlin"])

    def dist(lat, lon, ti):
        return G.inv(lon, lat, tg["lon_deg"].to_numpy()[ti], tg["lat_deg"].to_numpy()[ti])[2] / 1e3

    lo = optimise(areas, tg, dist, sense="min")
    hi = optimise(areas, tg, dist, sense="max")
    for k, a in areas.iterrows():
        ring = a.geometry.exterior
        pts = shapely.get_coordinates(shapely.segmentize(ring, 0.0002))  # ~20 m in degrees
        for t, tr in tg.iterrows():
            d = G.inv(pts[:, 0], pts[:, 1], np.full(len(pts), tr["lon_deg"]), np.full(len(pts), tr["lat_deg"]))[2] / 1e3
            got_lo = lo[(lo["area"] == a["name"]) & (lo["_t"] == t)]["value"].item()
            got_hi = hi[(hi["area"] == a["name"]) & (hi["_t"] == t)]["value"].item()
            assert got_lo == pytest.approx(d.min(), abs=0.05)
            assert got_hi == pytest.approx(d.max(), abs=0.05)
            # polygon distance by projection agrees with the brute force too
            dmin, dmax, _, _ = polygon_distance_km(a.geometry, tr["lat_deg"], tr["lon_deg"])
            assert dmin == pytest.approx(d.min(), abs=0.05)
            assert dmax == pytest.approx(d.max(), abs=0.05)


def test_best_warning_point_matches_brute_force_within_its_bound():
    """The least warning over an area (IRBM class, the paper's sensors) is never worse than the
    least over 3,000 random points of the area by more than the stated bound, and is as good or
    better than that brute-force search (it refines to 50 m)."""
    areas = _areas(["Lida-Hrodna", "Kaliningrad"])
    tg = _targets(["Warsaw", "Berlin", "Riga", "London"])
    sens = sensor_set(names=["space-infrared", "fylingdales", "kurecik", "redzikowo-spy1", "deveselu-spy1"])
    tl, tn = tg["lat_deg"].to_numpy(), tg["lon_deg"].to_numpy()

    def ev(lat, lon, ti):
        return warning_time(lat, lon, tl[ti], tn[ti], missile="oreshnik", sensors=sens, on_invalid="nan").warning_time_s

    r = optimise(areas, tg, ev)
    assert (r["bound_s"] < 5.0).all() and (r["bound_s"] > 0).all()
    for k, a in areas.iterrows():
        la, lo = _brute_points(a.geometry, 3000, 7 + k)
        for t in range(len(tg)):
            brute = np.nanmin(ev(la, lo, np.full(la.size, t)))
            row = r[(r["area"] == a["name"]) & (r["_t"] == t)].iloc[0]
            assert row["value"] <= brute + 1e-6
            assert brute - row["value"] <= row["bound_s"]
            assert row["value"] <= row["lattice_value"]


def test_optimum_is_deterministic():
    areas = _areas(["Brest-Kobryn"])
    tg = _targets(["Berlin"])
    f = lambda lat, lon, ti: G.inv(lon, lat, np.full(np.size(lat), 13.4), np.full(np.size(lat), 52.5))[2]  # noqa: E731
    a, b = optimise(areas, tg, f), optimise(areas, tg, f)
    assert a.equals(b)


def test_reach_by_polygon_distance_counts_any_point_of_the_area():
    """A target 490 km from the nearest point of an area (and farther from its centre) is in
    reach of a 500 km class; reach by the centre alone would say no."""
    areas = _areas(["Kaliningrad"])
    geom = areas.geometry.iloc[0]
    c = geom.centroid
    # a point 490 km beyond the boundary, due south
    dmin0, _, _, _ = polygon_distance_km(geom, c.y, c.x)
    assert dmin0 == 0.0
    lon2, lat2, _ = G.fwd(c.x, c.y, 180.0, 25e3 + 490e3)
    t = load_targets().iloc[:1].copy()
    t["name"], t["lat_deg"], t["lon_deg"] = "probe", lat2, lon2
    dmin, dmax, _, _ = polygon_distance_km(geom, lat2, lon2)
    assert 480 < dmin < 500 < dmax
    r = reach_table(areas, t.reset_index(drop=True), "iskander-m")
    assert bool(r["in_reach"].iloc[0])
