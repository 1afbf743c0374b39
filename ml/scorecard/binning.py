"""Supervised binning of one variable: numeric by decision-tree pre-bins, categorical by bad-rate-ordered levels.

A variable's bins, in this order: the regular bins (numeric intervals ``(lo, hi]`` from left to right, or groups of
categories from the lowest bad rate to the highest), one bin per special value that occurs in the training data, and
one bin for missing values. Special and missing bins are never merged with anything, whatever their size; a declared
special value that never occurred in training gets no bin and neutral WOE 0 at predict time.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier

from ml.scorecard.merging import merge_small, merge_to_max_bins, pool_by_trend
from ml.scorecard.woe import DEFAULT_SMOOTHING, woe_iv

Kind = Literal["numeric", "categorical"]
MISSING_LABEL = "Missing"
UNSEEN = -1  # bin index of a category or special value never seen in training: neutral WOE 0


@dataclass(frozen=True)
class BinningParams:
    """Knobs of the binning of one variable (the estimator passes its own parameters through)."""

    max_bins: int | None = 8
    max_prebins: int = 20
    min_bin_share: float = 0.05
    min_bin_goods: int = 5
    min_bin_bads: int = 5
    rare_category_share: float = 0.01
    monotonic_trend: str | None = "auto"
    special_values: tuple = ()
    smoothing: float = DEFAULT_SMOOTHING


@dataclass
class VariableBinning:
    """The fitted bins of one variable, their good/bad counts, WOE and IV, and how to put new values into them."""

    name: str
    kind: Kind
    labels: list[str]
    bin_types: list[str]  # "range" | "categories" | "special" | "missing"
    goods: np.ndarray
    bads: np.ndarray
    woe: np.ndarray
    iv_contributions: np.ndarray
    trend: str
    edges: np.ndarray = field(default_factory=lambda: np.empty(0))  # numeric: interior cut points
    category_bins: dict[Hashable, int] = field(default_factory=dict)  # categorical: level -> regular bin
    special_values: tuple = ()  # the special values that have a bin, in bin order
    declared_specials: tuple = ()  # every declared special value (those without a bin map to UNSEEN)
    unseen_to_missing: bool = False

    @property
    def iv(self) -> float:
        """Information value of the variable (sum of the per-bin contributions)."""
        return float(self.iv_contributions.sum())

    @property
    def n_regular(self) -> int:
        """Number of regular bins (without the special and missing bins)."""
        return len(self.labels) - len(self.special_values) - 1

    @property
    def missing_bin(self) -> int:
        """Index of the missing bin (always the last one)."""
        return len(self.labels) - 1

    def assign(self, values: pd.Series) -> np.ndarray:
        """Bin index of every value; ``UNSEEN`` (-1) for a category not seen in training (or the missing bin)."""
        values = pd.Series(values).reset_index(drop=True)
        missing = values.isna().to_numpy().copy()
        index = np.full(len(values), UNSEEN, dtype=np.int64)
        specials = np.zeros(len(values), dtype=bool)
        comparable = _as_numeric(values) if self.kind == "numeric" else values.astype(object)
        for special in self.declared_specials:
            is_special = (comparable == special).to_numpy(dtype=bool, na_value=False) & ~missing
            if special in self.special_values:
                index[is_special] = self.n_regular + self.special_values.index(special)
            specials |= is_special
        regular = ~missing & ~specials
        if self.kind == "numeric":
            x = comparable.to_numpy(dtype=float, na_value=np.nan)
            # A value that is not a number in a numeric column counts as missing.
            missing |= regular & np.isnan(x)
            regular &= ~np.isnan(x)
            if self.n_regular:
                index[regular] = np.searchsorted(self.edges, x[regular], side="left")
        else:
            mapped = comparable[regular].map(self.category_bins)
            index[regular] = mapped.fillna(UNSEEN).to_numpy(dtype=np.int64)
            if self.unseen_to_missing:
                index[regular & (index == UNSEEN)] = self.missing_bin
        index[missing] = self.missing_bin
        return index

    def transform(self, values: pd.Series) -> np.ndarray:
        """WOE of every value (0 for an unseen category routed to neutral)."""
        return np.append(self.woe, 0.0)[self.assign(values)]

    def table(self) -> pd.DataFrame:
        """One row per bin: label, type, counts, shares, bad rate, WOE, IV contribution."""
        count = self.goods + self.bads
        with np.errstate(divide="ignore", invalid="ignore"):
            bad_rate = np.where(count > 0, self.bads / count, np.nan)
        return pd.DataFrame(
            {
                "variable": self.name,
                "bin": np.arange(len(self.labels)),
                "label": self.labels,
                "bin_type": self.bin_types,
                "count": count.astype(np.int64),
                "share": count / count.sum(),
                "goods": self.goods.astype(np.int64),
                "bads": self.bads.astype(np.int64),
                "bad_rate": bad_rate,
                "woe": self.woe,
                "iv_contribution": self.iv_contributions,
            }
        )


def fit_binning(name: str, x: pd.Series, bad: np.ndarray, kind: Kind, params: BinningParams) -> VariableBinning:
    """Fit the bins of one variable against a 0/1 ``bad`` indicator."""
    x = pd.Series(x).reset_index(drop=True)
    bad = np.asarray(bad, dtype=np.int64)
    totals = (float((bad == 0).sum()), float((bad == 1).sum()))
    min_count = math.ceil(params.min_bin_share * len(x))
    missing = x.isna().to_numpy().copy()
    comparable = _as_numeric(x) if kind == "numeric" else x.astype(object)
    declared = [(s, (comparable == s).to_numpy(dtype=bool, na_value=False) & ~missing) for s in params.special_values]
    specials = tuple(s for s, mask in declared if mask.any())
    special_masks = [mask for _, mask in declared if mask.any()]
    any_special = np.logical_or.reduce(special_masks) if special_masks else np.zeros(len(x), dtype=bool)
    regular = ~missing & ~any_special
    if kind == "numeric":
        xr = comparable.to_numpy(dtype=float, na_value=np.nan)
        missing |= regular & np.isnan(xr)  # a value that is not a number in a numeric column counts as missing
        regular &= ~np.isnan(xr)
        edges = _tree_edges(xr[regular], bad[regular], params.max_prebins, min_count)
        prebin = np.searchsorted(edges, xr[regular], side="left")
        goods, bads = _counts(prebin, bad[regular], len(edges) + 1 if regular.any() else 0)
        groups = pool_by_trend(goods, bads, params.monotonic_trend, totals)
    else:
        levels, prebin, pre_labels = _category_prebins(comparable[regular], bad[regular], params.rare_category_share)
        goods, bads = _counts(prebin, bad[regular], len(pre_labels))
        groups = [[i] for i in range(len(pre_labels))]  # already ordered by bad rate: monotonic by construction
    groups = merge_small(goods, bads, groups, min_count, params.min_bin_goods, params.min_bin_bads)
    groups = merge_to_max_bins(goods, bads, groups, params.max_bins, totals)

    reg_goods = np.array([goods[g].sum() for g in groups], dtype=float)
    reg_bads = np.array([bads[g].sum() for g in groups], dtype=float)
    if kind == "numeric":
        final_edges = np.array([edges[g[-1]] for g in groups[:-1]], dtype=float)
        labels = _interval_labels(final_edges) if groups else []
        bin_types = ["range"] * len(groups)
        category_bins: dict[Hashable, int] = {}
    else:
        final_edges = np.empty(0)
        labels = [" | ".join(pre_labels[i] for i in g) for g in groups]
        bin_types = ["categories"] * len(groups)
        prebin_to_bin = {i: b for b, g in enumerate(groups) for i in g}
        category_bins = {level: prebin_to_bin[p] for level, p in levels.items()}
    trend = _describe_trend(reg_bads / np.maximum(reg_goods + reg_bads, 1))

    special_goods = [float(((bad == 0) & m).sum()) for m in special_masks]
    special_bads = [float(((bad == 1) & m).sum()) for m in special_masks]
    all_goods = np.concatenate([reg_goods, special_goods, [float(((bad == 0) & missing).sum())]])
    all_bads = np.concatenate([reg_bads, special_bads, [float(((bad == 1) & missing).sum())]])
    woe, iv = woe_iv(all_goods, all_bads, params.smoothing)
    return VariableBinning(
        name=name,
        kind=kind,
        labels=labels + [f"Special: {s}" for s in specials] + [MISSING_LABEL],
        bin_types=bin_types + ["special"] * len(specials) + ["missing"],
        goods=all_goods,
        bads=all_bads,
        woe=woe,
        iv_contributions=iv,
        trend=trend,
        edges=final_edges,
        category_bins=category_bins,
        special_values=specials,
        declared_specials=tuple(params.special_values),
    )


def _as_numeric(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("Float64").astype(float)


def _counts(prebin: np.ndarray, bad: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    goods = np.bincount(prebin[bad == 0], minlength=k).astype(float)
    bads = np.bincount(prebin[bad == 1], minlength=k).astype(float)
    return goods, bads


def _tree_edges(x: np.ndarray, bad: np.ndarray, max_prebins: int, min_count: int) -> np.ndarray:
    """Cut points of a depth-unlimited tree with at most ``max_prebins`` leaves, each of at least ``min_count`` rows.

    The tree compares in float32; each of its thresholds is replaced by the float64 midpoint of the two training values
    it separates, so the bins are exact for the data as given.
    """
    distinct = np.unique(x)
    if len(distinct) < 2 or len(x) < 2 * max(min_count, 1) or len(np.unique(bad)) < 2:
        return np.empty(0)
    tree = DecisionTreeClassifier(
        max_leaf_nodes=max(max_prebins, 2), min_samples_leaf=max(min_count, 1), random_state=0
    ).fit(x.reshape(-1, 1), bad)
    thresholds = tree.tree_.threshold[tree.tree_.feature >= 0]
    as_float32 = distinct.astype(np.float32)
    edges = set()
    for t in thresholds:
        pos = int(np.searchsorted(as_float32, t, side="right"))
        if 0 < pos < len(distinct):
            edges.add(float((distinct[pos - 1] + distinct[pos]) / 2))
    return np.array(sorted(edges), dtype=float)


def _category_prebins(
    values: pd.Series, bad: np.ndarray, rare_share: float
) -> tuple[dict[Hashable, int], np.ndarray, list[str]]:
    """Levels pooled (rare ones into one pseudo-level) and ordered by bad rate; returns level->prebin, codes, labels."""
    frame = pd.DataFrame({"level": values.to_numpy(dtype=object), "bad": bad})
    if frame.empty:
        return {}, np.empty(0, dtype=np.int64), []
    stats = frame.groupby("level", sort=True)["bad"].agg(["count", "sum"])
    n_total = len(frame)
    rare = stats.index[stats["count"] < rare_share * n_total]
    pseudo = {level: ("__rare__" if level in set(rare) and len(rare) > 1 else level) for level in stats.index}
    frame["pseudo"] = frame["level"].map(pseudo)
    pstats = frame.groupby("pseudo", sort=False)["bad"].agg(["count", "sum"])
    pstats["rate"] = pstats["sum"] / pstats["count"]
    pstats["key"] = [str(k) for k in pstats.index]
    pstats = pstats.sort_values(["rate", "key"], kind="stable")
    order = {p: i for i, p in enumerate(pstats.index)}
    labels = []
    for p in pstats.index:
        if p == "__rare__":
            labels.append(" | ".join(str(level) for level in rare))
        else:
            labels.append(str(p))
    levels = {level: order[p] for level, p in pseudo.items()}
    codes = frame["pseudo"].map(order).to_numpy(dtype=np.int64)
    return levels, codes, labels


def _interval_labels(edges: Sequence[float]) -> list[str]:
    bounds = [-np.inf, *edges, np.inf]
    return [
        f"({_fmt(lo)}, {_fmt(hi)}]" if np.isfinite(hi) else f"({_fmt(lo)}, inf)"
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
    ]


def _fmt(value: float) -> str:
    return "-inf" if value == -np.inf else f"{value:.6g}"


def _describe_trend(rates: np.ndarray) -> str:
    """Shape of the bad rate across the regular bins."""
    if len(rates) <= 1:
        return "flat"
    steps = np.sign(np.diff(rates))
    if (steps > 0).all():
        return "ascending"
    if (steps < 0).all():
        return "descending"
    changes = np.flatnonzero(np.diff(steps) != 0)
    if len(changes) == 1 and 0 not in steps:
        return "valley" if steps[0] < 0 else "peak"
    return "none"
