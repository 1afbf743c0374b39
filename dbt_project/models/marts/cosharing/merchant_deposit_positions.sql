-- Deposit management: each merchant's deposit (margin) position at every month end and on the data date - the
-- balance it holds, the deposit its terms require on the principal outstanding through it, and the shortfall.
--   required_deposit = deposit_ratio in force that day x outstanding principal at the end of that day (rounded to fen)
--   deposit_shortfall = max(required_deposit - deposit_balance, 0); a negative balance adds to the shortfall
--   coverage_ratio    = deposit_balance / required_deposit (null when nothing is required)
with

merchant_versions as (

    select * from {{ ref('int_merchant_versions_dated') }}

),

deposit_balances as (

    select * from {{ ref('int_deposit_balances_closed_daily') }}

),

outstanding as (

    select * from {{ ref('int_merchant_outstanding_principal_accumulated') }}

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

merchants as (

    select
        merchant_versions.merchant_id,
        min(merchant_versions.valid_from_on) as first_seen_on

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
                'merchant_versions.valid_from_on',
                'merchant_versions.valid_to_on'
            ) }}
    left join outstanding
        on
            merchants.merchant_id = outstanding.merchant_id
            and {{ is_in_force(
                'position_dates.position_date',
                'outstanding.valid_from_on',
                'outstanding.valid_to_on'
            ) }}
    left join deposit_balances
        on
            merchants.merchant_id = deposit_balances.merchant_id
            and {{ is_in_force(
                'position_dates.position_date',
                'deposit_balances.valid_from_on',
                'deposit_balances.valid_to_on'
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
