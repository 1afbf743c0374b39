"""marts.risk_vintage: origination month x months on book, the share of loans ever 30+ / 90+ DPD (vintage curves)."""

import great_expectations as gx

from expectations.common import at_least, columns_include, non_negative, not_null, primary_key, share, suite

TABLE = "marts.risk_vintage"


def build_suite() -> gx.ExpectationSuite:
    return suite(TABLE, [
        columns_include(("origination_month", "months_on_book", "cohort_loan_count", "observable_loan_count",
                         "ever_30dpd_loan_share", "ever_90dpd_loan_share")),
        *primary_key("origination_month", "months_on_book"),
        *not_null("cohort_loan_count", "observable_loan_count"),
        *non_negative("months_on_book", "cohort_loan_count", "observable_loan_count", "ever_30dpd_loan_count"),
        *share("ever_30dpd_loan_share", "ever_30dpd_principal_share", "ever_90dpd_loan_share",
               "ever_90dpd_principal_share"),
        at_least("cohort_loan_count", "observable_loan_count"),
        at_least("observable_loan_count", "ever_30dpd_loan_count"),
        at_least("ever_30dpd_loan_count", "ever_90dpd_loan_count"),
    ])
