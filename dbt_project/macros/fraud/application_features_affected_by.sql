{#-
    Which day a newly loaded row of each source behind the fraud features changes them from (the rebuild window of
    an incremental run: macros/core/incremental.sql, affected_days_start; the days are the applications'
    features_as_of_date). Every feature counts what was dated at or before the application's features_as_of, so a row
    can change only the applications decided on or after its own date:
      applications      applied_at (velocity, travel since the previous application and ip links look back only)
      customers         registered_at (identifiers, home city and address links serve applications after it)
      fingerprints      captured_at (a sighting of a device: velocity, device links, a device's first use)
      contact lists     uploaded_at (a contact link is visible from the later of the upload and a registration)
      blacklists        listed_on (an entry counts from its listing day - landed late, it restates every application
                        since; the daily feed lists entries the day they land)
      stores            opened_on (the distance to a store serves applications after it opened)
    Shared by the four application intermediates of fraud_features and by fraud_features itself, so that all of them
    rebuild the same days.
-#}
{% macro application_features_affected_by() -%}
    {{ return({
        'core_lending.applications': 'new_rows.applied_at',
        'core_lending.customers': 'new_rows.registered_at',
        'fraud_data.device_fingerprints': 'new_rows.captured_at',
        'fraud_data.contact_lists': 'new_rows.uploaded_at',
        'fraud_data.internal_blacklist': 'new_rows.listed_on',
        'fraud_data.external_blacklist': 'new_rows.listed_on',
        'merchant_management.stores': 'new_rows.opened_on',
    }) }}
{%- endmacro %}

{#- The pre-hook of each of them: delete the applications decided on or after the first affected day (day_column:
    the day of features_as_of; fraud_features keeps features_as_of only). -#}
{% macro replace_affected_application_days(day_column='features_as_of_date') -%}
    {{ return(replace_affected_days(day_column, application_features_affected_by())) }}
{%- endmacro %}

{#- The filter of what an incremental run rebuilds: the applications decided on or after its first affected day
    (nothing on a full build). -#}
{% macro where_rebuilt(day_column='features_as_of_date') -%}
    {%- if is_incremental() %}where {{ day_column }} >= {{ affected_from() }}{% endif -%}
{%- endmacro %}
