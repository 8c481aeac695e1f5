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
    of ``about`` (title, provenance), then one sheet per table with a bold, frozen header row.
    Missing numbers are empty cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "about"
    for line in about:
        ws.append([_cell_value(line)])
        c = ws.cell(row=ws.max_row, column=1)
        if isinstance(c.value, str):
            c.data_type = "s"
    names = sheet_names(tables)
    ws.append([None])
    ws.append(["sheet", "table (CSV)"])
    for n in tables:
        ws.append([names[n], f"{n}.csv"])
    for n, df in tables.items():
        sh = wb.create_sheet(names[n])
        sh.append([str(c) for c in df.columns])
        for cell in sh[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"
        for row in df.itertuples(index=False, name=None):
            vals = [_cell_value(v) for v in row]
            sh.append(vals)
            for j, v in enumerate(vals, start=1):
                if isinstance(v, str):  # text stays text, whatever it starts with
                    sh.cell(row=sh.max_row, column=j).data_type = "s"
        sh.freeze_panes = "A2"
        for j, c in enumerate(df.columns, start=1):
            width = min(max([len(str(c))] + [len(str(v)) for v in df[c].head(200).tolist()]) + 2, 60)
            sh.column_dimensions[sh.cell(row=1, column=j).column_letter].width = width
    with atomic_path(path) as tmp:
        wb.save(tmp)
