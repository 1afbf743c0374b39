-- One row per movement of a loan's outstanding principal, dated: the disbursement (+principal), the principal part
-- of each payment (-), the cancellation of principal left unpaid by a completed loan return or a course withdrawal
-- (-, on the return's completion day or the withdrawal's agreed day) and the write-off (-, whatever was still
-- outstanding on the write-off day). Payments after a loan's write-off are recoveries and move nothing: a
-- written-off loan owes 0 from its write-off day on.
--
-- The principal part of a payment follows the core (int_instalments_joined_to_payments): once the instalment is paid
-- its whole principal is repaid; before that, what the payments received so far leave after its interest.
-- Summed up to the close of a day D, the movements give the principal outstanding that day; summed over every day
-- they give fct_loans.outstanding_principal for loans not written off, and 0 for written-off ones.
with

loans as (

    select * from {{ ref('fct_loans') }}

),

instalments as (

    select * from {{ ref('fct_instalments') }}

),

repayments as (

    select * from {{ ref('fct_repayments') }}

),

payments_accumulated as (

    select
        repayments.repayment_id,
        repayments.loan_id,
        repayments.instalment_key,
        repayments.paid_on,
        repayments.paid_at,
        case
            when instalments.paid_on is not null and repayments.paid_on >= instalments.paid_on
                then instalments.principal_due
            else
                least(
                    instalments.principal_due,
                    greatest(
                        sum(repayments.amount) over (
                            partition by repayments.instalment_key
                            order by repayments.paid_at, repayments.repayment_id
                            rows between unbounded preceding and current row
                        ) - instalments.interest_due,
                        0
                    )
                )
        end as principal_repaid_to_date

    from repayments
    inner join instalments
        on repayments.instalment_key = instalments.instalment_key

),

repayment_movements as (

    select
        payments_accumulated.loan_id,
        'repayment' as movement_type,
        payments_accumulated.paid_on as moved_on,
        lag(payments_accumulated.principal_repaid_to_date, 1, 0) over (
            partition by payments_accumulated.instalment_key
            order by payments_accumulated.paid_at, payments_accumulated.repayment_id
        ) - payments_accumulated.principal_repaid_to_date as principal_change

    from payments_accumulated

),

movements as (

    select
        loans.loan_id,
        'disbursement' as movement_type,
        loans.disbursed_on as moved_on,
        loans.principal as principal_change

    from loans

    union all

    select
        repayment_movements.loan_id,
        repayment_movements.movement_type,
        repayment_movements.moved_on,
        repayment_movements.principal_change

    from repayment_movements
    where repayment_movements.principal_change <> 0

    union all

    select
        loans.loan_id,
        'cancellation' as movement_type,
        coalesce(loans.returned_on, loans.withdrawn_on) as moved_on,
        -loans.principal_cancelled as principal_change

    from loans
    where loans.principal_cancelled > 0

),

movements_until_write_off as (

    select
        movements.*,
        loans.written_off_on

    from movements
    inner join loans
        on movements.loan_id = loans.loan_id
    where loans.written_off_on is null or movements.moved_on <= loans.written_off_on

),

write_offs as (

    select
        movements_until_write_off.loan_id,
        'write_off' as movement_type,
        movements_until_write_off.written_off_on as moved_on,
        -sum(movements_until_write_off.principal_change) as principal_change

    from movements_until_write_off
    where movements_until_write_off.written_off_on is not null
    group by
        movements_until_write_off.loan_id,
        movements_until_write_off.written_off_on

),

unioned as (

    select
        movements_until_write_off.loan_id,
        movements_until_write_off.movement_type,
        movements_until_write_off.moved_on,
        movements_until_write_off.principal_change

    from movements_until_write_off

    union all

    select
        write_offs.loan_id,
        write_offs.movement_type,
        write_offs.moved_on,
        write_offs.principal_change

    from write_offs

)

select
    unioned.loan_id,
    loans.merchant_id,
    loans.store_id,
    unioned.movement_type,
    unioned.moved_on,
    cast(unioned.principal_change as decimal(18, 2)) as principal_change

from unioned
inner join loans
    on unioned.loan_id = loans.loan_id
