"""The credit score: one scorecard per variable group (sub-scores) and a combined score over them.

`GroupedScorecard` fits a `Scorecard` on each group's columns, then a logistic regression on the groups' log-odds;
the combined log-odds is scaled to points like any scorecard (base score at base odds, PDO). Grades come from the
combined probability of default; reason codes are the attributes that cost the applicant the most combined points.
Works on any DataFrame: groups are given as column lists, or found by column prefix (``bureau_`` ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from ml.scorecard import Scorecard, build_scorecard

DEFAULT_GROUPS = ("bureau", "transaction", "behaviour", "other")
# Upper PD bound of each grade, best first; the last grade takes the rest.
DEFAULT_GRADE_BOUNDS: tuple[tuple[str, float], ...] = (("A", 0.02), ("B", 0.04), ("C", 0.07), ("D", 0.12), ("E", 1.0))


def columns_by_prefix(columns: Sequence[str], groups: Sequence[str] = DEFAULT_GROUPS) -> dict[str, list[str]]:
    """Group columns by their ``<group>_`` prefix (the credit feature mart's convention)."""
    return {g: [c for c in columns if c.startswith(f"{g}_")] for g in groups}


class GroupedScorecard(ClassifierMixin, BaseEstimator):
    """Sub-scorecards per variable group and a combined score.

    Parameters
    ----------
    groups : mapping group -> columns, or None to group by column prefix (``DEFAULT_GROUPS``).
    scorecard : an unfitted ``Scorecard`` used as the template for every group (cloned), or None for the default.
    base_score, base_odds, pdo : points scaling of the combined score (higher = lower risk).
    grade_bounds : ((grade, upper PD bound), ...) best grade first.
    """

    def __init__(
        self,
        *,
        groups: Mapping[str, Sequence[str]] | None = None,
        scorecard: Scorecard | None = None,
        base_score: float = 600.0,
        base_odds: float = 50.0,
        pdo: float = 20.0,
        grade_bounds: Sequence[tuple[str, float]] = DEFAULT_GRADE_BOUNDS,
    ) -> None:
        self.groups = groups
        self.scorecard = scorecard
        self.base_score = base_score
        self.base_odds = base_odds
        self.pdo = pdo
        self.grade_bounds = grade_bounds

    def fit(self, X: pd.DataFrame, y: Any) -> GroupedScorecard:
        X = pd.DataFrame(X)
        y = np.asarray(y).astype(int)
        groups = dict(self.groups) if self.groups is not None else columns_by_prefix(list(X.columns))
        groups = {g: list(cols) for g, cols in groups.items() if cols}
        if not groups:
            raise ValueError("no variable group has any column")
        template = self.scorecard if self.scorecard is not None else build_scorecard()
        fitted = {g: clone(template).fit(X[cols], y) for g, cols in groups.items()}
        return self.fit_combiner(fitted, X, y)

    def fit_combiner(self, scorecards: Mapping[str, Scorecard], X: pd.DataFrame, y: Any) -> GroupedScorecard:
        """Combine group scorecards fitted elsewhere (one per group, each on its own columns): fit only the
        combined score's regression on their log-odds."""
        X = pd.DataFrame(X)
        y = np.asarray(y).astype(int)
        self.scorecards_ = dict(scorecards)
        self.group_columns_ = {g: list(m.feature_names_in_) for g, m in self.scorecards_.items()}
        groups = self.group_columns_
        logits = self._group_logits(X)
        self.combiner_ = LogisticRegression(C=1e6, max_iter=1000).fit(logits, y)
        self.group_weights_ = dict(zip(groups, self.combiner_.coef_[0], strict=True))
        self.classes_ = np.array([0, 1])
        self.factor_ = self.pdo / np.log(2)
        self.offset_ = self.base_score - self.factor_ * np.log(self.base_odds)
        return self

    # ------------------------------------------------------------------ scoring

    def _group_logits(self, X: pd.DataFrame) -> pd.DataFrame:
        out = {}
        for g, model in self.scorecards_.items():
            p = np.clip(model.predict_proba(X[self.group_columns_[g]])[:, 1], 1e-9, 1 - 1e-9)
            out[g] = np.log(p / (1 - p))
        return pd.DataFrame(out, index=X.index)

    def sub_scores(self, X: pd.DataFrame) -> pd.DataFrame:
        """Each group's scorecard points, columns ``<group>_score``."""
        check_is_fitted(self, "scorecards_")
        X = pd.DataFrame(X)
        return pd.DataFrame(
            {f"{g}_score": m.score(X[self.group_columns_[g]]) for g, m in self.scorecards_.items()}, index=X.index
        )

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "combiner_")
        p_bad = self.combiner_.predict_proba(self._group_logits(pd.DataFrame(X)))[:, 1]
        return np.column_stack([1 - p_bad, p_bad])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)

    def score(self, X: pd.DataFrame, y: Any = None, sample_weight: Any = None) -> Any:
        """Combined points per row (higher = lower risk); with ``y`` scikit-learn's accuracy (ClassifierMixin)."""
        if y is not None:
            return super().score(X, y, sample_weight=sample_weight)
        p = np.clip(self.predict_proba(X)[:, 1], 1e-9, 1 - 1e-9)
        return self.offset_ + self.factor_ * np.log((1 - p) / p)

    def grade(self, pd_bad: np.ndarray) -> np.ndarray:
        """Grade of each probability of default (``grade_bounds``)."""
        labels = [g for g, _ in self.grade_bounds]
        bounds = np.array([b for _, b in self.grade_bounds][:-1])
        return np.array(labels, dtype=object)[np.searchsorted(bounds, np.asarray(pd_bad), side="right")]

    def grade_score_edges(self) -> np.ndarray:
        """The grade boundaries as ascending combined-score cut points (for ``ml.validation.calibration_by_grade``)."""
        bounds = np.array([b for _, b in self.grade_bounds][:-1], dtype=float)
        return np.sort(self.offset_ + self.factor_ * np.log((1 - bounds) / bounds))

    def reason_codes(self, X: pd.DataFrame, n: int = 3) -> pd.DataFrame:
        """Top ``n`` adverse attributes across all groups, ranked by the combined points they cost: each group's
        points below the variable's best attainable points, times the group's weight in the combined score."""
        check_is_fitted(self, "scorecards_")
        X = pd.DataFrame(X)
        names, bins, gaps = [], [], []
        for g, model in self.scorecards_.items():
            k = len(model.selected_variables_)
            if k == 0:
                continue
            codes = model.reason_codes(X[self.group_columns_[g]], n=k)
            weight = max(self.group_weights_[g], 0.0)
            for i in range(1, k + 1):
                names.append(codes[f"reason_{i}"].to_numpy(dtype=object))
                bins.append(codes[f"reason_{i}_bin"].to_numpy(dtype=object))
                gaps.append(np.nan_to_num(codes[f"reason_{i}_points_below_max"].to_numpy(dtype=float)) * weight)
        out: dict[str, Any] = {}
        if not gaps:
            return pd.DataFrame({f"reason_{i}": [None] * len(X) for i in range(1, n + 1)}, index=X.index)
        gap, name, label = np.column_stack(gaps), np.column_stack(names), np.column_stack(bins)
        order = np.argsort(-gap, axis=1, kind="stable")[:, :n]
        rows = np.arange(len(X))[:, None]
        for k in range(min(n, gap.shape[1])):
            top = gap[rows[:, 0], order[:, k]]
            adverse = top > 1e-9
            out[f"reason_{k + 1}"] = np.where(adverse, name[rows[:, 0], order[:, k]], None)
            out[f"reason_{k + 1}_bin"] = np.where(adverse, label[rows[:, 0], order[:, k]], None)
            out[f"reason_{k + 1}_points"] = np.where(adverse, top, np.nan)
        return pd.DataFrame(out, index=X.index)

    def score_frame(self, X: pd.DataFrame, n_reasons: int = 3) -> pd.DataFrame:
        """Everything an application gets: sub-scores, combined score, PD, grade and reason codes."""
        X = pd.DataFrame(X)
        p = self.predict_proba(X)[:, 1]
        frame = self.sub_scores(X)
        frame["combined_score"] = self.score(X)
        frame["pd"] = p
        frame["grade"] = self.grade(p)
        return pd.concat([frame, self.reason_codes(X, n=n_reasons)], axis=1)


def build_credit_model(scorecard_params: Mapping[str, Any] | None = None, **params: Any) -> GroupedScorecard:
    """The house factory: an unfitted GroupedScorecard whose groups use ``build_scorecard(**scorecard_params)``."""
    return GroupedScorecard(scorecard=build_scorecard(**(scorecard_params or {})), **params)
