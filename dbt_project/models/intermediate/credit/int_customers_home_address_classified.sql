-- One row per customer: the living standard their home address shows - the district's level (1 urban core,
-- 2 outer district, 3 county or county-level city; from the districts reference) and the housing class of the
-- residential compound (premium, ordinary, low_end; from the residential_compounds reference), or rural for a
-- village address, unknown when neither matches. The address itself stays here (ephemeral, staging data).
with

customers as (

    select * from {{ ref('stg_core_lending__customers') }}

),

districts as (

    select * from {{ ref('districts') }}

),

compounds as (

    select * from {{ ref('residential_compounds') }}

),

district_matches as (

    select
        customers.customer_id,
        max(districts.district_level) as district_level

    from customers
    inner join districts
        on
            customers.home_city = districts.city_name
            and {{ dbt.position('districts.city_name || districts.district_name', 'customers.home_address') }} > 0
    group by customers.customer_id

),

compound_matches as (

    select
        customers.customer_id,
        min(compounds.housing_class) as housing_class

    from customers
    inner join compounds
        on {{ dbt.position('compounds.compound_name', 'customers.home_address') }} > 0
    group by customers.customer_id

)

select
    customers.customer_id,
    district_matches.district_level,
    case
        when compound_matches.housing_class is not null then compound_matches.housing_class
        when
            {{ dbt.position("'村'", 'customers.home_address') }} > 0
            and {{ dbt.position("'组'", 'customers.home_address') }} > 0
            then 'rural'
        else 'unknown'
    end as housing_class

from customers
left join district_matches
    on customers.customer_id = district_matches.customer_id
left join compound_matches
    on customers.customer_id = compound_matches.customer_id
