"""One build of a lake, as a process the fault tests can kill: load every landing file into raw, build the dbt models
and seeds (the tests are left out: they change no table), publish the marts to the serving lake.

    python -m tests.quality.build_once <data_dir>              # load, dbt, publish
    python -m tests.quality.build_once <data_dir> --publish N  # only publish the marts again, N times

The same steps the `daily_batch` and `marketing_lists` jobs run (raw_landing_files, the dbt models, published_marts),
without Dagster's bookkeeping, so a test can afford several builds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from orchestration.config import load_settings
from orchestration.defs.ingestion.contracts import load_contracts
from orchestration.defs.ingestion.landing import files_by_table
from orchestration.defs.ingestion.loader import load_entity
from orchestration.lakehouse import connect_lake
from orchestration.resources import build_resources, dbt_command
from orchestration.serving import publish


def publish_again(data_dir: Path, times: int) -> None:
    """What readers of the serving lake meet: its tables replaced in one commit, `times` times in a row."""
    settings = load_settings({"LAKEHOUSE_DATA_DIR": str(data_dir)})
    for number in range(times):
        with build_resources(settings)["lakehouse"].connect_publisher() as conn:
            publish(conn)
        print(f"published {number + 1}/{times}", flush=True)


def build(data_dir: Path) -> None:
    settings = load_settings({"LAKEHOUSE_DATA_DIR": str(data_dir)})
    files = files_by_table(settings.landing_dir)
    with connect_lake(settings.catalog_url, settings.lake_data_path) as conn:
        for contract in load_contracts():
            load_entity(conn, contract, files.get(contract.table, []))
    print("loaded", flush=True)
    env = {**os.environ, "LAKEHOUSE_DATA_DIR": str(data_dir), **settings.dbt_env()}
    subprocess.run(
        dbt_command(data_dir, "build", "--exclude", "tag:daily_partitioned", "--exclude-resource-type", "test",
                    "--exclude-resource-type", "unit_test"),
        env=env, check=True,
    )
    print("built", flush=True)
    with build_resources(settings)["lakehouse"].connect_publisher() as conn:
        publish(conn)
    print("published", flush=True)


if __name__ == "__main__":
    if sys.argv[2:3] == ["--publish"]:
        publish_again(Path(sys.argv[1]), int(sys.argv[3]))
    else:
        build(Path(sys.argv[1]))
