"""The marketing dbt models as a dbt op of their own: customer tags and profile, the restricted customers, the day's
list candidates and their seeds (campaigns, contact caps, tag definitions).

They read the day's credit and fraud scores, so they are built after scoring - by the daily path's run and by
`marketing_lists` - and not by the warehouse's invocation, which runs before scoring (it used to build them too, a
second time a day, with the previous day's scores)."""

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt import MARKETING_DBT_SELECT, LakehouseDbtTranslator, dbt_build, dbt_project
from orchestration.defs.ingestion.assets import WRITER_POOL
from orchestration.resources import LakehouseResource


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    select=MARKETING_DBT_SELECT,
    dagster_dbt_translator=LakehouseDbtTranslator(),
    pool=WRITER_POOL,
)
def marketing_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, lakehouse: LakehouseResource):
    """One `dbt build` of the selected marketing models and seeds with their data tests."""
    yield from dbt_build(context, dbt, lakehouse)
