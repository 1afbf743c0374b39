with

refunds as (

    select * from {{ ref('int_refunds_and_loan_returns_joined_to_loans') }}
    where kind = 'refund'

)

select
    -- ids
    refunds.case_id as refund_id,
    refunds.loan_id,
    refunds.customer_id,
    refunds.merchant_id,
    refunds.store_id,

    -- strings
    refunds.scenario,
    refunds.reason,
    refunds.state,

    -- numerics
    refunds.amount as refund_amount,
    refunds.loan_principal,

    -- booleans
    refunds.reason = 'course_withdrawal' as is_course_withdrawal,
    refunds.is_completed,

    -- dates
    refunds.requested_on,
    refunds.completed_on,

    -- timestamps
    refunds.requested_at,
    refunds.completed_at

from refunds
