"""Fraud detection: the rules (fraud_policy.yml) and a gradient-boosting model trained on the labelled cases,
governed in MLflow as `fraud_detector`; every application scored into marts.fraud_scores; suspected rings for
investigators in marts.fraud_rings."""

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg
import mlflow
import numpy as np
import pandas as pd
from mlflow.models import infer_signature

from ml import plots
from ml.fraud import (
    RULES_ONLY,
    band_shift,
    build_fraud_model,
    capacity_threshold,
    precision_recall_at_capacity,
    rules_only_decisions,
)
from ml.governance import decide_promotion
from ml.model_card import render_model_card
from ml.validation import discrimination_metrics, psi
from orchestration.defs.credit.training import as_model_frame, frame_hash, model_requirements
from orchestration.defs.fraud.model import FraudDetectorModel
from orchestration.defs.fraud.policy import FraudPolicy, load_policy
from orchestration.defs.fraud.readiness import LABELS, fraud_readiness
from orchestration.defs.ingestion.assets import WRITER_POOL
from orchestration.defs.quality.readiness import not_trained_yet
from orchestration.freshness import T1_FRESHNESS
from orchestration.governance import CHAMPION, alias_version, metrics_of, record_alias_changes, register_and_gate
from orchestration.lakehouse import current_snapshot_id
from orchestration.resources import LakehouseResource, MlflowResource

FRAUD_TEAM = "team:fraud-risk"
FEATURES = dg.AssetKey(load_policy().features_table.split("."))


def feature_columns(frame: pd.DataFrame, policy: FraudPolicy) -> tuple[list[str], list[str]]:
    """(categorical, numeric) model columns: every column with a fraud feature prefix; ids excluded."""
    columns = [c for c in frame.columns if c.startswith(policy.feature_prefixes) and not c.endswith("_id")]
    categorical = [c for c in columns if not (pd.api.types.is_numeric_dtype(frame[c])
                                              or pd.api.types.is_bool_dtype(frame[c]))]
    return categorical, [c for c in columns if c not in categorical]


def _load(conn, policy: FraudPolicy) -> pd.DataFrame:
    frame = conn.execute(
        f"""select f.*, l.is_label_mature, l.is_confirmed_fraud
            from {policy.features_table} f join marts.fraud_labels l using (application_id)
            order by f.application_id"""
    ).df()
    categorical, numeric = feature_columns(frame, policy)
    frame = as_model_frame(frame, categorical + numeric)
    frame["application_month"] = pd.to_datetime(frame["application_month"]).dt.strftime("%Y-%m")
    return frame


@dg.asset(
    key=["fraud", "detector"],
    deps=[FEATURES, LABELS],
    group_name="fraud_models",
    kinds={"scikit-learn", "mlflow"},
    owners=[FRAUD_TEAM],
    pool=WRITER_POOL,
    output_required=False,  # too few mature labels yet: it records why and when, and trains nothing
    description=(
        "Gradient-boosting fraud model on the labelled cases (applicants later blacklisted as fraud, once mature), "
        "trained on earlier months and validated out of time; packaged with the rules and the capacity-based "
        "thresholds as `fraud_detector`, promoted to champion only if it beats the champion's out-of-time PR-AUC. "
        "Until enough labels are mature (fraud_policy.yml training.readiness) it trains nothing and says when it can."
    ),
)
def fraud_detector(
    context: dg.AssetExecutionContext, lakehouse: LakehouseResource, mlflow_tracking: MlflowResource
) -> Iterator[dg.MaterializeResult | dg.AssetObservation]:
    policy = load_policy()
    with lakehouse.connect(read_only=True) as conn:
        readiness = fraud_readiness(conn)
        if not readiness.ready:
            yield not_trained_yet(context, readiness, policy.registered_name)
            return
        everything = _load(conn, policy)
        snapshot = current_snapshot_id(conn)
    categorical, numeric = feature_columns(everything, policy)
    columns = categorical + numeric
    mature = everything[everything["is_label_mature"].astype(bool)].copy()
    mature["target"] = mature["is_confirmed_fraud"].astype(bool).astype(int)
    months = sorted(mature["application_month"].unique())
    cutoff = months[-max(1, round(len(months) * policy.training["validation_share_of_months"]))]
    train, valid = mature[mature["application_month"] < cutoff], mature[mature["application_month"] >= cutoff]
    pipeline = build_fraud_model(categorical, numeric, **policy.training["model"]).fit(train[columns], train["target"])
    p_train = pipeline.predict_proba(train[columns])[:, 1]
    p_valid = pipeline.predict_proba(valid[columns])[:, 1]
    capacity = policy.decision["capacity_for_evaluation"]
    metrics = {
        **{f"valid_{k}": v for k, v in precision_recall_at_capacity(valid["target"], p_valid, capacity).items()},
        **{f"valid_{k}": v for k, v in discrimination_metrics(valid["target"], p_valid).items()},
        "train_pr_auc": precision_recall_at_capacity(train["target"], p_train, capacity)["pr_auc"],
        "psi_train_valid": psi(p_train, p_valid),
    }
    metrics = {k.replace("%", "pct"): float(v) for k, v in metrics.items()}
    # thresholds from the capacity, on every application of the training months (through the door)
    reference = pipeline.predict_proba(everything.loc[everything["application_month"] < cutoff, columns])[:, 1]
    review_above = capacity_threshold(reference, policy.decision["review_share"])
    reject_above = capacity_threshold(reference, policy.decision["reject_share"])
    metrics.update({"review_above": review_above, "reject_above": reject_above})
    # Stability for the gate: the pass / review / reject shares of the validation months vs the latest applications
    # (labels not mature yet) - out of sample on both sides, and what operations feels (the review queue).
    recent = everything.loc[~everything["is_label_mature"].astype(bool), columns]
    metrics["decision_shift_valid_recent"] = band_shift(
        p_valid, pipeline.predict_proba(recent)[:, 1] if len(recent) else p_valid, [review_above, reject_above])

    client = mlflow_tracking.client()
    name = policy.registered_name
    champion_pr_auc, rules_changed = None, False
    if alias_version(client, name, CHAMPION) is not None:
        try:
            champion = mlflow.pyfunc.load_model(f"models:/{name}@{CHAMPION}")
            rules_changed = tuple(champion.unwrap_python_model().rules) != policy.rules
            scored = champion.predict(valid[champion.unwrap_python_model().input_columns])["fraud_probability"]
            champion_pr_auc = precision_recall_at_capacity(valid["target"], scored, capacity)["pr_auc"]
            metrics["champion_valid_pr_auc"] = champion_pr_auc
        except Exception as exc:
            context.log.warning(f"the champion cannot score the validation data: {exc!r}")
    decision = decide_promotion(metrics["valid_pr_auc"], metrics["decision_shift_valid_recent"], champion_pr_auc,
                                policy.promotion, metric="PR-AUC", configuration_changed=rules_changed)

    wrapped = FraudDetectorModel(pipeline, columns, policy.rules, review_above, reject_above, reference)
    inputs = wrapped.input_columns
    lineage = {"lakehouse_snapshot_id": snapshot, "train_rows": len(train), "valid_rows": len(valid),
               "train_fraud_rate": round(float(train["target"].mean()), 6),
               "valid_fraud_rate": round(float(valid["target"].mean()), 6),
               "validation_from_month": cutoff,
               "training_frame_sha256": frame_hash(train[[*columns, "target"]])}
    mlflow_tracking.experiment(policy.model["experiment"])
    with mlflow.start_run(run_name=f"fraud_detector {cutoff}",
                          tags={"model_family": "fraud_detector", "component": "combined",
                                "dagster_run_id": context.run_id}) as run:
        mlflow.log_params({f"model.{k}": v for k, v in policy.training["model"].items()})
        mlflow.log_params({f"data.{k}": v for k, v in lineage.items()})
        mlflow.log_params({"features": len(columns), "rules": len(policy.rules),
                           "review_share": policy.decision["review_share"],
                           "reject_share": policy.decision["reject_share"]})
        mlflow.log_metrics(metrics)
        mlflow.log_figure(plots.roc_figure(valid["target"], p_valid, title="ROC, out of time - fraud"),
                          "plots/roc_out_of_time.png")
        mlflow.log_figure(_pr_figure(valid["target"].to_numpy(), p_valid), "plots/precision_recall_out_of_time.png")
        importance = _importance(pipeline, valid[columns], valid["target"])
        mlflow.log_text(importance.to_csv(index=False), "tables/feature_importance.csv")
        mlflow.log_text(pd.DataFrame([r.__dict__ for r in policy.rules]).to_csv(index=False), "tables/rules.csv")
        mlflow.log_text(render_model_card(
            name=name,
            purpose="Rank applications by the risk of application fraud; with the rules it decides pass / review / "
                    f"reject (review: top {policy.decision['review_share']:.1%} by probability, reject: top "
                    f"{policy.decision['reject_share']:.1%}, or a rule).",
            target="Applicant's ID number, mobile or device blacklisted by the lender for fraud (marts.fraud_labels: "
                   "fraud_confirmed, fake_transaction, identity_theft), counted once the label is mature (150 days "
                   "after the decision).",
            data_window=lineage, metrics=metrics,
            variables=importance.head(15).to_dict("records"),
            limits=["Labels are confirmed cases only: undetected fraud counts as genuine (recall is understated).",
                    "Fraud that never defaults (kept current by a colluding merchant) is rarely labelled."],
        ), "model_card.md")
        sample = valid[inputs].head(200)
        info = mlflow.pyfunc.log_model(
            name="model", python_model=wrapped, input_example=valid[inputs].head(5),
            signature=infer_signature(sample, wrapped.predict(None, sample)), pip_requirements=model_requirements())
        run_id = run.info.run_id
    version, changes = register_and_gate(client, model_name=name, model_uri=info.model_uri, mlflow_run_id=run_id,
                                         decision=decision, metrics=metrics_of(metrics), dagster_run_id=context.run_id)
    with lakehouse.connect() as conn:
        record_alias_changes(conn, changes)
    context.log.info(f"{name} v{version}: {decision.reason}")
    yield dg.MaterializeResult(metadata={
        **{k: dg.MetadataValue.float(round(v, 4)) for k, v in metrics.items()},
        "registered_version": version, "promoted": decision.promote, "decision": decision.reason,
        "mlflow_run_id": run_id,
    })


def _pr_figure(y: np.ndarray, p: np.ndarray):
    from matplotlib.figure import Figure
    from sklearn.metrics import precision_recall_curve

    precision, recall, _ = precision_recall_curve(y, p)
    figure = Figure(figsize=(6, 5))
    axes = figure.subplots()
    axes.plot(recall, precision)
    axes.axhline(y.mean(), linestyle="--", color="grey", label=f"base rate {y.mean():.3f}")
    axes.set_xlabel("recall")
    axes.set_ylabel("precision")
    axes.set_title("Precision-recall, out of time - fraud")
    axes.legend()
    figure.tight_layout()
    return figure


def _importance(pipeline, X: pd.DataFrame, y: pd.Series) -> pd.DataFrame:
    """Permutation importance on the validation data (average precision drop), most important first."""
    from sklearn.inspection import permutation_importance

    result = permutation_importance(pipeline, X, y, scoring="average_precision", n_repeats=3, random_state=0)
    return pd.DataFrame({"feature": X.columns, "importance": result.importances_mean}).sort_values(
        "importance", ascending=False, ignore_index=True)


SCORES_DDL = """
create table if not exists marts.fraud_scores (
    application_id varchar, customer_id varchar, merchant_id varchar, applied_at timestamp,
    fraud_probability double, rule_hits varchar, rule_action varchar, model_action varchar, decision varchar,
    reasons varchar, model_name varchar, model_version integer, scored_at timestamp, features_loaded_at timestamp
)
"""
# A table made before features_loaded_at existed gets it (null: such rows are scored again once).
SCORES_MIGRATION = "alter table marts.fraud_scores add column if not exists features_loaded_at timestamp"


@dg.asset(
    key=["marts", "fraud_scores"],
    freshness_policy=T1_FRESHNESS,
    deps=[FEATURES, dg.AssetKey(["fraud", "detector"])],
    group_name="fraud",
    kinds={"mlflow", "duckdb"},
    owners=[FRAUD_TEAM],
    pool=WRITER_POOL,
    description="One row per application: fraud probability, the rules that fired, the combined pass / review / "
                "reject decision and its reasons, from `models:/fraud_detector@champion`. New applications are "
                "scored, and those whose features were restated since they were scored (a blacklist entry or a "
                "fingerprint landing late: features_loaded_at); a new champion re-scores every application. With "
                "no champion yet (a young book) the rules decide alone: model_name rules_only, version 0, no "
                "probability.",
)
def fraud_scores(
    context: dg.AssetExecutionContext, lakehouse: LakehouseResource, mlflow_tracking: MlflowResource
) -> dg.MaterializeResult:
    policy = load_policy()
    champion_version = alias_version(mlflow_tracking.client(), policy.registered_name, CHAMPION)
    if champion_version is None:  # a young book: the rules decide alone until a model can be trained
        model, (name, version) = None, RULES_ONLY
        status = (f"{policy.registered_name} has no champion yet: decided by the {len(policy.rules)} rules alone "
                  "(no fraud probability) until fraud_training can train it - its check training_readiness on "
                  "marts/fraud_labels says when")
        context.log.warning(status)
    else:
        name, version, status = policy.registered_name, champion_version, "scored by the champion"
        model = mlflow.pyfunc.load_model(f"models:/{name}@{CHAMPION}")
    with lakehouse.connect() as conn:
        conn.execute(SCORES_DDL)
        conn.execute(SCORES_MIGRATION)
        # what this model has not scored yet from the features as they stand (a late entry restates features)
        todo = conn.execute(
            f"""select * from {policy.features_table} as features where not exists (
                    select 1 from marts.fraud_scores as scores
                    where scores.application_id = features.application_id and scores.model_version = ?
                      and scores.features_loaded_at >= features._loaded_at)
                order by application_id""",
            [version]).df()
        if todo.empty:
            return dg.MaterializeResult(metadata={"scored": 0, "model_version": version, "status": status})
        categorical, numeric = feature_columns(todo, policy)
        frame = as_model_frame(todo, categorical + numeric)
        scored = (rules_only_decisions(frame, policy.rules) if model is None
                  else model.predict(frame[model.unwrap_python_model().input_columns]))
        out = pd.DataFrame({
            "application_id": todo["application_id"].to_numpy(), "customer_id": todo["customer_id"].to_numpy(),
            "merchant_id": todo["merchant_id"].to_numpy(), "applied_at": todo["applied_at"].to_numpy(),
            **{c: scored[c].to_numpy() for c in ("fraud_probability", "rule_hits", "rule_action", "model_action",
                                                 "decision", "reasons")},
            "model_name": name, "model_version": version, "scored_at": datetime.now(UTC).replace(tzinfo=None),
            "features_loaded_at": todo["_loaded_at"].to_numpy(),
        })
        conn.execute("begin transaction")
        conn.register("new_fraud_scores", out)
        conn.execute("delete from marts.fraud_scores where model_version <> ? or application_id in "
                     "(select application_id from new_fraud_scores)", [version])
        conn.execute("insert into marts.fraud_scores by name select * from new_fraud_scores")
        conn.execute("commit")
        decisions = dict(conn.execute("select decision, count(*) from marts.fraud_scores group by 1").fetchall())
    context.log.info(f"scored {len(out)} applications with {name} v{version}: {decisions}")
    return dg.MaterializeResult(metadata={"scored": len(out), "model_version": version, "status": status,
                                          "decisions": dg.MetadataValue.json(decisions)})


@dg.asset(
    key=["marts", "fraud_rings"],
    freshness_policy=T1_FRESHNESS,
    deps=[dg.AssetKey(["marts", "fraud_ring_candidates"]), dg.AssetKey(["marts", "fraud_customer_graph"]),
          dg.AssetKey(["marts", "fraud_scores"])],
    group_name="fraud",
    kinds={"duckdb"},
    owners=[FRAUD_TEAM],
    pool=WRITER_POOL,
    description="Suspected fraud rings for investigators: every identity-graph component of three or more customers "
                "with what its members share, their first and last application, blacklist hits and the fraud model's "
                "view of their applications (mean and max probability, applications sent to review or rejected), "
                "ranked by suspicion.",
)
def fraud_rings(context: dg.AssetExecutionContext, lakehouse: LakehouseResource) -> dg.MaterializeResult:
    with lakehouse.connect() as conn:
        conn.execute("""
            create or replace table marts.fraud_rings as
            with scores as (
                select graph.component_id,
                       avg(s.fraud_probability) as mean_fraud_probability,
                       max(s.fraud_probability) as max_fraud_probability,
                       count(*) filter (where s.decision <> 'pass') as applications_flagged
                from marts.fraud_scores s
                join marts.fraud_customer_graph graph using (customer_id)
                group by graph.component_id
            )
            , member_lists as (
                select component_id, list(customer_id order by customer_id) as member_customer_ids
                from marts.fraud_customer_graph where is_ring_candidate_member group by component_id
            )
            select
                candidates.component_id as ring_id,
                member_lists.member_customer_ids,
                candidates.* exclude (component_id),
                scores.mean_fraud_probability,
                scores.max_fraud_probability,
                coalesce(scores.applications_flagged, 0) as applications_flagged,
                case
                    when scores.max_fraud_probability >= 0.5 or coalesce(scores.applications_flagged, 0) >= 3
                        then 'high'
                    when coalesce(scores.applications_flagged, 0) >= 1 then 'medium'
                    else 'low'
                end as suspicion,
                rank() over (order by scores.mean_fraud_probability desc nulls last) as suspicion_rank
            from marts.fraud_ring_candidates candidates
            left join member_lists using (component_id)
            left join scores using (component_id)
            order by suspicion_rank""")
        rows, high = conn.execute(
            "select count(*), count(*) filter (where suspicion = 'high') from marts.fraud_rings").fetchone()
    context.log.info(f"{rows} suspected rings, {high} of high suspicion")
    return dg.MaterializeResult(metadata={"rings": rows, "high_suspicion": high})
