with

loan_returns as (

    select * from {{ ref('stg_merchant_cosharing__loan_returns') }}

),

loans as (

    select * from {{ ref('stg_core_lending__loans') }}

)

select
    -- ids
    loan_returns.return_id,
    loan_returns.loan_id,
    loans.customer_id,
    loan_returns.merchant_id,
    loan_returns.store_id,

    -- strings
    loans.scenario,
    loan_returns.reason,
    loan_returns.state,

    -- numerics
    cast(loan_returns.return_amount as decimal(18, 2)) as return_amount,
    cast(loans.principal as decimal(18, 2)) as loan_principal,
    {{ dbt.datediff('loans.disbursed_on', 'cast(loan_returns.requested_at as date)', 'day') }}
        as days_from_disbursement,

    -- booleans
    loan_returns.state = 'completed' as is_completed,

    -- dates
    loans.disbursed_on,
    cast(loan_returns.requested_at as date) as requested_on,
    cast(loan_returns.completed_at as date) as completed_on,

    -- timestamps
    loan_returns.requested_at,
    loan_returns.completed_at

from loan_returns
left join loans
    on loan_returns.loan_id = loans.loan_id
