"""Volume: the rows a raw table got on the latest landing day, against its average over the days before.

One suite for every raw table; the bounds are expectation parameters computed from the trailing average, so a day
that delivers far fewer rows (a lost or truncated extract) or far more (a file delivered under two names) than usual
is flagged: below a quarter or above four times the average (wider where the Poisson noise of the average is larger
than that). A table averaging under `MIN_AVERAGE` rows a day is not judged at all: its days vary too much by chance.
A warning, never blocking.
"""

from __future__ import annotations

import math

import great_expectations as gx

from expectations.common import WARNING, suite

TRAILING_DAYS = 28
MIN_AVERAGE = 20.0
# Ratio to the trailing average outside which a day is flagged (unless within the noise allowance).
LOW_RATIO, HIGH_RATIO = 0.25, 4.0
NOISE_SIGMAS = 3.0
SUITE_NAME = "raw.volume_vs_trailing_average"


def query(table: str) -> str:
    """Rows of `table` on the lake's latest landing day and the daily average of the `TRAILING_DAYS` days before it
    (days without a file count as zero). `table` comes from the suites' own constants."""
    return f"""
        with latest as (select max(landing_date) as day from raw._ingested_files),
        daily as (
            select _landing_date as day, count(*) as row_count
            from {table}
            where _landing_date between (select day from latest) - {TRAILING_DAYS} and (select day from latest)
            group by all
        )
        select
            (select day from latest) as landing_date,
            coalesce((select row_count from daily where day = (select day from latest)), 0) as rows_on_latest_day,
            coalesce((select sum(row_count) from daily where day < (select day from latest)), 0) / {TRAILING_DAYS}.0
                as trailing_average"""


def volume_bounds(trailing_average: float) -> tuple[float, float | None]:
    """(min, max) rows expected on a day given the trailing daily average; (0, None) when too small to judge."""
    if trailing_average < MIN_AVERAGE:
        return 0.0, None
    noise = NOISE_SIGMAS * math.sqrt(trailing_average)
    low = min(LOW_RATIO * trailing_average, trailing_average - noise)
    high = max(HIGH_RATIO * trailing_average, trailing_average + noise)
    return max(0.0, low), high


def parameters(trailing_average: float) -> dict[str, float | None]:
    """The suite's expectation parameters for a table with this trailing average."""
    low, high = volume_bounds(trailing_average)
    return {"min_rows": low, "max_rows": high}


def build_suite() -> gx.ExpectationSuite:
    return suite(SUITE_NAME, [
        gx.expectations.ExpectColumnValuesToBeBetween(
            column="rows_on_latest_day", min_value={"$PARAMETER": "min_rows"},
            max_value={"$PARAMETER": "max_rows"}, severity=WARNING,
        ),
    ])
