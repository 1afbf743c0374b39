"""The fraud policy (fraud_policy.yml) as typed objects."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ml.fraud import Rule
from ml.governance import PromotionPolicy
from ml.readiness import ReadinessPolicy

POLICY_FILE = Path(__file__).with_name("fraud_policy.yml")


@dataclass(frozen=True)
class FraudPolicy:
    features_table: str
    feature_prefixes: tuple[str, ...]
    rules: tuple[Rule, ...]
    training: dict[str, Any]
    decision: dict[str, Any]
    model: dict[str, Any]
    promotion: PromotionPolicy
    readiness: ReadinessPolicy

    @property
    def registered_name(self) -> str:
        return self.model["registered_name"]


@cache
def load_policy(path: Path = POLICY_FILE) -> FraudPolicy:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return FraudPolicy(
        features_table=raw["features_table"],
        feature_prefixes=tuple(raw["feature_prefixes"]),
        rules=tuple(Rule.from_dict(r) for r in raw["rules"]),
        training=raw["training"],
        decision=raw["decision"],
        model=raw["model"],
        promotion=PromotionPolicy(**raw["promotion"]),
        readiness=ReadinessPolicy.from_dict(raw["training"]["readiness"], str(path)),
    )
