"""The challenger -> champion gate."""

from __future__ import annotations

from ml.governance import PromotionPolicy, decide_promotion

POLICY = PromotionPolicy(min_gain=0.01, max_psi=0.1)


def test_the_first_version_becomes_champion_when_stable():
    decision = decide_promotion(0.70, 0.02, None, POLICY)
    assert decision.promote and "first version" in decision.reason


def test_a_challenger_must_beat_the_champion_by_the_margin():
    assert not decide_promotion(0.705, 0.02, 0.70, POLICY).promote
    assert decide_promotion(0.711, 0.02, 0.70, POLICY).promote


def test_a_configuration_change_is_promoted_when_the_model_is_no_worse():
    assert decide_promotion(0.70, 0.02, 0.70, POLICY, configuration_changed=True).promote
    assert not decide_promotion(0.68, 0.02, 0.70, POLICY, configuration_changed=True).promote
    assert not decide_promotion(0.70, 0.02, 0.70, POLICY).promote


def test_an_unstable_score_is_never_promoted_even_first():
    decision = decide_promotion(0.90, 0.3, None, POLICY)
    assert not decision.promote and "PSI" in decision.reason


def test_missing_metrics_block_promotion():
    assert not decide_promotion(float("nan"), 0.01, 0.7, POLICY).promote


def test_a_model_card_has_every_section_a_validator_reads():
    from ml.model_card import render_model_card

    card = render_model_card(
        name="m", purpose="p", target="t", data_window={"train rows": 10}, metrics={"auc": 0.7},
        variables=[{"variable": "x", "iv": 0.2}], limits=["small sample"],
    )
    for section in ("## Purpose", "## Target", "## Data", "## Out-of-time metrics", "## Variables", "## Limits"):
        assert section in card
    assert "| auc | 0.7000 |" in card
