"""The pipeline the benchmark runs, two ways over the same landing files:

- through Dagster, job by job, exactly as `make run` does (orchestration.runner's plan, each job executed in this
  process against the data dir's own Dagster instance);
- as plain Python in one process: the same loader, the same `dbt build` commands, the same asset functions called
  directly (no run, no event log, no instance), the same Great Expectations suites and the same publish.

Plus the rows a stage read and wrote (from the lake and its snapshots)."""

from __future__ import annotations

import inspect
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from bench.timings import dagster_steps
from orchestration.config import REPO_ROOT, Settings, load_settings, process_environment
from orchestration.dbt import DBT_BUILD, MARKETING_DBT_SELECT
from orchestration.lakehouse import connect_lake, tables_changed_since
from orchestration.partitions import partition_window_env
from orchestration.resources import dbt_command, incremental_dbt
from orchestration.runner import PlannedRun, day_plan, first_build_plan

DAILY_PARTITIONED = "tag:daily_partitioned"


# Settings a user may have pointed elsewhere (a shared catalog, an MLflow server): a bench lake never uses them.
_OWN_SETTINGS = ("LAKEHOUSE_", "SERVING_", "MLFLOW_", "DAGSTER_HOME")


def environment(data_dir: Path) -> dict[str, str]:
    """The environment of every command and of the plain-Python stages: one data dir with its own catalog, MLflow
    store and Dagster home, whatever the caller's environment points at; serving snapshots are not kept."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_SETTINGS)}
    env.update({
        "LAKEHOUSE_DATA_DIR": str(data_dir),
        "DAGSTER_HOME": str(data_dir / "dagster_home"),
        "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "1",  # as the Makefile exports it for `make run`
        # Nobody reads a bench's serving lake: each publication's files are deleted by the next one, instead of
        # every publication of the run staying on disk for a day (2.1 GB of marts per publication at 1M customers).
        "SERVING_KEEP_SNAPSHOTS_HOURS": "0",
        "SERVING_FILE_GRACE_MINUTES": "0",
    })
    env.update(load_settings(env).dbt_env())
    return env


def prepare_instance(data_dir: Path) -> None:
    home = data_dir / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")


# ---------------------------------------------------------------------------------------------------------- landing


def landing_rows(landing: Path, days: set[date] | None = None) -> int:
    """Records in the landing files of these days (CSV lines minus the header, JSON lines)."""
    rows = 0
    for path in landing.glob("*/*/*"):
        if not path.is_file() or (days is not None and date.fromisoformat(path.parent.name) not in days):
            continue
        with open(path, "rb") as file:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))
        rows += lines - (1 if path.suffix == ".csv" else 0)
    return rows


def move_day(source: Path, target: Path, day: date) -> None:
    """Move one landing day's directories of every source system from one landing tree to another."""
    for system in (p for p in source.iterdir() if p.is_dir()):
        day_dir = system / day.isoformat()
        if day_dir.exists():
            (target / system.name).mkdir(parents=True, exist_ok=True)
            shutil.move(day_dir, target / system.name / day.isoformat())


# ---------------------------------------------------------------------------------------------------------- rows


def table_rows(settings: Settings, tables: list[str]) -> int:
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        present = {f"{s}.{t}" for s, t in conn.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'lake' and table_type = 'BASE TABLE'").fetchall()}
        return sum(conn.execute(f"select count(*) from lake.{t}").fetchone()[0] for t in tables if t in present)


def lake_snapshot(settings: Settings) -> int:
    if not Path(settings.catalog_url.removeprefix("ducklake:sqlite:")).exists():
        return 0
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        return conn.execute("select max(snapshot_id) from lake.snapshots()").fetchone()[0]


def rows_written_since(settings: Settings, snapshot: int) -> int:
    """Rows now in every table created, inserted into or replaced after `snapshot` (the stage's output)."""
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        written = tables_changed_since(conn, snapshot, kinds=("tables_created", "tables_inserted_into",
                                                              "inlined_insert")) or set()
        current = {f"{s}.{t}" for s, t in conn.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'lake' and table_type = 'BASE TABLE'").fetchall()}
        return sum(conn.execute(f"select count(*) from lake.{t}").fetchone()[0]
                   for t in sorted(written & current) if not t.startswith("staging."))


# ---------------------------------------------------------------------------------------------------------- stages


# The lake tables each job reads (its rows in); the ingestion stage counts its landing files instead.
STAGE_INPUTS = {
    "education_refunds": ("raw.merchant_cosharing__course_withdrawals", "marts.fct_loans"),
    "credit_training": ("marts.credit_features",),
    "credit_scoring": ("marts.credit_features",),
    "fraud_training": ("marts.fraud_features", "marts.fraud_labels"),
    "fraud_scoring": ("marts.fraud_features",),
    "marketing_lists": ("marts.dim_customers", "marts.fct_loans", "marts.application_scores"),
}


@dataclass(frozen=True)
class Stage:
    """One job of `make run` (orchestration.runner's plan) and the lake tables it reads."""

    run: PlannedRun
    inputs: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.run.job.removesuffix("_job")

    @property
    def kind(self) -> str:
        return self.run.kind


def _stages(plan: list[PlannedRun]) -> list[Stage]:
    return [Stage(run, STAGE_INPUTS.get(run.job.removesuffix("_job"), ())) for run in plan]


def full_stages(first: date, last: date) -> list[Stage]:
    """`make run` over the landing days first..last: the runner's first-build plan."""
    return _stages(first_build_plan(first, last))


def day_stages(day: date) -> list[Stage]:
    """One more landing day, as the schedule processes it: the runner's day plan (the daily path, one run)."""
    return _stages(day_plan(day, day))


def environment_of(env: dict[str, str]):
    """This process's environment replaced by `env` (a bench data dir's) for the duration."""
    return process_environment(env, replace=True)


class DagsterPipeline:
    """The jobs through Dagster exactly as `make run` runs them: orchestration.runner's `execute`, in this process,
    against the data dir's own Dagster instance (the caller holds the data dir's environment)."""

    def __init__(self, data_dir: Path, log_file: Path) -> None:
        self.data_dir, self.log_file = data_dir, log_file
        self.last_steps: dict[str, float] = {}  # seconds per step of the latest stage's run
        prepare_instance(data_dir)

    def stage(self, stage: Stage) -> Callable[[], None]:
        def work() -> None:
            from dagster import DagsterInstance

            from orchestration.progress import file_handler
            from orchestration.runner import execute

            handler = file_handler(self.log_file)
            try:
                with DagsterInstance.get() as instance, open(self.log_file, "a") as out:
                    outcome = execute(stage.run, instance, handler, out)
                    self.last_steps = dagster_steps(instance, outcome.run_id)
            finally:
                handler.close()
            if not outcome.success:
                raise RuntimeError(f"{stage.run.job} failed (run {outcome.run_id}): {'; '.join(outcome.errors)}")
        return work


# ---------------------------------------------------------------------------------------------------------- plain


class PlainPipeline:
    """The work of each Dagster job without Dagster's run machinery, in this process (env must point at the dir)."""

    def __init__(self, data_dir: Path, run: Callable[[list[str]], None], checks: bool = True) -> None:
        """`checks=False` leaves the dbt data tests and the Great Expectations suites out: they change no table, and a
        test that only compares the tables a build leaves (tests/incremental) need not pay for them twice."""
        self.data_dir, self.run, self.env = data_dir, run, environment(data_dir)
        self.settings = load_settings(self.env)
        self.checks = checks

    def _resources(self) -> dict:
        from orchestration.resources import build_resources

        return build_resources(self.settings)

    def _invoke(self, asset, **inputs):
        import dagster as dg

        resources = self._resources()
        wanted = {k: v for k, v in resources.items() if k in asset.required_resource_keys}
        with dg.build_asset_context(resources=wanted) as context:
            result = asset(context, **inputs)
            if inspect.isgenerator(result):  # assets that yield their output, or why there is none yet
                outputs = [event for event in result if isinstance(event, dg.Output)]
                return outputs[0].value if outputs else None
        return getattr(result, "value", result)

    def _checks(self, *tables: str) -> None:
        """The Great Expectations suites the job's asset checks run (all of them when no table is named)."""
        from expectations import data_sets, volume
        from expectations.runner import validate

        if not self.checks:
            return
        with connect_lake(self.settings.catalog_url, self.settings.lake_data_path, read_only=True) as conn:
            present = {f"{s}.{t}" for s, t in conn.execute(
                "select table_schema, table_name from information_schema.tables where table_catalog = 'lake'"
            ).fetchall()}
            for data in data_sets():
                if data.table not in present or (tables and data.table not in tables):
                    continue
                validate(conn.execute(data.query).df(), data.build_suite, data.pii_columns)
                if data.schema == "raw" and not tables:
                    frame = conn.execute(volume.query(data.table)).df()
                    validate(frame, volume.build_suite,
                             parameters=volume.parameters(float(frame["trailing_average"].iloc[0])))

    def _readiness(self) -> None:
        """The batch's training-readiness checks (warnings)."""
        from orchestration.defs.credit.readiness import credit_readiness
        from orchestration.defs.fraud.readiness import fraud_readiness

        with connect_lake(self.settings.catalog_url, self.settings.lake_data_path, read_only=True) as conn:
            credit_readiness(conn), fraud_readiness(conn)

    def _dbt(self, *args: str, env: dict[str, str] | None = None) -> None:
        """A `dbt build` as Dagster's dbt ops run it: incremental models rebuilt in full where the lake's state says
        so, their state recorded (orchestration.resources.incremental_dbt)."""
        with incremental_dbt(self.settings) as plan:
            values = {**(env or {}), **plan.env()}
            tests = [] if self.checks else ["--exclude-resource-type", "test"]
            self.run(["env", *(f"{k}={v}" for k, v in values.items()),
                      *dbt_command(self.data_dir, *DBT_BUILD, *tests, *args, *plan.args())])

    def _publish(self) -> None:
        """The publishing asset itself: publish, then expire serving snapshots as the bench environment says."""
        from orchestration.defs.serving.assets import PublishConfig, published_marts

        config = PublishConfig(keep_snapshots_hours=int(self.env["SERVING_KEEP_SNAPSHOTS_HOURS"]),
                               file_grace_minutes=int(self.env["SERVING_FILE_GRACE_MINUTES"]))
        self._invoke(published_marts, config=config)

    def daily_batch(self, first: date, last: date) -> None:
        from orchestration.defs.ingestion.contracts import load_contracts
        from orchestration.defs.ingestion.landing import files_by_table
        from orchestration.defs.ingestion.loader import load_entity
        from orchestration.defs.risk.assets import risk_charts

        days = {first + timedelta(days=i) for i in range((last - first).days + 1)}
        files = files_by_table(self.settings.landing_dir, days=days)
        with connect_lake(self.settings.catalog_url, self.settings.lake_data_path) as conn:
            for contract in load_contracts():
                load_entity(conn, contract, files.get(contract.table, []))
        # the warehouse op's models: all but the partitioned refunds and the marketing models (built after scoring)
        self._dbt("--exclude", DAILY_PARTITIONED, *MARKETING_DBT_SELECT.split())
        self._checks()
        self._readiness()
        self._invoke(risk_charts)
        self._publish()

    def education_refunds(self, first: date, last: date) -> None:
        window = partition_window_env(first + timedelta(days=1), last + timedelta(days=1))
        self._dbt("--select", DAILY_PARTITIONED, env=window)
        self._publish()

    def credit_training(self) -> None:
        from orchestration.defs.credit.assets import group_scorecards, scorecard_combined

        self._checks("marts.credit_features")
        groups = {asset.key.path[-1].removeprefix("scorecard_"): self._invoke(asset) for asset in group_scorecards}
        if all(model is not None for model in groups.values()):  # as in Dagster: no sub-scorecard, no combined
            self._invoke(scorecard_combined, **groups)

    def credit_scoring(self) -> None:
        from orchestration.defs.credit.scoring import application_scores, model_monitoring

        self._checks("marts.credit_features")
        self._invoke(application_scores)
        self._invoke(model_monitoring)
        self._publish()

    def fraud_training(self) -> None:
        from orchestration.defs.fraud.assets import fraud_detector

        self._checks("marts.fraud_features", "marts.fraud_labels")
        self._invoke(fraud_detector)

    def fraud_scoring(self) -> None:
        from orchestration.defs.fraud.assets import fraud_rings, fraud_scores

        self._checks("marts.fraud_features")
        self._invoke(fraud_scores)
        self._invoke(fraud_rings)
        self._publish()

    def marketing_lists(self) -> None:
        from orchestration.defs.marketing.assets import export_assets, list_assets

        # The job's dbt assets: the marketing op's models and seeds.
        self._dbt("--select", *MARKETING_DBT_SELECT.split())
        self._checks("marts.customer_tags", "marts.customer_profile", "marts.marketing_restricted_customers",
                     "marts.marketing_list_candidates")
        for asset in [*list_assets, *export_assets]:
            self._invoke(asset)
        self._publish()

    def lakehouse_maintenance(self) -> None:
        from orchestration.defs.maintenance.assets import MaintenanceConfig, lakehouse_maintenance

        self._invoke(lakehouse_maintenance, config=MaintenanceConfig())

    def stage(self, stage: Stage, first: date, last: date) -> Callable[[], None]:
        method = getattr(self, stage.name)
        return (lambda: method(first, last)) if stage.name in ("daily_batch", "education_refunds") else method


def table_inputs(settings: Settings, stage: Stage, landing: Path, first: date, last: date) -> int:
    if stage.name in ("daily_batch", "daily_path"):  # what they ingest: the landing files of their days
        return landing_rows(landing, {first + timedelta(days=i) for i in range((last - first).days + 1)})
    if stage.name == "lakehouse_maintenance":
        return 0
    return table_rows(settings, list(stage.inputs))
