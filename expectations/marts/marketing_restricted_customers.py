"""marts.marketing_restricted_customers: who must not receive marketing, since when and why - one row per customer
and restriction reason, as of the data date.

Blocking - does it guard what it blocks?
- marketing_lists: the profile, the candidates, the lists, their exports and the publish. Yes: every list excludes
  the customers here; a broken table must not let a restricted customer through.
- daily_path: the publish to the serving lake, which every mart waits for (staff keep the previous build).
  Yes: the marketing marts published with it are built from it.
"""

import great_expectations as gx

from expectations.common import (
    WARNING,
    at_least,
    columns_include,
    derived_names,
    flag_holds,
    known_in,
    not_null,
    one_of,
    primary_key,
    rule,
    select_with,
    single_value,
    suite,
)
from expectations.marketing import RESTRICTION_REASONS

TABLE = "marts.marketing_restricted_customers"
BLOCKING = True
DERIVED = (
    known_in("customer_id", "marts.dim_customers"),
    rule("restricted_until is null or restricted_until >= as_of_date", "restriction_holds_on_the_data_date"),
    rule("(restriction_reason = 'declined_recently') = (restricted_until is not null)",
         "only_a_recent_decline_has_an_end"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("customer_id", "restriction_reason", "restricted_since", "restricted_until", "detail",
                         "as_of_date", *derived_names(*DERIVED))),
        *primary_key("customer_id", "restriction_reason"),
        *not_null("restricted_since", "detail", "as_of_date"),
        one_of("restriction_reason", RESTRICTION_REASONS),
        single_value("as_of_date"),
        at_least("as_of_date", "restricted_since"),
        flag_holds("restriction_holds_on_the_data_date"),
        flag_holds("only_a_recent_decline_has_an_end"),
        # An opt-out or complaint may name a customer the core has not landed yet: restricting them is harmless, so
        # an unknown customer is a warning, not a reason to hold the lists back.
        gx.expectations.ExpectColumnValuesToBeInSet(column="customer_id_is_known", value_set=[True],
                                                    severity=WARNING),
    ])
