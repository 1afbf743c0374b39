-- One row per origination month (cohort) and month on book. A loan is k months on book on the k-th monthly
-- anniversary of its disbursement (disbursed 2025-01-31: MOB 1 ends 2025-02-28) and is observable at MOB k once that
-- day is on or before the data date; the shares at MOB k are over the loans observable then. Ever 30+ / 90+ DPD is
-- cumulative: a loan counts once its worst days past due up to its MOB k day reached 30 / 90 (paid late or unpaid),
-- even if it has cured, paid off or been written off since. Returned loans (cancelled by a loan return before their
-- first instalment fell due) are left out: they never carried credit risk.
with

loans as (

    select * from {{ ref('fct_loans') }}

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

cohort_loans as (

    select
        loans.loan_id,
        loans.origination_month,
        loans.disbursed_on,
        loans.principal

    from loans
    where loans.loan_status <> 'returned'

),

-- 1, 2, 3 ... as many months as the calendar has (it spans the whole data range)
months_on_book as (

    select row_number() over (order by calendar.date_day) as months_on_book
    from calendar
    where calendar.is_month_end

),

loan_anniversaries as (

    select
        cohort_loans.loan_id,
        cohort_loans.origination_month,
        cohort_loans.principal,
        months_on_book.months_on_book,
        cast({{ dbt.dateadd('month', 'months_on_book.months_on_book', 'cohort_loans.disbursed_on') }} as date)
            as months_on_book_reached_on

    from cohort_loans
    cross join months_on_book
    cross join data_date
    where
        cast({{ dbt.dateadd('month', 'months_on_book.months_on_book', 'cohort_loans.disbursed_on') }} as date)
        <= data_date.data_date

),

loan_delinquency_at_anniversaries as (

    select
        loan_anniversaries.origination_month,
        loan_anniversaries.months_on_book,
        loan_anniversaries.principal,
        {{ loan_max_dpd_to('loan_states', 'loan_anniversaries.months_on_book_reached_on') }} as max_dpd_to_date

    from loan_anniversaries
    inner join loan_states
        on
            loan_anniversaries.loan_id = loan_states.loan_id
            and {{ is_in_force(
                'loan_anniversaries.months_on_book_reached_on', 'loan_states.valid_from', 'loan_states.valid_to'
            ) }}

),

cohorts as (

    select
        cohort_loans.origination_month,
        count(*) as cohort_loan_count,
        sum(cohort_loans.principal) as cohort_principal

    from cohort_loans
    group by cohort_loans.origination_month

),

observed as (

    select
        loan_delinquency_at_anniversaries.origination_month,
        loan_delinquency_at_anniversaries.months_on_book,
        count(*) as observable_loan_count,
        sum(loan_delinquency_at_anniversaries.principal) as observable_principal,
        sum(case when loan_delinquency_at_anniversaries.max_dpd_to_date >= 30 then 1 else 0 end)
            as ever_30dpd_loan_count,
        sum(
            case
                when loan_delinquency_at_anniversaries.max_dpd_to_date >= 30
                    then loan_delinquency_at_anniversaries.principal
                else 0
            end
        ) as ever_30dpd_principal,
        sum(case when loan_delinquency_at_anniversaries.max_dpd_to_date >= 90 then 1 else 0 end)
            as ever_90dpd_loan_count,
        sum(
            case
                when loan_delinquency_at_anniversaries.max_dpd_to_date >= 90
                    then loan_delinquency_at_anniversaries.principal
                else 0
            end
        ) as ever_90dpd_principal

    from loan_delinquency_at_anniversaries
    group by loan_delinquency_at_anniversaries.origination_month, loan_delinquency_at_anniversaries.months_on_book

)

select
    -- keys
    observed.origination_month,
    cast(observed.months_on_book as bigint) as months_on_book,

    -- the cohort
    cast(cohorts.cohort_loan_count as bigint) as cohort_loan_count,
    cast(cohorts.cohort_principal as decimal(18, 2)) as cohort_principal,

    -- observable at this month on book (the denominators)
    cast(observed.observable_loan_count as bigint) as observable_loan_count,
    cast(observed.observable_principal as decimal(18, 2)) as observable_principal,

    -- ever 30+ days past due by this month on book
    cast(observed.ever_30dpd_loan_count as bigint) as ever_30dpd_loan_count,
    cast(observed.ever_30dpd_principal as decimal(18, 2)) as ever_30dpd_principal,
    {{ ratio('observed.ever_30dpd_loan_count', 'observed.observable_loan_count') }} as ever_30dpd_loan_share,
    {{ ratio('observed.ever_30dpd_principal', 'observed.observable_principal') }} as ever_30dpd_principal_share,

    -- ever 90+ days past due by this month on book
    cast(observed.ever_90dpd_loan_count as bigint) as ever_90dpd_loan_count,
    cast(observed.ever_90dpd_principal as decimal(18, 2)) as ever_90dpd_principal,
    {{ ratio('observed.ever_90dpd_loan_count', 'observed.observable_loan_count') }} as ever_90dpd_loan_share,
    {{ ratio('observed.ever_90dpd_principal', 'observed.observable_principal') }} as ever_90dpd_principal_share,

    -- dates
    data_date.data_date as as_of_date

from observed
inner join cohorts
    on observed.origination_month = cohorts.origination_month
cross join data_date
