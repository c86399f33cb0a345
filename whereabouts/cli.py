"""The command line: quick questions to a ledger.

Without a ledger file (file formats come in a later release) every command
asks the bundled example, the December 2024 report on the Assad circle.

Exit codes: 0 an answer was found, 1 nothing is known or the answer is
"unknown", 2 bad input (an unknown name, a malformed date).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from whereabouts.errors import WhereaboutsError
from whereabouts.examples import assad_2024
from whereabouts.ledger import Ledger
from whereabouts.results import Status

__all__ = ["main"]

FOUND, NOT_FOUND, BAD_INPUT = 0, 1, 2

_EPILOG = "The ledger is the bundled example (the Assad circle, December 2024)."


def _everyone(ledger: Ledger, args: argparse.Namespace) -> int:
    roll = ledger.everyone(as_of=args.as_of, known_at=args.known_at)
    print(roll)
    return FOUND if roll.answers else NOT_FOUND


def _last(ledger: Ledger, args: argparse.Namespace) -> int:
    answer = ledger.last_known(args.name, as_of=args.as_of, known_at=args.known_at)
    print(answer)
    return NOT_FOUND if answer.status in (Status.UNKNOWN, Status.NOTHING_KNOWN) else FOUND


def _where(ledger: Ledger, args: argparse.Namespace) -> int:
    answer = ledger.where(args.name, args.on, known_at=args.known_at)
    print(answer)
    return NOT_FOUND if answer.status in (Status.UNKNOWN, Status.NOTHING_KNOWN) else FOUND


def _who(ledger: Ledger, args: argparse.Namespace) -> int:
    presence = ledger.who_is_in(args.place, as_of=args.as_of, known_at=args.known_at)
    print(presence)
    return FOUND if presence.definite or presence.possible else NOT_FOUND


def _unaccounted(ledger: Ledger, args: argparse.Namespace) -> int:
    roll = ledger.unaccounted(as_of=args.as_of, known_at=args.known_at)
    print(roll)
    return FOUND if roll.answers else NOT_FOUND


def _dead(ledger: Ledger, args: argparse.Namespace) -> int:
    roll = ledger.dead(as_of=args.as_of, known_at=args.known_at)
    print(roll)
    return FOUND if roll.answers else NOT_FOUND


def _itinerary(ledger: Ledger, args: argparse.Namespace) -> int:
    trip = ledger.itinerary(args.name, as_of=args.as_of, known_at=args.known_at)
    print(trip)
    return FOUND if trip.stops else NOT_FOUND


def _companions(ledger: Ledger, args: argparse.Namespace) -> int:
    found = ledger.companions(args.name, as_of=args.as_of, known_at=args.known_at)
    print(f"{ledger.entity(args.name).name} moved with: {len(found)}")
    for companion in found:
        print(f"  {companion}")
    return FOUND if found else NOT_FOUND


def _conflicts(ledger: Ledger, args: argparse.Namespace) -> int:
    found = ledger.conflicts(args.name, as_of=args.as_of, known_at=args.known_at)
    print(f"Conflicts: {len(found)}")
    for conflict in found:
        print(conflict)
    return FOUND if found else NOT_FOUND


Command = Callable[[Ledger, argparse.Namespace], int]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="whereabouts",
        description="Ask a movement ledger who was where, when, and on what evidence.",
        epilog="With no command, prints everyone's last known whereabouts. " + _EPILOG,
    )
    parser.set_defaults(run=_everyone, as_of=None, known_at=None)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, run: Command, help: str, example: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=help, description=help,
            epilog=f"example: whereabouts {example}\n{_EPILOG}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(run=run)
        sub.add_argument("--known-at", metavar="DATE",
                         help="use only claims reported by the end of DATE (EDTF)")
        return sub

    def as_of(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--as-of", metavar="DATE",
                         help="answer as of the end of DATE (EDTF), not now")

    sub = command("everyone", _everyone, "everyone's last known whereabouts",
                  "everyone --known-at 2024-12-09")
    as_of(sub)
    sub = command("last", _last, "where someone was last known to be",
                  'last "Bashar al-Assad"')
    sub.add_argument("name")
    as_of(sub)
    sub = command("where", _where, "where someone was on a date",
                  'where "Bashar al-Assad" --on 2024-12-07')
    sub.add_argument("name")
    sub.add_argument("--on", required=True, metavar="DATE", help="the day (EDTF)")
    sub = command("who", _who, "who was last known to be in a place", "who Russia")
    sub.add_argument("place")
    as_of(sub)
    sub = command("unaccounted", _unaccounted, "who is unaccounted for", "unaccounted")
    as_of(sub)
    sub = command("dead", _dead, "who is reported dead", "dead")
    as_of(sub)
    sub = command("itinerary", _itinerary, "the ordered stops of someone",
                  'itinerary "Iyad Makhlouf"')
    sub.add_argument("name")
    as_of(sub)
    sub = command("companions", _companions, "who moved with someone",
                  'companions "Bashar al-Assad"')
    sub.add_argument("name")
    as_of(sub)
    sub = command("conflicts", _conflicts, "claims that cannot all be true", "conflicts")
    sub.add_argument("name", nargs="?")
    as_of(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        ledger = assad_2024()
        code: int = args.run(ledger, args)
    except WhereaboutsError as err:
        print(f"whereabouts: error: {err}", file=sys.stderr)
        return BAD_INPUT
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
