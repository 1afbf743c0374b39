"""A DuckDB that writes the lake spills to the data dir's tmp/duckdb when its memory limit is reached. DuckDB creates
only the last level of its temp directory, and only when it first has to spill - which at 1M customers happened
mid-build, after 14 minutes: the directory must exist before any writer needs it."""

from __future__ import annotations

from orchestration.config import load_settings
from orchestration.lakehouse import connect_lake

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
