-- The life-cycle events marketing reacts to, one row per event, up to the data date: a loan paid off; six instalments
-- of a loan paid on time (the day the sixth was); an education course ended (no source system reports course
-- completion: the loan's last instalment falls due when the course ends, so its maturity day stands for it, unless
-- the course was withdrawn or the loan returned); a customer became dormant; an appliance or furniture purchase
-- financed (cross-sell triggers).
with

loans as (

    select * from {{ ref('fct_loans') }}

),

instalments as (

    select * from {{ ref('fct_instalments') }}

),

lifecycle as (

    select * from {{ ref('int_customers_classified_by_lifecycle') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

paid_off as (

    select
        customer_id,
        'loan_paid_off' as trigger_event,
        paid_off_on as event_on,
        loan_id,
        scenario

    from loans
    where loan_status = 'paid_off'

),

first_six_instalments as (

    select
        loan_id,
        count(*) as instalments,
        count(case when instalment_status = 'paid' and days_past_due = 0 then 1 end) as paid_on_time,
        max(paid_on) as sixth_paid_on

    from instalments
    where instalment_no <= 6
    group by loan_id

),

six_on_time as (

    select
        loans.customer_id,
        'sixth_on_time_instalment' as trigger_event,
        first_six_instalments.sixth_paid_on as event_on,
        loans.loan_id,
        loans.scenario

    from first_six_instalments
    inner join loans
        on first_six_instalments.loan_id = loans.loan_id
    where first_six_instalments.instalments = 6
        and first_six_instalments.paid_on_time = 6

),

course_completed as (

    select
        loans.customer_id,
        'course_completed' as trigger_event,
        loans.maturity_on as event_on,
        loans.loan_id,
        loans.scenario

    from loans
    cross join data_date
    where loans.scenario = 'education'
        and loans.loan_status in ('active', 'paid_off')
        and loans.maturity_on <= data_date.data_date

),

became_dormant as (

    select
        customer_id,
        'became_dormant' as trigger_event,
        lifecycle_stage_since as event_on,
        cast(null as varchar) as loan_id,
        cast(null as varchar) as scenario

    from lifecycle
    where lifecycle_stage = 'dormant'

),

purchases as (

    select
        customer_id,
        scenario || '_purchase' as trigger_event,
        disbursed_on as event_on,
        loan_id,
        scenario

    from loans
    where scenario in ('appliance', 'furniture')
        and loan_status <> 'returned'

),

unioned as (

    select * from paid_off
    union all
    select * from six_on_time
    union all
    select * from course_completed
    union all
    select * from became_dormant
    union all
    select * from purchases

)

select
    unioned.trigger_event || '|' || coalesce(unioned.loan_id, unioned.customer_id) as event_key,
    unioned.customer_id,
    unioned.trigger_event,
    unioned.event_on,
    unioned.loan_id,
    unioned.scenario

from unioned
cross join data_date
where unioned.event_on <= data_date.data_date
