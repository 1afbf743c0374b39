"""The immediate re-evaluation (job merchant_reevaluation, which the complaints sensor launches) sees the complaints
that have just landed: it rebuilds the measured merchant days the two marts read, not only the marts."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.definitions import definitions
from orchestration.defs.ingestion.contracts import load_contracts
from orchestration.defs.ingestion.landing import discover
from orchestration.defs.ingestion.loader import load_entity
from orchestration.lakehouse import connect_lake
from orchestration.resources import build_resources
from tests.small_lake import build_lake

pytestmark = [pytest.mark.slow, pytest.mark.integration]

# Three "goods never came" complaints about one merchant at noon of the data date, in the complaint system's extract of
# that day: severe for every grade (seed merchant_warning_thresholds: non_delivery_complaints severe from 2 events).
COMPLAINT_COLUMNS = ("complaint_id", "merchant_id", "customer_id", "channel", "category", "severity", "content",
                     "received_at")


def _land_complaints(settings, merchant: str, day) -> None:
    """The extract lands and is loaded as the landing zone sensor's run loads it (load time, manifest and all)."""
    path = settings.landing_dir / "operations" / day.isoformat() / "complaints.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [",".join(COMPLAINT_COLUMNS)] + [
        f"CP-NEW-{n},{merchant},,hotline,goods_not_received,high,paid but nothing delivered,{day} 12:00:00"
        for n in range(3)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    [contract] = [c for c in load_contracts() if c.table == "operations__complaints"]
    [landed] = [f for f in discover(settings.landing_dir) if f.path == path]
    with connect_lake(settings.catalog_url, settings.lake_data_path) as conn:
        [outcome] = load_entity(conn, contract, [landed])
    assert outcome.rows_loaded == 3, outcome


FIRED = """
select count(*) from marts.merchant_warnings
where merchant_id = ? and warning_date = ? and signal = 'non_delivery_complaints'
"""


def test_a_complaint_landed_reaches_the_grade_and_warnings_of_the_immediate_reevaluation(tiny_settings):
    # the whole warehouse, as the daily batch leaves it (its data tests are not what this test is about)
    settings = build_lake(tiny_settings.data_dir, data_tests=False)
    lakehouse = build_resources(settings)["lakehouse"]
    with lakehouse.connect() as conn:
        day = conn.execute("select max(as_of_date) from marts.merchant_tiers").fetchone()[0]
        merchant = conn.execute(
            "select min(merchant_id) from marts.merchant_tiers where as_of_date = ? and merchant_id not in"
            " (select merchant_id from marts.merchant_warnings where warning_date = ?"
            "  and signal = 'non_delivery_complaints')", [day, day]).fetchone()[0]
        assert conn.execute(FIRED, [merchant, day]).fetchone()[0] == 0
    _land_complaints(settings, merchant, day)

    with dg.instance_for_test() as instance:
        result = definitions(settings).resolve_job_def("merchant_reevaluation").execute_in_process(instance=instance)
    assert result.success
    with lakehouse.connect(read_only=True) as conn:
        assert conn.execute(FIRED, [merchant, day]).fetchone()[0] == 1
        measured = conn.execute("select non_delivery_complaints_90d from intermediate.int_merchant_days_measured"
                                " where merchant_id = ? and date_day = ?", [merchant, day]).fetchone()
    assert measured is not None and measured[0] >= 3
    built = {key.path[-1] for key in (e.asset_key for e in result.get_asset_materialization_events())}
    assert built == {"int_merchant_days_measured", "merchant_tiers", "merchant_warnings"}  # and not the core
