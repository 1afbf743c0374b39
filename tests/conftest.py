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

# `make test` runs the suite on two pytest-xdist workers (--dist loadgroup). A session lake is built once per worker,
# so every test that uses one goes to the worker that has it: the small model lake's users form one group wherever
# they live, every other test is grouped by its folder (which holds its folder's session and module fixtures).
SHARED_LAKE_FIXTURES = {"credit_lake", "small_landing"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SHARED_LAKE_FIXTURES & set(getattr(item, "fixturenames", ())):
            group = "small_lake"
        else:
            parts = Path(str(item.path)).relative_to(Path(__file__).parent).parts
            group = parts[0] if len(parts) > 1 else "top"
        item.add_marker(pytest.mark.xdist_group(group))


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
