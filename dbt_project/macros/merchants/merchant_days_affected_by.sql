{#-
    Which day a newly loaded row of each input of int_merchant_days_measured changes the merchant days from (the
    rebuild window of an incremental run: macros/core/incremental.sql, affected_days_start). Every figure of a
    merchant day counts records dated on or before it, so a row changes the days from its own date on - the earliest
    of its dates that the measurement reads:
      applications      applied_at (the application; its customer's profile counts from then)
      customers         registered_at (a corrected profile changes the z-scores of every later application)
      loans             disbursed_on (every loan event - first due, FPD, 30+ DPD, write-off - comes later)
      schedules         the day the schedule landed (with its loan, on disbursement day; a corrected file keeps it)
      repayments        paid_at (principal outstanding from then; an FPD flag is dated at due + 7/30, after it)
      returns, refunds  requested_at (their case and amount count from the request, the cancellation later)
      withdrawals       agreed_on (instalments due after it are cancelled from then)
      deposits          moved_at
      complaints        received_at; call-backs: called_at
      stores, reps      opened_on, hired_on
      merchants         updated_at: a version governs from then (an earlier admission date arriving with it moves
                        the merchant's first day, which merchant_days_started_earlier() catches)
      blacklist         the day the entry landed: a loan counts as fraud-listed from the day the lender knew
-#}
{% macro merchant_days_affected_by() -%}
    {{ return({
        'core_lending.applications': 'new_rows.applied_at',
        'core_lending.customers': 'new_rows.registered_at',
        'core_lending.loans': 'new_rows.disbursed_on',
        'core_lending.instalment_schedules': 'new_rows._landing_date',
        'core_lending.repayments': 'new_rows.paid_at',
        'merchant_cosharing.loan_returns': 'least(new_rows.requested_at, new_rows.completed_at)',
        'merchant_cosharing.refunds': 'least(new_rows.requested_at, new_rows.completed_at)',
        'merchant_cosharing.course_withdrawals': 'new_rows.agreed_on',
        'merchant_cosharing.deposit_movements': 'new_rows.moved_at',
        'operations.complaints': 'new_rows.received_at',
        'operations.callbacks': 'new_rows.called_at',
        'merchant_management.stores': 'new_rows.opened_on',
        'merchant_management.sales_reps': 'new_rows.hired_on',
        'merchant_management.merchants': 'new_rows.updated_at',
        'fraud_data.internal_blacklist': 'new_rows._landing_date',
    }) }}
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
