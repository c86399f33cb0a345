"""TimelineJS JSON read by TimelineJS's own configuration class under node (the npm
package @knight-lab/timelinejs, whose TimelineConfig checks and parses every slide and
date), and checked against a JSON Schema written from TimelineJS's JSON format docs."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from whereabouts import Kind, Ledger, Place
from whereabouts.examples import assad_2024
from whereabouts.io import to_timelinejs, write_timelinejs

from .conftest import NoGazetteer
from .strategies import ledgers

ROOT = Path(__file__).resolve().parent.parent
HOOKS = ROOT / "tests" / "js" / "timelinejs_hooks.mjs"
CHECK = ROOT / "tests" / "js" / "timelinejs_check.mjs"
NPM = ROOT / ".venv" / "npm" / "node_modules"
PACKAGE = Path(os.environ.get("WHEREABOUTS_TIMELINEJS", NPM / "@knight-lab" / "timelinejs"))
INSTALL = ("npm install --no-save --no-package-lock --prefix .venv/npm "
           "@knight-lab/timelinejs@3.9.11")

DATE = {"type": "object", "required": ["year"], "additionalProperties": False, "properties": {
    "year": {"type": "integer"}, "month": {"type": "integer", "minimum": 1, "maximum": 12},
    "day": {"type": "integer", "minimum": 1, "maximum": 31},
    "hour": {"type": "integer"}, "minute": {"type": "integer"},
    "second": {"type": "integer"}, "millisecond": {"type": "integer"},
    "display_date": {"type": "string"}, "format": {"type": "string"}}}
TEXT = {"type": "object", "additionalProperties": False,
        "properties": {"headline": {"type": "string"}, "text": {"type": "string"}}}
SLIDE = {"type": "object", "required": ["start_date"], "additionalProperties": False,
         "properties": {"start_date": DATE, "end_date": DATE, "text": TEXT,
                        "group": {"type": "string"}, "display_date": {"type": "string"},
                        "unique_id": {"type": "string", "pattern": "^[A-Za-z0-9._:-]+$"},
                        "autolink": {"type": "boolean"}, "media": {"type": "object"},
                        "background": {"type": "object"}}}
TIMELINE = {  # https://timeline.knightlab.com/docs/json-format.html
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["events"],
    "properties": {"events": {"type": "array", "items": SLIDE},
                   "title": {"type": "object", "properties": {"text": TEXT},
                             "additionalProperties": False},
                   "eras": {"type": "array"}, "scale": {"enum": ["human", "cosmological"]}},
}


def check_schema(timeline: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip(
        "jsonschema", reason="the schema check needs jsonschema: pip install -e '.[interop]'")
    jsonschema.validate(timeline, TIMELINE, cls=jsonschema.Draft202012Validator)


def read_with_timelinejs(timeline: dict[str, Any], folder: Path) -> dict[str, Any]:
    """What TimelineJS's TimelineConfig makes of the timeline (run with TZ=UTC: TimelineJS
    builds dates in local time)."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: TimelineJS's own parser runs under node")
    if not (PACKAGE / "src" / "js" / "core" / "TimelineConfig.js").exists():
        pytest.skip(f"TimelineJS is not installed; run: {INSTALL}")
    path = folder / "timeline.json"
    path.write_text(json.dumps(timeline), encoding="utf-8")
    done = subprocess.run([node, "--import", HOOKS.as_uri(), str(CHECK), str(PACKAGE), str(path)],
                          capture_output=True, text=True, check=True, timeout=60,
                          env={**os.environ, "TZ": "UTC"})
    read: dict[str, Any] = json.loads(done.stdout)
    return read


def ms(year: int, month: int = 1, day: int = 1) -> int:
    return int(datetime(year, month, day, tzinfo=timezone.utc).timestamp() * 1000)


def test_bundled_example_is_read_by_timelinejs(tmp_path: Path) -> None:
    timeline = to_timelinejs(assad_2024())
    check_schema(timeline)
    read = read_with_timelinejs(timeline, tmp_path)
    assert read["valid"], read["errors"]
    assert read["scale"] == "human"
    assert len(read["events"]) == len(timeline["events"]) == 34
    slides = {e["unique_id"]: e for e in read["events"]}
    rami = slides["rami-2020--rami"]
    assert rami["start"]["ms"] == ms(2020)
    assert rami["start"]["scale"] == "year"  # TimelineJS keeps the precision written
    assert slides["mamlouk-unknown--mamlouk"]["start"]["scale"] == "month"
    moscow = slides["moscow--bashar"]
    assert moscow["group"] == "Bashar al-Assad"
    assert moscow["start"]["ms"] == ms(2024, 12, 8)
    assert moscow["display_date"].startswith("2024-12-08/.. (EDTF): from 2024-12-08 on")
    undated = slides["shaaban-dubai--shaaban"]
    assert undated["start"]["ms"] == ms(2024, 12, 31)  # by the end of the report's month
    assert undated["start"]["display"] == "reported 2024-12"
    groups = {e["group"] for e in read["events"]}
    assert "Assad family" in groups
    assert len(groups) == 13  # every entity with a claim of its own (not Asma) has a row


def _case() -> Ledger:
    ledger = Ledger(gazetteer=NoGazetteer())
    nour = ledger.add_person("Nour Khalil", id="nour")
    evin = Place.facility("Evin prison", parent=Place.from_country("IR"))
    cyprus = Place.from_country("CY")
    ledger.observe(nour, Kind.DETAINED, place=evin, when="2024-11-19/2025-03-06",
                   throughout=True, source="a wire", reported="2025-03-10", id="held")
    ledger.observe(nour, Kind.DETAINED, place=evin, when="2025-04-01/..", throughout=True,
                   source="a wire", reported="2025-04-03", id="again")
    ledger.observe(nour, Kind.REFUSED_ENTRY, place=cyprus, when="2025-03-08?",
                   source="a wire", reported="2025-03-09", id="refused")
    ledger.observe(nour, Kind.SEEN_AT, place=cyprus, when="2024-12-30/2025-01-02",
                   source="a rumour", reported="2025-01-05", id="rumour")
    ledger.deny("rumour", source="the ministry", reported="2025-01-06", id="denial")
    ledger.observe(nour, Kind.DIED, source="a rumour", id="undated")
    return ledger


def test_stays_attempts_windows_and_denials(tmp_path: Path) -> None:
    timeline = to_timelinejs(_case(), title="Nour <Khalil>")
    check_schema(timeline)
    assert timeline["skipped"] == 1  # the claim with no date and no report date
    assert timeline["title"]["text"]["headline"] == "Nour &lt;Khalil&gt;"
    slides = {e["unique_id"].partition("--")[0]: e for e in timeline["events"]}
    held = slides["held"]
    assert held["start_date"] == {"year": 2024, "month": 11, "day": 19}
    assert held["end_date"] == {"year": 2025, "month": 3, "day": 6}
    assert "held throughout" in held["display_date"]
    again = slides["again"]  # an open stay runs to its report, and says so
    assert again["end_date"] == {"year": 2025, "month": 4, "day": 3,
                                 "display_date": "reported 2025-04-03"}
    assert again["display_date"].endswith("still so when reported on 2025-04-03")
    refused = slides["refused"]
    assert refused["text"]["headline"] == "Attempt: refused entry to Cyprus (not made)"
    assert refused["display_date"] == "2025-03-08? (EDTF): on 2025-03-08 (uncertain)"
    rumour = slides["rumour"]  # a window: a span from its first to its last possible day
    assert rumour["start_date"] == {"year": 2024, "month": 12, "day": 30}
    assert rumour["end_date"] == {"year": 2025, "month": 1, "day": 2}
    assert rumour["text"]["headline"] == "Denied: seen at Cyprus"
    assert "denied by denial (the ministry, reported 2025-01-06)" in rumour["text"]["text"]
    assert "Source: a rumour; reported 2025-01-05; graded F6" in rumour["text"]["text"]
    read = read_with_timelinejs(timeline, tmp_path)
    assert read["valid"], read["errors"]
    spans = {e["unique_id"].partition("--")[0]: e for e in read["events"]}
    assert spans["held"]["start"]["ms"] == ms(2024, 11, 19)
    assert spans["held"]["end"]["ms"] == ms(2025, 3, 6)
    assert spans["rumour"]["end"]["ms"] == ms(2025, 1, 2)


def test_write_timelinejs(tmp_path: Path) -> None:
    path = tmp_path / "case.json"
    write_timelinejs(_case(), path, known_at="2025-03-09")
    timeline = json.loads(path.read_text(encoding="utf-8"))
    assert [e["unique_id"] for e in timeline["events"]] == ["refused--nour", "rumour--nour"]
    assert timeline["events"][1]["text"]["headline"] == "Denied: seen at Cyprus"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(version_2=True))
def test_generated_ledgers(ledger: Ledger) -> None:
    timeline = to_timelinejs(ledger)
    check_schema(timeline)
    unbounded = [o for o in ledger.observations if math.isinf(o.lower) and math.isinf(o.upper)]
    assert timeline["skipped"] == len(unbounded)
    subjects = sum(len(o.subjects) for o in ledger.observations if o not in unbounded)
    assert len(timeline["events"]) == subjects
    for slide in timeline["events"]:
        obs = ledger.observation(slide["unique_id"].rpartition("--")[0])
        start = slide["start_date"]
        first = datetime(start["year"], start.get("month", 1), start.get("day", 1),
                         tzinfo=timezone.utc).timestamp()
        if not obs.throughout and not math.isinf(obs.lower):
            assert first <= obs.lower < first + 366 * 86400  # the window's first day
        if "end_date" in slide:
            end = slide["end_date"]
            last = datetime(end["year"], end.get("month", 12), end.get("day", 1),
                            tzinfo=timezone.utc).timestamp()
            assert first <= last


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@settings(max_examples=6, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(ledger=ledgers(version_2=True))
def test_generated_ledgers_read_by_timelinejs(ledger: Ledger, tmp_path: Path) -> None:
    timeline = to_timelinejs(ledger)
    if not timeline["events"]:
        return  # TimelineJS refuses a timeline without events, as it should
    read = read_with_timelinejs(timeline, tmp_path)
    assert read["valid"], read["errors"]
    assert len(read["events"]) == len(timeline["events"])
