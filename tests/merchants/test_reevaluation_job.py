"""The immediate re-evaluation (job merchant_reevaluation, which the complaints sensor launches) sees the complaints
that have just landed: it rebuilds the measured merchant days the two marts read, not only the marts."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.definitions import definitions
from orchestration.resources import build_resources
from tests.small_lake import build_lake

pytestmark = [pytest.mark.slow, pytest.mark.integration]

# Three "goods never came" complaints about one merchant at noon of the data date: severe for every grade
# (seed merchant_warning_thresholds: non_delivery_complaints severe from 2 events).
LAND_COMPLAINTS = """
insert into raw.operations__complaints
select c.* replace ('CP-NEW-' || t.n as complaint_id, ? as merchant_id, 'goods_not_received' as category,
                    cast(? as timestamp) + interval 12 hour as received_at)
from (select * from raw.operations__complaints limit 1) as c, range(3) as t(n)
"""
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
        conn.execute(LAND_COMPLAINTS, [merchant, day])

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
