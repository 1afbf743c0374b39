-- One row per merchant and day its deposit moved: the balance at the end of that day (after the day's last
-- movement), in force from that day (valid_from) up to its next movement day (valid_to; null: still in force).
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
    last_of_day.moved_on as valid_from,
    lead(last_of_day.moved_on) over (partition by last_of_day.merchant_id order by last_of_day.moved_on) as valid_to

from last_of_day
where last_of_day.rank_in_day = 1
