"""HTML for notebooks: the ``_repr_html_`` of the ledger and of the answers.

Small, self-contained markup: no scripts, no external stylesheet, no class
names a notebook must know; inline styles only, and only ones that read in
light and dark themes (text colour inherited, tints half-transparent). Every
string that comes from the user (names, notes, sources, places, ids) goes
through :func:`esc`; a source's URL is a link only when it is ``http(s)``.

Tables stop after :data:`ROWS` rows and say how many more there are, so a
roll of a million answers renders as fast as one of fifty: only the rows
shown are read (and, for a roll, only their answers built).
"""

from __future__ import annotations

import html
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from whereabouts.entities import Entity
    from whereabouts.observations import Observation
    from whereabouts.places import Where
    from whereabouts.results import (
        Answers,
        Conflict,
        During,
        Itinerary,
        Presence,
        Roll,
        Status,
        Stop,
        Whereabouts,
    )
    from whereabouts.when import When

__all__ = ["ROWS", "esc", "plural"]

ROWS = 50
"""The most rows a table shows; the rest are counted in a last row."""

_BOX = "font-family:inherit;line-height:1.4;color:inherit;max-width:100%"
_TABLE = "border-collapse:collapse;margin:0.3em 0;font-size:0.92em;color:inherit"
_CELL = ("padding:0.15em 0.6em;text-align:left;vertical-align:top;"
         "border-bottom:1px solid rgba(127,127,127,0.25)")
_HEAD = _CELL + ";font-weight:600;border-bottom:1px solid rgba(127,127,127,0.6)"
_SECTION = _CELL + ";font-weight:600;background:rgba(127,127,127,0.12)"
_MUTED = "opacity:0.7"

# Half-transparent tints: the same hue reads on a white and on a black page.
_TINTS = {
    "located": "rgba(46,160,67,0.22)",
    "heading": "rgba(56,132,244,0.22)",
    "departed": "rgba(56,132,244,0.22)",
    "unknown": "rgba(210,153,34,0.28)",
    "deceased": "rgba(127,127,127,0.35)",
    "disputed": "rgba(219,68,55,0.25)",
    "nothing known": "rgba(127,127,127,0.15)",
}


def esc(value: object) -> str:
    """Any value as HTML text: ``str`` of it, with ``& < > " '`` escaped."""
    return html.escape(str(value), quote=True)


def plural(count: int, word: str, many: str | None = None) -> str:
    """``'1 person'``, ``'12 people'``, ``'1,200 groups'``."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def badge(status: Status) -> str:
    """A status as a small tinted label."""
    tint = _TINTS.get(status.value, "rgba(127,127,127,0.15)")
    return (f'<span style="background:{tint};border-radius:0.6em;padding:0 0.5em;'
            f'white-space:nowrap">{esc(status.value)}</span>')


def _box(*parts: str) -> str:
    return f'<div style="{_BOX}">' + "".join(parts) + "</div>"


def _line(content: str, style: str = "") -> str:
    return f'<div style="margin:0.15em 0;{style}">{content}</div>'


def _muted(text: str) -> str:
    return f'<span style="{_MUTED}">{text}</span>'


def _table(headers: Sequence[str], rows: Iterable[str], more: int = 0) -> str:
    """A table of already-rendered ``<tr>`` rows; ``more`` rows left out are counted."""
    head = "".join(f'<th style="{_HEAD}">{esc(h)}</th>' for h in headers)
    tail = ""
    if more > 0:
        tail = (f'<tr><td colspan="{len(headers)}" style="{_CELL};{_MUTED}">'
                f"… and {more:,} more</td></tr>")
    return (f'<table style="{_TABLE}"><thead><tr>{head}</tr></thead><tbody>'
            + "".join(rows) + tail + "</tbody></table>")


def _row(cells: Iterable[str], style: str = "") -> str:
    extra = f";{style}" if style else ""
    return "<tr>" + "".join(f'<td style="{_CELL}{extra}">{c}</td>' for c in cells) + "</tr>"


def _section(title: str, width: int) -> str:
    return f'<tr><td colspan="{width}" style="{_SECTION}">{title}</td></tr>'


def _note(width: int, text: str) -> str:
    return f'<tr><td colspan="{width}" style="{_CELL};{_MUTED};font-style:italic">{text}</td></tr>'


def _code(text: object) -> str:
    return f'<code style="white-space:nowrap">{esc(text)}</code>'


def _when(when: When | None) -> str:
    return _muted("undated") if when is None else _code(when)


def _entity(entity: Entity) -> str:
    from whereabouts.entities import Group

    name = f"<strong>{esc(entity.name)}</strong>"
    return name + " " + _muted("(group)") if isinstance(entity, Group) else name


def _place(place: Where | None) -> str:
    return "" if place is None else esc(place.label)


def _context(as_of: When | None, known_at: When | None, on: When | None = None) -> str:
    parts = []
    if on is not None:
        parts.append(f"during {esc(on)}")
    if as_of is not None:
        parts.append(f"as of {esc(as_of)}")
    if known_at is not None:
        parts.append(f"as known at {esc(known_at)}")
    return _muted(" · ".join(parts)) if parts else ""


# -- evidence -----------------------------------------------------------------

_EVIDENCE = ("id", "when", "claim", "source", "reported", "grade")


def _source(obs: Observation) -> str:
    parts = []
    for source in obs.source.chain:
        name = esc(source.name)
        url = (source.url or "").strip()
        if url.lower().startswith(("http://", "https://")):
            name = (f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer" '
                    f'style="color:inherit;text-decoration:underline">{name}</a>')
        parts.append(name)
    return " → ".join(parts)


def _claim(obs: Observation) -> str:
    text = esc(obs.describe())
    if obs.note:
        text += "<br>" + _muted(esc(obs.note))
    return text


def evidence_row(obs: Observation) -> str:
    """One observation as a row of the evidence table (columns ``_EVIDENCE``)."""
    reported = _muted("unknown") if obs.reported is None else esc(obs.reported)
    return _row([_code(obs.id), _when(obs.when), _claim(obs), _source(obs),
                 reported, esc(obs.grading)])


def _evidence(sections: Iterable[tuple[str, Sequence[Observation]]]) -> str:
    rows: list[str] = []
    shown = 0
    more = 0
    for title, observations in sections:
        if not observations:
            continue
        if shown >= ROWS:
            more += len(observations)
            continue
        rows.append(_section(esc(title), len(_EVIDENCE)))
        for obs in observations:
            if shown < ROWS:
                rows.append(evidence_row(obs))
                shown += 1
            else:
                more += 1
    return _table(_EVIDENCE, rows, more) if rows else ""


# -- answers ------------------------------------------------------------------


def _answer_text(answer: Whereabouts) -> str:
    """The headline without the name (nor "disputed:", which the badge says):
    ``in Moscow (RU), since 2024-12-08/..``."""
    text = answer.headline[len(answer.entity.name) + 2:]
    return esc(text.removeprefix("disputed: "))


def whereabouts(answer: Whereabouts) -> str:
    from whereabouts.results import Status

    head = _line(f"{_entity(answer.entity)} {badge(answer.status)} {_answer_text(answer)}")
    sections: list[tuple[str, Sequence[Observation]]] = []
    if answer.status is Status.DISPUTED:
        sections.extend((f"candidate: {c}", c.evidence) for c in answer.candidates)
    else:
        sections.append(("evidence", answer.evidence))
        shown = {o.id for o in answer.evidence}
        for candidate in answer.last_placed:
            extra = [o for o in candidate.evidence if o.id not in shown]
            sections.append((f"last placed: {candidate}", extra))
    sections.append(("also", answer.conditions))
    pending: dict[str, list[Observation]] = {}
    for obs in answer.pending:
        pending.setdefault(f"{answer._maybe(obs)} by then", []).append(obs)
    sections.extend(pending.items())
    sections.append(("also reported, below the threshold", answer.also_reported))
    sections.append(("denied", answer.denied))
    context = _context(answer.as_of, answer.known_at)
    return _box(head, _line(context) if context else "", _evidence(sections))


def _answer_rows(answers: Answers, start: int, count: int, prefix: Sequence[str] = (),
                 ) -> tuple[list[str], bool]:
    """Rows for answers ``start`` to ``start + count``: read from the columns, each
    answer built for its "since" only; ``False`` if the ledger changed since."""
    from whereabouts.entities import Group
    from whereabouts.results import Status

    rows: list[str] = []
    fresh = True
    entities, statuses, places = answers.entities, answers.statuses, answers.places
    for position in range(start, min(start + count, len(answers))):
        entity, status = entities[position], statuses[position]
        place = places[position]
        since = ""
        shown = _place(place)
        if fresh:
            try:
                answer = answers[position]
            except RuntimeError:
                fresh = False
            else:
                since = "" if answer.since is None else _when(answer.since)
                if status is Status.DISPUTED:
                    shown = " | ".join(esc(c) for c in answer.candidates)
                elif status in (Status.UNKNOWN, Status.NOTHING_KNOWN) and answer.last_placed:
                    shown = _muted("last placed " + " | ".join(esc(c)
                                                                for c in answer.last_placed))
        kind = "group" if isinstance(entity, Group) else "person"
        rows.append(_row([*prefix, _code(entity.id), esc(entity.name),
                          _muted(kind), badge(status), shown, since]))
    return rows, fresh


_ANSWERS = ("id", "name", "kind", "status", "place", "since")


def _counts(statuses: Sequence[Status]) -> str:
    counted = Counter(statuses)
    return " · ".join(f"{badge(s)} {n:,}" for s, n in counted.most_common())


_STALE = "the ledger changed after this was asked: ask again for dates and evidence"


def roll(answers: Roll) -> str:
    from whereabouts.results import Answers

    found = Answers.of(answers.answers)
    total = len(found)
    head = _line(f"<strong>{esc(answers.title)}</strong>: {total:,} "
                 + _context(answers.as_of, answers.known_at))
    rows, fresh = _answer_rows(found, 0, ROWS)
    parts = [head]
    if total:
        parts.append(_line(_counts(found.statuses)))
        parts.append(_table(_ANSWERS, rows, total - len(rows)))
    if not fresh:
        parts.append(_line(_muted(_STALE)))
    return _box(*parts)


def presence(found: Presence) -> str:
    from whereabouts.results import Answers

    definite, possible = Answers.of(found.definite), Answers.of(found.possible)
    head = _line(f"In <strong>{esc(found.place.label)}</strong>: {len(definite):,} definite, "
                 f"{len(possible):,} possible " + _context(found.as_of, found.known_at, found.on))
    width = len(_ANSWERS)
    rows: list[str] = []
    fresh = True
    left = ROWS
    for title, answers in (("definite", definite), ("possible", possible)):
        if answers and left > 0:
            rows.append(_section(title, width))
            shown, ok = _answer_rows(answers, 0, left)
            fresh = fresh and ok
            rows.extend(shown)
            left -= len(shown)
    more = len(definite) + len(possible) - (ROWS - left)
    parts = [head]
    if rows:
        parts.append(_table(_ANSWERS, rows, more))
    if not fresh:
        parts.append(_line(_muted(_STALE)))
    return _box(*parts)


# -- stops ----------------------------------------------------------------------

_STOPS = ("#", "when", "claim", "ids", "")


def _stop_row(number: int, stop: Stop, flags: list[str]) -> str:
    what = "; ".join(dict.fromkeys(_claim(o) for o in stop.observations))
    ids = ", ".join(_code(o.id) for o in stop.observations)
    if not stop.made:
        flags = ["not made", *flags]
    style = "" if stop.made else "font-style:italic;" + _MUTED
    return _row([str(number), _when(stop.when), what, ids, _muted(", ".join(flags))], style)


def _stop_rows(stops: Sequence[Stop], possible: frozenset[str] = frozenset()) -> list[str]:
    rows: list[str] = []
    for number, stop in enumerate(itertools.islice(stops, ROWS), 1):
        if stop.gap_before_days is not None:
            rows.append(_note(len(_STOPS),
                              f"… no evidence for about {stop.gap_before_days:,} days …"))
        flags = []
        if stop.order_uncertain:
            flags.append("order against the stop above not known")
        if any(o.id in possible for o in stop.observations):
            flags.append("possibly outside the window")
        rows.append(_stop_row(number, stop, flags))
    return rows


def itinerary(found: Itinerary) -> str:
    head = _line(f"{_entity(found.entity)}: {plural(len(found.stops), 'stop')}")
    if not found.stops:
        return _box(head)
    return _box(head, _table(_STOPS, _stop_rows(found.stops), len(found.stops) - ROWS))


def during(found: During) -> str:
    route = " → ".join(esc(p.label) for p in found.places) or _muted("nowhere known")
    head = _line(f"{_entity(found.entity)} during {_code(found.window)}: {route}")
    began = _line(f"{_muted('as it began:')} {badge(found.start.status)} "
                  f"{_answer_text(found.start)}")
    ended = _line(f"{_muted('as it ended:')} {badge(found.end.status)} "
                  f"{_answer_text(found.end)}")
    table = ""
    if found.stops:
        table = _table(_STOPS, _stop_rows(found.stops, found.possible),
                       len(found.stops) - ROWS)
    return _box(head, began, table, ended)


def conflict(found: Conflict) -> str:
    head = _line(f"{_entity(found.entity)}: {esc(found.reason)}")
    return _box(head, _evidence([("claims", found.observations)]))


# -- the ledger ---------------------------------------------------------------------


def ledger(counts: Sequence[tuple[str, int]], statuses: Sequence[Status],
           span: tuple[date, date] | None) -> str:
    """A ledger's summary: what it holds (retractions and denials when there are
    some), the span of its claims' dates, and everyone's standing now."""
    facts = [_row([esc(label), f"{count:,}"]) for label, count in counts
             if count or label not in ("retractions", "denials")]
    parts = [_line("<strong>Ledger</strong>"),
             f'<table style="{_TABLE}"><tbody>' + "".join(facts) + "</tbody></table>"]
    if span is not None:
        parts.append(_line(f"claims dated between {span[0]} and {span[1]} "
                           + _muted("(the earliest and the latest day their dates allow)")))
    if statuses:
        parts.append(_line(f"{_muted('whereabouts now:')} {_counts(statuses)}"))
        parts.append(_line(_muted("ledger.everyone() lists them; "
                                  "ledger.last_known(name) gives one answer and its evidence")))
    return _box(*parts)
