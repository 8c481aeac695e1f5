"""The claim-check report: for each claim of the paper, the numbers that test it and a plain
verdict with its caveats; Markdown, HTML and CSV from one list of blocks."""
from __future__ import annotations

import datetime
import math
import tomllib
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .constants import WGS84_F
from .core.sensors_los import track as _track_fast
from .errors import InputError, check_choice
from .escaping import escape_frame, escape_text
from .flight import flight_time, model_flight_time
from .io import atomic_path
from .missiles import TRAJECTORIES, get_missile
from .model import FlightModel
from .places import load_countries, load_launch_areas, load_sensors, load_targets
from .warning import area_points, compression_uncertainty, sensor_set, warning_time

NOTIONAL = ("Launch areas are NOTIONAL: circles drawn around publicly reported garrisons, airfields and "
            "ranges, not identified launch sites.")


# ----------------------------------------------------------------------------------------------
# scenario
# ----------------------------------------------------------------------------------------------

def load_scenario(path=None) -> dict:
    """The default paper scenario, or a user TOML of the same schema (validated)."""
    if path is None:
        text = resources.files("warning_time").joinpath("data/scenarios/paper.toml").read_text("utf-8")
        source = "paper.toml (package data)"
    else:
        source = str(path)
        try:
            text = Path(path).read_text("utf-8")
        except FileNotFoundError:
            raise InputError("scenario", message=f"{source}: file not found") from None
    try:
        sc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError("scenario", message=f"{source}: not valid TOML: {exc}") from None
    s = sc.get("scenario")
    if not isinstance(s, dict):
        raise InputError("scenario", message=f"{source}: missing [scenario] table")
    areas = set(load_launch_areas()["name"])
    for key in ("launch_areas", "baseline_areas", "interior_baseline_areas"):
        names = s.get(key, [])
        if not names and key != "interior_baseline_areas":
            raise InputError(f"scenario.{key}", message=f"{source}: scenario.{key} is empty")
        bad = [n for n in names if n not in areas]
        if bad:
            raise InputError(f"scenario.{key}", message=f"{source}: scenario.{key}: unknown area(s) {bad}; "
                             f"known: {sorted(areas)}")
    sensors = set(load_sensors()["sensor"])
    bad = [n for n in s.get("sensors", []) if n not in sensors]
    if bad:
        raise InputError("scenario.sensors", message=f"{source}: unknown sensor(s) {bad}; known: {sorted(sensors)}")
    for run in ("irbm", "srbm"):
        if run not in sc or "missile" not in sc[run]:
            raise InputError(f"{run}.missile", message=f"{source}: missing [{run}] table with a missile")
        try:
            get_missile(_scenario_str(sc[run]["missile"], f"{run}.missile", source))
        except InputError as exc:
            raise InputError(f"{run}.missile", message=f"{source}: {run}.{exc}") from None
        traj = _scenario_str(sc[run].get("trajectory", "default"), f"{run}.trajectory", source)
        try:
            check_choice(f"{run}.trajectory", traj, TRAJECTORIES + ("default",))
        except InputError as exc:
            raise InputError(f"{run}.trajectory", message=f"{source}: {exc}") from None
    for key in ("title",):
        _scenario_str(s.get(key, ""), f"scenario.{key}", source)
    if s.get("earth", "wgs84") not in ("wgs84", "sphere"):
        raise InputError("scenario.earth", message=f"{source}: scenario.earth must be 'wgs84' or 'sphere'")
    if not isinstance(s.get("rotation", True), bool):
        raise InputError("scenario.rotation", message=f"{source}: scenario.rotation must be true or false")
    u = sc.setdefault("uncertainty", {})
    for key, lo, hi in (("draws", 1, 1000), ("points_per_area", 1, 200)):
        v = u.setdefault(key, {"draws": 12, "points_per_area": 6}[key])
        if not (isinstance(v, int) and lo <= v <= hi):
            raise InputError(f"uncertainty.{key}", message=f"{source}: uncertainty.{key}={v!r} must be an integer in [{lo}, {hi}]")
    u.setdefault("seed", 1)
    dd = s.get("decision_delay_s", {"low": 0.0, "nominal": 0.0, "high": 0.0})
    s["decision_delay_band"] = (float(dd["low"]), float(dd["nominal"]), float(dd["high"]))
    sc["_source"] = source
    return sc


def _scenario_str(value, field, source):
    """A scenario value that must be text (names, titles): anything else is an error naming the field."""
    if not isinstance(value, str):
        raise InputError(field, message=f"{source}: {field} must be a string, got {type(value).__name__}")
    return value


# ----------------------------------------------------------------------------------------------
# blocks -> Markdown / HTML
# ----------------------------------------------------------------------------------------------

class Doc:
    def __init__(self):
        self.blocks = []
        self.tables = {}

    def h(self, level, text):
        self.blocks.append(("h", level, text))

    def p(self, text):
        self.blocks.append(("p", text))

    def bullets(self, items):
        self.blocks.append(("ul", list(items)))

    def table(self, name, df, caption):
        self.tables[name] = df
        self.blocks.append(("table", name, df, caption))

    def markdown(self):
        out = []
        for b in self.blocks:
            if b[0] == "h":
                out.append("#" * b[1] + " " + b[2] + "\n")
            elif b[0] == "p":
                out.append(b[1] + "\n")
            elif b[0] == "ul":
                out.append("\n".join(f"- {x}" for x in b[1]) + "\n")
            else:
                _, name, df, cap = b
                out.append(_md_table(df) + "\n")
                out.append(f"*{cap}* (CSV: `{name}.csv`)\n")
        return "\n".join(out)

    def html(self, title):
        body = []
        for b in self.blocks:
            if b[0] == "h":
                body.append(f"<h{b[1]}>{escape_text(b[2])}</h{b[1]}>")
            elif b[0] == "p":
                body.append(f"<p>{escape_text(b[1])}</p>")
            elif b[0] == "ul":
                body.append("<ul>" + "".join(f"<li>{escape_text(x)}</li>" for x in b[1]) + "</ul>")
            else:
                _, name, df, cap = b
                cells = escape_frame(df, df.columns)
                cells.columns = [escape_text(c) for c in df.columns]
                body.append(cells.to_html(index=False, escape=False, na_rep="-", classes="t", border=0))
                body.append(f"<p class='cap'>{escape_text(cap)} (CSV: {escape_text(name)}.csv)</p>")
        css = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
               "table.t{border-collapse:collapse;font-size:13px;margin:.5em 0}"
               "table.t td,table.t th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
               "table.t th{background:#eee}.cap{font-size:12px;color:#555}"
               ".banner{background:#8b0000;color:#fff;padding:6px 10px;font-weight:bold}")
        return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape_text(title)}</title>"
                f"<style>{css}</style></head><body><div class='banner'>NOTIONAL - {escape_text(NOTIONAL)}</div>"
                + "\n".join(body) + "</body></html>")


def _md_table(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(str(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    for _, row in df.iterrows():
        cells = []
        for c in cols:
            v = row[c]
            if isinstance(v, float):
                cells.append("-" if math.isnan(v) else f"{v:.1f}")
            else:
                cells.append(str(v).replace("|", "/"))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _fmt_min(s):
    return "-" if s is None or not np.isfinite(s) else f"{s / 60:.1f}"


# ----------------------------------------------------------------------------------------------
# the analyses
# ----------------------------------------------------------------------------------------------

def _areas(names):
    a = load_launch_areas()
    return a[a["name"].isin(names)].reset_index(drop=True)


def _targets(kinds=("capital",), countries=None):
    t = load_targets()
    t = t[t["kind"].isin(kinds)]
    if countries is not None:
        t = t[t["country_iso3"].isin(countries)]
    return t.reset_index(drop=True)


def _model_line(sc, run):
    m = get_missile(sc[run]["missile"])
    kp = m.kernel_params()
    return (f"Model: missile class '{m.key}' ({m.label}), trajectory '{sc[run].get('trajectory', 'minimum-energy')}', "
            f"burn {kp['t_boost']:.0f} s, burnout at {kp['h_bo'] / 1e3:.0f} km altitude / {kp['d_bo'] / 1e3:.0f} km "
            f"downrange, ballistic coefficient {kp['beta']:.0f} kg/m^2, maximum range {m.max_range_km:.0f} km; "
            f"Earth {sc['scenario']['earth']}, rotation {sc['scenario']['rotation']}; sensors "
            f"{', '.join(sc['scenario']['sensors'])}. Sources: warning_time data/SOURCES.md.")


def claim_compression(sc, run="irbm", baselines_key="baseline_areas", targets=None):
    s = sc["scenario"]
    u = sc["uncertainty"]
    t = targets if targets is not None else _targets(("capital",))
    return compression_uncertainty(
        t, _areas(s["launch_areas"]), _areas(s[baselines_key]), missile=sc[run]["missile"],
        trajectory=sc[run].get("trajectory", "minimum-energy"), draws=u["draws"], points_per_area=u["points_per_area"],
        seed=u["seed"], sensor_names=s["sensors"], decision_delay_band=s["decision_delay_band"],
        earth=s["earth"], rotation=s["rotation"])


def newly_in_reach(sc, run="srbm"):
    """Targets in the pressure countries that the class reaches from a Belarus area point but
    from no baseline point (nominal parameters, points_per_area points per area)."""
    s = sc["scenario"]
    u = sc["uncertainty"]
    m = sc[run]["missile"]
    traj = sc[run].get("trajectory", "minimum-energy")
    t = _targets(("capital", "city", "military"), s["pressure_countries"])
    lp = area_points(_areas(s["launch_areas"]), u["points_per_area"], seed=u["seed"])
    bp = area_points(_areas(s["baseline_areas"]), u["points_per_area"], seed=u["seed"])
    sens = sensor_set(names=s["sensors"])

    def best(points):
        ip, it = np.meshgrid(np.arange(len(points)), np.arange(len(t)), indexing="ij")
        w = warning_time(points["lat_deg"].to_numpy()[ip], points["lon_deg"].to_numpy()[ip],
                         t["lat_deg"].to_numpy()[it], t["lon_deg"].to_numpy()[it], missile=m, trajectory=traj,
                         sensors=sens, earth=s["earth"], rotation=s["rotation"]).to_frame()
        w["area"] = points["area"].to_numpy()[ip.ravel()]
        w["_t"] = it.ravel()
        w["_k"] = w["flight_time_s"].fillna(np.inf)
        return w.sort_values(["_t", "_k"]).groupby("_t").head(1).sort_values("_t").reset_index(drop=True)

    a, b = best(lp), best(bp)
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
    tg = load_targets()
    sites = tg[tg["name"].isin(site_names or s["aegis_sites"])]
    caps = _targets(("capital",))
    areas = _areas(s["launch_areas"])
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
    lp = area_points(_areas(s["launch_areas"]), u["points_per_area"], seed=u["seed"])
    bp = area_points(_areas(s["baseline_areas"]), u["points_per_area"], seed=u["seed"])
    c = compression_surface(lp["lat_deg"], lp["lon_deg"], bp["lat_deg"], bp["lon_deg"], missile=sc[run]["missile"],
                            trajectory=sc[run].get("trajectory", "minimum-energy"), region=(-25.0, 34.0, 45.0, 72.0),
                            res_deg=res_deg, earth=s["earth"], rotation=s["rotation"], sensor_names=s["sensors"])
    bands = contour_bands(c, [60.0, 120.0, 1e5], value_name="compression_s")
    bands = bands[bands["compression_s"] > 60.0]
    if not len(bands):
        return pd.DataFrame()
    ex = exposure(bands, load_countries(), load_targets(), level_col="compression_s")
    if not len(ex):
        return pd.DataFrame()
    ex["warning lost"] = np.where(ex["compression_s"] > 120.0, "more than 2 min", "1-2 min")
    out = ex.groupby(["country", "warning lost"], as_index=False).agg(
        area_km2=("area_km2", "sum"), area_share=("area_share", "sum"), population_est=("population_est", "sum"))
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
    areas = load_launch_areas()
    tg = load_targets().set_index("name")
    belarus = _areas(s["launch_areas"])

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
        m = get_missile(c["missile"])
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
        if claimed < i_fast:
            verdict = (f"physically impossible: covering {float(me.ground_range_km):.0f} km at 7.8 km/s (orbital "
                       f"speed) already takes {i_fast:.0f} s")
        elif not math.isfinite(t_me):
            verdict = (f"outside the class's reach ({str(me.reason).split(':')[0]}); an ideal missile would need "
                       f"{i_me:.0f} s on a minimum-energy arc, so the claim requires a "
                       + ("depressed trajectory" if claimed < i_me else "slower than minimum-energy (lofted) arc"))
        elif claimed <= boost:
            verdict = (f"impossible for this class: its boost alone takes {boost:.0f} s "
                       f"(band {m.params['burn_time_s'].low:.0f}-{m.params['burn_time_s'].high:.0f} s)")
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


# ----------------------------------------------------------------------------------------------
# the report
# ----------------------------------------------------------------------------------------------

def _verdict_compression(df, label):
    comp = df["compression_s"].to_numpy(float)
    fin = comp[np.isfinite(comp)]
    if fin.size == 0:
        return f"{label}: no capital is in reach from both area sets."
    n_gt60 = int((fin > 60).sum())
    n_le0 = int((fin <= 0).sum())
    return (f"{label}: median compression {np.median(fin):.0f} s over {fin.size} capitals in reach; "
            f"{n_gt60} lose more than a minute of warning, {n_le0} lose none (a baseline is already as fast).")


def build_report(scenario=None, out_dir="brief", *, draws=None) -> dict:
    """Compute every table of the claim-check report and write report.md, report.html and one
    CSV per table into out_dir (each file atomically). Returns the tables."""
    sc = load_scenario(scenario) if not isinstance(scenario, dict) else scenario
    if draws is not None:
        sc["uncertainty"]["draws"] = int(draws)
    s = sc["scenario"]
    out = Path(out_dir)
    doc = Doc()
    doc.h(1, s["title"])
    doc.p(f"warning_time {__version__}, scenario {sc['_source']}, generated "
          f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC. {NOTIONAL}")
    doc.p("Warning time = impact time - (first detection + that sensor's processing delay) - decision delay. "
          "Compression = warning from the best Russian baseline point - warning from the best Belarus point "
          "(positive: warning lost by basing in Belarus). Every figure is a model estimate from open-source "
          "parameters; ranges are min-max over Monte Carlo draws of launch points inside the areas and of every "
          f"parameter band ({sc['uncertainty']['draws']} draws, {sc['uncertainty']['points_per_area']} points per "
          "area per draw).")
    doc.h(2, "The paper's claims")
    doc.bullets(s.get("paper_claims", []))

    # claim 1
    doc.h(2, "Claim 1: warning time for NATO capitals (IRBM class)")
    c_all = claim_compression(sc, "irbm", "baseline_areas")
    c_int = claim_compression(sc, "irbm", "interior_baseline_areas") if s.get("interior_baseline_areas") else None
    tab = pd.DataFrame({
        "capital": c_all["target"],
        "Belarus area": c_all["launch_area"],
        "flight (min)": c_all["launch_flight_time_s"] / 60,
        "warning (min)": c_all["launch_warning_s"] / 60,
        "warning min-max (min)": [f"{_fmt_min(a)}-{_fmt_min(b)}" for a, b in zip(c_all["launch_warning_min_s"], c_all["launch_warning_max_s"])],
        "best baseline": c_all["baseline_area"],
        "baseline warning (min)": c_all["baseline_warning_s"] / 60,
        "compression (s)": c_all["compression_s"],
        "compression min/med/max (s)": [f"{a:.0f}/{b:.0f}/{c:.0f}" if np.isfinite(b) else "-" for a, b, c in
                                        zip(c_all["compression_min_s"], c_all["compression_median_s"], c_all["compression_max_s"])],
    })
    if c_int is not None:
        tab["vs Russia proper: compression (s)"] = c_int["compression_s"].to_numpy()
    for col in ("launch_lat_deg", "launch_lon_deg", "baseline_lat_deg", "baseline_lon_deg"):
        tab[col] = c_all[col].to_numpy()
    doc.p("'-' = no flight: the capital is outside the class's range band from every point of the area set "
          "(for Oreshnik: closer than 500 km or farther than 5,500 km).")
    doc.table("capitals_irbm", tab, _model_line(sc, "irbm") + " Baselines: " + ", ".join(s["baseline_areas"])
              + (" ('Russia proper' excludes Kaliningrad)." if c_int is not None else "."))
    kal = int((c_all["baseline_area"] == "Kaliningrad").sum())
    verdict = [_verdict_compression(c_all, "Against all Russian baselines")]
    if c_int is not None:
        verdict.append(_verdict_compression(c_int, "Against Russia proper (no Kaliningrad)"))
    verdict.append(f"For {kal} of {len(c_all)} capitals the fastest baseline is Kaliningrad, which is already "
                   "west of Belarus: there, Belarus adds little or nothing.")
    doc.p("Verdict: " + " ".join(verdict) + " Caveats: analytic trajectories, notional areas, "
          "sensor parameters partly assumed (D); see the uncertainty columns.")
    ex = exposure_table(sc)
    if len(ex):
        doc.table("exposure_irbm", ex, _model_line(sc, "irbm") + " Warning lost on a 0.5 deg grid (Belarus areas vs "
                  "all baselines; per cell the fastest point of each side). Population: listed cities inside the band "
                  "plus the rest of Natural Earth's pop_est spread uniformly over the country.")

    # claim 2
    doc.h(2, "Claim 2: pressure on Poland, Germany and the Baltic states (SRBM class)")
    nr = newly_in_reach(sc, "srbm")
    newly = nr[nr["newly_in_reach"]].drop(columns=["newly_in_reach"])
    doc.table("srbm_newly_in_reach", newly.reset_index(drop=True),
              _model_line(sc, "srbm") + " Targets reached from a Belarus area point and from no baseline point.")
    c2 = claim_compression(sc, "irbm", "baseline_areas",
                           targets=_targets(("capital", "city", "military"), s["pressure_countries"]))
    doc.table("pressure_irbm", pd.DataFrame({
        "target": c2["target"], "warning from Belarus (min)": c2["launch_warning_s"] / 60,
        "warning from baseline (min)": c2["baseline_warning_s"] / 60, "best baseline": c2["baseline_area"],
        "compression (s)": c2["compression_s"],
        "compression min/max (s)": [f"{a:.0f}/{b:.0f}" if np.isfinite(a) else "-" for a, b in
                                    zip(c2["compression_min_s"], c2["compression_max_s"])],
    }), _model_line(sc, "irbm") + " Targets in " + ", ".join(s["pressure_countries"]) + ".")
    by_c = newly.groupby("country").size().to_dict() if len(newly) else {}
    doc.p(f"Verdict: the SRBM class newly reaches {len(newly)} of {len(nr)} listed targets in these countries "
          f"from Belarus ({', '.join(f'{k}: {v}' for k, v in sorted(by_c.items())) or 'none'}); "
          + _verdict_compression(c2, "IRBM-class compression there"))

    # claim 3
    doc.h(2, "Claim 3: European missile defence (Aegis Ashore geometry)")
    ag = aegis_geometry(sc, "irbm")
    if len(ag):
        near = ag[ag["closest_approach_km"] < 300].sort_values("closest_approach_km")
        doc.table("aegis_geometry", near.reset_index(drop=True),
                  _model_line(sc, "irbm") + " Flights from each Belarus area's representative point to each NATO "
                  "capital whose ground track passes within 300 km of an Aegis Ashore site.")
        summary = ag.groupby("site").agg(flights=("target", "size"),
                                         within_300_km=("closest_approach_km", lambda d: int((d < 300).sum())),
                                         median_altitude_km=("altitude_there_km", "median")).reset_index()
        doc.table("aegis_summary", summary, "Counts over all Belarus-area x capital flights (IRBM class).")
        doc.p("Verdict: the table gives the geometry only - where flights from Belarus pass the two Aegis Ashore "
              "sites and how high they are there. Whether an interceptor could engage is outside this model.")

    # published claims
    doc.h(2, "Published flight-time claims")
    pc = published_claims(sc)
    doc.table("published_claims", pc, "Each claim against the model: the class's minimum-energy, depressed and "
              "lofted preset times, the physical bounds (an ideal missile with no boost and no drag on a "
              "minimum-energy arc; the ground range covered at 7.8 km/s, faster than any sub-orbital flight), and the burnout speed a claimed time would need on the "
              "depressed branch with the class's boost. Claims and sources: data/claims.toml (REFERENCES 4-5).")
    n_imp = int(pc["verdict"].str.startswith("physically impossible").sum())
    n_dep = int(pc["verdict"].str.startswith("possible only").sum())
    n_con = int(pc["verdict"].str.startswith("consistent").sum())
    doc.p(f"Verdict: of {len(pc)} published claims, {n_con} are consistent with a minimum-energy or slower flight, "
          f"{n_dep} need a depressed trajectory within the class's capability, {n_imp} are physically impossible "
          "for any ballistic missile, and the rest are impossible for the class named (boost time or speed).")
    doc.h(2, "Assumptions and sources")
    doc.bullets([
        "Trajectories: two-body conics between burnout and target on the WGS84 ellipsoid with Earth rotation "
        "(minimum energy = least burnout speed relative to the launch site), kinematic boost, drag delay from a "
        "ballistic coefficient (docs/model.md).",
        "Detection: space-infrared after its detection delay; ground radars at first line of sight on the 4/3 "
        "effective Earth above their elevation mask and within their maximum range; plus processing delays "
        "(data/sensors.toml).",
        "Parameters and their sources: warning_time/data/missiles.toml, sensors.toml; places: launch_areas.geojson "
        "(NOTIONAL), targets.csv; summary in data/SOURCES.md. Validation: docs/validation.md.",
    ])
    out.mkdir(parents=True, exist_ok=True)
    for name, df in doc.tables.items():
        with atomic_path(out / f"{name}.csv") as tmp:
            df.to_csv(tmp, index=False)
    with atomic_path(out / "report.md") as tmp:
        tmp.write_text(doc.markdown(), encoding="utf-8")
    with atomic_path(out / "report.html") as tmp:
        tmp.write_text(doc.html(s["title"]), encoding="utf-8")
    return doc.tables
