"""The native file: round trip, stable text, atomic saves, and every kind of bad file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from whereabouts import Kind, Ledger, Place, Source
from whereabouts.examples import assad_2024
from whereabouts.io import LedgerFileError, dumps, load, read, save

from .conftest import NoGazetteer

HEADER = '{"format": "whereabouts-ledger", "version": 1}\n'


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    path = tmp_path / "seed.jsonl"
    save(assad_2024(), path)
    return path


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(LedgerFileError) as info:
        load(path)
    assert info.value.path == str(path)
    return [str(p) for p in info.value.problems]


def test_the_seed_round_trips(seed_file: Path) -> None:
    ledger = load(seed_file)
    seed = assad_2024()
    assert ledger == seed
    assert str(ledger.everyone()) == str(seed.everyone())
    assert ledger.place("Khmeimim air base") == seed.place("Khmeimim air base")


def test_the_file_is_stable_and_appending_appends_lines(seed_file: Path, paper: Source) -> None:
    before = lines_of(seed_file)
    ledger = load(seed_file)
    save(ledger, seed_file)
    assert lines_of(seed_file) == before
    ledger.observe("rami", Kind.SEEN_AT, place=Place.city("Minsk", country="BY"),
                   source=paper, after="rami-unknown")
    save(ledger, seed_file)
    after = lines_of(seed_file)
    assert after[: len(before)] == before
    assert [json.loads(line)["type"] for line in after[len(before):]] == [
        "place", "place", "source", "observation"]


def test_relay_chains_are_written_once_and_referred_to(seed_file: Path) -> None:
    records = [json.loads(line) for line in lines_of(seed_file)[1:]]
    sources = {r["id"]: r for r in records if r["type"] == "source"}
    assert sources["caliber-az"]["via"] == "financial-times"
    assert sources["financial-times"]["via"] == "people-familiar-with-events"
    flight = next(r for r in records if r.get("id") == "flight")
    assert flight["source"] == "caliber-az"


def test_two_places_with_one_key_stay_distinct(tmp_path: Path, paper: Source) -> None:
    ledger = Ledger(gazetteer=NoGazetteer())
    ledger.add_person("Amal", id="amal")
    damascus = Place.city("Damascus", country="SY")
    one = Place.facility("the base", parent=damascus, key="site:x")
    two = Place.facility("the base", parent=damascus, key="site:x", point=(33.5, 36.3))
    for place in (one, two):
        ledger.observe("amal", Kind.SEEN_AT, place=place, source=paper)
    path = tmp_path / "x.jsonl"
    save(ledger, path)
    ids = [json.loads(line)["id"] for line in lines_of(path)[1:]
           if json.loads(line)["type"] == "place"]
    assert ids[-2:] == ["site:x", "site:x#2"]
    assert load(path) == ledger


def test_retractions_and_corrections_survive(tmp_path: Path, paper: Source) -> None:
    ledger = Ledger(gazetteer=NoGazetteer())
    ledger.add_person("Amal", id="amal")
    first = ledger.observe("amal", Kind.SEEN_AT, place=Place.from_country("LB"), source=paper)
    ledger.correct(first, source=paper, place=Place.from_country("SY"))
    ledger.retract(first, source=paper, reason="misread")
    path = tmp_path / "x.jsonl"
    save(ledger, path)
    assert load(path) == ledger
    assert json.loads(lines_of(path)[-1]) == {
        "type": "retraction", "id": "o3", "target": "o1", "source": "the-daily-example",
        "reported": "2024-12-31", "reason": "misread"}


def test_a_save_leaves_no_temporary_file_and_keeps_permissions(seed_file: Path) -> None:
    seed_file.chmod(0o640)
    save(load(seed_file), seed_file)
    assert [p.name for p in seed_file.parent.iterdir()] == ["seed.jsonl"]
    assert seed_file.stat().st_mode & 0o777 == 0o640


def test_a_failed_save_leaves_the_old_file(seed_file: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    before = seed_file.read_bytes()

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", fail)
    with pytest.raises(OSError, match="No space left"):
        save(Ledger(), seed_file)
    assert seed_file.read_bytes() == before
    assert [p.name for p in seed_file.parent.iterdir()] == ["seed.jsonl"]


# -- bad files ------------------------------------------------------------------------


def test_invalid_json_on_line_57(seed_file: Path) -> None:
    lines = lines_of(seed_file)
    lines[56] = lines[56][:-1]  # drop the closing brace
    found = problems(write(seed_file, *lines))
    assert found[0] == f"57: invalid JSON at column {len(lines[56]) + 1}: Expecting ',' delimiter"
    assert all(": no place with this id is defined above" in p for p in found[1:])


def test_a_truncated_file_says_so(seed_file: Path) -> None:
    data = seed_file.read_bytes()
    seed_file.write_bytes(data[: len(data) // 2])
    (problem,) = problems(seed_file)
    assert problem.startswith(f"{len(data[: len(data) // 2].splitlines())}: invalid JSON")
    assert problem.endswith("the file looks cut short")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(
        tmp_path / "bad.jsonl", HEADER.strip(),
        '{"type": "person", "id": "amal", "name": "Amal"}',
        '{"type": "person", "id": "amal", "name": "Amal again"}',
        '{"type": "source", "id": "s", "name": "wire"}',
        '{"type": "place", "id": "LB", "name": "Lebanon", "kind": "country", "country": "LB"}',
        '{"type": "observation", "id": "o1", "subjects": ["amal"], "kind": "flew to", '
        '"place": "LB", "source": "s", "reported": "2024-12-10", "grading": "B2"}',
        '{"type": "observation", "id": "o2", "subjects": ["amal"], "kind": "seen at", '
        '"place": "LB", "when": "2024-13-01", "source": "s", "reported": "2024-12-10"}',
        '{"type": "observation", "id": "o3", "subjects": ["nobody"], "kind": "seen at", '
        '"place": "LB", "source": "s", "reported": "2024-12-10"}',
        '{"type": "observation", "id": "o4", "subjects": ["amal"], "kind": "seen at", '
        '"place": "LB", "source": "s", "reported": "2024-12-10", "after": ["o9"]}',
        '{"type": "observation", "id": "o5", "subjects": ["amal"], "kind": "seen at", '
        '"place": "XX", "source": "t", "reported": "2024-12-10"}',
        '{"type": "retraction", "id": "r1", "target": "o7", "source": "s", '
        '"reported": "2024-12-11"}',
        '{"type": "observation", "id": "amal", "subjects": ["amal"], "kind": "died", '
        '"source": "s", "reported": "2024-12-10", "colour": "red"}',
        '{"type": "observation", "id": "amal", "subjects": ["amal"], "kind": "died", '
        '"source": "s", "reported": "2024-12-10"}',
        '["not", "an", "object"]',
        '{"type": "sighting"}',
    )
    assert problems(path) == [
        "3: id: 'amal': id already in the ledger",
        "6: kind: 'flew to': not a kind of observation (known: 'seen at', 'reported at', "
        "'arrived at', 'passed through', 'sheltering at', 'detained at', 'treated at', "
        "'granted asylum in', 'departed', 'heading to', 'attacked', 'injured', 'died', "
        "'whereabouts unknown', 'refused entry to', 'turned back on the way to', "
        "'called off going to')",
        "7: when: '2024-13-01': month 13 does not exist",
        "8: subjects: 'nobody': no person or group has this id",
        "9: after: 'o9': no such observation in the ledger",
        "10: place: 'XX': no place with this id is defined above",
        "11: target: 'o7': no such observation in the ledger",
        "12: colour: unknown field 'colour'",
        "13: id: 'amal': id already in the ledger",
        "14: expected a JSON object, not a list",
        "15: type: 'sighting': not a record type (known: person, relation, place, registered, "
        "source, observation, retraction, denial, group)",
    ]


def test_keep_valid_keeps_the_valid_records(tmp_path: Path) -> None:
    path = write(
        tmp_path / "bad.jsonl", HEADER.strip(),
        '{"type": "person", "id": "amal", "name": "Amal"}',
        '{"type": "person", "id": "b@d", "name": "Bad id"}',
        '{"type": "group", "id": "crew", "name": "the crew"}',
    )
    ledger = load(path, keep_valid=True)
    assert [e.id for e in ledger.entities] == ["amal", "crew"]
    report = read(path)
    assert [str(p) for p in report.problems] == [
        "3: id: 'b@d': an id is 1-128 letters, digits or . _ : - and starts with a letter "
        "or digit"]
    assert not report.ok
    assert report.read == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file: a ledger starts with its header line"),
        (b"  \n\n", "empty file: a ledger starts with its header line"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "3: binary data (a NUL byte): not a ledger file"),
        (b'{"format": "whereabouts-ledger", "version": 1}\n\xff\xfe',
         "2: not UTF-8 text (byte 0xff): not a ledger file"),
        (b"SQLite format 3\x00" + bytes(100),
         "a SQLite file, not a native ledger file: open it with SqliteLedger.open"),
        (b"id,subjects,kind\n", '1: not a whereabouts ledger: the first line must be the header '
                                '{"format": "whereabouts-ledger", "version": 1}'),
        (b'{"format": "whereabouts-ledger", "version": 3}\n{"type": "hologram"}\n',
         "1: version: 3: written by a newer whereabouts (this one reads format version 2 and "
         "older); upgrade whereabouts to read it"),
        (b'{"format": "whereabouts-ledger", "version": "1"}\n',
         "1: version: '1': not a format version"),
    ],
)
def test_files_that_are_not_ledgers(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "case.jsonl"
    path.write_bytes(content)
    assert problems(path) == [message]


def test_a_missing_file(tmp_path: Path) -> None:
    assert problems(tmp_path / "nowhere.jsonl") == [
        "cannot read the file: No such file or directory"]


def test_the_error_names_the_file_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path / "case.jsonl", HEADER.strip(),
                 '{"type": "person", "id": "amal", "name": ""}')
    with pytest.raises(LedgerFileError) as info:
        load(path)
    assert str(info.value) == f"{path}:2: name: '': a name must contain a letter or digit"
    (problem,) = info.value.problems
    assert (problem.line, problem.column, problem.field) == (2, None, "name")


def test_a_bom_and_crlf_are_read(tmp_path: Path, seed_file: Path) -> None:
    text = seed_file.read_text(encoding="utf-8").replace("\n", "\r\n")
    path = tmp_path / "windows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load(path) == assad_2024()


def test_dumps_is_what_save_writes(seed_file: Path) -> None:
    assert seed_file.read_text(encoding="utf-8") == dumps(assad_2024())


# -- stays, unknown report dates, denials and attempts (format version 2) ----------------


def storied_ledger() -> Ledger:
    """A ledger with every fact format version 2 added."""
    ledger = Ledger(gazetteer=NoGazetteer())
    ledger.add_person("Amal", id="amal")
    evin = Place.facility("Evin prison", parent=Place.city("Tehran", country="IR"))
    lb, ae = Place.from_country("LB"), Place.from_country("AE")
    undated = Source("a neighbour")  # no published date: its report date is not known
    ledger.observe("amal", Kind.DETAINED, place=evin, when="2024-11-19/2025-03-06",
                   source="a lawyer", reported="2025-03-10", throughout=True, id="held")
    ledger.observe("amal", Kind.DETAINED, place=evin, when="{2024-11-19..2025-03-06}",
                   source="a lawyer", reported="2025-03-10", id="held-set")
    ledger.observe("amal", Kind.SEEN_AT, place=lb, when="{2025-03-08..2025-03-09}",
                   source="a lawyer", reported="2025-03-10", throughout=False, id="glimpsed")
    story = ledger.narrative()
    story.observe("amal", Kind.SEEN_AT, place=lb, when="2025-03-12", source=undated, id="port")
    story.observe("amal", Kind.REFUSED_ENTRY, place=ae, when="2025-03-14", source=undated,
                  id="refused")
    ledger.deny("port", source="the harbour master", reported="2025-03-20",
                reason="not her", id="no")
    return ledger


def test_stays_unknown_report_dates_denials_and_attempts_round_trip(tmp_path: Path) -> None:
    ledger = storied_ledger()
    path = tmp_path / "case.jsonl"
    save(ledger, path)
    again = load(path, gazetteer=NoGazetteer())
    assert again == ledger
    assert again.entries == ledger.entries
    assert str(again.last_known("amal")) == str(ledger.last_known("amal"))
    lines = lines_of(path)
    assert lines[0] == '{"format": "whereabouts-ledger", "version": 2}'
    records = {r.get("id"): r for r in map(json.loads, lines[1:])}
    assert records["held"]["throughout"] is True
    assert "throughout" not in records["held-set"]  # a stay by its date: the default
    assert records["glimpsed"]["throughout"] is False
    assert records["port"]["reported"] is None
    assert records["refused"]["after"] == ["port"]
    assert records["no"] == {"type": "denial", "id": "no", "target": "port",
                             "source": "the-harbour-master", "reported": "2025-03-20",
                             "reason": "not her"}
    save(again, path)
    assert lines_of(path) == lines  # saving a loaded file changes no line


@pytest.mark.parametrize("change", [
    lambda ledger: ledger.observe("amal", Kind.SEEN_AT, place=Place.from_country("LB"),
                                  when="2024-12-01/2024-12-05", throughout=True,
                                  source="x", reported="2024-12-10"),
    lambda ledger: ledger.observe("amal", Kind.SEEN_AT, place=Place.from_country("LB"),
                                  source="x"),
    lambda ledger: ledger.observe("amal", Kind.CALLED_OFF, place=Place.from_country("LB"),
                                  source="x", reported="2024-12-10"),
    lambda ledger: ledger.deny("o1", source="x", reported="2024-12-10"),
])
def test_a_file_is_version_2_only_when_it_needs_to_be(tmp_path: Path,
                                                      change: Any) -> None:
    ledger = Ledger(gazetteer=NoGazetteer())
    ledger.add_person("Amal", id="amal")
    ledger.observe("amal", Kind.SEEN_AT, place=Place.from_country("LB"),
                   when="{2024-11-19..2024-11-30}", source="x", reported="2024-12-10")
    assert dumps(ledger).startswith(HEADER)  # a stay by its date alone: version 1 says it
    change(ledger)
    assert dumps(ledger).startswith('{"format": "whereabouts-ledger", "version": 2}\n')


def test_a_version_1_file_loads_and_saves_back_unchanged(tmp_path: Path) -> None:
    path = write(
        tmp_path / "old.jsonl", HEADER.strip(),
        '{"type": "person", "id": "amal", "name": "Amal"}',
        '{"type": "place", "id": "LB", "name": "Lebanon", "kind": "country", "country": "LB"}',
        '{"type": "source", "id": "x", "name": "x", "published": "2024-12-31"}',
        '{"type": "observation", "id": "o1", "subjects": ["amal"], "kind": "seen at", '
        '"place": "LB", "when": "2024-12-01", "source": "x", "reported": "2024-12-31", '
        '"grading": "F6"}',
        '{"type": "observation", "id": "o2", "subjects": ["amal"], "kind": "seen at", '
        '"place": "LB", "when": "{2024-12-02..2024-12-05}", "source": "x", '
        '"reported": "2024-12-31", "grading": "F6", "after": ["o1"]}',
        '{"type": "retraction", "id": "o3", "target": "o1", "source": "x", '
        '"reported": "2024-12-31"}',
    )
    before = path.read_text(encoding="utf-8")
    ledger = load(path)
    assert [o.throughout for o in ledger.observations] == [False, True]
    assert ledger.observation("o1").reported is not None
    save(ledger, path)
    assert path.read_text(encoding="utf-8") == before


def test_bad_version_2_records_name_their_line_and_field(tmp_path: Path) -> None:
    path = write(
        tmp_path / "bad.jsonl", '{"format": "whereabouts-ledger", "version": 2}',
        '{"type": "person", "id": "amal", "name": "Amal"}',
        '{"type": "place", "id": "LB", "name": "Lebanon", "kind": "country", "country": "LB"}',
        '{"type": "source", "id": "x", "name": "x"}',
        '{"type": "observation", "id": "o1", "subjects": ["amal"], "kind": "seen at", '
        '"place": "LB", "when": "2024-12-01", "source": "x", "reported": null}',
        '{"type": "observation", "id": "o2", "subjects": ["amal"], "kind": "seen at", '
        '"place": "LB", "when": "2024-12-01/2024-12-04", "source": "x", "reported": null, '
        '"throughout": "yes"}',
        '{"type": "observation", "id": "o3", "subjects": ["amal"], "kind": "departed", '
        '"place": "LB", "when": "2024-12-05", "source": "x", "reported": null, '
        '"throughout": true}',
        '{"type": "observation", "id": "o4", "subjects": ["amal"], "kind": "seen at", '
        '"place": "LB", "when": "{2024-12-01,2024-12-04}", "source": "x", '
        '"reported": "2024-12-10", "throughout": true}',
        '{"type": "observation", "id": "o5", "subjects": ["amal"], "kind": "seen at", '
        '"place": "LB", "source": "x"}',
        '{"type": "denial", "id": "o6", "source": "x", "reported": "2024-12-10"}',
        '{"type": "denial", "id": "o7", "target": "o1", "source": "x", "reported": null}',
        '{"type": "denial", "id": "o8", "target": "o9", "source": "x", "reported": "2024-12"}',
        '{"type": "denial", "id": "o10", "target": "o1", "source": "x", '
        '"reported": "2024-12", "colour": "red"}',
        '{"type": "denial", "id": "o11", "target": "o1", "source": "x", "reported": "2024-12"}',
    )
    assert problems(path) == [
        "6: throughout: 'yes': expected true or false, not str",
        "7: throughout: True: only a presence can hold throughout a span, not 'departed'",
        "8: when: '{2024-12-01,2024-12-04}': a stay needs one span: an interval A/B, a set "
        "{A..B}, or a single date",
        "9: reported: missing (null if not known)",
        "10: target: missing",
        "11: reported: missing",
        "12: target: 'o9': no such observation in the ledger",
        "13: colour: unknown field 'colour'",
    ]
    assert [e.id for e in load(path, keep_valid=True).entries] == ["o1", "o11"]
