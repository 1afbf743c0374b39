"""The tiny lake built once, without interruption, by the same steps as the daily batch (tests/quality/lakes.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.quality.lakes import build, marts


@pytest.fixture(scope="session")
def reference_lake(tiny_landing, tmp_path_factory) -> tuple[Path, float, dict]:
    """Its data directory (lake and serving lake), the build's duration in seconds and its marts' fingerprints."""
    data_dir = tmp_path_factory.mktemp("reference")
    shutil.copytree(tiny_landing / "landing", data_dir / "landing")
    duration = build(data_dir)
    lake, serving = marts(data_dir)
    assert lake == serving and all(rows for rows, _ in lake.values())
    return data_dir, duration, lake
