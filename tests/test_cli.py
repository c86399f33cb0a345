"""The command line: exit codes, help, errors, and that every command is documented."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

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
             ["companions", "hafez"], ["conflicts"], ["resolve", "Dubai", "Tripoli"]]


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
