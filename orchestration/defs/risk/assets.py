"""Pictures of the risk marts for people who would rather look than read: vintage curves and the book by bucket."""

import base64
import io

import dagster as dg
import pandas as pd
from matplotlib.figure import Figure

from orchestration.config import load_settings
from orchestration.defs.ingestion.assets import WRITER_POOL
from orchestration.resources import LakehouseResource

RISK_TEAM = "team:risk-analytics"


def vintage_figure(vintage: pd.DataFrame, share_column: str = "ever_30dpd_loan_share") -> Figure:
    """One line per origination quarter: share of loans ever 30+ DPD by months on book (cumulative). A point is
    drawn only where every loan of the quarter has reached that month on book (a partly observed quarter would mix
    cohorts and bend the curve)."""
    frame = vintage.copy()
    frame["quarter"] = pd.PeriodIndex(pd.to_datetime(frame["origination_month"]), freq="Q").astype(str)
    counts = ["ever_30dpd_loan_count", "observable_loan_count", "cohort_loan_count"]
    weights = frame.groupby(["quarter", "months_on_book"])[counts].sum()
    months_at = frame.groupby(["quarter", "months_on_book"])["origination_month"].nunique()
    months_in_quarter = frame.groupby("quarter")["origination_month"].nunique()
    every_month = months_at == months_in_quarter.reindex(months_at.index.get_level_values("quarter")).to_numpy()
    complete = every_month & (weights["observable_loan_count"] == weights["cohort_loan_count"])
    curves = (weights["ever_30dpd_loan_count"] / weights["observable_loan_count"]).where(complete).unstack("quarter")
    figure = Figure(figsize=(8, 5))
    axes = figure.subplots()
    for quarter in curves.columns:
        axes.plot(curves.index, curves[quarter] * 100, marker=".", label=quarter)
    axes.set_xlabel("months on book")
    axes.set_ylabel("loans ever 30+ DPD (%)")
    axes.set_title("Vintage curves by origination quarter")
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, ncol=2)
    figure.tight_layout()
    return figure


def portfolio_figure(portfolio: pd.DataFrame) -> Figure:
    """Outstanding principal by DPD bucket over time (all scenarios)."""
    frame = portfolio.groupby(["date_day", "dpd_bucket"])["outstanding_principal"].sum().unstack("dpd_bucket")
    order = [b for b in ("current", "M1", "M2", "M3+", "written_off") if b in frame.columns]
    figure = Figure(figsize=(8, 5))
    axes = figure.subplots()
    delinquent = [b for b in order if b != "current"]
    axes.stackplot(frame.index, *[frame[b].astype(float) / 1e6 for b in delinquent], labels=delinquent)
    axes.set_ylabel("principal (million yuan)")
    axes.set_title("Delinquent and written-off principal by DPD bucket")
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


@dg.asset(
    key=["risk", "charts"],
    deps=[dg.AssetKey(["marts", "risk_vintage"]), dg.AssetKey(["marts", "risk_portfolio_daily"])],
    group_name="risk",
    kinds={"matplotlib"},
    owners=[RISK_TEAM],
    pool=WRITER_POOL,
    description="Vintage curves (ever 30+ DPD by months on book, per origination quarter) and delinquent principal "
                "by bucket over time, as pictures in this asset's metadata and PNG files under data/reports/.",
)
def risk_charts(context: dg.AssetExecutionContext, lakehouse: LakehouseResource) -> dg.MaterializeResult:
    with lakehouse.connect(read_only=True) as conn:
        vintage = conn.execute("select * from marts.risk_vintage").df()
        portfolio = conn.execute("select * from marts.risk_portfolio_daily").df()
    reports = load_settings().data_dir / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    metadata = {}
    charts = {"vintage_curves": vintage_figure(vintage), "delinquent_principal": portfolio_figure(portfolio)}
    for name, figure in charts.items():
        png = _png(figure)
        path = reports / f"{name}.png"
        path.write_bytes(png)
        metadata[name] = dg.MetadataValue.md(f"![{name}](data:image/png;base64,{base64.b64encode(png).decode()})")
        metadata[f"{name}_file"] = dg.MetadataValue.path(str(path))
    context.log.info(f"charts written to {reports}")
    return dg.MaterializeResult(metadata=metadata)
