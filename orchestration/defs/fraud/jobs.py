"""Fraud jobs: training on demand (and the first time as soon as it can), scoring after every batch."""

import dagster as dg

from orchestration.defs.batch import daily_batch_job, daily_path_job
from orchestration.defs.fraud.assets import fraud_detector, fraud_rings, fraud_scores
from orchestration.defs.fraud.policy import load_policy
from orchestration.defs.fraud.readiness import fraud_readiness
from orchestration.defs.quality.checks import checks_of
from orchestration.defs.quality.readiness import first_training_sensor
from orchestration.defs.serving import PUBLISHED_MARTS_KEY

fraud_training_job = dg.define_asset_job(
    "fraud_training",
    # the blocking suites of the inputs run first: a broken input stops the training
    selection=dg.AssetSelection.assets(fraud_detector) | checks_of("marts.fraud_features", "marts.fraud_labels"),
    description="Train, register and gate the fraud model.", executor_def=dg.in_process_executor,
)

fraud_scoring_job = dg.define_asset_job(
    "fraud_scoring",
    selection=dg.AssetSelection.assets(fraud_scores, fraud_rings, PUBLISHED_MARTS_KEY)
    | checks_of("marts.fraud_features"),
    description="Score every new application for fraud, refresh the suspected rings, and publish the marts to the "
    "serving lake.",
    executor_def=dg.in_process_executor,
)


@dg.run_status_sensor(
    name="fraud_scoring_after_batch",
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[daily_batch_job],
    request_job=fraud_scoring_job,
    description="After the batch has rebuilt the fraud features, score the new applications with the champion.",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
def fraud_scoring_after_batch(context: dg.RunStatusSensorContext):
    return dg.RunRequest(run_key=f"fraud-scoring-after-{context.dagster_run.run_id}")


fraud_first_training_sensor = first_training_sensor(
    "fraud_first_training_after_batch", (daily_batch_job, daily_path_job), fraud_training_job,
    load_policy().registered_name, fraud_readiness)

