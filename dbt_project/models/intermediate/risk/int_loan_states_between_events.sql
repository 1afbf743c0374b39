-- One row per loan and period between two consecutive events on the loan: the loan's state (open, closed, written
-- off), its oldest instalment still owed, the worst lateness of the instalments already settled and its outstanding
-- principal, all constant from valid_from up to (not including) valid_to. The one definition of "delinquency of a
-- loan as of a day" in the risk marts: the macros in macros/risk/loan_states.sql read it for any day (vintage at
-- loan anniversaries, roll rates at month ends, the daily portfolio over whole periods) without a loan x day table.
--
-- Events: the disbursement, each instalment settled (paid in full on paid_on, or cancelled unpaid - by a completed
-- loan return on returned_on, by a course withdrawal on its agreed day withdrawn_on), a part payment on an instalment
-- not paid in full (its principal is dated to the instalment's last payment), and the write-off. Each row holds the
-- state at the END of its valid_from day.
--
-- Written off: the first day the oldest instalment still owed is write_off_dpd() days past due at the end of the day
-- (its due_on + 180, if it was neither paid nor cancelled by then and that day is on or before the data date).
-- Absorbing: the loan stays written off with the outstanding principal of its write-off day, whatever is paid later.
-- Closed: every instalment settled (paid off, returned, or withdrawn with everything due before it paid).
with

loans as (

    select * from {{ ref('fct_loans') }}

),

instalments as (

    select * from {{ ref('fct_instalments') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

instalments_dated as (

    select
        instalments.loan_id,
        instalments.due_on,
        instalments.principal_due,
        -- the day the instalment stopped being owed; null while it is owed
        case
            when instalments.instalment_status = 'paid' then instalments.paid_on
            when instalments.instalment_status = 'cancelled' then
                case
                    when loans.returned_on is null then loans.withdrawn_on
                    when loans.withdrawn_on is null or instalments.due_on <= loans.withdrawn_on then loans.returned_on
                    else least(loans.returned_on, loans.withdrawn_on)
                end
        end as settled_on,
        -- principal already repaid on an instalment not paid in full (payments go to interest first)
        case
            when instalments.instalment_status <> 'paid' then instalments.principal_repaid else 0
        end as part_principal_repaid,
        case
            when instalments.instalment_status <> 'paid' and instalments.principal_repaid > 0
                then instalments.last_payment_on
        end as part_repaid_on

    from instalments
    inner join loans
        on instalments.loan_id = loans.loan_id

),

write_offs as (

    select
        instalments_dated.loan_id,
        min(cast({{ dbt.dateadd('day', write_off_dpd(), 'instalments_dated.due_on') }} as date)) as written_off_on

    from instalments_dated
    cross join data_date
    where
        cast({{ dbt.dateadd('day', write_off_dpd(), 'instalments_dated.due_on') }} as date) <= data_date.data_date
        and (
            instalments_dated.settled_on is null
            or instalments_dated.settled_on
            > cast({{ dbt.dateadd('day', write_off_dpd(), 'instalments_dated.due_on') }} as date)
        )
    group by instalments_dated.loan_id

),

events as (

    select
        loans.loan_id,
        loans.disbursed_on as event_on
    from loans

    union

    select
        instalments_dated.loan_id,
        instalments_dated.settled_on as event_on
    from instalments_dated
    where instalments_dated.settled_on is not null

    union

    select
        instalments_dated.loan_id,
        instalments_dated.part_repaid_on as event_on
    from instalments_dated
    where instalments_dated.part_repaid_on is not null

    union

    select
        write_offs.loan_id,
        write_offs.written_off_on as event_on
    from write_offs

),

-- nothing before the disbursement, nothing after the write-off (the state is frozen from then on)
events_in_scope as (

    select
        events.loan_id,
        events.event_on,
        write_offs.written_off_on

    from events
    inner join loans
        on events.loan_id = loans.loan_id
    left join write_offs
        on events.loan_id = write_offs.loan_id
    where
        events.event_on >= loans.disbursed_on
        and (write_offs.written_off_on is null or events.event_on <= write_offs.written_off_on)

),

states as (

    select
        events_in_scope.loan_id,
        events_in_scope.event_on,
        events_in_scope.written_off_on,
        count(
            case
                when
                    instalments_dated.due_on is not null
                    and (instalments_dated.settled_on is null or instalments_dated.settled_on > events_in_scope.event_on)
                    then 1
            end
        ) as open_instalment_count,
        min(
            case
                when instalments_dated.settled_on is null or instalments_dated.settled_on > events_in_scope.event_on
                    then instalments_dated.due_on
            end
        ) as oldest_open_due_on,
        coalesce(
            max(
                case
                    when instalments_dated.settled_on <= events_in_scope.event_on
                        then
                            greatest(
                                {{ dbt.datediff('instalments_dated.due_on', 'instalments_dated.settled_on', 'day') }},
                                0
                            )
                end
            ),
            0
        ) as max_settled_dpd,
        sum(
            case
                when instalments_dated.settled_on <= events_in_scope.event_on then 0
                when instalments_dated.part_repaid_on <= events_in_scope.event_on
                    then instalments_dated.principal_due - instalments_dated.part_principal_repaid
                else instalments_dated.principal_due
            end
        ) as outstanding_principal

    from events_in_scope
    left join instalments_dated
        on events_in_scope.loan_id = instalments_dated.loan_id
    group by events_in_scope.loan_id, events_in_scope.event_on, events_in_scope.written_off_on

),

periods as (

    select
        loans.loan_id,
        loans.scenario,
        states.event_on as valid_from,
        lead(states.event_on) over (partition by states.loan_id order by states.event_on) as valid_to,
        case
            when states.event_on >= states.written_off_on then 'written_off'
            when loans.instalment_count > 0 and states.open_instalment_count = 0 then 'closed'
            else 'open'
        end as loan_state,
        states.oldest_open_due_on,
        states.max_settled_dpd,
        -- a loan whose schedule has not landed owes its whole principal
        coalesce(states.outstanding_principal, loans.principal) as outstanding_principal,
        states.written_off_on

    from states
    inner join loans
        on states.loan_id = loans.loan_id

),

bounded as (

    select
        periods.*,
        -- the period's last day, or the data date for a loan's last period
        coalesce(cast({{ dbt.dateadd('day', -1, 'periods.valid_to') }} as date), data_date.data_date) as valid_through

    from periods
    cross join data_date

)

select
    bounded.loan_id,
    bounded.scenario,
    bounded.valid_from,
    bounded.valid_to,
    bounded.valid_through,
    bounded.loan_state,
    bounded.oldest_open_due_on,
    bounded.max_settled_dpd,
    {{ loan_dpd_as_of('bounded', 'bounded.valid_through') }} as dpd_at_valid_through,
    bounded.outstanding_principal,
    bounded.written_off_on

from bounded
