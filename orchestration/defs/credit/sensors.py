"""When credit scoring runs, when the first model is trained, and when it is retrained."""

import dagster as dg

from orchestration.defs.batch import daily_batch_job, daily_path_job
from orchestration.defs.credit.jobs import credit_scoring_job, credit_training_job
from orchestration.defs.credit.policy import load_policy
from orchestration.defs.credit.readiness import credit_readiness
from orchestration.defs.quality.readiness import first_training_sensor
from orchestration.resources import LakehouseResource


@dg.run_status_sensor(
    name="credit_scoring_after_batch",
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[daily_batch_job],
    request_job=credit_scoring_job,
    description="After the batch has rebuilt the feature mart, score the new applications with the champion.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def credit_scoring_after_batch(context: dg.RunStatusSensorContext):
    return dg.RunRequest(run_key=f"credit-scoring-after-{context.dagster_run.run_id}")


credit_first_training_sensor = first_training_sensor(
    "credit_first_training_after_batch", (daily_batch_job, daily_path_job), credit_training_job,
    load_policy().registered_name, credit_readiness)


def retraining_reason(latest_psi: float | None, latest_drift: float | None, drift_sample: int | None,
                      monitoring: dict) -> str | None:
    """Why the champion should be retrained, or None: score PSI above the threshold, or the latest judged cohort's
    realised bad rate off the predicted by more than the drift threshold."""
    if latest_psi is not None and latest_psi > monitoring["psi_retrain_threshold"]:
        return f"score PSI {latest_psi:.3f} > {monitoring['psi_retrain_threshold']}"
    if (latest_drift is not None and drift_sample is not None and drift_sample >= monitoring["min_cohort_loans"]
            and abs(latest_drift) > monitoring["default_rate_drift_threshold"]):
        return (f"realised 30+ DPD rate off the predicted by {latest_drift:+.0%} "
                f"(threshold {monitoring['default_rate_drift_threshold']:.0%}, {drift_sample} loans)")
    return None


@dg.sensor(
    name="credit_retraining_sensor",
    job=credit_training_job,
    minimum_interval_seconds=3600,
    description="Launches credit_training when marts.model_monitoring shows the champion's score PSI above 0.25 or "
                "a cohort's realised 30+ DPD rate drifting from the predicted (thresholds in credit_policy.yml).",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def credit_retraining_sensor(context: dg.SensorEvaluationContext, lakehouse: LakehouseResource):
    policy = load_policy()
    try:
        with lakehouse.connect(read_only=True) as conn:
            rows = conn.execute(
                """with champion as (
                       select model_version from marts.model_monitoring where model_name = ?
                       order by computed_at desc limit 1)
                   select metric, value, sample_size, monitored_on, model_version from (
                       select *, row_number() over (partition by metric order by monitored_on desc) as recency
                       from marts.model_monitoring
                       where model_name = ? and model_version = (select model_version from champion)
                         and metric in ('score_psi', 'default_rate_drift')
                         and (metric = 'score_psi' or sample_size >= ?))
                   where recency = 1""",
                [policy.registered_name, policy.registered_name, policy.monitoring["min_cohort_loans"]],
            ).fetchall()
    except Exception as exc:  # no lake or no monitoring table yet
        return dg.SkipReason(f"no model monitoring to read yet ({type(exc).__name__})")
    latest = {metric: (value, sample, day, version) for metric, value, sample, day, version in rows}
    psi_row, drift_row = latest.get("score_psi"), latest.get("default_rate_drift")
    reason = retraining_reason(psi_row[0] if psi_row else None, drift_row[0] if drift_row else None,
                               drift_row[1] if drift_row else None, policy.monitoring)
    if reason is None:
        return dg.SkipReason("champion stable: no retraining needed")
    day, version = (psi_row or drift_row)[2], (psi_row or drift_row)[3]
    return dg.RunRequest(run_key=f"retrain-v{version}-{day}", tags={"retraining_reason": reason})
