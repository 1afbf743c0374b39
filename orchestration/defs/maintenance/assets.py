"""Lake housekeeping: merge small files, expire old snapshots, delete files no snapshot references any more; and
remove old dbt run folders (artifacts and logs of each dbt invocation)."""


import shutil
import time
from pathlib import Path

import dagster as dg

from orchestration.config import load_settings, run_or_setting
from orchestration.defs.ingestion.assets import OWNER, WRITER_POOL
from orchestration.lakehouse import LAKE_ALIAS
from orchestration.resources import LakehouseResource


class MaintenanceConfig(dg.Config):
    """A run's own retention; unset, the settings' (LAKEHOUSE_KEEP_SNAPSHOTS_DAYS, LAKEHOUSE_KEEP_DBT_RUNS_DAYS)."""

    # Snapshots younger than this stay available for time travel and reproducing a training run.
    keep_snapshots_days: int | None = None
    # Each dbt invocation's manifest, run_results.json and dbt.log (data/dbt_runs/), kept this long to debug a run.
    keep_dbt_runs_days: int | None = None


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
    description="Merges small Parquet files, expires snapshots older than the retention window, deletes "
    "data files no remaining snapshot references, and removes dbt run folders older than their retention.",
)
def lakehouse_maintenance(
    context: dg.AssetExecutionContext, config: MaintenanceConfig, lakehouse: LakehouseResource
) -> dg.MaterializeResult:
    settings = load_settings()
    keep_snapshots_days = run_or_setting(config.keep_snapshots_days, settings.keep_snapshots_days)
    keep_dbt_runs_days = run_or_setting(config.keep_dbt_runs_days, settings.keep_dbt_runs_days)
    with lakehouse.connect() as conn:
        before = _file_stats(conn)
        results = {}
        for step, sql in maintenance_statements(keep_snapshots_days):
            rows = conn.execute(sql).fetchall()
            results[step] = len(rows)
            context.log.info(f"{step}: {len(rows)} rows")
        after = _file_stats(conn)
        snapshots = conn.execute(f"select count(*) from {LAKE_ALIAS}.snapshots()").fetchone()[0]
    removed, kept = prune_dbt_runs(settings.dbt_runs_dir, keep_dbt_runs_days)
    context.log.info(f"dbt run folders: {removed} removed, {kept} kept")
    return dg.MaterializeResult(
        metadata={
            "data_files_before": before[0],
            "data_files_after": after[0],
            "data_mb_before": round(before[1] / 1e6, 1),
            "data_mb_after": round(after[1] / 1e6, 1),
            "snapshots_kept": int(snapshots),
            "keep_snapshots_days": keep_snapshots_days,
            "keep_dbt_runs_days": keep_dbt_runs_days,
            "dbt_run_folders_removed": removed,
            "dbt_run_folders_kept": kept,
            **{f"{k}_rows": v for k, v in results.items()},
        }
    )


def prune_dbt_runs(runs_dir: Path, keep_days: int, now: float | None = None) -> tuple[int, int]:
    """Remove the dbt run folders last written more than `keep_days` ago; returns (removed, kept)."""
    if not runs_dir.is_dir():
        return 0, 0
    cutoff = (time.time() if now is None else now) - keep_days * 86_400
    removed = kept = 0
    for folder in (p for p in runs_dir.iterdir() if p.is_dir()):
        if folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
        else:
            kept += 1
    return removed, kept


def _file_stats(conn) -> tuple[int, int]:
    row = conn.execute(
        "select count(*), coalesce(sum(file_size_bytes), 0) from __ducklake_metadata_lake.ducklake_data_file "
        "where end_snapshot is null"
    ).fetchone()
    return int(row[0]), int(row[1])
