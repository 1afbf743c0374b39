"""Risk operations: complaints / public-opinion items about merchants, and AI call-backs after disbursement.

Both react to the merchant's latent state: deteriorating merchants (after their date) and colluding ones draw far
more complaints and "not_received" call-backs; identity-theft victims complain about loans they never applied for.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from simulator import ids
from simulator.clock import DAY, daytime_seconds, office_seconds
from simulator.config import EDUCATION, SimConfig
from simulator.fraud import FAKE, LONE, REGULAR, RING
from simulator.lending import Loans
from simulator.merchants import COLLUDING, DETERIORATING, MerchantBook
from simulator.population import Population
from simulator.rng import stream

CATEGORIES = ("goods_not_received", "service_not_delivered", "false_advertising", "refund_dispute", "store_closed",
              "service_quality", "repayment_dispute", "unauthorized_loan")
_CONTENT = {
    "goods_not_received": (
        "在{m}办理分期购买的商品至今未收到，商家一直推脱。",
        "付款一个多月了{m}还没发货，客服电话打不通。",
    ),
    "service_not_delivered": (
        "{m}收了分期款但课程和服务一直没有提供，联系不上负责人。",
        "{m}承诺的项目迟迟不安排，要求退款。",
    ),
    "false_advertising": (
        "{m}宣传的效果与实际严重不符，存在虚假宣传。",
        "销售人员夸大承诺诱导办理分期，{m}拒不认账。",
    ),
    "refund_dispute": (
        "申请退款很久了，{m}和贷款机构互相推诿，迟迟未退。",
        "{m}只同意退一部分款项，剩余分期仍在扣款。",
    ),
    "store_closed": (
        "{m}门店突然关门跑路，分期还在扣款，要求停止还款。",
        "{m}已经停业，无法继续上课或服务，要求处理贷款。",
    ),
    "service_quality": (
        "{m}服务态度差，售后处理不及时。",
        "对{m}的服务不满意，投诉多次无人回复。",
    ),
    "repayment_dispute": (
        "还款金额与合同约定不一致，要求核实利息和手续费。",
        "已经按时还款但系统显示逾期，要求更正记录。",
    ),
    "unauthorized_loan": (
        "本人从未申请过该笔分期贷款，疑似身份被冒用，要求立即核查。",
        "收到还款提醒才发现名下有一笔贷款，不是本人办理。",
    ),
}
COMPLAINT_CHANNELS = ("hotline", "social_media", "regulator", "app_review")
SEVERITIES = ("low", "medium", "high")
CALLBACK_RESULTS = ("received", "not_received", "no_answer")

# index into CATEGORIES with probabilities, by situation
_HEALTHY_MIX = ((5, 6, 2, 3), (0.35, 0.25, 0.15, 0.25))
_BAD_MIX = ((0, 1, 2, 3, 4), (0.30, 0.20, 0.20, 0.15, 0.15))
_COLLUDING_MIX = ((0, 1, 2, 3), (0.40, 0.25, 0.20, 0.15))


def _categories(rng: np.random.Generator, situation: np.ndarray) -> np.ndarray:
    """situation: 0 healthy, 1 deteriorated, 2 colluding, 3 identity theft."""
    out = np.full(len(situation), 7, dtype=np.int64)
    for code, (choices, p) in enumerate((_HEALTHY_MIX, _BAD_MIX, _COLLUDING_MIX)):
        mask = situation == code
        out[mask] = rng.choice(choices, size=int(mask.sum()), p=p)
    return out


def _content(rng: np.random.Generator, category: np.ndarray, merchant_name: np.ndarray) -> pd.Series:
    templates = np.array([_CONTENT[c][v] for c in CATEGORIES for v in range(2)], dtype=object)
    chosen = templates[category * 2 + rng.integers(0, 2, len(category))]
    parts = pc.split_pattern(pa.array(chosen, type=pa.string()), "{m}")
    # every template has at most one {m}: join its two halves around the merchant name
    return pc.binary_join(parts, pa.array(merchant_name, type=pa.string())).to_pandas()


def complaints_extract(cfg: SimConfig, book: MerchantBook, pop: Population, loans: Loans) -> pd.DataFrame:
    rng = stream(cfg.seed, "complaints")
    lf, m = loans.frame, book.merchants
    n = len(lf)
    kind = lf["kind"].to_numpy()
    deteriorated = lf["after_deterioration"].to_numpy()
    colluding = lf["merchant_state"].to_numpy() == COLLUDING
    situation = np.select([kind == LONE, colluding, deteriorated], [3, 2, 1], 0)
    rate = np.select([kind == LONE, kind == RING, kind == FAKE, colluding, deteriorated],
                     [0.30, 0.0, 0.06, 0.03, 0.05], 0.004)
    chosen = np.flatnonzero(rng.random(n) < rate)
    day = lf["disb_day"].to_numpy()[chosen] + rng.integers(3, 121, len(chosen))
    loan_items = pd.DataFrame(
        {
            "merchant": lf["merchant"].to_numpy()[chosen],
            "cust": lf["cust"].to_numpy()[chosen],
            "situation": situation[chosen],
            "day": day,
        }
    )

    # Public-opinion items without a customer: a trickle for every merchant, a stream for bad ones.
    admit, det = m["admit_day"].to_numpy(), m["deteriorates_day"].to_numpy()
    state = m["state"].to_numpy()
    from_day = np.where(state == DETERIORATING, det, admit)
    per_year = np.select([state == DETERIORATING, state == COLLUDING], [2.5, 1.5], 0.3)
    count = rng.poisson(per_year * np.maximum(cfg.n_days - from_day, 0) / 365)
    merchant = np.repeat(np.arange(book.n), count)
    start = from_day[merchant]
    opinion = pd.DataFrame(
        {
            "merchant": merchant,
            "cust": -1,
            "situation": np.select([state[merchant] == COLLUDING, state[merchant] == DETERIORATING], [2, 1], 0),
            "day": start + (rng.random(len(merchant)) * (cfg.n_days - start)).astype(np.int64),
        }
    )
    items = pd.concat([loan_items, opinion], ignore_index=True)
    items = items[items["day"] < cfg.n_days].reset_index(drop=True)
    k = len(items)
    category = _categories(rng, items["situation"].to_numpy())
    # Schools and clinics sell services, shops sell goods: word the non-delivery complaint accordingly.
    sells_services = m["scenario"].to_numpy()[items["merchant"].to_numpy()] >= EDUCATION
    category = np.where(sells_services & (category == 0), 1, np.where(~sells_services & (category == 1), 0, category))
    bad = items["situation"].to_numpy() > 0
    severity = np.where(bad, rng.choice(3, size=k, p=[0.25, 0.40, 0.35]), rng.choice(3, size=k, p=[0.6, 0.3, 0.1]))
    severity = np.where(category == 7, rng.choice(3, size=k, p=[0.05, 0.25, 0.70]), severity)
    channel = np.where(severity == 2, rng.choice(4, size=k, p=[0.35, 0.15, 0.35, 0.15]),
                       rng.choice(4, size=k, p=[0.45, 0.20, 0.10, 0.25]))
    no_customer = items["cust"].to_numpy() < 0
    channel = np.where(no_customer, 1, channel)  # public opinion is found on social media
    items["ts"] = items["day"].to_numpy() * DAY + daytime_seconds(rng, k)
    items["category"], items["severity"], items["channel"] = category, severity, channel
    items = items.sort_values(["ts", "merchant"], kind="stable", ignore_index=True)
    cust = items["cust"].to_numpy()
    customer_id = pop.customers["customer_id"].take(np.maximum(cust, 0)).to_numpy(dtype=object)
    customer_id[cust < 0] = None
    merchant_names = m["merchant_name"].to_numpy(dtype=object)[items["merchant"].to_numpy()]
    return pd.DataFrame(
        {
            "complaint_id": ids.sequential("CP", np.arange(1, k + 1), 7),
            "merchant_id": m["merchant_id"].take(items["merchant"].to_numpy()).to_numpy(),
            "customer_id": pd.Series(customer_id, dtype="str"),
            "channel": np.array(COMPLAINT_CHANNELS, dtype=object)[items["channel"].to_numpy()],
            "category": np.array(CATEGORIES, dtype=object)[items["category"].to_numpy()],
            "severity": np.array(SEVERITIES, dtype=object)[items["severity"].to_numpy()],
            "content": _content(rng, items["category"].to_numpy(), merchant_names),
            "received_at": items["ts"].to_numpy() + cfg.start_day * DAY,
            "_day": items["day"].to_numpy() + cfg.start_day,
        }
    )


# (received, not_received, no_answer) probabilities by situation
_CALLBACK_P = {
    "healthy": (0.83, 0.01, 0.16),
    "colluding_genuine": (0.80, 0.06, 0.14),
    "colluding_fake": (0.10, 0.55, 0.35),
    "deteriorated": (0.55, 0.20, 0.25),
    "ring": (0.30, 0.10, 0.60),
    "identity_theft": (0.10, 0.60, 0.30),
}


def callbacks_extract(cfg: SimConfig, book: MerchantBook, pop: Population, loans: Loans) -> pd.DataFrame:
    """AI call-backs on ~30% of loans, 3-10 days after disbursement."""
    rng = stream(cfg.seed, "callbacks")
    lf = loans.frame
    chosen = np.flatnonzero(rng.random(len(lf)) < 0.30)
    day = lf["disb_day"].to_numpy()[chosen] + rng.integers(3, 11, len(chosen))
    keep = day < cfg.n_days
    chosen, day = chosen[keep], day[keep]
    kind = lf["kind"].to_numpy()[chosen]
    colluding = lf["merchant_state"].to_numpy()[chosen] == COLLUDING
    deteriorated = lf["after_deterioration"].to_numpy()[chosen]
    situation = np.select(
        [kind == FAKE, kind == RING, kind == LONE, colluding & (kind == REGULAR), deteriorated],
        ["colluding_fake", "ring", "identity_theft", "colluding_genuine", "deteriorated"],
        "healthy",
    )
    result = np.zeros(len(chosen), dtype=np.int64)
    for name, p in _CALLBACK_P.items():
        mask = situation == name
        result[mask] = rng.choice(3, size=int(mask.sum()), p=p)
    ts = day * DAY + office_seconds(rng, len(chosen), 9, 20)
    order = np.lexsort((chosen, ts))
    chosen, ts, result, day = chosen[order], ts[order], result[order], day[order]
    return pd.DataFrame(
        {
            "callback_id": ids.sequential("CB", np.arange(1, len(chosen) + 1), 9),
            "loan_id": lf["loan_id"].take(chosen).to_numpy(),
            "customer_id": pop.customers["customer_id"].take(lf["cust"].to_numpy()[chosen]).to_numpy(),
            "merchant_id": book.merchants["merchant_id"].take(lf["merchant"].to_numpy()[chosen]).to_numpy(),
            "called_at": ts + cfg.start_day * DAY,
            "result": np.array(CALLBACK_RESULTS, dtype=object)[result],
            "_day": day + cfg.start_day,
        }
    )
