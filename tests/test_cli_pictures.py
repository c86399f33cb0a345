"""The command line's pictures and exports of issue 10: ``map``, ``timeline``,
``export --timelinejs/--timesketch/--ftm`` and ``import --ftm``.

Every picture goes through the same ``-o`` checks as ``export`` (made before the ledger
is read) and is written atomically; bad input is one line and exit code 2; nothing to
draw is a picture that says so, a notice, and exit code 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from whereabouts import Ledger
from whereabouts.cli import BAD_INPUT, BROKEN_PIPE, FOUND, INTERNAL_ERROR, NOT_FOUND, main
from whereabouts.io import save

PNG, SVG, HTML = b"\x89PNG", b"<?xml", b"<!DOCTYPE html>"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def one_error(capsys: pytest.CaptureFixture[str]) -> str:
    """The single error line of the command just run (nothing on standard output)."""
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("whereabouts: error: ")
    return lines[0]


# -- map -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "magic"), [("case.html", HTML), ("case.htm", HTML),
                                             ("case.png", PNG), ("case.svg", SVG)])
def test_map_format_by_suffix(name: str, magic: bytes, folder: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "-o", name]) == FOUND
    assert (folder / name).read_bytes().startswith(magic)
    captured = capsys.readouterr()
    assert captured.out == ""
    fmt = "html" if name.endswith((".html", ".htm")) else name[-3:]
    assert captured.err.startswith(f"wrote {name}: {fmt} map of 14 people, 28 points; "
                                   "2 claims left out:\n")
    assert "left out: Bouthaina Shaaban: Europe (aides-scatter)" in captured.err


def test_map_format_option_beats_the_suffix(folder: Path) -> None:
    assert main(["map", "-o", "case.out", "--format", "svg", "-q"]) == FOUND
    assert (folder / "case.out").read_bytes().startswith(SVG)


def test_map_people_by_position_and_person_option_and_json(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "Bashar al-Assad", "--person", "Maher", "--person", "bashar",
                 "-o", "two.png", "--json", "--as-of", "2024-12-31"]) == FOUND
    report = json.loads(capsys.readouterr().out)
    assert report["path"] == "two.png"
    assert report["format"] == "png"
    assert report["people"] == ["Bashar al-Assad", "Maher al-Assad"]  # each once
    assert report["marks"] == 7
    assert report["left_out"] == []
    assert report["nothing_to_draw"] is None
    assert report["size"] == (folder / "two.png").stat().st_size
    west, south, east, north = report["extent"]
    assert west < 36.3 < east
    assert south < 33.5 < north
    assert len(report["frame"]) == 4


def test_map_json_lists_what_was_left_out(folder: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "Bouthaina Shaaban", "-o", "b.html", "--json"]) == FOUND
    report = json.loads(capsys.readouterr().out)
    assert report["extent"] is None
    assert report["frame"] is None
    (item,) = report["left_out"]
    assert item["entity"] == {"id": "shaaban", "name": "Bouthaina Shaaban", "type": "person"}
    assert item["observation"] == "aides-scatter"
    assert "no one point" in item["reason"]


def test_map_known_at_changes_what_is_drawn(folder: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "-o", "early.html", "--known-at", "2024-12-09", "--json"]) == FOUND
    early = json.loads(capsys.readouterr().out)
    assert main(["map", "-o", "late.html", "--json"]) == FOUND
    late = json.loads(capsys.readouterr().out)
    assert early["marks"] < late["marks"]


def test_map_tiles_go_into_the_html_only(folder: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "-o", "tiles.html", "--tiles", "osm", "-q"]) == FOUND
    assert "tile.openstreetmap.org" in (folder / "tiles.html").read_text(encoding="utf-8")
    assert main(["map", "-o", "tiles.png", "--tiles", "osm"]) == BAD_INPUT
    assert "tiles: 'osm': a tile background is for the HTML map only" in one_error(capsys)
    assert not (folder / "tiles.png").exists()


def test_map_html_to_stdout(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "Bashar al-Assad", "-o", "-"]) == FOUND
    captured = capsys.readouterr()
    assert captured.out.startswith("<!DOCTYPE html>")
    assert captured.err.startswith("wrote <stdout>: html map of 1 person")
    assert main(["map", "-o", "-", "--format", "svg", "-q"]) == FOUND
    captured = capsys.readouterr()
    assert captured.out.startswith("<?xml")
    assert captured.err == ""
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["map", "-o", "-", "--format", "png"], "output: '-': a PNG is not text"),
     (["timeline", "-o", "-", "--format", "png"], "output: '-': a PNG is not text"),
     (["map", "-o", "-", "--json"], "--json and the picture would both go to standard output"),
     (["map", "-o", "case.pdf"], "output: 'case.pdf': a map is written as .html, .png or .svg"),
     (["map", "-o", "case"], "output: 'case': a map is written as .html, .png or .svg"),
     (["timeline", "-o", "case.jpg"], "a timeline is written as .html, .png or .svg"),
     (["map", "-o", ""], "output: '': an empty file name"),
     (["map", "-o", "nodir/case.html"], "output: 'nodir/case.html': no such folder: nodir"),
     (["timeline", "-o", "nodir/case.png"], "no such folder: nodir"),
     (["map", "-o", "adir"], "output: 'adir': is a folder, not a file"),
     (["map", "-o", "taken.html"], "output: 'taken.html': already exists: give --force"),
     (["timeline", "-o", "taken.png"], "output: 'taken.png': already exists: give --force"),
     (["map", "Nobody Known", "-o", "x.html"],
      "people: 'Nobody Known': no person or group has this name"),
     (["timeline", "--person", "Nobody Known", "-o", "x.png"],
      "people: 'Nobody Known': no person or group has this name"),
     (["map", "Assad", "-o", "x.html"], "people: 'Assad': fits 5 entities"),
     (["map", "-o", "x.html", "--as-of", "last week"], "as_of: 'last week'"),
     (["timeline", "-o", "x.svg", "--known-at", "2024-13-01"], "known_at: '2024-13-01'"),
     (["map", "-o", "x.html", "--tiles", "satellite"], "tiles: 'satellite': expected a named"),
     ],
)
def test_bad_picture_requests_are_one_line_and_exit_2(
        argv: list[str], message: str, folder: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "adir").mkdir()
    (folder / "taken.html").write_text("keep", encoding="utf-8")
    (folder / "taken.png").write_text("keep", encoding="utf-8")
    before = sorted(p.name for p in folder.iterdir())
    assert main(argv) == BAD_INPUT
    assert message in one_error(capsys)
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written
    assert (folder / "taken.html").read_text(encoding="utf-8") == "keep"


def test_a_picture_never_replaces_the_ledger_being_read(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--jsonl", "-o", "case.html", "-q"]) == FOUND  # a ledger, oddly named
    kept = (folder / "case.html").read_bytes()
    for command in ("map", "timeline"):
        assert main([command, "--ledger", "case.html", "-o", "case.html", "--force"]) \
            == BAD_INPUT
        assert "is the ledger being read" in one_error(capsys)
    assert (folder / "case.html").read_bytes() == kept


def test_force_replaces_a_picture_atomically_and_keeps_it_when_drawing_fails(
        folder: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["map", "-o", "case.html", "-q"]) == FOUND
    assert main(["map", "Maher", "-o", "case.html", "--force", "-q"]) == FOUND
    page = (folder / "case.html").read_text(encoding="utf-8")
    assert "Maher al-Assad" in page
    assert "Iyad Makhlouf" not in page

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug while drawing")

    monkeypatch.setattr("whereabouts.pictures.maps._html", broken)
    assert main(["map", "-o", "case.html", "--force"]) == INTERNAL_ERROR
    assert "internal error: RuntimeError" in capsys.readouterr().err
    assert (folder / "case.html").read_text(encoding="utf-8") == page
    assert sorted(p.name for p in folder.iterdir()) == ["case.html"]  # no stray temp file


def test_a_symbolic_link_is_written_through_with_force(folder: Path) -> None:
    if os.name != "posix":  # pragma: no cover
        pytest.skip("symbolic links as on POSIX")
    (folder / "real.svg").write_text("old", encoding="utf-8")
    (folder / "link.svg").symlink_to("real.svg")
    assert main(["timeline", "-o", "link.svg", "--force", "-q"]) == FOUND
    assert (folder / "link.svg").is_symlink()
    assert (folder / "real.svg").read_bytes().startswith(SVG)


# -- nothing to draw -------------------------------------------------------------------


@pytest.fixture
def empty(folder: Path) -> Path:
    save(Ledger(), folder / "empty.jsonl")
    return folder / "empty.jsonl"


@pytest.mark.parametrize(("command", "name", "why"), [
    ("map", "empty.html", "nothing to draw: the ledger has no one in it"),
    ("map", "empty.png", "nothing to draw: the ledger has no one in it"),
    ("timeline", "empty.png", "nothing to draw: the ledger holds no people"),
    ("timeline", "empty.html", "nothing to draw: the ledger holds no people"),
])
def test_an_empty_ledger_draws_a_picture_that_says_so_and_exits_1(
        command: str, name: str, why: str, empty: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, "--ledger", str(empty), "-o", name]) == NOT_FOUND
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"whereabouts: {why}; {name} says so\n"
    written = (empty.parent / name).read_bytes()
    assert written.startswith(PNG if name.endswith(".png") else HTML)
    if name.endswith(".html"):
        assert b"Nothing to draw" in written
    # --quiet: no notice, the same exit code; --json says why
    assert main([command, "--ledger", str(empty), "-o", name, "--force", "-q"]) == NOT_FOUND
    assert capsys.readouterr().err == ""
    assert main([command, "--ledger", str(empty), "-o", name, "--force", "--json"]) \
        == NOT_FOUND
    captured = capsys.readouterr()
    assert json.loads(captured.out)["nothing_to_draw"].lower().startswith(why)


def test_people_without_claims_draw_nothing(folder: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    ledger = Ledger()
    ledger.add_person("Nour Khalil")
    ledger.add_person("Rami Khalil")
    save(ledger, folder / "people.jsonl")
    assert main(["timeline", "--ledger", "people.jsonl", "Nour Khalil", "Rami Khalil",
                 "-o", "two.svg", "--json"]) == NOT_FOUND
    report = json.loads(capsys.readouterr().out)
    assert report["people"] == report["without_claims"] == ["Nour Khalil", "Rami Khalil"]
    assert report["nothing_to_draw"] == "Nothing to draw: no claim about these people"
    assert main(["map", "--ledger", "people.jsonl", "-o", "two.html"]) == NOT_FOUND
    assert "nothing to draw: no claim about these people has a place" in \
        capsys.readouterr().err


def test_a_timeline_with_one_empty_row_is_still_a_picture(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "Bashar al-Assad", "Rami Makhlouf", "-o", "t.svg",
                 "--known-at", "2024-12-09", "--json"]) == FOUND
    report = json.loads(capsys.readouterr().out)
    assert report["people"] == ["Bashar al-Assad", "Rami Makhlouf"]
    assert report["without_claims"] == ["Rami Makhlouf"]
    assert report["nothing_to_draw"] is None


# -- timeline --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "magic"), [("case.png", PNG), ("case.svg", SVG),
                                             ("case.html", HTML)])
def test_timeline_format_by_suffix(name: str, magic: bytes, folder: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "-o", name, "--as-of", "2024-12-31"]) == FOUND
    data = (folder / name).read_bytes()
    assert data.startswith(magic)
    assert capsys.readouterr().err == f"wrote {name}: {name[5:]} timeline of 10 people\n"
    if name.endswith(".html"):
        assert b"The claims drawn" in data
        assert b"<svg" in data


def test_timeline_people_title_and_breaks(folder: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "Ali Mamlouk", "--person", "bashar", "-o", "t.svg",
                 "--title", "Two of them", "--no-breaks", "--json"]) == FOUND
    report = json.loads(capsys.readouterr().out)
    assert report["people"] == ["Ali Mamlouk", "Bashar al-Assad"]
    svg = (folder / "t.svg").read_text(encoding="utf-8")
    assert "Two of them" in svg
    assert svg.count('id="row-') == 2


def test_timeline_svg_to_stdout(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timeline", "Ali Mamlouk", "-o", "-", "--format", "svg", "-q"]) == FOUND
    assert capsys.readouterr().out.startswith("<?xml")
    assert main(["timeline", "Ali Mamlouk", "-o", "-", "-q"]) == FOUND  # HTML by default
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


def _pixels(path: Path) -> object:
    matplotlib_image = pytest.importorskip("matplotlib.image")
    return matplotlib_image.imread(path)


def test_the_pictures_have_something_drawn(folder: Path) -> None:
    """Not a blank image: the country outlines and route colours (map), the rows' bars
    (timeline) are there. The maps' and timelines' own tests check the pixels exactly."""
    np = pytest.importorskip("numpy")
    assert main(["map", "-o", "map.png", "-q"]) == FOUND
    assert main(["timeline", "-o", "timeline.png", "-q"]) == FOUND
    for name, least in (("map.png", 50), ("timeline.png", 20)):
        image = np.asarray(_pixels(folder / name))[..., :3]
        colours = np.unique((image * 255).astype(int).reshape(-1, 3), axis=0)
        assert len(colours) > least, name
    image = np.asarray(_pixels(folder / "map.png"))[..., :3]
    land = np.array([0xEC, 0xE6, 0xDA]) / 255  # the outline fill
    assert (np.abs(image - land).max(axis=-1) < 0.02).mean() > 0.05


# -- matplotlib missing ----------------------------------------------------------------


@pytest.mark.parametrize(("argv", "what"), [
    (["map", "-o", "case.png"], "a PNG map"),
    (["map", "-o", "case.svg"], "an SVG map"),
    (["timeline", "-o", "case.png"], "a timeline"),
    (["timeline", "-o", "case.html"], "a timeline"),
    (["timeline", "-o", "-", "--format", "svg"], "a timeline"),
])
def test_without_matplotlib_a_picture_names_the_extra(
        argv: list[str], what: str, folder: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib fails
    assert main(argv) == BAD_INPUT
    assert one_error(capsys) == (f'whereabouts: error: {what} needs matplotlib: '
                                 'pip install "whereabouts[plots]"')
    assert list(folder.iterdir()) == []


def test_without_matplotlib_the_html_map_is_drawn(folder: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(["map", "-o", "case.html", "-q"]) == FOUND
    assert (folder / "case.html").read_bytes().startswith(HTML)


def test_matplotlib_failing_while_drawing_is_the_same_one_line(
        folder: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A broken install: matplotlib imports, a part of it does not."""
    def half(*args: object, **kwargs: object) -> None:
        raise ModuleNotFoundError("No module named 'matplotlib.backends'",
                                  name="matplotlib.backends")

    monkeypatch.setattr("whereabouts.pictures.maps._image", half)
    assert main(["map", "-o", "case.png"]) == BAD_INPUT
    assert 'pip install "whereabouts[plots]"' in one_error(capsys)
    assert list(folder.iterdir()) == []


def test_the_html_map_does_not_import_matplotlib(tmp_path: Path) -> None:
    code = ("import sys\nfrom whereabouts.cli import main\n"
            f"assert main(['map', '-o', {str(tmp_path / 'case.html')!r}, '-q']) == 0\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "[]\n"


@pytest.mark.skipif(os.name != "posix", reason="pipes")
def test_a_closed_pipe_under_a_map_exits_141_quietly() -> None:
    read, write = os.pipe()
    os.close(read)
    with os.fdopen(write, "wb") as out:
        done = subprocess.run([sys.executable, "-m", "whereabouts", "map", "-o", "-", "-q"],
                              stdout=out, stderr=subprocess.PIPE, check=False, timeout=120)
    assert done.returncode == BROKEN_PIPE
    assert done.stderr == b""


# -- exports ---------------------------------------------------------------------------


def test_export_timelinejs(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--timelinejs"]) == FOUND
    config = json.loads(capsys.readouterr().out)
    assert config["title"]["text"]["headline"] == "Whereabouts"
    assert config["events"]
    assert all("start_date" in e for e in config["events"])
    assert main(["export", "--timelinejs", "--known-at", "2024-12-09", "-o", "t.json"]) \
        == FOUND
    assert capsys.readouterr().err == "wrote t.json\n"
    early = json.loads((folder / "t.json").read_text(encoding="utf-8"))
    assert 0 < len(early["events"]) < len(config["events"])


def test_export_timesketch(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--timesketch", "-o", "-"]) == FOUND
    lines = capsys.readouterr().out.splitlines()
    events = [json.loads(line) for line in lines]
    assert all({"message", "datetime", "timestamp_desc"} <= set(e) for e in events)
    assert main(["export", "--timesketch", "--known-at", "2024-12-09", "-o", "ts.jsonl",
                 "-q"]) == FOUND
    early = (folder / "ts.jsonl").read_text(encoding="utf-8").splitlines()
    assert 0 < len(early) < len(events)


def test_export_ftm_and_import_its_people_back(folder: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--ftm", "-o", "case.ftm.json", "-q"]) == FOUND
    entities = [json.loads(line) for line in
                (folder / "case.ftm.json").read_text(encoding="utf-8").splitlines()]
    schemata = {e["schema"] for e in entities}
    assert {"Person", "Organization", "Event", "Family"} <= schemata
    people = sum(e["schema"] == "Person" for e in entities)

    assert main(["import", "--ftm", "case.ftm.json", "--ledger", "people.db",
                 "--json"]) == FOUND
    report = json.loads(capsys.readouterr().out)
    assert len(report["created"]) == people == len(report["ids"])
    assert report["skipped"]["Event"] > 0
    assert report["duplicates"] == []
    assert main(["last", "Buthaina Shaaban", "--ledger", "people.db"]) == NOT_FOUND  # alias
    assert "Bouthaina Shaaban: nothing known" in capsys.readouterr().out

    # again: everyone is already there, listed, and that is no error
    assert main(["import", "--ftm", "case.ftm.json", "--ledger", "people.db"]) == FOUND
    out = capsys.readouterr().out
    assert out.startswith("imported 0 people from case.ftm.json into people.db")
    assert "already in the ledger, not added: bashar" in out


def test_import_ftm_from_stdin(folder: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    import io

    line = '{"id": "nour", "schema": "Person", "properties": {"name": ["Nour Khalil"]}}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(line.encode())))
    assert main(["import", "--ftm", "-", "--ledger", "case.jsonl"]) == FOUND
    assert capsys.readouterr().out.startswith(
        "imported 1 person from <stdin> into case.jsonl (1 FtM entities read)")


def test_import_ftm_bad_file_adds_no_one(folder: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "bad.json").write_text(
        '{"id": "nour", "schema": "Person", "properties": {"name": ["Nour Khalil"]}}\n'
        "not json\n"
        '{"id": "x", "schema": "Person", "properties": {"name": "not a list"}}\n',
        encoding="utf-8")
    assert main(["import", "--ftm", "bad.json", "--ledger", "case.jsonl"]) == BAD_INPUT
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("whereabouts: error: bad.json:2: not JSON")
    assert lines[1].startswith("whereabouts: error: bad.json:3: properties")
    assert not (folder / "case.jsonl").exists()
    assert main(["import", "--ftm", "bad.json", "--keep-valid", "--ledger", "c.jsonl"]) \
        == BAD_INPUT
    assert "--keep-valid is for CSV" in one_error(capsys)


@pytest.mark.parametrize(("argv", "message"), [
    (["export", "--ftm", "--as-of", "2024-12-09"],
     "as_of: '2024-12-09': --as-of does not apply to --ftm (only to --geojson)"),
    (["export", "--timelinejs", "--as-of", "2024-12-09"], "--as-of does not apply"),
    (["export", "--csv", "--known-at", "2024-12-09"],
     "known_at: '2024-12-09': --known-at does not apply to --csv (only to --geojson, "
     "--timelinejs, --timesketch, --ftm)"),
    (["export", "--jsonl", "--as-of", "2024-12-09"], "--as-of does not apply to --jsonl"),
    (["export", "--timesketch", "--known-at", "soon"], "known_at: 'soon'"),
    (["export", "--ftm", "-o", "nodir/x.json"], "no such folder: nodir"),
])
def test_bad_export_requests_are_one_line(argv: list[str], message: str, folder: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == BAD_INPUT
    assert message in one_error(capsys)


def test_export_formats_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["export", "--ftm", "--timesketch"])
    assert info.value.code == BAD_INPUT
    assert "not allowed with argument" in capsys.readouterr().err


def test_map_and_timeline_need_an_output(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("map", "timeline"):
        with pytest.raises(SystemExit) as info:
            main([command])
        assert info.value.code == BAD_INPUT
        assert "-o/--output" in capsys.readouterr().err
