-- One row per loan return and per partial refund - the two ways a merchant pays money back to the lender on a loan -
-- in one shape (kind, amount), joined to the loan they apply to. fct_loan_returns and fct_refunds are this model
-- filtered to one kind; the co-sharing marts read both kinds together.
with

loan_returns as (

    select * from {{ ref('stg_merchant_cosharing__loan_returns') }}

),

refunds as (

    select * from {{ ref('stg_merchant_cosharing__refunds') }}

),

loans as (

    select * from {{ ref('stg_core_lending__loans') }}

),

unioned as (

    select
        loan_returns.return_id as case_id,
        'loan_return' as kind,
        loan_returns.loan_id,
        loan_returns.merchant_id,
        loan_returns.store_id,
        loan_returns.reason,
        loan_returns.state,
        loan_returns.return_amount as amount,
        loan_returns.requested_at,
        loan_returns.completed_at

    from loan_returns

    union all

    select
        refunds.refund_id as case_id,
        'refund' as kind,
        refunds.loan_id,
        refunds.merchant_id,
        refunds.store_id,
        refunds.reason,
        refunds.state,
        refunds.refund_amount as amount,
        refunds.requested_at,
        refunds.completed_at

    from refunds

)

select
    -- ids
    unioned.case_id,
    unioned.loan_id,
    loans.customer_id,
    unioned.merchant_id,
    unioned.store_id,

    -- strings
    unioned.kind,
    loans.scenario,
    unioned.reason,
    unioned.state,

    -- numerics
    cast(unioned.amount as decimal(18, 2)) as amount,
    cast(loans.principal as decimal(18, 2)) as loan_principal,

    -- booleans
    unioned.state = 'completed' as is_completed,

    -- dates
    loans.disbursed_on,
    cast(unioned.requested_at as date) as requested_on,
    cast(unioned.completed_at as date) as completed_on,

    -- timestamps
    unioned.requested_at,
    unioned.completed_at

from unioned
left join loans
    on unioned.loan_id = loans.loan_id
