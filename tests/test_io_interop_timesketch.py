"""Timesketch JSONL checked line by line against a JSON Schema written from Timesketch's
documented import rules and the rules of its server's JSONL reader (the import client
has no offline check: it uploads to a server, which does the checking)."""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from whereabouts import Kind, Ledger, Place, Source
from whereabouts.examples import assad_2024
from whereabouts.io import to_timesketch, write_timesketch

from .conftest import NoGazetteer
from .strategies import ledgers

SCALAR = {"type": ["string", "number", "boolean", "null"]}
EVENT = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    # "Mandatory fields": message, datetime (ISO 8601), timestamp_desc (Timesketch docs,
    # "Create timeline from JSONL or CSV file"); the server's reader also takes
    # `timestamp` in microseconds and drops keys starting with "_".
    "required": ["message", "datetime", "timestamp_desc"],
    "properties": {
        "message": {"type": "string", "minLength": 1},
        "datetime": {"type": "string", "format": "date-time"},
        "timestamp": {"type": "integer"},
        "timestamp_desc": {"type": "string", "minLength": 1},
        "tag": {"type": "array", "items": {"type": "string"}},
    },
    "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9_]*$"},  # no "_id", no dotted names
    "additionalProperties": {"anyOf": [SCALAR, {"type": "array", "items": SCALAR}]},
}


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip(
        "jsonschema", reason="the schema check needs jsonschema: pip install -e '.[interop]'")
    jsonschema.Draft202012Validator.check_schema(EVENT)
    return jsonschema.Draft202012Validator(
        EVENT, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def check_lines(validator: Any, text: str) -> list[dict[str, Any]]:
    """Each line one JSON object that passes the schema; ``datetime`` and ``timestamp``
    name the same instant; a field keeps one JSON type across events (OpenSearch maps a
    field by its first value and refuses events that disagree)."""
    events = []
    types: dict[str, set[str]] = {}
    for line in text.splitlines():
        event = json.loads(line)
        errors = [e.message for e in validator.iter_errors(event)]
        assert not errors, (errors, event)
        instant = datetime.fromisoformat(event["datetime"])
        assert instant.utcoffset() is not None
        assert int(instant.timestamp()) * 1_000_000 == event["timestamp"]
        for key, value in event.items():
            if value is not None:
                types.setdefault(key, set()).add(type(value).__name__)
        events.append(event)
    mixed = {k: v for k, v in types.items() if len(v - {"int"} if "float" in v else v) > 1}
    assert not mixed, mixed
    return events


def test_bundled_example(validator: Any, tmp_path: Path) -> None:
    path = tmp_path / "assad.jsonl"
    assert write_timesketch(assad_2024(), path) == 23
    events = check_lines(validator, path.read_text(encoding="utf-8"))
    by_id = {e["observation"]: e for e in events}
    unknown = by_id["mamlouk-unknown"]
    assert unknown["when"] == "2024-12"
    assert unknown["precision"] == "month"
    assert unknown["earliest"] == "2024-12-01T00:00:00+00:00"
    assert unknown["latest"] == "2024-12-31T23:59:59+00:00"
    assert unknown["window_days"] == 31
    left = by_id["left-syria"]  # ../2024-12-08: no start, so its last possible instant
    assert left["timestamp_desc"] == "Latest possible time"
    assert left["datetime"] == "2024-12-08T23:59:59+00:00"
    assert left["earliest"] is None
    escape = by_id["military-escape"]
    assert escape["countries"] == ["LY", "RU"]
    assert escape["country"] is None
    assert "one of several places" in escape["tag"]
    assert by_id["moscow"]["grading"] == "C2"
    assert by_id["moscow"]["country"] == "RU"


def test_stays_attempts_and_withdrawals(validator: Any) -> None:
    ledger = Ledger(gazetteer=NoGazetteer())
    nour = ledger.add_person("Nour Khalil", id="nour")
    evin = Place.facility("Evin prison", parent=Place.from_country("IR"))
    ledger.observe(nour, Kind.DETAINED, place=evin, when="2024-11-19/2025-03-06",
                   throughout=True, source="a wire", reported="2025-03-10", id="held")
    ledger.observe(nour, Kind.DETAINED, place=evin, when="2025-04-01/..", throughout=True,
                   source="a wire", reported="2025-04-03", id="again")
    ledger.observe(nour, Kind.TURNED_BACK, place=Place.from_country("CY"), when="2025-03-08",
                   source="a wire", reported="2025-03-09", id="turned")
    ledger.observe(nour, Kind.SEEN_AT, place=Place.from_country("CY"), when="2025-03-09",
                   source=Source("a post"), reported="2025-03-09", id="post")
    ledger.deny("post", source="the ministry", reported="2025-03-10", id="denial")
    ledger.observe(nour, Kind.DIED, source="a rumour", id="rumour")  # no date, no report date
    events = check_lines(validator, "\n".join(json.dumps(e) for e in to_timesketch(ledger)))
    described = [(e["observation"], e["timestamp_desc"], e["datetime"][:10]) for e in events]
    assert described == [
        ("held", "Stay began", "2024-11-19"),
        ("held", "Stay ended", "2025-03-06"),
        ("again", "Stay began", "2025-04-01"),  # not over when reported: no end event
        ("turned", "Earliest possible time", "2025-03-08"),
        ("post", "Earliest possible time", "2025-03-09"),
        ("denial", "Reported", "2025-03-10"),
    ]  # the undated, unreported rumour has no instant at all: left out
    assert events[0]["tag"] == ["stay"]
    assert events[3]["tag"] == ["attempt"]
    assert events[4]["tag"] == ["denied"]
    assert events[4]["withdrawn_by"] == "denial"
    assert events[5]["target"] == "post"
    assert ledger.observation("rumour")
    assert not list(to_timesketch(ledger, known_at="2025-03-08"))[3:]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(version_2=True))
def test_generated_ledgers(ledger: Ledger) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="needs jsonschema")
    validator = jsonschema.Draft202012Validator(
        EVENT, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    events = check_lines(validator, "\n".join(json.dumps(e) for e in to_timesketch(ledger)))
    claims = [e for e in events if e["data_type"] == "whereabouts:claim"]
    placed = {o.id for o in ledger.observations  # a window bounded on at least one side
              if not (math.isinf(o.lower) and math.isinf(o.upper))}
    assert {e["observation"] for e in claims} == placed
    for event in claims:
        obs = ledger.observation(event["observation"])
        seconds = event["timestamp"] / 1_000_000
        if not obs.throughout:  # the instant lies in the claim's window
            assert obs.lower <= seconds < obs.upper
