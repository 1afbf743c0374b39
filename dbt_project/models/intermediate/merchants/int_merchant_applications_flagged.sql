-- One row per application at a merchant, flagged for the fake-transaction patterns and placed against the customer
-- profile of its scenario, every flag from data known when the application was made:
--   is_odd_hour        made between 23:00 and 05:59;
--   is_split_order     not the customer's first application at this merchant that day (one purchase split into
--                      several loans just under a round amount);
--   is_shared_device   made on a device another customer used for an application at the same merchant in the 90 days
--                      before (the shop's own phones booking orders for several "customers");
--   age_z, income_z    the applicant's age and log declared income standardised against the applicants of the same
--                      scenario in the 12 months before the application's month (the scenario norm; null while the
--                      norm has fewer than 30 applications);
--   is_other_province  the applicant's home province is not the merchant's; norm_other_province_share is the share of
--                      such applicants in the scenario norm.
with

applications as (

    select * from {{ ref('fct_applications') }}

),

customers as (

    select * from {{ ref('dim_customers') }}

),

merchants as (

    select * from {{ ref('dim_merchants') }}

),

profiled as (

    select
        applications.application_id,
        applications.merchant_id,
        applications.store_id,
        applications.sales_rep_id,
        applications.customer_id,
        applications.device_id,
        applications.scenario,
        applications.application_date,
        applications.applied_at,
        cast({{ dbt.date_trunc('month', 'applications.application_date') }} as date) as application_month,
        extract(year from applications.application_date) - customers.birth_year as age,
        case
            when customers.declared_monthly_income > 0
                then ln(cast(customers.declared_monthly_income as {{ api.Column.translate_type('double') }}))
        end as log_income,
        case
            when customers.home_province_name is not null and merchants.province is not null
                then case when customers.home_province_name <> merchants.province then 1 else 0 end
        end as is_other_province,
        {{ is_odd_hour('applications.applied_at') }} as is_odd_hour,
        row_number() over (
            partition by applications.merchant_id, applications.customer_id, applications.application_date
            order by applications.applied_at, applications.application_id
        ) > 1 as is_split_order

    from applications
    inner join merchants on applications.merchant_id = merchants.merchant_id
    left join customers on applications.customer_id = customers.customer_id

),

norm_months as (

    select distinct
        profiled.scenario,
        profiled.application_month

    from profiled

),

-- the scenario's applicants in the 12 months before each month
norms as (

    select
        norm_months.scenario,
        norm_months.application_month,
        count(history.age) as norm_size,
        avg(history.age) as age_mean,
        stddev_samp(history.age) as age_sd,
        avg(history.log_income) as log_income_mean,
        stddev_samp(history.log_income) as log_income_sd,
        avg(history.is_other_province) as other_province_share

    from norm_months
    inner join profiled as history
        on
            norm_months.scenario = history.scenario
            and history.application_date < norm_months.application_month
            and history.application_date >= cast({{ dbt.dateadd('month', -12, 'norm_months.application_month') }} as date)
    group by norm_months.scenario, norm_months.application_month

),

shared_devices as (

    select distinct profiled.application_id

    from profiled
    inner join profiled as earlier
        on
            profiled.merchant_id = earlier.merchant_id
            and profiled.device_id = earlier.device_id
            and profiled.customer_id <> earlier.customer_id
            and earlier.applied_at < profiled.applied_at
            and earlier.application_date >= cast({{ dbt.dateadd('day', -90, 'profiled.application_date') }} as date)

)

select
    -- ids
    profiled.application_id,
    profiled.merchant_id,
    profiled.store_id,
    profiled.sales_rep_id,
    profiled.customer_id,
    profiled.scenario,

    -- fake-transaction flags
    profiled.is_odd_hour,
    profiled.is_split_order,
    shared_devices.application_id is not null as is_shared_device,

    -- customer profile against the scenario norm
    case
        when norms.norm_size >= 30 and norms.age_sd > 0 then (profiled.age - norms.age_mean) / norms.age_sd
    end as age_z,
    case
        when norms.norm_size >= 30 and norms.log_income_sd > 0
            then (profiled.log_income - norms.log_income_mean) / norms.log_income_sd
    end as income_z,
    profiled.is_other_province,
    case when norms.norm_size >= 30 then norms.other_province_share end as norm_other_province_share,

    -- dates
    profiled.application_date,
    profiled.applied_at

from profiled
left join norms
    on
        profiled.scenario = norms.scenario
        and profiled.application_month = norms.application_month
left join shared_devices
    on profiled.application_id = shared_devices.application_id
