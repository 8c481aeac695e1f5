"""Static charts of the report and the brief card (matplotlib, Agg): each reads a table the report
already holds (the analysis's numbers) and returns PNG bytes; nothing here computes a result.

* :func:`warning_chart`: warning per capital from Belarus with its p5-p95 band of the draws;
* :func:`compression_chart`: compression per capital against each baseline set;
* :func:`timeline_chart`: the events of one flight (launch, burnout, detection, impact prediction,
  warning per audience, impact);
* :func:`brief_card`: one panel per claim with its one-line answer, for a slide.

Text from data files (capital and area names) is drawn as glyphs, never parsed as markup.
"""
from __future__ import annotations

import io
import textwrap

import numpy as np
import pandas as pd

NOTIONAL_TAG = "NOTIONAL launch areas - model estimates from open-source parameters"
_COLORS = {"all Russian baselines": "#1f77b4", "Russia proper": "#d62728"}


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"text.usetex": False, "svg.fonttype": "path", "font.size": 9,
                         "axes.spines.top": False, "axes.spines.right": False})
    return plt


def _png(fig, dpi=130) -> bytes:
    buf = io.BytesIO()
    # no timestamp or software metadata: the same tables give the same bytes
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    _plt().close(fig)
    return buf.getvalue()


def _plain(text) -> str:
    """User text as literal glyphs: '$' would start matplotlib's mathtext."""
    return str(text).replace("$", r"\$")


def _capital_rows(fig, ax, t, y, xlabel, title, legend_loc) -> bytes:
    """Finish a chart with one row per capital (zero line, capital names, axis label, title,
    legend, grid) and return it as PNG."""
    ax.axvline(0, color="#444", lw=0.8)
    ax.set_yticks(y, [_plain(x) for x in t["capital"]])
    ax.set_xlabel(xlabel)
    ax.set_ylim(-0.8, len(t) - 0.2)
    ax.set_title(_plain(title), loc="left", fontsize=10)
    ax.legend(loc=legend_loc, fontsize=8, frameon=False)
    ax.grid(axis="x", color="#ddd", lw=0.6)
    return _png(fig)


def warning_chart(capitals: pd.DataFrame, title: str) -> bytes:
    """Warning (min) from Belarus per capital in reach, least first, with the p5-p95 band of the
    draws as a bar; ``capitals`` is the report's numeric capitals table."""
    plt = _plt()
    t = capitals[np.isfinite(capitals["warning (min)"].to_numpy(float))]
    t = t.iloc[np.argsort(t["warning (min)"].to_numpy(float), kind="stable")]
    n = max(len(t), 1)
    fig, ax = plt.subplots(figsize=(7.5, 0.22 * n + 1.4))
    y = np.arange(len(t))[::-1]
    w = t["warning (min)"].to_numpy(float)
    lo, hi = t["warning p5 (min)"].to_numpy(float), t["warning p95 (min)"].to_numpy(float)
    ok = np.isfinite(lo) & np.isfinite(hi)
    ax.hlines(y[ok], lo[ok], hi[ok], color="#9ecae1", lw=5, label="p5 to p95 of the draws")
    ax.plot(w, y, "o", color="#08519c", ms=4, label="nominal (attacker's best point)")
    return _capital_rows(fig, ax, t, y, "warning to the military forces (min)", title, "upper right")


def compression_chart(comp: pd.DataFrame, sets, title: str) -> bytes:
    """Compression (s) per capital against each baseline set (a column 'vs SET (s)' with
    'vs SET p5 (s)' and 'vs SET p95 (s)' per set), sorted by the first set's value."""
    plt = _plt()
    first = f"vs {sets[0]} (s)"
    t = comp[np.isfinite(comp[[f"vs {s} (s)" for s in sets]].to_numpy(float)).any(axis=1)]
    key = t[first].to_numpy(float)
    t = t.iloc[np.argsort(np.where(np.isfinite(key), -key, np.inf), kind="stable")]
    fig, ax = plt.subplots(figsize=(7.5, 0.22 * max(len(t), 1) + 1.4))
    y = np.arange(len(t))[::-1]
    for k, s in enumerate(sets):
        dy = (k - (len(sets) - 1) / 2) * 0.25
        v = t[f"vs {s} (s)"].to_numpy(float)
        lo, hi = t[f"vs {s} p5 (s)"].to_numpy(float), t[f"vs {s} p95 (s)"].to_numpy(float)
        ok = np.isfinite(lo) & np.isfinite(hi)
        col = _COLORS.get(s, f"C{k}")
        ax.hlines(y[ok] + dy, lo[ok], hi[ok], color=col, lw=2.5, alpha=0.35)
        ax.plot(v, y + dy, "o", color=col, ms=3.5, label=f"vs {_plain(s)}")
    ax.axvline(60, color="#999", lw=0.8, ls="--")
    return _capital_rows(fig, ax, t, y, "compression: warning lost by basing in Belarus (s); dashed: one minute",
                         title, "lower right")


def timeline_chart(events: pd.DataFrame, title: str) -> bytes:
    """The events of one flight on a time axis (min after launch): the flight as a bar, each
    event a tick with its label, the warning of each audience as a bracket to the impact."""
    plt = _plt()
    ev = events[np.isfinite(events["time (s)"].to_numpy(float))].reset_index(drop=True)
    impact = float(ev.loc[ev["event"] == "impact", "time (s)"].iloc[0]) / 60
    fig, ax = plt.subplots(figsize=(8.5, 3.4))
    ax.hlines(0, 0, impact, color="#bbb", lw=8)
    aud = ev[ev["event"].str.startswith("warning to")]
    other = ev[~ev["event"].str.startswith("warning to")]
    for i, (_, r) in enumerate(other.iterrows()):
        x = r["time (s)"] / 60
        ax.plot([x, x], [0, 0.3 + 0.36 * (i % 3)], color="#333", lw=0.8)
        ax.plot(x, 0, "o", color="#333", ms=4)
        ax.text(x, 0.33 + 0.36 * (i % 3), f"{_plain(r['event'])}\n{x:.1f} min", ha="center", va="bottom", fontsize=8)
    for j, (_, r) in enumerate(aud.iterrows()):
        x = r["time (s)"] / 60
        yy = -0.35 - 0.3 * j
        ax.annotate("", xy=(impact, yy), xytext=(x, yy), arrowprops=dict(arrowstyle="<->", color=f"C{j}", lw=1.2))
        ax.plot([x, x], [0, yy], color=f"C{j}", lw=0.8, ls=":")
        what = f"{impact - x:.1f} min of warning" if x <= impact else f"{x - impact:.1f} min after the impact"
        ax.text(min(x, impact) - 0.05, yy, f"{_plain(r['event'])} at {x:.1f} min: {what}",
                ha="right", va="center", fontsize=8, color=f"C{j}")
    ax.set_xlim(-0.02 * impact - 0.3 * impact, impact * 1.08)
    ax.set_xticks([x for x in ax.get_xticks() if 0 <= x <= impact * 1.08])  # no time before the launch
    ax.set_ylim(-0.45 - 0.3 * max(len(aud), 1), 1.45)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("time after launch (min)")
    ax.set_title(_plain(title), loc="left", fontsize=10)
    return _png(fig)


def brief_card(panels, title: str, footer: str) -> bytes:
    """A one-page card (16:9, 1600x900 px): one panel per claim in a 2x2 grid, each with the claim
    as its heading, its one-line answer under it and a small chart. ``panels``: dicts with
    'claim', 'answer' and 'draw' (a function drawing on a matplotlib Axes)."""
    plt = _plt()
    fig = plt.figure(figsize=(16, 9), layout="constrained")
    fig.get_layout_engine().set(h_pad=0.12, w_pad=0.2, hspace=0.06, wspace=0.06)
    fig.suptitle(_plain(title) + "\n", x=0.01, ha="left", fontsize=18, fontweight="bold")
    fig.text(0.01, 0.935, NOTIONAL_TAG, color="#8b0000", fontsize=11, fontweight="bold")
    rows = (len(panels) + 1) // 2
    subs = np.atleast_1d(fig.subfigures(rows, 2 if len(panels) > 1 else 1)).ravel()
    for sf, p in zip(subs, panels):
        sf.suptitle(_plain(p["claim"]) + "\n" + "\n".join(textwrap.wrap(_plain(p["answer"]), 95)), x=0.02,
                    ha="left", fontsize=11.5)
        p["draw"](sf.subplots())
    for sf in subs[len(panels):]:
        sf.set_visible(False)
    fig.supxlabel("\n".join(textwrap.wrap(_plain(footer), 250)), x=0.01, ha="left", fontsize=8, color="#555")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()
