"""Simulator runs shared by the simulator tests, and helpers that read their landing files back as text."""

from __future__ import annotations

import csv
import functools
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from simulator.config import SimConfig
from simulator.engine import run

CONTRACTS_FILE = Path(__file__).resolve().parents[2] / "orchestration" / "defs" / "ingestion" / "source_contracts.yml"

SMALL = dict(customers=500, start=date(2024, 11, 1), end=date(2025, 1, 31), seed=11)
# Big enough for rings, colluding merchants and a few hundred loans observable for six months.
MEDIUM = dict(customers=4_000, start=date(2024, 11, 1), end=date(2025, 10, 31), seed=5)


@pytest.fixture(scope="session")
def contracts() -> dict:
    """{(source_system, entity): {"format": ..., "columns": {name: type}, "primary_key": [...]}}"""
    document = yaml.safe_load(CONTRACTS_FILE.read_text(encoding="utf-8"))
    out = {}
    for system, entities in document.items():
        for entity, spec in entities.items():
            columns = {
                name: (kind if isinstance(kind, str) else kind["type"]) for name, kind in spec["columns"].items()
            }
            out[(system, entity)] = {"format": spec["format"], "columns": columns, "primary_key": spec["primary_key"]}
    return out


def _run(tmp_path_factory, name: str, params: dict) -> Path:
    out = tmp_path_factory.mktemp(name)
    run(SimConfig(out=out, **params), show_progress=False)
    return out


@pytest.fixture(scope="session")
def small_run(tmp_path_factory) -> Path:
    return _run(tmp_path_factory, "sim_small", SMALL)


@pytest.fixture(scope="session")
def medium_run(tmp_path_factory) -> Path:
    return _run(tmp_path_factory, "sim_medium", MEDIUM)


def landing_files(out: Path) -> list[Path]:
    return sorted(p for p in (out / "landing").rglob("*") if p.is_file())


def read_entity(out: Path, system: str, entity: str) -> pd.DataFrame:
    """Every landed row of an entity as text ('' for null), plus the landing day in `_landing`."""
    return _read_entity(out, system, entity).copy()


@functools.cache
def _read_entity(out: Path, system: str, entity: str) -> pd.DataFrame:
    frames = []
    for path in sorted((out / "landing" / system).glob(f"*/{entity}.*")):
        if path.suffix == ".csv":
            with open(path, encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
        else:
            # numbers are kept as their literal text, so "12.50" stays "12.50"
            rows = [
                {k: "" if v is None else (json.dumps(v) if isinstance(v, bool) else v) for k, v in
                 json.loads(line, parse_float=str, parse_int=str).items()}
                for line in path.read_text(encoding="utf-8").splitlines()
            ]
        frame = pd.DataFrame(rows, dtype=object)
        frame["_landing"] = path.parent.name
        frames.append(frame)
    assert frames, f"no files for {system}.{entity}"
    return pd.concat(frames, ignore_index=True)
