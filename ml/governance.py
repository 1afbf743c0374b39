"""Model governance decisions: whether a challenger replaces the champion.

Pure functions; the orchestration layer applies the decision with the MLflow client and records it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PromotionPolicy:
    """A challenger becomes champion only if it beats the champion's out-of-time metric (AUC for a scorecard, PR-AUC
    for a fraud model) by `min_gain` on the same validation data, and its score is stable between training and
    validation (PSI at most `max_psi`)."""

    min_gain: float = 0.005
    max_psi: float = 0.10


@dataclass(frozen=True)
class PromotionDecision:
    promote: bool
    reason: str


def decide_promotion(
    challenger_auc: float,
    challenger_psi: float,
    champion_auc: float | None,
    policy: PromotionPolicy = PromotionPolicy(),
    metric: str = "AUC",
    configuration_changed: bool = False,
) -> PromotionDecision:
    """Decide on a challenger given its out-of-time `metric` (higher is better; AUC by default) and train-vs-validation
    PSI, and the champion's metric on the same validation data (None when there is no champion yet: the first version
    becomes champion). `configuration_changed` (e.g. new decision rules packaged with the model): then a challenger
    no worse than the champion by more than the margin is promoted too, so a policy change takes effect."""
    if challenger_psi != challenger_psi or challenger_auc != challenger_auc:  # NaN
        return PromotionDecision(False, "challenger metrics are missing (NaN)")
    if challenger_psi > policy.max_psi:
        return PromotionDecision(
            False, f"score unstable: PSI {challenger_psi:.3f} > {policy.max_psi:.3f} between training and validation"
        )
    if champion_auc is None:
        return PromotionDecision(True, "first version: no champion yet")
    gain = challenger_auc - champion_auc
    if configuration_changed and gain >= -policy.min_gain:
        return PromotionDecision(
            True,
            f"configuration changed; out-of-time {metric} {challenger_auc:.4f} vs champion {champion_auc:.4f} "
            f"({gain:+.4f}, within the {policy.min_gain:.4f} margin); PSI {challenger_psi:.3f}",
        )
    if gain < policy.min_gain:
        return PromotionDecision(
            False,
            f"out-of-time {metric} {challenger_auc:.4f} vs champion {champion_auc:.4f}: gain {gain:+.4f} "
            f"below the required {policy.min_gain:+.4f}",
        )
    return PromotionDecision(
        True,
        f"out-of-time {metric} {challenger_auc:.4f} beats champion {champion_auc:.4f} by {gain:+.4f} "
        f"(>= {policy.min_gain:+.4f}); PSI {challenger_psi:.3f} <= {policy.max_psi:.3f}",
    )
