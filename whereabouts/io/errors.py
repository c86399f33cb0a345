"""Errors of ledger files: every problem of a file at once, each with its line.

A file is read whole before anything is taken from it, and every problem found
is kept: its line (and column, for CSV), the field at fault and what is wrong.
The value constructors and the ledger raise the same
:class:`~whereabouts.errors.WhereaboutsError` they raise one call at a time,
and the reader turns each into a :class:`Problem`:

>>> from whereabouts.errors import InvalidDate
>>> err = InvalidDate("month 13 does not exist", field="when", value="2024-13-01")
>>> problem = Problem.of(err, line=57, column=5)
>>> print(problem)
57:5: when: '2024-13-01': month 13 does not exist
>>> failure = LedgerFileError("case.csv", [problem, Problem(line=60, column=3, field="kind",
...                           message="'flew to': not a kind of observation")])
>>> print(failure)
case.csv:57:5: when: '2024-13-01': month 13 does not exist
case.csv:60:3: kind: 'flew to': not a kind of observation
>>> isinstance(failure, ValueError), len(failure.problems)
(True, 2)
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import attrs

from whereabouts.errors import WhereaboutsError

__all__ = ["LedgerFileError", "MissingDependency", "Problem"]

_LIMIT = 80


def _shorten(value: object) -> str:
    """``repr(value)`` cut to about 80 characters (see :func:`brief`)."""
    return brief(value)


def brief(value: object, limit: int = _LIMIT) -> str:
    """``repr(value)`` cut to about ``limit`` characters, whatever the value holds.

    A file may hold anything JSON or SQLite can: lists nested a thousand deep,
    numbers of four thousand digits, text of a hundred megabytes. ``repr`` of
    those recurses, raises or takes long; this walks containers without
    recursion and stops as soon as ``limit`` characters are written, so telling
    what is wrong never fails.

    >>> brief("Amal"), brief([1, [2.5, None]]), brief({"type": ["x"]})
    ("'Amal'", '[1, [2.5, None]]', "{'type': ['x']}")
    >>> brief("x" * 200)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (202 chars)"
    >>> deep: list[object] = []
    >>> for _ in range(100_000):
    ...     deep = [deep]
    >>> brief(deep)
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[... (cut)'
    >>> brief(10 ** 5000)
    '<an integer of about 5001 digits>'
    """
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= limit else f"{text[: limit - 5]}...' ({len(text)} chars)"
    parts: list[str] = []
    written = 0
    todo: list[object] = [value]  # values still to write, last first; str items are literal
    while todo and written <= limit:
        item = todo.pop()
        if isinstance(item, _Literal):
            text = item.text
        elif isinstance(item, list | tuple):
            close = "]" if isinstance(item, list) else ")"
            opening = "[" if isinstance(item, list) else "("
            todo.append(_Literal(("," if len(item) == 1 and close == ")" else "") + close))
            for index in range(min(len(item), limit) - 1, -1, -1):
                todo.append(item[index])
                if index:
                    todo.append(_Literal(", "))
            text = opening
        elif isinstance(item, dict):
            todo.append(_Literal("}"))
            pairs = list(item.items())[:limit]
            for index in range(len(pairs) - 1, -1, -1):
                key, val = pairs[index]
                todo.extend((val, _Literal(": "), key))
                if index:
                    todo.append(_Literal(", "))
            text = "{"
        else:
            text = _scalar(item, limit)
        parts.append(text)
        written += len(text)
    text = "".join(parts)
    if todo or len(text) > limit:
        return text[: limit - 5] + "... (cut)"
    return text


class _Literal:
    """Punctuation :func:`brief` writes as is."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _scalar(value: object, limit: int) -> str:
    if isinstance(value, str):
        return repr(value[: limit + 1])
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * limit:
        try:
            return f"<an integer of {len(str(abs(value)))} digits>"
        except ValueError:  # over the int-string limit (4,300 digits by default)
            return f"<an integer of about {int(value.bit_length() * 0.30103) + 1} digits>"
    if isinstance(value, bool | int | float | complex | bytes | type(None)):
        return repr(value[: limit + 1] if isinstance(value, bytes) else value)
    try:
        return repr(value)[: limit + 1]
    except Exception:  # a repr that fails must not hide the problem it describes
        return f"<{type(value).__name__}>"


@attrs.frozen(kw_only=True)
class Problem:
    """One thing wrong with a file: where (``line``, ``column``), the ``field``, and what.

    ``line`` and ``column`` count from 1; ``line`` is ``None`` for a problem of
    the whole file (it is empty, or not a ledger), ``column`` is ``None``
    outside CSV.
    """

    line: int | None = None
    column: int | None = None
    field: str | None = None
    message: str

    @classmethod
    def of(cls, err: WhereaboutsError, *, line: int | None = None,
           column: int | None = None, field: str | None = None) -> Problem:
        """The problem a library error describes (``field`` overrides the error's own)."""
        message = err.reason if err.value is None else f"{_shorten(err.value)}: {err.reason}"
        return cls(line=line, column=column, field=field or err.field, message=message)

    def __str__(self) -> str:
        where = ":".join(str(n) for n in (self.line, self.column) if n is not None)
        what = self.message if self.field is None else f"{self.field}: {self.message}"
        return f"{where}: {what}" if where else what


class LedgerFileError(WhereaboutsError, ValueError):
    """A file that cannot be read as a ledger (or a CSV of observations).

    ``path`` names the file and ``problems`` holds every :class:`Problem`
    found in it, in file order; ``str()`` lists them all, one a line, each as
    ``path:line[:column]: field: message``.
    """

    def __init__(self, path: str | os.PathLike[str], problems: Iterable[Problem]) -> None:
        self.path = os.fspath(path)
        self.problems = tuple(problems)
        lines = [f"{self.path}:{p}" if p.line is not None else f"{self.path}: {p}"
                 for p in self.problems]
        super().__init__("\n".join(lines) or f"{self.path}: unreadable", value=None)
        self.value = self.path


class MissingDependency(WhereaboutsError, ImportError):
    """An optional package that a function needs is not installed (``pip install ...``).

    >>> err = MissingDependency("needs pandas: pip install 'whereabouts[pandas]'", field="pandas")
    >>> print(err), isinstance(err, ImportError)
    pandas: needs pandas: pip install 'whereabouts[pandas]'
    (None, True)
    """
