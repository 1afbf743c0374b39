-- One row per instalment of a loan: the schedule joined to the payments received against it, with its state and
-- days past due as of the data date.
--
-- An instalment is paid on the day the payments received reach its total due, or - early settlement - on the day
-- they reach its principal before its interest starts to accrue (the previous due date): interest for a period
-- not yet begun is waived. A completed loan return cancels whatever is still unpaid; a course withdrawal agreed on
-- day T cancels every unpaid instalment due after T (the T+1 education refund settles them). Days past due: for a paid
-- instalment the days it was paid late (never below 0), for an unpaid one past its due date data_date - due_on,
-- otherwise 0. `_loaded_at` is the latest load time of every source row behind the instalment (the incremental
-- watermark of fct_instalments).
with

schedules as (

    select * from {{ ref('stg_core_lending__instalment_schedules') }}

),

loans as (

    select * from {{ ref('stg_core_lending__loans') }}

),

repayments as (

    select * from {{ ref('stg_core_lending__repayments') }}

),

loan_returns as (

    select * from {{ ref('stg_merchant_cosharing__loan_returns') }}

),

course_withdrawals as (

    select * from {{ ref('stg_merchant_cosharing__course_withdrawals') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

instalments as (

    select
        schedules.instalment_key,
        schedules.loan_id,
        schedules.instalment_no,
        loans.customer_id,
        loans.merchant_id,
        loans.store_id,
        loans.scenario,
        schedules.due_on,
        -- interest for instalment n accrues from the (n-1)th monthly anniversary of disbursement
        cast({{ dbt.dateadd('month', 'schedules.instalment_no - 1', 'loans.disbursed_on') }} as date)
            as interest_accrues_from,
        schedules.principal_due,
        schedules.interest_due,
        schedules.total_due,
        greatest(schedules._loaded_at, loans._loaded_at) as _loaded_at

    from schedules
    inner join loans
        on schedules.loan_id = loans.loan_id

),

payments as (

    select
        repayments.loan_id,
        repayments.instalment_no,
        cast(repayments.paid_at as date) as paid_on,
        repayments.amount,
        repayments._loaded_at,
        sum(repayments.amount) over (
            partition by repayments.loan_id, repayments.instalment_no
            order by repayments.paid_at, repayments.repayment_id
            rows between unbounded preceding and current row
        ) as amount_received_to_date

    from repayments

),

payments_per_instalment as (

    select
        instalments.instalment_key,
        sum(payments.amount) as paid_amount,
        count(*) as payment_count,
        max(payments.paid_on) as last_payment_on,
        min(
            case
                when payments.amount_received_to_date >= instalments.total_due then payments.paid_on
                when
                    payments.amount_received_to_date >= instalments.principal_due
                    and payments.paid_on <= instalments.interest_accrues_from
                    then payments.paid_on
            end
        ) as paid_on,
        max(payments._loaded_at) as _loaded_at

    from payments
    inner join instalments
        on
            payments.loan_id = instalments.loan_id
            and payments.instalment_no = instalments.instalment_no
    group by instalments.instalment_key

),

returns_per_loan as (

    select
        loan_returns.loan_id,
        min(case when loan_returns.state = 'completed' then cast(loan_returns.completed_at as date) end)
            as returned_on,
        -- every return, whatever its state, moves the watermark: a state change must reach the instalments
        max(loan_returns._loaded_at) as _loaded_at

    from loan_returns
    group by loan_returns.loan_id

),

withdrawals_per_loan as (

    select
        course_withdrawals.loan_id,
        min(course_withdrawals.agreed_on) as withdrawn_on,
        max(course_withdrawals._loaded_at) as _loaded_at

    from course_withdrawals
    group by course_withdrawals.loan_id

),

joined as (

    select
        instalments.instalment_key,
        instalments.loan_id,
        instalments.instalment_no,
        instalments.customer_id,
        instalments.merchant_id,
        instalments.store_id,
        instalments.scenario,
        instalments.due_on,
        instalments.principal_due,
        instalments.interest_due,
        instalments.total_due,
        coalesce(payments_per_instalment.paid_amount, 0) as paid_amount,
        coalesce(payments_per_instalment.payment_count, 0) as payment_count,
        payments_per_instalment.last_payment_on,
        payments_per_instalment.paid_on,
        returns_per_loan.returned_on,
        withdrawals_per_loan.withdrawn_on,
        data_date.data_date,
        case
            when payments_per_instalment.paid_on is not null then 'paid'
            when returns_per_loan.returned_on is not null then 'cancelled'
            when instalments.due_on > withdrawals_per_loan.withdrawn_on then 'cancelled'
            when instalments.due_on < data_date.data_date then 'overdue'
            else 'upcoming'
        end as instalment_status,
        greatest(
            instalments._loaded_at,
            coalesce(payments_per_instalment._loaded_at, instalments._loaded_at),
            coalesce(returns_per_loan._loaded_at, instalments._loaded_at),
            coalesce(withdrawals_per_loan._loaded_at, instalments._loaded_at)
        ) as _loaded_at

    from instalments
    left join payments_per_instalment
        on instalments.instalment_key = payments_per_instalment.instalment_key
    left join returns_per_loan
        on instalments.loan_id = returns_per_loan.loan_id
    left join withdrawals_per_loan
        on instalments.loan_id = withdrawals_per_loan.loan_id
    cross join data_date

),

measured as (

    select
        joined.*,
        case joined.instalment_status
            when 'paid' then greatest({{ dbt.datediff('joined.due_on', 'joined.paid_on', 'day') }}, 0)
            when 'overdue' then {{ dbt.datediff('joined.due_on', 'joined.data_date', 'day') }}
            else 0
        end as days_past_due,
        -- payments go to interest first, then principal; a paid instalment has repaid its principal in full
        case
            when joined.instalment_status = 'paid' then joined.principal_due
            else least(joined.principal_due, greatest(joined.paid_amount - joined.interest_due, 0))
        end as principal_repaid

    from joined

)

select
    measured.instalment_key,
    measured.loan_id,
    measured.instalment_no,
    measured.customer_id,
    measured.merchant_id,
    measured.store_id,
    measured.scenario,
    measured.due_on,
    measured.principal_due,
    measured.interest_due,
    measured.total_due,
    measured.paid_amount,
    measured.payment_count,
    measured.last_payment_on,
    measured.paid_on,
    measured.returned_on,
    measured.withdrawn_on,
    measured.instalment_status,
    measured.days_past_due,
    {{ dpd_bucket('measured.days_past_due') }} as dpd_bucket,
    measured.principal_repaid,
    case
        when measured.instalment_status in ('overdue', 'upcoming')
            then measured.principal_due - measured.principal_repaid
        else 0
    end as principal_outstanding,
    case
        when measured.instalment_status = 'paid' then greatest(measured.total_due - measured.paid_amount, 0)
        else 0
    end as interest_waived,
    measured._loaded_at

from measured
