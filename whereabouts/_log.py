"""Library events and progress: the ``whereabouts`` logger, and long operations as tasks.

The library logs through ``logging.getLogger("whereabouts")`` and never configures
logging itself: an application (the command line does) adds a handler and a level.
A long operation (reading a file, saving a ledger) runs inside :func:`task`, which
logs when it ends (at INFO if it took a second or more, else at DEBUG) and tells the
progress listeners (:func:`listen`) how far it is, so a terminal can show it.

>>> import logging
>>> seen = []
>>> with listening(lambda what, done, total: seen.append((what, done, total))):
...     with task("writing case.jsonl", total=10) as advance:
...         advance(4)
...         advance(6)
>>> seen
[('writing case.jsonl', 0, 10), ('writing case.jsonl', 4, 10), ('writing case.jsonl', 10, 10),
 ('writing case.jsonl', None, 10)]

Outside :func:`listening` a task costs a clock reading and a log call.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator

__all__ = ["Listener", "listen", "listening", "logger", "task"]

logger = logging.getLogger("whereabouts")
"""The library's logger; its children (``whereabouts.io``...) propagate to it."""

Listener = Callable[[str, "int | None", "int | None"], None]
"""Told ``(what, done, total)`` when a task starts (``done`` 0) and advances, and
``(what, None, total)`` when it ends, however it ends; ``total`` is None when not known.
Called from the thread doing the work, so it must be quick."""

_listeners: list[Listener] = []
_lock = threading.Lock()
SLOW = 1.0
"""Seconds from which a finished task is logged at INFO rather than DEBUG."""


def listen(listener: Listener) -> Callable[[], None]:
    """Tell ``listener`` of every task's progress from now on; returns the way to stop."""
    with _lock:
        _listeners.append(listener)

    def stop() -> None:
        with _lock, contextlib.suppress(ValueError):
            _listeners.remove(listener)

    return stop


@contextlib.contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """:func:`listen` for the duration of a ``with`` block."""
    stop = listen(listener)
    try:
        yield
    finally:
        stop()


def _tell(what: str, done: int | None, total: int | None) -> None:
    for listener in tuple(_listeners):
        listener(what, done, total)


@contextlib.contextmanager
def task(what: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """Run a long operation called ``what`` ("reading case.csv"); yields ``advance(n)``
    to call as ``n`` more units of ``total`` are done. Logs the time it took on the
    ``whereabouts`` logger when it ends (not when it fails: the error says why)."""
    start = time.monotonic()
    done = 0
    if _listeners:
        _tell(what, 0, total)

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if _listeners:
            _tell(what, done, total)

    try:
        yield advance
    finally:
        if _listeners:
            _tell(what, None, total)
    took = time.monotonic() - start
    level = logging.INFO if took >= SLOW else logging.DEBUG
    if logger.isEnabledFor(level):
        logger.log(level, "%s: done in %.1f s", what, took)
