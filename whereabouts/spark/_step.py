"""The per-entity step: one entity's rows of the Parquet tables into a small
:class:`~whereabouts.Ledger`, asked the question the in-process ledger is asked.

Nothing here imports pyspark: the step runs on an executor, inside
``applyInPandas``, on a pandas frame of the claims an entity's answer rests on
(its own, its groups', and the retractions, denials and corrections of those),
and it is tested as it is, without Spark. Rows are turned back into entries by
the same :class:`~whereabouts.io._records.Codec` that reads ledger files, and
the answer comes from the same :class:`~whereabouts.Ledger` methods.

>>> from whereabouts import Ledger, Place
>>> ledger = Ledger()
>>> amal = ledger.add_person("Amal Haddad", id="amal")
>>> _ = ledger.observe(amal, "seen at", place=Place.from_country("LB"), when="2024-03-01",
...                    source="a wire", reported="2024-03-02")
>>> row = answer_row(ledger.last_known("amal"))
>>> row["status"], row["place"], row["countries"], row["since"], row["evidence"]
('located', 'Lebanon', ['LB'], '2024-03-01', ['o1'])
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from whereabouts.entities import Group, Person, RelationKind
from whereabouts.io._records import Codec
from whereabouts.ledger import Ledger
from whereabouts.places import Alternatives, Place, Where
from whereabouts.results import Candidate, Whereabouts
from whereabouts.sources import Threshold
from whereabouts.when import When

__all__ = ["ANSWER_COLUMNS", "QUESTIONS", "Question", "Tables", "answer_row", "ask",
           "ledger_of"]

QUESTIONS = ("last_known", "who_is_in", "unaccounted", "dead")
"""What the step can ask: ``where`` is ``last_known`` as of a date."""

ANSWER_COLUMNS = (
    ("question", "string"),
    ("entity", "string"),
    ("name", "string"),
    ("type", "string"),
    ("status", "string"),
    ("place", "string"),
    ("country", "string"),
    ("countries", "array<string>"),
    ("since", "string"),
    ("evidence", "array<string>"),
    ("candidates", "array<struct<status:string,place:string,countries:array<string>,"
                   "evidence:array<string>>>"),
    ("presence", "string"),
)
"""The columns of every answer frame, in order, with their Spark SQL types."""


@attrs.frozen(kw_only=True)
class Question:
    """A question for every entity: ``what`` (``last_known``, ``who_is_in``,
    ``unaccounted`` or ``dead``), with the dates as EDTF text and the grade threshold as
    its code, as :meth:`whereabouts.spark.SparkLedger.ask` takes them.

    >>> Question(what="last_known", as_of="2024-12-08")
    Question(what='last_known', as_of='2024-12-08', known_at=None, min_grade=None, place=None)
    """

    what: str = attrs.field(validator=attrs.validators.in_(QUESTIONS))
    as_of: str | None = None
    known_at: str | None = None
    min_grade: str | None = None
    place: Where | None = None
    """The place of ``who_is_in``."""


@attrs.frozen(kw_only=True)
class Tables:
    """The places and sources of the dataset, decoded once on the driver and sent to
    every executor with the step (they are small beside the claims)."""

    places: Mapping[str, Place]
    sources: Mapping[str, Any]

    def codec(self) -> Codec:
        """A record decoder that knows every place and source by its id."""
        codec = Codec()
        codec.places.update(self.places)
        codec.sources.update(self.sources)
        return codec


def ask(questions: Mapping[str, Question], tables: Tables, entity: Mapping[str, Any],
        groups: Iterable[str], claims: Iterable[Mapping[str, Any]], *,
        decoded: dict[str, Any] | None = None, codec: Codec | None = None
        ) -> list[dict[str, Any]]:
    """One entity's answers to each question, as rows (a roll that leaves the entity
    out gives no row), each with the question's name in ``question``.

    ``entity`` is its row of the entities table, ``groups`` the ids of every
    group it belongs to (directly or not), ``claims`` the rows of the claims
    table its answers rest on, in any order. ``decoded`` keeps the entries decoded so
    far by claim id, for the next entity of the same call (entries are immutable), and
    ``codec`` is the decoder of ``tables`` to use (one is made when not given).
    """
    ledger, owner = ledger_of(tables, entity, groups, claims, decoded=decoded, codec=codec)
    found = []
    for name, question in questions.items():
        row = _question(ledger, owner, question)
        if row is not None:
            found.append({**row, "question": name})
    return found


def ledger_of(tables: Tables, entity: Mapping[str, Any], groups: Iterable[str],
              claims: Iterable[Mapping[str, Any]], *, decoded: dict[str, Any] | None = None,
              codec: Codec | None = None) -> tuple[Ledger, Person | Group]:
    """A ledger of one entity, its groups (as members of them), the other subjects of
    its claims (stand-ins: their own claims are not there) and its claims, appended
    in the order of the whole ledger (``seq``)."""
    ledger = Ledger(gazetteer=_NoNames())
    owner = _entity(entity)
    ledger.add(owner)
    group_ids = sorted(set(groups) - {owner.id})
    for gid in group_ids:
        ledger.add(Group(gid, gid))
        ledger.relate(owner.id, RelationKind.MEMBER_OF, gid)
    codec = tables.codec() if codec is None else codec
    part: Any
    known = {owner.id, *group_ids}
    for row in sorted(claims, key=lambda row: int(row["seq"])):
        for subject in list_cell(row.get("subjects")):
            if subject not in known:  # another subject of a shared claim: a stand-in
                known.add(subject)
                ledger.add(Person(subject, subject))
        part = None if decoded is None else decoded.get(row["id"])
        if part is None:
            part = codec.decode(record(row))
            if decoded is not None:
                decoded[row["id"]] = part
        assert part is not None
        ledger.append(part)
    return ledger, owner


def _question(ledger: Ledger, owner: Person | Group, q: Question) -> dict[str, Any] | None:
    grade = None if q.min_grade is None else Threshold.parse(q.min_grade)
    if q.what == "last_known":
        return answer_row(ledger.last_known(owner.id, as_of=q.as_of, known_at=q.known_at,
                                            min_grade=grade))
    if q.what == "who_is_in":
        assert q.place is not None
        found = ledger.who_is_in(q.place, as_of=q.as_of, known_at=q.known_at, min_grade=grade)
        for presence, answers in (("definite", found.definite), ("possible", found.possible)):
            for answer in answers:
                if answer.entity.id == owner.id:
                    return answer_row(answer, presence=presence)
        return None
    roll = (ledger.unaccounted if q.what == "unaccounted" else ledger.dead)(
        as_of=q.as_of, known_at=q.known_at, min_grade=grade)
    return next((answer_row(a) for a in roll if a.entity.id == owner.id), None)


def answer_row(answer: Whereabouts, *, presence: str | None = None) -> dict[str, Any]:
    """An answer as a row of the answer frame (see :data:`ANSWER_COLUMNS`)."""
    entity = answer.entity
    return {
        "question": None,
        "entity": entity.id,
        "name": entity.name,
        "type": "group" if isinstance(entity, Group) else "person",
        "status": answer.status.value,
        "place": _label(answer.place),
        "country": answer.country,
        "countries": sorted(answer.countries),
        "since": None if answer.since is None else str(answer.since),
        "evidence": [o.id for o in answer.evidence],
        "candidates": [_candidate(c) for c in answer.candidates],
        "presence": presence,
    }


def _candidate(candidate: Candidate) -> dict[str, Any]:
    place = candidate.place
    return {"status": candidate.status.value, "place": _label(place),
            "countries": [] if place is None else sorted(place.countries),
            "evidence": [o.id for o in candidate.evidence]}


def _label(place: Where | None) -> str | None:
    return None if place is None else place.label


def _entity(row: Mapping[str, Any]) -> Person | Group:
    cls = Group if row["type"] == "group" else Person
    return cls(row["id"], row["name"], aliases=tuple(list_cell(row.get("aliases"))))


def record(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row of the claims table as the record the ledger file reader decodes
    (a null cell, which pandas may give as NaN, is None)."""
    cell = {key: None if _missing(value) else value for key, value in row.items()}
    entry = cell["entry"]
    if entry in ("retraction", "denial"):
        found: dict[str, Any] = {"type": entry, "id": cell["id"], "target": cell["target"],
                                 "source": cell["source"], "reported": cell["reported"]}
        if cell.get("note"):
            found["reason"] = cell["note"]
        return found
    found = {"type": "observation", "id": cell["id"], "subjects": list_cell(cell["subjects"]),
             "kind": cell["kind"], "source": cell["source"], "reported": cell.get("reported"),
             "grading": cell.get("grading") or "F6"}
    options = list_cell(cell.get("place_options"))
    if options:
        found["place"] = options
    elif cell.get("place") is not None:
        found["place"] = cell["place"]
    if cell.get("when") is not None:
        found["when"] = cell["when"]
    if cell.get("throughout") is not None:
        found["throughout"] = bool(cell["throughout"])
    if cell.get("note"):
        found["note"] = cell["note"]
    after = list_cell(cell.get("after"))
    if after:
        found["after"] = after
    if entry == "correction":
        found["corrects"] = cell["target"]
    return found


def list_cell(value: object) -> list[str]:
    """A list cell as a list of texts (pandas gives numpy arrays, or None/NaN for null)."""
    if _missing(value):
        return []
    assert isinstance(value, Iterable)
    return [str(item) for item in value]


def _missing(value: object) -> bool:
    """Whether a cell is null: None, or the NaN (or NA) pandas puts in its place."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        type(value).__name__ in ("NAType", "NaTType"))


class _NoNames:
    """The gazetteer of a step's ledger: entries come with their places, never by name."""

    def place(self, name: str, *, country: str | None = None) -> Place:
        raise AssertionError(f"a step's ledger resolves no names ({name!r})")

    def register(self, place: Place, *, aliases: Iterable[str] = ()) -> Place:
        return place


def when_text(value: object, field: str) -> str | None:
    """A date given to a question, checked on the driver, as EDTF text for the executors."""
    return None if value is None else str(When.coerce(value, field=field))


def where_of(place: object) -> Where:
    """The place of ``who_is_in``: a Place, Alternatives, or a name the offline
    gazetteer resolves."""
    if isinstance(place, Place | Alternatives):
        return place
    from whereabouts.gazetteer import Gazetteer

    if not isinstance(place, str):
        from whereabouts.errors import InvalidPlace

        raise InvalidPlace("expected a Place or a place name", field="place", value=place)
    return Gazetteer().place(place)
