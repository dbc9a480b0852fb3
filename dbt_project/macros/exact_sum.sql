{#- A sum of DOUBLE figures that does not depend on the order DuckDB's threads add them in:
    summed as DECIMAL (exact), returned as DOUBLE, so two builds give identical marts.
    `where` becomes the aggregate's FILTER, `over` its window. -#}
{% macro exact_sum(expression, where=none, over=none) -%}
    (sum(({{ expression }})::decimal(38, 10))
    {%- if where %} filter (where {{ where }}){% endif %}
    {%- if over %} over ({{ over }}){% endif %})::double
{%- endmacro %}
