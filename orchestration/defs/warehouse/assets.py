"""The dbt project (staging → intermediate → marts) as Dagster assets; dbt tests appear as asset checks.

Models tagged `daily_partitioned` are left to their own partitioned assets (see defs/education), the marketing models
to theirs (defs/marketing/models.py: they read the day's scores, so they build after scoring)."""


import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt import (
    DAILY_PARTITIONED_TAG,
    MARKETING_DBT_SELECT,
    LakehouseDbtTranslator,
    dbt_build,
    dbt_project,
)
from orchestration.defs.ingestion.assets import WRITER_POOL
from orchestration.resources import LakehouseResource


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    exclude=f"tag:{DAILY_PARTITIONED_TAG} {MARKETING_DBT_SELECT}",
    dagster_dbt_translator=LakehouseDbtTranslator(),
    pool=WRITER_POOL,
)
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, lakehouse: LakehouseResource):
    """One `dbt build` for the selected models: runs them and their data tests in dependency order, the incremental
    ones on what the new data changes (orchestration/incremental.py says when one is rebuilt in full instead)."""
    yield from dbt_build(context, dbt, lakehouse)
