"""The simulator's scorekeeper: measures what the platform published against the hidden truth in `truth/`.

Only this module (and tests) read the truth; the pipeline never does. `python -m simulator.evaluate credit` scores the
champion credit model's application scores against the customers' latent risk and the realised defaults, prints the
figures and records them on the champion's MLflow training run (metrics `truth_*`).
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
    truth = pq.read_table(settings.truth_dir / "customers.parquet").to_pandas()
    name, version = scores["model_name"].iloc[0], int(scores["model_version"].iloc[0])
    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    client = mlflow.MlflowClient()
    run_id = client.get_model_version(name, str(version)).run_id
    figures = credit_figures(scores, truth, client.get_run(run_id).data.params.get("validation_from_month"))
    with mlflow.start_run(run_id=run_id):
        mlflow.log_metrics(figures)
    return {"model": f"{name} v{version}", "mlflow_run_id": run_id, **figures}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m simulator.evaluate")
    parser.add_argument("what", choices=["credit"])
    args = parser.parse_args(argv)
    if args.what == "credit":
        print(json.dumps(evaluate_credit(), indent=2, default=str))


if __name__ == "__main__":
    main()
