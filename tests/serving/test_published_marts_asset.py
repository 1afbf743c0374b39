"""The publish asset: downstream of every mart, at the end of every job that changes marts."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.defs.serving import PUBLISHED_MARTS_KEY


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs


def test_published_marts_depends_on_every_mart_in_the_graph(defs):
    graph = defs.resolve_asset_graph()
    marts = {k for k in graph.get_all_asset_keys() if k.path[0] == "marts" and graph.get(k).is_materializable}
    assert marts and marts <= set(graph.get(PUBLISHED_MARTS_KEY).parent_keys)


@pytest.mark.parametrize("job", ["daily_batch", "education_refunds", "credit_scoring", "fraud_scoring"])
def test_every_job_that_changes_marts_ends_by_publishing_them(defs, job):
    assert PUBLISHED_MARTS_KEY in defs.resolve_job_def(job).asset_layer.selected_asset_keys
