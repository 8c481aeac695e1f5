"""Streaming batch runs: CSV, Parquet and GeoParquet in and out, chunk by chunk, on one process
or on a Dask cluster.

``run_batch(in_path, out_path, ...)`` reads the input in chunks of ``chunk_rows`` rows (pandas'
chunked CSV reader, or ``pyarrow.parquet.ParquetFile.iter_batches``), computes every row with
:func:`warning_time.flight_time` (``on_invalid="nan"``) and appends the chunk to the output, so
memory stays bounded whatever the input size. Every input row comes back, in input order, with
its columns and the result columns :data:`RESULT_COLUMNS`; a row that cannot be computed keeps
its place with NaN, a ``status`` code (see :mod:`warning_time.status`) and a ``reason`` naming
the field and the row. The output is written to a temporary file beside ``out_path`` and renamed
at the end (:func:`warning_time.io.atomic_path`), so an interrupted run never leaves a
truncated file that looks complete; ``-`` writes to standard output (CSV unless a format is
given), a device or FIFO is written directly and a symbolic link is written through.

Per-row overrides: optional input columns :data:`OVERRIDE_COLUMNS` (``missile``,
``trajectory``, ``trajectory_apogee_km``, ``trajectory_flight_path_angle_deg``,
``trajectory_burnout_speed_m_s``, ``branch``, ``earth``, ``rotation``, ``band``) replace the
run's model options for their row; an empty cell keeps the run's option. Rows are grouped by
their override values within a chunk, each group is computed at once and the results are
written back in the original order. (A group costs one ``flight_time`` call, so a column with a
different value on every row, e.g. a continuous apogee, runs at per-row speed.)

Dask: ``dask="local"`` or ``"local:N"`` runs the chunks on a ``dask.distributed.LocalCluster``
of N single-threaded worker processes, ``scheduler="tcp://host:port"`` on an existing cluster,
with output identical to a single-process run; that part, and the lazy API over a dask DataFrame
or array (``flight_time_dask``, also importable from here), live in :mod:`warning_time.dask_api`.
"""
from __future__ import annotations

import json
import math
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError, check_choice
from .flight import FlightResult
from .io import atomic_path
from .status import BAD_INPUT

COORD_COLUMNS = FlightResult.COORDINATES
#: valid range of each coordinate (deg), as checked by flight_time
COORD_RANGES = {"launch_lat_deg": (-90.0, 90.0), "launch_lon_deg": (-180.0, 360.0),
                "target_lat_deg": (-90.0, 90.0), "target_lon_deg": (-180.0, 360.0)}
#: the result columns of a batch run and of the Dask API: flight_time's numbers, status, reason
RESULT_COLUMNS = FlightResult.NUMBERS + ("status", "reason")
_FLOAT_RESULTS = RESULT_COLUMNS[:-2]
#: per-row override column -> (flight_time keyword, parser)
OVERRIDE_COLUMNS = {
    "missile": ("missile", "str"),
    "trajectory": ("trajectory", "str"),
    "trajectory_apogee_km": ("apogee_km", "float"),
    "trajectory_flight_path_angle_deg": ("flight_path_angle_deg", "float"),
    "trajectory_burnout_speed_m_s": ("burnout_speed_m_s", "float"),
    "branch": ("branch", "str"),
    "earth": ("earth", "str"),
    "rotation": ("rotation", "bool"),
    "band": ("band", "str"),
}
MODEL_KEYWORDS = ("missile", "trajectory", "apogee_km", "flight_path_angle_deg", "burnout_speed_m_s",
                  "branch", "earth", "rotation", "band")
FORMATS = ("csv", "parquet", "geoparquet")
DEFAULT_CHUNK_ROWS = 500_000
MAX_CHUNK_ROWS = 20_000_000
GEOMETRY_COLUMN = "geometry"
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f"}


# ---------------------------------------------------------------------------------------------
# formats
# ---------------------------------------------------------------------------------------------

def detect_input_format(path) -> str:
    """'parquet' if the file starts with the Parquet magic bytes, else 'csv' (GeoParquet is
    Parquet with 'geo' metadata and is recognised when opened)."""
    path = Path(path)
    if path.is_dir():
        raise InputError("input", message=f"{path}: is a directory, expected a CSV or Parquet file")
    with open(path, "rb") as fh:
        head = fh.read(4)
    return "parquet" if head == b"PAR1" else "csv"


def detect_output_format(path, explicit=None) -> str:
    """The output format: ``explicit`` if given, else from the file name (.parquet / .pq ->
    parquet, .geoparquet / .geo.parquet -> geoparquet, anything else -> csv)."""
    if explicit is not None:
        return check_choice("output_format", explicit, FORMATS)
    name = str(path).lower()
    if name.endswith((".geoparquet", ".geo.parquet")):
        return "geoparquet"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    return "csv"


def _short(value, n=40) -> str:
    s = str(value)
    return repr(s) if len(s) <= n else repr(s[:n]) + f"... ({len(s):,} characters)"


# ---------------------------------------------------------------------------------------------
# readers: yield pyarrow Tables of at most chunk_rows rows (and a progress position)
# ---------------------------------------------------------------------------------------------

@dataclass
class _Source:
    path: Path
    fmt: str                      # 'csv' or 'parquet'
    columns: list | None = None   # known up front for Parquet
    num_rows: int | None = None
    size_bytes: int = 0
    geo: dict | None = None       # GeoParquet 'geo' metadata of the input
    geo_column: str | None = None


def _open_source(path) -> _Source:
    path = Path(path)
    fmt = detect_input_format(path)
    src = _Source(path=path, fmt=fmt, size_bytes=path.stat().st_size)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
        except Exception as exc:  # noqa: BLE001 - any reader failure is an input error naming the file
            raise InputError("input", message=f"{path}: not a readable Parquet file: {_msg(exc)}") from None
        schema = pf.schema_arrow
        src.columns = list(schema.names)
        src.num_rows = pf.metadata.num_rows
        meta = schema.metadata or {}
        if b"geo" in meta:
            try:
                src.geo = json.loads(meta[b"geo"])
                src.geo_column = src.geo.get("primary_column")
            except (ValueError, AttributeError):
                src.geo = None
        if src.num_rows == 0:
            raise InputError("input", message=f"{path}: no rows (columns {', '.join(src.columns)})")
    return src


def _msg(exc, n=300) -> str:
    s = str(exc).strip().replace("\n", " ")
    return s if len(s) <= n else s[:n] + "..."


def _iter_chunks(src: _Source, chunk_rows: int):
    """Yield (table, position) per chunk; position is bytes read (CSV) or rows read (Parquet)."""
    if src.fmt == "parquet":
        yield from _iter_parquet(src, chunk_rows)
    else:
        yield from _iter_csv(src, chunk_rows)


def _iter_parquet(src, chunk_rows):
    import pyarrow as pa
    import pyarrow.parquet as pq

    # pre_buffer=False: with pre-buffering, iter_batches keeps every row group's buffers until the
    # file is closed (memory grows with the input; pyarrow 26)
    pf = pq.ParquetFile(src.path, pre_buffer=False)
    done = 0
    try:
        for batch in pf.iter_batches(batch_size=chunk_rows):
            if batch.num_rows:
                done += batch.num_rows
                yield pa.Table.from_batches([batch]), done
    except (OSError, pa.ArrowException) as exc:
        raise InputError("input", message=f"{src.path}: cannot read Parquet after row {done}: {_msg(exc)}") from None


_FIELDS_RE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_EOF_QUOTE_RE = re.compile(r"EOF inside string starting at row (\d+)")


def _iter_csv(src, chunk_rows):
    import pyarrow as pa

    path = src.path
    rows = 0
    with open(path, "rb") as fh:
        try:
            reader = pd.read_csv(fh, chunksize=chunk_rows, dtype=str, keep_default_na=False,
                                 encoding="utf-8-sig")  # a byte-order mark (Excel) is not part of the header
            for chunk in reader:
                if not len(chunk):
                    continue
                if src.columns is None:
                    src.columns = [str(c) for c in chunk.columns]
                rows += len(chunk)
                yield pa.Table.from_pandas(chunk, preserve_index=False), fh.tell()
        except pd.errors.EmptyDataError:
            raise InputError("input", message=f"{path}: the file is empty (expected a header with "
                             + ", ".join(COORD_COLUMNS) + ")") from None
        except pd.errors.ParserError as exc:
            m = _FIELDS_RE.search(str(exc))
            q = _EOF_QUOTE_RE.search(str(exc))
            if q:
                msg = (f"{path}: line {int(q.group(1)) + 1}: a quoted field never closes (unbalanced quote; "
                       "the rest of the file would be one cell)")
            elif m:
                want, line, saw = m.groups()
                msg = (f"{path}: line {line}: expected {want} fields as in the header, found {saw} "
                       "(a stray delimiter, an unquoted comma, or a malformed or overlong line)")
            else:
                msg = (f"{path}: malformed CSV after data row {rows} (a line too long or unbalanced "
                       f"quotes?): {_msg(exc, 200)}")
            raise InputError("input", rows=[rows + 1], message=msg) from None
        except MemoryError:
            raise InputError("input", rows=[rows + 1], message=f"{path}: data row {rows + 1} or a line near it "
                             "is too long to read (malformed input?)") from None
        except UnicodeDecodeError as exc:
            raise InputError("input", message=f"{path}: not UTF-8 text after data row {rows}: {_msg(exc, 120)}") from None
    if rows == 0:
        raise InputError("input", message=f"{path}: no rows (only a header)")


# ---------------------------------------------------------------------------------------------
# one chunk
# ---------------------------------------------------------------------------------------------

def _coordinates(table, name, row0, reasons):
    """float64 values of a coordinate column; rows that are empty, not numbers or outside the
    valid range get a reason (the first one per row is kept) and NaN."""
    import pyarrow as pa
    import pyarrow.compute as pc

    col = table.column(name)
    if pa.types.is_dictionary(col.type):  # e.g. a pandas categorical column
        col = col.cast(col.type.value_type)
    n = len(col)
    typ = col.type
    text = None
    if pa.types.is_floating(typ) or pa.types.is_integer(typ) or pa.types.is_decimal(typ):
        vals = pc.fill_null(col.cast(pa.float64()), math.nan).to_numpy()
    elif pa.types.is_string(typ) or pa.types.is_large_string(typ):
        try:
            vals = pc.fill_null(pc.cast(pc.utf8_trim_whitespace(col), pa.float64()), math.nan).to_numpy()
        except pa.ArrowInvalid:  # some cell is not a number: parse cell by cell
            text = col.to_pandas()
            vals = pd.to_numeric(text.str.strip(), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    else:
        vals = np.full(n, math.nan)
        text = col.to_pandas().astype(str)
    vals = np.array(vals, dtype=float, copy=True)
    lo, hi = COORD_RANGES[name]
    bad = ~((vals >= lo) & (vals <= hi))
    if bad.any():
        nulls = col.is_null().to_numpy(zero_copy_only=False) if col.null_count else np.zeros(n, bool)
        for i in np.flatnonzero(bad & (reasons == "")):
            where = f"(row {row0 + i + 1})"
            if nulls[i] or (text is not None and str(text.iloc[i]).strip() == ""):
                reasons[i] = f"bad input: {name} {where} is empty"
            elif math.isnan(vals[i]) and text is not None:
                reasons[i] = f"bad input: {name} = {_short(text.iloc[i])} {where} is not a number"
            else:
                reasons[i] = f"bad input: {name} = {float(vals[i])!r} {where} is outside [{lo:g}, {hi:g}]"
        vals[bad] = math.nan
    return vals


def _coords_from_geometry(table, geo_column, row0, reasons):
    """Launch = first and target = last point of a LineString geometry (GeoParquet input
    without coordinate columns)."""
    import shapely

    wkb = table.column(geo_column).to_numpy(zero_copy_only=False)
    n = len(wkb)
    out = {c: np.full(n, math.nan) for c in COORD_COLUMNS}
    geoms = np.empty(n, dtype=object)
    for i, b in enumerate(wkb):
        try:
            geoms[i] = shapely.from_wkb(b) if b is not None else None
        except Exception:  # noqa: BLE001 - a broken geometry is a per-row bad input
            geoms[i] = None
    ok = np.array([g is not None and g.geom_type == "LineString" and len(g.coords) >= 2 for g in geoms])
    for i in np.flatnonzero(~ok & (reasons == "")):
        reasons[i] = f"bad input: {geo_column} (row {row0 + i + 1}) is not a LineString from launch to target"
    if ok.any():
        first = shapely.get_coordinates(shapely.get_point(geoms[ok], 0))
        last = shapely.get_coordinates(shapely.get_point(geoms[ok], -1))
        out["launch_lon_deg"][ok], out["launch_lat_deg"][ok] = first[:, 0], first[:, 1]
        out["target_lon_deg"][ok], out["target_lat_deg"][ok] = last[:, 0], last[:, 1]
    for name, (lo, hi) in COORD_RANGES.items():
        v = out[name]
        bad = ok & ~((v >= lo) & (v <= hi))
        for i in np.flatnonzero(bad & (reasons == "")):
            reasons[i] = f"bad input: {name} = {float(v[i])!r} (row {row0 + i + 1}, from {geo_column}) is outside [{lo:g}, {hi:g}]"
        v[bad] = math.nan
    return out


def _parse_override(col, raw):
    kw, kind = OVERRIDE_COLUMNS[col]
    if kind == "float":
        try:
            return kw, float(raw)
        except ValueError:
            raise InputError(col, message=f"{col} = {_short(raw)} is not a number") from None
    if kind == "bool":
        s = raw.lower()
        if s in _TRUE or s in _FALSE:
            return kw, s in _TRUE
        raise InputError(col, message=f"{col} = {_short(raw)} must be true or false")
    return kw, raw


def _override_groups(table, cols):
    """{key tuple: row positions} over the override columns' normalised text ('' = none)."""
    keys = {}
    for c in cols:
        s = table.column(c).to_pandas()
        if pd.api.types.is_float_dtype(s.dtype):
            s = s.map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else repr(float(v)))
        keys[c] = s.astype(object).where(s.notna(), "").astype(str).str.strip()
    frame = pd.DataFrame(keys)
    out = {}
    for key, idx in frame.groupby(list(cols), sort=False, dropna=False).indices.items():
        out[key if isinstance(key, tuple) else (key,)] = idx
    return out


def _compute(coords, model, reasons):
    """Result arrays for one chunk, grouping rows by override values (one resolved
    FlightModel per group)."""
    from .flight import model_flight_time
    from .model import FlightModel

    n = len(reasons)
    res = {c: np.full(n, math.nan) for c in _FLOAT_RESULTS}
    res["status"] = np.zeros(n, dtype=np.int8)
    res["reason"] = np.full(n, "", dtype=object)
    groups = model.pop("_groups", None)
    if groups is None:
        groups = {(): np.arange(n)}
    cols = model.pop("_override_cols", ())
    for key, idx in groups.items():
        kw = dict(model)
        try:
            for c, raw in zip(cols, key):
                if raw != "":
                    k, v = _parse_override(c, raw)
                    kw[k] = v
            whole = len(idx) == n
            sub = (lambda a: a) if whole else (lambda a: a[idx])  # noqa: E731
            r = model_flight_time(FlightModel.resolve(**kw), *(sub(coords[c]) for c in COORD_COLUMNS),
                                  on_invalid="nan")
        except InputError as exc:
            res["status"][idx] = BAD_INPUT
            res["reason"][idx] = f"bad input: {exc}"
            continue
        for c in _FLOAT_RESULTS:
            if whole:
                res[c] = np.asarray(r[c], dtype=float)
            else:
                res[c][idx] = r[c]
        if whole:
            res["status"] = np.asarray(r["status"], dtype=np.int8)
            res["reason"] = np.asarray(r["reason"], dtype=object)
        else:
            res["status"][idx] = r["status"]
            res["reason"][idx] = r["reason"]
    filled = reasons != ""
    if filled.any():
        res["reason"][filled] = reasons[filled]
        res["status"][filled] = BAD_INPUT
    return res


def _linestrings_wkb(lon1, lat1, lon2, lat2):
    """WKB (little-endian) LineStrings launch -> target; null where a coordinate is NaN."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(lon1)
    dt = np.dtype([("bo", "u1"), ("type", "<u4"), ("npts", "<u4"), ("xy", "<f8", (4,))])  # packed: 41 bytes
    rec = np.zeros(n, dtype=dt)
    rec["bo"] = 1
    rec["type"] = 2
    rec["npts"] = 2
    rec["xy"] = np.stack([lon1, lat1, lon2, lat2], axis=1)
    offsets = np.arange(n + 1, dtype=np.int32) * dt.itemsize
    arr = pa.Array.from_buffers(pa.binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(rec.tobytes())])
    valid = np.isfinite(lon1) & np.isfinite(lat1) & np.isfinite(lon2) & np.isfinite(lat2)
    if valid.all():
        return arr
    return pc.if_else(pa.array(valid), arr, pa.scalar(None, pa.binary()))


def _set_column(table, name, array):
    i = table.schema.get_field_index(name)
    if i >= 0:
        return table.set_column(i, name, array)
    return table.append_column(name, array)


def process_chunk(table, row0: int, opts: dict):
    """Compute one chunk (a pyarrow Table with the input columns) and return the output Table:
    the input columns, the result columns, and for GeoParquet output a launch -> target
    LineString geometry. Pure: the same chunk gives the same output in any process."""
    import pyarrow as pa

    if opts.get("numba_threads"):
        import numba

        numba.set_num_threads(min(int(opts["numba_threads"]), numba.config.NUMBA_NUM_THREADS))
    n = table.num_rows
    reasons = np.full(n, "", dtype=object)
    if opts.get("coords_from_geometry"):
        coords = _coords_from_geometry(table, opts["geo_column"], row0, reasons)
    else:
        coords = {c: _coordinates(table, c, row0, reasons) for c in COORD_COLUMNS}
    model = dict(opts["model"])
    over = [c for c in OVERRIDE_COLUMNS if c in table.column_names]
    if over:
        model["_groups"] = _override_groups(table, over)
        model["_override_cols"] = tuple(over)
    res = _compute(coords, model, reasons)
    fmt = opts["out_format"]
    out = table
    csv = fmt == "csv"
    if not csv or opts.get("coords_from_geometry"):
        for c in COORD_COLUMNS:  # binary formats carry the parsed numbers (the reason keeps any bad text)
            out = _set_column(out, c, pa.array(coords[c], type=pa.float64()))
    for c in _FLOAT_RESULTS:
        out = _set_column(out, c, pa.array(res[c], type=pa.float64(), from_pandas=csv))  # CSV: NaN -> empty
    out = _set_column(out, "status", pa.array(res["status"], type=pa.int8()))
    out = _set_column(out, "reason", pa.array(res["reason"], type=pa.string()))
    if fmt == "geoparquet" and not opts.get("geo_column"):
        out = _set_column(out, GEOMETRY_COLUMN, _linestrings_wkb(coords["launch_lon_deg"], coords["launch_lat_deg"],
                                                                coords["target_lon_deg"], coords["target_lat_deg"]))
    if csv:
        out = _binary_to_text(out, opts.get("geo_columns", ()))
    return out


def _binary_to_text(table, geo_columns):
    """CSV cannot hold binary: WKB geometry columns become WKT, other binary columns hex."""
    import pyarrow as pa

    for i, f in enumerate(table.schema):
        if pa.types.is_binary(f.type) or pa.types.is_large_binary(f.type):
            vals = table.column(i).to_numpy(zero_copy_only=False)
            if f.name in geo_columns:
                import shapely

                txt = [None if v is None else shapely.to_wkt(shapely.from_wkb(v), rounding_precision=-1) for v in vals]
            else:
                txt = [None if v is None else bytes(v).hex() for v in vals]
            table = table.set_column(i, f.name, pa.array(txt, type=pa.string()))
    return table


# ---------------------------------------------------------------------------------------------
# writer
# ---------------------------------------------------------------------------------------------

class _Writer:
    """Appends chunk tables to one CSV or (Geo)Parquet file; the schema comes from the first chunk."""

    def __init__(self, path, fmt, geo_meta=None):
        self.path, self.fmt, self.geo_meta = Path(path), fmt, geo_meta
        self._w = None
        self.schema = None

    def write(self, table):
        import pyarrow as pa

        if self._w is None:
            schema = table.schema
            if self.fmt == "csv":
                import pyarrow.csv as pacsv

                schema = schema.remove_metadata()
                self._w = pacsv.CSVWriter(str(self.path), schema)
            else:
                import pyarrow.parquet as pq

                meta = dict(schema.metadata or {})
                meta.pop(b"pandas", None)
                if self.geo_meta is not None:
                    meta[b"geo"] = json.dumps(self.geo_meta).encode()
                schema = schema.with_metadata(meta)
                self._w = pq.ParquetWriter(str(self.path), schema, compression="snappy")
            self.schema = schema
        try:
            table = table.select(self.schema.names).cast(self.schema)
        except (KeyError, pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise InputError("input", message=f"the columns change between chunks ({_msg(exc, 200)}); "
                             "give every row the same columns and types") from None
        if self.fmt == "csv":
            self._w.write_table(table)
        else:
            self._w.write_table(table, row_group_size=max(table.num_rows, 1))

    def close(self):
        if self._w is not None:
            self._w.close()
            self._w = None


def _geo_metadata(src: _Source, fmt: str):
    if src.geo is not None and fmt != "csv":
        return src.geo  # keep the input's GeoParquet metadata (and its geometry columns)
    if fmt == "geoparquet":
        # crs omitted = OGC:CRS84 (lon, lat on WGS84), the GeoParquet default
        return {"version": "1.1.0", "primary_column": GEOMETRY_COLUMN,
                "columns": {GEOMETRY_COLUMN: {"encoding": "WKB", "geometry_types": ["LineString"]}}}
    return None


# ---------------------------------------------------------------------------------------------
# progress
# ---------------------------------------------------------------------------------------------

class _Progress:
    """A rich progress bar on stderr (rows for Parquet, bytes of the file for CSV)."""

    def __init__(self, enabled, src: _Source, label):
        self.enabled = enabled
        self.src = src
        self._p = None
        self.label = label

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, Progress, TaskProgressColumn, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self._p = Progress(TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
                               TextColumn("{task.fields[rows]:,} rows, {task.fields[rate]}"),
                               TimeElapsedColumn(), TimeRemainingColumn(),
                               console=Console(file=sys.stderr), transient=False)
            self._p.__enter__()
            total = self.src.num_rows if self.src.fmt == "parquet" else max(self.src.size_bytes, 1)
            self._task = self._p.add_task(self.label, total=total, rows=0, rate="")
            self._t0 = time.perf_counter()
        return self

    def update(self, rows, position):
        if self._p is not None:
            dt = time.perf_counter() - self._t0
            rate = f"{rows / dt:,.0f} rows/s" if dt > 0 else ""
            self._p.update(self._task, completed=position, rows=rows, rate=rate)

    def __exit__(self, *exc):
        if self._p is not None:
            self._p.__exit__(*exc)
        return False


# ---------------------------------------------------------------------------------------------
# run_batch
# ---------------------------------------------------------------------------------------------

@dataclass
class BatchSummary:
    """What a batch run did: rows, chunks, status counts, seconds, output path and format."""
    rows: int = 0
    chunks: int = 0
    status_counts: dict = field(default_factory=dict)
    seconds: float = 0.0
    out_path: str = ""
    out_format: str = ""
    workers: int = 1

    def describe(self) -> str:
        bad = {k: v for k, v in sorted(self.status_counts.items()) if k != 0}
        from .status import status_name

        tail = ("; not computed: " + ", ".join(f"{v:,} {status_name(k)}" for k, v in bad.items())) if bad else ""
        rate = self.rows / self.seconds if self.seconds > 0 else float("nan")
        where = "standard output" if self.out_path == "-" else self.out_path
        return (f"wrote {self.rows:,} rows to {where} ({self.out_format}, {self.chunks} chunk(s), "
                f"{self.seconds:.1f} s, {rate:,.0f} rows/s{', ' + str(self.workers) + ' workers' if self.workers > 1 else ''})"
                f"{tail}")


def _check_model(model):
    """Raise InputError now for bad run-wide options (e.g. an unknown missile)."""
    from .model import FlightModel

    FlightModel.resolve(**model)


def run_batch(in_path, out_path, *, chunk_rows: int = DEFAULT_CHUNK_ROWS, dask: str | None = None,
              scheduler: str | None = None, output_format: str | None = None, progress: bool = False,
              retries: int = 3, on_chunk=None, **model_kwargs) -> BatchSummary:
    """Flight times for every row of a CSV or (Geo)Parquet file, streamed in chunks.

    Parameters
    ----------
    in_path : path
        CSV (UTF-8, header row) or Parquet / GeoParquet with the columns ``launch_lat_deg``,
        ``launch_lon_deg``, ``target_lat_deg``, ``target_lon_deg`` (deg); GeoParquet may
        instead carry LineString geometries from launch to target. Other columns are kept;
        override columns (:data:`OVERRIDE_COLUMNS`) set the model per row.
    out_path : path
        Output file; its format comes from ``output_format`` or the file name (.csv,
        .parquet, .geoparquet). Written to a temporary file and renamed at the end. ``-`` is
        standard output (CSV unless ``output_format`` says otherwise; the bytes are written
        only once the run has succeeded); devices and FIFOs are written directly, symbolic
        links through to their target (see :func:`warning_time.io.atomic_path`).
    chunk_rows : int
        Rows per chunk (memory is bounded by a few chunks).
    dask : {'local', 'local:N'}, optional
        Run the chunks on a LocalCluster of N single-threaded worker processes.
    scheduler : str, optional
        Address of an existing dask.distributed scheduler.
    progress : bool
        Show a progress bar on stderr.
    retries : int
        Dask task retries per chunk (a chunk whose worker dies is recomputed).
    on_chunk : callable, optional
        Called as ``on_chunk(index, rows_written)`` after each chunk is written.
    **model_kwargs
        ``missile``, ``trajectory``, ``apogee_km``, ``flight_path_angle_deg``,
        ``burnout_speed_m_s``, ``branch``, ``earth``, ``rotation``, ``band`` as in
        :func:`warning_time.flight_time`.

    Returns
    -------
    BatchSummary

    Raises
    ------
    InputError
        For an unreadable, empty or header-only file, a missing column, a malformed CSV line,
        or bad run-wide options; the message names the file and the row or field. Nothing is
        written then.
    """
    unknown = set(model_kwargs) - set(MODEL_KEYWORDS)
    if unknown:
        raise TypeError(f"run_batch() got unexpected keyword argument(s) {', '.join(sorted(unknown))}")
    model = {k: v for k, v in model_kwargs.items() if v is not None}
    model.setdefault("missile", "ideal")
    if not isinstance(chunk_rows, (int, np.integer)) or not 1 <= chunk_rows <= MAX_CHUNK_ROWS:
        raise InputError("chunk_rows", message=f"chunk_rows must be an integer in [1, {MAX_CHUNK_ROWS:,}], got {chunk_rows!r}")
    if dask is not None and scheduler is not None:
        raise InputError("--dask", message="give either --dask local[:N] or --scheduler ADDRESS, not both")
    from . import dask_api  # the Dask side (dask itself is imported only when used)

    n_local = dask_api.parse_dask_spec(dask) if dask is not None else None
    fmt = detect_output_format(out_path, output_format)
    src = _open_source(in_path)
    t0 = time.perf_counter()
    summary = BatchSummary(out_path=str(out_path), out_format=fmt)
    opts = dict(model=model, out_format=fmt)
    geo_meta = _geo_metadata(src, fmt)
    if src.geo is not None:
        opts["geo_column"] = src.geo_column
        opts["geo_columns"] = tuple((src.geo.get("columns") or {}).keys())

    def check_columns(cols):
        missing = [c for c in COORD_COLUMNS if c not in cols]
        if not missing:
            return
        if len(missing) == 4 and src.geo_column and src.geo_column in cols:
            opts["coords_from_geometry"] = True
            return
        raise InputError(missing[0], message=f"{src.path}: missing column(s) {', '.join(missing)}; "
                         f"found {', '.join(map(str, cols)) or 'none'}")

    if src.columns is not None:
        check_columns(src.columns)
        if not any(c in src.columns for c in OVERRIDE_COLUMNS):
            _check_model(model)
    counts = Counter()
    with atomic_path(out_path) as tmp, _Progress(progress, src, f"batch {src.path.name}") as bar:
        writer = _Writer(tmp, fmt, geo_meta)
        try:
            def emit(i, table, position):
                writer.write(table)
                summary.rows += table.num_rows
                summary.chunks += 1
                st = table.column("status").to_numpy()
                vals, cnt = np.unique(st, return_counts=True)
                counts.update({int(v): int(c) for v, c in zip(vals, cnt)})
                bar.update(summary.rows, position)
                if on_chunk is not None:
                    on_chunk(i, summary.rows)

            chunks = _iter_chunks(src, chunk_rows)
            first = [True]

            def checked():
                row0 = 0
                for table, pos in chunks:
                    if first[0]:
                        first[0] = False
                        if src.fmt == "csv":
                            check_columns(table.column_names)
                            if not any(c in table.column_names for c in OVERRIDE_COLUMNS):
                                _check_model(model)
                    yield row0, table, pos
                    row0 += table.num_rows

            if n_local is None and scheduler is None:
                for i, (row0, table, pos) in enumerate(checked()):
                    emit(i, process_chunk(table, row0, opts), pos)
            else:
                summary.workers = dask_api.run_chunks(checked(), opts, emit, n_local, scheduler, retries)
        finally:
            writer.close()
    summary.status_counts = dict(counts)
    summary.seconds = time.perf_counter() - t0
    return summary


def __getattr__(name):
    """``flight_time_dask`` and ``parse_dask_spec`` of :mod:`warning_time.dask_api`, imported on
    first use (that module imports this one)."""
    if name in ("flight_time_dask", "parse_dask_spec"):
        from . import dask_api

        return getattr(dask_api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
