"""The warning chain per audience and the margins (warning_time.chain, warning_time.margins).

Expected values from data/warning_chain.toml and data/reaction_times.toml read with tomllib,
and from the published J-Alert timing (REFERENCES 6.5: 05:58 launch, 06:02 public message,
29 Aug 2017), never from warning_time's outputs.
"""
from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import warning_time
from warning_time.chain import load_chain, load_reactions, margins, warning_chain
from warning_time.errors import InputError
from warning_time.margins import chain_compression, chain_steps, margin_table
from warning_time.places import load_launch_areas, load_targets
from warning_time.sampling import area_points
from warning_time.sensors import sensor_set
from warning_time.warning import warning_time as wt_warning

DATA = Path(warning_time.__file__).resolve().parent / "data"
CHAIN = tomllib.loads((DATA / "warning_chain.toml").read_text("utf-8"))
REACT = tomllib.loads((DATA / "reaction_times.toml").read_text("utf-8"))
J_ALERT_S = 4 * 60.0


def test_chain_defaults_are_the_files_and_every_audience_is_there():
    df = load_chain()
    assert list(df["audience"]) == ["forces", "leaders", "public"]
    for band in ("low", "nominal", "high"):
        ch = warning_chain(band=band)
        for a in ("forces", "leaders", "public"):
            assert ch.after_prediction_s(a) == CHAIN[a]["assess_s"][band] + CHAIN[a]["disseminate_s"][band]
    # the forces are warned first (their chain is automated), never after the others
    ch = warning_chain()
    assert ch.after_prediction_s("forces") <= min(ch.after_prediction_s("leaders"), ch.after_prediction_s("public"))
    steps = chain_steps()
    assert list(steps["after impact prediction (s)"]) == [ch.after_prediction_s(a) for a in ("forces", "leaders", "public")]
    assert all(s.strip() for s in steps["sources"])


def test_public_chain_brackets_j_alert():
    """A liquid IRBM-class flight (the Hwasong-12 of 29 Aug 2017 was a liquid IRBM) seen by the
    space layer only: the public warning is issued between the chain's low and high ends, and
    these bracket the ~4 min of J-Alert; the nominal is within 90 s of it."""
    launch, target = (39.0, 125.7), (41.0, 141.0)  # near Pyongyang -> over Hokkaido (~1,300 km)
    issued = {}
    for band in ("low", "nominal", "high"):
        w = wt_warning(*launch, *target, missile="generic-irbm-liquid", band=band,
                       sensors=sensor_set(names=["space-infrared"], band=band),
                       chain=warning_chain(band=band)).to_frame().iloc[0]
        assert w["detected_by"] == "space-infrared"
        issued[band] = w["flight_time_s"] - w["warning_public_s"]
    assert issued["low"] <= J_ALERT_S <= issued["high"]
    assert abs(issued["nominal"] - J_ALERT_S) <= 90.0


def test_margins_are_warning_minus_required_time():
    w = pd.DataFrame({"warning_forces_s": [300.0, np.nan], "warning_leaders_s": [200.0, 50.0],
                      "warning_public_s": [250.0, 10.0]})
    m = margins(w)
    for key, e in REACT.items():
        col = w[f"warning_{e['audience']}_s"].to_numpy()
        np.testing.assert_array_equal(m[f"margin_{key}_s"].to_numpy(), col - e["required_s"]["nominal"])
        np.testing.assert_array_equal(m[f"margin_{key}_low_s"].to_numpy(), col - e["required_s"]["high"])
        np.testing.assert_array_equal(m[f"margin_{key}_high_s"].to_numpy(), col - e["required_s"]["low"])
    assert set(load_reactions()["audience"]) == {"forces", "leaders", "public"}


def test_bad_chain_and_reaction_files_are_named_errors(tmp_path):
    p = tmp_path / "chain.toml"
    p.write_text("\n".join(f'[{a}]\nassess_s = {{ low = 1, nominal = 2, high = 3, source = "x" }}\n'
                           f'disseminate_s = {{ low = 1, nominal = 2, high = 3, source = "x" }}'
                           for a in ("forces", "leaders", "public", "pets")), "utf-8")
    with pytest.raises(InputError, match=r"chain.toml.*unknown audience \[pets\]"):
        load_chain(p)
    p.write_text('[forces]\nassess_s = { low = 5, nominal = 2, high = 3, source = "x" }\n', "utf-8")
    with pytest.raises(InputError, match="missing audience"):
        load_chain(p)
    q = tmp_path / "react.toml"
    q.write_text('[x]\naudience = "everyone"\nrequired_s = { low = 1, nominal = 2, high = 3, source = "x" }\n', "utf-8")
    with pytest.raises(InputError, match=r"react.toml.*audience 'everyone' must be one of forces, leaders, public"):
        load_reactions(q)
    with pytest.raises(InputError, match="band"):
        warning_chain(band="middle")


@pytest.fixture(scope="module")
def cc():
    areas = load_launch_areas()
    t = load_targets()
    t = t[t["name"].isin(["Warsaw", "Berlin", "Vilnius", "Riga", "Paris", "London"])].reset_index(drop=True)
    lp = area_points(areas[areas["role"] == "launch"], 2, seed=3)
    bp = area_points(areas[areas["role"] == "baseline"], 2, seed=3)
    return chain_compression(t, lp, bp, missile="oreshnik"), t, lp, bp


def test_chain_terms_cancel_in_compression(cc):
    """Compression is the same for every audience (the audience's chain cancels) and equals the
    flight-time term plus the prediction term; the audiences' warnings differ by their chains."""
    c, t, lp, bp = cc
    fin = np.isfinite(c["compression_forces_s"].to_numpy())
    assert fin.sum() >= 3
    ch = warning_chain()
    for aud in ("leaders", "public"):
        np.testing.assert_allclose(c[f"compression_{aud}_s"].to_numpy()[fin], c["compression_forces_s"].to_numpy()[fin],
                                   atol=1e-9)
        shift = ch.after_prediction_s(aud) - ch.after_prediction_s("forces")
        np.testing.assert_allclose(c[f"launch_warning_{aud}_s"].to_numpy()[fin],
                                   c["launch_warning_forces_s"].to_numpy()[fin] - shift, atol=1e-9)
    total = c["flight_time_term_s"] + c["prediction_term_s"]
    np.testing.assert_allclose(total.to_numpy()[fin], c["compression_forces_s"].to_numpy()[fin], atol=1e-9)
    # the best point of each side is the shortest warning over its points, recomputed directly
    w = wt_warning(np.repeat(lp["lat_deg"].to_numpy(), len(t)), np.repeat(lp["lon_deg"].to_numpy(), len(t)),
                   np.tile(t["lat_deg"].to_numpy(), len(lp)), np.tile(t["lon_deg"].to_numpy(), len(lp)),
                   missile="oreshnik").to_frame()
    best = w["warning_public_s"].to_numpy().reshape(len(lp), len(t))
    best = np.array([col[np.isfinite(col)].min() if np.isfinite(col).any() else np.nan for col in best.T])
    np.testing.assert_allclose(c["launch_warning_public_s"].to_numpy(), best, atol=1e-9)


def test_margin_table_flags_negative_from_belarus_only(cc):
    c = cc[0]
    m = margin_table(c)
    r = load_reactions()
    assert len(m) == len(c) * len(r)
    for _, row in m.iterrows():
        tgt = c[c["target"] == row["target"]].iloc[0]
        req = REACT[row["reaction"]]["required_s"]["nominal"]
        wl = tgt[f"launch_warning_{row['audience']}_s"]
        wb = tgt[f"baseline_warning_{row['audience']}_s"]
        assert row["margin_from_belarus_s"] == pytest.approx(wl - req, nan_ok=True)
        assert row["margin_from_baseline_s"] == pytest.approx(wb - req, nan_ok=True)
        expect = math.isfinite(wl) and math.isfinite(wb) and wl - req < 0 <= wb - req
        assert row["negative_from_belarus_only"] == expect
