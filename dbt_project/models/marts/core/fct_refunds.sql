with

refunds as (

    select * from {{ ref('stg_merchant_cosharing__refunds') }}

),

loans as (

    select * from {{ ref('stg_core_lending__loans') }}

)

select
    -- ids
    refunds.refund_id,
    refunds.loan_id,
    loans.customer_id,
    refunds.merchant_id,
    refunds.store_id,

    -- strings
    loans.scenario,
    refunds.reason,
    refunds.state,

    -- numerics
    cast(refunds.refund_amount as decimal(18, 2)) as refund_amount,
    cast(loans.principal as decimal(18, 2)) as loan_principal,

    -- booleans
    refunds.reason = 'course_withdrawal' as is_course_withdrawal,
    refunds.state = 'completed' as is_completed,

    -- dates
    cast(refunds.requested_at as date) as requested_on,
    cast(refunds.completed_at as date) as completed_on,

    -- timestamps
    refunds.requested_at,
    refunds.completed_at

from refunds
left join loans
    on refunds.loan_id = loans.loan_id
