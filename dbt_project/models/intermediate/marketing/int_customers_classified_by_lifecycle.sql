-- Every customer's life-cycle stage as of the data date, from their loans and applications. First match wins:
-- in_collection (a loan written off, or open with an overdue instalment), active_borrower (an open loan, nothing
-- overdue), then - without an open loan - paid_off (has had a loan) or applicant (never had one) while the
-- latest activity (application, disbursement, loan closing) is less than dormant_after_days() old, else dormant.
with

customers as (

    select * from {{ ref('dim_customers') }}

),

loans as (

    select * from {{ ref('fct_loans') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

loans_flagged as (

    select
        loans.*,
        loans.loan_status = 'written_off'
        or (loans.loan_status = 'active' and loans.current_dpd > 0) as is_in_collection,
        loans.loan_status = 'active' and loans.current_dpd = 0 as is_repaying,
        coalesce(loans.paid_off_on, loans.returned_on, loans.withdrawn_on) as closed_on

    from loans

),

loans_per_customer as (

    select
        customer_id,
        count(*) as loan_count,
        count(case when is_in_collection then 1 end) as collection_loan_count,
        count(case when is_repaying then 1 end) as repaying_loan_count,
        cast(coalesce(sum(case when loan_status <> 'returned' then principal end), 0) as decimal(18, 2))
            as lifetime_principal,
        cast(coalesce(sum(case when loan_status = 'active' then outstanding_principal end), 0) as decimal(18, 2))
            as outstanding_principal,
        max(current_dpd) as current_dpd,
        max(disbursed_on) as last_disbursed_on,
        max(case when loan_status in ('paid_off', 'returned', 'withdrawn') then closed_on end) as last_closed_on,
        min(
            case
                when is_in_collection
                    then coalesce(cast({{ dbt.dateadd('day', 1, 'oldest_overdue_due_on') }} as date), written_off_on)
            end
        ) as collection_since,
        min(case when is_repaying then disbursed_on end) as repaying_since

    from loans_flagged
    group by customer_id

),

activity as (

    select
        customers.customer_id,
        customers.first_application_on,
        customers.registered_on,
        coalesce(loans_per_customer.loan_count, 0) as loan_count,
        coalesce(loans_per_customer.collection_loan_count, 0) as collection_loan_count,
        coalesce(loans_per_customer.repaying_loan_count, 0) as repaying_loan_count,
        cast(coalesce(loans_per_customer.lifetime_principal, 0) as decimal(18, 2)) as lifetime_principal,
        cast(coalesce(loans_per_customer.outstanding_principal, 0) as decimal(18, 2)) as outstanding_principal,
        coalesce(loans_per_customer.current_dpd, 0) as current_dpd,
        loans_per_customer.last_closed_on,
        loans_per_customer.collection_since,
        loans_per_customer.repaying_since,
        -- the latest of: last application, last disbursement, last loan closing (registration without any)
        greatest(
            coalesce(customers.last_application_on, customers.registered_on),
            coalesce(loans_per_customer.last_disbursed_on, customers.registered_on),
            coalesce(loans_per_customer.last_closed_on, customers.registered_on)
        ) as last_activity_on,
        data_date.data_date

    from customers
    cross join data_date
    left join loans_per_customer
        on customers.customer_id = loans_per_customer.customer_id

),

staged as (

    select
        activity.*,
        {{ dbt.datediff('activity.last_activity_on', 'activity.data_date', 'day') }} as days_since_last_activity,
        case
            when activity.collection_loan_count > 0 then 'in_collection'
            when activity.repaying_loan_count > 0 then 'active_borrower'
            when {{ dbt.datediff('activity.last_activity_on', 'activity.data_date', 'day') }}
                >= {{ dormant_after_days() }} then 'dormant'
            when activity.loan_count > 0 then 'paid_off'
            else 'applicant'
        end as lifecycle_stage

    from activity

)

select
    customer_id,
    lifecycle_stage,
    case lifecycle_stage
        when 'in_collection' then collection_since
        when 'active_borrower' then repaying_since
        when 'paid_off' then last_closed_on
        when 'applicant' then coalesce(first_application_on, registered_on)
        when 'dormant' then cast({{ dbt.dateadd('day', dormant_after_days(), 'last_activity_on') }} as date)
    end as lifecycle_stage_since,
    loan_count,
    collection_loan_count,
    repaying_loan_count,
    lifetime_principal,
    outstanding_principal,
    current_dpd,
    last_closed_on,
    last_activity_on,
    days_since_last_activity,
    data_date

from staged
