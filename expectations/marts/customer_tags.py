"""marts.customer_tags: the tag system in long form - one row per customer and tag, as of the data date.

Blocking - does it guard what it blocks?
- marketing_lists and daily_path: the publish (and the tag dictionary). Yes: segment queries read the tags; a tag
  with a value outside the dictionary, a customer missing a tag or a tag that disagrees with customer_profile
  would be published as fact.
"""

import great_expectations as gx

from expectations.common import (
    CUSTOMER_ID_REGEX,
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
    single_value,
    suite,
)
from expectations.marketing import TAG_VALUES

TABLE = "marts.customer_tags"
BLOCKING = True
TAGS = tuple(TAG_VALUES)
# Tags with a number behind them: the amount (pre_approved_limit), lifetime principal (value_tier), worst days past
# due (repayment_behaviour).
NUMERIC_TAGS = ("pre_approved_limit", "value_tier", "repayment_behaviour")
# The wide form of each tag in customer_profile: the column of the same name, the amount as text for the limit.
PROFILE_VALUE = "case customer_tags.tag " + " ".join(
    f"when '{tag}' then " + ("cast(profile.pre_approved_limit as varchar)" if values is None else f"profile.{tag}")
    for tag, values in TAG_VALUES.items()
) + " end"
VALUE_ALLOWED = "case tag " + " ".join(
    f"when '{tag}' then " + ("try_cast(tag_value as decimal(18, 2)) = tag_value_number" if values is None
                             else "tag_value in (" + ", ".join(f"'{v}'" for v in values) + ")")
    for tag, values in TAG_VALUES.items()
) + " end"
DERIVED = (
    known_in("customer_id", "marts.dim_customers"),
    known_in("tag", "marts.tag_dictionary"),
    rule(VALUE_ALLOWED, "tag_value_is_allowed"),
    rule(f"(tag in ({', '.join(repr(t) for t in NUMERIC_TAGS)})) = (tag_value_number is not null)",
         "number_exactly_for_numeric_tags"),
    rule(f"count(*) over (partition by customer_id) = {len(TAGS)}", "customer_has_every_tag"),
    rule("count(*) over () = (select count(*) from marts.dim_customers) * " + str(len(TAGS)),
         "every_customer_is_tagged"),
    rule(f"tag_value = (select {PROFILE_VALUE} from marts.customer_profile as profile "
         "where profile.customer_id = customer_tags.customer_id)", "tag_value_matches_the_profile"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("customer_id", "tag", "tag_value", "tag_value_number", "as_of_date",
                         *derived_names(*DERIVED))),
        *primary_key("customer_id", "tag"),
        matches("customer_id", CUSTOMER_ID_REGEX),
        *not_null("tag_value", "as_of_date"),
        single_value("as_of_date"),
        one_of("tag", TAGS),
        *non_negative("tag_value_number"),
        *(flag_holds(flag) for flag in derived_names(*DERIVED)),
    ])
