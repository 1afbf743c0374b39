"""Fraud detection building blocks for any DataFrame: a rules layer whose thresholds are data, a gradient-boosting
model, the combined pass / review / reject decision, and evaluation at a review capacity."""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OrdinalEncoder

ACTIONS = ("pass", "review", "reject")  # in rising severity
_OPERATORS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le, "==": operator.eq,
              "!=": operator.ne}


@dataclass(frozen=True)
class Rule:
    """`column op threshold` fires `action` with `reason`, e.g. Rule("blacklist_id", "blacklist_internal_id_hits",
    ">=", 1, "reject", "ID number on the internal blacklist")."""

    name: str
    column: str
    op: str
    threshold: Any
    action: str
    reason: str
    when: Mapping[str, Any] | None = None  # optional condition {column, op, threshold} the rule applies under

    def __post_init__(self) -> None:
        if self.op not in _OPERATORS or (self.when and self.when.get("op") not in _OPERATORS):
            raise ValueError(f"rule {self.name}: unknown operator")
        if self.action not in ACTIONS[1:]:
            raise ValueError(f"rule {self.name}: action must be review or reject, not {self.action!r}")

    @classmethod
    def from_dict(cls, config: Mapping[str, Any]) -> Rule:
        return cls(**config)

    def fires(self, frame: pd.DataFrame) -> np.ndarray:
        hit = _compare(self.name, frame, self.column, self.op, self.threshold)
        if self.when:
            hit = hit & _compare(self.name, frame, self.when["column"], self.when["op"], self.when["threshold"])
        return hit


def _compare(rule: str, frame: pd.DataFrame, column: str, op: str, threshold: Any) -> np.ndarray:
    if column not in frame.columns:
        raise KeyError(f"rule {rule}: column {column!r} is not in the data")
    hit = _OPERATORS[op](frame[column], threshold)
    return np.asarray(hit.fillna(False) if hasattr(hit, "fillna") else hit, dtype=bool)


def evaluate_rules(frame: pd.DataFrame, rules: Sequence[Rule]) -> pd.DataFrame:
    """Per row: the names of the rules that fired (`rule_hits`, '; '-joined, None when none), their reasons and the
    most severe action among them (`rule_action`: pass when none fired)."""
    severity = np.zeros(len(frame), dtype=int)
    names: list[list[str]] = [[] for _ in range(len(frame))]
    reasons: list[list[str]] = [[] for _ in range(len(frame))]
    for rule in rules:
        fired = rule.fires(frame)
        for i in np.flatnonzero(fired):
            names[i].append(rule.name)
            reasons[i].append(rule.reason)
        severity = np.where(fired, np.maximum(severity, ACTIONS.index(rule.action)), severity)
    return pd.DataFrame(
        {
            "rule_hits": pd.Series(["; ".join(n) or None for n in names], dtype=object, index=frame.index),
            "rule_reasons": pd.Series(["; ".join(r) or None for r in reasons], dtype=object, index=frame.index),
            "rule_action": np.array(ACTIONS, dtype=object)[severity],
        },
        index=frame.index,
    )


# The model name and version marts.fraud_scores records for an application decided by the rules alone (no champion
# yet: a young book).
RULES_ONLY = ("rules_only", 0)


def rules_only_decisions(model_input: pd.DataFrame, rules: Sequence[Rule]) -> pd.DataFrame:
    """The columns `FraudDetectorModel.predict` returns, from the rules alone: no probability, no model action, the
    decision is the strictest rule that fired (pass if none)."""
    fired = evaluate_rules(model_input, rules)
    return pd.DataFrame(
        {
            "fraud_probability": np.full(len(fired), np.nan),
            "rule_hits": fired["rule_hits"],
            "rule_action": fired["rule_action"],
            "model_action": pd.Series([None] * len(fired), dtype=object, index=fired.index),
            "decision": fired["rule_action"],
            "reasons": fired["rule_reasons"],  # None when no rule fired (an object column keeps None)
        },
        index=model_input.index,
    )

def build_fraud_model(
    categorical: Sequence[str] = (), numeric: Sequence[str] = (), **params: Any
) -> Pipeline:
    """Unfitted pipeline: categorical columns ordinal-encoded (unknown and missing -> their own code), numeric ones
    passed through (NaN allowed), then a HistGradientBoostingClassifier (`params` go to it)."""
    categorical, numeric = list(categorical), list(numeric)
    prepare = ColumnTransformer(
        [
            ("categorical", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1,
                                           encoded_missing_value=-2), categorical),
            ("numeric", "passthrough", numeric),
        ],
        verbose_feature_names_out=False,
    )
    defaults = {"max_iter": 300, "learning_rate": 0.05, "max_leaf_nodes": 31, "l2_regularization": 1.0,
                "early_stopping": True, "validation_fraction": 0.15, "random_state": 0,
                "categorical_features": list(range(len(categorical))) or None}
    model = HistGradientBoostingClassifier(**{**defaults, **params})
    return Pipeline([("prepare", prepare), ("model", model)])


def decide(fraud_probability: np.ndarray, rule_action: Sequence[str], review_above: float,
           reject_above: float) -> np.ndarray:
    """The combined decision: the more severe of the rules' action and the model's (review / reject above the
    probability thresholds)."""
    p = np.asarray(fraud_probability, dtype=float)
    model_action = np.where(p >= reject_above, 2, np.where(p >= review_above, 1, 0))
    rules = np.array([ACTIONS.index(a) for a in rule_action])
    return np.array(ACTIONS, dtype=object)[np.maximum(model_action, rules)]


def capacity_threshold(scores: np.ndarray, capacity: float) -> float:
    """The score above which the top `capacity` share of rows falls (the review queue's cut-off)."""
    return float(np.quantile(np.asarray(scores, dtype=float), 1 - capacity))


def precision_recall_at_capacity(y_true: Any, scores: Any, capacity: float) -> dict[str, float]:
    """Precision and recall when investigators review the top `capacity` share by score, and the PR-AUC."""
    y = np.asarray(y_true).astype(int)
    s = np.asarray(scores, dtype=float)
    k = max(1, int(round(len(s) * capacity)))
    top = np.argsort(-s, kind="stable")[:k]
    caught = int(y[top].sum())
    return {
        f"precision_at_{capacity:.0%}": caught / k,
        f"recall_at_{capacity:.0%}": caught / max(int(y.sum()), 1),
        "pr_auc": float(average_precision_score(y, s)) if y.any() else float("nan"),
        "base_rate": float(y.mean()),
    }


def band_shift(expected: Any, actual: Any, thresholds: Sequence[float]) -> float:
    """Population stability over decision bands (e.g. pass / review / reject cut at `thresholds`): the PSI formula on
    the share of each sample in each band. For a rare-event score this is the stability that matters - of the review
    queue - where deciles of near-zero probabilities would flag harmless shifts."""
    edges = np.sort(np.asarray(thresholds, dtype=float))
    k = len(edges) + 1
    e = np.bincount(np.searchsorted(edges, np.asarray(expected, dtype=float), side="right"), minlength=k)
    a = np.bincount(np.searchsorted(edges, np.asarray(actual, dtype=float), side="right"), minlength=k)
    e_share = np.maximum(e / max(e.sum(), 1), 1e-4)
    a_share = np.maximum(a / max(a.sum(), 1), 1e-4)
    return float(np.sum((a_share - e_share) * np.log(a_share / e_share)))
