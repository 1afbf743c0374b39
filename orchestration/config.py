"""Where everything lives, from the environment with embedded local defaults.

`LAKEHOUSE_DATA_DIR` moves all local state (landing zone, lakehouse, MLflow store, Dagster instance) at once;
`LAKEHOUSE_CATALOG_URL` / `LAKEHOUSE_DATA_PATH` point the lake at a shared catalog (e.g.
`ducklake:postgres:dbname=lake host=...`) and data path; `MLFLOW_TRACKING_URI` at an MLflow server (and
`MLFLOW_ARTIFACT_ROOT` at its artifact store). Every variable the pipeline reads is read here, once, and checked:
a value that is not what its setting needs is an error naming the variable (README, "Settings").
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"

# First landing day the daily partitions cover; the simulator's default window starts here.
DEFAULT_PARTITIONS_START = "2024-11-01"


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    catalog_url: str
    lake_data_path: str
    serving_catalog_url: str
    serving_data_path: str
    mlflow_tracking_uri: str
    partitions_start: date
    mlflow_artifact_root: str = ""
    duckdb_memory_limit: str = ""
    # The key of the `tk_...` tokens (PII_TOKEN_KEY); empty: the data dir's own key file (orchestration/pii.py).
    # Never in a repr: settings get logged.
    pii_token_key: str = field(default="", repr=False)
    # Lake snapshots younger than this stay for time travel and reproducing a training run; dbt run folders (each
    # invocation's manifest, run_results.json, dbt.log) are kept this long to debug a run (lakehouse_maintenance).
    keep_snapshots_days: int = 30
    keep_dbt_runs_days: int = 14
    # Serving snapshots younger than this stay queryable by time travel; the files of replaced tables are deleted
    # only this long after no snapshot needs them, so queries still running on an older snapshot finish on it.
    serving_keep_snapshots_hours: int = 24
    serving_file_grace_minutes: int = 60
    # Where `make ui` serves the Dagster and MLflow UIs.
    dagster_port: int = 3000
    mlflow_port: int = 5000

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    @property
    def truth_dir(self) -> Path:
        return self.data_dir / "truth"

    @property
    def lakehouse_dir(self) -> Path:
        return self.data_dir / "lakehouse"

    @property
    def dagster_home(self) -> Path:
        return self.data_dir / "dagster_home"

    @property
    def dbt_runs_dir(self) -> Path:
        """One folder per dbt invocation of a Dagster run: its manifest, run_results.json and dbt.log."""
        return self.data_dir / "dbt_runs"

    @property
    def duckdb_temp_dir(self) -> Path:
        """Where a DuckDB that writes the lake spills what does not fit its memory limit."""
        return self.data_dir / "tmp" / "duckdb"

    def dbt_env(self) -> dict[str, str]:
        """Environment the dbt profile reads to attach the same lake (and DuckDB's memory limit and spill dir, which
        is made here: DuckDB creates only its last level, and only once it has to spill - at 1M, mid-build)."""
        self.duckdb_temp_dir.mkdir(parents=True, exist_ok=True)
        return {"LAKEHOUSE_CATALOG_URL": self.catalog_url, "LAKEHOUSE_DATA_PATH": self.lake_data_path,
                "LAKEHOUSE_DUCKDB_MEMORY_LIMIT": self.duckdb_memory_limit,
                "LAKEHOUSE_DUCKDB_TEMP_DIRECTORY": str(self.duckdb_temp_dir)}


# DuckDB takes 80% of the machine's memory by default; the DuckDB that builds the warehouse shares the machine with
# the Dagster run that started it, its readers and the UIs - at 1M customers the default got the dbt process killed
# by the kernel. 60%, and DuckDB spills the rest to disk.
DUCKDB_MEMORY_SHARE = 0.6


def default_duckdb_memory_limit() -> str:
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{max(1, int(total * DUCKDB_MEMORY_SHARE / 2**30))}GiB"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("LAKEHOUSE_DATA_DIR") or REPO_ROOT / "data").resolve()
    lakehouse_dir = data_dir / "lakehouse"
    serving_dir = data_dir / "serving"
    return Settings(
        data_dir=data_dir,
        catalog_url=env.get("LAKEHOUSE_CATALOG_URL") or f"ducklake:sqlite:{lakehouse_dir / 'catalog.sqlite'}",
        # DuckLake stores DATA_PATH as given: always absolute, so any reader's working directory works.
        lake_data_path=env.get("LAKEHOUSE_DATA_PATH") or f"{lakehouse_dir / 'data'}/",
        serving_catalog_url=env.get("SERVING_CATALOG_URL") or f"ducklake:sqlite:{serving_dir / 'catalog.sqlite'}",
        serving_data_path=env.get("SERVING_DATA_PATH") or f"{serving_dir / 'data'}/",
        mlflow_tracking_uri=env.get("MLFLOW_TRACKING_URI") or f"sqlite:///{data_dir / 'mlflow' / 'mlflow.db'}",
        partitions_start=date.fromisoformat(env.get("LAKEHOUSE_PARTITIONS_START") or DEFAULT_PARTITIONS_START),
        mlflow_artifact_root=env.get("MLFLOW_ARTIFACT_ROOT") or str(data_dir / "mlflow" / "artifacts"),
        duckdb_memory_limit=env.get("LAKEHOUSE_DUCKDB_MEMORY_LIMIT") or default_duckdb_memory_limit(),
        pii_token_key=env.get("PII_TOKEN_KEY") or "",
        keep_snapshots_days=_whole_number(env, "LAKEHOUSE_KEEP_SNAPSHOTS_DAYS", 30),
        keep_dbt_runs_days=_whole_number(env, "LAKEHOUSE_KEEP_DBT_RUNS_DAYS", 14),
        serving_keep_snapshots_hours=_whole_number(env, "SERVING_KEEP_SNAPSHOTS_HOURS", 24),
        serving_file_grace_minutes=_whole_number(env, "SERVING_FILE_GRACE_MINUTES", 60),
        dagster_port=_whole_number(env, "DAGSTER_PORT", 3000),
        mlflow_port=_whole_number(env, "MLFLOW_PORT", 5000),
    )


def run_or_setting(run_value: int | None, setting: int) -> int:
    """A run's own value of a setting (a run config field left unset is None), else the setting."""
    return setting if run_value is None else run_value


def _whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    """A count (days, hours, minutes) from the environment: unset or empty is the default, anything but a whole
    number >= 0 an error that names the variable."""
    value = (env.get(name) or "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ValueError(f"{name}={value!r}: expected a whole number >= 0 (default {default})")
    return int(value)


@contextmanager
def process_environment(values: dict[str, str], replace: bool = False) -> Iterator[None]:
    """This process's environment with `values` set (or, with `replace`, only `values`) for the duration; restored
    on exit. For what reads os.environ when it starts a process: dagster-dbt's cli(), the bench's paths."""
    saved = dict(os.environ)
    if replace:
        os.environ.clear()
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
