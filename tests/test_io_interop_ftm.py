"""FollowTheMoney export checked entity by entity with the followthemoney package's own
model, and FtM Person entities read back into a ledger."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from whereabouts import Kind, Ledger, Place, Source
from whereabouts.entities import RelationKind
from whereabouts.examples import assad_2024
from whereabouts.io import LedgerFileError, read_ftm, to_ftm, write_ftm
from whereabouts.io.ftm import ftm_id
from whereabouts.when import When

from .conftest import NoGazetteer
from .strategies import ledgers

NEEDS_FTM = "the FtM checks need followthemoney: pip install -e '.[interop]'"


@pytest.fixture(scope="module")
def model() -> Any:
    ftm = pytest.importorskip("followthemoney", reason=NEEDS_FTM)
    return ftm.model


def check_entities(model: Any, entities: list[dict[str, Any]], *, clean: bool = True) -> None:
    """Every entity as followthemoney reads it: a known, concrete schema; a valid id, once;
    only that schema's properties, each value valid for its type (and, with ``clean``,
    left as it is by FtM's own cleaning); the required properties; and every reference
    to an entity of the export whose schema fits the property's range."""
    from followthemoney import registry

    by_id = {e["id"]: e for e in entities}
    assert len(by_id) == len(entities), "an id is used twice"
    for entity in entities:
        assert set(entity) == {"id", "schema", "properties"}
        schema = model.get(entity["schema"])
        assert schema is not None, entity["schema"]
        assert not schema.abstract
        assert registry.entity.validate(entity["id"]), entity["id"]
        assert schema.validate(entity) is None  # raises InvalidData on a bad value
        for name, values in entity["properties"].items():
            prop = schema.get(name)
            assert prop is not None, f"{entity['schema']} has no property {name!r}"
            assert values, name
            for value in values:
                assert isinstance(value, str)
                assert prop.type.validate(value), (name, value)
                if prop.type is registry.entity:
                    target = by_id[value]  # a reference to an entity of the export
                    assert model.get(target["schema"]).is_a(prop.range), (name, value)
        for name in schema.required:
            assert entity["properties"].get(name), f"{entity['schema']} needs {name}"
        proxy = model.get_proxy(entity, cleaned=False)  # FtM's own cleaning of every value
        assert proxy.schema is schema
        if clean:
            assert proxy.to_dict()["properties"] == entity["properties"]


def test_bundled_example_is_valid_ftm(model: Any) -> None:
    entities = list(to_ftm(assad_2024()))
    check_entities(model, entities)
    schemata = [e["schema"] for e in entities]
    assert schemata.count("Person") == 10
    assert schemata.count("Organization") == 4
    assert schemata.count("Event") == 23
    assert {"Family", "Associate", "Membership"} <= set(schemata)


def test_people_relations_and_claims() -> None:
    entities = {e["id"]: e for e in to_ftm(assad_2024())}
    assert entities["shaaban"]["properties"]["alias"] == ["Buthaina Shaaban"]
    assert entities["assad-family"]["schema"] == "Organization"
    son = entities["hafez.child.bashar"]
    assert son["schema"] == "Family"
    assert son["properties"]["person"] == ["bashar"]  # Bashar's relative Hafez is his child
    assert son["properties"]["relative"] == ["hafez"]
    assert son["properties"]["relationship"] == ["child"]
    adviser = entities["shaaban.adviser.bashar"]["properties"]
    assert adviser["associate"] == ["shaaban"]
    assert adviser["relationship"] == ["adviser"]
    member = entities["asma.member-of.assad-family"]["properties"]
    assert member["member"] == ["asma"]
    assert member["organization"] == ["assad-family"]
    escape = entities["military-escape"]["properties"]
    assert escape["country"] == ["ly", "ru"]  # every country the place may be in
    assert escape["location"] == ["Russia or Libya"]
    assert "one of several places" in escape["keywords"]
    assert "date" not in escape  # undated: only the report bounds it
    assert escape["summary"] == ["undated: by its report of 2024-12"]
    unknown = entities["mamlouk-unknown"]["properties"]
    assert unknown["date"] == ["2024-12"]
    assert unknown["summary"] == ["2024-12 (EDTF): some day in 2024-12"]
    assert "graded B2: usually reliable source" in unknown["description"][0]


def _case() -> Ledger:
    """A stay, an attempt, a denied claim, a retracted one, a corrected one, a URL."""
    ledger = Ledger(gazetteer=NoGazetteer())
    nour = ledger.add_person("Nour Khalil", id="nour", aliases=["N. Khalil"])
    wire = Source("a wire", url="https://example.org/story/1")
    evin = Place.facility("Evin prison", parent=Place.from_country("IR"))
    cyprus = Place.from_country("CY")
    ledger.observe(nour, Kind.DETAINED, place=evin, when="2024-11-19/2025-03-06",
                   throughout=True, source=wire, reported="2025-03-10", id="held")
    ledger.observe(nour, Kind.REFUSED_ENTRY, place=cyprus, when="2025-03-08",
                   source=wire, reported="2025-03-09", id="refused")
    ledger.observe(nour, Kind.SEEN_AT, place=cyprus, when="2024-12-30/2025-01-02",
                   source="a rumour", reported="2025-01-05", id="rumour")
    ledger.deny("rumour", source="the ministry", reported="2025-01-06", id="denial",
                reason="never left the prison")
    ledger.observe(nour, Kind.SEEN_AT, place=cyprus, when="2025-03-09T10:00+03:00",
                   source="a post", reported="2025-03-09", id="post")
    ledger.retract("post", source="a post", reported="2025-03-10", id="taken-back")
    ledger.observe(nour, Kind.REPORTED_AT, place=cyprus, when="2025-03", source=wire,
                   reported="2025-03-31", id="march")
    ledger.correct("march", place=Place.from_country("GR"), source=wire,
                   reported="2025-04-01", id="march-fixed")
    return ledger


def test_stays_attempts_and_withdrawn_claims(model: Any) -> None:
    entities = list(to_ftm(_case()))
    check_entities(model, entities)
    events = {e["id"]: e["properties"] for e in entities if e["schema"] == "Event"}
    held = events["held"]
    assert (held["startDate"], held["endDate"]) == (["2024-11-19"], ["2025-03-06"])
    assert "date" not in held
    assert "stay" in held["keywords"]
    assert held["sourceUrl"] == ["https://example.org/story/1"]
    assert "attempt (not made)" in events["refused"]["keywords"]
    assert events["refused"]["date"] == ["2025-03-08"]
    rumour = events["rumour"]
    assert "date" not in rumour  # across a year's end: no ISO prefix holds it
    assert "denied" in rumour["keywords"]
    assert "denied by denial (the ministry, reported 2025-01-06): never left the prison" in \
        rumour["description"][0]
    assert events["post"]["date"] == ["2025-03-09"]  # 07:00 UTC
    assert "retracted" in events["post"]["keywords"]
    assert "corrected" in events["march"]["keywords"]
    assert events["march-fixed"]["country"] == ["gr"]
    assert "withdrawn" not in json.dumps(events["march-fixed"])


def _prefix_span(prefix: str) -> tuple[float, float]:
    when = When(prefix)
    return when.lower, when.upper


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(version_2=True))
def test_generated_ledgers_are_valid_ftm(ledger: Ledger) -> None:
    ftm = pytest.importorskip("followthemoney", reason=NEEDS_FTM)
    entities = list(to_ftm(ledger))
    check_entities(ftm.model, entities, clean=False)  # drawn notes may hold odd spacing
    events = {e["properties"]["recordId"][0]: e["properties"]
              for e in entities if e["schema"] == "Event"}
    assert set(events) == {o.id for o in ledger.observations}
    assert len(entities) == len(ledger.entities) + len(ledger.relations) + len(events)
    for obs in ledger.observations:
        props = events[obs.id]
        assert props["involved"] == [ftm_id(s) for s in obs.subjects]
        if "date" in props:  # the prefix holds the whole window
            lower, upper = _prefix_span(props["date"][0])
            assert lower <= obs.lower
            assert obs.upper <= upper
        if obs.throughout:
            assert "date" not in props
            assert "stay" in props["keywords"]


def test_write_ftm_and_read_back_people(tmp_path: Path) -> None:
    ledger = assad_2024()
    path = tmp_path / "assad.ftm.jsonl"
    assert write_ftm(ledger, path) == 52
    report = read_ftm(path)
    assert report.read == 52
    assert dict(report.skipped) == {"Organization": 4, "Family": 10, "Associate": 2,
                                    "Membership": 3, "Event": 23}
    assert [(p.id, p.name, p.aliases, p.description, p.note) for p in report.created] == [
        (p.id, p.name, p.aliases, p.description, p.note) for p in ledger.people]
    assert report.ledger.entity("Buthaina Shaaban").id == "shaaban"
    assert not report.duplicates
    again = read_ftm(path, report.ledger)  # the same people into the same ledger
    assert again.created == ()
    assert len(again.duplicates) == 10
    assert "already in the ledger, not added: bashar" in str(again)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(version_2=True))
def test_generated_people_round_trip(ledger: Ledger) -> None:
    report = read_ftm(list(to_ftm(ledger)))
    assert [(p.id, p.name, p.aliases) for p in report.created] == [
        (p.id, p.name, tuple(dict.fromkeys(a for a in p.aliases if a != p.name)))
        for p in ledger.people]
    assert sum(report.skipped.values()) == report.read - len(ledger.people)


def test_reads_entities_made_by_followthemoney(model: Any) -> None:
    person = model.make_entity("Person")
    person.make_id("opensanctions", "lazarenko")
    person.add("name", "Pavlo Lazarenko")
    person.add("alias", "Павло Лазаренко")
    person.add("weakAlias", "Pasha")
    person.add("notes", "former prime minister")
    event = model.make_entity("Event")
    event.make_id("trip")
    event.add("name", "a trip")
    event.add("involved", person.id)
    report = read_ftm([person.to_dict(), event.to_dict()])
    (created,) = report.created
    assert created.id == person.id  # a sha1 id: one the ledger accepts as it is
    assert created.name == "Pavlo Lazarenko"
    assert set(created.aliases) == {"Павло Лазаренко", "Pasha"}
    assert created.note == "former prime minister"
    assert report.ledger.entity("Pasha") is created
    assert dict(report.skipped) == {"Event": 1}


def test_fragments_merge_and_foreign_ids_are_mapped() -> None:
    long_id = "x" * 200  # FtM allows longer ids than the ledger
    entities = [
        {"id": "p1", "schema": "Person", "properties": {"name": ["Amal Haddad"]}},
        {"id": "p1", "schema": "Person", "properties": {"alias": ["Amal H."]}},
        {"id": long_id, "schema": "Person", "properties": {"name": ["Rami Saleh"]}},
        {"id": "v1", "schema": "Vessel", "properties": {"name": ["Kuznetsov"]}},
    ]
    report = read_ftm(entities)
    assert report.merged == 1
    assert report.ledger.entity("p1").aliases == ("Amal H.",)
    assert report.ids == {"p1": "p1", long_id: "rami-saleh"}
    assert dict(report.skipped) == {"Vessel": 1}


def test_a_file_that_is_not_ftm_raises_with_every_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "p1", "schema": "Person", "properties": {"name": ["Amal"]}}),
        "id,name",
        json.dumps(["p2", "Person"]),
        json.dumps({"id": "p3", "properties": {}}),
        json.dumps({"id": "p4", "schema": "Person", "properties": {"name": "Rami"}}),
        json.dumps({"id": "p5", "schema": "Person", "properties": {"alias": ["R."]}}),
    ]) + "\n", encoding="utf-8")
    ledger = Ledger()
    with pytest.raises(LedgerFileError) as caught:
        read_ftm(path, ledger)
    lines = [p.line for p in caught.value.problems]
    assert lines == [2, 3, 4, 5, 6]
    text = str(caught.value)
    assert f"{path}:2: not JSON" in text
    assert "expected a JSON object, got list" in text
    assert "schema: not an FtM entity: no schema" in text
    assert "properties must map each name to a list of strings" in text
    assert "p5: name" in text
    assert ledger.people == ()  # nothing taken from a bad file


def test_no_dependency_needed_to_export() -> None:
    ledger = Ledger(gazetteer=NoGazetteer())
    ledger.add_person("Amal Haddad", id="amal_1")
    ledger.add_person("Rami Saleh", id="case:rami")
    ledger.relate("amal_1", RelationKind.OTHER, "case:rami", label="bodyguard of")
    entities = list(to_ftm(ledger))
    ids = [e["id"] for e in entities]
    assert ids[0].startswith("amal-1-")
    assert ids[1].startswith("case-rami-")
    link = entities[2]
    assert link["schema"] == "Associate"
    assert link["properties"]["relationship"] == ["bodyguard of"]
    assert link["properties"]["associate"] == [ids[0]]
    assert date.fromisoformat("2024-12-08")  # the module itself imports no followthemoney


@pytest.mark.parametrize("text", ["9999", "9999-12-31T18:00:00-05:00",
                                  "9999-12", "9999-12-31", "0001", "0001-01-01",
                                  "1000", "2999-12-31"])
def test_dates_at_the_calendar_ends_export_without_overflow(text: str) -> None:
    """Years 1 and 9999 lie outside FtM's dates: the claim's date is left out, not a crash
    (a window ending at the start of year 10000 overflowed datetime)."""
    ledger = Ledger(gazetteer=NoGazetteer())
    ledger.add_person("Amal Haddad", id="p1")
    ledger.observe("p1", Kind.SEEN_AT, place=Place.from_country("LB"), when=text,
                   source="FT", id="seen")
    events = {e["id"]: e["properties"] for e in to_ftm(ledger) if e["schema"] == "Event"}
    assert events["seen"].get("date") == ([text] if text[:4] in ("1000", "2999") else None)
