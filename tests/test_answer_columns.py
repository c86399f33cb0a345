"""Answers as columns (``Roll.columns()``, ``Presence.columns()``): their tables,
their DataFrame and Arrow forms, and the errors without the extras. That they equal
the one-by-one answers is held by ``tests/test_columnar.py``."""

from __future__ import annotations

import sys

import pytest

from whereabouts import Ledger, Place, Status
from whereabouts.io import MissingDependency
from whereabouts.results import AnswerColumns, Answers, Presence, Roll, Whereabouts


def _ledger() -> Ledger:
    """Amal in Lebanon, Badr disputed (Syria or Russia), Dana nothing known,
    Eli in Damascus, and a group in Russia."""
    ledger = Ledger()
    for name in ("Amal Haddad", "Badr Nasser", "Dana Saleh", "Eli Mansour"):
        ledger.add_person(name)
    ledger.add_group("The Delegation")
    damascus = Place.city("Damascus", country="SY")
    for who, where in (("amal", Place.from_country("LB")), ("badr", Place.from_country("SY")),
                       ("badr", Place.from_country("RU")), ("eli", damascus),
                       ("the delegation", Place.from_country("RU"))):
        ledger.observe(who, "seen at", place=where, when="2024-12", source="a wire",
                       reported="2025-01-02")
    return ledger


def test_the_columns_of_a_roll_point_into_the_ledgers_tables() -> None:
    ledger = _ledger()
    roll = ledger.everyone()
    columns = roll.columns()
    assert columns.ids is ledger._store.entity_ids  # the ledger's own list, not a copy
    assert columns.entity.dtype.name == "int32"
    assert columns.status.dtype.name == "int8"
    assert columns.place.dtype.name == "int32"
    assert len(columns) == 5
    assert [columns.statuses[s] for s in columns.status.tolist()] == list(roll.statuses)
    assert [columns.places[p] for p in columns.place.tolist()] == list(roll.places)
    assert list(columns.candidates) == [1]
    assert columns.candidates[1] == ((Status.LOCATED, Place.from_country("SY")),
                                     (Status.LOCATED, Place.from_country("RU")))
    for missing in (0, 2, 5, -1, "1"):
        with pytest.raises(KeyError):
            columns.candidates[missing]  # type: ignore[index]
    assert [columns.countries[c] for c in columns.country.tolist()] == [
        "LB", None, None, "SY", "RU"]
    assert columns.possible is None
    assert repr(columns) == "<AnswerColumns: 5 answers>"
    assert columns == ledger.everyone().columns()
    assert columns != object()
    assert columns != ledger.dead().columns()
    with pytest.raises(TypeError):
        hash(columns)


def test_no_answer_is_built_to_read_the_columns() -> None:
    def refuse(position: int) -> Whereabouts:
        raise AssertionError("an answer was built")

    columns = _ledger().everyone().columns()
    answers = Answers(columns, lambda n: refuse(n).entity, refuse)
    assert answers.columns() is columns
    assert answers[1:3].columns().entity.tolist() == [1, 2]
    assert dict(answers[1:3].columns().candidates).keys() == {0}


def test_a_presence_lists_the_definite_then_the_possible() -> None:
    ledger = _ledger()
    presence = ledger.who_is_in("Syria")
    columns = presence.columns()
    assert [columns.ids[n] for n in columns.entity.tolist()] == ["eli-mansour", "badr-nasser"]
    assert columns.possible is not None
    assert columns.possible.tolist() == [False, True]
    assert list(columns.candidates) == [1]


def test_answers_built_by_hand_have_columns_too() -> None:
    built = list(_ledger().everyone())
    roll = Roll(title="by hand", answers=built)
    columns = roll.columns()
    assert columns == _ledger().everyone().columns()
    presence = Presence(place=Place.from_country("SY"), definite=built[3:4],
                        possible=built[1:2])
    assert presence.columns().possible.tolist() == [False, True]  # type: ignore[union-attr]
    assert isinstance(columns, AnswerColumns)


def test_the_columns_as_a_dataframe_are_categorical() -> None:
    pd = pytest.importorskip("pandas")
    frame = _ledger().who_is_in("Syria").columns().to_frame()
    assert list(frame.index) == ["eli-mansour", "badr-nasser"]
    assert list(frame.columns) == ["status", "place", "country", "presence"]
    assert all(isinstance(frame[c].dtype, pd.CategoricalDtype) for c in frame.columns)
    assert frame["status"].tolist() == ["located", "disputed"]
    assert frame.loc["eli-mansour", "place"] == "Damascus (SY)"
    assert pd.isna(frame.loc["badr-nasser", "place"])
    assert frame["country"].tolist()[0] == "SY"
    assert pd.isna(frame["country"].tolist()[1])
    assert frame["presence"].tolist() == ["definite", "possible"]


def test_the_columns_as_an_arrow_table_are_dictionary_arrays() -> None:
    pa = pytest.importorskip("pyarrow")
    table = _ledger().everyone().columns().to_arrow()
    assert table.column_names == ["id", "status", "place", "country"]
    assert all(pa.types.is_dictionary(field.type) for field in table.schema)
    assert table.column("id").to_pylist() == [
        "amal-haddad", "badr-nasser", "dana-saleh", "eli-mansour", "the-delegation"]
    assert table.column("status").to_pylist() == [
        "located", "disputed", "nothing known", "located", "located"]
    assert table.column("place").to_pylist() == [
        "Lebanon", None, None, "Damascus (SY)", "Russia"]
    assert table.column("country").to_pylist() == ["LB", None, None, "SY", "RU"]


@pytest.mark.parametrize(("module", "method", "extra"), [
    ("pandas", "to_frame", "pandas"), ("pyarrow", "to_arrow", "arrow")])
def test_without_the_extra_a_clear_error(monkeypatch: pytest.MonkeyPatch, module: str,
                                         method: str, extra: str) -> None:
    columns = _ledger().everyone().columns()
    monkeypatch.setitem(sys.modules, module, None)  # importing it now raises ImportError
    with pytest.raises(MissingDependency, match=rf"pip install 'whereabouts\[{extra}\]'"):
        getattr(columns, method)()
