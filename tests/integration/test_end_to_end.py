"""Landing → raw → staging through Dagster on a tiny simulated lake, with a reader attached throughout."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import timedelta

import dagster as dg
import pytest

from orchestration.defs.education.assets import education_refund_dbt_models, refund_run_tags
from orchestration.defs.ingestion.assets import landing_run_config, raw_landing_files
from orchestration.defs.ingestion.contracts import load_contracts
from orchestration.defs.ingestion.landing import landing_window
from orchestration.defs.maintenance.assets import lakehouse_maintenance
from orchestration.defs.warehouse.assets import warehouse_dbt_models
from orchestration.resources import build_resources

pytestmark = [pytest.mark.integration, pytest.mark.slow]

READER = textwrap.dedent(
    """
    import json, sys, time
    from orchestration.lakehouse import connect_lake
    catalog, data_path, stop_file, report_file = sys.argv[1:5]
    reads, errors, inconsistent = 0, [], 0
    import os
    catalog_file = catalog.removeprefix("ducklake:sqlite:")
    while not os.path.exists(stop_file) and reads < 100000:
        if not os.path.exists(catalog_file):  # the build has not created the lake yet
            time.sleep(0.25)
            continue
        try:
            with connect_lake(catalog, data_path, read_only=True) as conn:
                tables = {r[0] for r in conn.execute(
                    "select table_name from information_schema.tables where table_schema = 'raw'").fetchall()}
                if {"core_lending__repayments", "_ingested_files"} <= tables:
                    loaded, manifest = conn.execute(
                        "select (select count(*) from raw.core_lending__repayments),"
                        " (select coalesce(sum(rows_loaded), 0) from raw._ingested_files"
                        "  where source_system = 'core_lending' and entity = 'repayments')").fetchone()
                    inconsistent += loaded != manifest
                reads += 1
        except Exception as exc:  # the test asserts there are none
            errors.append(repr(exc))
        time.sleep(0.25)
    with open(report_file, "w") as handle:
        json.dump({"reads": reads, "errors": errors[:5], "inconsistent": inconsistent}, handle)
    """
)


def _landing_rows(settings, contract) -> int:
    total = 0
    for path in settings.landing_dir.glob(f"{contract.source_system}/*/{contract.file_name}"):
        lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        total += len(lines) - (1 if contract.format == "csv" else 0)
    return total


def test_landing_to_staging_through_dagster_with_a_concurrent_reader(tiny_settings, tmp_path):
    settings = tiny_settings
    stop_file, report_file = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, settings.catalog_url, settings.lake_data_path, str(stop_file), str(report_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with dg.instance_for_test() as instance:
            result = dg.materialize(
                [raw_landing_files, warehouse_dbt_models],
                instance=instance,
                resources=build_resources(settings),
                run_config=landing_run_config(),  # every landing day present
            )
            assert result.success
            refunds = dg.materialize(
                [education_refund_dbt_models],
                instance=instance,
                resources=build_resources(settings),
                tags=refund_run_tags(*landing_window(settings.landing_dir)),
            )
            assert refunds.success
    finally:
        stop_file.touch()
        output = reader.communicate(timeout=60)[0]
    assert report_file.exists(), output
    report = json.loads(report_file.read_text())
    assert report["errors"] == [] and report["inconsistent"] == 0
    assert report["reads"] > 5

    lakehouse = build_resources(settings)["lakehouse"]
    with lakehouse.connect(read_only=True) as conn:
        assert conn.execute("select count(*) from raw._quarantine").fetchone()[0] == 0
        for contract in load_contracts():
            landed = _landing_rows(settings, contract)
            raw = conn.execute(f"select count(*) from raw.{contract.table}").fetchone()[0]
            keys = ", ".join(contract.primary_key)
            distinct_sql = f"select count(*) from (select distinct {keys} from raw.{contract.table})"
            distinct = conn.execute(distinct_sql).fetchone()[0]
            staging = conn.execute(
                f"select count(*) from staging.stg_{contract.source_system}__{contract.entity}"
            ).fetchone()[0]
            assert landed > 0, contract.table
            assert raw == landed, contract.table
            assert staging == distinct, contract.table

    _rematerializing_a_day_changes_no_mart(settings)

    # every dbt invocation kept its artifacts and log in a folder of its own under the data dir
    for op in ("warehouse_dbt_models", "education_refund_dbt_models"):
        runs = list(settings.dbt_runs_dir.glob(f"{op}-*"))
        assert runs and all((r / "run_results.json").exists() and (r / "dbt.log").exists() for r in runs), op

    with dg.instance_for_test() as instance:
        result = dg.materialize([lakehouse_maintenance], instance=instance, resources=build_resources(settings))
        assert result.success
        metadata = result.asset_materializations_for_node("maintenance__lakehouse_maintenance")[0].metadata
        assert metadata["data_files_after"].value <= metadata["data_files_before"].value
        assert metadata["dbt_run_folders_removed"].value == 0  # all younger than the retention
        assert metadata["dbt_run_folders_kept"].value == len(list(settings.dbt_runs_dir.iterdir())) >= 2
    with lakehouse.connect(read_only=True) as conn:  # still the same data after compaction
        assert conn.execute("select count(*) from raw.core_lending__loans").fetchone()[0] == _landing_rows(
            settings, next(c for c in load_contracts() if c.table == "core_lending__loans")
        )


def _mart_row_counts(conn) -> dict[str, int]:
    tables = [r[0] for r in conn.execute(
        "select table_name from information_schema.tables"
        " where table_catalog = 'lake' and table_schema = 'marts' order by 1").fetchall()]
    return {t: conn.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in tables}


def _rematerializing_a_day_changes_no_mart(settings) -> None:
    """Re-running one day's batch and its T+1 refund partition leaves every mart's row count unchanged."""
    lakehouse = build_resources(settings)["lakehouse"]
    with lakehouse.connect(read_only=True) as conn:
        before = _mart_row_counts(conn)
        withdrawal_day = conn.execute("select min(agreed_on) from staging.stg_merchant_cosharing__course_withdrawals"
                                      ).fetchone()[0]
    assert before["education_refund_instructions"] > 0 and all(before.values()), before
    day = withdrawal_day.isoformat()
    refund_day = (withdrawal_day + timedelta(days=1)).isoformat()
    with dg.instance_for_test() as instance:
        result = dg.materialize([raw_landing_files, warehouse_dbt_models], instance=instance,
                                resources=build_resources(settings),
                                run_config=landing_run_config(withdrawal_day, withdrawal_day))
        assert result.success, day
        for _ in range(2):
            result = dg.materialize([education_refund_dbt_models], instance=instance,
                                    resources=build_resources(settings), partition_key=refund_day)
            assert result.success, refund_day
    with lakehouse.connect(read_only=True) as conn:
        assert _mart_row_counts(conn) == before
