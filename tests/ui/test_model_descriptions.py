"""Every registered model of the policies has the description a modeler reads in MLflow (the texts are checked on a
real store in test_ui_pages.py)."""

from orchestration.defs.credit.policy import load_policy as credit_policy
from orchestration.defs.fraud.policy import load_policy as fraud_policy
from orchestration.model_descriptions import DESCRIPTIONS


def test_each_model_family_has_a_description_of_its_model_and_experiment():
    names = {credit_policy().registered_name, fraud_policy().registered_name}
    assert set(DESCRIPTIONS) == names
    for name, description in DESCRIPTIONS.items():
        assert f"`{name}`" in description.experiment  # the experiment points at its registered model
        assert "champion" in description.registered_model and "model_card.md" in description.registered_model
        # one line per paragraph: MLflow's markdown shows a single line break as a break
        assert all("\n" not in p for p in description.registered_model.split("\n\n"))
