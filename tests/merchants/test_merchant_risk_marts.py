"""The merchant risk marts on a simulated two-year lake: filled, point in time, and measured against the truth."""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.merchants import merchant_warning_figures, read_lake, read_truth
from orchestration.lakehouse import connect_lake
from tests.merchants.conftest import CUTOFF

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def _query(settings, sql: str) -> pd.DataFrame:
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        return conn.execute(sql).df()


@pytest.fixture(scope="module")
def figures(merchant_lake) -> dict:
    with connect_lake(merchant_lake.catalog_url, merchant_lake.lake_data_path, read_only=True) as conn:
        warnings, loans = read_lake(conn)
    return merchant_warning_figures(warnings, loans, read_truth(merchant_lake.truth_dir))


def test_both_tables_are_filled_every_merchant_graded_every_day(merchant_lake):
    counts = _query(merchant_lake, """
        select (select count(*) from marts.merchant_tiers) as tier_rows,
               (select count(distinct merchant_id) from marts.merchant_tiers where is_latest) as graded_today,
               (select count(*) from marts.dim_merchants where first_admitted_on is not null) as admitted,
               (select count(*) from marts.merchant_warnings) as warning_rows,
               (select count(distinct level) from marts.merchant_warnings) as levels""").iloc[0]
    assert counts.tier_rows > 0 and counts.graded_today == counts.admitted
    assert counts.warning_rows > 0 and counts.levels == 3


def test_every_colluding_merchant_has_at_least_a_warn(figures):
    assert figures["colluding_merchants"] > 0
    assert figures["colluding_without_warn"] == []


def test_severe_warnings_find_bad_merchants_better_than_chance(figures):
    base_rate = figures["bad_merchants"] / figures["merchants"]
    assert figures["severe_precision"] >= max(0.5, 2 * base_rate)
    assert figures["colluding_severe_recall"] >= 0.75
    assert figures["severe_recall"] >= 0.25


def test_warnings_and_grades_up_to_a_day_do_not_change_when_later_data_arrives(merchant_lake,
                                                                               merchant_lake_at_cutoff):
    """Point in time: the lake as it stood on CUTOFF gives the same warnings and grades for every day up to it as
    the full lake - nothing dated after a day reaches that day's rows (the lead-time figure depends on it)."""
    for sql in (
        f"""select merchant_id, warning_date, signal, level, round(metric_value, 9) as metric_value,
                   round(statistic, 9) as statistic, event_count, threshold_grade
            from marts.merchant_warnings where warning_date <= date '{CUTOFF}'""",
        f"""select merchant_id, as_of_date, grade, previous_month_end_grade, round(overall_score, 9) as score,
                   grade_reason
            from marts.merchant_tiers where as_of_date <= date '{CUTOFF}'""",
    ):
        full = _query(merchant_lake, sql)
        cut = _query(merchant_lake_at_cutoff, sql)
        keys = list(full.columns[:3])
        full = full.sort_values(keys).reset_index(drop=True)
        cut = cut.sort_values(keys).reset_index(drop=True)
        assert len(cut) > 0
        pd.testing.assert_frame_equal(full, cut, check_dtype=False)
