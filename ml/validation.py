"""Model validation for a credit score: discrimination, lift, calibration by grade, stability (PSI and CSI).

Conventions: ``y_true`` is 1 (or True) for a bad and 0 for a good; ``y_prob`` is the predicted probability of bad
(any risk score where higher means riskier works for AUC, Gini, KS and lift); ``points`` are scorecard points, where
higher means safer. For out-of-time validation fix the grade edges (``grade_edges``) and the PSI bins on the
development sample and apply them to the later one.
"""

from __future__ import annotations

from string import ascii_uppercase
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.stats import binomtest
from sklearn.metrics import roc_auc_score, roc_curve

if TYPE_CHECKING:
    from ml.scorecard import Scorecard

# Floor on a bin's share in PSI/CSI, so an empty bin adds a large but finite term instead of infinity.
SHARE_FLOOR = 1e-4
# The usual reading of a PSI or CSI: below 0.1 stable, 0.1 to 0.25 a shift to look at, above 0.25 a significant shift.
PSI_BANDS = ((0.1, "stable"), (0.25, "moderate shift"), (np.inf, "significant shift"))


def _labels(y_true: Any) -> np.ndarray:
    y = np.asarray(y_true)
    if y.dtype == bool:
        y = y.astype(np.int64)
    if not np.isin(y, (0, 1)).all():
        raise ValueError("y_true must hold 0 (good) and 1 (bad) only")
    if len(np.unique(y)) < 2:
        raise ValueError("y_true needs both goods and bads")
    return y.astype(np.int64)


def _scores(values: Any, name: str) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    if np.isnan(x).any():
        raise ValueError(f"{name} has missing values")
    return x


def auc(y_true: Any, y_prob: Any) -> float:
    """Area under the ROC curve (scikit-learn's ``roc_auc_score``)."""
    return float(roc_auc_score(_labels(y_true), _scores(y_prob, "y_prob")))


def gini(y_true: Any, y_prob: Any) -> float:
    """Gini coefficient (accuracy ratio): ``2 * AUC - 1``."""
    return 2 * auc(y_true, y_prob) - 1


def ks_statistic(y_true: Any, y_prob: Any) -> float:
    """Kolmogorov-Smirnov statistic: the largest gap between the score distributions of bads and goods."""
    fpr, tpr, _ = roc_curve(_labels(y_true), _scores(y_prob, "y_prob"))
    return float(np.max(np.abs(tpr - fpr)))


def ks_curve(y_true: Any, y_prob: Any) -> pd.DataFrame:
    """Cumulative shares of bads and goods taken when cutting at each distinct ``y_prob``, riskiest first.

    Columns: ``threshold``, ``population_share`` (rows with ``y_prob >= threshold``), ``cum_bad_share``,
    ``cum_good_share`` and ``gap`` (their difference; its maximum absolute value is the KS).
    """
    y = _labels(y_true)
    p = _scores(y_prob, "y_prob")
    fpr, tpr, thresholds = roc_curve(y, p, drop_intermediate=False)
    n_bad, n_good = y.sum(), len(y) - y.sum()
    population = (tpr * n_bad + fpr * n_good) / len(y)
    return pd.DataFrame(
        {
            "threshold": thresholds,
            "population_share": population,
            "cum_bad_share": tpr,
            "cum_good_share": fpr,
            "gap": tpr - fpr,
        }
    )


def discrimination_metrics(y_true: Any, y_prob: Any) -> dict[str, float]:
    """``{"auc", "gini", "ks"}`` of one sample, ready for ``mlflow.log_metrics`` (with a prefix per sample)."""
    area = auc(y_true, y_prob)
    return {"auc": area, "gini": 2 * area - 1, "ks": ks_statistic(y_true, y_prob)}


def lift_table(y_true: Any, y_prob: Any, n_bins: int = 10) -> pd.DataFrame:
    """Lift by quantile of risk (deciles by default), bucket 1 the riskiest.

    Rows are ranked by ``y_prob`` descending (ties in order of appearance) and cut into ``n_bins`` buckets of equal
    size. Columns: ``bucket``, ``count``, ``bads``, ``bad_rate``, ``min_prob``, ``max_prob``, ``mean_prob``,
    ``cum_count``, ``cum_bads``, ``cum_bad_rate``, ``capture_rate`` (share of all bads caught so far), ``lift``
    (bucket bad rate / overall) and ``cum_lift``.
    """
    y = _labels(y_true)
    p = _scores(y_prob, "y_prob")
    if not 1 <= n_bins <= len(y):
        raise ValueError(f"n_bins must be between 1 and the number of rows ({len(y)})")
    order = np.argsort(-p, kind="stable")
    bucket = np.empty(len(y), dtype=np.int64)
    bucket[order] = np.arange(len(y)) * n_bins // len(y) + 1
    frame = pd.DataFrame({"bucket": bucket, "bad": y, "prob": p})
    table = frame.groupby("bucket").agg(
        count=("bad", "size"),
        bads=("bad", "sum"),
        min_prob=("prob", "min"),
        max_prob=("prob", "max"),
        mean_prob=("prob", "mean"),
    )
    overall = y.mean()
    table.insert(2, "bad_rate", table["bads"] / table["count"])
    table["cum_count"] = table["count"].cumsum()
    table["cum_bads"] = table["bads"].cumsum()
    table["cum_bad_rate"] = table["cum_bads"] / table["cum_count"]
    table["capture_rate"] = table["cum_bads"] / y.sum()
    table["lift"] = table["bad_rate"] / overall
    table["cum_lift"] = table["cum_bad_rate"] / overall
    return table.reset_index()


def grade_edges(points: Any, n_grades: int = 5) -> np.ndarray:
    """Score cut points that split a (development) sample into ``n_grades`` bands of about equal size."""
    x = _scores(points, "points")
    return np.unique(np.quantile(x, np.arange(1, n_grades) / n_grades))


def _grade_names(n: int, labels: Any) -> list[str]:
    names = list(ascii_uppercase[:n]) if labels is None else [str(v) for v in labels]
    if len(names) != n:
        raise ValueError(f"{n} grades need {n} labels, got {len(names)}")
    return names


def assign_grades(points: Any, edges: Any, labels: Any = None) -> np.ndarray:
    """Grade of each score: the first label (default "A") for the band with the *highest* points (lowest risk).

    ``edges`` are ascending score cut points; a score equal to an edge belongs to the band above it.
    """
    edges = np.asarray(edges, dtype=float)
    names = _grade_names(len(edges) + 1, labels)
    band = np.searchsorted(edges, _scores(points, "points"), side="right")  # 0 = lowest points
    return np.array(names[::-1], dtype=object)[band]


def calibration_by_grade(y_true: Any, y_prob: Any, points: Any, edges: Any = None, labels: Any = None) -> pd.DataFrame:
    """Observed vs predicted bad rate per grade (score band), best grade first.

    ``edges`` default to ``grade_edges(points)`` (five equal-count bands); pass the development sample's edges when
    validating a later one. Columns: ``grade``, ``score_from``, ``score_to`` (band limits, ``score_from`` included),
    ``count``, ``share``, ``bads``, ``observed_bad_rate``, ``predicted_bad_rate`` (mean ``y_prob``), ``difference``
    (observed - predicted) and ``p_value`` of an exact two-sided binomial test of the observed bads against the
    predicted rate (small: the grade is mis-calibrated).
    """
    y = _labels(y_true)
    p = _scores(y_prob, "y_prob")
    edges = grade_edges(points) if edges is None else np.asarray(edges, dtype=float)
    names = _grade_names(len(edges) + 1, labels)
    grades = assign_grades(points, edges, names)
    bounds = np.concatenate([[-np.inf], edges, [np.inf]])[::-1]  # high to low: grade i spans [bounds[i+1], bounds[i])
    rows = []
    for i, name in enumerate(names):
        in_grade = grades == name
        count = int(in_grade.sum())
        bads = int(y[in_grade].sum())
        predicted = float(p[in_grade].mean()) if count else np.nan
        observed = bads / count if count else np.nan
        p_value = binomtest(bads, count, min(max(predicted, 1e-12), 1 - 1e-12)).pvalue if count else np.nan
        rows.append(
            {
                "grade": name,
                "score_from": bounds[i + 1],
                "score_to": bounds[i],
                "count": count,
                "share": count / len(y),
                "bads": bads,
                "observed_bad_rate": observed,
                "predicted_bad_rate": predicted,
                "difference": observed - predicted,
                "p_value": float(p_value),
            }
        )
    return pd.DataFrame(rows)


def _shift_table(expected_bins: np.ndarray, actual_bins: np.ndarray, bins: list) -> pd.DataFrame:
    expected = pd.Series(expected_bins).value_counts().reindex(bins, fill_value=0)
    actual = pd.Series(actual_bins).value_counts().reindex(bins, fill_value=0)
    e_share = expected / max(expected.sum(), 1)
    a_share = actual / max(actual.sum(), 1)
    e, a = np.maximum(e_share, SHARE_FLOOR), np.maximum(a_share, SHARE_FLOOR)
    return pd.DataFrame(
        {
            "bin": bins,
            "expected_count": expected.to_numpy(),
            "actual_count": actual.to_numpy(),
            "expected_share": e_share.to_numpy(),
            "actual_share": a_share.to_numpy(),
            "psi": ((a - e) * np.log(a / e)).to_numpy(),
        }
    )


def psi_table(expected: Any, actual: Any, n_bins: int = 10) -> pd.DataFrame:
    """Per-bin population stability of a score: bins are the ``expected`` sample's quantiles.

    Bins are right-closed intervals between the expected sample's ``1/n_bins`` quantiles (duplicates dropped); shares
    under ``SHARE_FLOOR`` count as that floor. Columns: ``bin`` (label), counts, shares and each bin's ``psi`` term
    ``(actual - expected) * ln(actual / expected)``.
    """
    e = _scores(expected, "expected")
    a = _scores(actual, "actual")
    edges = np.unique(np.quantile(e, np.arange(1, n_bins) / n_bins))
    bounds = [-np.inf, *edges, np.inf]
    labels = [f"({lo:.6g}, {hi:.6g}]" for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
    names = np.array(labels, dtype=object)
    return _shift_table(
        names[np.searchsorted(edges, e, side="left")], names[np.searchsorted(edges, a, side="left")], labels
    )


def psi(expected: Any, actual: Any, n_bins: int = 10) -> float:
    """Population stability index between two score samples (see ``psi_table``)."""
    return float(psi_table(expected, actual, n_bins)["psi"].sum())


def stability(value: float) -> str:
    """Reading of a PSI or CSI value: "stable", "moderate shift" or "significant shift" (``PSI_BANDS``)."""
    return next(label for limit, label in PSI_BANDS if value < limit)


def csi_table(scorecard: Scorecard, X_expected: pd.DataFrame, X_actual: pd.DataFrame) -> pd.DataFrame:
    """Characteristic stability per bin of every selected variable, binned exactly as the scorecard bins it.

    Columns: ``variable``, ``bin`` (label, in the scorecard's bin order; unseen categories last), counts, shares and
    ``csi`` (the bin's PSI term).
    """
    from ml.scorecard.estimator import UNSEEN_LABEL

    expected = scorecard.bin_labels(X_expected)
    actual = scorecard.bin_labels(X_actual)
    frames = []
    for variable in scorecard.selected_variables_:
        bins = [*scorecard.binnings_[variable].labels, UNSEEN_LABEL]
        table = _shift_table(expected[variable].to_numpy(), actual[variable].to_numpy(), bins)
        unused = (table["expected_count"] == 0) & (table["actual_count"] == 0) & (table["bin"] == UNSEEN_LABEL)
        frames.append(table[~unused].assign(variable=variable))
    table = pd.concat(frames, ignore_index=True).rename(columns={"psi": "csi"})
    return table[["variable", *[c for c in table.columns if c != "variable"]]]


def csi(scorecard: Scorecard, X_expected: pd.DataFrame, X_actual: pd.DataFrame) -> pd.Series:
    """Characteristic stability index of every selected variable (index: variable), see ``csi_table``."""
    table = csi_table(scorecard, X_expected, X_actual)
    return table.groupby("variable", sort=False)["csi"].sum().rename("csi")
