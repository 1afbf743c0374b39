"""Weight of evidence and information value from per-bin good/bad counts.

Sign convention: ``WOE = ln(share of goods in the bin / share of bads in the bin)``, so a positive WOE marks a bin
safer than the population and a negative one a riskier bin. ``IV = sum((share_good - share_bad) * WOE)`` is >= 0.
"""

from __future__ import annotations

import numpy as np

# Added to both cells of a bin that has goods but no bads (or bads but no goods), so its WOE stays finite.
DEFAULT_SMOOTHING = 0.5


def woe_iv(
    goods: np.ndarray,
    bads: np.ndarray,
    smoothing: float = DEFAULT_SMOOTHING,
    totals: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """WOE and IV contribution per bin.

    An empty cell (a bin with goods but no bads, or the reverse) gets ``smoothing`` added to both of its counts; a bin
    with no rows at all (a missing or special bin never seen in training) gets WOE 0 and IV 0, i.e. neutral.
    ``totals`` (goods, bads) of the whole sample default to the sums of the given bins; pass them to evaluate a subset
    of a variable's bins (the regular bins without the missing and special ones).
    """
    goods = np.asarray(goods, dtype=float)
    bads = np.asarray(bads, dtype=float)
    total_goods, total_bads = totals if totals is not None else (goods.sum(), bads.sum())
    if total_goods == 0 or total_bads == 0:
        raise ValueError("WOE needs at least one good and one bad in the sample")
    empty = (goods + bads) == 0
    one_sided = ~empty & ((goods == 0) | (bads == 0))
    g = np.where(one_sided, goods + smoothing, goods)
    b = np.where(one_sided, bads + smoothing, bads)
    with np.errstate(divide="ignore", invalid="ignore"):
        woe = np.log((g / total_goods) / (b / total_bads))
    woe = np.where(empty, 0.0, woe)
    iv = (g / total_goods - b / total_bads) * woe
    return woe, np.where(empty, 0.0, iv)


def information_value(goods: np.ndarray, bads: np.ndarray, smoothing: float = DEFAULT_SMOOTHING) -> float:
    """Total IV of a binning given its per-bin good and bad counts."""
    return float(woe_iv(goods, bads, smoothing)[1].sum())
