"""The merchant jobs, schedule and sensor load, select the right models, and the marts carry group, owner, docs."""

from __future__ import annotations

import dagster as dg

MARTS = {dg.AssetKey(["marts", "merchant_tiers"]), dg.AssetKey(["marts", "merchant_warnings"])}


def _defs() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs


def test_the_schedule_and_the_sensor_load_with_their_jobs():
    defs = _defs()
    schedule = defs.resolve_schedule_def("merchant_warnings_schedule")
    sensor = defs.resolve_sensor_def("merchant_reevaluation_sensor")
    assert schedule.job_name == "merchant_warnings_daily" and schedule.cron_schedule == "30 3 * * *"
    assert sensor.job_name == "merchant_reevaluation"
    assert schedule.description and sensor.description


def test_the_daily_job_builds_the_warnings_and_everything_they_are_built_from():
    selected = _defs().resolve_job_def("merchant_warnings_daily").asset_layer.selected_asset_keys
    assert MARTS <= selected
    assert dg.AssetKey(["marts", "fct_loans"]) in selected
    assert dg.AssetKey(["staging", "stg_operations__complaints"]) in selected
    assert dg.AssetKey(["marts", "risk_vintage"]) not in selected


def test_the_reevaluation_job_rebuilds_the_two_marts_and_the_measured_days_they_read_not_the_core():
    # the measured days are a table the new complaints reach through staging views (tests/merchants/
    # test_reevaluation_job.py shows a landed complaint reaching the warnings); the core facts are not rebuilt
    selected = _defs().resolve_job_def("merchant_reevaluation").asset_layer.selected_asset_keys
    assert selected == MARTS | {dg.AssetKey(["intermediate", "int_merchant_days_measured"])}


def test_the_marts_sit_in_the_merchants_group_with_an_owner_and_a_description():
    graph = _defs().resolve_asset_graph()
    for key in MARTS:
        node = graph.get(key)
        assert node.group_name == "merchants"
        assert node.owners == ["team:merchant-risk"]
        assert node.description
