-- One row per merchant and day its outstanding loan principal changed: the principal outstanding at the end of that
-- day over every loan disbursed through the merchant, in force until the day before its next change (valid_to_on
-- null: still in force). The same definition as fct_loans.outstanding_principal, dated:
--   + a loan's principal on its disbursement day;
--   - an instalment's repaid principal on the day it was paid in full, or - still partly paid - on its latest
--     payment (the interest-first split of fct_instalments, dated by that payment);
--   - a cancelled instalment's unpaid principal on the day the cancellation took effect: the loan return's
--     completion (returned_on) or the course withdrawal's agreed day (withdrawn_on).
-- Written-off loans stay outstanding, as in fct_loans. On the data date the total equals fct_loans'.
with

loans as (

    select * from {{ ref('fct_loans') }}

),

instalments as (

    select * from {{ ref('fct_instalments') }}

),

principal_changes as (

    select
        loans.merchant_id,
        loans.disbursed_on as changed_on,
        loans.principal as amount

    from loans

    union all

    select
        loans.merchant_id,
        coalesce(instalments.paid_on, instalments.last_payment_on) as changed_on,
        -instalments.principal_repaid as amount

    from instalments
    inner join loans
        on instalments.loan_id = loans.loan_id
    where instalments.principal_repaid <> 0

    union all

    select
        loans.merchant_id,
        coalesce(loans.returned_on, loans.withdrawn_on) as changed_on,
        -(instalments.principal_due - instalments.principal_repaid) as amount

    from instalments
    inner join loans
        on instalments.loan_id = loans.loan_id
    where instalments.instalment_status = 'cancelled'

),

daily as (

    select
        principal_changes.merchant_id,
        principal_changes.changed_on,
        sum(principal_changes.amount) as net_change

    from principal_changes
    group by principal_changes.merchant_id, principal_changes.changed_on

)

select
    daily.merchant_id,
    sum(daily.net_change) over (
        partition by daily.merchant_id
        order by daily.changed_on
        rows between unbounded preceding and current row
    ) as outstanding_principal,
    daily.changed_on as valid_from_on,
    {{ day_before_next('daily.changed_on', 'daily.merchant_id') }} as valid_to_on

from daily
