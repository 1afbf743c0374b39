"""The issue's acceptance test on a tiny lake, through Dagster: a restricted customer and an over-contacted customer
inserted into the source data never reach a list or an export file; a list that fails its audit is not published."""

import csv
from datetime import datetime, timedelta

import dagster as dg
import pytest

from orchestration.defs.marketing.assets import LISTS
from orchestration.defs.marketing.exports import export_paths
from orchestration.defs.marketing.sensors import marketing_trigger_sensor
from orchestration.lakehouse import connect_lake
from orchestration.resources import build_resources
from tests.marketing.conftest import LISTS_ONLY, materialize_marketing, point_env_at, run_dbt

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _query(settings, sql, params=None):
    with connect_lake(settings.catalog_url, settings.lake_data_path, read_only=True) as conn:
        return conn.execute(sql, params or []).fetchall()


def _list_day(settings):
    return _query(settings, "select max(as_of_date) from marts.customer_profile")[0][0]


def _published_tokens(settings) -> set[str]:
    return {token for name in LISTS for (token,) in _query(settings, f"select customer_token from marts.{name}")}


def _exported_tokens(settings, day) -> set[str]:
    tokens = set()
    for name in LISTS:
        csv_path, _ = export_paths(settings.data_dir / "exports", name, day)
        with csv_path.open(encoding="utf-8") as handle:
            tokens |= {row["customer_token"] for row in csv.DictReader(handle)}
    return tokens


def test_the_tags_and_lists_are_filled_and_exported(marketing_lake):
    settings, day = marketing_lake, _list_day(marketing_lake)
    customers = _query(settings, "select count(*) from marts.dim_customers")[0][0]
    assert _query(settings, "select count(*) from marts.customer_profile")[0][0] == customers
    assert _query(settings, "select count(*) from marts.customer_tags")[0][0] == customers * 8
    tags = _query(settings, "select count(*) from marts.tag_dictionary where customers_tagged = ?", [customers])
    assert tags == [(8,)]
    published = _published_tokens(settings)
    assert published and published == _exported_tokens(settings, day)
    for name in LISTS:
        rows = _query(settings, f"select count(*) from marts.{name} where list_day = ?", [day])[0][0]
        manifest = export_paths(settings.data_dir / "exports", name, day)[1].read_text()
        assert f'"rows": {rows},' in manifest


def test_a_restricted_and_an_over_contacted_customer_never_reach_a_list(marketing_lake, monkeypatch):
    settings, day = marketing_lake, _list_day(marketing_lake)
    point_env_at(monkeypatch, settings)
    # two customers on today's lists, contacted by SMS only
    on_lists = _query(settings, """
        select customer_id, any_value(customer_token) from marts.marketing_list_candidates
        group by customer_id having bool_and(channel = 'sms') and bool_or(is_selected) order by customer_id""")
    (restricted, restricted_token), (over_contacted, over_contacted_token) = on_lists[0], on_lists[1]
    assert {restricted_token, over_contacted_token} <= _published_tokens(settings)

    loaded_at = datetime.now()
    with connect_lake(settings.catalog_url, settings.lake_data_path) as conn:
        conn.execute(
            "insert into raw.marketing__opt_outs by name select 'TEST-OPT-OUT' as opt_out_id, ? as customer_id,"
            " 'sms' as channel, ? as opted_out_at, 'tests/marketing' as _source_file, 1 as _source_row,"
            " ? as _landing_date, ? as _loaded_at",
            [restricted, datetime.combine(day, datetime.min.time()) + timedelta(hours=9), day, loaded_at])
        for n, when in enumerate((day - timedelta(days=1), day), start=1):  # two SMS inside the 7-day window
            conn.execute(
                "insert into raw.marketing__contact_history by name select ? as contact_id, ? as customer_id,"
                " 'sms' as channel, 'holiday_promo' as campaign, ? as contacted_at, 'delivered' as outcome,"
                " 'tests/marketing' as _source_file, ? as _source_row, ? as _landing_date, ? as _loaded_at",
                [f"TEST-SMS-{n}", over_contacted, datetime.combine(when, datetime.min.time()) + timedelta(hours=10),
                 n, day, loaded_at])

    # the marketing models again (the job did it with their tests in the fixture), then the lists through Dagster
    run_dbt(settings, "run", "--select", "path:models/marts/marketing")
    assert materialize_marketing(settings, selection=LISTS_ONLY).success

    assert ("opted_out",) in _query(settings, "select restriction_reason from marts.marketing_restricted_customers "
                                              "where customer_id = ?", [restricted])
    reasons = dict(_query(settings, """
        select customer_id, string_agg(distinct exclusion_reason, ',') from marts.marketing_list_candidates
        where customer_id in (?, ?) group by customer_id""", [restricted, over_contacted]))
    assert reasons == {restricted: "restricted", over_contacted: "contact_cap"}
    assert _query(settings, "select sms_in_cap_window from marts.customer_profile where customer_id = ?",
                  [over_contacted]) == [(2,)]
    for tokens in (_published_tokens(settings), _exported_tokens(settings, day)):
        assert tokens and not tokens & {restricted_token, over_contacted_token}


def test_a_list_that_fails_its_audit_is_not_published_or_exported(marketing_lake, monkeypatch):
    settings, day = marketing_lake, _list_day(marketing_lake)
    point_env_at(monkeypatch, settings)
    before = _query(settings, "select customer_token, published_at from marts.cross_sell_list order by all")
    for name in LISTS:
        for path in export_paths(settings.data_dir / "exports", name, day):
            path.unlink(missing_ok=True)
    # a candidate left out as restricted is marked selected; a selected SMS customer gets two more SMS rows
    with connect_lake(settings.catalog_url, settings.lake_data_path) as conn:
        conn.execute("update marts.marketing_list_candidates set is_selected = true, exclusion_reason = null "
                     "where list_name = 'cross_sell_list' and exclusion_reason = 'restricted'")
        assert conn.execute("select count(*) from marts.marketing_list_candidates as c "
                            "join marts.marketing_restricted_customers using (customer_id) "
                            "where c.is_selected and c.list_name = 'cross_sell_list'").fetchone()[0] > 0
        conn.execute("""
            insert into marts.marketing_list_candidates
            select candidate.* replace (candidate.campaign || '_copy_' || copies.copy as campaign)
            from (select * from marts.marketing_list_candidates
                  where list_name = 'cross_sell_list' and is_selected and channel = 'sms'
                    and marketing_restriction = 'none' order by customer_id limit 1) as candidate
            cross join (values ('1'), ('2')) as copies (copy)""")

    result = materialize_marketing(settings, selection=LISTS_ONLY, raise_on_error=False)

    assert not result.success
    failed = {(e.asset_key.path[-1], e.check_name) for e in result.get_asset_check_evaluations() if not e.passed}
    assert failed == {("cross_sell_list", "no_restricted_customers"), ("cross_sell_list", "contact_caps_hold")}
    materialized = {m.asset_key for m in result.get_asset_materialization_events()}
    assert dg.AssetKey(["marts", "cross_sell_list"]) not in materialized
    assert dg.AssetKey(["exports", "cross_sell_list"]) not in materialized
    assert _query(settings, "select customer_token, published_at from marts.cross_sell_list order by all") == before
    assert not any(p.exists() for p in export_paths(settings.data_dir / "exports", "cross_sell_list", day))
    # the lists that pass are published and exported as usual
    for name in ("marketing_sms_list", "marketing_call_list"):
        assert dg.AssetKey(["exports", name]) in materialized
        assert export_paths(settings.data_dir / "exports", name, day)[0].exists()


def test_the_trigger_sensor_requests_the_lists_once_per_batch_of_events(marketing_lake, monkeypatch):
    point_env_at(monkeypatch, marketing_lake)
    with dg.instance_for_test() as instance:
        resources = {"lakehouse": build_resources(marketing_lake)["lakehouse"]}
        first = marketing_trigger_sensor(dg.build_sensor_context(instance=instance, resources=resources))
        assert isinstance(first, dg.RunRequest) and first.run_key.startswith("marketing-lists-")
        cursor = first.run_key.removeprefix("marketing-lists-")
        again = marketing_trigger_sensor(dg.build_sensor_context(instance=instance, cursor=cursor,
                                                                 resources=resources))
        assert isinstance(again, dg.SkipReason)
