with

source as (

    select * from {{ source('core_lending', 'customers') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by customer_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        customer_id,

        -- strings
        trim(full_name) as full_name,
        upper(trim(id_number)) as id_number,
        trim(mobile) as mobile,
        trim(home_province) as home_province,
        trim(home_city) as home_city,
        trim(home_address) as home_address,
        lower(trim(occupation)) as occupation,

        -- numerics
        declared_monthly_income,

        -- timestamps
        registered_at,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
