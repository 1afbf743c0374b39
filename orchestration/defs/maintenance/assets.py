"""Lake housekeeping: merge small files, expire old snapshots, delete files no snapshot references any more."""


import os

import dagster as dg

from orchestration.defs.ingestion.assets import OWNER, WRITER_POOL
from orchestration.lakehouse import LAKE_ALIAS
from orchestration.resources import LakehouseResource


class MaintenanceConfig(dg.Config):
    # Snapshots younger than this stay available for time travel and reproducing a training run.
    keep_snapshots_days: int = int(os.environ.get("LAKEHOUSE_KEEP_SNAPSHOTS_DAYS", "30"))


def maintenance_statements(keep_days: int) -> list[tuple[str, str]]:
    lake = f"'{LAKE_ALIAS}'"
    return [
        ("flush_inlined_data", f"call ducklake_flush_inlined_data({lake})"),
        ("merge_adjacent_files", f"call ducklake_merge_adjacent_files({lake})"),
        (
            "expire_snapshots",
            f"call ducklake_expire_snapshots({lake}, older_than => now() - interval '{int(keep_days)} days')",
        ),
        ("cleanup_old_files", f"call ducklake_cleanup_old_files({lake}, cleanup_all => true)"),
        ("delete_orphaned_files", f"call ducklake_delete_orphaned_files({lake}, cleanup_all => true)"),
    ]


@dg.asset(
    name="lakehouse_maintenance",
    key_prefix=["maintenance"],
    group_name="maintenance",
    owners=[OWNER],
    kinds={"duckdb"},
    pool=WRITER_POOL,
    description="Merges small Parquet files, expires snapshots older than the retention window and deletes "
    "data files no remaining snapshot references.",
)
def lakehouse_maintenance(
    context: dg.AssetExecutionContext, config: MaintenanceConfig, lakehouse: LakehouseResource
) -> dg.MaterializeResult:
    with lakehouse.connect() as conn:
        before = _file_stats(conn)
        results = {}
        for step, sql in maintenance_statements(config.keep_snapshots_days):
            rows = conn.execute(sql).fetchall()
            results[step] = len(rows)
            context.log.info(f"{step}: {len(rows)} rows")
        after = _file_stats(conn)
        snapshots = conn.execute(f"select count(*) from {LAKE_ALIAS}.snapshots()").fetchone()[0]
    return dg.MaterializeResult(
        metadata={
            "data_files_before": before[0],
            "data_files_after": after[0],
            "data_mb_before": round(before[1] / 1e6, 1),
            "data_mb_after": round(after[1] / 1e6, 1),
            "snapshots_kept": int(snapshots),
            "keep_snapshots_days": config.keep_snapshots_days,
            **{f"{k}_rows": v for k, v in results.items()},
        }
    )


def _file_stats(conn) -> tuple[int, int]:
    row = conn.execute(
        "select count(*), coalesce(sum(file_size_bytes), 0) from __ducklake_metadata_lake.ducklake_data_file "
        "where end_snapshot is null"
    ).fetchone()
    return int(row[0]), int(row[1])
