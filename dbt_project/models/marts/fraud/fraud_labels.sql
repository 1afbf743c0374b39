-- One row per application: its fraud label for training - the applicant's ID number, mobile or the application's
-- device is on the lender's own blacklist for a fraud reason (var fraud_label_reasons), whenever it was listed; and
-- whether the label is mature (var fraud_label_maturity_days since the decision, as of the data date). Never a
-- feature: the features only see entries listed by the application day.
with

applications as (

    select * from {{ ref('int_applications_joined_to_identifiers') }}

),

internal_blacklist as (

    select * from {{ ref('stg_fraud_data__internal_blacklist') }}

),

data_date as (

    select * from {{ ref('int_data_date') }}

),

fraud_entries as (

    select
        entry_type,
        case when entry_type = 'id_number' then upper(entry_value) else entry_value end as entry_value,
        min(listed_on) as listed_on

    from internal_blacklist
    where reason in ({% for r in var('fraud_label_reasons') %}'{{ r }}'{{ ", " if not loop.last }}{% endfor %})
    group by 1, 2

),

application_values as (

    select application_id, 'id_number' as entry_type, upper(id_number) as entry_value from applications
    union all
    select application_id, 'mobile' as entry_type, mobile as entry_value from applications
    union all
    select application_id, 'device_id' as entry_type, device_id as entry_value from applications

),

confirmed as (

    select
        application_values.application_id,
        min(fraud_entries.listed_on) as confirmed_on

    from application_values
    inner join fraud_entries
        on
            application_values.entry_type = fraud_entries.entry_type
            and application_values.entry_value = fraud_entries.entry_value
    group by application_values.application_id

)

select
    applications.application_id,
    confirmed.confirmed_on,
    confirmed.confirmed_on is not null as is_confirmed_fraud,
    {{ dbt.dateadd('day', var('fraud_label_maturity_days'), 'applications.features_as_of_date') }}
        <= data_date.data_date as is_label_mature,
    cast({{ dbt.dateadd('day', var('fraud_label_maturity_days'), 'applications.features_as_of_date') }} as date)
        as label_mature_on

from applications
left join confirmed
    on applications.application_id = confirmed.application_id
cross join data_date
