"""Doctests that need an optional extra skip, with the reason, when it is not installed.

The tests under ``tests/`` skip themselves (``pytest.importorskip``); a module's or a
document's examples cannot, so they are listed here: path -> (module, extra).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

NEEDS = {
    "whereabouts/io/parquet.py": ("pyarrow", "parquet"),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(__file__).parent
    for item in items:
        try:
            path = item.path.relative_to(root).as_posix()
        except ValueError:
            continue
        need = NEEDS.get(path)
        if need is not None and importlib.util.find_spec(need[0]) is None:
            item.add_marker(pytest.mark.skip(
                reason=f"needs {need[0]}: pip install -e '.[{need[1]}]'"))
