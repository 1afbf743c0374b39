"""Customers: the latent risk every outcome hangs on, and the observable attributes it shows through.

Each customer gets z ~ N(0, 1) and latent_risk = sigmoid(a + b * z), roughly the probability of reaching 30+ DPD
within six months at a healthy merchant. Observables (home city tier and district, housing class, income,
employer, later the bureau and third-party data) are drawn from `z_obs` plus noise: for genuine customers
z_obs = z; fraudsters present a fresh, unremarkable profile (their latent z is shifted up instead), which is what
makes fraud hard to see in bureau data and easy to see in devices, velocity and the social graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator import ids, people
from simulator.clock import DAY, LATEST_SECOND, daytime_seconds, odd_hour_seconds
from simulator.config import EDUCATION, MEDICAL, SCENARIOS, SimConfig
from simulator.fraud import FAKE, LONE, REGULAR, RING, plan_fakes, plan_rings, ring_sizes
from simulator.geo import GEO
from simulator.merchants import MerchantBook
from simulator.rng import stream

EMPLOYER_TYPES = ("state_owned", "public_institution", "foreign_invested", "private", "self_employed", "unemployed")
_EMPLOYER_SHARE = np.array([0.12, 0.08, 0.05, 0.45, 0.20, 0.10])
_OCCUPATIONS_BY_EMPLOYER = (
    ("engineer", "office_clerk", "manager", "factory_worker", "driver"),
    ("civil_servant", "teacher", "doctor_nurse", "office_clerk"),
    ("engineer", "office_clerk", "manager", "sales"),
    ("office_clerk", "sales", "engineer", "factory_worker", "driver", "service_worker", "manager"),
    ("business_owner", "freelancer", "driver", "service_worker"),
    ("unemployed", "freelancer", "student", "homemaker"),
)
_LOG_INCOME_BY_TIER = np.array([0.0, 9.35, 9.05, 8.80, 8.60])  # index = city tier
_MALE_SHARE = np.array([0.55, 0.50, 0.40, 0.12])
_AGE_BETA = ((2.2, 2.5), (2.5, 2.3), (1.3, 5.0), (1.6, 4.0))  # age = 20 + 41 * Beta(a, b)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class Population:
    customers: pd.DataFrame  # row position = internal customer index, in registration order
    rings: pd.DataFrame  # one row per fraud ring (fraud.plan_rings)
    fakes: pd.DataFrame  # one row per colluding merchant's fake customer (fraud.plan_fakes)

    @property
    def n(self) -> int:
        return len(self.customers)


def _kinds(cfg: SimConfig, rng: np.random.Generator, book: MerchantBook):
    sizes = ring_sizes(cfg, rng)
    rings = plan_rings(cfg, rng, book, sizes)
    fakes = plan_fakes(cfg, rng, book)
    n_ring, n_fake = int(rings["size"].sum()) if len(rings) else 0, len(fakes)
    n_lone = max(1, round(cfg.customers * cfg.lone_fraud_share)) if cfg.customers >= 200 else 0
    if n_ring + n_fake + n_lone > cfg.customers // 4:
        raise ValueError("too few customers for the configured fraud shares")
    n_regular = cfg.customers - n_ring - n_fake - n_lone
    kind = np.repeat([REGULAR, RING, FAKE, LONE], [n_regular, n_ring, n_fake, n_lone])
    ring = np.full(cfg.customers, -1, dtype=np.int64)
    ring[n_regular : n_regular + n_ring] = np.repeat(np.arange(len(rings)), rings["size"].to_numpy()) if n_ring else []
    fake = np.full(cfg.customers, -1, dtype=np.int64)
    fake[n_regular + n_ring : n_regular + n_ring + n_fake] = np.arange(n_fake)
    return kind, ring, fake, rings, fakes


def _registration_days(rng: np.random.Generator, n: int, n_days: int) -> np.ndarray:
    """Registrations grow over the window: density proportional to 0.6 + 0.8 x on x in [0, 1]."""
    u = rng.random(n)
    x = (-0.6 + np.sqrt(0.36 + 1.6 * u)) / 0.8
    return np.minimum((x * n_days).astype(np.int64), n_days - 1)


def _ages_and_gender(rng: np.random.Generator, scenario: np.ndarray, kind: np.ndarray):
    n = len(scenario)
    male = rng.random(n) < _MALE_SHARE[scenario]
    a = np.array([p[0] for p in _AGE_BETA])[scenario]
    b = np.array([p[1] for p in _AGE_BETA])[scenario]
    age = 20 + 41 * rng.beta(a, b)
    # Colluding merchants' fake customers do not fit the segment: older men for schools and clinics,
    # very young or near-retirement people for appliances and furniture.
    fake = kind == FAKE
    service = np.isin(scenario, [EDUCATION, MEDICAL])
    age = np.where(fake & service, rng.uniform(45, 61, n), age)
    male = np.where(fake & service, rng.random(n) < 0.6, male)
    young = rng.random(n) < 0.5
    age = np.where(fake & ~service, np.where(young, rng.uniform(20, 23, n), rng.uniform(56, 61, n)), age)
    ring = kind == RING
    age = np.where(ring, rng.uniform(21, 36, n), age)
    male = np.where(ring, rng.random(n) < 0.65, male)
    return male, np.clip(age, 20, 60.99)


def _home_cities(rng, kind, z_obs, ring, fake, rings, fakes, book) -> np.ndarray:
    n = len(kind)
    city = GEO.sample_cities(rng, n, tier_shift=0.6 * z_obs)
    is_ring = kind == RING
    if is_ring.any():
        city[is_ring] = rings["city"].to_numpy()[ring[is_ring]]
    is_fake = np.flatnonzero(kind == FAKE)
    if len(is_fake):
        merchant_city = book.merchants["city"].to_numpy()[fakes["merchant"].to_numpy()[fake[is_fake]]]
        merchant_province = GEO.city_province_idx[merchant_city]
        drawn = GEO.sample_cities(rng, len(is_fake), tier_shift=np.full(len(is_fake), 1.0))
        for _ in range(20):  # far away from the merchant: another province
            same = GEO.city_province_idx[drawn] == merchant_province
            if not same.any():
                break
            drawn[same] = GEO.sample_cities(rng, int(same.sum()))
        city[is_fake] = drawn
    return city


def _employer_types(rng: np.random.Generator, z_obs: np.ndarray, tier: np.ndarray) -> np.ndarray:
    """Ordinal latent 'job quality' cut at the target shares: riskier customers hold worse-secured jobs."""
    quality = -0.9 * z_obs + 0.3 * (tier <= 2) + rng.standard_normal(len(z_obs))
    cuts = np.quantile(quality, 1 - np.cumsum(_EMPLOYER_SHARE)[:-1]) if len(z_obs) else np.zeros(5)
    return np.searchsorted(-cuts, -quality, side="right").astype(np.int64)


def _occupations(rng: np.random.Generator, employer: np.ndarray, z_obs: np.ndarray) -> np.ndarray:
    n = len(employer)
    pick = rng.random(n)
    occupation = np.empty(n, dtype=object)
    for e, choices in enumerate(_OCCUPATIONS_BY_EMPLOYER):
        mask = employer == e
        occupation[mask] = np.array(choices, dtype=object)[(pick[mask] * len(choices)).astype(np.int64)]
    # Some applicants overstate their job on the application form, riskier ones more often.
    overstate = rng.random(n) < 0.05 + 0.15 * sigmoid(z_obs - 1)
    better = np.array(("office_clerk", "manager", "engineer", "business_owner"), dtype=object)
    occupation[overstate] = better[rng.integers(0, len(better), int(overstate.sum()))]
    return occupation


def _declared_income_fen(rng, tier, z_obs, living, kind) -> np.ndarray:
    log_income = _LOG_INCOME_BY_TIER[tier] - 0.22 * z_obs + rng.normal(0, 0.35, len(tier))
    log_income -= 0.15 * (living >= people.LIVING_LOW) + 0.4 * (kind == FAKE)
    yuan = np.clip(np.exp(log_income), 2_500, 80_000)
    step = np.where(rng.random(len(tier)) < 0.7, 100, 1_000)
    return (np.maximum(step, np.round(yuan / step) * step) * 100).astype(np.int64)


def build_population(cfg: SimConfig, book: MerchantBook, phones: people.PhoneBook) -> Population:
    rng = stream(cfg.seed, "population")
    N, T = cfg.customers, cfg.n_days
    kind, ring, fake, rings, fakes = _kinds(cfg, rng, book)
    fraud = kind != REGULAR

    z = rng.standard_normal(N)
    z_latent = z + cfg.fraud_risk_shift * fraud
    z_obs = np.where((kind == RING) | (kind == FAKE), 0.7 * rng.standard_normal(N) - 0.1, z)
    latent_risk = sigmoid(cfg.risk_logit_mean + cfg.risk_logit_sd * z_latent)

    scenario = rng.choice(len(SCENARIOS), size=N, p=cfg.customer_scenario_mix)
    if (kind == RING).any():
        scenario[kind == RING] = rings["scenario"].to_numpy()[ring[kind == RING]]
    fake_rows = np.flatnonzero(kind == FAKE)
    fake_merchant = np.full(N, -1, dtype=np.int64)
    fake_merchant[fake_rows] = fakes["merchant"].to_numpy()[fake[fake_rows]]
    scenario[fake_rows] = book.merchants["scenario"].to_numpy()[fake_merchant[fake_rows]]
    male, age = _ages_and_gender(rng, scenario, kind)

    # Registration: growth over the window; rings and fakes on their burst days, often at odd hours.
    reg_day = _registration_days(rng, N, T)
    odd = np.zeros(N, dtype=bool)
    ring_rows = np.flatnonzero(kind == RING)
    burst = rings["burst_day"].to_numpy()[ring[ring_rows]] if len(ring_rows) else np.empty(0, dtype=np.int64)
    reg_day[ring_rows] = np.minimum(T - 1, burst + rng.integers(0, 4, len(ring_rows)))
    odd[ring_rows] = rings["odd_hours"].to_numpy()[ring[ring_rows]] & (rng.random(len(ring_rows)) < 0.8)
    reg_day[fake_rows] = fakes["burst_day"].to_numpy()[fake[fake_rows]]
    odd[fake_rows] = rng.random(len(fake_rows)) < 0.45
    seconds = np.where(odd, odd_hour_seconds(rng, N), daytime_seconds(rng, N))
    seconds = np.minimum(seconds, LATEST_SECOND - 1_800)  # room for same-day applications after registering

    city = _home_cities(rng, kind, z_obs, ring, fake, rings, fakes, book)
    tier = GEO.city_tier[city]
    district = GEO.sample_districts(rng, city, 0.5 * z_obs + 1.0 * (kind == FAKE))
    living = people.living_levels(rng, district, 0.8 * z_obs + 0.8 * (kind == FAKE))
    employer = _employer_types(rng, z_obs, tier)

    frame = pd.DataFrame(
        {
            "kind": kind, "ring": ring, "fake": fake, "fake_merchant": fake_merchant, "z": z, "z_obs": z_obs,
            "latent_risk": latent_risk, "scenario": scenario, "male": male, "age": age, "city": city, "tier": tier,
            "district": district, "living": living, "employer_type": employer, "reg_day": reg_day,
            "reg_seconds": seconds, "tiebreak": rng.random(N),
        }
    )
    frame = frame.sort_values(["reg_day", "reg_seconds", "tiebreak"], kind="stable", ignore_index=True)
    frame = frame.drop(columns="tiebreak")
    frame["reg_ts"] = frame["reg_day"] * DAY + frame["reg_seconds"]
    frame["customer_id"] = ids.sequential("C", np.arange(1, N + 1), 7)
    frame["home_address"] = people.home_addresses(rng, frame["district"].to_numpy(), frame["living"].to_numpy())
    _share_ring_addresses(frame, rings)
    _identity(cfg, rng, frame, phones)
    frame["income_fen"] = _declared_income_fen(
        rng, frame["tier"].to_numpy(), frame["z_obs"].to_numpy(), frame["living"].to_numpy(), frame["kind"].to_numpy()
    )
    frame["occupation"] = _occupations(rng, frame["employer_type"].to_numpy(), frame["z_obs"].to_numpy())
    frame["occupation"] = frame["occupation"].astype("str")
    return Population(frame, rings, fakes)


def _identity(cfg: SimConfig, rng: np.random.Generator, frame: pd.DataFrame, phones: people.PhoneBook) -> None:
    n = len(frame)
    male = frame["male"].to_numpy()
    age_days = np.round(frame["age"].to_numpy() * 365.25).astype(np.int64)
    frame["birth_day"] = cfg.start_day + frame["reg_day"].to_numpy() - age_days
    frame["full_name"] = people.full_names(rng, male)
    area = GEO.district_code[frame["district"].to_numpy()]
    frame["id_number"], frame["id_base"] = people.id_numbers(rng, area, frame["birth_day"].to_numpy(), male)
    frame["mobile"] = phones.issue(rng, n)
    frame["mobile_text"] = people.mobile_text(frame["mobile"].to_numpy())


def _share_ring_addresses(frame: pd.DataFrame, rings: pd.DataFrame) -> None:
    """Ring members give one or two shared addresses: every member copies a 'leader' member's address."""
    rows = np.flatnonzero(frame["ring"].to_numpy() >= 0)
    if not len(rows):
        return
    ring = frame["ring"].to_numpy()[rows]
    order = np.argsort(ring, kind="stable")
    rows, ring = rows[order], ring[order]
    start = np.searchsorted(ring, ring, side="left")
    position = np.arange(len(rows)) - start
    leader = rows[start + position % rings["n_addresses"].to_numpy()[ring]]
    address = frame["home_address"].to_numpy(dtype=object).copy()
    address[rows] = address[leader]
    frame["home_address"] = pd.Series(address, dtype="str")
    for column in ("district", "city", "tier", "living"):
        values = frame[column].to_numpy().copy()
        values[rows] = values[leader]
        frame[column] = values


def customers_extract(cfg: SimConfig, pop: Population) -> pd.DataFrame:
    c = pop.customers
    day = c["reg_day"].to_numpy() + cfg.start_day
    return pd.DataFrame(
        {
            "customer_id": c["customer_id"],
            "full_name": c["full_name"],
            "id_number": c["id_number"],
            "mobile": c["mobile_text"],
            "home_province": GEO.city_province[c["city"].to_numpy()],
            "home_city": GEO.city_name[c["city"].to_numpy()],
            "home_address": c["home_address"],
            "declared_monthly_income": c["income_fen"],
            "occupation": c["occupation"],
            "registered_at": c["reg_ts"].to_numpy() + cfg.start_day * DAY,
            "_day": day,
        }
    )

