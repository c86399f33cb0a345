"""The command line: quick questions to a ledger, and its files in and out.

Every question takes the ledger file with ``--ledger FILE`` (native ``.jsonl``
or SQLite, told apart by content; or set ``WHEREABOUTS_LEDGER``); without one
it asks the bundled example, the December 2024 report on the Assad circle.
``--json`` prints the answer as JSON for scripts (shapes in ``docs/cli.md``).
Every question takes ``--known-at DATE``, ``--min-grade GRADE`` and ``--source NAME``
(repeatable) to narrow the claims it uses.

Exit codes (the table in ``docs/cli.md``): 0 an answer was found, 1 nothing is
known or the answer is "unknown" (for ``resolve``: a name is unknown or ambiguous),
2 bad input (an unknown or ambiguous name of a person or a place, a malformed date or
grade, a source no claim cites, a file with problems, an output path refused) or a
command line that cannot be read, 70 an internal error (a bug: one line asks for a
report), 130 interrupted (Ctrl-C), 141 the reader of the output went away (``| head``).

``map -o case.html`` and ``timeline -o case.png`` draw the ledger (HTML, PNG or SVG by
the suffix; PNG and SVG, and every timeline, need matplotlib: ``whereabouts[plots]``);
they exit with 1, and write a picture that says so, when there is nothing to draw.
``export`` also writes TimelineJS, Timesketch and FollowTheMoney; ``import --ftm`` reads
FtM people.

``-`` reads standard input wherever a file is read (``import -``, ``validate -``,
``--ledger -``), and ``-o -`` writes standard output where the output is text. Progress
shows on standard error when it is a terminal (not with ``--quiet``); the library's events
go through the ``whereabouts`` logger, which the command line sends to standard error
(warnings; everything with ``--verbose``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import shutil
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from whereabouts import _log
from whereabouts.errors import WhereaboutsError
from whereabouts.ledger import Ledger
from whereabouts.results import Status, Whereabouts

__all__ = ["main"]

FOUND, NOT_FOUND, BAD_INPUT = 0, 1, 2
INTERNAL_ERROR = 70
"""A bug in whereabouts (``EX_SOFTWARE`` of sysexits.h): one line names the command and
the exception and asks for a report."""
INTERRUPTED = 130
"""Stopped with Ctrl-C (128 + SIGINT, as a shell reports it)."""
BROKEN_PIPE = 141
"""The program reading the output stopped reading (``| head``): 128 + SIGPIPE."""
EXIT_CODES = (FOUND, NOT_FOUND, BAD_INPUT, INTERNAL_ERROR, INTERRUPTED, BROKEN_PIPE)
"""Every exit code the command line gives (argparse's usage errors exit with 2 too)."""
SHOWN = 20
"""How many problems of a file are listed before a count of the rest (``--all-problems``
lists them all)."""
STDIN = "<stdin>"
"""How standard input is named in messages (``-`` on the command line)."""
STDOUT = "<stdout>"
"""How standard output is named in messages (``-o -``)."""
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
    from whereabouts.errors import AmbiguousPlace
    from whereabouts.io._json import presence_dict

    try:
        place = ledger.place(args.place, country=args.country)
    except AmbiguousPlace as err:
        raise AmbiguousPlace(err.reason.replace("pass country= or near=",
                                                "give --country to choose"),
                             field="place", value=err.value, candidates=err.candidates) from None
    except WhereaboutsError as err:
        if err.field in (None, "name", "query"):
            err.field = "place"
        raise
    presence = ledger.who_is_in(place, as_of=args.as_of, on=args.on, **_filters(args))
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
    from whereabouts.io import dumps, to_csv, to_ftm, to_geojson, to_timelinejs, to_timesketch

    fmt = args.format
    if fmt == "geojson":
        collection = to_geojson(ledger, as_of=args.as_of, known_at=args.known_at)
        text = json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
    elif fmt == "timelinejs":
        config = to_timelinejs(ledger, known_at=args.known_at)
        text = json.dumps(config, ensure_ascii=False, indent=1) + "\n"
    elif fmt in ("timesketch", "ftm"):
        items = (to_timesketch(ledger, known_at=args.known_at) if fmt == "timesketch"
                 else to_ftm(ledger, known_at=args.known_at))
        text = "".join(json.dumps(item, ensure_ascii=False,
                                  sort_keys=fmt == "ftm") + "\n" for item in items)
    elif fmt == "parquet":
        from whereabouts.io import write_parquet

        with _log.task(f"writing {args.parquet}"):
            write_parquet(ledger, args.parquet, replace=args.force)
        _note(args, f"wrote {args.parquet}")
        return FOUND
    elif fmt == "csv":
        text = to_csv(ledger)
    else:
        text = dumps(ledger)
    if args.target is None:
        sys.stdout.write(text)
    else:
        from whereabouts.io._atomic import write_output

        write_output(args.target, text.encode("utf-8"))
        _note(args, f"wrote {args.output}")
    return FOUND


_EXPORT_FILTERS = {"geojson": ("as_of", "known_at"), "timelinejs": ("known_at",),
                   "timesketch": ("known_at",), "ftm": ("known_at",), "csv": (), "jsonl": (),
                   "parquet": ()}
"""The filters each export format honours; any other given is refused, never ignored."""


def _export_target(args: argparse.Namespace) -> None:
    """Check the filters against the format and ``-o OUT`` (``--parquet DIR``) before the
    ledger is read."""
    if args.parquet is not None:
        args.format = "parquet"
    for name in ("as_of", "known_at"):
        if getattr(args, name) is not None and name not in _EXPORT_FILTERS[args.format]:
            takes = [f"--{f}" for f, kept in _EXPORT_FILTERS.items() if name in kept]
            raise WhereaboutsError(
                f"--{name.replace('_', '-')} does not apply to --{args.format} (only to "
                f"{', '.join(takes)})", field=name, value=getattr(args, name))
    if args.format == "parquet":
        _parquet_target(args)
        return
    _output_target(args)


def _parquet_target(args: argparse.Namespace) -> None:
    """``export --parquet DIR``: a folder, new or empty unless ``--force``, never one that
    holds the ledger being read; pyarrow installed."""
    from whereabouts.io.parquet import _pa, check_target

    if args.output is not None:
        raise WhereaboutsError("--parquet names the folder to write: -o does not apply",
                               field="output", value=args.output)
    if args.parquet == "-":
        raise WhereaboutsError("a Parquet dataset is a folder of files, not for standard "
                               "output", field="output", value="-")
    _pa()
    check_target(args.parquet, replace=args.force,
                 protect=[] if args.ledger in (None, "-") else [args.ledger])


def _output_target(args: argparse.Namespace) -> None:
    """Check ``-o OUT`` before the ledger is read: a refused path costs nothing.
    ``args.target`` is the checked :class:`~whereabouts.io._atomic.Output`, or None for
    standard output."""
    from whereabouts.io._atomic import check_output

    args.target = None
    if args.output is not None and args.output != "-":
        protect = [] if args.ledger in (None, "-") else [args.ledger]
        args.target = check_output(args.output, force=args.force, protect=protect)


# -- pictures: map and timeline --------------------------------------------------------


_SUFFIXES = {".html": "html", ".htm": "html", ".png": "png", ".svg": "svg"}
PLOTS = 'pip install "whereabouts[plots]"'
"""What to run for the PNG and SVG pictures and every timeline (matplotlib)."""


def _picture_target(args: argparse.Namespace) -> None:
    """Check ``-o OUT``, the format and what drawing it needs, before the ledger is read:
    a refused path, an unknown suffix or a missing matplotlib costs nothing."""
    what = "map" if args.command == "map" else "timeline"
    _output_target(args)
    fmt = args.picture_format
    if fmt is None:
        fmt = "html" if args.output == "-" else _SUFFIXES.get(Path(args.output).suffix.lower())
    if fmt is None:
        raise WhereaboutsError(f"a {what} is written as .html, .png or .svg: name the file "
                               "so, or give --format", field="output", value=args.output)
    args.picture_format = fmt
    if args.output == "-":
        if fmt == "png":
            raise WhereaboutsError("a PNG is not text, so not for standard output: write "
                                   "it to a file (-o FILE.png), or give --format svg or html",
                                   field="output", value="-")
        if args.json:
            raise WhereaboutsError("--json and the picture would both go to standard "
                                   "output: write the picture to a file (-o FILE)",
                                   field="output", value="-")
    if getattr(args, "tiles", None) is not None and fmt != "html":
        raise WhereaboutsError("a tile background is for the HTML map only",
                               field="tiles", value=args.tiles)
    if what == "timeline" or fmt != "html":
        _need_matplotlib(_a_map(fmt) if what == "map" else "a timeline")


def _a_map(fmt: str) -> str:
    return f"{'an' if fmt == 'svg' else 'a'} {fmt.upper()} map"


def _need_matplotlib(what: str) -> None:
    from whereabouts.io.errors import MissingDependency

    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MissingDependency(f"{what} needs matplotlib: {PLOTS}") from None


@contextlib.contextmanager
def _drawing(what: str) -> Iterator[None]:
    """matplotlib missing in the middle of drawing (a broken install): the same one line
    as when it is missing from the start, not an internal error."""
    try:
        yield
    except ImportError as err:
        if not (err.name or "").startswith("matplotlib") and "whereabouts[plots]" not in str(err):
            raise
        from whereabouts.io.errors import MissingDependency

        raise MissingDependency(f"{what} needs matplotlib: {PLOTS}") from None


def _chosen(args: argparse.Namespace) -> list[str] | None:
    """The people named (positionally and with ``--person``), or None for the default."""
    names = [*args.people, *(args.person or [])]
    return names or None


def _write_picture(args: argparse.Namespace, data: bytes) -> None:
    """Write a picture where ``-o`` said: a checked file, atomically, or standard output."""
    from whereabouts.io._atomic import write_output

    if args.target is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_output(args.target, data)


def _written(args: argparse.Namespace) -> str:
    return STDOUT if args.output == "-" else args.output


def _picture_code(args: argparse.Namespace, nothing: str | None) -> int:
    """1 with a one-line notice when the picture says there is nothing to draw, else 0."""
    if nothing is None:
        return FOUND
    where = "the picture" if args.output == "-" else args.output
    text = nothing.rstrip(".")
    _note(args, f"whereabouts: {text[:1].lower()}{text[1:]}; {where} says so")
    return NOT_FOUND


def _map(ledger: Ledger, args: argparse.Namespace) -> int:
    from whereabouts.pictures import maps

    fmt = args.picture_format
    model = maps.routes(ledger, _chosen(args), as_of=args.as_of, known_at=args.known_at)
    extent = frame = None
    with _drawing(_a_map(fmt)):
        if fmt == "html":
            data = maps._html(model, tiles=args.tiles, title=args.title).encode("utf-8")
        else:
            data, extent, frame = maps._image(model, fmt, title=args.title)
    _write_picture(args, data)
    report = maps._report(model, fmt, size=len(data), extent=extent, frame=frame)
    if args.json:
        from whereabouts.io._json import entity_dict

        print(json.dumps({
            "path": args.output, "format": report.format, "size": report.size,
            "people": list(report.people), "marks": report.marks,
            "left_out": [{"entity": entity_dict(item.entity), "observation": item.observation,
                          "place": item.place, "reason": item.reason}
                         for item in report.left_out],
            "nothing_to_draw": report.nothing_to_draw,
            "extent": None if extent is None else list(extent),
            "frame": None if frame is None else list(frame),
        }, ensure_ascii=False, indent=2))
    elif report.nothing_to_draw is None:
        people = len(report.people)
        _note(args, f"wrote {_written(args)}: {fmt} map of {people} "
                    f"{'person' if people == 1 else 'people'}, {report.marks} points"
                    + (f"; {len(report.left_out)} claims left out:" if report.left_out else ""))
        for item in report.left_out:
            _note(args, f"  left out: {item}")
    return _picture_code(args, report.nothing_to_draw)


def _timeline(ledger: Ledger, args: argparse.Namespace) -> int:
    from whereabouts.pictures import timeline

    fmt = args.picture_format
    people = _chosen(args)
    options: dict[str, Any] = {"breaks": args.breaks}
    if args.title is not None:
        options["title"] = args.title
    with _drawing("a timeline"):
        figure = timeline.draw_timeline(ledger, people, as_of=args.as_of,
                                        known_at=args.known_at, **options)
        if fmt == "png":
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            FigureCanvasAgg(figure)
            buffer = io.BytesIO()
            # save_timeline's resolution: 150 dpi, 100 for a picture over 12 inches tall
            dpi = 100 if figure.get_figheight() > 12 else 150
            figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
            data = buffer.getvalue()
        elif fmt == "svg":
            data = timeline._svg(figure).encode("utf-8")
        else:
            data = timeline._html(ledger, figure, people, args.as_of, args.known_at
                                  ).encode("utf-8")
    _write_picture(args, data)
    rows, empty, nothing = _timeline_rows(ledger, figure)
    if nothing is None and rows and len(empty) == len(rows):
        nothing = "Nothing to draw: no claim about " + (
            "this person" if len(rows) == 1 else "these people") + (
            "" if args.known_at is None else f" known at {args.known_at}")
    if args.json:
        print(json.dumps({
            "path": args.output, "format": fmt, "size": len(data),
            "people": [ledger.entity(i).name for i in rows],
            "without_claims": [ledger.entity(i).name for i in empty],
            "nothing_to_draw": nothing,
        }, ensure_ascii=False, indent=2))
    elif nothing is None:
        count = len(rows)
        _note(args, f"wrote {_written(args)}: {fmt} timeline of {count} "
                    f"{'person' if count == 1 else 'people'}"
                    + (f" ({len(empty)} with no claims)" if empty else ""))
    return _picture_code(args, nothing)


def _timeline_rows(ledger: Ledger, figure: Any) -> tuple[list[str], list[str], str | None]:
    """The ids of the rows a timeline figure drew, of those rows that say "no claims",
    and why nothing was drawn (None when something was), read from the figure's marks."""
    rows: list[str] = []
    empty: list[str] = []
    for ax in figure.axes:
        for text in ax.texts:
            gid = text.get_gid() or ""
            if gid.startswith("row-"):
                rows.append(gid[4:])
            elif gid.startswith("note-") and text.get_text().strip().startswith("no claims"):
                empty.append(gid[5:])
    nothing = None
    texts = list(figure.texts)
    for number, text in enumerate(texts):
        if text.get_gid() == "nothing":
            why = texts[number + 1].get_text() if number + 1 < len(texts) else ""
            nothing = f"Nothing to draw: {why}" if why else "Nothing to draw"
    return rows, empty, nothing


# -- files -----------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    import attrs

    from whereabouts.io import check

    path, name = _readable(args, args.file)
    report = attrs.evolve(check(path), path=name)
    text = "\n".join(_listed(args, str(report).splitlines(), len(report.problems), "  "))
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
        detect,
        open_ledger,
        read_csv,
    )

    if args.ledger is None:
        raise WhereaboutsError("import needs --ledger FILE: the ledger to import into "
                               "(created if missing)", field="ledger")
    if args.ledger == "-":
        raise WhereaboutsError("standard input is read only: import into a ledger file",
                               field="ledger", value="-")
    _writable_ledger(args.ledger)
    if Path(args.ledger).exists() and detect(args.ledger) == "csv":
        raise LedgerFileError(args.ledger, [Problem(
            message="the ledger must be a native (.jsonl) or SQLite (.db) file, not a CSV")])
    if args.ftm and args.keep_valid:
        raise WhereaboutsError("--keep-valid is for CSV: an FtM file with problems adds "
                               "no one", field="keep_valid")
    if args.parquet:
        return _import_parquet(args)
    path, name = _readable(args, args.file)
    ledger = open_ledger(args.ledger, create=True)
    if args.ftm:
        return _import_ftm(args, ledger, path, name)
    report = _read_into(args, ledger, name,
                        lambda: read_csv(path, ledger, keep_valid=args.keep_valid))
    people = len(report.created)
    text = (f"imported {len(report.added)} observations from {report.path} into {args.ledger}"
            f" ({people} new {'person' if people == 1 else 'people'})")
    if report.problems:
        lines = _listed(args, ["", *str(report.error()).splitlines()], len(report.problems))
        text += "; left out the rows with problems:" + "\n".join(lines)
    _emit(args, text, lambda: {
        "path": report.path, "ledger": args.ledger, "read": report.read,
        "added": [o.id for o in report.added], "created": [e.id for e in report.created],
        "problems": [_problem(p) for p in report.problems],
    })
    return FOUND if report.ok else BAD_INPUT


def _read_into(args: argparse.Namespace, ledger: Ledger, name: str,
               read: Callable[[], Any]) -> Any:
    """Run an import into ``ledger`` (its problems named by ``name``), save a native
    ledger, close it whatever happens, and return the import's report."""
    import attrs

    from whereabouts.io import LedgerFileError, SqliteLedger, save

    try:
        try:
            with _log.task(f"importing {name}"):
                report = read()
        except LedgerFileError as err:
            raise LedgerFileError(name, err.problems) from None
        report = attrs.evolve(report, path=name)
        if not isinstance(ledger, SqliteLedger):
            with _log.task(f"saving {args.ledger}"):
                save(ledger, args.ledger)
    finally:
        _close(ledger)
    return report


def _import_ftm(args: argparse.Namespace, ledger: Ledger, path: str, name: str) -> int:
    """``import --ftm``: the ``Person`` entities of a FollowTheMoney file (JSON Lines),
    with their aliases, as people of the ledger; every other schema is counted, skipped."""
    from whereabouts.io import SqliteLedger, read_ftm

    def read() -> Any:
        if isinstance(ledger, SqliteLedger):
            with ledger.transaction():
                return read_ftm(path, ledger)
        return read_ftm(path, ledger)

    report = _read_into(args, ledger, name, read)
    people = len(report.created)
    lines = [f"imported {people} {'person' if people == 1 else 'people'} from {report.path} "
             f"into {args.ledger} ({report.read} FtM entities read)",
             *str(report).splitlines()[1:]]
    _emit(args, "\n".join(lines), lambda: {
        "path": report.path, "ledger": args.ledger, "read": report.read,
        "created": [p.id for p in report.created], "ids": dict(report.ids),
        "merged": report.merged, "duplicates": list(report.duplicates),
        "skipped": dict(report.skipped),
    })
    return FOUND


def _import_parquet(args: argparse.Namespace) -> int:
    """``import --parquet DIR``: a whole ledger from a Parquet dataset, read and checked
    whole before anything is added; into a ledger that holds nothing it is the ledger,
    into one that does its parts are added through the checked methods (all or none)."""
    from whereabouts.io import (
        LedgerFileError,
        Problem,
        SqliteLedger,
        copy_into,
        open_ledger,
        read_parquet,
        save,
    )

    if args.keep_valid or args.ftm:
        raise WhereaboutsError("--parquet reads a whole ledger: a dataset with a problem "
                               "adds nothing", field="keep_valid" if args.keep_valid
                               else "ftm")
    if args.file == "-":
        raise WhereaboutsError("a Parquet dataset is a folder: name it", field="file",
                               value="-")
    with _log.task(f"reading {args.file}"):
        found = read_parquet(args.file)
    ledger = open_ledger(args.ledger, create=True)
    try:
        if isinstance(ledger, SqliteLedger) or len(ledger) or ledger.entities:
            with _log.task(f"adding to {args.ledger}"):
                try:
                    copy_into(found, ledger)
                except WhereaboutsError as err:
                    raise LedgerFileError(args.file, [Problem.of(err, field=(
                        f"cannot be added to {args.ledger}, nothing was; "
                        f"{err.field or 'entry'}"))]) from None
            if not isinstance(ledger, SqliteLedger):
                save(ledger, args.ledger)
        else:
            with _log.task(f"saving {args.ledger}"):
                save(found, args.ledger)
    finally:
        _close(ledger)
    entities = len(found.entities)
    text = (f"imported {len(found)} entries and {entities} "
            f"{'person or group' if entities == 1 else 'people and groups'} "
            f"from {args.file} into {args.ledger}")
    _emit(args, text, lambda: {"path": args.file, "ledger": args.ledger,
                               "entries": len(found), "entities": entities})
    return FOUND


def _writable_ledger(path: str) -> None:
    """The ledger ``import`` writes must be a file, or a new file in a folder that is
    there (checked before the CSV is read, which may take long)."""
    from whereabouts.io._atomic import check_output

    file = Path(path)
    if file.is_file():
        return
    if file.exists():
        raise WhereaboutsError("not a regular file: the ledger to import into must be one",
                               field="ledger", value=path)
    try:
        check_output(path)
    except WhereaboutsError as err:
        raise WhereaboutsError(err.reason, field="ledger", value=path) from None


def _template(args: argparse.Namespace) -> int:
    from whereabouts.io import template_text

    sys.stdout.write(template_text())
    return FOUND


def _listed(args: argparse.Namespace, lines: list[str], count: int,
            indent: str = "") -> list[str]:
    """``lines`` (a heading line, then one line a problem) with at most :data:`SHOWN`
    problems, and then how many more there are, unless ``--all-problems``."""
    if args.all_problems or count <= SHOWN:
        return lines
    rest = count - SHOWN
    return [*lines[:1 + SHOWN],
            f"{indent}and {rest:,} more problem{'s' if rest > 1 else ''} ({count:,} in all; "
            "--all-problems lists them all)"]


def _problem(problem: Any) -> dict[str, Any]:
    return {"line": problem.line, "column": problem.column, "field": problem.field,
            "message": problem.message}


def _close(ledger: Ledger) -> None:
    close = getattr(ledger, "close", None)  # a SqliteLedger
    if callable(close):
        close()


def _open(args: argparse.Namespace) -> Ledger:
    if args.ledger is None:
        from whereabouts.examples import assad_2024

        return assad_2024()
    from whereabouts.io import LedgerFileError, open_ledger

    path, name = _readable(args, args.ledger, suffix=".jsonl")  # a native file by default
    try:
        return open_ledger(path)
    except LedgerFileError as err:
        if err.path == os.fspath(path):
            raise LedgerFileError(name, err.problems) from None
        raise


def _readable(args: argparse.Namespace, name: str, suffix: str = "") -> tuple[str, str]:
    """The file to read for ``name`` on the command line, and how to call it.

    ``-`` is standard input, and a FIFO or a device (``<(...)``, ``/dev/stdin``) is
    read once: both are copied to a temporary file first (readers look at a file's first
    bytes, then read it whole, and SQLite needs a file), removed when the command ends.
    The copy keeps the name's suffix, else takes ``suffix``: the format is told by the
    content, and by the suffix when the content does not say.
    """
    if name == "-":
        if args.stdin_used:
            raise WhereaboutsError("standard input can be read only once", field="file",
                                   value="-")
        args.stdin_used = True
        return _spool(args, sys.stdin.buffer, STDIN, suffix), STDIN
    try:
        mode = os.stat(name).st_mode
    except (OSError, ValueError):
        return name, name  # the reader says what is wrong with it
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        with open(name, "rb") as stream:
            return _spool(args, stream, name, Path(name).suffix or suffix), name
    return name, name


def _spool(args: argparse.Namespace, stream: IO[bytes], name: str, suffix: str) -> str:
    folder = args.cleanup.enter_context(tempfile.TemporaryDirectory(prefix="whereabouts-"))
    path = Path(folder, "input" + suffix)
    with _log.task(f"reading {name}"), path.open("wb") as out:
        shutil.copyfileobj(stream, out, 1 << 20)
    return os.fspath(path)


def _note(args: argparse.Namespace, text: str) -> None:
    """A line for the person at the terminal (not with ``--quiet``)."""
    if not args.quiet:
        print(text, file=sys.stderr)


# -- the parser ------------------------------------------------------------------------



def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="whereabouts",
        description="Ask a movement ledger who was where, when, and on what evidence.",
        epilog="With no command, prints everyone's last known whereabouts. " + _EPILOG,
    )
    parser.set_defaults(run=_everyone, file_command=None, as_of=None, known_at=None,
                        sources=None, min_grade=None, command="everyone", prepare=None)
    parser.add_argument("--version", action="version", version=f"whereabouts {_version()}")
    ledger_option(parser, default=os.environ.get(ENV_LEDGER))
    json_option(parser, default=False)
    common_options(parser, default=False)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, run: Command | None, help: str, example: str,
                known_at: bool = True) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=help, description=help,
            epilog=f"example: whereabouts {example}\n{_EPILOG}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(run=run, command=name)
        ledger_option(sub, default=argparse.SUPPRESS)
        common_options(sub, default=argparse.SUPPRESS)
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
    sub.add_argument("--country", metavar="COUNTRY",
                     help="the place in this country, for a name several places bear "
                          "(ISO code or name: 'who Georgia --country US')")
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

    sub = command("import", None, "import the observations of a CSV file (or the people of "
                  "a FollowTheMoney file, --ftm) into a ledger file",
                  "import case.csv --ledger case.jsonl", known_at=False)
    sub.set_defaults(file_command=_import)
    json_option(sub, default=argparse.SUPPRESS)
    sub.add_argument("file", metavar="FILE", help="the CSV file (or FtM file, with --ftm); "
                                                  "- reads standard input")
    sub.add_argument("--keep-valid", action="store_true",
                     help="import the valid rows even if other rows have problems (CSV)")
    sub.add_argument("--ftm", action="store_true",
                     help="FILE is FollowTheMoney entities (JSON Lines): add its Person "
                          "entities, with their aliases, as people; other schemata are "
                          "skipped and counted")
    sub.add_argument("--parquet", action="store_true",
                     help="FILE is a Parquet dataset, a folder (export --parquet): add "
                          "the whole ledger it holds (needs pyarrow)")

    sub = command("validate", None, "check a ledger file (native, SQLite or CSV)",
                  "validate case.jsonl", known_at=False)
    sub.set_defaults(file_command=_validate)
    json_option(sub, default=argparse.SUPPRESS)
    sub.add_argument("file", metavar="FILE", help="the file to check; - reads standard input")

    sub = command("template", None, "print the CSV template: the header row of an empty sheet",
                  "template > case.csv", known_at=False)
    sub.set_defaults(file_command=_template)

    sub = command("export", _export, "write the ledger as GeoJSON, CSV, a native file, "
                  "TimelineJS, Timesketch or FollowTheMoney",
                  "export --geojson -o case.geojson")
    as_of(sub)
    formats = sub.add_mutually_exclusive_group(required=True)
    for flag, help in (("--geojson", "GeoJSON (RFC 7946): points and itineraries"),
                       ("--csv", "CSV, one observation a row"),
                       ("--jsonl", "the native file (JSON Lines)"),
                       ("--timelinejs", "TimelineJS JSON: one slide per claim and person"),
                       ("--timesketch", "Timesketch JSONL: events with the window's bounds; "
                                        "name the file .jsonl"),
                       ("--ftm", "FollowTheMoney entities (JSON Lines): people, relations, "
                                 "claims as Events")):
        formats.add_argument(flag, dest="format", action="store_const", const=flag[2:],
                             help=help)
    formats.add_argument("--parquet", metavar="DIR",
                         help="a Parquet dataset: the folder DIR of six tables, for DuckDB "
                              "and Spark (needs pyarrow; DIR new or empty, or --force)")
    sub.set_defaults(prepare=_export_target)
    output_options(sub, "write to OUT, atomically (default: stdout)")

    for name, run, help, example in (
        ("map", _map, "draw a route map: HTML (offline), PNG or SVG by the suffix of -o",
         'map "Bashar al-Assad" "Hafez al-Assad" -o case.html'),
        ("timeline", _timeline, "draw a timeline, one row per person: PNG, SVG or HTML by "
                                "the suffix of -o", "timeline -o case.png --as-of 2024-12-31"),
    ):
        sub = command(name, run, help, example)
        json_option(sub, default=argparse.SUPPRESS)
        sub.set_defaults(prepare=_picture_target)
        sub.add_argument("people", nargs="*", metavar="NAME",
                         help="a person or group to draw, by name or id (default: "
                              + ("everyone, people first, then groups)" if name == "map"
                                 else "every person with a claim)"))
        sub.add_argument("--person", metavar="NAME", action="append",
                         help="one more person or group to draw (repeatable), for a name "
                              "that looks like an option")
        as_of(sub)
        output_options(sub, "write the picture to OUT, atomically; - writes an HTML or "
                            "SVG picture to stdout", required=True)
        sub.add_argument("--format", dest="picture_format", choices=("html", "png", "svg"),
                         help="the picture's format (default: by the suffix of OUT; HTML "
                              "for -o -)")
        sub.add_argument("--title", metavar="TEXT", help="the picture's title")
        if name == "map":
            sub.add_argument("--tiles", metavar="NAME|URL",
                             help="HTML only: a tile background from the network when the "
                                  "page is viewed, 'osm' or https://host/{z}/{x}/{y}.png "
                                  "(default: none, fully offline)")
        else:
            sub.add_argument("--no-breaks", dest="breaks", action="store_false",
                             help="keep time linear: do not fold long empty stretches")
    return parser


def output_options(parser: argparse.ArgumentParser, help: str, required: bool = False,
                   ) -> None:
    """``-o OUT`` and ``--force``, checked by :func:`_output_target` before the ledger is
    read."""
    parser.add_argument("-o", "--output", metavar="OUT", required=required,
                        help=help + "; an existing file only with --force, never the "
                                    "ledger being read")
    parser.add_argument("--force", action="store_true",
                        help="replace OUT if it exists (through a symbolic link: the file "
                             "it leads to)")


def ledger_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--ledger", metavar="FILE", default=default,
                        help=f"the ledger file, native or SQLite; - reads the ledger "
                             f"from standard input (default: ${ENV_LEDGER}, else the "
                             "bundled example)")


def common_options(parser: argparse.ArgumentParser, default: object) -> None:
    """The options of every command, which may come before the command or after it."""
    parser.add_argument("-q", "--quiet", action="store_true", default=default,
                        help="no progress, no notes, no warnings: errors only")
    parser.add_argument("-v", "--verbose", action="store_true", default=default,
                        help="also log what the library does (files read and written, "
                             "and how long it took)")
    parser.add_argument("--all-problems", action="store_true", default=default,
                        help=f"list every problem of a file (default: the first {SHOWN} "
                             "and how many more)")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("whereabouts")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "(version unknown: not installed)"


def json_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--json", action="store_true", default=default,
                        help="print JSON for scripts")


# -- running a command ----------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see :data:`EXIT_CODES`).

    No exception gets out but :class:`SystemExit` from the parser (a usage error, exit
    code 2; ``--help`` and ``--version``, 0): a library error is a line or more
    ``whereabouts: error: ...`` (exit code 2), anything else one line naming the command
    and asking for a report (70); Ctrl-C gives 130 and a closed output pipe 141, quietly.
    """
    command = _command_in(argv)
    with _streams_forgiving():
        try:
            args = _parser().parse_args(argv)
            command = args.command
            return _run(args)
        except KeyboardInterrupt:
            return INTERRUPTED
        except BrokenPipeError:  # the reader went away (| head): stop quietly
            _silence_stdout()
            return BROKEN_PIPE
        except Exception as err:  # a bug: one line, no traceback
            return _internal_error(command, err)


def _run(args: argparse.Namespace) -> int:
    if not hasattr(args, "json"):
        args.json = False
    args.stdin_used = False
    ledger: Ledger | None = None
    with contextlib.ExitStack() as cleanup:
        args.cleanup = cleanup
        cleanup.enter_context(_reporting(args))
        try:
            if args.prepare is not None:
                args.prepare(args)
            if args.file_command is not None:
                return int(args.file_command(args))
            ledger = _open(args)
            return int(args.run(ledger, args))
        except WhereaboutsError as err:
            _error(args, err)
            return BAD_INPUT
        except BrokenPipeError:
            raise
        except OSError as err:  # the file system said no: a path's problem, not a bug
            where = f"{err.filename}: " if err.filename is not None else ""
            _error(args, WhereaboutsError(f"{where}{err.strerror or err}"))
            return BAD_INPUT
        finally:
            if ledger is not None:
                _close(ledger)


def _error(args: argparse.Namespace, err: WhereaboutsError) -> None:
    """Print a library error, one line each, at most :data:`SHOWN` problems of a file."""
    from whereabouts.io import LedgerFileError

    lines = str(err).splitlines() or [type(err).__name__]
    if isinstance(err, LedgerFileError) and len(err.problems) == len(lines):
        lines = _listed(args, ["", *lines], len(lines))[1:]
        if len(lines) > SHOWN:
            lines[-1] = lines[-1].replace(" more problems (", f" more problems in {err.path} (")
    for line in lines:
        print(f"whereabouts: error: {line}", file=sys.stderr)


def _internal_error(command: str, err: Exception) -> int:
    message = " ".join(str(err).split())
    if len(message) > 200:
        message = message[:199] + "…"
    what = f"{type(err).__name__}: {message}" if message else type(err).__name__
    with contextlib.suppress(Exception):
        print(f"whereabouts {command}: internal error: {what} (please report this, with the "
              "command you ran)", file=sys.stderr)
        if os.environ.get("WHEREABOUTS_DEBUG"):
            import traceback

            traceback.print_exception(type(err), err, err.__traceback__, file=sys.stderr)
    return INTERNAL_ERROR


def _command_in(argv: Sequence[str] | None) -> str:
    """The command a command line names, for a message before it is parsed."""
    words = sys.argv[1:] if argv is None else argv
    known = ("everyone", "last", "where", "during", "who", "unaccounted", "dead", "itinerary",
             "companions", "conflicts", "resolve", "import", "validate", "export", "template",
             "map", "timeline")
    return next((w for w in words if w in known), "everyone")


def _silence_stdout() -> None:
    with contextlib.suppress(Exception):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


@contextlib.contextmanager
def _streams_forgiving() -> Iterator[None]:
    """Standard output and error write text they cannot encode (a lone surrogate from a
    file name in a foreign encoding) as backslash escapes, for the command's duration."""
    changed = []
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            with contextlib.suppress(Exception):
                stream.reconfigure(errors="backslashreplace")
                changed.append(stream)
    try:
        yield
    finally:
        for stream in changed:
            with contextlib.suppress(Exception):
                stream.reconfigure(errors="strict")


# -- progress and log lines on standard error ------------------------------------------


class _Status:
    """The running task on one line of standard error, redrawn while it runs.

    Drawn only after :attr:`DELAY` seconds (a quick command shows nothing), cleared
    when the task ends or a log line is printed.
    """

    DELAY = 0.5
    TICK = 0.25

    def __init__(self, command: str, enabled: bool) -> None:
        self.command = command
        self.enabled = enabled
        self.lock = threading.RLock()
        self.tasks: list[list[Any]] = []  # [what, done, total, start], innermost last
        self.shown = False
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def __call__(self, what: str, done: int | None, total: int | None) -> None:
        with self.lock:
            if done == 0:
                self.tasks.append([what, 0, total, time.monotonic()])
                return
            for n in range(len(self.tasks) - 1, -1, -1):
                if self.tasks[n][0] == what:
                    if done is None:
                        del self.tasks[n]
                        if not self.tasks:
                            self.clear()
                    else:
                        self.tasks[n][1] = done
                    return

    def start(self) -> None:
        if self.enabled:
            self.thread = threading.Thread(target=self._loop, name="whereabouts-progress",
                                           daemon=True)
            self.thread.start()

    def finish(self) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join(timeout=2)
        with self.lock:
            self.clear()

    def _loop(self) -> None:
        while not self.stop.wait(self.TICK):
            with self.lock, contextlib.suppress(Exception):  # never a traceback from here
                self.draw()

    def draw(self) -> None:
        if not self.tasks:
            self.clear()
            return
        what, done, total, start = self.tasks[-1]
        took = time.monotonic() - start
        if took < self.DELAY:
            return
        text = f"whereabouts {self.command}: {what}"
        if total:
            text += f" {min(100, 100 * done // total)}%"
        elif done:
            text += f" {done:,}"
        text += f" ({took:.0f} s)"
        width = max(20, shutil.get_terminal_size().columns - 1)
        sys.stderr.write("\r\x1b[K" + text[:width])
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            with contextlib.suppress(Exception):
                sys.stderr.write("\r\x1b[K")
                sys.stderr.flush()
            self.shown = False


class _Lines(logging.Handler):
    """The ``whereabouts`` logger's records as lines on standard error (whichever stream
    ``sys.stderr`` is when they come): ``whereabouts: warning: ...``, ``whereabouts: ...``."""

    def __init__(self, status: _Status) -> None:
        super().__init__()
        self.status = status

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.levelno >= logging.WARNING:
                text = f"{record.levelname.lower()}: {text}"
            with self.status.lock:
                self.status.clear()
                print(f"whereabouts: {text}", file=sys.stderr)
        except Exception:  # a log line must never stop the command
            self.handleError(record)

    def handleError(self, record: logging.LogRecord) -> None:
        pass


@contextlib.contextmanager
def _reporting(args: argparse.Namespace) -> Iterator[None]:
    """For the command's duration: the ``whereabouts`` logger's records on standard error
    (warnings and errors; everything with ``--verbose``; errors only with ``--quiet``), and
    progress when standard error is a terminal (not with ``--quiet``)."""
    logger = _log.logger
    terminal = bool(getattr(sys.stderr, "isatty", lambda: False)())
    status = _Status(args.command, enabled=terminal and not args.quiet)
    handler = _Lines(status)
    level = logging.ERROR if args.quiet else logging.DEBUG if args.verbose else logging.WARNING
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    stop = _log.listen(status)
    status.start()
    try:
        yield
    finally:
        stop()
        status.finish()
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
