"""A DuckDB that writes the lake spills to the data dir's tmp/duckdb when its memory limit is reached. DuckDB creates
only the last level of its temp directory, and only when it first has to spill - which at 1M customers happened
mid-build, after 14 minutes: the directory must exist before any writer needs it."""

from __future__ import annotations

import os
import subprocess

from orchestration.config import DBT_PROJECT_DIR, load_settings
from orchestration.lakehouse import connect_lake
from orchestration.resources import dbt_executable

# A sort far larger than the memory limit below: DuckDB has to spill it.
SPILLING_QUERY = "select count(*) from (select range as r from range(4000000) order by hash(r) desc)"


def test_a_lake_writer_spills_under_a_small_memory_limit_on_a_fresh_data_dir(tmp_path):
    settings = load_settings({"LAKEHOUSE_DATA_DIR": str(tmp_path / "data")})
    assert not settings.duckdb_temp_dir.exists()
    with connect_lake(settings.catalog_url, settings.lake_data_path, memory_limit="24MB",
                      temp_directory=str(settings.duckdb_temp_dir)) as conn:
        conn.execute("SET threads = 1; SET preserve_insertion_order = false")
        assert conn.execute(SPILLING_QUERY).fetchone()[0] == 4_000_000
    assert settings.duckdb_temp_dir.is_dir()


def test_the_dbt_environment_points_at_a_spill_dir_that_exists(tmp_path):
    settings = load_settings({"LAKEHOUSE_DATA_DIR": str(tmp_path / "data")})
    env = settings.dbt_env()
    assert env["LAKEHOUSE_DUCKDB_TEMP_DIRECTORY"] == str(settings.duckdb_temp_dir)
    assert settings.duckdb_temp_dir.is_dir()


def test_dbt_goes_on_building_after_a_model_spilled(tmp_path):
    """Two models built with the real profile under a small memory limit: the first spills, the second (on a new
    cursor) still builds. With the spill dir set per cursor, DuckDB refused it: 'Cannot switch temporary directory
    after the current one has been used'."""
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text(
        "name: spill_check\nversion: '1.0'\nprofile: risk_lakehouse\nmodel-paths: [models]\n"
        "models:\n  spill_check:\n    +materialized: table\n")
    (project / "models" / "spills.sql").write_text(SPILLING_QUERY.replace("count(*)", "count(*) as n"))
    (project / "models" / "after_the_spill.sql").write_text("select n + 1 as n from {{ ref('spills') }}")
    settings = load_settings({"LAKEHOUSE_DATA_DIR": str(tmp_path / "data"), "LAKEHOUSE_DUCKDB_MEMORY_LIMIT": "24MB"})
    with connect_lake(settings.catalog_url, settings.lake_data_path):
        pass  # a new, empty lake
    env = {**os.environ, **settings.dbt_env(), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    run = subprocess.run(
        [dbt_executable(), "run", "--project-dir", str(project), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-3000:]
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        assert conn.execute("select n from main.after_the_spill").fetchone()[0] == 4_000_001
