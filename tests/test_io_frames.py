"""The pandas export, and the error without pandas."""

from __future__ import annotations

import sys

import pytest

from whereabouts.examples import assad_2024
from whereabouts.io import COLUMNS, MissingDependency, to_dataframe
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
    assert maher["place"] == "Iraq or Russia"
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
