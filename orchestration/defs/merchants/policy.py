"""The re-evaluation policy (reevaluation.yml) and the sensor's decision, as plain functions (no Dagster)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

POLICY_FILE = Path(__file__).with_name("reevaluation.yml")
MERCHANT_TAG = "merchant_id"


@dataclass(frozen=True)
class ReevaluationPolicy:
    window_days: int
    complaints_threshold: int
    not_received_threshold: int
    minimum_interval_seconds: int

    @classmethod
    def from_dict(cls, raw: dict) -> ReevaluationPolicy:
        values = {}
        for name in cls.__dataclass_fields__:
            value = raw.get(name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"reevaluation policy: {name} must be a positive whole number, got {value!r}")
            values[name] = value
        return cls(**values)


@cache
def load_policy(path: Path = POLICY_FILE) -> ReevaluationPolicy:
    return ReevaluationPolicy.from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class MerchantActivity:
    """A merchant that new complaints or call-backs landed about: its counts in the window ending evaluated_on."""

    merchant_id: str
    evaluated_on: date
    complaints: int
    not_received: int


@dataclass(frozen=True)
class Reevaluation:
    merchant_id: str
    evaluated_on: date
    reason: str

    @property
    def run_key(self) -> str:
        # one run per merchant and day: later complaints the same day do not launch it again
        return f"merchant-reevaluation-{self.merchant_id}-{self.evaluated_on.isoformat()}"

    @property
    def tags(self) -> dict[str, str]:
        return {MERCHANT_TAG: self.merchant_id, "reevaluation_reason": self.reason,
                "evaluated_on": self.evaluated_on.isoformat()}


def merchants_to_reevaluate(activity: list[MerchantActivity], policy: ReevaluationPolicy) -> list[Reevaluation]:
    """The merchants whose complaints or "not received" call-backs in the window reach a threshold, in id order."""
    decisions = []
    for item in sorted(activity, key=lambda a: a.merchant_id):
        reasons = []
        if item.complaints >= policy.complaints_threshold:
            reasons.append(f"{item.complaints} complaints in {policy.window_days} days "
                           f"(threshold {policy.complaints_threshold})")
        if item.not_received >= policy.not_received_threshold:
            reasons.append(f'{item.not_received} "not received" call-backs in {policy.window_days} days '
                           f"(threshold {policy.not_received_threshold})")
        if reasons:
            decisions.append(Reevaluation(item.merchant_id, item.evaluated_on, "; ".join(reasons)))
    return decisions
