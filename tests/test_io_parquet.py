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

from .strategies import edtf_dates, edtf_datetimes, edtf_texts, ledgers
from .test_io_roundtrip import answers

pa = pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is not installed")
pq = pytest.importorskip("pyarrow.parquet")

from whereabouts.io.parquet import read_parquet, read_tables, write_parquet  # noqa: E402


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


def test_a_dataset_rewritten_by_duckdb_reads_back_the_same(tmp_path: Path) -> None:
    """Plain tables both ways: what another tool writes in the schema (plain strings,
    every column nullable, no metadata) is read as well as what write_parquet wrote."""
    duckdb = pytest.importorskip("duckdb", reason="duckdb (the benchmark extra) is not "
                                                  "installed")
    ledger = assad_2024()
    write_parquet(ledger, tmp_path / "assad")
    (tmp_path / "copy").mkdir()
    for spec in TABLES:
        source, target = tmp_path / "assad" / spec.file, tmp_path / "copy" / spec.file
        duckdb.sql(f"copy (select * from read_parquet('{source}')) to '{target}' "
                   "(format parquet)")
    assert not pa.types.is_dictionary(
        pq.read_schema(tmp_path / "copy" / "claims.parquet").field("kind").type)
    assert read_parquet(tmp_path / "copy") == ledger


# -- the target folder --------------------------------------------------------------------


def test_a_folder_that_is_not_empty_is_replaced_only_when_asked(tmp_path: Path) -> None:
    from whereabouts.errors import WhereaboutsError

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(WhereaboutsError, match="not empty"):
        write_parquet(assad_2024(), tmp_path / "out")
    assert (tmp_path / "out" / "keep.txt").read_text() == "mine"
    write_parquet(assad_2024(), tmp_path / "out", replace=True)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        spec.file for spec in TABLES)
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left


def test_an_empty_folder_is_written_into(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    write_parquet(Ledger(), tmp_path / "out")
    assert read_parquet(tmp_path / "out") == Ledger()


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: p.write_text("x"), "not a folder"),
    (lambda p: None, "no such folder"),
])
def test_a_target_that_cannot_be_a_dataset_is_refused(tmp_path: Path, make: object,
                                                       reason: str) -> None:
    from whereabouts.errors import WhereaboutsError

    target = tmp_path / "file" if reason == "not a folder" else tmp_path / "no" / "out"
    make(target)  # type: ignore[operator]
    with pytest.raises(WhereaboutsError, match=reason):
        write_parquet(assad_2024(), target)


def test_a_failed_write_leaves_the_old_dataset_and_no_temporary_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from whereabouts.io import parquet

    write_parquet(assad_2024(), tmp_path / "out")
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}

    def broken(self: object) -> object:
        raise OSError("disk full")

    monkeypatch.setattr(parquet._Writer, "claims", broken)
    with pytest.raises(OSError, match="disk full"):
        write_parquet(Ledger(), tmp_path / "out", replace=True)
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# -- bad datasets: one clear error, naming the file, the column and the first bad row ----


def _case() -> Ledger:
    """The bundled example, with a correction, a retraction and a denial at its end."""
    ledger = assad_2024()
    first, second, third = (o.id for o in ledger.observations[:3])
    ledger.correct(first, source="a wire", reported="2025-01-02", note="the right date")
    ledger.retract(second, source="a wire", reported="2025-01-03", reason="a mistake")
    ledger.deny(third, source="Kremlin", reported="2025-01-04")
    return ledger


def _dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "assad"
    write_parquet(_case(), folder)
    return folder


def test_corrections_retractions_and_denials_are_rows_of_claims(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    claims = pq.read_table(folder / "claims.parquet").to_pydict()
    assert claims["entry"][-3:] == ["correction", "retraction", "denial"]
    assert claims["note"][-3:] == ["the right date", "a mistake", ""]
    assert claims["subjects"][-2:] == [[], []]
    assert read_parquet(folder) == _case()


def _edit(folder: Path, name: str, column: str, change: object, *,
          type: object = None) -> None:
    """Rewrite one column of one table: ``change`` maps its values to new ones."""
    path = folder / f"{name}.parquet"
    table = pq.read_table(path)
    at = table.schema.get_field_index(column)
    values = change(table.column(column).to_pylist())  # type: ignore[operator]
    table = table.set_column(at, column, pa.array(values, type=type))
    pq.write_table(table, path)


def _error(folder: Path) -> str:
    from whereabouts.io import LedgerFileError

    with pytest.raises(LedgerFileError) as caught:
        read_parquet(folder)
    assert len(caught.value.problems) >= 1
    return str(caught.value)


def _at(row: int, value: object) -> object:
    def change(values: list[object]) -> list[object]:
        return [value if n == row else v for n, v in enumerate(values)]
    return change


def test_a_missing_folder(tmp_path: Path) -> None:
    assert _error(tmp_path / "none") == f"{tmp_path / 'none'}: no such folder: a Parquet " \
                                        "dataset is a folder of tables"


def test_a_missing_table(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    (folder / "sources.parquet").unlink()
    assert _error(folder) == (f"{folder / 'sources.parquet'}: missing: the sources table "
                              "of the dataset")


@pytest.mark.parametrize("broken", [None, "sources.parquet"])
def test_every_file_opened_is_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     broken: str | None) -> None:
    """Read or refused, a dataset leaves no table open (nor Arrow's freed memory kept)."""
    import pyarrow.parquet as pq

    folder = _dataset(tmp_path)
    if broken is not None:
        (folder / broken).unlink()
    opened: list[object] = []

    class Counted(pq.ParquetFile):  # type: ignore[misc]
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            opened.append(self)

    monkeypatch.setattr(pq, "ParquetFile", Counted)
    if broken is None:
        assert read_parquet(folder) == _case()
    else:
        assert _error(folder).startswith(f"{folder / broken}: missing")
    assert opened
    assert all(file.reader.closed for file in opened)  # type: ignore[attr-defined]


def test_a_file_that_is_not_parquet(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    (folder / "places.parquet").write_text("id,name\n")
    assert _error(folder).startswith(f"{folder / 'places.parquet'}: not a Parquet file: ")


def test_a_missing_column(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    table = pq.read_table(folder / "claims.parquet")
    pq.write_table(table.drop_columns(["reported", "grading"]), folder / "claims.parquet")
    assert _error(folder) == (f"{folder / 'claims.parquet'}: reported: missing column\n"
                              f"{folder / 'claims.parquet'}: grading: missing column")


def test_a_column_of_another_table(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    table = pq.read_table(folder / "relations.parquet")
    pq.write_table(table.append_column("country", pa.array(["SY"] * len(table))),
                   folder / "relations.parquet")
    assert _error(folder).startswith(f"{folder / 'relations.parquet'}: country: not a "
                                     "column of this table (its columns: subject, kind")


def test_a_column_of_the_wrong_type(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    _edit(folder, "claims", "when_lower", lambda values: [str(v) for v in values])
    _edit(folder, "claims", "subjects", lambda values: [";".join(v) for v in values])
    text = _error(folder)
    assert f"{folder / 'claims.parquet'}: subjects: expected list<string>, not string" in text
    assert f"{folder / 'claims.parquet'}: when_lower: expected float64, not string" in text


def test_a_null_where_a_value_is_needed(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    _edit(folder, "entities", "name", _at(2, None))
    assert _error(folder) == (f"{folder / 'entities.parquet'}: row 2, name: null where a "
                              "value is needed")


def test_a_claim_about_an_unknown_entity(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    _edit(folder, "claims", "subjects", _at(7, ["ghost"]))
    assert _error(folder) == (f"{folder / 'claims.parquet'}: row 7, subjects: 'ghost': "
                              "no person or group has this id")


def test_a_bad_date(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    _edit(folder, "claims", "when", _at(5, "2024-13-01"))
    assert _error(folder) == (f"{folder / 'claims.parquet'}: row 5, when: '2024-13-01': "
                              "month 13 does not exist")


def test_a_bad_report_date_of_a_retraction(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    claims = pq.read_table(folder / "claims.parquet").to_pydict()
    row = claims["entry"].index("retraction")
    _edit(folder, "claims", "reported", _at(row, "yesterday"))
    assert _error(folder).startswith(f"{folder / 'claims.parquet'}: row {row}, reported: "
                                     "'yesterday': ")


def test_a_duplicate_claim_id(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    _edit(folder, "claims", "id", lambda values: [*values[:5], values[2], *values[6:]])
    assert _error(folder).startswith(f"{folder / 'claims.parquet'}: row 5, id: ")
    assert _error(folder).endswith(": id already in the ledger")


def test_a_duplicate_entity_id(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    _edit(folder, "entities", "id", lambda values: [values[0], values[0], *values[2:]])
    assert _error(folder) == (f"{folder / 'entities.parquet'}: row 1, id: 'bashar': id "
                              "already in the ledger")


def test_a_duplicate_place_id(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    _edit(folder, "places", "id", lambda values: [values[0], values[0], *values[2:]])
    assert _error(folder).startswith(f"{folder / 'places.parquet'}: row 1, id: ")


def test_a_claim_at_an_unknown_place_or_source(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    _edit(folder, "claims", "place", _at(3, "nowhere"))
    _edit(folder, "claims", "source", _at(4, "nobody"))
    assert _error(folder) == (f"{folder / 'claims.parquet'}: row 3, place: 'nowhere': no "
                              "such place in places.parquet")


def test_a_place_inside_a_place_not_defined_above(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    places = pq.read_table(folder / "places.parquet").to_pydict()
    row = next(n for n, parent in enumerate(places["parent"]) if parent is not None)
    _edit(folder, "places", "parent", _at(row, "atlantis"))
    assert _error(folder) == (f"{folder / 'places.parquet'}: row {row}, parent: 'atlantis': "
                              "no place with this id is defined above")


def test_an_unknown_kind(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    _edit(folder, "claims", "kind", _at(5, "flew to"))
    assert _error(folder).startswith(f"{folder / 'claims.parquet'}: row 5, kind: 'flew to': "
                                     "not a kind of observation")


def test_an_unknown_entry(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    _edit(folder, "claims", "entry", _at(5, "rumour"))
    assert _error(folder).startswith(f"{folder / 'claims.parquet'}: row 5, entry: 'rumour': "
                                     "expected one of observation, correction")


def test_a_retraction_of_nothing(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    claims = pq.read_table(folder / "claims.parquet").to_pydict()
    row = claims["entry"].index("retraction")
    _edit(folder, "claims", "target", _at(row, "o999"))
    assert _error(folder) == (f"{folder / 'claims.parquet'}: row {row}, target: 'o999': no "
                              "such observation in the ledger")


def test_claims_out_of_order(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    _edit(folder, "claims", "seq", lambda values: [*values[:3], values[4], values[3],
                                                    *values[5:]])
    assert _error(folder) == (f"{folder / 'claims.parquet'}: row 4, seq: 3: not after the "
                              "row before (4): the claims are in ledger order")


def test_a_dataset_of_a_newer_version(tmp_path: Path) -> None:
    import json

    folder = _dataset(tmp_path)
    table = pq.read_table(folder / "sources.parquet")
    meta = {b"whereabouts": json.dumps({"format": "whereabouts-ledger-parquet",
                                        "version": 99, "table": "sources"}).encode()}
    pq.write_table(table.replace_schema_metadata(meta), folder / "sources.parquet")
    assert "written by a newer whereabouts (format version 99" in _error(folder)


def test_an_error_in_a_later_batch_names_its_row_in_the_file(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    _edit(folder, "claims", "when", _at(17, "2024-02-30"))
    from whereabouts.io import LedgerFileError

    with pytest.raises(LedgerFileError, match=r"claims.parquet: row 17, when: '2024-02-30'"):
        read_parquet(folder, rows=4)


def test_writing_builds_no_object_per_claim(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The claims table comes from the store's columns: no Observation is built."""
    from whereabouts._store import Store

    ledger = assad_2024()
    expected = dumps(ledger)

    def refused(self: Store, row: int) -> object:
        raise AssertionError(f"built the observation of row {row}")

    monkeypatch.setattr(Store, "observation", refused)
    write_parquet(ledger, tmp_path / "assad", rows=5)
    monkeypatch.undo()
    assert dumps(read_parquet(tmp_path / "assad")) == expected


def test_reading_appends_through_the_bulk_path(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain observations arrive a Batch at a time; only corrections, retractions and
    denials are appended one by one."""
    case = _case()
    write_parquet(case, tmp_path / "case")
    calls: list[str] = []
    extend, append = Ledger.extend, Ledger.append

    def counted_extend(self: Ledger, batch: object) -> object:
        calls.append(f"extend {len(batch)}")  # type: ignore[arg-type]
        return extend(self, batch)  # type: ignore[arg-type]

    def counted_append(self: Ledger, entry: object) -> object:
        calls.append(f"append {type(entry).__name__}")
        return append(self, entry)  # type: ignore[call-overload]

    monkeypatch.setattr(Ledger, "extend", counted_extend)
    monkeypatch.setattr(Ledger, "append", counted_append)
    again = read_parquet(tmp_path / "case", rows=10)
    monkeypatch.undo()
    assert again == case
    assert calls == ["extend 10", "extend 10", "extend 3", "append Observation",
                     "append Retraction", "append Denial"]


def _tables(folder: Path) -> dict[str, object]:
    return {spec.name: pq.read_table(folder / spec.file) for spec in TABLES}


def test_tables_in_memory_give_the_same_ledger(tmp_path: Path) -> None:
    assert read_tables(_tables(_dataset(tmp_path)), rows=4) == _case()


def test_tables_in_memory_a_missing_or_wrong_one(tmp_path: Path) -> None:
    from whereabouts.io import LedgerFileError

    tables = _tables(_dataset(tmp_path))
    del tables["relations"]
    with pytest.raises(LedgerFileError, match=r"^<relations>: missing: a pyarrow Table"):
        read_tables(tables)
    tables["relations"] = "relations.parquet"
    with pytest.raises(LedgerFileError, match=r"^<relations>: expected a pyarrow Table, "
                                              r"not str$"):
        read_tables(tables)


def test_tables_in_memory_name_the_table_column_and_row(tmp_path: Path) -> None:
    from whereabouts.io import LedgerFileError

    tables = _tables(_dataset(tmp_path))
    claims = tables["claims"]
    at = claims.schema.get_field_index("when")
    values = claims.column("when").to_pylist()
    values[9] = "2024-13"
    tables["claims"] = claims.set_column(at, "when", pa.array(values))
    with pytest.raises(LedgerFileError, match=r"^<claims>: row 9, when: '2024-13': "):
        read_tables(tables)


def test_a_part_of_the_claims_is_read_in_its_order(tmp_path: Path) -> None:
    """The claims of some entities (as a Spark job hands over): gaps in seq are fine."""
    tables = _tables(_dataset(tmp_path))
    claims = tables["claims"]
    about_maher = [("maher" in subjects) for subjects in claims.column("subjects").to_pylist()]
    tables["claims"] = claims.filter(pa.array(about_maher))
    part = read_tables(tables)
    whole = _case()
    assert [o.id for o in part.observations] == [
        o.id for o in whole.observations if "maher" in o.subjects]
    assert str(part.last_known("maher")) == str(whole.last_known("maher"))


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.none() | edtf_texts() | edtf_datetimes() | edtf_dates(
    unspecified=False, qualified=False), max_size=40))
def test_date_texts_are_written_from_numbers_as_when_writes_them(texts: list[str | None],
                                                                 ) -> None:
    """The claims table's date texts, formatted by Arrow from the dates' numbers, are
    each date's own EDTF text ("" for none), plain dates and kept objects alike."""
    import numpy as np

    from whereabouts._whens import Dates
    from whereabouts.io.parquet import _date_texts
    from whereabouts.when import When

    dates = Dates()
    for text in texts:
        dates.code(None if text is None else When(text))
    every = np.arange(len(dates))
    assert _date_texts(dates, every).to_pylist() == ["" if w is None else str(w) for w in dates]
    some = every[::-2]  # a chunk's own table: any codes, in any order
    assert _date_texts(dates, some).to_pylist() == [
        "" if dates[c] is None else str(dates[c]) for c in some.tolist()]


@settings(max_examples=100, deadline=None)
@given(ids=st.lists(st.one_of(
    st.builds(lambda p, n, w: f"{p}{n:0{w}d}", st.sampled_from(["o", "obs-", "é"]),
              st.integers(0, 10**6), st.integers(1, 9)),
    st.from_regex(r"[a-z]{1,5}", fullmatch=True),  # no digits: kept apart, by row
), unique=True, max_size=30), gaps=st.lists(st.booleans(), min_size=60, max_size=60),
    window=st.tuples(st.integers(0, 70), st.integers(0, 70)))
def test_own_ids_are_written_from_numbers_as_the_ledger_gives_them(
        ids: list[str], gaps: list[bool], window: tuple[int, int]) -> None:
    """The claims table's ids of their own, written by Arrow from prefix, number and
    width, are each row's own id (null where a row has none)."""
    from whereabouts._ids import Ids
    from whereabouts.io.parquet import _own_ids

    table, rows = Ids(), [n for n, gap in enumerate(gaps) if not gap][: len(ids)]
    for row, oid in zip(rows, ids, strict=False):
        table.add(row, oid)
    start, stop = min(window), max(window)
    assert _own_ids(table, start, stop).to_pylist() == [
        table.id_of(row) for row in range(start, stop)]


def test_a_batch_of_a_row_group_reads_only_the_dates_it_holds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dataset written in one row group and read in small batches: each batch's
    dictionary is the row group's, and only the dates its own rows hold are parsed
    and kept (reading the whole dictionary at every batch parsed each date once per
    batch and kept every copy in the ledger's table of dates)."""
    from whereabouts import _whens
    from whereabouts.io import parquet as parquet_module

    ledger = Ledger()
    ledger.add_person("Amal Haddad", id="amal")
    for day in range(1, 29):
        ledger.observe("amal", "seen at", place="Damascus", when=f"2024-02-{day:02d}T10:00:00Z",
                       source="a wire", reported=f"2024-03-{day:02d}", id=f"obs-{day}")
    write_parquet(ledger, tmp_path / "case", rows=1 << 20)  # one row group
    parsed: list[int] = []
    real = _whens.parse_many

    def counted(texts: list[str], **options: object) -> object:
        parsed.append(len(texts))
        return real(texts, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(parquet_module, "parse_many", counted)
    again = read_parquet(tmp_path / "case", rows=4)
    assert dumps(again) == dumps(ledger)
    assert sum(parsed) == 2 * 28  # each date of a row once, when and reported
    batches = 28 // 4
    assert len(again._store.whens) <= 1 + 2 * (28 + batches)  # and a null per batch's table
