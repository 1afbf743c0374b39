"""Credit-bureau reports and third-party data, all driven by the customer's observable risk z_obs plus noise.

- Bureau report (pulled at each application): employer, housing provident fund, credit lines, utilisation, overdue
  accounts -> ability to repay.
- Multi-lending: loans and credit queries at other institutions in the 180 days before the application; riskier
  customers have more of them and more recently. Rings shop around many lenders in their burst week.
- Repayment behaviour elsewhere: on-time ratio, overdue count and worst DPD over the last 12 months.
- Suspected collection calls/SMS: riskier customers receive more, before and after applying; customers who default
  with this lender get collection contacts afterwards too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from simulator import ids, people
from simulator.applications import Applications
from simulator.clock import DAY, daytime_seconds
from simulator.config import SimConfig
from simulator.fraud import LONE, RING
from simulator.geo import GEO
from simulator.population import EMPLOYER_TYPES, Population, sigmoid
from simulator.rng import stream

_PF_PAYING_P = np.array([0.92, 0.95, 0.85, 0.50, 0.06, 0.0])
INSTITUTION_TYPES = ("bank", "consumer_finance", "online_lender", "microloan")
COUNTERPARTIES = ("bank", "consumer_finance", "online_lender", "collection_agency", "unknown")
_SOE_TEMPLATES = (("国家电网", "供电公司"), ("中国移动", "分公司"), ("", "城投集团有限公司"), ("中国建设银行", "分行"),
                  ("", "公交集团有限公司"), ("中国石化", "分公司"))
_PUBLIC_TEMPLATES = ("中学", "人民医院", "人民政府", "市场监督管理局", "职业技术学院")
_FOREIGN_BRANDS = ("西门子", "博世", "松下", "三星电子", "联合利华", "宝洁", "星巴克", "富士康科技", "施耐德电气",
                   "雀巢")
_INDUSTRIES = ("科技", "贸易", "物流", "建筑工程", "餐饮管理", "电子", "服装", "机械制造", "网络科技", "房地产经纪")
_SHOPS = ("餐馆", "五金店", "便利店", "水果店", "服装店", "理发店", "快递驿站")
_BRAND_CHARS = tuple("华盛鑫达荣泰兴隆富康宏远金源博雅恒信瑞丰德嘉新宇星辰锦程创联")


def _s(values) -> pa.Array:
    return pa.array(list(values) if not isinstance(values, np.ndarray) else values.tolist(), type=pa.string())


def _join(*parts) -> pa.Array:
    args = [pa.scalar(p, pa.string()) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*args, pa.scalar("", pa.string()))


def _pick(rng: np.random.Generator, table: tuple[str, ...], n: int) -> pa.Array:
    return _s(np.array(table, dtype=object)[rng.integers(0, len(table), n)])


def _employer_names(rng: np.random.Generator, c: pd.DataFrame) -> np.ndarray:
    """Employer names people in the same city share (state-owned branches, schools, hospitals, firms)."""
    n = len(c)
    employer = c["employer_type"].to_numpy()
    city_short = np.array([name.removesuffix("市") for name in GEO.city_name], dtype=object)[c["city"].to_numpy()]
    district = GEO.district_name[c["district"].to_numpy()]
    names = np.full(n, None, dtype=object)

    def fill(kind: int, build) -> None:
        rows = np.flatnonzero(employer == kind)
        if len(rows):
            names[rows] = build(rows, len(rows)).to_numpy(zero_copy_only=False)

    def soe(rows, k):
        t = rng.integers(0, len(_SOE_TEMPLATES), k)
        return _join(_s(np.array([_SOE_TEMPLATES[i][0] for i in t], dtype=object)), _s(city_short[rows]),
                     _s(np.array([_SOE_TEMPLATES[i][1] for i in t], dtype=object)))

    def public(rows, k):
        t = rng.integers(0, len(_PUBLIC_TEMPLATES), k)
        ordinal = np.where(t <= 1, np.char.add(np.char.add("第", rng.integers(1, 12, k).astype(str)), ""), "")
        middle = np.where(t == 2, district[rows], ordinal).astype(object)
        return _join(_s(city_short[rows]), _s(middle), _s(np.array(_PUBLIC_TEMPLATES, dtype=object)[t]))

    def foreign(rows, k):
        return _join(_pick(rng, _FOREIGN_BRANDS, k), "(中国)有限公司")

    def private(rows, k):
        return _join(_s(city_short[rows]), _pick(rng, _BRAND_CHARS, k), _pick(rng, _BRAND_CHARS, k),
                     _pick(rng, _INDUSTRIES, k), "有限公司")

    def self_employed(rows, k):
        return _join(_s(district[rows]), _s(np.array(people.SURNAMES, dtype=object)[people.surnames(rng, k)]), "记",
                     _pick(rng, _SHOPS, k))

    for kind, build in enumerate((soe, public, foreign, private, self_employed)):
        fill(kind, build)
    return names


def credit_profiles(cfg: SimConfig, pop: Population) -> pd.DataFrame:
    """Customer-level bureau profile (per-report values add a little noise on top)."""
    rng = stream(cfg.seed, "bureau_profile")
    c = pop.customers
    n = len(c)
    zo = c["z_obs"].to_numpy()
    employer = c["employer_type"].to_numpy()
    income_yuan = c["income_fen"].to_numpy() / 100
    paying = rng.random(n) < _PF_PAYING_P[employer] * (1 - 0.3 * sigmoid(zo))
    stopped = ~paying & (rng.random(n) < (0.2 + 0.4 * sigmoid(zo)) * (employer >= 3))
    status = np.where(paying, "paying", np.where(stopped, "stopped", "none"))
    base = np.clip(income_yuan * rng.uniform(0.6, 1.1, n), 2_000, 35_000)
    base_fen = np.where(status == "none", np.nan, np.round(base / 10) * 1_000)
    lines = rng.poisson(0.5 + 1.5 * np.exp(0.35 * zo) + 0.25 * income_yuan / 10_000)
    per_line = np.clip(rng.lognormal(np.log(income_yuan * 1.2), 0.5), 2_000, 200_000)
    limit_fen = np.round(lines * per_line / 100) * 10_000
    mean_util = sigmoid(-1.0 + 1.0 * zo)
    utilization = np.where(lines > 0, rng.beta(6 * mean_util, 6 * (1 - mean_util)), 0.0)
    overdue = np.where(lines > 0, rng.poisson(0.08 * np.exp(1.1 * zo)), 0)
    return pd.DataFrame(
        {
            "employer_type": np.array(EMPLOYER_TYPES, dtype=object)[employer],
            "employer_name": pd.Series(_employer_names(rng, c), dtype="str"),
            "pf_status": status,
            "pf_base_fen": base_fen,
            "lines": lines,
            "limit_fen": limit_fen,
            "utilization": utilization,
            "overdue": overdue,
        }
    )


def reports_extract(cfg: SimConfig, pop: Population, apps: Applications, profile: pd.DataFrame):
    """Bureau report per application, and the features the decision uses."""
    rng = stream(cfg.seed, "bureau_reports")
    a, c = apps.frame, pop.customers
    cust, seq = a["cust"].to_numpy(), a["seq"].to_numpy()
    p = profile.take(cust).reset_index(drop=True)
    n = len(a)
    extra_line = (seq > 0) & (rng.random(n) < 0.3)
    lines = p["lines"].to_numpy() + extra_line
    utilization = np.where(lines > 0, np.clip(p["utilization"].to_numpy() + rng.normal(0, 0.03, n), 0, 1), 0.0)
    ts = a["ts"].to_numpy() + rng.integers(1, 3, n)
    extract = pd.DataFrame(
        {
            "report_id": ids.sequential("BR", np.arange(1, n + 1), 9),
            "customer_id": c["customer_id"].take(cust).to_numpy(),
            "id_number": c["id_number"].take(cust).to_numpy(),
            "queried_at": ts + cfg.start_day * DAY,
            "employer_type": p["employer_type"],
            "employer_name": p["employer_name"],
            "provident_fund_status": p["pf_status"],
            "provident_fund_base": p["pf_base_fen"],
            "existing_credit_lines": lines,
            "total_credit_limit": p["limit_fen"],
            "credit_utilization": np.round(utilization, 4),
            "overdue_accounts": p["overdue"],
            "_day": ts // DAY + cfg.start_day,
        }
    )
    income = c["income_fen"].to_numpy()[cust]
    features = pd.DataFrame(
        {
            "credit_utilization": utilization,
            "overdue_accounts": p["overdue"].to_numpy(),
            "pf_status": p["pf_status"].to_numpy(),
            "employer_type": p["employer_type"].to_numpy(),
            "income_fen": income,
            "amount_to_income": a["amount_fen"].to_numpy() / income,
        }
    )
    return extract, features


def multi_lending_extract(cfg: SimConfig, pop: Population, apps: Applications) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Records of the 180 days before each application; also returns per-application 30/180-day counts."""
    rng = stream(cfg.seed, "multi_lending")
    a, c = apps.frame, pop.customers
    cust, kind = a["cust"].to_numpy(), a["kind"].to_numpy()
    zo = c["z_obs"].to_numpy()[cust]
    n = len(a)
    regular_count = rng.poisson(1.5 * np.exp(0.55 * zo))
    burst_count = rng.poisson(np.select([kind == RING, kind == LONE], [3.0, 2.0], 0.0))
    app = np.repeat(np.arange(n), regular_count + burst_count)
    # rows of one application: its regular records first, then its burst records
    within = np.arange(len(app)) - np.repeat(np.cumsum(regular_count + burst_count) - regular_count - burst_count,
                                             regular_count + burst_count)
    is_burst = within >= regular_count[app]
    m = len(app)
    recency = 1 + 1.5 * sigmoid(zo[app])
    offset = np.floor(180 * rng.random(m) ** recency).astype(np.int64)
    offset = np.where(is_burst, rng.integers(0, 10, m), offset)
    is_loan = rng.random(m) < 0.45
    risky = sigmoid(zo[app])
    p = np.column_stack([0.40 - 0.25 * risky, np.full(m, 0.25), 0.20 + 0.15 * risky, 0.15 + 0.10 * risky])
    institution = (rng.random(m)[:, None] > np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)).sum(axis=1)
    amount_yuan = np.clip(rng.lognormal(np.log(6_000) + 0.5 * (institution == 0), 0.8), 500, 200_000)
    amount = np.where(is_loan, np.round(amount_yuan / 100) * 10_000, np.nan)
    reported = (a["ts"].to_numpy() + rng.integers(1, 6, n))[app]  # one data-provider response per application
    event_day = a["day"].to_numpy()[app] - offset
    order = np.lexsort((event_day, app))  # within an application: oldest event first
    app, offset, event_day, reported = app[order], offset[order], event_day[order], reported[order]
    is_loan, institution, amount = is_loan[order], institution[order], amount[order]
    extract = pd.DataFrame(
        {
            "record_id": ids.sequential("ML", np.arange(1, m + 1), 10),
            "customer_id": c["customer_id"].take(cust[app]).to_numpy(),
            "institution_type": np.array(INSTITUTION_TYPES, dtype=object)[institution],
            "event_type": np.where(is_loan, "loan", "query"),
            "amount": amount,
            "event_on": event_day + cfg.start_day,
            "reported_at": reported + cfg.start_day * DAY,
            "_day": reported // DAY + cfg.start_day,
        }
    )
    counts = pd.DataFrame(
        {
            "ml_30d": np.bincount(app[offset < 30], minlength=n),
            "ml_180d": np.bincount(app, minlength=n),
        }
    )
    return extract, counts


def repayment_behaviour_extract(cfg: SimConfig, pop: Population, apps: Applications):
    rng = stream(cfg.seed, "repayment_behaviour")
    a, c = apps.frame, pop.customers
    cust = a["cust"].to_numpy()
    zo = c["z_obs"].to_numpy()[cust]
    n = len(a)
    accounts = rng.poisson(0.8 + 1.2 * np.exp(0.3 * zo))
    miss = 0.005 + 0.3 * sigmoid(1.4 * zo - 2.2)
    ratio = 1 - rng.beta(miss * 20, (1 - miss) * 20)
    overdue = np.where(accounts > 0, rng.binomial(12 * accounts, np.clip(1 - ratio, 0, 1)), 0)
    worst = np.ceil(rng.exponential(3 + 70 * sigmoid(1.4 * zo - 1.5)))
    max_dpd = np.where(overdue > 0, np.clip(worst, 1, 360), 0).astype(np.int64)
    reported = a["ts"].to_numpy() + rng.integers(1, 6, n)
    extract = pd.DataFrame(
        {
            "record_id": ids.sequential("RB", np.arange(1, n + 1), 9),
            "customer_id": c["customer_id"].take(cust).to_numpy(),
            "accounts_elsewhere": accounts,
            "on_time_ratio_12m": np.where(accounts > 0, np.round(ratio, 4), np.nan),
            "overdue_count_12m": overdue,
            "max_dpd_12m": max_dpd,
            "reported_at": reported + cfg.start_day * DAY,
            "_day": reported // DAY + cfg.start_day,
        }
    )
    return extract, pd.DataFrame({"overdue_count_12m": overdue, "max_dpd_12m": max_dpd})


def collection_contacts_extract(cfg: SimConfig, pop: Population, default_day: np.ndarray) -> pd.DataFrame:
    """Suspected collection contacts from 180 days before the first application to the end of the window.

    Contacts before the customer's first application are reported with it (they land on that day); later ones land
    on the day they happen. `default_day` is each customer's first default day with this lender (-1 if none).
    """
    rng = stream(cfg.seed, "collection_contacts")
    c = pop.customers
    T = cfg.n_days
    zo = c["z_obs"].to_numpy()
    first_day = c["reg_day"].to_numpy()
    span = (T - first_day + 180) / 365
    background = rng.poisson(6 * sigmoid(1.5 * zo - 3.0) * span)
    defaulted = default_day >= 0
    after_default = np.where(defaulted, rng.poisson(np.maximum(T - default_day, 0) / 20), 0)
    cust = np.repeat(np.arange(len(c)), background + after_default)
    within = np.arange(len(cust)) - np.repeat(np.cumsum(background + after_default) - background - after_default,
                                              background + after_default)
    post = within >= background[cust]
    lo = np.where(post, default_day[cust] + 5, first_day[cust] - 180)
    day = lo + (rng.random(len(cust)) * np.maximum(T - lo, 1)).astype(np.int64)
    keep = day < T
    cust, post, day = cust[keep], post[keep], day[keep]
    m = len(cust)
    category = np.where(post, rng.choice([1, 3], size=m, p=[0.4, 0.6]),
                        rng.choice(len(COUNTERPARTIES), size=m, p=[0.15, 0.25, 0.3, 0.2, 0.1]))
    ts = day * DAY + daytime_seconds(rng, m)
    landing = np.maximum(day, first_day[cust])
    frame = pd.DataFrame({"cust": cust, "category": category, "ts": ts, "landing": landing})
    frame = frame.sort_values(["landing", "ts", "cust"], kind="stable", ignore_index=True)
    return pd.DataFrame(
        {
            "record_id": ids.sequential("CC", np.arange(1, len(frame) + 1), 10),
            "customer_id": c["customer_id"].take(frame["cust"].to_numpy()).to_numpy(),
            "contact_type": np.where(rng.random(len(frame)) < 0.55, "call", "sms"),
            "counterparty_category": np.array(COUNTERPARTIES, dtype=object)[frame["category"].to_numpy()],
            "contacted_at": frame["ts"].to_numpy() + cfg.start_day * DAY,
            "_day": frame["landing"].to_numpy() + cfg.start_day,
        }
    )
