with

source as (

    select * from {{ source('merchant_management', 'merchants') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by merchant_id, updated_at
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        merchant_id || '|' || cast(updated_at as varchar) as merchant_version_key,
        merchant_id,

        -- strings
        trim(merchant_name) as merchant_name,
        lower(trim(scenario)) as scenario,
        trim(province) as province,
        trim(city) as city,
        lower(trim(admission_status)) as admission_status,

        -- numerics
        deposit_ratio,
        credit_quota,

        -- dates
        admitted_on,

        -- timestamps
        updated_at,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
