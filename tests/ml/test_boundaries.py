"""`ml/` is a plain library: importing it pulls in neither the orchestration nor the simulator, Dagster nor MLflow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_ml_imports_nothing_from_the_platform():
    code = (
        "import sys, ml, ml.scorecard, ml.validation, ml.plots, ml.readiness, ml.fraud\n"
        "banned = {'orchestration', 'simulator', 'dagster', 'dagster_dbt', 'mlflow', 'matplotlib.pyplot'}\n"
        "print(sorted(m for m in sys.modules if m in banned or m.split('.')[0] in banned - {'matplotlib.pyplot'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
