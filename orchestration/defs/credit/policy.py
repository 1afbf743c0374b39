"""The credit policy (credit_policy.yml) as typed objects."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ml.governance import PromotionPolicy
from ml.limits import LimitPolicy
from ml.readiness import ReadinessPolicy

POLICY_FILE = Path(__file__).with_name("credit_policy.yml")


@dataclass(frozen=True)
class CreditPolicy:
    training: dict[str, Any]
    model: dict[str, Any]
    promotion: PromotionPolicy
    limits: LimitPolicy
    monitoring: dict[str, Any]
    readiness: ReadinessPolicy

    @property
    def registered_name(self) -> str:
        return self.model["registered_name"]

    @property
    def grade_bounds(self) -> tuple[tuple[str, float], ...]:
        return tuple((str(g), float(b)) for g, b in self.model["grades"])


@cache
def load_policy(path: Path = POLICY_FILE) -> CreditPolicy:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return CreditPolicy(
        training=raw["training"],
        model=raw["model"],
        promotion=PromotionPolicy(**raw["promotion"]),
        limits=LimitPolicy.from_dict(raw["limits"]),
        monitoring=raw["monitoring"],
        readiness=ReadinessPolicy.from_dict(raw["training"]["readiness"], str(path)),
    )
