"""whereabouts itself on W1-W5, through its public API only (the baseline).

W1 reads the three CSV files row by row: it registers each place of ``places.csv``
with the ledger (a ``Place.city`` in its country), adds each person and group of
``entities.csv``, and calls :meth:`Ledger.observe` once per observation, passing the
place *name* (resolved by the ledger's gazetteer, where the registered places come
first) or a list of names for ``A | B``. Sources are cached per name, as any loader
would. W2 is ``everyone()``, W3 ``last_known(id)``, W4 ``everyone(as_of=...)``, W5
``who_is_in(Place.from_country(...), as_of=...).definite``.

The answers follow the uncertainty semantics of ``docs/semantics.md`` in full; on
the people whose claims are all precise (see ``generate.py``) they must equal the
peers' answers.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from benchmarks.generate import Files
from benchmarks.peers import Answer, Tool, entity_rows

__all__ = ["Whereabouts", "canonical"]


def canonical(result: Any) -> Answer | None:
    """A ``Whereabouts`` answer as ``(status, place name)``; None when nothing is known."""
    from whereabouts import Status

    status = result.status
    if status is Status.NOTHING_KNOWN:
        return None
    if status is Status.DISPUTED:
        return ("disputed", None)
    return (status.value, None if result.place is None else result.place.name)


class Whereabouts(Tool):
    """The ``Ledger`` of whereabouts, filled and queried one call at a time."""

    name = "whereabouts"
    modules = ("whereabouts",)

    def load(self, files: Files, *, limit: int | None = None,
             progress: Callable[[int], None] | None = None) -> None:
        """Build the ledger; ``limit`` stops after that many observations (for estimates)."""
        from whereabouts import Grading, Ledger, Place, Source

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
        sources: dict[str, Source] = {}
        gradings: dict[str, Grading] = {}
        observe = ledger.observe
        with files.observations.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            next(reader)
            for count, (oid, subjects, kind, place, when, source, reported, reliability,
                        credibility, note, after) in enumerate(reader):
                if count == limit:
                    break
                src = sources.get(source)
                if src is None:
                    src = sources[source] = Source(source)
                code = reliability + credibility
                grading = gradings.get(code)
                if grading is None:
                    grading = gradings[code] = Grading.parse(code)
                observe(
                    subjects.split(";") if ";" in subjects else subjects, kind,
                    place=(place.split(" | ") if " | " in place else place) or None,
                    when=when or None, source=src, reported=reported, grading=grading,
                    note=note, after=after.split(";") if after else (), id=oid,
                )
                if progress is not None and count % 100_000 == 0:
                    progress(count)
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
