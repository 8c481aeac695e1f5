"""The claim-check report: it runs, writes its files, and its numbers match flight_time."""
import math
import re

import numpy as np
import pandas as pd
import pytest

import warning_time as wt
from warning_time.cli import main
from warning_time.errors import InputError
from warning_time.report import MISSING
from warning_time.scenario import load_scenario


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    assert main(["report", "-o", str(out), "--draws", "2", "--sobol-samples", "2"]) == 0
    return out


def test_report_files(report_dir):
    for name in ("report.md", "report.html", "capitals_irbm.csv", "published_claims.csv",
                 "srbm_newly_in_reach.csv", "aegis_geometry.csv"):
        assert (report_dir / name).stat().st_size > 0, name
    md = (report_dir / "report.md").read_text()
    assert "NOTIONAL" in md and "Verdict" in md and "Sources" in md
    html = (report_dir / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "NOTIONAL" in html


def test_capital_numbers_match_flight_time(report_dir):
    sc = load_scenario()
    t = pd.read_csv(report_dir / "capitals_irbm.csv")
    from warning_time.places import load_targets

    caps = load_targets().set_index("name")
    rows = t.dropna(subset=["flight (min)"]).head(6)
    assert len(rows) >= 3
    for _, r in rows.iterrows():
        c = caps.loc[r["capital"]]
        ft = wt.flight_time(r["launch_lat_deg"], r["launch_lon_deg"], c["lat_deg"], c["lon_deg"],
                            missile=sc["irbm"]["missile"], trajectory=sc["irbm"]["trajectory"])
        assert float(ft.flight_time_s) / 60 == pytest.approx(r["flight (min)"], rel=1e-9)


def test_claim_numbers_match_flight_time(report_dir):
    """A claim from an area flies from the area's nearest point to the target (found here by brute
    force on the boundary), and its model time is flight_time from there."""
    import shapely
    from pyproj import Geod

    pc = pd.read_csv(report_dir / "published_claims.csv", keep_default_na=False, na_values=[""])
    row = pc[pc["claim"].str.startswith("Kapustin Yar to Berlin")].iloc[0]
    from warning_time.places import load_launch_areas, load_targets

    geom = load_launch_areas().set_index("name").loc["Kapustin Yar"].geometry
    b = load_targets().set_index("name").loc["Berlin"]
    pts = shapely.get_coordinates(shapely.segmentize(geom.exterior, 0.001))
    d = Geod(ellps="WGS84").inv(pts[:, 0], pts[:, 1], np.full(len(pts), b["lon_deg"]), np.full(len(pts), b["lat_deg"]))[2]
    k = int(np.argmin(d))
    assert Geod(ellps="WGS84").inv(pts[k, 0], pts[k, 1], row["origin_lon_deg"], row["origin_lat_deg"])[2] < 200.0
    ft = wt.flight_time(row["origin_lat_deg"], row["origin_lon_deg"], b["lat_deg"], b["lon_deg"], missile="oreshnik")
    assert float(ft.flight_time_s) / 60 == pytest.approx(row["model_min_energy_min"], rel=1e-9)
    # the Dnipro flight: 15 min is slower than minimum energy (a lofted arc), and circular
    dn = pc[pc["claim"].str.contains("Dnipro")].iloc[0]
    assert dn["model_min_energy_min"] < 15 and dn["verdict"].startswith("consistent") and "circular" in dn["verdict"]
    assert np.isfinite(pc["ideal_fastest_min"]).all()


def test_bad_scenario_is_a_clear_error(tmp_path, capsys):
    text = (load_scenario.__globals__["resources"].files("warning_time")
            .joinpath("data/scenarios/paper.toml").read_text())
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('"Asipovichy", "Krychaw"', '"Atlantis", "Krychaw"'))
    with pytest.raises(InputError, match=r"bad.toml: scenario.launch_areas: unknown area\(s\) \['Atlantis'\]"):
        load_scenario(bad)
    assert main(["report", "--scenario", str(bad), "-o", str(tmp_path / "o")]) == 1
    assert "Atlantis" in capsys.readouterr().err
    assert not (tmp_path / "o" / "report.md").exists()


def test_fastest_threat_names_the_class(report_dir):
    """Vilnius, Riga and Warsaw appear with their fastest Belarus threat and its class; the row's
    time is the lesser of the classes' own times, and it matches flight_time from the named
    area's launch points (treaty categories do not cut a class's reach)."""
    sc = load_scenario()
    ft = pd.read_csv(report_dir / "fastest_threat.csv", keep_default_na=False, na_values=[""])
    md = (report_dir / "report.md").read_text()
    classes = {sc["srbm"]["missile"], sc["irbm"]["missile"]}
    for name in ("Vilnius", "Riga", "Warsaw"):
        r = ft[ft["target"] == name].iloc[0]
        assert r["fastest_class"] in classes
        own = [r[f"{c}_warning_min"] for c in classes]
        assert r["warning_min"] == pytest.approx(np.nanmin(own), rel=1e-12)
        assert f"{name}: {r['fastest_class']} from {r['from_belarus_area']}" in md
    # the IRBM class's columns are the capitals table's (same nominal points, same rule)
    caps = pd.read_csv(report_dir / "capitals_irbm.csv").set_index("capital")
    irbm = sc["irbm"]["missile"]
    for _, r in ft.iterrows():
        np.testing.assert_allclose(r[f"{irbm}_warning_min"], caps.loc[r["target"], "warning (min)"], rtol=1e-12)
        np.testing.assert_allclose(r[f"{irbm}_flight_time_min"], caps.loc[r["target"], "flight (min)"], rtol=1e-12)
    # Vilnius lies inside the Oreshnik class's old 500 km treaty cut from every Belarus area:
    # the class now reaches it (its minimum range is its boost footprint)
    assert np.isfinite(ft.loc[ft["target"] == "Vilnius", f"{sc['irbm']['missile']}_flight_time_min"]).all()


def test_russia_proper_never_compresses_less_than_all_baselines(report_dir):
    """Russia proper is a subset of all baselines, so its best warning is never shorter and the
    compression against it never smaller (the same launch points in the common areas)."""
    t = pd.read_csv(report_dir / "capitals_irbm.csv")
    both = t[["compression (s)", "vs Russia proper: compression (s)"]].dropna()
    assert len(both) > 10
    assert (both["vs Russia proper: compression (s)"] >= both["compression (s)"] - 1e-9).all()


def test_warning_chain_section(report_dir):
    """The report's warning-chain section: the chain per audience, the reaction times, warning
    per audience with the compression's terms, margins and what cancels; its CSVs agree with
    each other (compression = flight-time term + prediction term; margins = warning - required)."""
    md = (report_dir / "report.md").read_text()
    assert "The warning chain: who is warned when" in md and "What cancels (oreshnik)" in md
    assert "Margins (oreshnik)" in md and "Margins (iskander-m)" in md
    steps = pd.read_csv(report_dir / "warning_chain.csv")
    assert list(steps["audience"]) == ["forces", "leaders", "public"]
    react = pd.read_csv(report_dir / "reaction_times.csv")
    for run in ("irbm", "srbm"):
        w = pd.read_csv(report_dir / f"warning_by_audience_{run}.csv")
        fin = np.isfinite(w["compression, every audience (s)"])
        assert fin.sum() >= 3
        np.testing.assert_allclose(w.loc[fin, "flight-time term (s)"] + w.loc[fin, "prediction term (s)"],
                                   w.loc[fin, "compression, every audience (s)"], atol=1e-6)
        m = pd.read_csv(report_dir / f"margins_{run}.csv", keep_default_na=False, na_values=[""])
        assert list(m["capital"]) == list(w["capital"])
        for _, x in react.iterrows():
            aud_col = {"forces": "forces (min)", "leaders": "leaders (min)", "public": "public (min)"}[x["audience"]]
            np.testing.assert_allclose(m[f"{x['reaction']} margin (s)"], w[aud_col] * 60 - x["required (s)"], atol=1e-6)
def test_claim3_tables(report_dir):
    """Claim 3 reads the defence analysis: windows per site and capital, the SRBM floor,
    footprints, raid table; the pass-by table keeps only real passes (no impact points)."""
    for name in ("defence_windows.csv", "defence_srbm_floor.csv", "defence_footprints.csv", "defence_raid.csv"):
        assert (report_dir / name).stat().st_size > 0, name
    md = (report_dir / "report.md").read_text()
    assert "Claim 3: European missile defence (engagement windows" in md
    passes = pd.read_csv(report_dir / "aegis_geometry.csv")
    assert (passes["time_there_s"] < passes["flight_time_s"] - 1.0).all()
    assert (passes["altitude_there_km"] > 0).all()
    w = pd.read_csv(report_dir / "defence_windows.csv")
    assert set(w["site"]) == {"redzikowo", "deveselu", "holzdorf"}
    # one figure against the API: Berlin from the best Belarus area point, Redzikowo
    from warning_time import defence as D
    from warning_time.analysis import scenario_areas

    r = w[(w["site"] == "redzikowo") & (w["target"] == "Berlin")].iloc[0]
    pts = D.launch_points(scenario_areas([r["from Belarus (best point)"]]))
    api = D.engagement_windows(pts["lat_deg"], pts["lon_deg"], 52.52, 13.405, missile="oreshnik", site="redzikowo",
                               sensors=load_scenario()["scenario"]["sensors"])
    assert r["shots from Belarus"] == api["shots"].min()
    fp = pd.read_csv(report_dir / "defence_footprints.csv")
    assert set(fp["launch"]) == {"Belarus", "baseline", "lost (baseline minus Belarus)"}


# ----------------------------------------------------------------------------------------------
# the report as a reader sees it: rounded, sorted, one unit per quantity, numbers in the CSVs
# ----------------------------------------------------------------------------------------------

class _Tables(__import__("html.parser").parser.HTMLParser):
    """The tables of report.html (header text and data-precision, cell text) and the text
    outside tables, scripts, styles and the scenario listing."""

    def __init__(self):
        super().__init__()
        self.tables, self.text, self._cell, self._skip, self._t = [], [], None, 0, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._t = dict(id=a.get("id"), head=[], rows=[])
            self.tables.append(self._t)
        elif tag == "tr" and self._t is not None and self._t["head"]:
            self._t["rows"].append([])
        elif tag in ("th", "td") and self._t is not None:
            self._cell = [tag, a, ""]
        elif tag in ("style", "pre", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "table":
            self._t = None
        elif tag in ("th", "td") and self._cell is not None:
            kind, a, text = self._cell
            if kind == "th":
                self._t["head"].append((text, a.get("data-precision")))
            else:
                self._t["rows"][-1].append(text)
            self._cell = None
        elif tag in ("style", "pre", "script"):
            self._skip -= 1

    def handle_data(self, d):
        if self._cell is not None:
            self._cell[2] += d
        elif not self._skip:
            self.text.append(d)


NUMBER = re.compile(r"-?\d[\d,]*(?:\.(\d+))?(?:[eE][-+]?\d+)?")


def _html_tables(report_dir):
    p = _Tables()
    p.feed((report_dir / "report.html").read_text("utf-8"))
    return p


def test_html_numbers_have_their_columns_precision(report_dir):
    """No number in report.html's tables has more decimals than its column's stated precision
    (data-precision on the header), none is in exponent notation, every column holding numbers
    states a precision, and minutes print to 0.1, seconds to at most 0.1 (the unrounded
    '10.985409' and '1.930955e+07' of the old report cannot appear)."""
    p = _html_tables(report_dir)
    assert len(p.tables) >= 15
    checked = 0
    for t in p.tables:
        for head, prec in t["head"]:
            if "(min)" in head and prec is not None:
                assert prec == "1", (t["id"], head)
            if head.endswith("(s)") and prec is not None:
                assert int(prec) <= 1, (t["id"], head)
        for row in t["rows"]:
            assert len(row) == len(t["head"])
            for (head, prec), cell in zip(t["head"], row):
                for m in NUMBER.finditer(cell):
                    assert "e" not in m.group(0).lower(), (t["id"], head, cell)
                    decimals = len(m.group(1) or "")
                    if prec is None:  # a text column (sources, verdicts): no measurement quoted past 0.01
                        assert decimals <= 2, (t["id"], head, cell)
                    else:
                        assert decimals <= int(prec), (t["id"], head, cell)
                        checked += 1
                if prec is not None and cell != MISSING:  # a number column holds numbers only
                    assert re.fullmatch(r"[-\d., /to]+|yes|no", cell), (t["id"], head, cell)
    assert checked > 2000
    caps = next(t for t in p.tables if t["id"] == "table-capitals_irbm")
    assert dict(caps["head"])["warning (min)"] == "1" and dict(caps["head"])["flight (min)"] == "1"
    # the prose: no exponent notation, nothing past 0.001 (the scenario's own parameter values)
    text = " ".join(p.text)
    for m in NUMBER.finditer(text):
        assert "e" not in m.group(0).lower() and len(m.group(1) or "") <= 3, text[m.start() - 40:m.end() + 10]
    # Markdown and HTML print the same cells
    md = (report_dir / "report.md").read_text()
    lines = md.splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith("| capital | Belarus area |"))
    md_rows = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[i + 2:i + 2 + len(caps["rows"])]]
    assert md_rows == caps["rows"]


def test_tables_sorted_units_and_coordinates(report_dir):
    """The capitals and fastest-threat tables are sorted by warning (least first, no reach
    last), the pressure table by compression (most first); the printed capitals table has no
    coordinates and one unit per quantity (warning in min, compression in s) while its CSV has
    the best points; empty cells print the one marker, never '---'."""
    caps = pd.read_csv(report_dir / "capitals_irbm.csv")
    w = caps["warning (min)"].to_numpy(float)
    fin = np.isfinite(w)
    assert fin.sum() > 20
    if (~fin).any():  # capitals out of reach come last
        assert not fin[np.argmax(~fin):].any()
    assert np.all(np.diff(w[fin]) >= 0)
    for col in ("launch_lat_deg", "launch_lon_deg", "baseline_lat_deg", "baseline_lon_deg"):
        assert col in caps
    p = _html_tables(report_dir)
    head = [h for h, _ in next(t for t in p.tables if t["id"] == "table-capitals_irbm")["head"]]
    assert not [h for h in head if "lat" in h or "lon" in h]
    for h in head:  # every quantity with its unit: warning and flight in minutes, compression in seconds
        if "warning" in h or "flight" in h:
            assert h.endswith("(min)"), h
        if "compression" in h or "bound" in h:
            assert h.endswith("(s)"), h
    ft = pd.read_csv(report_dir / "fastest_threat.csv")
    fw = ft["warning_min"].to_numpy(float)
    assert np.all(np.diff(fw[np.isfinite(fw)]) >= 0) and not np.isfinite(fw[np.argmax(~np.isfinite(fw)):]).any()
    pr = pd.read_csv(report_dir / "pressure_irbm.csv")
    pc = pr["compression (s)"].to_numpy(float)
    assert np.all(np.diff(pc[np.isfinite(pc)]) <= 0)
    html = (report_dir / "report.html").read_text("utf-8")
    assert "---" not in html
    ottawa = next(r for r in next(t for t in p.tables if t["id"] == "table-capitals_irbm")["rows"] if r[0] == "Ottawa")
    assert set(ottawa[1:]) == {MISSING}


def test_csvs_hold_numbers_not_ranges(report_dir):
    """Every CSV column is either numbers or text that is not a range of numbers ('6.7-9.0',
    '57 / 81 / 102', '5.7 to 6.1'): the quantiles are their own numeric columns."""
    rng = re.compile(r"^\s*-?\d+(\.\d+)?\s*(-|to|/)\s*-?\d+(\.\d+)?(\s*/\s*-?\d+(\.\d+)?)?\s*$")
    for f in sorted(report_dir.glob("*.csv")):
        df = pd.read_csv(f, keep_default_na=False, na_values=[""])
        for c in df.columns:
            if df[c].dtype == object or str(df[c].dtype) in ("str", "string"):
                bad = [v for v in df[c].dropna().astype(str) if rng.match(v)]
                assert not bad, (f.name, c, bad[:3])
    caps = pd.read_csv(report_dir / "capitals_irbm.csv")
    for q in ("p5", "p50", "p95"):
        assert caps[f"warning {q} (min)"].dtype.kind == "f" and caps[f"compression {q} (s)"].dtype.kind == "f"
    ok = caps.dropna(subset=["compression p50 (s)"])
    assert (ok["compression p5 (s)"] <= ok["compression p50 (s)"] + 1e-9).all()
    assert (ok["compression p50 (s)"] <= ok["compression p95 (s)"] + 1e-9).all()


def test_exposure_lists_each_country_once(report_dir):
    ex = pd.read_csv(report_dir / "exposure_irbm.csv")
    assert len(ex) >= 2 and ex["country"].is_unique
    pops = [c for c in ex.columns if c.startswith("population losing") and c != "population losing more than 1 min"]
    assert len(pops) >= 1
    np.testing.assert_allclose(ex[pops].sum(axis=1, min_count=1), ex["population losing more than 1 min"])
    assert np.all(np.diff(ex["population losing more than 1 min"].to_numpy(float)) <= 0)


def test_counts_agree_with_their_verbs(report_dir):
    md = (report_dir / "report.md").read_text()
    assert not re.search(r"\b1 (are|lose|need|name) ", md), re.search(r".{60}\b1 (are|lose|need|name) .{20}", md)
    assert not re.search(r"\b([02-9]|\d\d+) (is|loses|needs|names) ", md)


def test_charts_workbook_and_card(report_dir):
    """The charts are PNGs embedded in the HTML and referenced from the Markdown; the workbook
    has one sheet per CSV with the CSV's numbers as numbers; the brief card is a 1600x900 PNG."""
    import struct

    from openpyxl import load_workbook

    def size(path):
        b = path.read_bytes()
        assert b[:8] == b"\x89PNG\r\n\x1a\n"
        return struct.unpack(">II", b[16:24])

    html = (report_dir / "report.html").read_text("utf-8")
    md = (report_dir / "report.md").read_text("utf-8")
    for name in ("warning_per_capital", "compression_per_capital", "timeline"):
        w, h = size(report_dir / "charts" / f"{name}.png")
        assert w > 400 and h > 200
        assert f"charts/{name}.png" in md and f"id='chart-{name}'" in html
    assert html.count("src='data:image/png;base64,") == 3
    assert size(report_dir / "brief_card.png") == (1600, 900)
    assert "href='brief_card.png'" in html and "href='tables.xlsx'" in html
    wb = load_workbook(report_dir / "tables.xlsx", read_only=True)
    printed = {t["id"].removeprefix("table-") for t in _html_tables(report_dir).tables}
    assert set(wb.sheetnames) == printed | {"about"} and wb.sheetnames[0] == "about"
    assert all((report_dir / f"{n}.csv").exists() for n in printed)
    caps = pd.read_csv(report_dir / "capitals_irbm.csv")
    rows = list(wb["capitals_irbm"].iter_rows(values_only=True))
    head = list(rows[0])
    assert head == list(caps.columns)
    j = head.index("warning (min)")
    got = np.array([np.nan if r[j] is None else r[j] for r in rows[1:]], float)
    np.testing.assert_allclose(got, caps["warning (min)"].to_numpy(float), rtol=1e-15)  # XLSX: 15+ digits


def test_timeline_is_the_capitals_flight(report_dir):
    """The timeline chart's table is the flight of the capitals table: its impact is the
    capital's flight time and the forces' warning the capital's warning (same point, same
    settings); the events come in causal order (prediction never before burnout)."""
    ev = pd.read_csv(report_dir / "timeline_irbm.csv").set_index("event")
    caps = pd.read_csv(report_dir / "capitals_irbm.csv").set_index("capital")
    cap = ev.loc["impact", "detail"]
    assert ev.loc["impact", "time (s)"] / 60 == pytest.approx(caps.loc[cap, "flight (min)"], rel=1e-9)
    warn = ev.loc["impact", "time (s)"] - ev.loc["warning to forces", "time (s)"]
    assert warn / 60 == pytest.approx(caps.loc[cap, "warning (min)"], rel=1e-9)
    t = ev["time (s)"]
    assert t["launch"] == 0 < t["burnout"] <= t["impact predicted"] <= t["warning to forces"]
    assert t["first detection"] <= t["impact predicted"]
    assert t["impact"] == t[[e for e in t.index if not e.startswith("warning to")]].max()
    for a in ("forces", "leaders", "public"):  # a warning issued after the impact says so
        late = t[f"warning to {a}"] > t["impact"]
        assert ("after the impact" in ev.loc[f"warning to {a}", "detail"]) == late


def test_report_pdf_is_a4_with_banner_and_title_and_no_table_cut(report_dir, tmp_path):
    """report.html printed by Chromium (warning-time report --pdf): A4 portrait pages
    (595.3 x 841.9 pt), the NOTIONAL banner and the title on the first page, and under print
    media no table wider than the page (nothing cut at the right edge)."""
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("playwright.sync_api")
    from warning_time.browser import CHROMIUM_ARGS, find_chromium, html_pdf

    if find_chromium() is None:
        pytest.skip("needs Debian's chromium")
    from html import unescape

    page_html = report_dir / "report.html"
    title = " ".join(unescape(re.search(r"<title>([^<]*)</title>", page_html.read_text()).group(1)).split())
    pdf = html_pdf(page_html, tmp_path / "report.pdf")
    reader = pypdf.PdfReader(str(pdf))
    assert len(reader.pages) >= 3
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595.28) < 1.0 and abs(float(page.mediabox.height) - 841.89) < 1.0
    first = " ".join(reader.pages[0].extract_text().split())
    assert "NOTIONAL" in first and title in first, (title, first[:300])
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:  # the page's print layout: A4 less the margins, 190 mm = 718 px wide
        b = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        try:
            page = b.new_page(viewport={"width": 718, "height": 1000})
            page.emulate_media(media="print")
            page.goto(page_html.resolve().as_uri())
            wide = page.evaluate("""() => Array.from(document.querySelectorAll('table.t, img.chart, pre'))
                .map(e => [e.id || e.tagName, e.getBoundingClientRect().right])
                .filter(x => x[1] > document.documentElement.clientWidth + 0.5)""")
        finally:
            b.close()
    assert wide == [], wide
