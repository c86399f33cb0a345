"""Round-trip properties: what is saved comes back equal, and answers the same."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whereabouts import Grading, Kind, Ledger, Observation, Place, Source
from whereabouts.errors import InvalidObservation
from whereabouts.gazetteer import Gazetteer
from whereabouts.io import SqliteLedger, dumps, load, read_csv, save, to_csv
from whereabouts.io._records import Codec, replay

from .strategies import edtf_texts, ledgers, names, texts

SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def answers(ledger: Ledger) -> list[str]:
    out = []
    for known_at in (None, "2024-12-09"):
        out.append(str(ledger.everyone(known_at=known_at)))
        out.append("\n".join(map(str, ledger.conflicts(known_at=known_at))))
        for entity in ledger.entities:
            out.append(str(ledger.itinerary(entity, known_at=known_at)))
    return out


@SETTINGS
@given(ledger=ledgers() | ledgers(version_2=True))
def test_native_save_then_load_gives_an_equal_ledger_with_equal_answers(ledger: Ledger) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "case.jsonl")
        save(ledger, path)
        again = load(path)
    assert again == ledger
    assert again.registered_places == ledger.registered_places
    assert [e.source for e in again.entries] == [e.source for e in ledger.entries]
    assert answers(again) == answers(ledger)
    assert dumps(again) == dumps(ledger)  # stable: saving again changes no line


@SETTINGS
@given(ledger=ledgers() | ledgers(version_2=True))
def test_sqlite_store_then_reopen_gives_an_equal_ledger_with_equal_answers(
        ledger: Ledger) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "case.db")
        with SqliteLedger.open(path, synchronous="NORMAL") as store:
            replay(Codec().encode(ledger), store)
            assert store == ledger
        with SqliteLedger.open(path) as again:
            assert again == ledger
            assert answers(again) == answers(ledger)


# -- CSV ------------------------------------------------------------------------------

PLACE_NAMES: tuple[str | Place, ...] = (
    "Damascus", "Dubai", "Beirut", "Moscow", "Syria", "Lebanon", "the Gulf", "Chtoura, Lebanon",
    "Russian embassy in Damascus", "European countries", "at sea",
    Place.craft("Admiral Kuznetsov"), Place.waters("the Black Sea"))
"""Names the gazetteer knows, and places in no country that CSV spells with their kind."""
GAZETTEER = Gazetteer()


@st.composite
def csv_ledgers(draw: st.DrawFn) -> Ledger:
    """Ledgers of what CSV carries: people, and observations at places the gazetteer
    names, by sources given as relay chains of names, stays among them, some with
    their report date not known."""
    ledger = Ledger(gazetteer=GAZETTEER)
    people = draw(st.lists(names().filter(lambda n: ";" not in n), min_size=1, max_size=4))
    for n, name in enumerate(people):
        ledger.add_person(name, id=f"p{n}")
    ids = [p.id for p in ledger.people]
    for n in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(list(Kind)))
        place: object = None
        if kind.needs_place or (kind.allows_place and draw(st.booleans())):
            chosen = draw(st.lists(st.sampled_from(PLACE_NAMES), min_size=1, max_size=2,
                                   unique=True))
            place = chosen[0] if len(chosen) == 1 else chosen
        chain = draw(st.lists(names().filter(lambda n: "→" not in n and "->" not in n),
                              min_size=1, max_size=3))
        source = None
        for name in chain:
            source = Source(name, via=source)
        assert source is not None
        with contextlib.suppress(InvalidObservation):  # after its report, against its links,
            # or a stay its kind or date cannot be
            ledger.observe(
                draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True)), kind,
                place=place, when=draw(st.none() | edtf_texts() | st.sampled_from(
                    ("{2024-11-19..2024-12-06}", "2024-11-19/2024-12-06"))), source=source,
                reported=draw(st.sampled_from(("2024-12-10", "9999-12", None))),
                throughout=draw(st.sampled_from((None, None, True, False))),
                grading=Grading(draw(st.sampled_from("ABCDEF")), draw(st.integers(1, 6))),
                note=draw(texts(max_size=12)),
                after=draw(st.lists(st.sampled_from([o.id for o in ledger.observations]),
                                    max_size=2, unique=True)) if len(ledger) else (),
                id=draw(st.sampled_from((None, f"row-{n}"))),
            )
    return ledger


def carried(obs: Observation) -> tuple[object, ...]:
    """What CSV carries of an observation."""
    return (obs.id, obs.subjects, obs.kind, obs.place, obs.when,
            tuple(s.name for s in obs.source.chain), obs.reported, obs.grading, obs.note,
            obs.after, obs.throughout)


@SETTINGS
@given(ledger=csv_ledgers())
def test_csv_round_trips_everything_csv_carries(ledger: Ledger) -> None:
    people = Ledger(gazetteer=GAZETTEER)
    for person in ledger.people:
        people.add(person)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "case.csv")
        path.write_text(to_csv(ledger), encoding="utf-8", newline="")
        report = read_csv(path, people)
    assert report.ok
    assert report.created == ()
    assert [carried(o) for o in people.observations] == [carried(o) for o in ledger.observations]
