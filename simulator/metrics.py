"""Outcome metrics computed from the simulated books (used for the run summary)."""

from __future__ import annotations

import numpy as np

from simulator.clock import add_months
from simulator.config import SimConfig
from simulator.lending import Loans, Repayments


def dpd30_within_6_months(cfg: SimConfig, loans: Loans, repayments: Repayments,
                          cancelled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(observable, bad) per loan.

    A loan is observable when six months on book end inside the window and it was not cancelled by a return. It is
    bad when some instalment was still unpaid 30 days after its due date on or before the six-month mark
    (instalments a course withdrawal cancelled do not count).
    """
    lf = loans.frame
    horizon = add_months(lf["disb_day"].to_numpy() + cfg.start_day, 6) - cfg.start_day
    observable = (horizon <= cfg.n_days - 1) & ~cancelled
    s, p = repayments.schedule, repayments.payments
    first_row = np.r_[0, np.cumsum(lf["term"].to_numpy())[:-1]]
    paid_day = np.full(len(s), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(paid_day, first_row[p["loan"].to_numpy()] + p["k"].to_numpy() - 1, p["paid_day"].to_numpy())
    loan, due = s["loan"].to_numpy(), s["due_day"].to_numpy()
    bad_row = (due + 30 <= horizon[loan]) & (paid_day >= due + 30) & ~repayments.cancelled_instalment
    bad = np.bincount(loan[bad_row], minlength=len(lf)) > 0
    return observable, bad


def auc(score: np.ndarray, label: np.ndarray) -> float:
    """Area under the ROC curve via the rank-sum formula (ties get average ranks)."""
    label = np.asarray(label, dtype=bool)
    n_pos, n_neg = label.sum(), (~label).sum()
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    order = np.argsort(score, kind="stable")
    ranks = np.empty(len(score))
    sorted_scores = np.asarray(score)[order]
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    average = first + (counts + 1) / 2
    ranks[order] = np.repeat(average, counts)
    return float((ranks[label].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
