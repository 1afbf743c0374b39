with

customers as (

    select * from {{ ref('int_customers_pii_tokenized') }}

),

applications as (

    select * from {{ ref('stg_core_lending__applications') }}

),

loans as (

    select * from {{ ref('stg_core_lending__loans') }}

),

applications_per_customer as (

    select
        applications.customer_id,
        min(cast(applications.applied_at as date)) as first_application_on,
        max(cast(applications.applied_at as date)) as last_application_on,
        count(*) as application_count

    from applications
    group by applications.customer_id

),

loans_per_customer as (

    select
        loans.customer_id,
        min(loans.disbursed_on) as first_disbursed_on,
        count(*) as loan_count

    from loans
    group by loans.customer_id

)

select
    -- ids
    customers.customer_id,

    -- personal data, tokenized and masked
    customers.id_number_token,
    customers.id_number_masked,
    customers.id_number_is_valid,
    customers.mobile_token,
    customers.mobile_masked,

    -- derived from the ID number
    customers.birth_year,
    customers.gender,
    customers.home_province_code,
    customers.home_province_name,

    -- declared at registration
    customers.home_city,
    customers.city_tier,
    customers.occupation,
    cast(customers.declared_monthly_income as decimal(18, 2)) as declared_monthly_income,

    -- lending history
    coalesce(applications_per_customer.application_count, 0) as application_count,
    coalesce(loans_per_customer.loan_count, 0) as loan_count,
    applications_per_customer.first_application_on,
    applications_per_customer.last_application_on,
    loans_per_customer.first_disbursed_on,

    -- timestamps
    customers.registered_at,
    cast(customers.registered_at as date) as registered_on

from customers
left join applications_per_customer
    on customers.customer_id = applications_per_customer.customer_id
left join loans_per_customer
    on customers.customer_id = loans_per_customer.customer_id
