"""Training data and MLflow run logging for the credit scorecards (used by the credit assets)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import mlflow
import numpy as np
import pandas as pd
from mlflow.models import infer_signature

from ml import plots
from ml.model_card import render_model_card
from ml.validation import calibration_by_grade, discrimination_metrics, lift_table, psi
from orchestration.defs.credit.policy import CreditPolicy
from orchestration.lakehouse import current_snapshot_id

ID_COLUMNS = ("application_id", "customer_id", "scenario", "application_month")
TARGET_TEXT = (
    "30+ days past due within the first six months on book: some instalment due in that window was still not paid "
    "in full 30 days after its due date (marts.credit_features.is_bad_30dpd_6mob). Loans with fewer than six months "
    "on book, and returned loans, are excluded."
)


@dataclass(frozen=True)
class TrainingData:
    train: pd.DataFrame
    valid: pd.DataFrame
    features: list[str]
    cutoff_month: str
    snapshot_id: int
    reference: pd.DataFrame  # every application of the training months (through the door: declined ones too)

    @property
    def y_train(self) -> np.ndarray:
        return self.train["target"].to_numpy(dtype=int)

    @property
    def y_valid(self) -> np.ndarray:
        return self.valid["target"].to_numpy(dtype=int)

    def group_features(self, group: str) -> list[str]:
        return [c for c in self.features if c.startswith(f"{group}_")]

    @property
    def lineage(self) -> dict[str, Any]:
        return {
            "lakehouse_snapshot_id": self.snapshot_id,
            "train_rows": len(self.train),
            "valid_rows": len(self.valid),
            "train_bad_rate": round(float(self.y_train.mean()), 6),
            "valid_bad_rate": round(float(self.y_valid.mean()), 6),
            "train_months": f"{self.train['application_month'].min()} .. {self.train['application_month'].max()}",
            "valid_months": f"{self.valid['application_month'].min()} .. {self.valid['application_month'].max()}",
            "training_frame_sha256": frame_hash(self.train[[*self.features, "target"]]),
        }


def feature_columns(frame: pd.DataFrame, groups: list[str]) -> list[str]:
    return [c for c in frame.columns if any(c.startswith(f"{g}_") for g in groups)]


def as_model_frame(frame: pd.DataFrame, features: list[str]) -> pd.DataFrame:
    """Numeric features as float64 (nulls as NaN), categorical ones as object with None: one stable schema."""
    out = frame.copy()
    for column in features:
        if pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
            out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
        else:
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def load_training_data(conn, policy: CreditPolicy) -> TrainingData:
    """Observable applications of the feature mart, split out of time by application month."""
    target = policy.training["target"]
    everything = conn.execute(f"select * from {policy.training['features_table']} order by application_id").df()
    frame = everything[everything["is_target_observable"].astype(bool)].copy()
    if frame.empty:
        raise ValueError(f"{policy.training['features_table']} has no observable application to train on")
    features = feature_columns(frame, policy.training["groups"])
    frame = as_model_frame(frame, features)
    frame["target"] = frame[target].astype(bool).astype(int)
    frame["application_month"] = pd.to_datetime(frame["application_month"]).dt.strftime("%Y-%m")
    months = sorted(frame["application_month"].unique())
    if len(months) < 2:
        raise ValueError("an out-of-time split needs at least two observable application months")
    n_valid = max(1, round(len(months) * policy.training["validation_share_of_months"]))
    cutoff = months[-n_valid]
    train, valid = frame[frame["application_month"] < cutoff], frame[frame["application_month"] >= cutoff]
    months = pd.to_datetime(everything["application_month"]).dt.strftime("%Y-%m")
    reference = as_model_frame(everything[months < cutoff], features)[features].reset_index(drop=True)
    return TrainingData(train.reset_index(drop=True), valid.reset_index(drop=True), features, cutoff,
                        current_snapshot_id(conn), reference)


def frame_hash(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's content (row order and values), the fingerprint of what a model was trained on."""
    hashed = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()


def evaluate(y_train, p_train, y_valid, p_valid, points_train, points_valid) -> dict[str, float]:
    valid = discrimination_metrics(y_valid, p_valid)
    train = discrimination_metrics(y_train, p_train)
    return {
        "valid_auc": valid["auc"], "valid_ks": valid["ks"], "valid_gini": valid["gini"],
        "train_auc": train["auc"], "train_ks": train["ks"], "train_gini": train["gini"],
        "psi_train_valid": psi(points_train, points_valid),
    }


def log_training_run(
    *,
    component: str,
    policy: CreditPolicy,
    data: TrainingData,
    columns: list[str],
    metrics: dict[str, float],
    p_valid: np.ndarray,
    points_valid: np.ndarray,
    tables: dict[str, pd.DataFrame],
    variables: list[dict[str, Any]],
    log_model,
    dagster_run_id: str,
    grade_edges: np.ndarray | None = None,
    grade_labels: list[str] | None = None,
) -> str:
    """One MLflow run: parameters, lineage, metrics, figures, tables, model card and the model (via `log_model`,
    called inside the run with a signature and input example). Returns the run id."""
    X_example = data.valid[columns].head(5)
    with mlflow.start_run(
        run_name=f"{component} {data.cutoff_month}",
        tags={"model_family": policy.model["experiment"], "component": component, "dagster_run_id": dagster_run_id},
    ) as run:
        mlflow.log_params({"component": component, "features_offered": len(columns),
                           "validation_from_month": data.cutoff_month,
                           **{f"scorecard.{k}": v for k, v in policy.training["scorecard"].items()}})
        mlflow.log_params({f"data.{k}": v for k, v in data.lineage.items()})
        for context, frame in (("training", data.train), ("validation", data.valid)):
            logged = frame[columns].assign(target=frame["target"].astype("float64"))
            dataset = mlflow.data.from_pandas(logged, targets="target",
                                              name=f"credit_features_{context}_{data.cutoff_month}")
            mlflow.log_input(dataset, context=context)
        mlflow.log_metrics(metrics)
        mlflow.log_figure(plots.roc_figure(data.y_valid, p_valid, title=f"ROC, out of time - {component}"),
                          "plots/roc_out_of_time.png")
        mlflow.log_figure(plots.ks_figure(data.y_valid, p_valid, title=f"KS, out of time - {component}"),
                          "plots/ks_out_of_time.png")
        mlflow.log_figure(plots.score_distribution_figure(points_valid, data.y_valid,
                                                          title=f"Score distribution, out of time - {component}"),
                          "plots/score_distribution_out_of_time.png")
        tables = {**tables, "lift_table_out_of_time": lift_table(data.y_valid, p_valid)}
        if grade_edges is not None:
            tables["calibration_by_grade_out_of_time"] = calibration_by_grade(
                data.y_valid, p_valid, points_valid, edges=grade_edges, labels=grade_labels)
        for name, table in tables.items():
            mlflow.log_text(table.to_csv(index=False), f"tables/{name}.csv")
        card = render_model_card(
            name=f"{policy.registered_name} - {component}",
            purpose=(f"Rank applicants by the risk of not repaying ({component}). Sub-scores explain which variable "
                     "group drives the risk; the combined score sets grade and credit limit."),
            target=TARGET_TEXT,
            data_window=data.lineage,
            metrics=metrics,
            variables=variables,
            limits=[
                "Trained on approved applications only (no reject inference): ranks applicants like those approved.",
                "Out-of-time validation covers the latest application months, whose six months on book just ended.",
                "Features are point in time as of the decision; sources that arrive late are missing at scoring.",
            ],
        )
        mlflow.log_text(card, "model_card.md")
        signature_frame = data.valid[columns].head(200)
        log_model(signature_frame, X_example)
        return run.info.run_id


def signature_for(X: pd.DataFrame, output: Any):
    return infer_signature(X, output)


def model_requirements() -> list[str]:
    """Pinned requirements recorded with a logged model (what this environment runs; nothing is inferred)."""
    from importlib.metadata import version

    return [f"{p}=={version(p)}" for p in ("mlflow", "scikit-learn", "pandas", "numpy", "scipy", "cloudpickle")]
