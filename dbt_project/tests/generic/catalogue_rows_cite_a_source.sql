{# Every catalogue event cites a public page (http or https). #}
{% test catalogue_rows_cite_a_source(model) %}
select event_id, source_url
from {{ model }}
where origin = 'catalogue'
  and (source_url is null or not regexp_full_match(source_url, 'https?://\S+'))
{% endtest %}
