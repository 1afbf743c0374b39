"""Days and timestamps as integers: days since 1970-01-01 and seconds since 1970-01-01 00:00:00 (local time).

Everything in the simulator is vectorised over these integers; only the writer turns them into text.
"""

from __future__ import annotations

from datetime import date

import numpy as np

EPOCH = date(1970, 1, 1)
DAY = 86_400
HOUR = 3_600
MINUTE = 60

# Times of day are kept inside [EARLIEST, LATEST] so that "a few minutes before/after" stays on the same day.
EARLIEST_SECOND = 20 * MINUTE
LATEST_SECOND = DAY - 20 * MINUTE

# Relative weight of each hour for daytime activity (shops open 9-22, evening H5 peak).
_DAYTIME_HOUR_WEIGHTS = np.array(
    [0, 0, 0, 0, 0, 0, 0, 0.2, 0.6, 1.0, 1.4, 1.4, 1.0, 1.1, 1.3, 1.3, 1.2, 1.1, 1.0, 1.2, 1.3, 1.1, 0.5, 0.1]
)
_ODD_HOURS = np.array([0, 1, 2, 3, 4, 5, 23])


def to_day(d: date) -> int:
    return (d - EPOCH).days


def day_strings(days: np.ndarray) -> np.ndarray:
    """'YYYY-MM-DD' for each day number."""
    return np.asarray(days, dtype="int64").astype("datetime64[D]").astype(str)


def add_months(days: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """Same day-of-month `months` later, clipped to the month's last day (Jan 31 + 1 month = Feb 28/29)."""
    d = np.asarray(days, dtype="int64").astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    day_of_month = (d - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype="int64").astype("timedelta64[M]")
    month_length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return (target.astype("datetime64[D]") + np.minimum(day_of_month, month_length - 1)).astype(np.int64)


def weekday(days: np.ndarray) -> np.ndarray:
    """Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday)."""
    return (np.asarray(days, dtype="int64") + 3) % 7


def next_business_day(days: np.ndarray) -> np.ndarray:
    """T+1: the next Monday-to-Friday day after each day (public holidays are not modelled)."""
    wd = weekday(days)
    return np.asarray(days, dtype="int64") + np.select([wd == 4, wd == 5], [3, 2], default=1)


def daytime_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight for ordinary daytime activity."""
    p = _DAYTIME_HOUR_WEIGHTS / _DAYTIME_HOUR_WEIGHTS.sum()
    hours = rng.choice(24, size=n, p=p)
    return np.clip(hours * HOUR + rng.integers(0, HOUR, n), EARLIEST_SECOND, LATEST_SECOND)


def odd_hour_seconds(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight in the small hours (23:00-05:59), typical of fraud and fake transactions."""
    hours = rng.choice(_ODD_HOURS, size=n)
    return np.clip(hours * HOUR + rng.integers(0, HOUR, n), EARLIEST_SECOND, LATEST_SECOND)


def office_seconds(rng: np.random.Generator, n: int, first_hour: int = 9, last_hour: int = 18) -> np.ndarray:
    """Uniform within office hours, for back-office events (admissions, deposit movements, call-backs)."""
    return rng.integers(first_hour * HOUR, last_hour * HOUR, n)
