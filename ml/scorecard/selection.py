"""Variable selection on WOE: information value first, then correlation (keep the higher-IV variable of a pair)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def select_by_iv_and_correlation(
    iv: dict[str, float], woe: pd.DataFrame, min_iv: float, max_corr: float
) -> dict[str, str | None]:
    """Reason each variable is dropped (``None`` when kept).

    Variables below ``min_iv`` go first; the rest are visited by IV, highest first, and one whose WOE has
    ``|Pearson r| > max_corr`` with a variable already kept is dropped in favour of that (higher-IV) variable.
    """
    reasons: dict[str, str | None] = {}
    candidates = []
    for name in sorted(iv, key=lambda v: (-iv[v], v)):
        if iv[name] < min_iv:
            reasons[name] = f"IV {iv[name]:.4f} below min_iv {min_iv:g}"
        else:
            candidates.append(name)
    corr = woe[candidates].corr().abs().to_numpy() if candidates else np.empty((0, 0))
    kept: list[int] = []
    for i, name in enumerate(candidates):
        clash = [k for k in kept if corr[i, k] > max_corr]
        if clash:
            k = clash[0]
            reasons[name] = f"WOE correlated with {candidates[k]} (|r|={corr[i, k]:.2f} > max_corr {max_corr:g})"
        else:
            kept.append(i)
            reasons[name] = None
    return reasons
