"""The pandas export, and the error without pandas."""

from __future__ import annotations

import sys

import pytest

from whereabouts.examples import assad_2024
from whereabouts.io import COLUMNS, LedgerFileError, MissingDependency, to_dataframe
from whereabouts.io.frames import COLUMNS as FRAME_COLUMNS


def test_one_row_per_observation() -> None:
    pd = pytest.importorskip("pandas")
    seed = assad_2024()
    frame = to_dataframe(seed)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.index) == [o.id for o in seed.observations]
    assert tuple(frame.columns) == FRAME_COLUMNS
    assert set(COLUMNS) - {"id"} <= set(frame.columns)
    maher = frame.loc["maher-then"]
    assert maher["place"] == "Iraq | Russia"  # as read_frame and read_csv read it
    assert pd.isna(maher["country"])
    assert pd.isna(maher["latitude"])
    assert frame.loc["moscow", "latitude"] == pytest.approx(55.75204)
    assert frame.loc["moscow", "subjects"] == ["bashar", "assad-family"]
    assert str(frame["earliest"].dtype).startswith("datetime64")
    assert frame["retracted_by"].isna().all()


def test_without_pandas_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(MissingDependency, match=r"pip install 'whereabouts\[pandas\]'") as info:
        to_dataframe(assad_2024())
    assert isinstance(info.value, ImportError)


def test_stays_denials_and_unknown_report_dates_in_the_frame() -> None:
    pytest.importorskip("pandas")
    from whereabouts import Kind, Ledger, Place, Source

    ledger = Ledger()
    ledger.add_person("Amal", id="amal")
    lb = Place.from_country("LB")
    ledger.observe("amal", Kind.DETAINED, place=lb, when="2024-11-19/2024-12-20",
                   throughout=True, source="a lawyer", reported="2024-12-21", id="held")
    ledger.observe("amal", Kind.SEEN_AT, place=lb, source=Source("a cousin"), id="seen")
    ledger.deny("seen", source="the ministry", reported="2024-12-30", id="no")
    ledger.retract("held", source="a lawyer", reported="2024-12-31", id="oops")
    frame = to_dataframe(ledger)
    assert tuple(frame.columns) == FRAME_COLUMNS
    assert frame["entry"].tolist() == ["observation", "observation", "denial", "retraction"]
    assert frame["target"].fillna("").tolist() == ["", "", "seen", "held"]
    observations = frame[frame["kind"].notna()]
    assert observations["throughout"].tolist() == [True, False]
    assert observations["denied_by"].fillna("").tolist() == ["", "no"]
    assert observations["retracted_by"].fillna("").tolist() == ["oops", ""]
    assert frame["reported"].isna().tolist() == [False, True, False, False]


def test_read_frame_takes_the_optional_columns_as_typed_values() -> None:
    pd = pytest.importorskip("pandas")
    from whereabouts.io import read_frame

    frame = pd.DataFrame({
        "id": ["a", None, None], "subjects": ["Sami Nasser"] * 3,
        "kind": ["detained at", "seen at", "turned back on the way to"],
        "place": ["Beirut", "Beirut", "Larnaca"],
        "when": ["2024-11-19/2024-12-20", "{2024-12-21..2024-12-22}", "2024-12-23"],
        "source": ["a lawyer"] * 3, "reported": ["2024-12-31", None, float("nan")],
        "reliability": [None] * 3, "credibility": [None] * 3, "note": [None] * 3,
        "after": [None] * 3, "throughout": [True, False, None],
        "narrative": ["trip", "trip", "trip"],
    })
    ledger = read_frame(frame).ledger
    assert [o.throughout for o in ledger.observations] == [True, False, False]
    assert [o.after for o in ledger.observations] == [(), ("a",), ("o2",)]
    assert [o.reported is None for o in ledger.observations] == [False, True, True]
    frame.loc[0, "throughout"] = "sometimes"
    with pytest.raises(LedgerFileError) as info:
        read_frame(frame)
    assert [str(p) for p in info.value.problems] == [
        "2:12: throughout: 'sometimes': expected true or false (or yes/no, 1/0); "
        "empty for the default"]
