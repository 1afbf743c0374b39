"""The dbt project (staging → intermediate → marts) as Dagster assets; dbt tests appear as asset checks.

Models tagged `daily_partitioned` are left to their own partitioned assets (see defs/education), the marketing models
to theirs (defs/marketing/models.py: they read the day's scores, so they build after scoring)."""


import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt import (
    DAILY_PARTITIONED_TAG,
    DBT_BUILD,
    MARKETING_DBT_SELECT,
    LakehouseDbtTranslator,
    dbt_project,
    dbt_run_target,
)
from orchestration.defs.ingestion.assets import WRITER_POOL


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    exclude=f"tag:{DAILY_PARTITIONED_TAG} {MARKETING_DBT_SELECT}",
    dagster_dbt_translator=LakehouseDbtTranslator(),
    pool=WRITER_POOL,
)
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """One `dbt build` for the selected models: runs them and their data tests in dependency order."""
    yield from dbt.cli([*DBT_BUILD], context=context, target_path=dbt_run_target(context)).stream()
