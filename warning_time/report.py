"""The claim-check report: for each claim of the paper, the numbers that test it and a plain
verdict with its caveats; Markdown, HTML and CSV from one list of blocks.

The report renders: the scenario is loaded by :mod:`warning_time.scenario` and every table is
computed by :mod:`warning_time.analysis` (those names are still reachable from here)."""
from __future__ import annotations

import datetime
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .analysis import (CLAIM_ORDER, aegis_geometry, claim_compression, exposure_table, model_line, newly_in_reach,
                       published_claims)
from .missiles import get_missile
from .escaping import escape_text
from .io import atomic_path
from .margins import chain_compression, chain_steps, margin_table
from .scenario import load_scenario, show, with_draws

NOTIONAL = ("Launch areas are NOTIONAL: circles drawn around publicly reported garrisons, airfields and "
            "ranges, not identified launch sites.")

__all__ = ["build_report", "load_scenario", "claim_compression", "newly_in_reach", "aegis_geometry",
           "exposure_table", "published_claims", "Doc", "NOTIONAL"]


# ----------------------------------------------------------------------------------------------
# blocks -> Markdown / HTML
# ----------------------------------------------------------------------------------------------

#: what a table cell shows when there is no value (a capital out of reach, no baseline point)
MISSING = "\u2014"


def column_precision(col) -> int:
    """Decimals a printed column carries, from the unit its name states: minutes to 0.1, seconds
    and km to the unit, shares in percent to 0.1, Sobol indices and speeds in km/s to 0.01."""
    c = str(col).lower()
    if "sobol" in c or "km/s" in c or c.endswith("_km_s"):
        return 2
    if "(min)" in c or c.endswith("_min") or "pct" in c or "(%)" in c:
        return 1
    if "_deg" in c:
        return 2
    if "leakers" in c:
        return 1
    return 0


def _fmt_num(v, prec: int) -> str:
    """One number as printed: ``prec`` decimals, thousands grouped, no exponent, '-0' as '0'."""
    if v is None or v is pd.NA or (isinstance(v, (float, np.floating)) and not np.isfinite(v)):
        return MISSING
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    text = f"{float(v):,.{prec}f}"
    return text[1:] if text.startswith("-") and not any(ch in "123456789" for ch in text) else text


def _is_number(v) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


#: a text cell made of numbers only ('5.7 to 6.1', '32 / 48 / 70', '5-60'): printed as a number column
_COMPOSITE = re.compile(r"^-?[\d,]+(\.\d+)?( to | / |-)-?[\d,]+(\.\d+)?(( to | / |-)-?[\d,]+(\.\d+)?)*$")


def printed_cells(df: pd.DataFrame, precision=None) -> tuple[list, list]:
    """The printed form of a table, shared by Markdown and HTML: the header (name, decimals or
    None for a text column) and the rows of cell strings. Numbers get their column's precision
    (``precision`` overrides :func:`column_precision`); a missing value or an empty text prints
    :data:`MISSING`."""
    precision = precision or {}
    head, cols = [], []
    for c in df.columns:
        vals = df[c].tolist()
        numeric = any(_is_number(v) for v in vals if not (isinstance(v, float) and math.isnan(v)))
        prec = precision.get(c, column_precision(c))
        composite = not numeric and any(isinstance(v, str) and v != MISSING and v for v in vals) and all(
            _COMPOSITE.match(v) for v in vals if isinstance(v, str) and v not in ("", MISSING))
        head.append((c, prec if numeric or composite or c in precision else None))
        cols.append([_fmt_num(v, prec) if (_is_number(v) or v is None or v is pd.NA) else
                     (MISSING if str(v) == "" else str(v)) for v in vals])
    return head, [list(r) for r in zip(*cols)] if cols else []


class Doc:
    def __init__(self):
        self.blocks = []
        self.tables = {}
        self.figures = {}
        self.verdicts = {}  # claim -> its one-line answer and the table its card panel draws

    def h(self, level, text):
        self.blocks.append(("h", level, text))

    def p(self, text):
        self.blocks.append(("p", text))

    def bullets(self, items):
        self.blocks.append(("ul", list(items)))

    def code(self, text, lang=""):
        self.blocks.append(("code", lang, text))

    def table(self, name, df, caption, *, view=None, precision=None):
        """A printed table with its CSV: ``df`` (numbers as numbers, full precision, every column)
        goes to ``name``.csv and the workbook; ``view`` (default: ``df`` without its coordinate
        columns) is printed with each column's precision."""
        self.tables[name] = df
        if view is None:
            view = df.drop(columns=[c for c in df.columns if str(c).endswith(("lat_deg", "lon_deg"))])
        self.blocks.append(("table", name, printed_cells(view, precision), caption))

    def csv(self, name, df):
        """A table written as CSV only (too long to print)."""
        self.tables[name] = df

    def figure(self, name, png: bytes, caption):
        """A chart: written as charts/NAME.png, embedded in the HTML, referenced from the Markdown."""
        self.figures[name] = png
        self.blocks.append(("figure", name, caption))

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
            elif b[0] == "figure":
                out.append(f"![{b[2]}](charts/{b[1]}.png)\n\n*{b[2]}* (chart: `charts/{b[1]}.png`)\n")
            else:
                _, name, (head, rows), cap = b
                out.append(_md_table(head, rows) + "\n")
                out.append(f"*{cap}* (CSV: `{name}.csv`)\n")
        return "\n".join(out)

    def html(self, title, links=()):
        import base64

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
            elif b[0] == "figure":
                data = base64.b64encode(self.figures[b[1]]).decode("ascii")
                body.append(f"<figure id='chart-{escape_text(b[1])}'><img class='chart' alt='{escape_text(b[2])}' "
                            f"src='data:image/png;base64,{data}'><figcaption class='cap'>{escape_text(b[2])} "
                            f"(charts/{escape_text(b[1])}.png)</figcaption></figure>")
            else:
                _, name, (head, rows), cap = b
                th = "".join(f"<th>{escape_text(c)}</th>" if p is None else
                             f"<th class='num' data-precision='{p}'>{escape_text(c)}</th>" for c, p in head)
                tr = "".join("<tr>" + "".join(f"<td class='num'>{escape_text(v)}</td>" if p is not None else
                                              f"<td>{escape_text(v)}</td>" for v, (_, p) in zip(r, head)) + "</tr>"
                             for r in rows)
                body.append(f"<table class='t' id='table-{escape_text(name)}'><thead><tr>{th}</tr></thead>"
                            f"<tbody>{tr}</tbody></table>")
                body.append(f"<p class='cap'>{escape_text(cap)} (CSV: {escape_text(name)}.csv)</p>")
        nav = ""
        if links:
            nav = "<p class='links'>" + " | ".join(f"<a href='{escape_text(href)}'>{escape_text(text)}</a>"
                                                   for href, text in links) + "</p>"
        css = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
               "table.t{border-collapse:collapse;font-size:13px;margin:.5em 0}"
               "table.t td,table.t th{border:1px solid #ccc;padding:2px 6px;text-align:left}"
               "table.t td.num{text-align:right;font-variant-numeric:tabular-nums}"
               "table.t th{background:#eee}.cap{font-size:12px;color:#555}"
               "img.chart{max-width:100%;height:auto;border:1px solid #ddd}figure{margin:1em 0}"
               ".banner{background:#8b0000;color:#fff;padding:6px 10px;font-weight:bold}"
               # print (and report.pdf): A4 portrait, the tables' type smaller so the widest fits
               # the page, headers repeated on each page, no row, chart or heading cut at a page end
               "@page{size:A4;margin:12mm 10mm}"
               "@media print{body{max-width:none;margin:0;padding:0;font-size:11px}"
               ".banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
               "table.t{font-size:8px}table.t td,table.t th{padding:1px 3px;overflow-wrap:anywhere}"
               "table.t th{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
               "thead{display:table-header-group}tr,figure,img.chart{break-inside:avoid}"
               "h1,h2,h3{break-after:avoid}pre.scenario{white-space:pre-wrap;font-size:8px}"
               "img.chart{max-height:120mm;box-sizing:border-box}}")
        return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape_text(title)}</title>"
                f"<style>{css}</style></head><body><div class='banner'>NOTIONAL - {escape_text(NOTIONAL)}</div>"
                + nav + "\n".join(body) + "</body></html>")


def _md_table(head, rows) -> str:
    lines = ["| " + " | ".join(str(c).replace("|", "/") for c, _ in head) + " |",
             "|" + "".join("---:|" if p is not None else "---|" for _, p in head)]
    for r in rows:
        lines.append("| " + " | ".join(v.replace("|", "/") for v in r) + " |")
    return "\n".join(lines)


def _range_text(lo, hi, prec, sep=" to "):
    """'lo to hi' of two numbers at a precision (MISSING when neither is finite)."""
    if not (np.isfinite(lo) or np.isfinite(hi)):
        return MISSING
    return f"{_fmt_num(lo, prec)}{sep}{_fmt_num(hi, prec)}"


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
            f"{_verb(n_gt60, 'loses', 'lose')} more than a minute of warning, {_verb(n_le0, 'loses', 'lose')} none "
            "(a baseline is already as fast).")


#: decimals of the capitals table's printed columns where the unit rule is not enough: the
#: nominal compression to 0.1 s (the map popups print it so too)
CAPITALS_PRECISION = {"compression (s)": 1, "vs Russia proper: compression (s)": 1}


def _verb(n, singular, plural):
    """'1 loses' / '2 lose': a count with its verb in the right number."""
    return f"{n} {singular if n == 1 else plural}"


#: the verdict categories of the published claims as a predicate (singular, plural)
_CLAIM_VERBS = {"physically impossible": ("is physically impossible", "are physically impossible"),
                "class not modelled": ("names a class not modelled", "name a class not modelled"),
                "impossible for the class": ("is impossible for the class", "are impossible for the class"),
                "implausible for the class": ("is implausible for the class", "are implausible for the class"),
                "not reproduced by the class model": ("is not reproduced by the class model",
                                                      "are not reproduced by the class model"),
                "needs a depressed trajectory": ("needs a depressed trajectory", "need a depressed trajectory"),
                "consistent": ("is consistent", "are consistent")}


def exposure_by_country(ex: pd.DataFrame) -> pd.DataFrame:
    """The exposure table one row per country: area, share and population per band of warning
    lost (the analysis's rows, pivoted; nothing recomputed), sorted by the population that
    loses more than a minute, most first."""
    bands = list(dict.fromkeys(ex["warning lost"]))
    out = pd.DataFrame({"country": list(dict.fromkeys(ex["country"]))}).set_index("country")
    for b in bands:
        part = ex[ex["warning lost"] == b].groupby("country")
        out[f"area losing {b} (km^2)"] = part["area_km2"].sum()
        out[f"share losing {b} (pct)"] = part["area_share_pct"].sum()
        out[f"population losing {b}"] = part["population_est"].sum()
    pop = [f"population losing {b}" for b in bands]
    out["population losing more than 1 min"] = out[pop].sum(axis=1, min_count=1)
    out = out.reset_index()
    return _by_value(out, "population losing more than 1 min", ascending=False)


def _by_value(df, col, ascending=True):
    """Rows sorted by one column, rows without a value last (stable, so ties keep their order)."""
    key = pd.to_numeric(df[col], errors="coerce")
    order = np.argsort(np.where(np.isfinite(key), key if ascending else -key, np.inf), kind="stable")
    return df.iloc[order].reset_index(drop=True)


def capitals_table(an) -> pd.DataFrame:
    """The capitals table as numbers (the CSV and workbook): one column per quantity, the p5,
    p50 and p95 of the draws as their own columns, both sides' best points; sorted by the
    warning from Belarus (least first, capitals out of reach last)."""
    c = an.capitals
    ru = an.slice(kind="capital", baseline_set="Russia proper") if "Russia proper" in an.baselines else None
    tab = pd.DataFrame({
        "capital": c["target"].to_numpy(),
        "Belarus area": c["launch_area"].to_numpy(),
        "flight (min)": c["launch_flight_time_s"].to_numpy(float) / 60,
        "warning (min)": c["launch_warning_s"].to_numpy(float) / 60,
        "warning p5 (min)": c["launch_warning_p5_s"].to_numpy(float) / 60,
        "warning p50 (min)": c["launch_warning_p50_s"].to_numpy(float) / 60,
        "warning p95 (min)": c["launch_warning_p95_s"].to_numpy(float) / 60,
        "best baseline": c["baseline_area"].to_numpy(),
        "baseline warning (min)": c["baseline_warning_s"].to_numpy(float) / 60,
        "compression (s)": c["compression_s"].to_numpy(float),
        "compression p5 (s)": c["compression_p5_s"].to_numpy(float),
        "compression p50 (s)": c["compression_p50_s"].to_numpy(float),
        "compression p95 (s)": c["compression_p95_s"].to_numpy(float),
        "geometry bound (s)": c["geometry_bound_s"].to_numpy(float),
    })
    if ru is not None:
        tab["vs Russia proper: compression (s)"] = ru["compression_s"].to_numpy(float)
    for col in ("launch_lat_deg", "launch_lon_deg", "baseline_lat_deg", "baseline_lon_deg"):
        tab[col] = c[col].to_numpy(float)
    # a side that reaches nothing names no area or point (its 'best' would be arbitrary)
    no_l = ~np.isfinite(c["launch_flight_time_s"].to_numpy(float))
    no_b = ~np.isfinite(c["baseline_flight_time_s"].to_numpy(float))
    tab.loc[no_l, "Belarus area"] = ""
    tab.loc[no_b, "best baseline"] = ""
    return _by_value(tab, "warning (min)")


def capitals_view(an, table=None) -> pd.DataFrame:
    """The capitals table as the report prints it and the map popups show it (one function,
    so both views print the same digits): the numbers of :func:`capitals_table` (same order),
    the draws' quantiles as one 'p5 to p95' column each, no coordinates (they are in the CSV).
    Printed with :func:`column_precision` and :data:`CAPITALS_PRECISION`."""
    t = capitals_table(an) if table is None else table
    wp = column_precision("warning (min)")
    cp = column_precision("compression p5 (s)")
    view = t[["capital", "Belarus area", "flight (min)", "warning (min)"]].copy()
    view["warning p5 to p95 (min)"] = [_range_text(a, b, wp) for a, b in zip(t["warning p5 (min)"],
                                                                             t["warning p95 (min)"])]
    for col in ("best baseline", "baseline warning (min)", "compression (s)"):
        view[col] = t[col]
    view["compression p5 / p50 / p95 (s)"] = [
        f"{_fmt_num(a, cp)} / {_fmt_num(b, cp)} / {_fmt_num(d, cp)}" if np.isfinite(b) else MISSING
        for a, b, d in zip(t["compression p5 (s)"], t["compression p50 (s)"], t["compression p95 (s)"])]
    view["geometry bound (s)"] = t["geometry bound (s)"]
    if "vs Russia proper: compression (s)" in t:
        view["vs Russia proper: compression (s)"] = t["vs Russia proper: compression (s)"]
    return view


def compression_by_baseline(an) -> pd.DataFrame:
    """Per capital, the compression (s) against each baseline set with its p5 and p95 (the
    analysis's slices on the scenario's trajectory, every notional Belarus area), in the
    capitals table's order."""
    order = capitals_table(an)["capital"].tolist()
    out = pd.DataFrame({"capital": order})
    for bs in an.baselines:
        c = an.slice(kind="capital", baseline_set=bs).set_index("target").reindex(order)
        out[f"vs {bs} (s)"] = c["compression_s"].to_numpy(float)
        out[f"vs {bs} p5 (s)"] = c["compression_p5_s"].to_numpy(float)
        out[f"vs {bs} p95 (s)"] = c["compression_p95_s"].to_numpy(float)
    return out


def flight_timeline(an, capital=None) -> tuple[str, pd.DataFrame]:
    """The events of one IRBM-class flight from the Belarus areas' best point (the capitals
    table's) to one capital, with the analysis's class, trajectory, sensors and decision delay
    at their nominal: launch, burnout, re-entry vehicle release, first detection, impact
    prediction, warning issued to each audience, impact. ``capital``: Warsaw when in reach,
    else the capital with the least warning. Returns (capital, events)."""
    from .chain import AUDIENCES
    from .warning import warning_time

    t = capitals_table(an)
    reach = t[np.isfinite(t["warning (min)"].to_numpy(float))]
    if capital is None:
        capital = "Warsaw" if "Warsaw" in set(reach["capital"]) else (reach["capital"].iloc[0] if len(reach) else None)
    if capital is None:
        return None, pd.DataFrame(columns=["event", "time (s)", "time (min)", "detail"])
    row = t[t["capital"] == capital].iloc[0]
    tg = an.capital_targets.set_index("name").loc[capital]
    r = warning_time(row["launch_lat_deg"], row["launch_lon_deg"], float(tg["lat_deg"]), float(tg["lon_deg"]),
                     sensors=an.nominal_sensors, decision_delay_s=an.decision_delay_band[1],
                     **an._opts(an.irbm, an.irbm_trajectory)).to_frame().iloc[0]
    ev = [("launch", 0.0, f"from {row['Belarus area']} (the attacker's best point of the Belarus areas)"),
          ("burnout", r["burnout_time_s"], "end of the boost"),
          ("re-entry vehicle release", r["release_time_s"], "end of the post-boost phase"),
          ("first detection", r["first_detection_s"], "first sensor to see the flight"),
          ("impact predicted", r["impact_predicted_s"], f"by {r['detected_by']}")]
    for a in AUDIENCES:
        w = r[f"warning_{a}_s"]
        ev.append((f"warning to {a}", r["flight_time_s"] - w,
                   f"{w / 60:.1f} min before the impact" if w >= 0 else f"{-w / 60:.1f} min after the impact"))
    ev.append(("impact", r["flight_time_s"], capital))
    df = pd.DataFrame(ev, columns=["event", "time (s)", "detail"])
    if df.loc[df["event"] == "re-entry vehicle release", "time (s)"].iloc[0] == df.loc[
            df["event"] == "burnout", "time (s)"].iloc[0]:  # no post-boost phase: one event
        df = df[df["event"] != "re-entry vehicle release"]
    df = df.sort_values("time (s)", kind="stable").reset_index(drop=True)
    df.insert(2, "time (min)", df["time (s)"] / 60)
    return capital, df


def _chain_on_best_points(an, run, targets, **opts) -> pd.DataFrame:
    """chain_compression per target on the analysis's own best points of each area for that
    target (the points of the capitals tables; an area that reaches nothing stands in with its
    representative point, which is out of reach too)."""
    bp = an.best_points(run)
    rep = {n: g.representative_point() for n, g in zip(an.areas["name"], an.areas.geometry)}
    rows = []
    for i in range(len(targets)):
        tt = targets.iloc[[i]].reset_index(drop=True)
        mine = bp[bp["target"] == tt["name"].iloc[0]].set_index("area")

        def points(names):
            lat = [float(mine["lat_deg"].get(n, np.nan)) for n in names]
            lon = [float(mine["lon_deg"].get(n, np.nan)) for n in names]
            lat = [la if np.isfinite(la) else rep[n].y for la, n in zip(lat, names)]
            lon = [lo if np.isfinite(lo) else rep[n].x for lo, n in zip(lon, names)]
            return pd.DataFrame({"area": names, "lat_deg": lat, "lon_deg": lon})
        rows.append(chain_compression(tt, points(an.launch_areas), points(an.baselines["all Russian baselines"]),
                                      **opts))
    return pd.concat(rows, ignore_index=True)


def _warning_chain_section(doc, an):
    """The warning chain per audience, reaction-time margins and what cancels in a compression,
    for the scenario's classes, on the same nominal launch points as the capitals tables."""
    from .chain import load_reactions
    from .sensors import sensor_set

    sc = an.sc
    s = sc["scenario"]
    doc.h(2, "The warning chain: who is warned when, and what the warning buys")
    doc.p("Chain: detect (space infrared sees the plume while the engine burns; radars see the booster, the "
          "post-boost vehicle or the re-entry vehicle in their sectors) -> track and predict the impact point (each "
          "sensor's processing time, never before burnout or re-entry vehicle release) -> assess -> disseminate, "
          "with its own assessment and dissemination for military forces, national leaders and the public. The "
          f"scenario's decision delay ({s['decision_delay_band'][1]:.0f} s) is added for every audience.")
    steps = chain_steps()
    steps_view = steps[["audience", "assess (s)"]].copy()
    steps_view["assess band (s)"] = [_range_text(a, b, 0, "-") for a, b in zip(steps["assess low (s)"],
                                                                             steps["assess high (s)"])]
    steps_view["disseminate (s)"] = steps["disseminate (s)"]
    steps_view["disseminate band (s)"] = [_range_text(a, b, 0, "-") for a, b in zip(steps["disseminate low (s)"],
                                                                                  steps["disseminate high (s)"])]
    for col in ("after impact prediction (s)", "sources"):
        steps_view[col] = steps[col]
    doc.table("warning_chain", steps, "Assessment and dissemination after the impact prediction, per audience "
              "(nominal and band; data/warning_chain.toml). Cross-check: Japan's J-Alert public message came ~4 min "
              "after the launch of 29 Aug 2017; the public chain on a liquid IRBM-class burn brackets it.", view=steps_view)
    r = load_reactions()
    rt = pd.DataFrame({"reaction": r["reaction"], "audience": r["audience"], "what": r["label"],
                       "required (s)": r["required_s"], "required low (s)": r["required_low_s"],
                       "required high (s)": r["required_high_s"], "source": r["source"]})
    rt_view = rt[["reaction", "audience", "what", "required (s)"]].copy()
    rt_view["band (s)"] = [_range_text(a, b, 0, "-") for a, b in zip(rt["required low (s)"], rt["required high (s)"])]
    rt_view["source"] = rt["source"]
    doc.table("reaction_times", rt, "Time a target needs once warned (data/reaction_times.toml); margin = warning to "
              "the reaction's audience - required time.", view=rt_view)
    from .charts import timeline_chart

    cap, events = flight_timeline(an)
    if cap is not None:
        doc.table("timeline_irbm", events, f"One {an.irbm} flight ({an.irbm_trajectory}) to {cap} from the Belarus "
                  "areas' best point, every parameter nominal: the events in seconds after the launch; the warning of "
                  "each audience is the impact minus its warning issued.", precision={"time (min)": 1})
        doc.figure("timeline", timeline_chart(events, f"One {an.irbm} flight to {cap}: who is warned when"),
                   f"Timeline of one {an.irbm} flight to {cap} (table timeline_irbm).")
    sens = sensor_set(names=s["sensors"])
    t = an.capital_targets
    for run in [x for x in ("srbm", "irbm") if x in sc]:
        key = sc[run]["missile"]
        traj = an.irbm_trajectory if run == "irbm" else sc[run].get("trajectory", "minimum-energy")
        cc = _chain_on_best_points(an, run, t, missile=key, trajectory=traj, earth=s["earth"],
                                   rotation=s["rotation"], sensors=sens, decision_delay_s=s["decision_delay_band"][1])
        reach = np.isfinite(cc["launch_flight_time_s"].to_numpy(float))
        if not reach.any():
            doc.p(f"{key}: no capital in reach from the Belarus areas.")
            continue
        c = cc[reach].reset_index(drop=True)
        c = c.iloc[np.argsort(c["launch_warning_forces_s"].to_numpy(float), kind="stable")].reset_index(drop=True)
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
                  "term (I_Belarus - I_baseline). Capitals out of reach from Belarus are left out; sorted by the forces' "
                  "warning, least first (the margins table below keeps this order).")
        m = margin_table(c, r)
        wide = m.pivot(index="target", columns="reaction", values="margin_from_belarus_s").reindex(c["target"])
        wide.columns = [f"{x} margin (s)" for x in wide.columns]
        only = m[m["negative_from_belarus_only"]]
        lost = only.groupby("target")["reaction"].agg(lambda x: ", ".join(x)).reindex(c["target"]).fillna("")
        wide["negative from Belarus, not from baselines"] = np.where(lost.to_numpy() == "", "none", lost.to_numpy())
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


def _claim3(doc, an):
    """Claim 3: engagement windows, shot opportunities, the SRBM floor, footprints, the raid
    table and the real pass-bys, all from the analysis (:attr:`warning_time.study.Analysis.claim3`)."""
    sc = an.sc
    s = sc["scenario"]
    c3 = an.claim3
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
    site_order = {k: i for i, k in enumerate(dict.fromkeys(win["site"]))}
    win = win.assign(_site=win["site"].map(site_order), _lost=-pd.to_numeric(win["window lost (s)"]).fillna(-np.inf))
    win = win.sort_values(["_site", "_lost"], kind="stable").drop(columns=["_site", "_lost"]).reset_index(drop=True)
    doc.table("defence_windows", win, precision={c: 1 for c in win.columns if c.startswith("window")}, caption=model_line(sc, "irbm") + " Engagement window (s of threat flight that can be "
              "intercepted) and shot opportunities per site and NATO capital, from the attacker's best Belarus and "
              "baseline launch points; 'window lost' = baseline - Belarus (positive: battle space lost by basing in "
              f"Belarus). Sorted per site by the window lost, most first. {MISSING}: out of reach.")
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
        ps = _by_value(ps, "closest_approach_km")
        ps_view = pd.DataFrame({"launch area": ps["launch_area"], "target": ps["target"], "site": ps["site"],
                                "closest approach (km)": ps["closest_approach_km"],
                                "altitude there (km)": ps["altitude_there_km"],
                                "there at (min)": ps["time_there_s"] / 60, "flight (min)": ps["flight_time_s"] / 60})
        doc.table("aegis_geometry", ps, model_line(sc, "irbm") + " Flights from each Belarus area's representative "
                  "point to each NATO capital whose ground track passes within 300 km of an Aegis Ashore site "
                  f"before its impact ({c3['passes_dropped']} flights that end near a site are not passes and are "
                  "left out; their engagement is in the windows table). Sorted by the closest approach; times since the "
                  "launch in minutes.", view=ps_view)
    tot_fewer = int((win["shots lost"] > 0).sum())
    tot_more = int((win["shots lost"] < 0).sum())
    tot_same = int((win["shots lost"] == 0).sum())
    n_srbm_win = int(sr["flights with a window"].sum())
    doc.verdicts["claim3"] = dict(
        claim="Claim 3: European missile defence complicated (IRBM class)",
        answer=f"From Belarus instead of the best baseline: fewer shot opportunities in {tot_fewer} site-capital "
               f"cases, more in {tot_more}, as many in {tot_same} (kinematic bound, assumed interceptor data).",
        table=pd.DataFrame({"shots from Belarus": ["fewer", "as many", "more"],
                            "site-capital cases": [tot_fewer, tot_same, tot_more]}))
    lost_once = fp[(fp["launch"].str.startswith("lost")) & (fp["min_shots"] == 1)]["area_km2"]
    doc.p(f"Verdict: over {len(c3['sites'])} sites x the capitals in reach, launching from Belarus instead of the best "
          f"baseline leaves fewer shot opportunities in {tot_fewer} site-capital cases, more in {tot_more} and as many "
          f"in {tot_same}; the SRBM class has an upper-tier window in {n_srbm_win} site-flight cases of "
          f"{int(sr['SRBM flights in reach'].sum())}; {c3['sites'][0].label} loses "
          f"{(float(lost_once.iloc[0]) if len(lost_once) else 0.0):,.0f} km^2 of 'at least once' footprint. The claim "
          "holds where these counts say so and not elsewhere; every figure rests on assumed interceptor data (D) and "
          "ignores countermeasures and kill probability (a kinematic bound).")


def _card_line(summ, trajectory, sets) -> str:
    """Claim 1 in one line: the median compression over the capitals in reach from the notional
    areas against each baseline set, and how many lose more than a minute (claim1_dimensions)."""
    parts = []
    for bs in sets:
        r = summ[(summ["trajectory"] == trajectory) & (summ["launch areas"] == "notional areas")
                 & (summ["baselines"] == bs)]
        if len(r) and np.isfinite(r["median compression (s)"].iloc[0]):
            r = r.iloc[0]
            parts.append(f"median {r['median compression (s)']:.0f} s vs {bs} ({r['capitals losing > 60 s']} of "
                         f"{r['capitals in reach']} capitals lose more than a minute)")
    return ("Warning lost by basing in Belarus: " + "; ".join(parts) + ".") if parts else "No capital in reach."


def brief_card(an, verdicts) -> bytes:
    """The one-page card: a panel per claim (the report's own tables) under its one-line answer
    (the report's verdict figures), NOTIONAL banner and provenance; PNG, 1600x900."""
    from .charts import brief_card as card

    panels = []
    v = verdicts.get("claim1")
    if v:
        def draw1(ax, v=v):
            t = v["table"]
            for k, bs in enumerate(v["sets"]):
                x = t[f"vs {bs} (s)"].to_numpy(float)
                x = x[np.isfinite(x)]
                ax.plot(x, np.full(x.size, k) + np.linspace(-0.15, 0.15, x.size), "o", ms=4, alpha=0.7)
                if x.size:
                    ax.plot([np.median(x)] * 2, [k - 0.3, k + 0.3], color="k", lw=2)
            ax.axvline(0, color="#444", lw=0.8)
            ax.axvline(60, color="#999", lw=0.8, ls="--")
            ax.set_yticks(range(len(v["sets"])), [f"vs {b}" for b in v["sets"]])
            ax.set_xlabel("warning lost per capital (s); bar: median; dashed: 1 min")
        panels.append(dict(claim=v["claim"], answer=v["answer"], draw=draw1))
    v = verdicts.get("claim2")
    if v:
        def draw2(ax, v=v):
            t = v["table"]
            bands = list(dict.fromkeys(t["band"]))
            sets = list(dict.fromkeys(t["baselines"]))
            for k, bs in enumerate(sets):
                y = [int(t[(t["band"] == b) & (t["baselines"] == bs)]["newly_in_reach"].iloc[0]) for b in bands]
                ax.bar(np.arange(len(bands)) + (k - (len(sets) - 1) / 2) * 0.38, y, width=0.36, label=f"vs {bs}")
            ax.set_xticks(range(len(bands)), [f"{b} range" for b in bands])
            ax.set_ylabel("targets newly in SRBM reach")
            ax.set_ylim(0, max(1, ax.get_ylim()[1]) * 1.3)  # room for the legend above the bars
            ax.legend(frameon=False, fontsize=9, loc="upper center", ncols=2)
        panels.append(dict(claim=v["claim"], answer=v["answer"], draw=draw2))
    v = verdicts.get("claim3")
    if v:
        def draw3(ax, v=v):
            t = v["table"]
            ax.bar(t["shots from Belarus"], t["site-capital cases"], color=["#d62728", "#999999", "#2ca02c"])
            ax.set_ylabel("site-capital cases")
            ax.set_xlabel("shot opportunities from Belarus vs the best baseline")
        panels.append(dict(claim=v["claim"], answer=v["answer"], draw=draw3))
    v = verdicts.get("published")
    if v:
        def draw4(ax, v=v):
            t = v["table"]
            ax.barh(range(len(t))[::-1], t["claims"], color="#6a51a3")
            ax.set_yticks(range(len(t))[::-1], list(t["verdict"]), fontsize=9)
            ax.set_xlabel("claims")
        panels.append(dict(claim=v["claim"], answer=v["answer"], draw=draw4))
    sc = an.sc
    return card(panels, sc["scenario"]["title"], f"warning_time {__version__}; scenario {sc['_source']} (hash "
                f"{sc.get('_hash', '-')}); {an.draws} draws. Every figure is a model estimate; full tables and "
                "caveats: report.html. " + NOTIONAL)


def build_report(scenario=None, out_dir="brief", *, draws=None, sobol_samples=None, analysis=None,
                 with_map=False) -> dict:
    """Compute every table of the claim-check report (one :class:`warning_time.study.Analysis`,
    or the one given) and write report.md, report.html, one CSV per table, tables.xlsx (one
    sheet per printed table), the charts (charts/*.png, also embedded in the HTML) and the one-page
    brief_card.png into out_dir (each file atomically). report.html links map.html when
    ``with_map`` (the caller writes it) or when out_dir already holds one. Returns the tables."""
    from .study import Analysis

    if analysis is None:
        if not isinstance(scenario, dict):
            sc = load_scenario(scenario, draws=None if draws is None else int(draws))
        else:
            sc = scenario
            if draws is not None:
                if "_spec" in sc:  # re-validated, so the stated scenario and its hash carry the draws used
                    sc = with_draws(sc, int(draws))
                else:
                    sc["uncertainty"]["draws"] = int(draws)
        analysis = Analysis(sc, sobol_samples=sobol_samples)
    an = analysis
    sc = an.sc
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
    tab = capitals_table(an)
    m_irbm = get_missile(irbm)
    doc.p(f"A '{MISSING}' in a table means no value; in the capitals table, no flight: the capital is outside the class's reach from every point of the area set "
          f"(for {m_irbm.key}: inside its boost footprint, ~{m_irbm.reach_min_km():,.0f} km, or farther than "
          f"{m_irbm.max_range_km:,.0f} km; a treaty category such as the INF treaty's 500-5,500 km is a label, "
          "not a physical limit).")
    doc.table("capitals_irbm", tab, model_line(sc, "irbm") + f" Trajectory {an.irbm_trajectory}, every notional "
              "Belarus area, baselines: " + ", ".join(s["baseline_areas"])
              + (" ('Russia proper' excludes Kaliningrad)" if "Russia proper" in an.baselines else "")
              + ". Sorted by the warning from Belarus, least first. Warning in minutes, compression and bounds in "
              "seconds; the CSV adds the p50 and both sides' best points (latitude, longitude).",
              view=capitals_view(an, tab), precision=CAPITALS_PRECISION)

    from .charts import compression_chart, warning_chart

    doc.figure("warning_per_capital", warning_chart(tab, f"Warning from Belarus per NATO capital ({irbm}, "
                                                         f"{an.irbm_trajectory})"),
               f"Warning to the military forces from the Belarus areas' best point per capital in reach, least first; "
               f"bar: p5 to p95 over {an.draws} draws (table capitals_irbm).")
    doc.csv("area_best_worst", an.area_extremes)
    comp = compression_by_baseline(an)

    def line(traj, ls, bs):
        r = summ[(summ["trajectory"] == traj) & (summ["launch areas"] == ls) & (summ["baselines"] == bs)]
        if not len(r):
            return None
        r = r.iloc[0]
        if not np.isfinite(r["median compression (s)"]):
            return f"{ls} vs {bs}: no capital in reach from both"
        band = (f" (p5 to p95 of the median {r['p5 of median (s)']:.0f} to {r['p95 of median (s)']:.0f} s)"
                if np.isfinite(r["p5 of median (s)"]) else " (nominal; the draws are of the scenario's trajectory)")
        return (f"{ls} vs {bs}: median {r['median compression (s)']:.0f} s{band}, {r['capitals losing > 60 s']} of "
                f"{r['capitals in reach']} capitals {'loses' if r['capitals losing > 60 s'] == 1 else 'lose'} more "
                "than a minute")

    bits = [x for x in (line(an.irbm_trajectory, ls, bs) for ls in an.launch_sets for bs in an.baselines) if x]
    doc.verdicts["claim1"] = dict(
        claim=f"Claim 1: warning compressed for NATO capitals ({irbm}, {an.irbm_trajectory})",
        answer=_card_line(summ, an.irbm_trajectory, list(an.baselines)), table=comp, sets=list(an.baselines))
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
          "partly assumed (D). The IRBM class's boost depends on the range (least-burn flyouts of a notional "
          "vehicle, docs/model.md 'Range-dependent boost'); its post-boost stage's own manoeuvres are not modelled.")
    doc.csv("compression_by_baseline", comp)
    doc.figure("compression_per_capital", compression_chart(comp, list(an.baselines), "Warning lost by basing in "
                                                            f"Belarus per NATO capital ({irbm}, {an.irbm_trajectory})"),
               "Compression per capital against each baseline set (dot: nominal; bar: p5 to p95 of the draws), "
               "most first; positive: warning lost by basing in Belarus (table compression_by_baseline).")
    ft = _by_value(an.fastest_threat, "warning_min")
    ft_view = ft.drop(columns=["trajectory"]).rename(columns=lambda c: {
        "target": "capital", "fastest_class": "fastest class", "from_belarus_area": "from Belarus area",
        "flight_time_min": "flight (min)", "warning_min": "warning (min)"}.get(
        c, c.replace("_flight_time_min", ": flight (min)").replace("_warning_min", ": warning (min)")))
    doc.table("fastest_threat", ft, "Fastest threat from the Belarus areas per NATO capital: over the classes the "
              f"scenario deploys ({srbm}, {irbm}), the class and launch point that leave the least warning (each "
              "class's best point of each area, by optimisation); negative warning: the alert comes after the "
              "impact. Sorted by the warning, least first. " + model_line(sc, "srbm") + " " + model_line(sc, "irbm"),
              view=ft_view)
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
    doc.table("sensitivity_ranking", rk_show, f"The three factor groups with the largest total Sobol index per "
              f"capital, for the warning from Belarus and for the compression ({an.sobol.attrs.get('n_evaluations', 0)} "
              "model evaluations, Saltelli sampling, SALib), with the one-at-a-time swing (group at its low and high "
              "end, the rest nominal). Indices to 0.01 (estimates: their confidence is in sobol.csv). Full tables: "
              "tornado.csv, sobol.csv.", precision={"tornado swing (s)": 1})
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
        doc.table("exposure_irbm", exposure_by_country(ex), model_line(sc, "irbm") + " Warning lost on a 0.5 deg "
                  "grid (Belarus areas vs all baselines; per cell the fastest lattice point of each side), one row per "
                  "country, sorted by the population losing more than a minute. Population: listed cities inside the "
                  "band plus the rest of Natural Earth's pop_est spread uniformly over the country (an estimate, to "
                  "the thousand).")

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
    if len(newly) and "from_belarus_km" in newly:
        newly = _by_value(newly, "from_belarus_km")
    doc.table("srbm_newly_in_reach", newly, "Targets newly in reach at the nominal range, against all Russian "
              "baselines; nearest distances (km) from each area set.")
    doc.csv("srbm_reach_by_polygon", r2)
    c2 = an.pressure
    pr = _by_value(pd.DataFrame({
        "target": c2["target"].to_numpy(), "warning from Belarus (min)": c2["launch_warning_s"].to_numpy(float) / 60,
        "warning from baseline (min)": c2["baseline_warning_s"].to_numpy(float) / 60,
        "best baseline": c2["baseline_area"].to_numpy(), "compression (s)": c2["compression_s"].to_numpy(float),
        "compression p5 (s)": c2["compression_p5_s"].to_numpy(float),
        "compression p95 (s)": c2["compression_p95_s"].to_numpy(float),
    }), "compression (s)", ascending=False)
    pr_view = pr.drop(columns=["compression p5 (s)", "compression p95 (s)"])
    pr_view["compression p5 to p95 (s)"] = [_range_text(a, b, 0) for a, b in zip(pr["compression p5 (s)"],
                                                                                 pr["compression p95 (s)"])]
    doc.table("pressure_irbm", pr, model_line(sc, "irbm") + " Targets in " + ", ".join(s["pressure_countries"])
              + ", sorted by the warning lost (compression), most first.", view=pr_view, precision=CAPITALS_PRECISION)
    nominal_counts = {c["baselines"]: c["newly_in_reach"] for c in counts if c["band"] == "nominal"}
    fin2 = c2["compression_s"].to_numpy(float)
    fin2 = fin2[np.isfinite(fin2)]
    doc.verdicts["claim2"] = dict(
        claim="Claim 2: pressure on " + ", ".join(s["pressure_countries"]),
        answer=f"The SRBM class ({m2.max_range_km:.0f} km) newly reaches "
        + "; ".join(f"{n} of {len(r2)} targets vs {bs}" for bs, n in nominal_counts.items())
        + (f"; IRBM-class median compression there {np.median(fin2):.0f} s." if fin2.size else "."),
        table=pd.DataFrame(counts))
    low_counts = {c["baselines"]: c["newly_in_reach"] for c in counts if c["band"] == "low"}
    doc.p(f"Verdict: by polygon distance the SRBM class ({m2.max_range_km:.0f} km) newly reaches "
          + "; ".join(f"{n} of {len(r2)} listed targets against {bs}" for bs, n in nominal_counts.items())
          + " (at the low end of its range band: "
          + "; ".join(f"{n} against {bs}" for bs, n in low_counts.items()) + "). "
          + _verdict_compression(c2, "IRBM-class compression there", noun="targets"))

    _warning_chain_section(doc, an)

    # claim 3
    _claim3(doc, an)

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
    vc = cats.value_counts().reindex(CLAIM_ORDER).dropna().astype(int)
    doc.verdicts["published"] = dict(
        claim="Published flight-time claims",
        answer=f"Of {len(pc)} claims, " + ", ".join(_verb(n, *_CLAIM_VERBS.get(k, (k, k))) for k, n in vc.items())
        + ".", table=pd.DataFrame({"verdict": vc.index, "claims": vc.to_numpy()}))
    doc.p(f"Verdict: of {len(pc)} published claims, " + ", ".join(
        _verb(n, *_CLAIM_VERBS.get(k, (k, k))) for k, n in cats.value_counts().reindex(CLAIM_ORDER).dropna()
        .astype(int).items())
        + ". Circular (a parameter was derived from the claim): "
        + (", ".join(pc.loc[pc["used_to_derive"] != "", "claim"]) or "none") + ".")
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
    doc.table("parameter_distributions", an.space.table(), "The stated distribution of every parameter band "
              "drawn (IRBM class, sensors, decision delay); parameters of one factor move together. Values in each "
              "parameter's own unit (its name), to 0.01.", precision={"low": 2, "nominal": 2, "high": 2})
    if "_effective" in sc:
        _scenario_section(doc, sc)
    out.mkdir(parents=True, exist_ok=True)
    for name, df in doc.tables.items():
        with atomic_path(out / f"{name}.csv") as tmp:
            df.to_csv(tmp, index=False)
    from .workbook import write_workbook

    printed = [b[1] for b in doc.blocks if b[0] == "table"]
    write_workbook({n: doc.tables[n] for n in printed}, out / "tables.xlsx", about=[
        s["title"], f"warning_time {__version__}; scenario {sc['_source']} (hash {sc.get('_hash', '-')})", NOTIONAL,
        "One sheet per table printed in report.md, with the same numbers as its CSV (full precision). The long "
        "tables are CSV only: " + ", ".join(f"{n}.csv" for n in doc.tables if n not in printed) + "."])
    card = brief_card(an, doc.verdicts)
    with atomic_path(out / "brief_card.png") as tmp:
        tmp.write_bytes(card)
    for name, png in doc.figures.items():
        with atomic_path(out / "charts" / f"{name}.png") as tmp:
            tmp.write_bytes(png)
    links = [("brief_card.png", "one-page brief card"), ("tables.xlsx", "all tables (XLSX)")]
    if with_map or (out / "map.html").exists():
        links.insert(0, ("map.html", "interactive map"))
    doc.blocks.insert(1, ("p", "Files beside this report: " + "; ".join(f"{t} ({h})" for h, t in links)
                          + "; one CSV per table."))
    with atomic_path(out / "report.md") as tmp:
        tmp.write_text(doc.markdown(), encoding="utf-8")
    with atomic_path(out / "report.html") as tmp:
        tmp.write_text(doc.html(s["title"], links=links), encoding="utf-8")
    if "_effective" in sc:  # the effective scenario beside the report: rerun with --scenario DIR/scenario.toml
        with atomic_path(out / "scenario.toml") as tmp:
            tmp.write_text(show(sc), encoding="utf-8")
    return doc.tables
