{# Shared by the monthly and annual trade metric marts, so the formulas live in one place
   (docs/metrics.md). #}

{% macro trade_flow_pivot() -%}
    max(value_eur) filter (where flow = 'export' and product_code = 'TOTAL') as exports_eur,
    max(value_eur) filter (where flow = 'import' and product_code = 'TOTAL') as imports_eur,
    max(value_eur) filter (where flow = 'import' and product_code = '27') as imports_hs27_eur
{%- endmacro %}

{% macro trade_balance_metrics() -%}
    exports_eur - imports_eur as balance_eur,
    exports_eur + imports_eur as turnover_eur,
    case when imports_eur > 0 then 100 * exports_eur / imports_eur end as cover_ratio_pct
{%- endmacro %}

{% macro hs27_share_of_imports() -%}
    case when imports_eur > 0 then imports_hs27_eur / imports_eur end as hs27_share_of_imports
{%- endmacro %}
