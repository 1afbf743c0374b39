-- Refund management: every loan return and refund a merchant owes the lender, its processing state and how long
-- it took, and the instalments it cancelled on the loan.
--
-- What each kind cancels (read from fct_instalments, so it agrees with the core to the fen):
--   loan_return               a completed return cancels every instalment still unpaid on the loan (the loan is
--                             cancelled, returned_on); a requested or rejected return cancels nothing.
--   course_withdrawal_refund  the course withdrawal agreed on day T cancels every unpaid instalment due after T; the
--                             cancellation is credited to the withdrawal's T+1 refund (whatever its state - the
--                             agreement, not the refund, cancels), unless a completed return cancelled the loan first.
--   refund                    a partial refund cancels no instalment: the schedule runs on unchanged (the refund is
--                             money from the merchant to the lender, counted in fct_loans.refunded_amount).
with

paybacks as (

    select * from {{ ref('int_refunds_and_loan_returns_joined_to_loans') }}

),

loans as (

    select * from {{ ref('fct_loans') }}

),

instalments as (

    select * from {{ ref('fct_instalments') }}

),

course_withdrawals as (

    select * from {{ ref('stg_merchant_cosharing__course_withdrawals') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

classified as (

    select
        paybacks.*,
        case
            when paybacks.kind = 'loan_return' then 'loan_return'
            when paybacks.reason = 'course_withdrawal' then 'course_withdrawal_refund'
            else 'refund'
        end as case_kind

    from paybacks

),

withdrawals_per_loan as (

    select
        course_withdrawals.loan_id,
        min(course_withdrawals.withdrawal_id) as withdrawal_id,
        min(course_withdrawals.agreed_on) as agreed_on

    from course_withdrawals
    group by course_withdrawals.loan_id

),

-- the one case per loan its cancelled instalments are credited to
cancelling_cases as (

    select
        classified.case_id,
        classified.loan_id,
        coalesce(loans.returned_on, loans.withdrawn_on) as instalments_cancelled_on,
        row_number() over (
            partition by classified.loan_id
            order by
                case when classified.state = 'rejected' then 1 else 0 end,
                classified.requested_at,
                classified.case_id
        ) as rank_in_loan

    from classified
    inner join loans
        on classified.loan_id = loans.loan_id
    where
        (
            classified.case_kind = 'loan_return'
            and classified.state = 'completed'
            and classified.completed_on = loans.returned_on
        )
        or (
            classified.case_kind = 'course_withdrawal_refund'
            and loans.returned_on is null
            and loans.withdrawn_on is not null
        )

),

cancelled_per_loan as (

    select
        instalments.loan_id,
        count(*) as instalments_cancelled,
        sum(instalments.principal_due - instalments.principal_repaid) as principal_cancelled,
        -- payments go to interest first: what a part-paid cancelled instalment paid of its interest is not cancelled
        sum(instalments.interest_due - least(instalments.paid_amount, instalments.interest_due)) as interest_cancelled

    from instalments
    where instalments.instalment_status = 'cancelled'
    group by instalments.loan_id

),

cancellations as (

    select
        cancelling_cases.case_id,
        cancelling_cases.instalments_cancelled_on,
        cancelled_per_loan.instalments_cancelled,
        cancelled_per_loan.principal_cancelled,
        cancelled_per_loan.interest_cancelled

    from cancelling_cases
    inner join cancelled_per_loan
        on cancelling_cases.loan_id = cancelled_per_loan.loan_id
    where cancelling_cases.rank_in_loan = 1

)

select
    -- ids
    classified.case_id,
    classified.loan_id,
    classified.customer_id,
    classified.merchant_id,
    classified.store_id,
    case when classified.case_kind = 'course_withdrawal_refund' then withdrawals_per_loan.withdrawal_id end
        as withdrawal_id,

    -- strings
    classified.case_kind as kind,
    classified.scenario,
    classified.reason,
    classified.state,

    -- amounts
    classified.amount,
    classified.loan_principal,
    cast(coalesce(cancellations.instalments_cancelled, 0) as bigint) as instalments_cancelled,
    cast(coalesce(cancellations.principal_cancelled, 0) as decimal(18, 2)) as principal_cancelled,
    cast(coalesce(cancellations.interest_cancelled, 0) as decimal(18, 2)) as interest_cancelled,

    -- durations
    case
        when classified.state = 'completed'
            then {{ dbt.datediff('classified.requested_on', 'classified.completed_on', 'day') }}
    end as days_to_complete,
    case
        when classified.state = 'requested'
            then {{ dbt.datediff('classified.requested_on', 'data_date.data_date', 'day') }}
    end as days_open,

    -- booleans
    classified.is_completed,

    -- dates
    classified.requested_on,
    case when classified.state = 'completed' then classified.completed_on end as completed_on,
    case when classified.state = 'rejected' then classified.completed_on end as rejected_on,
    case when classified.case_kind = 'course_withdrawal_refund' then withdrawals_per_loan.agreed_on end
        as withdrawal_agreed_on,
    cancellations.instalments_cancelled_on,

    -- timestamps
    classified.requested_at,
    classified.completed_at as closed_at

from classified
left join cancellations
    on classified.case_id = cancellations.case_id
left join withdrawals_per_loan
    on classified.loan_id = withdrawals_per_loan.loan_id
cross join data_date
