"""`make run` on a young book: the tiny simulated lake (four months, 800 customers - no loan has six months on book,
no fraud label is mature) through every job of the first build, with a reader attached throughout. Everything the
warehouse can build is built and published; the models say they cannot be trained yet, and when they can."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from datetime import date, timedelta

import dagster as dg
import pytest

from ml.fraud import RULES_ONLY
from orchestration import cli
from orchestration.defs.education.assets import education_refund_dbt_models
from orchestration.defs.ingestion.assets import landing_run_config, raw_landing_files
from orchestration.defs.ingestion.contracts import load_contracts
from orchestration.defs.ingestion.landing import landing_window
from orchestration.defs.serving.assets import PUBLISHED_MARTS
from orchestration.defs.warehouse.assets import warehouse_dbt_models
from orchestration.resources import build_resources
from orchestration.runner import first_build_plan, run_plan
from orchestration.serving import connect_serving

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
        time.sleep(1.0)  # a reader's pace: each read attaches the lake, and a tight loop steals the build's CPU
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


def test_a_young_book_builds_publishes_and_says_which_models_wait_with_a_concurrent_reader(tiny_settings, tmp_path):
    settings = tiny_settings
    stop_file, report_file = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, settings.catalog_url, settings.lake_data_path, str(stop_file), str(report_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    console = io.StringIO()
    try:
        with dg.instance_for_test() as instance:
            outcomes = run_plan(first_build_plan(*landing_window(settings.landing_dir)), settings, out=console,
                                instance=instance)
            first_training = _first_training_after(instance, outcomes[0].run_id)
    finally:
        stop_file.touch()
        output = reader.communicate(timeout=60)[0]
    text = console.getvalue()
    assert [o.job for o in outcomes if not o.success] == [], text[-3000:]
    assert len(outcomes) == len(first_build_plan(date(2025, 1, 1), date(2025, 1, 2))), text[-3000:]
    _the_models_wait_and_say_until_when(settings, text)
    # after the batch, the first-training sensors look and wait: no model is trainable on four months
    assert all(isinstance(result, dg.SkipReason) and "not trainable yet" in result.skip_message
               for result in first_training.values()), first_training
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

    # every dbt invocation kept its artifacts and log in a folder of its own under the data dir, and the night's
    # maintenance (the plan's last job, which compacts the lake) kept them all: they are younger than the retention
    for op in ("warehouse_dbt_models", "education_refund_dbt_models"):
        runs = list(settings.dbt_runs_dir.glob(f"{op}-*"))
        assert runs and all((r / "run_results.json").exists() and (r / "dbt.log").exists() for r in runs), op

    _every_mart_is_published(settings)
    _rematerializing_a_day_changes_no_mart(settings)


def _first_training_after(instance, batch_run_id: str) -> dict:
    from orchestration.defs.credit.sensors import credit_first_training_sensor
    from orchestration.defs.fraud.jobs import fraud_first_training_sensor

    [success] = instance.get_records_for_run(batch_run_id, of_type=dg.DagsterEventType.RUN_SUCCESS).records
    results = {}
    for sensor in (credit_first_training_sensor, fraud_first_training_sensor):
        context = dg.build_run_status_sensor_context(
            sensor_name=sensor.name, dagster_instance=instance, dagster_run=instance.get_run_by_id(batch_run_id),
            dagster_event=success.event_log_entry.dagster_event)
        results[sensor.name] = sensor(context)
    return results


def _the_models_wait_and_say_until_when(settings, text: str) -> None:
    """Neither model can be trained on four months: the run says so with dates, the credit scores stay empty and
    the fraud rules decide alone."""
    for model, first in (("credit_scorecard", "2025-05-01"), ("fraud_detector", "2025-03-31")):
        said = [line for line in text.splitlines() if f"{model}: not trainable yet" in line]
        assert len(said) == 2, said  # the batch's warning check, then the training itself
        assert all(f"the first outcomes mature on {first}" in line and "enough of them by 2025-" in line
                   for line in said), said
    assert "skipped credit__scorecard_combined" in text
    with build_resources(settings)["lakehouse"].connect(read_only=True) as conn:
        assert conn.execute("select count(*) from marts.application_scores").fetchone()[0] == 0
        decided = dict(conn.execute("select model_name, count(*) from marts.fraud_scores group by 1").fetchall())
        applications = conn.execute("select count(*) from marts.fraud_features").fetchone()[0]
        assert decided == {RULES_ONLY[0]: applications}
        assert conn.execute("select count(*) from marts.fraud_scores where decision <> 'pass'").fetchone()[0] > 0
    summary = cli.summary()
    assert "credit_scorecard: not trainable yet" in summary and "fraud_detector: not trainable yet" in summary


def _every_mart_is_published(settings) -> None:
    with connect_serving(settings) as conn:
        published = {r[0] for r in conn.execute(
            "select table_name from information_schema.tables where table_catalog = 'serving'"
            " and table_schema = 'marts'").fetchall()}
    assert {key.path[-1] for key in PUBLISHED_MARTS} <= published


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
    # a young book has no credit champion (no scores, no monitoring) and so no pre-approved limit to offer on a list
    waiting = {"application_scores", "model_monitoring", "cross_sell_list", "marketing_call_list", "marketing_sms_list"}
    assert before["education_refund_instructions"] > 0 and {t for t, n in before.items() if not n} <= waiting, before
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
