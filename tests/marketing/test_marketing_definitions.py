"""The marketing job, its blocking checks, its sensor and the lineage through the credit scores, in Dagster."""

import dagster as dg

from orchestration.defs.marketing.assets import LISTS
from orchestration.defs.marketing.checks import AUDITS


def _defs() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs


def test_the_marketing_job_builds_tags_and_candidates_then_publishes_and_exports_every_list():
    selected = _defs().resolve_job_def("marketing_lists").asset_layer.selected_asset_keys
    expected = {dg.AssetKey(["marts", m]) for m in ("customer_profile", "customer_tags", "tag_dictionary",
                                                    "marketing_restricted_customers", "marketing_list_candidates")}
    expected |= {dg.AssetKey([schema, name]) for name in LISTS for schema in ("marts", "exports")}
    assert expected <= selected


def test_every_list_is_published_behind_blocking_error_checks():
    defs = _defs()
    graph = defs.resolve_asset_graph()
    for name in LISTS:
        key = dg.AssetKey(["marts", name])
        specs = {spec.name: spec for spec in defs.resolve_assets_def(key).check_specs if spec.asset_key == key}
        assert set(specs) == {audit.name for audit in AUDITS}, name
        assert all(spec.blocking for spec in specs.values()), name
        assert key in graph.get(dg.AssetKey(["exports", name])).parent_keys


def test_the_tags_read_the_credit_scores_asset_and_the_trigger_sensor_runs_the_job():
    defs = _defs()
    graph = defs.resolve_asset_graph()
    assert dg.AssetKey(["marts", "application_scores"]) in graph.get(
        dg.AssetKey(["marts", "customer_profile"])).parent_keys
    sensor = defs.resolve_sensor_def("marketing_trigger_sensor")
    assert sensor.job_name == "marketing_lists"
