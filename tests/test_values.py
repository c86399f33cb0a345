"""Value objects: places, sources, grading, entities, observations."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from whereabouts import (
    Alternatives,
    Credibility,
    Grading,
    Group,
    Kind,
    Observation,
    Person,
    Place,
    PlaceKind,
    Relation,
    RelationKind,
    Reliability,
    Retraction,
    Source,
    SourceKind,
)
from whereabouts.errors import (
    InvalidDate,
    InvalidGrading,
    InvalidObservation,
    InvalidOrder,
    InvalidPlace,
    UnknownKind,
    WhereaboutsError,
)

# -- places ---------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["LB", "lb", "LBN", "422", "Lebanon"])
def test_countries_from_codes_and_iso_names(ref: str) -> None:
    assert Place.from_country(ref).country == "LB"


@pytest.mark.parametrize("ref", ["XX", "Atlantis", "", "SU"])
def test_unknown_countries_are_refused(ref: str) -> None:
    with pytest.raises(InvalidPlace, match="country"):
        Place.from_country(ref)


def test_place_field_errors() -> None:
    with pytest.raises(InvalidPlace, match="country: 'ZZ'"):
        Place(name="Nowhere", kind=PlaceKind.CITY, country="ZZ")
    with pytest.raises(InvalidPlace, match="needs a country"):
        Place(name="Nowhere", kind=PlaceKind.CITY)
    with pytest.raises(InvalidPlace, match="subdivision: 'SY-XX'"):
        Place.city("Nowhere", country="SY", subdivision="SY-XX")
    with pytest.raises(InvalidPlace, match="not in country SY"):
        Place(name="Beirut", kind=PlaceKind.CITY, country="SY", subdivision="LB-BA")
    with pytest.raises(InvalidPlace, match="name"):
        Place(name=" ", kind=PlaceKind.COUNTRY, country="SY")
    with pytest.raises(InvalidPlace, match="only a region"):
        Place(name="Two", kind=PlaceKind.CITY, country="SY", countries={"SY", "LB"})
    with pytest.raises(InvalidPlace, match="countries"):
        Place.region("Nowhere land", ["SY", "QQ"])
    with pytest.raises(InvalidPlace, match="at least one country"):
        Place.region("Nowhere land", [])
    with pytest.raises(InvalidPlace, match="another country"):
        Place.city("Beirut", country="LB", parent=Place.from_country("SY"))
    with pytest.raises(InvalidPlace, match="parent"):
        Place.facility("Base", parent="Syria")  # type: ignore[arg-type]


@pytest.mark.parametrize("point", [(91, 0), (0, 181), (float("nan"), 0), (1, 2, 3), "north",
                                   ("a", "b"), 5])
def test_coordinates_out_of_range(point: object) -> None:
    with pytest.raises(InvalidPlace, match="point"):
        Place.city("Somewhere", country="SY", point=point)  # type: ignore[arg-type]


def test_containment(places: dict[str, Place]) -> None:
    assert places["embassy"].within(places["damascus"])
    assert places["embassy"].within(places["SY"])
    assert not places["embassy"].within(places["LB"])
    assert places["dubai"].within(places["gulf"])
    assert not places["gulf"].within(places["AE"])
    assert places["base"].within(Place.from_subdivision("SY-LA"))
    assert not Place.from_subdivision("SY-LA").within(places["base"])
    assert places["damascus"].overlaps(places["SY"])
    assert places["SY"].overlaps(places["damascus"])


def test_alternatives(places: dict[str, Place]) -> None:
    either = Alternatives.of(places["RU"], places["LY"])
    assert either.countries == {"RU", "LY"}
    assert either.country is None
    assert either.label == "Russia or Libya"
    assert places["moscow"].within(either)
    assert not either.within(places["RU"])
    assert either.possibly_within(places["RU"])
    with pytest.raises(InvalidPlace, match="two or more"):
        Alternatives.of(places["RU"])
    with pytest.raises(InvalidPlace, match="repeat"):
        Alternatives.of(places["RU"], places["RU"])


def test_craft_and_waters_are_in_no_country() -> None:
    ship = Place.craft("Admiral Kuznetsov")
    sea = Place.waters()
    assert repr(ship) == "Place('Admiral Kuznetsov', craft, -)"
    assert repr(sea) == "Place('international waters', waters, -)"
    assert (ship.kind, ship.country, ship.countries, ship.subdivision, ship.parent) == (
        PlaceKind.CRAFT, None, frozenset(), None, None)
    assert (sea.kind, sea.country, sea.countries) == (PlaceKind.WATERS, None, frozenset())
    assert (ship.label, str(ship), sea.label) == (
        "Admiral Kuznetsov", "Admiral Kuznetsov", "international waters")
    assert (ship.key, sea.key) == ("craft:admiral-kuznetsov", "waters:international-waters")
    assert Place.waters("the Black Sea").key == "waters:the-black-sea"
    assert Place.craft("Il-96 «Rossiya»").key == "craft:il-96-rossiya"
    plane = Place.craft("RA-96016", point=(55.97, 37.41), key="craft:ra96016")
    assert (plane.key, plane.point) == ("craft:ra96016", (55.97, 37.41))
    assert Place.waters("the Black Sea", key="sea:black").key == "sea:black"
    assert Place.craft("Admiral Kuznetsov") == ship
    assert Place.craft("Admiral Kuznetsov", point=(69.0, 33.0)) != ship


def test_craft_and_waters_lie_within_nothing_but_themselves(places: dict[str, Place]) -> None:
    ship, sea = Place.craft("Admiral Kuznetsov"), Place.waters()
    wide = [places["RU"], places["SY"], places["gulf"], Place.from_subdivision("SY-LA"),
            places["damascus"], places["base"], places["embassy"]]
    for place in (ship, sea):
        assert place.within(place)
        assert place.overlaps(place)
        assert place.within(Place.craft(place.name) if place is ship else Place.waters())
        for other in wide:
            assert not place.within(other), other
            assert not other.within(place), other
            assert not place.overlaps(other), other
            assert not other.overlaps(place), other
    assert not ship.within(sea)
    assert not sea.within(ship)
    assert not ship.overlaps(sea)
    assert not ship.within(Place.craft("Moskva"))
    same_key = Place.craft("the Kuznetsov", key="craft:admiral-kuznetsov")
    assert ship.within(same_key)  # one key, one place


def test_alternatives_may_include_a_place_in_no_country(places: dict[str, Place]) -> None:
    cyprus = Place.from_country("CY")
    either = Alternatives.of(Place.waters(), cyprus)
    assert either.possibly_within(cyprus)
    assert not either.within(cyprus)
    assert either.possibly_within(Place.waters())
    assert not either.within(Place.waters())
    assert either.countries == {"CY"}
    assert either.country is None  # not all of it is in Cyprus
    assert Alternatives.of(places["damascus"], places["base"]).country == "SY"
    assert either.label == "international waters or Cyprus"
    assert Place.waters().within(either)
    assert repr(either) == (
        "Alternatives(Place('international waters', waters, -), Place('Cyprus', country, CY))")


@pytest.mark.parametrize("kind", [PlaceKind.CRAFT, PlaceKind.WATERS])
def test_craft_and_waters_refuse_a_country_subdivision_or_parent(kind: PlaceKind) -> None:
    cases: list[tuple[dict[str, object], str, str]] = [
        ({"country": "RU"}, "country", "is in no country"),
        ({"countries": ["RU", "SY"]}, "countries", "is in no country"),
        ({"subdivision": "RU-MOW"}, "subdivision", "is in no subdivision"),
        ({"parent": Place.from_country("RU")}, "parent", "lies within no other place"),
        ({"parent": Place.craft("Admiral Kuznetsov")}, "parent", "lies within no other place"),
    ]
    for fields, field, words in cases:
        with pytest.raises(InvalidPlace, match=words) as caught:
            Place(name="Somewhere", kind=kind, **fields)  # type: ignore[arg-type]
        assert caught.value.field == field
        assert kind.value in str(caught.value)
    with pytest.raises(InvalidPlace) as caught:
        Place(name="Somewhere", kind=kind, country="ZZ")
    assert caught.value.field == "country"
    with pytest.raises(InvalidPlace, match="name"):
        Place(name=" - ", kind=kind)


def test_craft_and_waters_constructors_check_their_fields() -> None:
    with pytest.raises(InvalidPlace) as caught:
        Place.craft("")
    assert caught.value.field == "name"
    with pytest.raises(InvalidPlace) as caught:
        Place.waters(point=(91.0, 0.0))
    assert caught.value.field == "point"
    with pytest.raises(InvalidPlace) as caught:
        Place.craft("Admiral Kuznetsov", point="north")  # type: ignore[arg-type]
    assert caught.value.field == "point"


def test_nothing_lies_within_a_craft_or_waters() -> None:
    ship = Place.craft("Admiral Kuznetsov")
    for container in (ship, Place.waters()):
        with pytest.raises(InvalidPlace, match="nothing lies within a") as caught:
            Place.facility("the sick bay", parent=container)
        assert caught.value.field == "parent"
        with pytest.raises(InvalidPlace, match="nothing lies within a") as caught:
            Place.city("Floating town", country="RU", parent=container)
        assert caught.value.field == "parent"


def test_distance_needs_points(places: dict[str, Place]) -> None:
    assert 2400 < places["damascus"].distance_km(places["moscow"]) < 2500
    with pytest.raises(InvalidPlace, match="no coordinates"):
        places["SY"].distance_km(places["damascus"])


def test_places_are_immutable(places: dict[str, Place]) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        places["SY"].name = "Elsewhere"  # type: ignore[misc]


# -- sources and grading ----------------------------------------------------------


def test_relay_chain() -> None:
    origin = Source("a Kremlin source", kind=SourceKind.ANONYMOUS)
    outlet = Source("Caliber.Az", via=Source("Financial Times", via=origin))
    assert [s.name for s in outlet.chain] == ["a Kremlin source", "Financial Times", "Caliber.Az"]
    assert outlet.origin is origin
    assert repr(outlet) == "Source('a Kremlin source → Financial Times → Caliber.Az')"


def test_source_errors() -> None:
    with pytest.raises(InvalidObservation, match="source"):
        Source("  ")
    with pytest.raises(InvalidObservation, match="via"):
        Source("outlet", via="someone")  # type: ignore[arg-type]
    with pytest.raises(InvalidDate, match="published: 'last week'"):
        Source("outlet", published="last week")


def test_grading_axes() -> None:
    grade = Grading("C", 3)
    assert (grade.reliability, grade.credibility) == (Reliability.C, Credibility.POSSIBLY_TRUE)
    assert Grading.parse(" a1 ").code == "A1"
    assert sorted([Grading.parse("C3"), Grading.parse("A2"), Grading()],
                  key=lambda g: g.rank)[0].code == "A2"
    assert Grading().describe() == (
        "F6: reliability cannot be judged; information truth cannot be judged")


@pytest.mark.parametrize("code", ["G1", "A0", "A7", "AA", "", "B22", 12, None])
def test_grading_errors(code: object) -> None:
    with pytest.raises(InvalidGrading, match="grading"):
        Grading.parse(code)


def test_grading_axis_errors() -> None:
    with pytest.raises(InvalidGrading, match="reliability: 'Z'"):
        Grading("Z", 1)
    with pytest.raises(InvalidGrading, match="credibility: 0"):
        Grading("A", 0)
    with pytest.raises(InvalidGrading, match="credibility: True"):
        Grading("A", True)


# -- entities -------------------------------------------------------------------


def test_entities() -> None:
    person = Person("iyad", "Iyad Makhlouf", aliases="Eyad Makhlouf")
    assert person.names == ("Iyad Makhlouf", "Eyad Makhlouf")
    assert person.answers_to("eyad makhlouf")
    assert not person.answers_to("Ihab Makhlouf")
    assert repr(Group("g", "the aides")) == "Group('g', 'the aides')"


def test_relation_kinds_coerce() -> None:
    assert RelationKind.coerce("Member Of") is RelationKind.MEMBER_OF
    assert RelationKind.coerce("twin") is RelationKind.TWIN
    with pytest.raises(UnknownKind, match="relation kind"):
        RelationKind.coerce(3)
    assert Relation("a", "spouse", "b").inverse() == Relation("b", "spouse", "a")


# -- observations ---------------------------------------------------------------


def test_observation_window_is_capped_by_report() -> None:
    obs = Observation(id="x", subjects="a", kind=Kind.ARRIVED,
                      place=Place.from_country("RU"), when="2024-12-08/..",
                      source=Source("s"), reported="2024-12-09")
    assert obs.lower == obs.when.lower  # type: ignore[union-attr]
    assert obs.upper == obs.reported.upper
    undated = attrs.evolve(obs, when=None)
    assert undated.lower == float("-inf")
    assert undated.upper == obs.reported.upper


def test_observation_errors() -> None:
    base = {"id": "x", "subjects": ("a",), "kind": Kind.SEEN_AT,
            "place": Place.from_country("SY"), "source": Source("s"), "reported": "2024-12"}
    cases: list[tuple[dict[str, object], type[WhereaboutsError], str]] = [
        ({"subjects": 5}, InvalidObservation, "subjects"),
        ({"kind": "flew"}, UnknownKind, "kind: 'flew'"),
        ({"place": "Syria"}, InvalidObservation, "place"),
        ({"after": 3}, InvalidObservation, "after"),
        ({"after": ("x",)}, InvalidOrder, "after itself"),
        ({"after": ("bad id!",)}, InvalidObservation, "id"),
        ({"source": "s"}, InvalidObservation, "source"),
        ({"when": "2025"}, InvalidObservation, "when: '2025'"),
    ]
    for change, error, message in cases:
        with pytest.raises(error, match=message):
            Observation(**{**base, **change})  # type: ignore[arg-type]


def test_retraction_reads_well() -> None:
    entry = Retraction(id="r1", target="o1", source=Source("agency"), reported="2024-12-20",
                       reason="misidentified")
    assert str(entry) == "r1 retracts o1 (agency, reported 2024-12-20): misidentified"


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_names_fold_as_the_general_rule_folds_them(text: str) -> None:
    """fold() takes a shortcut for ASCII text; it must give the general rule's key."""
    import unicodedata

    from whereabouts._text import _GLUE, _LETTERS, _general, fold

    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS).translate(_GLUE))
    general = "".join(c.lower() if c.isalnum() else " " for c in decomposed
                      if not unicodedata.combining(c))
    assert fold(text) == " ".join(general.split()) == _general(text)


@given(st.text(max_size=40))
def test_fold_is_idempotent_and_latin_outside_the_abjads(text: str) -> None:
    """A key folds to itself; other scripts (Cyrillic, Greek, CJK...) come out as ASCII."""
    import re

    from whereabouts._text import fold

    key = fold(text)
    assert fold(key) == key
    word = r"[a-z0-9\u0590-\u07bf\u0860-\u08ff]+"  # ASCII, or letters of the abjads
    assert re.fullmatch(rf"(?:{word}(?: {word})*)?", key)
