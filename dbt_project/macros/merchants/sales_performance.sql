{#- The measures store_performance and sales_rep_performance share, in their order, from the one aggregation
    int_sales_performance_aggregated_to_stores_and_reps (aliased `relation`). -#}
{% macro sales_performance_measures(relation='performance') -%}
    -- volume
    {{ relation }}.application_count,
    {{ relation }}.approved_application_count,
    {{ relation }}.approval_rate,
    {{ relation }}.loan_count,
    {{ relation }}.principal_disbursed,

    -- first-payment default and ever 30 days past due, on loans whose performance is observable
    {{ relation }}.observable_loan_count,
    {{ relation }}.observable_principal,
    {{ relation }}.fpd30_loan_count,
    {{ relation }}.fpd30_principal,
    {{ relation }}.fpd30_rate,
    {{ relation }}.fpd30_principal_rate,
    {{ relation }}.ever_30dpd_loan_count,
    {{ relation }}.ever_30dpd_rate,

    -- returns and refunds
    {{ relation }}.returned_loan_count,
    {{ relation }}.return_amount,
    {{ relation }}.return_rate,
    {{ relation }}.refund_count,
    {{ relation }}.refund_amount,
    {{ relation }}.refund_amount_rate,

    -- book as of the data date
    {{ relation }}.outstanding_principal,
    {{ relation }}.written_off_principal,

    -- dates
    {{ relation }}.first_application_on,
    {{ relation }}.last_application_on,
    {{ relation }}.first_disbursed_on,
    {{ relation }}.last_disbursed_on,
    {{ relation }}.first_activity_on,
    {{ relation }}.last_activity_on
{%- endmacro %}
