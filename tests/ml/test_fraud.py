"""Fraud rules, model and decisions on synthetic data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.fraud import (
    Rule,
    band_shift,
    build_fraud_model,
    decide,
    evaluate_rules,
    precision_recall_at_capacity,
    rules_only_decisions,
)


def test_rules_fire_with_their_reasons_and_the_most_severe_action_wins():
    frame = pd.DataFrame({"hits": [0, 1, 2, np.nan], "velocity": [1, 9, 1, 9]})
    rules = [Rule("listed", "hits", ">=", 1, "reject", "on the blacklist"),
             Rule("fast", "velocity", ">", 5, "review", "many applications")]
    out = evaluate_rules(frame, rules)
    assert out["rule_action"].tolist() == ["pass", "reject", "reject", "review"]
    assert out["rule_hits"].tolist() == [None, "listed; fast", "listed", "fast"]
    assert out["rule_reasons"][1] == "on the blacklist; many applications"


def test_a_rule_on_a_missing_column_says_which():
    with pytest.raises(KeyError, match="nope"):
        evaluate_rules(pd.DataFrame({"a": [1]}), [Rule("r", "nope", ">", 0, "review", "x")])
    in_store = Rule("far", "km", ">", 50, "review", "far from the store",
                    when={"column": "channel", "op": "==", "threshold": "in_store"})
    frame = pd.DataFrame({"km": [80, 80, 10], "channel": ["in_store", "h5", "in_store"]})
    assert evaluate_rules(frame, [in_store])["rule_action"].tolist() == ["review", "pass", "pass"]
    with pytest.raises(ValueError, match="action"):
        Rule("r", "a", ">", 0, "block", "x")


def test_the_model_learns_a_planted_pattern_with_categories_and_missing_values():
    rng = np.random.default_rng(0)
    n = 4000
    frame = pd.DataFrame({
        "shared_device_customers": rng.poisson(1, n).astype(float),
        "channel": rng.choice(["app", "store", None], n),
        "noise": rng.normal(size=n),
    })
    frame.loc[rng.random(n) < 0.1, "shared_device_customers"] = np.nan
    y = ((frame["shared_device_customers"].fillna(0) >= 3) | ((frame["channel"] == "app") & (rng.random(n) < 0.05)))
    model = build_fraud_model(categorical=["channel"], numeric=["shared_device_customers", "noise"]).fit(frame, y)
    p = model.predict_proba(frame)[:, 1]
    figures = precision_recall_at_capacity(y, p, 0.05)
    assert figures["pr_auc"] > 0.8 and figures["base_rate"] < 0.2
    unseen = frame.head(3).assign(channel="kiosk")
    assert model.predict_proba(unseen).shape == (3, 2)


def test_the_decision_takes_the_more_severe_of_model_and_rules():
    out = decide(np.array([0.01, 0.5, 0.95, 0.01]), ["pass", "pass", "review", "reject"], 0.3, 0.9)
    assert out.tolist() == ["pass", "review", "reject", "reject"]


def test_precision_and_recall_at_capacity():
    y = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    s = np.arange(10, 0, -1)  # the first rows score highest
    figures = precision_recall_at_capacity(y, s, 0.2)
    assert figures["precision_at_20%"] == 0.5 and figures["recall_at_20%"] == 0.5


def test_band_shift_sees_the_review_queue_grow_but_not_noise_below_the_threshold():
    rng = np.random.default_rng(1)
    quiet = rng.uniform(0, 0.01, 10000)
    noisy = rng.uniform(0, 0.02, 10000)  # every near-zero score moved, none crosses 0.5
    assert band_shift(quiet, noisy, [0.5, 0.9]) < 1e-6
    grown = np.concatenate([quiet[:9000], np.full(1000, 0.6)])
    assert band_shift(quiet, grown, [0.5, 0.9]) > 0.1


def test_with_no_model_the_rules_decide_alone_with_their_reasons_and_no_probability():
    rules = [Rule("blacklisted", "hits", ">=", 1, "reject", "on the blacklist"),
             Rule("shared_device", "device_customers", ">=", 3, "review", "shared device")]
    frame = pd.DataFrame({"hits": [0, 1, 0], "device_customers": [1, 5, 4]}, index=[7, 8, 9])
    decided = rules_only_decisions(frame, rules)
    assert list(decided.index) == [7, 8, 9]
    assert decided["decision"].tolist() == ["pass", "reject", "review"]
    assert decided["reasons"].tolist() == [None, "on the blacklist; shared device", "shared device"]
    assert decided["fraud_probability"].isna().all() and decided["model_action"].isna().all()
