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

from whereabouts.errors import WhereaboutsError, brief

__all__ = ["LedgerFileError", "MissingDependency", "Problem"]


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
        message = err.reason if err.value is None else f"{brief(err.value)}: {err.reason}"
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
