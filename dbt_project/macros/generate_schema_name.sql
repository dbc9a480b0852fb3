{# Schemas are part of the public contract (raw, staging, intermediate, marts, audit):
   use the configured name as it is, not dbt's default "<target>_<custom>". #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name is not none else target.schema }}
{%- endmacro %}
