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


def _jobs_it_blocks(defs, data) -> set[str]:
    """Jobs that run the suite's check and hold something downstream of its table back when it fails."""
    graph = defs.resolve_asset_graph()
    key, downstream, frontier = asset_key(data), set(), [asset_key(data)]
    while frontier:
        for child in graph.get(frontier.pop()).child_keys:
            if child not in downstream:
                downstream.add(child)
                frontier.append(child)
    jobs = set()
    for job in defs.get_repository_def().get_all_jobs():
        if job.name.startswith("__"):  # Dagster's implicit job of every asset
            continue
        layer = job.asset_layer.asset_graph
        if dg.AssetCheckKey(key, SUITE_CHECK) in layer.asset_check_keys and downstream & set(
                job.asset_layer.selected_asset_keys):
            jobs.add(job.name)
    return jobs


def test_every_blocking_suite_says_for_each_job_it_blocks_whether_it_guards_what_it_blocks(defs):
    job_names = {job.name for job in defs.get_repository_def().get_all_jobs()}
    for data in (d for d in data_sets() if d.blocking):
        assert "Blocking - does it guard what it blocks?" in data.description, data.table
        answered = {word for line in data.description.splitlines() if line.startswith("- ")
                    for word in line[2:].split(":")[0].replace(",", " ").split() if word in job_names}
        assert answered == _jobs_it_blocks(defs, data), data.table
