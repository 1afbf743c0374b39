"""T+1 education refunds: the dbt models tagged `daily_partitioned`, built one refund day (or a range) per run."""

from datetime import date

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets

from orchestration.dbt import (
    DAILY_PARTITIONED_TAG,
    DBT_BUILD,
    LakehouseDbtTranslator,
    dbt_environment,
    dbt_project,
    dbt_run_target,
)
from orchestration.defs.ingestion.assets import WRITER_POOL
from orchestration.defs.serving import PUBLISHED_MARTS_KEY
from orchestration.partitions import (
    daily_partitions,
    partition_range_tags,
    partition_window_days,
    partition_window_env,
    shifted_range,
)


def refund_run_tags(first: date, last: date) -> dict[str, str] | None:
    """Run tags of the refund days that follow landing days first..last (T+1), clipped to the refund partitions that
    exist; None when no refund day follows."""
    shifted = shifted_range(first.isoformat(), last.isoformat(), days=1)
    return partition_range_tags(*(date.fromisoformat(d) for d in shifted)) if shifted else None


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    select=f"tag:{DAILY_PARTITIONED_TAG}",
    dagster_dbt_translator=LakehouseDbtTranslator(),
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WRITER_POOL,
)
def education_refund_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """Partition day D = T+1: the refund instructions for the course withdrawals agreed on day T = D - 1.

    The window's rows are replaced in one transaction, so a re-run (or a backfill over a range, in one run) gives
    the same rows and never duplicates.
    """
    first, last = partition_window_days(context.partition_time_window)
    context.log.info(f"building refund days {first} .. {last}")
    with dbt_environment(partition_window_env(first, last)):
        invocation = dbt.cli([*DBT_BUILD], context=context, target_path=dbt_run_target(context))
    yield from invocation.stream()


education_refunds_job = dg.define_asset_job(
    "education_refunds",
    selection=dg.AssetSelection.assets(education_refund_dbt_models, PUBLISHED_MARTS_KEY),
    partitions_def=daily_partitions,
    description="T+1 refund instructions for course withdrawals: partition D covers the withdrawals agreed on D - 1; "
    "then the marts are published to the serving lake.",
    executor_def=dg.in_process_executor,
)
