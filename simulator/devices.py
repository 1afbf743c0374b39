"""Device fingerprint, IP address, GPS position and liveness check of every application.

Genuine customers use their own phone (sometimes a new one for a repeat application) and their own network.
Fraud rings share a small pool of devices (every device is used by at least three members), one IP and one spot;
colluding merchants book their fake customers' orders on the shop's own two to four devices, from the shop.
Fraud devices are far more often emulators or rooted, and fraudsters fail or retry the liveness check more.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator import ids, people
from simulator.applications import IN_STORE, Applications
from simulator.clock import DAY
from simulator.fraud import FAKE, LONE, REGULAR, RING
from simulator.geo import GEO
from simulator.merchants import MerchantBook
from simulator.population import Population
from simulator.rng import stream

ANDROID_MODELS = ("HUAWEI Mate 60", "HUAWEI P60", "HUAWEI nova 12", "Xiaomi 14", "Redmi K70", "Redmi Note 13",
                  "OPPO Reno11", "OPPO A2", "vivo X100", "vivo Y78", "HONOR 90", "HONOR X50", "realme GT5",
                  "OnePlus 12")
IOS_MODELS = ("iPhone 12", "iPhone 13", "iPhone 14", "iPhone 14 Pro", "iPhone 15", "iPhone 15 Pro Max", "iPhone 16")
EMULATOR_MODELS = ("generic_x86_64", "SDK built for x86", "Netease MuMu", "LDPlayer")
OS_NAMES = ("Android", "iOS")

_RETRY_P = {  # liveness retries 0..3 and failure probability, by customer kind
    REGULAR: ((0.88, 0.09, 0.025, 0.005), 0.004),
    RING: ((0.40, 0.30, 0.20, 0.10), 0.08),
    FAKE: ((0.75, 0.15, 0.07, 0.03), 0.03),
    LONE: ((0.30, 0.30, 0.20, 0.20), 0.35),
}


def _device_table(rng: np.random.Generator, n: int, fraud: np.ndarray) -> pd.DataFrame:
    ios = rng.random(n) < np.where(fraud, 0.1, 0.28)
    emulator = ~ios & (rng.random(n) < np.where(fraud, 0.15, 0.001))
    rooted = ~ios & (rng.random(n) < np.where(fraud, 0.25, 0.01))
    android_model = np.array(ANDROID_MODELS, dtype=object)[rng.integers(0, len(ANDROID_MODELS), n)]
    ios_model = np.array(IOS_MODELS, dtype=object)[rng.integers(0, len(IOS_MODELS), n)]
    emulator_model = np.array(EMULATOR_MODELS, dtype=object)[rng.integers(0, len(EMULATOR_MODELS), n)]
    model = np.where(ios, ios_model, np.where(emulator, emulator_model, android_model))
    return pd.DataFrame(
        {
            "device_id": ids.random_hex(rng, n, "DV"),
            "os": np.array(OS_NAMES, dtype=object)[ios.astype(np.int64)],
            "device_model": model,
            "is_emulator": emulator,
            "is_rooted": rooted,
        }
    )


def _rank_within(group: np.ndarray) -> np.ndarray:
    """0-based position of each element among the elements with the same group value (in array order)."""
    order = np.argsort(group, kind="stable")
    sorted_group = group[order]
    start = np.searchsorted(sorted_group, sorted_group, side="left")
    rank = np.empty(len(group), dtype=np.int64)
    rank[order] = np.arange(len(group)) - start
    return rank


def assign_devices(cfg, book: MerchantBook, pop: Population, apps: Applications) -> pd.DataFrame:
    """Adds ip_address, gps_lat/lon and liveness columns to the applications; returns one fingerprint per app."""
    rng = stream(cfg.seed, "devices")
    c, a = pop.customers, apps.frame
    n_customers, n = pop.n, len(a)
    cust, kind, seq = a["cust"].to_numpy(), a["kind"].to_numpy(), a["seq"].to_numpy()

    device = cust.copy()  # device index == customer index for everyone's own phone
    new = ((kind == REGULAR) & (seq > 0) & (rng.random(n) < 0.15)) | (kind == LONE)
    device[new] = n_customers + np.arange(new.sum())
    next_index = n_customers + int(new.sum())

    ring = c["ring"].to_numpy()
    ring_members = np.flatnonzero(ring >= 0)
    rings = pop.rings
    if len(ring_members):
        pool_start = next_index + np.r_[0, np.cumsum(rings["n_devices"].to_numpy())[:-1]]
        member_rank = np.zeros(n_customers, dtype=np.int64)
        member_rank[ring_members] = _rank_within(ring[ring_members])
        is_ring = kind == RING
        r = ring[cust[is_ring]]
        device[is_ring] = pool_start[r] + member_rank[cust[is_ring]] % rings["n_devices"].to_numpy()[r]
        next_index += int(rings["n_devices"].sum())

    fakes = pop.fakes
    if len(fakes):
        merchants, first = np.unique(fakes["merchant"].to_numpy(), return_index=True)
        pool_size = rng.integers(2, 5, len(merchants))
        pool_start = next_index + np.r_[0, np.cumsum(pool_size)[:-1]]
        slot = np.searchsorted(merchants, fakes["merchant"].to_numpy())
        fake_device = pool_start[slot] + (np.arange(len(fakes)) - first[slot]) % pool_size[slot]
        is_fake = kind == FAKE
        device[is_fake] = fake_device[c["fake"].to_numpy()[cust[is_fake]]]
        next_index += int(pool_size.sum())

    fraud_device = np.zeros(next_index, dtype=bool)
    fraud_device[n_customers:] = True  # new devices of genuine repeat customers are reset below
    fraud_device[device[new & (kind == REGULAR)]] = False
    table = _device_table(rng, next_index, fraud_device)

    store = a["store"].to_numpy()
    s = book.stores
    ip = people.ipv4(rng, n_customers).to_numpy(dtype=object)[cust]  # the customer's own network
    in_store = a["channel"].to_numpy() == IN_STORE
    store_ip = s["ip_address"].to_numpy(dtype=object)[store]
    ip = np.where(in_store & (rng.random(n) < 0.3), store_ip, ip)
    if len(rings):
        ring_ip = rings["ip_address"].to_numpy(dtype=object)[np.maximum(ring[cust], 0)]
        ip = np.where((kind == RING) & (rng.random(n) < 0.7), ring_ip, ip)
    ip = np.where(kind == FAKE, store_ip, ip)
    ip = np.where(kind == LONE, people.ipv4(rng, n).to_numpy(dtype=object), ip)

    home = c["city"].to_numpy()[cust]
    lat = GEO.city_lat[home] + rng.normal(0, 0.05, n)
    lon = GEO.city_lon[home] + rng.normal(0, 0.05, n)
    lat = np.where(in_store, s["gps_lat"].to_numpy()[store] + rng.normal(0, 0.001, n), lat)
    lon = np.where(in_store, s["gps_lon"].to_numpy()[store] + rng.normal(0, 0.001, n), lon)
    if len(rings):
        r = np.maximum(ring[cust], 0)
        lat = np.where(kind == RING, rings["lat"].to_numpy()[r] + rng.normal(0, 0.0008, n), lat)
        lon = np.where(kind == RING, rings["lon"].to_numpy()[r] + rng.normal(0, 0.0008, n), lon)
    elsewhere = GEO.sample_cities(rng, n)
    lat = np.where(kind == LONE, GEO.city_lat[elsewhere] + rng.normal(0, 0.05, n), lat)
    lon = np.where(kind == LONE, GEO.city_lon[elsewhere] + rng.normal(0, 0.05, n), lon)

    retries = np.zeros(n, dtype=np.int64)
    failed = np.zeros(n, dtype=bool)
    for k, (probs, fail_p) in _RETRY_P.items():
        mask = kind == k
        retries[mask] = rng.choice(4, size=int(mask.sum()), p=probs)
        failed[mask] = rng.random(int(mask.sum())) < fail_p + 0.3 * (retries[mask] == 3)

    a["ip_address"] = pd.Series(ip, dtype="str")
    a["gps_lat"] = np.round(lat, 6)
    a["gps_lon"] = np.round(lon, 6)
    a["liveness_retries"] = retries
    a["liveness_result"] = np.where(failed, "fail", "pass")
    a["device"] = device

    fingerprints = table.take(device).reset_index(drop=True)
    fingerprints["captured_ts"] = a["ts"].to_numpy() - rng.integers(5, 180, n)
    return fingerprints


def fingerprints_extract(cfg, apps: Applications, pop: Population, fingerprints: pd.DataFrame) -> pd.DataFrame:
    a = apps.frame
    ts = fingerprints["captured_ts"].to_numpy()
    return pd.DataFrame(
        {
            "fingerprint_id": ids.sequential("FP", np.arange(1, len(a) + 1), 9),
            "application_id": a["application_id"],
            "customer_id": pop.customers["customer_id"].take(a["cust"].to_numpy()).to_numpy(),
            "device_id": fingerprints["device_id"],
            "os": fingerprints["os"],
            "device_model": fingerprints["device_model"],
            "is_emulator": fingerprints["is_emulator"],
            "is_rooted": fingerprints["is_rooted"],
            "captured_at": ts + cfg.start_day * DAY,
            "_day": ts // DAY + cfg.start_day,
        }
    )
