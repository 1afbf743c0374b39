-- One row per course withdrawal: the refund it triggers, priced from the loan's position at the end of the day the
-- withdrawal was agreed (day T). Only payments made on or before T count, so re-pricing later gives the same figures.
--
-- The customer keeps the instalments due on or before T (paid, or still owed); whatever is unpaid of the instalments
-- due after T is cancelled (an instalment paid ahead stays paid). The school refunds the unused tuition (course fee x unused lessons / total lessons) to the lender on
-- T+1. The cancelled principal is settled from it: what is left over goes back to the customer (they had paid
-- ahead of the lessons they took); a shortfall is the residual principal the customer still owes (lessons taken
-- but not yet paid for), collected in one amount.
with

withdrawals as (

    select * from {{ ref('stg_merchant_cosharing__course_withdrawals') }}

),

instalments as (

    select * from {{ ref('fct_instalments') }}

),

repayments as (

    select * from {{ ref('fct_repayments') }}

),

paid_by_withdrawal as (

    select
        withdrawals.withdrawal_id,
        repayments.instalment_key,
        sum(repayments.amount) as paid_amount

    from withdrawals
    inner join repayments
        on
            withdrawals.loan_id = repayments.loan_id
            and repayments.paid_on <= withdrawals.agreed_on
    group by withdrawals.withdrawal_id, repayments.instalment_key

),

instalments_at_withdrawal as (

    select
        withdrawals.withdrawal_id,
        instalments.instalment_key,
        instalments.merchant_id,
        instalments.store_id,
        instalments.due_on > withdrawals.agreed_on as is_cancelled,
        instalments.principal_due,
        instalments.interest_due,
        instalments.total_due,
        coalesce(paid_by_withdrawal.paid_amount, 0) as paid_amount,
        -- payments go to interest first, then principal
        least(
            instalments.principal_due,
            greatest(coalesce(paid_by_withdrawal.paid_amount, 0) - instalments.interest_due, 0)
        ) as principal_paid

    from withdrawals
    inner join instalments
        on withdrawals.loan_id = instalments.loan_id
    left join paid_by_withdrawal
        on
            withdrawals.withdrawal_id = paid_by_withdrawal.withdrawal_id
            and instalments.instalment_key = paid_by_withdrawal.instalment_key

),

positions as (

    select
        withdrawal_id,
        min(store_id) as store_id,
        sum(case when paid_amount >= total_due then 1 else 0 end) as instalments_paid,
        sum(case when not is_cancelled and paid_amount < total_due then 1 else 0 end) as instalments_owed,
        sum(case when is_cancelled and paid_amount < total_due then 1 else 0 end) as instalments_cancelled,
        sum(paid_amount) as amount_paid_by_customer,
        sum(principal_paid) as principal_paid_by_customer,
        sum(case when not is_cancelled then principal_due - principal_paid else 0 end) as principal_owed,
        sum(case when is_cancelled then principal_due - principal_paid else 0 end) as principal_cancelled,
        sum(case when is_cancelled then interest_due - least(paid_amount, interest_due) else 0 end)
            as interest_cancelled

    from instalments_at_withdrawal
    group by withdrawal_id

)

select
    withdrawals.withdrawal_id,
    withdrawals.loan_id,
    withdrawals.customer_id,
    withdrawals.merchant_id,
    positions.store_id,
    withdrawals.agreed_on,
    cast({{ dbt.dateadd('day', 1, 'withdrawals.agreed_on') }} as date) as refund_on,
    withdrawals.course_fee,
    withdrawals.lessons_total,
    withdrawals.lessons_used,
    withdrawals.unused_tuition,
    coalesce(positions.instalments_paid, 0) as instalments_paid,
    coalesce(positions.instalments_owed, 0) as instalments_owed,
    coalesce(positions.instalments_cancelled, 0) as instalments_cancelled,
    coalesce(positions.amount_paid_by_customer, 0) as amount_paid_by_customer,
    coalesce(positions.principal_paid_by_customer, 0) as principal_paid_by_customer,
    coalesce(positions.principal_owed, 0) as principal_owed,
    coalesce(positions.principal_cancelled, 0) as principal_cancelled,
    coalesce(positions.interest_cancelled, 0) as interest_cancelled,
    withdrawals.unused_tuition as merchant_refund_amount,
    greatest(withdrawals.unused_tuition - coalesce(positions.principal_cancelled, 0), 0) as customer_refund_amount,
    greatest(coalesce(positions.principal_cancelled, 0) - withdrawals.unused_tuition, 0) as customer_residual_principal

from withdrawals
left join positions
    on withdrawals.withdrawal_id = positions.withdrawal_id
