"""The registered fraud model as MLflow sees it: the rules and the gradient-boosting model in one pyfunc.

`models:/fraud_detector@champion` returns, per application, the fraud probability, the rules that fired with their
reasons, and the combined pass / review / reject decision; the probability thresholds (set from the review capacity
when the version was trained) travel with the model.
"""

from __future__ import annotations

import mlflow.pyfunc
import numpy as np
import pandas as pd

from ml.fraud import Rule, decide, evaluate_rules


class FraudDetectorModel(mlflow.pyfunc.PythonModel):
    def __init__(self, pipeline, columns: list[str], rules: tuple[Rule, ...], review_above: float,
                 reject_above: float, reference_probabilities: np.ndarray) -> None:
        self.pipeline = pipeline
        self.columns = columns
        self.rules = rules
        self.review_above = review_above
        self.reject_above = reject_above
        self.reference_probabilities = reference_probabilities

    @property
    def input_columns(self) -> list[str]:
        """The model's columns and every column a rule reads."""
        ruled = [c for r in self.rules for c in (r.column, *((r.when["column"],) if r.when else ()))]
        return self.columns + [c for c in dict.fromkeys(ruled) if c not in self.columns]

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        probability = self.pipeline.predict_proba(model_input[self.columns])[:, 1]
        rules = evaluate_rules(model_input, self.rules)
        model_action = decide(probability, ["pass"] * len(probability), self.review_above, self.reject_above)
        decision = decide(probability, rules["rule_action"].tolist(), self.review_above, self.reject_above)
        reasons = [
            "; ".join(part for part in (r, f"model score {p:.3f} above the {m} threshold" if m != "pass" else None)
                      if part) or None
            for r, p, m in zip(rules["rule_reasons"], probability, model_action, strict=True)
        ]
        return pd.DataFrame(
            {
                "fraud_probability": probability,
                "rule_hits": rules["rule_hits"].to_numpy(),
                "rule_action": rules["rule_action"].to_numpy(),
                "model_action": model_action,
                "decision": decision,
                "reasons": reasons,
            },
            index=model_input.index,
        )
