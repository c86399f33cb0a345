"""whereabouts itself on W1-W5, through its public API only (the baseline).

W1 registers each place of ``places.csv`` with the ledger (a ``Place.city`` in its
country), adds each person and group of ``entities.csv``, and imports
``observations.csv`` with :func:`whereabouts.io.read_csv`, the bulk loader (place
*names* resolved by the ledger's gazetteer, where the registered places come first;
``A | B`` as one of two places). W2 is ``everyone()``, W3 ``last_known(id)``, W4
``everyone(as_of=...)``, W5 ``who_is_in(Place.from_country(...), as_of=...).definite``;
the answers are read from the rolls' columns (``entities``, ``statuses``, ``places``).

The answers follow the uncertainty semantics of ``docs/semantics.md`` in full; on
the people whose claims are all precise (see ``generate.py``) they must equal the
peers' answers.
"""

from __future__ import annotations

import csv
import functools
import itertools
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.generate import Files
from benchmarks.peers import Answer, Tool, entity_rows

__all__ = ["Whereabouts", "canonical"]


def canonical(result: Any) -> Answer | None:
    """A ``Whereabouts`` answer as ``(status, place name)``; None when nothing is known."""
    nothing, disputed = _statuses()
    status = result.status
    if status is nothing:
        return None
    if status is disputed:
        return ("disputed", None)
    return (status.value, None if result.place is None else result.place.name)


@functools.cache
def _statuses() -> tuple[Any, Any]:
    """``Status.NOTHING_KNOWN`` and ``Status.DISPUTED``, imported once: W3 times this
    reading of each answer, and an import statement per call cost about half a
    microsecond of the 4 measured (``_handle_fromlist`` is Python code)."""
    from whereabouts import Status

    return Status.NOTHING_KNOWN, Status.DISPUTED


class Whereabouts(Tool):
    """The ``Ledger`` of whereabouts, filled and queried one call at a time."""

    name = "whereabouts"
    modules = ("whereabouts", "numpy")  # numpy is imported on first use: not a held cost
    # read_csv reads a large file by Arrow when pyarrow is installed (whereabouts.io.
    # _arrow_csv): its import (some 27 MB resident, mostly library code) is not data held.
    lazy_modules = ("pyarrow.csv", "pyarrow.compute")

    def load(self, files: Files, *, limit: int | None = None,
             progress: Callable[[int], None] | None = None) -> None:
        """Build the ledger; ``limit`` stops after that many observations (for estimates)."""
        from whereabouts import Ledger, Place
        from whereabouts.io import read_csv

        ledger = Ledger()
        with files.places.open(newline="", encoding="utf-8") as f:
            rows = csv.reader(f)
            next(rows)
            for name, country in rows:
                ledger.register_place(Place.city(name, country=country))
        groups = []
        for row in entity_rows(files):
            if row["kind"] == "group":
                groups.append(row)
            else:
                ledger.add_person(row["name"], id=row["id"])
        for row in groups:
            members = row["members"].split(";") if row["members"] else []
            ledger.add_group(row["name"], id=row["id"], members=members)
        if limit is None:
            read_csv(files.observations, ledger)  # the bulk loader: columns, no object a row
        else:
            with tempfile.TemporaryDirectory() as folder:  # the first rows, for estimates
                part = Path(folder, "part.csv")
                with files.observations.open(encoding="utf-8") as src:
                    part.write_text("".join(itertools.islice(src, limit + 1)),
                                    encoding="utf-8")
                read_csv(part, ledger)
        if progress is not None:
            progress(len(ledger))
        self.ledger = ledger

    def last_all(self) -> Any:
        return self.ledger.everyone()

    def last_one(self, subject: str) -> Any:
        return self.ledger.last_known(subject)

    def as_of_all(self, day: str) -> Any:
        return self.ledger.everyone(as_of=day)

    def in_country(self, country: str, day: str) -> Any:
        from whereabouts import Place

        return self.ledger.who_is_in(Place.from_country(country), as_of=day)

    def answers_all(self, result: Any) -> dict[str, Answer]:
        """Read from the roll's columns (the answers themselves are built on demand)."""
        from whereabouts import Status

        found: dict[str, Answer] = {}
        for entity, status, place in zip(result.entities, result.statuses, result.places,
                                         strict=True):
            if status is Status.NOTHING_KNOWN:
                continue
            if status is Status.DISPUTED:
                found[entity.id] = ("disputed", None)
            else:
                found[entity.id] = (status.value, None if place is None else place.name)
        return found

    def answer_one(self, result: Any) -> Answer | None:
        return canonical(result)

    def answers_in(self, result: Any) -> set[str]:
        return {entity.id for entity in result.definite.entities}

    def close(self) -> None:
        self.ledger = None
