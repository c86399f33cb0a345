"""The ledger's claims, indexed as they arrive, and views of them at a ``known_at``.

A :class:`Timeline` keeps, for every observation, its window narrowed by
``after`` links (see ``docs/semantics.md``), the longest chain of links that
leads to it, and an index by subject. All of it is kept up to date one append
at a time, so a query reads only the claims about the entity it asks about.

A :class:`View` is the timeline as it stood at a ``known_at`` instant: only
claims reported by then, minus those retracted or corrected by then. For
``known_at=None`` the view is the timeline itself, at no cost.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from whereabouts.observations import Observation, Retraction

__all__ = ["Timeline", "View"]


class Timeline:
    """Every observation, with narrowed windows, link depths and a subject index."""

    def __init__(self) -> None:
        self.observations: dict[str, Observation] = {}
        self.index: dict[str, int] = {}
        self.by_subject: dict[str, list[Observation]] = {}
        self.lower: dict[str, float] = {}
        self.upper: dict[str, float] = {}
        self.depth: dict[str, int] = {}
        self.children: dict[str, list[str]] = {}
        self.linked: set[str] = set()
        self.dropped: dict[str, float] = {}
        """Observation id -> the earliest report end of a retraction or correction of it."""
        self.ancestor_memo: dict[str, frozenset[str]] = {}

    def narrowed_lower(self, obs: Observation) -> float:
        """The start of ``obs`` narrowed by its links (one step: links point backwards)."""
        return max([obs.lower, *(self.lower[prior] for prior in obs.after)])

    def add(self, obs: Observation) -> set[str]:
        """Index ``obs``; return the ids of earlier observations whose window narrowed."""
        oid = obs.id
        self.index[oid] = len(self.observations)
        self.observations[oid] = obs
        self.lower[oid] = self.narrowed_lower(obs)
        self.upper[oid] = obs.upper
        self.depth[oid] = 1 + max((self.depth[p] for p in obs.after), default=-1)
        for subject in obs.subjects:
            self.by_subject.setdefault(subject, []).append(obs)
        if obs.corrects is not None:
            self._drop(obs.corrects, obs.reported.upper)
        changed: set[str] = set()
        if obs.after:
            self.linked.add(oid)
            self.linked.update(obs.after)
            for prior in obs.after:
                self.children.setdefault(prior, []).append(oid)
            stack = [(prior, self.upper[oid]) for prior in obs.after]
            while stack:  # an end narrows back along the links
                prior, end = stack.pop()
                if end < self.upper[prior]:
                    self.upper[prior] = end
                    changed.add(prior)
                    stack.extend((p, end) for p in self.observations[prior].after)
        return changed

    def retract(self, entry: Retraction) -> None:
        self._drop(entry.target, entry.reported.upper)

    def _drop(self, target: str, when: float) -> None:
        self.dropped[target] = min(self.dropped.get(target, math.inf), when)


class _Windows:
    """Window starts (or ends) by observation id: the narrowed value where a link
    narrowed it, else the observation's own."""

    __slots__ = ("_bound", "_narrowed", "_observations")

    def __init__(self, observations: dict[str, Observation], narrowed: dict[str, float],
                 bound: str) -> None:
        self._observations = observations
        self._narrowed = narrowed
        self._bound = bound

    def __getitem__(self, oid: str) -> float:
        found = self._narrowed.get(oid)
        if found is not None:
            return found
        value: float = getattr(self._observations[oid], self._bound)
        return value


class View:
    """The timeline as known at an instant (``math.inf``: everything recorded)."""

    def __init__(self, timeline: Timeline, known_until: float = math.inf) -> None:
        self.timeline = timeline
        self.known_until = known_until
        # The timeline's own windows serve when everything recorded is visible,
        # unless a withdrawn claim took part in narrowing them.
        self.complete = math.isinf(known_until) and not (timeline.dropped.keys() & timeline.linked)
        self.lower: dict[str, float] | _Windows
        self.upper: dict[str, float] | _Windows
        if self.complete:
            self.lower = timeline.lower
            self.upper = timeline.upper
            self._ancestors = timeline.ancestor_memo
        else:
            self.lower, self.upper = self._narrow()
            self._ancestors = {}

    def visible(self, obs: Observation) -> bool:
        """Whether ``obs`` was reported, and not yet withdrawn, at this view's instant."""
        until = self.known_until
        withdrawn = self.timeline.dropped.get(obs.id)
        return obs.reported.upper <= until and (withdrawn is None or withdrawn > until)

    def _narrow(self) -> tuple[_Windows, _Windows]:
        """Windows narrowed only by the links between claims visible at this instant.

        Only linked claims can differ from their own dates, so only they are
        computed (and the cost does not grow with the size of the ledger).
        """
        timeline = self.timeline
        observations = timeline.observations
        linked = sorted(
            (oid for oid in timeline.linked if self.visible(observations[oid])),
            key=timeline.index.__getitem__,
        )
        lower = {oid: observations[oid].lower for oid in linked}
        upper = {oid: observations[oid].upper for oid in linked}
        for oid in linked:
            for prior in self.links(oid):
                lower[oid] = max(lower[oid], lower[prior])
        for oid in reversed(linked):
            for prior in self.links(oid):
                upper[prior] = min(upper[prior], upper[oid])
        return _Windows(observations, lower, "lower"), _Windows(observations, upper, "upper")

    def links(self, oid: str) -> tuple[str, ...]:
        """The visible observations ``oid`` was recorded as coming after."""
        after = self.timeline.observations[oid].after
        if not after or self.complete:
            return after
        observations = self.timeline.observations
        return tuple(p for p in after if self.visible(observations[p]))

    def ancestors(self, oid: str) -> frozenset[str]:
        """Every claim that a chain of visible ``after`` links puts before ``oid``."""
        found = self._ancestors.get(oid)
        if found is None:
            stack, seen = list(self.links(oid)), set()
            while stack:
                prior = stack.pop()
                if prior not in seen:
                    seen.add(prior)
                    stack.extend(self.links(prior))
            found = self._ancestors[oid] = frozenset(seen)
        return found

    def before(self, first: Observation, second: Observation) -> bool:
        """Whether ``first`` certainly happened before ``second``."""
        return self.upper[first.id] <= self.lower[second.id] or (
            bool(second.after) and first.id in self.ancestors(second.id)
        )

    def sort_key(self, obs: Observation) -> tuple[float, float, int, str]:
        """Earliest possible end first, then earliest start, then link depth, then id.

        Sorting by this key gives an order the evidence allows (a claim never
        sorts after one it certainly preceded) and never depends on the order
        claims were recorded in.
        """
        oid = obs.id
        return (self.upper[oid], self.lower[oid], self.timeline.depth[oid], oid)

    def about(self, entity_ids: Iterable[str]) -> list[Observation]:
        """The visible claims naming any of ``entity_ids`` (an entity and its groups)."""
        by_subject = self.timeline.by_subject
        found: dict[str, Observation] = {}
        for eid in entity_ids:
            for obs in by_subject.get(eid, ()):
                found[obs.id] = obs
        return sorted((o for o in found.values() if self.visible(o)), key=self.sort_key)
