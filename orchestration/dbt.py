"""The dbt project as Dagster sees it: one cached project object and the translator that keys and groups its nodes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject

from orchestration import incremental
from orchestration.check_scope import SINCE_SNAPSHOT_ENV, rows_written_by_run_only, snapshot_before_run
from orchestration.config import DBT_PROJECT_DIR, load_settings, process_environment
from orchestration.freshness import T1_FRESHNESS
from orchestration.resources import LakehouseResource, dbt_executable

DEFAULT_OWNER = "team:data-engineering"
# dbt models built one daily partition at a time by their own partitioned asset (window: orchestration/partitions.py)
DAILY_PARTITIONED_TAG = "daily_partitioned"
# The marketing models (tags, restrictions, the day's list candidates) and their seeds: they read the day's credit and
# fraud scores, so they are built by their own dbt op after scoring (defs/marketing/models.py), never by the
# warehouse's invocation, which runs before scoring.
MARKETING_DBT_SELECT = "path:models/marts/marketing path:seeds/marketing"
# What the pipeline's `dbt build` runs: models, seeds and data tests, not the unit tests. A unit test checks a model's
# SQL on fixed rows, not the day's data, so it runs where the SQL changes - `make test` (tests/test_dbt_unit_tests.py)
# - as dbt advises; in every build it cost ~9 s of fixed work (40 of them, on any lake, whatever its size).
DBT_BUILD = ("build", "--exclude-resource-type", "unit_test")


def dbt_environment(extra: Mapping[str, str] | None = None) -> AbstractContextManager[None]:
    """The environment a dbt command of this process runs in: the lake's location as the settings say (dbt's profile
    reads it from the environment) and `extra`. dagster-dbt starts dbt inside cli() with a copy of os.environ, so
    the values go in for that moment only - nothing is left set in the process."""
    return process_environment({**load_settings().dbt_env(), **(extra or {})})


@cache
def dbt_project() -> DbtProject:
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    if not project.manifest_path.exists():
        # A fresh clone: build the manifest once so the definitions load without a manual `dbt parse`.
        with dbt_environment():
            DbtCliResource(
                project_dir=str(DBT_PROJECT_DIR), profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=dbt_executable()
            ).cli(["parse", "--quiet"], target_path=Path("target"), raise_on_error=True).wait()
    return project


def dbt_build(context: dg.AssetExecutionContext, dbt: DbtCliResource, lakehouse: LakehouseResource,
              env: Mapping[str, str] | None = None) -> Iterator:
    """One `dbt build` of the op's selection, its incremental models rebuilt in full where orchestration.incremental
    says so (and why, in the log), their state recorded for the next build, unchanged seeds left out; on the daily path
    its tests read the rows the run wrote (orchestration.check_scope). `env` reaches dbt too (dbt_environment)."""
    target = dbt_run_target(context)
    with incremental.planned_build(lakehouse.connect, target / "run_results.json") as plan:
        selected = {key.path[-1] for key in context.selected_asset_keys}
        for model, reason in sorted(plan.full_refresh.items()):
            if model in selected:
                context.log.info(f"{model}: rebuilt in full - {reason}")
        if plan.unchanged_seeds:
            context.log.info(f"seeds unchanged since they were loaded, left out: {', '.join(plan.unchanged_seeds)}")
        if plan.unchanged_views:
            context.log.info(f"{len(plan.unchanged_views)} views unchanged since they were created, not created again")
        env = {**(env or {}), **plan.env()}
        if rows_written_by_run_only(context):  # the daily path: its tests read what the run wrote
            with lakehouse.connect(read_only=True) as conn:
                env[SINCE_SNAPSHOT_ENV] = str(snapshot_before_run(context, conn))
        with dbt_environment(env):
            invocation = dbt.cli([*DBT_BUILD, *plan.args()], context=context, target_path=target)
        # first: a multi-asset yields its outputs in dependency order, and the models come after the seeds they read
        yield from _unchanged_seeds_as_outputs(context, plan.unchanged_seeds)
        yield from invocation.stream()


def _unchanged_seeds_as_outputs(context: dg.AssetExecutionContext, names) -> Iterator[dg.Output]:
    """The seeds left out because their table already holds their file: still an output of the op (what reads them
    downstream - the marketing lists read the contact caps - runs), saying it was not reloaded. Same output names as
    dagster-dbt's own."""
    translator = LakehouseDbtTranslator()
    manifest = incremental.project_manifest()
    for unique_id, name in incremental.seeds(manifest).items():
        key = translator.get_asset_key(manifest["nodes"][unique_id])
        if name in names and key in context.selected_asset_keys:
            yield dg.Output(None, output_name=key.to_python_identifier(),
                            metadata={"reloaded": False, "why": "unchanged since it was loaded from its file"})


def dbt_run_target(context: dg.AssetExecutionContext) -> Path:
    """Where one dbt invocation of a run keeps its artifacts and log: a folder of its own under the data dir
    (`<data dir>/dbt_runs/<op>-<run id>-<unique>`), not dagster-dbt's default of a new folder under the project's
    target/ per invocation - which grew without bound (~15 MB a daily batch) in the source tree. The maintenance
    job removes folders older than LAKEHOUSE_KEEP_DBT_RUNS_DAYS. dagster-dbt starts it from the project's saved parse
    (`make manifest`), which holds for any lake: the profile does not depend on the data dir (dbt_plugin.py)."""
    op = context.op_execution_context.op.name
    return load_settings().dbt_runs_dir / f"{op}-{context.run.run_id[:8]}-{uuid.uuid4().hex[:7]}"


class LakehouseDbtTranslator(DagsterDbtTranslator):
    """Asset keys `<schema>/<model>`; sources map onto the raw ingestion assets `raw/<source>__<table>`, or onto
    the asset their `meta.dagster.asset_key` names (a table a Python asset writes).

    Groups come from the folder under models/ (staging, marts/<domain> → <domain>) unless `meta.group` says otherwise.
    """

    def __init__(self) -> None:
        super().__init__(DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            # a table a Python asset writes (e.g. marts.application_scores) names that asset in meta.dagster.asset_key
            configured = (_meta(dbt_resource_props).get("dagster") or {}).get("asset_key")
            if configured:
                return dg.AssetKey(configured)
            return dg.AssetKey(["raw", f"{dbt_resource_props['source_name']}__{dbt_resource_props['name']}"])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        meta = _meta(dbt_resource_props)
        if meta.get("group"):
            return meta["group"]
        fqn = dbt_resource_props.get("fqn", [])
        layer = fqn[1] if len(fqn) > 2 else "warehouse"
        if layer == "marts" and len(fqn) > 3:
            return fqn[2]
        return layer

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "model" and props["schema"] == "marts":  # the daily marts: due by T+1 morning
            spec = spec.replace_attributes(freshness_policy=T1_FRESHNESS)
        return spec

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return [_meta(dbt_resource_props).get("owner", DEFAULT_OWNER)]


def _meta(props: Mapping[str, Any]) -> Mapping[str, Any]:
    return props.get("config", {}).get("meta") or props.get("meta") or {}
