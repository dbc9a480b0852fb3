-- BNS publishes turnover beside exports and imports: it must be their sum (an empty cell is no trade),
-- within the rounding of the published figures (0.1 thousand USD in the 2018 table, finer later).
-- A failure means a column was read under the wrong header.
select
    year,
    partner_code,
    turnover_thousand_usd,
    exports_thousand_usd,
    imports_thousand_usd
from {{ ref('stg_bns__partner_trade') }}
where abs(
    coalesce(turnover_thousand_usd, 0) - coalesce(exports_thousand_usd, 0) - coalesce(imports_thousand_usd, 0)
) > 0.15
