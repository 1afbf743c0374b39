"""Dagster resources, built from the environment (orchestration.config) with local defaults."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource

from orchestration.config import DBT_PROJECT_DIR, Settings, load_settings
from orchestration.lakehouse import connect_lake


class LakehouseResource(dg.ConfigurableResource):
    """Opens the lake: read-write for assets in the `lakehouse_writer` pool, read-only for everyone else."""

    catalog_url: str
    data_path: str
    threads: int = 2

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with connect_lake(self.catalog_url, self.data_path, read_only=read_only, threads=self.threads) as conn:
            yield conn


def build_resources(settings: Settings | None = None) -> dict[str, object]:
    settings = settings or load_settings()
    dbt_bin = dbt_executable()
    return {
        "lakehouse": LakehouseResource(catalog_url=settings.catalog_url, data_path=settings.lake_data_path),
        "dbt": DbtCliResource(
            project_dir=str(DBT_PROJECT_DIR), profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_bin
        ),
    }


def dbt_executable() -> str:
    """The venv's own dbt, so runs started outside an activated venv (the daemon, `make`) find it."""
    import sys
    from pathlib import Path

    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"
