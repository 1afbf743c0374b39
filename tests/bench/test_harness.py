"""The benchmark harness's pieces do what they say: the raw-SQL floor runs dbt's models in dependency order, the README
table is rewritten from the latest result per scale, a figure needs the stages behind it. The harness itself runs end
to end on the young book in tests/integration/test_end_to_end.py (its figures come from `make bench`)."""

from __future__ import annotations

import json

from bench import report
from bench.floors import compiled_models, nested_loop_equi_joins, raw_sql_statements


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
    results[1].rows_out, results[3].rows_out = 1_000, 999  # the two paths did not write the same rows
    assert report.different_work(results) == ["daily_batch"]
    assert report.ratios(results, {})["orchestration_overhead"] is None
