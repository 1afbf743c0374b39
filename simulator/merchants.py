"""Partner institutions (merchants), their stores and sales reps, and the merchant-management change history.

Each merchant has a latent state: healthy, deteriorating (from `deteriorates_on`, in the second half of the window)
or colluding (fake transactions). The state is never written to the landing zone; it drives the outcomes generated
elsewhere (defaults, returns, complaints, call-backs) and the management actions here (quota cuts, suspensions).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator import ids, people
from simulator.clock import DAY, office_seconds
from simulator.config import SCENARIOS, SimConfig
from simulator.geo import GEO
from simulator.rng import stream

HEALTHY, DETERIORATING, COLLUDING = range(3)
LATENT_STATES = ("healthy", "deteriorating", "colluding")
NEVER = 10**9  # a day number far beyond any window

_BRAND_CHARS = tuple("美佳华盛鑫达荣泰兴隆富康宏远金源博雅丽颜尚品优家安居恒信瑞丰德嘉新宇星辰锦程")
_NAME_SUFFIXES = (
    ("电器有限公司", "家电商贸有限公司", "电器城"),
    ("家居有限公司", "家具城", "全屋定制有限公司"),
    ("教育培训学校", "职业技能培训中心", "教育科技有限公司"),
    ("医疗美容门诊部", "医疗美容诊所", "整形美容医院"),
)
_STORE_KINDS = ("家电", "家居", "教育", "医美")
_STORE_SUFFIXES = ("店", "体验馆", "校区", "门诊")


@dataclass
class MerchantBook:
    """Merchants, stores and reps as internal tables (row position = internal index)."""

    merchants: pd.DataFrame
    stores: pd.DataFrame
    reps: pd.DataFrame
    history: pd.DataFrame  # one row per management change (the merchants extract)
    store_order: np.ndarray  # store indices sorted by (merchant, opened_day)
    merchant_store_start: np.ndarray  # offsets into store_order, length n_merchants + 1
    rep_order: np.ndarray  # rep indices sorted by (store, hired_day)
    store_rep_start: np.ndarray

    @property
    def n(self) -> int:
        return len(self.merchants)

    def is_active(self, merchant: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Admitted on or before `day` and not suspended on `day`."""
        m = self.merchants
        admit = m["admit_day"].to_numpy()[merchant]
        off_from = m["inactive_from"].to_numpy()[merchant]
        off_until = m["inactive_until"].to_numpy()[merchant]
        return (admit <= day) & ~((off_from <= day) & (day < off_until))


def _mean_amount(cfg: SimConfig, scenario: int) -> float:
    terms = cfg.scenario_terms[scenario]
    return (terms.max_amount - terms.min_amount) / np.log(terms.max_amount / terms.min_amount)


def _admission_days(rng: np.random.Generator, scenario: np.ndarray, n_days: int) -> np.ndarray:
    """A few merchants per scenario on day 0, ~30% in the first two weeks, the rest spread over the window."""
    n = len(scenario)
    late_end = max(16, n_days - 120) if n_days > 240 else max(16, int(0.6 * n_days))
    days = rng.integers(15, late_end, n)
    early = rng.random(n) < 0.3
    days[early] = rng.integers(0, 15, early.sum())
    for s in range(len(SCENARIOS)):
        members = np.flatnonzero(scenario == s)
        days[rng.choice(members, size=min(3, len(members)), replace=False)] = 0
    return np.minimum(days, n_days - 1)


def _merchant_names(rng: np.random.Generator, scenario: np.ndarray, city: np.ndarray) -> tuple[list[str], list[str]]:
    n = len(scenario)
    b1 = rng.integers(0, len(_BRAND_CHARS), n)
    b2 = rng.integers(0, len(_BRAND_CHARS), n)
    suffix = rng.integers(0, 3, n)
    brands = [_BRAND_CHARS[a] + _BRAND_CHARS[b] for a, b in zip(b1, b2, strict=True)]
    names = [
        GEO.city_name[c].removesuffix("市") + brand + _NAME_SUFFIXES[s][k]
        for c, brand, s, k in zip(city, brands, scenario, suffix, strict=True)
    ]
    return names, brands


def _base_merchants(cfg: SimConfig, rng: np.random.Generator) -> pd.DataFrame:
    counts = cfg.merchants_per_scenario
    scenario = np.repeat(np.arange(len(SCENARIOS)), counts)
    n = len(scenario)
    admit = _admission_days(rng, scenario, cfg.n_days)
    # Chronological merchant ids: sort by admission day (ties keep a random order).
    order = np.lexsort((rng.random(n), admit))
    scenario, admit = scenario[order], admit[order]

    state = np.full(n, HEALTHY)
    shuffled = rng.permutation(n)
    n_det = round(cfg.deteriorating_share * n)
    n_col = max(1, round(cfg.colluding_share * n))
    state[shuffled[:n_det]] = DETERIORATING
    state[shuffled[n_det : n_det + n_col]] = COLLUDING

    half = cfg.n_days // 2
    det_day = rng.integers(half, max(half + 1, cfg.n_days - 30), n)
    det_day = np.minimum(np.maximum(det_day, admit + 60), cfg.n_days - 1)
    det_day = np.where(state == DETERIORATING, det_day, -1)

    city = GEO.sample_cities(rng, n)
    weight = rng.lognormal(0.0, 0.7, n)
    names, brands = _merchant_names(rng, scenario, city)

    # Expected genuine customers and monthly volume size the quota and the deposit.
    regular_customers = cfg.customers * (1 - cfg.ring_member_share - cfg.lone_fraud_share)
    scenario_weight = np.bincount(scenario, weights=weight, minlength=len(SCENARIOS))
    mix = np.asarray(cfg.customer_scenario_mix)
    expected_customers = regular_customers * mix[scenario] * weight / scenario_weight[scenario]
    active_months = np.maximum(1.0, (cfg.n_days - admit) / 30.4)
    mean_amount = np.array([_mean_amount(cfg, s) for s in range(len(SCENARIOS))])[scenario]
    monthly_volume = expected_customers * 1.3 * cfg.approval_target * mean_amount / active_months
    quota_yuan = np.maximum(50_000, np.ceil(3 * monthly_volume / 10_000) * 10_000)
    base_ratio = np.array([0.05, 0.06, 0.10, 0.10])[scenario] + rng.integers(0, 6, n) / 100

    return pd.DataFrame(
        {
            "merchant_id": ids.sequential("M", np.arange(1, n + 1), 6),
            "merchant_name": pd.Series(names, dtype="str"),
            "brand": pd.Series(brands, dtype="str"),
            "scenario": scenario,
            "city": city,
            "state": state,
            "admit_day": admit,
            "deteriorates_day": det_day,
            "weight": weight,
            "expected_customers": expected_customers,
            "deposit_ratio": np.round(base_ratio, 2),
            "quota_fen": (quota_yuan * 100).astype(np.int64),
        }
    )


def _management_history(cfg: SimConfig, rng: np.random.Generator, m: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Row per admission-status / quota / deposit change; also returns each merchant's inactive interval.

    A per-merchant loop: merchants number in the tens of thousands at most and each has only a handful of events,
    so clarity wins over vectorisation here.
    """
    T = cfg.n_days
    rows: list[tuple] = []
    inactive_from = np.full(len(m), NEVER, dtype=np.int64)
    inactive_until = np.full(len(m), NEVER, dtype=np.int64)
    terminated_day = np.full(len(m), NEVER, dtype=np.int64)
    for i, (admit, state, det, ratio, quota) in enumerate(
        zip(m["admit_day"], m["state"], m["deteriorates_day"], m["deposit_ratio"], m["quota_fen"], strict=True)
    ):
        events: list[tuple[int, str, float, int]] = []  # (day, status, ratio, quota)
        if admit >= 25 and rng.random() < 0.3:
            events.append((admit - int(rng.integers(3, 21)), "pending", ratio, quota))
        events.append((admit, "admitted", ratio, quota))

        suspend = NEVER
        if state == DETERIORATING:
            cut = det + int(rng.integers(20, 90))
            if cut < T:
                ratio, quota = round(ratio + 0.05, 2), int(quota * 0.5 // 1_000_000 * 1_000_000)
                events.append((cut, "admitted", ratio, max(quota, 3_000_000)))
            if rng.random() < 0.55:
                suspend = det + int(rng.integers(60, 200))
        elif state == COLLUDING and rng.random() < 0.6:
            suspend = admit + int(rng.integers(120, 500))
        elif state == HEALTHY and rng.random() < 0.02:
            suspend = admit + int(rng.integers(60, max(61, T)))

        review = admit + int(rng.integers(150, 250))
        while review < min(T, suspend):
            if state != DETERIORATING or review < det:
                quota = int(quota * rng.uniform(1.1, 1.5) // 1_000_000 * 1_000_000)
                events.append((review, "admitted", ratio, quota))
            review += int(rng.integers(150, 250))

        if suspend < T:
            events.append((suspend, "suspended", ratio, quota))
            inactive_from[i] = suspend
            after = suspend + int(rng.integers(30, 120))
            roll = rng.random()
            if state == HEALTHY and roll < 0.5:
                events.append((after, "admitted", ratio, quota))
                inactive_until[i] = after
            elif roll < 0.45 and after < T:
                events.append((after, "terminated", ratio, quota))
                terminated_day[i] = after

        events.sort(key=lambda e: e[0])
        last_day = -(10**6)
        for day, status, r, q in events:
            day = max(day, last_day + 1)  # one change per day at most: (merchant_id, updated_at) stays unique
            if day >= T:
                break
            last_day = day
            admitted_on = np.nan if status == "pending" else float(admit)
            rows.append((i, status, admitted_on, r, q, day))

    hist = pd.DataFrame(rows, columns=["merchant", "admission_status", "admitted_on", "deposit_ratio", "quota", "day"])
    hist["seconds"] = office_seconds(rng, len(hist))
    intervals = {"inactive_from": inactive_from, "inactive_until": inactive_until, "terminated_day": terminated_day}
    return hist, intervals


def _stores(cfg: SimConfig, rng: np.random.Generator, m: pd.DataFrame) -> pd.DataFrame:
    n_stores = rng.choice(np.arange(1, 6), size=len(m), p=[0.35, 0.25, 0.2, 0.12, 0.08])
    merchant = np.repeat(np.arange(len(m)), n_stores)
    first = np.r_[True, merchant[1:] != merchant[:-1]]
    admit = m["admit_day"].to_numpy()[merchant]
    last_open = np.minimum(cfg.n_days - 1, m["inactive_from"].to_numpy()[merchant] - 1)
    opened = np.where(first, admit, np.minimum(admit + rng.integers(0, 365, len(merchant)), last_open))
    opened = np.maximum(opened, admit)
    city = m["city"].to_numpy()[merchant]
    district = GEO.sample_districts(rng, city, np.full(len(city), -0.3))
    order = np.lexsort((merchant, opened))  # chronological store ids
    merchant, opened, city, district = merchant[order], opened[order], city[order], district[order]
    n = len(merchant)
    scenario = m["scenario"].to_numpy()[merchant]
    names = [
        f"{brand}{_STORE_KINDS[s]}({dname}{_STORE_SUFFIXES[s]})"
        for brand, s, dname in zip(
            m["brand"].to_numpy()[merchant], scenario, GEO.district_name[district], strict=True
        )
    ]
    return pd.DataFrame(
        {
            "store_id": ids.sequential("S", np.arange(1, n + 1), 7),
            "merchant": merchant,
            "store_name": pd.Series(names, dtype="str"),
            "city": city,
            "district": district,
            "address": people.street_addresses(rng, district),
            "gps_lat": np.round(GEO.city_lat[city] + rng.normal(0, 0.04, n), 6),
            "gps_lon": np.round(GEO.city_lon[city] + rng.normal(0, 0.04, n), 6),
            "opened_day": opened,
            "ip_address": people.ipv4(rng, n),
        }
    )


def _reps(cfg: SimConfig, rng: np.random.Generator, stores: pd.DataFrame, phones: people.PhoneBook) -> pd.DataFrame:
    per_store = rng.choice(np.arange(1, 5), size=len(stores), p=[0.35, 0.3, 0.2, 0.15])
    store = np.repeat(np.arange(len(stores)), per_store)
    first = np.r_[True, store[1:] != store[:-1]]
    opened = stores["opened_day"].to_numpy()[store]
    hired = np.where(first, opened, np.minimum(opened + rng.integers(0, 300, len(store)), cfg.n_days - 1))
    order = np.lexsort((store, hired))
    store, hired = store[order], hired[order]
    n = len(store)
    return pd.DataFrame(
        {
            "sales_rep_id": ids.sequential("R", np.arange(1, n + 1), 7),
            "store": store,
            "merchant": stores["merchant"].to_numpy()[store],
            "rep_name": people.full_names(rng, rng.random(n) < 0.5),
            "mobile": phones.issue(rng, n),
            "hired_day": hired,
        }
    )


def _sorted_offsets(group: np.ndarray, day: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((day, group))
    start = np.searchsorted(group[order], np.arange(n_groups + 1), side="left")
    return order, start


def build_merchants(cfg: SimConfig, phones: people.PhoneBook) -> MerchantBook:
    rng = stream(cfg.seed, "merchants")
    merchants = _base_merchants(cfg, rng)
    history, intervals = _management_history(cfg, rng, merchants)
    for name, values in intervals.items():
        merchants[name] = values
    stores = _stores(cfg, rng, merchants)
    reps = _reps(cfg, rng, stores, phones)
    store_order, store_start = _sorted_offsets(
        stores["merchant"].to_numpy(), stores["opened_day"].to_numpy(), len(merchants)
    )
    rep_order, rep_start = _sorted_offsets(reps["store"].to_numpy(), reps["hired_day"].to_numpy(), len(stores))
    return MerchantBook(merchants, stores, reps, history, store_order, store_start, rep_order, rep_start)


# --- extracts ----------------------------------------------------------------------------------------------------

def merchants_extract(cfg: SimConfig, book: MerchantBook) -> pd.DataFrame:
    h, m = book.history, book.merchants
    idx = h["merchant"].to_numpy()
    day = h["day"].to_numpy() + cfg.start_day
    admitted_on = h["admitted_on"].to_numpy() + cfg.start_day  # NaN stays NaN for pending rows
    frame = pd.DataFrame(
        {
            "merchant_id": m["merchant_id"].take(idx).to_numpy(),
            "merchant_name": m["merchant_name"].take(idx).to_numpy(),
            "scenario": np.array(SCENARIOS, dtype=object)[m["scenario"].to_numpy()[idx]],
            "province": GEO.city_province[m["city"].to_numpy()[idx]],
            "city": GEO.city_name[m["city"].to_numpy()[idx]],
            "admission_status": h["admission_status"].to_numpy(),
            "admitted_on": admitted_on,
            "deposit_ratio": h["deposit_ratio"].to_numpy(),
            "credit_quota": h["quota"].to_numpy(),
            "updated_at": day * DAY + h["seconds"].to_numpy(),
            "_day": day,
        }
    )
    return frame.sort_values(["updated_at", "merchant_id"], kind="stable", ignore_index=True)


def stores_extract(cfg: SimConfig, book: MerchantBook) -> pd.DataFrame:
    s, m = book.stores, book.merchants
    day = s["opened_day"].to_numpy() + cfg.start_day
    return pd.DataFrame(
        {
            "store_id": s["store_id"],
            "merchant_id": m["merchant_id"].take(s["merchant"].to_numpy()).to_numpy(),
            "store_name": s["store_name"],
            "city": GEO.city_name[s["city"].to_numpy()],
            "address": s["address"],
            "gps_lat": s["gps_lat"],
            "gps_lon": s["gps_lon"],
            "opened_on": day,
            "_day": day,
        }
    )


def sales_reps_extract(cfg: SimConfig, book: MerchantBook) -> pd.DataFrame:
    r, m, s = book.reps, book.merchants, book.stores
    day = r["hired_day"].to_numpy() + cfg.start_day
    return pd.DataFrame(
        {
            "sales_rep_id": r["sales_rep_id"],
            "merchant_id": m["merchant_id"].take(r["merchant"].to_numpy()).to_numpy(),
            "store_id": s["store_id"].take(r["store"].to_numpy()).to_numpy(),
            "rep_name": r["rep_name"],
            "mobile": people.mobile_text(r["mobile"].to_numpy()),
            "hired_on": day,
            "_day": day,
        }
    )
