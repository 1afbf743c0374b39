"""What a fitted scorecard does: bins, WOE, selection, ordering of applicants, points scaling, reason codes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from ml import build_scorecard
from ml.scorecard import BinningParams, fit_binning
from ml.scorecard.estimator import UNSEEN_LABEL

from .conftest import make_applicants


def _bins(scorecard, variable: str) -> pd.DataFrame:
    table = scorecard.binning_table_
    return table[table["variable"] == variable].set_index("label")


def test_scorecard_orders_a_known_good_population_above_a_known_bad_one(fitted):
    # New applicants whose true (generated) risk is in the safest and the riskiest fifth.
    frame, _, log_odds = make_applicants(6000, seed=13)
    known_good = frame[log_odds < np.quantile(log_odds, 0.2)]
    known_bad = frame[log_odds > np.quantile(log_odds, 0.8)]
    good_scores, bad_scores = fitted.score(known_good), fitted.score(known_bad)
    assert np.median(good_scores) > np.median(bad_scores) + 2 * fitted.pdo
    labels = np.r_[np.zeros(len(good_scores)), np.ones(len(bad_scores))]
    assert roc_auc_score(labels, -np.r_[good_scores, bad_scores]) > 0.9


def test_holdout_discrimination_and_goods_outscore_bads(fitted):
    frame, bad, _ = make_applicants(3000, seed=21)
    scores = fitted.score(frame)
    assert scores[bad == 0].mean() > scores[bad == 1].mean()
    assert roc_auc_score(bad, fitted.predict_proba(frame)[:, 1]) > 0.75


def test_woe_is_monotonic_on_a_monotonic_variable(fitted):
    for variable, trend in (("income", "descending"), ("utilization", "ascending")):
        regular = _bins(fitted, variable).query("bin_type == 'range'")
        assert len(regular) >= 3
        steps = np.diff(regular["woe"].to_numpy())
        # Bad rate rises with utilization, so WOE (ln %good/%bad) falls; income the other way round.
        assert (steps < 0).all() if trend == "ascending" else (steps > 0).all()
        assert fitted.selection_table_.set_index("variable").loc[variable, "trend"] == trend


def test_a_u_shaped_variable_is_monotonic_by_default_and_a_valley_when_allowed():
    rng = np.random.default_rng(5)
    age = rng.uniform(18, 80, size=6000)
    log_odds = -1.0 + 0.002 * (age - 45) ** 2  # riskier at both ends
    bad = (rng.uniform(size=age.size) < 1 / (1 + np.exp(-log_odds))).astype(int)
    x = pd.Series(age.round(1))
    monotonic = fit_binning("age", x, bad, "numeric", BinningParams())
    u_shaped = fit_binning("age", x, bad, "numeric", BinningParams(monotonic_trend="auto_u"))
    assert monotonic.trend in ("ascending", "descending")
    assert u_shaped.trend == "valley"
    assert u_shaped.iv > monotonic.iv


def test_missing_values_get_their_own_bin(fitted, applicants):
    frame, bad = applicants
    missing = _bins(fitted, "income").loc["Missing"]
    assert missing["count"] == frame["income"].isna().sum()
    assert missing["bads"] == bad[frame["income"].isna()].sum()
    assert missing["woe"] < 0  # missing income was generated riskier
    row = frame.head(1).assign(income=np.nan)
    assert fitted.bin_labels(row)["income"].iloc[0] == "Missing"


def test_special_values_get_their_own_bin_and_unseen_ones_are_neutral(fitted, applicants):
    frame, _ = applicants
    bins = _bins(fitted, "income")
    assert bins.loc["Special: -999", "count"] == (frame["income"] == -999).sum()
    # -999 does not fall into the lowest income range, where it would sort numerically.
    assert bins.query("bin_type == 'range'")["count"].sum() == frame["income"].gt(-999).sum()
    # -1 was declared special but never occurs: no bin, neutral WOE at predict time.
    assert "Special: -1" not in bins.index
    row = frame.head(1).assign(income=-1.0)
    assert fitted.woe_transform(row)["income"].iloc[0] == 0.0
    assert fitted.bin_labels(row)["income"].iloc[0] == UNSEEN_LABEL


def test_unseen_category_is_neutral_or_missing_as_configured(applicants):
    frame, bad = applicants
    row = frame.head(1).assign(region="mars")
    neutral = build_scorecard().fit(frame, bad)
    table = neutral.scorecard_table_.set_index(["variable", "label"])
    assert neutral.woe_transform(row)["region"].iloc[0] == 0.0
    assert neutral.points(row)["region"].iloc[0] == pytest.approx(table.loc[("region", UNSEEN_LABEL), "points"])
    as_missing = build_scorecard(unseen_category="missing").fit(frame, bad)
    table = as_missing.scorecard_table_.set_index(["variable", "label"])
    assert as_missing.points(row)["region"].iloc[0] == pytest.approx(table.loc[("region", "Missing"), "points"])


def test_rare_categories_are_pooled_or_merged(fitted):
    labels = _bins(fitted, "region").query("bin_type == 'categories'").index
    assert not [label for label in labels if label == "atlantis"]  # 0.5% of rows: never a bin on its own
    assert any("atlantis" in label for label in labels)


def test_unusable_columns_are_dropped_with_a_reason(fitted):
    reasons = fitted.selection_table_.set_index("variable")["reason"]
    assert reasons["flat"] == "constant"
    assert reasons["empty"] == "all values missing"
    assert reasons["opened_at"].startswith("unsupported dtype")
    assert reasons["noise"].startswith("IV") and "below min_iv" in reasons["noise"]
    assert reasons["income_copy"].startswith("WOE correlated with income")
    assert set(fitted.selected_variables_) == {"income", "utilization", "region"}
    assert (reasons[fitted.selected_variables_] == "selected").all()


def test_selection_thresholds_are_parameters(applicants):
    frame, bad = applicants
    keep_all = build_scorecard(min_iv=0.0, max_corr=1.0, drop_wrong_sign=False).fit(frame, bad)
    assert {"noise", "income_copy"} <= set(keep_all.selected_variables_)
    strict = build_scorecard(min_iv=0.5).fit(frame, bad)
    assert strict.selected_variables_ == ["income"]


def test_tables_add_up(fitted, applicants):
    frame, _ = applicants
    bins = fitted.binning_table_
    for variable, table in bins.groupby("variable"):
        assert table["count"].sum() == len(frame)
        assert table["share"].sum() == pytest.approx(1.0)
        iv = fitted.selection_table_.set_index("variable").loc[variable, "iv"]
        assert table["iv_contribution"].sum() == pytest.approx(iv)
    np.testing.assert_allclose(fitted.points(frame).sum(axis=1), fitted.score(frame))


def test_points_follow_the_scaling(fitted, applicants):
    frame, _ = applicants
    p_bad = fitted.predict_proba(frame)[:, 1]
    odds = (1 - p_bad) / p_bad
    scores = fitted.score(frame)
    # score = base_score + pdo * log2(odds / base_odds): base odds score base_score, doubling the odds adds pdo.
    np.testing.assert_allclose(scores, fitted.base_score + fitted.pdo * np.log2(odds / fitted.base_odds))
    i, j = np.argmin(odds), np.argmax(odds)
    assert scores[j] - scores[i] == pytest.approx(fitted.pdo * np.log2(odds[j] / odds[i]))
    assert fitted.factor_ == pytest.approx(fitted.pdo / np.log(2))
    assert fitted.offset_ == pytest.approx(fitted.base_score - fitted.factor_ * np.log(fitted.base_odds))


def test_doubling_pdo_doubles_the_spread_and_base_score_shifts_it(applicants):
    frame, bad = applicants
    reference = build_scorecard().fit(frame, bad).score(frame)
    wider = build_scorecard(pdo=40).fit(frame, bad).score(frame)
    shifted = build_scorecard(base_score=700).fit(frame, bad).score(frame)
    # score - base_score = pdo * log2(odds / base_odds): twice the pdo, twice the distance from the base score.
    np.testing.assert_allclose(wider - 600, 2 * (reference - 600))
    np.testing.assert_allclose(shifted, reference + 100)


def test_reason_codes_point_at_the_adverse_attribute(fitted, applicants):
    frame, _ = applicants
    table = fitted.scorecard_table_
    points = fitted.points(frame)
    # An applicant with the best attribute of every variable, except the worst utilization.
    best_rows = {v: points[v].idxmax() for v in fitted.selected_variables_}
    applicant = pd.DataFrame({v: [frame.loc[best_rows[v], v]] for v in fitted.selected_variables_})
    applicant["utilization"] = frame.loc[points["utilization"].idxmin(), "utilization"]
    reasons = fitted.reason_codes(applicant, n=3).iloc[0]
    utilization = table[table["variable"] == "utilization"]
    assert reasons["reason_1"] == "utilization"
    assert reasons["reason_1_bin"] == utilization.loc[utilization["points"].idxmin(), "label"]
    expected_gap = utilization.query("bin_type == 'range'")["points"].agg(lambda p: p.max() - p.min())
    assert reasons["reason_1_points_below_max"] == pytest.approx(expected_gap)
    assert reasons["reason_2"] is None and np.isnan(reasons["reason_2_points_below_max"])


def test_reason_codes_rank_by_points_below_max(fitted, applicants):
    frame, _ = applicants
    reasons = fitted.reason_codes(frame.head(200), n=3)
    assert list(reasons.columns[:3]) == ["reason_1", "reason_1_bin", "reason_1_points_below_max"]
    gaps = reasons[[f"reason_{k}_points_below_max" for k in (1, 2, 3)]].to_numpy()
    filled = ~np.isnan(gaps)
    assert (np.diff(np.where(filled, gaps, 0.0), axis=1) <= 1e-9).all()  # filled from the left, largest first
    assert (gaps[filled] > 0).all()


def test_no_usable_variable_is_an_error():
    frame = pd.DataFrame({"flat": np.ones(400), "empty": np.full(400, np.nan)})
    bad = np.r_[np.zeros(200), np.ones(200)]
    with pytest.raises(ValueError, match="no variable passed selection.*constant.*all values missing"):
        build_scorecard().fit(frame, bad)
