"""The expectation suites and their runner, without Dagster: every raw source has a suite matching its contract, a
broken frame fails the right expectation with a count, and personal data never leaves a validation result."""

from __future__ import annotations

import gc
import weakref

import duckdb
import pandas as pd
import pytest

from expectations import data_sets, volume
from expectations.common import RAW_LINEAGE_COLUMNS, derived_names
from expectations.marketing import LIST_COLUMNS, TAG_VALUES, list_derived
from expectations.marts import (
    cross_sell_list,
    customer_profile,
    customer_tags,
    dim_customers,
    fraud_rings,
    marketing_call_list,
    marketing_list_candidates,
    marketing_restricted_customers,
    marketing_sms_list,
)
from expectations.raw import core_lending__customers
from expectations.runner import validate
from orchestration.defs.ingestion.contracts import load_contracts

ID_NUMBER = "11010519491231002X"  # a valid GB 11643 number (check character X)
MOBILE = "13912345678"


def _customers(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": [f"C{i:07d}" for i in range(1, n + 1)],
        "full_name": ["张三"] * n,
        "id_number": [ID_NUMBER] * n,
        "mobile": [MOBILE] * n,
        "home_province": ["北京市"] * n,
        "home_city": ["北京市"] * n,
        "home_address": ["某路1号"] * n,
        "declared_monthly_income": [8000.0] * n,
        "occupation": ["engineer"] * n,
        "registered_at": pd.to_datetime(["2025-01-02 10:00:00"] * n),
        "_source_file": ["core_lending/2025-01-02/customers.csv"] * n,
        "_source_row": list(range(2, n + 2)),
        "_landing_date": pd.to_datetime(["2025-01-02"] * n),
        "_loaded_at": pd.to_datetime(["2025-01-03 02:00:00"] * n),
        "id_number_check_ok": [True] * n,
        "dated_by_landing_day": [True] * n,
    })


def _validate_customers(frame: pd.DataFrame):
    module = core_lending__customers
    return validate(frame, module.build_suite, module.PII_COLUMNS)


def test_every_contracted_source_has_a_suite_with_its_columns_and_personal_data():
    suites = {d.table: d for d in data_sets() if d.schema == "raw"}
    for contract in load_contracts():
        data = suites[f"raw.{contract.table}"]
        schema = next(e for e in data.build_suite().expectations if e.expectation_type ==
                      "expect_table_columns_to_match_set")
        derived = set(schema.column_set) - set(contract.column_names) - set(RAW_LINEAGE_COLUMNS)
        assert set(contract.column_names) | set(RAW_LINEAGE_COLUMNS) <= set(schema.column_set), contract.table
        assert derived == set(derived_names(*_derived_of(data.query))), contract.table
        assert {c.name for c in contract.columns if c.pii} <= set(data.pii_columns), contract.table


def _derived_of(query: str) -> list[str]:
    select = query.removeprefix("select *").rsplit(" from ", 1)[0]
    return [fragment for fragment in _split_top_level(select) if fragment.strip()]


def _split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def test_blocking_suites_guard_the_model_inputs_and_the_published_lists():
    blocking = {d.table for d in data_sets() if d.blocking}
    assert {"marts.credit_features", "marts.fraud_features", "marts.fraud_labels", "marts.application_scores",
            "marts.fraud_scores", "marts.education_refund_instructions", "marts.fraud_ring_candidates",
            "marts.customer_tags", "marts.customer_profile", "marts.marketing_restricted_customers",
            "marts.marketing_list_candidates", "marts.marketing_sms_list", "marts.marketing_call_list",
            "marts.cross_sell_list", "marts.fraud_rings"} <= blocking
    # the analysts' marts warn, they do not stop anything
    assert not blocking & {"marts.merchant_tiers", "marts.merchant_warnings", "marts.model_monitoring",
                           "marts.risk_roll_rates", "marts.risk_fpd", "marts.risk_portfolio_daily",
                           "marts.merchant_deposit_positions", "marts.merchant_refunds_and_returns",
                           "marts.merchant_quota_utilisation"}
    assert not any(t.startswith("raw.") for t in blocking)


def test_a_clean_frame_meets_every_expectation():
    result = _validate_customers(_customers())
    assert result.passed, result.summary()


@pytest.mark.parametrize(
    "column, value, expectation",
    [
        ("customer_id", "C0000001", "expect_column_values_to_be_unique"),  # duplicate key
        ("customer_id", "M000001", "expect_column_values_to_match_regex"),  # a merchant id in the customer column
        ("id_number", "11010519491231002", "expect_column_values_to_match_regex"),  # 17 characters
        ("mobile", "23912345678", "expect_column_values_to_match_regex"),
        ("declared_monthly_income", -1.0, "expect_column_values_to_be_between"),
        ("id_number_check_ok", False, "expect_column_values_to_be_in_set"),
        ("dated_by_landing_day", False, "expect_column_values_to_be_in_set"),
    ],
)
def test_a_broken_value_fails_its_expectation_with_a_count(column, value, expectation):
    frame = _customers()
    frame.loc[1, column] = value
    result = _validate_customers(frame)
    failed = [o for o in result.failed if o.column == column]
    assert [o.expectation for o in failed] == [expectation]
    assert failed[0].unexpected_count in (1, 2)  # a duplicate counts both rows
    assert result.as_check_result().severity.value == "ERROR"


def test_a_validated_frame_is_let_go():
    """GX's engine caches every batch it loads for the life of the process: a run validating every raw table at 1M
    customers kept ~8 GiB of frames alive while dbt ran. validate() must leave nothing holding the frame."""
    frame = _customers()
    held = weakref.ref(frame)
    assert _validate_customers(frame).passed
    del frame
    gc.collect()
    assert held() is None


def test_a_missing_column_fails_the_schema():
    result = _validate_customers(_customers().drop(columns=["occupation"]))
    assert "expect_table_columns_to_match_set" in {o.expectation for o in result.failed}


def test_personal_data_never_appears_in_a_result():
    frame = _customers()
    frame.loc[0, "id_number"] = "110105194912310021"  # bad format, personal column: counted, never shown
    frame.loc[1, "mobile"] = "2391234567"
    frame.loc[2, "customer_id"] = "call 13800138000"  # a mobile in a non-personal column: shown redacted
    check = _validate_customers(frame).as_check_result()
    text = str(check.description) + str(check.metadata)
    for secret in ("110105194912310021", "2391234567", "13800138000", ID_NUMBER, MOBILE):
        assert secret not in text
    assert "<redacted>" in text


def test_tokens_and_masks_are_checked_in_marts_and_never_sampled():
    frame = pd.DataFrame({
        "customer_id": ["C0000001", "C0000002"],
        "id_number_token": ["tk_" + "a" * 32, ID_NUMBER],  # a raw ID number where a token belongs
        "id_number_masked": ["110***********002X", "110***********002X"],
        "mobile_token": ["tk_" + "b" * 32, "tk_" + "c" * 32],
        "mobile_masked": ["139****5678", MOBILE],
        "gender": ["male", "female"], "birth_year": [1990, 1985], "home_city": ["北京市", "北京市"],
        "application_count": [1, 2], "loan_count": [1, 0], "declared_monthly_income": [8000.0, 9000.0],
    })
    result = validate(frame, dim_customers.build_suite, dim_customers.PII_COLUMNS)
    failed = {(o.column, o.expectation) for o in result.failed}
    assert ("id_number_token", "expect_column_values_to_match_regex") in failed
    assert ("mobile_masked", "expect_column_values_to_match_regex") in failed
    assert ID_NUMBER not in result.markdown() and MOBILE not in result.markdown()


@pytest.mark.parametrize(
    "rows, average, passed",
    [(0, 100.0, False), (20, 100.0, False), (100, 100.0, True), (390, 100.0, True), (500, 100.0, False),
     (0, 5.0, True), (60, 5.0, True)],
)
def test_volume_flags_a_day_far_from_the_trailing_average(rows, average, passed):
    frame = pd.DataFrame({"landing_date": [None], "rows_on_latest_day": [rows], "trailing_average": [average]})
    result = validate(frame, volume.build_suite, parameters=volume.parameters(average))
    assert result.passed == passed
    if not passed:
        assert result.as_check_result().severity.value == "WARN"  # a warning, never blocking


# --------------------------------------------------------------------------------------------------------------------
# The blocking suites of the marketing marts, the published lists and the fraud rings: a clean frame passes, a broken
# one fails the right expectation with ERROR severity (what stops the assets downstream).

TOKEN_A, TOKEN_B, TOKEN_C, TOKEN_D = ("tk_" + c * 32 for c in "abcd")
DAY = pd.Timestamp("2026-10-31")


def _schema_columns(module) -> list[str]:
    schema = next(e for e in module.build_suite().expectations
                  if e.expectation_type == "expect_table_columns_to_match_set")
    return list(schema.column_set)


def _frame(module, values: dict) -> pd.DataFrame:
    """Two rows of the module's data set: `values` per column, every derived flag true."""
    derived = getattr(module, "DERIVED", None)
    if derived is None:  # a published list: its flags come from expectations.marketing
        derived = list_derived(module.TABLE.split(".")[1], module.LIST_KIND)
    flags = set(derived_names(*derived))
    columns = _schema_columns(module)
    missing = [c for c in columns if c not in values and c not in flags]
    assert not missing, missing
    return pd.DataFrame({c: values[c] if c in values else [True, True] for c in columns})


def _tags() -> pd.DataFrame:
    rows = [(customer, tag, values[0] if values else "12000.00", 12000.0 if tag in customer_tags.NUMERIC_TAGS else None)
            for customer in ("C0000001", "C0000002") for tag, values in TAG_VALUES.items()]
    frame = pd.DataFrame(rows, columns=["customer_id", "tag", "tag_value", "tag_value_number"])
    frame["as_of_date"] = DAY
    for flag in derived_names(*customer_tags.DERIVED):
        frame[flag] = True
    return frame


def _profile() -> pd.DataFrame:
    return _frame(customer_profile, {
        "customer_id": ["C0000001", "C0000002"], "id_number_token": [TOKEN_A, TOKEN_B],
        "mobile_token": [TOKEN_C, TOKEN_D], "mobile_masked": ["139****5678", "138****0000"],
        **{tag: [TAG_VALUES[tag][0]] * 2 for tag in customer_profile.TAG_COLUMNS},
        "lifecycle_stage_since": [DAY] * 2, "pd": [0.02, None], "is_restricted": [False, True],
        "restriction_reasons": [None, "opted_out"], "last_activity_on": [DAY] * 2, "last_contacted_at": [None] * 2,
        "as_of_date": [DAY] * 2, "lifetime_principal": [12000.0, 0.0], "pre_approved_limit": [8000.0, 0.0],
        "outstanding_principal": [4000.0, 0.0], "instalments_paid": [6, 0], "instalments_overdue": [0, 0],
        "max_dpd_to_date": [3, 0], "loan_count": [1, 0], "sms_in_cap_window": [0, 1], "calls_in_cap_window": [0, 0],
    })


def _restricted() -> pd.DataFrame:
    return _frame(marketing_restricted_customers, {
        "customer_id": ["C0000001", "C0000001"], "restriction_reason": ["opted_out", "declined_recently"],
        "restricted_since": [DAY - pd.Timedelta(days=30)] * 2, "restricted_until": [None, DAY + pd.Timedelta(days=59)],
        "detail": ["opted out of: sms", "declined applications: 1"], "as_of_date": [DAY] * 2,
    })


def _candidates() -> pd.DataFrame:
    return _frame(marketing_list_candidates, {
        "list_day": [DAY] * 2, "contact_on": [DAY + pd.Timedelta(days=1)] * 2,
        "list_name": ["marketing_sms_list", "cross_sell_list"], "campaign": ["repeat_loan", "appliance_to_furniture"],
        "channel": ["sms", "sms"], "customer_id": ["C0000001", "C0000002"], "customer_token": [TOKEN_A, TOKEN_B],
        "mobile_token": [TOKEN_C, TOKEN_D], "mobile_masked": ["139****5678", "138****0000"],
        "trigger_event": ["loan_paid_off", "appliance_purchase"], "trigger_event_on": [DAY] * 2,
        "trigger_loan_id": ["L00000001", "L00000002"], "reason": ["loan_paid_off on 2026-10-31 (loan L00000001)"] * 2,
        "priority": [1, 3], "valid_until": [DAY + pd.Timedelta(days=30)] * 2, "pre_approved_limit": [8000.0, 0.0],
        "contacts_in_cap_window": [0, 0], "channel_rank": [1, None], "contact_cap": [2, 2], "cap_window_days": [7, 7],
        "is_selected": [True, False], "exclusion_reason": [None, "no_pre_approved_limit"],
        "marketing_restriction": ["none", "none"],
    })


def _published(module) -> pd.DataFrame:
    campaign = {"marketing_sms_list": "repeat_loan", "marketing_call_list": "dormant_reactivation",
                "cross_sell_list": "furniture_to_appliance"}[module.TABLE.split(".")[1]]
    return _frame(module, {
        "list_day": [DAY] * 2, "contact_on": [DAY + pd.Timedelta(days=1)] * 2, "campaign": [campaign] * 2,
        "channel": ["outbound_call" if module is marketing_call_list else "sms"] * 2,
        "customer_token": [TOKEN_A, TOKEN_B], "mobile_token": [TOKEN_C, TOKEN_D],
        "mobile_masked": ["139****5678", "138****0000"], "reason": ["became_dormant on 2026-10-31"] * 2,
        "priority": [6, 6], "valid_until": [DAY + pd.Timedelta(days=30)] * 2,
        "published_at": [pd.Timestamp("2026-11-01 02:00:00")] * 2,
    })


def _rings() -> pd.DataFrame:
    counts = {c: [1, 2] for c in fraud_rings.COUNTS}
    return _frame(fraud_rings, {
        **counts, "applications": [5, 8], "approved_applications": [3, 4], "applications_flagged": [3, 0],
        "ring_id": ["C0000001", "C0000101"], "members": [3, 4],
        "member_customer_ids": [["C0000001", "C0000002", "C0000003"], ["C0000101", "C0000102", "C0000103", "C0000104"]],
        "main_merchant_id": ["M000001", "M000002"], "main_merchant_share": [1.0, 0.5],
        "principal_disbursed": [30000.0, 20000.0], "outstanding_principal": [25000.0, 0.0],
        "mean_fraud_probability": [0.3, None], "max_fraud_probability": [0.6, None],
        "suspicion": ["high", "low"], "suspicion_rank": [1, 2],
    })


BLOCKING_FRAMES = {
    customer_tags: _tags, customer_profile: _profile, marketing_restricted_customers: _restricted,
    marketing_list_candidates: _candidates, marketing_sms_list: lambda: _published(marketing_sms_list),
    marketing_call_list: lambda: _published(marketing_call_list), cross_sell_list: lambda: _published(cross_sell_list),
    fraud_rings: _rings,
}
DUPLICATE = object()  # the row takes the key of the first row


@pytest.mark.parametrize("module", list(BLOCKING_FRAMES), ids=lambda m: m.TABLE)
def test_a_clean_frame_meets_every_expectation_of_the_blocking_marts(module):
    assert module.BLOCKING
    result = validate(BLOCKING_FRAMES[module](), module.build_suite, getattr(module, "PII_COLUMNS", ()))
    assert result.passed, result.summary()


KEYS = {customer_tags: ["customer_id", "tag"], marketing_restricted_customers: ["customer_id", "restriction_reason"],
        marketing_list_candidates: ["list_day", "campaign", "customer_id"],
        **{m: ["list_day", "campaign", "customer_token"] for m in (marketing_sms_list, marketing_call_list,
                                                                  cross_sell_list)}}


@pytest.mark.parametrize(
    "module, column, value, expectation",
    [
        (customer_tags, "tag", "loyalty_tier", "expect_column_values_to_be_in_set"),  # a tag not in the dictionary
        (customer_tags, "tag", DUPLICATE, "expect_compound_columns_to_be_unique"),
        (customer_tags, "tag_value_is_allowed", False, "expect_column_values_to_be_in_set"),
        (customer_tags, "customer_has_every_tag", False, "expect_column_values_to_be_in_set"),
        (customer_profile, "mobile_masked", MOBILE, "expect_column_values_to_match_regex"),  # a raw mobile
        (customer_profile, "id_number_token", ID_NUMBER, "expect_column_values_to_match_regex"),
        (customer_profile, "customer_id", "C0000001", "expect_column_values_to_be_unique"),
        (customer_profile, "lifecycle_stage", "vip", "expect_column_values_to_be_in_set"),
        (customer_profile, "restricted_exactly_when_listed", False, "expect_column_values_to_be_in_set"),
        (marketing_restricted_customers, "restriction_reason", "vip", "expect_column_values_to_be_in_set"),
        (marketing_restricted_customers, "restriction_reason", DUPLICATE, "expect_compound_columns_to_be_unique"),
        (marketing_list_candidates, "mobile_masked", MOBILE, "expect_column_values_to_match_regex"),
        (marketing_list_candidates, "customer_token", MOBILE, "expect_column_values_to_match_regex"),
        (marketing_list_candidates, "campaign", DUPLICATE, "expect_compound_columns_to_be_unique"),
        (marketing_list_candidates, "list_name", "email_list", "expect_column_values_to_be_in_set"),
        (marketing_list_candidates, "no_restricted_customer_selected", False, "expect_column_values_to_be_in_set"),
        (marketing_list_candidates, "selected_rows_fit_the_cap", False, "expect_column_values_to_be_in_set"),
        (marketing_sms_list, "mobile_masked", MOBILE, "expect_column_values_to_match_regex"),
        (marketing_sms_list, "customer_token", ID_NUMBER, "expect_column_values_to_match_regex"),
        (marketing_sms_list, "customer_token", DUPLICATE, "expect_compound_columns_to_be_unique"),
        (marketing_sms_list, "channel", "outbound_call", "expect_column_values_to_be_in_set"),
        (marketing_sms_list, "customer_is_not_restricted", False, "expect_column_values_to_be_in_set"),
        (marketing_call_list, "channel", "sms", "expect_column_values_to_be_in_set"),
        (marketing_call_list, "mobile_token", None, "expect_column_values_to_not_be_null"),
        (marketing_call_list, "is_a_selected_candidate", False, "expect_column_values_to_be_in_set"),
        (cross_sell_list, "list_day", DAY - pd.Timedelta(days=1), "expect_column_unique_value_count_to_be_between"),
        (cross_sell_list, "has_no_raw_id_or_mobile", False, "expect_column_values_to_be_in_set"),
        (cross_sell_list, "campaign_belongs_on_the_list", False, "expect_column_values_to_be_in_set"),
        (fraud_rings, "members", 2, "expect_column_values_to_be_between"),
        (fraud_rings, "ring_id", "C0000001", "expect_column_values_to_be_unique"),
        (fraud_rings, "suspicion", "critical", "expect_column_values_to_be_in_set"),
        (fraud_rings, "members_are_the_components", False, "expect_column_values_to_be_in_set"),
    ],
    ids=lambda v: v.TABLE if hasattr(v, "TABLE") else None,
)
def test_a_broken_blocking_mart_fails_its_suite(module, column, value, expectation):
    frame = BLOCKING_FRAMES[module]()
    row = len(frame) - 1
    if value is DUPLICATE:
        for key in KEYS[module]:
            frame.loc[row, key] = frame.loc[0, key]
        column = ", ".join(KEYS[module])
    else:
        frame.loc[row, column] = value
    result = validate(frame, module.build_suite, getattr(module, "PII_COLUMNS", ()))
    assert (column, expectation) in {(o.column, o.expectation) for o in result.failed}, result.summary()
    assert result.as_check_result().severity.value == "ERROR"  # a blocking check stops what is downstream
    assert MOBILE not in result.markdown() and ID_NUMBER not in result.markdown()


def test_a_restriction_of_a_customer_the_core_does_not_know_only_warns():
    frame = _restricted()
    frame.loc[1, "customer_id_is_known"] = False
    result = validate(frame, marketing_restricted_customers.build_suite)
    assert [(o.column, o.severity) for o in result.failed] == [("customer_id_is_known", "warning")]
    assert result.as_check_result().severity.value == "WARN"  # does not hold the lists back


def _lake_in_memory(statements: str) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    conn.execute("create schema marts; create schema reference;")
    conn.execute(statements)
    return conn


def test_the_list_query_finds_a_restricted_customer_and_a_campaign_of_another_list():
    conn = _lake_in_memory(f"""
        create table marts.dim_customers as select * from (values
            ('C0000001', '{TOKEN_A}', '{TOKEN_C}'), ('C0000002', '{TOKEN_B}', '{TOKEN_D}'))
            as t (customer_id, id_number_token, mobile_token);
        create table marts.customer_profile as select customer_id, id_number_token, date '2026-10-31' as as_of_date
            from marts.dim_customers;
        create table marts.marketing_restricted_customers as select 'C0000002' as customer_id;
        create table reference.marketing_campaigns as select * from (values
            ('repeat_loan', 'life_cycle', 1, 'preferred'), ('dormant_reactivation', 'life_cycle', 6, 'outbound_call'))
            as t (campaign, list_kind, priority, channel_rule);
        create table marts.marketing_list_candidates as select * from (values
            (date '2026-10-31', 'repeat_loan', '{TOKEN_A}', 'marketing_sms_list', true),
            (date '2026-10-31', 'repeat_loan', '{TOKEN_B}', 'marketing_sms_list', false))
            as t (list_day, campaign, customer_token, list_name, is_selected);
        create table marts.marketing_sms_list as select * from (values
            (date '2026-10-31', date '2026-11-01', 'repeat_loan', 'sms', '{TOKEN_A}', '{TOKEN_C}', '139****5678',
             'loan_paid_off on 2026-10-30 (loan L00000001)', 1, date '2026-11-29', timestamp '2026-11-01 02:00:00'))
            as t ({", ".join(LIST_COLUMNS)})""")
    clean = validate(conn.execute(marketing_sms_list.QUERY).df(), marketing_sms_list.build_suite,
                     marketing_sms_list.PII_COLUMNS)
    assert clean.passed, clean.summary()

    conn.execute(f"""insert into marts.marketing_sms_list values
        (date '2026-10-31', date '2026-11-01', 'repeat_loan', 'sms', '{TOKEN_B}', '{TOKEN_D}', '138****0000',
         'loan_paid_off on 2026-10-30', 1, date '2026-11-29', timestamp '2026-11-01 02:00:00'),
        (date '2026-10-31', date '2026-11-01', 'dormant_reactivation', 'sms', '{TOKEN_A}', '{TOKEN_C}', '139****5678',
         'call {MOBILE}', 6, date '2026-11-29', timestamp '2026-11-01 02:00:00')""")
    result = validate(conn.execute(marketing_sms_list.QUERY).df(), marketing_sms_list.build_suite,
                      marketing_sms_list.PII_COLUMNS)
    failed = {o.column: o.unexpected_count for o in result.failed}
    assert failed == {"customer_is_not_restricted": 1, "is_a_selected_candidate": 2,
                      "campaign_belongs_on_the_list": 1, "has_no_raw_id_or_mobile": 1}, result.summary()
    assert MOBILE not in result.markdown()


def test_the_tags_query_finds_a_value_outside_the_dictionary_and_a_missing_tag():
    values = {tag: (vals[0] if vals else "0.00") for tag, vals in TAG_VALUES.items()}
    profile = ", ".join(f"'{v}' as {tag}" if tag != "pre_approved_limit" else "0.00::decimal(18, 2) as " + tag
                        for tag, v in values.items())
    tags = " union all ".join(
        f"select 'C0000001' as customer_id, '{tag}' as tag, '{v}' as tag_value, "
        f"{'0.00' if tag in customer_tags.NUMERIC_TAGS else 'null'}::decimal(18, 2) as tag_value_number, "
        "date '2026-10-31' as as_of_date" for tag, v in values.items())
    conn = _lake_in_memory(f"""
        create table marts.dim_customers as select 'C0000001' as customer_id;
        create table marts.customer_profile as select 'C0000001' as customer_id, {profile};
        create table marts.tag_dictionary as select unnest({list(TAG_VALUES)}) as tag;
        create table marts.customer_tags as {tags}""")
    clean = validate(conn.execute(customer_tags.QUERY).df(), customer_tags.build_suite)
    assert clean.passed, clean.summary()

    conn.execute("update marts.customer_tags set tag_value = 'gold' where tag = 'value_tier'")
    conn.execute("delete from marts.customer_tags where tag = 'risk_grade'")
    result = validate(conn.execute(customer_tags.QUERY).df(), customer_tags.build_suite)
    assert {o.column for o in result.failed} == {"tag_value_is_allowed", "tag_value_matches_the_profile",
                                                 "customer_has_every_tag", "every_customer_is_tagged"}
