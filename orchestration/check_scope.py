"""What a run's data-quality checks read: on the daily path the rows the run wrote, everywhere else whole tables.

A run tagged `lakehouse/checks = written_by_run` (the daily path's job carries the tag) has its dbt tests and Great
Expectations suites look at the rows written after the lake's last snapshot before the run began: every DuckLake row
carries the snapshot that inserted it (its `snapshot_id`), so that is a filter, not a diff, and it prunes whole files.
Keys, references and allowed values of a day's rows are checked in seconds whatever the history's size; the full
suites run on the first build, on manual runs and in the weekly `data_quality_full` job.
"""

from __future__ import annotations

import dagster as dg
import duckdb

CHECK_SCOPE_TAG = "lakehouse/checks"
WRITTEN_BY_RUN = "written_by_run"
# The dbt side (dbt_project/macros/tests/check_scope.sql) reads the snapshot from here.
SINCE_SNAPSHOT_ENV = "LAKEHOUSE_CHECK_SINCE_SNAPSHOT"


def rows_written_by_run_only(context) -> bool:
    """Whether this run's checks look at what the run wrote (the daily path) rather than whole tables."""
    return context.run.tags.get(CHECK_SCOPE_TAG) == WRITTEN_BY_RUN


def snapshot_before_run(context, conn: duckdb.DuckDBPyConnection, alias: str = "lake") -> int:
    """The lake's last snapshot committed before this run started (-1: the lake is younger than the run)."""
    record = context.instance.get_run_record_by_id(context.run.run_id)
    started = record.start_time if record is not None and record.start_time else None
    if started is None:  # not started through an instance that records it: everything counts as written by it
        return -1
    row = conn.execute(f"select max(snapshot_id) from {alias}.snapshots() where snapshot_time < to_timestamp(?)",
                       [started]).fetchone()
    return -1 if row[0] is None else int(row[0])


def checked_rows(since: int | None) -> dg.MetadataValue:
    """What a check's metadata says it read."""
    return dg.MetadataValue.text("every row" if since is None else f"rows written after lake snapshot {since}")
