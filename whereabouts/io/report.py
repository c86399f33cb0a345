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

import attrs

from whereabouts.entities import Entity
from whereabouts.io.errors import LedgerFileError, Problem
from whereabouts.ledger import Ledger
from whereabouts.observations import Observation, Retraction

__all__ = ["Report"]


@attrs.frozen(kw_only=True)
class Report:
    """The outcome of reading a ledger file or a CSV of observations.

    ``ledger`` holds what was valid; ``problems`` lists every problem found,
    in file order; ``read`` counts the records (native, SQLite) or rows (CSV)
    read. For a CSV import, ``added`` holds the observations imported and
    ``created`` the people created from names in the ``subjects`` column.
    """

    path: str
    format: str
    """``"native"``, ``"sqlite"`` or ``"csv"``."""
    ledger: Ledger = attrs.field(eq=False, repr=False)
    problems: tuple[Problem, ...] = ()
    read: int = 0
    added: tuple[Observation | Retraction, ...] = ()
    created: tuple[Entity, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the file had no problem at all."""
        return not self.problems

    def error(self) -> LedgerFileError:
        """The problems as one :class:`~whereabouts.io.LedgerFileError`, to raise."""
        return LedgerFileError(self.path, self.problems)

    def __str__(self) -> str:
        unit = "rows" if self.format == "csv" else "records"
        count = len(self.problems)
        lines = [f"{self.path}: {self.format}, {self.read} {unit} read, "
                 f"{count} problem{'' if count == 1 else 's'}"]
        lines.extend(f"  {line}" for line in str(self.error()).splitlines() if self.problems)
        return "\n".join(lines)
