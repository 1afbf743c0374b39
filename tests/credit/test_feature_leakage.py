"""No credit feature reads data dated after its application.

The proof: build the feature mart a second time from only the landing files up to a cut-off day - as the platform
would have seen the world then - and compare. Every application decided by the cut-off must get exactly the same
features from the truncated lake as from the full one; any feature that looked past its application would differ.
"""

from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
import pytest

from orchestration.config import load_settings
from orchestration.lakehouse import connect_lake
from tests.credit.conftest import build_lake

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CUTOFF = date(2025, 6, 30)


def _features(settings) -> pd.DataFrame:
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        frame = conn.execute(
            "select * exclude (loan_id, target_horizon_on, is_target_observable, is_bad_30dpd_6mob)"
            " from marts.credit_features where cast(features_as_of as date) <= ? order by application_id",
            [CUTOFF],
        ).df()
    return frame.set_index("application_id")


def test_features_are_the_same_when_built_from_only_what_was_known_then(credit_lake, tmp_path):
    truncated_dir = tmp_path / "as_of_cutoff"
    for system_dir in sorted(credit_lake.landing_dir.iterdir()):
        for day_dir in sorted(system_dir.iterdir()):
            if date.fromisoformat(day_dir.name) <= CUTOFF:
                shutil.copytree(day_dir, truncated_dir / "landing" / system_dir.name / day_dir.name)
    truncated = build_lake(truncated_dir, select="+credit_features", data_tests=False)

    full, then = _features(credit_lake), _features(truncated)
    assert len(full) > 500 and full.index.equals(then.index)
    feature_columns = [c for c in full.columns if c.split("_")[0] in ("bureau", "transaction", "behaviour", "other")]
    assert len(feature_columns) > 30
    different = [c for c in full.columns if not full[c].equals(then[c])]
    assert different == [], {c: int((full[c] != then[c]).sum()) for c in different}


# Records dated one second after each customer's last decision, in every source a feature reads. Every one of them
# comes after all of that customer's applications, so not a single feature may change.
FUTURE_RECORDS = {
    "credit_bureau__reports": ("report_id", "template.* replace ('FUTURE-' || apps.customer_id as report_id, "
                               "apps.customer_id as customer_id, apps.after as queried_at, 99 as overdue_accounts)"),
    "third_party__multi_lending": ("record_id", "template.* replace ('FUTURE-' || apps.customer_id as record_id, "
                                   "apps.customer_id as customer_id, cast(apps.after as date) as event_on, "
                                   "apps.after as reported_at)"),
    "third_party__repayment_behaviour": ("record_id", "template.* replace ('FUTURE-' || apps.customer_id as record_id, "
                                         "apps.customer_id as customer_id, apps.after as reported_at, "
                                         "99 as overdue_count_12m)"),
    "third_party__collection_contacts": ("record_id", "template.* replace ('FUTURE-' || apps.customer_id as record_id, "
                                         "apps.customer_id as customer_id, apps.after as contacted_at)"),
    "fraud_data__contact_lists": ("contact_mobile", "template.* replace (apps.customer_id as customer_id, "
                                  "'FUTURE-' || apps.customer_id as contact_mobile, apps.after as uploaded_at)"),
}


def _copy_lake(source, target):
    """A copy of a built lake (catalog, data files, PII key) that points at its own data files."""
    import sqlite3

    for part in ("lakehouse", "secrets", "landing"):
        shutil.copytree(source.data_dir / part, target / part)
    settings = load_settings({"LAKEHOUSE_DATA_DIR": str(target)})
    with sqlite3.connect(target / "lakehouse" / "catalog.sqlite") as catalog:
        catalog.execute("update ducklake_metadata set value = ? where key = 'data_path'", (settings.lake_data_path,))
    return settings


def test_records_dated_after_every_application_change_no_feature(credit_lake, tmp_path):
    future = _copy_lake(credit_lake, tmp_path / "with_future_records")
    with connect_lake(future.catalog_url, future.lake_data_path) as conn:
        for table, (key, projection) in FUTURE_RECORDS.items():
            conn.execute(f"""
                insert into raw.{table}
                select {projection}
                from (select * from raw.{table} order by {key} limit 1) as template
                cross join (select customer_id, max(decided_at) + interval 1 second as after
                            from raw.core_lending__applications group by customer_id) as apps""")
    build_lake(tmp_path / "with_future_records", select="+credit_features", load=False, data_tests=False)
    with connect_lake(future.catalog_url, future.lake_data_path, read_only=True) as conn:
        injected = conn.execute("select count(*) from staging.stg_third_party__multi_lending"
                                " where record_id like 'FUTURE-%'").fetchone()[0]
    assert injected > 1000

    def every_feature(settings):
        with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
            return conn.execute("select * exclude (loan_id, target_horizon_on, is_target_observable,"
                                " is_bad_30dpd_6mob) from marts.credit_features order by application_id").df()

    full, with_future = every_feature(credit_lake), every_feature(future)
    assert len(full) == len(with_future) > 1000
    different = [c for c in full.columns if not full[c].equals(with_future[c])]
    assert different == [], {c: int((full[c] != with_future[c]).sum()) for c in different}
