"""marts.fraud_rings: suspected fraud rings for investigators - one row per identity-graph component of three or
more customers, what its members share, and the fraud model's view of their applications, ranked by suspicion.

Blocking - does it guard what it blocks?
- fraud_scoring: the publish. Yes: the investigators' list is published to the serving lake; a broken one is not.
- daily_path: the day's single run - everything it builds downstream of this table, as the jobs above do, and
  its one publish. Yes, for the same reasons.
"""

import great_expectations as gx

from expectations.common import (
    CUSTOMER_ID_REGEX,
    MERCHANT_ID_REGEX,
    at_least,
    between,
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
    suite,
)

TABLE = "marts.fraud_rings"
BLOCKING = True
COUNTS = ("shared_devices", "shared_ip_addresses", "shared_home_addresses", "contact_linked_pairs", "applications",
          "approved_applications", "merchants", "stores", "loans", "blacklisted_members",
          "applications_with_blacklist_hit", "applications_failing_liveness", "applications_on_emulator_or_rooted",
          "applications_flagged")
DERIVED = (
    known_in("ring_id", "marts.fraud_ring_candidates", "component_id"),
    # the member list is the component's ring-candidate members in the customer graph, one per member
    rule("len(member_customer_ids) = members and len(list_distinct(member_customer_ids)) = members",
         "member_list_has_every_member_once"),
    rule("(select count(*) from marts.fraud_customer_graph as graph where graph.component_id = fraud_rings.ring_id "
         "and graph.is_ring_candidate_member and list_contains(fraud_rings.member_customer_ids, graph.customer_id)) "
         "= members", "members_are_the_components"),
    # the suspicion rule of the asset: high on a probability of 0.5 or three flagged applications, medium on one
    rule("suspicion = case when max_fraud_probability >= 0.5 or applications_flagged >= 3 then 'high' "
         "when applications_flagged >= 1 then 'medium' else 'low' end", "suspicion_follows_the_scores"),
    rule("(mean_fraud_probability is null) = (max_fraud_probability is null)", "probabilities_together"),
)
QUERY = select_with(TABLE, *DERIVED)


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("ring_id", "member_customer_ids", "members", "main_merchant_id", "main_merchant_share",
                         "principal_disbursed", "outstanding_principal", "mean_fraud_probability",
                         "max_fraud_probability", "suspicion", "suspicion_rank", *COUNTS, *derived_names(*DERIVED))),
        *primary_key("ring_id"),
        matches("ring_id", CUSTOMER_ID_REGEX),  # a component is named after its first customer
        *not_null("member_customer_ids", "members", "applications", "applications_flagged", "suspicion",
                  "suspicion_rank"),
        between("members", 3),
        between("suspicion_rank", 1),
        one_of("suspicion", ["high", "medium", "low"]),
        *non_negative(*COUNTS, "principal_disbursed", "outstanding_principal"),
        *share("main_merchant_share", "mean_fraud_probability", "max_fraud_probability"),
        matches("main_merchant_id", MERCHANT_ID_REGEX),
        at_least("members", "blacklisted_members"),
        at_least("applications", "approved_applications"),
        at_least("applications", "applications_flagged"),
        at_least("max_fraud_probability", "mean_fraud_probability"),
        at_least("principal_disbursed", "outstanding_principal"),
        *(flag_holds(flag) for flag in derived_names(*DERIVED)),
    ])
