"""The serving lakehouse business staff query: every mart, published in one commit at the end of each build.

It runs at the end of `daily_batch`, `education_refunds`, `credit_scoring`, `fraud_scoring` and `marketing_lists`
(each of them changes marts), so the serving lake always holds the latest successful build; a run whose build or
blocking check fails never reaches it, and staff keep the previous build.
"""

import dagster as dg

from orchestration.config import load_settings, run_or_setting
from orchestration.defs.credit.scoring import application_scores, model_monitoring
from orchestration.defs.education.assets import education_refund_dbt_models
from orchestration.defs.fraud.assets import fraud_rings, fraud_scores
from orchestration.defs.ingestion.assets import OWNER, WRITER_POOL
from orchestration.defs.marketing.assets import list_assets
from orchestration.defs.marketing.models import marketing_dbt_models
from orchestration.defs.warehouse.assets import warehouse_dbt_models
from orchestration.freshness import T1_FRESHNESS
from orchestration.resources import LakehouseResource
from orchestration.serving import PUBLISHED_SCHEMA, publish, retention_statements

# Every mart the pipeline builds: the dbt models in schema `marts` and the marts Python assets write.
PUBLISHED_MARTS = sorted(
    {key for dbt_op in (warehouse_dbt_models, education_refund_dbt_models, marketing_dbt_models)
     for key in dbt_op.keys if key.path[0] == PUBLISHED_SCHEMA}
    | {application_scores.key, model_monitoring.key, fraud_scores.key, fraud_rings.key}
    | {asset.key for asset in list_assets},
    key=lambda key: key.to_user_string(),
)


class PublishConfig(dg.Config):
    """A run's own retention; unset, the settings' (SERVING_KEEP_SNAPSHOTS_HOURS, SERVING_FILE_GRACE_MINUTES)."""

    # Serving snapshots younger than this stay queryable by time travel.
    keep_snapshots_hours: int | None = None
    # Files of replaced tables are deleted only this long after no snapshot needs them (queries still running on an
    # older snapshot finish on it).
    file_grace_minutes: int | None = None


@dg.asset(
    key=["serving", "published_marts"],
    freshness_policy=T1_FRESHNESS,
    deps=PUBLISHED_MARTS,
    group_name="serving",
    owners=[OWNER],
    kinds={"duckdb"},
    pool=WRITER_POOL,
    description="The serving lakehouse (data/serving/): a copy of every table of schema `marts` and nothing else; "
    "the tables that changed since the last publication are replaced in one DuckLake commit so readers see the "
    "previous build or this one, never a mix; refused whole if a copied table looks like it holds a raw ID or "
    "mobile number. Business staff query it with `make sql`.",
)
def published_marts(
    context: dg.AssetExecutionContext, config: PublishConfig, lakehouse: LakehouseResource
) -> dg.MaterializeResult:
    settings = load_settings()
    keep_hours = run_or_setting(config.keep_snapshots_hours, settings.serving_keep_snapshots_hours)
    grace_minutes = run_or_setting(config.file_grace_minutes, settings.serving_file_grace_minutes)
    with lakehouse.connect_publisher() as conn:
        publication = publish(conn, dagster_run_id=context.run_id)
        for step, sql in retention_statements(keep_hours, grace_minutes):
            context.log.info(f"serving {step}: {len(conn.execute(sql).fetchall())} rows")
    context.log.info(
        f"published {len(publication.rows)} tables ({len(publication.copied)} changed and copied), "
        f"{publication.row_count:,} rows from lake snapshot "
        f"{publication.source_snapshot_id} as serving snapshot {publication.serving_snapshot_id} "
        f"in {publication.seconds:.1f} s"
    )
    return dg.MaterializeResult(
        metadata={
            "source_snapshot_id": publication.source_snapshot_id,
            "serving_snapshot_id": publication.serving_snapshot_id,
            "tables": len(publication.rows),
            "tables_copied": len(publication.copied),
            "dagster/row_count": publication.row_count,
            "publish_seconds": round(publication.seconds, 2),
            "rows_by_table": dg.MetadataValue.md(
                "| table | rows |\n|---|---:|\n"
                + "\n".join(f"| marts.{t} | {n:,} |" for t, n in publication.rows.items())
            ),
        }
    )
