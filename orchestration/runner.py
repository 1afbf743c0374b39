"""`python -m orchestration.runner`: the first build (`make run`) through Dagster, job by job, in one process.

Each job runs against the local Dagster instance (`DAGSTER_HOME`), so every run, event, materialization and check
is in the UI afterwards exactly as if the daemon had launched it; the definitions load once instead of once per job.
The console shows one line per job and step with a bar for the long steps (`orchestration.progress`); the whole log
of every run goes to `<data dir>/logs/run-<time>.log`, whose path is printed first and again on a failure.

`first_build_plan` and `day_plan` are the one statement of which jobs make a build and with what days: `make run`
and the benchmark both execute them.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from orchestration.config import Settings, load_settings
from orchestration.defs.batch import daily_path_request
from orchestration.defs.education.assets import refund_run_tags
from orchestration.defs.ingestion.assets import landing_run_config
from orchestration.defs.ingestion.landing import landing_window
from orchestration.progress import ConsoleProgress, file_handler, output_to, progress_logger, seconds

LOGGER = "progress"


@dataclass(frozen=True)
class PlannedRun:
    """One Dagster job to run, with its run config and tags, and what it is to the business."""

    job: str
    kind: str = "daily"  # daily: part of every day's processing; training / maintenance: on demand, at night
    run_config: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    about: str = ""


def jobs_plan(first: date, last: date) -> list[PlannedRun]:
    """The daily jobs over landing days first..last as separate runs - the batch, its refunds, scoring, lists: what
    the run-status sensors chain after a manual `daily_batch`, and the first build's backfill of the history."""
    refunds = refund_run_tags(first, last)  # None when no refund day follows (the last partition is today's)
    refund_runs = [PlannedRun("education_refunds", tags=refunds,
                              about=f"T+1 refunds, days {' .. '.join(refunds.values())}")] if refunds else []
    return [
        PlannedRun("daily_batch", run_config=landing_run_config(first, last), about=f"landing days {first} .. {last}"),
        *refund_runs,
        PlannedRun("credit_scoring", about="score applications with the credit champion"),
        PlannedRun("fraud_scoring", about="score applications with the fraud champion, find rings"),
        PlannedRun("marketing_lists", about="customer tags, marketing lists and their exports"),
    ]


def day_plan(first: date, last: date) -> list[PlannedRun]:
    """What the schedule runs for landing days first..last: the daily path, one run (orchestration/defs/batch.py);
    the separate jobs when no refund partition follows the days."""
    request = daily_path_request(first, last)
    if request is None:
        return jobs_plan(first, last)
    return [PlannedRun("daily_path", run_config=request.run_config, tags=dict(request.tags),
                       about=f"landing days {first} .. {last}: warehouse, refunds, scoring, lists, one publish")]


def first_build_plan(first: date, last: date) -> list[PlannedRun]:
    """`make run`: the history first..last as one backfill run per job, the models trained before they score,
    maintenance at the end."""
    training = {
        "credit_scoring": PlannedRun("credit_training", "training",
                                     about="fit the credit scorecard, promote it if it passes the gate"),
        "fraud_scoring": PlannedRun("fraud_training", "training",
                                    about="fit the fraud detector, promote it if it passes the gate"),
    }
    plan = []
    for run in jobs_plan(first, last):
        plan += [training[run.job], run] if run.job in training else [run]
    maintenance = PlannedRun("lakehouse_maintenance_job", "maintenance", about="compact the lake, expire old snapshots")
    return [*plan, maintenance]


def expected_by_step(job) -> dict[str, int]:
    """Assets and checks each top-level step of the job will report: the length of its progress bar."""
    from dagster._core.definitions.dependency import NodeHandle

    return {name: len(job.asset_layer.get_selected_entity_keys_for_node(NodeHandle(name, None)))
            for name in job.graph.node_dict}


@dataclass
class RunOutcome:
    job: str
    success: bool
    wall_s: float
    run_id: str
    errors: list[str]


def execute(planned: PlannedRun, instance, log_handler: logging.Handler, out: IO[str], defs=None) -> RunOutcome:
    """Run one planned job of `defs` (the code location's) in this process against `instance`, its progress drawn
    on `out` and its whole log written to `log_handler`."""
    from orchestration.resources import build_resources

    if defs is None:
        from orchestration.definitions import defs
    job = defs.resolve_job_def(planned.job)
    console = ConsoleProgress(planned.job, expected_by_step(job), out=out)
    job = job.with_logger_defs({LOGGER: progress_logger(console, log_handler)})
    started = time.monotonic()
    # Resources from the settings in force now, not those of whichever environment first imported the definitions.
    result = job.execute_in_process(run_config={**planned.run_config, "loggers": {LOGGER: {}}}, instance=instance,
                                    tags=planned.tags, resources=build_resources(), raise_on_error=False)
    console.flush()
    return RunOutcome(planned.job, result.success, time.monotonic() - started, result.run_id, console.errors)


def run_plan(plan: list[PlannedRun], settings: Settings, out: IO[str] | None = None, instance=None,
             defs=None) -> list[RunOutcome]:
    """Every planned job in order, stopping at the first that fails (what follows depends on it).

    With no `out`, this process's own output (dbt's console, warnings) goes to the log file and the readable lines
    to the terminal; with one, the lines go there and the process's output is left alone (tests). Runs go to
    `instance`, by default the one DAGSTER_HOME names."""
    from dagster import DagsterInstance

    log_file = settings.data_dir / "logs" / f"run-{datetime.now():%Y%m%dT%H%M%S}.log"
    handler = file_handler(log_file)
    outcomes: list[RunOutcome] = []
    with ExitStack() as stack:
        stack.callback(handler.close)
        terminal = stack.enter_context(output_to(log_file)) if out is None else out
        instance = instance or stack.enter_context(DagsterInstance.get())
        print(f"Full Dagster log: {log_file}", file=terminal, flush=True)
        for number, planned in enumerate(plan, start=1):
            about = f": {planned.about}" if planned.about else ""
            print(f"[{number}/{len(plan)}] {planned.job}{about}", file=terminal, flush=True)
            outcome = execute(planned, instance, handler, terminal, defs)
            outcomes.append(outcome)
            status = "done" if outcome.success else "FAILED"
            print(f"[{number}/{len(plan)}] {planned.job} {status} in {seconds(outcome.wall_s)} "
                  f"(run {outcome.run_id[:8]})", file=terminal, flush=True)
            if not outcome.success:
                for error in outcome.errors or ["see the log"]:
                    print(f"  error: {error}", file=terminal)
                print(f"  full log: {log_file}; the run in the Dagster UI (make ui): /runs/{outcome.run_id}",
                      file=terminal, flush=True)
                break
        total = sum(o.wall_s for o in outcomes)
        print(f"{sum(o.success for o in outcomes)}/{len(plan)} jobs succeeded in {seconds(total)}; "
              f"full log {log_file}", file=terminal, flush=True)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.runner", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plan", nargs="?", default="first-build", choices=["first-build", "day"])
    parser.add_argument("--first", help="first landing day (default: the first present)")
    parser.add_argument("--last", help="last landing day (default: the last present)")
    args = parser.parse_args(argv)
    settings = load_settings()
    window = landing_window(settings.landing_dir, args.first, args.last)
    if window is None:
        print(f"no landing files under {settings.landing_dir} for {args.first or '*'} .. {args.last or '*'}",
              file=sys.stderr)
        return 2
    first, last = window
    plan = first_build_plan(first, last) if args.plan == "first-build" else day_plan(first, last)
    outcomes = run_plan(plan, settings)
    return 0 if len(outcomes) == len(plan) and all(o.success for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
