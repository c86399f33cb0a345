"""Text no file can store is refused where it comes in (issue 11, part 4).

A name holding a lone surrogate (text decoded with ``surrogateescape``) was
accepted, and every later save failed with UnicodeEncodeError: nothing
recorded after it could be written. Now each way in refuses it, naming the
field, and the ledger is left as it was and still saves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from whereabouts import Kind, Ledger, Person, Place, Relation, Retraction, Source
from whereabouts.entities import UnencodableText, check_encodable
from whereabouts.errors import InvalidObservation, InvalidPlace, WhereaboutsError
from whereabouts.io import SqliteLedger, dumps, load, save

BAD = b"Amal \xff".decode("utf-8", "surrogateescape")
"""A name with a byte that was not UTF-8: ``"Amal \\udcff"``."""
LB = Place.from_country("LB")


def base(ledger: Ledger) -> Ledger:
    amal = ledger.add_person("Amal Haddad", id="amal")
    ledger.observe(amal, Kind.SEEN_AT, place=LB, when="2024-12-09", source="a wire",
                   reported="2024-12-10", id="seen")
    return ledger


ATTEMPTS: dict[str, tuple[str, Callable[[Ledger], object]]] = {
    "person name": ("name", lambda lg: lg.add_person(BAD)),
    "person alias": ("aliases", lambda lg: lg.add_person("Nour", aliases=["Nour", BAD])),
    "person description": ("description", lambda lg: lg.add_person("Nour", description=BAD)),
    "person note": ("note", lambda lg: lg.add_person("Nour", note=BAD)),
    "group name": ("name", lambda lg: lg.add_group(BAD + " family")),
    "group note": ("note", lambda lg: lg.add_group("the family", note=BAD, members=["amal"])),
    "relation label": ("label", lambda lg: lg.relate("amal", "related to", "amal", label=BAD)),
    "relation note": ("note", lambda lg: lg.relate("amal", "related to", "amal", note=BAD)),
    "observation note": ("note", lambda lg: lg.observe(
        "amal", Kind.SEEN_AT, place=LB, source="a wire", reported="2025-01-01", note=BAD)),
    "source name": ("source", lambda lg: lg.observe(
        "amal", Kind.SEEN_AT, place=LB, source=BAD, reported="2025-01-01")),
    "source url": ("url", lambda lg: lg.observe(
        "amal", Kind.SEEN_AT, place=LB, reported="2025-01-01",
        source=Source("a wire", url="https://example.org/" + BAD))),
    "relayed source": ("source", lambda lg: lg.observe(
        "amal", Kind.SEEN_AT, place=LB, reported="2025-01-01",
        source=Source("a wire", via=Source(BAD)))),
    "place name": ("name", lambda lg: lg.observe(
        "amal", Kind.SEEN_AT, place=Place.city(BAD, country="LB"), source="a wire",
        reported="2025-01-01")),
    "place key": ("key", lambda lg: lg.observe(
        "amal", Kind.SEEN_AT, place=Place.region("the Levant", ["LB", "SY"], key=BAD),
        source="a wire", reported="2025-01-01")),
    "registered place": ("name", lambda lg: lg.register_place(
        Place.facility(BAD, parent=Place.city("Beirut", country="LB")))),
    "correction note": ("note", lambda lg: lg.correct(
        "seen", source="a wire", reported="2025-01-02", note=BAD)),
    "retraction reason": ("reason", lambda lg: lg.retract(
        "seen", source="a wire", reported="2025-01-02", reason=BAD)),
    "denial reason": ("reason", lambda lg: lg.deny(
        "seen", source="her family", reported="2025-01-02", reason=BAD)),
}


@pytest.fixture(params=["memory", "sqlite"])
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Ledger]:
    if request.param == "memory":
        yield base(Ledger())
        return
    with SqliteLedger.open(tmp_path / "case.db") as store:
        yield base(store)


@pytest.mark.parametrize("attempt", sorted(ATTEMPTS))
def test_refused_at_the_door(ledger: Ledger, attempt: str, tmp_path: Path) -> None:
    field, change = ATTEMPTS[attempt]
    before = dumps(ledger)
    with pytest.raises(UnencodableText) as info:
        change(ledger)
    assert info.value.field == field
    assert "cannot be written as UTF-8" in str(info.value)
    assert "U+DCFF" in str(info.value)
    assert isinstance(info.value, WhereaboutsError | InvalidObservation | InvalidPlace)
    assert dumps(ledger) == before  # nothing was added
    save(ledger, tmp_path / "after.jsonl")  # and everything still saves
    assert load(tmp_path / "after.jsonl") == ledger
    if isinstance(ledger, SqliteLedger):
        with SqliteLedger.open(ledger.path, create=False) as again:
            assert again == ledger


def test_the_values_themselves() -> None:
    with pytest.raises(UnencodableText, match=r"^name: "):
        Person("amal", BAD)
    with pytest.raises(UnencodableText, match=r"^source: "):
        Source(BAD)
    with pytest.raises(UnencodableText, match=r"^name: "):
        Place.city(BAD, country="LB")
    with pytest.raises(UnencodableText, match=r"^note: "):
        Relation("amal", "child of", "nour", note=BAD)
    with pytest.raises(UnencodableText, match=r"^reason: "):
        Retraction(id="r1", target="o1", source=Source("a wire"), reported="2025-01-01",
                   reason=BAD)
    with pytest.raises(InvalidPlace):  # what Place's callers already catch
        Place.city(BAD, country="LB")


@pytest.mark.parametrize("text", [chr(0xD800), chr(0xDFFF), "a\ud83d\ude00b",
                                  "x" * 1000 + chr(0xDC80)])
def test_every_surrogate_is_refused(text: str) -> None:
    with pytest.raises(UnencodableText) as info:
        check_encodable(text, "note")
    assert info.value.field == "note"


@pytest.mark.parametrize("text", ["", "Amal", "Ḥaddād", "😀", "\u0000", "\uffff", "\U0010ffff",
                                  "e\u0301", "\u202e"])
def test_odd_but_storable_text_is_kept(text: str, tmp_path: Path) -> None:
    ledger = Ledger()
    ledger.add_person("Amal Haddad", id="amal", note=text, description=text)
    save(ledger, tmp_path / "odd.jsonl")
    assert load(tmp_path / "odd.jsonl") == ledger


def test_a_registered_alias_and_a_batch_note_are_refused_too() -> None:
    from whereabouts.batch import Batch
    from whereabouts.entities import UnencodableText

    ledger = Ledger()
    ledger.add_person("Amal Haddad", id="amal")
    with pytest.raises(UnencodableText) as info:
        ledger.register_place(Place.city("Byblos", country="LB"), aliases=["B\udcff"])
    assert info.value.field == "aliases"
    assert ledger.registered_places == ()
    from whereabouts import When

    batch = Batch(
        subjects=[0], subject_table=[("amal",)], kinds=[0], kind_table=[Kind.SEEN_AT],
        places=[0], place_table=[Place.from_country("LB")],
        whens=[0], when_table=[When.parse("2024-12-01")],
        reported=[0], reported_table=[When.parse("2024-12-02")],
        sources=[0], source_table=[Source("a wire")], notes={0: "x\udcff"},
    )
    with pytest.raises(UnencodableText):
        ledger.extend(batch)
    assert len(ledger) == 0
