"""whereabouts: a movement ledger.

Record who was seen where, when, according to whom and how sure we are;
then ask where someone is, where they were on a date, who is in a country,
who is unaccounted for, and what was known on a given day.
"""

from typing import TYPE_CHECKING

from whereabouts.entities import Group, Person, Relation, RelationKind
from whereabouts.errors import WhereaboutsError
from whereabouts.ledger import Ledger
from whereabouts.observations import Denial, Family, Kind, Observation, Retraction
from whereabouts.places import Alternatives, Place, PlaceKind
from whereabouts.results import (
    Candidate,
    Companion,
    Conflict,
    During,
    Itinerary,
    Presence,
    Roll,
    Status,
    Stop,
    Whereabouts,
)
from whereabouts.sources import Credibility, Grading, Reliability, Source, SourceKind, Threshold
from whereabouts.when import When

if TYPE_CHECKING:
    from whereabouts.io import SqliteLedger, load, save

__all__ = [
    "Alternatives",
    "Candidate",
    "Companion",
    "Conflict",
    "Credibility",
    "Denial",
    "During",
    "Family",
    "Grading",
    "Group",
    "Itinerary",
    "Kind",
    "Ledger",
    "Observation",
    "Person",
    "Place",
    "PlaceKind",
    "Presence",
    "Relation",
    "RelationKind",
    "Reliability",
    "Retraction",
    "Roll",
    "Source",
    "SourceKind",
    "SqliteLedger",
    "Status",
    "Stop",
    "Threshold",
    "When",
    "Whereabouts",
    "WhereaboutsError",
    "load",
    "save",
]

__version__ = "0.1.0.dev0"

_IO = frozenset({"SqliteLedger", "load", "save"})


def __getattr__(name: str) -> object:
    if name in _IO:  # whereabouts.io imports sqlite3 and csv: only when asked for
        import whereabouts.io

        return getattr(whereabouts.io, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
