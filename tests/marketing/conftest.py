"""A tiny lake (the session's tiny simulated landing zone, 4 months) with the marketing models and everything they
need built, the credit scorecard stood in for by a plain scores table, and the lists published and exported once
through Dagster. The list tests then change its inputs and publish again."""

import os
import shutil
import subprocess

import dagster as dg
import pytest

from orchestration.config import Settings
from orchestration.defs.marketing.assets import export_assets, list_assets
from orchestration.defs.marketing.models import marketing_dbt_models
from orchestration.lakehouse import connect_lake
from orchestration.resources import build_resources, dbt_command
from tests.credit.conftest import build_lake

MARKETING = dg.AssetSelection.groups("marketing")
LISTS_ONLY = dg.AssetSelection.assets(*list_assets, *export_assets)

# Stand-in for marts.application_scores (the credit_scoring job writes it; training a scorecard here would cost a
# minute): approved applications grade A with a 50,000 yuan limit, declined ones grade E without one.
STAND_IN_SCORES = """
    create schema if not exists marts;
    create or replace table marts.application_scores as
    select application_id, customer_id, scenario, applied_at,
           case when lower(decision) = 'approved' then 'A' else 'E' end as grade,
           case when lower(decision) = 'approved' then 0.02 else 0.4 end as pd,
           cast(case when lower(decision) = 'approved' then 50000 else 0 end as decimal(18, 2)) as recommended_limit,
           1 as model_version
    from raw.core_lending__applications
"""


def run_dbt(settings: Settings, *args: str) -> None:
    """A dbt command on the lake, quietly, with its artifacts beside the lake (not in the project's target/)."""
    env = {**os.environ, "LAKEHOUSE_DATA_DIR": str(settings.data_dir), **settings.dbt_env()}
    result = subprocess.run(dbt_command(settings.data_dir, *args), env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def point_env_at(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    """dbt (through Dagster) and the export step find the lake and the data dir from the environment."""
    monkeypatch.setenv("LAKEHOUSE_DATA_DIR", str(settings.data_dir))
    for key, value in settings.dbt_env().items():
        monkeypatch.setenv(key, value)


def materialize_marketing(settings: Settings, selection: dg.AssetSelection = MARKETING, raise_on_error: bool = True):
    """The marketing_lists job's assets (dbt models of group marketing, the lists, their exports), or a part."""
    with dg.instance_for_test() as instance:
        return dg.materialize(
            [marketing_dbt_models, *list_assets, *export_assets],
            selection=selection,
            instance=instance,
            resources=build_resources(settings),
            raise_on_error=raise_on_error,
        )


@pytest.fixture(scope="session")
def marketing_lake(tiny_landing, tmp_path_factory) -> Settings:
    data_dir = tmp_path_factory.mktemp("marketing_lake")
    shutil.copytree(tiny_landing / "landing", data_dir / "landing")
    # raw and the seeds (build_lake), the stand-in scores, then the marketing models and everything upstream of them
    # without their tests (the dbt tests run in every `dbt build`, and through Dagster in tests/integration)
    settings = build_lake(data_dir, select="path:seeds")
    with connect_lake(settings.catalog_url, settings.lake_data_path) as conn:
        conn.execute(STAND_IN_SCORES)
    run_dbt(settings, "build", "--select", "+path:models/marts/marketing", "--resource-type", "model",
            "--resource-type", "seed")
    with pytest.MonkeyPatch.context() as monkeypatch:
        point_env_at(monkeypatch, settings)
        assert materialize_marketing(settings, selection=LISTS_ONLY).success
    return settings
