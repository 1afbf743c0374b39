"""Registered-model governance shared by every model family: register a version as `challenger`, apply the
promotion decision (ml.governance) to the `champion` alias, and record every alias change in
`marts.model_alias_history`. Each registration also (re)writes the descriptions of the registered model and its
experiment (orchestration.model_descriptions).

Consumers only ever load `models:/<name>@champion`; aliases move, stages are never used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
from mlflow.exceptions import MlflowException

from ml.governance import PromotionDecision
from orchestration.model_descriptions import describe

CHAMPION, CHALLENGER = "champion", "challenger"

ALIAS_HISTORY_DDL = """
create table if not exists marts.model_alias_history (
    changed_at timestamp,
    model_name varchar,
    model_version integer,
    alias varchar,
    from_version integer,
    to_version integer,
    reason varchar,
    metrics varchar,
    mlflow_run_id varchar,
    dagster_run_id varchar
)
"""


@dataclass(frozen=True)
class AliasChange:
    model_name: str
    alias: str
    from_version: int | None
    to_version: int
    reason: str
    metrics: dict[str, float]
    mlflow_run_id: str
    dagster_run_id: str


def alias_version(client, model_name: str, alias: str) -> int | None:
    """Version currently holding `alias`, or None (no such alias, or no such model yet)."""
    try:
        return int(client.get_model_version_by_alias(model_name, alias).version)
    except MlflowException:
        return None


def register_and_gate(
    client,
    *,
    model_name: str,
    model_uri: str,
    mlflow_run_id: str,
    decision: PromotionDecision,
    metrics: dict[str, float],
    dagster_run_id: str,
) -> tuple[int, list[AliasChange]]:
    """Register `model_uri` as a new version of `model_name`, give it `challenger`, and `champion` too when the
    decision says so. Returns the version and the alias changes made (to record)."""
    import mlflow

    if not _model_exists(client, model_name):
        client.create_registered_model(model_name)
    version = int(mlflow.register_model(model_uri, model_name).version)
    # the modeler's first read in the MLflow UI: what the model is, its target, promotion, model card and plots
    describe(client, model_name, client.get_run(mlflow_run_id).info.experiment_id)
    client.set_model_version_tag(model_name, str(version), "validation_status", "promoted" if decision.promote
                                 else "rejected")
    client.set_model_version_tag(model_name, str(version), "decision_reason", decision.reason)
    changes = []
    previous = alias_version(client, model_name, CHALLENGER)
    client.set_registered_model_alias(model_name, CHALLENGER, str(version))
    changes.append(AliasChange(model_name, CHALLENGER, previous, version, "new version registered", metrics,
                               mlflow_run_id, dagster_run_id))
    if decision.promote:
        previous = alias_version(client, model_name, CHAMPION)
        client.set_registered_model_alias(model_name, CHAMPION, str(version))
        changes.append(AliasChange(model_name, CHAMPION, previous, version, decision.reason, metrics, mlflow_run_id,
                                   dagster_run_id))
    return version, changes


def _model_exists(client, model_name: str) -> bool:
    try:
        client.get_registered_model(model_name)
        return True
    except MlflowException:
        return False


def record_alias_changes(conn: duckdb.DuckDBPyConnection, changes: list[AliasChange]) -> None:
    """Append the changes to marts.model_alias_history (created on first use) in one transaction."""
    conn.execute("create schema if not exists marts")
    conn.execute(ALIAS_HISTORY_DDL)
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        (now, c.model_name, c.to_version, c.alias, c.from_version, c.to_version, c.reason,
         json.dumps({k: round(float(v), 6) for k, v in c.metrics.items()}, sort_keys=True), c.mlflow_run_id,
         c.dagster_run_id)
        for c in changes
    ]
    if rows:
        conn.executemany("insert into marts.model_alias_history values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def metrics_of(values: dict[str, Any]) -> dict[str, float]:
    return {k: float(v) for k, v in values.items() if isinstance(v, int | float)}
