"""CSV and DataFrame round trips over generated ledgers: equal ledgers, identical answers.

The ledgers (``tests/strategies.py``) hold people and groups with relations, registered
places, places built by hand (regions, cities, facilities, crafts, waters, with points
and keys of their own), relayed sources with kinds, dates and URLs, notes of any text,
stays, unknown report dates, corrections, retractions and denials. A CSV or a frame
carries every entry; what it does not carry (the entities, their relations, the
registered places) is what the ledger read into already holds, as when a case's
people are kept in a native file and its observations come and go as sheets.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whereabouts import Ledger
from whereabouts.io import read_csv, read_frame, to_csv, to_dataframe, write_csv
from whereabouts.io._cells import date_hint
from whereabouts.io.csv import _unescaped, neutralised

from .strategies import ledgers, texts

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def skeleton(ledger: Ledger) -> Ledger:
    """A ledger with what a CSV does not carry: entities, relations, registered places."""
    bare = Ledger(gazetteer=ledger.gazetteer)
    for entity in ledger.entities:
        bare.add(entity)
    for relation in ledger.relations:
        bare.relate(relation.subject, relation.kind, relation.object, label=relation.label,
                    note=relation.note)
    for place, aliases in ledger.registered_places:
        bare.register_place(place, aliases=aliases)
    return bare


def answers(ledger: Ledger) -> list[str]:
    out = []
    for known_at in (None, "2024-12-09", "2025-01-20"):
        out.append(str(ledger.everyone(known_at=known_at)))
        out.append("\n".join(map(str, ledger.conflicts(known_at=known_at))))
        for entity in ledger.entities:
            out.append(str(ledger.last_known(entity, known_at=known_at)))
    return out


@SETTINGS
@given(ledger=ledgers() | ledgers(version_2=True))
def test_csv_export_then_import_gives_an_equal_ledger(ledger: Ledger) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "case.csv")
        exported = write_csv(ledger, path)
        again = read_csv(path, skeleton(ledger)).ledger
    assert exported.rows == len(ledger)
    assert again == ledger
    assert [e.source for e in again.entries] == [e.source for e in ledger.entries]
    assert answers(again) == answers(ledger)
    assert to_csv(again) == to_csv(ledger)  # stable: exporting again changes no line


@SETTINGS
@given(ledger=ledgers() | ledgers(version_2=True))
def test_dataframe_export_then_import_gives_an_equal_ledger(ledger: Ledger) -> None:
    pytest.importorskip("pandas")
    again = read_frame(to_dataframe(ledger), skeleton(ledger)).ledger
    assert again == ledger
    assert [e.source for e in again.entries] == [e.source for e in ledger.entries]
    assert answers(again) == answers(ledger)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(version_2=True))
def test_an_arrow_table_of_the_frame_gives_an_equal_ledger(ledger: Ledger) -> None:
    pa = pytest.importorskip("pyarrow")
    pytest.importorskip("pandas")
    frame = to_dataframe(ledger)
    table = pa.Table.from_pandas(frame.drop(columns=["earliest", "latest"]))
    assert read_frame(table, skeleton(ledger)).ledger == ledger


@settings(max_examples=300, deadline=None)
@given(text=texts(max_size=6) | st.text(max_size=6))
def test_neutralising_is_undone_exactly(text: str) -> None:
    written = neutralised(text)
    assert written[:1] not in {"=", "+", "-", "@", "\t", "\r"}
    assert _unescaped([written]) == [text]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_a_date_hint_never_raises(text: str) -> None:
    hint = date_hint(text)
    assert hint is None or hint.startswith(("write ", "ambiguous: "))
