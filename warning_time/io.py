"""Safe output writes (regular files, devices, FIFOs, symbolic links, standard output) and small
readers for the package data."""
from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
import tomllib
from importlib import resources
from pathlib import Path

from .errors import InputError, Interrupted

_ALLOWED = "an output must be '-' (standard output), a regular file, a character device or a FIFO"
_REFUSED = {"dir": "is a directory", "blk": "is a block device", "sock": "is a socket",
            "other": "is not a regular file", "loop": "is a symbolic link loop"}


def output_kind(path: str | os.PathLike) -> str:
    """What ``path`` is as an output, following symbolic links: ``'stdout'`` for ``-``,
    ``'missing'``, ``'file'``, ``'chr'`` (character device), ``'fifo'``, ``'dir'``, ``'blk'``
    (block device), ``'sock'`` or ``'other'``; ``'notdir'`` when a parent is not a directory,
    ``'loop'`` for a symbolic-link loop."""
    if os.fspath(path) == "-":
        return "stdout"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except NotADirectoryError:
        return "notdir"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "loop"
        raise
    for kind, test in (("file", stat.S_ISREG), ("dir", stat.S_ISDIR), ("chr", stat.S_ISCHR),
                       ("fifo", stat.S_ISFIFO), ("blk", stat.S_ISBLK), ("sock", stat.S_ISSOCK)):
        if test(mode):
            return kind
    return "other"


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a path to write the output of ``path`` to, and put it in place only on success, so
    an interrupted run never leaves a truncated file that looks complete.

    By kind of ``path``:

    * a regular file, or a path that does not exist yet: a temporary file in the same
      directory, renamed onto ``path`` on success (missing parent directories are created). An
      existing file's permission bits are kept, and its owner and group when we may set them.
    * a symbolic link: resolved (``os.path.realpath``) and its final target written as above,
      in the target's directory, so the link stays a link and points to the new file. A
      dangling link writes the file it points to if that file's directory exists, else
      raises InputError.
    * a character device (``/dev/null``, a terminal) or a FIFO, also through a link, and an
      alias of an open file descriptor (``/dev/stdout``, ``/dev/fd/N``, ``/proc/self/fd/N``)
      whatever it refers to: the path itself is yielded and written directly, like a shell
      redirection; it is never renamed over nor removed.
    * ``-``: standard output. The output is spooled to a temporary file and its bytes copied
      to ``sys.stdout.buffer`` on success; nothing named ``-`` is created.
    * a directory, block device or socket, a path under a regular file, or a directory we may
      not write to: InputError naming the path, raised before the caller writes anything.

    The temporary file is removed on any exception; the existing output is then untouched.
    """
    if os.fspath(path) == "-":
        with _stdout_spool() as tmp:
            yield tmp
        return
    path = Path(path)
    kind = output_kind(path)
    if kind in ("chr", "fifo") or (kind == "file" and _fd_alias(path)):
        yield path
        return
    target = Path(os.path.realpath(path))
    if kind in _REFUSED:
        shown = f"{path} (-> {target})" if target != path.absolute() else str(path)
        raise InputError("output", message=f"{shown}: {_REFUSED[kind]}; {_ALLOWED}")
    _prepare_dir(path, target, create=not os.path.islink(path))
    old = os.stat(target) if kind == "file" else None
    # the real extension stays last so that format drivers (GDAL, pyarrow) recognise the file
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.part.", suffix=target.suffix, dir=target.parent)
    except OSError as exc:
        raise InputError("output", message=f"{path}: cannot create a file in {target.parent}: "
                         f"{exc.strerror or exc}") from None
    os.close(fd)
    try:
        yield Path(tmp)
        if old is not None:
            _copy_owner(tmp, old)
            os.chmod(tmp, stat.S_IMODE(old.st_mode))
        else:
            # mkstemp creates 0600; give the file the permissions a normal open() would (0666 - umask)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _fd_alias(path) -> bool:
    """True if ``path`` is, or links to, an alias of an open file descriptor (``/dev/stdout``,
    ``/dev/fd/N``, ``/proc/self/fd/N``): such a path names whatever the descriptor refers to,
    so it is written directly, like a shell redirection, and never replaced."""
    p = os.path.abspath(path)
    for _ in range(40):
        parent = os.path.realpath(os.path.dirname(p))
        if re.fullmatch(r"/proc/[^/]+/fd", parent):
            return True
        if not os.path.islink(p):
            return False
        p = os.path.join(parent, os.readlink(p))
    return False


def _prepare_dir(path: Path, target: Path, *, create: bool) -> None:
    """Make sure ``target``'s directory exists (creating it if ``create``) and is writable;
    InputError naming ``path`` otherwise."""
    parent = target.parent
    ancestor = parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise InputError("output", message=f"{path}: {ancestor} is not a directory, so nothing can be "
                         "written under it")
    if ancestor != parent:
        if not create:
            raise InputError("output", message=f"{path}: a symbolic link to {target}, whose directory "
                             f"{parent} does not exist")
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError("output", message=f"{path}: cannot create directory {parent}: "
                             f"{exc.strerror or exc}") from None
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError("output", message=f"{path}: directory {parent} is not writable")


def _copy_owner(tmp, old: os.stat_result) -> None:
    """Give ``tmp`` the owner and group of the file it replaces, as far as we are allowed."""
    if not hasattr(os, "chown"):
        return
    cur = os.stat(tmp)
    if (cur.st_uid, cur.st_gid) == (old.st_uid, old.st_gid):
        return
    for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
        try:
            os.chown(tmp, uid, gid)
            return
        except PermissionError:
            continue


@contextlib.contextmanager
def _stdout_spool():
    """A temporary file (in the temp directory) copied to standard output on success."""
    fd, tmp = tempfile.mkstemp(prefix="warning_time-stdout.")
    os.close(fd)
    try:
        yield Path(tmp)
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
        with open(tmp, "rb") as fh:
            if out is not None:
                shutil.copyfileobj(fh, out)
                out.flush()
            else:  # a text-only stdout replacement
                sys.stdout.write(fh.read().decode("utf-8", "replace"))
                sys.stdout.flush()
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


# ---------------------------------------------------------------------------------------------
# signals
# ---------------------------------------------------------------------------------------------

#: the signals :func:`interruptible` turns into :class:`~warning_time.errors.Interrupted`
STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


@contextlib.contextmanager
def interruptible():
    """Within the block, SIGINT, SIGTERM and SIGHUP raise
    :class:`~warning_time.errors.Interrupted` in the main thread, so that ``finally`` blocks and
    context managers (the temporary file of :func:`atomic_path`, a Dask cluster) clean up before
    the process ends. Only signals left at their default disposition are taken over (a handler
    someone else installed is kept); a second signal while the first one's clean-up runs is
    ignored, so the clean-up finishes. Outside the main thread this does nothing. The previous
    handlers are restored on exit."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired = []

    def handler(signum, frame):
        if fired:
            return  # already stopping: let the clean-up finish
        fired.append(signum)
        raise Interrupted(signum)

    old = {}
    for sig in STOP_SIGNALS:
        cur = signal.getsignal(sig)
        if cur in (signal.SIG_DFL, signal.default_int_handler):
            old[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, h in old.items():
            signal.signal(sig, h)


# ---------------------------------------------------------------------------------------------
# compressed CSV
# ---------------------------------------------------------------------------------------------

#: compression name -> file-name suffix, for CSV in and out
COMPRESSIONS = {"gzip": ".gz", "bz2": ".bz2", "xz": ".xz", "zstd": ".zst"}
_MAGIC = ((b"\x1f\x8b", "gzip"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"))


def compression_from_name(path) -> str | None:
    """The compression a file name asks for by its last suffix (``.gz``, ``.bz2``, ``.xz``,
    ``.zst``), or None."""
    name = str(path).lower()
    for kind, suffix in COMPRESSIONS.items():
        if name.endswith(suffix):
            return kind
    return None


def sniff_compression(head: bytes) -> str | None:
    """The compression whose magic bytes start ``head``, or None."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


class _ArrowReader(io.RawIOBase):
    """A raw binary reader over a pyarrow input stream (zstd decompression)."""

    def __init__(self, stream):
        self._s = stream

    def readable(self):
        return True

    def readinto(self, b):
        data = self._s.read(len(b))
        n = len(data)
        b[:n] = data
        return n

    def close(self):
        with contextlib.suppress(Exception):
            self._s.close()
        super().close()


def open_decompressed(fh, kind: str):
    """A buffered binary reader of the decompressed bytes of the binary file object ``fh``."""
    if kind == "gzip":
        import gzip

        return io.BufferedReader(gzip.GzipFile(fileobj=fh, mode="rb"))
    if kind == "bz2":
        import bz2

        return io.BufferedReader(bz2.BZ2File(fh, mode="rb"))
    if kind == "xz":
        import lzma

        return io.BufferedReader(lzma.LZMAFile(fh, mode="rb"))
    if kind == "zstd":
        import pyarrow as pa

        return io.BufferedReader(_ArrowReader(pa.CompressedInputStream(pa.PythonFile(fh, mode="r"), "zstd")))
    raise ValueError(kind)


class _Owning:
    """A GzipFile over a file it closes too (GzipFile leaves a given ``fileobj`` open)."""

    def __init__(self, gz, raw):
        self._gz, self._raw = gz, raw

    def write(self, data):
        return self._gz.write(data)

    def close(self):
        try:
            self._gz.close()
        finally:
            self._raw.close()


def open_compressed_writer(path, kind: str):
    """A binary file object writing ``kind``-compressed bytes to ``path``. gzip is written
    with a zero time stamp and no file name, so the same data gives the same bytes."""
    if kind == "gzip":
        import gzip

        raw = open(path, "wb")  # noqa: SIM115 - closed by _Owning.close
        return _Owning(gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0), raw)
    if kind == "bz2":
        import bz2

        return bz2.BZ2File(str(path), mode="wb")
    if kind == "xz":
        import lzma

        return lzma.LZMAFile(str(path), mode="wb")
    if kind == "zstd":
        import pyarrow as pa

        return pa.CompressedOutputStream(str(path), "zstd")
    raise ValueError(kind)


def package_csv(name: str) -> "pd.DataFrame":  # noqa: F821 (pandas is imported when needed)
    """A CSV shipped in warning_time/data, read through importlib.resources."""
    import pandas as pd  # not at import: `import warning_time` and a first flight_time need no pandas

    with resources.files("warning_time").joinpath(f"data/{name}").open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)


def parse_toml(text: str, field: str, source: str) -> dict:
    """TOML text as a dict; a syntax error becomes an :class:`InputError` for ``field`` that
    names ``source`` (the file) and the line and column TOML reports."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(field, message=f"{source}: not valid TOML: {exc}") from None
