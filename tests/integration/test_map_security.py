"""Hostile user files: every text field a user can give (scenario title, targets name / note /
source, launch-area name / basis) carries a corpus of template, script and markup payloads; the map
is built through the CLI as a user would build it and opened in Debian's Chromium.

What must hold: the text shows literally, no script runs (a flag set by every payload stays unset,
no dialog, no page error), no file appears on disk, no network request is made; payloads in
fields that take a name from a list (trajectory, missile, target kind) are refused with a one-line
error before anything is written.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from warning_time.escaping import escape_frame, escape_text, escape_value
from warning_time.maps import CHROMIUM_ARGS, find_chromium
from warning_time.places import load_launch_areas, load_targets

pd = pytest.importorskip("pandas")

MARK = "__wt_pwned"


def corpus(root: Path) -> list[str]:
    """Hostile strings; the ones that would run code try to create ``root/MARK*`` or set
    ``window.__xss``."""
    d = root / MARK
    return [
        "SSTI {{ 7*7 }} {{ cycler.__init__.__globals__.os.popen(dict(id=1)|first).read() }}",
        "{{ cycler.__init__.__globals__.os.makedirs('" + str(d) + "_a') }}",
        "{{7*7}}",
        "{% for x in range(3) %}loop{% endfor %}{{ lipsum.__globals__['os'].mkdir('" + str(d) + "_b') }}",
        "{# hidden #}shown",
        "<script>window.__xss=1</script>",
        "\"><img src=x onerror=\"window.__xss=1\">",
        "'><img src=x onerror='window.__xss=1'>",
        "</script><script>window.__xss=1</script>",
        "`+(window.__xss=1)+` ${window.__xss=1} \\` \\${x}",
        "\u202eevil\u200f RTL \u200e mark \u2066iso\u2069",
        "&amp; &lt;b&gt; &#123;&#123;7*7&#125;&#125; %}{% raw %}",
        "<div style=\"background:url(https://example.invalid/x.png)\">url(http://example.invalid/y)</div>",
    ]


LONG = "L" * 100_000  # a 100 kB name


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory):
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("needs Debian's chromium (installed by .ci/run)")
    pytest.importorskip("playwright.sync_api")
    root = tmp_path_factory.mktemp("hostile")
    bad = corpus(root)
    # targets: one capital per payload (shown in tooltips and popups), payloads in note and source
    t = pd.DataFrame(load_targets().drop(columns="geometry"))
    t = t[t["kind"].isin(["capital", "military"])].head(8).copy()
    extra = pd.DataFrame([dict(name=s, country_iso3="POL", lat_deg=50.0 + 0.3 * i, lon_deg=16.0 + 0.5 * i,
                               kind="capital", population=1000, note=s, source=s) for i, s in enumerate(bad + [LONG])])
    t["note"] = bad[0]
    t["source"] = bad[5]
    t = pd.concat([t, extra], ignore_index=True)
    t.to_csv(root / "targets.csv", index=False)
    # launch areas: every area renamed to a payload, every basis a payload
    areas = json.loads((Path(__file__).resolve().parents[2] / "warning_time/data/launch_areas.geojson").read_text())
    for i, f in enumerate(areas["features"]):
        f["properties"]["name"] = bad[i % len(bad)] + f" #{i}"
        f["properties"]["basis"] = bad[(i + 3) % len(bad)]
    (root / "areas.geojson").write_text(json.dumps(areas), encoding="utf-8")
    # scenario: the shipped one with a hostile title
    from importlib import resources

    text = resources.files("warning_time").joinpath("data/scenarios/paper.toml").read_text("utf-8")
    title = " | ".join(bad)
    lines = [("title = " + json.dumps(title)) if ln.startswith("title = ") else ln for ln in text.splitlines()]
    (root / "hostile.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = root / "map.html"
    r = subprocess.run([sys.executable, "-m", "warning_time", "map", "--scenario", str(root / "hostile.toml"),
                        "--targets", str(root / "targets.csv"), "--areas", str(root / "areas.geojson"),
                        "--res-deg", "1.0", "-o", str(out)], capture_output=True, text=True, cwd=root, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return dict(root=root, out=out, bad=bad, title=title, chromium=chromium,
                area_names=[f["properties"]["name"] for f in areas["features"]])


def _no_marker(root: Path):
    hits = [str(p) for p in Path(root).parent.rglob(MARK + "*")] + [str(p) for p in Path.cwd().glob(MARK + "*")]
    assert hits == [], hits


def test_payloads_never_reach_the_page_as_code(hostile_map):
    html = hostile_map["out"].read_text(encoding="utf-8")
    assert "49" not in hostile_map["title"] and "SSTI 49" not in html
    assert "uid=0(" not in html and "gid=" not in html
    for s in hostile_map["bad"]:
        assert s not in html or s == escape_text(s), s  # never raw (unless it has nothing to escape)
    assert "<script>window.__xss" not in html and "onerror=\"window" not in html
    _no_marker(hostile_map["root"])


def test_hostile_map_in_chromium(hostile_map):
    from playwright.sync_api import sync_playwright

    log = {"requests": [], "errors": [], "dialogs": []}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=hostile_map["chromium"], args=CHROMIUM_ARGS)
        try:
            page = b.new_page(viewport={"width": 1400, "height": 900})
            page.on("request", lambda r: log["requests"].append(r.url))
            page.on("pageerror", lambda e: log["errors"].append(str(e)))
            page.on("dialog", lambda d: (log["dialogs"].append(d.message), d.dismiss()))
            page.goto(hostile_map["out"].resolve().as_uri())
            page.wait_for_timeout(800)
            title = page.inner_text(".wt-title")
            # every tooltip and popup is opened (as hovering and clicking would) and its text read
            texts = page.evaluate("""() => {
                const out = {tooltips: [], popups: [], geo: []};
                for (const k in window) {
                    const v = window[k];
                    if (!v || typeof v !== 'object') continue;
                    if (v instanceof L.CircleMarker) {
                        const tip = v.getTooltip();
                        if (tip) { v.openTooltip(); out.tooltips.push(tip.getElement() ? tip.getElement().textContent.trim() : ''); v.closeTooltip(); }
                        const pop = v.getPopup();
                        if (pop) { v.openPopup(); out.popups.push(pop.getElement() ? pop.getElement().textContent : ''); v.closePopup(); }
                    } else if (v instanceof L.GeoJSON) {
                        const tip = v.getTooltip();
                        v.eachLayer(l => {
                            if (tip && typeof tip._content === 'function') {
                                out.geo.push(tip._content(l).textContent);
                            }
                        });
                    }
                }
                return out;
            }""")
            page.wait_for_timeout(500)
            xss = page.evaluate("typeof window.__xss")
            banner = page.inner_text(".wt-banner")
        finally:
            b.close()
    assert title.strip() == hostile_map["title"]
    assert "NOTIONAL" in banner
    assert xss == "undefined"
    assert log["dialogs"] == [] and log["errors"] == [], (log["dialogs"], log["errors"][:3])
    remote = [u for u in log["requests"] if not u.startswith(("file:", "data:", "about:"))]
    assert remote == [], remote[:5]
    # target names: literal in their tooltips and popups (including the 100 kB one)
    for s in hostile_map["bad"] + [LONG]:
        assert s in texts["tooltips"], s[:60]
        assert any(s in p for p in texts["popups"]), s[:60]
    # area names and bases: literal in the GeoJSON tooltips
    geo = "\n".join(texts["geo"])
    for name in hostile_map["area_names"]:
        assert name in geo, name[:60]
    _no_marker(hostile_map["root"])


@pytest.mark.parametrize("field, value", [
    ("[irbm] trajectory", "{{ 7*7 }}"),
    ("[srbm] trajectory", "{{ cycler.__init__.__globals__.os.mkdir('MARKDIR') }}"),
    ("[irbm] missile", "<script>x</script>"),
])
def test_scenario_names_from_a_list_are_refused(tmp_path, field, value):
    from importlib import resources

    value = value.replace("MARKDIR", str(tmp_path / MARK))
    table, key = field[1:].split("] ")
    text = resources.files("warning_time").joinpath("data/scenarios/paper.toml").read_text("utf-8")
    out, section = [], None
    for ln in text.splitlines():
        if ln.startswith("["):
            section = ln.strip("[]")
        if section == table and ln.startswith(f"{key} = "):
            ln = f"{key} = " + json.dumps(value)
        out.append(ln)
    (tmp_path / "s.toml").write_text("\n".join(out) + "\n")
    r = subprocess.run([sys.executable, "-m", "warning_time", "map", "--scenario", str(tmp_path / "s.toml"),
                        "-o", str(tmp_path / "m.html")], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert f"{table}.{key}" in r.stderr
    assert not (tmp_path / "m.html").exists()
    assert not list(tmp_path.glob(MARK + "*"))


def test_target_kind_outside_its_list_is_refused(tmp_path):
    t = pd.DataFrame(load_targets().drop(columns="geometry")).head(3)
    t.loc[0, "kind"] = "{{ 7*7 }}"
    t.to_csv(tmp_path / "t.csv", index=False)
    with pytest.raises(Exception) as exc:
        load_targets(tmp_path / "t.csv")
    assert "kind" in str(exc.value) and "49" not in str(exc.value)


# -------------------------------------------------------------------------------------------
# the escaping function itself: by value, under every dtype pandas may give text
# -------------------------------------------------------------------------------------------

PAYLOAD = "<img src=x onerror=\"a()\">{{7*7}}{% x %}{# c #}`${y}`\\"


def test_escape_text_leaves_nothing_active():
    e = escape_text(PAYLOAD)
    for ch in "<>\"'{}`$\\":
        assert ch not in e, ch
    import html

    assert html.unescape(e) == PAYLOAD  # a browser shows exactly the original text


@pytest.mark.parametrize("dtype", ["object", "str", "string", "category", "installed-default"])
def test_escape_frame_by_value_under_every_text_dtype(dtype):
    values = [PAYLOAD, "plain", None]
    if dtype == "installed-default":
        s = pd.Series(values)  # whatever the installed pandas gives text (pandas 3: str)
    else:
        try:
            s = pd.Series(values, dtype=dtype)
        except TypeError:
            pytest.skip(f"pandas {pd.__version__} has no dtype {dtype!r}")
    df = pd.DataFrame({"name": s, "n": [1.5, 2.0, 3.0]})
    out = escape_frame(df, ["name", "n"])
    assert out["name"].iloc[0] == escape_text(PAYLOAD)
    assert out["name"].iloc[1] == "plain"
    assert pd.isna(out["name"].iloc[2])
    assert out["n"].tolist() == [1.5, 2.0, 3.0]
    assert not any(isinstance(v, str) and "<" in v for v in out["name"])


def test_escape_value_keeps_numbers_and_escapes_other_objects():
    assert escape_value(3) == 3 and escape_value(2.5) == 2.5 and escape_value(True) is True
    assert escape_value(b"<b>") == escape_text(b"<b>")
    assert "<" not in escape_value(["<x>"])
