"""Shared fixtures: one real build of the sample corpus per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
GOLD = ROOT.parent / "shared" / "gold" / "dev.jsonl"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """The build folder of data/samples (the same folder other test modules reuse)."""
    out = tmp_path_factory.getbasetemp() / "samples-build"
    if not (out / "graph.ttl").exists():
        from kg.build import build

        build([str(SAMPLES)], out)
    return out
