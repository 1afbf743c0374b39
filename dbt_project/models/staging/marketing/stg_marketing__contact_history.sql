with

source as (

    select * from {{ source('marketing', 'contact_history') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by contact_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        contact_id,
        customer_id,

        -- strings
        lower(trim(channel)) as channel,
        trim(campaign) as campaign,
        lower(trim(outcome)) as outcome,

        -- timestamps
        contacted_at,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
