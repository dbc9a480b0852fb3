"""Who is who in GDELT, decided once: is an actor Kazakh, is it the EU (or a member state)?

The reader evaluates these rules over every event of a file: they choose the events kept in
raw.gdelt_events, they count the per-day totals of raw.gdelt_actor_totals (the denominators), and
they land as the actor{1,2}_is_kz / _is_eu columns that dbt's dyads (the numerators) read. One
definition, so an actor cannot be EU in a denominator and not in its numerator.

CAMEO actor codes are chains of 3-letter parts: a code leading with a country code belongs to that
country (DEUGOV, the German government, even where the country field is empty); the EU itself is
the known group EEC, written IGOEUREEC (EUR is the region Europe, IGO an intergovernmental body).
"""

from __future__ import annotations

from functools import lru_cache

from pipelines.core.seeds import read_seed
from pipelines.core.sql import quoted, sql_list, sql_string

KAZAKHSTAN_CAMEO = "KAZ"
KAZAKHSTAN_FIPS = "KZ"
EU_KNOWN_GROUP = "EEC"


@lru_cache(maxsize=1)
def eu_member_cameo_codes() -> tuple[str, ...]:
    """CAMEO actor country codes of the EU27 members, from the dbt seed: ISO alpha-3, and CAMEO's own
    where it differs (ROM, the pre-2002 code of Romania; ROU also counts)."""
    rows = read_seed("eu27_member_states")
    return tuple(sorted({row["iso3_code"] for row in rows} | {row["cameo_country_code"] for row in rows}))


def _has_country(n: int, codes: tuple[str, ...]) -> str:
    """Actor n has one of these CAMEO country codes, in its country field or leading its actor code."""
    listed = sql_list(codes)
    return f"({quoted(f'Actor{n}CountryCode')} IN ({listed}) OR left({quoted(f'Actor{n}Code')}, 3) IN ({listed}))"


def actor_is_kz_sql(n: int) -> str:
    """DuckDB: actor n (1 or 2) of a staged GDELT event is Kazakh."""
    return f"coalesce({_has_country(n, (KAZAKHSTAN_CAMEO,))}, false)"


def actor_is_eu_sql(n: int) -> str:
    """DuckDB: actor n is the EU (known group EEC, or EEC as one of the 3-letter parts of its code) or
    a member state (by its country field or the country leading its code)."""
    institution = (
        f"{quoted(f'Actor{n}KnownGroupCode')} = {sql_string(EU_KNOWN_GROUP)} "
        f"OR regexp_matches({quoted(f'Actor{n}Code')}, '^(...)*{EU_KNOWN_GROUP}')"
    )
    return f"coalesce({institution} OR {_has_country(n, eu_member_cameo_codes())}, false)"


def any_actor(rule) -> str:
    return f"({rule(1)} OR {rule(2)})"


def kept_event_sql() -> str:
    """The events raw.gdelt_events keeps: a Kazakh actor, or the action located in Kazakhstan."""
    return f"({any_actor(actor_is_kz_sql)} OR {quoted('ActionGeo_CountryCode')} = {sql_string(KAZAKHSTAN_FIPS)})"


def actor_sides_sql() -> dict[str, str]:
    """The per-day totals' sides: every event, those with a Kazakh actor, those with an EU actor."""
    return {"ALL": "true", "KZ": any_actor(actor_is_kz_sql), "EU": any_actor(actor_is_eu_sql)}
