"""The scorecard estimator: supervised binning -> WOE -> selection -> logistic regression -> points.

Conventions (the same everywhere in this package):

- The *bad* class (the event: default, charge-off, ...) is ``pos_label``; by default ``classes_[1]``, i.e. ``1`` for a
  0/1 target. Pass ``pos_label="bad"`` for a target of strings like ``"good"``/``"bad"``.
- ``WOE = ln(%goods / %bads)`` per bin: positive is safer than average. The logistic regression models the log-odds
  of *bad* on the WOE columns, so its coefficients are negative when the WOE behaves (``drop_wrong_sign``).
- Points: **a higher score means a lower risk.** ``score = offset + factor * ln(odds)`` with ``odds = P(good) /
  P(bad)``, ``factor = pdo / ln 2`` and ``offset = base_score - factor * ln(base_odds)``: an applicant at
  ``base_score`` has good:bad odds of ``base_odds``:1, and every ``pdo`` points double the odds. The intercept is
  spread evenly over the variables, so the score is exactly the sum of the attribute points in ``scorecard_table_``.
- An unseen category at predict time gets WOE 0 (neutral points) by default, or the missing bin's WOE with
  ``unseen_category="missing"``. A value that is not a number in a numeric column is treated as missing. A declared
  special value that never occurred in a column in training has no bin there and gets WOE 0 too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d

from ml.scorecard.binning import UNSEEN, BinningParams, Kind, VariableBinning, fit_binning
from ml.scorecard.merging import TRENDS
from ml.scorecard.selection import select_by_iv_and_correlation

UNSEEN_LABEL = "Unseen (neutral)"


class Scorecard(ClassifierMixin, BaseEstimator):
    """A points scorecard for any DataFrame of numeric and categorical columns and a binary target.

    Parameters
    ----------
    max_bins : int or None
        Most regular bins per variable (missing and special bins come on top).
    max_prebins : int
        Most leaves of the decision tree that proposes the numeric cut points before merging.
    min_bin_share : float
        Smallest share of the training rows in a regular bin (also the tree's minimum leaf size).
    min_bin_goods, min_bin_bads : int
        Fewest goods and bads in a regular bin; smaller bins merge into the neighbour with the closer bad rate.
    rare_category_share : float
        Categories rarer than this share are pooled into one level before binning.
    monotonic_trend : {"auto", "auto_u", "ascending", "descending", "valley", "peak", None}
        Shape of the bad rate over a numeric variable's bins. "auto" picks the monotonic direction that keeps more IV;
        "auto_u" also allows a valley or a peak, but only where it keeps at least 10% more IV than monotonic; None
        keeps the tree's bins as they are (after the size merges). Categorical bins are ordered by bad rate.
    special_values : sequence, mapping of column -> sequence, or None
        Values (e.g. ``-1``, ``-999``) that each get their own bin in a column where they occur in training: for
        every column, or per column. A declared value absent from training gets neutral WOE 0 at predict time.
    categorical_features : sequence of str or None
        Columns to bin as categories even though their dtype is numeric (codes, ids of regions, ...).
    woe_smoothing : float
        Added to both counts of a bin with no goods or no bads, so its WOE stays finite.
    min_iv : float
        Variables with a lower information value are dropped.
    max_corr : float
        Of two variables whose WOE correlate above this (absolute Pearson r), the lower-IV one is dropped.
    drop_wrong_sign : bool
        Drop, one at a time, variables whose regression coefficient comes out with the counter-intuitive sign
        (riskier bins scoring more points), then refit.
    C : float
        Inverse L2 regularization strength of the logistic regression.
    base_score, base_odds, pdo : float
        Points scaling: ``base_score`` points at good:bad odds ``base_odds``:1; ``pdo`` points double the odds.
    pos_label : label or None
        The bad class; ``None`` means ``classes_[1]``.
    unseen_category : {"neutral", "missing"}
        Where a category never seen in training goes: WOE 0, or the variable's missing bin.
    """

    def __init__(
        self,
        *,
        max_bins: int | None = 8,
        max_prebins: int = 20,
        min_bin_share: float = 0.05,
        min_bin_goods: int = 5,
        min_bin_bads: int = 5,
        rare_category_share: float = 0.01,
        monotonic_trend: str | None = "auto",
        special_values: Sequence[Any] | Mapping[str, Sequence[Any]] | None = None,
        categorical_features: Sequence[str] | None = None,
        woe_smoothing: float = 0.5,
        min_iv: float = 0.02,
        max_corr: float = 0.7,
        drop_wrong_sign: bool = True,
        C: float = 1.0,
        base_score: float = 600.0,
        base_odds: float = 50.0,
        pdo: float = 20.0,
        pos_label: Any = None,
        unseen_category: str = "neutral",
    ) -> None:
        self.max_bins = max_bins
        self.max_prebins = max_prebins
        self.min_bin_share = min_bin_share
        self.min_bin_goods = min_bin_goods
        self.min_bin_bads = min_bin_bads
        self.rare_category_share = rare_category_share
        self.monotonic_trend = monotonic_trend
        self.special_values = special_values
        self.categorical_features = categorical_features
        self.woe_smoothing = woe_smoothing
        self.min_iv = min_iv
        self.max_corr = max_corr
        self.drop_wrong_sign = drop_wrong_sign
        self.C = C
        self.base_score = base_score
        self.base_odds = base_odds
        self.pdo = pdo
        self.pos_label = pos_label
        self.unseen_category = unseen_category

    # ------------------------------------------------------------------ fit

    def fit(self, X: Any, y: Any) -> Scorecard:
        """Bin every usable column, select variables, fit the logistic regression and scale it to points."""
        self._check_params()
        frame = _as_frame(X)
        if frame.shape[0] == 0 or frame.shape[1] == 0:
            raise ValueError(
                f"X has {frame.shape[0]} sample(s) and {frame.shape[1]} feature(s) (shape={frame.shape}) "
                "while a minimum of 1 is required."
            )
        if y is None:
            raise ValueError("Scorecard requires y to be passed, but the target y is None")
        y = column_or_1d(y, warn=True)
        if len(y) != len(frame):
            raise ValueError(f"y has {len(y)} labels for {len(frame)} rows of X")
        if pd.isna(y).any():
            raise ValueError("y has missing labels")
        target_type = type_of_target(y, input_name="y")
        if target_type not in ("binary", "multiclass"):
            raise ValueError(f"Unknown label type: {target_type}; a scorecard needs a binary target")
        self.classes_ = np.unique(y)
        if len(self.classes_) == 1:
            raise ValueError(f"y has 1 class ({self.classes_[0]!r}); a scorecard needs goods and bads")
        if len(self.classes_) > 2:
            raise ValueError(f"Only binary classification is supported. The classes are {list(self.classes_)}")
        self.pos_label_ = self.classes_[1] if self.pos_label is None else self.pos_label
        if self.pos_label_ not in set(self.classes_.tolist()):
            raise ValueError(f"pos_label {self.pos_label!r} is not one of the classes {list(self.classes_)}")
        bad = (y == self.pos_label_).astype(np.int64)

        self.n_features_in_ = frame.shape[1]
        if isinstance(X, pd.DataFrame) and all(isinstance(c, str) for c in frame.columns):
            self.feature_names_in_ = np.asarray(frame.columns, dtype=object)

        kinds: dict[str, Kind | None] = {}
        reasons: dict[str, str | None] = {}
        self.binnings_: dict[str, VariableBinning] = {}
        for column in frame.columns:
            kind, unusable = self._usable(column, frame[column])
            kinds[column] = kind
            if unusable:
                reasons[column] = unusable
                continue
            params = BinningParams(
                max_bins=self.max_bins,
                max_prebins=self.max_prebins,
                min_bin_share=self.min_bin_share,
                min_bin_goods=self.min_bin_goods,
                min_bin_bads=self.min_bin_bads,
                rare_category_share=self.rare_category_share,
                monotonic_trend=self.monotonic_trend,
                special_values=self._specials_for(column),
                smoothing=self.woe_smoothing,
            )
            binning = fit_binning(str(column), frame[column], bad, kind, params)
            binning.unseen_to_missing = self.unseen_category == "missing"
            self.binnings_[column] = binning

        woe = pd.DataFrame({c: b.transform(frame[c]) for c, b in self.binnings_.items()}, index=frame.index)
        iv = {c: b.iv for c, b in self.binnings_.items()}
        reasons.update(select_by_iv_and_correlation(iv, woe, self.min_iv, self.max_corr))
        selected = [c for c in sorted(iv, key=lambda v: (-iv[v], str(v))) if reasons[c] is None]
        if not selected:
            raise ValueError(f"no variable passed selection: {reasons}")

        while True:
            model = LogisticRegression(C=self.C, max_iter=1000).fit(woe[selected], bad)
            coefficients = dict(zip(selected, model.coef_[0], strict=True))
            wrong = {c: v for c, v in coefficients.items() if v > 0}
            if not (self.drop_wrong_sign and wrong) or len(selected) == 1:
                break
            worst = max(wrong, key=lambda c: (wrong[c], str(c)))
            reasons[worst] = f"coefficient {wrong[worst]:+.3f} has the wrong sign (riskier bins would score more)"
            selected.remove(worst)

        self.selected_variables_ = selected
        self.logistic_regression_ = model
        self.coefficients_ = pd.Series(coefficients, name="coefficient")
        self.factor_ = self.pdo / np.log(2)
        self.offset_ = self.base_score - self.factor_ * np.log(self.base_odds)
        shared_points = (self.offset_ - self.factor_ * model.intercept_[0]) / len(selected)
        # Points per bin of each selected variable; the extra last entry is the neutral WOE 0 (unseen category).
        self.points_ = {
            c: shared_points - self.factor_ * coefficients[c] * np.append(self.binnings_[c].woe, 0.0) for c in selected
        }
        self.selection_table_ = self._selection_table(kinds, iv, reasons)
        self.binning_table_ = pd.concat([b.table() for b in self.binnings_.values()], ignore_index=True)
        self.scorecard_table_ = self._scorecard_table()
        return self

    def _check_params(self) -> None:
        if self.monotonic_trend not in TRENDS:
            raise ValueError(f"monotonic_trend must be one of {TRENDS}, got {self.monotonic_trend!r}")
        if self.unseen_category not in ("neutral", "missing"):
            raise ValueError(f"unseen_category must be 'neutral' or 'missing', got {self.unseen_category!r}")
        if self.pdo <= 0 or self.base_odds <= 0:
            raise ValueError("pdo and base_odds must be positive")
        if not 0 <= self.min_bin_share < 0.5:
            raise ValueError("min_bin_share must be in [0, 0.5)")

    def _usable(self, column: Any, values: pd.Series) -> tuple[Kind | None, str | None]:
        """The column's kind, and why it cannot be used (``None`` when it can)."""
        dtype = values.dtype
        if pd.api.types.is_complex_dtype(dtype):
            raise ValueError(f"Complex data not supported (column {column!r})")
        if column in set(self.categorical_features or ()):
            kind: Kind | None = "categorical"
        elif pd.api.types.is_bool_dtype(dtype):
            kind = "categorical"
        elif pd.api.types.is_numeric_dtype(dtype):
            kind = "numeric"
        elif (
            pd.api.types.is_string_dtype(dtype)
            or pd.api.types.is_object_dtype(dtype)
            or isinstance(dtype, pd.CategoricalDtype)
        ):
            kind = "categorical"
        else:
            return None, f"unsupported dtype {dtype}"
        if values.isna().all():
            return kind, "all values missing"
        if values.nunique(dropna=False) <= 1:
            return kind, "constant"
        return kind, None

    def _specials_for(self, column: Any) -> tuple:
        if self.special_values is None:
            return ()
        if isinstance(self.special_values, Mapping):
            return tuple(self.special_values.get(column, ()))
        return tuple(self.special_values)

    def _selection_table(self, kinds: dict, iv: dict, reasons: dict) -> pd.DataFrame:
        rows = []
        for column, kind in kinds.items():
            binning = self.binnings_.get(column)
            rows.append(
                {
                    "variable": column,
                    "kind": kind,
                    "n_bins": len(binning.labels) if binning else 0,
                    "trend": binning.trend if binning else None,
                    "iv": iv.get(column, np.nan),
                    "selected": column in self.selected_variables_,
                    "coefficient": self.coefficients_.get(column, np.nan),
                    "reason": "selected" if column in self.selected_variables_ else reasons.get(column),
                }
            )
        table = pd.DataFrame(rows)
        return table.sort_values(["selected", "iv"], ascending=False, kind="stable").reset_index(drop=True)

    def _scorecard_table(self) -> pd.DataFrame:
        frames = []
        for column in self.selected_variables_:
            binning = self.binnings_[column]
            table = binning.table()[["variable", "bin", "label", "bin_type", "woe"]]
            table["points"] = self.points_[column][:-1]
            categories_unseen = binning.kind == "categorical" and self.unseen_category == "neutral"
            if categories_unseen or set(binning.declared_specials) - set(binning.special_values):
                unseen = {"variable": column, "bin": UNSEEN, "label": UNSEEN_LABEL, "bin_type": "unseen", "woe": 0.0}
                table = pd.concat([table, pd.DataFrame([{**unseen, "points": self.points_[column][-1]}])])
            frames.append(table)
        return pd.concat(frames, ignore_index=True)

    # ------------------------------------------------------------------ predict

    def _selected_frame(self, X: Any) -> pd.DataFrame:
        check_is_fitted(self, "points_")
        frame = _as_frame(X)
        if not isinstance(X, pd.DataFrame) and frame.shape[1] != self.n_features_in_:
            # Without column names the columns are matched by position, so their number must not change.
            raise ValueError(
                f"X has {frame.shape[1]} features, but Scorecard is expecting {self.n_features_in_} features as input"
            )
        missing = [c for c in self.selected_variables_ if c not in frame.columns]
        if missing:
            raise KeyError(f"X lacks the scorecard's variables {missing}")
        return frame

    def woe_transform(self, X: Any) -> pd.DataFrame:
        """WOE of the selected variables, one column each (the logistic regression's inputs)."""
        frame = self._selected_frame(X)
        return pd.DataFrame(
            {c: self.binnings_[c].transform(frame[c]) for c in self.selected_variables_}, index=frame.index
        )

    def bin_labels(self, X: Any, variables: Sequence[str] | None = None) -> pd.DataFrame:
        """The bin label of every value (for CSI, or to read a row); selected variables unless ``variables``."""
        check_is_fitted(self, "points_")
        frame = _as_frame(X)
        out = {}
        for column in self.selected_variables_ if variables is None else variables:
            binning = self.binnings_[column]
            labels = np.array([*binning.labels, UNSEEN_LABEL], dtype=object)
            out[column] = labels[binning.assign(frame[column])]
        return pd.DataFrame(out, index=frame.index)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of ``classes_`` (columns in that order); the bad class is ``pos_label_``."""
        woe = self.woe_transform(X)
        p_bad = self.logistic_regression_.predict_proba(woe[self.selected_variables_])[:, 1]
        if self.pos_label_ == self.classes_[1]:
            return np.column_stack([1 - p_bad, p_bad])
        return np.column_stack([p_bad, 1 - p_bad])

    def predict(self, X: Any) -> np.ndarray:
        """The more probable class of each row."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def points(self, X: Any) -> pd.DataFrame:
        """Points of every selected variable for every row; the row sums are the scores."""
        frame = self._selected_frame(X)
        return pd.DataFrame(
            {c: self.points_[c][self.binnings_[c].assign(frame[c])] for c in self.selected_variables_},
            index=frame.index,
        )

    def score(self, X: Any, y: Any = None, sample_weight: Any = None) -> Any:
        """Scorecard points per row (higher = lower risk); with ``y``, scikit-learn's mean accuracy instead.

        ``score(X)`` is the scorecard score. ``score(X, y)`` keeps ``ClassifierMixin``'s contract so that
        ``GridSearchCV`` and ``cross_val_score`` still work without a ``scoring``; pass ``scoring="roc_auc"`` there,
        accuracy is a poor yardstick for credit risk.
        """
        if y is not None:
            return super().score(X, y, sample_weight=sample_weight)
        return self.points(X).sum(axis=1).to_numpy()

    def reason_codes(self, X: Any, n: int = 3) -> pd.DataFrame:
        """Top ``n`` adverse attributes per row, by points below the variable's maximum attainable points.

        Columns ``reason_k`` (variable), ``reason_k_bin`` (its bin label) and ``reason_k_points_below_max`` for
        ``k = 1..n``; a row with fewer than ``k`` variables below their maximum has ``None``/NaN there. Ties keep the
        order of ``selected_variables_`` (highest IV first).
        """
        frame = self._selected_frame(X)
        n = min(n, len(self.selected_variables_))
        gaps, labels = [], []
        for column in self.selected_variables_:
            binning = self.binnings_[column]
            index = binning.assign(frame[column])
            attainable = self.points_[column][:-1][(binning.goods + binning.bads) > 0]
            gaps.append(attainable.max() - self.points_[column][index])
            labels.append(np.array([*binning.labels, UNSEEN_LABEL], dtype=object)[index])
        gap = np.column_stack(gaps)
        label = np.column_stack(labels)
        order = np.argsort(-gap, axis=1, kind="stable")[:, :n]
        rows = np.arange(len(frame))[:, None]
        top_gap = gap[rows, order]
        adverse = top_gap > 1e-9
        names = np.array(self.selected_variables_, dtype=object)
        out = {}
        for k in range(n):
            out[f"reason_{k + 1}"] = np.where(adverse[:, k], names[order[:, k]], None)
            out[f"reason_{k + 1}_bin"] = np.where(adverse[:, k], label[rows[:, 0], order[:, k]], None)
            out[f"reason_{k + 1}_points_below_max"] = np.where(adverse[:, k], top_gap[:, k], np.nan)
        return pd.DataFrame(out, index=frame.index)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.classifier_tags.multi_class = False
        return tags


def build_scorecard(**params: Any) -> Scorecard:
    """An unfitted ``Scorecard`` with the given parameters (the house factory; see ``Scorecard`` for each one)."""
    return Scorecard(**params)


def _as_frame(X: Any) -> pd.DataFrame:
    """A DataFrame as given, or one with columns ``x0, x1, ...`` for an array."""
    if isinstance(X, pd.DataFrame):
        return X
    if issparse(X):
        raise TypeError("Sparse data is not supported: pass a DataFrame or a dense array")
    data = np.asarray(X) if hasattr(X, "__array__") else X
    if np.ndim(data) != 2:
        raise ValueError(f"X must be 2-d, got {np.ndim(data)} dimension(s). Reshape your data")
    frame = pd.DataFrame(data)
    frame.columns = [f"x{i}" for i in range(frame.shape[1])]
    return frame
