-- A merchant's credit quota against the principal outstanding on the loans disbursed through it, at the close of
-- every month-end from the month it was first admitted; the current month closes on the data date instead, so the
-- latest row (is_latest) is the position as of the data date. Outstanding principal rolls forward from the day
-- movements of int_loan_states_dated, so months before admission count in the opening balance; the quota and status
-- are those of the version of terms in force at the close of the day (int_merchant_versions_dated).
--
-- The quota's choice: written-off principal does not use quota. A loan's movements count up to and including its
-- write-off day, where the write-off takes whatever was still outstanding; what it recovers after (payments,
-- cancellations) moves nothing here.
with

merchants as (

    select * from {{ ref('dim_merchants') }}

),

merchant_versions as (

    select * from {{ ref('int_merchant_versions_dated') }}

),

loan_states as (

    select * from {{ ref('int_loan_states_dated') }}

),

calendar as (

    select * from {{ ref('dim_date') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

months as (

    select
        calendar.month_start,
        least(calendar.month_end, data_date.data_date) as as_of_date,
        data_date.data_date

    from calendar
    cross join data_date
    where
        calendar.date_day = calendar.month_start
        and calendar.month_start <= data_date.data_date

),

movements_per_merchant_month as (

    select
        loan_states.merchant_id,
        cast({{ dbt.date_trunc('month', 'loan_states.valid_from') }} as date) as month_start,
        sum(case when loan_states.principal_disbursed > 0 then 1 else 0 end) as loans_disbursed,
        sum(loan_states.principal_disbursed) as principal_disbursed,
        sum(loan_states.principal_repaid) as principal_repaid,
        sum(loan_states.principal_cancelled) as principal_cancelled,
        sum(loan_states.principal_written_off) as principal_written_off,
        sum(
            loan_states.principal_disbursed - loan_states.principal_repaid - loan_states.principal_cancelled
            - loan_states.principal_written_off
        ) as principal_change

    from loan_states
    where loan_states.written_off_on is null or loan_states.valid_from <= loan_states.written_off_on
    group by
        loan_states.merchant_id,
        cast({{ dbt.date_trunc('month', 'loan_states.valid_from') }} as date)

),

-- every month of the calendar, so the running balance carries loans disbursed before admission
accumulated as (

    select
        merchants.merchant_id,
        merchants.scenario,
        merchants.first_admitted_on,
        months.month_start,
        months.as_of_date,
        months.data_date,
        coalesce(movements_per_merchant_month.loans_disbursed, 0) as loans_disbursed,
        coalesce(movements_per_merchant_month.principal_disbursed, 0) as principal_disbursed,
        coalesce(movements_per_merchant_month.principal_repaid, 0) as principal_repaid,
        coalesce(movements_per_merchant_month.principal_cancelled, 0) as principal_cancelled,
        coalesce(movements_per_merchant_month.principal_written_off, 0) as principal_written_off,
        sum(coalesce(movements_per_merchant_month.principal_change, 0)) over (
            partition by merchants.merchant_id
            order by months.month_start
            rows between unbounded preceding and current row
        ) as outstanding_principal

    from merchants
    cross join months
    left join movements_per_merchant_month
        on
            merchants.merchant_id = movements_per_merchant_month.merchant_id
            and months.month_start = movements_per_merchant_month.month_start

),

positioned as (

    select
        accumulated.*,
        merchant_versions.merchant_version_key,
        merchant_versions.admission_status,
        merchant_versions.credit_quota

    from accumulated
    -- the version in force at the close of as_of_date
    left join merchant_versions
        on
            accumulated.merchant_id = merchant_versions.merchant_id
            and {{ is_in_force(
                'accumulated.as_of_date', 'merchant_versions.in_force_from', 'merchant_versions.in_force_to'
            ) }}
    where accumulated.month_start >= cast({{ dbt.date_trunc('month', 'accumulated.first_admitted_on') }} as date)

)

select
    -- ids
    positioned.merchant_id || '|' || cast(positioned.month_start as {{ dbt.type_string() }}) as merchant_month_key,
    positioned.merchant_id,
    positioned.merchant_version_key,

    -- strings
    positioned.scenario,
    positioned.admission_status,

    -- quota and its use at the close of as_of_date
    cast(positioned.credit_quota as decimal(18, 2)) as credit_quota,
    cast(positioned.outstanding_principal as decimal(18, 2)) as outstanding_principal,
    {{ ratio('positioned.outstanding_principal', 'positioned.credit_quota') }} as quota_utilisation,
    cast(positioned.credit_quota - positioned.outstanding_principal as decimal(18, 2)) as quota_headroom,
    coalesce(positioned.outstanding_principal > positioned.credit_quota, false) as is_over_quota,

    -- the month's movements (from the first of the month to as_of_date)
    cast(positioned.outstanding_principal - positioned.principal_disbursed + positioned.principal_repaid
        + positioned.principal_cancelled + positioned.principal_written_off as decimal(18, 2))
        as opening_outstanding_principal,
    cast(positioned.loans_disbursed as bigint) as loans_disbursed,
    cast(positioned.principal_disbursed as decimal(18, 2)) as principal_disbursed,
    cast(positioned.principal_repaid as decimal(18, 2)) as principal_repaid,
    cast(positioned.principal_cancelled as decimal(18, 2)) as principal_cancelled,
    cast(positioned.principal_written_off as decimal(18, 2)) as principal_written_off,

    -- booleans
    positioned.as_of_date = positioned.data_date as is_latest,

    -- dates
    positioned.month_start,
    positioned.as_of_date

from positioned
