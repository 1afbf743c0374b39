-- Customers with their personal data replaced: ID number and mobile become keyed tokens (pii_token, an HMAC whose
-- key stays in the dbt process) and masked display forms; birth year, gender and home province are read from the
-- ID number. Name, ID number, mobile and address go no further than this model.
with

customers as (

    select * from {{ ref('stg_core_lending__customers') }}

),

provinces as (

    select * from {{ ref('province_codes') }}

),

city_tiers as (

    select * from {{ ref('city_tiers') }}

),

tokenized as (

    select
        customers.customer_id,
        pii_token(customers.id_number) as id_number_token,
        {{ mask_id_number('customers.id_number') }} as id_number_masked,
        {{ id_number_has_valid_check_char('customers.id_number') }} as id_number_is_valid,
        pii_token(customers.mobile) as mobile_token,
        {{ mask_mobile('customers.mobile') }} as mobile_masked,
        {{ id_number_birth_year('customers.id_number') }} as birth_year,
        {{ id_number_gender('customers.id_number') }} as gender,
        {{ id_number_province_code('customers.id_number') }} as home_province_code,
        customers.home_city,
        customers.occupation,
        customers.declared_monthly_income,
        customers.registered_at

    from customers

)

select
    tokenized.customer_id,
    tokenized.id_number_token,
    tokenized.id_number_masked,
    tokenized.id_number_is_valid,
    tokenized.mobile_token,
    tokenized.mobile_masked,
    tokenized.birth_year,
    tokenized.gender,
    tokenized.home_province_code,
    provinces.province_name as home_province_name,
    tokenized.home_city,
    city_tiers.city_tier,
    tokenized.occupation,
    tokenized.declared_monthly_income,
    tokenized.registered_at

from tokenized
left join provinces
    on tokenized.home_province_code = provinces.province_code
left join city_tiers
    on tokenized.home_city = city_tiers.city_name
