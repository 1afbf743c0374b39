"""When an incremental model is rebuilt in full, when a seed is left out (orchestration/incremental.py), and how the
checks of the daily path are narrowed to what the run wrote (expectations.DataSet.query_since) - pure functions on
small manifests."""

from __future__ import annotations

import copy

from expectations import DataSet
from orchestration.incremental import (
    BuildState,
    Plan,
    full_refresh_reasons,
    lineage_checksum,
    source_tables,
    unchanged_seeds,
    unchanged_views,
)


def _manifest() -> dict:
    def model(name, materialized, depends, macros=(), sql="select 1", tags=()):
        return {"resource_type": "model", "name": name, "schema": "marts", "alias": name, "tags": list(tags),
                "config": {"materialized": materialized}, "checksum": {"checksum": sql},
                "columns": {"k": {"name": "k", "description": "the key", "data_type": "varchar"}},
                "depends_on": {"nodes": list(depends), "macros": list(macros)}}

    return {
        "nodes": {
            "model.p.stg": {**model("stg", "view", ["source.p.core.loans"]), "schema": "staging"},
            "seed.p.thresholds": {"resource_type": "seed", "name": "thresholds", "schema": "reference",
                                  "alias": "thresholds", "config": {"materialized": "seed"},
                                  "checksum": {"checksum": "file-1"}, "depends_on": {"nodes": [], "macros": []}},
            "model.p.fct": model("fct", "incremental", ["model.p.stg"], ["macro.p.dpd"]),
            "model.p.tiers": model("tiers", "incremental", ["model.p.fct", "seed.p.thresholds"]),
            "model.p.other": model("other", "incremental", ["source.p.ops.complaints"]),
            "model.p.refunds": model("refunds", "incremental", ["model.p.fct"], tags=["daily_partitioned"]),
        },
        "sources": {"source.p.core.loans": {"schema": "raw", "identifier": "core__loans"},
                    "source.p.ops.complaints": {"schema": "raw", "identifier": "ops__complaints"}},
        "macros": {"macro.p.dpd": {"macro_sql": "a - b", "depends_on": {"macros": ["macro.p.days"]}},
                   "macro.p.days": {"macro_sql": "days", "depends_on": {"macros": []}}},
    }


def _built(manifest: dict, snapshot: int = 10) -> dict[str, BuildState]:
    return {uid: BuildState(lineage_checksum(manifest, uid), snapshot)
            for uid in ("model.p.stg", "model.p.fct", "model.p.tiers", "model.p.other", "seed.p.thresholds")}


def test_models_built_with_the_same_code_and_no_lost_rows_go_on_incrementally():
    manifest = _manifest()
    assert full_refresh_reasons(manifest, _built(manifest), {10: set()}) == {}


def test_a_model_never_built_here_is_built_in_full_and_a_partitioned_one_never_is():
    manifest = _manifest()
    state = _built(manifest)
    del state["model.p.other"]
    assert full_refresh_reasons(manifest, state, {10: set()}) == {"other": "never built by this lake's pipeline"}


def test_changed_code_upstream_rebuilds_the_models_below_it_only():
    manifest = _manifest()
    state = _built(manifest)
    changed = copy.deepcopy(manifest)
    changed["macros"]["macro.p.days"]["macro_sql"] = "days + 1"  # a macro the fact's macro calls
    assert set(full_refresh_reasons(changed, state, {10: set()})) == {"fct", "tiers"}
    reseeded = copy.deepcopy(manifest)
    reseeded["nodes"]["seed.p.thresholds"]["checksum"]["checksum"] = "file-2"  # a risk officer's new threshold
    assert set(full_refresh_reasons(reseeded, state, {10: set()})) == {"tiers"}
    described = copy.deepcopy(manifest)
    described["nodes"]["model.p.fct"]["config"]["docs"] = {"show": False}  # what only describes it changes nothing
    described["nodes"]["model.p.fct"]["columns"]["k"]["description"] = "the loan's key"
    assert full_refresh_reasons(described, state, {10: set()}) == {}
    retyped = copy.deepcopy(described)
    retyped["nodes"]["model.p.fct"]["columns"]["k"]["data_type"] = "bigint"  # its contract does
    assert set(full_refresh_reasons(retyped, state, {10: set()})) == {"fct", "tiers"}


def test_rows_removed_from_a_source_rebuild_what_is_built_from_it():
    manifest = _manifest()
    assert source_tables(manifest, "model.p.tiers") == {"raw.core__loans"}
    reasons = full_refresh_reasons(manifest, _built(manifest), {10: {"raw.core__loans", "marts.fct"}})
    assert set(reasons) == {"fct", "tiers"} and "raw.core__loans" in reasons["fct"]
    # the snapshot of the last build has expired: nobody knows what was removed since
    assert set(full_refresh_reasons(manifest, _built(manifest), {10: None})) == {"fct", "tiers", "other"}


def test_an_unchanged_seed_whose_table_is_there_is_left_out():
    manifest = _manifest()
    state = _built(manifest)
    assert unchanged_seeds(manifest, state, {"reference.thresholds"}) == ("thresholds",)
    assert unchanged_seeds(manifest, state, set()) == ()  # dropped by hand: load it again
    changed = copy.deepcopy(manifest)
    changed["nodes"]["seed.p.thresholds"]["checksum"]["checksum"] = "file-2"
    assert unchanged_seeds(changed, state, {"reference.thresholds"}) == ()
    plan = Plan(1, {"fct": "why"}, ("thresholds", "districts"))
    assert plan.env() == {"LAKEHOUSE_FULL_REFRESH_MODELS": "fct", "LAKEHOUSE_UNCHANGED_VIEWS": ""}
    assert plan.args() == ["--exclude", "thresholds districts"]  # one value: dagster-dbt reads one per flag


def test_a_view_created_from_the_same_code_is_not_created_again_and_keeps_its_tests():
    manifest = _manifest()
    state = _built(manifest)
    assert unchanged_views(manifest, state, {"staging.stg"}) == ("stg",)
    assert unchanged_views(manifest, state, set()) == ()  # dropped by hand: create it again
    changed = copy.deepcopy(manifest)
    changed["nodes"]["model.p.stg"]["checksum"]["checksum"] = "select 2"  # its SQL changed
    assert unchanged_views(changed, state, {"staging.stg"}) == ()
    never = {uid: built for uid, built in state.items() if uid != "model.p.stg"}  # never created by the pipeline
    assert unchanged_views(manifest, never, {"staging.stg"}) == ()
    plan = Plan(1, {}, (), ("stg",))
    # named to the project's view materialization, not left out: its tests read the day's new rows
    assert plan.env()["LAKEHOUSE_UNCHANGED_VIEWS"] == "stg" and plan.args() == []


def test_a_suite_on_the_daily_path_reads_the_rows_written_after_the_snapshot_and_looks_parents_up_whole():
    data = DataSet("raw.core__loans", "select *, (x in (select x from raw.core__loans)) as x_is_known "
                   "from raw.core__loans", lambda: None, "")
    assert data.query_since(41) == ("select *, (x in (select x from raw.core__loans)) as x_is_known "
                                    "from (select * from raw.core__loans where snapshot_id > 41) as core__loans")
    joined = DataSet("marts.t", "select * from marts.t join marts.u using (k)", lambda: None, "")
    assert joined.query_since(41) == joined.query  # not shaped for it: read whole
