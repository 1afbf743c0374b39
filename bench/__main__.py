"""`python -m bench --scale N`: generate N customers into a data dir of their own, run the whole pipeline through
Dagster (as `make run` does) and as plain Python, land and process one more day, and measure the floors; write
bench/results/<timestamp>.json and .md, and refresh the README's table.

`python -m bench readme` only refreshes the README table from the results already in bench/results/."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from datetime import timedelta
from pathlib import Path

from bench import report
from bench.equality import differences, fingerprints
from bench.floors import dbt_floor, scoring_throughput
from bench.measure import StageResult, measure, run_command
from bench.pipeline import (
    DagsterPipeline,
    PlainPipeline,
    day_stages,
    environment,
    environment_of,
    full_stages,
    lake_snapshot,
    landing_rows,
    move_day,
    rows_written_since,
    table_inputs,
)
from bench.timings import dbt_nodes, dbt_summary, run_results_since
from orchestration.config import REPO_ROOT, load_settings
from orchestration.defs.ingestion.landing import landing_days

RESULTS_DIR = REPO_ROOT / "bench" / "results"


def _stage(path: str, stage, work, settings, landing, first, last) -> StageResult:
    rows_in = table_inputs(settings, stage, landing, first, last)
    snapshot = lake_snapshot(settings)
    started = time.time()
    result = measure(stage.name, path, work, data_dir=settings.data_dir.parent)
    result.rows_in = rows_in
    result.rows_out = rows_written_since(settings, snapshot) if result.ok else None
    result.extra["kind"] = stage.kind
    # the dbt invocations' own timings: Dagster's under dbt_runs/, the plain path's in its target folder
    invocations = run_results_since([settings.dbt_runs_dir, settings.data_dir / "dbt_target"], started)
    if invocations:
        result.extra["dbt"] = dbt_summary(dbt_nodes(invocations))
    return result


def run(args: argparse.Namespace) -> dict:
    root = Path(args.data_root).resolve() / str(args.scale)
    shutil.rmtree(root, ignore_errors=True)
    dagster_dir, plain_dir, held_dir = root / "dagster", root / "plain", root / "held_back"
    log_file = root / "bench.log"
    root.mkdir(parents=True)
    print(f"[bench] {args.scale:,} customers, {args.start} .. {args.end}; data in {root}; log {log_file}")
    runner = lambda env: (lambda command: run_command(command, env, log_file))  # noqa: E731
    dagster_env, plain_env = environment(dagster_dir), environment(plain_dir)
    results: list[StageResult] = []

    # 1. The simulator.
    simulate = [sys.executable, "-m", "simulator", "--customers", str(args.scale), "--start", args.start,
                "--end", args.end, "--seed", str(args.seed), "--out", str(dagster_dir)]
    simulated = measure("simulator", "simulator", lambda: runner(dagster_env)(simulate), data_dir=root)
    results.append(simulated)
    if not simulated.ok:
        raise SystemExit(simulated.error)
    landing = dagster_dir / "landing"
    simulated.rows_out = landing_rows(landing)
    simulated.extra["rows_per_s"] = round(simulated.rows_out / simulated.wall_s)

    # 2. Hold the last landing day back for the incremental run; the plain path gets the same files (hard links).
    settings = load_settings(dagster_env)
    days = [d for d in landing_days(landing) if d >= settings.partitions_start]
    first, day = days[0], days[-1]
    last = day - timedelta(days=1)
    move_day(landing, held_dir / "landing", day)
    shutil.copytree(landing, plain_dir / "landing", copy_function=os.link)

    # 3. The whole history through Dagster, job by job as `make run` runs it (in this process, like the plain path:
    #    the definitions load once, as they do in `make run`).
    with environment_of(dagster_env):
        dagster = DagsterPipeline(dagster_dir, log_file)
        for stage in full_stages(first, last):
            results.append(_stage("dagster", stage, dagster.stage(stage), settings, landing, first, last))
            results[-1].extra["dagster_steps"] = dagster.last_steps

        # 4. One more day landed and processed the way the schedule and sensors would.
        move_day(held_dir / "landing", landing, day)
        for stage in day_stages(day):
            result = _stage("dagster", stage, dagster.stage(stage), settings, landing, day, day)
            result.path = "t+1"
            result.extra["dagster_steps"] = dagster.last_steps
            results.append(result)
        after_day = fingerprints(settings)

    # 5. The same history as plain Python in this process (not with --no-plain: no orchestration-overhead figure).
    if not args.no_plain:
        with environment_of(plain_env):
            plain = PlainPipeline(plain_dir, runner(plain_env))
            for stage in full_stages(first, last):
                results.append(_stage("plain", stage, plain.stage(stage, first, last), plain.settings,
                                      plain_dir / "landing", first, last))

    # 6. Floors, on the Dagster lake; the plain lake has served its purpose and its disk goes to the floors' spill.
    if not args.keep_data:
        shutil.rmtree(plain_dir, ignore_errors=True)
    rebuilt: dict = {}
    floor = dbt_floor(dagster_dir, settings, runner(dagster_env),
                      lambda name, work: measure(name, "floor", work, data_dir=root),
                      after_full_refresh=lambda: rebuilt.update(fingerprints(settings)))
    results += [floor["dbt_run"], floor["raw_sql"]]
    scoring_figures: dict = {}
    scoring = measure("scoring throughput", "scoring", lambda: scoring_figures.update(scoring_throughput(settings)))
    results.append(scoring)

    document = report.document(args, results, floor["models"], scoring_figures, first, last, day,
                               floor["plans"])
    # the lake after the incremental day against the same lake rebuilt from raw by the dbt floor
    document["incremental_equals_full"] = {"tables": len(after_day),
                                           "differ": differences(after_day, rebuilt) if rebuilt else None}
    if not args.keep_data:
        shutil.rmtree(root, ignore_errors=True)
    return document


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="run", choices=["run", "readme"])
    parser.add_argument("--scale", type=int, default=20_000, help="customers (20000)")
    parser.add_argument("--start", default="2024-11-01", help="first simulated day")
    parser.add_argument("--end", default="2026-10-31", help="last simulated day (24 months)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data-root", default=str(REPO_ROOT / "bench" / "data"), help="where the bench lakes live")
    parser.add_argument("--results", default=str(RESULTS_DIR), help="where results are written")
    parser.add_argument("--keep-data", action="store_true", help="keep the bench lakes after the run")
    parser.add_argument("--no-readme", action="store_true", help="do not refresh the README table")
    parser.add_argument("--no-plain", action="store_true",
                        help="leave out the history as plain Python (and so the Dagster / plain Python figure)")
    args = parser.parse_args(argv)
    results_dir = Path(args.results)
    if args.command == "run":
        document = run(args)
        json_path, md_path = report.write(document, results_dir)
        print(report.markdown(document))
        print(f"[bench] results: {json_path} and {md_path}")
    if not args.no_readme:
        report.refresh_readme(results_dir, REPO_ROOT / "README.md")


if __name__ == "__main__":
    main()
