"""Credit scoring end to end on the small lake: training and governance in MLflow, scoring, monitoring."""

from __future__ import annotations

import json

import dagster as dg
import mlflow
import pytest

from orchestration.defs.credit.assets import group_scorecards, scorecard_combined
from orchestration.defs.credit.scoring import application_scores, model_monitoring
from orchestration.defs.credit.sensors import retraining_reason
from orchestration.lakehouse import connect_lake
from orchestration.resources import build_resources

pytestmark = [pytest.mark.integration, pytest.mark.slow]
MODEL = "credit_scorecard"


def _materialize(settings, assets):
    with dg.instance_for_test() as instance:
        result = dg.materialize(assets, instance=instance, resources=build_resources(settings))
    assert result.success
    return result


def _query(settings, sql, params=None):
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def _client(settings):
    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    return mlflow.MlflowClient(tracking_uri=settings.mlflow_tracking_uri, registry_uri=settings.mlflow_tracking_uri)


def test_training_logs_every_artifact_registers_and_makes_the_first_version_champion(credit_lake):
    result = _materialize(credit_lake, [*group_scorecards, scorecard_combined])
    meta = result.asset_materializations_for_node("credit__scorecard_combined")[0].metadata
    assert meta["promoted"].value is True and meta["registered_version"].value == 1
    assert meta["valid_auc"].value > 0.6

    client = _client(credit_lake)
    champion = client.get_model_version_by_alias(MODEL, "champion")
    assert int(champion.version) == 1
    run = client.get_run(champion.run_id)
    assert run.data.params["data.lakehouse_snapshot_id"].isdigit()
    assert len(run.data.params["data.training_frame_sha256"]) == 64
    for metric in ("valid_auc", "valid_ks", "valid_gini", "psi_train_valid", "train_auc"):
        assert metric in run.data.metrics
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
    artifacts |= {a.path for folder in ("plots", "tables") for a in client.list_artifacts(run.info.run_id, folder)}
    for expected in ("model_card.md", "plots/roc_out_of_time.png", "plots/ks_out_of_time.png",
                     "plots/score_distribution_out_of_time.png", "tables/lift_table_out_of_time.csv",
                     "tables/calibration_by_grade_out_of_time.csv"):
        assert expected in artifacts, expected
    group_runs = client.search_runs([run.info.experiment_id], "tags.component = 'bureau'")
    assert group_runs and "tables/binning_table.csv" in {
        a.path for a in client.list_artifacts(group_runs[0].info.run_id, "tables")}

    history = _query(credit_lake, "select alias, from_version, to_version, reason, metrics"
                                  " from marts.model_alias_history where model_name = 'credit_scorecard'"
                                  " order by changed_at, alias")
    assert [(h[0], h[1], h[2]) for h in history] == [("challenger", None, 1), ("champion", None, 1)]
    assert "valid_auc" in json.loads(history[1][4])


def test_a_retrained_model_that_is_no_better_stays_challenger(credit_lake):
    _materialize(credit_lake, [*group_scorecards, scorecard_combined])
    client = _client(credit_lake)
    assert int(client.get_model_version_by_alias(MODEL, "champion").version) == 1
    assert int(client.get_model_version_by_alias(MODEL, "challenger").version) == 2
    rows = _query(credit_lake, "select alias, reason from marts.model_alias_history"
                        " where model_name = 'credit_scorecard' and to_version = 2")
    assert rows == [("challenger", "new version registered")]
    assert client.get_model_version(MODEL, "2").tags["validation_status"] == "rejected"


def test_every_application_is_scored_with_grade_reasons_and_limit_then_monitored(credit_lake):
    _materialize(credit_lake, [application_scores, model_monitoring])
    (applications,) = _query(credit_lake, "select count(*) from marts.credit_features")[0]
    rows = _query(credit_lake, """
        select count(*), count(distinct application_id), min(pd), max(pd), count(reason_1),
               count(*) filter (where grade not in ('A', 'B', 'C', 'D', 'E')),
               count(*) filter (where recommended_limit < 0 or limit_rule is null), max(model_version)
        from marts.application_scores""")[0]
    count, distinct, low, high, with_reason, bad_grades, bad_limits, version = rows
    assert count == distinct == applications
    assert 0 < low < high < 1 and with_reason > 0.9 * count
    assert bad_grades == 0 and bad_limits == 0 and version == 1
    # grade E gets no credit, and better grades lower PD
    by_grade = _query(credit_lake, "select grade, avg(pd), max(recommended_limit) from marts.application_scores"
                                   " group by 1 order by 1")
    assert [g for g, *_ in by_grade] == sorted(g for g, *_ in by_grade)
    assert [p for _, p, _ in by_grade] == sorted(p for _, p, _ in by_grade)
    assert by_grade[-1][0] != "E" or by_grade[-1][2] == 0

    metrics = dict(_query(credit_lake, "select metric, count(*) from marts.model_monitoring group by 1"))
    assert metrics.get("score_psi", 0) > 0 and metrics.get("feature_csi", 0) > 0
    assert metrics.get("default_rate_drift", 0) > 0

    result = _materialize(credit_lake, [application_scores])  # nothing new: nothing re-scored
    assert result.asset_materializations_for_node("marts__application_scores")[0].metadata["scored"].value == 0


MONITORING = {"psi_retrain_threshold": 0.25, "default_rate_drift_threshold": 0.5, "min_cohort_loans": 200}


def test_retraining_is_launched_by_score_drift_or_default_drift_only():
    assert retraining_reason(0.30, None, None, MONITORING).startswith("score PSI")
    assert retraining_reason(0.05, 0.8, 500, MONITORING).startswith("realised")
    assert retraining_reason(0.05, 0.8, 50, MONITORING) is None  # too small a cohort to judge
    assert retraining_reason(0.05, -0.2, 500, MONITORING) is None
