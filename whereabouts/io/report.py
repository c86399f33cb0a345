"""What reading a file found: the valid content, and every problem.

>>> from whereabouts import Ledger
>>> from whereabouts.io import Problem, Report
>>> report = Report(path="case.csv", format="csv", ledger=Ledger(), read=3,
...                 problems=(Problem(line=3, column=5, field="when", message="'2024-13': bad"),))
>>> report.ok
False
>>> print(report)
case.csv: csv, 3 rows read, 1 problem
  case.csv:3:5: when: '2024-13': bad
>>> report.error().problems == report.problems
True
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from whereabouts._lazy import Column
from whereabouts.entities import Entity
from whereabouts.io.errors import LedgerFileError, Problem
from whereabouts.ledger import Ledger
from whereabouts.observations import Denial, Observation, Retraction

__all__ = ["Appended", "Report"]

Entry = Observation | Retraction | Denial


class Appended(Column[Entry]):
    """The entries an import appended, as the ledger hands them back (built when read).

    A million rows imported are not copied into the report: it keeps the
    sequence :meth:`Ledger.extend <whereabouts.Ledger.extend>` returned,
    read-only. Equal to any sequence of the same entries, a tuple included.

    >>> from whereabouts import Ledger, Place
    >>> ledger = Ledger()
    >>> amal = ledger.add_person("Amal Haddad")
    >>> seen = ledger.observe(amal, "seen at", place=Place.from_country("LB"), source="a wire",
    ...                       reported="2024-12-09")
    >>> added = Appended([seen])
    >>> len(added), added[0].id, added == (seen,), added
    (1, 'o1', True, <1 entry appended: o1>)
    """

    __slots__ = ()

    def __init__(self, entries: Sequence[Entry]) -> None:
        super().__init__(range(len(entries)), entries.__getitem__)

    def __hash__(self) -> int:  # type: ignore[override]  # a Report is a frozen value
        return hash(tuple(self))

    def __repr__(self) -> str:
        ids = [entry.id for entry in self[:3]]
        if len(self) > 3:
            ids[-1:] = ["...", self[-1].id]
        noun = "entry" if len(self) == 1 else "entries"
        listed = f": {', '.join(ids)}" if ids else ""
        return f"<{len(self)} {noun} appended{listed}>"


@attrs.frozen(kw_only=True)
class Report:
    """The outcome of reading a ledger file or a CSV of observations.

    ``ledger`` holds what was valid; ``problems`` lists every problem found,
    in file order; ``read`` counts the records (native, SQLite) or rows (CSV)
    read. For a CSV (or DataFrame) import, ``added`` holds the entries
    imported (an :class:`Appended`, read from the ledger when asked for),
    ``created`` the people created from names in the ``subjects`` column, and
    ``notices`` what is worth knowing about how it was read.
    """

    path: str
    format: str
    """``"native"``, ``"sqlite"``, ``"csv"`` or ``"frame"`` (a DataFrame or an Arrow table)."""
    ledger: Ledger = attrs.field(eq=False, repr=False)
    problems: tuple[Problem, ...] = ()
    read: int = 0
    added: Sequence[Observation | Retraction | Denial] = ()
    created: tuple[Entity, ...] = ()
    notices: tuple[str, ...] = ()
    """What an import read in a way worth knowing, though nothing was wrong (a column
    ignored, a delimiter found); also logged under the ``whereabouts`` logger."""

    @property
    def ok(self) -> bool:
        """Whether the file had no problem at all."""
        return not self.problems

    def error(self) -> LedgerFileError:
        """The problems as one :class:`~whereabouts.io.LedgerFileError`, to raise."""
        return LedgerFileError(self.path, self.problems)

    def __str__(self) -> str:
        unit = "rows" if self.format in ("csv", "frame") else "records"
        count = len(self.problems)
        lines = [f"{self.path}: {self.format}, {self.read} {unit} read, "
                 f"{count} problem{'' if count == 1 else 's'}"]
        lines.extend(f"  {line}" for line in str(self.error()).splitlines() if self.problems)
        lines.extend(f"  note: {notice}" for notice in self.notices)
        return "\n".join(lines)
