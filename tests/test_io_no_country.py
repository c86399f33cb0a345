"""Places in no country (a craft, waters) in every file format: native, SQLite, CSV,
DataFrames, GeoJSON; written, read back, and refused when malformed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from whereabouts import Alternatives, Ledger, Place, Source
from whereabouts.io import (
    COLUMNS,
    LedgerFileError,
    SqliteLedger,
    copy_into,
    dumps,
    load,
    read_csv,
    save,
    to_csv,
    to_dataframe,
    to_geojson,
)

HEADER = '{"format": "whereabouts-ledger", "version": 1}'
SRC = Source("a navy source", published="2024-12-31")
SHIP = Place.craft("Admiral Kuznetsov", point=(69.07, 33.42), key="craft:kuznetsov")
PLANE = Place.craft("RA-96016")
SEA = Place.waters()
BLACK_SEA = Place.waters("the Black Sea")
CYPRUS = Place.from_country("CY")


def at_sea() -> Ledger:
    """Amal leaves Syria for a ship, goes to sea, is on a plane or in Cyprus."""
    ledger = Ledger()
    amal = ledger.add_person("Amal Haddad", id="amal")
    ledger.register_place(SHIP, aliases=["the Kuznetsov"])
    ledger.observe(amal, "departed", place="Syria", when="2024-12-08", source=SRC)
    ledger.observe(amal, "seen at", place="the Kuznetsov", when="2024-12-08", source=SRC)
    ledger.observe(amal, "arrived at", place="at sea", when="2024-12-09", source=SRC)
    ledger.observe(amal, "seen at", place=[BLACK_SEA, CYPRUS], when="2024-12-10", source=SRC)
    ledger.observe(amal, "seen at", place=PLANE, when="2024-12-11", source=SRC)
    return ledger


# -- native -------------------------------------------------------------------------


def test_native_round_trips_crafts_and_waters_exactly(tmp_path: Path) -> None:
    ledger = at_sea()
    save(ledger, tmp_path / "case.jsonl")
    again = load(tmp_path / "case.jsonl")
    assert again == ledger
    assert again.registered_places == ((SHIP, ("the Kuznetsov",)),)
    assert [o.place for o in again.observations] == [o.place for o in ledger.observations]
    assert again.last_known("amal").place == PLANE
    assert dumps(again) == dumps(ledger)
    records = [json.loads(line) for line in dumps(ledger).splitlines()[1:]]
    places = [r for r in records if r["type"] == "place"]
    assert {"type": "place", "id": "craft:kuznetsov", "name": "Admiral Kuznetsov",
            "kind": "craft", "point": [69.07, 33.42]} in places
    assert {"type": "place", "id": "waters:international-waters",
            "name": "international waters", "kind": "waters"} in places
    assert {"type": "place", "id": "craft:ra-96016", "name": "RA-96016",
            "kind": "craft"} in places
    assert dumps(ledger).splitlines()[0] == HEADER  # same record fields: still version 1


def place_file(tmp_path: Path, *places: str) -> Path:
    path = tmp_path / "hand.jsonl"
    path.write_text("\n".join([HEADER, *places]) + "\n", encoding="utf-8")
    return path


def test_a_hand_written_craft_loads(tmp_path: Path) -> None:
    path = place_file(
        tmp_path,
        '{"type": "person", "id": "amal", "name": "Amal Haddad"}',
        '{"type": "place", "id": "craft:kuznetsov", "name": "Admiral Kuznetsov", '
        '"kind": "craft"}',
        '{"type": "source", "id": "navy", "name": "a navy source"}',
        '{"type": "observation", "id": "o1", "subjects": ["amal"], "kind": "seen at", '
        '"place": ["craft:kuznetsov", "CY"], "source": "navy", "reported": "2024-12-10"}',
    )
    with pytest.raises(LedgerFileError, match="no place with this id"):
        load(path)  # CY is not defined above
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, '{"type": "place", "id": "CY", "name": "Cyprus", "kind": "country", '
                    '"country": "CY"}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ledger = load(path)
    ship = Place.craft("Admiral Kuznetsov", key="craft:kuznetsov")
    assert ledger.observation("o1").place == Alternatives.of(ship, CYPRUS)


@pytest.mark.parametrize(("extra", "field", "words"), [
    ('"country": "RU"', "country", "a craft is in no country"),
    ('"countries": ["RU"]', "countries", "a craft is in no country"),
    ('"subdivision": "RU-MOW"', "subdivision", "a craft is in no subdivision"),
    ('"parent": "RU"', "parent", "a craft lies within no other place"),
])
def test_a_craft_record_with_a_country_is_refused(tmp_path: Path, extra: str, field: str,
                                                   words: str) -> None:
    path = place_file(
        tmp_path,
        '{"type": "place", "id": "RU", "name": "Russia", "kind": "country", "country": "RU"}',
        '{"type": "place", "id": "craft:x", "name": "Admiral Kuznetsov", "kind": "craft", '
        + extra + "}",
    )
    with pytest.raises(LedgerFileError) as info:
        load(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.field) == (3, field)
    assert words in problem.message


def test_a_place_inside_a_craft_record_is_refused(tmp_path: Path) -> None:
    path = place_file(
        tmp_path,
        '{"type": "place", "id": "waters:x", "name": "the Black Sea", "kind": "waters"}',
        '{"type": "place", "id": "city:x", "name": "Floating town", "kind": "city", '
        '"country": "RU", "parent": "waters:x"}',
    )
    with pytest.raises(LedgerFileError) as info:
        load(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.field) == (3, "parent")
    assert "nothing lies within a waters" in problem.message


# -- SQLite -------------------------------------------------------------------------


def test_sqlite_round_trips_crafts_and_waters(tmp_path: Path) -> None:
    ledger = at_sea()
    with SqliteLedger.open(tmp_path / "case.db") as store:
        copy_into(ledger, store)
        assert store == ledger
        store.observe("amal", "seen at", place=SHIP, when="2024-12-12", source=SRC)
        expected = [o.place for o in store.observations]
    with SqliteLedger.open(tmp_path / "case.db") as again:
        assert [o.place for o in again.observations] == expected
        assert again.registered_places == ((SHIP, ("the Kuznetsov",)),)
        assert again.last_known("amal").place == SHIP
        assert again.who_is_in("the Kuznetsov").names == ["Amal Haddad"]
        assert again.who_is_in("Syria").names == []


# -- CSV ----------------------------------------------------------------------------


def test_csv_writes_a_craft_by_a_name_that_reads_back(tmp_path: Path) -> None:
    ledger = at_sea()
    text = to_csv(ledger)
    places = [line.split(",")[3] for line in text.splitlines()[1:]]
    # registered and gazetteer names as they are; the rest spelt with their kind
    assert places == ["Syria", "Admiral Kuznetsov", "international waters",
                      "waters: the Black Sea | Cyprus", "craft: RA-96016"]
    path = tmp_path / "case.csv"
    path.write_text(text, encoding="utf-8")
    target = Ledger()
    target.add_person("Amal Haddad", id="amal")
    target.register_place(SHIP)
    report = read_csv(path, target)
    assert report.ok
    assert [o.place for o in target.observations] == [o.place for o in ledger.observations]


def test_csv_reads_crafts_and_waters_spelt_with_their_kind(tmp_path: Path) -> None:
    path = tmp_path / "case.csv"
    path.write_text(
        ",".join(COLUMNS) + "\n"
        "a,Amal Haddad,seen at,Craft:Admiral Kuznetsov,2024-12-08,a wire,2024-12-09,,,,\n"
        "b,Amal Haddad,seen at,craft: the Kuznetsov,2024-12-08,a wire,2024-12-09,,,,\n"
        "c,Amal Haddad,seen at,WATERS :  the Black Sea ,2024-12-08,a wire,2024-12-09,,,,\n"
        "d,Amal Haddad,seen at,waters: international waters | Cyprus,2024-12-08,a wire,"
        "2024-12-09,,,,\n"
        "e,Amal Haddad,seen at,the high seas,2024-12-08,a wire,2024-12-09,,,,\n"
        "f,Amal Haddad,seen at,craft: Moskva,2024-12-08,a wire,2024-12-09,,,,\n",
        encoding="utf-8")
    ledger = Ledger()
    ledger.register_place(SHIP, aliases=["the Kuznetsov"])
    report = read_csv(path, ledger)
    assert report.ok
    got = {o.id: o.place for o in ledger.observations}
    assert got == {"a": SHIP, "b": SHIP, "c": BLACK_SEA, "d": Alternatives.of(SEA, CYPRUS),
                   "e": SEA, "f": Place.craft("Moskva")}
    answer = ledger.last_known("Amal Haddad")  # "at sea or in Cyprus" and "at sea": at sea
    assert [c.place for c in answer.candidates] == [SHIP, BLACK_SEA, SEA, Place.craft("Moskva")]
    assert ledger.who_is_in(SHIP).possible_names == ["Amal Haddad"]
    assert ledger.who_is_in(CYPRUS).possible_names == []


def test_csv_problems_with_a_craft_name(tmp_path: Path) -> None:
    path = tmp_path / "case.csv"
    path.write_text(
        ",".join(COLUMNS) + "\n"
        "a,Amal Haddad,seen at,craft:,2024-12-08,a wire,2024-12-09,,,,\n"
        "b,Amal Haddad,seen at,waters: --,2024-12-08,a wire,2024-12-09,,,,\n"
        "c,Amal Haddad,seen at,craft: Kursk,2024-12-08,a wire,2024-12-09,,,,\n"
        "d,Amal Haddad,seen at,craft:,2024-12-08,a wire,2024-12-09,,,,\n",
        encoding="utf-8")
    ledger = Ledger()
    ledger.register_place(Place.craft("Kursk", key="craft:kursk-1"), aliases=["K-141"])
    ledger.register_place(Place.craft("Kursk", key="craft:kursk-2"))
    with pytest.raises(LedgerFileError) as info:
        read_csv(path, ledger)
    found = [(p.line, p.column, p.field, p.message) for p in info.value.problems]
    assert found == [
        (2, 4, "place", "'craft:': a craft needs a name after 'craft:'"),
        (3, 4, "place", "'waters: --': a waters needs a name after 'waters:'"),
        (4, 4, "place", "'craft: Kursk': ambiguous: registered as craft:kursk-1; craft:kursk-2"),
        (5, 4, "place", "'craft:': a craft needs a name after 'craft:'"),
    ]


def test_read_frame_takes_the_same_spelling() -> None:
    pd = pytest.importorskip("pandas")
    from whereabouts.io import read_frame

    frame = pd.DataFrame({
        "id": ["a", "b"], "subjects": ["Amal Haddad"] * 2, "kind": ["departed", "seen at"],
        "place": ["Syria", "craft: Admiral Kuznetsov"], "when": ["2024-12-08"] * 2,
        "source": ["a wire"] * 2, "reported": ["2024-12-09"] * 2, "reliability": [None] * 2,
        "credibility": [None] * 2, "note": [None] * 2, "after": [None] * 2,
    })
    report = read_frame(frame)
    assert report.ok
    assert report.ledger.last_known("Amal Haddad").place == Place.craft("Admiral Kuznetsov")


# -- DataFrame and GeoJSON ------------------------------------------------------------


def test_to_dataframe_carries_the_kind_and_no_country() -> None:
    pd = pytest.importorskip("pandas")
    frame = to_dataframe(at_sea())
    rows = frame[["place", "place_key", "place_kind", "latitude"]]
    assert rows.loc["o2"].tolist() == ["Admiral Kuznetsov", "craft:kuznetsov", "craft", 69.07]
    assert rows.loc["o3"].tolist()[:3] == [
        "international waters", "waters:international-waters", "waters"]
    assert rows.loc["o4"].tolist()[:3] == [
        "the Black Sea | Cyprus", "waters:the-black-sea|CY", "waters|country"]
    assert frame["country"].map(pd.isna).tolist() == [False, True, True, True, True]
    assert rows.loc["o1", "place_kind"] == "country"


def test_geojson_features_carry_the_kind_and_a_null_country() -> None:
    collection = to_geojson(at_sea())
    features = {f["id"]: f for f in collection["features"] if "itinerary" not in f["id"]}
    assert list(features) == ["o2"]  # the ship has a point; the sea and the plane have none
    ship = features["o2"]
    assert ship["geometry"] == {"type": "Point", "coordinates": [33.42, 69.07]}
    assert ship["properties"]["place_kind"] == "craft"
    assert ship["properties"]["country"] is None
    assert ship["properties"]["place"] == "Admiral Kuznetsov"
    assert collection["skipped"] == 4
