"""The map's isochrones are where they say: along the band boundaries the map draws (default
levels, default resolution, the region the map computes for the class), the least flight time
from the launch points, computed here point by point with the public ``flight_time`` (not the
grid kernel the surface uses), is within 1 % of the boundary's level, except within two grid
cells of where the class's reach ends (its maximum and minimum range). A boundary cut by a
rectangle (the old fixed region) fails this, so does a band edge off its level."""
from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

import warning_time as wt
from warning_time.analysis import lattice_points
from warning_time.geometry import contour_bands
from warning_time.map_options import DEFAULT_LEVELS_MIN
from warning_time.maps import isochrone_surface
from warning_time.missiles import get_missile
from warning_time.places import load_launch_areas
from warning_time.scenario import load_scenario

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def drawn():
    sc = load_scenario()
    s = sc["scenario"]
    areas = load_launch_areas()
    launch = areas[areas["name"].isin(s["launch_areas"])]
    lp = lattice_points(launch)
    traj = sc["irbm"]["trajectory"]
    da = isochrone_surface(lp, missile=sc["irbm"]["missile"], trajectory=traj, earth=s["earth"],
                           rotation=s["rotation"])  # the map's defaults: res 0.25 deg, region from the reach
    bands = contour_bands(da, list(DEFAULT_LEVELS_MIN))
    return dict(sc=sc, lp=lp, da=da, bands=bands, traj=traj)


def _boundary_points(geom, every=25):
    out = []
    polys = getattr(geom, "geoms", [geom])
    for p in polys:
        for ring in [p.exterior, *p.interiors]:
            c = np.asarray(ring.coords)
            out.append(c[::every])
    return np.vstack(out)


def test_band_boundaries_are_at_their_levels(drawn):
    sc, lp, da, bands = drawn["sc"], drawn["lp"], drawn["da"], drawn["bands"]
    s = sc["scenario"]
    m = get_missile(sc["irbm"]["missile"])
    cell_km = 2 * 0.25 * 111.2  # two grid cells
    plat, plon = lp["lat_deg"].to_numpy(float), lp["lon_deg"].to_numpy(float)
    checked, worst = 0, 0.0
    assert sorted(bands["level_min"]) == list(DEFAULT_LEVELS_MIN)
    for _, b in bands.iterrows():
        pts = _boundary_points(b.geometry)
        lo, hi = float(b["level_min_low"]), float(b["level_min"])
        for lon, lat in pts:
            _, _, d = GEOD.inv(plon, plat, np.full_like(plon, lon), np.full_like(plat, lat))
            dmin = d.min() / 1e3
            if dmin > m.max_range_km - cell_km or dmin < m.min_range_km + cell_km:
                continue  # where the class's reach ends, the band ends with it
            r = wt.flight_time(plat, plon, lat, lon, missile=m.key, trajectory=drawn["traj"], earth=s["earth"],
                               rotation=s["rotation"], on_invalid="nan")
            t = float(np.nanmin(np.asarray(r.flight_time_s, float))) / 60.0
            levels = [v for v in (lo, hi) if v in DEFAULT_LEVELS_MIN]
            err = min(abs(t - v) / v for v in levels)
            worst = max(worst, err)
            assert err < 0.01, (lon, lat, t, lo, hi)
            checked += 1
    assert checked > 100, checked
    print(f"checked {checked} boundary points; worst {100 * worst:.3f} %")


def test_the_region_holds_the_highest_level(drawn):
    """No band touches the grid's edge: the region the map computes holds the whole band set
    (the old fixed rectangle cut the 12-15 min band at 60 deg E and 33 deg N)."""
    da, bands = drawn["da"], drawn["bands"]
    w, e = float(da["lon"].min()), float(da["lon"].max())
    so, n = float(da["lat"].min()), float(da["lat"].max())
    frame = shapely.box(w, so, e, n).boundary
    for g in bands.geometry:
        assert g.distance(frame) > 0.25, g.bounds
