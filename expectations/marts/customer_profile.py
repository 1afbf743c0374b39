"""marts.customer_profile: the tag system in wide form - one row per customer with every tag, the figures behind
them, contactability, and the customer's tokens and masked mobile the lists carry.

Blocking - does it guard what it blocks?
- marketing_lists: the candidates, the lists, their exports and the publish. Yes: they are built from it; a raw
  number where a token or a mask belongs, a tag value outside the dictionary or a restriction that disagrees with
  marts.marketing_restricted_customers would reach a list.
- daily_path: the publish to the serving lake, which every mart waits for (staff keep the previous build).
  Yes: the profile is published to marketing staff, and the same
  faults would show them personal data or wrong tags.
"""

import great_expectations as gx

from expectations.common import (
    CUSTOMER_ID_REGEX,
    MASKED_MOBILE_REGEX,
    TOKEN_REGEX,
    at_least,
    columns_include,
    derived_names,
    flag_holds,
    known_in,
    matches,
    non_negative,
    not_null,
    one_of,
    primary_key,
    rule,
    select_with,
    share,
    single_value,
    suite,
)
from expectations.marketing import TAG_VALUES

TABLE = "marts.customer_profile"
BLOCKING = True
PII_COLUMNS = ("id_number_token", "mobile_token", "mobile_masked")
TAG_COLUMNS = tuple(tag for tag, values in TAG_VALUES.items() if values is not None)
AMOUNTS = ("lifetime_principal", "pre_approved_limit", "outstanding_principal")
COUNTS = ("instalments_paid", "instalments_overdue", "max_dpd_to_date", "loan_count", "sms_in_cap_window",
          "calls_in_cap_window")
DERIVED = (
    known_in("customer_id", "marts.dim_customers"),
    rule("count(*) over () = (select count(*) from marts.dim_customers)", "every_customer_is_profiled"),
    # the tokens are the customer's own (dim_customers), not another customer's
    rule("(select customers.id_number_token = customer_profile.id_number_token and customers.mobile_token "
         "is not distinct from customer_profile.mobile_token from marts.dim_customers as customers "
         "where customers.customer_id = customer_profile.customer_id)", "tokens_are_the_customers"),
    rule("is_restricted = (marketing_restriction <> 'none')", "restriction_tag_matches_the_flag"),
    rule("is_restricted = (customer_id in (select customer_id from marts.marketing_restricted_customers "
         "where customer_id is not null))", "restricted_exactly_when_listed"),
    rule("(restriction_reasons is null) = (not is_restricted)", "reasons_exactly_when_restricted"),
    rule("not is_restricted or pre_approved_limit = 0", "no_limit_for_the_restricted"),
    rule("(risk_grade = 'unscored') = (pd is null)", "a_pd_exactly_for_a_grade"),
    rule("value_tier = case when lifetime_principal >= 30000 then 'high' when lifetime_principal >= 10000 "
         "then 'medium' when lifetime_principal > 0 then 'low' else 'none' end", "value_tier_follows_the_principal"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("customer_id", *PII_COLUMNS, *TAG_COLUMNS, "lifecycle_stage_since", "pd", "is_restricted",
                         "restriction_reasons", "last_activity_on", "last_contacted_at", "as_of_date", *AMOUNTS,
                         *COUNTS, *derived_names(*DERIVED))),
        *primary_key("customer_id"),
        matches("customer_id", CUSTOMER_ID_REGEX),
        *not_null("id_number_token", *TAG_COLUMNS, "lifecycle_stage_since", "is_restricted", "pre_approved_limit",
                  "as_of_date"),
        matches("id_number_token", TOKEN_REGEX),
        gx.expectations.ExpectColumnValuesToBeUnique(column="id_number_token"),
        matches("mobile_token", TOKEN_REGEX),
        matches("mobile_masked", MASKED_MOBILE_REGEX),
        *(one_of(tag, TAG_VALUES[tag]) for tag in TAG_COLUMNS),
        *share("pd"),
        *non_negative(*AMOUNTS, *COUNTS),
        single_value("as_of_date"),
        at_least("as_of_date", "lifecycle_stage_since"),
        at_least("as_of_date", "last_activity_on"),
        *(flag_holds(flag) for flag in derived_names(*DERIVED)),
    ])
