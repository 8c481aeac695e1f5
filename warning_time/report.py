"""The claim-check report: for each claim of the paper, the numbers that test it and a plain
verdict with its caveats; Markdown, HTML and CSV from one list of blocks.

The report renders: the scenario is loaded by :mod:`warning_time.scenario` and every table is
computed by :mod:`warning_time.analysis` (those names are still reachable from here)."""
from __future__ import annotations

import datetime
import math
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .analysis import (aegis_geometry, claim_compression, exposure_table, fastest_threat, model_line, newly_in_reach,
                       published_claims, scenario_targets)
from .escaping import escape_frame, escape_text
from .io import atomic_path
from .margins import chain_compression, chain_steps, margin_table
from .missiles import get_missile
from .scenario import load_scenario, show, with_draws

NOTIONAL = ("Launch areas are NOTIONAL: circles drawn around publicly reported garrisons, airfields and "
            "ranges, not identified launch sites.")

__all__ = ["build_report", "load_scenario", "claim_compression", "newly_in_reach", "aegis_geometry",
           "exposure_table", "published_claims", "Doc", "NOTIONAL"]


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

    def code(self, text, lang=""):
        self.blocks.append(("code", lang, text))

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
            elif b[0] == "code":
                fence = "````" if "```" in b[2] else "```"
                out.append(f"{fence}{b[1]}\n{b[2].rstrip()}\n{fence}\n")
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
            elif b[0] == "code":
                body.append(f"<pre class='scenario'>{escape_text(b[2])}</pre>")
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
# the report
# ----------------------------------------------------------------------------------------------

def _band_text(b, unit=""):
    u = f" {unit}" if unit else ""
    if b["low"] == b["nominal"] == b["high"]:
        return f"{b['nominal']:g}{u} (fixed)"
    return f"{b['nominal']:g}{u} (band {b['low']:g}-{b['high']:g})"


def _scenario_section(doc, sc):
    """Every assumption the report used, in words and as the effective scenario (TOML): the
    scenario's own settings, the defaults it left out, and every parameter of its classes."""
    eff = sc["_effective"]
    s, w, u = eff["scenario"], eff["warning"], eff["uncertainty"]
    areas = sc["areas"]

    def area_list(role):
        a = areas[areas["role"] == role]
        return ", ".join(f"{r['name']} ({r['country_iso3']})" for _, r in a.iterrows())

    dd = w["decision_delay_s"]
    rt = eff.get("reaction_times") or {}
    items = [
        f"Scenario: {sc['_source']}; scenario hash {sc['_hash']}.",
        f"Title: {s['title']}.",
        f"Earth model: {s['earth']}; Earth rotation: {'true' if s['rotation'] else 'false'}.",
        f"Launch areas (NOTIONAL): {area_list('launch')}.",
        f"Baseline areas: {area_list('baseline')}.",
        "Russia proper (baselines without Kaliningrad): "
        + (", ".join(s["interior_baseline_areas"]) or "not given (no 'vs Russia proper' column)") + ".",
        "Targets: " + (eff["targets"].get("file") or "the shipped targets.csv")
        + f" ({int((sc['target_table']['kind'] == 'capital').sum())} capitals).",
        f"Pressure countries (Claim 2): {', '.join(s['pressure_countries'])}.",
        f"Aegis Ashore sites (Claim 3): {', '.join(s['aegis_sites']) or 'none'}.",
        f"Sensors: {', '.join(w['sensors']) or 'none'}; processing delay "
        + ", ".join(f"{n} {_band_text(eff['sensors'][n]['processing_delay_s'], 's')}" for n in w["sensors"])
        + " (every band: [sensors.*] below; sources: data/sensors.toml).",
        f"Decision delay: {_band_text(dd, 's')}; source: {dd['source']}.",
        "Reaction times: " + ("; ".join(f"{k} {_band_text(v, 's')} ({v['source']})" for k, v in rt.items())
                              + " (stated; no table of this report uses them yet)" if rt else "none given") + ".",
    ]
    for run in ("irbm", "srbm"):
        r = eff[run]
        m = get_missile(sc[run]["missile"])
        params = "; ".join(f"{p} {_band_text(b)}" for p, b in eff["missiles"][m.key].items())
        items.append(f"{run.upper()} run: class {m.key} ({m.label}), trajectory {r['trajectory']} "
                     f"(resolved: {m.default_trajectory if r['trajectory'] == 'default' else r['trajectory']}), "
                     f"trajectory set {', '.join(r['trajectories'])}; maximum range {m.max_range_km:g} km; "
                     f"parameters: {params}.")
    over = [f"{t}.{k}.{p}" for t in ("missiles", "sensors") for k, ps in getattr(sc["_spec"], t).items()
            for p in ps]
    items.append("Parameter overrides of the scenario: " + (", ".join(over) if over else "none") + ".")
    items.append(f"Monte Carlo: {u['draws']} draws (draw 0 = nominal), {u['points_per_area']} launch points per "
                 f"area per draw, seed {u['seed']}.")
    doc.h(2, "The scenario (every assumption used)")
    doc.bullets(items)
    doc.p("The effective scenario, with every default filled in (also written beside this report as "
          "scenario.toml: rerun exactly this report with --scenario scenario.toml; `warning-time scenario check` "
          "gives the same hash):")
    doc.code(show(sc), "toml")


def _verdict_compression(df, label, noun="capitals"):
    comp = df["compression_s"].to_numpy(float)
    fin = comp[np.isfinite(comp)]
    if fin.size == 0:
        return f"{label}: no target is in reach from both area sets."
    n_gt60 = int((fin > 60).sum())
    n_le0 = int((fin <= 0).sum())
    return (f"{label}: median compression {np.median(fin):.0f} s over {fin.size} {noun} in reach; "
            f"{n_gt60} lose more than a minute of warning, {n_le0} lose none (a baseline is already as fast).")


def _warning_chain_section(doc, sc):
    """The warning chain per audience, reaction-time margins and what cancels in a compression,
    for the scenario's classes, on the same nominal launch points as the capitals tables."""
    from .analysis import scenario_areas
    from .chain import load_reactions
    from .compression import draw_points
    from .sensors import sensor_set

    s = sc["scenario"]
    u = sc["uncertainty"]
    doc.h(2, "The warning chain: who is warned when, and what the warning buys")
    doc.p("Chain: detect (space infrared sees the plume while the engine burns; radars see the booster, the "
          "post-boost vehicle or the re-entry vehicle in their sectors) -> track and predict the impact point (each "
          "sensor's processing time, never before burnout or re-entry vehicle release) -> assess -> disseminate, "
          "with its own assessment and dissemination for military forces, national leaders and the public. The "
          f"scenario's decision delay ({s['decision_delay_band'][1]:.0f} s) is added for every audience.")
    doc.table("warning_chain", chain_steps(), "Assessment and dissemination after the impact prediction, per audience "
              "(nominal and band; data/warning_chain.toml). Cross-check: Japan's J-Alert public message came ~4 min "
              "after the launch of 29 Aug 2017; the public chain on a liquid IRBM-class burn brackets it.")
    r = load_reactions()
    doc.table("reaction_times", pd.DataFrame({
        "reaction": r["reaction"], "audience": r["audience"], "what": r["label"], "required (s)": r["required_s"],
        "band (s)": [f"{a:.0f}-{b:.0f}" for a, b in zip(r["required_low_s"], r["required_high_s"])],
        "source": r["source"]}), "Time a target needs once warned (data/reaction_times.toml); margin = warning to "
              "the reaction's audience - required time.")
    t = scenario_targets(("capital",))
    lp = draw_points(scenario_areas(s["launch_areas"]), u["points_per_area"], u["seed"])
    bp = draw_points(scenario_areas(s["baseline_areas"]), u["points_per_area"], u["seed"])
    sens = sensor_set(names=s["sensors"])
    for run in [x for x in ("srbm", "irbm") if x in sc]:
        key = sc[run]["missile"]
        cc = chain_compression(t, lp, bp, missile=key, trajectory=sc[run].get("trajectory", "minimum-energy"),
                               earth=s["earth"], rotation=s["rotation"], sensors=sens,
                               decision_delay_s=s["decision_delay_band"][1])
        reach = np.isfinite(cc["launch_flight_time_s"].to_numpy(float))
        if not reach.any():
            doc.p(f"{key}: no capital in reach from the Belarus areas.")
            continue
        c = cc[reach].reset_index(drop=True)
        tab = pd.DataFrame({
            "capital": c["target"], "Belarus area": c["launch_area"], "predicted by": c["launch_predicted_by"],
            "impact predicted (s)": c["launch_impact_predicted_s"],
            "forces (min)": c["launch_warning_forces_s"] / 60, "leaders (min)": c["launch_warning_leaders_s"] / 60,
            "public (min)": c["launch_warning_public_s"] / 60,
            "baseline forces (min)": c["baseline_warning_forces_s"] / 60,
            "compression, every audience (s)": c["compression_forces_s"],
            "flight-time term (s)": c["flight_time_term_s"], "prediction term (s)": c["prediction_term_s"],
        })
        doc.table(f"warning_by_audience_{run}", tab, model_line(sc, run) + " Warning per audience from the Belarus "
                  "areas' best point (the same nominal points as the capitals tables) and the compression against the "
                  "best baseline point, split into its terms: flight-time term (T_baseline - T_Belarus) plus prediction "
                  "term (I_Belarus - I_baseline). Capitals out of reach from Belarus are left out.")
        m = margin_table(c, r)
        wide = m.pivot(index="target", columns="reaction", values="margin_from_belarus_s").reindex(c["target"])
        wide.columns = [f"{x} margin (s)" for x in wide.columns]
        only = m[m["negative_from_belarus_only"]]
        lost = only.groupby("target")["reaction"].agg(lambda x: ", ".join(x)).reindex(c["target"]).fillna("")
        wide["negative from Belarus, not from baselines"] = lost.to_numpy()
        doc.table(f"margins_{run}", wide.reset_index().rename(columns={"target": "capital"}),
                  model_line(sc, run) + " Margin = warning to the reaction's audience - nominal required time "
                  "(negative: the reaction cannot be completed before the impact), from the Belarus best point; the last "
                  "column names the reactions whose margin is negative from Belarus but not from the best baseline point.")
        by_reaction = only.groupby("reaction")["target"].agg(lambda x: ", ".join(x))
        same_pred = int((np.abs(c["prediction_term_s"].to_numpy(float)) < 1e-6).sum())
        n_c = int(np.isfinite(c["compression_forces_s"].to_numpy(float)).sum())
        doc.p(f"Margins ({key}): " + ("; ".join(f"{k}: negative from Belarus but not from the baselines for {v}"
                                              for k, v in by_reaction.items())
                                    or "no reaction's margin turns negative from Belarus that is not already negative "
                                       "from the baselines") + ".")
        doc.p(f"What cancels ({key}): in each compression the audience's assessment and dissemination times and the "
              "decision delay are on both sides and cancel, so the compression is the same for forces, leaders and the "
              f"public; what remains is the flight-time term and the prediction term. The prediction term is zero for "
              f"{same_pred} of {n_c} capitals in reach from both sides (both impact predictions come at the class's "
              "burnout or re-entry vehicle release + the same sensor's processing time: the boost, post-boost and "
              "processing cancel too); elsewhere a different sensor predicts first on one side. Margins do not cancel: "
              "the same compression costs a reaction with a long required time nothing if it was already impossible, "
              "and one with a short required time everything.")


def _claim3(doc, sc):
    """Claim 3: engagement windows, shot opportunities, the SRBM floor, footprints, the raid
    table and the real pass-bys, all from :func:`warning_time.defence.claim3_analysis`."""
    from .defence import claim3_analysis

    s = sc["scenario"]
    c3 = claim3_analysis(sc)
    raid_kw = c3["settings"]["raid"]
    doc.h(2, "Claim 3: European missile defence (engagement windows, shots, footprints)")
    doc.p("Assumptions: interceptor data are open-source estimates, many assumed (D) "
          "(warning_time/data/interceptors.toml); each interceptor is flown with the 3-DOF flyout into a fly-out fan "
          "(earliest arrival at a ground range and altitude); the cue is the warning model's first warning "
          f"({', '.join(s['sensors'])}), then the interceptor's commit and launch delays; an intercept counts when "
          "the threat is inside the interceptor's altitude and range envelope and an interceptor launched after "
          f"the cue arrives in time ({c3['settings']['cueing']} cueing, {c3['settings']['band']} interceptor bands); shot "
          "opportunities are shoot-look-shoot, one kill assessment between shots. "
          "The attacker's best point of each area set is the one that leaves the fewest shots (then the shortest "
          "window). Kill probabilities, countermeasures, discrimination and radar coverage of the intercept are "
          "outside the model.")
    win = c3["windows"]
    doc.table("defence_windows", win, model_line(sc, "irbm") + " Engagement window (s of threat flight that can be "
              "intercepted) and shot opportunities per site and NATO capital, from the attacker's best Belarus and "
              "baseline launch points; 'window lost' = baseline - Belarus (positive: battle space lost by basing in "
              "Belarus). Empty: out of reach.")
    parts = []
    for so in c3["sites"]:
        w = win[win["site"] == so.key]
        fin = w["window from Belarus (s)"].notna() & w["window from baseline (s)"].notna()
        w = w[fin]
        if not len(w):
            continue
        eng_b = int((w["shots from Belarus"] >= 1).sum())
        eng_r = int((w["shots from baseline"] >= 1).sum())
        lost = w["window lost (s)"].to_numpy(float)
        fewer = int((w["shots lost"] > 0).sum())
        more = int((w["shots lost"] < 0).sum())
        parts.append(f"{so.label} ({so.interceptors[0]}): engages flights from Belarus toward {eng_b} of {len(w)} "
                     f"capitals in reach (from the baselines: {eng_r}); median window change {np.median(lost):+.0f} s "
                     f"(baseline - Belarus); Belarus leaves fewer shots toward {fewer} capitals and more toward {more}")
    doc.p("Windows: " + "; ".join(parts) + ".")
    sr = c3["srbm"]
    doc.table("defence_srbm_floor", sr, model_line(sc, "srbm") + " SRBM-class flights from the Belarus areas' "
              "representative points to the targets in " + ", ".join(s["pressure_countries"]) + " against the upper-tier "
              "sites: the highest apogee of the class's flights and the interceptor's altitude floor.")
    doc.p("SRBM floor: " + "; ".join(
        f"{r['site']} ({r['interceptor']}): {r['flights with a window']} of {r['SRBM flights in reach']} flights "
        f"have a window (highest apogee {r['highest apogee (km)']:.0f} km, floor {r['interceptor floor (km)']:.0f} km)"
        for _, r in sr.iterrows()) + ". Below the floor only lower-tier (terminal) defences can engage them.")
    fp = c3["footprints"]
    doc.table("defence_footprints", fp, f"Defended footprint of {c3['sites'][0].label} ({c3['sites'][0].interceptors[0]}): "
              "ground area (2-deg cells over the map) whose incoming flights the site engages at least once / twice, "
              "against the attacker's best representative point of the Belarus areas and of the baselines, and the "
              "area defended against the baselines but not against Belarus (IRBM class).")
    raid = c3["raid"]
    doc.table("defence_raid", raid, f"Raid of {raid_kw['missiles']} IRBM-class missiles x "
              f"{raid_kw['rvs_per_missile']} re-entry vehicles, {raid_kw['interceptors_per_rv']} interceptors "
              "per RV: salvo ('shoot-shoot') and shoot-look-shoot limited by the median shot opportunities from "
              "Belarus per site; expected leakers at the (D) kill-probability band, independent shots.")
    ps = c3["passes"]
    if len(ps):
        doc.table("aegis_geometry", ps, model_line(sc, "irbm") + " Flights from each Belarus area's representative "
                  "point to each NATO capital whose ground track passes within 300 km of an Aegis Ashore site "
                  f"before its impact ({c3['passes_dropped']} flights that end near a site are not passes and are "
                  "left out; their engagement is in the windows table).")
    tot_fewer = int((win["shots lost"] > 0).sum())
    tot_more = int((win["shots lost"] < 0).sum())
    tot_same = int((win["shots lost"] == 0).sum())
    n_srbm_win = int(sr["flights with a window"].sum())
    lost_once = fp[(fp["launch"].str.startswith("lost")) & (fp["min_shots"] == 1)]["area_km2"]
    doc.p(f"Verdict: over {len(c3['sites'])} sites x the capitals in reach, launching from Belarus instead of the best "
          f"baseline leaves fewer shot opportunities in {tot_fewer} site-capital cases, more in {tot_more} and as many "
          f"in {tot_same}; the SRBM class has an upper-tier window in {n_srbm_win} site-flight cases of "
          f"{int(sr['SRBM flights in reach'].sum())}; {c3['sites'][0].label} loses "
          f"{(float(lost_once.iloc[0]) if len(lost_once) else 0.0):,.0f} km^2 of 'at least once' footprint. The claim "
          "holds where these counts say so and not elsewhere; every figure rests on assumed interceptor data (D) and "
          "ignores countermeasures and kill probability (a kinematic bound).")


def build_report(scenario=None, out_dir="brief", *, draws=None) -> dict:
    """Compute every table of the claim-check report and write report.md, report.html and one
    CSV per table into out_dir (each file atomically). Returns the tables."""
    if not isinstance(scenario, dict):
        sc = load_scenario(scenario, draws=None if draws is None else int(draws))
    else:
        sc = scenario
    if draws is not None and isinstance(scenario, dict):
        if "_spec" in sc:  # re-validated, so the stated scenario and its hash carry the draws used
            sc = with_draws(sc, int(draws))
        else:
            sc["uncertainty"]["draws"] = int(draws)
    s = sc["scenario"]
    out = Path(out_dir)
    doc = Doc()
    doc.h(1, s["title"])
    doc.p(f"warning_time {__version__}, scenario {sc['_source']} (hash {sc.get('_hash', '-')}; every assumption "
          "is listed under 'The scenario' at the end), generated "
          f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC. {NOTIONAL}")
    doc.p("Warning time = impact time - (impact prediction + the audience's assessment and dissemination) - decision "
          "delay; the impact prediction is the first sensor's detection + its track-and-predict time, never before "
          "burnout (or the release of the re-entry vehicles). Unless a table says otherwise, 'warning' is the military "
          "forces' (the first audience); the warning-chain section gives leaders and the public. "
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
    # a side that reaches nothing names no area or point (its 'best' would be arbitrary)
    no_l = ~np.isfinite(c_all["launch_flight_time_s"].to_numpy(float))
    no_b = ~np.isfinite(c_all["baseline_flight_time_s"].to_numpy(float))
    tab.loc[no_l, "Belarus area"] = ""
    tab.loc[no_l, ["launch_lat_deg", "launch_lon_deg"]] = np.nan
    tab.loc[no_l, "warning min-max (min)"] = "-"
    tab.loc[no_b, "best baseline"] = ""
    tab.loc[no_b, ["baseline_lat_deg", "baseline_lon_deg"]] = np.nan
    m_irbm = get_missile(sc["irbm"]["missile"])
    doc.p("'-' = no flight: the capital is outside the class's reach from every point of the area set "
          f"(for {m_irbm.key}: inside its boost footprint, ~{m_irbm.reach_min_km():,.0f} km, or farther than "
          f"{m_irbm.max_range_km:,.0f} km; a treaty category such as the INF treaty's 500-5,500 km is a label, "
          "not a physical limit).")
    doc.table("capitals_irbm", tab, model_line(sc, "irbm") + " Baselines: " + ", ".join(s["baseline_areas"])
              + (" ('Russia proper' excludes Kaliningrad)." if c_int is not None else "."))
    in_reach = np.isfinite(c_all["compression_s"].to_numpy(float))
    kal = int(((c_all["baseline_area"] == "Kaliningrad") & in_reach).sum())
    verdict = [_verdict_compression(c_all, "Against all Russian baselines")]
    if c_int is not None:
        verdict.append(_verdict_compression(c_int, "Against Russia proper (no Kaliningrad)"))
    verdict.append(f"For {kal} of the {int(in_reach.sum())} capitals in reach the fastest baseline is Kaliningrad, which is already "
                   "west of Belarus: there, Belarus adds little or nothing.")
    doc.p("Verdict: " + " ".join(verdict) + " Caveats: analytic trajectories, notional areas, "
          "sensor parameters partly assumed (D); see the uncertainty columns. The IRBM class's boost depends on the "
          "range (least-burn flyouts of a notional vehicle, docs/model.md 'Range-dependent boost'); its post-boost "
          "stage's own manoeuvres are not modelled.")
    ft = fastest_threat(sc)
    doc.table("fastest_threat", ft, "Fastest threat from the Belarus areas per NATO capital: over the classes the "
              f"scenario deploys ({sc['srbm']['missile']}, {sc['irbm']['missile']}), the class and launch point that "
              "leave the least warning (the same nominal launch points as the capitals table); negative warning: "
              "the alert comes after the impact. " + model_line(sc, "srbm") + " " + model_line(sc, "irbm"))
    named = ft[ft["target"].isin(["Vilnius", "Riga", "Warsaw"])]

    def _warn(w):
        return f"{w:.1f} min warning" if w >= 0 else f"no warning (the alert comes {-60 * w:.0f} s after the impact)"

    doc.p("Fastest threat: " + "; ".join(
        f"{r['target']}: {r['fastest_class']} from {r['from_belarus_area']}, {r['flight_time_min']:.1f} min flight, "
        + _warn(r["warning_min"]) if r["fastest_class"] else f"{r['target']}: out of reach"
        for _, r in named.iterrows()) + f". Over all {len(ft)} capitals the fastest class is "
        + ", ".join(f"{k} for {v}" for k, v in ft["fastest_class"].replace("", "none").value_counts().items()) + ".")
    ex = exposure_table(sc)
    if len(ex):
        doc.table("exposure_irbm", ex, model_line(sc, "irbm") + " Warning lost on a 0.5 deg grid (Belarus areas vs "
                  "all baselines; per cell the fastest point of each side). Population: listed cities inside the band "
                  "plus the rest of Natural Earth's pop_est spread uniformly over the country.")

    # claim 2
    doc.h(2, "Claim 2: pressure on Poland, Germany and the Baltic states (SRBM reach, IRBM warning)")
    nr = newly_in_reach(sc, "srbm")
    newly = nr[nr["newly_in_reach"]].drop(columns=["newly_in_reach"])
    doc.table("srbm_newly_in_reach", newly.reset_index(drop=True),
              model_line(sc, "srbm") + " Targets reached from a Belarus area point and from no baseline point.")
    c2 = claim_compression(sc, "irbm", "baseline_areas",
                           targets=scenario_targets(("capital", "city", "military"), s["pressure_countries"]))
    doc.table("pressure_irbm", pd.DataFrame({
        "target": c2["target"], "warning from Belarus (min)": c2["launch_warning_s"] / 60,
        "warning from baseline (min)": c2["baseline_warning_s"] / 60, "best baseline": c2["baseline_area"],
        "compression (s)": c2["compression_s"],
        "compression min/max (s)": [f"{a:.0f}/{b:.0f}" if np.isfinite(a) else "-" for a, b in
                                    zip(c2["compression_min_s"], c2["compression_max_s"])],
    }), model_line(sc, "irbm") + " Targets in " + ", ".join(s["pressure_countries"]) + ".")
    by_c = newly.groupby("country").size().to_dict() if len(newly) else {}
    doc.p(f"Verdict: the SRBM class newly reaches {len(newly)} of {len(nr)} listed targets in these countries "
          f"from Belarus ({', '.join(f'{k}: {v}' for k, v in sorted(by_c.items())) or 'none'}); "
          + _verdict_compression(c2, "IRBM-class compression there", noun="targets"))

    _warning_chain_section(doc, sc)

    # claim 3
    _claim3(doc, sc)

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
          "for any ballistic missile, and the rest are impossible, implausible or not reproduced for the class "
          "named (boost time, speed, or its calibrated flight; see each verdict).")
    doc.h(2, "Assumptions and sources")
    doc.bullets([
        "Trajectories: two-body conics between burnout and target on the WGS84 ellipsoid with Earth rotation "
        "(minimum energy = least burnout speed relative to the launch site), kinematic boost, drag delay from a "
        "ballistic coefficient (docs/model.md).",
        "Detection: space infrared sees the plume only while the engine burns (cloud tops + revisit); ground radars "
        "in their sectors, above their elevation mask through a refracting atmosphere (ITU-R P.453 profile), within "
        "a detection range scaled by the cross-section of the object in view (R ~ sigma^(1/4)); impact prediction "
        "after burnout or re-entry vehicle release; then the chain per audience (data/sensors.toml, signatures.toml, "
        "warning_chain.toml, reaction_times.toml).",
        "Parameters and their sources: warning_time/data/missiles.toml, sensors.toml; places: launch_areas.geojson "
        "(NOTIONAL), targets.csv; summary in data/SOURCES.md. Validation: docs/validation.md.",
    ])
    if "_effective" in sc:
        _scenario_section(doc, sc)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in doc.tables.items():
        with atomic_path(out / f"{name}.csv") as tmp:
            df.to_csv(tmp, index=False)
    with atomic_path(out / "report.md") as tmp:
        tmp.write_text(doc.markdown(), encoding="utf-8")
    with atomic_path(out / "report.html") as tmp:
        tmp.write_text(doc.html(s["title"]), encoding="utf-8")
    if "_effective" in sc:  # the effective scenario beside the report: rerun with --scenario DIR/scenario.toml
        with atomic_path(out / "scenario.toml") as tmp:
            tmp.write_text(show(sc), encoding="utf-8")
    return doc.tables
