"""Binning building blocks: WOE/IV, pooling to a monotonic trend, size merges, numeric and categorical bins."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.scorecard import BinningParams, fit_binning, information_value, woe_iv
from ml.scorecard.merging import merge_small, merge_to_max_bins, pool_by_trend, pool_monotonic


def test_woe_and_iv_by_hand():
    goods, bads = np.array([60.0, 40.0]), np.array([10.0, 30.0])
    woe, iv = woe_iv(goods, bads)
    assert woe[0] == pytest.approx(np.log(0.6 / 0.25))
    assert woe[1] == pytest.approx(np.log(0.4 / 0.75))
    assert information_value(goods, bads) == pytest.approx((0.6 - 0.25) * woe[0] + (0.4 - 0.75) * woe[1])
    assert (iv >= 0).all()


def test_woe_smooths_an_empty_cell_and_keeps_an_empty_bin_neutral():
    woe, iv = woe_iv(np.array([50.0, 10.0, 0.0]), np.array([20.0, 0.0, 0.0]), smoothing=0.5)
    assert np.isfinite(woe).all()
    assert woe[1] == pytest.approx(np.log((10.5 / 60) / (0.5 / 20)))
    assert woe[2] == 0.0 and iv[2] == 0.0


def test_pool_adjacent_violators_makes_the_bad_rate_monotonic():
    goods = np.array([90.0, 80.0, 85.0, 60.0, 50.0])
    bads = np.array([10.0, 20.0, 15.0, 40.0, 50.0])  # bad rates .10 .20 .15 .40 .50
    groups = pool_monotonic(goods, bads, ascending=True)
    assert groups == [[0], [1, 2], [3], [4]]
    rates = [bads[g].sum() / (goods[g].sum() + bads[g].sum()) for g in groups]
    assert all(a < b for a, b in zip(rates, rates[1:], strict=False))


def test_auto_trend_picks_the_direction_that_keeps_more_iv():
    goods = np.array([50.0, 60.0, 70.0, 80.0, 90.0])
    bads = np.array([50.0, 40.0, 30.0, 20.0, 10.0])
    totals = (goods.sum(), bads.sum())
    assert pool_by_trend(goods, bads, "auto", totals) == [[0], [1], [2], [3], [4]]
    assert pool_by_trend(goods, bads, "ascending", totals) == [[0, 1, 2, 3, 4]]
    with pytest.raises(ValueError, match="monotonic_trend"):
        pool_by_trend(goods, bads, "sideways", totals)


def test_small_bins_merge_into_the_neighbour_with_the_closer_bad_rate():
    goods = np.array([100.0, 3.0, 60.0])
    bads = np.array([10.0, 1.0, 40.0])  # the middle bin (rate .25) is closer to the last (.40) than to the first (.09)
    assert merge_small(goods, bads, [[0], [1], [2]], min_count=10, min_goods=0, min_bads=0) == [[0], [1, 2]]
    assert merge_small(goods, bads, [[0], [1], [2]], min_count=0, min_goods=0, min_bads=0) == [[0], [1], [2]]


def test_max_bins_merges_the_pair_that_loses_the_least_iv():
    goods = np.array([90.0, 89.0, 50.0, 20.0])
    bads = np.array([10.0, 11.0, 50.0, 80.0])
    groups = merge_to_max_bins(goods, bads, [[0], [1], [2], [3]], 3, (goods.sum(), bads.sum()))
    assert groups == [[0, 1], [2], [3]]


def test_numeric_bins_are_exact_intervals_even_for_values_float32_cannot_tell_apart():
    rng = np.random.default_rng(3)
    x = pd.Series(1_000_000.0 + rng.integers(0, 400, size=4000) / 100)  # steps of 0.01 around a million
    bad = (rng.uniform(size=x.size) < np.where(x > 1_000_002.0, 0.6, 0.1)).astype(int)
    binning = fit_binning("x", x, bad, "numeric", BinningParams())
    assert binning.n_regular >= 2
    index = binning.assign(x)
    counts = np.bincount(index, minlength=len(binning.labels))
    np.testing.assert_array_equal(counts, binning.goods + binning.bads)
    # Each bin holds exactly the values inside its (lo, hi] interval.
    edges = [-np.inf, *binning.edges, np.inf]
    for i in range(binning.n_regular):
        inside = x[index == i]
        assert (inside > edges[i]).all() and (inside <= edges[i + 1]).all()


def test_categorical_bins_are_ordered_by_bad_rate_and_map_every_level():
    levels = np.repeat(["a", "b", "c", "d"], 500)
    rates = {"a": 0.5, "b": 0.1, "c": 0.3, "d": 0.05}
    rng = np.random.default_rng(4)
    bad = (rng.uniform(size=levels.size) < np.array([rates[v] for v in levels])).astype(int)
    binning = fit_binning("level", pd.Series(levels), bad, "categorical", BinningParams())
    regular = binning.table().query("bin_type == 'categories'")
    assert (np.diff(regular["bad_rate"].to_numpy()) > 0).all()
    assert set(binning.category_bins) == {"a", "b", "c", "d"}
    assert binning.assign(pd.Series(["zzz"]))[0] == -1  # unseen


def test_a_numeric_column_with_text_treats_the_text_as_missing():
    x = pd.Series([1.0, 2.0, 3.0, 4.0] * 100)
    bad = np.tile([0, 0, 1, 1], 100)
    binning = fit_binning("x", x, bad, "numeric", BinningParams(min_bin_share=0.1))
    assert binning.assign(pd.Series(["oops"], dtype=object))[0] == binning.missing_bin
