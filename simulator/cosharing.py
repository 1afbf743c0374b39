"""Merchant co-sharing: loan returns, refunds, course withdrawals, deposit movements and store statements.

Returns and refunds each land once, on the day of their last state change as of the window end: completed or
rejected rows on their completion day, still-open ('requested') rows on their request day with completed_at empty.
A completed return cancels the loan before its first due date (nothing is ever repaid on it).
Education course withdrawals trigger an automatic refund of the unused tuition on T+1 (next business day); the
instalments due after the agreed day are cancelled (never paid, never past due).
Store statements are the store's own daily figures; about 2% deliberately disagree with the lender's books.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator import ids
from simulator.clock import DAY, HOUR, daytime_seconds, next_business_day, office_seconds
from simulator.config import EDUCATION, SimConfig
from simulator.fraud import FAKE, REGULAR
from simulator.lending import Loans
from simulator.merchants import COLLUDING, MerchantBook
from simulator.population import Population
from simulator.rng import stream

NEVER = np.iinfo(np.int64).max // 4  # a day beyond any window
RETURN_REASONS = ("goods_returned", "order_cancelled", "service_not_provided", "duplicate_order",
                  "customer_changed_mind")
REFUND_REASONS = ("price_adjustment", "partial_service_cancelled", "damaged_goods", "promotion_rebate")
WITHDRAWAL_REFUND_REASON = "course_withdrawal"
STATES = ("requested", "completed", "rejected")
REQUESTED, COMPLETED, REJECTED = range(3)


@dataclass
class Cosharing:
    returns: pd.DataFrame
    refunds: pd.DataFrame
    withdrawals: pd.DataFrame

    def cancelled_loans(self, n_loans: int) -> np.ndarray:
        cancelled = np.zeros(n_loans, dtype=bool)
        done = self.returns["state"].to_numpy() == COMPLETED
        cancelled[self.returns["loan"].to_numpy()[done]] = True
        return cancelled

    def withdrawal_days(self, n_loans: int) -> np.ndarray:
        """Per loan, the (window-relative) day its course withdrawal was agreed; NEVER if none. Every instalment
        due after that day is cancelled: nothing is paid on it and it cannot go past due."""
        day = np.full(n_loans, NEVER, dtype=np.int64)
        day[self.withdrawals["loan"].to_numpy()] = self.withdrawals["agreed_day"].to_numpy()
        return day


def _bad_merchant_rate(loans: pd.DataFrame, healthy: float, bad: float) -> np.ndarray:
    bad_now = loans["after_deterioration"].to_numpy() | (loans["merchant_state"].to_numpy() == COLLUDING)
    return np.where(bad_now, bad, healthy)


def _states(rng: np.random.Generator, requested_day: np.ndarray, p: tuple[float, float, float],
            delay: tuple[int, int], n_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Final state as of the window end and the day it was reached (requested day for open ones)."""
    n = len(requested_day)
    state = rng.choice(3, size=n, p=p)
    done_day = requested_day + rng.integers(delay[0], delay[1] + 1, n)
    state = np.where((state != REQUESTED) & (done_day >= n_days), REQUESTED, state)
    return state, np.where(state == REQUESTED, requested_day, done_day)


def plan_returns(cfg: SimConfig, loans: Loans) -> pd.DataFrame:
    rng = stream(cfg.seed, "returns")
    lf = loans.frame
    n = len(lf)
    rate = _bad_merchant_rate(lf, 0.02, 0.07)
    rate = np.where(lf["kind"].to_numpy() == REGULAR, rate, np.where(lf["kind"].to_numpy() == FAKE, 0.02, 0.0))
    chosen = np.flatnonzero(rng.random(n) < rate)
    requested_day = lf["disb_day"].to_numpy()[chosen] + rng.integers(1, 22, len(chosen))
    ok = requested_day < cfg.n_days
    chosen, requested_day = chosen[ok], requested_day[ok]
    state, final_day = _states(rng, requested_day, (0.07, 0.85, 0.08), (1, 4), cfg.n_days)
    requested_ts = requested_day * DAY + daytime_seconds(rng, len(chosen))
    completed_ts = np.where(state == REQUESTED, np.nan, final_day * DAY + office_seconds(rng, len(chosen)))
    return pd.DataFrame(
        {
            "loan": chosen,
            "amount": lf["principal_fen"].to_numpy()[chosen],
            "reason": np.array(RETURN_REASONS, dtype=object)[rng.integers(0, len(RETURN_REASONS), len(chosen))],
            "state": state,
            "requested_ts": requested_ts,
            "completed_ts": completed_ts,
            "final_day": final_day,
        }
    )


def _withdrawals(cfg: SimConfig, rng: np.random.Generator, lf: pd.DataFrame, cancelled: np.ndarray) -> pd.DataFrame:
    """~4% of education loans (5% drawn, some fall after the window): the course is abandoned part-way;
    unused tuition = fee * (1 - used / total)."""
    eligible = (lf["scenario"].to_numpy() == EDUCATION) & ~cancelled & (lf["kind"].to_numpy() == REGULAR)
    chosen = np.flatnonzero(eligible & (rng.random(len(lf)) < 0.05))
    course_days = (lf["term"].to_numpy()[chosen] * 30 * 0.9).astype(np.int64)
    elapsed = rng.integers(7, np.maximum(course_days, 8))
    agreed = lf["disb_day"].to_numpy()[chosen] + elapsed
    ok = agreed < cfg.n_days
    chosen, course_days, elapsed, agreed = chosen[ok], course_days[ok], elapsed[ok], agreed[ok]
    total = rng.integers(10, 61, len(chosen))
    used = np.clip(np.floor(total * elapsed / course_days), 0, total - 1).astype(np.int64)
    fee = lf["principal_fen"].to_numpy()[chosen]
    unused = (fee * (total - used) * 2 + total) // (2 * total)  # fee * (1 - used/total), rounded half up to a fen
    return pd.DataFrame({"loan": chosen, "agreed_day": agreed, "fee": fee, "lessons_total": total,
                         "lessons_used": used, "unused": unused})


def plan_refunds_and_withdrawals(
    cfg: SimConfig, loans: Loans, cancelled: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = stream(cfg.seed, "refunds")
    lf = loans.frame
    n = len(lf)
    rate = np.where(cancelled | (lf["kind"].to_numpy() != REGULAR), 0.0, _bad_merchant_rate(lf, 0.02, 0.05))
    chosen = np.flatnonzero(rng.random(n) < rate)
    requested_day = lf["disb_day"].to_numpy()[chosen] + rng.integers(3, 61, len(chosen))
    ok = requested_day < cfg.n_days
    chosen, requested_day = chosen[ok], requested_day[ok]
    state, final_day = _states(rng, requested_day, (0.05, 0.90, 0.05), (1, 3), cfg.n_days)
    share = rng.uniform(0.05, 0.30, len(chosen))
    amount = np.round(lf["principal_fen"].to_numpy()[chosen] * share / 100).astype(np.int64) * 100
    refunds = pd.DataFrame(
        {
            "loan": chosen,
            "amount": amount,
            "reason": np.array(REFUND_REASONS, dtype=object)[rng.integers(0, len(REFUND_REASONS), len(chosen))],
            "state": state,
            "requested_ts": requested_day * DAY + daytime_seconds(rng, len(chosen)),
            "completed_ts": np.where(state == REQUESTED, np.nan, final_day * DAY + office_seconds(rng, len(chosen))),
            "final_day": final_day,
        }
    )
    withdrawals = _withdrawals(cfg, rng, lf, cancelled)
    # T+1 automatic refund of the unused tuition.
    agreed = withdrawals["agreed_day"].to_numpy()
    t_plus_1 = next_business_day(agreed + cfg.start_day) - cfg.start_day
    done = t_plus_1 < cfg.n_days
    auto = pd.DataFrame(
        {
            "loan": withdrawals["loan"].to_numpy(),
            "amount": withdrawals["unused"].to_numpy(),
            "reason": WITHDRAWAL_REFUND_REASON,
            "state": np.where(done, COMPLETED, REQUESTED),
            "requested_ts": agreed * DAY + office_seconds(rng, len(agreed), 9, 17),
            "completed_ts": np.where(done, t_plus_1 * DAY + office_seconds(rng, len(agreed), 9, 12), np.nan),
            "final_day": np.where(done, t_plus_1, agreed),
        }
    )
    refunds = pd.concat([refunds, auto], ignore_index=True)
    refunds = refunds.sort_values(["final_day", "requested_ts", "loan"], kind="stable", ignore_index=True)
    return refunds, withdrawals


def build_cosharing(cfg: SimConfig, loans: Loans) -> Cosharing:
    returns = plan_returns(cfg, loans)
    returns = returns.sort_values(["final_day", "requested_ts", "loan"], kind="stable", ignore_index=True)
    no_refunds = pd.DataFrame()
    cancelled = Cosharing(returns, no_refunds, no_refunds).cancelled_loans(len(loans.frame))
    refunds, withdrawals = plan_refunds_and_withdrawals(cfg, loans, cancelled)
    return Cosharing(returns, refunds, withdrawals)


# --- extracts ----------------------------------------------------------------------------------------------------

def _return_like_extract(cfg: SimConfig, frame: pd.DataFrame, loans: Loans, book: MerchantBook, prefix: str,
                         id_column: str, amount_column: str) -> pd.DataFrame:
    lf = loans.frame
    loan = frame["loan"].to_numpy()
    return pd.DataFrame(
        {
            id_column: ids.sequential(prefix, np.arange(1, len(frame) + 1), 8),
            "loan_id": lf["loan_id"].take(loan).to_numpy(),
            "merchant_id": book.merchants["merchant_id"].take(lf["merchant"].to_numpy()[loan]).to_numpy(),
            "store_id": book.stores["store_id"].take(lf["store"].to_numpy()[loan]).to_numpy(),
            amount_column: frame["amount"],
            "reason": frame["reason"].astype("str"),
            "state": np.array(STATES, dtype=object)[frame["state"].to_numpy()],
            "requested_at": frame["requested_ts"].to_numpy() + cfg.start_day * DAY,
            "completed_at": frame["completed_ts"].to_numpy() + cfg.start_day * DAY,
            "_day": frame["final_day"].to_numpy() + cfg.start_day,
        }
    )


def loan_returns_extract(cfg: SimConfig, co: Cosharing, loans: Loans, book: MerchantBook) -> pd.DataFrame:
    return _return_like_extract(cfg, co.returns, loans, book, "RT", "return_id", "return_amount")


def refunds_extract(cfg: SimConfig, co: Cosharing, loans: Loans, book: MerchantBook) -> pd.DataFrame:
    return _return_like_extract(cfg, co.refunds, loans, book, "RF", "refund_id", "refund_amount")


def course_withdrawals_extract(cfg: SimConfig, co: Cosharing, loans: Loans, pop: Population,
                               book: MerchantBook) -> pd.DataFrame:
    w = co.withdrawals.sort_values(["agreed_day", "loan"], kind="stable", ignore_index=True)
    lf = loans.frame
    loan = w["loan"].to_numpy()
    day = w["agreed_day"].to_numpy() + cfg.start_day
    return pd.DataFrame(
        {
            "withdrawal_id": ids.sequential("CW", np.arange(1, len(w) + 1), 7),
            "loan_id": lf["loan_id"].take(loan).to_numpy(),
            "customer_id": pop.customers["customer_id"].take(lf["cust"].to_numpy()[loan]).to_numpy(),
            "merchant_id": book.merchants["merchant_id"].take(lf["merchant"].to_numpy()[loan]).to_numpy(),
            "agreed_on": day,
            "course_fee": w["fee"],
            "lessons_total": w["lessons_total"],
            "lessons_used": w["lessons_used"],
            "unused_tuition": w["unused"],
            "_day": day,
        }
    )


def deposit_movements_extract(cfg: SimConfig, co: Cosharing, loans: Loans, book: MerchantBook) -> pd.DataFrame:
    """Top-up at admission and each quarter (deposit_ratio x the quarter's disbursements), deductions for half of
    the completed returns, release of the balance on termination."""
    rng = stream(cfg.seed, "deposits")
    m, lf = book.merchants, loans.frame
    ratio = m["deposit_ratio"].to_numpy()
    ended = m["terminated_day"].to_numpy()

    admission = pd.DataFrame(
        {
            "merchant": np.arange(book.n),
            "type": "top_up",
            "amount": np.round(ratio * m["quota_fen"].to_numpy() / 10_000).astype(np.int64) * 10_000,
            "ts": m["admit_day"].to_numpy() * DAY + office_seconds(rng, book.n, 10, 17),
        }
    )
    quarter = lf["disb_day"].to_numpy() // 91
    volume = (
        pd.DataFrame({"merchant": lf["merchant"].to_numpy(), "quarter": quarter, "fen": lf["principal_fen"].to_numpy()})
        .groupby(["merchant", "quarter"], sort=True, as_index=False)["fen"].sum()
    )
    topup_day = (volume["quarter"].to_numpy() + 1) * 91
    mv = volume["merchant"].to_numpy()
    quarterly = pd.DataFrame(
        {
            "merchant": mv,
            "type": "top_up",
            "amount": np.round(ratio[mv] * volume["fen"].to_numpy() / 100).astype(np.int64) * 100,
            "ts": topup_day * DAY + office_seconds(rng, len(volume), 10, 17),
        }
    )
    quarterly = quarterly[(topup_day < np.minimum(cfg.n_days, ended[mv])) & (quarterly["amount"].to_numpy() > 0)]

    r = co.returns
    done = r[(r["state"].to_numpy() == COMPLETED) & (rng.random(len(r)) < 0.5)]
    done_ts = done["completed_ts"].to_numpy().astype(np.int64)
    deductions = pd.DataFrame(
        {
            "merchant": lf["merchant"].to_numpy()[done["loan"].to_numpy()],
            "type": "deduction",
            "amount": done["amount"].to_numpy(),
            "ts": np.minimum(done_ts + rng.integers(1, 4, len(done)) * HOUR, (done_ts // DAY + 1) * DAY - 1),
        }
    )
    movements = pd.concat([admission, quarterly, deductions], ignore_index=True)
    terminated = np.flatnonzero(ended < cfg.n_days)
    if len(terminated):
        signed = np.where(movements["type"].to_numpy() == "top_up", 1, -1) * movements["amount"].to_numpy()
        before = movements["ts"].to_numpy() < ended[movements["merchant"].to_numpy()] * DAY
        balance = np.bincount(movements["merchant"].to_numpy()[before], weights=signed[before], minlength=book.n)
        release = terminated[balance[terminated] > 0]
        movements = pd.concat(
            [
                movements,
                pd.DataFrame(
                    {
                        "merchant": release,
                        "type": "release",
                        "amount": balance[release].astype(np.int64),
                        "ts": ended[release] * DAY + office_seconds(rng, len(release), 14, 18),
                    }
                ),
            ],
            ignore_index=True,
        )
    movements = movements.sort_values(["ts", "merchant"], kind="stable", ignore_index=True)
    ts = movements["ts"].to_numpy()
    return pd.DataFrame(
        {
            "movement_id": ids.sequential("DM", np.arange(1, len(movements) + 1), 8),
            "merchant_id": m["merchant_id"].take(movements["merchant"].to_numpy()).to_numpy(),
            "movement_type": movements["type"].astype("str"),
            "amount": movements["amount"],
            "moved_at": ts + cfg.start_day * DAY,
            "_day": ts // DAY + cfg.start_day,
        }
    )


def store_statements_extract(cfg: SimConfig, co: Cosharing, loans: Loans, book: MerchantBook) -> pd.DataFrame:
    """One row per store and day with disbursements, completed returns or completed refunds.

    About 2% of rows carry a deliberate discrepancy with the lender's own numbers: a missing return, a loan counted
    twice, or a rounding difference of a few fen; about 0.5% of store-days get no statement at all. net_payable is
    always consistent with the row's own figures.
    """
    rng = stream(cfg.seed, "store_statements")
    lf = loans.frame
    disb = pd.DataFrame({"store": lf["store"].to_numpy(), "day": lf["disb_day"].to_numpy(), "loans": 1,
                         "disbursed": lf["principal_fen"].to_numpy(), "largest": lf["principal_fen"].to_numpy(),
                         "returns": 0, "refunds": 0})

    def completed(frame: pd.DataFrame, column: str) -> pd.DataFrame:
        done = frame[frame["state"].to_numpy() == COMPLETED]
        return pd.DataFrame({"store": lf["store"].to_numpy()[done["loan"].to_numpy()],
                             "day": done["final_day"].to_numpy(), "loans": 0, "disbursed": 0, "largest": 0,
                             "returns": done["amount"].to_numpy() if column == "returns" else 0,
                             "refunds": done["amount"].to_numpy() if column == "refunds" else 0})

    rows = pd.concat([disb, completed(co.returns, "returns"), completed(co.refunds, "refunds")], ignore_index=True)
    daily = rows.groupby(["day", "store"], sort=True, as_index=False).agg(
        loans=("loans", "sum"), disbursed=("disbursed", "sum"), largest=("largest", "max"),
        returns=("returns", "sum"), refunds=("refunds", "sum"),
    )
    n = len(daily)
    loans_n = daily["loans"].to_numpy().copy()
    disbursed = daily["disbursed"].to_numpy().copy()
    returns = daily["returns"].to_numpy().copy()
    off = rng.random(n) < 0.02
    kind = rng.random(n)
    missing_return = off & (returns > 0) & (kind < 0.6)
    double_count = off & ~missing_return & (loans_n > 0) & (kind < 0.8)
    rounding = off & ~missing_return & ~double_count & (disbursed > 0)
    returns[missing_return] = 0
    loans_n[double_count] += 1
    disbursed[double_count] += daily["largest"].to_numpy()[double_count]
    disbursed[rounding] += rng.choice([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5], size=int(rounding.sum()))
    refunds = daily["refunds"].to_numpy()
    store = daily["store"].to_numpy()
    day = daily["day"].to_numpy() + cfg.start_day
    statements = pd.DataFrame(
        {
            "statement_id": ids.sequential("ST", np.arange(1, n + 1), 9),
            "store_id": book.stores["store_id"].take(store).to_numpy(),
            "merchant_id": book.merchants["merchant_id"].take(book.stores["merchant"].to_numpy()[store]).to_numpy(),
            "statement_date": day,
            "loans_disbursed": loans_n,
            "disbursed_amount": disbursed,
            "returns_amount": returns,
            "refunds_amount": refunds,
            "net_payable": disbursed - returns - refunds,
            "_day": day,
        }
    )
    not_sent = rng.random(n) < 0.005
    return statements[~not_sent].reset_index(drop=True)
