"""The report's tables as one XLSX workbook (one sheet per table, numbers as numbers), written
atomically beside the CSVs.

Cells hold what the CSVs hold. Text from data files stays text: a value that a spreadsheet would
read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
stored as a string cell, never as a formula.
"""
from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd

from .io import atomic_path

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def sheet_names(names) -> dict:
    """A valid, unique sheet name (at most 31 characters, none of ``[]:*?/\\``) per table name."""
    out, used = {}, set()
    for n in names:
        base = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(n))[:31] or "table"
        name, k = base, 2
        while name.lower() in used:
            suffix = f"~{k}"
            name, k = base[:31 - len(suffix)] + suffix, k + 1
        used.add(name.lower())
        out[n] = name
    return out


def _cell_value(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        f = float(v)
        return f if math.isfinite(f) else None
    return str(v)


def write_workbook(tables: dict, path, about=()) -> None:
    """Write ``tables`` (name -> DataFrame) to ``path`` as XLSX: an 'about' sheet with the lines
    of ``about`` (title, provenance) and the list of sheets, then one sheet per table with a
    bold, frozen header row. Missing numbers are empty cells. Streamed (openpyxl's write-only
    mode): a few seconds for the brief's ~30 tables."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def cells(ws, values, font=None):
        out = []
        for v in values:
            v = _cell_value(v)
            if isinstance(v, str):  # text stays text, whatever it starts with (never a formula)
                c = WriteOnlyCell(ws)
                c.value, c.data_type = v, "s"
            else:
                c = WriteOnlyCell(ws, value=v)
            if font is not None:
                c.font = font
            out.append(c)
        return out

    names = sheet_names(tables)
    ws = wb.create_sheet("about")
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 30
    for line in about:
        ws.append(cells(ws, [line]))
    ws.append([])
    ws.append(cells(ws, ["sheet", "table (CSV)"], bold))
    for n in tables:
        ws.append(cells(ws, [names[n], f"{n}.csv"]))
    for n, df in tables.items():
        sh = wb.create_sheet(names[n])
        sh.freeze_panes = "A2"
        for j, c in enumerate(df.columns, start=1):
            width = min(max([len(str(c))] + [len(str(v)) for v in df[c].head(100).tolist()]) + 2, 60)
            sh.column_dimensions[_column_letter(j)].width = width
        sh.append(cells(sh, [str(c) for c in df.columns], bold))
        for row in df.itertuples(index=False, name=None):
            if any(isinstance(v, str) for v in row):
                sh.append(cells(sh, row))
            else:
                sh.append([_cell_value(v) for v in row])
    with atomic_path(path) as tmp:
        wb.save(tmp)


def _column_letter(j: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(j)
