"""`make run`'s runner: one readable line per job and step, bars for long steps, a failure named with its error and
the log's path, every event in the log file and in the Dagster instance - on a small code location of its own."""

import io
import time
from datetime import date

import dagster as dg

from orchestration.defs.ingestion.assets import landing_run_config
from orchestration.progress import Progress
from orchestration.runner import PlannedRun, day_plan, first_build_plan, jobs_plan, run_plan


@dg.asset
def counted(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    progress = Progress(context.log, 30, "files")
    for _ in range(3):  # three loads a second apart: progress messages are throttled to one a second
        time.sleep(1.0)
        progress.advance(10)
    return dg.MaterializeResult(metadata={"rows_loaded": 7})


@dg.asset_check(asset=counted)
def counted_is_fine() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


@dg.asset(deps=[counted])
def broken() -> None:
    raise ValueError("the landing day 2025-01-02 has no loans file")


def _waiting(name: str) -> dg.AssetsDefinition:
    @dg.asset(name=name, output_required=False)
    def _asset(context: dg.AssetExecutionContext):
        context.log.warning("model_x: not trainable yet - 0 labelled outcomes, 200 needed")
        yield from ()

    return _asset


waiting_a, waiting_b = _waiting("waiting_a"), _waiting("waiting_b")


@dg.asset(ins={"a": dg.AssetIn("waiting_a"), "b": dg.AssetIn("waiting_b")})
def trained(a, b) -> None:
    raise AssertionError("never runs: its inputs were not produced")


@dg.asset_check(asset=counted, blocking=False)
def counted_is_plenty() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN, description="only 30 files")


DEFS = dg.Definitions(
    assets=[counted, broken, waiting_a, waiting_b, trained], asset_checks=[counted_is_fine, counted_is_plenty],
    jobs=[dg.define_asset_job("good", dg.AssetSelection.assets(counted) - dg.AssetSelection.checks(counted_is_plenty)),
          dg.define_asset_job("bad", dg.AssetSelection.assets(counted, broken)
                              - dg.AssetSelection.checks(counted_is_plenty)),
          dg.define_asset_job("young", [counted, waiting_a, waiting_b, trained])],
)


def test_a_plan_prints_a_line_per_step_and_stops_at_a_failure_naming_its_error_and_log(settings):
    console = io.StringIO()
    plan = [PlannedRun("good", about="the first job"), PlannedRun("bad"), PlannedRun("good")]
    with dg.instance_for_test() as instance:
        outcomes = run_plan(plan, settings, out=console, instance=instance, defs=DEFS)
        assert [(o.job, o.success) for o in outcomes] == [("good", True), ("bad", False)]  # the third never ran
        assert len(instance.get_run_records()) == 2  # both runs are in the instance, for the UI
    text = console.getvalue()
    log_file = settings.data_dir / "logs"
    [log_file] = log_file.iterdir()
    assert text.splitlines()[0] == f"Full Dagster log: {log_file}"
    assert "[1/3] good: the first job" in text and "ok counted: 1 assets, 7 rows" in text
    assert "] 10/30 files" in text and "] 20/30 files" in text  # its bar, a line per quarter off a terminal
    assert "ok 1 step: 1 checks" in text  # a suite's step: shown with the small steps around it
    assert "[2/3] bad FAILED" in text
    assert "error: broken: ValueError: the landing day 2025-01-02 has no loans file" in text
    assert f"full log: {log_file}" in text and "[3/3]" not in text
    assert "1/3 jobs succeeded" in text.splitlines()[-1]
    # the console has lines, not events; the file has every event
    assert "STEP_START" not in text and "DEBUG" not in text
    log = log_file.read_text()
    assert log.count("STEP_START") == 5 and "progress: 30/30 files" in log  # counted+check, then counted+check+broken


def test_warnings_are_said_once_and_a_step_without_inputs_is_skipped_with_the_job_still_succeeding(settings):
    console = io.StringIO()
    with dg.instance_for_test() as instance:
        [outcome] = run_plan([PlannedRun("young")], settings, out=console, instance=instance, defs=DEFS)
    text = console.getvalue()
    assert outcome.success, text
    assert text.count("! model_x: not trainable yet - 0 labelled outcomes, 200 needed") == 1  # said by both
    assert "! only 30 files" in text and "(1 warned)" in text and "FAILED" not in text
    assert "skipped trained (a step it needs failed or had nothing to produce)" in text


def test_the_first_build_trains_each_model_before_it_scores_and_contains_the_day():
    first, last = date(2024, 11, 1), date(2025, 12, 31)
    jobs = [run.job for run in first_build_plan(first, last)]
    assert jobs == ["daily_batch", "education_refunds", "credit_training", "credit_scoring", "fraud_training",
                    "fraud_scoring", "marketing_lists", "lakehouse_maintenance_job"]
    # the separate jobs (manual runs, backfills) are the first build's without training and maintenance
    separate = [run.job for run in jobs_plan(last, last)]
    assert separate == [j for j in jobs if j in separate] and "credit_training" not in separate
    # a day is one run of the daily path: landing day T as config, refund day T+1 as its partition
    [day] = day_plan(last, last)
    assert day.job == "daily_path" and day.run_config == landing_run_config(last, last)
    assert set(day.tags.values()) >= {"2026-01-01"}
    [batch] = [run for run in first_build_plan(first, last) if run.job == "daily_batch"]
    assert batch.run_config == {"ops": {"raw_landing_files": {"config": {"first_day": "2024-11-01",
                                                                         "last_day": "2025-12-31"}}}}


def test_every_planned_job_exists_in_the_code_location():
    from orchestration.definitions import defs

    for run in [*first_build_plan(date(2024, 11, 1), date(2025, 12, 31)), *day_plan(date(2025, 12, 31),
                                                                                    date(2025, 12, 31))]:
        assert defs.resolve_job_def(run.job)


def test_what_subprocesses_print_goes_to_the_log_file_and_the_lines_to_the_terminal(tmp_path, capfd):
    import subprocess
    import sys

    from orchestration.progress import output_to

    log_file = tmp_path / "logs" / "run.log"
    with output_to(log_file) as terminal:
        subprocess.run([sys.executable, "-c", "print('1 of 765 START sql view model staging.x'); "
                        "import sys; print('a warning', file=sys.stderr)"], check=True)
        print("dagster says", flush=True)
        print("[1/1] daily_batch", file=terminal, flush=True)
    print("after", flush=True)
    out, err = capfd.readouterr()
    assert out == "[1/1] daily_batch\nafter\n" and err == ""
    assert log_file.read_text().splitlines() == ["1 of 765 START sql view model staging.x", "a warning",
                                                 "dagster says"]
