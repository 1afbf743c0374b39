"""The bench reads where a stage's time went: dbt's per-node seconds from the run_results.json its invocations wrote
during the stage, and the seconds of each step of a Dagster run from the run's event log."""

from __future__ import annotations

import json
import os
import time

import dagster as dg

from bench.timings import dagster_steps, dbt_nodes, dbt_summary, run_results_since


def _results(path, *nodes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"results": [{"unique_id": u, "status": s, "execution_time": t} for u, s, t in nodes]}))
    return path


def test_only_the_invocations_of_the_stage_are_read_and_models_are_told_from_tests(tmp_path):
    old = _results(tmp_path / "dbt_runs" / "warehouse-1" / "run_results.json", ("model.p.stale", "success", 99.0))
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    started = time.time() - 1
    _results(tmp_path / "dbt_runs" / "warehouse-2" / "run_results.json",
             ("model.p.fct_loans", "success", 4.5), ("seed.p.districts", "success", 0.5),
             ("test.p.not_null_fct_loans_loan_id", "pass", 0.25), ("model.p.dim_dates", "success", 1.0))
    _results(tmp_path / "dbt_target" / "run_results.json", ("test.p.unique_x", "fail", 0.75))

    files = run_results_since([tmp_path / "dbt_runs", tmp_path / "dbt_target", tmp_path / "absent"], started)
    summary = dbt_summary(dbt_nodes(files), top=2)
    assert summary["nodes"] == 5 and summary["build_s"] == 6.0 and summary["test_s"] == 1.0
    assert [n["node"] for n in summary["slowest"]] == ["model.p.fct_loans", "model.p.dim_dates"]
    assert [n["node"] for n in summary["slowest_tests"]] == ["test.p.unique_x", "test.p.not_null_fct_loans_loan_id"]


def test_every_step_of_a_run_gets_its_seconds_a_failed_one_too():
    @dg.asset
    def slow():
        time.sleep(0.3)

    @dg.asset(deps=[slow])
    def broken():
        raise ValueError("no")

    with dg.instance_for_test() as instance:
        result = dg.materialize([slow, broken], instance=instance, raise_on_error=False)
        steps = dagster_steps(instance, result.run_id)
    assert set(steps) == {"slow", "broken"} and steps["slow"] >= 0.3 and steps["broken"] >= 0
