"""Active marketing: opt-outs and the SMS / outbound-call contacts made to existing customers.

Contacts respect restrictions: nobody is contacted on a channel after opting out of it (or of everything), and
customers are not marketed to once they have defaulted (they are in collection).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator import ids
from simulator.clock import DAY, daytime_seconds, office_seconds
from simulator.config import SimConfig
from simulator.lending import Loans
from simulator.population import Population
from simulator.rng import stream

OPT_OUT_CHANNELS = ("sms", "outbound_call", "all")
CONTACT_CHANNELS = ("sms", "outbound_call")
CAMPAIGNS_BY_SCENARIO = (
    ("appliance_to_furniture", "repeat_loan", "limit_increase", "holiday_promo"),
    ("furniture_to_appliance", "repeat_loan", "limit_increase", "holiday_promo"),
    ("education_upgrade", "repeat_loan", "holiday_promo"),
    ("aesthetics_followup", "repeat_loan", "holiday_promo"),
)
SMS_OUTCOMES = ("delivered", "failed", "clicked")
CALL_OUTCOMES = ("no_answer", "not_interested", "interested", "applied")


def plan_opt_outs(cfg: SimConfig, pop: Population) -> pd.DataFrame:
    rng = stream(cfg.seed, "opt_outs")
    c = pop.customers
    chosen = np.flatnonzero(rng.random(pop.n) < 0.03)
    reg = c["reg_day"].to_numpy()[chosen]
    day = reg + (rng.random(len(chosen)) * (cfg.n_days - reg)).astype(np.int64)
    ts = day * DAY + daytime_seconds(rng, len(chosen))
    channel = rng.choice(3, size=len(chosen), p=[0.6, 0.3, 0.1])
    order = np.lexsort((chosen, ts))
    return pd.DataFrame({"cust": chosen[order], "channel": channel[order], "ts": ts[order]})


def opt_outs_extract(cfg: SimConfig, pop: Population, opt_outs: pd.DataFrame) -> pd.DataFrame:
    ts = opt_outs["ts"].to_numpy()
    return pd.DataFrame(
        {
            "opt_out_id": ids.sequential("OO", np.arange(1, len(opt_outs) + 1), 7),
            "customer_id": pop.customers["customer_id"].take(opt_outs["cust"].to_numpy()).to_numpy(),
            "channel": np.array(OPT_OUT_CHANNELS, dtype=object)[opt_outs["channel"].to_numpy()],
            "opted_out_at": ts + cfg.start_day * DAY,
            "_day": ts // DAY + cfg.start_day,
        }
    )


def contact_history_extract(cfg: SimConfig, pop: Population, loans: Loans, opt_outs: pd.DataFrame,
                            customer_default_day: np.ndarray) -> pd.DataFrame:
    """About four contacts a year per borrower, from two weeks after their first disbursement."""
    rng = stream(cfg.seed, "contact_history")
    lf = loans.frame
    n = pop.n
    first_disb = np.full(n, cfg.n_days, dtype=np.int64)
    np.minimum.at(first_disb, lf["cust"].to_numpy(), lf["disb_day"].to_numpy())
    first_scenario = np.zeros(n, dtype=np.int64)
    first_loan = lf.drop_duplicates("cust", keep="first")  # loans are in disbursement order
    first_scenario[first_loan["cust"].to_numpy()] = first_loan["scenario"].to_numpy()
    start = first_disb + 14
    years = np.maximum(cfg.n_days - start, 0) / 365
    count = rng.poisson(4.0 * years)
    cust = np.repeat(np.arange(n), count)
    day = start[cust] + (rng.random(len(cust)) * (cfg.n_days - start[cust])).astype(np.int64)
    m = len(cust)
    channel = np.where(rng.random(m) < 0.7, 0, 1)
    ts = day * DAY + np.where(channel == 0, office_seconds(rng, m, 9, 20), office_seconds(rng, m, 10, 19))

    # Restricted customers: opted out (per channel or all) or in collection after a default.
    blocked_from = np.full((n, 2), np.iinfo(np.int64).max, dtype=np.int64)
    for ch in (0, 1):
        rows = opt_outs[(opt_outs["channel"].to_numpy() == ch) | (opt_outs["channel"].to_numpy() == 2)]
        np.minimum.at(blocked_from[:, ch], rows["cust"].to_numpy(), rows["ts"].to_numpy())
    defaulted = customer_default_day >= 0
    collection_ts = np.where(defaulted, customer_default_day * DAY, np.iinfo(np.int64).max)
    allowed = (ts < blocked_from[cust, channel]) & (ts < collection_ts[cust])
    cust, day, channel, ts = cust[allowed], day[allowed], channel[allowed], ts[allowed]
    m = len(cust)

    campaign = np.empty(m, dtype=object)
    pick = rng.random(m)
    scenario = first_scenario[cust]
    for s, campaigns in enumerate(CAMPAIGNS_BY_SCENARIO):
        mask = scenario == s
        campaign[mask] = np.array(campaigns, dtype=object)[(pick[mask] * len(campaigns)).astype(np.int64)]
    outcome = np.where(
        channel == 0,
        np.array(SMS_OUTCOMES, dtype=object)[rng.choice(3, size=m, p=[0.90, 0.05, 0.05])],
        np.array(CALL_OUTCOMES, dtype=object)[rng.choice(4, size=m, p=[0.40, 0.40, 0.15, 0.05])],
    )
    order = np.lexsort((cust, ts))
    return pd.DataFrame(
        {
            "contact_id": ids.sequential("MK", np.arange(1, m + 1), 9),
            "customer_id": pop.customers["customer_id"].take(cust[order]).to_numpy(),
            "channel": np.array(CONTACT_CHANNELS, dtype=object)[channel[order]],
            "campaign": campaign[order],
            "contacted_at": ts[order] + cfg.start_day * DAY,
            "outcome": outcome[order],
            "_day": day[order] + cfg.start_day,
        }
    )
