"""Small building blocks: check digits, calendar arithmetic, text rendering, schema mirror of the contract."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from simulator import people
from simulator.clock import add_months, next_business_day, to_day
from simulator.schema import SPECS, spec
from simulator.writer import render_lines


def test_gb11643_check_digit_of_the_standard_example():
    assert people.id_check_chars(np.array([11010519491231002]))[0] == "X"


def test_generated_id_numbers_encode_gender_in_the_sequence_parity():
    rng = np.random.default_rng(0)
    male = rng.random(600) < 0.5  # at most 500 sequence numbers per gender and day exist
    text, base = people.id_numbers(rng, np.full(600, 330106), np.full(600, to_day(date(1990, 5, 17))), male)
    assert text.str.len().eq(18).all() and text.is_unique
    assert text.str[6:14].eq("19900517").all()
    assert ((base % 10) % 2 == 1).tolist() == male.tolist()


def test_add_months_clips_to_the_end_of_the_month():
    start = np.array([to_day(date(2025, 1, 31)), to_day(date(2024, 1, 31)), to_day(date(2025, 11, 15))])
    got = add_months(start, 1)
    assert got.tolist() == [to_day(date(2025, 2, 28)), to_day(date(2024, 2, 29)), to_day(date(2025, 12, 15))]
    friday, saturday = to_day(date(2025, 6, 6)), to_day(date(2025, 6, 7))
    assert next_business_day(np.array([friday, saturday])).tolist() == [to_day(date(2025, 6, 9))] * 2


def test_rendering_quotes_and_formats_like_the_contract_says():
    frame = pd.DataFrame(
        {
            "repayment_id": ["P1", 'P,"2'],
            "loan_id": ["L1", None],
            "instalment_no": [1, np.nan],
            "paid_at": [to_day(date(2025, 3, 4)) * 86_400 + 3_661, np.nan],
            "amount": [123_405, 7],
            "payment_channel": ["支付宝", "app"],
        }
    )
    lines = render_lines(spec("core_lending.repayments"), frame).to_pylist()
    assert lines == ["P1,L1,1,2025-03-04 01:01:01,1234.05,支付宝\n", '"P,""2",,,,0.07,app\n']


def test_schema_mirrors_the_contract(contracts):
    mine = {(s.source_system, s.entity): (s.format, dict(s.columns)) for s in SPECS}
    theirs = {key: (c["format"], c["columns"]) for key, c in contracts.items()}
    assert mine == theirs
    for s in SPECS:
        assert list(dict(s.columns)) == list(contracts[(s.source_system, s.entity)]["columns"])
