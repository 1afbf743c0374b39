"""Every environment variable the pipeline reads is read by orchestration.config, checked at load, and what a run
config leaves unset falls back to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.config import load_settings, run_or_setting
from orchestration.pii import token_key_of


def test_retention_settings_have_defaults_and_a_bad_value_is_named(tmp_path):
    settings = load_settings({"LAKEHOUSE_DATA_DIR": str(tmp_path)})
    assert (settings.keep_snapshots_days, settings.keep_dbt_runs_days) == (30, 14)
    assert (settings.serving_keep_snapshots_hours, settings.serving_file_grace_minutes) == (24, 60)
    tuned = load_settings({"LAKEHOUSE_DATA_DIR": str(tmp_path), "SERVING_KEEP_SNAPSHOTS_HOURS": "0",
                           "LAKEHOUSE_KEEP_SNAPSHOTS_DAYS": " 7 "})
    assert (tuned.serving_keep_snapshots_hours, tuned.keep_snapshots_days) == (0, 7)
    for value in ("-1", "two", "1.5"):
        with pytest.raises(ValueError, match=r"LAKEHOUSE_KEEP_DBT_RUNS_DAYS='.*': expected a whole number >= 0"):
            load_settings({"LAKEHOUSE_DATA_DIR": str(tmp_path), "LAKEHOUSE_KEEP_DBT_RUNS_DAYS": value})


def test_a_run_config_overrides_a_setting_only_when_it_says_something():
    assert run_or_setting(None, 24) == 24
    assert run_or_setting(0, 24) == 0


def test_the_token_key_comes_from_the_settings_never_shows_in_them_and_else_from_the_data_dir(tmp_path):
    configured = load_settings({"LAKEHOUSE_DATA_DIR": str(tmp_path), "PII_TOKEN_KEY": "s3cret-key"})
    assert token_key_of(configured) == b"s3cret-key"
    assert "s3cret-key" not in repr(configured)
    local = load_settings({"LAKEHOUSE_DATA_DIR": str(tmp_path)})
    key = token_key_of(local)
    assert len(key) == 64 and token_key_of(local) == key  # generated once, then read back
    assert Path(tmp_path, "secrets", "pii_token.key").stat().st_mode & 0o077 == 0
