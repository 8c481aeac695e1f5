"""Build warning_time/data/launch_areas.geojson: NOTIONAL launch areas.

Each area is a geodesic circle (WGS84, pyproj.Geod) of the given radius around a publicly
reported garrison, airfield or range; it marks a plausible deployment region, not a site.
Run once: ``python scripts/make_launch_areas.py``; the test suite checks every area against
the country outlines.
"""
import json
from pathlib import Path

import numpy as np
from pyproj import Geod

AREAS = [
    # name, country, role, lat, lon, radius_km, basis
    ("Asipovichy", "BLR", "launch", 53.30, 28.64, 30,
     "Garrison of Belarus's 465th missile brigade (Iskander) at Asipovichy, Mahilyow region (press reports 2022-2024)"),
    ("Krychaw", "BLR", "launch", 53.65, 31.45, 20,
     "Former Krichev-6 airfield near Krychaw (53.70N 31.71E), assessed '90 per cent' likely Oreshnik site (J. Lewis, D. Eveleth via Reuters, 26 Dec 2025); centre moved 18 km west so the circle stays inside the 1:110m Belarus outline"),
    ("Baranavichy", "BLR", "launch", 53.13, 26.01, 30,
     "Air-base town in western Belarus; plausible dispersal region (notional, no reported missile unit)"),
    ("Lida-Hrodna", "BLR", "launch", 53.89, 25.30, 25,
     "Lida air base and the Hrodna region closest to Poland and Lithuania (notional)"),
    ("Mazyr-Homel", "BLR", "launch", 52.05, 29.25, 30,
     "Southern Belarus (Mazyr, Homel region); plausible dispersal region (notional)"),
    ("Brest-Kobryn", "BLR", "launch", 52.21, 24.36, 20,
     "Brest region, the closest Belarusian territory to Germany (notional)"),
    ("Slutsk-Pavlovka", "BLR", "launch", 53.03, 27.55, 20,
     "Former Soviet base near Slutsk mentioned in speculation about Oreshnik basing (fronda.pl; Daily Express); denied by Lukashenko"),
    ("Kaliningrad", "RUS", "baseline", 54.63, 21.81, 25,
     "Chernyakhovsk, garrison of Russia's 152nd missile brigade (Iskander), Kaliningrad oblast"),
    ("Luga-Pskov", "RUS", "baseline", 58.40, 29.30, 60,
     "Luga (26th missile brigade, Iskander) and the Leningrad/Pskov region"),
    ("Bryansk-Smolensk", "RUS", "baseline", 53.60, 33.50, 50,
     "Russian Bryansk/Smolensk border region east of Belarus (notional baseline)"),
    ("Kapustin Yar", "RUS", "baseline", 48.58, 45.72, 30,
     "Test range from which Oreshnik was fired at Dnipro (HUR via Reuters, 21 Nov 2024) and Lviv (Jan 2026)"),
    ("Teykovo", "RUS", "baseline", 56.85, 40.54, 40,
     "Central-Russia strategic missile base region (54th Guards Missile Division, Teykovo, Ivanovo oblast)"),
]

#: classes with a publicly reported unit or site in the area (the "reported sites" launch set of
#: the report; every other area is a notional dispersal region)
REPORTED_FOR = {
    "Asipovichy": "iskander-m",  # 465th missile brigade (Iskander), press reports 2022-2024
    "Krychaw": "oreshnik",  # Krichev-6, assessed likely Oreshnik site (Lewis, Eveleth via Reuters, 26 Dec 2025)
}


def circle(geod, lat, lon, radius_m, n=72):
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    lons, lats, _ = geod.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_m))
    ring = [[round(float(x), 5), round(float(y), 5)] for x, y in zip(lons, lats)]
    ring = ring[::-1]  # counter-clockwise exterior (RFC 7946)
    ring.append(ring[0])
    return ring


def main(out=Path(__file__).resolve().parents[1] / "warning_time" / "data" / "launch_areas.geojson"):
    geod = Geod(ellps="WGS84")
    feats = []
    for name, iso, role, lat, lon, r_km, basis in AREAS:
        feats.append({"type": "Feature", "properties": {
            "name": name, "country_iso3": iso, "role": role, "notional": True,
            "center_lat_deg": lat, "center_lon_deg": lon, "radius_km": r_km, "reported_for": REPORTED_FOR.get(name, ""), "basis": basis},
            "geometry": {"type": "Polygon", "coordinates": [circle(geod, lat, lon, r_km * 1e3)]}})
    out.write_text(json.dumps({"type": "FeatureCollection", "name": "launch_areas", "features": feats}, indent=1))
    print(f"wrote {out} ({len(feats)} areas)")


if __name__ == "__main__":
    main()
