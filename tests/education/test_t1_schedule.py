"""Which days the T+1 batch and the refund instructions build: small pure functions, no Dagster instance."""

from __future__ import annotations

from datetime import UTC, date, datetime

import dagster as dg

from orchestration.defs.batch import daily_path_schedule, previous_day
from orchestration.defs.education.sensors import refund_tags_after
from orchestration.defs.ingestion.assets import landing_run_config
from orchestration.partitions import (
    PARTITION_RANGE_END_TAG,
    PARTITION_RANGE_START_TAG,
    daily_partitions,
    partition_window_days,
    partition_window_env,
    shifted_range,
)


def _landing(tmp_path, *days: str):
    for day in days:
        (tmp_path / "core_lending" / day).mkdir(parents=True)
    return tmp_path


def test_the_daily_path_at_two_in_the_morning_processes_the_previous_landing_day_and_its_refund_day():
    assert previous_day(datetime(2026, 3, 1, 2, 0, tzinfo=UTC)) == date(2026, 2, 28)
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
    request = daily_path_schedule(context)
    assert request.run_config == landing_run_config(date(2026, 2, 28), date(2026, 2, 28))
    # one run: the landing day T as the ingestion's config, the refund day T+1 as the run's partition
    assert {request.tags[PARTITION_RANGE_START_TAG], request.tags[PARTITION_RANGE_END_TAG]} == {"2026-03-01"}


def test_a_batch_over_one_landing_day_is_followed_by_the_next_refund_day(tmp_path):
    landing = _landing(tmp_path, "2025-01-30", "2025-01-31")
    day = date(2025, 1, 31)
    assert refund_tags_after(landing_run_config(day, day), landing) == {
        PARTITION_RANGE_START_TAG: "2025-02-01", PARTITION_RANGE_END_TAG: "2025-02-01"}


def test_a_backfill_range_is_followed_by_the_same_range_a_day_later(tmp_path):
    landing = _landing(tmp_path, "2025-01-01", "2025-02-10", "2025-03-31")
    tags = refund_tags_after(landing_run_config(date(2025, 1, 1), date(2025, 3, 31)), landing)
    assert tags == {PARTITION_RANGE_START_TAG: "2025-01-02", PARTITION_RANGE_END_TAG: "2025-04-01"}
    # the first build names no days: every landing day present
    assert refund_tags_after(landing_run_config(), landing) == tags


def test_a_run_that_ingested_nothing_requests_no_refunds(tmp_path):
    landing = _landing(tmp_path, "2025-01-01")
    assert refund_tags_after({}, landing) is None  # not an ingestion run
    assert refund_tags_after(landing_run_config(date(2025, 2, 1), date(2025, 2, 2)), landing) is None  # no such day


def test_shifted_ranges_are_clipped_to_existing_partitions():
    keys = daily_partitions.get_partition_keys()
    assert shifted_range(keys[-1], keys[-1], days=1) is None
    assert shifted_range(keys[-2], keys[-1], days=1) == (keys[-1], keys[-1])
    assert shifted_range("2000-01-01", keys[0], days=-1) is None


def test_a_partition_window_becomes_the_inclusive_days_dbt_reads_from_its_environment():
    window = daily_partitions.time_window_for_partition_key("2025-01-31")
    assert partition_window_days(window) == (date(2025, 1, 31), date(2025, 1, 31))
    span = dg.TimeWindow(window.start, daily_partitions.time_window_for_partition_key("2025-02-02").end)
    assert partition_window_env(*partition_window_days(span)) == {
        "LAKEHOUSE_PARTITION_DAY_FROM": "2025-01-31", "LAKEHOUSE_PARTITION_DAY_TO": "2025-02-02"}
