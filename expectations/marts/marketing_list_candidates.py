"""marts.marketing_list_candidates: the day's campaign candidates - one row per list day, campaign and customer,
the selected rows the list assets publish and the ones left out with the reason.

Blocking - does it guard what it blocks?
- marketing_lists: the lists, their exports and the publish. Yes: the list assets stage and publish the selected
  rows; a selected restricted, uncontactable or over-capped customer, a raw number where a token or mask belongs,
  or a campaign on the wrong list must not reach them.
- daily_path: the publish to the serving lake, which every mart waits for (staff keep the previous build).
  Yes: the same faults would be published to marketing staff.
"""

import great_expectations as gx

from expectations.common import (
    CUSTOMER_ID_REGEX,
    MASKED_MOBILE_REGEX,
    TOKEN_REGEX,
    between,
    columns_include,
    derived_names,
    flag_holds,
    known_in,
    matches,
    no_raw_id_or_mobile,
    non_negative,
    not_null,
    one_of,
    primary_key,
    rule,
    select_with,
    single_value,
    suite,
)
from expectations.marketing import CHANNELS, LIST_NAMES, TAG_VALUES

TABLE = "marts.marketing_list_candidates"
BLOCKING = True
PII_COLUMNS = ("customer_token", "mobile_token", "mobile_masked")
TRIGGER_EVENTS = ("loan_paid_off", "sixth_on_time_instalment", "course_completed", "became_dormant",
                  "appliance_purchase", "furniture_purchase")
EXCLUSION_REASONS = ("restricted", "no_mobile", "no_pre_approved_limit", "already_contacted", "contact_cap")
DERIVED = (
    known_in("customer_id", "marts.dim_customers"),
    known_in("trigger_loan_id", "marts.fct_loans", "loan_id"),
    rule("(select customers.id_number_token = marketing_list_candidates.customer_token and customers.mobile_token "
         "is not distinct from marketing_list_candidates.mobile_token from marts.dim_customers as customers "
         "where customers.customer_id = marketing_list_candidates.customer_id)", "tokens_are_the_customers"),
    # a campaign of seed marketing_campaigns, with its priority, on a list of its kind and a channel its rule allows
    rule("exists (select 1 from reference.marketing_campaigns as campaigns "
         "where campaigns.campaign = marketing_list_candidates.campaign "
         "and campaigns.priority = marketing_list_candidates.priority "
         "and (campaigns.list_kind = 'cross_sell') = (marketing_list_candidates.list_name = 'cross_sell_list') "
         "and campaigns.channel_rule in ('preferred', marketing_list_candidates.channel))",
         "campaign_belongs_on_the_list"),
    rule("list_name = 'cross_sell_list' or (list_name = 'marketing_sms_list') = (channel = 'sms')",
         "channel_matches_the_list"),
    rule("concat_ws('|', channel, contact_cap, cap_window_days) in (select concat_ws('|', channel, max_contacts, "
         "window_days) from reference.marketing_contact_caps)", "cap_is_the_channels"),
    rule("(exclusion_reason is null) = is_selected", "selected_exactly_when_not_excluded"),
    rule("not is_selected or customer_id not in (select customer_id from marts.marketing_restricted_customers "
         "where customer_id is not null)", "no_restricted_customer_selected"),
    rule("not is_selected or (pre_approved_limit > 0 and marketing_restriction = 'none' and mobile_token is not null)",
         "selected_customers_are_contactable"),
    rule("not is_selected or contacts_in_cap_window + channel_rank <= contact_cap", "selected_rows_fit_the_cap"),
    rule("(trigger_event = 'became_dormant') = (trigger_loan_id is null)", "a_loan_behind_every_loan_event"),
    rule("trigger_event_on <= list_day", "triggered_by_the_list_day"),
    rule("contact_on = list_day + 1", "contact_is_the_day_after_the_list_day"),
    rule("valid_until >= contact_on", "offer_holds_on_the_contact_day"),
    rule("list_day = (select max(as_of_date) from marts.customer_profile)", "candidates_are_of_the_data_date"),
    no_raw_id_or_mobile("campaign", "channel", "reason", "mobile_masked"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("list_day", "contact_on", "list_name", "campaign", "channel", "customer_id", *PII_COLUMNS,
                         "trigger_event", "trigger_event_on", "trigger_loan_id", "reason", "priority", "valid_until",
                         "pre_approved_limit", "contacts_in_cap_window", "channel_rank", "contact_cap",
                         "cap_window_days", "is_selected", "exclusion_reason", "marketing_restriction",
                         *derived_names(*DERIVED))),
        *primary_key("list_day", "campaign", "customer_id"),
        *not_null("contact_on", "list_name", "channel", "customer_token", "trigger_event", "trigger_event_on",
                  "reason", "priority", "valid_until", "pre_approved_limit", "contacts_in_cap_window", "contact_cap",
                  "cap_window_days", "is_selected", "marketing_restriction"),
        single_value("list_day"),
        matches("customer_id", CUSTOMER_ID_REGEX),
        matches("customer_token", TOKEN_REGEX),
        matches("mobile_token", TOKEN_REGEX),
        matches("mobile_masked", MASKED_MOBILE_REGEX),
        one_of("list_name", LIST_NAMES),
        one_of("channel", CHANNELS),
        one_of("trigger_event", TRIGGER_EVENTS),
        one_of("exclusion_reason", EXCLUSION_REASONS),
        one_of("marketing_restriction", TAG_VALUES["marketing_restriction"]),
        between("priority", 1),
        between("channel_rank", 1),
        *non_negative("pre_approved_limit", "contacts_in_cap_window"),
        *(flag_holds(flag) for flag in derived_names(*DERIVED)),
    ])
