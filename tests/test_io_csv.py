"""CSV import and export: columns, encodings, names, and every problem with line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from whereabouts import Kind, Ledger, Place, Source
from whereabouts.examples import assad_2024
from whereabouts.io import COLUMNS, LedgerFileError, SqliteLedger, read_csv, to_csv, write_csv
from whereabouts.io._cells import TEMPLATE as TEMPLATE_COLUMNS
from whereabouts.io.csv import OPTIONAL

HEADER = ",".join(COLUMNS)
TEMPLATE = Path(__file__).parent.parent / "docs" / "template.csv"


def sheet(tmp_path: Path, *rows: str, header: str = HEADER, encoding: str = "utf-8",
          newline: str = "\n") -> Path:
    path = tmp_path / "case.csv"
    text = newline.join([header, *rows]) + newline
    path.write_bytes(text.encode(encoding))
    return path


def problems(path: Path, ledger: Ledger | None = None) -> list[str]:
    with pytest.raises(LedgerFileError) as info:
        read_csv(path, ledger)
    assert str(info.value).startswith(str(path))
    return [str(p) for p in info.value.problems]


def test_the_template_has_exactly_the_columns(tmp_path: Path) -> None:
    assert TEMPLATE.read_text(encoding="utf-8").splitlines()[0] == ",".join(TEMPLATE_COLUMNS)
    assert (*COLUMNS, "throughout", "narrative") == TEMPLATE_COLUMNS
    report = read_csv(TEMPLATE)
    assert report.ok
    assert len(report.ledger) == 0


def test_the_seed_exports_and_imports_back(tmp_path: Path) -> None:
    seed = assad_2024()
    path = tmp_path / "seed.csv"
    write_csv(seed, path)
    skeleton = Ledger(gazetteer=seed.gazetteer)
    for entity in seed.entities:
        skeleton.add(entity)
    for relation in seed.relations:
        skeleton.relate(relation.subject, relation.kind, relation.object)
    report = read_csv(path, skeleton)
    assert report.ok
    assert [o.place for o in skeleton.observations] == [o.place for o in seed.observations]
    assert [str(o.source) for o in skeleton.observations] == [
        str(o.source) for o in seed.observations]
    assert str(skeleton.everyone()) == str(seed.everyone())


def test_bom_crlf_and_quoted_newlines_are_read(tmp_path: Path) -> None:
    path = sheet(tmp_path, ',Nour Khalil,seen at,Beirut,2024-12-07,a wire,2024-12-08,B,2,'
                           '"seen, they say,\r\nat the port",', encoding="utf-8-sig",
                 newline="\r\n")
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid,")
    report = read_csv(path)
    (obs,) = report.ledger.observations
    assert obs.note == "seen, they say,\r\nat the port"
    assert [p.name for p in report.created] == ["Nour Khalil"]


def test_names_ids_groups_and_alternatives(tmp_path: Path) -> None:
    ledger = Ledger()
    ledger.add_person("Sami Nasser", id="sami")
    ledger.add_group("the crew", id="crew")
    path = sheet(tmp_path,
                 "a,sami; the crew; Nour Khalil,arrived at,Dubai | Doha | Chtoura,,"
                 "witnesses → a wire → Reuters,2024-12-20,,,,",
                 "b,nour khalil,died,,2024-12-21,Reuters,2024-12-22,A,1,,a")
    report = read_csv(path, ledger)
    first, second = ledger.observations
    assert first.subjects == ("sami", "crew", "nour-khalil")
    assert first.place is not None
    assert [p.label for p in first.place.options] == ["Dubai (AE)", "Doha (QA)", "Chtoura (LB)"]
    assert [s.name for s in first.source.chain] == ["witnesses", "a wire", "Reuters"]
    assert str(first.grading) == "F6"
    assert (second.subjects, second.after, str(second.grading)) == (("nour-khalil",), ("a",), "A1")
    assert [e.id for e in report.created] == ["nour-khalil"]


def test_missing_and_extra_columns(tmp_path: Path) -> None:
    optional = ", ".join(OPTIONAL)
    header = "id,subjects,kind,place,when,source,reported,reliability,colour,note,after,size"
    assert problems(sheet(tmp_path, header=header)) == ["1: missing column: credibility"]
    assert problems(sheet(tmp_path, header="id,subjects,kind,subjects")) == [
        "1:4: column 'subjects' twice",
        "1: missing columns: place, when, source, reported, reliability, credibility, note, "
        "after",
    ]
    # a name close to a column's is a typo, not an extra column: refused, with the fix
    typo = HEADER.replace("reported", "reportd")
    assert problems(sheet(tmp_path, header=typo)) == [
        "1:7: unknown column 'reportd' (did you mean 'reported'? the columns are: id, "
        f"subjects, kind, place, when, source, reported, reliability, credibility, note, "
        f"after; optional: {optional})",
        "1: missing column: reported",
    ]


def test_extra_columns_are_left_unread_with_a_notice(tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    path = sheet(tmp_path, ",Nour Khalil,seen at,Beirut,2024-12-07,a wire,2024-12-08,B,2,,,"
                           "https://example.org/x,",
                 header=HEADER + ",url,")
    with caplog.at_level("INFO", logger="whereabouts"):
        report = read_csv(path)
    assert report.ok
    assert report.notices == (
        "column 12 ('url') is not one whereabouts reads: left unread",
        "column 13 ('') is not one whereabouts reads: left unread")
    assert "column 12 ('url')" in caplog.text
    assert "note: column 12" in str(report)
    assert len(report.ledger) == 1


def test_every_problem_of_every_row_at_once(tmp_path: Path) -> None:
    ledger = Ledger()
    ledger.add_person("Amal Haddad", id="amal")
    ledger.add_person("Amal Nasser", id="amal-n")
    before = to_csv(ledger), ledger.entities
    path = sheet(
        tmp_path,
        ",Amal Haddad,flew to,Tripoli,2024-13-01,,2024-12-10,G,7,,nowhere",
        ",Amal,seen at,Xyzzyland,,a wire,,B,2,,",
        "amal,Amal Haddad,died,,,a wire,2024-12-10,,,,",
        ",Amal Haddad,seen at,,2024-12-09,a wire,2024-12-10,,,,",
        ",Amal Haddad,seen at,Beirut,2024-12-12,a wire,2024-12-10,,,,",
        ",Amal Haddad,seen at,Beirut",
        ",,whereabouts unknown,,,a wire,2024-12-10,,,,",
    )
    assert problems(path, ledger) == [
        "2:3: kind: 'flew to': not a kind of observation (known: 'seen at', 'reported at', "
        "'arrived at', 'passed through', 'sheltering at', 'detained at', 'treated at', "
        "'granted asylum in', 'departed', 'heading to', 'attacked', 'injured', 'died', "
        "'whereabouts unknown', 'refused entry to', 'turned back on the way to', "
        "'called off going to')",
        "2:4: place: 'Tripoli': ambiguous: Tripoli (LY); Tripoli (LB); Trípoli (GR); pass "
        "country= or near=; in a CSV, add the country: 'NAME, COUNTRY'",
        "2:5: when: '2024-13-01': month 13 does not exist",
        "2:6: source: names who said so (a relay chain reads 'origin → outlet')",
        "2:8: reliability: 'G': source reliability must be A-F",
        "2:9: credibility: 7: information credibility must be 1-6",
        "2:11: after: 'nowhere': no such observation on an earlier row or in the ledger",
        "3:2: subjects: 'Amal': fits 2 entities: Amal Haddad (amal), Amal Nasser (amal-n)",
        "3:4: place: 'Xyzzyland': no layer knows this place",
        "4:1: id: 'amal': id already in the ledger or on an earlier row",
        "5:4: place: 'seen at' needs a place",
        "6:5: when: '2024-12-12': it cannot have happened after it was reported (2024-12-10)",
        "7:5: 4 fields, but the header has 11 columns",
        "8:2: subjects: names one or more people or groups",
    ]
    assert (to_csv(ledger), ledger.entities) == before  # nothing imported


def test_keep_valid_imports_the_valid_rows_only(tmp_path: Path) -> None:
    path = sheet(tmp_path,
                 ",Nour Khalil,seen at,Beirut,2024-12-07,a wire,2024-12-08,,,,",
                 ",Sami Nasser,seen at,Xyzzyland,2024-12-07,a wire,2024-12-08,,,,",
                 ",Sami Nasser,seen at,Beirut,2024-12-07,a wire,2024-12-08,,,,")
    report = read_csv(path, keep_valid=True)
    assert [str(p) for p in report.problems] == [
        "3:4: place: 'Xyzzyland': no layer knows this place"]
    assert [o.id for o in report.added] == ["o1", "o2"]
    assert [e.name for e in report.created] == ["Nour Khalil", "Sami Nasser"]
    assert report.read == 3
    assert not report.ok


def test_unknown_places_come_with_suggestions(tmp_path: Path) -> None:
    path = sheet(tmp_path, ",Nour Khalil,seen at,Damscus,,a wire,2024-12-08,,,,")
    (problem,) = problems(path)
    assert problem.startswith("2:4: place: 'Damscus': no layer knows this place; suggestions "
                              "(not applied): Damascus, Syria")


def test_a_sqlite_ledger_takes_the_import_in_one_transaction(tmp_path: Path) -> None:
    path = sheet(tmp_path,
                 ",Nour Khalil,seen at,Beirut,2024-12-07,a wire,2024-12-08,,,,",
                 ",Nour Khalil,seen at,Dubai,2024-12-09,a wire,2024-12-10,,,,")
    with SqliteLedger.open(tmp_path / "case.db") as store:
        read_csv(path, store)
    with SqliteLedger.open(tmp_path / "case.db") as again:
        assert [o.place.name for o in again.observations if o.place] == ["Beirut", "Dubai"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file: expected a header row with the columns id, subjects, kind, place, "
              "when, source, reported, reliability, credibility, note, after"),
        (b"\n\n  \n", "empty file: expected a header row with the columns id, subjects, kind, "
                      "place, when, source, reported, reliability, credibility, note, after"),
        (b"id,subjects\x00\x01", "1: binary data (a NUL byte): not a CSV file"),
        ((HEADER + "\n,Ren\xe9,died,,,a,2024,,,,\n").encode("latin-1"),
         "2: not UTF-8 text (byte 0xe9): save the sheet as CSV UTF-8"),
    ],
)
def test_files_that_are_not_csv(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "case.csv"
    path.write_bytes(content)
    assert problems(path) == [message]


def test_a_missing_file(tmp_path: Path) -> None:
    assert problems(tmp_path / "nowhere.csv") == [
        "cannot read the file: No such file or directory"]


def test_export_writes_ids_when_names_are_ambiguous_and_retractions_as_rows(
        tmp_path: Path) -> None:
    ledger = Ledger()
    ledger.add_person("Amal Haddad", id="a1")
    ledger.add_person("Amal Haddad", id="a2")
    wire = Source("a wire")
    first = ledger.observe("a1", Kind.SEEN_AT, place=Place.from_country("LB"), source=wire,
                           reported="2024-12-10")
    ledger.observe("a2", Kind.SEEN_AT, place=Place.city("Tripoli", country="LB"), source=wire,
                   reported="2024-12-10")
    ledger.retract(first, source=wire, reported="2024-12-11", reason="wrong person")
    lines = to_csv(ledger).splitlines()
    tripoli = ('"{""place"": [{""name"": ""Tripoli"", ""kind"": ""city"", ""country"": ""LB"", '
               '""parent"": {""name"": ""Lebanon"", ""kind"": ""country"", '
               '""country"": ""LB""}}]}"')
    assert lines == [HEADER + ",entry,target,exact",  # a Tripoli of its own: not the gazetteer's
                     "o1,a1,seen at,Lebanon,,a wire,2024-12-10,F,6,,,,,",
                     f"o2,a2,seen at,Tripoli,,a wire,2024-12-10,F,6,,,,,{tripoli}",
                     "o3,,,,,a wire,2024-12-11,,,wrong person,,retraction,o1,"]
    write_csv(ledger, tmp_path / "again.csv")
    skeleton = Ledger()
    for entity in ledger.entities:
        skeleton.add(entity)
    assert read_csv(tmp_path / "again.csv", skeleton).ledger == ledger


# -- stays, narratives, attempts, unknown report dates ----------------------------------


def test_stays_narratives_attempts_and_unknown_report_dates(tmp_path: Path) -> None:
    path = sheet(
        tmp_path,
        "held,Nour Khalil,detained at,Beirut,2024-11-19/2025-03-06,a lawyer,2025-03-10,,,,,Yes,",
        "set,Nour Khalil,detained at,Beirut,{2024-11-19..2025-03-06},a lawyer,2025-03-10,,,,,,",
        ",Nour Khalil,seen at,Beirut,{2025-03-07..2025-03-08},a lawyer,2025-03-10,,,,,0,trip",
        ",Nour Khalil,refused entry to,Dubai,2025-03-12,a cousin,,,,,, ,trip",
        ",Nour Khalil,seen at,Doha,2025-03-13,a cousin,,,,,held,,trip",
        header=",".join(TEMPLATE_COLUMNS))
    report = read_csv(path)
    ledger = report.ledger
    assert [o.throughout for o in ledger.observations] == [True, True, False, False, False]
    assert [o.after for o in ledger.observations] == [(), (), (), ("o3",), ("held", "o4")]
    assert ledger.observation("o4").kind is Kind.REFUSED_ENTRY
    assert ledger.observation("o4").reported is None
    assert ledger.observations[1].reported is not None
    lines = to_csv(ledger).splitlines()
    assert lines[0] == HEADER + ",throughout"  # narrative: carried by the after links
    assert lines[1:] == [
        "held,Nour Khalil,detained at,Beirut,2024-11-19/2025-03-06,a lawyer,2025-03-10,F,6,,,true",
        "set,Nour Khalil,detained at,Beirut,{2024-11-19..2025-03-06},a lawyer,2025-03-10,F,6,,,",
        "o3,Nour Khalil,seen at,Beirut,{2025-03-07..2025-03-08},a lawyer,2025-03-10,F,6,,,false",
        "o4,Nour Khalil,refused entry to,Dubai,2025-03-12,a cousin,,F,6,,o3,",
        "o5,Nour Khalil,seen at,Doha,2025-03-13,a cousin,,F,6,,held; o4,",
    ]
    write_csv(ledger, tmp_path / "again.csv")
    assert read_csv(tmp_path / "again.csv").ledger == ledger


def test_bad_throughout_cells_and_narrative_links_name_row_and_column(tmp_path: Path) -> None:
    path = sheet(
        tmp_path,
        "a,Nour Khalil,seen at,Beirut,2024-12-01,a wire,2024-12-31,,,,,maybe,",
        "b,Nour Khalil,departed,Beirut,2024-12-02,a wire,2024-12-31,,,,,true,",
        "c,Nour Khalil,seen at,Beirut,,a wire,2024-12-31,,,,,true,",
        'd,Nour Khalil,seen at,Beirut,"{2024-12-01,2024-12-03}",a wire,2024-12-31,,,,,true,',
        "e,Nour Khalil,seen at,Beirut,2024-12-10,a wire,2024-12-31,,,,,,story",
        "f,Nour Khalil,seen at,Beirut,2024-12-05,a wire,2024-12-31,,,,,,story",
        header=",".join(TEMPLATE_COLUMNS))
    assert problems(path) == [
        "2:12: throughout: 'maybe': expected true or false (or yes/no, 1/0); empty for the "
        "default",
        "3:12: throughout: True: only a presence can hold throughout a span, not 'departed'",
        "4:5: when: a stay needs the span it held over",
        "5:5: when: '{2024-12-01,2024-12-03}': a stay needs one span: an interval A/B, a set "
        "{A..B}, or a single date",
        "7:13: narrative: 'e': the narrative puts this row after it, later than the row's own "
        "dates allow",
    ]


def test_old_sheets_read_and_write_as_before(tmp_path: Path) -> None:
    path = sheet(tmp_path, "a,Nour Khalil,seen at,Beirut,{2024-12-01..2024-12-03},a wire,"
                           "2024-12-31,B,2,,")
    ledger = read_csv(path).ledger
    assert ledger.observation("a").throughout  # "all of" those days: a stay by default
    assert to_csv(ledger).splitlines() == [
        HEADER, "a,Nour Khalil,seen at,Beirut,{2024-12-01..2024-12-03},a wire,2024-12-31,B,2,,"]


def test_denials_are_rows_of_their_own(tmp_path: Path) -> None:
    ledger = Ledger()
    ledger.add_person("Amal Haddad", id="amal-haddad")
    first = ledger.observe("amal-haddad", Kind.SEEN_AT, place=Place.from_country("LB"),
                           source="a wire", reported="2024-12-10")
    ledger.deny(first, source="the ministry", reported="2024-12-11")
    assert to_csv(ledger).splitlines()[1:] == [
        "o1,Amal Haddad,seen at,Lebanon,,a wire,2024-12-10,F,6,,,,",
        "o2,,,,,the ministry,2024-12-11,,,,,denial,o1"]
    write_csv(ledger, tmp_path / "case.csv")
    again = read_csv(tmp_path / "case.csv").ledger
    assert again == ledger
    assert str(again.last_known("Amal Haddad")) == str(ledger.last_known("Amal Haddad"))
