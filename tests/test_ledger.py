"""The ledger's bookkeeping: entities, names, relations, appending, corrections, errors."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from whereabouts import (
    Alternatives,
    Group,
    Kind,
    Ledger,
    Person,
    Place,
    RelationKind,
    Source,
    Status,
)
from whereabouts.errors import (
    AmbiguousName,
    DuplicateId,
    InvalidDate,
    InvalidGrading,
    InvalidObservation,
    InvalidOrder,
    InvalidPlace,
    UnknownEntity,
    UnknownKind,
    UnknownObservation,
    WhereaboutsError,
)


@pytest.fixture
def assads(ledger: Ledger) -> Ledger:
    ledger.add_person("Bashar al-Assad", id="bashar")
    ledger.add_person("Maher al-Assad", id="maher")
    ledger.add_person("Hafez al-Assad", id="hafez")
    ledger.add_person("Bouthaina Shaaban", id="shaaban")
    ledger.add_group("aides", members=["shaaban"])
    return ledger


def snapshot(ledger: Ledger) -> tuple[object, ...]:
    return (ledger.entities, ledger.relations, ledger.entries)


# -- names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Bashar al-Assad", "bashar al assad", "Bashar Assad", "BASHAR  AL-ASSAD", "bashar"]
)
def test_names_ignore_case_spacing_hyphens_and_particles(assads: Ledger, name: str) -> None:
    assert assads.entity(name).id == "bashar"


def test_names_ignore_diacritics(ledger: Ledger) -> None:
    ledger.add_person("Bouthaïna Shaʿbān", id="b")
    assert ledger.entity("bouthaina shaban").id == "b"


def test_aliases_find_the_entity(ledger: Ledger) -> None:
    ledger.add_person("Bouthaina Shaaban", aliases=["Buthaina Shaaban"])
    assert ledger.entity("buthaina shaaban").name == "Bouthaina Shaaban"


def test_a_shared_name_is_ambiguous_and_lists_everyone(assads: Ledger) -> None:
    with pytest.raises(AmbiguousName) as info:
        assads.entity("Assad")
    assert {e.id for e in info.value.candidates} == {"bashar", "maher", "hafez"}
    assert "Bashar al-Assad (bashar)" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_part_of_a_name_that_fits_one_entity_finds_it(assads: Ledger) -> None:
    assert assads.entity("Maher").id == "maher"


def test_unknown_name(assads: Ledger) -> None:
    with pytest.raises(UnknownEntity, match="entity: 'Ali Mamlouk'"):
        assads.entity("Ali Mamlouk")


def test_entity_lookup_rejects_non_names(assads: Ledger) -> None:
    with pytest.raises(UnknownEntity, match="expected an entity"):
        assads.entity(42)  # type: ignore[arg-type]
    with pytest.raises(UnknownEntity, match="not in this ledger"):
        assads.entity(Person("ghost", "Ghost"))


def test_ids_default_to_slugs_and_stay_unique(ledger: Ledger) -> None:
    first = ledger.add_person("Ali Mamlouk")
    second = ledger.add_person("Ali Mamlouk")
    assert (first.id, second.id) == ("ali-mamlouk", "ali-mamlouk-2")


def test_duplicate_id_is_refused(assads: Ledger) -> None:
    before = snapshot(assads)
    with pytest.raises(DuplicateId, match="id: 'bashar'"):
        assads.add_person("Someone Else", id="bashar")
    assert snapshot(assads) == before


@pytest.mark.parametrize("bad", ["", " leading", "a" * 200, "semi;colon"])
def test_bad_ids_are_refused(ledger: Ledger, bad: str) -> None:
    with pytest.raises(InvalidObservation, match="id"):
        ledger.add_person("Someone", id=bad)


def test_blank_names_are_refused(ledger: Ledger) -> None:
    with pytest.raises(InvalidObservation, match="name"):
        ledger.add_person("  -- ")
    with pytest.raises(InvalidObservation, match="aliases"):
        ledger.add_person("Someone", aliases=["?"])


# -- relations ------------------------------------------------------------------


def test_relations_read_from_both_ends(assads: Ledger) -> None:
    assads.relate("hafez", "child", "bashar")
    assads.relate("shaaban", RelationKind.ADVISER, "bashar")
    assads.relate("maher", "sibling of", "bashar")
    from_bashar = {str(r) for r in assads.relations_of("bashar")}
    assert from_bashar == {
        "bashar parent of hafez", "bashar advised by shaaban", "bashar sibling of maher",
    }
    assert [str(r) for r in assads.relations_of("hafez")] == ["hafez child of bashar"]
    assert [r.object for r in assads.relations_of("bashar", "parent")] == ["hafez"]


def test_every_relation_kind_has_an_inverse() -> None:
    for kind in RelationKind:
        assert kind.inverse.inverse is kind


def test_free_form_relation_keeps_its_label(assads: Ledger) -> None:
    rel = assads.relate("shaaban", RelationKind.OTHER, "maher", label="spokeswoman for")
    assert str(rel) == "shaaban spokeswoman for maher"
    assert str(assads.relations_of("maher")[0]) == "maher spokeswoman for shaaban"


def test_membership(assads: Ledger) -> None:
    assads.add_group("inner circle", members=["aides"])
    assert [m.id for m in assads.members("aides")] == ["shaaban"]
    assert assads.groups_of("shaaban") == {"aides", "inner-circle"}
    assads.relate("aides", "has member", "hafez")
    assert "aides" in assads.groups_of("hafez")


def test_relation_errors(assads: Ledger) -> None:
    before = snapshot(assads)
    with pytest.raises(UnknownKind, match="kind: 'godfather'"):
        assads.relate("bashar", "godfather", "hafez")
    with pytest.raises(UnknownEntity, match="object"):
        assads.relate("bashar", "parent", "nobody")
    with pytest.raises(InvalidObservation, match="itself"):
        assads.relate("bashar", "parent", "bashar")
    with pytest.raises(InvalidObservation, match="membership needs a group"):
        assads.relate("bashar", "member of", "hafez")
    assert snapshot(assads) == before


# -- observations ---------------------------------------------------------------


def test_observe_returns_an_immutable_entry(assads: Ledger, places: dict[str, Place],
                                            paper: Source) -> None:
    obs = assads.observe(["bashar", "hafez"], "departed", place=places["damascus"],
                         when=dt.date(2024, 12, 7), source=paper, grading="b2")
    assert obs.subjects == ("bashar", "hafez")
    assert str(obs.when) == "2024-12-07"
    assert str(obs.reported) == "2024-12-31"
    assert obs.grading.code == "B2"
    with pytest.raises(AttributeError):
        obs.kind = Kind.DIED  # type: ignore[misc]
    assert assads.observation(obs.id) == obs  # rebuilt from columns: equal, not the same object


def test_alternatives_from_a_list(assads: Ledger, places: dict[str, Place],
                                  paper: Source) -> None:
    obs = assads.observe("maher", "reported at", place=[places["IQ"], places["RU"]], source=paper)
    assert isinstance(obs.place, Alternatives)
    assert str(obs.place) == "Iraq or Russia"


def test_every_kind_can_be_recorded(assads: Ledger, places: dict[str, Place],
                                    paper: Source) -> None:
    for kind in Kind:
        place = places["damascus"] if kind.allows_place else None
        obs = assads.observe("bashar", kind, place=place, when="2024-12-01", source=paper)
        assert obs.kind is kind
        assert obs.describe()
    assert Kind.coerce("Seen At") is Kind.SEEN_AT
    assert Kind.coerce("whereabouts_unknown") is Kind.WHEREABOUTS_UNKNOWN


def bad_observations(places: dict[str, Place]) -> list[tuple[dict[str, object], type, str]]:
    good: dict[str, object] = {"subjects": "bashar", "kind": "seen at",
                               "place": places["damascus"], "when": "2024-12-07"}
    return [
        ({**good, "kind": "teleported"}, UnknownKind, "kind: 'teleported'"),
        ({**good, "when": "2024-13-01"}, InvalidDate, "when: '2024-13-01'"),
        ({**good, "when": "2024-02-30"}, InvalidDate, "when: '2024-02-30'"),
        ({**good, "when": "yesterday"}, InvalidDate, "when: 'yesterday'"),
        ({**good, "when": "2024-12-08/2024-12-01"}, InvalidDate, "when: '2024-12-08/2024-12-01'"),
        ({**good, "when": 20241207}, InvalidDate, "when"),
        ({**good, "subjects": "nobody"}, UnknownEntity, "subjects: 'nobody'"),
        ({**good, "subjects": []}, InvalidObservation, "subjects"),
        ({**good, "subjects": ["bashar", "bashar"]}, InvalidObservation, "subjects"),
        ({**good, "place": None}, InvalidObservation, "place"),
        ({**good, "kind": "whereabouts unknown"}, InvalidObservation, "place"),
        ({**good, "place": 3.5}, InvalidPlace, "place"),
        ({**good, "grading": "G2"}, InvalidGrading, "grading: 'G2'"),
        ({**good, "grading": "A7"}, InvalidGrading, "grading: 'A7'"),
        ({**good, "after": "o99"}, UnknownObservation, "after: 'o99'"),
        ({**good, "when": "2025-01-02"}, InvalidObservation, "after it was reported"),
        ({**good, "reported": "someday"}, InvalidDate, "reported: 'someday'"),
        ({**good, "reported": "2024-12-01/.."}, InvalidObservation, "reported"),
        ({**good, "source": 7}, InvalidObservation, "source"),
        ({**good, "id": "o1"}, DuplicateId, "id: 'o1'"),
    ]


def test_bad_observations_leave_the_ledger_as_it_was(
    assads: Ledger, places: dict[str, Place], paper: Source
) -> None:
    assads.observe("bashar", "seen at", place=places["damascus"], when="2024-12-01", source=paper)
    for fields, error, message in bad_observations(places):
        before = snapshot(assads)
        kwargs = {"source": paper, **fields}
        subjects, kind = kwargs.pop("subjects"), kwargs.pop("kind")
        with pytest.raises(error, match=message) as info:
            assads.observe(subjects, kind, **kwargs)  # type: ignore[arg-type]
        assert isinstance(info.value, WhereaboutsError)
        assert snapshot(assads) == before, fields


def test_a_report_date_not_known_counts_only_without_known_at(
        assads: Ledger, places: dict[str, Place]) -> None:
    obs = assads.observe("bashar", "seen at", place=places["SY"], when="2024-12-20",
                         source="witnesses")
    assert obs.reported is None
    assert "report date unknown" in str(obs)
    assert assads.last_known("bashar").evidence[-1] == obs
    assert obs not in assads.last_known("bashar", known_at="2030-01-01").evidence


def test_retraction_and_denial_need_a_report_date(
        assads: Ledger, places: dict[str, Place]) -> None:
    obs = assads.observe("bashar", "seen at", place=places["SY"], when="2024-12-20",
                         source="witnesses")
    before = snapshot(assads)
    for withdraw in (assads.retract, assads.deny):
        with pytest.raises(InvalidObservation, match="reported"):
            withdraw(obs, source="witnesses")
    assert snapshot(assads) == before


def test_order_cycle_or_contradiction_is_refused(
    assads: Ledger, places: dict[str, Place], paper: Source
) -> None:
    early = assads.observe("bashar", "seen at", place=places["damascus"], when="2024-12-10",
                           source=paper)
    before = snapshot(assads)
    with pytest.raises(InvalidOrder, match="after"):
        assads.observe("bashar", "seen at", place=places["moscow"], when="2024-12-05",
                       source=paper, after=early)
    assert snapshot(assads) == before
    with pytest.raises(InvalidOrder, match="after itself"):
        assads.observe("bashar", "seen at", place=places["moscow"], source=paper,
                       id="loop", after=["loop"])
    # Links only reach entries already appended, so no longer cycle can form.
    with pytest.raises(UnknownObservation, match="after: 'later'"):
        assads.observe("bashar", "seen at", place=places["moscow"], source=paper,
                       id="sooner", after=["later"])


def test_corrections_and_retractions_follow_the_report_dates(
    assads: Ledger, places: dict[str, Place]
) -> None:
    first = assads.observe("bashar", "seen at", place=places["beirut"], when="2024-12-09",
                           source="agency", reported="2024-12-10")
    fix = assads.correct(first, place=places["dubai"], source="agency", reported="2024-12-12")
    assert fix.corrects == first.id
    assert fix.when == first.when
    assert assads.last_known("bashar", known_at="2024-12-11").place == places["beirut"]
    assert assads.last_known("bashar").place == places["dubai"]
    assads.retract(fix, source="agency", reported="2024-12-15", reason="misidentified")
    assert assads.last_known("bashar").status is Status.NOTHING_KNOWN
    assert assads.last_known("bashar", known_at="2024-12-13").place == places["dubai"]
    assert len(assads.entries) == 3  # nothing was removed
    with pytest.raises(UnknownObservation, match="target: 'o42'"):
        assads.retract("o42", source="agency", reported="2024-12-15")


@pytest.mark.parametrize("query", ["last_known", "itinerary", "companions", "conflicts"])
def test_query_dates_must_be_dates(assads: Ledger, query: str) -> None:
    with pytest.raises(InvalidDate, match="as_of: 'soon'"):
        getattr(assads, query)("bashar", as_of="soon")
    with pytest.raises(InvalidDate, match="known_at"):
        getattr(assads, query)("bashar", known_at=3.14)


def test_where_needs_a_date(assads: Ledger) -> None:
    with pytest.raises(InvalidDate, match="on"):
        assads.where("bashar", on=None)  # type: ignore[arg-type]


def test_known_at_before_any_report_is_not_an_error(
    assads: Ledger, places: dict[str, Place], paper: Source
) -> None:
    assads.observe("bashar", "seen at", place=places["damascus"], when="2024-12-01", source=paper)
    answer = assads.last_known("bashar", known_at="1999")
    assert answer.status is Status.NOTHING_KNOWN
    assert str(answer) == "Bashar al-Assad: nothing known"


def test_groups_and_people_are_entities(assads: Ledger) -> None:
    assert all(isinstance(p, Person) for p in assads.people)
    assert [g.id for g in assads.groups] == ["aides"]
    assert isinstance(assads.entity("aides"), Group)


def test_append_checks_entries_built_elsewhere(assads: Ledger, places: dict[str, Place],
                                               paper: Source) -> None:
    from whereabouts import Observation, Retraction

    good = Observation(id="e1", subjects=("bashar",), kind=Kind.SEEN_AT, place=places["SY"],
                       when="2024-12-01", source=paper, reported="2024-12-02")
    assert assads.append(good) is good
    before = snapshot(assads)
    cases: list[tuple[object, type[Exception], str]] = [
        (attrs.evolve(good, id="e2", subjects=("ghost",)), UnknownEntity, "subjects: 'ghost'"),
        (attrs.evolve(good, id="e2", corrects="nope"), UnknownObservation, "corrects: 'nope'"),
        (attrs.evolve(good, id="e2", after=("nope",)), UnknownObservation, "after: 'nope'"),
        (attrs.evolve(good, id="e2", when="2024-11-01", after=("e1",)), InvalidOrder, "after"),
        (good, DuplicateId, "id: 'e1'"),
        (attrs.evolve(good, id="bashar"), DuplicateId, "id: 'bashar'"),
        (Retraction(id="r1", target="nope", source=paper, reported="2024-12-03"),
         UnknownObservation, "target: 'nope'"),
        ("an observation", InvalidObservation, "entry"),
    ]
    for entry, error, message in cases:
        with pytest.raises(error, match=message):
            assads.append(entry)  # type: ignore[call-overload]
        assert snapshot(assads) == before


def test_equal_ledgers_and_registered_places(places: dict[str, Place], paper: Source) -> None:
    from .conftest import NoGazetteer

    def build() -> Ledger:
        ledger = Ledger(gazetteer=NoGazetteer())
        ledger.add_person("Amal Haddad", id="amal")
        ledger.register_place(places["base"], aliases=["the base"])
        ledger.observe("amal", "seen at", place=places["base"], when="2024-12", source=paper)
        return ledger

    first, second = build(), build()
    assert first == second
    assert first.registered_places == ((places["base"], ("the base",)),)
    second.add_person("Omar Aziz")
    assert first != second
    assert first != "a ledger"
    with pytest.raises(TypeError):
        hash(first)


def test_groups_of_groups_even_in_a_circle(ledger: Ledger, places: dict[str, Place],
                                          paper: Source) -> None:
    ledger.add_person("Amal Haddad", id="amal")
    ledger.add_group("crew", members=["amal"])
    ledger.add_group("convoy", members=["crew"])
    ledger.relate("convoy", "member of", "crew")  # a circle: each inside the other
    assert ledger.groups_of("amal") == {"crew", "convoy"}
    assert ledger.last_known("amal").status is Status.NOTHING_KNOWN  # cached
    ledger.observe("convoy", "arrived at", place=places["beirut"], when="2024-12", source=paper)
    assert ledger.last_known("amal").place == places["beirut"]
