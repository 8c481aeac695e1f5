"""Launch areas -> launch points: points inside the area polygons for the warning and
compression analyses."""
from __future__ import annotations

import numpy as np
import pandas as pd


def _across_antimeridian(geom):
    """The geometry itself, or for a MultiPolygon touching both 180 W and 180 E, the same with
    its parts west of 0 deg moved by +360 deg of longitude (one piece across 180)."""
    import shapely
    import shapely.affinity

    minx, _, maxx, _ = geom.bounds
    if geom.geom_type != "MultiPolygon" or not (minx <= -179.999 and maxx >= 179.999):
        return geom
    parts = [shapely.affinity.translate(g, xoff=360.0) if g.bounds[0] < 0.0 else g for g in geom.geoms]
    return shapely.unary_union(parts)


def area_points(areas, n_per_area: int = 12, seed: int = 0) -> pd.DataFrame:
    """Launch points inside each area polygon: its representative point plus uniform random
    points (rejection sampling, seeded). Columns: area, lat_deg, lon_deg.

    Each area draws from its own stream, seeded by ``seed`` and the area's name, so an area gets
    the same points whichever other areas are listed with it (a baseline set and its subset then
    agree on their common areas)."""
    import zlib

    import shapely

    rows = []
    for _, a in areas.iterrows():
        rng = np.random.default_rng([int(seed), zlib.crc32(str(a["name"]).encode("utf-8"))])
        geom = a.geometry
        p = geom.representative_point()
        pts = [(p.y, p.x)]
        # an area split at the antimeridian (places.split_antimeridian) is sampled with its
        # western parts moved one turn east, so the box drawn from is the area's, not the globe's
        frame = _across_antimeridian(geom)
        minx, miny, maxx, maxy = frame.bounds
        tries = 0
        while len(pts) < n_per_area and tries < 100 * n_per_area:
            tries += 1
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if frame.contains(shapely.Point(x, y)):
                pts.append((y, x - 360.0 if x > 180.0 else x))
        rows += [dict(area=a["name"], lat_deg=la, lon_deg=lo) for la, lo in pts]
    return pd.DataFrame(rows)
