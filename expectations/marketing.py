"""What the marketing suites share: the tag system's values and the suite of a published marketing list.

The three lists (marts.marketing_sms_list, marketing_call_list, cross_sell_list) have one layout (the list assets'
columns in orchestration/defs/marketing/assets.py); they differ in the campaigns (seed marketing_campaigns,
list_kind) and channels they may carry.
"""

from __future__ import annotations

import great_expectations as gx

from expectations.common import (
    MASKED_MOBILE_REGEX,
    SCENARIOS,
    TOKEN_REGEX,
    between,
    columns_include,
    derived_names,
    flag_holds,
    known_in,
    matches,
    no_raw_id_or_mobile,
    not_null,
    one_of,
    primary_key,
    rule,
    select_with,
    single_value,
    suite,
)

# The tag system (seed marketing_tag_definitions, marts.tag_dictionary): every tag and the values it takes; None for
# the amount tag pre_approved_limit (yuan, 0 or more).
TAG_VALUES: dict[str, tuple[str, ...] | None] = {
    "lifecycle_stage": ("in_collection", "active_borrower", "paid_off", "applicant", "dormant"),
    "scenario_affinity": (*SCENARIOS, "none"),
    "value_tier": ("high", "medium", "low", "none"),
    "risk_grade": ("A", "B", "C", "D", "E", "unscored"),
    "repayment_behaviour": ("on_time", "occasionally_late", "delinquent", "no_history"),
    "channel_preference": ("sms", "outbound_call"),
    "pre_approved_limit": None,
    "marketing_restriction": ("none", "in_collection", "suspected_fraud", "blacklisted", "complained", "opted_out",
                              "declined_recently"),
}
RESTRICTION_REASONS = tuple(v for v in TAG_VALUES["marketing_restriction"] if v != "none")
CHANNELS = ("sms", "outbound_call")
LIST_NAMES = ("marketing_sms_list", "marketing_call_list", "cross_sell_list")

# A published list's columns (orchestration/defs/marketing/assets.py COLUMNS) and the personal-data ones.
LIST_COLUMNS = ("list_day", "contact_on", "campaign", "channel", "customer_token", "mobile_token", "mobile_masked",
                "reason", "priority", "valid_until", "published_at")
LIST_PII_COLUMNS = ("customer_token", "mobile_token", "mobile_masked")


def restricted_tokens() -> str:
    """The ID-number tokens of the customers who must not be contacted (marts.marketing_restricted_customers)."""
    return ("select profile.id_number_token from marts.customer_profile as profile "
            "where profile.id_number_token is not null and profile.customer_id in "
            "(select customer_id from marts.marketing_restricted_customers)")


def list_derived(list_name: str, list_kind: str) -> tuple[str, ...]:
    """The flags of a published list: references, its campaigns, the day it is for, no restricted customer."""
    return (
        known_in("customer_token", "marts.dim_customers", "id_number_token"),
        known_in("mobile_token", "marts.dim_customers", "mobile_token"),
        rule(f"customer_token not in ({restricted_tokens()})", "customer_is_not_restricted"),
        # the row is a selected candidate of this list (the list assets copy them, nothing else)
        rule("concat_ws('|', list_day, campaign, customer_token) in ("
             "select concat_ws('|', list_day, campaign, customer_token) from marts.marketing_list_candidates "
             f"where is_selected and list_name = '{list_name}')", "is_a_selected_candidate"),
        # a campaign of the list's kind, on a channel its rule allows, with its priority (seed marketing_campaigns)
        rule("exists (select 1 from reference.marketing_campaigns as campaigns "
             f"where campaigns.campaign = {list_name}.campaign and campaigns.list_kind = '{list_kind}' "
             f"and campaigns.priority = {list_name}.priority "
             f"and campaigns.channel_rule in ('preferred', {list_name}.channel))", "campaign_belongs_on_the_list"),
        rule("list_day = (select max(as_of_date) from marts.customer_profile)", "list_is_of_the_data_date"),
        rule("contact_on = list_day + 1", "contact_is_the_day_after_the_list_day"),
        rule("valid_until >= contact_on", "offer_holds_on_the_contact_day"),
        no_raw_id_or_mobile("campaign", "channel", "reason", "mobile_masked"),
    )


def list_query(list_name: str, list_kind: str) -> str:
    return select_with(f"marts.{list_name}", *list_derived(list_name, list_kind))


def build_list_suite(list_name: str, list_kind: str, channels: tuple[str, ...]) -> gx.ExpectationSuite:
    derived = derived_names(*list_derived(list_name, list_kind))
    return suite(f"marts.{list_name}", [
        columns_include((*LIST_COLUMNS, *derived)),
        *primary_key("list_day", "campaign", "customer_token"),
        *not_null("contact_on", "channel", "mobile_token", "mobile_masked", "reason", "priority", "valid_until",
                  "published_at"),
        single_value("list_day"),
        matches("customer_token", TOKEN_REGEX),
        matches("mobile_token", TOKEN_REGEX),
        matches("mobile_masked", MASKED_MOBILE_REGEX),
        one_of("channel", channels),
        between("priority", 1),
        *(flag_holds(flag) for flag in derived),
    ])
