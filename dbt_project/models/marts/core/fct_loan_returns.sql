with

loan_returns as (

    select * from {{ ref('int_refunds_and_loan_returns_joined_to_loans') }}
    where kind = 'loan_return'

)

select
    -- ids
    loan_returns.case_id as return_id,
    loan_returns.loan_id,
    loan_returns.customer_id,
    loan_returns.merchant_id,
    loan_returns.store_id,

    -- strings
    loan_returns.scenario,
    loan_returns.reason,
    loan_returns.state,

    -- numerics
    loan_returns.amount as return_amount,
    loan_returns.loan_principal,
    {{ dbt.datediff('loan_returns.disbursed_on', 'loan_returns.requested_on', 'day') }} as days_from_disbursement,

    -- booleans
    loan_returns.is_completed,

    -- dates
    loan_returns.disbursed_on,
    loan_returns.requested_on,
    loan_returns.completed_on,

    -- timestamps
    loan_returns.requested_at,
    loan_returns.completed_at

from loan_returns
