"""Fraud detection end to end on the small lake: rules and model registered, every application decided, rings."""

from __future__ import annotations

import dagster as dg
import mlflow
import pytest

from orchestration.defs.fraud.assets import fraud_detector, fraud_rings, fraud_scores
from orchestration.defs.fraud.policy import load_policy
from orchestration.lakehouse import connect_lake
from orchestration.resources import build_resources
from tests.small_lake import trained_models_store

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _query(settings, sql):
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_fraud_detector_is_registered_then_every_application_is_decided_and_rings_are_listed(credit_lake):
    with dg.instance_for_test() as instance:
        result = dg.materialize([fraud_detector, fraud_scores, fraud_rings], instance=instance,
                                resources=build_resources(credit_lake))
    assert result.success
    meta = result.asset_materializations_for_node("fraud__detector")[0].metadata
    assert meta["promoted"].value is True
    assert meta["valid_pr_auc"].value > 3 * meta["valid_base_rate"].value  # far better than chance

    mlflow.set_tracking_uri(credit_lake.mlflow_tracking_uri)
    client = mlflow.MlflowClient()
    champion = client.get_model_version_by_alias("fraud_detector", "champion")
    artifacts = {a.path for folder in ("", "plots", "tables") for a in client.list_artifacts(champion.run_id, folder)}
    assert {"model_card.md", "plots/precision_recall_out_of_time.png", "tables/feature_importance.csv",
            "tables/rules.csv"} <= artifacts

    (applications,) = _query(credit_lake, "select count(*) from marts.fraud_features")[0]
    count, distinct, bad_decisions, flagged_without_reason = _query(credit_lake, """
        select count(*), count(distinct application_id),
               count(*) filter (where decision not in ('pass', 'review', 'reject')),
               count(*) filter (where decision <> 'pass' and reasons is null)
        from marts.fraud_scores""")[0]
    assert count == distinct == applications
    assert bad_decisions == 0 and flagged_without_reason == 0
    # a rule's hit always decides at least its action
    rule = next(r for r in load_policy().rules if r.name == "internal_blacklist")
    escaped = _query(credit_lake, f"""
        select count(*) from marts.fraud_scores s join marts.fraud_features f using (application_id)
        where f.{rule.column} >= {rule.threshold} and s.decision <> 'reject'""")[0][0]
    assert escaped == 0
    rings = _query(credit_lake, "select count(*), min(len(member_customer_ids)) from marts.fraud_rings")[0]
    assert rings[0] > 0 and rings[1] >= 3
    history = _query(credit_lake, "select alias from marts.model_alias_history where model_name = 'fraud_detector'")
    assert sorted(h[0] for h in history) == ["challenger", "champion"]


def _both_champions(settings) -> bool:
    client = mlflow.MlflowClient(settings.mlflow_tracking_uri)
    try:
        return all(client.get_model_version_by_alias(name, "champion") for name in ("credit_scorecard",
                                                                                   "fraud_detector"))
    except mlflow.exceptions.MlflowException:
        return False


def test_the_benchmark_scoring_floor_measures_both_champions_through_mlflow_and_underneath(credit_lake, tmp_path):
    """The bench's scoring stage on a book with champions (the young book of the harness's test has none)."""
    from bench.floors import scoring_throughput

    settings = trained_models_store(credit_lake, tmp_path, _both_champions)
    figures = scoring_throughput(settings)
    assert set(figures) == {"credit_scorecard", "fraud_detector"}
    for name, model in figures.items():
        assert model["rows"] > 1000 and model["mlflow_rows_per_s"] > 0 and model["estimator_rows_per_s"] > 0, name
        assert 0 < model["mlflow_share_of_python_model"], name
