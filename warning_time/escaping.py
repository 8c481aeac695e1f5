"""The one way text from data files reaches HTML.

Maps and the HTML report are built from files that other people send (scenarios, targets, launch
areas), so every value that did not come from the package's own code is treated as hostile:

* :func:`escape_text` turns any value into inert HTML text. Besides ``& < > " '`` it writes the
  characters that other layers of a folium page give a meaning to as numeric character
  references: ``{`` and ``}`` (Jinja2 ``{{ }}``, ``{% %}`` and ``{# #}``: folium/branca compile
  the output of an element's macros as a template a second time), and ``` ` ``, ``$`` and ``\\``
  (folium places tooltip and popup HTML inside JavaScript template literals, where ``${...}`` is
  code). A browser shows every reference as the literal character.
* :func:`escape_frame` applies it to every string-like value of the chosen columns *by value*,
  whatever the column's dtype (``object``, pandas 3's ``str``, ``string``, categorical), so the
  escaping cannot silently switch off when pandas changes how it stores text.

Numbers, booleans and missing values pass unchanged (they are data for styling and never text).
"""
from __future__ import annotations

import html
import numbers

import numpy as np
import pandas as pd

#: characters written as numeric references after ``html.escape`` (see the module docstring)
_EXTRA = str.maketrans({
    "{": "&#123;", "}": "&#125;", "`": "&#96;", "$": "&#36;", "\\": "&#92;",
    "\x00": "\ufffd",
})


def escape_text(value) -> str:
    """``value`` as inert HTML text: safe in element content, in quoted attributes, inside a
    JavaScript template literal and in text that a Jinja2 template compiles again."""
    return html.escape(str(value), quote=True).translate(_EXTRA)


def _is_plain_data(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, (bool, np.bool_, numbers.Number)):
        return True
    return False


def escape_value(v):
    """Escape one cell: text (and anything else that is not a number, a boolean or missing) goes
    through :func:`escape_text`; numbers, booleans and missing values pass unchanged."""
    return v if _is_plain_data(v) else escape_text(v)


def escape_frame(df: pd.DataFrame, columns) -> pd.DataFrame:
    """A copy of ``df`` with ``columns`` (and a ``geometry`` column, when there is one) kept and
    every string-like value of those columns escaped, checked value by value."""
    cols = list(columns)
    keep = cols + (["geometry"] if "geometry" in df.columns and "geometry" not in cols else [])
    out = df[keep].copy()
    for c in cols:
        values = [escape_value(v) for v in out[c].tolist()]
        if all(_is_plain_data(v) for v in values):
            out[c] = pd.Series(values, index=out.index, dtype=out[c].dtype
                               if not isinstance(out[c].dtype, pd.CategoricalDtype) else object)
        else:
            out[c] = pd.Series(values, index=out.index, dtype=object)
    return out
