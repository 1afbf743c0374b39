with

source as (

    select * from {{ source('third_party', 'collection_contacts') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by record_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        record_id,
        customer_id,

        -- strings
        lower(trim(contact_type)) as contact_type,
        lower(trim(counterparty_category)) as counterparty_category,

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
