"""Scores the merchant early warning (marts.merchant_warnings) against the simulator's hidden merchant truth.

Only this module (and tests) read `truth/merchants.parquet`; the pipeline never does. It reads the lake read-only.
`python -m evaluation.merchants` prints the figures as JSON.

Figures (merchant level; "bad" = latent_state colluding, or deteriorating - the two states the truth knows besides
healthy):
- severe_precision / severe_recall: merchants with at least one severe warning vs bad merchants;
- timely_severe_precision / _recall: the same, counting a severe warning only on a day the merchant was already bad
  (any day for a colluding merchant, on or after deteriorates_on for a deteriorating one) - a severe warning for a
  deteriorating merchant before its deterioration counts as a false alarm;
- colluding_with_warn_share: colluding merchants with at least a warn (the issue requires 1.0);
- lead time, for each deteriorating merchant whose deterioration became visible in risk_fpd by the data date:
  visible_on = the first day one of its loans disbursed on or after deteriorates_on showed FPD30 (first instalment
  30 days past due - the day the loan enters risk_fpd's fpd30_loan_count: first_due_on + 30), and
  lead_days = visible_on - the first severe warning on or after deteriorates_on (positive: the warning came first).
  The same figure for colluding merchants (visible_on: their first FPD30 loan; first severe warning: any).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from statistics import mean, median

import pandas as pd
import pyarrow.parquet as pq

BAD_STATES = ("colluding", "deteriorating")


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _lead_times(truth: pd.DataFrame, severe: pd.DataFrame, loans: pd.DataFrame, state: str) -> dict:
    """Lead days per merchant of `state` that became visible (see the module doc)."""
    members = truth[truth["latent_state"] == state]
    leads: list[int] = []
    visible, warned_first, never_warned = 0, 0, 0
    for row in members.itertuples():
        since = row.deteriorates_on if state == "deteriorating" else None
        own = loans[(loans["merchant_id"] == row.merchant_id) & loans["is_fpd30"]]
        if since is not None:
            own = own[own["disbursed_on"] >= since]
        if own.empty:
            continue
        visible += 1
        visible_on = min(own["fpd30_visible_on"])
        warnings = severe[severe["merchant_id"] == row.merchant_id]
        if since is not None:
            warnings = warnings[warnings["warning_date"] >= since]
        if warnings.empty:
            never_warned += 1
            continue
        lead = (visible_on - min(warnings["warning_date"])).days
        leads.append(lead)
        warned_first += lead > 0
    return {
        f"{state}_visible_in_risk_fpd": visible,
        f"{state}_visible_with_severe_warning": len(leads),
        f"{state}_severe_warning_before_visible": warned_first,
        f"{state}_visible_without_severe_warning": never_warned,
        f"{state}_lead_days_median": median(leads) if leads else None,
        f"{state}_lead_days_mean": round(mean(leads), 1) if leads else None,
        f"{state}_lead_days_min": min(leads) if leads else None,
        f"{state}_lead_days_max": max(leads) if leads else None,
    }


def merchant_warning_figures(warnings: pd.DataFrame, loans: pd.DataFrame, truth: pd.DataFrame) -> dict:
    """`warnings`: merchant_id, warning_date, level. `loans`: merchant_id, disbursed_on, is_fpd30, fpd30_visible_on
    (returned loans left out). `truth`: merchant_id, latent_state, deteriorates_on. Dates as datetime.date."""
    truth = truth.copy()
    bad = set(truth.loc[truth["latent_state"].isin(BAD_STATES), "merchant_id"])
    colluding = set(truth.loc[truth["latent_state"] == "colluding", "merchant_id"])
    severe = warnings[warnings["level"] == "severe"]
    flagged = set(severe["merchant_id"])
    with_warn = set(warnings.loc[warnings["level"].isin(["warn", "severe"]), "merchant_id"])

    bad_since = {row.merchant_id: (row.deteriorates_on if row.latent_state == "deteriorating" else None)
                 for row in truth.itertuples() if row.merchant_id in bad}
    timely = set()
    for row in severe.itertuples():
        if row.merchant_id in bad_since:
            since = bad_since[row.merchant_id]
            if since is None or row.warning_date >= since:
                timely.add(row.merchant_id)

    figures = {
        "merchants": len(truth),
        "bad_merchants": len(bad),
        "colluding_merchants": len(colluding),
        "deteriorating_merchants": len(bad) - len(colluding),
        "merchants_with_severe": len(flagged),
        "severe_precision": _share(len(flagged & bad), len(flagged)),
        "severe_recall": _share(len(flagged & bad), len(bad)),
        "timely_severe_precision": _share(len(timely), len(flagged)),
        "timely_severe_recall": _share(len(timely), len(bad)),
        "colluding_severe_recall": _share(len(flagged & colluding), len(colluding)),
        "deteriorating_timely_severe_recall": _share(len(timely - colluding), len(bad - colluding)),
        "healthy_merchants_with_severe": len(flagged - bad),
        "colluding_with_warn_share": _share(len(with_warn & colluding), len(colluding)),
        "colluding_without_warn": sorted(colluding - with_warn),
        "warning_rows": len(warnings),
        "severe_rows": len(severe),
    }
    figures.update(_lead_times(truth, severe, loans, "deteriorating"))
    figures.update(_lead_times(truth, severe, loans, "colluding"))
    return figures


def read_lake(conn) -> tuple[pd.DataFrame, pd.DataFrame]:
    warnings = conn.execute(
        "select merchant_id, warning_date, level from marts.merchant_warnings"
    ).df()
    loans = conn.execute(
        """select merchant_id, disbursed_on, coalesce(first_instalment_dpd >= 30, false) as is_fpd30,
                  cast(first_due_on + interval 30 day as date) as fpd30_visible_on
           from marts.fct_loans where loan_status <> 'returned'"""
    ).df()
    for frame, columns in ((warnings, ["warning_date"]), (loans, ["disbursed_on", "fpd30_visible_on"])):
        for column in columns:
            frame[column] = pd.to_datetime(frame[column]).dt.date
    return warnings, loans


def read_truth(truth_dir: Path) -> pd.DataFrame:
    truth = pq.read_table(truth_dir / "merchants.parquet").to_pandas()
    truth["deteriorates_on"] = pd.to_datetime(truth["deteriorates_on"]).dt.date
    truth["deteriorates_on"] = truth["deteriorates_on"].astype(object).where(truth["deteriorates_on"].notna(), None)
    return truth


def evaluate_merchants() -> dict:
    from orchestration.config import load_settings
    from orchestration.lakehouse import connect_lake

    settings = load_settings()
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        warnings, loans = read_lake(conn)
    return merchant_warning_figures(warnings, loans, read_truth(settings.truth_dir))


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(prog="python -m evaluation.merchants", description=__doc__).parse_args(argv)
    print(json.dumps(evaluate_merchants(), indent=2, default=str))


if __name__ == "__main__":
    main()
