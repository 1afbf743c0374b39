"""Simulation parameters. Everything that shapes the synthetic world is here, in one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from simulator.clock import to_day

SCENARIOS = ("appliance", "furniture", "education", "medical_aesthetics")
APPLIANCE, FURNITURE, EDUCATION, MEDICAL = range(4)


@dataclass(frozen=True)
class ScenarioTerms:
    min_amount: int  # yuan
    max_amount: int
    terms: tuple[int, ...]
    term_probs: tuple[float, ...]
    h5_share: float  # share of applications through the H5 page rather than in store


@dataclass(frozen=True)
class SimConfig:
    customers: int = 20_000
    start: date = date(2024, 11, 1)
    end: date = date(2026, 10, 31)
    seed: int = 42
    out: Path = Path("data")

    # --- merchants ---------------------------------------------------------------------------------------------
    customers_per_merchant: float = 40.0
    min_merchants_per_scenario: int = 20
    merchant_scenario_mix: tuple[float, ...] = (0.30, 0.25, 0.15, 0.30)
    deteriorating_share: float = 0.10
    colluding_share: float = 0.05
    # --- customers ---------------------------------------------------------------------------------------------
    customer_scenario_mix: tuple[float, ...] = (0.35, 0.20, 0.15, 0.30)
    applications_per_customer_probs: tuple[float, ...] = (0.75, 0.19, 0.06)  # 1, 2 or 3 applications
    # latent_risk = sigmoid(risk_logit_mean + risk_logit_sd * z), z ~ N(0, 1); it is roughly the probability of
    # reaching 30+ DPD within six months on book at a healthy merchant.
    risk_logit_mean: float = -3.3
    risk_logit_sd: float = 1.25
    fraud_risk_shift: float = 1.5  # fraudsters' z is shifted up by this much
    # --- fraud ---------------------------------------------------------------------------------------------------
    ring_member_share: float = 0.012
    ring_size_range: tuple[int, int] = (3, 15)
    lone_fraud_share: float = 0.0025
    fake_customers_per_colluding_merchant: float = 0.15  # x the merchant's expected genuine customers
    # --- lending -------------------------------------------------------------------------------------------------
    approval_target: float = 0.72
    early_settlement_share: float = 0.04
    # --- blacklists ----------------------------------------------------------------------------------------------
    internal_blacklist_per_customer: float = 2.5
    external_blacklist_per_customer: float = 0.3

    scenario_terms: tuple[ScenarioTerms, ...] = field(
        default=(
            ScenarioTerms(3_000, 20_000, (6, 12), (0.45, 0.55), 0.30),
            ScenarioTerms(5_000, 50_000, (12, 24), (0.6, 0.4), 0.25),
            ScenarioTerms(5_000, 30_000, (6, 12, 24), (0.3, 0.5, 0.2), 0.60),
            ScenarioTerms(3_000, 60_000, (6, 12), (0.45, 0.55), 0.45),
        )
    )

    def __post_init__(self) -> None:
        if self.customers < 1:
            raise ValueError("--customers must be at least 1")
        if self.end < self.start:
            raise ValueError("--end must not be before --start")

    @property
    def start_day(self) -> int:
        """First day of the window, as days since 1970-01-01."""
        return to_day(self.start)

    @property
    def end_day(self) -> int:
        return to_day(self.end)

    @property
    def n_days(self) -> int:
        return self.end_day - self.start_day + 1

    @property
    def n_merchants(self) -> int:
        return sum(self.merchants_per_scenario)

    @property
    def merchants_per_scenario(self) -> tuple[int, ...]:
        total = self.customers / self.customers_per_merchant
        return tuple(max(self.min_merchants_per_scenario, round(total * s)) for s in self.merchant_scenario_mix)
