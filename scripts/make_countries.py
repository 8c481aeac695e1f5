"""Convert Natural Earth 1:110m admin-0 countries into warning_time/data/countries.geojson.

Source: the ``naturalearth_lowres`` shapefile that pyogrio's wheel carries in
``pyogrio/tests/fixtures/`` (copied there from GeoPandas; Natural Earth, public domain).
Run once, offline: ``python scripts/make_countries.py``. It fixes Natural Earth's -99 ISO codes
(France, Norway, Kosovo), adds the NATO membership flag and accession year, and rounds
coordinates to 1e-4 deg (about 11 m, far below the 1:110m source's own accuracy).
"""
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

FIX_ISO = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX"}
# NATO members and accession years (nato.int, "NATO member countries", 2024)
NATO = {
    "BEL": 1949, "CAN": 1949, "DNK": 1949, "FRA": 1949, "ISL": 1949, "ITA": 1949, "LUX": 1949,
    "NLD": 1949, "NOR": 1949, "PRT": 1949, "GBR": 1949, "USA": 1949, "GRC": 1952, "TUR": 1952,
    "DEU": 1955, "ESP": 1982, "CZE": 1999, "HUN": 1999, "POL": 1999, "BGR": 2004, "EST": 2004,
    "LVA": 2004, "LTU": 2004, "ROU": 2004, "SVK": 2004, "SVN": 2004, "ALB": 2009, "HRV": 2009,
    "MNE": 2017, "MKD": 2020, "FIN": 2023, "SWE": 2024,
}


def main(out: Path = Path(__file__).resolve().parents[1] / "warning_time" / "data" / "countries.geojson"):
    src = Path(pyogrio.__file__).parent / "tests" / "fixtures" / "naturalearth_lowres" / "naturalearth_lowres.shp"
    g = gpd.read_file(src)
    g["iso_a3"] = [FIX_ISO.get(n, c) for n, c in zip(g["name"], g["iso_a3"])]
    g["nato_member"] = g["iso_a3"].isin(NATO.keys())
    g["nato_joined"] = g["iso_a3"].map(NATO).fillna(0).astype(int)
    g["pop_est"] = g["pop_est"].astype("int64")
    g["geometry"] = shapely.set_precision(g.geometry.values, 1e-4)
    g = g[["name", "iso_a3", "continent", "pop_est", "nato_member", "nato_joined", "geometry"]]
    missing = set(NATO) - set(g["iso_a3"])
    if missing:
        raise SystemExit(f"NATO members missing from the source: {sorted(missing)}")
    g.to_file(out, driver="GeoJSON", COORDINATE_PRECISION=4)
    print(f"wrote {out} ({out.stat().st_size / 1e3:.0f} kB, {len(g)} countries, "
          f"{int(g['nato_member'].sum())} NATO members)")


if __name__ == "__main__":
    main()
