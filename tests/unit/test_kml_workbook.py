"""KML export (named, styled features a GIS reads back) and the XLSX workbook (numbers stay
numbers, text stays text)."""
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from warning_time.geometry import export
from warning_time.workbook import sheet_names, write_workbook

K = "{http://www.opengis.net/kml/2.2}"


def _bands():
    ring = shapely.Polygon([(20, 50), (30, 50), (30, 56), (20, 56)], [[(24, 52), (26, 52), (26, 54), (24, 54)]])
    return gpd.GeoDataFrame({"level_min_low": [6.0, 0.0, 8.0], "level_min": [8.0, 6.0, 10.0],
                             "launch_area": ["<b>Krychaw</b> & co", "Krychaw", "Krychaw"]},
                            geometry=[ring, shapely.box(25, 52, 27, 53),
                                      shapely.MultiPolygon([shapely.box(10, 45, 12, 47), shapely.box(14, 45, 15, 46)])],
                            crs=4326)


def test_kml_features_have_names_styles_and_read_back(tmp_path):
    p = export(_bands(), tmp_path / "bands.kml")
    root = ET.parse(p).getroot()
    doc = root.find(f"{K}Document")
    styles = {s.get("id"): s for s in doc.findall(f"{K}Style")}
    marks = doc.findall(f"{K}Placemark")
    assert [m.find(f"{K}name").text for m in marks] == ["6-8 min flight", "0-6 min flight", "8-10 min flight"]
    # one style per band, light to dark in the order of the level, fills translucent
    used = [m.find(f"{K}styleUrl").text.lstrip("#") for m in marks]
    assert set(used) <= set(styles) and len(set(used)) == 3
    fills = {k: s.find(f"{K}PolyStyle/{K}color").text for k, s in styles.items()}
    assert all(f.startswith("73") for f in fills.values())
    assert used[1] == "band0" and used[0] == "band1" and used[2] == "band2"
    # user text is text: the attribute comes back as written, no markup was injected
    assert "<b>" not in p.read_text() and "&lt;b&gt;Krychaw&lt;/b&gt; &amp; co" in p.read_text()
    # a GIS reads it back: the same names and the same geometry (hole kept)
    back = gpd.read_file(p)
    assert list(back["Name"]) == ["6-8 min flight", "0-6 min flight", "8-10 min flight"]
    for g0, g1 in zip(_bands().geometry, back.geometry):
        assert shapely.equals_exact(shapely.force_2d(g1).normalize(), g0.normalize(), tolerance=1e-6)


def test_workbook_keeps_numbers_numbers_and_text_text(tmp_path):
    from openpyxl import load_workbook

    df = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\",\"y\")", "+1", "Warsaw"], "warning (min)": [1.25, np.nan, 3.0],
                       "count": [1, 2, 3]})
    long = "a_table_name_that_is_longer_than_31_characters"
    write_workbook({"t": df, long: df, long + "_2": df}, tmp_path / "w.xlsx", about=["title", "=1+1"])
    wb = load_workbook(tmp_path / "w.xlsx")
    assert wb.sheetnames[0] == "about" and wb["about"]["A2"].value == "=1+1" and wb["about"]["A2"].data_type == "s"
    ws = wb["t"]
    assert [c.value for c in ws[1]] == ["name", "warning (min)", "count"]
    assert ws["A2"].data_type == "s" and ws["A2"].value.startswith("=HYPERLINK")
    assert ws["B2"].value == 1.25 and ws["B3"].value is None and ws["C4"].value == 3
    names = sheet_names(["t", long, long + "_2"])
    assert len(set(names.values())) == 3 and all(len(n) <= 31 for n in names.values())
