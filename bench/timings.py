"""Where a stage's time went, read rather than inferred: the seconds of every dbt node the stage ran (from the
run_results.json of each dbt invocation it made) and of every step of its Dagster run (from the run's event log)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

# dbt nodes that build a relation; the rest (data and unit tests) only read
BUILDING = ("model", "seed", "snapshot")


def run_results_since(folders: Iterable[Path], since: float) -> list[Path]:
    """The run_results.json files under these folders written at or after `since` (a time.time())."""
    found = []
    for folder in folders:
        if folder.exists():
            found += [p for p in folder.rglob("run_results.json") if p.stat().st_mtime >= since]
    return sorted(found, key=lambda p: p.stat().st_mtime)


def dbt_nodes(run_results: Iterable[Path]) -> list[dict]:
    """One row per node run: its id, kind (model, seed, test, unit_test...), status and seconds."""
    nodes = []
    for path in run_results:
        for result in json.loads(path.read_text())["results"]:
            nodes.append({"node": result["unique_id"], "kind": result["unique_id"].split(".")[0],
                          "status": result["status"], "seconds": round(float(result["execution_time"]), 3)})
    return nodes


def dbt_summary(nodes: list[dict], top: int = 10) -> dict:
    """Seconds in building nodes and in tests, and the slowest building nodes and tests (a test that reads a whole
    table grows with the book while the others stay at a few hundredths of a second)."""
    building = [n for n in nodes if n["kind"] in BUILDING]
    tests = [n for n in nodes if n["kind"] not in BUILDING]
    return {
        "nodes": len(nodes),
        "build_s": round(sum(n["seconds"] for n in building), 1),
        "test_s": round(sum(n["seconds"] for n in tests), 1),
        "slowest": sorted(building, key=lambda n: -n["seconds"])[:top],
        "slowest_tests": sorted(tests, key=lambda n: -n["seconds"])[:top],
    }


def dagster_steps(instance, run_id: str) -> dict[str, float]:
    """Seconds per step of a Dagster run, from its start to its success or failure event."""
    from dagster import DagsterEventType

    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    kinds = {DagsterEventType.STEP_START, DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE}
    for entry in instance.all_logs(run_id, of_type=kinds):
        event = entry.dagster_event
        if event.event_type == DagsterEventType.STEP_START:
            started[event.step_key] = entry.timestamp
        elif event.step_key in started:
            seconds[event.step_key] = round(entry.timestamp - started[event.step_key], 2)
    return seconds
