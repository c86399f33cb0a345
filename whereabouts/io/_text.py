"""Reading a file as UTF-8 text, with a problem (not an exception) for each way it is not."""

from __future__ import annotations

from pathlib import Path

from whereabouts.io.errors import Problem

__all__ = ["decode", "read_bytes"]


def read_bytes(path: Path, problems: list[Problem]) -> bytes | None:
    """The file's bytes, or None (and a problem) if it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as err:
        problems.append(Problem(message=f"cannot read the file: {err.strerror or err}"))
        return None


def decode(data: bytes, problems: list[Problem], *, what: str, hint: str) -> str | None:
    """``data`` as text (a UTF-8 byte order mark is dropped), or None and a problem naming
    the line where it stops being text. ``what`` is what the file should be ("a CSV
    file"); ``hint`` says what to do about bytes that are not UTF-8."""
    if b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        problems.append(Problem(line=line, message=f"binary data (a NUL byte): not {what}"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        byte = data[err.start]
        problems.append(Problem(line=line, message=f"not UTF-8 text (byte 0x{byte:02x}): {hint}"))
        return None
