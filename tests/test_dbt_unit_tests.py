"""The dbt unit tests (a model's SQL on fixed input rows) run here, once, on the small lake whose models exist: the
pipeline's `dbt build` leaves them out (orchestration.dbt.DBT_BUILD), so this is where a change to a model's logic
meets them."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from orchestration.config import DBT_PROJECT_DIR
from orchestration.resources import dbt_command

pytestmark = pytest.mark.slow


def test_every_dbt_unit_test_passes(credit_lake):
    env = {**os.environ, "LAKEHOUSE_DATA_DIR": str(credit_lake.data_dir), **credit_lake.dbt_env()}
    result = subprocess.run(dbt_command(credit_lake.data_dir, "test", "--select", "test_type:unit"),
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    results = json.loads((credit_lake.data_dir / "dbt_target" / "run_results.json").read_text())["results"]
    unit = [r for r in results if r["unique_id"].startswith("unit_test.")]
    manifest = json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    assert len(unit) == len(manifest["unit_tests"]) > 30 and all(r["status"] == "pass" for r in unit)
