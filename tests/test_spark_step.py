"""The per-entity step without Spark: each entity's claims, gathered as the Spark job
routes them, into a small ledger whose answer is the whole ledger's.

Runs without pyspark (it needs only the step, which needs no Spark), so the rules are
held to the in-process ledger on many more ledgers than the Spark tests can afford.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.spark_support import partitionable, rows, seen_by
from tests.strategies import ledgers
from whereabouts import Group, Ledger, Place
from whereabouts.examples import assad_2024
from whereabouts.io._records import Codec
from whereabouts.spark._step import Question, Tables, answer_row, ask

_DATES = [None, "2024-12-07", "2024-12-08", "2024-12", "2025"]


def _steps(ledger: Ledger, question: Question) -> dict[str, dict[str, Any]]:
    """Every entity's answer from the step, its claims routed as the Spark job routes them."""
    tables = rows(ledger)
    codec = Codec()
    for place in tables["places"]:  # the test's tables list parents first
        codec.decode(_place(place))
    for source in tables["sources"]:
        codec.decode({"type": "source", **{k: v for k, v in source.items() if v is not None}})
    shared = Tables(places=dict(codec.places), sources=dict(codec.sources))
    seen = seen_by(ledger)
    found = {}
    for entity in ledger.entities:
        mine = {cid for cid, who in seen.items() if entity.id in who}
        claims = [c for c in tables["claims"]
                  if c["id"] in mine or (c["entry"] in ("retraction", "denial")
                                         and c["target"] in mine)]
        row = next(e for e in tables["entities"] if e["id"] == entity.id)
        for answer in ask({"q": question}, shared, row, ledger.groups_of(entity), claims):
            assert answer.pop("question") == "q"
            found[entity.id] = {"question": None, **answer}
    return found


def _place(row: dict[str, Any]) -> dict[str, Any]:
    from whereabouts.spark._plan import _place as spark_place

    return spark_place(row)


def _check(ledger: Ledger, as_of: str | None, known_at: str | None,
           min_grade: str | None, place: Place) -> None:
    asked = {"as_of": as_of, "known_at": known_at, "min_grade": min_grade}
    wanted = {e.id: answer_row(ledger.last_known(e.id, **asked)) for e in ledger.entities}
    assert _steps(ledger, Question(what="last_known", **asked)) == wanted
    presence = ledger.who_is_in(place, **asked)
    wanted = {a.entity.id: answer_row(a, presence="definite") for a in presence.definite}
    wanted.update({a.entity.id: answer_row(a, presence="possible") for a in presence.possible})
    assert _steps(ledger, Question(what="who_is_in", place=place, **asked)) == wanted
    for what in ("unaccounted", "dead"):
        roll = getattr(ledger, what)(**asked)
        assert _steps(ledger, Question(what=what, **asked)) == {
            a.entity.id: answer_row(a) for a in roll}


def test_the_bundled_example() -> None:
    ledger = partitionable(assad_2024())
    for as_of, known_at in [(None, None), ("2024-12-08", None), ("2024-12-08", "2024-12-09")]:
        _check(ledger, as_of, known_at, None, Place.from_country("RU"))


@settings(max_examples=150, deadline=None)
@given(ledger=ledgers(max_entities=5, max_entries=14, version_2=True),
       as_of=st.sampled_from(_DATES), known_at=st.sampled_from(_DATES),
       min_grade=st.sampled_from([None, "C", "3", "B2"]), country=st.sampled_from(["RU", "SY"]))
def test_generated_ledgers(ledger: Ledger, as_of: str | None, known_at: str | None,
                           min_grade: str | None, country: str) -> None:
    kept = partitionable(ledger)
    placed = sorted(c for o in kept.observations if o.place is not None
                    for c in o.place.countries)
    _check(kept, as_of, known_at, min_grade, Place.from_country(placed[0] if placed else country))


def test_a_group_claim_reaches_a_member_through_a_group_of_groups() -> None:
    ledger = Ledger()
    nour = ledger.add_person("Nour Khalil", id="nour")
    inner = ledger.add_group("Inner circle", id="inner", members=[nour])
    outer = ledger.add_group("Delegation", id="outer", members=[inner])
    ledger.observe(outer, "arrived at", place=Place.from_country("AE"), when="2024-12-09",
                   source="a wire", reported="2024-12-10")
    assert isinstance(outer, Group)
    answers = _steps(ledger, Question(what="last_known"))
    assert answers["nour"]["countries"] == ["AE"]
    assert answers["nour"] == answer_row(ledger.last_known("nour"))


def test_without_pyspark_the_error_names_the_extra(monkeypatch: Any) -> None:
    import sys

    import pytest

    from whereabouts.io import MissingDependency
    from whereabouts.spark._plan import _functions

    monkeypatch.setitem(sys.modules, "pyspark.sql.functions", None)
    with pytest.raises(MissingDependency, match=r"whereabouts\[spark\]"):
        _functions()
