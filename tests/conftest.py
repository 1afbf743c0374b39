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


# xdist hands the groups out in the order of the items: the longest go first, so that the last group to finish is a
# short one (the young-book pipeline alone is ~17 min of one worker, the small lake's model tests ~7).
LONGEST_GROUPS_FIRST = ("incremental", "integration", "small_lake", "quality", "merchants", "marketing")


@pytest.hookimpl(trylast=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist's loadgroup, except that a worker with a single test pending is topped up with the shortest group left.

    A worker starts a test only once it knows the next one, so xdist tops it up while it still has tests pending -
    and a one-test group (the pipeline) always has one: that worker was handed the next group in line (the quality
    group, 4 min), which then waited behind the 17-minute pipeline while the other worker ran out of work (22 min of
    wall clock for 18 min of the slower worker's own work). The groups are queued longest first (LONGEST_GROUPS_FIRST),
    so the last in the queue is a short one (the groups it does not list, each under half a minute)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class ShortestWhileBusy(LoadGroupScheduling):
        def _assign_work_unit(self, node) -> None:
            if self._pending_of(self.assigned_work.get(node, {})) == 1 and len(self.workqueue) > 1:
                self.workqueue.move_to_end(next(reversed(self.workqueue)), last=False)
            super()._assign_work_unit(node)

    return ShortestWhileBusy(config, log)


def _group(item: pytest.Item) -> str:
    if SHARED_LAKE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return "small_lake"
    parts = Path(str(item.path)).relative_to(Path(__file__).parent).parts
    return parts[0] if len(parts) > 1 else "top"


def pytest_collection_modifyitems(config, items):
    grouped = hasattr(config, "workerinput") and config.getvalue("loadgroup")
    groups = {item: _group(item) for item in items}
    rank = {name: number for number, name in enumerate(LONGEST_GROUPS_FIRST)}
    items.sort(key=lambda item: rank.get(groups[item], len(rank)))  # stable: file order within a group
    for item in items:
        item.add_marker(pytest.mark.xdist_group(groups[item]))
        if grouped:
            _send_to_group(item, groups[item])


def _send_to_group(item: pytest.Item, group: str) -> None:
    """What xdist's loadgroup does with the marker, done so that pytest 9 sees it: the scheduler groups the tests by
    the `@group` suffix of the node ids their worker reports. xdist 3.8 writes the suffix to `item._nodeid`, which
    pytest 9 no longer reads (the id is `item._id`) - so every test was scheduled on its own, each session lake was
    built on both workers, and a test that needs an earlier one's model (scoring after training) passed only when the
    two happened to run on the same worker."""
    from _pytest.nodeid import NodeId

    if not item.nodeid.endswith(f"@{group}"):
        item._id = NodeId.parse(f"{item.nodeid}@{group}")


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
