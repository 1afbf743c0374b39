"""The re-evaluation sensor's decision and its policy file, as pure functions."""

from __future__ import annotations

from datetime import date

import pytest

from orchestration.defs.merchants.policy import (
    MERCHANT_TAG,
    MerchantActivity,
    ReevaluationPolicy,
    load_policy,
    merchants_to_reevaluate,
)

POLICY = ReevaluationPolicy(window_days=30, complaints_threshold=3, not_received_threshold=2,
                            minimum_interval_seconds=60)
DAY = date(2026, 3, 1)


def test_a_merchant_below_both_thresholds_is_left_to_the_daily_run():
    assert merchants_to_reevaluate([MerchantActivity("M1", DAY, complaints=2, not_received=1)], POLICY) == []


def test_complaints_at_the_threshold_trigger_a_reevaluation_tagged_with_the_merchant():
    [decision] = merchants_to_reevaluate([MerchantActivity("M1", DAY, complaints=3, not_received=0)], POLICY)
    assert decision.merchant_id == "M1"
    assert decision.tags[MERCHANT_TAG] == "M1"
    assert "3 complaints in 30 days" in decision.reason


def test_not_received_callbacks_alone_trigger_a_reevaluation():
    [decision] = merchants_to_reevaluate([MerchantActivity("M2", DAY, complaints=0, not_received=2)], POLICY)
    assert '2 "not received" call-backs' in decision.reason


def test_one_run_key_per_merchant_and_day():
    first = merchants_to_reevaluate([MerchantActivity("M1", DAY, 5, 0)], POLICY)[0]
    same_day = merchants_to_reevaluate([MerchantActivity("M1", DAY, 6, 3)], POLICY)[0]
    next_day = merchants_to_reevaluate([MerchantActivity("M1", date(2026, 3, 2), 6, 3)], POLICY)[0]
    other = merchants_to_reevaluate([MerchantActivity("M9", DAY, 6, 3)], POLICY)[0]
    assert first.run_key == same_day.run_key == "merchant-reevaluation-M1-2026-03-01"
    assert len({first.run_key, next_day.run_key, other.run_key}) == 3


def test_several_merchants_are_decided_independently_in_id_order():
    decisions = merchants_to_reevaluate(
        [MerchantActivity("M3", DAY, 9, 0), MerchantActivity("M1", DAY, 0, 0), MerchantActivity("M2", DAY, 0, 4)],
        POLICY,
    )
    assert [d.merchant_id for d in decisions] == ["M2", "M3"]


def test_the_policy_file_loads_and_a_bad_value_is_refused():
    policy = load_policy()
    assert policy.window_days >= 1 and policy.complaints_threshold >= 1 and policy.not_received_threshold >= 1
    with pytest.raises(ValueError, match="complaints_threshold"):
        ReevaluationPolicy.from_dict({"window_days": 30, "complaints_threshold": 0, "not_received_threshold": 2,
                                      "minimum_interval_seconds": 60})
    with pytest.raises(ValueError, match="window_days"):
        ReevaluationPolicy.from_dict({"complaints_threshold": 3, "not_received_threshold": 2,
                                      "minimum_interval_seconds": 60})
