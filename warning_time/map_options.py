"""Options of warning_time.maps, checked without importing the map libraries (the CLI refuses a bad
option in well under a second, before anything is computed)."""
from __future__ import annotations

from .errors import InputError

#: the layers a map can draw, in the order of the layer control (``layers=`` takes a subset)
LAYER_KEYS = ("countries", "isochrones", "compression", "rings", "newly", "areas", "radars", "tracks",
              "footprints", "targets")
DEFAULT_LEVELS_MIN = (6.0, 8.0, 10.0, 12.0, 15.0)


def parse_layers(layers):
    """A subset of LAYER_KEYS from a list or a comma-separated string (InputError otherwise)."""
    if layers is None:
        return list(LAYER_KEYS)
    items = [x.strip() for x in (layers.split(",") if isinstance(layers, str) else layers) if x.strip()]
    bad = [x for x in items if x not in LAYER_KEYS]
    if bad or not items:
        raise InputError("layers", message=f"--layers: {', '.join(map(repr, bad)) or 'nothing given'}: "
                                           f"choose from {', '.join(LAYER_KEYS)}")
    return items


def parse_extent(extent):
    """(lon_min, lat_min, lon_max, lat_max) from a tuple or 'W,S,E,N' (InputError otherwise)."""
    if extent is None:
        return None
    try:
        v = [float(x) for x in (extent.split(",") if isinstance(extent, str) else extent)]
    except (TypeError, ValueError):
        raise InputError("extent", message=f"--extent {extent!r} must be W,S,E,N in degrees, e.g. -12,36,42,66") \
            from None
    if len(v) != 4 or not (-180 <= v[0] < v[2] <= 180 and -85 <= v[1] < v[3] <= 85):
        raise InputError("extent", message=f"--extent {extent!r} must be W,S,E,N with -180<=W<E<=180, "
                                           "-85<=S<N<=85")
    return tuple(v)


def parse_levels(levels):
    v = sorted(float(x) for x in levels)
    if not v or v[0] <= 0 or v[-1] > 120 or len(set(v)) != len(v):
        raise InputError("levels_min", message=f"--levels-min {levels!r}: distinct minutes in (0, 120]")
    return v
