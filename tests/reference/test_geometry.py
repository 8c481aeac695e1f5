"""Geometry overlays against independent references (GeographicLib) and the core."""
import math

import numpy as np
import pytest
import shapely
from geographiclib.geodesic import Geodesic

import warning_time as wt
from warning_time import geometry as g
from warning_time.places import load_countries, load_launch_areas, load_targets

MINSK = (53.9006, 27.5590)


@pytest.mark.parametrize("radius_km", [300.0, 500.0, 2000.0, 5500.0])
def test_point_ring_vertices_at_radius(residual, radius_km):
    ring = g.range_ring(*MINSK, radius_km)
    polys = list(getattr(ring, "geoms", [ring]))
    worst = 0.0
    for p in polys:
        for lon, lat in p.exterior.coords:
            if abs(lat) > 89.999 or abs(abs(lon) - 180) < 1e-9:
                continue  # closure points added at the pole / the antimeridian cut
            d = Geodesic.WGS84.Inverse(MINSK[0], MINSK[1], lat, lon)["s12"]
            worst = max(worst, abs(d - radius_km * 1e3))
    residual(f"ring {radius_km:.0f} km: vertex distance vs geographiclib", worst, "m")
    assert worst < 1.0


def test_ring_edges_stay_near_the_true_ring(residual):
    ring = g.range_ring(*MINSK, 1000.0)
    xy = np.asarray(ring.exterior.coords)
    mids = 0.5 * (xy[1:] + xy[:-1])
    worst = max(abs(Geodesic.WGS84.Inverse(MINSK[0], MINSK[1], lat, lon)["s12"] - 1e6) for lon, lat in mids)
    residual("ring 1000 km: edge midpoint vs true ring", worst, "m")
    assert worst < 1000.0


def test_6000_km_ring_contains_the_pole_and_does_not_wrap_wrongly():
    ring = g.range_ring(*MINSK, 6000.0)
    assert ring.is_valid
    assert ring.contains(shapely.Point(0.0, 89.5)) and ring.contains(shapely.Point(170.0, 89.5))
    minx, miny, maxx, maxy = ring.bounds
    assert -180.0 <= minx and maxx <= 180.0 and maxy == pytest.approx(90.0)
    # places inside / outside, checked independently
    for lat, lon in [(40.7, -74.0), (35.7, 139.7), (64.1, -21.9), (-33.9, 18.4), (30.0, 31.2)]:
        inside = Geodesic.WGS84.Inverse(MINSK[0], MINSK[1], lat, lon)["s12"] < 6.0e6
        assert ring.contains(shapely.Point(lon, lat)) == inside, (lat, lon)


def test_area_ring_contains_everything_within_radius():
    area = load_launch_areas().set_index("name").loc["Krychaw"].geometry
    ring = g.area_range_ring(area, 500.0)
    rng = np.random.default_rng(0)
    c = area.representative_point()
    for _ in range(200):
        az, d = rng.uniform(0, 360), rng.uniform(0, 700e3)
        p = Geodesic.WGS84.Direct(c.y, c.x, az, d)
        # distance to the area: to its boundary (points are outside a 20 km area when d > 25 km)
        bd = min(Geodesic.WGS84.Inverse(p["lat2"], p["lon2"], y, x)["s12"] for x, y in area.exterior.coords)
        inside_area = area.contains(shapely.Point(p["lon2"], p["lat2"]))
        truth = inside_area or bd < 500e3
        if abs(bd - 500e3) < 5e3:
            continue  # within the discretisation of the boundary sampling
        assert ring.contains(shapely.Point(p["lon2"], p["lat2"])) == truth


@pytest.fixture(scope="module")
def iso():
    areas = load_launch_areas()
    launch = areas[areas["name"].isin(["Asipovichy", "Krychaw"])]
    from warning_time.sampling import area_points

    pts = area_points(launch, 4, seed=3)
    bands = g.isochrones(pts, missile="oreshnik", levels_min=(8.0, 10.0, 12.0), region=(-5, 40, 35, 62), res_deg=0.1)
    return pts, bands


def test_isochrone_boundaries_match_the_core(iso, residual):
    pts, bands = iso
    rng = np.random.default_rng(1)
    worst = 0.0
    for _, b in bands.iterrows():
        level = b["level_min"]
        outer = max(getattr(b.geometry, "geoms", [b.geometry]), key=lambda p: p.area).exterior
        # interior-of-region boundary points (skip the grid edge)
        cand = [outer.interpolate(x, normalized=True) for x in rng.uniform(0, 1, 40)]
        cand = [p for p in cand if -4.5 < p.x < 34.5 and 40.5 < p.y < 61.5]

        def near_min_range(p):  # near the launch points (the class's boost footprint: no data inside)
            return min(Geodesic.WGS84.Inverse(p.y, p.x, la, lo)["s12"]
                       for la, lo in zip(pts["lat_deg"], pts["lon_deg"])) < 540e3

        cand = [p for p in cand if not near_min_range(p)][:12]
        for p in cand:
            t = wt.flight_time(pts["lat_deg"].to_numpy(), pts["lon_deg"].to_numpy(), p.y, p.x, missile="oreshnik")
            tmin = np.nanmin(t.flight_time_s) / 60
            # a band (low, level] is bounded by both of its levels
            lows = [lv for lv in (b["level_min_low"], level) if lv > 0]
            rel = min(abs(tmin - lv) / lv for lv in lows)
            worst = max(worst, rel)
            assert rel < 0.01, (level, p, tmin)
    residual("isochrone boundary: core time vs level (rel)", worst, "")


def test_points_inside_an_isochrone_are_faster(iso):
    pts, bands = iso
    b = bands[bands["level_min"] == 10.0].iloc[0]
    rng = np.random.default_rng(2)
    minx, miny, maxx, maxy = b.geometry.bounds
    n = 0
    while n < 15:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if not b.geometry.contains(shapely.Point(x, y)):
            continue
        n += 1
        t = wt.flight_time(pts["lat_deg"].to_numpy(), pts["lon_deg"].to_numpy(), y, x, missile="oreshnik")
        assert np.nanmin(t.flight_time_s) / 60 <= 10.0 * 1.01


def test_reverse_reach_agrees_with_forward_flights():
    warsaw = (52.2297, 21.0122)
    rr = g.reverse_reach(*warsaw, 8.0, missile="oreshnik", region=(15, 45, 45, 62), res_deg=0.1)
    region = rr.geometry.iloc[0]
    rng = np.random.default_rng(4)
    checked = 0
    while checked < 20:
        x, y = rng.uniform(16, 44), rng.uniform(46, 61)
        p = shapely.Point(x, y)
        if region.boundary.distance(p) < 0.3:
            continue  # within a few grid cells of the contour
        t = float(wt.flight_time(y, x, *warsaw, missile="oreshnik").flight_time_s)
        assert region.contains(p) == (np.isfinite(t) and t <= 480.0), (y, x, t)
        checked += 1


def test_newly_in_reach_and_exposure_and_export(tmp_path):
    areas = load_launch_areas()
    launch = areas[areas["role"] == "launch"]
    base = areas[areas["name"].isin(["Kaliningrad", "Luga-Pskov", "Bryansk-Smolensk"])]
    t = load_targets()
    new, inside = g.newly_in_reach(launch, base, missile="iskander-m", targets=t)
    assert not new.geometry.iloc[0].is_empty
    for _, r in inside.iterrows():  # inside: within 500 km of some Belarus area, beyond 500 km of every baseline
        d_l = min(Geodesic.WGS84.Inverse(r["lat_deg"], r["lon_deg"], y, x)["s12"]
                  for geom in launch.geometry for x, y in geom.exterior.coords)
        d_b = min(Geodesic.WGS84.Inverse(r["lat_deg"], r["lon_deg"], y, x)["s12"]
                  for geom in base.geometry for x, y in geom.exterior.coords)
        assert d_l < 505e3 and d_b > 495e3, r["name"]
    ex = g.exposure(new.assign(level_min=1.0), load_countries(), t)
    assert (ex["area_km2"] > 0).all() and set(ex["iso_a3"]) <= set(load_countries().query("nato_member")["iso_a3"])
    for ext in (".gpkg", ".geojson", ".parquet", ".kml"):
        p = g.export(new, tmp_path / f"new{ext}")
        assert p.stat().st_size > 0
    with pytest.raises(wt.InputError, match="unknown format"):
        g.export(new, tmp_path / "x.shp")


def test_warning_and_compression_surfaces_match_the_warning_model():
    from warning_time.sampling import area_points
    from warning_time.warning import warning_time

    areas = load_launch_areas()
    lp = area_points(areas[areas["name"] == "Krychaw"], 3, seed=5)
    bp = area_points(areas[areas["name"] == "Kapustin Yar"], 3, seed=5)
    kw = dict(missile="oreshnik", region=(5, 45, 25, 56), res_deg=2.0)
    w = g.warning_surface(lp["lat_deg"], lp["lon_deg"], **kw)
    assert w.dims == ("lat", "lon") and w.attrs["units"] == "min"
    # each finite cell: the warning of the fastest point equals the model called directly
    for lat in w["lat"].values[::2]:
        for lon in w["lon"].values[::3]:
            v = float(w.sel(lat=lat, lon=lon))
            if not np.isfinite(v):
                continue
            ft = wt.flight_time(lp["lat_deg"].to_numpy(), lp["lon_deg"].to_numpy(), lat, lon, missile="oreshnik")
            j = int(np.nanargmin(ft.flight_time_s))
            direct = warning_time(lp["lat_deg"].iloc[j], lp["lon_deg"].iloc[j], lat, lon, missile="oreshnik").to_frame()
            assert v == pytest.approx(float(direct["warning_time_s"].iloc[0]) / 60, abs=1e-9)
    c = g.compression_surface(lp["lat_deg"], lp["lon_deg"], bp["lat_deg"], bp["lon_deg"], **kw)
    c2 = g.compression_surface(bp["lat_deg"], bp["lon_deg"], lp["lat_deg"], lp["lon_deg"], **kw)
    np.testing.assert_array_equal(np.nan_to_num(c.values), -np.nan_to_num(c2.values))  # antisymmetric
    lo, hi = float(np.nanmin(c.values)), float(np.nanmax(c.values))
    bands = g.contour_bands(c, [lo + 0.3 * (hi - lo), lo + 0.7 * (hi - lo), hi + 1.0], value_name="compression_s")
    assert len(bands) >= 2 and bands["compression_s_low"].iloc[0] <= lo
    assert len(g.contour_bands(c, [lo - 10.0], value_name="compression_s")) == 0  # no band: empty, with columns
