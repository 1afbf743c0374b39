-- One row per deposit movement, signed (top-ups add to the deposit a merchant keeps with the lender; deductions
-- and releases take from it) and accumulated into the merchant's balance after the movement.
with

deposit_movements as (

    select * from {{ ref('stg_merchant_cosharing__deposit_movements') }}

),

signed as (

    select
        deposit_movements.movement_id,
        deposit_movements.merchant_id,
        deposit_movements.movement_type,
        deposit_movements.amount,
        case deposit_movements.movement_type
            when 'top_up' then deposit_movements.amount
            when 'deduction' then -deposit_movements.amount
            when 'release' then -deposit_movements.amount
        end as signed_amount,
        deposit_movements.moved_at

    from deposit_movements

)

select
    signed.*,
    sum(signed.signed_amount) over (
        partition by signed.merchant_id
        order by signed.moved_at, signed.movement_id
        rows between unbounded preceding and current row
    ) as balance_after

from signed
