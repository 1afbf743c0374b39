with

sales_reps as (

    select * from {{ ref('stg_merchant_management__sales_reps') }}

),

applications as (

    select * from {{ ref('stg_core_lending__applications') }}

),

applications_per_rep as (

    select
        applications.sales_rep_id,
        min(cast(applications.applied_at as date)) as first_application_on,
        count(*) as application_count

    from applications
    where applications.sales_rep_id is not null
    group by applications.sales_rep_id

)

select
    -- ids
    sales_reps.sales_rep_id,
    sales_reps.merchant_id,
    sales_reps.store_id,

    -- personal data, tokenized and masked (the rep's name stays in staging)
    pii_token(sales_reps.mobile) as mobile_token,
    {{ mask_mobile('sales_reps.mobile') }} as mobile_masked,

    -- activity
    coalesce(applications_per_rep.application_count, 0) as application_count,

    -- dates
    sales_reps.hired_on,
    applications_per_rep.first_application_on

from sales_reps
left join applications_per_rep
    on sales_reps.sales_rep_id = applications_per_rep.sales_rep_id
