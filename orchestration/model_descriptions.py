"""What a modeler landing in the MLflow UI reads first: the description of each model family's experiment and
registered model (what the model is, its target, how it is promoted, where its model card and plots are).

Defined once here and written by `describe` every time a version is registered (orchestration.governance), so a
changed text reaches an existing store on the next training. MLflow shows an experiment's tag `mlflow.note.content`
as its description; both texts are markdown.
"""

from __future__ import annotations

from dataclasses import dataclass

EXPERIMENT_NOTE_TAG = "mlflow.note.content"


@dataclass(frozen=True)
class ModelDescription:
    experiment: str
    registered_model: str


def _paragraphs(*paragraphs: str) -> str:
    # One line per paragraph: MLflow's markdown keeps a single line break as a break, so a wrapped source line would
    # show wrapped at odd places in the UI.
    return "\n\n".join(paragraphs)


_CREDIT_MODEL = _paragraphs(
    "**Credit scorecard for consumer instalment loans** (appliance, furniture, education, medical "
    "aesthetics): the probability that an applicant goes **30+ days past due within the first six months "
    "on book** (`marts.credit_features.is_bad_30dpd_6mob`; loans with fewer than six months on book and "
    "returned loans are left out), with sub-scores, a combined score in points (higher = safer), grade "
    "A-E and reason codes; the scoring (`marts.application_scores`) sets the credit limit from the grade. "
    "Four sub-scorecards (bureau, transaction, behaviour, other: binning, WOE, logistic regression) and a "
    "combined score over them, trained by the Dagster job `credit_training` and validated out of time on "
    "the latest application months.",
    "**Promotion**: every training registers a new version with alias `challenger`; the governance gate "
    "moves `champion` to it only if its out-of-time AUC beats the champion's on the same validation data "
    "by the margin, with a stable score PSI (`promotion` in "
    "`orchestration/defs/credit/credit_policy.yml`). The decision is in the version tags "
    "`validation_status` and `decision_reason`; `make promote MODEL=credit_scorecard VERSION=n "
    'REASON="..."` overrules it; every alias change is in `marts.model_alias_history`. Consumers load '
    "only `models:/credit_scorecard@champion`.",
    "**Model card and plots**: a version's source run (experiment `credit_scorecard`, tag `component = "
    "combined`) → *Artifacts*: `model_card.md`, `plots/roc_out_of_time.png`, `plots/ks_out_of_time.png`, "
    "`plots/score_distribution_out_of_time.png`, `tables/lift_table_out_of_time.csv`, "
    "`tables/calibration_by_grade_out_of_time.csv`, `tables/group_weights.csv`.",
)

_CREDIT_EXPERIMENT = _paragraphs(
    "Credit scorecard training runs (registered model `credit_scorecard`); target: 30+ days past due within the "
    "first six months on book.",
    "One run per component and training: `tags.component = 'combined'` is the registered score; `'bureau'`, "
    "`'transaction'`, `'behaviour'` and `'other'` are its sub-scorecards. `tags.dagster_run_id` links the Dagster "
    "run. Every run holds `model_card.md`, `plots/` (ROC, KS and score distribution, out of time) and `tables/` (the "
    "lift table; per sub-scorecard `binning_table.csv`, `scorecard_table.csv`, `selection_table.csv`).",
    "Select runs → *Compare* for `valid_auc`, `valid_ks`, `psi_train_valid`, `champion_valid_auc`. The version in "
    "use: *Models* → `credit_scorecard`, alias `champion`.",
)

_FRAUD_MODEL = _paragraphs(
    "**Application fraud detector**: a gradient-boosting model packaged with the rules of "
    "`orchestration/defs/fraud/fraud_policy.yml`; it gives each application a fraud probability and a "
    "pass / review / reject decision (review and reject thresholds set from the investigators' capacity). "
    "**Label**: confirmed fraud - the applicant's ID number, mobile or device blacklisted by the lender "
    "for fraud (`marts.fraud_labels`, reasons fraud_confirmed, fake_transaction, identity_theft), counted "
    "once mature (150 days after the decision). Trained by the Dagster job `fraud_training`, validated "
    "out of time on the latest labelled months.",
    "**Promotion**: every training registers a new version with alias `challenger`; the governance gate "
    "moves `champion` to it only if its out-of-time PR-AUC beats the champion's on the same validation "
    "data by the margin, and its pass / review / reject shares are stable (`promotion` in "
    "`fraud_policy.yml`); a change of the rules promotes a challenger no worse than the champion within "
    "the margin. The decision is in the version tags `validation_status` and `decision_reason`; `make "
    'promote MODEL=fraud_detector VERSION=n REASON="..."` overrules it; every alias change is in '
    "`marts.model_alias_history`. Consumers load only `models:/fraud_detector@champion`.",
    "**Model card and plots**: a version's source run (experiment `fraud_detector`) → *Artifacts*: "
    "`model_card.md`, `plots/roc_out_of_time.png`, `plots/precision_recall_out_of_time.png`, "
    "`tables/feature_importance.csv`, `tables/rules.csv`.",
)

_FRAUD_EXPERIMENT = _paragraphs(
    "Application fraud detector training runs (registered model `fraud_detector`); label: confirmed fraud (ID "
    "number, mobile or device blacklisted for fraud, mature 150 days after the decision).",
    "One run per training; `tags.dagster_run_id` links the Dagster run. Every run holds `model_card.md`, `plots/` "
    "(ROC and precision-recall, out of time) and `tables/` (`feature_importance.csv`, `rules.csv`).",
    "Compare runs on `valid_pr_auc`, `decision_shift_valid_recent`, `champion_valid_pr_auc`. The version in use: "
    "*Models* → `fraud_detector`, alias `champion`.",
)

# By registered model name (the policies' `model.registered_name`).
DESCRIPTIONS: dict[str, ModelDescription] = {
    "credit_scorecard": ModelDescription(experiment=_CREDIT_EXPERIMENT, registered_model=_CREDIT_MODEL),
    "fraud_detector": ModelDescription(experiment=_FRAUD_EXPERIMENT, registered_model=_FRAUD_MODEL),
}


def describe(client, model_name: str, experiment_id: str) -> None:
    """Give the registered model `model_name` and its experiment their descriptions; writes only what differs, so
    calling it on every registration is harmless. A model without a description here is left alone."""
    description = DESCRIPTIONS.get(model_name)
    if description is None:
        return
    experiment = client.get_experiment(experiment_id)
    if experiment.tags.get(EXPERIMENT_NOTE_TAG) != description.experiment:
        client.set_experiment_tag(experiment_id, EXPERIMENT_NOTE_TAG, description.experiment)
    if client.get_registered_model(model_name).description != description.registered_model:
        client.update_registered_model(model_name, description=description.registered_model)
