"""Replace a file whole or not at all: temporary file, fsync, rename, fsync the folder.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder, "case.txt")
...     write_atomic(path, b"first")
...     write_atomic(path, b"second")
...     path.read_bytes(), sorted(p.name for p in pathlib.Path(folder).iterdir())
(b'second', ['case.txt'])
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash at any moment leaves the old file or the new.

    The data goes to a temporary file in the same folder, which is flushed to
    disk and renamed over ``path`` (an atomic step); the folder is then synced
    so the rename itself survives a power cut. An existing file keeps its
    permission bits. A process killed mid-write may leave a stray
    ``.NAME.*.tmp`` file beside it, never a damaged ``path``.
    """
    target = Path(path)
    folder = target.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
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
