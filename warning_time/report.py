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
from .analysis import (CLAIM_ORDER, aegis_geometry, claim_compression, exposure_table, model_line, newly_in_reach,
                       published_claims)
from .missiles import get_missile
from .escaping import escape_frame, escape_text
from .io import atomic_path
from .scenario import load_scenario

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

    def table(self, name, df, caption):
        self.tables[name] = df
        self.blocks.append(("table", name, df, caption))

    def csv(self, name, df):
        """A table written as CSV only (too long to print)."""
        self.tables[name] = df

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
# the report
# ----------------------------------------------------------------------------------------------

def _verdict_compression(df, label, noun="capitals"):
    comp = df["compression_s"].to_numpy(float)
    fin = comp[np.isfinite(comp)]
    if fin.size == 0:
        return f"{label}: no target is in reach from both area sets."
    n_gt60 = int((fin > 60).sum())
    n_le0 = int((fin <= 0).sum())
    return (f"{label}: median compression {np.median(fin):.0f} s over {fin.size} {noun} in reach; "
            f"{n_gt60} lose more than a minute of warning, {n_le0} lose none (a baseline is already as fast).")


def _q(a, b, div=1.0, fmt="{:.1f}"):
    """'a to b' of two quantiles ('-' when neither is finite)."""
    if not (np.isfinite(a) or np.isfinite(b)):
        return "-"
    return f"{fmt.format(a / div)} to {fmt.format(b / div)}"


def capitals_view(an) -> pd.DataFrame:
    """The capitals table as the report prints it and the map popups show it (one function,
    so both views print the same digits): the headline slice of the analysis."""
    c = an.capitals
    ru = an.slice(kind="capital", baseline_set="Russia proper") if "Russia proper" in an.baselines else None
    tab = pd.DataFrame({
        "capital": c["target"],
        "Belarus area": c["launch_area"],
        "flight (min)": c["launch_flight_time_s"] / 60,
        "warning (min)": c["launch_warning_s"] / 60,
        "warning p5 to p95 (min)": [_q(a, b, 60.0) for a, b in zip(c["launch_warning_p5_s"], c["launch_warning_p95_s"])],
        "best baseline": c["baseline_area"],
        "baseline warning (min)": c["baseline_warning_s"] / 60,
        "compression (s)": c["compression_s"],
        "compression p5 / p50 / p95 (s)": [f"{a:.0f} / {b:.0f} / {d:.0f}" if np.isfinite(b) else "-" for a, b, d in
                                           zip(c["compression_p5_s"], c["compression_p50_s"], c["compression_p95_s"])],
        "geometry bound (s)": c["geometry_bound_s"],
    })
    if ru is not None:
        tab["vs Russia proper: compression (s)"] = ru["compression_s"].to_numpy()
    for col in ("launch_lat_deg", "launch_lon_deg", "baseline_lat_deg", "baseline_lon_deg"):
        tab[col] = c[col].to_numpy()
    # a side that reaches nothing names no area or point (its 'best' would be arbitrary)
    no_l = ~np.isfinite(c["launch_flight_time_s"].to_numpy(float))
    no_b = ~np.isfinite(c["baseline_flight_time_s"].to_numpy(float))
    tab.loc[no_l, "Belarus area"] = ""
    tab.loc[no_b, "best baseline"] = ""
    return tab


def build_report(scenario=None, out_dir="brief", *, draws=None, sobol_samples=None, analysis=None) -> dict:
    """Compute every table of the claim-check report (one :class:`warning_time.study.Analysis`,
    or the one given) and write report.md, report.html and one CSV per table into out_dir (each
    file atomically). Returns the tables."""
    from .study import Analysis

    if analysis is None:
        sc = load_scenario(scenario) if not isinstance(scenario, dict) else scenario
        analysis = Analysis(sc, draws=draws, sobol_samples=sobol_samples)
    an = analysis
    sc = an.sc
    s = sc["scenario"]
    out = Path(out_dir)
    doc = Doc()
    doc.h(1, s["title"])
    doc.p(f"warning_time {__version__}, scenario {sc.get('_source', '')}, generated "
          f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC. {NOTIONAL}")
    doc.p("Warning time = impact time - (first detection + that sensor's processing delay) - decision delay. "
          "Compression = warning from the best Russian baseline point - warning from the best Belarus point "
          "(positive: warning lost by basing in Belarus). Every figure is a model estimate from open-source "
          "parameters. Nominal values: every parameter at its nominal, and in each area the attacker's best point "
          f"found by optimisation over the polygon (lattice {an.spacing_km:g} km refined to 50 m; the 'geometry "
          "bound' column bounds how far the least warning over the two areas can lie below the value shown). "
          f"Ranges: p5 to p95 over {an.draws} Monte Carlo draws (seed {an.seed}) of every parameter band from "
          f"its stated distribution ({an.distribution}, mode at the nominal; the boost's burn time, burnout "
          "altitude and downrange move together), table 'parameter_distributions'. Trajectory, launch-area set "
          "and baseline set are not drawn: they are shown side by side.")
    doc.h(2, "The paper's claims")
    doc.bullets(s.get("paper_claims", []))

    # claim 1
    irbm, srbm = an.irbm, an.srbm
    doc.h(2, f"Claim 1: warning time for NATO capitals (IRBM class {irbm})")
    summ = an.claim1_summary
    doc.table("claim1_dimensions", summ, model_line(sc, "irbm") + " Median compression over the capitals in "
              "reach, per trajectory, launch-area set (the sites reported for the class vs every notional "
              "area) and baseline set; p5 / p95: of the per-draw median. Reported sites: "
              + (", ".join(an.launch_sets["reported sites"]) or "none") + " (launch_areas.geojson reported_for).")
    tab = capitals_view(an)
    doc.p("'-' = no flight: the capital is outside the class's reach from every point of the area set "
          "(for Oreshnik: inside its boost footprint, ~170 km, or farther than 5,500 km; the 500 km of US officials "
          "is the INF-treaty category, a label, not a physical limit).")
    doc.table("capitals_irbm", tab, model_line(sc, "irbm") + f" Trajectory {an.irbm_trajectory}, every notional "
              "Belarus area, baselines: " + ", ".join(s["baseline_areas"])
              + (" ('Russia proper' excludes Kaliningrad)." if "Russia proper" in an.baselines else "."))

    doc.csv("area_best_worst", an.area_extremes)

    def line(traj, ls, bs):
        r = summ[(summ["trajectory"] == traj) & (summ["launch areas"] == ls) & (summ["baselines"] == bs)]
        if not len(r):
            return None
        r = r.iloc[0]
        if not np.isfinite(r["median compression (s)"]):
            return f"{ls} vs {bs}: no capital in reach from both"
        return (f"{ls} vs {bs}: median {r['median compression (s)']:.0f} s (p5 to p95 of the median "
                f"{r['p5 of median (s)']:.0f} to {r['p95 of median (s)']:.0f} s), {r['capitals losing > 60 s']} of "
                f"{r['capitals in reach']} capitals lose more than a minute")

    bits = [x for x in (line(an.irbm_trajectory, ls, bs) for ls in an.launch_sets for bs in an.baselines) if x]
    other = [f"{t}: " + "; ".join(x for x in (line(t, "notional areas", bs) for bs in an.baselines) if x)
             for t in an.trajectories[1:]]
    caps = an.capitals
    in_reach = np.isfinite(caps["compression_s"].to_numpy(float))
    kal = int(((caps["baseline_area"] == "Kaliningrad") & in_reach).sum())
    doc.p(f"Verdict ({an.irbm_trajectory}): " + "; ".join(bits) + ". The headline depends on where the missiles "
          "are assumed to be: the reported site alone and the notional areas (where no unit is reported) give "
          "different answers, and so does the baseline. Other trajectories (notional areas): " + "; ".join(other)
          + f". For {kal} of the {int(in_reach.sum())} capitals in reach the fastest baseline is Kaliningrad, "
          "which is already west of Belarus. Caveats: analytic trajectories, notional areas, sensor parameters "
          "partly assumed (D). The IRBM class's boost is fixed (not yet calibrated against range): below "
          "~1,000 km it overstates the flight time, so compression toward the nearest capitals is understated.")
    ft = an.fastest_threat
    doc.table("fastest_threat", ft, "Fastest threat from the Belarus areas per NATO capital: over the classes the "
              f"scenario deploys ({srbm}, {irbm}), the class and launch point that leave the least warning (each "
              "class's best point of each area, by optimisation); negative warning: the alert comes after the "
              "impact. " + model_line(sc, "srbm") + " " + model_line(sc, "irbm"))
    named = ft[ft["target"].isin(["Vilnius", "Riga", "Warsaw"])]

    def _warn(w):
        return f"{w:.1f} min warning" if w >= 0 else f"no warning (the alert comes {-60 * w:.0f} s after the impact)"

    doc.p("Fastest threat: " + "; ".join(
        f"{r['target']}: {r['fastest_class']} from {r['from_belarus_area']}, {r['flight_time_min']:.1f} min flight, "
        + _warn(r["warning_min"]) if r["fastest_class"] else f"{r['target']}: out of reach"
        for _, r in named.iterrows()) + f". Over all {len(ft)} capitals the fastest class is "
        + ", ".join(f"{k} for {v}" for k, v in ft["fastest_class"].replace("", "none").value_counts().items()) + ".")

    # sensitivity
    doc.h(3, "What drives the numbers: sensitivity per capital")
    rk = an.sensitivity_ranking
    rk_show = rk[["target", "output", "rank", "group", "ST", "S1", "swing_s"]].rename(columns={
        "ST": "Sobol total", "S1": "Sobol first-order", "swing_s": "tornado swing (s)"})
    for col in ("Sobol total", "Sobol first-order"):  # indices to 0.01 (estimates: see the confidence in sobol.csv)
        rk_show[col] = [f"{v:.2f}" if np.isfinite(v) else "-" for v in rk_show[col]]
    doc.table("sensitivity_ranking", rk_show, f"The three factor groups with the largest total Sobol index per "
              f"capital, for the warning from Belarus and for the compression ({an.sobol.attrs.get('n_evaluations', 0)} "
              "model evaluations, Saltelli sampling, SALib), with the one-at-a-time swing (group at its low and high "
              "end, the rest nominal). Full tables: tornado.csv, sobol.csv.")
    top = rk[rk["rank"] == 1].groupby("output")["group"].value_counts()
    doc.p("Ranking: " + "; ".join(f"for the {o}, the leading group is " + ", ".join(
        f"{g} ({n} capitals)" for (oo, g), n in top.items() if oo == o) for o in ("warning", "compression")) + ".")
    doc.csv("tornado", an.tornado)
    doc.csv("sobol", an.sobol)
    doc.csv("claim1_all", an.claim1)
    doc.csv("draws_irbm", an.draws_table())
    doc.csv("draw_parameters", an.draw_parameters())
    ex = an.exposure
    if len(ex):
        doc.table("exposure_irbm", ex, model_line(sc, "irbm") + " Warning lost on a 0.5 deg grid (Belarus areas vs "
                  "all baselines; per cell the fastest lattice point of each side). Population: listed cities inside "
                  "the band plus the rest of Natural Earth's pop_est spread uniformly over the country.")

    # claim 2
    doc.h(2, "Claim 2: pressure on Poland, Germany and the Baltic states (SRBM reach, IRBM warning)")
    r2 = an.claim2_reach
    m2 = get_missile(srbm)
    counts = []
    for band in ("low", "nominal", "high"):
        for bs in an.baselines:
            n = len(an.newly_in_reach(bs, band))
            counts.append(dict(band=band, max_range_km=m2.value("max_range_km", band), baselines=bs,
                               newly_in_reach=n, of_targets=len(r2)))
    doc.table("srbm_newly_in_reach_counts", pd.DataFrame(counts), model_line(sc, "srbm") + " Targets reached "
              "from some point of a Belarus area and from no point of any baseline area (polygon distance: the "
              "nearest point of each area), at each end of the class's range band.")
    newly = an.newly_in_reach("all Russian baselines", "nominal")
    doc.table("srbm_newly_in_reach", newly, "Targets newly in reach at the nominal range, against all Russian "
              "baselines; nearest distances (km) from each area set.")
    doc.csv("srbm_reach_by_polygon", r2)
    c2 = an.pressure
    doc.table("pressure_irbm", pd.DataFrame({
        "target": c2["target"], "warning from Belarus (min)": c2["launch_warning_s"] / 60,
        "warning from baseline (min)": c2["baseline_warning_s"] / 60, "best baseline": c2["baseline_area"],
        "compression (s)": c2["compression_s"],
        "compression p5 to p95 (s)": [_q(a, b, 1.0, "{:.0f}") for a, b in zip(c2["compression_p5_s"], c2["compression_p95_s"])],
    }), model_line(sc, "irbm") + " Targets in " + ", ".join(s["pressure_countries"]) + ".")
    nominal_counts = {c["baselines"]: c["newly_in_reach"] for c in counts if c["band"] == "nominal"}
    low_counts = {c["baselines"]: c["newly_in_reach"] for c in counts if c["band"] == "low"}
    doc.p(f"Verdict: by polygon distance the SRBM class ({m2.max_range_km:.0f} km) newly reaches "
          + "; ".join(f"{n} of {len(r2)} listed targets against {bs}" for bs, n in nominal_counts.items())
          + " (at the low end of its range band: "
          + "; ".join(f"{n} against {bs}" for bs, n in low_counts.items()) + "). "
          + _verdict_compression(c2, "IRBM-class compression there", noun="targets"))

    # claim 3
    doc.h(2, "Claim 3: European missile defence (Aegis Ashore geometry)")
    ag = aegis_geometry(sc, "irbm")
    if len(ag):
        near = ag[ag["closest_approach_km"] < 300].sort_values("closest_approach_km")
        doc.table("aegis_geometry", near.reset_index(drop=True),
                  model_line(sc, "irbm") + " Flights from each Belarus area's representative point to each NATO "
                  "capital whose ground track passes within 300 km of an Aegis Ashore site.")
        summary = ag.groupby("site").agg(flights=("target", "size"),
                                         within_300_km=("closest_approach_km", lambda d: int((d < 300).sum())),
                                         median_altitude_km=("altitude_there_km", "median")).reset_index()
        doc.table("aegis_summary", summary, "Counts over all Belarus-area x capital flights (IRBM class).")
        doc.p("Verdict: the table gives the geometry only - where flights from Belarus pass the two Aegis Ashore "
              "sites and how high they are there. Whether an interceptor could engage is outside this model.")

    # published claims
    doc.h(2, "Published flight-time claims")
    pc = an.published_claims
    doc.table("published_claims", pc, "Each claim against the class it names (the catalog class that models it; "
              "'class not modelled' when there is none): the class's minimum-energy, depressed and lofted preset "
              "times, the physical bounds (an ideal missile with no boost and no drag on a minimum-energy arc; "
              "the ground range covered at 7.8 km/s, faster than any sub-orbital flight), and the burnout speed a "
              "claimed time would need on the depressed branch with the class's boost. Verdicts are checked in "
              "the order: physically impossible, impossible for the class (boost, speed, range), needs a depressed "
              "trajectory, consistent. 'Used to derive' marks a claim a model parameter was derived from (its "
              "agreement is circular). 'Belarus' origins: the nearest point of the nearest Belarus area. Claims and "
              "sources: data/claims.toml (REFERENCES 4-5).")
    cats = pc["verdict"].str.split(":").str[0]
    doc.p(f"Verdict: of {len(pc)} published claims, " + ", ".join(
        f"{n} {k}" for k, n in cats.value_counts().reindex(CLAIM_ORDER).dropna().astype(int).items())
        + ". Circular (a parameter was derived from the claim): "
        + (", ".join(pc.loc[pc["used_to_derive"] != "", "claim"]) or "none") + ".")
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
    doc.table("parameter_distributions", an.space.table(), "The stated distribution of every parameter band "
              "drawn (IRBM class, sensors, decision delay); parameters of one factor move together.")
    out.mkdir(parents=True, exist_ok=True)
    for name, df in doc.tables.items():
        with atomic_path(out / f"{name}.csv") as tmp:
            df.to_csv(tmp, index=False)
    with atomic_path(out / "report.md") as tmp:
        tmp.write_text(doc.markdown(), encoding="utf-8")
    with atomic_path(out / "report.html") as tmp:
        tmp.write_text(doc.html(s["title"]), encoding="utf-8")
    return doc.tables
