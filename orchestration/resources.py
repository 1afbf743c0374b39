"""Dagster resources, built from the environment (orchestration.config) with local defaults."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property, partial
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource
from packaging.version import Version

from orchestration.config import DBT_PROJECT_DIR, Settings, load_settings
from orchestration.lakehouse import connect_lake, shared_reader


class LakehouseResource(dg.ConfigurableResource):
    """Opens the lake: read-write for assets in the `lakehouse_writer` pool, read-only for everyone else; and the
    serving lake business staff query, for the asset that publishes to it."""

    catalog_url: str
    data_path: str
    serving_catalog_url: str = ""
    serving_data_path: str = ""
    threads: int = 2
    # DuckDB's memory limit and spill directory (Settings: LAKEHOUSE_DUCKDB_MEMORY_LIMIT); empty: DuckDB's defaults
    memory_limit: str = ""
    temp_directory: str = ""

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with connect_lake(self.catalog_url, self.data_path, read_only=read_only, threads=self.threads,
                          memory_limit=self.memory_limit or None, temp_directory=self.temp_directory or None) as conn:
            yield conn

    def shared_reader(self) -> duckdb.DuckDBPyConnection:
        """This process's one read-only connection (orchestration.lakehouse.shared_reader): for checks that each
        read a little, one after the other."""
        return shared_reader(self.catalog_url, self.data_path, threads=self.threads,
                             memory_limit=self.memory_limit or None, temp_directory=self.temp_directory or None)

    @contextmanager
    def connect_publisher(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The serving lake read-write (`serving`, the default database) and this lake read-only (`lake`)."""
        from orchestration.serving import connect_publisher

        if not self.serving_catalog_url:
            raise ValueError("no serving lake configured (serving_catalog_url)")
        with connect_publisher(self.catalog_url, self.data_path, self.serving_catalog_url, self.serving_data_path,
                               threads=self.threads) as conn:
            yield conn


class MlflowResource(dg.ConfigurableResource):
    """The MLflow tracking store and registry (local SQLite by default, a server via MLFLOW_TRACKING_URI).

    Experiments it creates keep their artifacts under `artifact_root` (local store) - never in the working directory.
    """

    tracking_uri: str
    artifact_root: str

    def client(self):
        import mlflow

        if self.tracking_uri.startswith("sqlite:///"):
            Path(self.tracking_uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        mlflow.set_tracking_uri(self.tracking_uri)
        mlflow.set_registry_uri(self.tracking_uri)
        return mlflow.MlflowClient(tracking_uri=self.tracking_uri, registry_uri=self.tracking_uri)

    def experiment(self, name: str) -> str:
        """Id of the experiment `name`, created on first use; also makes it the active experiment."""
        import mlflow

        client = self.client()
        found = client.get_experiment_by_name(name)
        if found is None:
            location = None
            if "://" not in self.artifact_root or self.artifact_root.startswith("file:"):
                root = Path(self.artifact_root.removeprefix("file://"))
                root.mkdir(parents=True, exist_ok=True)
                location = (root / name).as_uri()
            else:
                location = f"{self.artifact_root.rstrip('/')}/{name}"
            experiment_id = client.create_experiment(name, artifact_location=location)
        else:
            experiment_id = found.experiment_id
        mlflow.set_experiment(experiment_id=experiment_id)
        return experiment_id


class LakehouseDbtCliResource(DbtCliResource):
    """dagster-dbt's resource without ~6 s of set-up per invocation that this project never uses (measured on the
    T+1 refunds step: 4 s of dbt inside a 22-s step). Before each dbt command dagster-dbt runs `dbt --version` in a
    subprocess to learn which dbt it is about to run (2.5 s), and builds a dbt adapter inside the Dagster process,
    parsing every macro (3.7 s), which serves only `fetch_column_metadata()` / `fetch_row_counts()` - no asset here
    calls them; the row counts come from the lake itself. The dbt it runs is this venv's (dbt_executable), so its
    version is the dbt-core installed beside Dagster."""

    @cached_property
    def _cli_version(self) -> Version:
        from dbt.version import __version__

        return Version(__version__)

    def _initialize_dbt_core_adapter(self, args) -> None:
        return None


def build_resources(settings: Settings | None = None) -> dict[str, object]:
    settings = settings or load_settings()
    dbt_bin = dbt_executable()
    return {
        "lakehouse": LakehouseResource(
            catalog_url=settings.catalog_url, data_path=settings.lake_data_path,
            serving_catalog_url=settings.serving_catalog_url, serving_data_path=settings.serving_data_path,
            memory_limit=settings.duckdb_memory_limit, temp_directory=str(settings.duckdb_temp_dir),
        ),
        "mlflow_tracking": MlflowResource(
            tracking_uri=settings.mlflow_tracking_uri, artifact_root=str(settings.mlflow_artifact_root)
        ),
        "dbt": LakehouseDbtCliResource(
            project_dir=str(DBT_PROJECT_DIR), profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_bin
        ),
    }


def dbt_executable() -> str:
    """The venv's own dbt, so runs started outside an activated venv (the daemon, `make`) find it."""
    import sys
    from pathlib import Path

    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def dbt_command(data_dir: Path, *args: str) -> list[str]:
    """A quiet dbt command on the lake of `data_dir`, run outside Dagster (tests, the benchmark's plain path): its
    artifacts and log beside that lake (`dbt_target/`, `dbt_logs/`), starting from the project's saved parse (`make
    manifest`) - valid for any lake, since the profile does not depend on the data dir - so dbt parses only what
    changed instead of the whole project (~7 s) in every new target folder. The environment must point at the lake
    (Settings.dbt_env)."""
    target = data_dir / "dbt_target"
    saved = DBT_PROJECT_DIR / "target" / "partial_parse.msgpack"
    if saved.exists() and not (target / saved.name).exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(saved, target / saved.name)
    return [dbt_executable(), *args, "--profiles-dir", str(DBT_PROJECT_DIR), "--project-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(target), "--log-path", str(data_dir / "dbt_logs"), "--quiet"]


@contextmanager
def incremental_dbt(settings: Settings):
    """Around a dbt_command run on the settings' lake, what Dagster's dbt ops do (orchestration.dbt.dbt_build): yields
    the plan (orchestration.incremental.Plan: its env() names the incremental models to rebuild in full, its args()
    leave out the unchanged seeds), and records what the run built (its run_results.json) for the next run."""
    from orchestration import incremental

    with incremental.planned_build(partial(connect_lake, settings.catalog_url, settings.lake_data_path),
                                   settings.data_dir / "dbt_target" / "run_results.json") as plan:
        yield plan
