"""Builds of the tiny lake in a process of their own (tests/quality/build_once.py), and fingerprints of their marts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.equality import fingerprint
from orchestration.config import REPO_ROOT, load_settings
from orchestration.lakehouse import connect_lake
from orchestration.serving import connect_serving

# One token key for every lake these tests build, so tokens compare across lakes (and the tests know what to look for).
TOKEN_KEY = "test-token-key-only-in-the-environment"


def start_build(data_dir: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.quality.build_once", str(data_dir), *args], cwd=REPO_ROOT,
        env={**os.environ, "PII_TOKEN_KEY": TOKEN_KEY},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )


# Only a hang hits this: the tiny lake builds in under a minute alone, a few minutes on a busy machine.
HANG_S = 3600


def build(data_dir: Path, *args: str) -> float:
    """Build to the end (or what `args` ask build_once for); the seconds it took."""
    started = time.perf_counter()
    process = start_build(data_dir, *args)
    output = process.communicate(timeout=HANG_S)[0]
    assert process.returncode == 0, output[-3000:]
    return time.perf_counter() - started


def kill_after(data_dir: Path, seconds: float) -> str:
    process = start_build(data_dir)
    time.sleep(seconds)
    os.killpg(process.pid, signal.SIGKILL)  # the build and its dbt child, without any chance to clean up
    return process.communicate(timeout=300)[0]  # killed: only collecting its output is left


def marts(data_dir: Path) -> tuple[dict, dict]:
    """Fingerprints of the lake's marts and of the serving lake's (bench.equality: rows and content, run timestamps
    left out)."""
    settings = load_settings({"LAKEHOUSE_DATA_DIR": str(data_dir)})
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        lake = fingerprint(conn, "lake")
    with connect_serving(settings) as conn:
        serving = fingerprint(conn, "serving")
    return lake, serving
