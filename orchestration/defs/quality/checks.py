"""The Great Expectations suites of `expectations/` as Dagster asset checks, one per data set (and the volume check
of every raw table).

A data set's check validates its query's result read-only from the lake - on the daily path only the rows the run wrote
(orchestration/check_scope.py) - and reports, in the check's metadata, every expectation with its unexpected row
count (sample values only of columns that are not personal data) and which rows it read. Checks of data sets marked
`BLOCKING` (model training inputs, published scores and lists, the dimensions carrying tokens) are blocking: when one
fails, the assets downstream of its table in the same run do not execute, and the run says which expectations failed.
Jobs that only read such a table (training, scoring) select its check too, so a broken input stops them as well.
"""

import dagster as dg

from expectations import DataSet, data_sets, volume
from expectations.runner import validate
from orchestration.check_scope import checked_rows, rows_written_by_run_only, snapshot_before_run
from orchestration.resources import LakehouseResource

SUITE_CHECK = "great_expectations"
VOLUME_CHECK = "volume_vs_trailing_average"


def asset_key(data: DataSet) -> dg.AssetKey:
    return dg.AssetKey([data.schema, data.name])


def _suite_check(data: DataSet) -> dg.AssetChecksDefinition:
    first_line = data.description.splitlines()[0] if data.description else data.table
    blocking = " Blocking: a failure stops what is downstream." if data.blocking else ""

    @dg.asset_check(
        asset=asset_key(data),
        name=SUITE_CHECK,
        blocking=data.blocking,
        description=f"Great Expectations suite `{data.table}` (expectations/{data.schema}/{data.name}.py): "
        f"{first_line}{blocking}",
    )
    def _check(context: dg.AssetCheckExecutionContext, lakehouse: LakehouseResource) -> dg.AssetCheckResult:
        reader = lakehouse.shared_reader()
        since = snapshot_before_run(context, reader) if rows_written_by_run_only(context) else None
        frame = reader.execute(data.query if since is None else data.query_since(since)).df()
        if since is not None and frame.empty:  # the run wrote nothing here: nothing new to judge
            return dg.AssetCheckResult(passed=True, description=f"{data.table}: no rows written by this run",
                                       metadata={"rows_checked": checked_rows(since), "rows_validated": 0})
        check = validate(frame, data.build_suite, data.pii_columns).as_check_result()
        return dg.AssetCheckResult(passed=check.passed, severity=check.severity, description=check.description,
                                   metadata={**check.metadata, "rows_checked": checked_rows(since)})

    return _check


def _volume_check(data: DataSet) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset_key(data),
        name=VOLUME_CHECK,
        description=f"Rows {data.table} got on the latest landing day against its average over the "
        f"{volume.TRAILING_DAYS} days before (a warning: a lost, truncated or doubled extract).",
    )
    def _check(lakehouse: LakehouseResource) -> dg.AssetCheckResult:
        frame = lakehouse.shared_reader().execute(volume.query(data.table)).df()
        average = float(frame["trailing_average"].iloc[0])
        result = validate(frame, volume.build_suite, parameters=volume.parameters(average))
        low, high = volume.volume_bounds(average)
        check = result.as_check_result()
        return dg.AssetCheckResult(
            passed=check.passed, severity=check.severity, description=check.description,
            metadata={
                **check.metadata,
                "landing_date": str(frame["landing_date"].iloc[0]),
                "rows_on_latest_day": int(frame["rows_on_latest_day"].iloc[0]),
                "trailing_average": round(average, 1),
                "expected_min": round(low, 1),
                "expected_max": round(high, 1) if high is not None else "not judged (too few rows a day)",
            },
        )

    return _check


SUITE_CHECKS = {data.table: _suite_check(data) for data in data_sets()}
suite_checks = list(SUITE_CHECKS.values())
volume_checks = [_volume_check(data) for data in data_sets() if data.schema == "raw"]


def checks_of(*tables: str) -> dg.AssetSelection:
    """The suite checks of these tables, for jobs that read them without building them."""
    return dg.AssetSelection.checks(*(SUITE_CHECKS[t] for t in tables))
