"""The champion credit model applied to every application (marts.application_scores) and watched
(marts.model_monitoring)."""

from datetime import UTC, datetime, timedelta

import dagster as dg
import mlflow
import numpy as np
import pandas as pd

from ml.credit import columns_by_prefix
from ml.limits import recommend_limits
from ml.validation import csi, psi, stability
from orchestration.defs.credit.assets import FEATURES, GROUPS, MODELER
from orchestration.defs.credit.policy import load_policy
from orchestration.defs.credit.training import as_model_frame
from orchestration.defs.ingestion.assets import WRITER_POOL
from orchestration.freshness import T1_FRESHNESS
from orchestration.governance import CHAMPION, alias_version
from orchestration.resources import LakehouseResource, MlflowResource

SCORES_DDL = """
create table if not exists marts.application_scores (
    application_id varchar,
    customer_id varchar,
    scenario varchar,
    applied_at timestamp,
    bureau_score double,
    transaction_score double,
    behaviour_score double,
    other_score double,
    combined_score double,
    pd double,
    grade varchar,
    reason_1 varchar,
    reason_2 varchar,
    reason_3 varchar,
    recommended_limit decimal(18, 2),
    limit_rule varchar,
    model_name varchar,
    model_version integer,
    scored_at timestamp
)
"""

MONITORING_DDL = """
create table if not exists marts.model_monitoring (
    monitored_on date,
    model_name varchar,
    model_version integer,
    metric varchar,
    feature varchar,
    value double,
    sample_size integer,
    status varchar,
    computed_at timestamp
)
"""


def _champion(mlflow_tracking: MlflowResource, name: str):
    """(version, model) of the champion, or None while there is none (a young book: nothing trained yet)."""
    client = mlflow_tracking.client()
    version = alias_version(client, name, CHAMPION)
    if version is None:
        return None
    return version, mlflow.pyfunc.load_model(f"models:/{name}@{CHAMPION}")


def _no_champion(context: dg.AssetExecutionContext, name: str, table: str) -> dg.MaterializeResult:
    """Nothing to score with yet: the table stays (empty) so everything reading it runs, and the run says why."""
    message = (f"{name} has no champion yet, so {table} stays empty: credit_training trains it once the book has "
               "enough six-month outcomes (its check training_readiness on marts/credit_features says when)")
    context.log.warning(message)
    return dg.MaterializeResult(metadata={"scored": 0, "status": "no champion yet", "why": message})


def _reason_text(codes: pd.DataFrame, k: int) -> pd.Series:
    name, label = codes[f"reason_{k}"], codes[f"reason_{k}_bin"]
    return (name.astype(object) + ": " + label.astype(object)).where(name.notna(), None)


@dg.asset(
    key=["marts", "application_scores"],
    freshness_policy=T1_FRESHNESS,
    deps=[FEATURES, dg.AssetKey(["credit", "scorecard_combined"])],
    group_name="credit",
    kinds={"mlflow", "duckdb"},
    owners=[MODELER],
    pool=WRITER_POOL,
    description=(
        "One row per application: the four sub-scores, combined score, PD, grade, top-3 reason codes and the "
        "recommended credit limit with the rule that set it, from `models:/credit_scorecard@champion`. A run scores "
        "the applications not yet scored; when the champion changes, every application is re-scored by the new one. "
        "With no champion yet (a young book) the table stays empty and the run says why."
    ),
)
def application_scores(
    context: dg.AssetExecutionContext, lakehouse: LakehouseResource, mlflow_tracking: MlflowResource
) -> dg.MaterializeResult:
    policy = load_policy()
    name = policy.registered_name
    champion = _champion(mlflow_tracking, name)
    with lakehouse.connect() as conn:
        conn.execute(SCORES_DDL)
        if champion is None:
            return _no_champion(context, name, "marts.application_scores")
        version, model = champion
        stale = conn.execute(
            "select count(*) from marts.application_scores where model_name = ? and model_version <> ?", [name, version]
        ).fetchone()[0]
        todo = conn.execute(
            f"""select f.* from {policy.training['features_table']} f
                where f.application_id not in (
                    select application_id from marts.application_scores where model_version = ?)
                order by f.application_id""",
            [version],
        ).df()
        if todo.empty and not stale:
            return dg.MaterializeResult(metadata={"scored": 0, "model_version": version})
        features = [c for cols in columns_by_prefix(list(todo.columns), GROUPS).values() for c in cols]
        frame = as_model_frame(todo, features)
        scores = model.predict(frame[features])
        limits = recommend_limits(
            pd.DataFrame({
                "grade": scores["grade"].to_numpy(),
                "scenario": todo["scenario"].to_numpy(),
                "declared_monthly_income": todo["other_declared_monthly_income"].to_numpy(),
                "provident_fund_base": todo["bureau_provident_fund_base"].to_numpy(),
            }),
            policy.limits,
        )
        out = pd.DataFrame({
            "application_id": todo["application_id"].to_numpy(),
            "customer_id": todo["customer_id"].to_numpy(),
            "scenario": todo["scenario"].to_numpy(),
            "applied_at": todo["applied_at"].to_numpy(),
            **{f"{g}_score": scores[f"{g}_score"].to_numpy() for g in GROUPS},
            "combined_score": scores["combined_score"].to_numpy(),
            "pd": scores["pd"].to_numpy(),
            "grade": scores["grade"].to_numpy(),
            **{f"reason_{k}": _reason_text(scores, k).to_numpy() for k in (1, 2, 3)},
            "recommended_limit": limits["recommended_limit"].to_numpy(),
            "limit_rule": limits["limit_rule"].to_numpy(),
            "model_name": name,
            "model_version": version,
            "scored_at": datetime.now(UTC).replace(tzinfo=None),
        })
        conn.execute("begin transaction")
        conn.execute("delete from marts.application_scores where model_name = ? and model_version <> ?",
                      [name, version])
        conn.register("new_scores", out)
        conn.execute("insert into marts.application_scores by name select * from new_scores")
        conn.execute("commit")
        total = conn.execute("select count(*) from marts.application_scores").fetchone()[0]
        grades = conn.execute(
            "select grade, count(*) from marts.application_scores group by 1 order by 1").fetchall()
    context.log.info(f"scored {len(out)} applications with {name} v{version} (re-scored {stale} from older versions)")
    return dg.MaterializeResult(metadata={
        "scored": len(out), "rescored_from_older_versions": stale, "rows": total, "model_version": version,
        "grades": dg.MetadataValue.json({g: n for g, n in grades}),
        "mean_combined_score": float(np.mean(out["combined_score"])),
    })


def _status(metric: str, value: float, drift_threshold: float) -> str:
    if metric == "default_rate_drift":
        return "drifted" if abs(value) > drift_threshold else "within"
    return stability(value)


@dg.asset(
    key=["marts", "model_monitoring"],
    freshness_policy=T1_FRESHNESS,
    deps=[dg.AssetKey(["marts", "application_scores"])],
    group_name="credit",
    kinds={"duckdb"},
    owners=[MODELER],
    pool=WRITER_POOL,
    description=(
        "Daily stability of the champion credit model: PSI of the combined score and CSI of each scorecard "
        "variable, applications of the trailing window vs the training sample; and per application month with "
        "observable outcomes, the realised 30+ DPD rate vs the mean predicted PD (default_rate_drift = realised / "
        "predicted - 1). The credit_retraining_sensor reads it."
    ),
)
def model_monitoring(
    context: dg.AssetExecutionContext, lakehouse: LakehouseResource, mlflow_tracking: MlflowResource
) -> dg.MaterializeResult:
    policy = load_policy()
    settings = policy.monitoring
    name = policy.registered_name
    champion = _champion(mlflow_tracking, name)
    if champion is None:
        with lakehouse.connect() as conn:
            conn.execute(MONITORING_DDL)
        return _no_champion(context, name, "marts.model_monitoring")
    version, model = champion
    wrapped = model.unwrap_python_model()
    reference = wrapped.reference_features
    reference_scores = wrapped.model.score(reference)
    window = int(settings["window_days"])
    with lakehouse.connect() as conn:
        conn.execute(MONITORING_DDL)
        scored = conn.execute(
            f"""select s.application_id, cast(s.applied_at as date) as applied_on, s.combined_score, s.pd,
                       f.* exclude (application_id)
                from marts.application_scores s join {policy.training['features_table']} f using (application_id)
                where s.model_name = ? and s.model_version = ? order by s.applied_at""",
            [name, version],
        ).df()
        done = {r[0] for r in conn.execute(
            "select distinct monitored_on from marts.model_monitoring where model_name = ? and model_version = ?"
            " and metric = 'score_psi'", [name, version]).fetchall()}
        if scored.empty:
            return dg.MaterializeResult(metadata={"rows_added": 0})
        features = [c for cols in wrapped.model.group_columns_.values() for c in cols]
        scored = as_model_frame(scored, features)
        scored["applied_on"] = pd.to_datetime(scored["applied_on"]).dt.date
        last_day = scored["applied_on"].max()
        # the daily series covers the last 90 days the first time, then every new day
        days = [last_day - timedelta(days=i) for i in range(90)]
        days = sorted(d for d in days if d not in done and d >= scored["applied_on"].min())
        now = datetime.now(UTC).replace(tzinfo=None)
        rows = []
        for day in days:
            in_window = scored[(scored["applied_on"] > day - timedelta(days=window)) & (scored["applied_on"] <= day)]
            if len(in_window) < 50:
                continue
            value = psi(reference_scores, in_window["combined_score"].to_numpy())
            rows.append((day, "score_psi", None, value, len(in_window)))
            for g, scorecard in wrapped.model.scorecards_.items():
                cols = wrapped.model.group_columns_[g]
                for feature, v in csi(scorecard, reference[cols], in_window[cols]).items():
                    rows.append((day, "feature_csi", feature, float(v), len(in_window)))
        # realised vs predicted, per application month with observable outcomes
        observable = scored[scored["is_target_observable"].astype(bool)]
        cohorts = observable.groupby(pd.to_datetime(observable["application_month"]).dt.date)
        conn.execute("delete from marts.model_monitoring where model_name = ? and model_version = ?"
                     " and metric = 'default_rate_drift'", [name, version])
        for month, cohort in cohorts:
            predicted = float(cohort["pd"].mean())
            realised = float(cohort["is_bad_30dpd_6mob"].astype(bool).mean())
            rows.append((month, "default_rate_drift", None, realised / predicted - 1 if predicted else np.nan,
                         len(cohort)))
        frame = pd.DataFrame(rows, columns=["monitored_on", "metric", "feature", "value", "sample_size"])
        frame.insert(1, "model_name", name)
        frame.insert(2, "model_version", version)
        frame["status"] = [_status(m, v, settings["default_rate_drift_threshold"])
                           for m, v in zip(frame["metric"], frame["value"], strict=True)]
        frame["computed_at"] = now
        conn.register("new_monitoring", frame)
        conn.execute("insert into marts.model_monitoring by name select * from new_monitoring")
        latest = conn.execute(
            "select value from marts.model_monitoring where model_name = ? and model_version = ?"
            " and metric = 'score_psi' order by monitored_on desc limit 1", [name, version]).fetchone()
    return dg.MaterializeResult(metadata={
        "rows_added": len(frame), "days_added": len(days), "model_version": version,
        "latest_score_psi": float(latest[0]) if latest else float("nan"),
    })
