"""The simulator stands for the source systems outside the platform: none of its modules imports the pipeline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_no_simulator_module_imports_the_pipeline():
    code = (
        "import importlib, pkgutil, sys, simulator\n"
        "for info in pkgutil.iter_modules(simulator.__path__):\n"
        "    if info.name != '__main__':\n"
        "        importlib.import_module(f'simulator.{info.name}')\n"
        "banned = {'orchestration', 'evaluation', 'expectations', 'bench', 'dagster', 'mlflow'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in banned))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
