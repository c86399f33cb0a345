"""A ledger written as a Parquet dataset and read back (whereabouts.io.parquet)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whereabouts import Ledger
from whereabouts.examples import assad_2024
from whereabouts.io import dumps
from whereabouts.io._tables import TABLES

from .strategies import ledgers
from .test_io_roundtrip import answers

pa = pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is not installed")
pq = pytest.importorskip("pyarrow.parquet")

from whereabouts.io.parquet import read_parquet, write_parquet  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers() | ledgers(version_2=True), rows=st.sampled_from([1, 3, 1 << 20]))
def test_written_then_read_gives_an_equal_ledger(ledger: Ledger, rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "case")
        write_parquet(ledger, path, rows=rows)
        again = read_parquet(path, rows=rows)
    assert again == ledger
    assert [e.source for e in again.entries] == [e.source for e in ledger.entries]
    assert again.registered_places == ledger.registered_places
    assert answers(again) == answers(ledger)
    assert dumps(again) == dumps(ledger)  # every record, places and sources included


def test_every_table_has_the_documented_schema(tmp_path: Path) -> None:
    write_parquet(assad_2024(), tmp_path / "assad", rows=4)
    for spec in TABLES:
        file = pq.ParquetFile(tmp_path / "assad" / spec.file)
        assert file.schema_arrow.names == [c.name for c in spec.columns]
        if spec.name == "claims":
            assert file.metadata.num_row_groups == 6  # 23 entries, 4 a row group


def test_the_numeric_bounds_are_the_engines(tmp_path: Path) -> None:
    from whereabouts._arrays import own_windows

    ledger = assad_2024()
    write_parquet(ledger, tmp_path / "assad")
    claims = pq.read_table(tmp_path / "assad" / "claims.parquet").to_pydict()
    lower, upper = own_windows(ledger._store)
    for row, entry in enumerate(ledger.entries):
        if claims["entry"][row] in ("retraction", "denial"):
            assert claims["window_lower"][row] is None
            continue
        assert (claims["window_lower"][row], claims["window_upper"][row]) == (
            lower[row], upper[row])
        when = entry.when  # type: ignore[union-attr]
        assert claims["when"][row] == (None if when is None else str(when))
        assert claims["when_lower"][row] == (-float("inf") if when is None else when.lower)


def test_duckdb_reads_the_tables_as_plain_tables(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb", reason="duckdb (the benchmark extra) is not "
                                                  "installed")
    write_parquet(assad_2024(), tmp_path / "assad")
    claims = f"read_parquet('{tmp_path / 'assad' / 'claims.parquet'}')"
    places = f"read_parquet('{tmp_path / 'assad' / 'places.parquet'}')"
    rows = duckdb.sql(
        f"select c.id, p.country from {claims} c join {places} p on c.place = p.id "
        f"where list_contains(c.subjects, 'bashar') and c.kind = 'arrived at' "
        f"order by c.seq").fetchall()
    assert rows == [("moscow", "RU")]
    types = {row[0]: row[1] for row in duckdb.sql(f"describe select * from {claims}").fetchall()}
    assert types["kind"] == "VARCHAR"
    assert types["subjects"] == "VARCHAR[]"
    assert types["when_lower"] == "DOUBLE"


def test_pandas_reads_the_tables(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    write_parquet(assad_2024(), tmp_path / "assad")
    entities = pd.read_parquet(tmp_path / "assad" / "entities.parquet")
    assert list(entities["id"])[:2] == [e.id for e in assad_2024().entities][:2]
