"""The scorekeeper: measures what the platform published against the simulator's hidden truth in `truth/`.

Only this module (and tests) read the truth; the pipeline never does. `python -m evaluation.models credit` scores the
champion credit model's application scores against the customers' latent risk and the realised defaults;
`... fraud` the fraud scores and rings against the planted fraud. Each prints the figures and records them on the
champion's MLflow training run (metrics `truth_*`).
"""

from __future__ import annotations

import argparse
import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from simulator.metrics import auc


def credit_figures(scores: pd.DataFrame, truth_customers: pd.DataFrame, validation_from: str | None = None
                   ) -> dict[str, float]:
    """`scores`: application_scores joined to the feature mart's target (pd, is_target_observable,
    is_bad_30dpd_6mob, customer_id). Figures:
    - truth_auc_realised_default: AUC of the PD against realised 30+ DPD in 6 months (observable loans; `_out_of_time`:
      only applications from `validation_from` (YYYY-MM) on, which the model never trained on);
    - truth_auc_latent_risk_top_quintile: AUC of the PD against 'latent risk in the riskiest fifth' (all applications);
    - truth_spearman_latent_risk: rank correlation of the PD with the latent risk (all applications);
    - truth_auc_oracle_realised_default: AUC of the latent risk itself against the realised defaults - the ceiling
      any model on observable data can approach."""
    frame = scores.merge(truth_customers[["customer_id", "latent_risk"]], on="customer_id", how="inner")
    observable = frame[frame["is_target_observable"].astype(bool)]
    bad = observable["is_bad_30dpd_6mob"].astype(bool).to_numpy()
    risky = frame["latent_risk"].to_numpy() >= np.quantile(frame["latent_risk"], 0.8)
    figures = {}
    if validation_from:
        later = observable[pd.to_datetime(observable["application_month"]).dt.strftime("%Y-%m") >= validation_from]
        figures["truth_auc_realised_default_out_of_time"] = auc(
            later["pd"].to_numpy(), later["is_bad_30dpd_6mob"].astype(bool).to_numpy())
    return {
        **figures,
        "truth_auc_realised_default": auc(observable["pd"].to_numpy(), bad),
        "truth_auc_latent_risk_top_quintile": auc(frame["pd"].to_numpy(), risky),
        "truth_spearman_latent_risk": float(frame["pd"].rank().corr(frame["latent_risk"].rank())),
        "truth_auc_oracle_realised_default": auc(observable["latent_risk"].to_numpy(), bad),
        "truth_applications": float(len(frame)),
        "truth_observable_loans": float(len(observable)),
    }


def evaluate_credit() -> dict[str, float]:
    import mlflow

    from orchestration.config import load_settings
    from orchestration.lakehouse import connect_lake

    settings = load_settings()
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        scores = conn.execute(
            """select s.application_id, s.customer_id, s.pd, s.model_name, s.model_version,
                      f.is_target_observable, f.is_bad_30dpd_6mob, f.application_month
               from marts.application_scores s join marts.credit_features f using (application_id)"""
        ).df()
    if scores.empty:  # a young book: no champion yet (the run's summary says when one can be trained)
        return {"model": None, "evaluated": "nothing: marts.application_scores is empty (no champion yet)"}
    truth = pq.read_table(settings.truth_dir / "customers.parquet").to_pandas()
    name, version = scores["model_name"].iloc[0], int(scores["model_version"].iloc[0])
    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    client = mlflow.MlflowClient()
    run_id = client.get_model_version(name, str(version)).run_id
    figures = credit_figures(scores, truth, client.get_run(run_id).data.params.get("validation_from_month"))
    with mlflow.start_run(run_id=run_id):
        mlflow.log_metrics(figures)
    return {"model": f"{name} v{version}", "mlflow_run_id": run_id, **figures}


def fraud_figures(scores: pd.DataFrame, truth_applications: pd.DataFrame, truth_customers: pd.DataFrame,
                  rings: pd.DataFrame, capacity: float, validation_from: str | None = None) -> dict[str, float]:
    """`scores`: fraud_scores with application_month; `rings`: one row per (ring_id, customer_id) listed in
    marts.fraud_rings. Figures: precision and recall of the top `capacity` share by fraud probability and the PR-AUC
    against the truth's is_fraud (out of time: applications from `validation_from` on), precision and recall of
    the decision (review or reject), and the share of simulated rings recovered - rings of three or more members
    at least half of whom sit in one listed ring."""
    from sklearn.metrics import average_precision_score

    frame = scores.merge(truth_applications[["application_id", "is_fraud"]], on="application_id")
    if validation_from:
        frame = frame[pd.to_datetime(frame["application_month"]).dt.strftime("%Y-%m") >= validation_from]
    y = frame["is_fraud"].astype(bool).to_numpy()
    p = frame["fraud_probability"].to_numpy()
    k = max(1, int(round(len(frame) * capacity)))
    top = np.argsort(-p, kind="stable")[:k]
    flagged = frame["decision"].to_numpy() != "pass"
    members = truth_customers[truth_customers["fraud_ring_id"].notna()]
    sizes = members.groupby("fraud_ring_id")["customer_id"].transform("size")
    members = members[sizes >= 3]
    listed = members.merge(rings[["ring_id", "customer_id"]], on="customer_id", how="left")
    best = listed.groupby(["fraud_ring_id", "ring_id"]).size().groupby("fraud_ring_id").max()
    size = members.groupby("fraud_ring_id").size()
    recovered = (best.reindex(size.index).fillna(0) >= size / 2).mean() if len(size) else float("nan")
    return {
        "truth_fraud_rate": float(y.mean()),
        f"truth_precision_at_{capacity:.0%}".replace("%", "pct"): float(y[top].mean()),
        f"truth_recall_at_{capacity:.0%}".replace("%", "pct"): float(y[top].sum() / max(y.sum(), 1)),
        "truth_pr_auc": float(average_precision_score(y, p)) if y.any() else float("nan"),
        "truth_decision_precision": float(y[flagged].mean()) if flagged.any() else float("nan"),
        "truth_decision_recall": float((y & flagged).sum() / max(y.sum(), 1)),
        "truth_rings": float(len(size)),
        "truth_rings_recovered_share": float(recovered),
        "truth_applications_evaluated": float(len(frame)),
    }


def evaluate_fraud() -> dict[str, float]:
    import mlflow

    from orchestration.config import load_settings
    from orchestration.lakehouse import connect_lake

    settings = load_settings()
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        scores = conn.execute(
            """select s.application_id, s.fraud_probability, s.decision, s.model_name, s.model_version,
                      f.application_month
               from marts.fraud_scores s join marts.fraud_features f using (application_id)""").df()
        rings = conn.execute(
            "select r.ring_id, unnest(r.member_customer_ids) as customer_id from marts.fraud_rings r").df()
    if scores.empty or scores["fraud_probability"].isna().all():  # no champion yet: the rules decided alone
        return {"model": None, "evaluated": "nothing: no fraud model has scored yet (rules only)"}
    applications = pq.read_table(settings.truth_dir / "applications.parquet").to_pandas()
    customers = pq.read_table(settings.truth_dir / "customers.parquet").to_pandas()
    name, version = scores["model_name"].iloc[0], int(scores["model_version"].iloc[0])
    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    client = mlflow.MlflowClient()
    run = client.get_run(client.get_model_version(name, str(version)).run_id)
    capacity = float(run.data.params.get("review_share", 0.02))
    figures = fraud_figures(scores, applications, customers, rings, capacity,
                            run.data.params.get("data.validation_from_month"))
    with mlflow.start_run(run_id=run.info.run_id):
        mlflow.log_metrics(figures)
    return {"model": f"{name} v{version}", "mlflow_run_id": run.info.run_id, **figures}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m evaluation.models")
    parser.add_argument("what", choices=["credit", "fraud"])
    args = parser.parse_args(argv)
    evaluate = {"credit": evaluate_credit, "fraud": evaluate_fraud}[args.what]
    print(json.dumps(evaluate(), indent=2, default=str))


if __name__ == "__main__":
    main()
