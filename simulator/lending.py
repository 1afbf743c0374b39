"""Loans, instalment schedules and repayment behaviour.

Approved applications are disbursed the same or the next day. Schedules are equal-principal with monthly interest
on the outstanding principal; the last instalment absorbs the rounding so principals add up to the loan exactly.

Repayment behaviour is where latent risk turns into outcomes:
- default: from instalment k on nothing more is paid; k is geometric with a per-instalment hazard chosen so that
  P(default within the first five instalments) = effective risk. Effective risk is the customer's latent_risk,
  raised at colluding merchants and, after their deterioration date, at deteriorating ones;
- fraud (ring members, lone fraudsters) never pays: first-payment default; colluding merchants' fake customers
  mostly do the same, some pay a few instalments first;
- paid instalments are on time or late, late more often and by more days the riskier the customer (lateness can
  exceed 30/60/90 days and still be paid); a few loans are settled early in full (future interest waived).
Only payments made on or before the last day of the window are emitted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator import ids
from simulator.applications import Applications
from simulator.clock import DAY, add_months, daytime_seconds, office_seconds
from simulator.config import SCENARIOS, SimConfig
from simulator.fraud import FAKE, LONE, RING
from simulator.merchants import COLLUDING, DETERIORATING, MerchantBook
from simulator.population import Population
from simulator.rng import stream

NO_DEFAULT = 10_000  # instalment number meaning "never defaults"
PAYMENT_CHANNELS = ("auto_debit", "wechat_pay", "alipay", "app", "bank_transfer")


@dataclass
class Loans:
    frame: pd.DataFrame  # one row per loan, in disbursement order


@dataclass
class Repayments:
    schedule: pd.DataFrame  # one row per loan and instalment
    payments: pd.DataFrame  # one row per payment (paid_day < window end)
    default_instalment: np.ndarray  # per loan; NO_DEFAULT if none
    cancelled_instalment: np.ndarray  # per schedule row: cancelled by a course withdrawal agreed before its due day


def build_loans(cfg: SimConfig, book: MerchantBook, apps: Applications) -> Loans:
    rng = stream(cfg.seed, "loans")
    a = apps.frame
    approved = np.flatnonzero(a["decision"].to_numpy() == "approved")
    n = len(approved)
    day = a["day"].to_numpy()[approved] + (rng.random(n) < 0.3)
    score = a["score"].to_numpy()[approved]
    percentile = np.argsort(np.argsort(score)) / max(1, n - 1)
    rate = np.clip(0.10 + 0.14 * percentile + rng.normal(0, 0.01, n), 0.10, 0.24)
    m = book.merchants
    merchant = a["merchant"].to_numpy()[approved]
    frame = pd.DataFrame(
        {
            "app": approved,
            "cust": a["cust"].to_numpy()[approved],
            "merchant": merchant,
            "store": a["store"].to_numpy()[approved],
            "scenario": a["scenario"].to_numpy()[approved],
            "kind": a["kind"].to_numpy()[approved],
            "principal_fen": a["amount_fen"].to_numpy()[approved],
            "term": a["term"].to_numpy()[approved],
            "rate": np.round(rate, 4),
            "disb_day": day,
            "disb_seconds": office_seconds(rng, n, 9, 20),
            "app_ts": a["ts"].to_numpy()[approved],
            "merchant_state": m["state"].to_numpy()[merchant],
            "after_deterioration": (m["state"].to_numpy()[merchant] == DETERIORATING)
            & (day >= m["deteriorates_day"].to_numpy()[merchant]),
        }
    )
    frame = frame[frame["disb_day"] < cfg.n_days]
    frame = frame.sort_values(["disb_day", "app_ts"], kind="stable", ignore_index=True)
    frame["first_due_day"] = add_months(frame["disb_day"].to_numpy() + cfg.start_day, 1) - cfg.start_day
    frame["loan_id"] = ids.sequential("L", np.arange(1, len(frame) + 1), 8)
    return Loans(frame)


def effective_risk(loans: pd.DataFrame, latent_risk: np.ndarray) -> np.ndarray:
    """The customer's latent risk, worsened at colluding merchants and after a merchant's deterioration."""
    r = latent_risk[loans["cust"].to_numpy()]
    r = np.where(loans["after_deterioration"].to_numpy(), 1 - (1 - r) ** 3, r)
    return np.where(loans["merchant_state"].to_numpy() == COLLUDING, 1 - (1 - r) ** 1.5, r)


def _schedule(cfg: SimConfig, loans: pd.DataFrame) -> pd.DataFrame:
    term = loans["term"].to_numpy()
    loan = np.repeat(np.arange(len(loans)), term)
    k = np.arange(len(loan)) - np.repeat(np.cumsum(term) - term, term) + 1
    principal = loans["principal_fen"].to_numpy()[loan]
    n = term[loan]
    base = principal // n
    principal_due = np.where(k == n, principal - base * (n - 1), base)
    outstanding = principal - base * (k - 1)
    interest_due = np.floor(outstanding * loans["rate"].to_numpy()[loan] / 12 + 0.5).astype(np.int64)
    due_day = add_months(loans["disb_day"].to_numpy()[loan] + cfg.start_day, k) - cfg.start_day
    return pd.DataFrame(
        {
            "loan": loan,
            "k": k,
            "due_day": due_day,
            "principal_due": principal_due,
            "interest_due": interest_due,
            "total_due": principal_due + interest_due,
        }
    )


def _default_instalments(rng: np.random.Generator, loans: pd.DataFrame, risk: np.ndarray,
                         cancelled: np.ndarray) -> np.ndarray:
    n = len(loans)
    hazard = 1 - (1 - np.clip(risk, 1e-6, 0.999)) ** (1 / 5)
    default_k = rng.geometric(hazard)
    kind = loans["kind"].to_numpy()
    default_k = np.where((kind == RING) | (kind == LONE), 1, default_k)
    # Fake sales: most never pay; some pay a few instalments (the merchant covering them) before stopping; a few
    # are kept current by the merchant and look like ordinary loans.
    u = rng.random(n)
    fake_k = np.where(u < 0.6, 1, np.where(u < 0.8, rng.integers(2, 7, n), default_k))
    default_k = np.where(kind == FAKE, fake_k, default_k)
    # After a merchant deteriorates some customers stop paying whatever their risk (goods or service never came).
    dispute = loans["after_deterioration"].to_numpy() & (rng.random(n) < 0.04)
    default_k = np.where(dispute, np.minimum(default_k, rng.integers(1, 5, n)), default_k)
    default_k = np.where(default_k > loans["term"].to_numpy(), NO_DEFAULT, default_k)
    return np.where(cancelled, NO_DEFAULT, default_k)


def simulate_repayments(cfg: SimConfig, pop: Population, loans: Loans, cancelled: np.ndarray,
                        withdrawn_day: np.ndarray | None = None) -> Repayments:
    """`cancelled` marks loans whose return completed before the first due date: nothing is ever paid on them.
    `withdrawn_day` (per loan, window-relative) is the day a course withdrawal was agreed: instalments due after it
    are cancelled (the T+1 refund settles them), so they are never paid and never default."""
    rng = stream(cfg.seed, "repayments")
    lf = loans.frame
    n = len(lf)
    risk = effective_risk(lf, pop.customers["latent_risk"].to_numpy())
    schedule = _schedule(cfg, lf)
    default_k = _default_instalments(rng, lf, risk, cancelled)

    term = lf["term"].to_numpy()
    fraud = lf["kind"].to_numpy() != 0
    settles = (~fraud & ~cancelled & (term >= 6) & (rng.random(n) < cfg.early_settlement_share))
    settle_k = np.where(settles, rng.integers(2, np.maximum(term, 3), n), NO_DEFAULT)
    settle_k = np.where(settle_k < default_k, settle_k, NO_DEFAULT)

    loan, k = schedule["loan"].to_numpy(), schedule["k"].to_numpy()
    due = schedule["due_day"].to_numpy()
    m = len(schedule)
    if withdrawn_day is None:
        withdrawn_day = np.full(n, np.iinfo(np.int64).max // 4, dtype=np.int64)
    withdrawn = withdrawn_day < np.iinfo(np.int64).max // 4
    withdrawn_instalment = due > withdrawn_day[loan]
    # a withdrawn loan is not settled early, and a default due after the withdrawal never happens
    settle_k = np.where(withdrawn, NO_DEFAULT, settle_k)
    first_cancelled_k = np.full(n, NO_DEFAULT, dtype=np.int64)
    np.minimum.at(first_cancelled_k, loan[withdrawn_instalment], k[withdrawn_instalment])
    default_k = np.where(default_k >= first_cancelled_k, NO_DEFAULT, default_k)
    paid = (k < default_k[loan]) & ~cancelled[loan] & ~withdrawn_instalment
    r = risk[loan]
    late = rng.random(m) < 0.04 + 0.5 * r
    late_days = 1 + np.floor(rng.exponential(3 + 80 * r)).astype(np.int64)
    late_days = np.minimum(late_days, 150)
    early_days = np.where(rng.random(m) < 0.4, rng.integers(1, 4, m), 0)
    paid_day = np.where(late, due + late_days, due - early_days)
    on_due_day = ~late & (early_days == 0)
    seconds = np.where(on_due_day, office_seconds(rng, m, 6, 9), daytime_seconds(rng, m))
    channel = np.where(on_due_day & (rng.random(m) < 0.85), 0, rng.integers(1, 4, m))
    channel = np.where(late & (rng.random(m) < 0.3), 4, channel)
    amount = schedule["total_due"].to_numpy().copy()

    # Early settlement: instalment settle_k and every later one are paid together; later interest is waived.
    sk = settle_k[loan]
    settling = k >= sk
    settle_row = np.flatnonzero(k == sk)
    settle_day = np.full(n, 0, dtype=np.int64)
    settle_day[loan[settle_row]] = due[settle_row] - rng.integers(0, 20, len(settle_row))
    settle_seconds = np.zeros(n, dtype=np.int64)
    settle_seconds[loan[settle_row]] = daytime_seconds(rng, len(settle_row))
    paid_day = np.where(settling, settle_day[loan], paid_day)
    seconds = np.where(settling, settle_seconds[loan], seconds)
    channel = np.where(settling, np.where(rng.random(m) < 0.5, 4, 3), channel)
    amount = np.where(settling & (k > sk), schedule["principal_due"].to_numpy(), amount)

    keep = paid & (paid_day < cfg.n_days)
    payments = pd.DataFrame(
        {
            "loan": loan[keep],
            "k": k[keep],
            "paid_day": paid_day[keep],
            "ts": paid_day[keep] * DAY + seconds[keep],
            "amount": amount[keep],
            "channel": channel[keep],
            "settlement": settling[keep],
        }
    )
    payments = payments.sort_values(["ts", "loan", "k"], kind="stable", ignore_index=True)
    return Repayments(schedule, payments, default_k, withdrawn_instalment)


def default_days(loans: Loans, repayments: Repayments) -> np.ndarray:
    """Due day (window-relative) of each loan's first unpaid instalment after default; -1 if none."""
    s = repayments.schedule
    dk = repayments.default_instalment
    first_row = np.r_[0, np.cumsum(loans.frame["term"].to_numpy())[:-1]]
    has = dk < NO_DEFAULT
    out = np.full(len(dk), -1, dtype=np.int64)
    out[has] = s["due_day"].to_numpy()[first_row[has] + dk[has] - 1]
    return out


# --- extracts ----------------------------------------------------------------------------------------------------

def loans_extract(cfg: SimConfig, loans: Loans, apps: Applications, pop: Population, book: MerchantBook):
    lf = loans.frame
    disbursed = lf["disb_day"].to_numpy() + cfg.start_day
    return pd.DataFrame(
        {
            "loan_id": lf["loan_id"],
            "application_id": apps.frame["application_id"].take(lf["app"].to_numpy()).to_numpy(),
            "customer_id": pop.customers["customer_id"].take(lf["cust"].to_numpy()).to_numpy(),
            "merchant_id": book.merchants["merchant_id"].take(lf["merchant"].to_numpy()).to_numpy(),
            "store_id": book.stores["store_id"].take(lf["store"].to_numpy()).to_numpy(),
            "scenario": np.array(SCENARIOS, dtype=object)[lf["scenario"].to_numpy()],
            "principal": lf["principal_fen"],
            "term_months": lf["term"],
            "annual_rate": lf["rate"],
            "disbursed_on": disbursed,
            "first_due_on": lf["first_due_day"].to_numpy() + cfg.start_day,
            "_day": disbursed,
        }
    )


def schedules_extract(cfg: SimConfig, loans: Loans, repayments: Repayments) -> pd.DataFrame:
    s, lf = repayments.schedule, loans.frame
    loan = s["loan"].to_numpy()
    return pd.DataFrame(
        {
            "loan_id": lf["loan_id"].take(loan).to_numpy(),
            "instalment_no": s["k"],
            "due_on": s["due_day"].to_numpy() + cfg.start_day,
            "principal_due": s["principal_due"],
            "interest_due": s["interest_due"],
            "total_due": s["total_due"],
            "_day": lf["disb_day"].to_numpy()[loan] + cfg.start_day,
        }
    )


def repayments_extract(cfg: SimConfig, loans: Loans, repayments: Repayments) -> pd.DataFrame:
    p = repayments.payments
    return pd.DataFrame(
        {
            "repayment_id": ids.sequential("P", np.arange(1, len(p) + 1), 10),
            "loan_id": loans.frame["loan_id"].take(p["loan"].to_numpy()).to_numpy(),
            "instalment_no": p["k"],
            "paid_at": p["ts"].to_numpy() + cfg.start_day * DAY,
            "amount": p["amount"],
            "payment_channel": np.array(PAYMENT_CHANNELS, dtype=object)[p["channel"].to_numpy()],
            "_day": p["paid_day"].to_numpy() + cfg.start_day,
        }
    )
