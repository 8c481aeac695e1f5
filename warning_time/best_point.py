"""Deterministic launch-area geometry: the attacker's best and worst point of each area for each
target, and reach by polygon distance. Nothing here draws a random number.

Best point (least warning, or least flight time) and worst point (most) of a polygon for a
target: the warning W(p) is evaluated on a deterministic lattice of the polygon (a square grid
of ``spacing_km`` in an azimuthal equidistant projection centred on the area, plus its
boundary densified at the same spacing), and the best lattice point is then refined by a
pattern search (eight directions, step halved from spacing/2 down to ``tol_km``) that keeps
every trial point inside the polygon (a trial outside is moved to the nearest boundary point).

Error bound. Every point of the polygon is within the lattice's covering radius rho (measured
on a grid eight times finer) of a lattice point, so where W is Lipschitz with constant L over
the polygon the lattice minimum exceeds the true minimum by at most L * rho; the refinement only
lowers it. L is estimated from the lattice (the largest |dW| / distance between neighbouring
lattice points) and the bound ``bound_s = L * rho`` is returned with every optimum. Detection
can jump where a radar's horizon is crossed (W is then only piecewise Lipschitz); the tests
compare the optimum with a brute-force search on thousands of points (tests/unit/test_best_point.py).

Reach by polygon distance: a class reaches a target from an area when the nearest point of the
area is within its maximum range and the farthest beyond its minimum reach; distances are
geodesic (WGS84), found on the boundary densified to ``boundary_km`` in a projection centred on
the target (azimuthal equidistant: distance from the centre is the geodesic distance).
"""
from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd
import shapely
import shapely.ops
from pyproj import Geod, Transformer

GEOD = Geod(ellps="WGS84")
#: default lattice spacing (km) and refinement tolerance (km)
SPACING_KM = 5.0
TOL_KM = 0.05
_DIRS = np.array([(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)], float)
_DIRS[4:] /= math.sqrt(2.0)


@functools.lru_cache(maxsize=1024)
def _aeqd(lat0, lon0):
    crs = f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m"
    return (Transformer.from_crs("EPSG:4326", crs, always_xy=True),
            Transformer.from_crs(crs, "EPSG:4326", always_xy=True))


class AreaFrame:
    """One area polygon in a local azimuthal equidistant frame (km), with its lattice."""

    def __init__(self, name: str, geom, spacing_km: float = SPACING_KM):
        self.name = name
        c = geom.representative_point()
        self.fwd, self.inv = _aeqd(c.y, c.x)
        self.poly = _project(geom, self.fwd)
        self.spacing_km = float(spacing_km)
        self.xy = self._lattice()
        self.rho_km = self._covering_radius()

    def _lattice(self):
        h = self.spacing_km
        minx, miny, maxx, maxy = self.poly.bounds
        xs = np.arange(math.floor(minx / h) * h, maxx + h, h)
        ys = np.arange(math.floor(miny / h) * h, maxy + h, h)
        gx, gy = np.meshgrid(xs, ys)
        inside = shapely.contains_xy(self.poly, gx.ravel(), gy.ravel())
        pts = [np.column_stack([gx.ravel()[inside], gy.ravel()[inside]])]
        for ring in [self.poly.exterior, *self.poly.interiors]:
            n = max(8, int(math.ceil(ring.length / h)))
            b = shapely.line_interpolate_point(ring, np.linspace(0.0, ring.length, n, endpoint=False))
            pts.append(shapely.get_coordinates(b))
        return np.vstack(pts)

    def _covering_radius(self):
        from scipy.spatial import cKDTree

        h = self.spacing_km / 8.0
        minx, miny, maxx, maxy = self.poly.bounds
        gx, gy = np.meshgrid(np.arange(minx, maxx + h, h), np.arange(miny, maxy + h, h))
        inside = shapely.contains_xy(self.poly, gx.ravel(), gy.ravel())
        chk = np.column_stack([gx.ravel()[inside], gy.ravel()[inside]])
        if not len(chk):
            return 0.0
        d, _ = cKDTree(self.xy).query(chk)
        return float(d.max()) + h / math.sqrt(2.0)  # the check grid's own covering radius

    def to_latlon(self, xy):
        lon, lat = self.inv.transform(xy[..., 0] * 1e3, xy[..., 1] * 1e3)
        return np.asarray(lat), np.asarray(lon)

    def inside(self, xy):
        """Trial points moved into the polygon: a point outside goes to its nearest boundary point."""
        flat = xy.reshape(-1, 2)
        ok = shapely.contains_xy(self.poly, flat[:, 0], flat[:, 1])
        if not ok.all():
            out = shapely.points(flat[~ok])
            b = self.poly.boundary
            near = shapely.line_interpolate_point(b, shapely.line_locate_point(b, out))
            flat = flat.copy()
            flat[~ok] = shapely.get_coordinates(near)
        return flat.reshape(xy.shape)


def _project(geom, fwd):
    def f(xy):
        X, Y = fwd.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([X, Y]) / 1e3
    return shapely.transform(geom, f)


@functools.lru_cache(maxsize=256)
def _frame_cached(name, wkb, spacing_km):
    return AreaFrame(name, shapely.from_wkb(wkb), spacing_km)


def area_frame(name, geom, spacing_km=SPACING_KM) -> AreaFrame:
    return _frame_cached(str(name), shapely.to_wkb(geom), float(spacing_km))


def optimise(areas, targets, evaluate, *, sense="min", spacing_km=SPACING_KM, tol_km=TOL_KM,
             alternates=False):
    """For every area x target, the point of the area polygon that minimises (``sense='min'``)
    or maximises (``'max'``) ``evaluate(lat_deg, lon_deg, target_index) -> values`` (arrays of one
    shape; NaN = no flight, never chosen while any point has a value). ``evaluate`` may return
    (values, labels): with ``alternates=True`` the result is then (table, alternates), the second
    the best lattice point of each label (the Monte Carlo draws evaluate them too, in case a draw
    moves the optimum to another detection regime).

    Returns one row per area x target: area, target index ``_t``, lat_deg, lon_deg, value,
    lattice_value, bound_s (L * rho, see the module), rho_km, lipschitz."""
    sign = 1.0 if sense == "min" else -1.0
    nt = len(targets)

    labels_out = {}

    def f(lat, lon, ti, keep_labels=False):
        r = evaluate(lat, lon, ti)
        if isinstance(r, tuple):
            r, lab = r
            if keep_labels:
                labels_out["lattice"] = np.asarray(lab, object)
        v = sign * np.asarray(r, float)
        return np.where(np.isfinite(v), v, np.inf)

    rows = []
    frames = [area_frame(a["name"], a.geometry, spacing_km) for _, a in areas.iterrows()]
    # 1. lattice, all areas x targets in one call
    lat_all, lon_all, t_all, a_all = [], [], [], []
    for k, fr in enumerate(frames):
        la, lo = fr.to_latlon(fr.xy)
        n = la.size
        lat_all.append(np.repeat(la, nt))
        lon_all.append(np.repeat(lo, nt))
        t_all.append(np.tile(np.arange(nt), n))
        a_all.append(np.full(n * nt, k))
    lat_all, lon_all = np.concatenate(lat_all), np.concatenate(lon_all)
    t_all, a_all = np.concatenate(t_all), np.concatenate(a_all)
    v_all = f(lat_all, lon_all, t_all, keep_labels=True)
    lab_all = labels_out.get("lattice")
    alts = []
    # best lattice point per area x target, and the Lipschitz estimate from lattice neighbours
    from scipy.spatial import cKDTree

    start = np.zeros((len(frames), nt, 2))
    best = np.full((len(frames), nt), np.inf)
    lips = np.zeros((len(frames), nt))
    off = 0
    for k, fr in enumerate(frames):
        n = len(fr.xy)
        v = v_all[off:off + n * nt].reshape(n, nt)
        if lab_all is not None:  # the best lattice point of each regime (label), for every target
            lab = lab_all[off:off + n * nt].reshape(n, nt)
            la_k, lo_k = fr.to_latlon(fr.xy)
            for t in range(nt):
                ok = np.isfinite(v[:, t])
                for name in set(lab[ok, t]):
                    sel = np.where(ok & (lab[:, t] == name))[0]
                    j = sel[np.argmin(v[sel, t])]
                    alts.append(dict(area=fr.name, _t=t, label=name, lat_deg=float(la_k[j]),
                                           lon_deg=float(lo_k[j]), value=sign * float(v[j, t])))
        off += n * nt
        i = np.argmin(v, axis=0)
        start[k] = fr.xy[i]
        best[k] = v[i, np.arange(nt)]
        pairs = cKDTree(fr.xy).query_pairs(1.5 * fr.spacing_km, output_type="ndarray")
        if len(pairs):
            d = np.linalg.norm(fr.xy[pairs[:, 0]] - fr.xy[pairs[:, 1]], axis=1)[:, None]
            with np.errstate(invalid="ignore"):
                dv = np.abs(v[pairs[:, 0]] - v[pairs[:, 1]])
            slope = np.where(np.isfinite(dv), dv / np.maximum(d, 1e-9), 0.0)
            lips[k] = slope.max(axis=0)
    lattice_best = best.copy()
    # 2. pattern search from the best lattice point, all areas x targets at once
    step = 0.5 * spacing_km
    cur = start.copy()
    while step >= tol_km:
        # a second pass at the same step only where the first moved: elsewhere it would try the
        # same points again and find nothing better (the evaluation is deterministic)
        active = np.ones(best.shape, dtype=bool)
        for _ in range(2):
            if not active.any():
                break
            trial = cur[:, :, None, :] + step * _DIRS[None, None, :, :]
            lat_t, lon_t = [], []
            for k, fr in enumerate(frames):
                tk = fr.inside(trial[k])
                trial[k] = tk
                la, lo = fr.to_latlon(tk)
                lat_t.append(la.ravel())
                lon_t.append(lo.ravel())
            ti = np.broadcast_to(np.arange(nt)[None, :, None], trial.shape[:3]).ravel()
            sel = np.broadcast_to(active[:, :, None], trial.shape[:3]).ravel()
            v = np.full(sel.size, np.inf)
            v[sel] = f(np.concatenate(lat_t)[sel], np.concatenate(lon_t)[sel], ti[sel])
            v = v.reshape(trial.shape[:3])
            j = np.argmin(v, axis=2)
            vj = np.take_along_axis(v, j[:, :, None], 2)[:, :, 0]
            better = vj < best
            cur = np.where(better[:, :, None], np.take_along_axis(trial, j[:, :, None, None], 2)[:, :, 0, :], cur)
            best = np.where(better, vj, best)
            active = better
        step *= 0.5
    for k, fr in enumerate(frames):
        la, lo = fr.to_latlon(cur[k])
        for t in range(nt):
            ok = np.isfinite(best[k, t])
            rows.append(dict(area=fr.name, _t=t, lat_deg=float(la[t]) if ok else math.nan,
                             lon_deg=float(lo[t]) if ok else math.nan,
                             value=sign * best[k, t] if ok else math.nan,
                             lattice_value=sign * lattice_best[k, t] if ok else math.nan,
                             rho_km=fr.rho_km, lipschitz=lips[k, t],
                             bound_s=lips[k, t] * fr.rho_km if ok else math.nan))
    out = pd.DataFrame(rows)
    if alternates is True:
        return out, pd.DataFrame(alts, columns=["area", "_t", "label", "lat_deg", "lon_deg", "value"])
    return out


def polygon_distance_km(geom, lat_deg: float, lon_deg: float, boundary_km: float = 1.0):
    """(nearest, farthest) geodesic distance (km) from a target to an area polygon, and the two
    points (lat, lon): 0 for the nearest when the target is inside the polygon."""
    fwd, inv = _aeqd(lat_deg, lon_deg)
    poly = _project(geom, fwd)
    poly = shapely.segmentize(poly, boundary_km)
    origin = shapely.Point(0.0, 0.0)
    if poly.contains(origin):
        near_xy, dmin = (0.0, 0.0), 0.0
    else:
        p = shapely.ops.nearest_points(poly.boundary, origin)[0]
        near_xy, dmin = (p.x, p.y), float(p.distance(origin))
    xy = shapely.get_coordinates(poly.exterior)
    r = np.hypot(xy[:, 0], xy[:, 1])
    i = int(np.argmax(r))
    far_xy, dmax = xy[i], float(r[i])
    lon_n, lat_n = inv.transform(near_xy[0] * 1e3, near_xy[1] * 1e3)
    lon_f, lat_f = inv.transform(far_xy[0] * 1e3, far_xy[1] * 1e3)
    return dmin, dmax, (float(lat_n), float(lon_n)), (float(lat_f), float(lon_f))


def reach_table(areas, targets, missile, band: str = "nominal") -> pd.DataFrame:
    """Per area x target: the nearest and farthest polygon distance (km) and whether the class
    reaches the target from some point of the area (nearest <= maximum range and farthest >=
    minimum reach, both of the parameter band ``band``)."""
    from .missiles import get_missile

    m = get_missile(missile)
    rmax, rmin = m.value("max_range_km", band), m.reach_min_km(band)
    rows = []
    for _, a in areas.iterrows():
        for _, t in targets.iterrows():
            dmin, dmax, near, far = polygon_distance_km(a.geometry, float(t["lat_deg"]), float(t["lon_deg"]))
            rows.append(dict(area=a["name"], target=t["name"], nearest_km=dmin, farthest_km=dmax,
                             nearest_lat_deg=near[0], nearest_lon_deg=near[1],
                             in_reach=bool(dmin <= rmax and dmax >= rmin)))
    return pd.DataFrame(rows)
