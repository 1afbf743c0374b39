"""The first model of a young book is trained the batch its outcomes are enough, and only while there is no champion."""

from ml.readiness import Readiness
from orchestration.defs.quality.readiness import first_training

READY = Readiness(True, (), 240, 21, 2, 21 / 240, None, None)
WAITING = Readiness(False, ("12 labelled outcomes, 200 needed",), 12, 1, 1, 1 / 12, None, None)


def test_no_champion_and_enough_outcomes_trains_the_first_version_with_the_reason():
    reason = first_training(None, READY, "credit_scorecard")
    assert reason == ("no champion yet; credit_scorecard: ready to train - 240 labelled outcomes over 2 months, "
                      "positive rate 0.0875")


def test_a_champion_or_too_few_outcomes_trains_nothing():
    assert first_training(3, READY, "credit_scorecard") is None  # retraining is the monitoring's business
    assert first_training(None, WAITING, "credit_scorecard") is None
