"""The Spark job gives the in-process ledger's answers, for everyone, in local[2] mode.

Every test here shares one SparkSession (module scope); they skip with the reason
when pyspark, pandas, pyarrow or Java is missing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.spark_support import (
    PANDAS_3,
    combine,
    partitionable,
    spark_ledger,
    spark_session,
)
from tests.strategies import ledgers
from whereabouts import Ledger, Place
from whereabouts.examples import assad_2024
from whereabouts.spark import Question
from whereabouts.spark._step import answer_row

pytestmark = pytest.mark.filterwarnings(PANDAS_3)

_DATES = [None, "2024-12-07", "2024-12-08", "2024-12"]


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    yield from spark_session()


def _by_entity(frame: Any) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in frame.collect():
        answer = row.asDict(recursive=True)
        answer.pop("question", None)
        assert answer["entity"] not in found, "one row per entity"
        found[answer["entity"]] = answer
    return found


def _rows(answers: Any, presence: str | None = None) -> dict[str, dict[str, Any]]:
    found = {}
    for answer in answers:
        row = answer_row(answer, presence=presence)
        del row["question"]
        found[answer.entity.id] = row
    return found


def _expected(ledger: Ledger, question: Question) -> dict[str, dict[str, Any]]:
    """What the in-process ledger answers, as rows."""
    asked = {"as_of": question.as_of, "known_at": question.known_at,
             "min_grade": question.min_grade}
    if question.what == "last_known":
        return _rows(ledger.last_known(e.id, **asked) for e in ledger.entities)
    if question.what == "who_is_in":
        assert question.place is not None
        presence = ledger.who_is_in(question.place, **asked)
        return {**_rows(presence.definite, "definite"), **_rows(presence.possible, "possible")}
    return _rows(getattr(ledger, question.what)(**asked))


def _questions(as_of: str | None, known_at: str | None, min_grade: str | None,
               place: Place) -> dict[str, Question]:
    return {
        "now": Question(what="last_known"),
        "then": Question(what="last_known", as_of=as_of, known_at=known_at,
                         min_grade=min_grade),
        "known": Question(what="last_known", known_at=known_at),
        "in": Question(what="who_is_in", place=place, as_of=as_of, known_at=known_at,
                       min_grade=min_grade),
        "unaccounted": Question(what="unaccounted", as_of=as_of, known_at=known_at),
        "dead": Question(what="dead", known_at=known_at, min_grade=min_grade),
    }


def test_each_question_of_the_bundled_example(spark: Any, tmp_path: Path) -> None:
    ledger = partitionable(assad_2024())
    assert 0 < len(ledger) < len(assad_2024())  # its narrative links people and groups
    job = spark_ledger(spark, ledger, tmp_path / "assad")
    russia = Place.from_country("RU")
    asked = {"known_at": "2024-12-09", "min_grade": "C"}
    assert _by_entity(job.last_known()) == _expected(ledger, Question(what="last_known"))
    assert _by_entity(job.where("2024-12-08", **asked)) == _expected(
        ledger, Question(what="last_known", as_of="2024-12-08", **asked))
    assert _by_entity(job.who_is_in(russia)) == _expected(
        ledger, Question(what="who_is_in", place=russia))
    assert _by_entity(job.who_is_in("Syria", as_of="2024-12-07")) == _expected(
        ledger, Question(what="who_is_in", place=Place.from_country("SY"), as_of="2024-12-07"))
    assert _by_entity(job.unaccounted(known_at="2024-12-09")) == _expected(
        ledger, Question(what="unaccounted", known_at="2024-12-09"))
    assert _by_entity(job.dead()) == _expected(ledger, Question(what="dead"))


@settings(max_examples=2, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate],  # a Spark job per example: no shrinking
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(drawn=st.lists(ledgers(max_entities=5, max_entries=12, version_2=True),
                      min_size=12, max_size=12),
       as_of=st.sampled_from(_DATES), known_at=st.sampled_from(_DATES),
       min_grade=st.sampled_from([None, "C", "3", "B2"]))
def test_generated_ledgers_get_the_same_answers(spark: Any, drawn: list[Ledger],
                                                 as_of: str | None, known_at: str | None,
                                                 min_grade: str | None) -> None:
    ledger = combine([partitionable(one) for one in drawn])
    placed = [o.place for o in ledger.observations if o.place is not None and o.place.countries]
    country = sorted(placed[0].countries)[0] if placed else "RU"
    questions = _questions(as_of, known_at, min_grade, Place.from_country(country))
    found: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in questions}
    with tempfile.TemporaryDirectory() as folder:
        rows = spark_ledger(spark, ledger, Path(folder) / "data").ask(questions).collect()
    for row in rows:
        answer = row.asDict(recursive=True)
        name = answer.pop("question")
        assert answer["entity"] not in found[name], "one row per entity and question"
        found[name][answer["entity"]] = answer
    for name, question in questions.items():
        assert found[name] == _expected(ledger, question), name


# -- bad input -------------------------------------------------------------------------


def _case(folder: Path) -> Ledger:
    """Two people, a group with one of them, claims linked within each one's answers."""
    from whereabouts.io.parquet import write_parquet

    ledger = Ledger()
    amal = ledger.add_person("Amal Haddad", id="amal")
    badr = ledger.add_person("Badr Nasser", id="badr")
    ledger.add_group("Convoy", id="convoy", members=[badr])
    first = ledger.observe(amal, "departed", place=Place.from_country("SY"), when="2024-12",
                           source="a wire", reported="2024-12-31")
    ledger.observe(amal, "arrived at", place=Place.from_country("LB"), when="2024-12",
                   source="a wire", reported="2024-12-31", after=first)
    ledger.observe("convoy", "seen at", place=Place.from_country("AE"), when="2024-12-20",
                   source="a wire", reported="2024-12-31")
    write_parquet(ledger, folder)
    return ledger


def _rewrite(path: Path, column: str, values: list[Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    index = table.schema.get_field_index(column)
    field = table.schema.field(index)
    plain = pa.list_(pa.string()) if pa.types.is_list(field.type) else pa.string()
    pq.write_table(table.set_column(index, pa.field(column, plain, field.nullable),
                                    pa.array(values, plain)), path)


def test_a_missing_table_is_named_before_any_job(spark: Any, tmp_path: Path) -> None:
    from whereabouts.io import LedgerFileError
    from whereabouts.spark import SparkLedger

    _case(tmp_path / "case")
    (tmp_path / "case" / "sources.parquet").unlink()
    with pytest.raises(LedgerFileError, match=r"sources\.parquet: missing: the sources table"):
        SparkLedger.read(spark, tmp_path / "case")


def test_a_missing_column_and_a_wrong_type_are_named(spark: Any, tmp_path: Path) -> None:
    from whereabouts.io import LedgerFileError
    from whereabouts.spark import SparkInputError, SparkLedger

    _case(tmp_path / "case")
    job = SparkLedger.read(spark, tmp_path / "case")
    frames = {"entities": job.entities, "relations": job.relations, "places": job.places,
              "sources": job.sources}
    with pytest.raises(SparkInputError, match="the claims table: when: missing column"):
        SparkLedger(claims=job.claims.drop("when"), **frames)
    wrong = job.claims.withColumn("seq", job.claims["seq"].cast("string"))
    with pytest.raises(SparkInputError, match="claims table: seq: expected bigint, found string"):
        SparkLedger(claims=wrong, **frames)
    import pyarrow.parquet as pq

    path = tmp_path / "case" / "entities.parquet"
    pq.write_table(pq.read_table(path).drop_columns(["name"]), path)
    with pytest.raises(LedgerFileError, match=r"entities\.parquet: name: missing column"):
        SparkLedger.read(spark, tmp_path / "case")


def test_a_claim_about_an_unknown_entity_names_its_row(spark: Any, tmp_path: Path) -> None:
    from whereabouts.spark import SparkInputError, SparkLedger

    _case(tmp_path / "case")
    _rewrite(tmp_path / "case" / "claims.parquet", "subjects", [["amal"], ["amal"], ["ghost"]])
    job = SparkLedger.read(spark, tmp_path / "case")
    with pytest.raises(SparkInputError) as caught:
        job.last_known()
    assert caught.value.row == 2
    assert caught.value.column == "subjects"
    assert str(caught.value) == (f"{tmp_path / 'case' / 'claims.parquet'}: row 2, subjects: "
                                 "'ghost': no entity has this id")


def test_a_dangling_link_names_its_row(spark: Any, tmp_path: Path) -> None:
    from whereabouts.spark import SparkInputError, SparkLedger

    _case(tmp_path / "case")
    _rewrite(tmp_path / "case" / "claims.parquet", "after", [[], ["o9"], []])
    with pytest.raises(SparkInputError, match=r"row 1, after: 'o9': no observation has this id"):
        SparkLedger.read(spark, tmp_path / "case").check()


def test_a_link_between_different_entities_answers_is_refused(spark: Any,
                                                               tmp_path: Path) -> None:
    from whereabouts.spark import SparkInputError, SparkLedger

    _case(tmp_path / "case")
    # o2 (about Amal) now comes after o3 (about the convoy, so Badr): no step holds both.
    _rewrite(tmp_path / "case" / "claims.parquet", "after", [[], ["o3"], []])
    with pytest.raises(SparkInputError, match=r"row 1, after: 'o3': claim o2 is linked to o3, "
                                              r"which the answers of (amal|badr|convoy) do not"):
        SparkLedger.read(spark, tmp_path / "case").last_known()


def test_a_bad_place_row_is_named(spark: Any, tmp_path: Path) -> None:
    from whereabouts.spark import SparkInputError, SparkLedger

    _case(tmp_path / "case")
    _rewrite(tmp_path / "case" / "places.parquet", "kind", ["country", "planet", "country"])
    with pytest.raises(SparkInputError, match=r"places\.parquet: row 1, kind: 'planet'"):
        SparkLedger.read(spark, tmp_path / "case").last_known()


def test_questions_are_checked_on_the_driver(spark: Any, tmp_path: Path) -> None:
    from whereabouts.errors import InvalidDate, InvalidGrading, InvalidObservation
    from whereabouts.spark import SparkInputError, SparkLedger

    _case(tmp_path / "case")
    job = SparkLedger.read(spark, tmp_path / "case")
    with pytest.raises(InvalidDate, match="as_of"):
        job.last_known(as_of="2024-13")
    with pytest.raises(InvalidGrading, match="min_grade"):
        job.dead(min_grade="G9")
    with pytest.raises(InvalidObservation, match="on: needs a date"):
        job.where(None)
    with pytest.raises(SparkInputError, match="who_is_in needs a place"):
        job.ask({"in": Question(what="who_is_in")})
    with pytest.raises(InvalidDate, match="then: known_at"):
        job.ask({"then": Question(what="last_known", known_at="yesterday")})
    with pytest.raises(ValueError, match="what"):
        Question(what="everyone")


def test_a_relative_folder_is_read_from_here(spark: Any, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from whereabouts.spark import SparkLedger

    _case(tmp_path / "case")
    monkeypatch.chdir(tmp_path)  # the JVM started elsewhere: the path is ours, not its
    job = SparkLedger.read(spark, "case")
    assert job.claims.count() == 3
