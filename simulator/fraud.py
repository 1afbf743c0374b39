"""Fraud in the synthetic world: rings, colluding merchants' fake customers, and the blacklists.

- Fraud rings: 3-15 people who register and apply within a few days, often at one merchant and store, at odd
  hours, sharing devices, an IP, addresses and each other's numbers; they never repay (first-payment default).
- Fake customers of colluding merchants: identities the merchant signs up to book fake sales (split orders just
  under a round amount, on the merchant's own devices, atypical for the merchant's segment).
- Lone application fraud: single stolen-identity applications (planned in population.py).
- Blacklists: the lender's own list (fraudsters after their default plus a large historical background, millions of
  entries at scale) and an external provider feed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator import ids, people
from simulator.config import SCENARIOS, SimConfig
from simulator.geo import GEO
from simulator.merchants import COLLUDING, MerchantBook
from simulator.rng import stream

REGULAR, RING, FAKE, LONE = range(4)
KIND_NAMES = ("regular", "ring", "merchant_fake", "lone_fraud")

# Round order values that colluding merchants split fake sales under, per scenario (yuan).
SPLIT_TARGETS = ((5_000, 10_000, 20_000), (10_000, 20_000, 30_000, 50_000), (10_000, 20_000, 30_000),
                 (10_000, 20_000, 30_000, 50_000))


def ring_sizes(cfg: SimConfig, rng: np.random.Generator) -> list[int]:
    lo, hi = cfg.ring_size_range
    target = round(cfg.customers * cfg.ring_member_share)
    if cfg.customers < 50 * lo:  # too small a world for rings
        return []
    sizes: list[int] = []
    while sum(sizes) < max(lo, target):
        sizes.append(int(lo + rng.binomial(hi - lo, 0.3)))
    return sizes


def plan_rings(cfg: SimConfig, rng: np.random.Generator, book: MerchantBook, sizes: list[int]) -> pd.DataFrame:
    """One row per ring: when it strikes, where, and which merchant/store it targets (-1 = none in particular)."""
    n = len(sizes)
    T = cfg.n_days
    lo = min(30, T // 3)
    burst = rng.integers(lo, max(lo + 1, T - 45), n)
    scenario = rng.choice(len(SCENARIOS), size=n, p=cfg.customer_scenario_mix)
    city = GEO.sample_cities(rng, n)
    merchant = np.full(n, -1, dtype=np.int64)
    store = np.full(n, -1, dtype=np.int64)
    m = book.merchants
    for r in range(n):
        if rng.random() >= 0.7:
            continue
        candidates = np.flatnonzero(
            (m["scenario"].to_numpy() == scenario[r]) & book.is_active(np.arange(book.n), np.full(book.n, burst[r]))
        )
        if len(candidates) == 0:
            continue
        local = candidates[m["city"].to_numpy()[candidates] == city[r]]
        pool = local if len(local) and rng.random() < 0.6 else candidates
        merchant[r] = pool[rng.integers(0, len(pool))]
        city[r] = m["city"].to_numpy()[merchant[r]]
        if rng.random() < 0.6:
            store[r] = book.store_order[book.merchant_store_start[merchant[r]]]  # the first store, open since admission
    sizes_arr = np.asarray(sizes, dtype=np.int64)
    return pd.DataFrame(
        {
            "ring_id": ids.sequential("FR", np.arange(1, n + 1), 5),
            "size": sizes_arr,
            "burst_day": burst,
            "scenario": scenario,
            "city": city,
            "merchant": merchant,
            "store": store,
            "odd_hours": rng.random(n) < 0.5,
            "n_devices": np.maximum(1, sizes_arr // 3),
            "n_addresses": rng.integers(1, 3, n),
            "ip_address": people.ipv4(rng, n),
            "lat": GEO.city_lat[city] + rng.normal(0, 0.03, n),
            "lon": GEO.city_lon[city] + rng.normal(0, 0.03, n),
        }
    )


def plan_fakes(cfg: SimConfig, rng: np.random.Generator, book: MerchantBook) -> pd.DataFrame:
    """One row per fake customer of a colluding merchant: merchant, burst day, split-order count and target."""
    m = book.merchants
    colluding = np.flatnonzero(m["state"].to_numpy() == COLLUDING)
    if cfg.customers < 200:
        colluding = colluding[:0]
    per_merchant = np.maximum(
        3, np.round(m["expected_customers"].to_numpy()[colluding] * cfg.fake_customers_per_colluding_merchant)
    ).astype(np.int64)
    merchant = np.repeat(colluding, per_merchant)
    n = len(merchant)
    burst_day = np.empty(n, dtype=np.int64)
    for mi in colluding:  # a handful of burst days per merchant, while it is active
        rows = np.flatnonzero(merchant == mi)
        first = int(m["admit_day"].iat[mi]) + 14
        last = int(min(m["inactive_from"].iat[mi], cfg.n_days)) - 1
        if last <= first:
            first = int(m["admit_day"].iat[mi])
            last = max(first, int(min(m["inactive_from"].iat[mi], cfg.n_days)) - 1)
        bursts = rng.integers(first, last + 1, int(rng.integers(3, 9)))
        burst_day[rows] = bursts[rng.integers(0, len(bursts), len(rows))]
    scenario = m["scenario"].to_numpy()[merchant]
    target = np.array([rng.choice(SPLIT_TARGETS[s]) for s in scenario], dtype=np.int64)
    return pd.DataFrame(
        {
            "merchant": merchant,
            "burst_day": burst_day,
            "split_orders": rng.integers(2, 5, n),
            "split_target": target,
        }
    )


# --- blacklists --------------------------------------------------------------------------------------------------

_INTERNAL_REASONS = ("fraud_confirmed", "identity_theft", "overdue_90_plus", "court_enforcement", "fake_transaction",
                     "black_intermediary")
_INTERNAL_REASON_P = (0.25, 0.12, 0.35, 0.10, 0.08, 0.10)
_EXTERNAL_PROVIDERS = ("bairong", "tongdun", "pengyuan", "unionpay_smart")
_RISK_LEVELS = ("low", "medium", "high")
ENTRY_TYPES = ("id_number", "mobile", "device_id")


def _background_values(
    rng: np.random.Generator, n: int, type_p: tuple[float, float, float], exclude_ids: np.ndarray,
    exclude_mobiles: np.ndarray,
) -> tuple[np.ndarray, pd.Series]:
    """Random entry values of random types that collide with no customer's ID number or mobile."""
    kind = rng.choice(3, size=n, p=type_p)
    values = pd.Series(np.empty(n, dtype=object))
    id_rows = np.flatnonzero(kind == 0)
    district = rng.integers(0, len(GEO.district_code), len(id_rows))
    birth = rng.integers(-3650, 12_400, len(id_rows))  # born 1960-2003
    id_text, _ = people.id_numbers(rng, GEO.district_code[district], birth, rng.random(len(id_rows)) < 0.6,
                                   exclude=exclude_ids)
    mobile_rows = np.flatnonzero(kind == 1)
    mobiles = people.random_mobiles(rng, len(mobile_rows))
    clash = np.isin(mobiles, exclude_mobiles)
    while clash.any():
        mobiles[clash] = people.random_mobiles(rng, int(clash.sum()))
        clash = np.isin(mobiles, exclude_mobiles)
    device_rows = np.flatnonzero(kind == 2)
    values.iloc[id_rows] = id_text.to_numpy()
    values.iloc[mobile_rows] = people.mobile_text(mobiles).to_numpy()
    values.iloc[device_rows] = ids.random_hex(rng, len(device_rows), "DV").to_numpy()
    return kind, values.astype("str")


def internal_blacklist_extract(cfg: SimConfig, offenders: pd.DataFrame, customer_ids: np.ndarray,
                               customer_mobiles: np.ndarray) -> pd.DataFrame:
    """The lender's blacklist: offenders listed after their default, plus a historical and a daily background.

    `offenders` has entry_type (int), entry_value (str), reason (str) and listed_day (window-relative) columns.
    The historical background (listed before the window) arrives in the first day's extract.
    """
    rng = stream(cfg.seed, "internal_blacklist")
    total = int(round(cfg.internal_blacklist_per_customer * cfg.customers))
    n_background = max(0, total - len(offenders))
    kind, values = _background_values(rng, n_background, (0.45, 0.40, 0.15), customer_ids, customer_mobiles)
    historical = rng.random(n_background) < 0.85
    listed = np.where(historical, -rng.integers(1, 9 * 365, n_background), rng.integers(0, cfg.n_days, n_background))
    reason = np.array(_INTERNAL_REASONS, dtype=object)[rng.choice(len(_INTERNAL_REASONS), n_background,
                                                                  p=_INTERNAL_REASON_P)]
    frame = pd.DataFrame(
        {
            "entry_type": np.concatenate([kind, offenders["entry_type"].to_numpy()]),
            "entry_value": pd.concat([values, offenders["entry_value"]], ignore_index=True),
            "reason": np.concatenate([reason, offenders["reason"].to_numpy()]),
            "listed": np.concatenate([listed, offenders["listed_day"].to_numpy()]),
        }
    )
    frame = frame[frame["listed"] < cfg.n_days]
    frame = frame.sort_values("listed", kind="stable", ignore_index=True)
    return pd.DataFrame(
        {
            "entry_id": ids.sequential("IB", np.arange(1, len(frame) + 1), 9),
            "entry_type": np.array(ENTRY_TYPES, dtype=object)[frame["entry_type"].to_numpy()],
            "entry_value": frame["entry_value"],
            "reason": frame["reason"].astype("str"),
            "listed_on": frame["listed"].to_numpy() + cfg.start_day,
            "_day": np.maximum(frame["listed"].to_numpy(), 0) + cfg.start_day,
        }
    )


def external_blacklist_extract(cfg: SimConfig, flagged: pd.DataFrame, customer_ids: np.ndarray,
                               customer_mobiles: np.ndarray) -> pd.DataFrame:
    """External provider feed: some fraudsters and very risky customers before they apply, plus background."""
    rng = stream(cfg.seed, "external_blacklist")
    total = int(round(cfg.external_blacklist_per_customer * cfg.customers))
    n_background = max(0, total - len(flagged))
    kind, values = _background_values(rng, n_background, (0.55, 0.40, 0.05), customer_ids, customer_mobiles)
    historical = rng.random(n_background) < 0.7
    listed = np.where(historical, -rng.integers(1, 5 * 365, n_background), rng.integers(0, cfg.n_days, n_background))
    risk = rng.choice(3, size=n_background, p=(0.3, 0.45, 0.25))
    frame = pd.DataFrame(
        {
            "entry_type": np.concatenate([kind, flagged["entry_type"].to_numpy()]),
            "entry_value": pd.concat([values, flagged["entry_value"]], ignore_index=True),
            "risk": np.concatenate([risk, flagged["risk"].to_numpy()]),
            "listed": np.concatenate([listed, flagged["listed_day"].to_numpy()]),
        }
    )
    frame["provider"] = rng.choice(len(_EXTERNAL_PROVIDERS), size=len(frame), p=(0.35, 0.3, 0.2, 0.15))
    frame = frame[frame["listed"] < cfg.n_days].sort_values("listed", kind="stable", ignore_index=True)
    return pd.DataFrame(
        {
            "entry_id": ids.sequential("EB", np.arange(1, len(frame) + 1), 9),
            "provider": np.array(_EXTERNAL_PROVIDERS, dtype=object)[frame["provider"].to_numpy()],
            "entry_type": np.array(ENTRY_TYPES, dtype=object)[frame["entry_type"].to_numpy()],
            "entry_value": frame["entry_value"],
            "risk_level": np.array(_RISK_LEVELS, dtype=object)[frame["risk"].to_numpy()],
            "listed_on": frame["listed"].to_numpy() + cfg.start_day,
            "_day": np.maximum(frame["listed"].to_numpy(), 0) + cfg.start_day,
        }
    )


def offender_entries(
    rng: np.random.Generator,
    listed_day: np.ndarray,
    id_number: pd.Series,
    mobile: pd.Series,
    device: pd.Series,
    reason: np.ndarray,
    p_types: tuple[float, float, float],
) -> pd.DataFrame:
    """Blacklist rows for a set of people: each of their ID / mobile / device is listed with probability p_type."""
    parts = []
    for kind, (values, p) in enumerate(zip((id_number, mobile, device), p_types, strict=True)):
        take = np.flatnonzero(rng.random(len(values)) < p)
        parts.append(
            pd.DataFrame(
                {
                    "entry_type": np.full(len(take), kind),
                    "entry_value": values.iloc[take].to_numpy(),
                    "reason": np.asarray(reason, dtype=object)[take],
                    "listed_day": np.asarray(listed_day)[take] + rng.integers(0, 3, len(take)),
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    # A device shared by several ring members is listed once.
    return out.drop_duplicates(["entry_type", "entry_value"], keep="first", ignore_index=True)

