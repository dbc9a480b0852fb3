{{ config(meta={"dagster": {"ref": {"name": "int_trade_extra_eu27_exports_annual"}}}) }}
-- The rule "sum partner countries where no Extra-EU27 aggregate is published" must give the
-- published aggregate (within 0.05%) in the years where Easy Comext publishes both.
select
    year,
    extra_eu27_exports_eur,
    summed_partner_exports_eur
from {{ ref('int_trade_extra_eu27_exports_annual') }}
where
    basis = 'published_aggregate'
    and abs(summed_partner_exports_eur / extra_eu27_exports_eur - 1) > 0.0005
