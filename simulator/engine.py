"""Runs the generation stages in dependency order and writes every extract as soon as it is built.

Writing each entity right after it is generated (and dropping it) keeps peak memory to a few entities at a time,
which is what lets a million-customer run fit in memory.
"""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from tqdm import tqdm

from simulator import (
    applications,
    bureau,
    cosharing,
    devices,
    fraud,
    lending,
    marketing,
    merchants,
    operations,
    population,
    social,
)
from simulator.config import SimConfig
from simulator.metrics import auc, dpd30_within_6_months
from simulator.people import PhoneBook
from simulator.rng import stream
from simulator.schema import SPECS, spec
from simulator.truth import write_truth
from simulator.writer import LandingWriter

_GENERATION_STAGES = 10  # progress-bar steps that generate rather than write


@dataclass
class RunSummary:
    seconds: float = 0.0
    files: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    dpd30_6m_rate: float = float("nan")
    dpd30_6m_loans: int = 0
    latent_risk_auc: float = float("nan")

    def format(self) -> str:
        width = max(len(k) for k in self.rows) if self.rows else 10
        lines = [f"  {key:<{width}}  {count:>12,}" for key, count in self.rows.items()]
        if self.dpd30_6m_loans:
            outcome = (f"  30+ DPD within 6 months on book: {self.dpd30_6m_rate:.2%} of {self.dpd30_6m_loans:,}"
                       f" observable loans (AUC of latent_risk {self.latent_risk_auc:.3f})")
        else:
            outcome = "  30+ DPD within 6 months on book: no loan has six months on book inside the window"
        return "\n".join([f"simulator: {self.files:,} landing files in {self.seconds:.1f} s", *lines, outcome])


def _customer_default_day(n_customers: int, loans: lending.Loans, repayments: lending.Repayments,
                          n_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Per loan and per customer: first default day inside the window (-1 if none)."""
    loan_day = lending.default_days(loans, repayments)
    loan_day = np.where(loan_day < n_days, loan_day, -1)
    customer_day = np.full(n_customers, np.iinfo(np.int64).max, dtype=np.int64)
    has = loan_day >= 0
    np.minimum.at(customer_day, loans.frame["cust"].to_numpy()[has], loan_day[has])
    return loan_day, np.where(customer_day == np.iinfo(np.int64).max, -1, customer_day)


def _internal_offenders(cfg: SimConfig, pop, apps, loans, fingerprints, loan_default_day) -> pd.DataFrame:
    """Fraudsters after their default, and half of the 90+ DPD defaulters."""
    rng = stream(cfg.seed, "offenders")
    lf = loans.frame
    kind = lf["kind"].to_numpy()
    fraud_rows = np.flatnonzero((kind != fraud.REGULAR) & (loan_default_day >= 0))
    credit_rows = np.flatnonzero(
        (kind == fraud.REGULAR) & (loan_default_day >= 0) & (loan_default_day + 90 < cfg.n_days)
        & (rng.random(len(lf)) < 0.5)
    )
    reasons = np.array(["", "fraud_confirmed", "fake_transaction", "identity_theft"], dtype=object)
    parts = []
    for rows, listed, reason, p in (
        (fraud_rows, loan_default_day[fraud_rows] + rng.integers(30, 61, len(fraud_rows)), reasons[kind[fraud_rows]],
         (0.8, 0.6, 0.5)),
        (credit_rows, loan_default_day[credit_rows] + 90 + rng.integers(0, 11, len(credit_rows)),
         np.full(len(credit_rows), "overdue_90_plus", dtype=object), (1.0, 0.3, 0.0)),
    ):
        cust = lf["cust"].to_numpy()[rows]
        app = lf["app"].to_numpy()[rows]
        parts.append(
            fraud.offender_entries(
                rng, listed, pop.customers["id_number"].take(cust), pop.customers["mobile_text"].take(cust),
                fingerprints["device_id"].take(app), reason, p,
            )
        )
    offenders = pd.concat(parts, ignore_index=True)
    return offenders.drop_duplicates(["entry_type", "entry_value"], keep="first", ignore_index=True)


def _external_flags(cfg: SimConfig, pop, apps) -> pd.DataFrame:
    """Some fraudsters are on an external list before they apply; so are some very risky customers."""
    rng = stream(cfg.seed, "external_flags")
    c = pop.customers
    kind = c["kind"].to_numpy()
    fraudster = np.flatnonzero(((kind == fraud.RING) | (kind == fraud.FAKE)) & (rng.random(pop.n) < 0.4))
    risky = np.flatnonzero((kind == fraud.REGULAR) & (c["z_obs"].to_numpy() > 1.5) & (rng.random(pop.n) < 0.1))
    reg = c["reg_day"].to_numpy()
    rows = np.concatenate([fraudster, risky])
    listed = np.concatenate(
        [reg[fraudster] - rng.integers(1, 400, len(fraudster)), reg[risky] - 300
         + (rng.random(len(risky)) * (cfg.n_days - reg[risky] + 300)).astype(np.int64)]
    )
    entry_type = rng.choice(2, size=len(rows), p=[0.6, 0.4])
    value = np.where(entry_type == 0, c["id_number"].to_numpy(dtype=object)[rows],
                     c["mobile_text"].to_numpy(dtype=object)[rows])
    risk = np.concatenate([np.full(len(fraudster), 2), rng.choice([1, 2], size=len(risky), p=[0.6, 0.4])])
    return pd.DataFrame({"entry_type": entry_type, "entry_value": pd.Series(value, dtype="str"), "risk": risk,
                         "listed_day": listed})


def run(cfg: SimConfig, show_progress: bool = True) -> RunSummary:
    started = time.perf_counter()
    for folder in (cfg.out / "landing", cfg.out / "truth"):
        if folder.exists():
            shutil.rmtree(folder)
    writer = LandingWriter(cfg.out / "landing")
    summary = RunSummary()
    # disable=None: a bar on a terminal only - in a log file (CI, `make run > log`) it is one long line of \r redraws
    bar = tqdm(total=_GENERATION_STAGES + len(SPECS) + 1, file=sys.stderr, disable=None if show_progress else True,
               unit="step", dynamic_ncols=True)

    def stage(label: str) -> None:
        bar.set_description(label)
        bar.update()

    def emit(key: str, frame: pd.DataFrame) -> None:
        bar.set_description(f"write {key}")
        result = writer.write(spec(key), frame)
        summary.rows[key] = result.rows
        summary.files += result.files
        bar.update()

    phones = PhoneBook()
    book = merchants.build_merchants(cfg, phones)
    stage("merchants")
    emit("merchant_management.merchants", merchants.merchants_extract(cfg, book))
    emit("merchant_management.stores", merchants.stores_extract(cfg, book))
    emit("merchant_management.sales_reps", merchants.sales_reps_extract(cfg, book))

    pop = population.build_population(cfg, book, phones)
    stage("customers")
    emit("core_lending.customers", population.customers_extract(cfg, pop))

    apps = applications.build_applications(cfg, book, pop)
    fingerprints = devices.assign_devices(cfg, book, pop, apps)
    stage("applications")
    profile = bureau.credit_profiles(cfg, pop)
    reports, features = bureau.reports_extract(cfg, pop, apps, profile)
    emit("credit_bureau.reports", reports)
    del reports, profile
    multi, ml_counts = bureau.multi_lending_extract(cfg, pop, apps)
    emit("third_party.multi_lending", multi)
    del multi
    behaviour, behaviour_features = bureau.repayment_behaviour_extract(cfg, pop, apps)
    emit("third_party.repayment_behaviour", behaviour)
    del behaviour
    applications.decide(cfg, apps, pd.concat([features, ml_counts, behaviour_features], axis=1))
    del features, ml_counts, behaviour_features
    stage("decisions")
    emit("core_lending.applications", applications.applications_extract(cfg, apps, book, pop, fingerprints))
    emit("fraud_data.device_fingerprints", devices.fingerprints_extract(cfg, apps, pop, fingerprints))

    loans = lending.build_loans(cfg, book, apps)
    co = cosharing.build_cosharing(cfg, loans)
    cancelled = co.cancelled_loans(len(loans.frame))
    repayments = lending.simulate_repayments(cfg, pop, loans, cancelled, co.withdrawal_days(len(loans.frame)))
    stage("loans and repayments")
    emit("core_lending.loans", lending.loans_extract(cfg, loans, apps, pop, book))
    emit("core_lending.instalment_schedules", lending.schedules_extract(cfg, loans, repayments))
    emit("core_lending.repayments", lending.repayments_extract(cfg, loans, repayments))
    emit("merchant_cosharing.loan_returns", cosharing.loan_returns_extract(cfg, co, loans, book))
    emit("merchant_cosharing.refunds", cosharing.refunds_extract(cfg, co, loans, book))
    emit("merchant_cosharing.course_withdrawals", cosharing.course_withdrawals_extract(cfg, co, loans, pop, book))
    emit("merchant_cosharing.deposit_movements", cosharing.deposit_movements_extract(cfg, co, loans, book))
    emit("merchant_cosharing.store_statements", cosharing.store_statements_extract(cfg, co, loans, book))

    observable, bad = dpd30_within_6_months(cfg, loans, repayments, cancelled)
    risk = pop.customers["latent_risk"].to_numpy()[loans.frame["cust"].to_numpy()]
    summary.dpd30_6m_loans = int(observable.sum())
    summary.dpd30_6m_rate = float(bad[observable].mean()) if observable.any() else float("nan")
    summary.latent_risk_auc = auc(risk[observable], bad[observable])
    loan_default_day, customer_default_day = _customer_default_day(pop.n, loans, repayments, cfg.n_days)
    del repayments
    stage("outcomes")

    emit("third_party.collection_contacts", bureau.collection_contacts_extract(cfg, pop, customer_default_day))
    emit("operations.complaints", operations.complaints_extract(cfg, book, pop, loans))
    emit("operations.callbacks", operations.callbacks_extract(cfg, book, pop, loans))
    stage("operations")
    opt_outs = marketing.plan_opt_outs(cfg, pop)
    emit("marketing.opt_outs", marketing.opt_outs_extract(cfg, pop, opt_outs))
    emit("marketing.contact_history",
         marketing.contact_history_extract(cfg, pop, loans, opt_outs, customer_default_day))
    stage("marketing")
    emit("fraud_data.contact_lists", social.contact_lists_extract(cfg, pop, apps, book, phones))
    stage("social graph")

    customer_ids = pop.customers["id_base"].to_numpy()
    customer_mobiles = phones.issued
    offenders = _internal_offenders(cfg, pop, apps, loans, fingerprints, loan_default_day)
    emit("fraud_data.internal_blacklist",
         fraud.internal_blacklist_extract(cfg, offenders, customer_ids, customer_mobiles))
    emit("fraud_data.external_blacklist",
         fraud.external_blacklist_extract(cfg, _external_flags(cfg, pop, apps), customer_ids, customer_mobiles))
    stage("blacklists")

    bar.set_description("truth")
    summary.rows.update(write_truth(cfg, cfg.out / "truth", pop, apps, book))
    bar.update()
    bar.close()
    summary.seconds = time.perf_counter() - started
    return summary
