"""A two-year lake of 2,000 customers with the merchant risk marts built (and the same lake cut off at a day, for
the point-in-time test), each built once per session by the loader and dbt directly, as tests/credit does."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.config import Settings
from tests.credit.conftest import build_lake

MERCHANT_ARGS = ["--customers", "2000", "--start", "2024-11-01", "--end", "2026-10-31", "--seed", "42"]
CUTOFF = "2026-03-31"
SELECT = "+merchant_warnings"


@pytest.fixture(scope="session")
def merchant_landing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("merchant_sim")
    subprocess.run([sys.executable, "-m", "simulator", *MERCHANT_ARGS, "--out", str(out)], check=True,
                   capture_output=True)
    return out


@pytest.fixture(scope="session")
def merchant_lake(merchant_landing, tmp_path_factory) -> Settings:
    data_dir = tmp_path_factory.mktemp("merchant_lake")
    shutil.copytree(merchant_landing / "landing", data_dir / "landing")
    shutil.copytree(merchant_landing / "truth", data_dir / "truth")
    return build_lake(data_dir, select=SELECT)


@pytest.fixture(scope="session")
def merchant_lake_at_cutoff(merchant_landing, tmp_path_factory) -> Settings:
    """The same extracts, but only the landing days up to CUTOFF - the lake as it stood that day."""
    data_dir = tmp_path_factory.mktemp("merchant_lake_cut")
    for day_dir in (merchant_landing / "landing").glob("*/*"):
        if day_dir.name <= CUTOFF:
            shutil.copytree(day_dir, data_dir / "landing" / day_dir.parent.name / day_dir.name)
    return build_lake(data_dir, select=SELECT, data_tests=False)  # the full lake's build runs the same tests
