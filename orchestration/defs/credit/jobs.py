"""Credit jobs: training (on demand and on drift), scoring (after every batch)."""

import dagster as dg

from orchestration.defs.credit.assets import group_scorecards, scorecard_combined
from orchestration.defs.credit.scoring import application_scores, model_monitoring
from orchestration.defs.quality.checks import checks_of
from orchestration.defs.serving import PUBLISHED_MARTS_KEY

credit_training_job = dg.define_asset_job(
    "credit_training",
    # the feature mart's blocking suite runs first: a broken input stops the training
    selection=dg.AssetSelection.assets(*group_scorecards, scorecard_combined) | checks_of("marts.credit_features"),
    description="Train the four sub-scorecards and the combined score, register it, and gate its promotion.",
    executor_def=dg.in_process_executor,
)

credit_scoring_job = dg.define_asset_job(
    "credit_scoring",
    selection=dg.AssetSelection.assets(application_scores, model_monitoring, PUBLISHED_MARTS_KEY)
    | checks_of("marts.credit_features"),
    description="Score every new application with the champion, update the model monitoring, and publish the marts "
    "to the serving lake.",
    executor_def=dg.in_process_executor,
)
