"""The suites as asset checks: each on an asset of the graph, blocking where its module says, selected by the jobs
that read the model inputs."""

from __future__ import annotations

import dagster as dg
import pytest

from expectations import data_sets
from orchestration.defs.quality.checks import SUITE_CHECK, VOLUME_CHECK, asset_key


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs


def test_every_suite_is_a_check_of_an_asset_in_the_graph(defs):
    graph = defs.resolve_asset_graph()
    assets = set(graph.get_all_asset_keys())
    checks = {key: graph.get_check_spec(key) for key in graph.asset_check_keys}
    for data in data_sets():
        assert asset_key(data) in assets, data.table
        spec = checks[dg.AssetCheckKey(asset_key(data), SUITE_CHECK)]
        assert spec.blocking == data.blocking, data.table
        assert spec.description
        if data.schema == "raw":
            assert not checks[dg.AssetCheckKey(asset_key(data), VOLUME_CHECK)].blocking


@pytest.mark.parametrize(
    "job, inputs",
    [("credit_training", ["credit_features"]), ("credit_scoring", ["credit_features"]),
     ("fraud_training", ["fraud_features", "fraud_labels"]), ("fraud_scoring", ["fraud_features"])],
)
def test_jobs_that_read_model_inputs_run_their_blocking_suites(defs, job, inputs):
    selected = defs.resolve_job_def(job).asset_layer.asset_graph.asset_check_keys
    for table in inputs:
        assert dg.AssetCheckKey(dg.AssetKey(["marts", table]), SUITE_CHECK) in selected
