"""The analyses behind the claim-check report: each takes a loaded scenario and returns one
table (a DataFrame). The report (:mod:`warning_time.report`) only renders them."""
from __future__ import annotations

import math
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .compression import best_warning, compression_uncertainty
from .constants import WGS84_F
from .core.sensors_los import track as _track_fast
from .errors import InputError
from .flight import flight_time, model_flight_time
from .missiles import get_missile
from .model import FlightModel
from .places import load_countries, load_launch_areas, load_targets
from .sampling import area_points
from .scenario import scenario_missile
from .sensors import sensor_set

from pyproj import Geod as _Geod  # noqa: E402

Geod_WGS84 = _Geod(ellps="WGS84")


def scenario_areas(names, sc=None):
    """The areas with these names: the scenario's (shipped, inline or from a file) when ``sc``
    is given, else the shipped ones."""
    a = sc["areas"] if sc is not None and "areas" in sc else load_launch_areas()
    return a[a["name"].isin(names)].reset_index(drop=True)


def scenario_targets(kinds=("capital",), countries=None, sc=None):
    """The targets of these kinds (and countries, ISO3): the scenario's target table when
    ``sc`` is given, else the shipped one."""
    t = sc["target_table"] if sc is not None and "target_table" in sc else load_targets()
    t = t[t["kind"].isin(kinds)]
    if countries is not None:
        t = t[t["country_iso3"].isin(countries)]
    return t.reset_index(drop=True)


def model_line(sc, run) -> str:
    """One line naming the class, its trajectory and main parameters and the scenario's
    Earth model and sensors (the caption of every table that uses the class)."""
    from .model import boost_tables

    m = get_missile(sc[run]["missile"])
    kp = m.kernel_params()
    entry = boost_tables().get(m.key) if m.kind == "ballistic" else None
    if entry is not None:
        _, _, rows = entry["minimum-energy"]
        boost = (f"range-dependent boost from flyouts of vehicle '{entry['vehicle']}' (least burn: "
                 f"{rows[0, 0]:.0f}-{rows[0, -1]:.0f} s, burnout at {rows[1, 0] / 1e3:.0f}-{rows[1, -1] / 1e3:.0f} km; "
                 f"full burn {kp['t_boost']:.0f} s)")
    else:
        boost = (f"burn {kp['t_boost']:.0f} s, burnout at {kp['h_bo'] / 1e3:.0f} km altitude / "
                 f"{kp['d_bo'] / 1e3:.0f} km downrange")
    return (f"Model: missile class '{m.key}' ({m.label}), trajectory '{sc[run].get('trajectory', 'minimum-energy')}', "
            f"{boost}, ballistic coefficient {kp['beta']:.0f} kg/m^2, maximum range {m.max_range_km:.0f} km; "
            f"Earth {sc['scenario']['earth']}, rotation {sc['scenario']['rotation']}; sensors "
            f"{', '.join(sc['scenario']['sensors'])}. Sources: warning_time data/SOURCES.md.")


def claim_compression(sc, run="irbm", baselines_key="baseline_areas", targets=None):
    s = sc["scenario"]
    u = sc["uncertainty"]
    t = targets if targets is not None else scenario_targets(("capital",), sc=sc)
    return compression_uncertainty(
        t, scenario_areas(s["launch_areas"], sc), scenario_areas(s[baselines_key], sc), missile=sc[run]["missile"],
        trajectory=sc[run].get("trajectory", "minimum-energy"), draws=u["draws"], points_per_area=u["points_per_area"],
        seed=u["seed"], sensor_names=s["sensors"], decision_delay_band=s["decision_delay_band"],
        earth=s["earth"], rotation=s["rotation"])


def newly_in_reach(sc, run="srbm"):
    """Targets in the pressure countries that the class reaches from a Belarus area point but
    from no baseline point (nominal parameters, points_per_area points per area)."""
    s = sc["scenario"]
    u = sc["uncertainty"]
    t = scenario_targets(("capital", "city", "military"), s["pressure_countries"], sc)
    lp = area_points(scenario_areas(s["launch_areas"], sc), u["points_per_area"], seed=u["seed"])
    bp = area_points(scenario_areas(s["baseline_areas"], sc), u["points_per_area"], seed=u["seed"])
    opts = dict(missile=sc[run]["missile"], trajectory=sc[run].get("trajectory", "minimum-energy"),
                earth=s["earth"], rotation=s["rotation"], sensors=sensor_set(names=s["sensors"]),
                decision_delay_s=s["decision_delay_band"][1], by="flight_time_s")
    a, b = best_warning(lp, t, **opts), best_warning(bp, t, **opts)
    out = pd.DataFrame({
        "target": t["name"], "country": t["country_iso3"], "kind": t["kind"],
        "from_belarus_area": a["area"], "flight_time_min": a["flight_time_s"] / 60,
        "warning_min": a["warning_time_s"] / 60, "detected_by": a["detected_by"],
        "from_baseline_area": b["area"], "baseline_flight_time_min": b["flight_time_s"] / 60,
    })
    out["newly_in_reach"] = np.isfinite(out["flight_time_min"]) & ~np.isfinite(out["baseline_flight_time_min"])
    return out


def aegis_geometry(sc, run="irbm", site_names=None):
    """Closest approach of the ground track of flights from each Belarus area (its representative
    point) to each NATO capital, to each Aegis Ashore site, and the altitude there."""
    from pyproj import Geod

    s = sc["scenario"]
    model = FlightModel.resolve(sc[run]["missile"], trajectory=sc[run].get("trajectory", "minimum-energy"),
                                earth=s["earth"], rotation=s["rotation"])
    tg = scenario_targets(("capital", "city", "military"), sc=sc)
    sites = tg[tg["name"].isin(site_names or s["aegis_sites"])]
    caps = scenario_targets(("capital",), sc=sc)
    areas = scenario_areas(s["launch_areas"], sc)
    geod = Geod(ellps="WGS84")
    rows = []
    for _, ar in areas.iterrows():
        rp = ar.geometry.representative_point()
        for _, c in caps.iterrows():
            st, ts, xs, ys, zs, hs = _track_fast(math.radians(rp.y), math.radians(rp.x), math.radians(c["lat_deg"]),
                                                 math.radians(c["lon_deg"]), model.params, model.table, 400)
            if st != 0:
                continue
            lon = np.degrees(np.arctan2(ys, xs))
            lat = np.degrees(np.arctan2(zs, np.hypot(xs, ys) * (1 - WGS84_F) ** 2))  # geodetic from geocentric
            for _, site in sites.iterrows():
                d = geod.inv(np.full(lon.size, site["lon_deg"]), np.full(lat.size, site["lat_deg"]), lon, lat)[2]
                k = int(np.argmin(d))
                rows.append(dict(launch_area=ar["name"], target=c["name"], site=site["name"],
                                 closest_approach_km=d[k] / 1e3, altitude_there_km=hs[k] / 1e3,
                                 time_there_s=ts[k], flight_time_s=ts[-1]))
    return pd.DataFrame(rows)


def lattice_points(areas, spacing_km: float = 25.0) -> pd.DataFrame:
    """Deterministic launch points of each area (its lattice and boundary at ``spacing_km``,
    :mod:`warning_time.best_point`): for surfaces, where the per-area optimum is too costly."""
    from .best_point import area_frame

    rows = []
    for _, a in areas.iterrows():
        fr = area_frame(a["name"], a.geometry, spacing_km)
        la, lo = fr.to_latlon(fr.xy)
        rows.append(pd.DataFrame({"area": a["name"], "lat_deg": la, "lon_deg": lo}))
    return pd.concat(rows, ignore_index=True)


def exposure_table(sc, run="irbm", res_deg=0.5):
    """Per NATO country: area and population where basing in Belarus costs 1-2 min and more
    than 2 min of warning (compression surface of the scenario's IRBM class)."""
    from .geometry import compression_surface, contour_bands, exposure

    s = sc["scenario"]
    lp = lattice_points(scenario_areas(s["launch_areas"], sc))
    bp = lattice_points(scenario_areas(s["baseline_areas"], sc))
    c = compression_surface(lp["lat_deg"], lp["lon_deg"], bp["lat_deg"], bp["lon_deg"], missile=sc[run]["missile"],
                            trajectory=sc[run].get("trajectory", "minimum-energy"), region=(-25.0, 34.0, 45.0, 72.0),
                            res_deg=res_deg, earth=s["earth"], rotation=s["rotation"], sensor_names=s["sensors"])
    bands = contour_bands(c, [60.0, 120.0, 1e5], value_name="compression_s")
    bands = bands[bands["compression_s"] > 60.0]
    if not len(bands):
        return pd.DataFrame()
    ex = exposure(bands, load_countries(), scenario_targets(("capital", "city", "military"), sc=sc),
                  level_col="compression_s")
    if not len(ex):
        return pd.DataFrame()
    ex["warning lost"] = np.where(ex["compression_s"] > 120.0, "more than 2 min", "1-2 min")
    out = ex.groupby(["country", "warning lost"], as_index=False).agg(
        area_km2=("area_km2", "sum"), area_share=("area_share", "sum"), population_est=("population_est", "sum"))
    # estimates, not counts: whole km^2, shares in percent to 0.1, population to the thousand
    out["area_km2"] = out["area_km2"].round(0)
    out["area_share"] = (100.0 * out["area_share"]).round(1)
    out = out.rename(columns={"area_share": "area_share_pct"})
    out["population_est"] = (out["population_est"] / 1e3).round(0) * 1e3
    return out.sort_values(["warning lost", "population_est"], ascending=[True, False]).reset_index(drop=True)


def _time_at_speed(m, lat1, lon1, lat2, lon2, v, s):
    """Flight time (s) and apogee (km) of the class at burnout speed v on the low (depressed)
    branch, ignoring the class's own speed limit (to find what a claim would require)."""
    model = FlightModel.resolve(m, earth=s["earth"], rotation=s["rotation"]).at_burnout_speed(float(v))
    r = model_flight_time(model, lat1, lon1, lat2, lon2, on_invalid="nan")
    return float(r.flight_time_s), float(r.apogee_km)


#: the verdict categories of the published claims, in the order they are tested
CLAIM_ORDER = ("physically impossible", "class not modelled", "impossible for the class",
               "implausible for the class", "not reproduced by the class model", "needs a depressed trajectory",
               "consistent")


def load_claims(path=None) -> list:
    """The published claims (data/claims.toml or a file of the same schema)."""
    text = (resources.files("warning_time").joinpath("data/claims.toml").read_text("utf-8") if path is None
            else Path(path).read_text("utf-8"))
    return tomllib.loads(text)["claim"]


def claim_places(sc, claim):
    """(origin name, lat, lon), (target name, lat, lon) of a claim. An origin that is an area (or
    'Belarus': the nearest of the scenario's Belarus areas) is the area's nearest point to the
    target (the claim's most favourable point; polygon geometry, best_point.polygon_distance_km)."""
    from .best_point import polygon_distance_km

    areas = load_launch_areas()  # the claims name shipped places
    tg = load_targets().set_index("name")
    belarus = scenario_areas(sc["scenario"]["launch_areas"], sc)

    def point(spec):
        if isinstance(spec, dict):
            return spec["name"], float(spec["lat_deg"]), float(spec["lon_deg"])
        if spec in tg.index:
            return spec, float(tg.loc[spec, "lat_deg"]), float(tg.loc[spec, "lon_deg"])
        raise InputError("claims", message=f"claims: unknown place {spec!r}")

    tname, tlat, tlon = point(claim["target"])
    spec = claim["origin"]
    if spec == "Belarus" or (isinstance(spec, str) and spec in set(areas["name"])):
        cand = belarus if spec == "Belarus" else areas[areas["name"] == spec]
        best = None
        for _, a in cand.iterrows():
            dmin, _, near, _ = polygon_distance_km(a.geometry, tlat, tlon)
            if best is None or dmin < best[0]:
                best = (dmin, a["name"], near)
        name = f"Belarus ({best[1]})" if spec == "Belarus" else spec
        return (name, best[2][0], best[2][1]), (tname, tlat, tlon)
    return point(spec), (tname, tlat, tlon)


def published_claims(sc, path=None):
    """Test each published flight-time claim against the class it names; verdicts in the order
    :data:`CLAIM_ORDER` (the first that holds)."""
    s = sc["scenario"]
    rows = []
    ideal = get_missile("ideal")
    for c in load_claims(path):
        (oname, olat, olon), (tname, tlat, tlon) = claim_places(sc, c)
        claimed = float(c["claimed_time_s"])
        key = str(c.get("missile", "") or "")
        named = str(c.get("named_class", "") or key)
        derive = str(c.get("used_to_derive", "") or "")
        g = Geod_WGS84.inv(olon, olat, tlon, tlat)[2] / 1e3
        i_fast = g * 1e3 / 7800.0  # nothing sub-orbital covers the ground faster
        i_me = float(flight_time(olat, olon, tlat, tlon, missile=ideal, earth=s["earth"],
                                 rotation=s["rotation"]).flight_time_s)
        row = dict(claim=c["text"], tag=c.get("tag", ""), named_class=named, missile=key or "", origin=oname,
                   origin_lat_deg=olat, origin_lon_deg=olon, target=tname, ground_range_km=g, claimed_min=claimed / 60, model_min_energy_min=math.nan,
                   model_depressed_min=math.nan, model_lofted_min=math.nan, ideal_min_energy_min=i_me / 60,
                   ideal_fastest_min=i_fast / 60, needed_burnout_speed_km_s=math.nan, used_to_derive=derive)
        if claimed < i_fast:
            verdict = (f"physically impossible: covering {g:.0f} km at 7.8 km/s (orbital speed) already takes "
                       f"{i_fast:.0f} s")
            m = scenario_missile(sc, key) if key else None
        elif not key:
            verdict = (f"class not modelled: the catalog has no class for {named}; physically, an ideal missile "
                       f"would need {i_me:.0f} s on a minimum-energy arc and {i_fast:.0f} s at 7.8 km/s")
            m = None
        else:
            m = scenario_missile(sc, key)
            verdict = None
        if m is not None:
            traj = c.get("trajectory", "minimum-energy")
            kw = dict(missile=m, earth=s["earth"], rotation=s["rotation"], on_invalid="nan")
            me = flight_time(olat, olon, tlat, tlon, trajectory=traj, **kw)
            fast = flight_time(olat, olon, tlat, tlon, trajectory="depressed", **kw) if m.kind == "ballistic" else me
            loft = flight_time(olat, olon, tlat, tlon, trajectory="lofted", **kw) if m.kind == "ballistic" else me
            t_me = float(me.flight_time_s)
            t_dep = float(fast.flight_time_s)
            row.update(model_min_energy_min=t_me / 60, model_depressed_min=float(fast.flight_time_s) / 60,
                       model_lofted_min=float(loft.flight_time_s) / 60)
        if verdict is None:
            boost = m.value("burn_time_s")
            boost_lo, boost_hi = m.params["burn_time_s"].low, m.params["burn_time_s"].high
            vmax = float(me.meta["burnout_speed_limit_m_s"])
            quasi_table = m.default_trajectory == "quasi-ballistic" and traj in ("quasi-ballistic", "default")
            need_v = need_apo = math.nan
            if math.isfinite(t_me) and boost < claimed < t_me and not quasi_table:
                need_v, need_apo = _needed_speed(m, olat, olon, tlat, tlon, claimed, float(me.burnout_speed_m_s), s)
            row["needed_burnout_speed_km_s"] = need_v / 1e3
            if claimed <= boost_lo:
                verdict = (f"impossible for the class: its boost alone takes at least {boost_lo:.0f} s "
                           f"(band {boost_lo:.0f}-{boost_hi:.0f} s, nominal {boost:.0f} s)")
            elif not math.isfinite(t_me):
                verdict = (f"impossible for the class: the target is outside its reach "
                           f"({str(me.reason).split(':')[0]}, {g:.0f} km)")
            elif claimed <= boost:
                verdict = (f"implausible for the class: shorter than its nominal boost ({boost:.0f} s); only the "
                           f"shortest boost of its band ({boost_lo:.0f} s) leaves any time for the flight")
            elif quasi_table and claimed < t_me:
                verdict = (f"not reproduced by the class model: its calibrated lifting flight (a flyout of the "
                           f"notional vehicle) takes {t_me / 60:.1f} min; the class has no faster profile")
            elif claimed >= t_me:
                verdict = ("consistent: a minimum-energy flight is faster, so the claim implies a lofted or slower "
                           "arc")
            elif claimed >= t_dep and math.isfinite(need_v) and need_v <= vmax * (1 + 1e-6):
                verdict = (f"needs a depressed trajectory: {need_v / 1e3:.2f} km/s at burnout (apogee "
                           f"{need_apo:.0f} km), within the class's {vmax / 1e3:.2f} km/s")
            elif math.isfinite(t_dep) and claimed < t_dep:
                verdict = (f"impossible for the class: faster than its fastest flight, the depressed preset "
                           f"({t_dep / 60:.1f} min: full burnout speed {vmax / 1e3:.2f} km/s, burnout not below the "
                           "horizontal)" + (f"; on the low branch it would need {need_v / 1e3:.2f} km/s (apogee "
                                            f"{need_apo:.0f} km)" if math.isfinite(need_v) else ""))
            elif math.isfinite(need_v):
                verdict = (f"impossible for the class: needs {need_v / 1e3:.2f} km/s at burnout (apogee "
                           f"{need_apo:.0f} km), more than the class's {vmax / 1e3:.2f} km/s")
            else:
                verdict = ("impossible for the class: no sub-orbital ballistic trajectory with its boost is that "
                           "fast")
        if derive:
            verdict += f" (circular: this claim was used to derive {derive})"
        row["verdict"] = verdict
        row["source"] = c.get("source", "")
        rows.append(row)
    return pd.DataFrame(rows)


def _needed_speed(m, olat, olon, tlat, tlon, claimed, v_me, s):
    """Burnout speed (m/s) on the low branch, and its apogee (km), at which the class's flight
    takes ``claimed`` s (bisection between the minimum-energy speed and 7.8 km/s); NaN if even
    7.8 km/s is slower."""
    lo, hi = v_me, 7800.0
    t_hi, _ = _time_at_speed(m, olat, olon, tlat, tlon, hi, s)
    if not (math.isfinite(t_hi) and t_hi <= claimed):
        return math.nan, math.nan
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        t_mid, _ = _time_at_speed(m, olat, olon, tlat, tlon, mid, s)
        if math.isfinite(t_mid) and t_mid > claimed:
            lo = mid
        else:
            hi = mid
    return hi, _time_at_speed(m, olat, olon, tlat, tlon, hi, s)[1]
