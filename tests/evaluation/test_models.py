"""The scorekeeper's credit figures on a hand-made case."""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.models import credit_figures


def test_credit_figures_rank_against_truth_and_out_of_time_uses_the_later_months_only():
    scores = pd.DataFrame({
        "customer_id": ["c1", "c2", "c3", "c4", "c5", "c6"],
        "pd": [0.01, 0.02, 0.30, 0.40, 0.05, 0.50],
        "is_target_observable": [True, True, True, True, False, True],
        "is_bad_30dpd_6mob": [False, False, True, True, None, False],
        "application_month": ["2025-01-01"] * 3 + ["2025-06-01"] * 3,
    })
    truth = pd.DataFrame({"customer_id": ["c1", "c2", "c3", "c4", "c5", "c6"],
                          "latent_risk": [0.01, 0.02, 0.2, 0.3, 0.04, 0.5]})
    figures = credit_figures(scores, truth, validation_from="2025-06")
    assert figures["truth_spearman_latent_risk"] == pytest.approx(1.0)
    assert figures["truth_observable_loans"] == 5
    # in June the good loan (c6) has the higher PD: the out-of-time AUC is 0, the all-months one is not
    assert figures["truth_auc_realised_default_out_of_time"] == 0.0
    assert 0 < figures["truth_auc_realised_default"] < 1
