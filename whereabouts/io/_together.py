"""Values that do not go together: cells each fine, refused together by
:meth:`Ledger.observe <whereabouts.Ledger.observe>` (a kind without its place, a date after
its report), and ``after`` links that put a row later than its dates allow.

:func:`suspect` picks the few rows that may be refused; a :class:`Probe` asks a
scratch ledger about each distinct combination, so the error is the ledger's
own; :class:`Order` gives the windows that ``after`` links are checked against.
"""

from __future__ import annotations

import math

from whereabouts._stays import stay_bounds
from whereabouts.entities import Person
from whereabouts.errors import (
    InvalidOrder,
    WhereaboutsError,
)
from whereabouts.io._checks import Checked
from whereabouts.ledger import Ledger
from whereabouts.observations import Kind, stay_by_default
from whereabouts.places import Where
from whereabouts.sources import Source
from whereabouts.when import When

__all__ = ["Order", "Probe", "late_after", "late_in_narrative", "misplaced", "suspect"]


_PROBE_SOURCE = Source("probe")


def misplaced(kind: Kind, where: Where | None) -> bool:
    return (where is None and kind.needs_place) or (where is not None and not kind.allows_place)


def suspect(subjects: tuple[str, ...], kind: Kind, where: Where | None, when: When | None,
             reported: When | None, stay: bool | None) -> bool:
    """Whether ``Ledger.observe`` may refuse these values together (see :class:`Probe`)."""
    return (not subjects or len(set(subjects)) != len(subjects) or misplaced(kind, where)
            or stay is True
            or (reported is not None and (math.isinf(reported.upper) or (
                when is not None and when.lower >= reported.upper))))


class Probe:
    """Asks a scratch ledger whether values go together, by the rules of ``Ledger.observe``.

    Only rows :func:`suspect` picks are asked about, so the words of the
    error are the ledger's own.
    """

    def __init__(self) -> None:
        self._ledger = Ledger()
        self._people: set[str] = set()
        self._known: dict[tuple[object, ...], WhereaboutsError | None] = {}

    def error(self, subjects: tuple[str, ...], kind: Kind, where: Where | None,
              when: When | None, reported: When | None,
              stay: bool | None) -> WhereaboutsError | None:
        """The error ``Ledger.observe`` raises for these values, or None."""
        key = (subjects, kind, where, when, reported, stay)
        if key not in self._known:
            self._known[key] = self._ask(subjects, kind, where, when, reported, stay)
        return self._known[key]

    def _ask(self, subjects: tuple[str, ...], kind: Kind, where: Where | None,
             when: When | None, reported: When | None,
             stay: bool | None) -> WhereaboutsError | None:
        for subject in set(subjects) - self._people:
            self._ledger.add(Person(subject, subject))
            self._people.add(subject)
        try:
            self._ledger.observe(list(subjects), kind, place=where, when=when,
                                 source=_PROBE_SOURCE, reported=reported, throughout=stay)
        except WhereaboutsError as err:
            return err
        return None


def late_after(after: tuple[str, ...]) -> InvalidOrder:
    return InvalidOrder("its 'after' links put it later than its own dates allow",
                        field="after", value=list(after))


def late_in_narrative(before: str) -> InvalidOrder:
    """A row that its narrative puts after ``before`` (the narrative's row above it)
    later than its own dates allow."""
    return InvalidOrder("the narrative puts this row after it, later than the row's own "
                        "dates allow", field="narrative", value=before)


class Order:
    """When observations can have started, to check ``after`` links against the dates."""

    def __init__(self, ledger: Ledger, static: Checked) -> None:
        self._ledger = ledger
        self._static = static
        self._starts: dict[str, float] = {}  # ledger observation id -> narrowed start

    def window(self, row: int) -> tuple[float, float]:
        """A row's own window: from its start to the end of its date, capped by its report
        (a stay: from the earliest it can have begun to the latest it can have ended)."""
        kind, _, when, reported, stay = self._static.row(row)
        if when is not None and (stay or (stay is None and stay_by_default(kind, when))):
            try:
                bounds = stay_bounds(when, reported)
            except WhereaboutsError:
                pass  # not a stay the ledger takes: the row is refused for it
            else:
                return bounds[0], bounds[3]
        end = math.inf if reported is None else reported.upper
        if when is None:
            return -math.inf, end
        return when.lower, min(when.upper, end)

    def start(self, oid: str) -> float:
        """The start of a ledger observation, narrowed by its ``after`` links."""
        known = self._starts.get(oid)
        if known is not None:
            return known
        stack = [oid]
        while stack:
            obs = self._ledger.observation(stack[-1])
            missing = [a for a in obs.after if a not in self._starts]
            if missing:
                stack.extend(missing)
                continue
            stack.pop()
            self._starts[obs.id] = max([obs.lower, *(self._starts[a] for a in obs.after)])
        return self._starts[oid]
