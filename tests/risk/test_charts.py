"""The risk charts draw only what is fully observed."""

from __future__ import annotations

import pandas as pd

from orchestration.defs.risk.assets import portfolio_figure, vintage_figure


def _vintage_rows():
    rows = []
    # 2025Q1: January reached MOB 1-3, February MOB 1-2, March MOB 1 only
    for month, last_mob in (("2025-01-01", 3), ("2025-02-01", 2), ("2025-03-01", 1)):
        for mob in range(1, last_mob + 1):
            rows.append({"origination_month": month, "months_on_book": mob, "cohort_loan_count": 10,
                         "observable_loan_count": 10, "ever_30dpd_loan_count": mob - 1})
    return pd.DataFrame(rows)


def test_a_vintage_curve_stops_where_part_of_its_quarter_is_not_yet_observed():
    figure = vintage_figure(_vintage_rows())
    (line,) = figure.axes[0].get_lines()
    x, y = line.get_xdata(), line.get_ydata()
    assert list(x[~pd.isna(y)]) == [1]  # only MOB 1 is complete for all three months
    assert y[0] == 0


def test_the_portfolio_chart_stacks_every_delinquent_bucket():
    days = pd.date_range("2025-01-01", periods=3).date
    frame = pd.DataFrame([{"date_day": d, "dpd_bucket": b, "outstanding_principal": 100.0}
                          for d in days for b in ("current", "M1", "M2", "M3+", "written_off")])
    figure = portfolio_figure(frame)
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()] == ["M1", "M2", "M3+", "written_off"]
