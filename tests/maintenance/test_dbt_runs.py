"""dbt's artifacts and logs of each Dagster-run invocation live under the data dir and are pruned by age."""

from __future__ import annotations

import os
import time

from orchestration.defs.maintenance.assets import prune_dbt_runs


def test_prune_removes_the_run_folders_older_than_the_retention_and_keeps_the_rest(tmp_path):
    runs = tmp_path / "dbt_runs"
    now = time.time()
    for name, age_days in {"warehouse_dbt_models-aaaa": 20, "warehouse_dbt_models-bbbb": 15,
                           "education_refund_dbt_models-cccc": 3, "warehouse_dbt_models-dddd": 0}.items():
        folder = runs / name
        folder.mkdir(parents=True)
        (folder / "run_results.json").write_text("{}")
        os.utime(folder, (now - age_days * 86_400, now - age_days * 86_400))

    assert prune_dbt_runs(runs, keep_days=14, now=now) == (2, 2)
    assert sorted(p.name for p in runs.iterdir()) == ["education_refund_dbt_models-cccc", "warehouse_dbt_models-dddd"]
    assert prune_dbt_runs(runs, keep_days=0, now=now + 1) == (2, 0)
    assert prune_dbt_runs(tmp_path / "missing", keep_days=14) == (0, 0)
