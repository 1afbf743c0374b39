"""Credit scoring: four sub-scorecards and a combined score trained on marts.credit_features, governed in MLflow,
and the champion applied to every application (marts.application_scores) and monitored (marts.model_monitoring).

On a young book (no six-month outcomes yet) the sub-scorecards train nothing: each records why and when it can
(orchestration/defs/credit/readiness.py), and the combined score is skipped."""

from collections.abc import Iterator

import dagster as dg
import mlflow
import mlflow.sklearn
import pandas as pd

from ml.credit import GroupedScorecard
from ml.governance import decide_promotion
from ml.scorecard import Scorecard, build_scorecard
from ml.validation import auc
from orchestration.defs.credit.model import CreditScoreModel
from orchestration.defs.credit.policy import load_policy
from orchestration.defs.credit.readiness import credit_readiness
from orchestration.defs.credit.training import (
    evaluate,
    load_training_data,
    log_training_run,
    model_requirements,
    signature_for,
)
from orchestration.defs.ingestion.assets import WRITER_POOL
from orchestration.defs.quality.readiness import not_trained_yet
from orchestration.governance import CHAMPION, alias_version, metrics_of, record_alias_changes, register_and_gate
from orchestration.resources import LakehouseResource, MlflowResource

MODELER = "team:credit-modeling"
FEATURES = dg.AssetKey(load_policy().training["features_table"].split("."))
# The four variable groups of the domain brief (credit_policy.yml must list the same).
GROUPS = ("bureau", "transaction", "behaviour", "other")
assert tuple(load_policy().training["groups"]) == GROUPS, "credit_policy.yml groups differ from the assets'"


def _variables(model: Scorecard) -> list[dict]:
    table = model.selection_table_
    chosen = table[table["variable"].isin(model.selected_variables_)] if "variable" in table else table
    columns = [c for c in ("variable", "iv", "coefficient", "status", "reason") if c in chosen.columns]
    return chosen[columns].to_dict("records")


def _group_asset(group: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=["credit", f"scorecard_{group}"],
        deps=[FEATURES],
        group_name="credit_models",
        kinds={"scikit-learn", "mlflow"},
        owners=[MODELER],
        pool=WRITER_POOL,
        output_required=False,  # nothing to train on yet: no output, and the combined score is skipped
        description=(
            f"The {group} sub-scorecard: binning, WOE, selection and points over the `{group}_` columns of "
            "marts.credit_features, trained on the earlier application months and validated out of time on the "
            "later ones; one MLflow run (experiment credit_scorecard) with metrics, plots, tables and model card. "
            "Until the book has enough six-month outcomes it trains nothing and says when it can."
        ),
    )
    def _scorecard(
        context: dg.AssetExecutionContext, lakehouse: LakehouseResource, mlflow_tracking: MlflowResource
    ) -> Iterator[dg.Output | dg.AssetObservation]:
        policy = load_policy()
        with lakehouse.connect(read_only=True) as conn:
            readiness = credit_readiness(conn)
            if not readiness.ready:
                yield not_trained_yet(context, readiness, policy.registered_name)
                return
            data = load_training_data(conn, policy)
        columns = data.group_features(group)
        model = build_scorecard(**policy.training["scorecard"]).fit(data.train[columns], data.y_train)
        p_train = model.predict_proba(data.train[columns])[:, 1]
        p_valid = model.predict_proba(data.valid[columns])[:, 1]
        points_train, points_valid = model.score(data.train[columns]), model.score(data.valid[columns])
        metrics = evaluate(data.y_train, p_train, data.y_valid, p_valid, points_train, points_valid)
        mlflow_tracking.experiment(policy.model["experiment"])

        def log_model(signature_frame, example):
            mlflow.sklearn.log_model(
                # skops cannot hold the scorecard's binning objects; the class is importable from `ml`
                sk_model=model, name="model", input_example=example, serialization_format="cloudpickle",
                pip_requirements=model_requirements(),
                signature=signature_for(signature_frame, model.predict_proba(signature_frame)),
            )

        run_id = log_training_run(
            component=group, policy=policy, data=data, columns=columns, metrics=metrics, p_valid=p_valid,
            points_valid=points_valid, log_model=log_model, dagster_run_id=context.run_id,
            tables={"binning_table": model.binning_table_, "scorecard_table": model.scorecard_table_,
                    "selection_table": model.selection_table_},
            variables=_variables(model),
        )
        context.log.info(f"{group}: out-of-time AUC {metrics['valid_auc']:.4f}, KS {metrics['valid_ks']:.4f}")
        yield dg.Output(
            model,
            metadata={
                **{k: dg.MetadataValue.float(round(v, 4)) for k, v in metrics.items()},
                "selected_variables": dg.MetadataValue.json(list(model.selected_variables_)),
                "mlflow_run_id": run_id,
                "train_rows": len(data.train),
                "valid_rows": len(data.valid),
                "lakehouse_snapshot_id": data.snapshot_id,
            },
        )

    return _scorecard


group_scorecards = [_group_asset(g) for g in GROUPS]


@dg.asset(
    key=["credit", "scorecard_combined"],
    ins={g: dg.AssetIn(key=["credit", f"scorecard_{g}"]) for g in GROUPS},
    group_name="credit_models",
    kinds={"scikit-learn", "mlflow"},
    owners=[MODELER],
    pool=WRITER_POOL,
    description=(
        "The combined credit score over the four sub-scores (logistic regression on their log-odds, scaled to points), "
        "validated out of time, registered in MLflow as `credit_scorecard` with alias `challenger`, and promoted to "
        "`champion` only if it beats the champion's out-of-time AUC on the same validation data by the configured "
        "margin with a stable PSI (credit_policy.yml). Every alias change goes to marts.model_alias_history."
    ),
)
def scorecard_combined(
    context: dg.AssetExecutionContext,
    lakehouse: LakehouseResource,
    mlflow_tracking: MlflowResource,
    bureau: Scorecard,
    transaction: Scorecard,
    behaviour: Scorecard,
    other: Scorecard,
) -> dg.Output:
    group_models = {"bureau": bureau, "transaction": transaction, "behaviour": behaviour, "other": other}
    policy = load_policy()
    with lakehouse.connect(read_only=True) as conn:
        data = load_training_data(conn, policy)
    model = GroupedScorecard(grade_bounds=policy.grade_bounds, **{
        k: policy.training["scorecard"][k] for k in ("base_score", "base_odds", "pdo")})
    model.fit_combiner({g: group_models[g] for g in GROUPS}, data.train, data.y_train)
    columns = [c for cols in model.group_columns_.values() for c in cols]
    p_train, p_valid = model.predict_proba(data.train)[:, 1], model.predict_proba(data.valid)[:, 1]
    points_train, points_valid = model.score(data.train), model.score(data.valid)
    metrics = evaluate(data.y_train, p_train, data.y_valid, p_valid, points_train, points_valid)
    for g in GROUPS:
        metrics[f"weight_{g}"] = float(model.group_weights_[g])
        group_p = group_models[g].predict_proba(data.valid[model.group_columns_[g]])[:, 1]
        metrics[f"valid_auc_{g}"] = auc(data.y_valid, group_p)

    client = mlflow_tracking.client()
    name = policy.registered_name
    champion_version = alias_version(client, name, CHAMPION)
    champion_auc = None
    if champion_version is not None:
        try:
            champion = mlflow.pyfunc.load_model(f"models:/{name}@{CHAMPION}")
            champion_auc = auc(data.y_valid, champion.predict(data.valid[data.features])["pd"].to_numpy())
            metrics["champion_valid_auc"] = champion_auc
        except Exception as exc:  # the champion cannot score today's features (e.g. a column was renamed)
            context.log.warning(f"champion v{champion_version} cannot score the validation data: {exc!r}")
    decision = decide_promotion(metrics["valid_auc"], metrics["psi_train_valid"], champion_auc, policy.promotion)

    mlflow_tracking.experiment(policy.model["experiment"])
    wrapped = CreditScoreModel(model, data.reference[columns], n_reasons=policy.model["reason_codes"])
    model_info = {}

    def log_model(signature_frame, example):
        output = wrapped.predict(None, signature_frame)
        model_info["info"] = mlflow.pyfunc.log_model(
            name="model", python_model=wrapped, input_example=example, pip_requirements=model_requirements(),
            signature=signature_for(signature_frame, output),
        )

    run_id = log_training_run(
        component="combined", policy=policy, data=data, columns=columns, metrics=metrics, p_valid=p_valid,
        points_valid=points_valid, log_model=log_model, dagster_run_id=context.run_id,
        tables={"group_weights": pd.DataFrame({"group": list(model.group_weights_),
                                               "weight": list(model.group_weights_.values())})},
        variables=[{"group": g, "weight": round(float(w), 4),
                    "variables": ", ".join(model.scorecards_[g].selected_variables_)}
                   for g, w in model.group_weights_.items()],
        grade_edges=model.grade_score_edges(), grade_labels=[g for g, _ in policy.grade_bounds],
    )
    version, changes = register_and_gate(
        client, model_name=name, model_uri=model_info["info"].model_uri, mlflow_run_id=run_id, decision=decision,
        metrics=metrics_of(metrics), dagster_run_id=context.run_id,
    )
    with lakehouse.connect() as conn:
        record_alias_changes(conn, changes)
    context.log.info(f"{name} v{version}: {'promoted to champion' if decision.promote else 'stays challenger'} - "
                     f"{decision.reason}")
    return dg.Output(
        model,
        metadata={
            **{k: dg.MetadataValue.float(round(v, 4)) for k, v in metrics.items()},
            "registered_version": version,
            "promoted": decision.promote,
            "decision": decision.reason,
            "mlflow_run_id": run_id,
        },
    )
