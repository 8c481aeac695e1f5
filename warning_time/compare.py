"""Two scenarios side by side: the nominal warning and compression per capital under each, and
every assumption that differs between them (``warning-time compare A.toml B.toml``)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from .io import atomic_path
from .scenario import changed_assumptions, load_scenario


@dataclasses.dataclass
class Comparison:
    """The result of :func:`compare_scenarios`: ``table`` (one row per capital), ``changes``
    (key, A, B) and the two loaded scenarios."""

    a: dict
    b: dict
    table: pd.DataFrame
    changes: pd.DataFrame

    def text(self) -> str:
        """A plain-text summary: both scenarios with their hashes, what changed, the table."""
        lines = [f"A: {self.a['_source']} (hash {self.a['_hash']})",
                 f"B: {self.b['_source']} (hash {self.b['_hash']})", ""]
        if len(self.changes):
            lines.append(f"Changed assumptions ({len(self.changes)}):")
            for _, r in self.changes.iterrows():
                lines.append(f"  {r['key']}: {_short(r['A'])} -> {_short(r['B'])}")
        else:
            lines.append("No assumption differs: the two scenarios are the same.")
        lines += ["", "Nominal warning (min) and compression (s) per capital, IRBM run, all baselines "
                  "(B - A: change from A to B; NaN: out of reach). Launch areas are NOTIONAL.", ""]
        with pd.option_context("display.width", 250, "display.max_rows", 500, "display.max_columns", 20):
            lines.append(self.table.round(1).to_string(index=False, na_rep="-"))
        return "\n".join(lines)


def _short(v) -> str:
    s = "(not set)" if v is None else repr(v) if not isinstance(v, dict) else \
        ", ".join(f"{k}={x!r}" for k, x in v.items() if k != "source")
    return s if len(s) <= 100 else s[:97] + "..."


def _nominal(sc: dict) -> pd.DataFrame:
    """The nominal capitals table of a scenario as its report prints it: the analysis's best
    points (optimised over each area polygon, no seed), every parameter at its nominal, the
    scenario's own IRBM trajectory, all baselines. No draws are needed for it."""
    from .analysis import scenario_targets
    from .study import Analysis

    an = Analysis(sc, draws=0, trajectories=[], targets=scenario_targets(("capital",), sc=sc))
    return an.capitals


def compare_scenarios(a=None, b=None) -> Comparison:
    """Load two scenarios (paths, loaded dicts, or None for the shipped paper scenario) and put
    their nominal capitals tables side by side with the list of changed assumptions."""
    sa = a if isinstance(a, dict) else load_scenario(a)
    sb = b if isinstance(b, dict) else load_scenario(b)
    ta, tb = _nominal(sa), _nominal(sb)
    cols = {"launch_area": "Belarus area", "launch_warning_s": "warning", "baseline_area": "best baseline",
            "compression_s": "compression_s", "baseline_warning_s": "baseline warning"}
    left = ta[["target", *cols]].rename(columns={k: f"{v} A" for k, v in cols.items()})
    right = tb[["target", *cols]].rename(columns={k: f"{v} B" for k, v in cols.items()})
    t = left.merge(right, on="target", how="outer", sort=False)
    t = t.rename(columns={"target": "capital"})
    out = pd.DataFrame({"capital": t["capital"]})
    out["warning A (min)"] = t["warning A"] / 60
    out["warning B (min)"] = t["warning B"] / 60
    out["warning B - A (s)"] = t["warning B"] - t["warning A"]
    out["compression A (s)"] = t["compression_s A"]
    out["compression B (s)"] = t["compression_s B"]
    out["compression B - A (s)"] = t["compression_s B"] - t["compression_s A"]
    for side in ("A", "B"):
        out[f"Belarus area {side}"] = t[f"Belarus area {side}"].fillna("")
        out[f"best baseline {side}"] = t[f"best baseline {side}"].fillna("")
    for side in ("A", "B"):  # a side that reaches nothing names no area (its 'best' would be arbitrary)
        out.loc[~np.isfinite(t[f"warning {side}"].to_numpy(float)), f"Belarus area {side}"] = ""
        out.loc[~np.isfinite(t[f"baseline warning {side}"].to_numpy(float)), f"best baseline {side}"] = ""
    ch = pd.DataFrame(changed_assumptions(sa, sb), columns=["key", "A", "B"])
    return Comparison(sa, sb, out, ch)


def write_comparison(res: Comparison, out_dir) -> None:
    """compare.csv (the side-by-side table), changes.csv and compare.md into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with atomic_path(out / "compare.csv") as tmp:
        res.table.to_csv(tmp, index=False)
    ch = res.changes.assign(A=res.changes["A"].map(repr), B=res.changes["B"].map(repr))
    with atomic_path(out / "changes.csv") as tmp:
        ch.to_csv(tmp, index=False)
    with atomic_path(out / "compare.md") as tmp:
        tmp.write_text("# Scenario comparison\n\n```\n" + res.text().replace("```", "'''") + "\n```\n",
                       encoding="utf-8")
