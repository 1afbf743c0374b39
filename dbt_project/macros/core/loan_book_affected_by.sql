{#-
    Which day a newly loaded row of each source behind the loan book (the core facts and int_loan_states_dated) changes
    a dated model built on it from (macros/core/incremental.sql, affected_days_start): the earliest of its dates that
    the book reads - nothing about a loan is dated before what it records happened.
      applications      applied_at
      customers         registered_at (nothing about a customer's loans comes earlier)
      loans             disbursed_on (every later event of the loan - first due, payments, write-off - comes later)
      schedules         the day the schedule landed (with its loan, on disbursement day; a corrected file keeps it)
      repayments        paid_at (principal and delinquency move from then)
      returns, refunds  requested_at (their case and amount count from the request, the cancellation later)
      withdrawals       agreed_on (instalments due after it are cancelled from then)
      merchants         updated_at (a version of the terms governs from then)
-#}
{% macro loan_book_affected_by() -%}
    {{ return({
        'core_lending.applications': 'new_rows.applied_at',
        'core_lending.customers': 'new_rows.registered_at',
        'core_lending.loans': 'new_rows.disbursed_on',
        'core_lending.instalment_schedules': 'new_rows._landing_date',
        'core_lending.repayments': 'new_rows.paid_at',
        'merchant_cosharing.loan_returns': 'least(new_rows.requested_at, new_rows.completed_at)',
        'merchant_cosharing.refunds': 'least(new_rows.requested_at, new_rows.completed_at)',
        'merchant_cosharing.course_withdrawals': 'new_rows.agreed_on',
        'merchant_management.merchants': 'new_rows.updated_at',
    }) }}
{%- endmacro %}
