"""Training readiness (ml.readiness) in Dagster: a warning check in the daily batch, and what a training asset
records when it cannot train yet.

Why not a Great Expectations suite: the suites guard data that is wrong. A young book whose first loans have not
reached six months on book is not wrong, and a blocking check on the batch would stop it from publishing every
other mart (issue 19). The same `Readiness` decides both here and in the training assets, so the batch's warning and
the training's "not yet" never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import dagster as dg
import duckdb

from ml.readiness import Readiness
from orchestration.config import load_settings
from orchestration.governance import CHAMPION, alias_version
from orchestration.lakehouse import connect_lake
from orchestration.resources import LakehouseResource, build_resources

CHECK_NAME = "training_readiness"


def _metadata(readiness: Readiness) -> dict:
    # Dagster metadata has no null: an unknown date is said in words
    return {k: ("unknown" if v is None else v) for k, v in readiness.as_metadata().items()}


def readiness_check(asset: dg.AssetKey, model: str, assess: Callable[[duckdb.DuckDBPyConnection], Readiness],
                    blocks: str) -> dg.AssetChecksDefinition:
    """A non-blocking check on `asset`: WARN while `model` cannot be trained on it yet, with what is missing."""

    @dg.asset_check(
        asset=asset,
        name=CHECK_NAME,
        blocking=False,
        description=f"Whether `{model}` can be trained on this table yet (ml.readiness, thresholds in the model's "
        f"policy YAML). A warning only: a young book builds and publishes everything else; {blocks}",
    )
    def _check(lakehouse: LakehouseResource) -> dg.AssetCheckResult:
        readiness = assess(lakehouse.shared_reader())
        return dg.AssetCheckResult(passed=readiness.ready, severity=dg.AssetCheckSeverity.WARN,
                                   description=readiness.summary(model), metadata=_metadata(readiness))

    return _check


def not_trained_yet(context: dg.AssetExecutionContext, readiness: Readiness, model: str) -> dg.AssetObservation:
    """What a training asset yields instead of a model: an observation saying what is missing and when it will be
    there (its asset page shows it), and a warning in the run's log. Assets downstream of it in the run are skipped."""
    message = readiness.summary(model)
    context.log.warning(message)
    return dg.AssetObservation(asset_key=context.asset_key,
                               metadata={"status": "not trained yet", "why": message, **_metadata(readiness)})


def first_training(champion_version: int | None, readiness: Readiness, model: str) -> str | None:
    """Why the first version of `model` should be trained now, or None: no champion yet and, since this batch, enough
    outcomes. Once a champion exists, retraining is the monitoring's business (credit_retraining_sensor)."""
    if champion_version is not None or not readiness.ready:
        return None
    return f"no champion yet; {readiness.summary(model)}"


def first_training_sensor(name: str, batch_jobs: Sequence, training_job, model: str,
                          assess: Callable[[duckdb.DuckDBPyConnection], Readiness]) -> dg.SensorDefinition:
    """After each successful batch of a young book: launch `training_job` the day `model` becomes trainable, so the
    first champion does not wait for someone to notice. A version that fails its gate is tried again after the next
    batch."""

    @dg.run_status_sensor(
        name=name,
        run_status=dg.DagsterRunStatus.SUCCESS,
        monitored_jobs=list(batch_jobs),
        request_job=training_job,
        description=f"While `{model}` has no champion: after each batch, launch {training_job.name} as soon as the "
        "training readiness passes (enough outcomes; thresholds in the model's policy YAML).",
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
    def _sensor(context: dg.RunStatusSensorContext):
        settings = load_settings()
        version = alias_version(build_resources(settings)["mlflow_tracking"].client(), model, CHAMPION)
        if version is not None:
            return dg.SkipReason(f"{model} has a champion (v{version})")
        with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
            readiness = assess(conn)
        reason = first_training(version, readiness, model)
        if reason is None:
            return dg.SkipReason(readiness.summary(model))
        return dg.RunRequest(run_key=f"first-{model}-after-{context.dagster_run.run_id}",
                             tags={"training_reason": reason[:200]})

    return _sensor

