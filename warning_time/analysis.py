"""The analyses behind the claim-check report: each takes a loaded scenario and returns one
table (a DataFrame). The report (:mod:`warning_time.report`) only renders them."""
from __future__ import annotations

import math
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .compression import best_warning, compression_uncertainty, draw_points
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


def fastest_threat(sc, targets=None):
    """Per target, the fastest threat from the Belarus areas over the classes the scenario
    deploys (its SRBM and IRBM classes): for each class the launch point that leaves the least
    warning (the attacker's best point, on the same nominal points as the capitals table), and
    over the classes the one that leaves the least warning (ties: the shorter flight). Columns:
    the class, its trajectory, the area, flight and warning time, and each class's own flight
    and warning time. Minimum ranges are physics, not treaty categories, so each class covers
    what it can reach. A negative warning means the alert comes after the impact."""
    s = sc["scenario"]
    u = sc["uncertainty"]
    t = targets if targets is not None else scenario_targets(("capital",), sc=sc)
    lp = draw_points(scenario_areas(s["launch_areas"], sc), u["points_per_area"], u["seed"])
    sens = sensor_set(names=s["sensors"])
    runs = [r for r in ("srbm", "irbm") if r in sc]
    per = {r: best_warning(lp, t, missile=sc[r]["missile"], trajectory=sc[r].get("trajectory", "minimum-energy"),
                           earth=s["earth"], rotation=s["rotation"], sensors=sens,
                           decision_delay_s=s["decision_delay_band"][1]) for r in runs}
    warn = np.column_stack([per[r]["warning_time_s"].to_numpy(float) for r in runs])
    flight = np.column_stack([per[r]["flight_time_s"].to_numpy(float) for r in runs])
    key = np.where(np.isfinite(warn), warn, np.inf) + 1e-9 * np.where(np.isfinite(flight), flight, 0.0)
    reach = np.isfinite(warn).any(axis=1)
    k = np.argmin(key, axis=1)
    pick = lambda col: np.array([per[runs[j]][col].iloc[i] for i, j in enumerate(k)], dtype=object)  # noqa: E731
    out = pd.DataFrame({
        "target": t["name"].to_numpy(), "country": t["country_iso3"].to_numpy(),
        "fastest_class": np.where(reach, [sc[runs[j]]["missile"] for j in k], ""),
        "trajectory": np.where(reach, pick("trajectory"), ""),
        "from_belarus_area": np.where(reach, pick("area"), ""),
        "flight_time_min": np.where(reach, pick("flight_time_s").astype(float) / 60, np.nan),
        "warning_min": np.where(reach, pick("warning_time_s").astype(float) / 60, np.nan),
    })
    for r in runs:
        out[f"{sc[r]['missile']}_flight_time_min"] = per[r]["flight_time_s"].to_numpy(float) / 60
        out[f"{sc[r]['missile']}_warning_min"] = per[r]["warning_time_s"].to_numpy(float) / 60
    return out


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


def exposure_table(sc, run="irbm", res_deg=0.5):
    """Per NATO country: area and population where basing in Belarus costs 1-2 min and more
    than 2 min of warning (compression surface of the scenario's IRBM class)."""
    from .geometry import compression_surface, contour_bands, exposure

    s = sc["scenario"]
    u = sc["uncertainty"]
    lp = area_points(scenario_areas(s["launch_areas"], sc), u["points_per_area"], seed=u["seed"])
    bp = area_points(scenario_areas(s["baseline_areas"], sc), u["points_per_area"], seed=u["seed"])
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


def published_claims(sc, path=None):
    """Test each published flight-time claim against the model; say which trajectory it needs."""
    s = sc["scenario"]
    text = (resources.files("warning_time").joinpath("data/claims.toml").read_text("utf-8") if path is None
            else Path(path).read_text("utf-8"))
    claims = tomllib.loads(text)["claim"]
    areas = load_launch_areas()  # the claims name shipped places
    tg = load_targets().set_index("name")
    belarus = scenario_areas(s["launch_areas"], sc)

    def place(spec, target_latlon=None):
        if isinstance(spec, dict):
            return spec["name"], float(spec["lat_deg"]), float(spec["lon_deg"])
        if spec == "Belarus":  # the Belarus area point closest to the target
            pts = [(r["name"], r.geometry.representative_point()) for _, r in belarus.iterrows()]
            from pyproj import Geod

            g = Geod(ellps="WGS84")
            d = [g.inv(p.x, p.y, target_latlon[1], target_latlon[0])[2] for _, p in pts]
            n, p = pts[int(np.argmin(d))]
            return f"Belarus ({n})", p.y, p.x
        if spec in set(areas["name"]):
            p = areas[areas["name"] == spec].geometry.iloc[0].representative_point()
            return spec, p.y, p.x
        if spec in tg.index:
            return spec, float(tg.loc[spec, "lat_deg"]), float(tg.loc[spec, "lon_deg"])
        raise InputError("claims", message=f"claims: unknown place {spec!r}")

    rows = []
    ideal = get_missile("ideal")
    for c in claims:
        tname, tlat, tlon = place(c["target"])
        oname, olat, olon = place(c["origin"], (tlat, tlon))
        m = scenario_missile(sc, c["missile"])
        traj = c.get("trajectory", "minimum-energy")
        kw = dict(missile=m, earth=s["earth"], rotation=s["rotation"])
        me = flight_time(olat, olon, tlat, tlon, trajectory=traj, **kw)
        fast = flight_time(olat, olon, tlat, tlon, trajectory="depressed", **kw)
        loft = flight_time(olat, olon, tlat, tlon, trajectory="lofted", **kw)
        claimed = float(c["claimed_time_s"])
        boost = m.value("burn_time_s")
        t_me = float(me.flight_time_s)
        vmax = float(me.meta["burnout_speed_limit_m_s"])
        # physics bounds with the ideal missile (no boost, no drag): minimum energy, and the
        # fastest sub-orbital flight (7.8 km/s, low branch)
        i_me = float(flight_time(olat, olon, tlat, tlon, missile=ideal, earth=s["earth"], rotation=s["rotation"]).flight_time_s)
        i_fast = float(me.ground_range_km) * 1e3 / 7800.0  # nothing sub-orbital covers the ground faster
        # what burnout speed (low branch) would the claimed time need with this class's boost?
        need_v = need_apo = math.nan
        if math.isfinite(t_me) and boost < claimed < t_me:
            lo = float(me.burnout_speed_m_s)
            hi = 7800.0
            t_hi, _ = _time_at_speed(m, olat, olon, tlat, tlon, hi, s)
            if math.isfinite(t_hi) and t_hi <= claimed:
                for _ in range(50):
                    mid = 0.5 * (lo + hi)
                    t_mid, _ = _time_at_speed(m, olat, olon, tlat, tlon, mid, s)
                    if math.isfinite(t_mid) and t_mid > claimed:
                        lo = mid
                    else:
                        hi = mid
                need_v = hi
                need_apo = _time_at_speed(m, olat, olon, tlat, tlon, hi, s)[1]
        boost_lo = m.params["burn_time_s"].low
        quasi_table = m.default_trajectory == "quasi-ballistic" and traj in ("quasi-ballistic", "default")
        if claimed < i_fast:
            verdict = (f"physically impossible: covering {float(me.ground_range_km):.0f} km at 7.8 km/s (orbital "
                       f"speed) already takes {i_fast:.0f} s")
        elif claimed <= boost_lo:
            verdict = (f"impossible for this class: its boost alone takes at least {boost_lo:.0f} s "
                       f"(band {boost_lo:.0f}-{m.params['burn_time_s'].high:.0f} s, nominal {boost:.0f} s)")
        elif claimed <= boost:
            verdict = (f"implausible for this class: shorter than its nominal boost ({boost:.0f} s); only the "
                       f"shortest boost of its band ({boost_lo:.0f} s) leaves any time for the flight")
        elif quasi_table and math.isfinite(t_me) and claimed < t_me:
            verdict = (f"not reproduced by the class model: its calibrated lifting flight (a flyout of the "
                       f"notional vehicle) takes {t_me / 60:.1f} min; the class has no faster profile")
        elif not math.isfinite(t_me):
            verdict = (f"outside the class's reach ({str(me.reason).split(':')[0]}); an ideal missile would need "
                       f"{i_me:.0f} s on a minimum-energy arc, so the claim requires a "
                       + ("depressed trajectory" if claimed < i_me else "slower than minimum-energy (lofted) arc"))
        elif claimed >= t_me:
            verdict = "consistent: a minimum-energy flight is faster, so the claim implies a lofted or slower arc"
        elif math.isfinite(need_v) and need_v <= vmax * (1 + 1e-6):
            verdict = (f"possible only on a depressed trajectory: {need_v / 1e3:.2f} km/s at burnout "
                       f"(apogee {need_apo:.0f} km), within the class's {vmax / 1e3:.2f} km/s")
        elif math.isfinite(need_v):
            verdict = (f"not possible for this class: needs {need_v / 1e3:.2f} km/s at burnout "
                       f"(apogee {need_apo:.0f} km), more than the class's {vmax / 1e3:.2f} km/s")
        else:
            verdict = "not possible on any sub-orbital ballistic trajectory with this class's boost"
        rows.append(dict(claim=c["text"], tag=c.get("tag", ""), origin=oname, target=tname,
                         ground_range_km=float(me.ground_range_km), claimed_min=claimed / 60, missile=m.key,
                         model_min_energy_min=t_me / 60, model_depressed_min=float(fast.flight_time_s) / 60,
                         model_lofted_min=float(loft.flight_time_s) / 60,
                         ideal_min_energy_min=i_me / 60, ideal_fastest_min=i_fast / 60,
                         verdict=verdict, source=c.get("source", "")))
    return pd.DataFrame(rows)
