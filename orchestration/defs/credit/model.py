"""The registered credit model as MLflow sees it: a pyfunc around ml.credit.GroupedScorecard.

`models:/credit_scorecard@champion` loads this; `predict` returns, per application, the four sub-scores, the
combined score, PD, grade and reason codes. The features of every application of the training months (the
through-the-door population, declined applications included) travel with the model, so monitoring compares
today's applications with the population the model was built in.
"""

from __future__ import annotations

import mlflow.pyfunc
import pandas as pd

from ml.credit import GroupedScorecard


class CreditScoreModel(mlflow.pyfunc.PythonModel):
    def __init__(self, model: GroupedScorecard, reference_features: pd.DataFrame, n_reasons: int = 3) -> None:
        self.model = model
        self.reference_features = reference_features
        self.n_reasons = n_reasons

    @property
    def feature_columns(self) -> list[str]:
        return [c for cols in self.model.group_columns_.values() for c in cols]

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        return self.model.score_frame(model_input[self.feature_columns], n_reasons=self.n_reasons)
