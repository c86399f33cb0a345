"""What the queries answer, status by status, under uncertain order."""

from __future__ import annotations

import pytest

from whereabouts import Kind, Ledger, Place, Source, Status


@pytest.fixture
def case(ledger: Ledger) -> Ledger:
    for pid, name in [("amal", "Amal Haddad"), ("omar", "Omar Aziz"), ("rana", "Rana Saleh")]:
        ledger.add_person(name, id=pid)
    ledger.add_group("the convoy", id="convoy", members=["amal", "omar"])
    return ledger


SRC = Source("agency", published="2024-12-31")


def see(ledger: Ledger, who: object, kind: Kind | str, place: object = None,
        when: str | None = None, **extra: object) -> str:
    obs = ledger.observe(who, kind, place=place, when=when, source=SRC, **extra)  # type: ignore[arg-type]
    return obs.id


# -- last known -----------------------------------------------------------------


def test_located_with_since(case: Ledger, places: dict[str, Place]) -> None:
    see(case, "amal", "seen at", places["damascus"], "2024-12-01")
    see(case, "amal", "arrived at", places["moscow"], "2024-12-08")
    see(case, "amal", "seen at", places["moscow"], "2024-12-20")
    answer = case.last_known("amal")
    assert answer.status is Status.LOCATED
    assert answer.place == places["moscow"]
    assert answer.country == "RU"
    assert str(answer.since) == "2024-12-08"
    assert [o.id for o in answer.evidence] == ["o2", "o3"]


def test_heading_keeps_the_last_place_seen(case: Ledger, places: dict[str, Place]) -> None:
    see(case, "amal", "treated at", places["beirut"], "2024-12-10")
    see(case, "amal", "departed", places["beirut"], "2024-12-12")
    see(case, "amal", "heading to", places["dubai"], "2024-12-12", after="o2")
    answer = case.last_known("amal")
    assert answer.status is Status.HEADING
    assert answer.place == places["dubai"]
    assert answer.last_seen is not None
    assert answer.last_seen.place == places["beirut"]
    assert answer.headline == (
        "Amal Haddad: heading to Dubai (AE) (last placed in Beirut (LB)), since 2024-12-12"
    )


def test_departed_without_destination(case: Ledger, places: dict[str, Place]) -> None:
    see(case, "amal", "seen at", places["damascus"], "2024-12-01")
    see(case, "amal", "departed", places["SY"], "2024-12-05")
    answer = case.last_known("amal")
    assert answer.status is Status.DEPARTED
    assert answer.headline.startswith("Amal Haddad: left Syria")


def test_unknown_with_last_sighting(case: Ledger, places: dict[str, Place]) -> None:
    see(case, "rana", "seen at", places["SY"], "2020")
    see(case, "rana", "whereabouts unknown", None, "2024-12")
    answer = case.last_known("rana")
    assert answer.status is Status.UNKNOWN
    assert answer.last_seen is not None
    assert answer.last_seen.place == places["SY"]
    assert answer.headline == "Rana Saleh: whereabouts unknown; last placed in Syria"


def test_deceased_and_where(case: Ledger, places: dict[str, Place]) -> None:
    see(case, "omar", "heading to", places["LB"], "2024-12-08")
    see(case, "omar", "died", places["SY"], "2024-12-09")
    answer = case.last_known("omar")
    assert answer.status is Status.DECEASED
    assert answer.place == places["SY"]
    assert answer.headline == "Omar Aziz: died at Syria, 2024-12-09"


def test_death_absorbs_unordered_sightings(case: Ledger, places: dict[str, Place]) -> None:
    see(case, "omar", "seen at", places["beirut"], "2024-12")
    see(case, "omar", "died", None, "2024-12-15")
    assert case.last_known("omar").status is Status.DECEASED


def test_sighting_after_death_is_disputed_and_a_conflict(
    case: Ledger, places: dict[str, Place]
) -> None:
    see(case, "omar", "died", None, "2024-12-09")
    see(case, "omar", "seen at", places["dubai"], "2024-12-20")
    answer = case.last_known("omar")
    assert answer.status is Status.DISPUTED
    assert [c.status for c in answer.candidates] == [Status.DECEASED, Status.LOCATED]
    (conflict,) = case.conflicts("omar")
    assert "after dying" in conflict.reason


def test_two_claims_that_could_each_be_latest_are_disputed(
    case: Ledger, places: dict[str, Place]
) -> None:
    see(case, "amal", "seen at", places["beirut"], "2024-12")
    see(case, "amal", "seen at", places["dubai"], "2024-12-20")
    answer = case.last_known("amal")
    assert answer.status is Status.DISPUTED
    assert {c.place.name for c in answer.candidates if c.place} == {"Beirut", "Dubai"}
    assert answer.country is None
    assert answer.countries == {"LB", "AE"}
    assert "disputed: in Dubai (AE) | in Beirut (LB)" in str(answer)


def test_explicit_order_settles_what_dates_cannot(case: Ledger, places: dict[str, Place]) -> None:
    first = see(case, "amal", "seen at", places["beirut"], "2024-12")
    see(case, "amal", "seen at", places["dubai"], "2024-12", after=first)
    assert case.last_known("amal").place == places["dubai"]


def test_nested_places_agree(case: Ledger, places: dict[str, Place]) -> None:
    see(case, "amal", "seen at", places["AE"], "2024-12-20")
    see(case, "amal", "seen at", places["dubai"], "2024-12-20")
    answer = case.last_known("amal")
    assert answer.status is Status.LOCATED
    assert answer.place == places["dubai"]


def test_alternatives_stay_alternatives(case: Ledger, places: dict[str, Place]) -> None:
    see(case, "rana", "arrived at", [places["RU"], places["LY"]], "2024-12")
    answer = case.last_known("rana")
    assert answer.status is Status.LOCATED
    assert answer.headline == "Rana Saleh: in Russia or Libya, since 2024-12"
    assert answer.country is None
    assert answer.countries == {"RU", "LY"}


def test_group_claim_speaks_for_members_until_a_later_member_claim(
    case: Ledger, places: dict[str, Place]
) -> None:
    group_claim = see(case, "convoy", "arrived at", places["beirut"], "2024-12-08")
    assert case.last_known("omar").place == places["beirut"]
    see(case, "amal", "seen at", places["dubai"], "2024-12", after=group_claim)
    assert case.last_known("amal").place == places["dubai"]
    assert case.last_known("omar").place == places["beirut"]
    assert case.last_known("convoy").place == places["beirut"]


def test_as_of_and_pending(case: Ledger, places: dict[str, Place]) -> None:
    see(case, "amal", "seen at", places["damascus"], "2024-12-01")
    see(case, "amal", "departed", places["SY"], "../2024-12-08")
    on_the_5th = case.where("amal", "2024-12-05")
    assert on_the_5th.place == places["damascus"]
    assert [o.id for o in on_the_5th.pending] == ["o2"]
    assert "may have happened by then" in str(on_the_5th)
    assert case.where("amal", "2024-11-30").status is Status.NOTHING_KNOWN


def test_known_at_uses_only_what_was_reported(case: Ledger, places: dict[str, Place]) -> None:
    case.observe("amal", "seen at", place=places["beirut"], when="2024-12-09",
                 source="radio", reported="2024-12-09")
    case.observe("amal", "seen at", place=places["dubai"], when="2024-12-10",
                 source="radio", reported="2024-12-20")
    assert case.last_known("amal", known_at="2024-12-15").place == places["beirut"]
    assert case.last_known("amal").place == places["dubai"]


def test_reported_date_caps_open_windows(case: Ledger, places: dict[str, Place]) -> None:
    obs = case.observe("amal", "arrived at", place=places["moscow"], when="2024-12-08/..",
                       source="radio", reported="2024-12-08")
    assert obs.upper == obs.reported.upper
    assert case.where("amal", "2024-12-08").place == places["moscow"]


def test_injuries_are_shown_beside_the_place(case: Ledger, places: dict[str, Place]) -> None:
    flight = see(case, "rana", "heading to", places["LB"])
    see(case, "rana", "injured", None, None, after=flight)
    answer = case.last_known("rana")
    assert answer.status is Status.HEADING
    assert [o.kind for o in answer.conditions] == [Kind.INJURED]
    assert "also o2: undated injured" in str(answer)


# -- itinerary ------------------------------------------------------------------


def test_itinerary_orders_merges_and_marks_gaps(case: Ledger, places: dict[str, Place]) -> None:
    see(case, "rana", "seen at", places["SY"], "2020")
    see(case, "rana", "seen at", places["beirut"], "2024-12-10")
    see(case, "rana", "seen at", places["beirut"], "2024-12-11")
    see(case, "rana", "seen at", places["dubai"], "2024-12")
    trip = case.itinerary("rana")
    assert [s.place.name for s in trip if s.place] == ["Syria", "Beirut", "Dubai"]
    assert trip.stops[1].gap_before_days is not None
    assert trip.stops[1].gap_before_days > 1400
    assert [o.id for o in trip.stops[1].observations] == ["o2", "o3"]
    assert trip.stops[2].order_uncertain
    text = str(trip)
    assert "no evidence for about" in text
    assert "order against the stop above" in text


# -- who is where ---------------------------------------------------------------


def test_who_is_in_counts_cities_and_facilities_upwards(
    case: Ledger, places: dict[str, Place]
) -> None:
    see(case, "amal", "sheltering at", places["embassy"], "2024-12")
    see(case, "omar", "seen at", places["dubai"], "2024-12")
    see(case, "rana", "arrived at", [places["SY"], places["LB"]], "2024-12")
    in_syria = case.who_is_in(places["SY"])
    assert in_syria.names == ["Amal Haddad"]
    assert in_syria.possible_names == ["Rana Saleh"]
    assert case.who_is_in(places["damascus"]).names == ["Amal Haddad"]
    assert case.who_is_in(places["gulf"]).names == ["Omar Aziz"]
    assert case.who_is_in(places["RU"]).names == []


def test_who_is_in_lists_disputed_and_heading_as_possible(
    case: Ledger, places: dict[str, Place]
) -> None:
    see(case, "amal", "seen at", places["beirut"], "2024-12")
    see(case, "amal", "seen at", places["dubai"], "2024-12-20")
    see(case, "omar", "heading to", places["dubai"], "2024-12-20")
    found = case.who_is_in(places["AE"])
    assert found.names == []
    assert found.possible_names == ["Amal Haddad", "Omar Aziz"]


def test_unaccounted_and_dead(case: Ledger, places: dict[str, Place]) -> None:
    see(case, "amal", "whereabouts unknown", None, "2024-12")
    see(case, "omar", "died", None, "2024-12")
    assert case.unaccounted().names == ["Amal Haddad", "Rana Saleh"]
    assert case.dead().names == ["Omar Aziz"]
    assert case.unaccounted(known_at="2024-01-01").names == [
        "Amal Haddad", "Omar Aziz", "Rana Saleh"]


def test_companions(case: Ledger, places: dict[str, Place]) -> None:
    see(case, ["amal", "rana"], "departed", places["damascus"], "2024-12-07")
    see(case, "convoy", "arrived at", places["beirut"], "2024-12-08")
    found = {c.entity.id: [o.id for o in c.observations] for c in case.companions("amal")}
    assert found == {"rana": ["o1"], "convoy": ["o2"]}
    assert [c.entity.id for c in case.companions("rana")] == ["amal"]


def test_conflicts_need_overlap_and_different_countries(
    case: Ledger, places: dict[str, Place]
) -> None:
    see(case, "amal", "seen at", places["beirut"], "2024-12-10")
    see(case, "amal", "seen at", places["damascus"], "2024-12-10")
    see(case, "amal", "seen at", places["LB"], "2024-12-10")
    see(case, "amal", "seen at", places["dubai"], "2024-12-20")
    pairs = [{o.id for o in c.observations} for c in case.conflicts()]
    # Damascus against Beirut and against Lebanon; Beirut and Lebanon agree; Dubai is later.
    assert sorted(map(sorted, pairs)) == [["o1", "o2"], ["o2", "o3"]]
    assert "in Beirut (LB) and in Damascus (SY) at overlapping times" in str(case.conflicts()[0])


def test_group_conflicts_are_reported_once(case: Ledger, places: dict[str, Place]) -> None:
    see(case, "convoy", "seen at", places["beirut"], "2024-12-10")
    see(case, "convoy", "seen at", places["damascus"], "2024-12-10")
    assert [c.entity.id for c in case.conflicts()] == ["convoy"]
