{#-
    The incremental watermark: the latest `_loaded_at` (load time of the newest source row behind a row) already in
    the target. A run processes the source rows loaded after it; an empty target takes everything.
-#}
{% macro loaded_at_watermark(column='_loaded_at') -%}
    (select coalesce(max({{ column }}), cast('1900-01-01 00:00:00' as timestamp)) from {{ this }})
{%- endmacro %}
