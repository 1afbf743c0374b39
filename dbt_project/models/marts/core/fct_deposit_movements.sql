with

movements as (

    select * from {{ ref('int_deposit_movements_accumulated') }}

)

select
    -- ids
    movements.movement_id,
    movements.merchant_id,

    -- strings
    movements.movement_type,

    -- numerics
    cast(movements.amount as decimal(18, 2)) as amount,
    cast(movements.signed_amount as decimal(18, 2)) as signed_amount,
    cast(movements.balance_after as decimal(18, 2)) as balance_after,

    -- dates
    cast(movements.moved_at as date) as moved_on,

    -- timestamps
    movements.moved_at

from movements
