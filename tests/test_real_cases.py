"""Real cases as reported (#9): stays, attempts, thresholds, denials, chosen sources,
narratives, unknown report dates, days, local calendar dates, the unaccounted for.

Each rule is checked through the public ``Ledger`` API, and every way to get one
wrong is refused with an error naming the field, leaving the ledger as it was.
The fast whole-ledger paths are compared with the one-by-one rules on generated
ledgers that use all of it.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whereabouts import Kind, Ledger, Place, Source, Status
from whereabouts.errors import (
    InvalidDate,
    InvalidGrading,
    InvalidObservation,
    UnknownSource,
    WhereaboutsError,
)
from whereabouts.observations import Denial, Observation

from .conftest import NoGazetteer

SY, LB, AE, RU = (Place.from_country(c) for c in ("SY", "LB", "AE", "RU"))
DAMASCUS = Place.city("Damascus", country="SY")
BEIRUT = Place.city("Beirut", country="LB")
PRISON = Place.facility("Adra prison", parent=DAMASCUS)
WIRE = Source("a wire", published="2025-01-31")


def snapshot(ledger: Ledger) -> tuple[object, ...]:
    return (ledger.entities, ledger.relations, ledger.entries)


@pytest.fixture
def karim() -> Ledger:
    ledger = Ledger(gazetteer=NoGazetteer())
    ledger.add_person("Karim Aziz", id="karim")
    ledger.add_person("Omar Saleh", id="omar")
    return ledger


# -- stays ---------------------------------------------------------------------


def test_a_stay_answers_its_place_on_every_day_inside_it(karim: Ledger) -> None:
    karim.observe("karim", "detained at", place=PRISON, when="2019-11-19/2020-03-06",
                  throughout=True, source="a rights group", reported="2020-04-01")
    assert karim.where("karim", "2019-11-18").status is Status.NOTHING_KNOWN
    for day in ("2019-11-19", "2019-12-31", "2020-03-05"):
        answer = karim.where("karim", day)
        assert (answer.status, answer.place) == (Status.LOCATED, PRISON), day
        assert str(answer.since) == "2019-11-19"
        assert not answer.pending
    assert karim.where("karim", "2020-03-06").status is Status.DEPARTED
    assert [w.entity.id for w in karim.who_is_in(SY, as_of="2020-01-10").definite] == ["karim"]
    assert karim.who_is_in(SY).names == []


def test_imprecise_ends_are_certain_only_between_them(karim: Ledger) -> None:
    stay = karim.observe("karim", "detained at", place=PRISON, when="2019-11/2020-03",
                         throughout=True, source="s", reported="2020-04-01")
    early = karim.where("karim", "2019-11-10")
    assert early.status is Status.NOTHING_KNOWN
    assert early.pending == (stay,)
    assert "may have begun by then" in str(early)
    late = karim.where("karim", "2020-03-10")
    assert late.status is Status.LOCATED
    assert "may have ended by then" in str(late)
    assert karim.where("karim", "2020-04").status is Status.DEPARTED


def test_an_all_of_set_is_a_stay_from_the_start_of_one_to_the_end_of_the_other(
        karim: Ledger) -> None:
    stay = karim.observe("karim", "detained at", place=PRISON, when="{2019-11..2020-03}",
                         source="s", reported="2020-04-01")
    assert stay.throughout
    assert karim.where("karim", "2019-11-01").status is Status.LOCATED
    assert karim.where("karim", "2020-03-31").status is Status.DEPARTED
    moved = karim.observe("omar", "departed", place=DAMASCUS, when="{2019-11..2020-03}",
                          source="s", reported="2020-04-01")
    assert not moved.throughout  # only a presence holds over a span


def test_an_open_stay_holds_until_a_later_claim_says_otherwise(karim: Ledger) -> None:
    karim.observe("karim", "detained at", place=PRISON, when="2019-04-11/..",
                  throughout=True, source="s", reported="2020-04-01")
    now = karim.last_known("karim")
    assert (now.status, now.place, now.pending) == (Status.LOCATED, PRISON, ())
    assert karim.where("karim", "2030-01-01").place == PRISON
    karim.observe("karim", "seen at", place=BEIRUT, when="2021", source="s",
                  reported="2022-01-01")
    assert karim.last_known("karim").place == BEIRUT
    # Before the report the stay certainly held: a sighting elsewhere then conflicts.
    karim.observe("karim", "seen at", place=BEIRUT, when="2019-06-01", source="t",
                  reported="2019-06-02")
    assert [c.reason for c in karim.conflicts("karim")] == [
        "in Beirut (LB) and in Adra prison (SY) at overlapping times"]


def test_a_stay_that_ended_leaves_them_unaccounted_for_and_last_placed_there(
        karim: Ledger) -> None:
    karim.observe("karim", "detained at", place=PRISON, when="2019-11-19/2020-03-06",
                  throughout=True, source="s", reported="2020-04-01")
    answer = karim.last_known("karim")
    assert answer.status is Status.DEPARTED
    assert answer.last_seen is not None
    assert answer.last_seen.place == PRISON
    assert str(answer.since) == "2020-03-06"
    assert karim.unaccounted().names == ["Karim Aziz", "Omar Saleh"]


def test_a_stay_is_one_stop_placed_by_its_start(karim: Ledger) -> None:
    karim.observe("karim", "seen at", place=BEIRUT, when="2019-06", source="s",
                  reported="2020-04-01")
    karim.observe("karim", "detained at", place=PRISON, when="2019-11-19/2020-03-06",
                  throughout=True, source="s", reported="2020-04-01")
    karim.observe("karim", "seen at", place=PRISON, when="2020-01-05", source="s",
                  reported="2020-04-01")
    stops = list(karim.itinerary("karim"))
    assert [s.place for s in stops] == [BEIRUT, PRISON]
    assert stops[1].stay
    assert [o.id for o in stops[1].observations] == ["o2", "o3"]


def test_two_stays_in_different_countries_that_certainly_overlap_conflict(
        karim: Ledger) -> None:
    karim.observe("karim", "detained at", place=PRISON, when="2019/2021", throughout=True,
                  source="s", reported="2022")
    karim.observe("karim", "reported at", place=BEIRUT, when="{2020-06..2020-07}",
                  source="t", reported="2022")
    karim.observe("karim", "reported at", place=BEIRUT, when="2019/2020",  # may not overlap
                  throughout=True, source="u", reported="2022")
    conflicts = karim.conflicts("karim")
    assert [sorted(o.id for o in c.observations) for c in conflicts] == [["o1", "o2"]]


@pytest.mark.parametrize(("fields", "error", "field"), [
    ({"kind": "departed", "place": SY, "when": "2019/2020", "throughout": True},
     InvalidObservation, "throughout"),
    ({"kind": "seen at", "place": SY, "when": None, "throughout": True},
     InvalidObservation, "when"),
    ({"kind": "seen at", "place": SY, "when": "2020-03-06/2019-11-19", "throughout": True},
     InvalidDate, "when"),
    ({"kind": "seen at", "place": SY, "when": "[2019,2020]", "throughout": True},
     InvalidObservation, "when"),
    ({"kind": "seen at", "place": SY, "when": "../2020", "throughout": True},
     InvalidObservation, "when"),
    ({"kind": "seen at", "place": SY, "when": "2019", "throughout": "yes"},
     InvalidObservation, "throughout"),
    ({"kind": "refused entry to", "when": "2019"}, InvalidObservation, "place"),
])
def test_bad_stays_and_attempts_are_refused_whole(
        karim: Ledger, fields: dict[str, Any], error: type[Exception], field: str) -> None:
    before = snapshot(karim)
    with pytest.raises(error) as info:
        karim.observe("karim", source="s", reported="2024", **fields)
    assert isinstance(info.value, WhereaboutsError)
    assert info.value.field == field
    assert snapshot(karim) == before


# -- attempts ------------------------------------------------------------------


@pytest.mark.parametrize("kind", [Kind.REFUSED_ENTRY, Kind.TURNED_BACK, Kind.CALLED_OFF])
def test_an_attempt_never_places_anyone_but_stays_on_record(karim: Ledger, kind: Kind) -> None:
    left = karim.observe("karim", "departed", place=DAMASCUS, when="2024-12-08", source=WIRE)
    tried = karim.observe("karim", kind, place=BEIRUT, when="2024-12-08", source=WIRE,
                          after=left)
    answer = karim.last_known("karim")
    assert (answer.status, answer.place) == (Status.DEPARTED, DAMASCUS)
    assert tried in answer.conditions
    assert "(not made)" in str(answer)
    assert [(s.place, s.made) for s in karim.itinerary("karim")] == [
        (DAMASCUS, True), (BEIRUT, False)]
    assert karim.who_is_in(LB).names == []
    assert karim.who_is_in(LB, on="2024-12-08").names == []
    assert karim.everyone().statuses[0] is Status.DEPARTED
    assert karim.conflicts() == ()


# -- thresholds and denials ----------------------------------------------------


@pytest.fixture
def rumoured(karim: Ledger) -> Ledger:
    karim.observe("karim", "seen at", place=BEIRUT, when="2024-12-10", source=WIRE,
                  grading="B2")
    karim.observe("karim", "reported at", place=AE, when="2024-12", source="a rumour",
                  reported="2024-12-31", grading="E5")
    return karim


def test_a_threshold_sets_weak_claims_aside(rumoured: Ledger) -> None:
    assert rumoured.last_known("karim").status is Status.DISPUTED
    answer = rumoured.last_known("karim", min_grade="C3")
    assert (answer.status, answer.place) == (Status.LOCATED, BEIRUT)
    assert [o.id for o in answer.also_reported] == ["o2"]
    assert rumoured.everyone(min_grade="C3").statuses[0] is Status.LOCATED
    assert rumoured.who_is_in(AE, min_grade="C").possible_names == []
    assert rumoured.who_is_in(AE).possible_names == ["Karim Aziz"]
    assert rumoured.last_known("karim", min_grade="5").status is Status.DISPUTED
    assert rumoured.last_known("karim", min_grade="2").place == BEIRUT


def test_a_ledger_default_threshold_and_overriding_it() -> None:
    ledger = Ledger(gazetteer=NoGazetteer(), min_grade="C3")
    ledger.add_person("Karim Aziz", id="karim")
    ledger.observe("karim", "seen at", place=BEIRUT, when="2024-12-10", source=WIRE)
    assert ledger.last_known("karim").status is Status.NOTHING_KNOWN  # F6 is below C3
    assert ledger.last_known("karim", min_grade="F6").place == BEIRUT
    assert ledger.everyone().statuses == (Status.NOTHING_KNOWN,)


@pytest.mark.parametrize("bad", ["G7", "C0", "", "CC", 3, None.__class__])
def test_a_threshold_that_is_not_a_grade_is_refused(rumoured: Ledger, bad: object) -> None:
    with pytest.raises(InvalidGrading) as info:
        rumoured.last_known("karim", min_grade=bad)  # type: ignore[arg-type]
    assert info.value.field == "min_grade"
    with pytest.raises(InvalidGrading):
        Ledger(min_grade=bad)  # type: ignore[arg-type]


def test_a_denial_takes_a_claim_out_from_its_report_date(rumoured: Ledger) -> None:
    denial = rumoured.deny("o2", source="her family", reported="2025-02-05", reason="false")
    assert isinstance(denial, Denial)
    assert str(denial) == "o3 denies o2 (her family, reported 2025-02-05): false"
    answer = rumoured.last_known("karim")
    assert answer.place == BEIRUT
    assert [o.id for o in answer.denied] == ["o2"]
    assert rumoured.last_known("karim", known_at="2025-02-04").status is Status.DISPUTED
    assert rumoured.who_is_in(AE).possible_names == []


def test_a_false_death_report_denied(karim: Ledger) -> None:
    karim.observe("karim", "seen at", place=BEIRUT, when="2024-12-10", source=WIRE)
    died = karim.observe("karim", "died", when="2025-01-20", source="a channel",
                         reported="2025-01-20")
    assert karim.dead().names == ["Karim Aziz"]
    karim.deny(died, source="his lawyer", reported="2025-01-22")
    assert karim.dead().names == []
    assert karim.dead(known_at="2025-01-21").names == ["Karim Aziz"]


def test_denying_something_not_in_the_ledger_is_refused(karim: Ledger) -> None:
    before = snapshot(karim)
    with pytest.raises(WhereaboutsError) as info:
        karim.deny("o99", source="x", reported="2025")
    assert info.value.field == "target"
    assert snapshot(karim) == before


# -- chosen sources ------------------------------------------------------------


def test_a_relayed_claim_counts_for_every_source_of_its_chain(karim: Ledger) -> None:
    ft = Source("Financial Times", via=Source("a Kremlin source"), published="2024-12-12")
    karim.observe("karim", "arrived at", place=RU, when="2024-12-09", source=ft)
    karim.observe("karim", "seen at", place=AE, when="2024-12-10", source=WIRE)
    for name in ("a kremlin source", "FINANCIAL TIMES", ft):
        assert karim.last_known("karim", sources=name).place == RU
    assert karim.last_known("karim", sources=["a wire", "Financial Times"]).place == AE
    assert karim.who_is_in(AE, sources=["Financial Times"]).names == []
    assert karim.itinerary("karim", sources="a wire").stops[0].place == AE


@pytest.mark.parametrize("bad", ["Finacial Times", ["a wire", "nobody"], "", [], [3]])
def test_an_unknown_source_in_a_filter_is_refused(karim: Ledger, bad: object) -> None:
    karim.observe("karim", "seen at", place=AE, when="2024-12-10", source=WIRE)
    with pytest.raises(UnknownSource) as info:
        karim.everyone(sources=bad)  # type: ignore[arg-type]
    assert info.value.field == "sources"


# -- narratives ----------------------------------------------------------------


def test_a_narrative_orders_its_claims_and_keeps_given_links(karim: Ledger) -> None:
    other = karim.observe("omar", "seen at", place=SY, when="2024-12", source=WIRE)
    story = karim.narrative()
    first = story.observe("karim", "seen at", place=DAMASCUS, when="2024-12", source=WIRE)
    second = story.observe("karim", "seen at", place=BEIRUT, when="2024-12", source=WIRE,
                           after=other)
    assert first.after == ()
    assert set(second.after) == {other.id, first.id}
    assert karim.last_known("karim").place == BEIRUT


def test_a_narrative_step_that_fails_records_nothing_and_keeps_the_chain(karim: Ledger) -> None:
    story = karim.narrative()
    first = story.observe("karim", "seen at", place=DAMASCUS, when="2024-12-10", source=WIRE)
    before = snapshot(karim)
    with pytest.raises(WhereaboutsError):  # after the 10th, but dated the 5th
        story.observe("karim", "seen at", place=BEIRUT, when="2024-12-05", source=WIRE)
    assert snapshot(karim) == before
    assert story.observe("karim", "seen at", place=BEIRUT, when="2024-12-12",
                         source=WIRE).after == (first.id,)


# -- unknown report dates ------------------------------------------------------


def test_an_unknown_report_date_counts_only_without_known_at(karim: Ledger) -> None:
    claim = karim.observe("karim", "seen at", place=BEIRUT, when="2024-12-10", source="a letter")
    assert claim.reported is None
    assert karim.last_known("karim").place == BEIRUT
    assert karim.last_known("karim", known_at="2100").status is Status.NOTHING_KNOWN
    assert karim.everyone(known_at="2100").statuses[0] is Status.NOTHING_KNOWN
    assert Observation(id="o9", subjects=("karim",), kind="seen at", place=BEIRUT,
                       when="2030", source=Source("x")).upper > 1e9  # nothing caps it


# -- days and local dates --------------------------------------------------------


@pytest.fixture
def flight(karim: Ledger) -> Ledger:
    colombo, male = Place.city("Colombo", country="LK"), Place.city("Malé", country="MV")
    karim.observe("karim", "seen at", place=colombo, when="2022-07-12", source=WIRE)
    karim.observe("karim", "departed", place=colombo, when="2022-07-13T03:00+05:30",
                  source=WIRE)
    karim.observe("karim", "arrived at", place=male, when="2022-07-13T04:00+05:00",
                  source=WIRE)
    return karim


def test_a_local_date_time_counts_on_the_day_written_in_it(flight: Ledger) -> None:
    assert flight.where("karim", "2022-07-12").country == "LK"
    assert flight.where("karim", "2022-07-13").country == "MV"
    assert flight.where("karim", "2022-07-12T23:30Z").country == "MV"  # an instant
    assert flight.during("karim", "2022-07-13").countries == ("LK", "MV")
    maldives = Place.from_country("MV")
    assert flight.who_is_in(maldives, on="2022-07-12").names == []
    assert flight.who_is_in(maldives, on="2022-07-13").names == ["Karim Aziz"]
    assert flight.everyone(as_of="2022-07-12").statuses[0] is Status.LOCATED
    assert flight.everyone(as_of="2022-07-12").places[0].country == "LK"


def test_a_local_date_time_west_of_utc_counts_on_its_own_earlier_day(karim: Ledger) -> None:
    karim.observe("karim", "arrived at", place=BEIRUT, when="2022-07-12T22:00-05:00",
                  source=WIRE)  # 03:00 UTC on the 13th
    assert karim.where("karim", "2022-07-12").place == BEIRUT
    assert karim.where("karim", "2022-07-13T02:00Z").status is Status.NOTHING_KNOWN
    assert karim.who_is_in(LB, on="2022-07-12").names == ["Karim Aziz"]
    assert karim.who_is_in(LB, as_of="2022-07-12").names == ["Karim Aziz"]


def test_during_a_day_and_its_errors(flight: Ledger) -> None:
    day = flight.during("karim", "2022-07-13")
    assert day.start.country == "LK"
    assert day.end.country == "MV"
    assert [s.place.name for s in day.stops if s.place] == ["Colombo", "Malé"]
    assert not day.possible
    with pytest.raises(InvalidObservation) as info:
        flight.during("karim", "2022-07-13/..")
    assert info.value.field == "day"
    with pytest.raises(InvalidDate):
        flight.during("karim", "the 13th")


def test_who_is_in_on_a_day_and_its_errors(flight: Ledger) -> None:
    sri_lanka = Place.from_country("LK")
    assert flight.who_is_in(sri_lanka, on="2022-07-13").names == ["Karim Aziz"]
    assert flight.who_is_in(sri_lanka, on="2022-07-14").names == []
    with pytest.raises(InvalidObservation) as info:
        flight.who_is_in(sri_lanka, on="2022-07-13", as_of="2022-07-13")
    assert info.value.field == "on"


def test_itinerary_between_dates_and_companions_of_a_day(karim: Ledger) -> None:
    karim.observe(["karim", "omar"], "departed", place=DAMASCUS, when="2024-12-08", source=WIRE)
    karim.observe(["karim", "omar"], "arrived at", place=BEIRUT, when="2024-12-09",
                  source=WIRE)
    karim.observe("karim", "seen at", place=AE, when="2024-12-20", source=WIRE)
    assert [s.place for s in karim.itinerary("karim", start="2024-12-09")] == [BEIRUT, AE]
    assert [s.place for s in karim.itinerary("karim", end="2024-12-09")] == [DAMASCUS, BEIRUT]
    assert [len(c.observations) for c in karim.companions("karim", on="2024-12-09")] == [1]
    assert karim.companions("karim", on="2024-12-20") == ()
    with pytest.raises(InvalidObservation) as info:
        karim.itinerary("karim", start="2024-12-10", end="2024-12-01")
    assert info.value.field == "end"


# -- the unaccounted for ---------------------------------------------------------


def test_last_placed_lists_a_disputed_last_placement(karim: Ledger) -> None:
    karim.observe("karim", "seen at", place=BEIRUT, when="2024-12", source=WIRE)
    karim.observe("karim", "seen at", place=DAMASCUS, when="2024-12-20", source=WIRE)
    karim.observe("karim", "whereabouts unknown", when="2025-01", source=WIRE)
    answer = karim.last_known("karim")
    assert answer.status is Status.UNKNOWN
    assert answer.last_seen is None
    assert {c.place for c in answer.last_placed} == {BEIRUT, DAMASCUS}


# -- the fast paths on ledgers with all of it ----------------------------------------

_PLACES = [SY, LB, DAMASCUS, BEIRUT, PRISON, [SY, LB]]
_WHENS = ["2024-12", "2024-12-07", "2024-12-08T23:00-05:00", "2024-12-08/..", None]
_STAYS = ["2024-12-01/2024-12-08", "2024-12/..", "{2024-12-05..2024-12-07}", "2024-12-07/"]


@st.composite
def busy_ledgers(draw: Any) -> Ledger:
    ledger = Ledger(gazetteer=NoGazetteer())
    for n in range(3):
        ledger.add_person(f"P{n}", id=f"p{n}")
    ledger.add_group("G", id="g", members=["p0", "p1"])
    sources = [Source("wire"), Source("paper", via=Source("insider"))]
    claims: list[str] = []
    for n in range(draw(st.integers(1, 10))):
        if claims and draw(st.integers(0, 7)) == 0:
            ledger.deny(draw(st.sampled_from(claims)), source="x",
                        reported=draw(st.sampled_from(["2024-12-09", "2024-12-31"])))
            continue
        kind = draw(st.sampled_from(list(Kind)))
        stay = kind.family.value == "presence" and draw(st.booleans())
        place = draw(st.sampled_from(_PLACES)) if kind.allows_place else None
        if place is None and kind.needs_place:
            place = SY
        try:
            claims.append(ledger.observe(
                draw(st.sampled_from(["p0", "p1", "p2", "g"])), kind, place=place,
                when=draw(st.sampled_from(_STAYS if stay else _WHENS)), throughout=stay,
                source=draw(st.sampled_from(sources)), reported="2024-12-31",
                grading=draw(st.sampled_from(["B2", "E5"])), id=f"o{n}",
                after=draw(st.lists(st.sampled_from(claims), max_size=1)) if claims else (),
            ).id)
        except WhereaboutsError:
            continue
    return ledger


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=busy_ledgers(), as_of=st.sampled_from([None, "2024-12-07", "2024-12-08"]),
       known_at=st.sampled_from([None, "2024-12-10"]),
       chosen=st.sampled_from([{}, {"min_grade": "C3"}, {"sources": ["insider"]}]))
def test_whole_ledger_answers_equal_the_one_by_one_answers(
        ledger: Ledger, as_of: str | None, known_at: str | None, chosen: dict[str, Any]) -> None:
    if "sources" in chosen and not any(o.source.cites("insider") for o in ledger.observations):
        return
    asked = {"as_of": as_of, "known_at": known_at, **chosen}
    expected = [ledger.last_known(e, **asked) for e in (*ledger.people, *ledger.groups)]
    fresh = Ledger(gazetteer=NoGazetteer())  # the same claims, never asked anything
    for entity in ledger.entities:
        fresh.add(entity)
    for relation in ledger.relations:
        fresh.relate(relation.subject, relation.kind, relation.object)
    for entry in ledger.entries:
        fresh.append(entry)
    roll = fresh.everyone(**asked)
    assert roll.statuses == tuple(a.status for a in expected)
    assert roll.places == tuple(a.place for a in expected)
    assert list(roll) == expected
    for where in (SY, LB):
        presence = fresh.who_is_in(where, **asked)
        definite = [a.entity for a in expected
                    if a.status is Status.LOCATED and a.place is not None
                    and a.place.within(where)]
        assert list(presence.definite.entities) == definite  # type: ignore[attr-defined]


def test_a_stay_begun_in_local_time_counts_from_its_local_day(karim: Ledger) -> None:
    karim.observe("karim", "sheltering at", place=BEIRUT, when="2022-07-13T03:00+05:30/..",
                  throughout=True, source=WIRE)  # 21:30 UTC on the 12th
    assert karim.where("karim", "2022-07-12").status is Status.NOTHING_KNOWN
    assert karim.where("karim", "2022-07-13").place == BEIRUT
    assert karim.where("karim", "2022-07-12T22:00Z").place == BEIRUT
    assert karim.who_is_in(LB, on="2022-07-12").names == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=busy_ledgers(), day=st.sampled_from(["2024-12-07", "2024-12-08", "2024-12"]),
       where=st.sampled_from([SY, LB, DAMASCUS]))
def test_who_was_in_a_place_during_a_day_equals_each_one_s_day(
        ledger: Ledger, day: str, where: Place) -> None:
    from whereabouts._reasoning import day_presence

    found = {e.id: day_presence(ledger.during(e, day), where)
             for e in (*ledger.people, *ledger.groups)}
    presence = ledger.who_is_in(where, on=day)
    assert [w.entity.id for w in presence.definite] == [
        k for k, v in found.items() if v == "definite"]
    assert [w.entity.id for w in presence.possible] == [
        k for k, v in found.items() if v == "possible"]
    assert all(w == ledger.where(w.entity, day) for w in presence.definite)


def test_a_correction_keeps_a_stay_a_stay_unless_told(karim: Ledger) -> None:
    stay = karim.observe("karim", "detained at", place=PRISON, when="2019-11-19/..",
                         throughout=True, source="s", reported="2020-04-01")
    fixed = karim.correct(stay, when="2019-11-19/2020-03-06", source="s", reported="2020-05-01")
    assert fixed.throughout
    assert karim.last_known("karim").status is Status.DEPARTED
    moved = karim.correct(fixed, kind="departed", source="s", reported="2020-06-01")
    assert not moved.throughout
    once = karim.correct(moved, kind="seen at", when="2020-03-06", throughout=False, source="s",
                         reported="2020-07-01")
    assert not once.throughout
