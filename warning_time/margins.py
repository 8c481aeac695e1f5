"""What the warning buys, per audience: the chain's timeline, the compression with what cancels
in it, and margins against reaction times (the tables of the report's warning-chain section).

For one class, one sensor set and one chain, a target's warning for audience A from launch
point P is W_A(P) = T(P) - I(P) - c_A, with T the flight time, I the impact-prediction time
and c_A = assess_A + disseminate_A + decision delay. Compression between the baseline's best
point B and the Belarus best point L is

    W_A(B) - W_A(L) = [T(B) - T(L)] - [I(B) - I(L)]        (c_A cancels),

the same for every audience; I itself is max(detection, release) + processing of the sensor
that predicts first, so when both sides are predicted by the same sensor after release (the
usual case for the space layer) I(B) = I(L) and only the flight times remain. Margins
W_A - required do not cancel: the same compression moves some reactions below zero and not
others.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .chain import AUDIENCES, load_chain, load_reactions, warning_chain
from .compression import best_warning


def chain_compression(targets: pd.DataFrame, launch_points: pd.DataFrame, baseline_points: pd.DataFrame, *,
                      missile, trajectory="minimum-energy", earth="wgs84", rotation=True, sensors=None,
                      decision_delay_s=0.0) -> pd.DataFrame:
    """Per target: the attacker's best point on each side (shortest warning; the chain is the
    same for every audience, so the same point is the best for all), its flight, impact
    prediction, the sensor that predicts, the warning per audience on each side, the compression
    per audience and its two terms (flight-time term T_B - T_L, prediction term -(I_B - I_L);
    their sum is the compression). Chain: data/warning_chain.toml at its nominal values."""
    opts = dict(missile=missile, trajectory=trajectory, earth=earth, rotation=rotation, sensors=sensors,
                decision_delay_s=decision_delay_s)
    a = best_warning(launch_points, targets, **opts)
    b = best_warning(baseline_points, targets, **opts)
    out = pd.DataFrame({
        "target": targets["name"].to_numpy(),
        "launch_area": a["area"].to_numpy(), "baseline_area": b["area"].to_numpy(),
        "launch_flight_time_s": a["flight_time_s"].to_numpy(float),
        "baseline_flight_time_s": b["flight_time_s"].to_numpy(float),
        "launch_predicted_by": a["detected_by"].to_numpy(), "baseline_predicted_by": b["detected_by"].to_numpy(),
        "launch_impact_predicted_s": a["impact_predicted_s"].to_numpy(float),
        "baseline_impact_predicted_s": b["impact_predicted_s"].to_numpy(float),
    })
    for aud in AUDIENCES:
        out[f"launch_warning_{aud}_s"] = a[f"warning_{aud}_s"].to_numpy(float)
        out[f"baseline_warning_{aud}_s"] = b[f"warning_{aud}_s"].to_numpy(float)
        out[f"compression_{aud}_s"] = out[f"baseline_warning_{aud}_s"] - out[f"launch_warning_{aud}_s"]
    out["flight_time_term_s"] = out["baseline_flight_time_s"] - out["launch_flight_time_s"]
    out["prediction_term_s"] = out["launch_impact_predicted_s"] - out["baseline_impact_predicted_s"]
    return out


def margin_table(cc: pd.DataFrame, reactions: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per target x reaction: the audience, the required time (nominal, s), the margin
    from the Belarus best point and from the best baseline point (warning to the audience -
    required time), and whether the margin is negative from Belarus but not from the baselines
    (the operational meaning of the compression). NaN margins where a side has no warning."""
    r = load_reactions() if reactions is None else reactions
    rows = []
    for _, t in cc.iterrows():
        for _, x in r.iterrows():
            wl = t[f"launch_warning_{x['audience']}_s"]
            wb = t[f"baseline_warning_{x['audience']}_s"]
            ml, mb = wl - x["required_s"], wb - x["required_s"]
            rows.append({"target": t["target"], "reaction": x["reaction"], "audience": x["audience"],
                         "required_s": x["required_s"], "margin_from_belarus_s": ml, "margin_from_baseline_s": mb,
                         "negative_from_belarus_only": bool(np.isfinite(ml) and np.isfinite(mb) and ml < 0 <= mb)})
    return pd.DataFrame(rows)


def chain_steps(chain=None) -> pd.DataFrame:
    """The chain after the impact prediction, one row per audience: assessment and dissemination
    (nominal, low and high as numbers) and their sum, with the sources (data/warning_chain.toml)."""
    df = load_chain() if chain is None else chain
    ch = warning_chain(df)
    return pd.DataFrame({
        "audience": df["audience"],
        "assess (s)": df["assess_s_nominal"],
        "assess low (s)": df["assess_s_low"], "assess high (s)": df["assess_s_high"],
        "disseminate (s)": df["disseminate_s_nominal"],
        "disseminate low (s)": df["disseminate_s_low"], "disseminate high (s)": df["disseminate_s_high"],
        "after impact prediction (s)": [ch.after_prediction_s(a) for a in df["audience"]],
        "sources": df["assess_s_source"] + " / " + df["disseminate_s_source"],
    })
