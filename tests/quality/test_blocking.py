"""A failing blocking check really stops the Python assets downstream of dbt.

dbt tests reach Dagster as checks of the dbt step itself, so they cannot hold back an asset of another run (the
scorecards train in `credit_training`, long after the `dbt build` of `daily_batch`). The Great Expectations suites of
the model inputs are blocking checks that the training and scoring jobs select as well: here the real jobs run on a
lake whose `marts.credit_features` has a duplicated application, and nothing downstream executes."""

from __future__ import annotations

import dagster as dg
import pytest

from expectations.marts import credit_features
from orchestration.defs.serving import PUBLISHED_MARTS_KEY

pytestmark = pytest.mark.integration


@pytest.fixture
def broken_features_lake(settings, lakehouse):
    """A lake whose feature mart has every column but an application twice."""
    columns = ", ".join(f"null::varchar as {c}" for c in credit_features.COLUMNS
                        if c not in ("application_id", "customer_id", "applied_at", "features_as_of",
                                     "application_month", "is_target_observable", "is_bad_30dpd_6mob"))
    with lakehouse.connect() as conn:
        conn.execute("create schema marts")
        conn.execute("create table marts.fct_applications as select 'A' || lpad(range::varchar, 8, '0') "
                     "as application_id from range(200)")
        conn.execute(
            f"""create table marts.credit_features as
                select 'A' || lpad((range % 199)::varchar, 8, '0') as application_id, 'C0000001' as customer_id,
                       timestamp '2025-01-02 10:00:00' as applied_at, timestamp '2025-01-02 10:00:05' as features_as_of,
                       date '2025-01-01' as application_month, true as is_target_observable,
                       false as is_bad_30dpd_6mob, {columns}
                from range(200)"""
        )
    return settings


def _defs(settings) -> dg.Definitions:
    from orchestration.definitions import definitions

    return definitions(settings)


def _run(settings, job: str):
    with dg.instance_for_test() as instance:
        result = _defs(settings).resolve_job_def(job).execute_in_process(instance=instance, raise_on_error=False)
        evaluations = result.get_asset_check_evaluations()
        started = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
        materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    return result, evaluations, started, materialized


def test_a_broken_feature_mart_stops_the_scorecards(broken_features_lake):
    result, evaluations, started, materialized = _run(broken_features_lake, "credit_training")
    assert not result.success
    (evaluation,) = [e for e in evaluations if e.asset_key == dg.AssetKey(["marts", "credit_features"])]
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR
    assert evaluation.metadata["failed_expectations"].value >= 1  # the duplicate key
    assert "expect_column_values_to_be_unique" in evaluation.metadata["results"].value
    assert not any(key.startswith("credit__scorecard") for key in started), started
    assert not materialized


def test_a_broken_feature_mart_stops_scoring_and_publishing(broken_features_lake):
    result, evaluations, started, materialized = _run(broken_features_lake, "credit_scoring")
    assert not result.success
    assert any(not e.passed for e in evaluations if e.asset_key == dg.AssetKey(["marts", "credit_features"]))
    assert "marts__application_scores" not in started and "serving__published_marts" not in started, started
    assert PUBLISHED_MARTS_KEY not in materialized
    assert not (broken_features_lake.data_dir / "serving").exists()
