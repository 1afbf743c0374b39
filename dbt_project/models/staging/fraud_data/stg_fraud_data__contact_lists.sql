with

source as (

    select * from {{ source('fraud_data', 'contact_lists') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by customer_id, trim(contact_mobile)
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        customer_id || '|' || trim(contact_mobile) as contact_key,
        customer_id,

        -- strings
        trim(contact_mobile) as contact_mobile,
        trim(contact_name) as contact_name,
        lower(trim(relation)) as relation,

        -- timestamps
        uploaded_at,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
