"""Replace a file whole or not at all: temporary file, fsync, rename, fsync the folder.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "case.txt")
...     write_atomic(path, b"first")
...     write_atomic(path, b"second")
...     path.read_bytes(), sorted(p.name for p in pathlib.Path(folder).iterdir())
(b'second', ['case.txt'])

The temporary file is ``.NAME.PID.XXXXXXXX.tmp`` beside the target. A process killed
mid-save leaves it behind; the next save of the same file removes it once it is
clearly a leftover (see :func:`clean_strays`).

:func:`check_output` and :func:`write_output` are what the command line's ``-o OUT``
goes through: they refuse to replace a file without ``force``, never replace the
ledger being read, and say plainly what is wrong with a path.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from whereabouts._log import logger, task
from whereabouts.errors import WhereaboutsError

__all__ = ["STRAY_AGE", "Output", "check_output", "clean_strays", "write_atomic",
           "write_output"]

_CHUNK = 1 << 22
"""Bytes written between two progress reports."""

STRAY_AGE = 3600.0
"""Seconds after which a temporary file beside a target is taken for a leftover even if
the process named in it still runs (its number may have been reused since)."""
_DEAD_AGE = 2.0
"""Seconds a temporary file of a process that is gone must have been left untouched
before it is removed (a file system shared with other machines has other processes)."""


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash at any moment leaves the old file or the new.

    The data goes to a temporary file in the same folder, which is flushed to
    disk and renamed over ``path`` (an atomic step); the folder is then synced
    so the rename itself survives a power cut. An existing file keeps its
    permission bits. A process killed mid-write may leave a stray
    ``.NAME.PID.*.tmp`` file beside it, never a damaged ``path``; the next save
    of ``path`` removes such leftovers (:func:`clean_strays`).
    """
    target = Path(path)
    folder = target.parent
    clean_strays(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                               dir=folder)
    try:
        with os.fdopen(fd, "wb") as out, task(f"writing {path}", total=len(data)) as advance:
            view = memoryview(data)
            for start in range(0, len(view), _CHUNK):
                out.write(view[start:start + _CHUNK])
                advance(len(view[start:start + _CHUNK]))
            out.flush()
            os.fsync(out.fileno())
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover - Windows cannot open a folder to fsync it
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- leftovers of killed saves ----------------------------------------------------------


def _stray_pattern(name: str) -> re.Pattern[str]:
    """The names :func:`write_atomic` gives its temporary files for a target ``name``:
    ``.NAME.PID.XXXXXXXX.tmp`` (``.NAME.XXXXXXXX.tmp`` before the PID was added)."""
    return re.compile(rf"\.{re.escape(name)}\.(?:(\d+)\.)?[a-z0-9_]{{8}}\.tmp")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of ours may be saving the same file
    if os.name != "posix":  # pragma: no cover - os.kill(pid, 0) would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, and is someone else's
        return True
    return True


def clean_strays(target: str | os.PathLike[str], *, now: float | None = None) -> list[Path]:
    """Remove the temporary files that killed saves of ``target`` left beside it.

    Only files that are clearly leftovers go: named as :func:`write_atomic` names
    them, regular files (not links), owned by this user, and either written by a
    process that no longer runs (and untouched for two seconds) or untouched for
    :data:`STRAY_AGE` seconds whoever wrote them. Anything that cannot be checked
    or removed is left alone. Returns the files removed (each logged as a warning).

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     stray = pathlib.Path(folder, ".case.jsonl.99999999.abcd_123.tmp")
    ...     _ = stray.write_bytes(b"half a ledger")
    ...     [p.name for p in clean_strays(pathlib.Path(folder, "case.jsonl"),
    ...                                   now=time.time() + 10)]
    ['.case.jsonl.99999999.abcd_123.tmp']
    """
    target = Path(target)
    pattern = _stray_pattern(target.name)
    moment = time.time() if now is None else now
    removed: list[Path] = []
    try:
        names = [n for n in os.listdir(target.parent or ".")
                 if n.startswith(f".{target.name}.") and n.endswith(".tmp")]
    except OSError:
        return removed
    for name in names:
        match = pattern.fullmatch(name)
        if match is None:
            continue
        path = target.parent / name
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
            continue
        age = moment - info.st_mtime
        pid = match.group(1)
        gone = pid is not None and not _running(int(pid)) and age >= _DEAD_AGE
        if not (gone or age >= STRAY_AGE):
            continue
        try:
            os.unlink(path)
        except OSError:
            continue
        removed.append(path)
        logger.warning("removed %s, left by a save of %s that did not finish", path, target)
    return removed


# -- where the command line writes ----------------------------------------------------


class Output:
    """A checked place to write (what :func:`check_output` returns).

    ``path`` is where the bytes go: the file itself, or for a symbolic link the file it
    leads to (so the link stays a link). ``stream`` is true for a FIFO or a character
    device (a terminal, ``/dev/null``), written in place: nothing there is replaced.
    """

    __slots__ = ("name", "path", "stream")

    def __init__(self, name: str, path: Path, stream: bool) -> None:
        self.name = name
        self.path = path
        self.stream = stream

    def __repr__(self) -> str:
        return f"Output({self.name!r}, path={str(self.path)!r}, stream={self.stream})"


def _refuse(name: str, reason: str) -> WhereaboutsError:
    return WhereaboutsError(reason, field="output", value=name)


def _same(info: os.stat_result, other: os.stat_result) -> bool:
    return (info.st_dev, info.st_ino) == (other.st_dev, other.st_ino)


def check_output(path: str | os.PathLike[str], *, force: bool = False,
                 protect: Iterable[str | os.PathLike[str]] = ()) -> Output:
    """Check that ``path`` may be written, before anything is computed for it.

    Raises :class:`~whereabouts.errors.WhereaboutsError` (field ``output``) with one
    plain reason for:

    * an empty name, a folder that does not exist, a folder, a block device, a socket;
    * a file that is one of ``protect`` (the ledger being read, its SQLite journal
      files), by name or by being the same file (a symbolic or hard link to it),
      ``force`` or not;
    * an existing file, a symbolic link, or a link leading nowhere, without ``force``.

    A FIFO or a character device (``/dev/stdout``, ``/dev/null``) is written in place
    without ``force``: there is no file to replace. With ``force``, a symbolic link to a
    regular file is written through: the file it leads to is replaced, the link stays.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     case, old = pathlib.Path(folder, "case.jsonl"), pathlib.Path(folder, "old.csv")
    ...     _ = case.write_text("{}"), old.write_text("id")
    ...     for name, force in ((case, True), (pathlib.Path(folder, "x.csv"), False),
    ...                         (pathlib.Path(folder), True), (old, False), (old, True)):
    ...         try:
    ...             _ = check_output(name, force=force, protect=[case])
    ...         except WhereaboutsError as err:
    ...             print(err.reason)
    ...         else:
    ...             print("fine")
    is the ledger being read: write the export to another file
    fine
    is a folder, not a file: name a file in it
    already exists: give --force to replace it
    fine
    """
    name = os.fspath(path)
    if not name:
        raise _refuse(name, "an empty file name")
    file = Path(name)
    try:
        link = os.lstat(file)
    except FileNotFoundError:
        link = None
    except NotADirectoryError:
        raise _refuse(name, f"{_parent(file)!s} is not a folder") from None
    except OSError as err:
        raise _refuse(name, f"cannot check it: {err.strerror or err}") from None
    if link is None:
        parent = _parent(file)
        if not parent.is_dir():
            what = "is not a folder" if parent.exists() else "no such folder"
            raise _refuse(name, f"{what}: {parent}" if what == "no such folder"
                          else f"{parent} {what}")
        _protected(name, file, None, protect)
        return Output(name, file, stream=False)
    try:
        info = os.stat(file)
    except OSError:
        raise _refuse(name, "is a symbolic link that leads nowhere: remove it or "
                            "name another file") from None
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise _refuse(name, "is a folder, not a file: name a file in it")
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return Output(name, file, stream=True)
    if not stat.S_ISREG(mode):
        raise _refuse(name, "is not a regular file (a device or a socket): will not write to it")
    _protected(name, file, info, protect)
    if not force:
        what = "is a symbolic link to a file that exists" if stat.S_ISLNK(link.st_mode) \
            else "already exists"
        raise _refuse(name, f"{what}: give --force to replace it")
    return Output(name, Path(os.path.realpath(file)), stream=False)


def _parent(file: Path) -> Path:
    return file.parent if str(file.parent) else Path(".")


def _protected(name: str, file: Path, info: os.stat_result | None,
               protect: Iterable[str | os.PathLike[str]]) -> None:
    real = os.path.realpath(file)
    for kept in protect:
        kept_real = os.path.realpath(kept)
        sidecars = [kept_real + s for s in ("-wal", "-shm", "-journal")]
        if real == kept_real or real in sidecars:
            raise _refuse(name, "is the ledger being read: write the export to another file"
                          if real == kept_real else
                          "is a journal file of the ledger being read: write elsewhere")
        if info is not None:
            try:
                if _same(info, os.stat(kept)):
                    raise _refuse(name, "is the ledger being read: write the export to "
                                        "another file")
            except OSError:
                continue


def write_output(output: Output, data: bytes) -> None:
    """Write ``data`` where :func:`check_output` said: atomically to a file, in place to a
    FIFO or a device."""
    if output.stream:
        with open(output.path, "wb") as out, task(f"writing {output.name}",
                                                  total=len(data)) as advance:
            for start in range(0, len(data), _CHUNK):
                out.write(data[start:start + _CHUNK])
                advance(len(data[start:start + _CHUNK]))
        return
    write_atomic(output.path, data)
