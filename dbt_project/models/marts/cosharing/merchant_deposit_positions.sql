-- Deposit management: each merchant's deposit (margin) position at every month end and on the data date - the
-- balance it holds, the deposit its terms require on the principal outstanding through it, and the shortfall.
--   required_deposit = deposit_ratio in force that day x outstanding principal at the end of that day (rounded to fen)
--   deposit_shortfall = max(required_deposit - deposit_balance, 0); a negative balance adds to the shortfall
--   coverage_ratio    = deposit_balance / required_deposit (null when nothing is required)
-- The deposit's choice: written-off loans still count as outstanding (as in fct_loans.outstanding_principal) - every
-- principal movement of int_loan_states_dated counts, recoveries after a write-off included, and the write-off
-- itself moves nothing.
with

merchant_versions as (

    select * from {{ ref('int_merchant_versions_dated') }}

),

deposit_balances as (

    select * from {{ ref('int_deposit_balances_closed_daily') }}

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

position_dates as (

    select
        calendar.date_day as position_date,
        calendar.month_start as position_month,
        calendar.is_month_end,
        calendar.date_day = data_date.data_date as is_latest

    from calendar
    cross join data_date
    where
        (calendar.is_month_end and calendar.date_day <= data_date.data_date)
        or calendar.date_day = data_date.data_date

),

-- the merchant's principal outstanding at the end of each day it changed, until the next change
principal_changes as (

    select
        loan_states.merchant_id,
        loan_states.valid_from as changed_on,
        sum(loan_states.principal_disbursed - loan_states.principal_repaid - loan_states.principal_cancelled)
            as net_change

    from loan_states
    group by loan_states.merchant_id, loan_states.valid_from

),

outstanding as (

    select
        principal_changes.merchant_id,
        sum(principal_changes.net_change) over (
            partition by principal_changes.merchant_id
            order by principal_changes.changed_on
            rows between unbounded preceding and current row
        ) as outstanding_principal,
        principal_changes.changed_on as valid_from,
        lead(principal_changes.changed_on) over (
            partition by principal_changes.merchant_id
            order by principal_changes.changed_on
        ) as valid_to

    from principal_changes

),

merchants as (

    select
        merchant_versions.merchant_id,
        min(merchant_versions.in_force_from) as first_seen_on

    from merchant_versions
    group by merchant_versions.merchant_id

),

positioned as (

    select
        merchants.merchant_id,
        position_dates.position_date,
        position_dates.position_month,
        position_dates.is_month_end,
        position_dates.is_latest,
        merchant_versions.admission_status,
        merchant_versions.deposit_ratio,
        coalesce(outstanding.outstanding_principal, 0) as outstanding_principal,
        coalesce(deposit_balances.deposit_balance, 0) as deposit_balance

    from merchants
    inner join position_dates
        on position_dates.position_date >= merchants.first_seen_on
    left join merchant_versions
        on
            merchants.merchant_id = merchant_versions.merchant_id
            and {{ is_in_force(
                'position_dates.position_date',
                'merchant_versions.in_force_from',
                'merchant_versions.in_force_to'
            ) }}
    left join outstanding
        on
            merchants.merchant_id = outstanding.merchant_id
            and {{ is_in_force(
                'position_dates.position_date',
                'outstanding.valid_from',
                'outstanding.valid_to'
            ) }}
    left join deposit_balances
        on
            merchants.merchant_id = deposit_balances.merchant_id
            and {{ is_in_force(
                'position_dates.position_date',
                'deposit_balances.valid_from',
                'deposit_balances.valid_to'
            ) }}

),

required as (

    select
        positioned.*,
        cast(round(positioned.deposit_ratio * positioned.outstanding_principal, 2) as decimal(18, 2))
            as required_deposit

    from positioned

)

select
    -- ids
    required.merchant_id || '|' || cast(required.position_date as varchar) as position_key,
    required.merchant_id,

    -- terms in force
    required.admission_status,
    required.deposit_ratio,

    -- position
    cast(required.outstanding_principal as decimal(18, 2)) as outstanding_principal,
    cast(required.deposit_balance as decimal(18, 2)) as deposit_balance,
    required.required_deposit,
    cast(greatest(required.required_deposit - required.deposit_balance, 0) as decimal(18, 2)) as deposit_shortfall,
    {{ ratio('required.deposit_balance', 'required.required_deposit') }} as coverage_ratio,

    -- booleans
    required.required_deposit > required.deposit_balance as is_short,
    required.deposit_balance < 0 as is_balance_negative,
    required.is_month_end,
    required.is_latest,

    -- dates
    required.position_date,
    required.position_month

from required
