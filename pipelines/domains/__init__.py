"""The registry: every domain the warehouse lands. Adding a domain is one package and one line here."""

from pipelines.core.domain import Domain, Download, RawSource
from pipelines.domains import diplomacy, energy, finance, trade

DOMAINS: tuple[Domain, ...] = (trade.DOMAIN, energy.DOMAIN, diplomacy.DOMAIN, finance.DOMAIN)


def raw_sources() -> list[tuple[Domain, RawSource]]:
    """Every raw folder with the domain it belongs to, in registry order."""
    return [(domain, source) for domain in DOMAINS for source in domain.sources]


def raw_folders() -> tuple[str, ...]:
    """The folders of the raw directory that land (trade, energy, events, gdelt, ...)."""
    return tuple(source.folder for _, source in raw_sources())


def downloads() -> list[tuple[RawSource, Download]]:
    return [(source, download) for _, source in raw_sources() for download in source.downloads]
