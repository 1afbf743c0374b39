"""Export files: the same list gives the same bytes and manifest; a changed list replaces them."""

import hashlib
import json
from datetime import UTC, date, datetime

from orchestration.defs.marketing.exports import EXPORT_COLUMNS, export_paths, render_csv, write_export

DAY = date(2026, 10, 31)


def _row(token: str, campaign: str = "repeat_loan", priority: int = 1) -> dict:
    return {
        "list_day": DAY, "contact_on": date(2026, 11, 1), "campaign": campaign, "channel": "sms",
        "customer_token": token, "mobile_token": "tk_" + "a" * 32, "mobile_masked": "138****5678",
        "reason": "loan_paid_off on 2026-10-30 (loan L1)", "priority": priority, "valid_until": date(2026, 11, 29),
    }


ROWS = [_row("tk_" + "2" * 32, "limit_increase", 2), _row("tk_" + "1" * 32), _row("tk_" + "3" * 32)]


def test_a_rerun_of_the_same_day_rewrites_identical_files(tmp_path):
    first = write_export(ROWS, tmp_path, "marketing_sms_list", DAY, now=datetime(2026, 11, 1, 2, 0, tzinfo=UTC))
    csv_path, manifest_path = export_paths(tmp_path, "marketing_sms_list", DAY)
    before = (csv_path.read_bytes(), manifest_path.read_bytes())
    again = write_export(list(reversed(ROWS)), tmp_path, "marketing_sms_list", DAY,
                         now=datetime(2026, 11, 1, 5, 0, tzinfo=UTC))
    assert (csv_path.read_bytes(), manifest_path.read_bytes()) == before
    assert again == first and first["generated_at"] == "2026-11-01T02:00:00+00:00"


def test_the_manifest_describes_the_file(tmp_path):
    manifest = write_export(ROWS, tmp_path, "marketing_sms_list", DAY)
    csv_path, manifest_path = export_paths(tmp_path, "marketing_sms_list", DAY)
    assert csv_path.name == "2026-10-31.csv" and manifest_path.name == "2026-10-31.manifest.json"
    assert json.loads(manifest_path.read_text()) == manifest
    assert manifest["sha256"] == hashlib.sha256(csv_path.read_bytes()).hexdigest()
    assert manifest["rows"] == 3 and manifest["campaigns"] == {"limit_increase": 1, "repeat_loan": 2}
    assert manifest["list"] == "marketing_sms_list" and manifest["list_day"] == "2026-10-31"


def test_rows_are_written_in_priority_campaign_token_order_with_a_header():
    lines = render_csv(ROWS).decode().splitlines()
    assert lines[0].split(",") == list(EXPORT_COLUMNS)
    tokens = [line.split(",")[4] for line in lines[1:]]
    assert tokens == ["tk_" + "1" * 32, "tk_" + "3" * 32, "tk_" + "2" * 32]


def test_a_changed_list_replaces_file_and_manifest(tmp_path):
    first = write_export(ROWS, tmp_path, "cross_sell_list", DAY, now=datetime(2026, 11, 1, tzinfo=UTC))
    second = write_export(ROWS[:1], tmp_path, "cross_sell_list", DAY, now=datetime(2026, 11, 2, tzinfo=UTC))
    assert second["rows"] == 1 and second["sha256"] != first["sha256"]
    assert second["generated_at"] == "2026-11-02T00:00:00+00:00"


def test_an_empty_list_still_gets_a_file_with_its_header(tmp_path):
    manifest = write_export([], tmp_path, "marketing_call_list", DAY)
    csv_path, _ = export_paths(tmp_path, "marketing_call_list", DAY)
    assert manifest["rows"] == 0 and csv_path.read_text().splitlines() == [",".join(EXPORT_COLUMNS)]
