"""The list audits (blocking checks) on hand-made tables: each catches its violation and passes a clean list."""

from datetime import date

import dagster as dg
import duckdb
import pytest

from orchestration.defs.marketing.checks import AUDITS, STAGED, run_audits
from orchestration.defs.marketing.exports import EXPORT_COLUMNS

KEY = dg.AssetKey(["marts", "cross_sell_list"])
LIST_DAY, CONTACT_ON = date(2026, 10, 31), date(2026, 11, 1)
TOKEN, MOBILE = "tk_" + "0" * 32, "tk_" + "f" * 32


@pytest.fixture
def conn():
    conn = duckdb.connect()
    for schema in ("marts", "staging", "reference"):
        conn.execute(f"create schema {schema}")
    conn.execute("create table marts.marketing_restricted_customers (customer_id varchar, restriction_reason varchar)")
    conn.execute("insert into marts.marketing_restricted_customers values ('R', 'opted_out'), ('R', 'complained')")
    conn.execute("create table marts.marketing_list_candidates "
                 "(list_name varchar, list_day date, customer_id varchar, channel varchar, is_selected boolean)")
    conn.execute("create table staging.stg_marketing__contact_history "
                 "(customer_id varchar, channel varchar, contacted_at timestamp)")
    conn.execute("create table reference.marketing_contact_caps (channel varchar, window_days integer, "
                 "max_contacts integer)")
    conn.execute("insert into reference.marketing_contact_caps values ('sms', 7, 2), ('outbound_call', 30, 1)")
    conn.execute(f"create temp table {STAGED} (customer_id varchar, list_day date, contact_on date, campaign varchar,"
                 " channel varchar, customer_token varchar, mobile_token varchar, mobile_masked varchar,"
                 " reason varchar, priority integer, valid_until date)")
    yield conn
    conn.close()


def _stage(conn, customer_id, channel="sms", masked="138****5678", reason="appliance_purchase on 2026-10-20"):
    conn.execute(f"insert into {STAGED} values (?, ?, ?, 'appliance_to_furniture', ?, ?, ?, ?, ?, 3, ?)",
                 [customer_id, LIST_DAY, CONTACT_ON, channel, TOKEN, MOBILE, masked, reason, date(2026, 11, 19)])


def _history(conn, customer_id, channel, when):
    conn.execute("insert into staging.stg_marketing__contact_history values (?, ?, ?)", [customer_id, channel, when])


def _failures(conn) -> dict[str, list]:
    results = run_audits(conn, KEY, "cross_sell_list", LIST_DAY)
    assert [r.check_name for r in results] == [a.name for a in AUDITS]
    assert all(r.severity == dg.AssetCheckSeverity.ERROR for r in results)
    return {r.check_name: r.metadata["first_violations"].value for r in results if not r.passed}


def test_the_staged_table_has_the_export_columns(conn):
    columns = [r[0] for r in conn.execute(f"select column_name from (describe {STAGED})").fetchall()]
    assert columns == ["customer_id", *EXPORT_COLUMNS]


def test_a_clean_list_passes_every_audit(conn):
    _stage(conn, "A")
    _history(conn, "A", "sms", "2026-10-30 10:00:00")
    assert _failures(conn) == {}


def test_a_restricted_customer_fails_the_list(conn):
    _stage(conn, "A")
    _stage(conn, "R")
    failures = _failures(conn)
    assert list(failures) == ["no_restricted_customers"]
    assert failures["no_restricted_customers"][0]["customer_id"] == "R"
    assert failures["no_restricted_customers"][0]["reasons"] == "complained, opted_out"


def test_caps_count_history_in_the_window_ending_on_the_contact_day_and_every_list_of_the_day(conn):
    # B: 1 SMS on 2026-10-26 (first day of the window 10-26..11-01) + this list + the SMS list = 3 > 2
    _stage(conn, "B")
    _history(conn, "B", "sms", "2026-10-26 00:00:00")
    conn.execute("insert into marts.marketing_list_candidates values "
                 "('marketing_sms_list', '2026-10-31', 'B', 'sms', true),"
                 "('marketing_sms_list', '2026-10-31', 'C', 'sms', true),"
                 "('marketing_sms_list', '2026-10-31', 'E', 'sms', false),"
                 "('marketing_sms_list', '2026-10-30', 'E', 'sms', true)")
    # C: the SMS of 2026-10-25 is outside the window: 0 + 2 = 2
    _stage(conn, "C")
    _history(conn, "C", "sms", "2026-10-25 23:59:59")
    # D: a call on 2026-10-03, the first day of the 30-day window, and a call on the list
    _stage(conn, "D", channel="outbound_call")
    _history(conn, "D", "outbound_call", "2026-10-03 09:00:00")
    # E: two SMS in the window, but only an unselected candidate and another day's list beside this one: 2 + 1 = 3
    _stage(conn, "E")
    _history(conn, "E", "sms", "2026-10-30 09:00:00")
    _history(conn, "E", "sms", "2026-10-31 09:00:00")
    failures = _failures(conn)
    assert list(failures) == ["contact_caps_hold"]
    over = {(v["customer_id"], v["channel"]): (v["history_contacts"], v["planned_contacts"])
            for v in failures["contact_caps_hold"]}
    assert over == {("B", "sms"): (1, 2), ("D", "outbound_call"): (1, 1), ("E", "sms"): (2, 1)}


def test_a_raw_mobile_anywhere_fails_the_list(conn):
    _stage(conn, "A", masked="13812345678")
    _stage(conn, "B", reason="call 13912345678 about the offer")
    failures = _failures(conn)
    assert list(failures) == ["tokens_and_masked_phones_only"]
    assert {v["customer_id"] for v in failures["tokens_and_masked_phones_only"]} == {"A", "B"}
