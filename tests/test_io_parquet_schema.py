"""The Parquet tables' spec (whereabouts.io._tables) and docs/scale-out.md say the same."""

from __future__ import annotations

from pathlib import Path

import pytest

from whereabouts.io import _tables

DOC = Path(__file__).parent.parent / "docs" / "scale-out.md"


@pytest.mark.parametrize("spec", _tables.TABLES, ids=lambda t: t.name)
def test_every_table_is_documented_as_specified(spec: _tables.Table) -> None:
    assert _tables.markdown(spec) in DOC.read_text(encoding="utf-8")


def test_every_column_has_a_known_type_and_a_meaning() -> None:
    for spec in _tables.TABLES:
        names = [c.name for c in spec.columns]
        assert len(set(names)) == len(names), spec.name
        for column in spec.columns:
            assert column.type in _tables.TYPES, (spec.name, column.name)
            assert column.meaning, (spec.name, column.name)
            assert "|" not in column.meaning, (spec.name, column.name)
            assert not column.dictionary or column.type == "string", (spec.name, column.name)
