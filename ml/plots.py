"""Figures a modeler checks a score with: ROC curve, KS curve, score distribution of goods vs bads.

Each function returns a ``matplotlib.figure.Figure`` drawn on an Agg canvas, without pyplot: nothing opens a window
and nothing stays in pyplot's global figure list (log it with ``mlflow.log_figure`` or ``fig.savefig``). Conventions as
in ``ml.validation``: ``y_true`` 1 = bad, ``y_prob`` the probability of bad, ``points`` higher = safer.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.metrics import roc_curve

from ml.validation import _labels, _scores, auc, ks_curve

FIGSIZE = (6.0, 4.5)
BAD_COLOUR = "#c0392b"
GOOD_COLOUR = "#2e86c1"


def _figure() -> tuple[Figure, Any]:
    figure = Figure(figsize=FIGSIZE, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def roc_figure(y_true: Any, y_prob: Any, title: str = "ROC curve") -> Figure:
    """ROC curve with the chance diagonal; AUC and Gini in the legend."""
    fpr, tpr, _ = roc_curve(_labels(y_true), _scores(y_prob, "y_prob"))
    area = auc(y_true, y_prob)
    figure, ax = _figure()
    ax.plot(fpr, tpr, color=BAD_COLOUR, label=f"model (AUC {area:.3f}, Gini {2 * area - 1:.3f})")
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="chance")
    ax.set(xlabel="false positive rate (goods flagged)", ylabel="true positive rate (bads caught)", title=title)
    ax.set(xlim=(0, 1), ylim=(0, 1.01))
    ax.legend(loc="lower right")
    ax.grid(alpha=0.3)
    return figure


def ks_figure(y_true: Any, y_prob: Any, title: str = "KS curve") -> Figure:
    """Cumulative shares of bads and goods against the share of applicants taken riskiest first; KS marked."""
    curve = ks_curve(y_true, y_prob)
    best = int(np.argmax(np.abs(curve["gap"].to_numpy())))
    x = curve["population_share"].to_numpy()
    figure, ax = _figure()
    ax.plot(x, curve["cum_bad_share"], color=BAD_COLOUR, label="bads")
    ax.plot(x, curve["cum_good_share"], color=GOOD_COLOUR, label="goods")
    ax.vlines(
        x[best],
        curve["cum_good_share"].iloc[best],
        curve["cum_bad_share"].iloc[best],
        color="black",
        linestyle=":",
        label=f"KS {abs(curve['gap'].iloc[best]):.3f} at {x[best]:.0%} of applicants",
    )
    ax.set(xlabel="share of applicants, riskiest first", ylabel="cumulative share", title=title)
    ax.set(xlim=(0, 1), ylim=(0, 1.01))
    ax.legend(loc="lower right")
    ax.grid(alpha=0.3)
    return figure


def score_distribution_figure(points: Any, y_true: Any, bins: int = 30, title: str = "Score distribution") -> Figure:
    """Histograms (density) of the scores of goods and of bads on shared bins, with each group's mean."""
    x = _scores(points, "points")
    y = _labels(y_true)
    edges = np.histogram_bin_edges(x, bins=bins)
    figure, ax = _figure()
    for value, name, colour in ((0, "goods", GOOD_COLOUR), (1, "bads", BAD_COLOUR)):
        group = x[y == value]
        ax.hist(group, bins=edges, density=True, alpha=0.5, color=colour, label=f"{name} (n={len(group)})")
        ax.axvline(group.mean(), color=colour, linestyle="--", linewidth=1)
    ax.set(xlabel="score (points; higher = lower risk)", ylabel="density", title=title)
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    return figure
