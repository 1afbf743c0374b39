"""The benchmark harness runs end to end at a tiny scale (the figures themselves come from `make bench`), and its
pieces do what they say: the raw-SQL floor runs dbt's models in dependency order, the README table is rewritten
from the latest result per scale."""

from __future__ import annotations

import json

import pytest

import bench.__main__ as bench_main
from bench import report
from bench.floors import compiled_models, nested_loop_equi_joins, raw_sql_statements

# The smallest data every stage runs on: the models need six-month outcomes, so 14 months (the model tests' lake).
TINY = ["--scale", "3000", "--start", "2024-11-01", "--end", "2025-12-31", "--seed", "11"]


@pytest.mark.slow
@pytest.mark.integration
def test_the_harness_measures_every_stage_both_ways_and_every_floor(tmp_path):
    results = tmp_path / "results"
    # In this process, as `make bench` runs it, minus the README: no subprocess and no wall-clock limit to hit.
    bench_main.main([*TINY, "--results", str(results), "--data-root", str(tmp_path / "data"), "--no-readme"])
    [json_file] = results.glob("*.json")
    doc = json.loads(json_file.read_text())
    failed = [(s["path"], s["name"], s["error"]) for s in doc["stages"] if not s["ok"]]
    assert failed == [] and doc["ok"]
    stages = {(s["path"], s["name"]) for s in doc["stages"]}
    jobs = ["daily_batch", "education_refunds", "credit_training", "credit_scoring", "fraud_training",
            "fraud_scoring", "marketing_lists", "lakehouse_maintenance"]
    assert {("dagster", j) for j in jobs} | {("plain", j) for j in jobs} <= stages
    assert {("t+1", j) for j in ["daily_batch", "education_refunds", "credit_scoring", "fraud_scoring",
                                 "marketing_lists"]} <= stages
    by = {(s["path"], s["name"]): s for s in doc["stages"]}
    assert by[("dagster", "daily_batch")]["rows_in"] == by[("plain", "daily_batch")]["rows_in"] > 10_000
    assert by[("dagster", "daily_batch")]["rows_out"] > by[("dagster", "daily_batch")]["rows_in"] / 2
    # both paths do the same work: every job writes the same rows through Dagster and as plain Python
    assert [j for j in jobs if by[("dagster", j)]["rows_out"] != by[("plain", j)]["rows_out"]] == []
    assert all(s["wall_s"] > 0 and s["peak_rss_mb"] > 0 for s in doc["stages"])
    # the disk each stage took: the data dir after it, and how far the filesystem's use rose during it
    measured = [s for s in doc["stages"] if s["path"] != "scoring"]
    assert all(s["data_gb"] > 0 and s["disk_peak_growth_gb"] is not None for s in measured)
    # where the time went is read: dbt's per-node seconds for every stage that ran dbt, Dagster's per step
    for path in ("dagster", "t+1", "plain"):
        dbt = by[(path, "daily_batch")]["extra"]["dbt"]
        assert dbt["nodes"] > 100 and dbt["build_s"] > 0 and dbt["test_s"] > 0 and dbt["slowest"], path
    assert by[("dagster", "marketing_lists")]["extra"]["dbt"]["nodes"] > 0
    assert "warehouse_dbt_models" in by[("dagster", "daily_batch")]["extra"]["dagster_steps"]
    assert "Where the time went" in json_file.with_suffix(".md").read_text()
    figures = doc["figures"]
    for name in ("dbt_overhead", "orchestration_overhead", "incremental_day_share", "mlflow_scoring_share",
                 "simulator_rows_per_s"):
        assert figures[name] and figures[name] > 0, name
    assert doc["dbt_models"] > 50
    # no model joins on an equality by a nested loop (an OR in a join condition does that: see is_in_force)
    assert doc["nested_loop_equi_joins"] == []
    assert set(doc["scoring"]) == {"credit_scorecard", "fraud_detector"}
    assert json_file.with_suffix(".md").read_text().startswith("# Benchmark: 3,000 customers")
    assert not (tmp_path / "data" / "3000").exists()  # the bench lakes are removed unless --keep-data


def test_raw_sql_runs_the_models_in_dependency_order_and_skips_ephemeral_and_partitioned(tmp_path):
    def node(name, materialized, depends=(), tags=()):
        return {"resource_type": "model", "config": {"enabled": True, "materialized": materialized},
                "tags": list(tags), "depends_on": {"nodes": [f"model.p.{d}" for d in depends]},
                "relation_name": f'"lake"."x"."{name}"', "compiled_code": f"select '{name}' as n"}

    nodes = {"model.p.c": node("c", "table", ["b"]), "model.p.b": node("b", "incremental", ["a", "eph"]),
             "model.p.a": node("a", "view"), "model.p.eph": node("eph", "ephemeral"),
             "model.p.d": node("d", "table", ["a"], tags=["daily_partitioned"]),
             "test.p.t": {"resource_type": "test"}}
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"nodes": nodes}))
    statements = raw_sql_statements(compiled_models(manifest))
    assert [s.split()[4] for s in statements] == ['"lake"."x"."a"', '"lake"."x"."b"', '"lake"."x"."c"']
    assert statements[0].startswith("create or replace view") and statements[1].startswith("create or replace table")


def test_the_plan_check_finds_an_equality_joined_by_a_nested_loop_and_only_that():
    def join(operator, condition):
        return {"name": operator, "extra_info": {"Join Type": "LEFT", "Condition": condition}, "children": []}

    # DuckDB 1.5's plan of `m.id = v.id and (v.valid_to is null or d < v.valid_to) and v.valid_from <= d`
    with_or = "(((valid_to IS NULL) OR (d < valid_to)) AND ((d >= valid_from) AND (merchant_id = merchant_id)))"
    plan = [{"name": "PROJECTION", "children": [
        join("BLOCKWISE_NL_JOIN", with_or),
        # a one-row calendar filter: an equality only inside an OR cannot be hashed - not a finding
        join("BLOCKWISE_NL_JOIN", "((date_day = data_date) OR (is_month_end AND (date_day <= data_date)))"),
        join("NESTED_LOOP_JOIN", "CAST((due_on + '180 days'::INTERVAL) AS DATE) <= data_date"),
        join("HASH_JOIN", "merchant_id = merchant_id"),
    ]}]
    assert nested_loop_equi_joins(plan) == [
        {"operator": "BLOCKWISE_NL_JOIN", "join": "LEFT", "condition": with_or}]


def test_the_readme_table_shows_the_latest_run_of_each_scale(tmp_path):
    def result(customers, started, build_s):
        return {"started": started, "scale": {"customers": customers}, "ok": True,
                "machine": {"cpu": "Test CPU", "cores": 2, "memory_gb": 24.0},
                "figures": {"full_build_s": build_s, "full_build_peak_gb": 1.5, "dbt_overhead": 1.2,
                            "orchestration_overhead": 1.6, "incremental_day_share": 0.3,
                            "mlflow_scoring_share": 0.9, "simulator_rows_per_s": 100_000}}

    results = tmp_path / "results"
    results.mkdir()
    for name, doc in {"20260101T000000Z": result(20_000, "2026-01-01", 600.0),
                      "20260102T000000Z": result(20_000, "2026-01-02", 540.0),
                      "20260103T000000Z": result(100_000, "2026-01-03", 3000.0)}.items():
        (results / f"{name}.json").write_text(json.dumps(doc))
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{report.README_START}\nold table\n{report.README_END}\noutro\n")
    report.refresh_readme(results, readme)
    text = readme.read_text()
    assert "old table" not in text and text.startswith("intro\n") and text.endswith("outro\n")
    rows = [line for line in text.splitlines() if line.startswith("| 20,000") or line.startswith("| 100,000")]
    assert len(rows) == 2 and "9.0 min" in rows[0] and "20260102T000000Z" in rows[0] and "50.0 min" in rows[1]
    assert "Test CPU, 2 cores, 24.0 GiB" in text


def test_a_figure_is_not_computed_from_a_stage_that_failed():
    from bench.measure import StageResult

    def stage(path, name, wall, ok=True):
        return StageResult(name, path, wall, wall, 100.0, ok=ok, extra={"kind": "daily", "rows_per_s": 10})

    results = [stage("simulator", "simulator", 1.0), stage("dagster", "daily_batch", 100.0),
               stage("t+1", "daily_batch", 10.0), stage("plain", "daily_batch", 50.0),
               stage("floor", "dbt run --full-refresh (models only)", 30.0),
               stage("floor", "the same compiled SQL, one DuckDB connection", 20.0)]
    figures = report.ratios(results, {})
    assert (figures["dbt_overhead"], figures["orchestration_overhead"], figures["incremental_day_share"]) == (
        1.5, 2.0, 0.1)
    results[-1].ok = results[2].ok = False  # the raw-SQL floor and the incremental day broke off
    figures = report.ratios(results, {})
    assert figures["dbt_overhead"] is None and figures["incremental_day_share"] is None
    assert figures["orchestration_overhead"] == 2.0
