{#-
    Which day a newly loaded row of each input of int_merchant_days_measured changes the merchant days from (the
    rebuild window of an incremental run: macros/core/incremental.sql, affected_days_start). Every figure of a
    merchant day counts records dated on or before it, so a row changes the days from its own date on - the earliest
    of its dates that the measurement reads. The loan book's sources as loan_book_affected_by() dates them (a
    merchant's first day moving earlier with a late admission date is caught by merchant_days_started_earlier()),
    and besides:
      deposits          moved_at
      complaints        received_at; call-backs: called_at
      stores, reps      opened_on, hired_on
      blacklist         the day the entry landed: a loan counts as fraud-listed from the day the lender knew
-#}
{% macro merchant_days_affected_by() -%}
    {%- set inputs = loan_book_affected_by() -%}
    {%- do inputs.update({
        'merchant_cosharing.deposit_movements': 'new_rows.moved_at',
        'operations.complaints': 'new_rows.received_at',
        'operations.callbacks': 'new_rows.called_at',
        'merchant_management.stores': 'new_rows.opened_on',
        'merchant_management.sales_reps': 'new_rows.hired_on',
        'fraud_data.internal_blacklist': 'new_rows._landing_date',
    }) -%}
    {{ return(inputs) }}
{%- endmacro %}

{#- The first day of a merchant the table does not start with yet (a new merchant, or one whose first day moved
    earlier): its days are measured from its first day. -#}
{% macro merchant_days_started_earlier() -%}
    select min(
        least(coalesce(merchants.first_seen_on, merchants.first_admitted_on), merchants.first_admitted_on)
    )
    from {{ ref('dim_merchants') }} as merchants
    left join (
        select merchant_id, min(date_day) as first_day from {{ this }} group by merchant_id
    ) as built
        on merchants.merchant_id = built.merchant_id
    where
        merchants.first_admitted_on is not null
        and (
            built.first_day is null
            or least(coalesce(merchants.first_seen_on, merchants.first_admitted_on), merchants.first_admitted_on)
            < built.first_day
        )
{%- endmacro %}
