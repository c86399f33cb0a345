"""The command line: quick questions to a ledger, and its files in and out.

Every question takes the ledger file with ``--ledger FILE`` (native ``.jsonl``
or SQLite, told apart by content; or set ``WHEREABOUTS_LEDGER``); without one
it asks the bundled example, the December 2024 report on the Assad circle.
``--json`` prints the answer as JSON for scripts (shapes in ``docs/cli.md``).
Every question takes ``--known-at DATE``, ``--min-grade GRADE`` and ``--source NAME``
(repeatable) to narrow the claims it uses.

Exit codes: 0 an answer was found, 1 nothing is known or the answer is
"unknown", 2 bad input (an unknown name, a malformed date or grade, a source no
claim cites, a file with problems) or a command line that cannot be read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from whereabouts.errors import WhereaboutsError
from whereabouts.ledger import Ledger
from whereabouts.results import Status, Whereabouts

__all__ = ["main"]

FOUND, NOT_FOUND, BAD_INPUT = 0, 1, 2
ENV_LEDGER = "WHEREABOUTS_LEDGER"
"""The environment variable naming the ledger file when ``--ledger`` is not given."""

_EPILOG = ("Without --ledger FILE (or $WHEREABOUTS_LEDGER), the ledger is the bundled "
           "example (the Assad circle, December 2024).")


Command = Callable[[Ledger, argparse.Namespace], int]


def _emit(args: argparse.Namespace, text: object, data: Callable[[], object]) -> None:
    if args.json:
        print(json.dumps(data(), ensure_ascii=False, indent=2))
    else:
        print(text)


def _answer_code(answer: Whereabouts) -> int:
    return NOT_FOUND if answer.status in (Status.UNKNOWN, Status.NOTHING_KNOWN) else FOUND


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    """The claim filters every question passes to the ledger: ``known_at``, ``sources``
    (from repeated ``--source``) and ``min_grade``; the ledger checks their values."""
    return {"known_at": args.known_at, "sources": args.sources, "min_grade": args.min_grade}


# -- questions -------------------------------------------------------------------------


def _roll(query: str) -> Command:
    """A command printing a :class:`~whereabouts.results.Roll`: ``everyone``,
    ``unaccounted`` or ``dead``, which differ only in the ledger method asked."""

    def run(ledger: Ledger, args: argparse.Namespace) -> int:
        from whereabouts.io._json import roll_dict

        roll = getattr(ledger, query)(as_of=args.as_of, **_filters(args))
        _emit(args, roll, lambda: roll_dict(roll))
        return FOUND if roll.answers else NOT_FOUND

    return run


_everyone, _unaccounted, _dead = _roll("everyone"), _roll("unaccounted"), _roll("dead")


def _last(ledger: Ledger, args: argparse.Namespace) -> int:
    from whereabouts.io._json import whereabouts_dict

    answer = ledger.last_known(args.name, as_of=args.as_of, **_filters(args))
    _emit(args, answer, lambda: whereabouts_dict(answer))
    return _answer_code(answer)


def _where(ledger: Ledger, args: argparse.Namespace) -> int:
    from whereabouts.io._json import whereabouts_dict

    answer = ledger.where(args.name, args.on, **_filters(args))
    _emit(args, answer, lambda: whereabouts_dict(answer))
    return _answer_code(answer)


def _during(ledger: Ledger, args: argparse.Namespace) -> int:
    from whereabouts.io._json import during_dict

    day = ledger.during(args.name, args.day, **_filters(args))
    _emit(args, day, lambda: during_dict(day))
    return FOUND if day.places else _answer_code(day.end)


def _who(ledger: Ledger, args: argparse.Namespace) -> int:
    from whereabouts.io._json import presence_dict

    presence = ledger.who_is_in(args.place, as_of=args.as_of, on=args.on, **_filters(args))
    _emit(args, presence, lambda: presence_dict(presence))
    return FOUND if presence.definite or presence.possible else NOT_FOUND


def _itinerary(ledger: Ledger, args: argparse.Namespace) -> int:
    from whereabouts.io._json import itinerary_dict

    trip = ledger.itinerary(args.name, as_of=args.as_of, start=args.start, end=args.end,
                            **_filters(args))
    _emit(args, trip, lambda: itinerary_dict(trip))
    return FOUND if trip.stops else NOT_FOUND


def _companions(ledger: Ledger, args: argparse.Namespace) -> int:
    from whereabouts.io._json import companions_dict

    found = ledger.companions(args.name, as_of=args.as_of, on=args.on, **_filters(args))
    entity = ledger.entity(args.name)
    lines = [f"{entity.name} moved with: {len(found)}", *(f"  {c}" for c in found)]
    _emit(args, "\n".join(lines), lambda: companions_dict(entity, found))
    return FOUND if found else NOT_FOUND


def _conflicts(ledger: Ledger, args: argparse.Namespace) -> int:
    from whereabouts.io._json import conflicts_dict

    found = ledger.conflicts(args.name, as_of=args.as_of, **_filters(args))
    lines = [f"Conflicts: {len(found)}", *(str(c) for c in found)]
    _emit(args, "\n".join(lines), lambda: conflicts_dict(found))
    return FOUND if found else NOT_FOUND


def _resolve(ledger: Ledger, args: argparse.Namespace) -> int:
    from whereabouts.errors import UnknownPlace
    from whereabouts.gazetteer import Gazetteer
    from whereabouts.io._json import resolution_dict

    gazetteer = ledger.gazetteer
    if not isinstance(gazetteer, Gazetteer):  # pragma: no cover - the CLI's ledgers have one
        raise WhereaboutsError("this ledger's place resolver cannot list candidates")
    code, lines, data = FOUND, [], []
    for name in args.places:
        try:
            found = gazetteer.resolve(name, country=args.country)
        except UnknownPlace as err:
            code = NOT_FOUND
            hint = f"; did you mean: {'; '.join(err.suggestions)}" if err.suggestions else ""
            lines.append(f"{name}: unknown{hint}")
            data.append(resolution_dict(name, None, "unknown", err.suggestions))
            continue
        data.append(resolution_dict(name, found))
        if found.ambiguous:
            code = NOT_FOUND
            options = "; ".join(c.place.label for c in found.candidates[:5])
            lines.append(f"{name}: ambiguous: {options}")
        else:
            place = found.place
            lines.append(f"{name}: {place.label} [{place.kind.value}; {place.key}]")
    _emit(args, "\n".join(lines), lambda: data)
    return code


def _export(ledger: Ledger, args: argparse.Namespace) -> int:
    from whereabouts.io import dumps, to_csv, to_geojson

    if args.format == "geojson":
        collection = to_geojson(ledger, as_of=args.as_of, known_at=args.known_at)
        text = json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
    elif args.format == "csv":
        text = to_csv(ledger)
    else:
        text = dumps(ledger)
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        from whereabouts.io._atomic import write_atomic

        write_atomic(args.output, text.encode("utf-8"))
        print(f"wrote {args.output}", file=sys.stderr)
    return FOUND


# -- files -----------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    from whereabouts.io import check

    report = check(args.file)
    text = str(report)
    if report.ok:
        ledger = report.ledger
        text += (f"\nvalid: {len(ledger.entities)} people and groups, "
                 f"{len(ledger.relations)} relations, {len(ledger.entries)} entries")
    _emit(args, text, lambda: {
        "path": report.path, "format": report.format, "read": report.read, "ok": report.ok,
        "problems": [_problem(p) for p in report.problems],
    })
    return FOUND if report.ok else BAD_INPUT


def _import(args: argparse.Namespace) -> int:
    from whereabouts.io import (
        LedgerFileError,
        Problem,
        SqliteLedger,
        detect,
        open_ledger,
        read_csv,
        save,
    )

    if args.ledger is None:
        raise WhereaboutsError("import needs --ledger FILE: the ledger to import into "
                               "(created if missing)", field="ledger")
    if Path(args.ledger).exists() and detect(args.ledger) == "csv":
        raise LedgerFileError(args.ledger, [Problem(
            message="the ledger must be a native (.jsonl) or SQLite (.db) file, not a CSV")])
    ledger = open_ledger(args.ledger, create=True)
    try:
        report = read_csv(args.file, ledger, keep_valid=args.keep_valid)
        if not isinstance(ledger, SqliteLedger):
            save(ledger, args.ledger)
    finally:
        _close(ledger)
    people = len(report.created)
    text = (f"imported {len(report.added)} observations from {report.path} into {args.ledger}"
            f" ({people} new {'person' if people == 1 else 'people'})")
    if report.problems:
        text += f"; left out the rows with problems:\n{report.error()}"
    _emit(args, text, lambda: {
        "path": report.path, "ledger": args.ledger, "read": report.read,
        "added": [o.id for o in report.added], "created": [e.id for e in report.created],
        "problems": [_problem(p) for p in report.problems],
    })
    return FOUND if report.ok else BAD_INPUT


def _problem(problem: Any) -> dict[str, Any]:
    return {"line": problem.line, "column": problem.column, "field": problem.field,
            "message": problem.message}


def _close(ledger: Ledger) -> None:
    close = getattr(ledger, "close", None)  # a SqliteLedger
    if callable(close):
        close()


def _open(path: str | None) -> Ledger:
    if path is None:
        from whereabouts.examples import assad_2024

        return assad_2024()
    from whereabouts.io import open_ledger

    return open_ledger(path)


# -- the parser ------------------------------------------------------------------------



def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="whereabouts",
        description="Ask a movement ledger who was where, when, and on what evidence.",
        epilog="With no command, prints everyone's last known whereabouts. " + _EPILOG,
    )
    parser.set_defaults(run=_everyone, file_command=None, as_of=None, known_at=None,
                        sources=None, min_grade=None)
    ledger_option(parser, default=os.environ.get(ENV_LEDGER))
    json_option(parser, default=False)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, run: Command | None, help: str, example: str,
                known_at: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=help, description=help,
            epilog=f"example: whereabouts {example}\n{_EPILOG}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(run=run)
        ledger_option(sub, default=argparse.SUPPRESS)
        if known_at:
            sub.add_argument("--known-at", metavar="DATE",
                             help="use only claims reported by the end of DATE (EDTF)")
        return sub

    def as_of(sub: argparse.ArgumentParser | argparse._MutuallyExclusiveGroup) -> None:
        sub.add_argument("--as-of", metavar="DATE",
                         help="answer as of the end of DATE (EDTF), not now")

    def question(name: str, run: Command, help: str, example: str) -> argparse.ArgumentParser:
        sub = command(name, run, help, example)
        sub.add_argument("--min-grade", metavar="GRADE",
                         help="use only claims graded GRADE or better: 'C3' (both axes), "
                              "'C' (source reliability) or '3' (information credibility); "
                              "weaker claims are left out (an answer lists them as also "
                              "reported)")
        sub.add_argument("--source", metavar="NAME", action="append", dest="sources",
                         help="use only claims citing NAME anywhere in their relay chain "
                              "(origin or outlet); repeat to allow any of several")
        json_option(sub, default=argparse.SUPPRESS)
        return sub

    sub = question("everyone", _everyone, "everyone's last known whereabouts",
                   "everyone --known-at 2024-12-09")
    as_of(sub)
    sub = question("last", _last, "where someone was last known to be",
                   'last "Bashar al-Assad"')
    sub.add_argument("name")
    as_of(sub)
    sub = question("where", _where, "where someone was on a date",
                   'where "Bashar al-Assad" --on 2024-12-07')
    sub.add_argument("name")
    sub.add_argument("--on", required=True, metavar="DATE", help="the day (EDTF)")
    sub = question("during", _during,
                   "where someone was during a day: as it began, each claim in it, as it ended",
                   'during "Hafez al-Assad" 2024-12-08')
    sub.add_argument("name")
    sub.add_argument("day", metavar="DAY", help="the day, or any date with a start and an "
                                                "end, such as a month (EDTF)")
    sub = question("who", _who,
                   "who was last known to be in a place, or was there on a day (--on)",
                   "who Russia --on 2024-12-08")
    sub.add_argument("place")
    moment = sub.add_mutually_exclusive_group()
    as_of(moment)
    moment.add_argument("--on", metavar="DAY",
                        help="who was there at any time on DAY (EDTF), definitely or "
                             "possibly; not with --as-of")
    sub = question("unaccounted", _unaccounted, "who is unaccounted for", "unaccounted")
    as_of(sub)
    sub = question("dead", _dead, "who is reported dead", "dead")
    as_of(sub)
    sub = question("itinerary", _itinerary, "the ordered stops of someone",
                   'itinerary "Iyad Makhlouf"')
    sub.add_argument("name")
    as_of(sub)
    sub.add_argument("--start", metavar="DATE",
                     help="keep the stops that may fall on or after DATE (EDTF)")
    sub.add_argument("--end", metavar="DATE",
                     help="keep the stops that may fall on or before DATE (EDTF)")
    sub = question("companions", _companions, "who moved with someone",
                   'companions "Bashar al-Assad"')
    sub.add_argument("name")
    as_of(sub)
    sub.add_argument("--on", metavar="DAY",
                     help="only the claims that may fall on DAY (EDTF)")
    sub = question("conflicts", _conflicts, "claims that cannot all be true", "conflicts")
    sub.add_argument("name", nargs="?")
    as_of(sub)

    sub = command("resolve", _resolve, "what place names mean (offline gazetteer)",
                  'resolve Dubai Tripoli "Chtoura, Lebanon"', known_at=False)
    json_option(sub, default=argparse.SUPPRESS)
    sub.add_argument("places", nargs="+", metavar="PLACE")
    sub.add_argument("--country", metavar="COUNTRY",
                     help="rank candidates in this country first (ISO code or name)")

    sub = command("import", None, "import the observations of a CSV file into a ledger file",
                  "import case.csv --ledger case.jsonl", known_at=False)
    sub.set_defaults(file_command=_import)
    json_option(sub, default=argparse.SUPPRESS)
    sub.add_argument("file", metavar="FILE.csv")
    sub.add_argument("--keep-valid", action="store_true",
                     help="import the valid rows even if other rows have problems")

    sub = command("validate", None, "check a ledger file (native, SQLite or CSV)",
                  "validate case.jsonl", known_at=False)
    sub.set_defaults(file_command=_validate)
    json_option(sub, default=argparse.SUPPRESS)
    sub.add_argument("file", metavar="FILE")

    sub = command("export", _export, "write the ledger as GeoJSON, CSV or a native file",
                  "export --geojson -o case.geojson")
    as_of(sub)
    formats = sub.add_mutually_exclusive_group(required=True)
    for flag, help in (("--geojson", "GeoJSON (RFC 7946): points and itineraries"),
                       ("--csv", "CSV, one observation a row"),
                       ("--jsonl", "the native file (JSON Lines)")):
        formats.add_argument(flag, dest="format", action="store_const", const=flag[2:],
                             help=help)
    sub.add_argument("-o", "--output", metavar="OUT", help="write to OUT (default: stdout)")
    return parser


def ledger_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--ledger", metavar="FILE", default=default,
                        help=f"the ledger file, native or SQLite (default: ${ENV_LEDGER}, "
                             "else the bundled example)")


def json_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--json", action="store_true", default=default,
                        help="print JSON for scripts")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    if not hasattr(args, "json"):
        args.json = False
    ledger: Ledger | None = None
    try:
        if args.file_command is not None:
            code: int = args.file_command(args)
        else:
            ledger = _open(args.ledger)
            code = args.run(ledger, args)
    except WhereaboutsError as err:
        for line in str(err).splitlines():
            print(f"whereabouts: error: {line}", file=sys.stderr)
        return BAD_INPUT
    except BrokenPipeError:  # the reader went away (| head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return NOT_FOUND
    finally:
        if ledger is not None:
            _close(ledger)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
