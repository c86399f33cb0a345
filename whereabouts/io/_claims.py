"""The claims of a ledger as the timeline and entity exports see them: each observation
with its subjects' names, its window, and whether it was later denied, retracted or
corrected; and a date's meaning in words.

>>> from whereabouts.when import When
>>> meaning(When("2024-12")), meaning(When("2024-12-08/..")), meaning(When("../2024-12-08"))
('some day in 2024-12', 'from 2024-12-08 on (open end)', 'by 2024-12-08 (open start)')
>>> precision(When("2024-12")), precision(When("201X")), precision(None)
('month', 'unspecified digits', 'undated')
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import attrs

from whereabouts.ledger import DateRef, Ledger
from whereabouts.observations import Denial, Observation, Retraction
from whereabouts.when import When

__all__ = ["Claim", "claims", "iso", "meaning", "precision", "withdrawals", "written"]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@attrs.frozen
class Claim:
    """One observation, its subjects' names, and what became of it."""

    obs: Observation
    names: tuple[str, ...]
    status: str = ""
    """``""`` (standing), ``"denied"``, ``"retracted"`` or ``"corrected"``."""
    by: Retraction | Denial | Observation | None = None
    """The entry that denied, retracted or corrected it."""

    @property
    def withdrawn(self) -> str:
        """``'denied by d1 (the ministry, reported 2024-12-09): reason'``, or ``""``."""
        by = self.by
        if by is None:
            return ""
        if isinstance(by, Observation):
            return f"corrected by {by.id} ({by.citation()})"
        why = f": {by.reason}" if by.reason else ""
        return f"{self.status} by {by.id} ({by.source}, reported {by.reported}){why}"


def _known(entry: Observation | Retraction | Denial, until: float) -> bool:
    reported = entry.reported
    return math.isinf(until) or (reported is not None and reported.upper <= until)


def _until(known_at: DateRef | None) -> float:
    return math.inf if known_at is None else When.coerce(known_at, field="known_at").upper


def claims(ledger: Ledger, *, known_at: DateRef | None = None) -> list[Claim]:
    """Every observation reported by the end of ``known_at`` (all without it), in ledger
    order, each marked with the denial, retraction or correction known by then."""
    until = _until(known_at)
    names = {e.id: e.name for e in ledger.entities}
    entries = [e for e in ledger.entries if _known(e, until)]
    fate: dict[str, tuple[str, Retraction | Denial | Observation]] = {}
    rank = {"denied": 0, "retracted": 1, "corrected": 2}
    for entry in entries:
        mark: tuple[str, Retraction | Denial | Observation]
        if isinstance(entry, Denial):
            mark = ("denied", entry)
        elif isinstance(entry, Retraction):
            mark = ("retracted", entry)
        elif entry.corrects is not None:
            mark = ("corrected", entry)
        else:
            continue
        target = entry.corrects if isinstance(entry, Observation) else entry.target
        assert target is not None
        if target not in fate or rank[mark[0]] < rank[fate[target][0]]:
            fate[target] = mark
    found = []
    for entry in entries:
        if isinstance(entry, Observation):
            status, by = fate.get(entry.id, ("", None))
            found.append(Claim(entry, tuple(names.get(s, s) for s in entry.subjects),
                               status, by))
    return found


def withdrawals(ledger: Ledger, *, known_at: DateRef | None = None,
                ) -> list[Retraction | Denial]:
    """The retractions and denials reported by the end of ``known_at``."""
    until = _until(known_at)
    return [e for e in ledger.entries
            if isinstance(e, Retraction | Denial) and _known(e, until)]


def iso(seconds: float) -> str:
    """POSIX seconds as ISO 8601 in UTC: ``'2024-12-08T00:00:00+00:00'``."""
    return (_EPOCH + timedelta(seconds=int(seconds))).isoformat()


def precision(when: When | None) -> str:
    """How precise a date is: ``second``, ``day``, ``month``, ``year``, ``unspecified
    digits``, ``interval``, ``one of``, ``all of``, or ``undated``."""
    if when is None:
        return "undated"
    kind = when.kind
    if kind == "datetime":
        return "second"
    if kind == "date":
        if "X" in when.text:
            return "unspecified digits"
        return {4: "year", 7: "month"}.get(len(when.text.rstrip("?~%")), "day")
    return {"interval": "interval", "one_of": "one of", "all_of": "all of"}[kind]


def _qualified(text: str) -> str:
    bare = text.rstrip("?~%")
    qualifier = text[len(bare):]
    note = {"?": " (uncertain)", "~": " (approximate)",
            "%": " (uncertain and approximate)"}.get(qualifier, "")
    return _point(bare) + note


def _point(text: str) -> str:
    if "T" in text:
        return f"at {text}"
    if "X" in text:
        when = When(text)
        first, last = when.earliest, when.latest
        assert first is not None
        assert last is not None
        return f"some day between {first.date().isoformat()} and {last.date().isoformat()}"
    if len(text) == 10:
        return f"on {text}"
    return f"some day in {text}"


def meaning(when: When | None) -> str:
    """A date in words: ``'some day in 2024-12'``, ``'from 2024-12-08 on (open end)'``."""
    if when is None:
        return "undated"
    text = when.text
    kind = when.kind
    if kind in ("date", "datetime"):
        return _qualified(text)
    if kind == "interval":
        start, _, end = text.partition("/")
        if start in ("", ".."):
            gap = "open start" if start == ".." else "start unknown"
            return f"by {_bare(end)} ({gap})"
        if end in ("", ".."):
            gap = "open end" if end == ".." else "end unknown"
            return f"from {_bare(start)} on ({gap})"
        return f"between {_bare(start)} and {_bare(end)}"
    members = text[1:-1].split(",")
    words = "one of" if kind == "one_of" else "all of"
    return f"{words}: {', '.join(m.replace('..', ' to ') for m in members)}"


def _bare(text: str) -> str:
    """One end of an interval in words, without 'on'/'some day in'."""
    said = _qualified(text)
    for lead in ("on ", "at "):
        if said.startswith(lead):
            return said[len(lead):]
    return said


def written(obs: Observation) -> str:
    """A claim's date as written and what it means, for a reader of another tool:
    ``'2024-12 (EDTF): some day in 2024-12'``, ``'undated: by its report of 2024-12'``."""
    when = obs.when
    if when is None:
        if obs.reported is None:
            return "undated, report date unknown"
        return f"undated: by its report of {obs.reported}"
    stay = "held throughout, " if obs.throughout else ""
    return f"{when} (EDTF): {stay}{meaning(when)}"
