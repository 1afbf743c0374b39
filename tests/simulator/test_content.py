"""What the extracts say: identities, instalment arithmetic, referential integrity and the latent truth."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from simulator.geo import GEO
from simulator.metrics import auc
from tests.simulator.conftest import MEDIUM, read_entity

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
MOBILE_PREFIXES = ("13", "15", "17", "18", "19")


def _valid_id(value: str) -> bool:
    if len(value) != 18 or not value[:17].isdigit():
        return False
    return "10X98765432"[sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True)) % 11] == value[17]


def _money(values: pd.Series) -> np.ndarray:
    """Decimal text -> integer fen, exactly."""
    return values.map(lambda v: int(v.replace(".", ""))).to_numpy()


def test_id_numbers_are_valid_and_match_the_home_city(medium_run):
    customers = read_entity(medium_run, "core_lending", "customers")
    assert customers["id_number"].map(_valid_id).all()
    assert customers["id_number"].is_unique
    registered = pd.to_datetime(customers["registered_at"])
    birth = pd.to_datetime(customers["id_number"].str[6:14], format="%Y%m%d")
    age = (registered - birth).dt.days / 365.25
    assert age.between(20, 61).all()
    city_codes = {}
    for name, code in zip(GEO.district_prefix, GEO.district_code, strict=True):
        city_codes.setdefault(code // 100, set()).add(name)
    prefixes = customers["id_number"].str[:4].astype(int)
    cities = customers["home_province"] + customers["home_city"]
    for prefix, province_city, city in zip(prefixes, cities, customers["home_city"], strict=True):
        names = city_codes[prefix]
        assert any(n.startswith(province_city) or n.startswith(city) for n in names)


def test_mobiles_have_eleven_digits_and_real_prefixes(medium_run):
    customers = read_entity(medium_run, "core_lending", "customers")
    reps = read_entity(medium_run, "merchant_management", "sales_reps")
    contacts = read_entity(medium_run, "fraud_data", "contact_lists")
    for mobiles in (customers["mobile"], reps["mobile"], contacts["contact_mobile"]):
        assert mobiles.str.fullmatch(r"\d{11}").all()
        assert mobiles.str[:2].isin(MOBILE_PREFIXES).all()
    assert customers["mobile"].is_unique


def test_instalment_schedules_add_up(medium_run):
    loans = read_entity(medium_run, "core_lending", "loans").set_index("loan_id")
    schedules = read_entity(medium_run, "core_lending", "instalment_schedules")
    principal, interest, total = (_money(schedules[c]) for c in ("principal_due", "interest_due", "total_due"))
    assert (principal + interest == total).all()
    assert (principal > 0).all() and (interest >= 0).all()
    schedules["principal_fen"] = principal
    per_loan = schedules.groupby("loan_id").agg(
        principal=("principal_fen", "sum"), count=("instalment_no", "size"), first_due=("due_on", "min")
    )
    assert (per_loan["principal"] == _money(loans.loc[per_loan.index, "principal"])).all()
    assert (per_loan["count"] == loans.loc[per_loan.index, "term_months"].astype(int)).all()
    assert (per_loan["first_due"] == loans.loc[per_loan.index, "first_due_on"]).all()
    assert (schedules["_landing"] == loans.loc[schedules["loan_id"], "disbursed_on"].to_numpy()).all()
    rates = loans["annual_rate"].astype(float)
    assert rates.between(0.10, 0.24).all()


def test_applications_reference_what_exists_when_they_happen(medium_run):
    apps = read_entity(medium_run, "core_lending", "applications")
    customers = read_entity(medium_run, "core_lending", "customers").set_index("customer_id")
    stores = read_entity(medium_run, "merchant_management", "stores").set_index("store_id")
    reps = read_entity(medium_run, "merchant_management", "sales_reps").set_index("sales_rep_id")
    merchants = read_entity(medium_run, "merchant_management", "merchants")
    admitted = merchants[merchants["admission_status"] == "admitted"].groupby("merchant_id")["updated_at"].min()
    day = apps["applied_at"].str[:10]
    assert (customers.loc[apps["customer_id"], "registered_at"].to_numpy() <= apps["applied_at"].to_numpy()).all()
    assert (stores.loc[apps["store_id"], "merchant_id"].to_numpy() == apps["merchant_id"].to_numpy()).all()
    assert (stores.loc[apps["store_id"], "opened_on"].to_numpy() <= day.to_numpy()).all()
    assert (admitted.loc[apps["merchant_id"]].str[:10].to_numpy() <= day.to_numpy()).all()
    with_rep = apps[apps["sales_rep_id"] != ""]
    assert (reps.loc[with_rep["sales_rep_id"], "store_id"].to_numpy() == with_rep["store_id"].to_numpy()).all()
    assert (reps.loc[with_rep["sales_rep_id"], "hired_on"].to_numpy() <= with_rep["applied_at"].str[:10]).all()
    assert set(apps["decision"]) == {"approved", "declined"}
    assert (apps["decided_at"] >= apps["applied_at"]).all() and (apps["decision_reason"] != "").all()
    assert 0.6 < (apps["decision"] == "approved").mean() < 0.85

    loans = read_entity(medium_run, "core_lending", "loans")
    by_app = apps.set_index("application_id")
    assert (by_app.loc[loans["application_id"], "decision"] == "approved").all()
    lag = pd.to_datetime(loans["disbursed_on"]) - pd.to_datetime(by_app.loc[loans["application_id"], "applied_at"]
                                                                  .str[:10].to_numpy())
    assert lag.dt.days.isin([0, 1]).all()


def test_merchant_history_starts_with_admission(medium_run):
    merchants = read_entity(medium_run, "merchant_management", "merchants").sort_values(["merchant_id", "updated_at"])
    first = merchants.groupby("merchant_id")["admission_status"].first()
    assert first.isin(["pending", "admitted"]).all()
    assert merchants.groupby("merchant_id")["admission_status"].apply(lambda s: "admitted" in set(s)).all()
    assert set(merchants["admission_status"]) <= {"pending", "admitted", "suspended", "terminated"}


def test_cosharing_arithmetic(medium_run):
    withdrawals = read_entity(medium_run, "merchant_cosharing", "course_withdrawals")
    loans = read_entity(medium_run, "core_lending", "loans").set_index("loan_id")
    total, used = withdrawals["lessons_total"].astype(int), withdrawals["lessons_used"].astype(int)
    assert ((used >= 0) & (used < total) & total.between(10, 60)).all()
    fee = _money(withdrawals["course_fee"])
    assert (fee == _money(loans.loc[withdrawals["loan_id"], "principal"])).all()
    expected = np.round(fee * (1 - used.to_numpy() / total.to_numpy())).astype(np.int64)
    assert (np.abs(_money(withdrawals["unused_tuition"]) - expected) <= 1).all()

    statements = read_entity(medium_run, "merchant_cosharing", "store_statements")
    net = _money(statements["disbursed_amount"]) - _money(statements["returns_amount"]) - _money(
        statements["refunds_amount"])
    assert (net == _money(statements["net_payable"])).all()
    returns = read_entity(medium_run, "merchant_cosharing", "loan_returns")
    assert set(returns["state"]) <= {"requested", "completed", "rejected"}
    assert ((returns["state"] == "requested") == (returns["completed_at"] == "")).all()
    disbursed = pd.to_datetime(loans.loc[returns["loan_id"], "disbursed_on"].to_numpy())
    assert ((pd.to_datetime(returns["requested_at"]) - disbursed).dt.days <= 30).all()


def test_course_withdrawal_cancels_the_instalments_due_after_it(medium_run):
    withdrawals = read_entity(medium_run, "merchant_cosharing", "course_withdrawals")
    schedules = read_entity(medium_run, "core_lending", "instalment_schedules")
    payments = read_entity(medium_run, "core_lending", "repayments")
    s = schedules.merge(withdrawals[["loan_id", "agreed_on"]], on="loan_id")
    assert len(withdrawals) > 3 and (s["due_on"] > s["agreed_on"]).any()
    cancelled = s.loc[s["due_on"] > s["agreed_on"], ["loan_id", "instalment_no"]]
    paid_after = cancelled.merge(payments, on=["loan_id", "instalment_no"])
    assert paid_after.empty, paid_after.head()


def _dpd30_within_six_months(out) -> pd.DataFrame:
    """Per observable loan: bad = some instalment still unpaid 30 days after due, within six months on book."""
    end = MEDIUM["end"]
    loans = read_entity(out, "core_lending", "loans")
    schedules = read_entity(out, "core_lending", "instalment_schedules")
    payments = read_entity(out, "core_lending", "repayments")
    returns = read_entity(out, "merchant_cosharing", "loan_returns")
    cancelled = set(returns.loc[returns["state"] == "completed", "loan_id"])
    loans["horizon"] = pd.to_datetime(loans["disbursed_on"]) + pd.DateOffset(months=6)
    loans = loans[(loans["horizon"] <= pd.Timestamp(end)) & ~loans["loan_id"].isin(cancelled)]
    paid = payments.assign(paid=pd.to_datetime(payments["paid_at"].str[:10])).groupby(
        ["loan_id", "instalment_no"])["paid"].min()
    s = schedules.merge(loans[["loan_id", "horizon"]], on="loan_id")
    s["due"] = pd.to_datetime(s["due_on"])
    s["paid"] = paid.reindex(pd.MultiIndex.from_frame(s[["loan_id", "instalment_no"]])).to_numpy()
    s["paid"] = s["paid"].fillna(pd.Timestamp(date(2100, 1, 1)))
    thirty = pd.Timedelta(days=30)
    withdrawn = read_entity(out, "merchant_cosharing", "course_withdrawals").set_index("loan_id")["agreed_on"]
    s["withdrawn_on"] = pd.to_datetime(s["loan_id"].map(withdrawn))
    s["bad"] = (s["due"] + thirty <= s["horizon"]) & (s["paid"] >= s["due"] + thirty) & ~(s["due"] > s["withdrawn_on"])
    return loans.merge(s.groupby("loan_id")["bad"].any().reset_index(), on="loan_id")


def test_latent_risk_drives_30_dpd_within_six_months(medium_run):
    outcome = _dpd30_within_six_months(medium_run)
    truth = pq.read_table(medium_run / "truth" / "customers.parquet").to_pandas().set_index("customer_id")
    risk = truth.loc[outcome["customer_id"], "latent_risk"].to_numpy()
    assert len(outcome) > 500
    assert 0.02 < outcome["bad"].mean() < 0.12
    assert auc(risk, outcome["bad"].to_numpy()) > 0.65


def test_fraud_ring_members_share_devices_and_list_each_other(medium_run):
    truth = pq.read_table(medium_run / "truth" / "customers.parquet").to_pandas()
    members = truth.dropna(subset=["fraud_ring_id"])
    assert members["fraud_ring_id"].nunique() >= 3
    apps = read_entity(medium_run, "core_lending", "applications").merge(members, on="customer_id")
    per_ring = apps.groupby("fraud_ring_id").agg(members=("customer_id", "nunique"), devices=("device_id", "nunique"))
    assert (per_ring["devices"] < per_ring["members"]).all()
    device_users = read_entity(medium_run, "fraud_data", "device_fingerprints").groupby("device_id")[
        "customer_id"].nunique()
    assert (device_users.loc[apps["device_id"].unique()] >= 2).all()
    fraud = pq.read_table(medium_run / "truth" / "applications.parquet").to_pandas().set_index("application_id")
    assert fraud.loc[apps["application_id"], "is_fraud"].all()

    customers = read_entity(medium_run, "core_lending", "customers").set_index("customer_id")
    contacts = read_entity(medium_run, "fraud_data", "contact_lists")
    mobile_ring = dict(zip(customers.loc[members["customer_id"], "mobile"], members["fraud_ring_id"], strict=True))
    ring_of = dict(zip(members["customer_id"], members["fraud_ring_id"], strict=True))
    listed = contacts[contacts["customer_id"].isin(ring_of)]
    same_ring = listed["contact_mobile"].map(mobile_ring) == listed["customer_id"].map(ring_of)
    assert same_ring.groupby(listed["customer_id"]).sum().ge(2).all()


def test_contact_lists_are_assortative_in_risk(medium_run):
    truth = pq.read_table(medium_run / "truth" / "customers.parquet").to_pandas()
    truth = truth[truth["fraud_ring_id"].isna()]
    customers = read_entity(medium_run, "core_lending", "customers")
    risk = dict(zip(truth["customer_id"], truth["latent_risk"], strict=True))
    by_mobile = dict(zip(customers["mobile"], customers["customer_id"], strict=True))
    contacts = read_entity(medium_run, "fraud_data", "contact_lists")
    contact_customer = contacts["contact_mobile"].map(by_mobile)
    edges = pd.DataFrame({"a": contacts["customer_id"].map(risk), "b": contact_customer.map(risk)}).dropna()
    assert len(edges) > 1_000
    assert np.log(edges["a"]).corr(np.log(edges["b"]), method="spearman") > 0.3
    sizes = contacts.groupby("customer_id").size()
    assert sizes.max() <= 30
