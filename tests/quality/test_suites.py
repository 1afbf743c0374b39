"""The expectation suites and their runner, without Dagster: every raw source has a suite matching its contract, a
broken frame fails the right expectation with a count, and personal data never leaves a validation result."""

from __future__ import annotations

import pandas as pd
import pytest

from expectations import data_sets, volume
from expectations.common import RAW_LINEAGE_COLUMNS, derived_names
from expectations.marts import dim_customers
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
            "marts.fraud_scores", "marts.education_refund_instructions", "marts.fraud_ring_candidates"} <= blocking
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
