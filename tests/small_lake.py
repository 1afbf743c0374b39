"""A small lake with six-month outcomes (14 months of history), built once per session without Dagster's
ingestion (the loader and dbt directly - both tested elsewhere through Dagster); the model assets (credit, fraud)
then run on it through Dagster's own `materialize`. Fixtures are registered in tests/conftest.py."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

from orchestration.config import Settings, load_settings
from orchestration.dbt import DBT_BUILD
from orchestration.defs.ingestion.contracts import load_contracts
from orchestration.defs.ingestion.landing import discover
from orchestration.defs.ingestion.loader import load_entity
from orchestration.lakehouse import connect_lake
from orchestration.resources import dbt_command, incremental_dbt

SMALL_ARGS = ["--customers", "3000", "--start", "2024-11-01", "--end", "2025-12-31", "--seed", "11"]


def build_lake(data_dir: Path, select: str | None = None, load: bool = True, data_tests: bool = True) -> Settings:
    """Load every landing file under data_dir into raw (unless `load` is False) and run `dbt build` (or only the
    `select`ed models) on it. `data_tests=False` leaves dbt's data tests out: a lake whose test is about what the
    models compute, not the guards - those run on the session's small lake and in every build through Dagster,
    and they are ~50 s of fixed cost on any lake (662 queries at ~75 ms)."""
    settings = load_settings({"LAKEHOUSE_DATA_DIR": str(data_dir)})
    if load:
        files = defaultdict(list)
        for landing_file in discover(settings.landing_dir):
            files[landing_file.table].append(landing_file)
        with connect_lake(settings.catalog_url, settings.lake_data_path) as conn:
            for contract in load_contracts():
                load_entity(conn, contract, files.get(contract.table, []))
    command = dbt_command(data_dir, *DBT_BUILD, "--exclude", "tag:daily_partitioned")
    if not data_tests:
        command += ["--exclude-resource-type", "test"]
    if select:  # tests of models outside the selection stay out
        command += ["--select", select, "--indirect-selection", "cautious"]
    with incremental_dbt(settings) as plan:  # as the pipeline runs dbt: a lake a test goes on with incrementally
        env = {**os.environ, "LAKEHOUSE_DATA_DIR": str(data_dir), **settings.dbt_env(), **plan.env()}
        result = subprocess.run(command + plan.args(), env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return settings


@pytest.fixture(scope="session")
def small_landing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small_sim")
    subprocess.run([sys.executable, "-m", "simulator", *SMALL_ARGS, "--out", str(out)], check=True,
                   capture_output=True)
    return out


@pytest.fixture(scope="session")
def credit_lake(small_landing, tmp_path_factory) -> Settings:
    """The small lake with every dbt model built; shared by the credit tests, which run in file order."""
    data_dir = tmp_path_factory.mktemp("credit_lake")
    shutil.copytree(small_landing / "landing", data_dir / "landing")
    return build_lake(data_dir)


def trained_models_store(credit_lake: Settings, store: Path, ready: Callable[[Settings], bool]) -> Settings:
    """The small lake's MLflow store when `ready` says the model tests (tests/credit, tests/fraud: the same worker,
    run earlier) have filled it; otherwise a private store under `store` where the credit scorecards and the fraud
    detector are trained now, through Dagster (the assets that register, nothing downstream)."""
    import dagster as dg

    from orchestration.defs.credit.assets import group_scorecards, scorecard_combined
    from orchestration.defs.fraud.assets import fraud_detector
    from orchestration.resources import build_resources

    if ready(credit_lake):
        return credit_lake
    settings = dataclasses.replace(credit_lake, mlflow_tracking_uri=f"sqlite:///{store / 'mlflow.db'}",
                                   mlflow_artifact_root=str(store / "artifacts"))
    with dg.instance_for_test() as instance:
        result = dg.materialize([*group_scorecards, scorecard_combined, fraud_detector], instance=instance,
                                resources=build_resources(settings))
    assert result.success
    return settings
