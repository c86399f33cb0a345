"""whereabouts: a movement ledger.

Record who was seen where, when, according to whom and how sure we are;
then ask where someone is, where they were on a date, who is in a country,
who is unaccounted for, and what was known on a given day.
"""

from whereabouts.entities import Group, Person, Relation, RelationKind
from whereabouts.errors import WhereaboutsError
from whereabouts.ledger import Ledger
from whereabouts.observations import Family, Kind, Observation, Retraction
from whereabouts.places import Alternatives, Place, PlaceKind
from whereabouts.results import (
    Candidate,
    Companion,
    Conflict,
    Itinerary,
    Presence,
    Roll,
    Status,
    Stop,
    Whereabouts,
)
from whereabouts.sources import Credibility, Grading, Reliability, Source, SourceKind
from whereabouts.when import When

__all__ = [
    "Alternatives",
    "Candidate",
    "Companion",
    "Conflict",
    "Credibility",
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
    "Status",
    "Stop",
    "When",
    "Whereabouts",
    "WhereaboutsError",
]

__version__ = "0.1.0.dev0"
