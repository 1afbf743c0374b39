"""The floors the pipeline's figures are compared with:

- dbt: the compiled SQL of every model (full refresh), run directly in one DuckDB connection in dependency order,
  against `dbt run --full-refresh` of the same models;
- scoring: applications per second through the registered MLflow model against the estimator underneath it.

And a look at the plans behind the dbt figure: every model whose DuckDB plan joins two relations on an equality by a
nested loop (every row against every row) instead of hashing it - what an OR in a join condition does to a plan.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import numpy as np

from bench.pipeline import DAILY_PARTITIONED, dbt_command
from orchestration.config import Settings
from orchestration.defs.credit.training import as_model_frame
from orchestration.defs.fraud.assets import feature_columns
from orchestration.defs.fraud.policy import load_policy as load_fraud_policy
from orchestration.lakehouse import connect_lake

SCORING_ROWS = 100_000  # a batch of applications, sampled from the feature mart (throughput is per row)
REPEATS = 3  # the best of three, for each side of the scoring comparison


def compiled_models(manifest_path: Path) -> list[tuple[str, str, str]]:
    """(relation, materialization, compiled SQL) of every model dbt would run, in dependency order."""
    manifest = json.loads(manifest_path.read_text())
    nodes = {uid: n for uid, n in manifest["nodes"].items()
             if n["resource_type"] == "model" and n["config"].get("enabled", True)
             and n["config"]["materialized"] != "ephemeral" and "daily_partitioned" not in n["tags"]}
    graph = {uid: {d for d in n["depends_on"]["nodes"] if d in nodes} for uid, n in nodes.items()}
    order = list(TopologicalSorter(graph).static_order())
    return [(nodes[u]["relation_name"], nodes[u]["config"]["materialized"], nodes[u]["compiled_code"]) for u in order]


def raw_sql_statements(models: list[tuple[str, str, str]]) -> list[str]:
    statements = []
    for relation, materialized, sql in models:
        kind = "view" if materialized == "view" else "table"
        statements.append(f"create or replace {kind} {relation} as (\n{sql}\n)")
    return statements


@contextmanager
def _lake_as_dbt_sees_it(settings: Settings, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """The lake with dbt's memory limit and spill dir, and the `pii_token()` function the dbt plugin registers, keyed
    by the lake's own data dir."""
    from orchestration.dbt_plugin import register_pii_token
    from orchestration.pii import token_key_of

    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=read_only,
                      memory_limit=settings.duckdb_memory_limit, temp_directory=str(settings.duckdb_temp_dir)) as conn:
        # the key of this lake's data dir, not of whichever data dir this process cached first (the plain path's)
        register_pii_token(conn, token_key_of(settings))
        yield conn


NESTED_LOOPS = ("NESTED_LOOP_JOIN", "BLOCKWISE_NL_JOIN")
_COLUMN_EQUALITY = re.compile(r"^\(?([A-Za-z_][\w.]*) = ([A-Za-z_][\w.]*)\)?$")


def _conjuncts(condition: str) -> list[str]:
    """The top-level AND terms of a plan's join condition, nested parentheses flattened."""
    condition = condition.strip()
    while condition.startswith("(") and condition.endswith(")") and _closing(condition, 0) == len(condition) - 1:
        condition = condition[1:-1].strip()
    terms, depth, start = [], 0, 0
    for i, char in enumerate(condition):
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and condition.startswith(" AND ", i):
            terms.append(condition[start:i])
            start = i + len(" AND ")
    if not terms:
        return [condition]
    return [t for term in [*terms, condition[start:]] for t in _conjuncts(term)]


def _closing(text: str, opening: int) -> int:
    depth = 0
    for i in range(opening, len(text)):
        depth += text[i] == "("
        depth -= text[i] == ")"
        if depth == 0:
            return i
    return -1


def nested_loop_equi_joins(plan: list[dict]) -> list[dict]:
    """The joins of an EXPLAIN (FORMAT JSON) plan done by a nested loop although an equality of two columns is one of
    their AND-ed conditions (so they could be hashed on it)."""
    found = []

    def walk(node: dict) -> None:
        condition = str(node.get("extra_info", {}).get("Condition", ""))
        if node.get("name") in NESTED_LOOPS and any(_COLUMN_EQUALITY.match(t) for t in _conjuncts(condition)):
            found.append({"operator": node["name"], "join": node["extra_info"].get("Join Type"),
                          "condition": condition})
        for child in node.get("children", []):
            walk(child)

    for root in plan:
        walk(root)
    return found


def plan_check(settings: Settings, models: list[tuple[str, str, str]]) -> list[dict]:
    """Every model's nested-loop equi-joins, from DuckDB's plan of its compiled SQL on the lake as it is."""
    findings = []
    with _lake_as_dbt_sees_it(settings, read_only=True) as conn:
        for relation, _, sql in models:
            plan = json.loads(conn.execute(f"explain (format json) {sql}").fetchall()[0][1])
            findings += [{"model": relation, **join} for join in nested_loop_equi_joins(plan)]
    return findings


def run_raw_sql(settings: Settings, statements: list[str]) -> None:
    """Every model's SQL in one connection, as dbt's DuckDB runs it."""
    with _lake_as_dbt_sees_it(settings) as conn:
        for statement in statements:
            conn.execute(statement)


def dbt_floor(data_dir: Path, settings: Settings, run: Callable[[list[str]], None],
              measure: Callable[[str, Callable[[], None]], object],
              after_full_refresh: Callable[[], None] = lambda: None) -> dict:
    """Compile, check the models' plans, then time `dbt run --full-refresh` (then call `after_full_refresh`: the lake
    now holds a full rebuild) and the same SQL run raw; returns the measured results and the plan findings."""
    target = data_dir / "dbt_target"
    run(dbt_command(data_dir, "compile", "--full-refresh", "--exclude", DAILY_PARTITIONED))
    models = compiled_models(target / "manifest.json")
    plans = plan_check(settings, models)
    statements = raw_sql_statements(models)
    dbt_run = measure("dbt run --full-refresh (models only)",
                      lambda: run(dbt_command(data_dir, "run", "--full-refresh", "--exclude", DAILY_PARTITIONED)))
    after_full_refresh()
    raw = measure("the same compiled SQL, one DuckDB connection", lambda: run_raw_sql(settings, statements))
    return {"models": len(statements), "dbt_run": dbt_run, "raw_sql": raw, "plans": plans}


def _best_rate(rows: int, predict: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        predict()
        best = min(best, time.perf_counter() - started)
    return rows / best


def _champion(name: str):
    """The registered model's champion through MLflow, or None while there is none (a young book trains nothing)."""
    import mlflow
    from mlflow.exceptions import MlflowException

    try:
        mlflow.MlflowClient().get_model_version_by_alias(name, "champion")
    except MlflowException:
        return None
    return mlflow.pyfunc.load_model(f"models:/{name}@champion")


def scoring_throughput(settings: Settings) -> dict:
    """Rows per second: the champion through MLflow (`models:/<name>@champion`, pyfunc predict with its schema
    enforcement) against the estimator underneath it; in between, our PythonModel's own predict without MLflow (what
    the model adds: sub-scores, grade and reason codes; rules and decision) - so the gap splits into MLflow's share
    and ours. A model with no champion yet is left out (its figure is then "-", not a failure)."""
    import mlflow

    mlflow.set_tracking_uri(settings.mlflow_tracking_uri)
    mlflow.set_registry_uri(settings.mlflow_tracking_uri)
    results = {}
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        credit = conn.execute(f"select * from marts.credit_features using sample {SCORING_ROWS} rows").df()
        fraud = conn.execute(f"select * from marts.fraud_features using sample {SCORING_ROWS} rows").df()

    # the frames exactly as the scoring assets hand them to the models
    model = _champion("credit_scorecard")
    if model is not None:
        scorecard = model.unwrap_python_model()
        credit = as_model_frame(credit, scorecard.feature_columns)[scorecard.feature_columns]
        results["credit_scorecard"] = {
            "rows": len(credit),
            "mlflow_rows_per_s": _best_rate(len(credit), lambda: model.predict(credit)),
            "python_model_rows_per_s": _best_rate(len(credit), lambda: scorecard.predict(None, credit)),
            "estimator_rows_per_s": _best_rate(len(credit), lambda: scorecard.model.predict_proba(credit)),
            "estimator": "GroupedScorecard.predict_proba on the DataFrame (its binning reads columns by name)",
        }

    detector_model = _champion("fraud_detector")
    if detector_model is not None:
        detector = detector_model.unwrap_python_model()
        categorical, numeric = feature_columns(fraud, load_fraud_policy())
        fraud = as_model_frame(fraud, categorical + numeric)[detector.input_columns]
        array = np.asarray(detector.pipeline.named_steps["prepare"].transform(fraud[detector.columns]), dtype=float)
        booster = detector.pipeline.named_steps["model"]
        results["fraud_detector"] = {
            "rows": len(fraud),
            "mlflow_rows_per_s": _best_rate(len(fraud), lambda: detector_model.predict(fraud)),
            "python_model_rows_per_s": _best_rate(len(fraud), lambda: detector.predict(None, fraud)),
            "pipeline_rows_per_s": _best_rate(len(fraud),
                                              lambda: detector.pipeline.predict_proba(fraud[detector.columns])),
            "estimator_rows_per_s": _best_rate(len(fraud), lambda: booster.predict_proba(array)),
            "estimator": "HistGradientBoostingClassifier.predict_proba on the encoded NumPy array",
        }
    for figures in results.values():
        figures["mlflow_share_of_estimator"] = round(figures["mlflow_rows_per_s"] / figures["estimator_rows_per_s"], 3)
        figures["mlflow_share_of_python_model"] = round(
            figures["mlflow_rows_per_s"] / figures["python_model_rows_per_s"], 3)
        for key in [k for k in figures if k.endswith("_per_s")]:
            figures[key] = round(figures[key])
    return results
