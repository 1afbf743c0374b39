"""Whether a model can be trained yet: enough labelled outcomes, both classes, a sane positive rate, and more than
one month of them for the out-of-time split.

A young book has none of that - no loan has six months on book, no fraud label is 150 days old - and that is not an
error in the data: the daily batch only warns, the training says "not yet" and when, and nothing fails. Pure
functions; the orchestration layer reads the outcomes from the lake and the thresholds from the model's policy YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

# What `assess` reads: one row per application.
OUTCOME_COLUMNS = (
    "month",  # the application month (the out-of-time split orders these)
    "labelled",  # the outcome is observable today
    "positive",  # the outcome (bad / fraud); null unless labelled
    "labelled_on",  # the day the outcome becomes observable (null if it never will, e.g. a declined application)
)


@dataclass(frozen=True)
class ReadinessPolicy:
    """The minimum a model needs to be trained: `min_labelled` outcomes over at least `min_months` application months,
    with at least `min_positives` positives, and a positive rate within `rate_between` (outside it the target is
    more likely broken than real)."""

    min_labelled: int
    min_positives: int
    min_months: int
    rate_between: tuple[float, float]

    @classmethod
    def from_dict(cls, raw: dict, where: str) -> ReadinessPolicy:
        def whole(name: str, minimum: int) -> int:
            value = raw.get(name)
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                raise ValueError(f"{where}: readiness.{name} must be a whole number >= {minimum}, got {value!r}")
            return value

        bounds = raw.get("rate_between")
        if (not isinstance(bounds, list | tuple) or len(bounds) != 2
                or not all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
                or not 0 <= bounds[0] < bounds[1] <= 1):
            raise ValueError(f"{where}: readiness.rate_between must be [low, high] with 0 <= low < high <= 1, "
                             f"got {bounds!r}")
        unknown = set(raw) - {"min_labelled", "min_positives", "min_months", "rate_between"}
        if unknown:
            raise ValueError(f"{where}: unknown readiness settings {sorted(unknown)}")
        return cls(whole("min_labelled", 1), whole("min_positives", 1), whole("min_months", 1),
                   (float(bounds[0]), float(bounds[1])))


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reasons: tuple[str, ...]  # what is missing (empty when ready)
    labelled: int
    positives: int
    months: int
    rate: float | None
    first_labelled_on: date | None  # the day the first outcome is (or was) observable
    expected_ready_on: date | None  # the day enough outcomes over enough months will be observable, if ever

    def summary(self, model: str) -> str:
        """One line for a log, a run's metadata and `make run`'s summary."""
        if self.ready:
            return (f"{model}: ready to train - {self.labelled} labelled outcomes over {self.months} months, "
                    f"positive rate {self.rate:.4f}")
        when = []
        if self.first_labelled_on is not None and self.labelled == 0:
            when.append(f"the first outcomes mature on {self.first_labelled_on.isoformat()}")
        if self.expected_ready_on is not None:
            when.append(f"enough of them by {self.expected_ready_on.isoformat()}")
        return f"{model}: not trainable yet - {'; '.join(self.reasons)}" + (f"; {', '.join(when)}" if when else "")

    def as_metadata(self) -> dict:
        return {
            "ready": self.ready,
            "reasons": list(self.reasons),
            "labelled_outcomes": self.labelled,
            "positives": self.positives,
            "labelled_months": self.months,
            "positive_rate": None if self.rate is None else round(self.rate, 6),
            "first_labelled_on": None if self.first_labelled_on is None else self.first_labelled_on.isoformat(),
            "expected_ready_on": None if self.expected_ready_on is None else self.expected_ready_on.isoformat(),
        }


def _expected_ready_on(outcomes: pd.DataFrame, policy: ReadinessPolicy) -> date | None:
    """The first day by which `min_labelled` outcomes over `min_months` months are observable, counting every
    application whose outcome has a date (the positives cannot be forecast)."""
    dated = outcomes.dropna(subset=["labelled_on"]).sort_values("labelled_on")
    if len(dated) < policy.min_labelled:
        return None
    counts = pd.Series(range(1, len(dated) + 1), index=dated.index)
    months_seen = (~dated["month"].duplicated()).cumsum()
    enough = dated[(counts >= policy.min_labelled) & (months_seen >= policy.min_months)]
    return None if enough.empty else pd.Timestamp(enough["labelled_on"].iloc[0]).date()


def assess(outcomes: pd.DataFrame, policy: ReadinessPolicy) -> Readiness:
    """Whether a model can be trained on these outcomes (columns OUTCOME_COLUMNS), and if not, what is missing."""
    missing = [c for c in OUTCOME_COLUMNS if c not in outcomes.columns]
    if missing:
        raise ValueError(f"readiness needs the columns {list(OUTCOME_COLUMNS)}; missing {missing}")
    labelled = outcomes[outcomes["labelled"].fillna(False).astype(bool)]
    n, positives = len(labelled), int(labelled["positive"].fillna(False).astype(bool).sum())
    months = int(labelled["month"].nunique())
    rate = positives / n if n else None
    reasons = []
    if n < policy.min_labelled:
        reasons.append(f"{n} labelled outcomes, {policy.min_labelled} needed")
    if months < policy.min_months:
        reasons.append(f"outcomes in {months} application months, {policy.min_months} needed for an out-of-time split")
    if positives < policy.min_positives:
        reasons.append(f"{positives} positives, {policy.min_positives} needed (both classes)")
    low, high = policy.rate_between
    if rate is not None and not low <= rate <= high:
        reasons.append(f"positive rate {rate:.4f} outside [{low}, {high}]: the target looks broken")
    first = outcomes["labelled_on"].dropna()
    first_on = pd.Timestamp(first.min()).date() if len(first) else None
    expected = None if not reasons else _expected_ready_on(outcomes, policy)
    if expected is not None and n >= policy.min_labelled and months >= policy.min_months:
        expected = None  # the counts are there; what is missing (positives, the rate) has no date
    return Readiness(not reasons, tuple(reasons), n, positives, months, rate, first_on, expected)
