"""The code location loads, and its asset graph has every contracted raw table and its staging model."""

from __future__ import annotations

from datetime import timedelta

import dagster as dg

from orchestration.defs.ingestion.contracts import load_contracts


def _defs() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs


def test_definitions_load_with_jobs_schedules_and_sensors():
    defs = _defs()
    assert {"daily_path", "daily_batch", "education_refunds", "lakehouse_maintenance_job"} <= {
        j.name for j in defs.resolve_all_job_defs()
    }
    assert defs.resolve_sensor_def("landing_zone_sensor")
    assert defs.resolve_sensor_def("education_refunds_after_batch")
    assert defs.resolve_schedule_def("daily_path_schedule")
    assert defs.resolve_schedule_def("lakehouse_maintenance_schedule")


def test_the_daily_path_checks_what_it_writes_and_a_weekly_job_checks_everything():
    from orchestration.check_scope import CHECK_SCOPE_TAG, WRITTEN_BY_RUN

    defs = _defs()
    assert defs.resolve_job_def("daily_path").tags[CHECK_SCOPE_TAG] == WRITTEN_BY_RUN
    weekly = defs.resolve_job_def("data_quality_full")
    assert CHECK_SCOPE_TAG not in weekly.tags and not weekly.asset_layer.selected_asset_keys  # checks only
    checks = weekly.asset_layer.asset_graph.asset_check_keys
    assert dg.AssetCheckKey(dg.AssetKey(["marts", "fct_loans"]), "great_expectations") in checks
    assert any(key.asset_key == dg.AssetKey(["marts", "merchant_tiers"]) and key.name != "great_expectations"
               for key in checks)  # dbt's tests of the mart
    assert defs.resolve_schedule_def("data_quality_full_schedule").cron_schedule == "0 5 * * 0"


def test_every_contracted_source_has_a_raw_asset_and_a_staging_model_downstream_of_it():
    graph = _defs().resolve_asset_graph()
    keys = set(graph.get_all_asset_keys())
    for contract in load_contracts():
        raw = dg.AssetKey(["raw", contract.table])
        staging = dg.AssetKey(["staging", f"stg_{contract.source_system}__{contract.entity}"])
        assert raw in keys and staging in keys, contract.table
        assert raw in graph.get(staging).parent_keys


def test_every_asset_has_a_group_an_owner_and_a_description():
    graph = _defs().resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if not node.is_materializable:
            continue
        assert node.group_name and node.group_name != "default", key
        assert node.owners, key
        assert node.description, key


def test_lakehouse_writers_share_one_pool():
    defs = _defs()
    graph = defs.resolve_asset_graph()
    pools = {frozenset(graph.get(k).pools or ()) for k in graph.get_all_asset_keys() if graph.get(k).is_materializable}
    assert pools == {frozenset({"lakehouse_writer"})}


def test_the_t1_refund_instructions_are_daily_partitioned_and_left_out_of_the_batch():
    defs = _defs()
    key = dg.AssetKey(["marts", "education_refund_instructions"])
    assert defs.resolve_asset_graph().get(key).partitions_def is not None
    batch = defs.resolve_job_def("daily_batch")
    assert key not in batch.asset_layer.selected_asset_keys
    assert dg.AssetKey(["marts", "fct_loans"]) in batch.asset_layer.selected_asset_keys


def test_every_daily_mart_and_the_publication_are_due_between_the_batch_and_the_morning_after():
    from orchestration.freshness import T1_FRESHNESS

    defs = _defs()
    graph = defs.resolve_asset_graph()
    late_unnoticed = [key.to_user_string() for key in graph.get_all_asset_keys()
                      if graph.get(key).is_materializable
                      and (key.path[0] == "marts" or key.path[0] == "serving")
                      and graph.get(key).freshness_policy != T1_FRESHNESS]
    assert late_unnoticed == []
    # the window a mart must be built in opens when the batch's schedule fires (daily) and closes that same morning
    schedule = defs.resolve_schedule_def("daily_path_schedule")
    minute, hour, *every_day = schedule.cron_schedule.split()
    due_minute, due_hour, *due_every_day = T1_FRESHNESS.deadline_cron.split()
    assert every_day == due_every_day == ["*", "*", "*"] and minute == due_minute
    assert timedelta(hours=int(due_hour) - int(hour)) == T1_FRESHNESS.lower_bound_delta > timedelta(0)
