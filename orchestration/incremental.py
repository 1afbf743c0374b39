"""When an incremental dbt model must be rebuilt in full, and what each build leaves for the next one to compare.

An incremental model (dbt_project/macros/core/incremental.sql) processes what was loaded after its watermark. That is
only right while two things hold since its last build:
- its code is the same: its SQL and config, the macros it calls, and every model, seed and macro upstream of it (a
  risk officer's new threshold seed changes every grade of the history, not the new day's only);
- no source upstream of it lost rows: a corrected re-delivery replaces a file's rows, and a row that is gone cannot
  be taken out of what was built from it.
When either fails (or the model has never been built by this lake's pipeline) the model is named in
LAKEHOUSE_FULL_REFRESH_MODELS for that dbt invocation, and dbt's should_full_refresh() (overridden in the project)
rebuilds it. `meta.incremental_state` in the lake holds, per incremental model, the checksum of its lineage's code and
the lake snapshot before its last successful build - in the lake, so a copied or restored lake carries it along.

Seeds are recorded the same way: a seed whose file is unchanged since it was last loaded (and whose table is there) is
left out of the next `dbt build` with its tests - reloading a dozen unchanged reference tables and re-testing them
was ~80 of the ~600 nodes of every daily build. So are views: a view whose code (and the code above it) is unchanged
since it was last created, and which is still there, is not created again (LAKEHOUSE_UNCHANGED_VIEWS, read by the
project's view materialization, dbt_project/macros/core/views.sql) - its tests still run, on the day's new rows. The
25 staging views were dropped and created again by every daily build: ~0.12 s and a lake commit each.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from orchestration.config import DBT_PROJECT_DIR
from orchestration.lakehouse import current_snapshot_id, tables_changed_since

FULL_REFRESH_ENV = "LAKEHOUSE_FULL_REFRESH_MODELS"
UNCHANGED_VIEWS_ENV = "LAKEHOUSE_UNCHANGED_VIEWS"
EVERY_MODEL = "*"
STATE_TABLE = "meta.incremental_state"
STATE_DDL = (f"create table if not exists {STATE_TABLE} (unique_id varchar, model varchar, lineage_checksum varchar,"
             " built_after_snapshot bigint, built_at timestamp)")
# Partitioned models are rebuilt a window at a time by their own asset: a full refresh would keep only the window.
PARTITIONED_TAG = "daily_partitioned"
# A model's config that decides what it writes (descriptions, docs and meta that only describe it are left out).
_CONFIG_KEYS = ("materialized", "incremental_strategy", "unique_key", "on_schema_change", "pre-hook", "post-hook",
                "contract", "full_refresh", "incremental_predicates", "schema")


@dataclass(frozen=True)
class BuildState:
    lineage_checksum: str
    built_after_snapshot: int


@dataclass(frozen=True)
class Plan:
    """What a dbt invocation needs to know before it starts."""

    snapshot: int  # the lake's snapshot before it
    full_refresh: dict[str, str]  # incremental model -> why it is rebuilt in full
    unchanged_seeds: tuple[str, ...]  # seeds loaded before from the same file: left out
    unchanged_views: tuple[str, ...] = ()  # views created before from the same code: not created again

    def env(self) -> dict[str, str]:
        return {FULL_REFRESH_ENV: " ".join(sorted(self.full_refresh)),
                UNCHANGED_VIEWS_ENV: " ".join(self.unchanged_views)}

    def args(self) -> list[str]:
        # one value: dagster-dbt takes one word per --exclude it finds in the args (and dbt splits on spaces)
        return ["--exclude", " ".join(self.unchanged_seeds)] if self.unchanged_seeds else []


def seeds(manifest: Mapping) -> dict[str, str]:
    return {uid: node["name"] for uid, node in manifest["nodes"].items() if node["resource_type"] == "seed"}


def views(manifest: Mapping) -> dict[str, str]:
    return {uid: node["name"] for uid, node in manifest["nodes"].items()
            if node["resource_type"] == "model" and node["config"].get("materialized") == "view"}


def incremental_models(manifest: Mapping) -> dict[str, str]:
    """unique_id -> name of every incremental model the fallback applies to."""
    return {uid: node["name"] for uid, node in manifest["nodes"].items()
            if node["resource_type"] == "model" and node["config"].get("materialized") == "incremental"
            and PARTITIONED_TAG not in node.get("tags", [])}


def _upstream(manifest: Mapping, unique_id: str) -> tuple[set[str], set[str]]:
    """Every node (models, seeds, snapshots) and every source upstream of `unique_id`, itself included."""
    nodes, sources, queue = set(), set(), [unique_id]
    while queue:
        current = queue.pop()
        if current in nodes or current in sources:
            continue
        if current.startswith("source."):
            sources.add(current)
            continue
        node = manifest["nodes"].get(current)
        if node is None:
            continue
        nodes.add(current)
        queue.extend(node.get("depends_on", {}).get("nodes", []))
    return nodes, sources


def _macro_closure(manifest: Mapping, macro_ids: Iterable[str]) -> set[str]:
    seen, queue = set(), list(macro_ids)
    while queue:
        current = queue.pop()
        if current in seen or current not in manifest["macros"]:
            continue
        seen.add(current)
        queue.extend(manifest["macros"][current].get("depends_on", {}).get("macros", []))
    return seen


def _node_code(manifest: Mapping, unique_id: str) -> str:
    node = manifest["nodes"][unique_id]
    config = {key: node["config"].get(key) for key in _CONFIG_KEYS}
    # a contract's column types and constraints decide what the table holds; descriptions do not
    columns = {name: [column.get("data_type"), column.get("constraints")]
               for name, column in (node.get("columns") or {}).items()}
    return json.dumps([unique_id, node["checksum"]["checksum"], config, columns], sort_keys=True, default=str)


def lineage_checksum(manifest: Mapping, unique_id: str) -> str:
    """A hash of the code behind a model: its own and that of every model and seed upstream of it, with every macro
    any of them calls (dbt's own included: an upgrade of dbt rebuilds too)."""
    nodes, _ = _upstream(manifest, unique_id)
    macros = _macro_closure(manifest, (m for n in nodes for m in manifest["nodes"][n].get("depends_on", {})
                                       .get("macros", [])))
    digest = hashlib.sha256()
    for node_id in sorted(nodes):
        digest.update(_node_code(manifest, node_id).encode())
    for macro_id in sorted(macros):
        digest.update(macro_id.encode() + manifest["macros"][macro_id].get("macro_sql", "").encode())
    return digest.hexdigest()


def source_tables(manifest: Mapping, unique_id: str) -> set[str]:
    """The lake tables (`schema.table`) of the sources upstream of a model."""
    _, sources = _upstream(manifest, unique_id)
    return {f"{manifest['sources'][s]['schema']}.{manifest['sources'][s]['identifier']}" for s in sources}


def full_refresh_reasons(manifest: Mapping, state: Mapping[str, BuildState],
                         lost_rows_since: Mapping[int, set[str] | None]) -> dict[str, str]:
    """model name -> why it is rebuilt in full this time; models not named go on incrementally.

    `lost_rows_since[snapshot]`: the lake tables rows were deleted from after that snapshot (None: the snapshot has
    expired, so nobody knows)."""
    reasons = {}
    for unique_id, name in incremental_models(manifest).items():
        built = state.get(unique_id)
        if built is None:
            reasons[name] = "never built by this lake's pipeline"
            continue
        if built.lineage_checksum != lineage_checksum(manifest, unique_id):
            reasons[name] = "its code, or code upstream of it (a model, seed or macro), changed"
            continue
        deleted = lost_rows_since.get(built.built_after_snapshot)
        if deleted is None:
            reasons[name] = f"its last build's snapshot {built.built_after_snapshot} has expired"
            continue
        lost = sorted(deleted & source_tables(manifest, unique_id))
        if lost:
            reasons[name] = f"rows were removed from {', '.join(lost)} since its last build"
    return reasons


def read_state(conn: duckdb.DuckDBPyConnection) -> dict[str, BuildState]:
    if not conn.execute("select count(*) from information_schema.tables where table_catalog = current_database() "
                        "and table_schema = 'meta' and table_name = 'incremental_state'").fetchone()[0]:
        return {}
    return {uid: BuildState(checksum, snapshot) for uid, checksum, snapshot in conn.execute(
        f"select unique_id, lineage_checksum, built_after_snapshot from {STATE_TABLE}").fetchall()}


def unchanged_seeds(manifest: Mapping, state: Mapping[str, BuildState], tables: set[str]) -> tuple[str, ...]:
    """Seeds loaded before from the file they have now, whose table (`schema.table`) is still there."""
    return _unchanged(manifest, seeds(manifest), state, tables)


def unchanged_views(manifest: Mapping, state: Mapping[str, BuildState], relations: set[str]) -> tuple[str, ...]:
    """Views created before from the code they have now (theirs and everything above them), still there. What a view
    returns follows its inputs by itself: only its definition can be out of date."""
    return _unchanged(manifest, views(manifest), state, relations)


def _unchanged(manifest: Mapping, nodes: Mapping[str, str], state: Mapping[str, BuildState],
               relations: set[str]) -> tuple[str, ...]:
    return tuple(sorted(
        name for uid, name in nodes.items()
        if uid in state and state[uid].lineage_checksum == lineage_checksum(manifest, uid)
        and f"{manifest['nodes'][uid]['schema']}.{manifest['nodes'][uid]['alias']}" in relations))


def plan(conn: duckdb.DuckDBPyConnection, manifest: Mapping) -> Plan:
    """Before a dbt invocation: the lake's snapshot now, the models to rebuild in full (with the reason), the seeds
    to leave out, the views not to create again."""
    state = read_state(conn)
    lost = {snapshot: _deleted_since(conn, snapshot) for snapshot in {s.built_after_snapshot for s in state.values()}}
    tables = {f"{schema}.{table}" for schema, table in conn.execute(
        "select table_schema, table_name from information_schema.tables where table_catalog = current_database()")
        .fetchall()}
    return Plan(current_snapshot_id(conn), full_refresh_reasons(manifest, state, lost),
                unchanged_seeds(manifest, state, tables), unchanged_views(manifest, state, tables))


@cache
def project_manifest() -> dict:
    """The parsed dbt project (`make manifest`): the code every dbt invocation of this process runs."""
    return json.loads((DBT_PROJECT_DIR / "target" / "manifest.json").read_text())


@contextmanager
def planned_build(connect: Callable[..., AbstractContextManager[duckdb.DuckDBPyConnection]],
                  run_results: Path) -> Iterator[Plan]:
    """Around one dbt invocation on a lake (`connect(read_only=...)` opens it; `run_results` is where the invocation
    writes its run_results.json): yields the plan, then records what the invocation built for the next one - also
    when it failed part-way (what it did build is recorded). Dagster's dbt ops and the plain runs (benchmark, tests)
    go through here alike."""
    run_results.unlink(missing_ok=True)  # a run that breaks off before writing its own must not record an older one
    manifest = project_manifest()
    with connect(read_only=True) as conn:
        build_plan = plan(conn, manifest)
    try:
        yield build_plan
    finally:
        with connect() as conn:
            record(conn, manifest, run_results, build_plan.snapshot)


def _deleted_since(conn: duckdb.DuckDBPyConnection, snapshot: int) -> set[str] | None:
    return tables_changed_since(conn, snapshot, kinds=("tables_deleted_from",))


def record(conn: duckdb.DuckDBPyConnection, manifest: Mapping, run_results: Path, snapshot_before: int) -> list[str]:
    """After a dbt invocation: the incremental models, seeds and views it built successfully, with their lineage's
    checksum and the snapshot taken before the invocation (deletions after it are still to be seen). Returns their
    names."""
    if not run_results.exists():
        return []
    models = {**incremental_models(manifest), **seeds(manifest), **views(manifest)}
    built = [r["unique_id"] for r in json.loads(run_results.read_text())["results"]
             if r["unique_id"] in models and r["status"] == "success"]
    if not built:
        return []
    rows = [(uid, models[uid], lineage_checksum(manifest, uid), snapshot_before) for uid in built]
    conn.execute("create schema if not exists meta")
    conn.execute(STATE_DDL)
    conn.execute("begin")
    conn.executemany(f"delete from {STATE_TABLE} where unique_id = ?", [(uid,) for uid in built])
    conn.executemany(f"insert into {STATE_TABLE} values (?, ?, ?, ?, now()::timestamp)", rows)
    conn.execute("commit")
    return [models[uid] for uid in built]
