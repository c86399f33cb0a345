"""The command line: exit codes, help, errors, and that every command is documented."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from whereabouts.cli import _parser, main

DOCS = Path(__file__).parent.parent / "docs" / "cli.md"


def commands() -> list[str]:
    parser = _parser()
    (action,) = [a for a in parser._actions if a.dest == "==SUPPRESS==" and a.choices]
    return sorted(action.choices)  # type: ignore[arg-type]


def test_python_dash_m_runs_the_main_job() -> None:
    done = subprocess.run([sys.executable, "-m", "whereabouts"], capture_output=True,
                          text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Bashar al-Assad - in Moscow (RU)" in done.stdout
    assert done.stdout.startswith("Whereabouts: 14")


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help_with_an_example(command: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "example: whereabouts " + command in capsys.readouterr().out


@pytest.mark.parametrize("command", commands())
def test_every_command_is_documented(command: str) -> None:
    assert f"## {command}" in DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["last", "Assad"], "fits 5 entities"),
        (["last", "Nobody Known"], "no person or group"),
        (["where", "bashar", "--on", "2024-13-01"], "on: '2024-13-01'"),
        (["who", "Xyzzyland"], "place: 'Xyzzyland'"),
        (["everyone", "--known-at", "last week"], "known_at: 'last week'"),
        (["unaccounted", "--as-of", "2024-02-30"], "as_of: '2024-02-30'"),
    ],
)
def test_bad_input_exits_2_with_a_message(argv: list[str], message: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("whereabouts: error: ")
    assert message in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["where", "bashar"])  # --on is required
    assert info.value.code == 2
    assert "--on" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "code"),
    [(["last", "bashar"], 0), (["last", "rami"], 1),
     (["last", "bashar", "--known-at", "2024-12-01"], 1),
     (["who", "Libya"], 0), (["who", "Japan"], 1), (["conflicts", "bashar"], 1),
     (["itinerary", "bashar", "--as-of", "2024-12-06"], 1), (["companions", "rami"], 1)],
)
def test_exit_codes(argv: list[str], code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == code
    assert capsys.readouterr().out


# -- ledger files, JSON, and the file commands -------------------------------------------

QUESTIONS = [["everyone"], ["last", "bashar"], ["where", "bashar", "--on", "2024-12-07"],
             ["who", "Russia"], ["unaccounted"], ["dead"], ["itinerary", "iyad"],
             ["companions", "hafez"], ["conflicts"], ["resolve", "Dubai", "Tripoli"],
             ["during", "shaaban", "2024-12-07"], ["who", "Syria", "--on", "2024-12-07"],
             ["itinerary", "bashar", "--start", "2024-12-08"],
             ["companions", "hafez", "--on", "2024-12-07"],
             ["last", "bashar", "--min-grade", "B", "--source", "Financial Times",
              "--source", "Russian Foreign Ministry"]]


def run(*argv: str, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "whereabouts", *argv], capture_output=True,
                          text=True, check=False, timeout=120, env=env, cwd=cwd)


def test_a_fresh_install_answers_from_the_bundled_example() -> None:
    done = run("last", "Bashar al-Assad")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Bashar al-Assad: in Moscow (RU), since 2024-12-08/..")


@pytest.mark.parametrize("argv", QUESTIONS)
def test_json_output_parses_and_keeps_the_exit_code(argv: list[str],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code = main(argv)
    text = capsys.readouterr().out
    assert main([*argv, "--json"]) == code
    data = json.loads(capsys.readouterr().out)
    assert data
    assert text


@pytest.fixture
def seed_files(tmp_path: Path) -> dict[str, Path]:
    from whereabouts.examples import assad_2024
    from whereabouts.io import SqliteLedger, save

    native = tmp_path / "seed.jsonl"
    save(assad_2024(), native)
    database = tmp_path / "seed.db"
    with SqliteLedger.open(database) as store:
        assad_2024(store)
    disguised = tmp_path / "seed.data"  # told by content, not by name
    disguised.write_bytes(database.read_bytes())
    return {"native": native, "sqlite": database, "disguised": disguised}


@pytest.mark.parametrize("kind", ["native", "sqlite", "disguised"])
def test_every_question_on_a_ledger_file(kind: str, seed_files: dict[str, Path],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    for argv in QUESTIONS:
        expected = main(argv)
        bundled = capsys.readouterr().out
        assert main([*argv, "--ledger", str(seed_files[kind])]) == expected
        assert capsys.readouterr().out == bundled


def test_the_ledger_from_the_environment(seed_files: dict[str, Path], tmp_path: Path) -> None:
    env = dict(os.environ, WHEREABOUTS_LEDGER=str(tmp_path / "nowhere.jsonl"))
    done = run("unaccounted", env=env)
    assert done.returncode == 2
    assert done.stderr == f"whereabouts: error: {tmp_path / 'nowhere.jsonl'}: no such file\n"
    env["WHEREABOUTS_LEDGER"] = str(seed_files["native"])
    assert run("unaccounted", env=env).stdout.startswith("Unaccounted for: 2")


def test_ledger_before_the_command(seed_files: dict[str, Path],
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--ledger", str(seed_files["sqlite"]), "dead"]) == 0
    assert capsys.readouterr().out.startswith("Dead: 1")


def test_import_creates_a_sqlite_ledger_and_appends(tmp_path: Path) -> None:
    sheet = tmp_path / "case.csv"
    sheet.write_text("id,subjects,kind,place,when,source,reported,reliability,credibility,"
                     "note,after\n,Nour Khalil,seen at,Beirut,2024-12-07,a wire,2024-12-08,B,2,,"
                     "\n", encoding="utf-8")
    done = run("import", "case.csv", "--ledger", "case.db", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"path": "case.csv", "ledger": "case.db", "read": 1,
                                       "added": ["o1"], "created": ["nour-khalil"],
                                       "problems": []}
    assert run("import", "case.csv", "--ledger", "case.db", cwd=tmp_path).returncode == 0
    done = run("itinerary", "Nour Khalil", "--ledger", "case.db", cwd=tmp_path)
    assert done.stdout.splitlines()[0] == "Nour Khalil: 1 stops"
    assert "o1, o2" in done.stdout


def test_a_bad_import_changes_nothing(seed_files: dict[str, Path], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text("id,subjects,kind,place,when,source,reported,reliability,credibility,"
                     "note,after\n,bashar,seen at,Beirut,2024-12-07,a wire,2024-12-08,B,2,,\n"
                     ",bashar,seen at,Beirut,2024-12-32,a wire,2024-12-08,B,2,,\n",
                     encoding="utf-8")
    before = seed_files["native"].read_bytes()
    assert main(["import", str(sheet), "--ledger", str(seed_files["native"])]) == 2
    assert capsys.readouterr().err == (
        f"whereabouts: error: {sheet}:3:5: when: '2024-12-32': day 32 does not exist in "
        "2024-12\n")
    assert seed_files["native"].read_bytes() == before
    assert main(["import", str(sheet), "--ledger", str(seed_files["native"]),
                 "--keep-valid"]) == 2
    assert "imported 1 observations" in capsys.readouterr().out
    assert len(seed_files["native"].read_bytes()) > len(before)


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["import", "case.csv"], "ledger: import needs --ledger FILE"),
     (["import", "case.csv", "--ledger", "case.csv"], "must be a native (.jsonl) or SQLite"),
     (["last", "bashar", "--ledger", "nowhere.jsonl"], "nowhere.jsonl: no such file")],
)
def test_file_usage_errors(argv: list[str], message: str, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "case.csv").write_text("id\n", encoding="utf-8")
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_validate(seed_files: dict[str, Path], tmp_path: Path,
                  capsys: pytest.CaptureFixture[str]) -> None:
    for kind in ("native", "sqlite"):
        assert main(["validate", str(seed_files[kind])]) == 0
        assert capsys.readouterr().out.endswith(
            "valid: 14 people and groups, 15 relations, 23 entries\n")
    broken = tmp_path / "broken.jsonl"
    lines = seed_files["native"].read_text(encoding="utf-8").splitlines()
    lines[15] = lines[15].replace('"kind": "member of"', '"kind": "enemy of"')
    broken.write_text("\n".join(lines[:-1]) + "\n" + lines[-1][:30], encoding="utf-8")
    assert main(["validate", str(broken), "--json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["field"]) for p in report["problems"]] == [(16, "kind"), (85, None)]
    assert report["problems"][1]["message"].endswith("the file looks cut short")
    not_a_ledger = tmp_path / "other.db"
    with sqlite3.connect(not_a_ledger) as db:
        db.execute("CREATE TABLE t (x)")
    db.close()
    assert main(["validate", str(not_a_ledger)]) == 2
    assert "not a whereabouts ledger" in capsys.readouterr().out
    assert main(["validate", str(tmp_path / "nowhere.csv")]) == 2
    assert "no such file" in capsys.readouterr().out


def test_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--geojson", "--known-at", "2024-12-09"]) == 0
    collection = json.loads(capsys.readouterr().out)
    # known on the 9th: Moscow only, so no itinerary has two places to join
    assert [f["id"] for f in collection["features"]] == ["moscow", "asylum"]
    assert main(["export", "--jsonl", "-o", str(tmp_path / "seed.jsonl")]) == 0
    assert main(["export", "--csv", "--ledger", str(tmp_path / "seed.jsonl")]) == 0
    assert capsys.readouterr().out.count("\n") == 24
    with pytest.raises(SystemExit):
        main(["export"])  # a format is required


# -- days, grade thresholds and source filters ---------------------------------------------

QUESTION_COMMANDS = {"everyone": [], "last": ["bashar"], "where": ["bashar", "--on", "2024-12-07"],
                     "during": ["bashar", "2024-12-07"], "who": ["Russia"], "unaccounted": [],
                     "dead": [], "itinerary": ["iyad"], "companions": ["hafez"],
                     "conflicts": []}


def test_every_question_command_is_listed_for_the_filter_tests() -> None:
    assert set(QUESTION_COMMANDS) == set(commands()) - {"resolve", "import", "validate",
                                                        "export", "template", "map",
                                                        "timeline"}


@pytest.mark.parametrize("command", sorted(QUESTION_COMMANDS))
def test_every_question_takes_min_grade_and_source(command: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    argv = [command, *QUESTION_COMMANDS[command]]
    assert main([*argv, "--min-grade", "B", "--source", "Financial Times",
                 "--source", "a kremlin source"]) in (0, 1)
    assert capsys.readouterr().out
    assert main([*argv, "--min-grade", "c3", "--source", "witnesses", "--json"]) in (0, 1)
    assert json.loads(capsys.readouterr().out) is not None


@pytest.mark.parametrize("command", sorted(QUESTION_COMMANDS))
@pytest.mark.parametrize(
    ("flags", "message"),
    [(["--min-grade", "G7"], "min_grade: 'G7': expected a grade like 'C3'"),
     (["--min-grade", ""], "min_grade: '': expected a grade"),
     (["--source", "Reuters"], "sources: 'Reuters': no claim in the ledger cites this source"),
     (["--source", "witnesses", "--source", "Reuters"], "sources: 'Reuters'"),
     (["--source", " "], "sources: ' ': expected a source name")],
)
def test_a_bad_filter_is_bad_input_on_every_question(command: str, flags: list[str],
                                                     message: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main([command, *QUESTION_COMMANDS[command], *flags]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"whereabouts: error: {message}")
    assert captured.err.count("\n") == 1  # one line, no traceback


def test_min_grade_leaves_weaker_claims_out_and_lists_them(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["last", "bashar", "--min-grade", "B"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Bashar al-Assad: left Syria, since ../2024-12-08\n")
    assert "also reported, below the threshold: moscow:" in out
    assert main(["last", "bashar", "--min-grade", "B", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["status"] == "departed"
    assert [o["id"] for o in answer["also_reported"]] == ["aides-join", "moscow", "asylum"]
    assert [o["grading"] for o in answer["also_reported"]] == ["F3", "C2", "C2"]
    assert main(["last", "bashar", "--min-grade", "C"]) == 0  # the Kremlin's C2 passes
    assert capsys.readouterr().out.startswith("Bashar al-Assad: in Moscow (RU)")
    assert main(["where", "hafez", "--on", "2024-12-08", "--min-grade", "2"]) == 0
    assert capsys.readouterr().out.startswith("Hafez al-Assad: in Moscow (RU)")


def test_min_grade_on_the_rolls(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["unaccounted", "--min-grade", "B"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Unaccounted for: 4"
    assert main(["dead", "--min-grade", "A"]) == 1
    assert capsys.readouterr().out == "Dead: 0\n"
    assert main(["everyone", "--min-grade", "B2", "--known-at", "2024-12-09"]) == 0
    assert "Bashar al-Assad - left Syria" in capsys.readouterr().out


def test_source_keeps_the_claims_citing_it_anywhere_in_the_chain(
        capsys: pytest.CaptureFixture[str]) -> None:
    # the FT relayed nearly every claim; the Kremlin source only Moscow and asylum
    assert main(["who", "Russia", "--source", "A KREMLIN SOURCE"]) == 0
    assert capsys.readouterr().out.startswith("In Russia: 4 definite, 0 possible\n")
    assert main(["last", "bashar", "--source", "Russian Foreign Ministry"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Bashar al-Assad: left Syria")
    assert "moscow" not in out
    assert main(["itinerary", "bashar", "--source", "Russian Foreign Ministry",
                 "--source", "a Kremlin source", "--json"]) == 0
    stops = json.loads(capsys.readouterr().out)["stops"]
    assert [s["observations"] for s in stops] == [["left-syria"], ["moscow", "asylum"]]
    assert main(["companions", "hafez", "--source", "witnesses"]) == 1
    assert main(["conflicts", "--source", "caliber.az"]) == 1
    assert main(["dead", "--source", "Financial Times"]) == 0
    assert "Ihab Makhlouf" in capsys.readouterr().out


def test_during(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["during", "Hafez al-Assad", "2024-12-08"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Hafez al-Assad during 2024-12-08: Moscow (RU)",
        "  as it began: heading to Hmeimim air base (SY), since 2024-12-07",
        "   1. 2024-12-08/..  arrived at Moscow; granted asylum in Moscow [moscow, asylum]",
        "  as it ended: in Moscow (RU), since 2024-12-08/..",
    ]
    assert main(["during", "mamlouk", "2024-12-08"]) == 1  # placed nowhere
    assert main(["during", "shaaban", "2024-12"]) == 0  # a month has a start and an end
    # known on the 8th: only the Kremlin's claims, none about the day before
    assert main(["during", "hafez", "2024-12-08", "--known-at", "2024-12-08"]) == 0
    assert "  as it began: nothing known\n" in capsys.readouterr().out
    assert main(["during", "hafez", "2024-12-08", "--known-at", "2024-12-07"]) == 1


def test_during_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["during", "shaaban", "2024-12-07", "--json"]) == 0
    day = json.loads(capsys.readouterr().out)
    assert set(day) == {"entity", "day", "places", "countries", "start", "stops", "possible",
                        "end"}
    assert day["entity"]["id"] == "shaaban"
    assert day["day"] == "2024-12-07"
    assert day["countries"] == ["SY"]  # the other stops may fall on another day
    assert [s["observations"] for s in day["stops"]] == [
        ["aides-join"], ["aides-beirut"], ["aides-scatter"], ["shaaban-dubai"]]
    assert day["possible"] == ["aides-beirut", "aides-scatter", "shaaban-dubai"]
    assert day["start"]["status"] == "nothing known"
    assert day["end"]["status"] == "departed"
    assert all(s["made"] and not s["stay"] for s in day["stops"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["during", "hafez", "2024-12-08/.."],
      "day: '2024-12-08/..': needs a date with a start and an end"),
     (["during", "hafez", "2024-13-01"], "day: '2024-13-01'"),
     (["during", "Assad", "2024-12-08"], "entity: 'Assad': fits 5 entities"),
     (["who", "Syria", "--on", "2024-02-30"], "on: '2024-02-30'"),
     (["who", "Syria", "--on", "../2024-12-08"], "on: '../2024-12-08': needs a date with"),
     (["itinerary", "bashar", "--start", "soon"], "start: 'soon'"),
     (["itinerary", "bashar", "--end", "2024-12-32"], "end: '2024-12-32'"),
     (["itinerary", "bashar", "--start", "2024-12-08", "--end", "2024-12-07"],
      "end: '2024-12-07': the itinerary ends before it starts"),
     (["companions", "hafez", "--on", "the 7th"], "on: 'the 7th'")],
)
def test_bad_days_exit_2_with_one_line(argv: list[str], message: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"whereabouts: error: {message}")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["who", "Syria", "--on", "2024-12-07", "--as-of", "2024-12-07"],
      "argument --as-of: not allowed with argument --on"),
     (["who", "Syria", "--as-of", "2024-12-07", "--on", "2024-12-07"],
      "argument --on: not allowed with argument --as-of"),
     (["during", "hafez"], "the following arguments are required: DAY"),
     (["who", "Syria", "--min-grade"], "argument --min-grade: expected one argument"),
     (["who", "Syria", "--source"], "argument --source: expected one argument"),
     (["resolve", "Dubai", "--min-grade", "B"], "unrecognized arguments: --min-grade B")],
)
def test_flag_usage_errors_exit_2(argv: list[str], message: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: whereabouts ")
    assert message in err


def test_who_on_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    # on the 7th they left Damascus: there during the day, gone by its end
    assert main(["who", "Syria", "--on", "2024-12-07"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("In Syria during 2024-12-07: 5 definite, 1 possible\n")
    assert "  Bouthaina Shaaban - left Damascus (SY), since 2024-12-07\n" in out
    assert main(["who", "Syria", "--as-of", "2024-12-07"]) == 0
    assert "Bouthaina Shaaban" not in capsys.readouterr().out
    assert main(["who", "Russia", "--on", "2024-12-08", "--json"]) == 0
    presence = json.loads(capsys.readouterr().out)
    assert presence["on"] == "2024-12-08"
    assert presence["as_of"] is None
    assert [a["entity"]["id"] for a in presence["definite"]] == [
        "bashar", "hafez", "asma", "assad-family"]
    assert main(["who", "Russia", "--on", "2024-12-07", "--min-grade", "B"]) in (0, 1)
    assert "Bashar" not in capsys.readouterr().out
    assert main(["who", "Japan", "--on", "2024-12-08"]) == 1
    assert main(["who", "Russia", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.split("\n", 1)[1])["on"] is None


def test_itinerary_between_dates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["itinerary", "bashar", "--start", "2024-12-08"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Bashar al-Assad: 2 stops"
    assert "[flight" not in out
    assert main(["itinerary", "bashar", "--end", "2024-12-07", "--json"]) == 0
    stops = json.loads(capsys.readouterr().out)["stops"]
    assert [s["observations"][0] for s in stops] == ["aides-join", "to-hmeimim", "left-syria"]
    assert main(["itinerary", "bashar", "--start", "2025-01-01"]) == 1


def test_companions_on_a_day(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["companions", "hafez", "--on", "2024-12-07"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Hafez al-Assad moved with: 1", "  Bashar al-Assad [flight, to-hmeimim]"]
    assert main(["companions", "hafez", "--on", "2024-12-08", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)["companions"]
    assert [(c["entity"]["id"], c["observations"]) for c in found] == [
        ("bashar", ["moscow", "asylum"]), ("assad-family", ["moscow", "asylum"])]
    assert main(["companions", "hafez", "--on", "2024-12-01"]) == 1


# -- the new fields of the JSON answers ----------------------------------------------------

@pytest.fixture
def stays_and_denials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI asking a ledger with a stay, an attempt, an unreported claim and a denial."""
    from whereabouts import Ledger

    ledger = Ledger()
    ledger.add_person("Nour Khalil", id="nour")
    ledger.observe("nour", "detained at", place="Beirut", when="2024-12-01/2024-12-10",
                   throughout=True, source="a wire", reported="2024-12-11", grading="B2",
                   id="held")
    ledger.observe("nour", "turned back", place="Damascus", when="2024-12-11",
                   source="a wire", reported="2024-12-12", grading="B2", id="border")
    ledger.observe("nour", "seen at", place="Dubai", when="2024-12-12", source="a rumour",
                   grading="E5", id="dubai")
    ledger.observe("nour", "seen at", place="Doha", when="2024-12-13", source="a wire",
                   reported="2024-12-14", grading="C3", id="doha")
    ledger.deny("doha", source="a wire", reported="2024-12-15")
    monkeypatch.setattr("whereabouts.cli._open", lambda path: ledger)


def json_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    main([*argv, "--json"])
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


@pytest.mark.usefixtures("stays_and_denials")
def test_json_answers_carry_what_is_beside_them(capsys: pytest.CaptureFixture[str]) -> None:
    answer: dict[str, Any] = json_of(["last", "nour", "--min-grade", "C"], capsys)
    assert answer["status"] == "departed"
    (held,) = answer["evidence"]
    assert (held["id"], held["throughout"], held["reported"]) == ("held", True, "2024-12-11")
    assert [c["place"]["label"] for c in answer["last_placed"]] == ["Beirut (LB)"]
    (weak,) = answer["also_reported"]
    assert (weak["id"], weak["reported"], weak["throughout"]) == ("dubai", None, False)
    assert [o["id"] for o in answer["denied"]] == ["doha"]
    assert [o["id"] for o in answer["conditions"]] == ["border"]
    everything: dict[str, Any] = json_of(["last", "nour"], capsys)
    assert everything["also_reported"] == []
    assert everything["place"]["label"] == "Dubai (AE)"
    assert [o["reported"] for o in everything["evidence"] if o["id"] == "dubai"] == [None]


@pytest.mark.usefixtures("stays_and_denials")
def test_json_stops_say_made_and_stay(capsys: pytest.CaptureFixture[str]) -> None:
    trip: dict[str, Any] = json_of(["itinerary", "nour"], capsys)
    assert [(s["observations"], s["made"], s["stay"]) for s in trip["stops"]] == [
        (["held"], True, True), (["border"], False, False), (["dubai"], True, False)]
    day: dict[str, Any] = json_of(["during", "nour", "2024-12-05"], capsys)
    assert [(s["observations"], s["stay"]) for s in day["stops"]] == [(["held"], True)]
    assert [p["label"] for p in day["places"]] == ["Beirut (LB)"]
    assert day["possible"] == []


def test_json_keeps_the_old_keys(capsys: pytest.CaptureFixture[str]) -> None:
    answer: dict[str, Any] = json_of(["last", "rami"], capsys)
    assert list(answer)[:12] == ["entity", "status", "headline", "place", "since",
                                 "evidence", "last_seen", "candidates", "conditions",
                                 "pending", "as_of", "known_at"]
    assert list(answer["evidence"][0])[:11] == ["id", "subjects", "kind", "place", "when",
                                                "source", "reported", "grading", "note",
                                                "after", "corrects"]
    assert [c["place"]["label"] for c in answer["last_placed"]] == ["Syria"]
    assert answer["last_seen"]["place"]["label"] == "Syria"
    stop = json_of(["itinerary", "iyad"], capsys)["stops"][0]  # type: ignore[index]
    assert list(stop)[:6] == ["status", "place", "when", "observations", "order_uncertain",
                              "gap_before_days"]
