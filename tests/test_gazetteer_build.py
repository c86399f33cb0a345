"""The shipped data file is what scripts/build_gazetteer.py makes from its pinned sources."""

from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build_gazetteer.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_gazetteer", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pinned_sources_installed(pins: dict[str, str]) -> str | None:
    for name, version in pins.items():
        try:
            found = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return f"{name} is not installed (pip install -e '.[gazetteer-build]')"
        if found != version:
            return f"{name} {found} is installed; the build is pinned to {version}"
    return None


def test_the_build_reproduces_the_shipped_file() -> None:
    build = _script()
    reason = _pinned_sources_installed(build.PINS)
    if reason:
        pytest.skip(reason)
    for path, made in build.build().items():
        shipped = path.read_bytes()
        if path.suffix == ".gz":  # a readable difference first
            assert gzip.decompress(made) == gzip.decompress(shipped), path.name
        assert made == shipped, path.name  # byte for byte: fixed gzip header, level, order


def test_the_data_file_names_its_sources_and_licences() -> None:
    data = ROOT / "whereabouts" / "gazetteer" / "data"
    header = gzip.decompress((data / "places.tsv.gz").read_bytes()).decode()[:2000]
    assert "GeoNames" in header
    assert "CC BY 4.0" in header
    assert "airportsdata" in header
    assert "CC BY 4.0" in (data / "LICENSE-GeoNames.txt").read_text()
    assert "MIT" in (data / "LICENSE-airportsdata.txt").read_text()
    assert "CLDR" in header
    assert "LICENSE-CLDR.txt" in header
    assert "UNICODE LICENSE V3" in (data / "LICENSE-CLDR.txt").read_text(encoding="utf-8")
