"""The figures are matplotlib Figures on an Agg canvas that render to PNG without a display."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ml import plots, validation


@pytest.fixture(scope="module")
def sample():
    rng = np.random.default_rng(1)
    p = rng.uniform(0.02, 0.7, size=1500)
    y = (rng.uniform(size=p.size) < p).astype(int)
    return y, p, 600 - 20 * np.log2(p / (1 - p))


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def test_roc_figure_shows_the_auc(sample):
    y, p, _ = sample
    figure = plots.roc_figure(y, p)
    assert isinstance(figure, Figure) and isinstance(figure.canvas, FigureCanvasAgg)
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert f"AUC {validation.auc(y, p):.3f}" in legend[0]
    assert _png(figure).startswith(b"\x89PNG")


def test_ks_figure_marks_the_ks(sample):
    y, p, _ = sample
    figure = plots.ks_figure(y, p)
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert any(f"KS {validation.ks_statistic(y, p):.3f}" in text for text in legend)
    assert _png(figure).startswith(b"\x89PNG")


def test_score_distribution_figure_has_goods_and_bads(sample):
    y, _, points = sample
    figure = plots.score_distribution_figure(points, y, bins=20)
    legend = [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert legend == [f"goods (n={(y == 0).sum()})", f"bads (n={(y == 1).sum()})"]
    assert _png(figure).startswith(b"\x89PNG")
