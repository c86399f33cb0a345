"""The whole-ledger paths (columns, numpy) give the answers of the one-by-one path.

``everyone``, ``who_is_in``, ``unaccounted`` and ``dead`` work out every
entity's status and place at once; ``last_known`` works one entity out claim
by claim. On ledgers with imprecise dates, alternatives, unknowns, groups,
``after`` links, corrections and retractions they must agree, at every
``as_of`` and ``known_at``. Not timed.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import ledgers
from whereabouts import Alternatives, Ledger, Person, Place, PlaceKind, Status
from whereabouts.places import Where
from whereabouts.results import AnswerColumns, LaterWhereabouts, Whereabouts

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import generate
from benchmarks.ours import Whereabouts as Ours

_DATES = [None, "2024-12-08", "2024-12", "2024", "2023-06-30", "2016-01-01"]


def _one_by_one(ledger: Ledger, as_of: Any, known_at: Any, **filters: Any
                ) -> list[Whereabouts]:
    """Each entity's answer from a copy of the ledger that was never asked anything."""
    return [ledger.last_known(e, as_of=as_of, known_at=known_at, **filters)
            for e in (*ledger.people, *ledger.groups)]


def _columns_agree(columns: AnswerColumns, expected: list[Whereabouts],
                   possible: list[bool] | None = None) -> None:
    """Every column of ``columns`` says what the one-by-one answers say."""
    assert len(columns) == len(expected)
    assert [columns.ids[n] for n in columns.entity.tolist()] == [a.entity.id for a in expected]
    assert [columns.statuses[s] for s in columns.status.tolist()] == [
        a.status for a in expected]
    assert [columns.places[p] for p in columns.place.tolist()] == [a.place for a in expected]
    assert dict(columns.candidates) == {
        row: tuple((c.status, c.place) for c in a.candidates)
        for row, a in enumerate(expected) if a.status is Status.DISPUTED}
    assert [columns.countries[c] for c in columns.country.tolist()] == [
        a.country for a in expected]
    if possible is None:
        assert columns.possible is None
    else:
        assert columns.possible is not None
        assert columns.possible.tolist() == possible


def _in(answer: Whereabouts, where: Where) -> str | None:
    """The rule of ``who_is_in`` for one answer: definite, possible or out."""
    place = answer.place
    if answer.status is Status.LOCATED and place is not None:
        if place.within(where):
            return "definite"
        return "possible" if place.possibly_within(where) else None
    if answer.status is Status.HEADING and place is not None:
        return "possible" if place.possibly_within(where) else None
    if answer.status is Status.DISPUTED and any(
        c.place is not None and c.status is not Status.DECEASED
        and c.place.possibly_within(where) for c in answer.candidates
    ):
        return "possible"
    return None


def _check(whole: Ledger, fresh: Ledger, as_of: Any, known_at: Any,
           wheres: list[Where], **filters: Any) -> None:
    """Every whole-ledger answer of ``whole``, as tuples and as columns, against the
    one-by-one answers of ``fresh`` (the same ledger, never asked anything)."""
    expected = _one_by_one(fresh, as_of, known_at, **filters)
    asked = {"as_of": as_of, "known_at": known_at, **filters}
    roll = whole.everyone(**asked)
    _columns_agree(roll.columns(), expected)
    assert roll.entities == tuple(a.entity for a in expected)
    assert roll.statuses == tuple(a.status for a in expected)
    assert roll.places == tuple(a.place for a in expected)
    assert list(roll) == expected
    unaccounted = whole.unaccounted(**asked)
    missing = [a for a in expected if isinstance(a.entity, Person)
               and a.status in (Status.UNKNOWN, Status.NOTHING_KNOWN, Status.DEPARTED)]
    assert unaccounted.entities == tuple(a.entity for a in missing)
    _columns_agree(unaccounted.columns(), missing)
    dead = whole.dead(**asked)
    assert dead.entities == tuple(a.entity for a in expected if a.status is Status.DECEASED)
    _columns_agree(dead.columns(), [a for a in expected if a.status is Status.DECEASED])
    for where in wheres:
        presence = whole.who_is_in(where, **asked)
        definite = [a for a in expected if _in(a, where) == "definite"]
        possible = [a for a in expected if _in(a, where) == "possible"]
        assert presence.definite.entities == tuple(  # type: ignore[attr-defined]
            a.entity for a in definite)
        assert presence.possible.entities == tuple(  # type: ignore[attr-defined]
            a.entity for a in possible)
        _columns_agree(presence.columns(), definite + possible,
                       [False] * len(definite) + [True] * len(possible))


def _copy(ledger: Ledger) -> Ledger:
    """The same ledger, rebuilt from its file: it was never asked anything."""
    import tempfile

    from whereabouts.io import load, save

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "copy.jsonl")
        save(ledger, path)
        return load(path)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(max_entities=6, max_entries=16), as_of=st.sampled_from(_DATES),
       known_at=st.sampled_from(_DATES), by_source=st.booleans(),
       min_grade=st.sampled_from([None, "B", "C3", "E"]))
def test_whole_ledger_answers_equal_the_one_by_one_answers(
    ledger: Ledger, as_of: str | None, known_at: str | None, by_source: bool,
    min_grade: str | None,
) -> None:
    fresh = _copy(ledger)
    assert fresh == ledger
    wheres: list[Where] = [Place.from_country("LB"), Place.from_country("SY")]
    wheres += [p for p, _ in ledger.registered_places][:2]
    wheres += _countryless(ledger)[:2]
    claims = ledger.observations
    sources = [claims[0].source.name] if by_source and claims else None
    _check(ledger, fresh, as_of, known_at, wheres, sources=sources, min_grade=min_grade)


def _countryless(ledger: Ledger) -> list[Where]:
    """The crafts and waters the ledger's claims name, in order."""
    found = {p.key: p for o in ledger.observations if o.place is not None
             for p in o.place.options if p.kind in (PlaceKind.CRAFT, PlaceKind.WATERS)}
    return list(found.values())


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    folder = tmp_path_factory.mktemp("generated")
    files = generate.write(generate.generate(3000, seed=7, places=80), folder)
    ours = Ours()
    ours.load(files)
    ledger: Ledger = ours.ledger
    _go_to_sea(ledger)
    return ledger


def _go_to_sea(ledger: Ledger) -> None:
    """Claims aboard a craft, at sea, and "at sea or in a city", for some of the
    generated people, with dates that overlap their own claims and others that
    come after them: answers in no country, and disputes with a country."""
    ship, sea = Place.craft("Admiral Kuznetsov"), Place.waters()
    ledger.register_place(ship)
    city = ledger.registered_places[0][0]
    wheres: list[Where] = [ship, sea, Alternatives.of(sea, city), ship]
    kinds = ["seen at", "departed", "arrived at", "heading to", "seen at"]
    dates = [("2019-06", "2019-07-01"), ("2019-06-15", "2019-12-31"), ("2022", "2023-01-02"),
             ("2015-02-01", "2015-02-02"), ("2030-01-01", "2030-01-02"), ("2019", "2020-01-01")]
    for n, person in enumerate(ledger.people[::5]):
        when, reported = dates[n % len(dates)]
        ledger.observe(person, kinds[n % len(kinds)], place=wheres[n % len(wheres)],
                       when=when, source="a navy source", reported=reported)


@pytest.mark.parametrize("as_of", [None, "2019-06-30", "2022", "2015-02"])
@pytest.mark.parametrize("known_at", [None, "2020-01-01"])
def test_generated_ledgers_agree(generated: Ledger, as_of: str | None,
                                 known_at: str | None) -> None:
    """A benchmark ledger: month- and year-precision dates, ``A | B`` places,
    unknowns, group claims and ``after`` links."""
    fresh = _copy(generated)
    countries = {c for p, _ in generated.registered_places for c in p.countries}
    wheres: list[Where] = [Place.from_country(c) for c in sorted(countries)[:3]]
    wheres += _countryless(generated)
    _check(generated, fresh, as_of, known_at, wheres)


def test_answers_read_after_a_change_must_be_asked_again() -> None:
    ledger = Ledger()
    amal = ledger.add_person("Amal Haddad")
    ledger.observe(amal, "seen at", place=Place.from_country("LB"), when="2024-03-01",
                   source="a wire", reported="2024-03-02")
    roll = ledger.everyone()
    ledger.observe(amal, "seen at", place=Place.from_country("SY"), when="2024-03-05",
                   source="a wire", reported="2024-03-06")
    assert roll.statuses == (Status.LOCATED,)  # the columns were worked out already
    with pytest.raises(RuntimeError, match="ask again"):
        roll.answers[0]
    assert ledger.everyone().places == (Place.from_country("SY"),)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(max_entities=5, max_entries=10))
def test_everyones_standing_is_kept_as_claims_arrive(ledger: Ledger) -> None:
    """Asked after every append, everyone() (kept up to date entity by entity)
    equals the answers of a ledger that was never asked anything."""
    growing = Ledger()
    for entity in ledger.entities:
        growing.add(entity)
    for relation in ledger.relations:
        growing.relate(relation.subject, relation.kind, relation.object, label=relation.label,
                       note=relation.note)
    for place, aliases in ledger.registered_places:
        growing.register_place(place, aliases=aliases)
    for entry in ledger.entries:
        growing.append(entry)
        roll = growing.everyone()
        fresh = _copy(growing)
        expected = _one_by_one(fresh, None, None)
        assert roll.statuses == tuple(a.status for a in expected)
        assert roll.places == tuple(a.place for a in expected)


def test_withdrawing_a_linked_claim_reopens_the_answers_it_narrowed() -> None:
    """Badr's Syria claim is dated only "2024", but recorded as coming after a
    claim about Amal of 5 December: that puts it after his June sighting in
    Russia. Once the Amal claim is retracted, nothing orders the two."""
    ledger = Ledger()
    amal, badr = ledger.add_person("Amal"), ledger.add_person("Badr")
    x = ledger.observe(amal, "seen at", place=Place.from_country("LB"), when="2024-12-05",
                       source="a wire", reported="2024-12-10")
    ledger.observe(badr, "seen at", place=Place.from_country("RU"), when="2024-06-01",
                   source="a wire", reported="2024-06-02")
    ledger.observe(badr, "seen at", place=Place.from_country("SY"), when="2024",
                   source="a wire", reported="2024-12-31", after=x)
    assert ledger.everyone().statuses == (Status.LOCATED, Status.LOCATED)
    assert ledger.last_known(badr).status is Status.LOCATED
    ledger.retract(x, source="a wire", reported="2025-01-02")
    assert ledger.everyone().statuses == (Status.NOTHING_KNOWN, Status.DISPUTED)
    assert ledger.last_known(badr).status is Status.DISPUTED


def test_places_in_no_country_agree_on_both_paths() -> None:
    """Each pair of claims that the whole-ledger path settles by its own rules
    (two atomic places: a city and a craft, a departure from one and a position
    at the other; the same craft twice; a craft against a country, a region or
    "at sea or in Cyprus"), at dates that tie, against the one-by-one answers."""
    ship, plane, sea = Place.craft("Admiral Kuznetsov"), Place.craft("RA-96016"), Place.waters()
    syria, cyprus = Place.from_country("SY"), Place.from_country("CY")
    latakia = Place.city("Latakia", country="SY", subdivision="SY-LA")
    base = Place.facility("Hmeimim air base", parent=latakia)
    levant = Place.region("the Levant", ["SY", "LB", "IL", "JO", "PS"])
    either = Alternatives.of(sea, cyprus)
    places = [ship, plane, sea, syria, latakia, base, levant, either]
    kinds = ["seen at", "departed", "heading to"]
    ledger = Ledger()
    for a in places:
        for b in places:
            for kind_a in kinds:
                for kind_b in kinds:
                    person = ledger.add_person(f"P{len(ledger.people)}")
                    for kind, where in ((kind_a, a), (kind_b, b)):
                        ledger.observe(person, kind, place=where, when="2024-12-08",
                                       source="a wire", reported="2024-12-09")
    three = ledger.add_person("Three claims")
    for where in (ship, ship, syria):
        ledger.observe(three, "seen at", place=where, when="2024-12", source="a wire",
                       reported="2025-01-01")
    fresh = _copy(ledger)
    statuses = {a.status for a in fresh.everyone()}
    assert {Status.LOCATED, Status.DISPUTED, Status.DEPARTED, Status.HEADING} <= statuses
    wheres: list[Where] = [*places, Place.from_country("RU"), Place.from_subdivision("SY-LA")]
    for as_of, known_at in ((None, None), ("2024-12-31", None), (None, "2024-12-31")):
        _check(ledger, _copy(ledger), as_of, known_at, wheres)


def _eager(ledger: Ledger) -> Ledger:
    """A copy of ``ledger`` that keeps no standing: each answer is worked out in full."""
    copy = _copy(ledger)
    copy._current = None
    return copy


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(max_entities=6, max_entries=16))
def test_last_known_from_the_standing_equals_the_full_answer(ledger: Ledger) -> None:
    """A freshly loaded ledger answers ``last_known`` from the standing its load
    built, the evidence worked out when first read: the same answer in every field,
    in its text and its hash."""
    lazy, eager = _copy(ledger), _eager(ledger)
    lazy.everyone()  # (a load of a few rows appends them one by one: no standing yet)
    for entity in (*lazy.people, *lazy.groups):
        expected = eager.last_known(entity.id)
        assert type(expected) is Whereabouts
        found = lazy.last_known(entity.id)
        assert lazy.last_known(entity.id) is found
        if isinstance(found, LaterWhereabouts):  # (else worked out in full with the standing)
            assert (found.entity, found.status, found.place) == (
                expected.entity, expected.status, expected.place)
            assert not found.worked_out  # entity, status and place came from the standing
            for field in attrs.fields(Whereabouts):
                assert getattr(found, field.name) == getattr(expected, field.name), field.name
            assert found.worked_out
        assert found == expected
        assert expected == found
        assert not found != expected  # noqa: SIM202  # (the reflected operator)
        assert repr(found) == repr(expected)
        assert str(found) == str(expected)
        assert hash(found) == hash(expected)
        assert copy.copy(found) == expected
        assert attrs.evolve(found, as_of=None) == expected


def test_answers_from_the_standing_keep_what_was_known_when_asked() -> None:
    """An answer read from the standing, its evidence not yet worked out, still says
    what the ledger said when it was asked after a claim or a membership arrives."""
    ledger = Ledger()
    amal = ledger.add_person("Amal Haddad")
    delegation = ledger.add_group("The Delegation")
    ledger.observe(amal, "seen at", place=Place.from_country("LB"), when="2024-03-01",
                   source="a wire", reported="2024-03-02")
    ledger.observe(delegation, "seen at", place=Place.from_country("SY"), when="2024-03-05",
                   source="a wire", reported="2024-03-06")
    ledger.everyone()  # the standing is kept from here on
    before = ledger.last_known(amal)
    assert isinstance(before, LaterWhereabouts)
    assert not before.worked_out
    ledger.relate(amal, "member of", delegation)
    assert before.worked_out
    second = ledger.last_known(amal)
    assert not isinstance(second, LaterWhereabouts) or second.worked_out
    ledger.observe(amal, "seen at", place=Place.from_country("RU"), when="2024-03-09",
                   source="a wire", reported="2024-03-10")
    assert [o.id for o in before.evidence] == ["o1"]
    assert before.place == Place.from_country("LB")
    assert second.place == Place.from_country("SY")
    assert ledger.last_known(amal).place == Place.from_country("RU")
    assert type(ledger.last_known(amal, as_of="2024-03-02")) is Whereabouts  # (as of: in full)


def test_a_bulk_load_answers_last_known_from_its_standing() -> None:
    """After a bulk load (``extend``), ``last_known`` reads the standing the load
    built and works the evidence out when first read."""
    from whereabouts import Kind, Source, When
    from whereabouts.batch import Batch

    ledger = Ledger()
    for pid, name in (("p1", "Amal Haddad"), ("p2", "Badr Nasser")):
        ledger.add_person(name, id=pid)
    lebanon, syria = Place.from_country("LB"), Place.from_country("SY")
    ledger.extend(Batch(
        subjects=[0, 1, 1], subject_table=[("p1",), ("p2",)], kinds=[0, 0, 0],
        kind_table=[Kind.SEEN_AT], places=[1, 1, 2], place_table=[None, lebanon, syria],
        whens=[0, 0, 1], when_table=[When.parse("2024-12-01"), When.parse("2024-12")],
        reported=[0, 0, 0], reported_table=[When.parse("2024-12-31")], sources=[0, 0, 0],
        source_table=[Source("a wire")]))
    found = ledger.last_known("p2")
    assert isinstance(found, LaterWhereabouts)
    assert not found.worked_out
    assert found.status is Status.DISPUTED
    expected = _eager(ledger).last_known("p2")
    assert found == expected
    assert str(found) == str(expected)


def test_the_pairs_beyond_the_subject_column_are_every_further_subject() -> None:
    """Claims naming one to four subjects, and a group's claims given to its members:
    the (row, entity) pairs ``_columnar._pairs`` reads at once, in the store's order."""
    from whereabouts._columnar import _pairs

    ledger = Ledger()
    people = [ledger.add_person(name, id=name.lower())
              for name in ("Amal", "Basma", "Chadi", "Dima", "Elias")]
    ledger.add_group("Family", id="family", members=["amal", "dima"])
    named = [["amal"], ["basma", "chadi"], ["dima", "amal", "elias", "basma"], ["chadi"],
             ["elias", "family", "basma"], ["family"]]
    for day, subjects in enumerate(named, start=1):
        ledger.observe(subjects, "seen at", place="Beirut", source="wire",
                       when=f"2024-12-{day:02d}")
    store = ledger._store
    number = {entity_id: n for n, entity_id in enumerate(store.entity_ids)}
    family, members = number["family"], [number[p.id] for p in people[::3]]
    rows, entities = _pairs(store, ledger._view(None)[0], [(m, family) for m in members])
    expected = [(row, number[s]) for row, subjects in enumerate(named) for s in subjects[1:]]
    expected += [(row, m) for m in members for row, subjects in enumerate(named)
                 if "family" in subjects]
    assert list(zip(rows.tolist(), entities.tolist(), strict=True)) == expected
    assert (rows.dtype, entities.dtype) == (np.int64, np.int32)
