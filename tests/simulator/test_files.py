"""The landing files: determinism, layout, headers/keys and value formats against the ingestion contract."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from tests.simulator.conftest import SMALL, landing_files, read_entity

CLI_ARGS = ["--customers", "300", "--start", "2024-11-01", "--end", "2024-12-31"]

FORMATS = {
    "integer": re.compile(r"-?\d+"),
    "decimal": re.compile(r"-?\d+\.\d{2}"),
    "double": re.compile(r"-?\d+(\.\d+)?"),
    "boolean": re.compile(r"true|false"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "timestamp": re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"),
}


def _cli(out: Path, seed: int) -> None:
    subprocess.run(
        [sys.executable, "-m", "simulator", *CLI_ARGS, "--seed", str(seed), "--out", str(out)],
        check=True, capture_output=True, cwd=Path(__file__).resolve().parents[2],
    )


def _tree(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes_and_other_seed_differs(tmp_path):
    _cli(tmp_path / "a", 3)
    _cli(tmp_path / "b", 3)
    _cli(tmp_path / "c", 4)
    a, b, c = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(tmp_path / "c")
    assert len(a) > 50
    assert a.keys() == b.keys()
    assert all(a[k] == b[k] for k in a), [k for k in a if a[k] != b[k]][:5]
    common = a.keys() & c.keys()
    assert any(a[k] != c[k] for k in common)


def test_files_follow_the_landing_layout(small_run, contracts):
    files = landing_files(small_run)
    assert files
    start, end = SMALL["start"].isoformat(), SMALL["end"].isoformat()
    for path in files:
        system, day, name = path.relative_to(small_run / "landing").parts
        entity, ext = name.rsplit(".", 1)
        assert (system, entity) in contracts, path
        assert contracts[(system, entity)]["format"] == ext, path
        assert start <= day <= end, path
        assert path.stat().st_size > 0


def test_every_contracted_entity_is_written(medium_run, contracts):
    written = {(p.parts[-3], p.name.rsplit(".", 1)[0]) for p in landing_files(medium_run)}
    assert set(contracts) == written


def test_headers_and_keys_match_the_contract(small_run, contracts):
    for path in landing_files(small_run):
        system, _, name = path.relative_to(small_run / "landing").parts
        expected = list(contracts[(system, name.rsplit(".", 1)[0])]["columns"])
        raw = path.read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n"), path
        text = raw.decode("utf-8")
        if path.suffix == ".csv":
            assert text.split("\n", 1)[0] == ",".join(expected), path
        else:
            for line in text.splitlines():
                assert list(json.loads(line)) == expected, path


def test_values_are_formatted_as_contracted(medium_run, contracts):
    for (system, entity), contract in contracts.items():
        frame = read_entity(medium_run, system, entity)
        for column, kind in contract["columns"].items():
            if kind == "string":
                continue
            values = frame[column]
            present = values[values != ""]
            bad = present[~present.astype(str).str.fullmatch(FORMATS[kind].pattern)]
            assert bad.empty, f"{system}.{entity}.{column}: {bad.head(3).tolist()}"
        for key in contract["primary_key"]:
            assert (frame[key] != "").all(), f"{system}.{entity}: empty key {key}"


def test_primary_keys_are_unique_across_days(medium_run, contracts):
    for (system, entity), contract in contracts.items():
        frame = read_entity(medium_run, system, entity)
        duplicated = frame.duplicated(contract["primary_key"])
        assert not duplicated.any(), f"{system}.{entity}: {frame[duplicated].head(3)}"


def test_events_land_on_their_day(medium_run):
    checks = {
        ("core_lending", "customers"): "registered_at",
        ("core_lending", "applications"): "applied_at",
        ("core_lending", "loans"): "disbursed_on",
        ("core_lending", "repayments"): "paid_at",
        ("merchant_management", "merchants"): "updated_at",
        ("merchant_management", "stores"): "opened_on",
        ("merchant_management", "sales_reps"): "hired_on",
        ("operations", "callbacks"): "called_at",
        ("operations", "complaints"): "received_at",
        ("marketing", "contact_history"): "contacted_at",
        ("fraud_data", "device_fingerprints"): "captured_at",
        ("merchant_cosharing", "course_withdrawals"): "agreed_on",
    }
    for (system, entity), column in checks.items():
        frame = read_entity(medium_run, system, entity)
        assert (frame[column].str[:10] == frame["_landing"]).all(), f"{system}.{entity}"


def test_truth_files(medium_run):
    truth = medium_run / "truth"
    customers = pq.read_table(truth / "customers.parquet").to_pandas()
    applications = pq.read_table(truth / "applications.parquet").to_pandas()
    merchants = pq.read_table(truth / "merchants.parquet").to_pandas()
    assert list(customers.columns) == ["customer_id", "latent_risk", "fraud_ring_id"]
    assert list(applications.columns) == ["application_id", "is_fraud"]
    assert list(merchants.columns) == ["merchant_id", "latent_state", "deteriorates_on"]
    assert customers["latent_risk"].between(0, 1, inclusive="neither").all()
    assert applications["is_fraud"].dtype == bool and 0 < applications["is_fraud"].mean() < 0.1
    assert set(merchants["latent_state"]) == {"healthy", "deteriorating", "colluding"}
    assert (merchants["deteriorates_on"].notna() == (merchants["latent_state"] == "deteriorating")).all()
    landed = read_entity(medium_run, "core_lending", "customers")
    assert sorted(landed["customer_id"]) == sorted(customers["customer_id"])
    apps = read_entity(medium_run, "core_lending", "applications")
    assert sorted(apps["application_id"]) == sorted(applications["application_id"])
    assert set(read_entity(medium_run, "merchant_management", "merchants")["merchant_id"]) == set(
        merchants["merchant_id"]
    )
    ring_share = customers["fraud_ring_id"].notna().mean()
    assert 0.005 < ring_share < 0.03
    assert isinstance(pd.Timestamp(merchants["deteriorates_on"].dropna().iloc[0]), pd.Timestamp)
