"""Loan applications: when, where (merchant, store, sales rep), how much, and the machine decision.

Genuine customers apply 1-3 times (first on their registration day), mostly at a merchant of their scenario in their
home city that is admitted and not suspended on that day. Ring members apply once on their burst days; colluding
merchants' fake customers place 2-4 split orders the same day; lone fraudsters apply once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator import ids
from simulator.clock import DAY, LATEST_SECOND, daytime_seconds
from simulator.config import SCENARIOS, SimConfig
from simulator.fraud import FAKE, LONE, REGULAR, RING
from simulator.merchants import MerchantBook
from simulator.population import Population
from simulator.rng import stream

H5, IN_STORE = range(2)
CHANNELS = ("H5", "in_store")
# Cross-selling: scenario of a repeat application given the previous one (rows: from, columns: to).
_CROSS_SELL = np.array(
    [
        [0.55, 0.30, 0.05, 0.10],
        [0.30, 0.55, 0.05, 0.10],
        [0.10, 0.05, 0.70, 0.15],
        [0.10, 0.05, 0.10, 0.75],
    ]
)


@dataclass
class Applications:
    frame: pd.DataFrame  # row position = internal application index, in applied_at order


def _per_customer_counts(cfg: SimConfig, rng: np.random.Generator, pop: Population) -> np.ndarray:
    c = pop.customers
    kind = c["kind"].to_numpy()
    probs = np.asarray(cfg.applications_per_customer_probs)
    counts = rng.choice(np.arange(1, len(probs) + 1), size=len(c), p=probs / probs.sum())
    counts = np.where(kind == REGULAR, counts, 1)
    fake = kind == FAKE
    counts[fake] = pop.fakes["split_orders"].to_numpy()[c["fake"].to_numpy()[fake]]
    return counts


def _timing(rng: np.random.Generator, c: pd.DataFrame, cust: np.ndarray, seq: np.ndarray):
    """Day and second of each application."""
    n = len(cust)
    kind = c["kind"].to_numpy()[cust]
    reg_day = c["reg_day"].to_numpy()[cust]
    reg_seconds = c["reg_seconds"].to_numpy()[cust]
    gap = np.where(seq > 0, rng.integers(20, 400, n), 0)
    # cumulative gap within a customer (rows are grouped by customer, seq ascending)
    group_start = np.flatnonzero(seq == 0)
    cum = np.cumsum(gap)
    cum -= np.repeat(cum[group_start] - gap[group_start], np.diff(np.r_[group_start, n]))
    day = reg_day + np.where(kind == FAKE, 0, cum)
    first_seconds = reg_seconds + rng.integers(120, 900, n)
    later_seconds = daytime_seconds(rng, n)
    seconds = np.where(seq == 0, first_seconds, later_seconds)
    # split orders follow each other within minutes
    split_step = np.where((kind == FAKE) & (seq > 0), rng.integers(60, 1_200, n), 0)
    split_cum = np.cumsum(split_step)
    split_cum -= np.repeat(split_cum[group_start] - split_step[group_start], np.diff(np.r_[group_start, n]))
    seconds = np.where(kind == FAKE, reg_seconds + 300 + split_cum, seconds)
    return day, np.minimum(seconds, LATEST_SECOND)


def _scenarios(rng: np.random.Generator, c: pd.DataFrame, cust: np.ndarray, seq: np.ndarray) -> np.ndarray:
    base = c["scenario"].to_numpy()[cust]
    u = rng.random(len(cust))
    cum = np.cumsum(_CROSS_SELL[base], axis=1)
    crossed = (u[:, None] > cum).sum(axis=1)
    kind = c["kind"].to_numpy()[cust]
    return np.where((seq > 0) & (kind == REGULAR), crossed, base)


def _prefix_sample(rng, candidates, admit, cumulative_weight, day) -> np.ndarray:
    """Weighted draw among the candidates admitted on or before `day` (candidates sorted by admission day)."""
    eligible = np.searchsorted(admit, day, side="right")
    top = cumulative_weight[np.maximum(eligible - 1, 0)]
    position = np.searchsorted(cumulative_weight, rng.random(len(day)) * top, side="right")
    position = np.minimum(position, np.maximum(eligible - 1, 0))
    return np.where(eligible > 0, candidates[position], -1)


def choose_merchants(
    rng: np.random.Generator, book: MerchantBook, scenario: np.ndarray, city: np.ndarray, day: np.ndarray,
    local_share: float = 0.75, attempts: int = 8,
) -> np.ndarray:
    """A merchant for each application: same scenario, active that day, preferably in the customer's city.

    Merchants are indexed in admission order, so "admitted by day d" is a prefix of any candidate list and one
    searchsorted per group does the weighted draw; draws that hit a suspended merchant are redrawn.
    """
    m = book.merchants
    m_scenario, m_city = m["scenario"].to_numpy(), m["city"].to_numpy()
    m_admit, m_weight = m["admit_day"].to_numpy(), m["weight"].to_numpy()
    result = np.full(len(day), -1, dtype=np.int64)
    local = rng.random(len(day)) < local_share
    passes = (
        (local, scenario * 1000 + city, m_scenario * 1000 + m_city),
        (np.ones(len(day), dtype=bool), scenario, m_scenario),
    )
    for wanted, app_key, merchant_key in passes:
        todo = np.flatnonzero(wanted & (result < 0))
        if not len(todo):
            continue
        keys, inverse = np.unique(app_key[todo], return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        bounds = np.searchsorted(inverse[order], np.arange(len(keys) + 1))
        for g, key in enumerate(keys):
            rows = todo[order[bounds[g] : bounds[g + 1]]]
            candidates = np.flatnonzero(merchant_key == key)
            if not len(candidates):
                continue
            cumulative = np.cumsum(m_weight[candidates])
            for _ in range(attempts):
                pick = _prefix_sample(rng, candidates, m_admit[candidates], cumulative, day[rows])
                ok = (pick >= 0) & book.is_active(np.maximum(pick, 0), day[rows])
                result[rows[ok]] = pick[ok]
                rows = rows[~ok]
                if not len(rows):
                    break
    missing = result < 0  # nobody active: keep the first admitted merchant of the scenario; declined later
    if missing.any():
        first = np.array([np.flatnonzero(m_scenario == s)[0] for s in range(len(SCENARIOS))])
        result[missing] = first[scenario[missing]]
    return result


def choose_in_prefix(
    rng: np.random.Generator, order: np.ndarray, start: np.ndarray, group_of: np.ndarray, day_of: np.ndarray,
    group: np.ndarray, day: np.ndarray, horizon: int,
) -> np.ndarray:
    """Uniform draw among a group's members that exist on `day` (stores of a merchant, reps of a store).

    `order` lists members sorted by (group, day they start); `start` holds each group's offset into it.
    """
    key = group_of[order] * (horizon + 1) + day_of[order]
    lo = start[group]
    count = np.searchsorted(key, group * (horizon + 1) + day, side="right") - lo
    count = np.maximum(count, 1)  # the first member starts with the group, so never below one
    return order[lo + (rng.random(len(group)) * count).astype(np.int64)]


def _amounts(cfg: SimConfig, rng: np.random.Generator, scenario: np.ndarray, kind: np.ndarray,
             split_target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Requested amount (fen) and term (months)."""
    n = len(scenario)
    lo = np.array([t.min_amount for t in cfg.scenario_terms])[scenario]
    hi = np.array([t.max_amount for t in cfg.scenario_terms])[scenario]
    u = rng.random(n)
    u = np.where(kind == RING, 0.75 + 0.25 * u, u)  # rings go for large amounts
    yuan = np.round(np.exp(np.log(lo) + u * np.log(hi / lo)) / 100) * 100
    charm = (rng.random(n) < 0.5) & (scenario <= 1) & (yuan > lo + 100)  # 5999-style prices for goods
    yuan = yuan - charm
    fake = kind == FAKE
    yuan = np.where(fake, split_target - 10 * rng.integers(1, 31, n), yuan)  # just under a round amount
    term = np.empty(n, dtype=np.int64)
    for s, terms in enumerate(cfg.scenario_terms):
        mask = scenario == s
        term[mask] = rng.choice(terms.terms, size=int(mask.sum()), p=terms.term_probs)
        term[mask & ((kind == RING) | fake)] = max(terms.terms)
    return np.clip(yuan, lo - 1, hi).astype(np.int64) * 100, term


def build_applications(cfg: SimConfig, book: MerchantBook, pop: Population) -> Applications:
    rng = stream(cfg.seed, "applications")
    c = pop.customers
    counts = _per_customer_counts(cfg, rng, pop)
    cust = np.repeat(np.arange(pop.n), counts)
    seq = np.arange(len(cust)) - np.repeat(np.cumsum(counts) - counts, counts)
    day, seconds = _timing(rng, c, cust, seq)
    keep = day < cfg.n_days
    cust, seq, day, seconds = cust[keep], seq[keep], day[keep], seconds[keep]
    n = len(cust)
    kind = c["kind"].to_numpy()[cust]
    scenario = _scenarios(rng, c, cust, seq)

    merchant = choose_merchants(rng, book, scenario, c["city"].to_numpy()[cust], day)
    ring = c["ring"].to_numpy()[cust]
    rings = pop.rings
    if len(rings):
        ring_merchant = np.where(ring >= 0, rings["merchant"].to_numpy()[np.maximum(ring, 0)], -1)
        merchant = np.where(ring_merchant >= 0, ring_merchant, merchant)
    merchant = np.where(kind == FAKE, c["fake_merchant"].to_numpy()[cust], merchant)
    scenario = book.merchants["scenario"].to_numpy()[merchant]

    s = book.stores
    store = choose_in_prefix(rng, book.store_order, book.merchant_store_start, s["merchant"].to_numpy(),
                             s["opened_day"].to_numpy(), merchant, day, cfg.n_days)
    first_store = book.store_order[book.merchant_store_start[merchant]]
    if len(rings):
        ring_store = np.where(ring >= 0, rings["store"].to_numpy()[np.maximum(ring, 0)], -1)
        store = np.where(ring_store >= 0, ring_store, store)
    store = np.where(kind == FAKE, first_store, store)

    h5_share = np.array([t.h5_share for t in cfg.scenario_terms])[scenario]
    h5_share = np.select([kind == RING, kind == LONE, kind == FAKE], [0.7, 0.8, 0.0], h5_share)
    channel = np.where(rng.random(n) < h5_share, H5, IN_STORE)

    r = book.reps
    rep = choose_in_prefix(rng, book.rep_order, book.store_rep_start, r["store"].to_numpy(),
                           r["hired_day"].to_numpy(), store, day, cfg.n_days)
    rep = np.where(kind == FAKE, book.rep_order[book.store_rep_start[store]], rep)  # the colluding rep
    rep = np.where((channel == H5) & (rng.random(n) < 0.5), -1, rep)

    fake_row = c["fake"].to_numpy()[cust]
    split_target = np.where(fake_row >= 0, pop.fakes["split_target"].to_numpy()[np.maximum(fake_row, 0)]
                            if len(pop.fakes) else 0, 0)
    amount, term = _amounts(cfg, rng, scenario, kind, split_target)

    frame = pd.DataFrame(
        {
            "cust": cust, "seq": seq, "kind": kind, "day": day, "seconds": seconds, "scenario": scenario,
            "merchant": merchant, "store": store, "rep": rep, "channel": channel, "amount_fen": amount,
            "term": term, "is_fraud": kind != REGULAR, "merchant_active": book.is_active(merchant, day),
        }
    )
    frame["ts"] = frame["day"] * DAY + frame["seconds"]
    frame = frame.sort_values(["ts", "cust", "seq"], kind="stable", ignore_index=True)
    frame["application_id"] = ids.sequential("A", np.arange(1, len(frame) + 1), 8)
    return Applications(frame)


# --- decision ----------------------------------------------------------------------------------------------------

DECLINE_REASONS = (
    "high_credit_utilization", "bureau_overdue_accounts", "multi_lending", "overdue_elsewhere",
    "no_provident_fund", "unemployed", "insufficient_income", "amount_to_income",
)


def decide(cfg: SimConfig, apps: Applications, features: pd.DataFrame) -> None:
    """Machine decision in seconds: a scorecard on observable bureau and third-party data plus noise.

    `features` (one row per application, same order) holds the observables. The cut-off is set at the quantile
    giving the configured approval rate; failed liveness checks and inactive merchants are declined outright.
    Adds decision, decision_reason, decided_ts and score columns to the applications frame.
    """
    rng = stream(cfg.seed, "decision")
    f = features
    contributions = np.column_stack(
        [
            1.0 * f["credit_utilization"].to_numpy(),
            0.6 * np.minimum(f["overdue_accounts"].to_numpy(), 3),
            0.15 * np.minimum(f["ml_30d"].to_numpy(), 10) + 0.04 * np.minimum(f["ml_180d"].to_numpy(), 25),
            0.5 * (f["max_dpd_12m"].to_numpy() > 30) + 0.15 * np.minimum(f["overdue_count_12m"].to_numpy(), 5),
            0.35 * (f["pf_status"].to_numpy() == "none") + 0.25 * (f["pf_status"].to_numpy() == "stopped"),
            0.5 * (f["employer_type"].to_numpy() == "unemployed"),
            -0.3 * np.log(f["income_fen"].to_numpy() / 800_000),
            0.25 * np.clip(f["amount_to_income"].to_numpy() - 2, 0, 4),
        ]
    )
    score = contributions.sum(axis=1) + rng.normal(0, 0.45, len(f))
    a = apps.frame
    liveness_failed = a["liveness_result"].to_numpy() == "fail"
    inactive = ~a["merchant_active"].to_numpy()
    eligible = ~liveness_failed & ~inactive
    cut = np.quantile(score[eligible], cfg.approval_target) if eligible.any() else 0.0
    approved = eligible & (score <= cut)
    reason = np.array(DECLINE_REASONS, dtype=object)[contributions.argmax(axis=1)]
    reason = np.where(contributions.max(axis=1) < 0.4, "risk_score_below_cutoff", reason)
    reason = np.where(approved, "auto_approved", reason)
    reason = np.where(liveness_failed, "liveness_check_failed", reason)
    reason = np.where(inactive, "merchant_not_active", reason)
    a["decision"] = np.where(approved, "approved", "declined")
    a["decision_reason"] = reason
    a["decided_ts"] = a["ts"].to_numpy() + rng.integers(3, 40, len(a))
    a["score"] = score


def applications_extract(cfg: SimConfig, apps: Applications, book: MerchantBook, pop: Population,
                         devices: pd.DataFrame) -> pd.DataFrame:
    a = apps.frame
    rep = a["rep"].to_numpy()
    rep_ids = book.reps["sales_rep_id"].take(np.maximum(rep, 0)).to_numpy(dtype=object)
    rep_ids[rep < 0] = None
    return pd.DataFrame(
        {
            "application_id": a["application_id"],
            "customer_id": pop.customers["customer_id"].take(a["cust"].to_numpy()).to_numpy(),
            "merchant_id": book.merchants["merchant_id"].take(a["merchant"].to_numpy()).to_numpy(),
            "store_id": book.stores["store_id"].take(a["store"].to_numpy()).to_numpy(),
            "sales_rep_id": pd.Series(rep_ids, dtype="str"),
            "scenario": np.array(SCENARIOS, dtype=object)[a["scenario"].to_numpy()],
            "channel": np.array(CHANNELS, dtype=object)[a["channel"].to_numpy()],
            "requested_amount": a["amount_fen"],
            "requested_term_months": a["term"],
            "applied_at": a["ts"].to_numpy() + cfg.start_day * DAY,
            "device_id": devices["device_id"].to_numpy(),
            "ip_address": a["ip_address"],
            "gps_lat": a["gps_lat"],
            "gps_lon": a["gps_lon"],
            "liveness_result": a["liveness_result"],
            "liveness_retries": a["liveness_retries"],
            "decision": a["decision"],
            "decision_reason": a["decision_reason"],
            "decided_at": a["decided_ts"].to_numpy() + cfg.start_day * DAY,
            "_day": a["day"].to_numpy() + cfg.start_day,
        }
    )

