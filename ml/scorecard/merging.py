"""Merging ordered pre-bins into final bins: monotonic (or U-shaped) bad rate, minimum sizes, maximum bin count.

Every function takes the good and bad counts of ``k`` ordered pre-bins (numeric intervals left to right, or
categories sorted by bad rate) and returns *groups*: a list of contiguous runs of pre-bin indices, each run one final
bin. Merging only ever joins neighbours, so a numeric variable's bins stay intervals.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ml.scorecard.woe import woe_iv

Groups = list[list[int]]

# With monotonic_trend="auto_u" a valley or peak replaces the best monotonic binning only when it keeps at least this
# much more IV (relative): a U-shape costs interpretability and its extra bins are fitted on fewer rows each.
U_SHAPE_MIN_IV_GAIN = 0.10

TRENDS = ("auto", "auto_u", "ascending", "descending", "valley", "peak", None)


def _sums(values: np.ndarray, groups: Groups) -> np.ndarray:
    return np.array([values[g].sum() for g in groups], dtype=float)


def _bad_rates(goods: np.ndarray, bads: np.ndarray, groups: Groups) -> np.ndarray:
    g, b = _sums(goods, groups), _sums(bads, groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(g + b > 0, b / (g + b), 0.0)


def groups_iv(goods: np.ndarray, bads: np.ndarray, groups: Groups, totals: tuple[float, float]) -> float:
    """IV contributed by the bins that ``groups`` form, against the sample's total goods and bads."""
    return float(woe_iv(_sums(goods, groups), _sums(bads, groups), totals=totals)[1].sum())


def pool_monotonic(
    goods: np.ndarray, bads: np.ndarray, ascending: bool, indices: Sequence[int] | None = None
) -> Groups:
    """Pool adjacent violators: merge neighbours until the bad rate strictly rises (or falls) from bin to bin."""
    blocks: list[tuple[list[int], float, float]] = []  # (indices, goods, bads)
    for i in range(len(goods)) if indices is None else indices:
        blocks.append(([i], float(goods[i]), float(bads[i])))
        while len(blocks) >= 2:
            (i1, g1, b1), (i2, g2, b2) = blocks[-2], blocks[-1]
            r1 = b1 / (g1 + b1) if g1 + b1 else 0.0
            r2 = b2 / (g2 + b2) if g2 + b2 else 0.0
            if (r1 < r2) if ascending else (r1 > r2):
                break
            blocks[-2:] = [(i1 + i2, g1 + g2, b1 + b2)]
    return [idx for idx, _, _ in blocks]


def pool_u_shape(goods: np.ndarray, bads: np.ndarray, valley: bool, totals: tuple[float, float]) -> Groups:
    """Best valley (bad rate falls then rises) or peak (rises then falls) by IV over every turning point."""
    k = len(goods)
    best: Groups = [list(range(k))]
    best_iv = -1.0
    for turn in range(1, k):
        left = pool_monotonic(goods, bads, ascending=not valley, indices=range(turn))
        right = pool_monotonic(goods, bads, ascending=valley, indices=range(turn, k))
        candidate = left + right
        iv = groups_iv(goods, bads, candidate, totals)
        if iv > best_iv:
            best, best_iv = candidate, iv
    return best


def pool_by_trend(goods: np.ndarray, bads: np.ndarray, trend: str | None, totals: tuple[float, float]) -> Groups:
    """Groups that satisfy ``trend`` (see ``TRENDS``); "auto" keeps whichever monotonic direction retains more IV."""
    if trend not in TRENDS:
        raise ValueError(f"monotonic_trend must be one of {TRENDS}, got {trend!r}")
    k = len(goods)
    if trend is None or k <= 1:
        return [[i] for i in range(k)]
    if trend in ("ascending", "descending"):
        return pool_monotonic(goods, bads, ascending=trend == "ascending")
    if trend in ("valley", "peak"):
        return pool_u_shape(goods, bads, valley=trend == "valley", totals=totals)
    candidates = [pool_monotonic(goods, bads, ascending=True), pool_monotonic(goods, bads, ascending=False)]
    best = max(candidates, key=lambda g: groups_iv(goods, bads, g, totals))
    if trend == "auto_u":
        best_iv = groups_iv(goods, bads, best, totals)
        u_shapes = [pool_u_shape(goods, bads, valley=v, totals=totals) for v in (True, False)]
        best_u = max(u_shapes, key=lambda g: groups_iv(goods, bads, g, totals))
        if groups_iv(goods, bads, best_u, totals) > best_iv * (1 + U_SHAPE_MIN_IV_GAIN):
            best = best_u
    return best


def merge_small(
    goods: np.ndarray, bads: np.ndarray, groups: Groups, min_count: float, min_goods: int, min_bads: int
) -> Groups:
    """Merge bins below the size or good/bad minimums into the neighbour with the closer bad rate, smallest first."""
    groups = [list(g) for g in groups]
    while len(groups) > 1:
        g, b = _sums(goods, groups), _sums(bads, groups)
        small = np.flatnonzero((g + b < min_count) | (g < min_goods) | (b < min_bads))
        if small.size == 0:
            break
        i = int(small[np.argmin((g + b)[small])])
        rates = _bad_rates(goods, bads, groups)
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(groups)]
        j = min(neighbours, key=lambda n: (abs(rates[n] - rates[i]), n))
        lo, hi = min(i, j), max(i, j)
        groups[lo : hi + 1] = [groups[lo] + groups[hi]]
    return groups


def merge_to_max_bins(
    goods: np.ndarray, bads: np.ndarray, groups: Groups, max_bins: int | None, totals: tuple[float, float]
) -> Groups:
    """Merge the neighbouring pair that loses the least IV until at most ``max_bins`` bins remain."""
    groups = [list(g) for g in groups]
    while max_bins is not None and len(groups) > max_bins:
        merged = [groups[:i] + [groups[i] + groups[i + 1]] + groups[i + 2 :] for i in range(len(groups) - 1)]
        groups = max(merged, key=lambda m: groups_iv(goods, bads, m, totals))
    return groups
