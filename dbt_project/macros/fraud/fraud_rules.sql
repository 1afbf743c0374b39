{#- The fraud marts' fixed thresholds, one place each (like write_off_dpd() in core). -#}

{#- Speed above which moving between two applications' GPS positions is impossible overland (km/h): faster than a
    high-speed train (350 km/h) and most of a domestic flight's door-to-door speed. -#}
{% macro impossible_travel_kmh() -%}
    500
{%- endmacro %}

{#- Two customers are linked through an IP address when they applied from it within this many hours of each other.
    An IP seen over months is shared by everyone behind a store's or a public network; a ring applies from one
    spot within days, a colluding merchant books its fake customers' orders on the same day. -#}
{% macro ip_link_window_hours() -%}
    24
{%- endmacro %}
