-- Store reconciliation report: per store and business day, what the lender's books say the store is owed next to
-- what the store's own statement says, the differences and their cause (see int_store_days_reconciled_to_statements),
-- and the merchant's deposit balance at the end of the day.
with

store_days as (

    select * from {{ ref('int_store_days_reconciled_to_statements') }}

),

stores as (

    select * from {{ ref('dim_stores') }}

),

deposit_balances as (

    select * from {{ ref('int_deposit_balances_closed_daily') }}

),

with_merchant as (

    select
        store_days.*,
        coalesce(stores.merchant_id, store_days.statement_merchant_id) as merchant_id

    from store_days
    left join stores
        on store_days.store_id = stores.store_id

)

select
    -- ids
    with_merchant.store_id || '|' || cast(with_merchant.business_date as varchar) as store_day_key,
    with_merchant.store_id,
    with_merchant.merchant_id,
    with_merchant.statement_id,

    -- reconciliation
    with_merchant.difference_cause,
    with_merchant.difference_cause = 'matched' as is_matched,
    with_merchant.has_book_activity,
    with_merchant.has_statement,

    -- the lender's books
    cast(with_merchant.loans_disbursed as bigint) as loans_disbursed,
    cast(with_merchant.disbursed_amount as decimal(18, 2)) as disbursed_amount,
    cast(with_merchant.loan_returns_completed as bigint) as loan_returns_completed,
    cast(with_merchant.returns_amount as decimal(18, 2)) as returns_amount,
    cast(with_merchant.refunds_completed as bigint) as refunds_completed,
    cast(with_merchant.refunds_amount as decimal(18, 2)) as refunds_amount,
    cast(with_merchant.net_payable as decimal(18, 2)) as net_payable,
    cast(coalesce(deposit_balances.deposit_balance, 0) as decimal(18, 2)) as deposit_balance,

    -- the store's statement
    cast(with_merchant.statement_loans_disbursed as bigint) as statement_loans_disbursed,
    cast(with_merchant.statement_disbursed_amount as decimal(18, 2)) as statement_disbursed_amount,
    cast(with_merchant.statement_returns_amount as decimal(18, 2)) as statement_returns_amount,
    cast(with_merchant.statement_refunds_amount as decimal(18, 2)) as statement_refunds_amount,
    cast(with_merchant.statement_net_payable as decimal(18, 2)) as statement_net_payable,

    -- differences, statement minus books
    cast(with_merchant.loans_disbursed_difference as bigint) as loans_disbursed_difference,
    cast(with_merchant.disbursed_amount_difference as decimal(18, 2)) as disbursed_amount_difference,
    cast(with_merchant.returns_amount_difference as decimal(18, 2)) as returns_amount_difference,
    cast(with_merchant.refunds_amount_difference as decimal(18, 2)) as refunds_amount_difference,
    cast(with_merchant.net_payable_difference as decimal(18, 2)) as net_payable_difference,

    -- dates
    with_merchant.business_date

from with_merchant
left join deposit_balances
    on
        with_merchant.merchant_id = deposit_balances.merchant_id
        and {{ is_in_force(
            'with_merchant.business_date',
            'deposit_balances.valid_from',
            'deposit_balances.valid_to'
        ) }}
