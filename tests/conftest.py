"""Shared fixtures: an isolated lake per test, and a tiny simulated landing zone made once per session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.config import Settings, load_settings
from orchestration.resources import LakehouseResource

TINY_ARGS = ["--customers", "800", "--start", "2024-11-01", "--end", "2025-02-28", "--seed", "7"]


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    """Point every setting at a fresh data dir for this test."""
    monkeypatch.setenv("LAKEHOUSE_DATA_DIR", str(tmp_path / "data"))
    for key in ("LAKEHOUSE_CATALOG_URL", "LAKEHOUSE_DATA_PATH", "MLFLOW_TRACKING_URI"):
        monkeypatch.delenv(key, raising=False)
    settings = load_settings()
    for key, value in settings.dbt_env().items():
        monkeypatch.setenv(key, value)
    settings.landing_dir.mkdir(parents=True)
    return settings


@pytest.fixture
def lakehouse(settings) -> LakehouseResource:
    return LakehouseResource(catalog_url=settings.catalog_url, data_path=settings.lake_data_path)


@pytest.fixture(scope="session")
def tiny_landing(tmp_path_factory) -> Path:
    """Output dir of one tiny simulator run (landing/ and truth/); copy it, never write into it."""
    out = tmp_path_factory.mktemp("tiny_sim")
    subprocess.run([sys.executable, "-m", "simulator", *TINY_ARGS, "--out", str(out)], check=True, capture_output=True)
    return out


@pytest.fixture
def tiny_settings(settings, tiny_landing) -> Settings:
    """A fresh data dir whose landing zone holds the tiny simulated extracts."""
    shutil.rmtree(settings.landing_dir)
    shutil.copytree(tiny_landing / "landing", settings.landing_dir)
    return settings


# The small lake with six-month outcomes, shared by the model tests (credit, fraud, marketing).
from tests.small_lake import credit_lake, small_landing  # noqa: E402, F401
