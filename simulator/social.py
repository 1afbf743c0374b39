"""The social graph: phone contacts each customer uploads with their first application.

Genuine customers list 5-30 contacts: mostly other customers close to them in (home city, risk) - so risky people
know risky people (assortative mixing) - plus numbers of people who are not customers. Ring members list every other
member and the ring's organiser(s); colluding merchants' fake customers list the sales rep who signed them up and
each other. Contact names are what a phone book would hold: a full name, a nickname or a kinship term.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from simulator import people
from simulator.applications import Applications
from simulator.clock import DAY
from simulator.config import SimConfig
from simulator.fraud import FAKE, RING
from simulator.geo import GEO
from simulator.merchants import MerchantBook
from simulator.population import Population
from simulator.rng import stream

RELATIONS = ("family", "friend", "colleague", "other")
FAMILY, FRIEND, COLLEAGUE, OTHER = range(4)
_KIN = ("妈妈", "爸爸", "老婆", "老公", "哥哥", "姐姐", "弟弟", "妹妹", "舅舅", "姑姑", "表哥", "表姐")
_TITLES = ("哥", "姐", "总", "老师", "师傅", "经理")
_MAX_CONTACTS = 30


def _s(values) -> pa.Array:
    return pa.array(np.asarray(values, dtype=object), type=pa.string())


def _join(*parts) -> pa.Array:
    args = [pa.scalar(p, pa.string()) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*args, pa.scalar("", pa.string()))


def _edges(cust, target_kind, target, relation) -> pd.DataFrame:
    """target_kind: 0 = another customer (target = customer index), 1 = non-customer (target = pool index),
    2 = literal mobile (target = the number, name from `names_literal`)."""
    return pd.DataFrame({"cust": cust, "target_kind": target_kind, "target": target, "relation": relation})


def _social_edges(rng: np.random.Generator, pop: Population, pool_size: int) -> pd.DataFrame:
    c = pop.customers
    n = pop.n
    kind = c["kind"].to_numpy()
    size = np.clip(5 + rng.negative_binomial(2, 2 / 11, n), 5, _MAX_CONTACTS)
    size = np.where(kind == RING, rng.integers(2, 7, n), size)
    size = np.where(kind == FAKE, rng.integers(2, 5, n), size)
    cust = np.repeat(np.arange(n), size)
    m = len(cust)
    # Assortative: neighbours in an ordering by (home province, noisy risk) are likely contacts.
    noisy_risk = c["z_obs"].to_numpy() + rng.normal(0, 0.5, n)
    order = np.lexsort((noisy_risk, GEO.city_province_idx[c["city"].to_numpy()]))
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    step = rng.geometric(1 / 12, m) * np.where(rng.random(m) < 0.5, -1, 1)
    neighbour = order[np.clip(position[cust] + step, 0, n - 1)]
    anywhere = rng.integers(0, n, m)
    target_customer = np.where(rng.random(m) < 0.1, anywhere, neighbour)
    is_customer = rng.random(m) < 0.7
    target = np.where(is_customer, target_customer, rng.integers(0, pool_size, m))
    relation = rng.choice(4, size=m, p=[0.15, 0.45, 0.25, 0.15])
    return _edges(cust, np.where(is_customer, 0, 1), target, relation)


def _ring_edges(rng: np.random.Generator, pop: Population, organiser_base: int) -> pd.DataFrame:
    ring = pop.customers["ring"].to_numpy()
    members = np.flatnonzero(ring >= 0)
    if not len(members):
        return _edges([], [], [], [])
    order = np.argsort(ring[members], kind="stable")
    members = members[order]
    r = ring[members]
    start = np.searchsorted(r, r, side="left")
    end = np.searchsorted(r, r, side="right")
    count = end - start
    src = np.repeat(members, count)
    offset = np.arange(len(src)) - np.repeat(np.cumsum(count) - count, count)
    dst = members[np.repeat(start, count) + offset]
    pairs = _edges(src, 0, dst, FRIEND)
    pairs = pairs[pairs["cust"].to_numpy() != pairs["target"].to_numpy()]
    # one or two organisers per ring, listed by every member
    n_org = 1 + (pop.rings["size"].to_numpy() >= 8)
    org_base = organiser_base + 2 * np.arange(len(pop.rings))
    org = _edges(members, 1, org_base[r], OTHER)
    second = n_org[r] == 2
    org2 = _edges(members[second], 1, org_base[r][second] + 1, OTHER)
    return pd.concat([pairs, org, org2], ignore_index=True)


def _fake_edges(pop: Population, apps: Applications, book: MerchantBook) -> pd.DataFrame:
    c = pop.customers
    fakes = np.flatnonzero(c["kind"].to_numpy() == FAKE)
    if not len(fakes):
        return _edges([], [], [], [])
    a = apps.frame
    first = a[(a["seq"].to_numpy() == 0) & (a["kind"].to_numpy() == FAKE)]
    rep_of = np.full(pop.n, -1, dtype=np.int64)
    rep_of[first["cust"].to_numpy()] = first["rep"].to_numpy()
    rep_mobile = book.reps["mobile"].to_numpy()
    with_rep = fakes[rep_of[fakes] >= 0]
    rep_edges = _edges(with_rep, 2, rep_mobile[rep_of[with_rep]], OTHER)
    # each fake lists the fakes next to it among the same merchant's fakes
    merchant = c["fake_merchant"].to_numpy()[fakes]
    order = np.argsort(merchant, kind="stable")
    fakes, merchant = fakes[order], merchant[order]
    peers = []
    for shift in (-2, -1, 1, 2):
        j = np.arange(len(fakes)) + shift
        ok = (j >= 0) & (j < len(fakes))
        ok[ok] &= merchant[j[ok]] == merchant[ok]
        peers.append(_edges(fakes[ok], 0, fakes[j[ok]], FRIEND))
    return pd.concat([rep_edges, *peers], ignore_index=True)


def _contact_names(rng: np.random.Generator, full_name: pa.Array, relation: np.ndarray) -> pa.Array:
    m = len(relation)
    surname = pc.utf8_slice_codeunits(full_name, 0, 1)
    kin = _s(np.array(_KIN, dtype=object)[rng.integers(0, len(_KIN), m)])
    titled = _join(surname, _s(np.array(_TITLES, dtype=object)[rng.integers(0, len(_TITLES), m)]))
    little = _join(pa.array(np.where(rng.random(m) < 0.5, "小", "老"), type=pa.string()), surname)
    nickname = pc.if_else(pa.array(rng.random(m) < 0.6), titled, little)
    u = rng.random(m)
    use_full = np.select(
        [relation == FAMILY, relation == FRIEND, relation == COLLEAGUE], [u < 0.2, u < 0.6, u < 0.5], u < 0.5
    )
    other_form = pc.if_else(pa.array(relation == FAMILY), kin, nickname)
    return pc.if_else(pa.array(use_full), full_name, other_form)


def contact_lists_extract(cfg: SimConfig, pop: Population, apps: Applications, book: MerchantBook,
                          phones: people.PhoneBook) -> pd.DataFrame:
    rng = stream(cfg.seed, "contact_lists")
    c = pop.customers
    n = pop.n
    pool_size = max(1_000, 2 * n)
    n_organisers = 2 * len(pop.rings)
    pool_mobiles = phones.issue(rng, pool_size + n_organisers)
    pool_names = people.full_names(rng, rng.random(pool_size + n_organisers) < 0.5)

    edges = pd.concat(
        [_ring_edges(rng, pop, pool_size), _fake_edges(pop, apps, book), _social_edges(rng, pop, pool_size)],
        ignore_index=True,
    )
    src = edges["cust"].to_numpy(dtype=np.int64)
    kind = edges["target_kind"].to_numpy(dtype=np.int64)
    target = edges["target"].to_numpy(dtype=np.int64)
    customer_mobiles = c["mobile"].to_numpy()
    rep_mobile = book.reps["mobile"].to_numpy()
    mobile = np.select([kind == 0, kind == 1], [customer_mobiles[np.where(kind == 0, target, 0)],
                                                pool_mobiles[np.where(kind == 1, target, 0)]], target)
    keep = mobile != customer_mobiles[src]
    # (customer, mobile) is the key: keep the first listing (ring and rep edges come first).
    key = src * (1 << 35) + mobile
    keep_idx = np.flatnonzero(keep)
    _, first = np.unique(key[keep_idx], return_index=True)
    rows = keep_idx[np.sort(first)]
    rows = rows[np.argsort(src[rows], kind="stable")]
    rank = np.arange(len(rows)) - np.searchsorted(src[rows], src[rows], side="left")
    rows = rows[rank < _MAX_CONTACTS]

    src, kind, target, mobile = src[rows], kind[rows], target[rows], mobile[rows]
    relation = edges["relation"].to_numpy(dtype=np.int64)[rows]
    rep_names = dict(zip(rep_mobile.tolist(), book.reps["rep_name"].tolist(), strict=True))
    names = np.empty(len(rows), dtype=object)
    names[kind == 0] = c["full_name"].to_numpy(dtype=object)[target[kind == 0]]
    names[kind == 1] = pool_names.to_numpy(dtype=object)[target[kind == 1]]
    names[kind == 2] = [rep_names[t] for t in target[kind == 2].tolist()]
    contact_name = _contact_names(rng, pa.array(names, type=pa.string()), relation)

    a = apps.frame
    first_app = a[a["seq"].to_numpy() == 0]
    upload_ts = np.zeros(n, dtype=np.int64)
    upload_ts[first_app["cust"].to_numpy()] = first_app["ts"].to_numpy() + rng.integers(5, 60, len(first_app))
    ts = upload_ts[src]
    order = np.lexsort((mobile, src, ts))
    return pd.DataFrame(
        {
            "customer_id": c["customer_id"].take(src[order]).to_numpy(),
            "contact_mobile": people.mobile_text(mobile[order]),
            "contact_name": contact_name.take(pa.array(order)).to_pandas(),
            "relation": np.array(RELATIONS, dtype=object)[relation[order]],
            "uploaded_at": ts[order] + cfg.start_day * DAY,
            "_day": ts[order] // DAY + cfg.start_day,
        }
    )
