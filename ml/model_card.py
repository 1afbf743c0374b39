"""A model card: the one page a modeler, validator or auditor reads first (markdown)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def _table(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return "_none_\n"
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(_fmt(row[c]) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def render_model_card(
    *,
    name: str,
    purpose: str,
    target: str,
    data_window: Mapping[str, Any],
    metrics: Mapping[str, float],
    variables: Sequence[Mapping[str, Any]] = (),
    limits: Sequence[str] = (),
    extra_sections: Mapping[str, str] | None = None,
) -> str:
    """Markdown: purpose, target, data window (rows, dates, lineage), metrics, variables, known limits."""
    parts = [
        f"# Model card: {name}\n",
        f"## Purpose\n{purpose}\n",
        f"## Target\n{target}\n",
        "## Data\n" + _table([{"item": k, "value": v} for k, v in data_window.items()]),
        "## Out-of-time metrics\n" + _table([{"metric": k, "value": v} for k, v in metrics.items()]),
    ]
    if variables:
        parts.append("## Variables\n" + _table(list(variables)))
    for title, body in (extra_sections or {}).items():
        parts.append(f"## {title}\n{body}\n")
    parts.append("## Limits\n" + ("\n".join(f"- {item}" for item in limits) if limits else "_none recorded_") + "\n")
    return "\n".join(parts)
