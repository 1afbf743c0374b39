with

source as (

    select * from {{ source('credit_bureau', 'reports') }}
    -- a key can land again in a later extract: keep its most recently landed row
    qualify row_number() over (
        partition by report_id
        order by _landing_date desc, _loaded_at desc, _source_file desc, _source_row desc
    ) = 1

),

renamed as (

    select
        -- ids
        report_id,
        customer_id,

        -- strings
        upper(trim(id_number)) as id_number,
        lower(trim(employer_type)) as employer_type,
        trim(employer_name) as employer_name,
        lower(trim(provident_fund_status)) as provident_fund_status,

        -- numerics
        provident_fund_base,
        existing_credit_lines,
        total_credit_limit,
        credit_utilization,
        overdue_accounts,

        -- timestamps
        queried_at,

        -- lineage
        _source_file,
        _source_row,
        _landing_date,
        _loaded_at

    from source

)

select * from renamed
