"""Places in no country (a craft, international waters) through the public Ledger API:
what agrees and what disputes, who is counted where, what conflicts."""

from __future__ import annotations

import pytest

from whereabouts import Alternatives, Ledger, Place, Source, Status

SRC = Source("agency", published="2024-12-31")
SHIP = Place.craft("Admiral Kuznetsov")
PLANE = Place.craft("RA-96016")
SEA = Place.waters()
SYRIA, RUSSIA, CYPRUS = (Place.from_country(c) for c in ("SY", "RU", "CY"))
LATAKIA = Place.city("Latakia", country="SY", subdivision="SY-LA")
MIDDLE_EAST = Place.region("the Middle East", ["SY", "LB", "CY", "IQ"])


@pytest.fixture
def case(ledger: Ledger) -> Ledger:
    for pid, name in [("amal", "Amal Haddad"), ("omar", "Omar Aziz"), ("rana", "Rana Saleh")]:
        ledger.add_person(name, id=pid)
    return ledger


def see(ledger: Ledger, who: str, kind: str, place: object, when: str | None,
        **extra: object) -> str:
    return ledger.observe(who, kind, place=place, when=when, source=SRC,  # type: ignore[arg-type]
                          **extra).id


# -- last known -----------------------------------------------------------------


def test_two_claims_aboard_the_same_craft_agree(case: Ledger) -> None:
    see(case, "amal", "seen at", SHIP, "2024-12")
    see(case, "amal", "reported at", Place.craft("Admiral Kuznetsov"), "2024-12-10")
    answer = case.last_known("amal")
    assert answer.status is Status.LOCATED
    assert answer.place == SHIP
    assert {o.id for o in answer.evidence} == {"o1", "o2"}
    assert answer.country is None
    assert answer.countries == frozenset()
    assert answer.headline == "Amal Haddad: in Admiral Kuznetsov, since 2024-12-10"


def test_aboard_a_craft_and_in_a_country_at_once_are_disputed(case: Ledger) -> None:
    see(case, "amal", "seen at", SHIP, "2024-12-10")
    see(case, "amal", "seen at", SYRIA, "2024-12-10")
    answer = case.last_known("amal")
    assert answer.status is Status.DISPUTED
    assert [c.place for c in answer.candidates] == [SHIP, SYRIA]
    assert answer.countries == {"SY"}


def test_aboard_two_crafts_or_a_craft_and_the_open_sea_are_disputed(case: Ledger) -> None:
    see(case, "amal", "seen at", SHIP, "2024-12-10")
    see(case, "amal", "seen at", PLANE, "2024-12-10")
    see(case, "omar", "seen at", SHIP, "2024-12-10")
    see(case, "omar", "seen at", SEA, "2024-12-10")
    assert case.last_known("amal").status is Status.DISPUTED
    assert case.last_known("omar").status is Status.DISPUTED


def test_a_later_claim_aboard_a_craft_is_the_answer(case: Ledger) -> None:
    see(case, "amal", "seen at", LATAKIA, "2024-12-07")
    see(case, "amal", "seen at", SHIP, "2024-12-09")
    answer = case.last_known("amal")
    assert (answer.status, answer.place, str(answer.since)) == (
        Status.LOCATED, SHIP, "2024-12-09")


def test_departed_a_country_then_aboard_a_craft_agree(case: Ledger) -> None:
    """The craft is not inside Syria, so leaving Syria fits being aboard it,
    whichever of the two (of the same day) came last."""
    see(case, "amal", "departed", SYRIA, "2024-12-08")
    see(case, "amal", "seen at", SHIP, "2024-12-08")
    answer = case.last_known("amal")
    assert (answer.status, answer.place) == (Status.LOCATED, SHIP)
    assert [o.id for o in answer.evidence] == ["o1", "o2"]
    # and the other way round: leaving the ship for Latakia
    see(case, "omar", "departed", SHIP, "2024-12-08")
    see(case, "omar", "arrived at", LATAKIA, "2024-12-08")
    assert (case.last_known("omar").status, case.last_known("omar").place) == (
        Status.LOCATED, LATAKIA)


def test_departed_a_craft_with_nothing_after(case: Ledger) -> None:
    see(case, "amal", "seen at", SHIP, "2024-12-07")
    see(case, "amal", "departed", SHIP, "2024-12-08")
    answer = case.last_known("amal")
    assert (answer.status, answer.place) == (Status.DEPARTED, SHIP)
    assert answer.last_seen is not None
    assert answer.last_seen.place == SHIP


def test_heading_to_a_craft_then_aboard_it(case: Ledger) -> None:
    see(case, "amal", "heading to", SHIP, "2024-12-08")
    assert case.last_known("amal").status is Status.HEADING
    see(case, "amal", "arrived at", SHIP, "2024-12-08")
    assert (case.last_known("amal").status, case.last_known("amal").place) == (
        Status.LOCATED, SHIP)
    see(case, "omar", "heading to", SYRIA, "2024-12-08")
    see(case, "omar", "seen at", SHIP, "2024-12-08")
    assert case.last_known("omar").status is Status.DISPUTED


def test_at_sea_or_in_cyprus(case: Ledger) -> None:
    see(case, "amal", "seen at", Alternatives.of(SEA, CYPRUS), "2024-12-08")
    answer = case.last_known("amal")
    assert answer.status is Status.LOCATED
    assert answer.place == Alternatives.of(SEA, CYPRUS)
    assert answer.country is None
    assert answer.countries == {"CY"}
    assert case.who_is_in(CYPRUS).possible_names == ["Amal Haddad"]
    assert case.who_is_in(CYPRUS).names == []
    assert case.who_is_in(SEA).possible_names == ["Amal Haddad"]
    assert case.who_is_in(MIDDLE_EAST).possible_names == ["Amal Haddad"]
    assert case.who_is_in(SYRIA).possible_names == []


# -- who is where -----------------------------------------------------------------


def test_who_is_in_a_country_never_counts_a_craft(case: Ledger) -> None:
    see(case, "amal", "seen at", SHIP, "2024-12-09")   # aboard: in no country
    see(case, "omar", "heading to", SHIP, "2024-12-09")  # on the way to it
    see(case, "rana", "seen at", SEA, "2024-12-09")
    for where in (SYRIA, RUSSIA, MIDDLE_EAST, Place.from_subdivision("SY-LA"), LATAKIA):
        found = case.who_is_in(where)
        assert (found.names, found.possible_names) == ([], []), where
    aboard = case.who_is_in(Place.craft("Admiral Kuznetsov"))
    assert aboard.names == ["Amal Haddad"]
    assert aboard.possible_names == ["Omar Aziz"]
    at_sea = case.who_is_in(SEA)
    assert (at_sea.names, at_sea.possible_names) == (["Rana Saleh"], [])
    assert case.who_is_in(PLANE).names == []


def test_a_dispute_between_a_craft_and_a_country_is_possible_there_only(case: Ledger) -> None:
    see(case, "amal", "seen at", SHIP, "2024-12-10")
    see(case, "amal", "seen at", SYRIA, "2024-12-10")
    assert case.who_is_in(SYRIA).possible_names == ["Amal Haddad"]
    assert case.who_is_in(SHIP).possible_names == ["Amal Haddad"]
    assert case.who_is_in(RUSSIA).possible_names == []  # a Russian ship is not Russia


def test_who_is_in_a_registered_craft_by_name() -> None:
    ledger = Ledger()
    amal = ledger.add_person("Amal Haddad")
    ledger.register_place(SHIP, aliases=["the Kuznetsov"])
    ledger.observe(amal, "seen at", place="the Kuznetsov", when="2024-12-09", source=SRC)
    assert ledger.who_is_in("Admiral Kuznetsov").names == ["Amal Haddad"]
    assert ledger.who_is_in("Russia").names == []
    assert ledger.last_known(amal).place == SHIP
    ledger.observe(amal, "seen at", place="at sea", when="2024-12-11", source=SRC)
    assert ledger.last_known(amal).place == SEA
    assert ledger.who_is_in("the high seas").names == ["Amal Haddad"]


def test_everyone_and_itinerary_carry_a_craft(case: Ledger) -> None:
    see(case, "amal", "seen at", LATAKIA, "2024-12-07")
    see(case, "amal", "seen at", SHIP, "2024-12-08")
    see(case, "amal", "seen at", SHIP, "2024-12-09")
    see(case, "amal", "arrived at", SEA, "2024-12-12")
    stops = case.itinerary("amal").stops
    assert [(s.place, len(s.observations)) for s in stops] == [(LATAKIA, 1), (SHIP, 2), (SEA, 1)]
    assert case.everyone().places[0] == SEA


# -- conflicts ----------------------------------------------------------------------


def test_conflicts_count_a_craft_as_a_country_of_its_own(case: Ledger) -> None:
    see(case, "amal", "seen at", SHIP, "2024-12-10")
    see(case, "amal", "seen at", Place.craft("Admiral Kuznetsov"), "2024-12-10")
    see(case, "amal", "seen at", SYRIA, "2024-12-10")
    see(case, "amal", "seen at", SEA, "2024-12-10")
    see(case, "amal", "seen at", Alternatives.of(SHIP, CYPRUS), "2024-12-10")
    pairs = sorted(sorted(o.id for o in c.observations) for c in case.conflicts())
    # the two ship claims agree, and "the ship or Cyprus" may be the ship;
    # the ship, Syria and the sea are three different "countries"
    assert pairs == [["o1", "o3"], ["o1", "o4"], ["o2", "o3"], ["o2", "o4"], ["o3", "o4"],
                     ["o3", "o5"], ["o4", "o5"]]
    reasons = {str(c.reason) for c in case.conflicts()}
    assert "in Admiral Kuznetsov and in Syria at overlapping times" in reasons


def test_a_craft_before_a_country_is_no_conflict(case: Ledger) -> None:
    see(case, "amal", "seen at", SHIP, "2024-12-08")
    see(case, "amal", "seen at", SYRIA, "2024-12-10")
    assert case.conflicts() == ()
