-- One row per merchant and day its deposit moved: the balance at the end of that day (after the day's last
-- movement), in force until the day before its next movement day (valid_to_on null: still in force).
with

movements as (

    select * from {{ ref('fct_deposit_movements') }}

),

last_of_day as (

    select
        movements.merchant_id,
        movements.moved_on,
        movements.balance_after,
        row_number() over (
            partition by movements.merchant_id, movements.moved_on
            order by movements.moved_at desc, movements.movement_id desc
        ) as rank_in_day

    from movements

)

select
    last_of_day.merchant_id,
    last_of_day.balance_after as deposit_balance,
    last_of_day.moved_on as valid_from_on,
    {{ day_before_next('last_of_day.moved_on', 'last_of_day.merchant_id') }} as valid_to_on

from last_of_day
where last_of_day.rank_in_day = 1
