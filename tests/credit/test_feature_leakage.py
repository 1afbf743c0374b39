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
    truncated = build_lake(truncated_dir, select="+credit_features")

    full, then = _features(credit_lake), _features(truncated)
    assert len(full) > 500 and full.index.equals(then.index)
    feature_columns = [c for c in full.columns if c.split("_")[0] in ("bureau", "transaction", "behaviour", "other")]
    assert len(feature_columns) > 30
    different = [c for c in full.columns if not full[c].equals(then[c])]
    assert different == [], {c: int((full[c] != then[c]).sum()) for c in different}
