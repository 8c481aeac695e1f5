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

import contextlib
import io
import json
import math
import os
import shutil
import stat
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError, check_choice
from .flight import FlightResult
from .io import (COMPRESSIONS, atomic_path, compression_from_name, interruptible, open_compressed_writer,
                 open_decompressed, output_kind, sniff_compression)
from .status import BAD_INPUT

COORD_COLUMNS = FlightResult.COORDINATES
#: valid range of each coordinate (deg), as checked by flight_time
COORD_RANGES = {"launch_lat_deg": (-90.0, 90.0), "launch_lon_deg": (-180.0, 360.0),
                "target_lat_deg": (-90.0, 90.0), "target_lon_deg": (-180.0, 360.0)}
#: the result columns, in this order, of every entry point: FlightResult.to_frame() (after the
#: coordinates), a batch output and flight_time_dask (after the input columns)
RESULT_COLUMNS = FlightResult.NUMBERS + ("status", "reason", "missile", "trajectory")
_FLOAT_RESULTS = FlightResult.NUMBERS
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

#: output file names the format is taken from (a CSV name may end in a compression suffix)
_OUTPUT_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".geoparquet": "geoparquet",
                    ".geo.parquet": "geoparquet"}
SUPPORTED_OUTPUTS = (".csv, .csv.gz, .csv.bz2, .csv.xz, .csv.zst, .parquet, .pq, .geoparquet, .geo.parquet, "
                     "or - (standard output, CSV)")


def detect_input_format(path) -> str:
    """'parquet' if the file starts with the Parquet magic bytes, else 'csv' (GeoParquet is
    Parquet with 'geo' metadata and is recognised when opened; a compressed file is CSV)."""
    path = Path(path)
    if path.is_dir():
        raise InputError("input", message=f"{path}: is a directory, expected a CSV or Parquet file")
    with open(path, "rb") as fh:
        head = fh.read(4)
    return "parquet" if head == b"PAR1" else "csv"


def detect_output_format(path, explicit=None, compression=None) -> str:
    """The output format: ``explicit`` if given, else from the file name (.csv -> csv, also
    with a compression suffix; .parquet / .pq -> parquet; .geoparquet / .geo.parquet ->
    geoparquet). Standard output (``-``), a character device or a FIFO without one of these
    names is CSV. Any other name raises :class:`InputError` listing the supported ones."""
    if explicit is not None:
        return check_choice("output_format", explicit, FORMATS)
    name = str(path).lower()
    suffix = COMPRESSIONS.get(compression) if compression not in (None, "none") else None
    stripped = name
    kind = compression_from_name(name)
    if kind is not None:
        stripped = name[: -len(COMPRESSIONS[kind])]
    for ext in (".geo.parquet", ".geoparquet", ".parquet", ".pq", ".csv"):
        if stripped.endswith(ext):
            return _OUTPUT_SUFFIXES[ext]
    if output_kind(path) in ("stdout", "chr", "fifo"):
        return "csv"
    shown = Path(str(path)).name or str(path)
    raise InputError("--out", message=f"-o {path}: cannot tell the output format from the name {shown!r}; "
                     f"supported: {SUPPORTED_OUTPUTS}; or give --output-format {{{','.join(FORMATS)}}}"
                     + (f" (with {suffix} compression)" if suffix else ""))


def detect_output_compression(path, fmt: str, explicit=None) -> str | None:
    """The output compression: ``explicit`` ('none', 'gzip', 'bz2', 'xz', 'zstd') if given,
    else from the file name's suffix (.gz, .bz2, .xz, .zst). CSV only: Parquet compresses its
    pages itself, so a compression for it raises :class:`InputError`."""
    if explicit is not None:
        check_choice("compression", explicit, ("none",) + tuple(COMPRESSIONS))
        kind = None if explicit == "none" else explicit
    else:
        kind = compression_from_name(path)
    if kind is not None and fmt != "csv":
        raise InputError("--compression", message=f"-o {path}: {kind} compression applies to CSV only; "
                         f"{fmt} output compresses its pages itself (snappy)")
    return kind


def _short(value, n=40) -> str:
    s = str(value)
    return repr(s) if len(s) <= n else repr(s[:n]) + f"... ({len(s):,} characters)"


# ---------------------------------------------------------------------------------------------
# readers: yield chunks of at most chunk_rows rows
# ---------------------------------------------------------------------------------------------

ON_BAD_LINE = ("error", "flag")


@dataclass
class _Source:
    path: Path                    # as given ('-' for standard input)
    fmt: str                      # 'csv' or 'parquet'
    columns: list | None = None   # known up front for Parquet
    num_rows: int | None = None
    size_bytes: int = 0
    geo: dict | None = None       # GeoParquet 'geo' metadata of the input
    geo_column: str | None = None
    compression: str | None = None
    raw: object = None            # the open binary file (CSV)
    stream: object = None         # the decompressed binary stream (CSV)
    spool: str | None = None      # a temporary copy of a Parquet stream
    header_line: int = 1

    @property
    def name(self) -> str:
        return "<standard input>" if str(self.path) == "-" else str(self.path)

    def close(self):
        for f in (self.stream, self.raw):
            if f is not None and f is not getattr(sys.stdin, "buffer", None):
                with contextlib.suppress(Exception):
                    f.close()
        if self.spool is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.spool)
            self.spool = None


@dataclass
class _Chunk:
    """One chunk of input rows: the table, the progress position, the file line of each row
    (CSV) and the reasons of lines that could not be read as a row (``on_bad_line='flag'``)."""
    table: object
    position: int
    lines: np.ndarray | None = None
    bad: dict | None = None


def _open_source(path) -> _Source:
    """Open the input: a path or ``-`` (standard input); Parquet by its magic bytes (a stream
    is copied to a temporary file first, Parquet needs to seek), else CSV, decompressed when
    it starts with gzip, bzip2, xz or zstd magic bytes."""
    if str(path) == "-":
        raw = sys.stdin.buffer
        if not isinstance(raw, io.BufferedReader):
            raw = io.BufferedReader(raw)
        src = _Source(path=Path("-"), fmt="csv", raw=raw)
    else:
        path = Path(path)
        if path.is_dir():
            raise InputError("input", message=f"{path}: is a directory, expected a CSV or Parquet file")
        try:
            raw = open(path, "rb")  # noqa: SIM115 - closed by _Source.close
        except PermissionError:
            raise InputError("input", message=f"{path}: permission denied") from None
        except IsADirectoryError:
            raise InputError("input", message=f"{path}: is a directory, expected a CSV or Parquet file") from None
        src = _Source(path=path, fmt="csv", raw=raw)
        with contextlib.suppress(OSError):
            if stat.S_ISREG(os.fstat(raw.fileno()).st_mode):
                src.size_bytes = os.fstat(raw.fileno()).st_size
    try:
        head = src.raw.peek(8)[:8]
        if head[:4] == b"PAR1":
            src.fmt = "parquet"
            if not src.raw.seekable() or str(path) == "-":
                fd, src.spool = tempfile.mkstemp(prefix="warning_time-input.", suffix=".parquet")
                with os.fdopen(fd, "wb") as out:
                    shutil.copyfileobj(src.raw, out)
            _open_parquet(src, src.spool or src.path)
            return src
        src.compression = sniff_compression(head)
        src.stream = open_decompressed(src.raw, src.compression) if src.compression else src.raw
        if src.compression:
            try:
                inner = src.stream.peek(4)[:4]
            except (OSError, EOFError, ValueError) as exc:
                raise InputError("input", message=f"{src.name}: not a readable {src.compression} file: "
                                 f"{_msg(exc, 200)}") from None
            if inner == b"PAR1":
                raise InputError("input", message=f"{src.name}: a {src.compression}-compressed Parquet file; "
                                 "Parquet compresses its pages itself: decompress the file first")
        return src
    except BaseException:
        src.close()
        raise


def _open_parquet(src: _Source, path):
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - any reader failure is an input error naming the file
        raise InputError("input", message=f"{src.name}: not a readable Parquet file: {_msg(exc)}") from None
    schema = pf.schema_arrow
    src.columns = list(schema.names)
    src.num_rows = pf.metadata.num_rows
    meta = schema.metadata or {}
    if b"geo" in meta:
        try:
            src.geo = json.loads(meta[b"geo"])
            src.geo_column = src.geo.get("primary_column")
        except (ValueError, AttributeError, RecursionError):
            src.geo = None
    if src.geo is not None and src.geo_column:
        _check_geo_crs(src, ((src.geo.get("columns") or {}).get(src.geo_column) or {}).get("crs", "OGC:CRS84"))
    if src.num_rows == 0:
        raise InputError("input", message=f"{src.name}: no rows (columns {', '.join(src.columns)})")


def _check_geo_crs(src, crs) -> None:
    """A GeoParquet geometry column must be in longitude/latitude on WGS84 (``OGC:CRS84``,
    the GeoParquet default, or EPSG:4326): a geometry in another CRS would be read as degrees
    it is not, so it is refused naming the CRS."""
    if crs is None:  # 'crs': null means an undefined CRS
        raise InputError("input", message=f"{src.name}: the geometry column {src.geo_column} has an undefined "
                         "CRS (crs: null); write it in OGC:CRS84 (longitude, latitude on WGS84)")
    try:
        import pyproj

        c = pyproj.CRS.from_user_input(crs)
        ok = c.equals(pyproj.CRS("OGC:CRS84")) or c.equals(pyproj.CRS("EPSG:4326"))
        name = c.name
    except Exception:  # noqa: BLE001 - an unreadable CRS is refused below
        ok, name = False, _short(crs, 80)
    if not ok:
        raise InputError("input", message=f"{src.name}: the geometry column {src.geo_column} is in CRS {name}; "
                         "batch reads longitude/latitude on WGS84 (OGC:CRS84 or EPSG:4326): reproject it first "
                         "(e.g. geopandas .to_crs('OGC:CRS84'))")


def _msg(exc, n=300) -> str:
    s = str(exc).strip().replace("\n", " ")
    return s if len(s) <= n else s[:n] + "..."


def _iter_chunks(src: _Source, chunk_rows: int, on_bad_line: str = "error", after_header=None):
    """Yield a :class:`_Chunk` per chunk; its position is bytes read (CSV) or rows read
    (Parquet). For CSV, ``after_header()`` is called once the header is read; True switches
    to the fast reader (:func:`_iter_csv_fast`)."""
    if src.fmt == "parquet":
        yield from _iter_parquet(src, chunk_rows)
    else:
        yield from _iter_csv(src, chunk_rows, on_bad_line, after_header)


def _csv_stream(src):
    """(pyarrow input stream of the decompressed CSV of a regular file, the raw Python file
    whose position is the progress)."""
    import pyarrow as pa

    raw = open(src.path, "rb")  # noqa: SIM115 - closed by the caller
    stream = pa.PythonFile(raw, mode="r")
    if src.compression:
        stream = pa.CompressedInputStream(stream, src.compression)
    return stream, raw


def _iter_csv_fast(src, chunk_rows):
    """The CSV body of a regular file that the pre-scan found simple (every line one record
    with the header's field count: no blank line, no quote character), read
    by pyarrow's parser, every column as text; a row's file line is the header line + 1 + its
    index. Same chunks and values as the line-by-line reader, several times faster."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    stream, raw = _csv_stream(src)
    try:
        reader = pacsv.open_csv(
            stream, read_options=pacsv.ReadOptions(skip_rows=src.header_line, column_names=src.columns,
                                                   block_size=4 << 20),
            parse_options=pacsv.ParseOptions(quote_char=False, newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in src.columns},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
        pending, n_pending, done = [], 0, 0

        def emit(table):
            nonlocal done
            lines = src.header_line + 1 + done + np.arange(table.num_rows, dtype=np.int64)
            done += table.num_rows
            return _Chunk(table, raw.tell(), lines, None)

        for batch in reader:
            if not batch.num_rows:
                continue
            pending.append(batch)
            n_pending += batch.num_rows
            while n_pending >= chunk_rows:
                t = pa.Table.from_batches(pending).combine_chunks()
                yield emit(t.slice(0, chunk_rows).combine_chunks())
                rest = t.slice(chunk_rows)
                pending, n_pending = (rest.to_batches() if rest.num_rows else []), rest.num_rows
        if n_pending:
            yield emit(pa.Table.from_batches(pending).combine_chunks())
        if done == 0:
            raise InputError("input", message=f"{src.name}: no rows (only a header)")
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError("input", message=f"{src.name}: cannot read the CSV after line {src.header_line}: "
                         f"{_msg(exc, 200)}") from None
    finally:
        raw.close()


def _iter_parquet(src, chunk_rows):
    import pyarrow as pa
    import pyarrow.parquet as pq

    # pre_buffer=False: with pre-buffering, iter_batches keeps every row group's buffers until the
    # file is closed (memory grows with the input; pyarrow 26)
    pf = pq.ParquetFile(src.spool or src.path, pre_buffer=False)
    done = 0
    try:
        for batch in pf.iter_batches(batch_size=chunk_rows):
            if batch.num_rows:
                done += batch.num_rows
                yield _Chunk(pa.Table.from_batches([batch]), done)
    except (OSError, pa.ArrowException) as exc:
        raise InputError("input", message=f"{src.name}: cannot read Parquet after row {done}: {_msg(exc)}") from None


#: longest CSV field read (a longer one is a malformed line, e.g. an unbalanced quote)
CSV_FIELD_LIMIT = 256 * 2**20
_DELIMITER_NAMES = {"\t": "tab", ";": "semicolon", "|": "vertical bar"}


def _undecodable_line(src, fallback):
    """The first file line that is not UTF-8 (the text decoder reads ahead in blocks, so the
    CSV reader's line count does not say), found by reading a regular file again; else
    ``fallback``."""
    if str(src.path) == "-" or not src.size_bytes:
        return fallback
    try:
        with open(src.path, "rb") as raw:
            fh = open_decompressed(raw, src.compression) if src.compression else raw
            for i, line in enumerate(fh, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return i
    except (OSError, EOFError, ValueError):
        pass
    return fallback


def _decode_error(src, line, exc):
    return InputError("input", message=f"{src.name}: line {line}: not UTF-8 text ({_msg(exc, 120)}); "
                      "save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)")


def _csv_error_text(exc, start, end) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return (f"line {start}: a quoted field never closes (unbalanced quote; lines {start}-{end}, the rest of "
                "the file, would be one cell)")
    if "field larger than field limit" in text:
        return (f"line {start}: a field longer than {CSV_FIELD_LIMIT // 2**20} MiB (an unbalanced quote or a "
                "malformed line?)")
    return f"line {start}: malformed CSV ({_msg(exc, 120)})"


def _iter_csv(src, chunk_rows, on_bad_line, after_header=None):
    """CSV (RFC 4180, comma-separated, UTF-8 with or without a byte-order mark) as string
    columns, chunk by chunk, with the file line each row starts on. A record whose field count
    differs from the header's, or that the CSV grammar rejects, is a bad line: with
    ``on_bad_line='error'`` it raises :class:`InputError` naming the line and what was wrong;
    with ``'flag'`` it keeps its place as a row of nulls whose reason says so. Blank lines
    are skipped."""
    import csv

    import pyarrow as pa

    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    text = io.TextIOWrapper(src.stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    name = src.name
    prev = 0

    def records():
        nonlocal prev
        while True:
            try:
                rec = next(reader)
                err = None
            except StopIteration:
                return
            except csv.Error as exc:
                rec, err = None, exc
            except UnicodeDecodeError as exc:
                raise _decode_error(src, _undecodable_line(src, prev + 1), exc) from None
            except (OSError, EOFError, ValueError) as exc:  # decompression (gzip, bz2, xz, zstd) failures
                what = f"{src.compression} data" if src.compression else "the file"
                raise InputError("input", message=f"{name}: cannot read {what} after line {prev}: "
                                 f"{_msg(exc, 200)}") from None
            start, prev = prev + 1, reader.line_num
            yield start, rec, err

    header = None
    for start, rec, err in records():
        if err is not None:
            raise InputError("input", message=f"{name}: the header: {_csv_error_text(err, start, prev)}")
        if rec:
            header, src.header_line = rec, start
            break
    if header is None:
        raise InputError("input", message=f"{name}: the file is empty (expected a header with "
                         + ", ".join(COORD_COLUMNS) + ")")
    _check_header(src, header)
    src.columns = list(header)
    if after_header is not None and after_header():
        yield from _iter_csv_fast(src, chunk_rows)
        return
    ncol = len(header)
    rows, lines, bad = [], [], {}
    total = 0

    def flush():
        cols = list(zip(*rows)) if rows else [()] * ncol
        table = pa.Table.from_arrays([pa.array(c, type=pa.string()) for c in cols], names=header)
        pos = src.raw.tell() if src.size_bytes else total
        return _Chunk(table, pos, np.asarray(lines, dtype=np.int64), dict(bad) if bad else None)

    for start, rec, err in records():
        if err is None and not rec:
            continue  # a blank line
        if err is None and len(rec) == ncol:
            rows.append(rec)
        else:
            if err is not None:
                what = _csv_error_text(err, start, prev)
            else:
                many = len(rec) > ncol
                what = (f"line {start}: {len(rec):,} fields, the header (line {src.header_line}) has {ncol}: too "
                        + ("many fields (a stray delimiter or an unquoted comma?)" if many else
                           "few fields (a missing delimiter, or a line cut short?)"))
            if on_bad_line == "error":
                raise InputError("input", message=f"{name}: {what}; --on-bad-line flag keeps such lines as "
                                 "rows with a reason")
            bad[len(rows)] = f"bad line: {what}"
            rows.append([None] * ncol)
        lines.append(start)
        total += 1
        if len(rows) == chunk_rows:
            yield flush()
            rows, lines, bad = [], [], {}
    if rows:
        yield flush()
    if total == 0:
        raise InputError("input", message=f"{name}: no rows (only a header)")


def _check_header(src, header):
    """Duplicated column names and single-column headers that look like another delimiter
    raise InputError naming the header line."""
    where = f"{src.name}: line {src.header_line} (the header)"
    if len(header) == 1:
        for d, dname in _DELIMITER_NAMES.items():
            if d in header[0] and any(c in header[0] for c in COORD_COLUMNS):
                raise InputError("input", message=f"{where}: one column {_short(header[0], 60)}: the file looks "
                                 f"{dname}-separated; batch reads comma-separated values (convert it, e.g. "
                                 "pandas.read_csv(path, sep=...).to_csv(out, index=False))")
    _check_column_names(header, where)


def _check_column_names(names, where):
    dup = sorted({str(c) for c in names if list(names).count(c) > 1})
    if dup:
        raise InputError("input", message=f"{where}: column name(s) {', '.join(dup)} appear more than once; "
                         "give every column its own name")
    prefixed_names(names, where)


#: prefix of an input column that has the name of a result column (kept, not replaced)
INPUT_PREFIX = "input_"


def prefixed_names(names, where="input"):
    """The column names with every result-column name (other than the override columns
    ``missile`` and ``trajectory``, which the values used replace) prefixed ``input_``, so an
    input column is never replaced by a result (e.g. a batch output fed back in). InputError
    if the prefixed name is taken too."""
    names = [str(c) for c in names]
    out = [INPUT_PREFIX + c if c in RESULT_COLUMNS and c not in OVERRIDE_COLUMNS else c for c in names]
    taken = sorted({c for c, o in zip(names, out) if c != o and o in names})
    if taken:
        raise InputError("input", message=f"{where}: column(s) {', '.join(taken)} have the names of result columns "
                         f"and {', '.join(INPUT_PREFIX + c for c in taken)} exist too; rename one of them")
    return out


# ---------------------------------------------------------------------------------------------
# one chunk
# ---------------------------------------------------------------------------------------------

def _where(lines, row0):
    """Row labels of a chunk: ``line N`` (the CSV file line the row starts on) or ``row N``
    (1-based data row of a Parquet file)."""
    if lines is not None:
        return lambda i: f"line {int(lines[i])}"
    return lambda i: f"row {row0 + i + 1}"


def _coordinates(table, name, where, reasons):
    """float64 values of a coordinate column; rows that are empty, not numbers or outside the
    valid range get a reason (the first one per row is kept) and NaN. Integers beyond 2**53
    and decimals are converted as they are (and are then out of range); binary cells are read
    as UTF-8 text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    col = table.column(name)
    if pa.types.is_dictionary(col.type):  # e.g. a pandas categorical column
        col = col.cast(col.type.value_type)
    if pa.types.is_binary(col.type) or pa.types.is_large_binary(col.type) or pa.types.is_fixed_size_binary(col.type):
        col = pa.chunked_array([pa.array([None if v is None else bytes(v).decode("utf-8", "replace")
                                          for v in col.to_pylist()], type=pa.string())])
    n = len(col)
    typ = col.type
    text = None
    if pa.types.is_floating(typ) or pa.types.is_integer(typ) or pa.types.is_decimal(typ):
        vals = pc.fill_null(col.cast(pa.float64(), safe=False), math.nan).to_numpy()
    elif pa.types.is_string(typ) or pa.types.is_large_string(typ):
        try:
            vals = pc.fill_null(pc.cast(pc.utf8_trim_whitespace(col), pa.float64()), math.nan).to_numpy()
        except pa.ArrowInvalid:  # some cell is not a number: parse cell by cell
            text = col.to_pandas()
            vals = pd.to_numeric(text.str.strip(), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    else:
        vals = np.full(n, math.nan)
        text = pd.Series([None if v is None else json.dumps(v, default=str) for v in col.to_pylist()], dtype=object)
    vals = np.array(vals, dtype=float, copy=True)
    lo, hi = COORD_RANGES[name]
    bad = ~((vals >= lo) & (vals <= hi))
    if bad.any():
        nulls = col.is_null().to_numpy(zero_copy_only=False) if col.null_count else np.zeros(n, bool)
        for i in np.flatnonzero(bad & (reasons == "")):
            at = f"({where(i)})"
            if nulls[i] or (text is not None and str(text.iloc[i]).strip() == ""):
                reasons[i] = f"bad input: {name} {at} is empty"
            elif math.isnan(vals[i]) and text is not None:
                reasons[i] = f"bad input: {name} = {_short(text.iloc[i])} {at} is not a number"
            elif math.isnan(vals[i]):
                reasons[i] = f"bad input: {name} {at} is NaN (not a number)"
            else:
                reasons[i] = f"bad input: {name} = {float(vals[i])!r} {at} is outside [{lo:g}, {hi:g}]"
        vals[bad] = math.nan
    return vals


def _coords_from_geometry(table, geo_column, where, reasons):
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
        reasons[i] = f"bad input: {geo_column} ({where(i)}) is not a LineString from launch to target"
    if ok.any():
        first = shapely.get_coordinates(shapely.get_point(geoms[ok], 0))
        last = shapely.get_coordinates(shapely.get_point(geoms[ok], -1))
        out["launch_lon_deg"][ok], out["launch_lat_deg"][ok] = first[:, 0], first[:, 1]
        out["target_lon_deg"][ok], out["target_lat_deg"][ok] = last[:, 0], last[:, 1]
    for name, (lo, hi) in COORD_RANGES.items():
        v = out[name]
        bad = ok & ~((v >= lo) & (v <= hi))
        for i in np.flatnonzero(bad & (reasons == "")):
            reasons[i] = f"bad input: {name} = {float(v[i])!r} ({where(i)}, from {geo_column}) is outside [{lo:g}, {hi:g}]"
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


def _compute(coords, model, reasons, where, used):
    """Result arrays for one chunk, grouping rows by override values (one resolved
    FlightModel per group). ``used`` collects the provenance of every model computed
    (:func:`warning_time.provenance.model_record`), keyed by its options."""
    from .flight import model_flight_time
    from .model import FlightModel
    from .provenance import model_record

    n = len(reasons)
    res = {c: np.full(n, math.nan) for c in _FLOAT_RESULTS}
    res["status"] = np.zeros(n, dtype=np.int8)
    res["reason"] = np.full(n, "", dtype=object)
    res["missile"] = np.full(n, "", dtype=object)
    res["trajectory"] = np.full(n, "", dtype=object)
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
            if "missile" not in kw:
                raise InputError("missile", message="no missile: give --missile (missile= in the API) or a "
                                 "'missile' value in the row")
            whole = len(idx) == n
            sub = (lambda a: a) if whole else (lambda a: a[idx])  # noqa: E731
            fm = FlightModel.resolve(**kw)
            r = model_flight_time(fm, *(sub(coords[c]) for c in COORD_COLUMNS), on_invalid="nan")
        except InputError as exc:
            res["status"][idx] = BAD_INPUT
            res["reason"][idx] = [f"bad input: {exc} ({where(i)})" for i in idx]
            res["missile"][idx] = str(kw.get("missile", ""))
            res["trajectory"][idx] = str(kw.get("trajectory", ""))
            continue
        rec = model_record(fm, {k: v for k, v in kw.items()})
        used.setdefault(json.dumps(rec["options"], sort_keys=True, default=str), rec)
        res["missile"][idx] = fm.key
        res["trajectory"][idx] = fm.trajectory
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


#: schema metadata key of a computed chunk: the models it used (read and removed by the writer)
_USED_KEY = b"warning_time.models_used"


def process_chunk(table, row0: int, opts: dict, lines=None, bad=None):
    """Compute one chunk (a pyarrow Table with the input columns) and return the output Table:
    the input columns, the result columns :data:`RESULT_COLUMNS`, and for GeoParquet output a
    launch -> target LineString geometry. ``lines`` are the CSV file lines of the rows (their
    labels in reasons; else ``row N`` from ``row0``), ``bad`` the reasons of rows that are bad
    lines. The models used ride in the schema metadata. Pure: the same chunk gives the same
    output in any process."""
    import pyarrow as pa

    if opts.get("numba_threads"):
        import numba

        numba.set_num_threads(min(int(opts["numba_threads"]), numba.config.NUMBA_NUM_THREADS))
    names = prefixed_names(table.column_names)
    if names != table.column_names:
        table = table.rename_columns(names)
    n = table.num_rows
    where = _where(lines, row0)
    reasons = np.full(n, "", dtype=object)
    for i, why in (bad or {}).items():
        reasons[i] = why
    if opts.get("coords_from_geometry"):
        coords = _coords_from_geometry(table, opts["geo_column"], where, reasons)
    else:
        coords = {c: _coordinates(table, c, where, reasons) for c in COORD_COLUMNS}
    model = dict(opts["model"])
    over = [c for c in OVERRIDE_COLUMNS if c in table.column_names]
    if over:
        model["_groups"] = _override_groups(table, over)
        model["_override_cols"] = tuple(over)
    used = {}
    res = _compute(coords, model, reasons, where, used)
    fmt = opts["out_format"]
    # override columns missile and trajectory move to the end, holding the values used
    out = table.drop_columns([c for c in ("missile", "trajectory") if c in table.column_names])
    csv = fmt == "csv"
    if opts.get("coords_from_geometry"):
        for c in COORD_COLUMNS:  # the coordinates read from the geometry
            out = _set_column(out, c, pa.array(coords[c], type=pa.float64()))
    elif not csv:
        for c in COORD_COLUMNS:  # numbers as numbers; a value outside its range stays as given
            out = _set_column(out, c, _coordinate_column(table.column(c)))
    for c in _FLOAT_RESULTS:
        out = _set_column(out, c, pa.array(res[c], type=pa.float64(), from_pandas=csv))  # CSV: NaN -> empty
    out = _set_column(out, "status", pa.array(res["status"], type=pa.int8()))
    out = _set_column(out, "reason", pa.array(res["reason"], type=pa.string()))
    out = _set_column(out, "missile", pa.array(res["missile"], type=pa.string()))
    out = _set_column(out, "trajectory", pa.array(res["trajectory"], type=pa.string()))
    if fmt == "geoparquet" and not opts.get("geo_column"):
        out = _set_column(out, GEOMETRY_COLUMN, _linestrings_wkb(coords["launch_lon_deg"], coords["launch_lat_deg"],
                                                                coords["target_lon_deg"], coords["target_lat_deg"]))
    if csv:
        out = _binary_to_text(out, opts.get("geo_columns", ()))
    elif opts.get("typed_columns"):
        out = _typed_columns(out, opts["typed_columns"], where)
    meta = dict(out.schema.metadata or {})
    meta[_USED_KEY] = json.dumps(list(used.values()), default=str).encode()
    return out.replace_schema_metadata(meta)


def _coordinate_column(col):
    """A coordinate column for a binary output: numeric input as float64 (values as given, also
    outside the valid range); text parsed as numbers, a cell that is not one null (its reason
    quotes the text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(col.type):
        col = col.cast(col.type.value_type)
    if pa.types.is_floating(col.type) or pa.types.is_integer(col.type) or pa.types.is_decimal(col.type):
        return col.cast(pa.float64(), safe=False)
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        s = pd.to_numeric(col.to_pandas().str.strip(), errors="coerce")
        return pa.array(s.to_numpy(dtype=float, na_value=np.nan), type=pa.float64(), from_pandas=True)
    return pa.nulls(len(col), pa.float64())


def infer_csv_types(table, skip) -> dict:
    """{column: 'int64' | 'float64'} for the text columns of a CSV chunk (other than ``skip``)
    whose every non-empty cell is an integer or a number: CSV to Parquet keeps such columns
    numeric. Decided on the first chunk; see :func:`_typed_columns` for later ones."""
    out = {}
    for name in table.column_names:
        if name in skip:
            continue
        s = table.column(name).to_pandas().str.strip()
        s = s[s.notna() & (s != "")]
        if not len(s):
            continue
        if s.str.fullmatch(r"[+-]?\d{1,18}").all():
            out[name] = "int64"
        elif pd.to_numeric(s, errors="coerce").notna().all():
            out[name] = "float64"
    return out


def _typed_columns(table, types, where):
    """Cast the text columns named in ``types`` to their numeric type; a cell that is not a
    number (in a later chunk) raises InputError naming the column and the line."""
    import pyarrow as pa

    for name, typ in types.items():
        i = table.schema.get_field_index(name)
        if i < 0 or not (pa.types.is_string(table.schema.field(i).type)):
            continue
        s = table.column(i).to_pandas().str.strip().replace("", None)
        num = pd.to_numeric(s, errors="coerce")
        badm = num.isna() & s.notna()
        if typ == "int64" and not badm.any():
            badm = s.notna() & ~s.fillna("0").str.fullmatch(r"[+-]?\d{1,18}")
        if badm.any():
            j = int(np.flatnonzero(badm.to_numpy())[0])
            raise InputError(name, message=f"{name} = {_short(s.iloc[j])} ({where(j)}) is not a number, but the "
                             f"first rows made {name} a numeric ({typ}) column; give --output-format csv, or "
                             "quote the column consistently")
        if typ == "int64":
            arr = pa.array(num.astype("Int64"), type=pa.int64())
        else:
            arr = pa.array(num.to_numpy(dtype=float, na_value=np.nan), type=pa.float64(), from_pandas=True)
        table = table.set_column(i, name, arr)
    return table


def _wkt_or_hex(v):
    import shapely

    try:
        return shapely.to_wkt(shapely.from_wkb(v), rounding_precision=-1)
    except Exception:  # noqa: BLE001 - unreadable WKB is kept as its bytes
        return "0x" + bytes(v).hex()


def _text_or_hex(v):
    b = bytes(v)
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return "0x" + b.hex()


def _binary_to_text(table, geo_columns):
    """CSV holds text only: WKB geometry columns become WKT (unreadable WKB ``0x``-hex),
    other binary cells their UTF-8 text (else ``0x``-hex), nested values (struct, list, map)
    JSON."""
    import pyarrow as pa

    for i, f in enumerate(table.schema):
        t = f.type
        if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
            vals = table.column(i).to_pylist()
            conv = _wkt_or_hex if f.name in geo_columns else _text_or_hex
            txt = [None if v is None else conv(v) for v in vals]
        elif pa.types.is_nested(t):
            txt = [None if v is None else json.dumps(v, default=str) for v in table.column(i).to_pylist()]
        else:
            continue
        table = table.set_column(i, f.name, pa.array(txt, type=pa.string()))
    return table


# ---------------------------------------------------------------------------------------------
# writer
# ---------------------------------------------------------------------------------------------

_NEEDS_QUOTES = r'[",\r\n]'


def _ls(text):
    import pyarrow as pa

    return pa.scalar(text, pa.large_string())


def csv_lines(table) -> bytes:
    """``table`` as CSV lines (UTF-8, ``\n`` line ends, RFC 4180 quoting only where a value
    holds a comma, a quote or a line break; null as an empty field), built column-wise by
    pyarrow: numbers in their shortest round-trip form, text as given."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if table.num_rows == 0:
        return b""
    cols = []
    for col in table.columns:
        col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        if pa.types.is_dictionary(col.type):
            col = col.cast(col.type.value_type)
        if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            try:
                col = pc.cast(col, pa.string())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                col = pa.array([None if v is None else str(v) for v in col.to_pylist()], type=pa.string())
        needs = pc.match_substring_regex(col, _NEEDS_QUOTES)
        col = col.cast(pa.large_string())
        if pc.any(needs).as_py():
            quoted = pc.binary_join_element_wise(_ls('"'), pc.replace_substring(col, '"', '""'), _ls('"'), _ls(""))
            col = pc.if_else(needs, quoted, col)
        cols.append(col)
    line = pc.binary_join_element_wise(*cols, _ls(","), null_handling="replace", null_replacement="")
    line = pc.binary_join_element_wise(line, _ls(""), _ls("\n"))
    offs = np.frombuffer(line.buffers()[1], dtype=np.int64)[line.offset: line.offset + len(line) + 1]
    return line.buffers()[2].to_pybytes()[int(offs[0]):int(offs[-1])]


class _Writer:
    """Appends chunk tables to one CSV (optionally compressed) or (Geo)Parquet file; the schema
    comes from the first chunk. Collects the models the chunks used (their provenance) from
    the chunks' schema metadata; Parquet carries the run's provenance as key-value metadata
    (:data:`warning_time.provenance.METADATA_KEY`), written with the footer."""

    def __init__(self, path, fmt, geo_meta=None, compression=None):
        self.path, self.fmt, self.geo_meta, self.compression = Path(path), fmt, geo_meta, compression
        self._w = None
        self._sink = None
        self.schema = None
        self.models = {}

    def write(self, table):
        import pyarrow as pa

        meta = dict(table.schema.metadata or {})
        for rec in json.loads(meta.pop(_USED_KEY, b"[]")):
            self.models.setdefault(json.dumps(rec["options"], sort_keys=True, default=str), rec)
        table = table.replace_schema_metadata(meta or None)
        if self._w is None:
            schema = table.schema
            if self.fmt == "csv":
                schema = schema.remove_metadata()
                if self.compression:
                    self._sink = open_compressed_writer(self.path, self.compression)
                else:
                    self._sink = open(self.path, "wb")  # noqa: SIM115 - closed in close()
                self._w = self._sink
                self._sink.write(csv_lines(pa.table({n: pa.array([n]) for n in schema.names}).select(
                    list(range(len(schema.names))))))
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
            self._sink.write(csv_lines(table))
        else:
            self._w.write_table(table, row_group_size=max(table.num_rows, 1))

    def close(self, provenance=None):
        """Finish the file; ``provenance`` (a dict) goes into Parquet's key-value metadata."""
        if self._w is not None and self.fmt != "csv":
            if provenance is not None:
                from .provenance import METADATA_KEY

                self._w.add_key_value_metadata({METADATA_KEY: json.dumps(provenance, sort_keys=True)})
            self._w.close()
        self._w = None
        if self._sink is not None:
            self._sink.close()
            self._sink = None


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
    #: processes that computed chunks: 1 without Dask, the workers with it, 0 when no local
    #: worker took a chunk (a short run: :data:`warning_time.dask_api.LOCAL_MIN_WORK_S`)
    workers: int = 1

    def describe(self) -> str:
        bad = {k: v for k, v in sorted(self.status_counts.items()) if k != 0}
        from .status import status_name

        tail = ("; not computed: " + ", ".join(f"{v:,} {status_name(k)}" for k, v in bad.items())) if bad else ""
        rate = self.rows / self.seconds if self.seconds > 0 else float("nan")
        # a rate over a short run is mostly start-up time: shown from 1,000 rows and 1 s on
        speed = f", {rate:,.0f} rows/s" if self.rows >= 1000 and self.seconds >= 1 else ""
        where = "standard output" if self.out_path == "-" else self.out_path
        if self.workers > 1:
            speed += f", {self.workers} workers"
        elif self.workers == 0:
            speed += ", in this process: too short a run for a local Dask cluster"
        return (f"wrote {self.rows:,} rows to {where} ({self.out_format}, {self.chunks} chunk(s), "
                f"{self.seconds:.1f} s{speed}){tail}")


def _check_model(model):
    """Raise InputError now for bad run-wide options (e.g. an unknown missile)."""
    from .model import FlightModel

    FlightModel.resolve(**model)


def _prescan_csv(src: _Source, on_bad_line: str) -> bool:
    """Check a regular CSV file (plain, gzip, bzip2 or zstd) before anything is computed, by a
    fast pass of pyarrow's parser over every line (columns as text). True when the file is
    simple: every line after the header is one record with the header's field count, with no
    blank line and no quote character; the run then reads it with
    :func:`_iter_csv_fast`. Otherwise, with ``on_bad_line='error'``, the file is read again
    line by line so that a bad line raises its InputError now, before any computation (a
    stray delimiter near the end of a large file costs nothing); then False (the line-by-line
    reader is used). Streams and xz files return False at once (checked as they are read)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    if src.size_bytes == 0 or str(src.path) == "-" or src.compression == "xz":
        return False
    invalid = []

    def handler(row):
        invalid.append(row.actual_columns)
        return "error"

    try:
        stream, raw = _csv_stream(src)
        try:
            reader = pacsv.open_csv(
                stream, read_options=pacsv.ReadOptions(skip_rows=src.header_line, column_names=src.columns,
                                                       block_size=8 << 20),
                parse_options=pacsv.ParseOptions(quote_char=False, newlines_in_values=False,
                                                 ignore_empty_lines=False, invalid_row_handler=handler),
                convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in src.columns}))
            for batch in reader:
                # an empty line is read as a row of empty fields, and quoting is the line reader's
                # (RFC 4180, an unbalanced quote reported): leave both to it
                blank = None
                quoted = False
                for col in batch.columns:
                    eq = pc.equal(col, "")
                    blank = eq if blank is None else pc.and_(blank, eq)
                    quoted = quoted or pc.any(pc.match_substring(col, '"')).as_py()
                if quoted or (blank is not None and pc.any(blank).as_py()):
                    invalid.append(0)
                    break
        finally:
            raw.close()
        if not invalid:
            return True
    except (pa.ArrowException, OSError, ValueError, EOFError):
        pass  # a bad line, a blank line, a quoted line break or bad bytes: read line by line
    if on_bad_line == "error":
        fresh = _open_source(src.path)
        try:
            for _ in _iter_csv(fresh, 65_536, "error"):
                pass
        finally:
            fresh.close()
    return False


def _same_file(a, b) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _run_options(model, chunk_rows, on_bad_line, fmt, compression, in_path, out_path, dask, scheduler):
    opts = {k: v for k, v in model.items()}
    opts.update(chunk_rows=int(chunk_rows), on_bad_line=on_bad_line, output_format=fmt,
                compression=compression or "none")
    return opts


def run_batch(in_path, out_path, *, chunk_rows: int = DEFAULT_CHUNK_ROWS, dask: str | None = None,
              scheduler: str | None = None, output_format: str | None = None, compression: str | None = None,
              on_bad_line: str = "error", progress: bool = False, retries: int = 3,
              no_worker_timeout_s: float = 120.0, dask_min_work_s: float | None = None,
              provenance: bool = True, on_chunk=None, **model_kwargs) -> BatchSummary:
    """Flight times for every row of a CSV or (Geo)Parquet file, streamed in chunks.

    Parameters
    ----------
    in_path : path
        CSV (UTF-8, header row, comma-separated; plain or gzip, bzip2, xz or zstd compressed,
        recognised by its first bytes) or Parquet / GeoParquet with the columns
        ``launch_lat_deg``, ``launch_lon_deg``, ``target_lat_deg``, ``target_lon_deg`` (deg);
        GeoParquet may instead carry LineString geometries from launch to target. Other
        columns are kept; override columns (:data:`OVERRIDE_COLUMNS`) set the model per row.
        ``-`` is standard input.
    out_path : path
        Output file; its format comes from ``output_format`` or the file name (.csv, with
        .gz/.bz2/.xz/.zst for compressed CSV, .parquet/.pq, .geoparquet); another name raises
        InputError listing these. Written to a temporary file beside it and renamed at the
        end. ``-`` is standard output (CSV unless ``output_format`` says otherwise; the bytes
        are written only once the run has succeeded); devices and FIFOs are written
        directly, symbolic links through to their target (see
        :func:`warning_time.io.atomic_path`). It may not be the input.
    chunk_rows : int
        Rows per chunk (memory is bounded by a few chunks).
    dask : {'local', 'local:N'}, optional
        Run the chunks on a LocalCluster of N single-threaded worker processes.
    scheduler : str, optional
        Address of an existing dask.distributed scheduler.
    output_format : {'csv', 'parquet', 'geoparquet'}, optional
        Overrides the file name.
    compression : {'none', 'gzip', 'bz2', 'xz', 'zstd'}, optional
        CSV output compression; default from the file name.
    on_bad_line : {'error', 'flag'}
        A CSV line with too few or too many fields, or that is not valid CSV: 'error' stops
        with the file, the line and what was wrong (a regular file is checked before anything
        is computed); 'flag' keeps its place as a row with NaN, status 'bad input' and a
        reason naming the line.
    progress : bool
        Show a progress bar on stderr.
    retries : int
        Dask task retries per chunk (a chunk whose worker dies is recomputed).
    no_worker_timeout_s : float
        Dask runs stop with InputError after this long without a worker.
    dask_min_work_s : float, optional
        ``dask='local[:N]'`` only: the local cluster is started once the work left is estimated
        (from the time and progress so far) at more than this many seconds in this process;
        default :data:`warning_time.dask_api.LOCAL_MIN_WORK_S` (10 s); 0 starts it at once. A
        local cluster costs seconds of CPU to start, more than it can win back on a shorter
        run, which is then computed in this process (the summary then names no workers).
    provenance : bool
        Record the provenance (:mod:`warning_time.provenance`): Parquet key-value metadata, a
        JSON sidecar ``OUT.provenance.json`` beside a CSV file (none for standard output, a
        device or a FIFO).
    on_chunk : callable, optional
        Called as ``on_chunk(index, rows_written)`` after each chunk is written.
    **model_kwargs
        ``missile``, ``trajectory`` (default: the class's own), ``apogee_km``,
        ``flight_path_angle_deg``, ``burnout_speed_m_s``, ``branch``, ``earth``,
        ``rotation``, ``band`` as in :func:`warning_time.flight_time`. Without ``missile``
        every row must name one in a ``missile`` column.

    Returns
    -------
    BatchSummary

    Raises
    ------
    InputError
        For an unreadable, empty or header-only file, a missing, duplicated or result-named
        column, a malformed CSV line (``on_bad_line='error'``), an output path that cannot be
        written or is the input, or bad run-wide options; the message names the file and the
        line, row or field. Nothing is written then.
    Interrupted
        SIGINT, SIGTERM or SIGHUP during the run (:func:`warning_time.io.interruptible`):
        the temporary file is removed, an existing output is untouched.
    """
    unknown = set(model_kwargs) - set(MODEL_KEYWORDS)
    if unknown:
        raise TypeError(f"run_batch() got unexpected keyword argument(s) {', '.join(sorted(unknown))}")
    model = {k: v for k, v in model_kwargs.items() if v is not None}
    model.setdefault("trajectory", "default")
    if not isinstance(chunk_rows, (int, np.integer)) or not 1 <= chunk_rows <= MAX_CHUNK_ROWS:
        raise InputError("chunk_rows", message=f"chunk_rows must be an integer in [1, {MAX_CHUNK_ROWS:,}], got {chunk_rows!r}")
    check_choice("on_bad_line", on_bad_line, ON_BAD_LINE)
    if dask is not None and scheduler is not None:
        raise InputError("--dask", message="give either --dask local[:N] or --scheduler ADDRESS, not both")
    if dask_min_work_s is not None:
        if dask is None:
            raise InputError("--dask-min-work", message="--dask-min-work applies to --dask local[:N] only")
        if not (isinstance(dask_min_work_s, (int, float, np.integer, np.floating)) and dask_min_work_s >= 0):
            raise InputError("--dask-min-work", message=f"--dask-min-work must be >= 0 seconds, got {dask_min_work_s!r}")
    from . import dask_api  # the Dask side (dask itself is imported only when used)

    n_local = dask_api.parse_dask_spec(dask) if dask is not None else None
    if output_kind(out_path) in ("dir", "blk", "sock", "other", "loop", "notdir"):
        with atomic_path(out_path):  # raises InputError naming the path and what it is
            pass
    fmt = detect_output_format(out_path, output_format, compression)
    comp = detect_output_compression(out_path, fmt, compression)
    if str(out_path) != "-" and str(in_path) != "-" and _same_file(in_path, out_path):
        raise InputError("--out", message=f"-o {out_path}: is the input file {in_path}; write the results to "
                         "another file (the input is read while the output is written)")
    with interruptible():
        src = _open_source(in_path)
        try:
            return _run(src, out_path, fmt, comp, model, chunk_rows, on_bad_line, progress, n_local, scheduler,
                        retries, no_worker_timeout_s, dask_min_work_s, provenance, on_chunk, dask_api)
        finally:
            src.close()


def _run(src, out_path, fmt, comp, model, chunk_rows, on_bad_line, progress, n_local, scheduler, retries,
         no_worker_timeout_s, dask_min_work_s, provenance, on_chunk, dask_api):
    t0 = time.perf_counter()
    summary = BatchSummary(out_path=str(out_path), out_format=fmt + (f"+{comp}" if comp else ""))
    opts = dict(model=model, out_format=fmt)
    geo_meta = _geo_metadata(src, fmt)
    if src.geo is not None:
        opts["geo_column"] = src.geo_column
        opts["geo_columns"] = tuple((src.geo.get("columns") or {}).keys())

    def check_columns(cols):
        missing = [c for c in COORD_COLUMNS if c not in cols]
        if missing and len(missing) == 4 and src.geo_column and src.geo_column in cols:
            opts["coords_from_geometry"] = True
        elif missing:
            raise InputError(missing[0], message=f"{src.name}: missing column(s) {', '.join(missing)}; "
                             f"found {', '.join(map(str, cols)) or 'none'}")
        if not any(c in cols for c in OVERRIDE_COLUMNS):
            if "missile" not in model:
                raise InputError("missile", message="no missile: give --missile NAME (see 'warning-time "
                                 f"missiles'), or a 'missile' column in {src.name}")
            _check_model(model)

    if src.columns is not None:
        _check_column_names(src.columns, src.name)
        check_columns(src.columns)
    counts = Counter()

    def after_header():  # CSV: columns and options checked, the file pre-scanned, before computing
        check_columns(src.columns)
        return _prescan_csv(src, on_bad_line)

    chunks = _iter_chunks(src, chunk_rows, on_bad_line, after_header)
    with atomic_path(out_path) as tmp, _Progress(progress, src, f"batch {src.path.name or 'stdin'}") as bar:
        writer = _Writer(tmp, fmt, geo_meta, comp)
        ok = False
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

            first = [True]

            def checked():
                row0 = 0
                for ch in chunks:
                    if first[0]:
                        first[0] = False
                        if src.fmt == "csv":
                            if fmt != "csv":
                                skip = set(COORD_COLUMNS) | set(OVERRIDE_COLUMNS)
                                named = ch.table.rename_columns(prefixed_names(ch.table.column_names))
                                opts["typed_columns"] = infer_csv_types(named, skip)
                    yield row0, ch
                    row0 += ch.table.num_rows

            if n_local is None and scheduler is None:
                for i, (row0, ch) in enumerate(checked()):
                    emit(i, process_chunk(ch.table, row0, opts, ch.lines, ch.bad), ch.position)
            else:
                total = src.num_rows if src.fmt == "parquet" else src.size_bytes
                summary.workers = dask_api.run_chunks(checked(), opts, emit, n_local, scheduler, retries,
                                                      no_worker_timeout_s=no_worker_timeout_s,
                                                      min_work_s=dask_min_work_s, progress_total=total or None)
            ok = True
        finally:
            record = None
            if ok and provenance:
                from .provenance import run_provenance

                record = run_provenance(command="batch", options=_run_options(
                    model, chunk_rows, on_bad_line, fmt, comp, src.path, out_path, n_local, scheduler),
                    models=list(writer.models.values()), inputs=[src.name])
            writer.close(record if fmt != "csv" else None)
    if ok and provenance and fmt == "csv" and output_kind(out_path) == "file":
        from .provenance import write_sidecar

        write_sidecar(out_path, record)
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
