"""The loader: exactly-once loading by content hash, and quarantine of what does not fit the contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.defs.ingestion.contracts import ContractError, contract_for, parse_contracts
from orchestration.defs.ingestion.landing import discover
from orchestration.defs.ingestion.loader import load_entity

CALLBACKS_HEADER = "callback_id,loan_id,customer_id,merchant_id,called_at,result\n"
GOOD_ROWS = "CB1,L1,C1,M1,2025-01-02 10:00:00,received\nCB2,L2,C2,M1,2025-01-02 11:00:00,not_received\n"


def _land(settings, system: str, day: str, name: str, content: str | bytes) -> Path:
    path = settings.landing_dir / system / day / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def _load(lakehouse, settings, system: str, entity: str):
    files = discover(settings.landing_dir, tables={f"{system}__{entity}"})
    with lakehouse.connect() as conn:
        return load_entity(conn, contract_for(system, entity), files)


def _query(lakehouse, sql: str):
    with lakehouse.connect(read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_the_same_file_delivered_twice_loads_once(settings, lakehouse):
    _land(settings, "operations", "2025-01-02", "callbacks.csv", CALLBACKS_HEADER + GOOD_ROWS)
    first = _load(lakehouse, settings, "operations", "callbacks")
    second = _load(lakehouse, settings, "operations", "callbacks")
    assert [o.status for o in first] == ["loaded"] and first[0].rows_loaded == 2
    assert [o.status for o in second] == ["unchanged"]
    assert _query(lakehouse, "select count(*) from raw.operations__callbacks") == [(2,)]


def test_a_load_staged_in_many_chunks_loads_every_row_once_with_its_lineage(settings, lakehouse, monkeypatch):
    monkeypatch.setattr("orchestration.defs.ingestion.loader.STAGING_CHUNK_ROWS", 3)  # a chunk every file or two
    for day in range(1, 6):
        rows = "".join(f"CB{day}{i},L{i},C{i},M1,2025-01-0{day} 10:00:0{i},received\n" for i in range(day))
        _land(settings, "operations", f"2025-01-0{day}", "callbacks.csv", CALLBACKS_HEADER + rows)
    outcomes = _load(lakehouse, settings, "operations", "callbacks")
    assert [o.rows_loaded for o in outcomes] == [1, 2, 3, 4, 5]
    loaded = _query(lakehouse, "select callback_id, _source_row, _landing_date::varchar from raw.operations__callbacks"
                               " order by all")
    assert loaded == sorted((f"CB{d}{i}", i + 2, f"2025-01-0{d}") for d in range(1, 6) for i in range(d))


def test_a_corrected_redelivery_replaces_its_rows(settings, lakehouse):
    _land(settings, "operations", "2025-01-02", "callbacks.csv", CALLBACKS_HEADER + GOOD_ROWS)
    _load(lakehouse, settings, "operations", "callbacks")
    corrected = CALLBACKS_HEADER + "CB1,L1,C1,M1,2025-01-02 10:00:00,not_received\n"
    _land(settings, "operations", "2025-01-02", "callbacks.csv", corrected)
    outcome = _load(lakehouse, settings, "operations", "callbacks")
    assert outcome[0].status == "loaded"
    assert _query(lakehouse, "select callback_id, result from raw.operations__callbacks") == [
        ("CB1", "not_received")
    ]


def test_bad_rows_are_quarantined_with_line_and_column_and_good_rows_load(settings, lakehouse):
    content = (
        CALLBACKS_HEADER
        + "CB1,L1,C1,M1,2025-01-02 10:00:00,received\n"  # line 2: good
        + "CB2,L2,C2,M1,2025-13-02 10:00:00,received\n"  # line 3: impossible month
        + "CB3,L3,C3\n"  # line 4: truncated row
        + ",L4,C4,M1,2025-01-02 12:00:00,received\n"  # line 5: empty key
    )
    _land(settings, "operations", "2025-01-02", "callbacks.csv", content)
    outcome = _load(lakehouse, settings, "operations", "callbacks")[0]
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 3)
    faults = _query(
        lakehouse, "select line_number, column_name, reason from raw._quarantine order by line_number"
    )
    assert [(line, column) for line, column, _ in faults] == [(3, "called_at"), (4, None), (5, "callback_id")]
    assert "not a timestamp" in faults[0][2] and "expected 6 fields, found 3" in faults[1][2]


def test_a_file_that_is_not_utf8_is_quarantined_whole_and_kept_on_disk(settings, lakehouse):
    good = _land(settings, "operations", "2025-01-02", "callbacks.csv", CALLBACKS_HEADER + GOOD_ROWS)
    bad_bytes = (CALLBACKS_HEADER + "CB9,L9,C9,M1,2025-01-02 10:00:00,").encode() + "已收到\n".encode("gbk")
    bad = _land(settings, "operations", "2025-01-03", "callbacks.csv", bad_bytes)
    outcomes = {o.source_file: o for o in _load(lakehouse, settings, "operations", "callbacks")}
    assert outcomes["operations/2025-01-03/callbacks.csv"].status == "quarantined"
    assert "line 2" in outcomes["operations/2025-01-03/callbacks.csv"].first_fault
    assert outcomes["operations/2025-01-02/callbacks.csv"].rows_loaded == 2
    assert bad.read_bytes() == bad_bytes and good.exists()
    assert _query(lakehouse, "select scope, line_number from raw._quarantine") == [("file", 2)]


def test_missing_and_unexpected_columns_quarantine_the_file_naming_the_column(settings, lakehouse):
    header = "callback_id,loan_id,customer_id,merchant_id,called_at,outcome\n"
    _land(settings, "operations", "2025-01-02", "callbacks.csv", header + GOOD_ROWS)
    outcome = _load(lakehouse, settings, "operations", "callbacks")[0]
    assert outcome.status == "quarantined"
    assert "missing column(s) result" in outcome.first_fault and "unexpected column(s) outcome" in outcome.first_fault


def test_jsonl_rows_with_bad_json_or_missing_keys_are_quarantined(settings, lakehouse):
    good = (
        '{"record_id":"R1","customer_id":"C1","contact_type":"sms","counterparty_category":"collector",'
        '"contacted_at":"2025-01-02 09:00:00"}'
    )
    missing = '{"record_id":"R2","customer_id":"C1","contact_type":"sms","contacted_at":"2025-01-02 09:00:00"}'
    _land(settings, "third_party", "2025-01-02", "collection_contacts.jsonl", f"{good}\n{{oops\n{missing}\n")
    outcome = _load(lakehouse, settings, "third_party", "collection_contacts")[0]
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 2)
    faults = _query(lakehouse, "select line_number, column_name from raw._quarantine order by 1")
    assert faults == [(2, None), (3, "counterparty_category")]


def test_quarantine_reasons_never_quote_personal_data(settings, lakehouse):
    header = (
        "customer_id,full_name,id_number,mobile,home_province,home_city,home_address,"
        "declared_monthly_income,occupation,registered_at\n"
    )
    row = "C1,张三,11010519491231002X,13800138000,北京市,北京市,某路1号,abc,engineer,2025-01-02 10:00:00\n"
    _land(settings, "core_lending", "2025-01-02", "customers.csv", header + row)
    _load(lakehouse, settings, "core_lending", "customers")
    (reason,) = _query(lakehouse, "select reason from raw._quarantine")[0]
    assert "declared_monthly_income: not a decimal 'abc'" == reason


REPAYMENTS_HEADER = "repayment_id,loan_id,instalment_no,paid_at,amount,payment_channel\n"
CUSTOMERS_HEADER = (
    "customer_id,full_name,id_number,mobile,home_province,home_city,home_address,"
    "declared_monthly_income,occupation,registered_at\n"
)
GOOD_ID_NUMBER, GOOD_MOBILE = "11010519491231002X", "13912345678"


def _customer(customer_id: str, id_number: str = GOOD_ID_NUMBER, mobile: str = GOOD_MOBILE,
              registered_at: str = "2025-01-02 10:00:00") -> str:
    return f"{customer_id},张三,{id_number},{mobile},北京市,北京市,某路1号,8000.00,engineer,{registered_at}\n"


def _faults(lakehouse) -> list[tuple]:
    return _query(lakehouse, "select source_file, line_number, column_name, reason from raw._quarantine order by 2")


def test_every_kind_of_bad_row_is_quarantined_naming_file_line_and_column_and_the_good_rows_load(settings, lakehouse):
    content = (
        REPAYMENTS_HEADER
        + "P1,L1,1,2025-01-02 09:00:00,500.00,wechat_pay\n"  # line 2: good
        + "P2,L1,2,2025-01-02 09:30:00,-500.00,wechat_pay\n"  # line 3: negative amount
        + "P3,L2,1,2025-01-09 09:00:00,500.00,alipay\n"  # line 4: paid a week after the file landed
        + "P1,L1,1,2025-01-02 09:00:00,500.00,wechat_pay\n"  # line 5: the key of line 2 again
        + "P4,L3,1,alipay,500.00,2025-01-02 09:00:00\n"  # line 6: two columns swapped
        + "P5,L4,1,2025-01-02 10:00:00,300.00,app\n"  # line 7: good
    )
    _land(settings, "core_lending", "2025-01-02", "repayments.csv", content)
    outcome = _load(lakehouse, settings, "core_lending", "repayments")[0]
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (2, 4)
    assert _query(lakehouse, "select repayment_id from raw.core_lending__repayments order by 1") == [("P1",), ("P5",)]
    faults = _faults(lakehouse)
    assert [(line, column) for _, line, column, _ in faults] == [
        (3, "amount"), (4, "paid_at"), (5, "repayment_id"), (6, "paid_at")
    ]
    assert {f[0] for f in faults} == {"core_lending/2025-01-02/repayments.csv"}
    reasons = [f[3] for f in faults]
    assert reasons[0] == "amount: negative '-500.00'"
    assert reasons[1] == "paid_at: dated after the landing day '2025-01-09 09:00:00'"
    assert reasons[2] == "repayment_id: duplicate key P1 (first at line 2)"
    assert reasons[3].startswith("paid_at: not a timestamp 'alipay'")


def test_malformed_id_numbers_and_mobiles_are_quarantined_without_quoting_them(settings, lakehouse):
    bad_check_character = GOOD_ID_NUMBER[:-1] + "5"
    content = (
        CUSTOMERS_HEADER
        + _customer("C0000001")  # line 2: good
        + _customer("C0000002", id_number=bad_check_character)  # line 3
        + _customer("C0000003", id_number="110105194913310021")  # line 4: month 13
        + _customer("C0000004", id_number="1101051949123100")  # line 5: 16 characters
        + _customer("C0000005", mobile="1391234567")  # line 6: 10 digits
        + _customer("C0000006", registered_at="2031-01-01 00:00:00")  # line 7: registered in the future
    )
    _land(settings, "core_lending", "2025-01-02", "customers.csv", content)
    outcome = _load(lakehouse, settings, "core_lending", "customers")[0]
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 5)
    faults = _faults(lakehouse)
    assert [(line, column) for _, line, column, _ in faults] == [
        (3, "id_number"), (4, "id_number"), (5, "id_number"), (6, "mobile"), (7, "registered_at")
    ]
    text = " ".join(f[3] for f in faults)
    for secret in (bad_check_character, "110105194913310021", "1101051949123100", "1391234567"):
        assert secret not in text
    assert "not a valid resident ID number" in faults[0][3]


def test_a_truncated_file_loads_its_complete_rows_and_quarantines_the_cut_one(settings, lakehouse):
    truncated = CALLBACKS_HEADER + GOOD_ROWS + 'CB3,L3,C3,M1,"2025-01-02 12:'  # cut inside a quoted field
    _land(settings, "operations", "2025-01-02", "callbacks.csv", truncated)
    outcome = _load(lakehouse, settings, "operations", "callbacks")[0]
    assert (outcome.status, outcome.rows_loaded, outcome.rows_quarantined) == ("loaded", 2, 1)
    (fault,) = _faults(lakehouse)
    assert fault[1] == 4 and "callbacks.csv" in fault[0]


def test_a_truncated_jsonl_line_is_quarantined_and_the_rest_loads(settings, lakehouse):
    good = ('{"record_id":"R1","customer_id":"C1","contact_type":"sms","counterparty_category":"collector",'
            '"contacted_at":"2025-01-02 09:00:00"}')
    _land(settings, "third_party", "2025-01-02", "collection_contacts.jsonl", f"{good}\n{good[:40]}")
    outcome = _load(lakehouse, settings, "third_party", "collection_contacts")[0]
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 1)
    assert _faults(lakehouse)[0][1:3] == (2, None)


def test_columns_in_another_order_load_by_their_names(settings, lakehouse):
    header = "result,called_at,callback_id,loan_id,customer_id,merchant_id\n"
    _land(settings, "operations", "2025-01-02", "callbacks.csv",
          header + "received,2025-01-02 10:00:00,CB1,L1,C1,M1\n")
    outcome = _load(lakehouse, settings, "operations", "callbacks")[0]
    assert (outcome.rows_loaded, outcome.rows_quarantined) == (1, 0)
    assert _query(lakehouse, "select callback_id, loan_id, result from raw.operations__callbacks") == [
        ("CB1", "L1", "received")
    ]



def test_contract_names_and_rules_that_could_reach_sql_unchecked_are_refused():
    def contract(column: str, spec: object = "string") -> dict:
        return {"sys": {"things": {"format": "csv", "primary_key": ["thing_id"],
                                   "columns": {"thing_id": "string", column: spec}}}}

    assert parse_contracts(contract("amount", {"type": "decimal", "min": 0}))[0].columns[1].min == 0
    for bad in (contract('x"; drop table raw.y; --'), contract("Amount"),
                contract("amount", {"type": "string", "min": 0}), contract("paid", {"type": "string", "past": True}),
                contract("id_number", {"type": "string", "format": "passport"})):
        with pytest.raises(ContractError):
            parse_contracts(bad)
