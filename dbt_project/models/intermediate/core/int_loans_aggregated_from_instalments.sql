-- One row per loan: its instalments rolled up to the loan's repayment position as of the data date, and its
-- status. Its first-payment default is observable (is_fpd_observable) once the first instalment fell due on or
-- before data date - 30 and was not cancelled. A completed loan return makes it `returned`; otherwise it is `written_off` once its oldest unpaid
-- instalment is write_off_dpd() days past due, `paid_off` when every instalment is paid, else `active`.
with

loans as (

    select * from {{ ref('stg_core_lending__loans') }}

),

applications as (

    select * from {{ ref('stg_core_lending__applications') }}

),

instalments as (

    select * from {{ ref('int_instalments_joined_to_payments') }}

),

refunds as (

    select * from {{ ref('stg_merchant_cosharing__refunds') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

instalments_per_loan as (

    select
        instalments.loan_id,
        count(*) as instalment_count,
        sum(case when instalments.instalment_status = 'paid' then 1 else 0 end) as instalments_paid,
        sum(case when instalments.instalment_status = 'overdue' then 1 else 0 end) as instalments_overdue,
        sum(case when instalments.instalment_status = 'cancelled' then 1 else 0 end) as instalments_cancelled,
        sum(instalments.paid_amount) as amount_repaid,
        sum(instalments.principal_repaid) as principal_repaid,
        sum(instalments.principal_outstanding) as outstanding_principal,
        sum(
            case
                when instalments.instalment_status = 'cancelled'
                    then instalments.principal_due - instalments.principal_repaid
                else 0
            end
        ) as principal_cancelled,
        sum(
            case when instalments.instalment_status = 'overdue' then instalments.total_due - instalments.paid_amount else 0 end
        ) as overdue_amount,
        sum(instalments.interest_waived) as interest_waived,
        min(case when instalments.instalment_status = 'overdue' then instalments.due_on end) as oldest_overdue_due_on,
        max(instalments.days_past_due) as max_dpd_to_date,
        max(case when instalments.instalment_no = 1 then instalments.days_past_due end) as first_instalment_dpd,
        max(case when instalments.instalment_no = 1 then instalments.due_on end) as first_instalment_due_on,
        max(case when instalments.instalment_no = 1 then instalments.instalment_status end)
            as first_instalment_status,
        max(instalments.due_on) as maturity_on,
        max(instalments.paid_on) as last_paid_on,
        min(instalments.returned_on) as returned_on,
        min(instalments.withdrawn_on) as withdrawn_on

    from instalments
    group by instalments.loan_id

),

refunds_per_loan as (

    select
        refunds.loan_id,
        sum(refunds.refund_amount) as refunded_amount

    from refunds
    where refunds.state = 'completed'
    group by refunds.loan_id

),

positioned as (

    select
        loans.loan_id,
        loans.application_id,
        loans.customer_id,
        loans.merchant_id,
        loans.store_id,
        applications.sales_rep_id,
        loans.scenario,
        loans.principal,
        loans.term_months,
        loans.annual_rate,
        loans.disbursed_on,
        loans.first_due_on,
        instalments_per_loan.maturity_on,
        -- a loan whose schedule has not landed yet owes its whole principal and has repaid nothing
        coalesce(instalments_per_loan.instalment_count, 0) as instalment_count,
        coalesce(instalments_per_loan.instalments_paid, 0) as instalments_paid,
        coalesce(instalments_per_loan.instalments_overdue, 0) as instalments_overdue,
        coalesce(instalments_per_loan.instalments_cancelled, 0) as instalments_cancelled,
        coalesce(instalments_per_loan.amount_repaid, 0) as amount_repaid,
        coalesce(instalments_per_loan.principal_repaid, 0) as principal_repaid,
        coalesce(instalments_per_loan.outstanding_principal, loans.principal) as outstanding_principal,
        coalesce(instalments_per_loan.principal_cancelled, 0) as principal_cancelled,
        coalesce(instalments_per_loan.overdue_amount, 0) as overdue_amount,
        coalesce(instalments_per_loan.interest_waived, 0) as interest_waived,
        coalesce(refunds_per_loan.refunded_amount, 0) as refunded_amount,
        instalments_per_loan.oldest_overdue_due_on,
        coalesce(
            {{ dbt.datediff('instalments_per_loan.oldest_overdue_due_on', 'data_date.data_date', 'day') }}, 0
        ) as current_dpd,
        coalesce(instalments_per_loan.max_dpd_to_date, 0) as max_dpd_to_date,
        instalments_per_loan.first_instalment_dpd,
        -- the first instalment has had 30 days to go 30 days past due and still stands (not cancelled by a loan
        -- return or course withdrawal): the loan's first-payment default is final; false until the schedule lands
        coalesce(
            instalments_per_loan.first_instalment_due_on
            <= cast({{ dbt.dateadd('day', -30, 'data_date.data_date') }} as date)
            and instalments_per_loan.first_instalment_status <> 'cancelled',
            false
        ) as is_fpd_observable,
        instalments_per_loan.last_paid_on,
        instalments_per_loan.returned_on,
        instalments_per_loan.withdrawn_on,
        data_date.data_date

    from loans
    left join instalments_per_loan
        on loans.loan_id = instalments_per_loan.loan_id
    left join applications
        on loans.application_id = applications.application_id
    left join refunds_per_loan
        on loans.loan_id = refunds_per_loan.loan_id
    cross join data_date

)

select
    positioned.*,
    case
        when positioned.returned_on is not null then 'returned'
        when positioned.current_dpd >= {{ write_off_dpd() }} then 'written_off'
        when positioned.instalment_count > 0 and positioned.instalments_paid = positioned.instalment_count
            then 'paid_off'
        when
            positioned.withdrawn_on is not null
            and positioned.instalments_paid + positioned.instalments_cancelled = positioned.instalment_count
            then 'withdrawn'
        else 'active'
    end as loan_status,
    case
        when positioned.returned_on is null and positioned.current_dpd >= {{ write_off_dpd() }}
            then cast({{ dbt.dateadd('day', write_off_dpd(), 'positioned.oldest_overdue_due_on') }} as date)
    end as written_off_on,
    case
        when
            positioned.returned_on is null
            and positioned.instalment_count > 0
            and positioned.instalments_paid = positioned.instalment_count
            then positioned.last_paid_on
    end as paid_off_on

from positioned
