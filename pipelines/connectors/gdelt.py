"""GDELT: event exports downloaded into raw/gdelt, each verified against the size and MD5 GDELT lists.

URL shapes under KZEU_GDELT_URL (default http://data.gdeltproject.org: GDELT serves plain http, so
there is no certificate to verify; its own MD5 and size are what vouch for each file), checked
with the project's search tool on 2026-11:
- 2.0: `gdeltv2/lastupdate.txt` (three lines `size md5 url`: the export, mentions and GKG files of
  the latest 15-minute batch), `gdeltv2/masterfilelist.txt` (the same line format for every batch
  since 2015-02-18, e.g. `150383 297a16b493de7cf6ca809a7cc31d0b93
  http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip`, as printed in
  linwoodc3/gdeltPyR notebook/earlyConceptsnFunctionality.md), and the batches themselves,
  `gdeltv2/YYYYMMDDHHMMSS.export.CSV.zip` (timestamps in UTC).
- 1.0: `events/YYYYMMDD.export.CSV.zip`, listed with their checksums in `events/md5sums`
  (`<md5>  <file>`, md5sum's format) and sizes in `events/filesizes` (`<bytes> <file>`), both
  linked from GDELT's events/index.html.
Only the configured host is ever contacted: a listing's URLs are reduced to their file names,
which must have the export's exact shape, and fetched from the configured base URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipelines.connectors.archives import check_single_member_zip
from pipelines.connectors.download import DownloadResult, Expected, download_file, open_client
from pipelines.connectors.http import DownloadError, HttpClient
from pipelines.connectors.periods import parse_day
from pipelines.settings import Settings

EXPORT_V2 = re.compile(r"(\d{8})(\d{6})\.export\.CSV\.zip")
MD5 = re.compile(r"[0-9a-fA-F]{32}")


@dataclass(frozen=True)
class ListedFile:
    """One line of a GDELT listing: the file name, its size and MD5 as GDELT publishes them."""

    name: str
    size: int
    md5: str


def parse_listing_line(line: str) -> ListedFile | None:
    """`size md5 url` (lastupdate.txt, masterfilelist.txt); None for anything else."""
    parts = line.split()
    if len(parts) != 3 or not parts[0].isdigit() or not MD5.fullmatch(parts[1]):
        return None
    return ListedFile(parts[2].rsplit("/", 1)[-1], int(parts[0]), parts[1].lower())


def v2_exports(lines: Iterable[str], day: date | None = None) -> list[ListedFile]:
    """The 15-minute event exports in a listing (of one UTC day, if given), by name, each once."""
    prefix = day.strftime("%Y%m%d") if day else ""
    found: dict[str, ListedFile] = {}
    for line in lines:
        if ".export.CSV.zip" not in line or (prefix and prefix not in line):
            continue  # cheap test first: the master list has millions of lines
        listed = parse_listing_line(line)
        if listed and EXPORT_V2.fullmatch(listed.name) and listed.name.startswith(prefix):
            found[listed.name] = listed
    return [found[name] for name in sorted(found)]


def v1_listing(md5_lines: Iterable[str], size_lines: Iterable[str], name: str) -> ListedFile | None:
    """A GDELT 1.0 file's MD5 (events/md5sums) and size (events/filesizes); None where either lacks it."""
    md5 = next(
        (
            p[0].lower()
            for p in (ln.split() for ln in md5_lines)
            if len(p) == 2 and p[1] == name and MD5.fullmatch(p[0])
        ),
        None,
    )
    size = next(
        (int(p[0]) for p in (ln.split() for ln in size_lines) if len(p) == 2 and p[1] == name and p[0].isdigit()), None
    )
    return ListedFile(name, size, md5) if md5 is not None and size is not None else None


def v1_export_name(day: date) -> str:
    return f"{day:%Y%m%d}.export.CSV.zip"


def _check_zip(temp: Path) -> Path:
    check_single_member_zip(temp)
    return temp


def _download_listed(http: HttpClient, url: str, folder: Path, listed: ListedFile) -> DownloadResult:
    return download_file(
        http, url, folder / listed.name, expected=Expected(listed.size, listed.md5), transform=_check_zip
    )


# --- refresh functions (Dagster assets and `kzeu refresh` call these) ---------------------------


def refresh_gdelt_day(
    settings: Settings,
    day: str | date,
    *,
    client: HttpClient | None = None,
) -> list[DownloadResult]:
    """Every GDELT 2.0 event export of one UTC day (a daily partition) listed in masterfilelist.txt."""
    day, base = parse_day(day), settings.gdelt_url
    with open_client(settings, client) as http:
        listing = f"{base}/gdeltv2/masterfilelist.txt"
        exports = v2_exports(http.iter_lines(listing), day)
        if not exports:
            raise DownloadError(listing, f"no event export listed for {day:%Y-%m-%d} (not published yet?)")
        folder = settings.raw_dir / "gdelt"
        return [_download_listed(http, f"{base}/gdeltv2/{f.name}", folder, f) for f in exports]


def refresh_gdelt_latest(settings: Settings, *, client: HttpClient | None = None) -> list[DownloadResult]:
    """The export of the latest 15-minute batch, as lastupdate.txt lists it."""
    base = settings.gdelt_url
    with open_client(settings, client) as http:
        listing = f"{base}/gdeltv2/lastupdate.txt"
        exports = v2_exports(http.iter_lines(listing))
        if len(exports) != 1:
            raise DownloadError(listing, f"{len(exports)} event exports listed; expected one")
        latest = exports[0]
        return [_download_listed(http, f"{base}/gdeltv2/{latest.name}", settings.raw_dir / "gdelt", latest)]


def refresh_gdelt1_day(
    settings: Settings,
    day: str | date,
    *,
    client: HttpClient | None = None,
) -> list[DownloadResult]:
    """The GDELT 1.0 daily export of a day, verified against events/md5sums and events/filesizes."""
    day, base = parse_day(day), settings.gdelt_url
    name = v1_export_name(day)
    with open_client(settings, client) as http:
        # closing(): the lookup stops at its line; the rest of each listing is not read
        with (
            closing(http.iter_lines(f"{base}/events/md5sums")) as md5s,
            closing(http.iter_lines(f"{base}/events/filesizes")) as sizes,
        ):
            listed = v1_listing(md5s, sizes, name)
        if listed is None:
            raise DownloadError(
                f"{base}/events/md5sums", f"{name} is not listed with its MD5 and size (not published yet?)"
            )
        return [_download_listed(http, f"{base}/events/{name}", settings.raw_dir / "gdelt", listed)]
