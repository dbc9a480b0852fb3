{#- A CAMEO event label reduced to what decides a match between wordings: lower case, single spaces,
    every kind of quotation mark as a plain apostrophe (the seed writes “third”, ICEWS 'third'), and
    without CAMEO's ", not specified below" (ICEWS writes "Consult" for the seed's "Consult, not
    specified below"; the seed also abbreviates it "not spec below"). -#}
{% macro cameo_label_key(label) -%}
    regexp_replace(
        regexp_replace(lower(trim(translate({{ label }}, '“”‘’"', repeat('''', 5)))), '\s+', ' ', 'g'),
        ', not spec(ified)? below\.?$',
        ''
    )
{%- endmacro %}
