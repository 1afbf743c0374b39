{#-
    A home address in the form two records of the same place compare equal in: full-width digits, letters and
    signs as their ASCII forms, lower case, without white space (the ideographic space included) and punctuation.
    Only for joins inside intermediate models: the address is personal data.
-#}
{% macro normalised_address(column) -%}
    lower({{ regexp_replace_all(
        "translate(trim(" ~ column ~ "), '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ－＃', '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#')",
        "[[:space:]　,，.。、·()（）]", "") }})
{%- endmacro %}

{#- Every match of the regular expression `pattern` in `expression` replaced by `replacement`. -#}
{% macro regexp_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'risk_lakehouse')(expression, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}
