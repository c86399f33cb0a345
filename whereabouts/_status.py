"""The status of an answer: located, heading, departed, unknown, deceased, disputed,
nothing known (re-exported by :mod:`whereabouts.results`)."""

from __future__ import annotations

import enum

__all__ = ["STATUSES", "Status"]


class Status(enum.Enum):
    """The state of knowledge about where someone is."""

    LOCATED = "located"
    """In one place (or one of several places named by a single claim)."""
    HEADING = "heading"
    """On the way to a place, not known to have arrived."""
    DEPARTED = "departed"
    """Left a place; where to is not known."""
    UNKNOWN = "unknown"
    """Reported as whereabouts unknown or unaccounted for."""
    DECEASED = "deceased"
    DISPUTED = "disputed"
    """Claims that could each be the latest point to different places."""
    NOTHING_KNOWN = "nothing known"
    """No claim about where they are (yet)."""


STATUSES: tuple[Status, ...] = tuple(Status)
"""Statuses by code: the code of a status is its position in :class:`Status`."""
