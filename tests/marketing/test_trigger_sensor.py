"""When the trigger sensor runs the marketing lists."""

from datetime import datetime

from orchestration.defs.marketing.sensors import decide_trigger_run

LOADED = datetime(2026, 11, 1, 2, 15, 0)


def test_sensor_runs_the_lists_when_new_life_cycle_events_have_landed():
    decision = decide_trigger_run("2026-10-31T02:10:00", LOADED, unscored_applications=0)
    assert decision.run and decision.cursor == LOADED.isoformat()


def test_sensor_runs_on_its_first_tick_when_there_are_events():
    assert decide_trigger_run(None, LOADED, unscored_applications=0).run


def test_sensor_skips_events_it_has_already_acted_on():
    decision = decide_trigger_run(LOADED.isoformat(), LOADED, unscored_applications=0)
    assert not decision.run and decision.cursor == LOADED.isoformat()


def test_sensor_waits_for_credit_scoring_without_moving_its_cursor():
    decision = decide_trigger_run("2026-10-31T02:10:00", LOADED, unscored_applications=12)
    assert not decision.run and decision.cursor == "2026-10-31T02:10:00" and "credit scoring" in decision.reason


def test_sensor_does_not_wait_for_scores_that_do_not_exist_yet():
    assert decide_trigger_run(None, LOADED, unscored_applications=None).run


def test_sensor_skips_an_empty_warehouse():
    decision = decide_trigger_run(None, None, unscored_applications=None)
    assert not decision.run and decision.cursor is None


def test_sensor_does_not_rebuild_lists_the_daily_path_built_after_the_events_and_moves_its_cursor():
    decision = decide_trigger_run("2026-10-31T02:10:00", LOADED, unscored_applications=0, lists_built_since=True)
    assert not decision.run and decision.cursor == LOADED.isoformat() and "built after" in decision.reason
