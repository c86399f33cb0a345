"""Doctests that need an optional extra skip, with the reason, when it is not installed.

The tests under ``tests/`` skip themselves (``pytest.importorskip``); a module's or a
document's examples cannot, so they are listed here: path -> (the modules they import,
the extras that bring them).
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

NEEDS: dict[str, tuple[tuple[str, ...], str]] = {
    "whereabouts/io/parquet.py": (("pyarrow",), "parquet"),
    "docs/scale-out.md": (("pyarrow", "duckdb", "pyspark"), "parquet,benchmark,spark"),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(__file__).parent
    for item in items:
        try:
            path = item.path.relative_to(root).as_posix()
        except ValueError:
            continue
        modules, extras = NEEDS.get(path, ((), ""))
        missing = [m for m in modules if importlib.util.find_spec(m) is None]
        if "pyspark" in modules and not missing and shutil.which("java") is None:
            item.add_marker(pytest.mark.skip(reason="needs Java 17 or later for pyspark"))
        elif missing:
            item.add_marker(pytest.mark.skip(
                reason=f"needs {', '.join(missing)}: pip install -e '.[{extras}]'"))
