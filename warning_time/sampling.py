"""Launch areas -> launch points: points inside the area polygons for the warning and
compression analyses."""
from __future__ import annotations

import numpy as np
import pandas as pd


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
        minx, miny, maxx, maxy = geom.bounds
        tries = 0
        while len(pts) < n_per_area and tries < 100 * n_per_area:
            tries += 1
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if geom.contains(shapely.Point(x, y)):
                pts.append((y, x))
        rows += [dict(area=a["name"], lat_deg=la, lon_deg=lo) for la, lo in pts]
    return pd.DataFrame(rows)
