"""Personal data leaves raw and staging only as tokens and masked forms: no serving table and no MLflow artifact holds
an ID number or mobile of the raw tables, and the token key is never written anywhere."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from orchestration.config import REPO_ROOT, Settings, load_settings
from orchestration.defs.ingestion.contracts import load_contracts
from orchestration.lakehouse import connect_lake
from orchestration.serving import PUBLISHED_SCHEMA, connect_serving, pii_findings
from tests.quality.lakes import TOKEN_KEY
from tests.small_lake import trained_models_store

pytestmark = pytest.mark.slow

# Anything that could be an ID number (18) or a mobile (11 digits) - compared with the raw values, so no false alarm.
CANDIDATE = r"[0-9]{17}[0-9Xx]|[0-9]{11}"


def raw_personal_numbers(settings: Settings) -> set[str]:
    """Every ID number and mobile in the raw tables (every personal text column of the contracts)."""
    values: set[str] = set()
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        for contract in load_contracts():
            for column in (c for c in contract.columns if c.pii and c.type == "string"):
                values |= {r[0] for r in conn.execute(
                    f'select distinct "{column.name}" from raw.{contract.table} '
                    f'where regexp_matches("{column.name}", \'^({CANDIDATE})$\')').fetchall()}
    return values


def serving_numbers(settings: Settings) -> dict[str, set[str]]:
    """Digit runs shaped like an ID number or mobile in every column (as text) of every serving table."""
    found: dict[str, set[str]] = {}
    with connect_serving(settings) as conn:
        columns = conn.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = 'serving'").fetchall()
        for schema, table, column in columns:
            rows = conn.execute(
                f'select distinct unnest(regexp_extract_all(cast("{column}" as varchar), \'{CANDIDATE}\')) '
                f'from serving.{schema}."{table}"').fetchall()
            if rows:
                found[f"{schema}.{table}.{column}"] = {r[0] for r in rows}
    return found


def test_no_serving_table_holds_a_raw_id_or_mobile_number(reference_lake):
    data_dir, _, _ = reference_lake
    settings = load_settings({"LAKEHOUSE_DATA_DIR": str(data_dir)})
    personal = raw_personal_numbers(settings)
    assert len(personal) > 1000  # the tiny lake's ID numbers, mobiles and contacts
    leaks = {where: len(numbers & personal) for where, numbers in serving_numbers(settings).items()
             if numbers & personal}
    assert leaks == {}
    with connect_serving(settings) as conn:
        tables = [r[0] for r in conn.execute(
            "select table_name from information_schema.tables where table_catalog = 'serving' and table_schema = ?",
            [PUBLISHED_SCHEMA]).fetchall()]
        assert pii_findings(conn, "serving", PUBLISHED_SCHEMA, tables) == []
        schemas = {r[0] for r in conn.execute(
            "select schema_name from information_schema.schemata where catalog_name = 'serving'").fetchall()}
    assert schemas <= {"main", "marts", "meta"}


def test_the_token_key_is_never_written_to_the_lake_or_the_repository(reference_lake):
    data_dir, _, _ = reference_lake
    key = TOKEN_KEY.encode()
    for path in (p for p in Path(data_dir).rglob("*") if p.is_file()):
        assert key not in path.read_bytes(), path
    assert not (Path(data_dir) / "secrets").exists()  # a key from the environment is never copied to disk
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True).stdout.split()
    assert not [p for p in tracked if p.endswith(".key") or "/secrets/" in f"/{p}"]


def _artifacts_logged(settings: Settings) -> bool:
    store = Path(settings.mlflow_artifact_root)
    return store.exists() and any(p.is_file() for p in store.rglob("*"))


def test_no_mlflow_artifact_holds_a_raw_id_or_mobile_number(credit_lake, tmp_path):
    """Input examples, signatures, tables, model cards, pickled models and the tracking database."""
    settings = trained_models_store(credit_lake, tmp_path, _artifacts_logged)
    store = Path(settings.mlflow_artifact_root)
    files = [p for p in store.rglob("*") if p.is_file()]
    database = Path(settings.mlflow_tracking_uri.removeprefix("sqlite:///"))
    personal = {v.encode() for v in raw_personal_numbers(credit_lake)}
    assert len(personal) > 1000
    candidate = re.compile(CANDIDATE.encode())
    leaks = {}
    for path in [*files, database]:
        hits = set(candidate.findall(path.read_bytes())) & personal
        if hits:
            leaks[str(path)] = len(hits)
    assert leaks == {}
    assert any(p.name.startswith("input_example") for p in files)  # the examples were there to be scanned
