"""`make run` on a young book: the tiny simulated lake (four months, 800 customers - no loan has six months on book,
no fraud label is mature) through every job of the first build, with a reader attached throughout, measured by the
benchmark harness at its smallest scale (the history through Dagster, one more day, the floors). Everything the
warehouse can build is built and published; the models say they cannot be trained yet, and when they can.

The harness's third way through the history - the same jobs as plain Python, for the orchestration-overhead figure - is
left out here (`--no-plain`): its code builds the lakes of tests/incremental twice over, and its figure is `make
bench`'s. Whether both paths do the same work is in every bench result (`different_work`)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import dagster as dg
import pytest

import bench.__main__ as bench_main
from bench.equality import differences, fingerprint, fingerprints
from bench.pipeline import environment, environment_of
from ml.fraud import RULES_ONLY
from orchestration import cli
from orchestration.config import load_settings
from orchestration.defs.ingestion.contracts import load_contracts
from orchestration.defs.serving.assets import PUBLISHED_MARTS
from orchestration.resources import build_resources
from orchestration.serving import connect_serving
from tests.conftest import TINY_ARGS

pytestmark = [pytest.mark.integration, pytest.mark.slow]

READER = textwrap.dedent(
    """
    import json, sys, time
    from orchestration.lakehouse import connect_lake
    catalog, data_path, stop_file, report_file = sys.argv[1:5]
    reads, errors, inconsistent = 0, [], 0
    import os
    catalog_file = catalog.removeprefix("ducklake:sqlite:")
    # Enough reads to overlap the ingestion and the first dbt commits, then it stops: each read attaches the lake
    # (~0.6 s of CPU), and a reader for the whole harness took a third of a core from the build it overlaps.
    while not os.path.exists(stop_file) and reads < 20:
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
        time.sleep(2.0)  # a reader's pace: each read attaches the lake, and a tight loop steals the build's CPU
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


# The young book as the benchmark's arguments (the simulator's, with the customers as the bench's scale).
YOUNG_BOOK = [("--scale" if arg == "--customers" else arg) for arg in TINY_ARGS]


def test_make_run_on_a_young_book_measured_through_dagster_with_a_concurrent_reader(tmp_path):
    """The benchmark harness in this process, as `make bench` runs it (minus the README and the plain path): the
    history through Dagster job by job as `make run` runs it, one more day as the schedule and sensors would, the
    floors - then what a user of `make run` is promised, checked on the Dagster lake it leaves."""
    data_root, results = tmp_path / "data", tmp_path / "results"
    dagster_env = environment(data_root / YOUNG_BOOK[1] / "dagster")
    settings = load_settings(dagster_env)
    stop_file, report_file = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, settings.catalog_url, settings.lake_data_path, str(stop_file), str(report_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        bench_main.main([*YOUNG_BOOK, "--results", str(results), "--data-root", str(data_root), "--no-readme",
                         "--keep-data", "--no-plain"])
    finally:
        stop_file.touch()
        output = reader.communicate(timeout=300)[0]  # a hang bound, not a speed test
    [json_file] = results.glob("*.json")
    _the_harness_measured_every_stage_both_ways(json.loads(json_file.read_text()), json_file)
    assert report_file.exists(), output
    report = json.loads(report_file.read_text())
    assert report["errors"] == [] and report["inconsistent"] == 0
    assert report["reads"] > 5

    with environment_of(dagster_env):
        log = (data_root / YOUNG_BOOK[1] / "bench.log").read_text()
        _the_models_wait_and_say_until_when(settings, log)
        with dg.DagsterInstance.from_config(dagster_env["DAGSTER_HOME"]) as instance:
            [*_, batch] = instance.get_run_records(dg.RunsFilter(job_name="daily_batch"), ascending=True)
            first_training = _first_training_after(instance, batch.dagster_run.run_id)
        # after the batch, the first-training sensors look and wait: no model is trainable on four months
        assert all(isinstance(result, dg.SkipReason) and "not trainable yet" in result.skip_message
                   for result in first_training.values()), first_training
        _every_landed_record_is_in_raw_and_staging(settings)
        # every dbt invocation kept its artifacts and log in a folder of its own under the data dir, and the night's
        # maintenance (the plan's last job, which compacts the lake) kept them all: younger than the retention
        for op in ("warehouse_dbt_models", "education_refund_dbt_models"):
            runs = list(settings.dbt_runs_dir.glob(f"{op}-*"))
            assert runs and all((r / "run_results.json").exists() and (r / "dbt.log").exists() for r in runs), op
        _every_mart_is_published(settings)
        _every_mart_has_rows_but_what_waits_for_a_champion(settings)


def _the_harness_measured_every_stage_both_ways(doc: dict, json_file) -> None:
    failed = [(s["path"], s["name"], s["error"]) for s in doc["stages"] if not s["ok"]]
    assert failed == [] and doc["ok"]
    stages = {(s["path"], s["name"]) for s in doc["stages"]}
    jobs = ["daily_batch", "education_refunds", "credit_training", "credit_scoring", "fraud_training",
            "fraud_scoring", "marketing_lists", "lakehouse_maintenance"]
    assert {("dagster", j) for j in jobs} <= stages and not {s for s in stages if s[0] == "plain"}
    # one more day is one run: the daily path (ingestion, warehouse, refunds, scoring, lists, one publish)
    assert {s for s in stages if s[0] == "t+1"} == {("t+1", "daily_path")}
    by = {(s["path"], s["name"]): s for s in doc["stages"]}
    assert by[("dagster", "daily_batch")]["rows_in"] > 10_000
    assert by[("dagster", "daily_batch")]["rows_out"] > by[("dagster", "daily_batch")]["rows_in"] / 2
    assert doc["different_work"] == [] and by[("dagster", "marketing_lists")]["rows_out"] > 0
    assert all(s["wall_s"] > 0 and s["peak_rss_mb"] > 0 for s in doc["stages"])
    # the disk each stage took: the data dir after it, and how far the filesystem's use rose during it
    measured = [s for s in doc["stages"] if s["path"] != "scoring"]
    assert all(s["data_gb"] is not None and s["disk_peak_growth_gb"] is not None for s in measured)
    assert all(s["data_gb"] > 0 for s in measured if s["path"] == "dagster")  # the landing files alone are < 10 MB
    # where the time went is read: dbt's per-node seconds for every stage that ran dbt, Dagster's per step
    for stage in (("dagster", "daily_batch"), ("t+1", "daily_path")):
        dbt = by[stage]["extra"]["dbt"]
        assert dbt["nodes"] > 100 and dbt["build_s"] > 0 and dbt["test_s"] > 0 and dbt["slowest"], stage
    # the daily path's steps: one per dbt stage (warehouse, refunds, marketing) and a single publish
    steps = by[("t+1", "daily_path")]["extra"]["dagster_steps"]
    assert {"warehouse_dbt_models", "education_refund_dbt_models", "marketing_dbt_models", "serving__published_marts",
            "marts__application_scores", "marts__fraud_scores"} <= set(steps), steps
    assert by[("dagster", "marketing_lists")]["extra"]["dbt"]["nodes"] > 0
    assert "warehouse_dbt_models" in by[("dagster", "daily_batch")]["extra"]["dagster_steps"]
    markdown = json_file.with_suffix(".md").read_text()
    assert markdown.startswith("# Benchmark: 800 customers") and "Where the time went" in markdown
    figures = doc["figures"]
    for name in ("dbt_overhead", "incremental_day_share", "simulator_rows_per_s"):
        assert figures[name] and figures[name] > 0, name
    assert figures["orchestration_overhead"] is None  # no plain path, no figure
    # a young book has no champion to score with: the scoring floor says so (tests/fraud measures it on a model)
    assert doc["scoring"] == {} and figures["mlflow_scoring_share"] is None
    assert "no champion yet" in markdown
    # the lake after the daily path holds what a full rebuild of the same landing files gives, mart for mart
    assert doc["incremental_equals_full"]["differ"] == [] and doc["incremental_equals_full"]["tables"] > 30
    assert doc["dbt_models"] > 50
    # no model joins on an equality by a nested loop (an OR in a join condition does that: see is_in_force)
    assert doc["nested_loop_equi_joins"] == []


def _every_landed_record_is_in_raw_and_staging(settings) -> None:
    with build_resources(settings)["lakehouse"].connect(read_only=True) as conn:
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
        assert len(said) >= 2, said  # the batch's warning check, then the training itself
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
    """Every mart is in the serving lake, row for row as in the lake - after publications that copied only what had
    changed since the one before (the daily path's among them)."""
    with connect_serving(settings) as conn:
        published = {r[0] for r in conn.execute(
            "select table_name from information_schema.tables where table_catalog = 'serving'"
            " and table_schema = 'marts'").fetchall()}
        copied = [r[0] for r in conn.execute("select tables_copied from meta.publications order by published_at")
                  .fetchall()]
        serving = fingerprint(conn, "serving")
    assert {key.path[-1] for key in PUBLISHED_MARTS} <= published
    assert len(copied[-1].split(", ")) < len(published), copied[-1]  # the day's publication copied a part
    assert differences(fingerprints(settings), serving) == []


def _every_mart_has_rows_but_what_waits_for_a_champion(settings) -> None:
    """A young book has no credit champion: no scores, no monitoring, and so no pre-approved limit to offer on a list.
    Everything else has rows, the T+1 refund instructions among them. (Re-running a day - its ingestion, its refund
    partition, the whole daily path - changes no mart: tests/quality/test_incremental_equals_full.py.)"""
    with build_resources(settings)["lakehouse"].connect(read_only=True) as conn:
        tables = [r[0] for r in conn.execute("select table_name from information_schema.tables"
                                             " where table_catalog = 'lake' and table_schema = 'marts'").fetchall()]
        counts = {t: conn.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in tables}
    waiting = {"application_scores", "model_monitoring", "cross_sell_list", "marketing_call_list", "marketing_sms_list"}
    assert counts["education_refund_instructions"] > 0 and {t for t, n in counts.items() if not n} <= waiting, counts
