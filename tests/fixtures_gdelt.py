"""Small GDELT event files in the publisher's exact format: tab-separated, no quoting, no header.

Every row is real, copied verbatim (line numbers given):
- GDELT1_*: ../shared/data/gdelt/gdelt1_daily_export_20160728_sample.tsv, rows of GDELT 1.0's
  daily export 20160728.export.CSV (58 fields) and of the 1982 backfile (57 fields).
- GDELT2_SAMPLE_*: ../shared/data/gdelt/gdelt2_export_20170701234500_sample_with_header.tsv,
  a GDELT 2.0 batch re-saved by pandas with a header row (so AvgTone carries pandas' digits).
- GDELT2_KAZ_*, GDELT2_ACTOR_GEO_ONLY: the GDELT 2.0 rows of raw/gdelt/*.export.KAZ_rows.CSV.zip
  (real rows of ../shared/data/gdelt/gdelt2_events_KAZ_rows_20201114-15_via_pandas.csv,
  re-serialised by raw/derive_gdelt_snapshot.py; see raw/SOURCES.md), by GLOBALEVENTID.
- GDELT2_MENTIONS_*: ../shared/data/gdelt/gdelt2_mentions_20170701234500_sample_with_header.tsv
  (a GDELT 2.0 mentions batch, pandas-saved), lines 1-2.
Tests derive generated variants with `with_fields` (a changed value, named in the test).
"""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

from pipelines.domains.diplomacy.gdelt_codebook import GDELT1_FIELDS, GDELT2_FIELDS

# line 96: Kazakhstan (KAZ) and industry (BUS), in Pavlodar, Kazakhstan
GDELT1_KAZ = (
    "564137808\t20160728\t201607\t2016\t2016.5699\tKAZ\tKAZAKHSTAN\tKAZ\t\t\t\t\t\t\t\tBUS\t"
    "INDUSTRY\t\t\t\t\t\tBUS\t\t\t1\t043\t043\t04\t1\t2.8\t6\t1\t6\t2.96296296296296\t4\t"
    "Pavlodar, Pavlodar, Kazakhstan\tKZ\tKZ11\t52.274\t77.0044\t-2342298\t4\t"
    "Pavlodar, Pavlodar, Kazakhstan\tKZ\tKZ11\t52.274\t77.0044\t-2342298\t4\t"
    "Pavlodar, Pavlodar, Kazakhstan\tKZ\tKZ11\t52.274\t77.0044\t-2342298\t20160728\t"
    "http://kazakh-tv.kz/en/view/business/page_167687_inostrannye-investory-proyavlyayut-osobyi-interes-k-obra"
)
# line 62: the European Union (IGOEUREEC, known group EEC) and Britain
GDELT1_EU_INSTITUTION = (
    "564137468\t20160728\t201607\t2016\t2016.5699\tIGOEUREEC\tTHE EUROPEAN UNION\tEUR\tEEC\t"
    "\t\t\tIGO\t\t\tGBR\tBRITAIN\tGBR\t\t\t\t\t\t\t\t0\t020\t020\t02\t1\t3.0\t1\t1\t1\t"
    "-5.54272517321016\t1\tUnited States\tUS\tUS\t38\t-97\tUS\t1\tChina\tCH\tCH\t35\t105\t"
    "CH\t1\tChina\tCH\tCH\t35\t105\tCH\t20160728\t"
    "http://www.aurorasentinel.com/news/wto-chief-global-trade-not-main-culprit-lost-us-jobs/"
)
# line 54: Greece (GRC, an EU member state) and a government
GDELT1_EU_MEMBER = (
    "564137388\t20160728\t201607\t2016\t2016.5699\tGRC\tGREECE\tGRC\t\t\t\t\t\t\t\tGOV\t"
    "GOVERNMENT\t\t\t\t\t\tGOV\t\t\t1\t042\t042\t04\t1\t1.9\t6\t3\t6\t-8.3534965317844\t4\t"
    "Alexandroupoli, Perifereia Anatolikis Makedonias kai Thrakis, Greece\tGR\tGR53\t"
    "40.8475\t25.8744\t-813621\t4\t"
    "Alexandroupoli, Perifereia Anatolikis Makedonias kai Thrakis, Greece\tGR\tGR53\t"
    "40.8475\t25.8744\t-813621\t4\t"
    "Alexandroupoli, Perifereia Anatolikis Makedonias kai Thrakis, Greece\tGR\tGR53\t"
    "40.8475\t25.8744\t-813621\t20160728\thttp://voiceofvienna.org/?p=52837"
)
# line 369: the United States and 'EUROPEAN' (EUR, the region: not the EU)
GDELT1_EUROPE_REGION = (
    "564442922\t20160728\t201607\t2016\t2016.5699\tUSA\tUNITED STATES\tUSA\t\t\t\t\t\t\t\t"
    "EUR\tEUROPEAN\tEUR\t\t\t\t\t\t\t\t1\t020\t020\t02\t1\t3.0\t2\t1\t2\t1.17944397641112\t"
    "1\tDenmark\tDA\tDA\t56\t10\tDA\t3\tPhiladelphia, Pennsylvania, United States\tUS\tUSPA\t"
    "39.9523\t-75.1638\t1209052\t1\tDenmark\tDA\tDA\t56\t10\tDA\t20160728\t"
    "http://www.politico.eu/article/a-new-hillary-demographic-europes-center-right-clinton-democrat-nominee-donald-trump/"
)
# line 1: an event of 2006 reported on 2016-07-28 (United States only)
GDELT1_OTHER = (
    "564111644\t20060731\t200607\t2006\t2006.5781\tUSA\tUNITED STATES\tUSA\t\t\t\t\t\t\t\t\t"
    "\t\t\t\t\t\t\t\t\t1\t010\t010\t01\t1\t0.0\t2\t1\t2\t-0.34188034188034\t3\t"
    "National Postal Museum, District of Columbia, United States\tUS\tUSDC\t38.8973\t"
    "-77.0083\t1984547\t0\t\t\t\t\t\t\t3\t"
    "National Postal Museum, District of Columbia, United States\tUS\tUSDC\t38.8973\t"
    "-77.0083\t1984547\t20160728\t"
    "http://wtop.com/lifestyle/2016/07/deepest-darkest-secrets-now-display-national-postal-museum/"
)
# line 510: a 1982 row of the backfile, 57 fields (no SOURCEURL)
GDELT1_BACKFILE_57 = (
    "1552829\t19820102\t198201\t1982\t1982.0055\tBUSCVL\tBUSINESS\t\t\t\t\t\tBUS\tCVL\t\t"
    "BUS\tBUSINESS\t\t\t\t\t\tBUS\t\t\t0\t030\t030\t03\t1\t4\t5\t1\t5\t4.7976011994003\t4\t"
    "Accra, Greater Accra, Ghana\tGH\tGH01\t5.55\t-0.216667\t-2067935\t4\t"
    "Accra, Greater Accra, Ghana\tGH\tGH01\t5.55\t-0.216667\t-2067935\t4\t"
    "Accra, Greater Accra, Ghana\tGH\tGH01\t5.55\t-0.216667\t-2067935\t20130203"
)
# line 511: 1982, 57 fields: Canada and Poland (POL, an EU member state)
GDELT1_BACKFILE_57_EU_MEMBER = (
    "1552839\t19820102\t198201\t1982\t1982.0055\tCAN\tCANADA\tCAN\t\t\t\t\t\t\t\tPOL\t"
    "POLAND\tPOL\t\t\t\t\t\t\t\t1\t1312\t131\t13\t3\t-5.8\t2\t1\t2\t2.53807106598985\t1\t"
    "Canada\tCA\tCA\t60\t-95\t0\t1\tUnited States\tUS\tUS\t38\t-97\t0\t1\tCanada\tCA\tCA\t"
    "60\t-95\t0\t20130203"
)
# line 1: the header row pandas added
GDELT2_SAMPLE_HEADER = (
    "GLOBALEVENTID\tSQLDATE\tMonthYear\tYear\tFractionDate\tActor1Code\tActor1Name\t"
    "Actor1CountryCode\tActor1KnownGroupCode\tActor1EthnicCode\tActor1Religion1Code\t"
    "Actor1Religion2Code\tActor1Type1Code\tActor1Type2Code\tActor1Type3Code\tActor2Code\t"
    "Actor2Name\tActor2CountryCode\tActor2KnownGroupCode\tActor2EthnicCode\t"
    "Actor2Religion1Code\tActor2Religion2Code\tActor2Type1Code\tActor2Type2Code\t"
    "Actor2Type3Code\tIsRootEvent\tEventCode\tEventBaseCode\tEventRootCode\tQuadClass\t"
    "GoldsteinScale\tNumMentions\tNumSources\tNumArticles\tAvgTone\tActor1Geo_Type\t"
    "Actor1Geo_FullName\tActor1Geo_CountryCode\tActor1Geo_ADM1Code\tActor1Geo_ADM2Code\t"
    "Actor1Geo_Lat\tActor1Geo_Long\tActor1Geo_FeatureID\tActor2Geo_Type\tActor2Geo_FullName\t"
    "Actor2Geo_CountryCode\tActor2Geo_ADM1Code\tActor2Geo_ADM2Code\tActor2Geo_Lat\t"
    "Actor2Geo_Long\tActor2Geo_FeatureID\tActionGeo_Type\tActionGeo_FullName\t"
    "ActionGeo_CountryCode\tActionGeo_ADM1Code\tActionGeo_ADM2Code\tActionGeo_Lat\t"
    "ActionGeo_Long\tActionGeo_FeatureID\tDATEADDED\tSOURCEURL"
)
# line 11: Egypt and the Saudi government, in Egypt
GDELT2_SAMPLE_OTHER = (
    "669666359\t20160701\t201607\t2016\t2016.4959\tEGY\tCAIRO\tEGY\t\t\t\t\t\t\t\tSAUGOV\t"
    "SAUDI\tSAU\t\t\t\t\tGOV\t\t\t1\t043\t043\t04\t1\t2.8\t3\t1\t3\t-0.30090270812438\t4\t"
    "Cairo, Al Qahirah, Egypt\tEG\tEG11\t65350\t30.05\t31.25\t-290692\t4\t"
    "Riyadh, Ar Riya?, Saudi Arabia\tSA\tSA10\t25316\t24.6408\t46.7728\t-3093009\t4\t"
    "Cairo, Al Qahirah, Egypt\tEG\tEG11\t65350\t30.05\t31.25\t-290692\t20170701234500\t"
    "http://www.thearabweekly.com/article/8771/Closer%20Saudi-Egypt%20ties%20seen%20after%20Sisi%20ratifies%20islands%20deal"
)
# line 13: Britain and business, in the United Kingdom
GDELT2_SAMPLE_BRITAIN = (
    "669666361\t20160701\t201607\t2016\t2016.4959\tGBR\tUNITED KINGDOM\tGBR\t\t\t\t\t\t\t\t"
    "BUS\tCONGLOMERATE\t\t\t\t\t\tBUS\t\t\t1\t071\t071\t07\t2\t7.4\t2\t1\t2\t"
    "0.5681818181818199\t4\tPort Talbot, Neath Port Talbot, United Kingdom\tUK\tUKY5\t40186\t"
    "51.6\t-3.7833300000000003\t-2605653\t4\tPort Talbot, Neath Port Talbot, United Kingdom\t"
    "UK\tUKY5\t40186\t51.6\t-3.7833300000000003\t-2605653\t4\t"
    "Port Talbot, Neath Port Talbot, United Kingdom\tUK\tUKY5\t40186\t51.6\t"
    "-3.7833300000000003\t-2605653\t20170701234500\t"
    "https://www.thetimes.co.uk/edition/business/action-on-pension-loophole-to-save-port-talbot-steel-2f69bxcqw"
)
# Russia and the Kazakh military (KAZMIL), in Kazakhstan (batch 20201114134500)
GDELT2_KAZ_MILITARY = (
    "954726756\t20201114\t202011\t2020\t2020.8603\tRUS\tRUSSIAN\tRUS\t\t\t\t\t\t\t\tKAZMIL\t"
    "KAZAKHSTAN\tKAZ\t\t\t\t\tMIL\t\t\t1\t072\t072\t07\t2\t8.3\t10\t1\t10\t-2.4793388429752\t"
    "1\tKazakhstan\tKZ\tKZ\t\t48\t68\tKZ\t1\tKazakhstan\tKZ\tKZ\t\t48\t68\tKZ\t1\t"
    "Kazakhstan\tKZ\tKZ\t\t48\t68\tKZ\t20201114134500\thttps://tass.com/defense/1220669"
)
# Kazakhstan and China (make statement, 010), in Almaty (batch 20201115081500)
GDELT2_KAZ_CHINA = (
    "954740637\t20201115\t202011\t2020\t2020.863\tKAZ\tKAZAKHSTAN\tKAZ\t\t\t\t\t\t\t\tCHN\t"
    "CHINESE\tCHN\t\t\t\t\t\t\t\t1\t010\t010\t01\t1\t0.0\t2\t1\t2\t-5.74948665297742\t4\t"
    "Almaty, Almaty Qalasy, Kazakhstan\tKZ\tKZ02\t37206\t43.25\t76.95\t-2334069\t4\t"
    "Almaty, Almaty Qalasy, Kazakhstan\tKZ\tKZ02\t37206\t43.25\t76.95\t-2334069\t4\t"
    "Almaty, Almaty Qalasy, Kazakhstan\tKZ\tKZ02\t37206\t43.25\t76.95\t-2334069\t"
    "20201115081500\t"
    "https://www.rferl.org/a/two-more-ethnic-kazakhs-from-xinjiang-given-temporary-refugee-status-in-kazakhstan/30921102.html"
)
# Kazakhstan and China (1711, confiscate property), in Xinjiang (batch 20201115081500)
GDELT2_KAZ_CHINA_1711 = (
    "954740640\t20201115\t202011\t2020\t2020.863\tKAZ\tKAZAKHSTAN\tKAZ\t\t\t\t\t\t\t\tCHN\t"
    "XINJIANG\tCHN\t\t\t\t\t\t\t\t1\t1711\t171\t17\t4\t-9.2\t2\t1\t2\t-5.74948665297742\t4\t"
    "Almaty, Almaty Qalasy, Kazakhstan\tKZ\tKZ02\t37206\t43.25\t76.95\t-2334069\t4\t"
    "Xinjiang, Jiangxi, China\tCH\tCH03\t13167\t27.7481\t116.274\t11065838\t4\t"
    "Xinjiang, Jiangxi, China\tCH\tCH03\t13167\t27.7481\t116.274\t11065838\t20201115081500\t"
    "https://www.rferl.org/a/two-more-ethnic-kazakhs-from-xinjiang-given-temporary-refugee-status-in-kazakhstan/30921102.html"
)
# Japan and NASA (USAGOV), Actor2Geo Kazakhstan only (batch 20201115083000)
GDELT2_ACTOR_GEO_ONLY = (
    "954743061\t20201115\t202011\t2020\t2020.863\tJPN\tJAPAN\tJPN\t\t\t\t\t\t\t\tUSAGOV\t"
    "NASA\tUSA\t\t\t\t\tGOV\t\t\t0\t036\t036\t03\t1\t4.0\t2\t1\t2\t1.0545905707196\t1\t"
    "Japan\tJA\tJA\t\t36\t138\tJA\t1\tKazakhstan\tKZ\tKZ\t\t48\t68\tKZ\t1\tJapan\tJA\tJA\t\t"
    "36\t138\tJA\t20201115083000\t"
    "https://spaceflightnow.com/2020/11/14/veteran-japanese-astronaut-to-become-spacexs-first-international-passenger/"
)

# the mentions file of the same batch: 16 fields (header, then line 2)
GDELT2_MENTIONS_HEADER = "\t".join(
    (
        "GLOBALEVENTID",
        "EventTimeDate",
        "MentionTimeDate",
        "MentionType",
        "MentionSourceName",
        "MentionIdentifier",
        "SentenceID",
        "Actor1CharOffset",
        "Actor2CharOffset",
        "ActionCharOffset",
        "InRawText",
        "Confidence",
        "MentionDocLen",
        "MentionDocTone",
        "MentionDocTranslationInfo",
        "Extras",
    )
)
GDELT2_MENTIONS_ROW = (
    "669666350\t20170701234500\t20170701234500\t1\tcvilletomorrow.org\thttp://www.cvilletomorrow.org/news"
    "/article/27698-riverbend-planning-major-belmont-development/\t2\t-1\t142\t158\t1\t50\t5402\t-0.11641443538999001\t\t"
)

GDELT1_ROWS = [
    GDELT1_OTHER,
    GDELT1_EU_MEMBER,
    GDELT1_EU_INSTITUTION,
    GDELT1_KAZ,
    GDELT1_EUROPE_REGION,
    GDELT1_BACKFILE_57,
    GDELT1_BACKFILE_57_EU_MEMBER,
]
GDELT2_ROWS = [
    GDELT2_SAMPLE_OTHER,
    GDELT2_KAZ_MILITARY,
    GDELT2_KAZ_CHINA,
    GDELT2_KAZ_CHINA_1711,
    GDELT2_ACTOR_GEO_ONLY,
    GDELT2_SAMPLE_BRITAIN,
]


def event_id(row: str) -> int:
    return int(row.split("\t", 1)[0])


def fields_of(row: str) -> tuple[str, ...]:
    """The GDELT field names of a row, by its field count (57 and 58: 1.0; 61: 2.0)."""
    return GDELT2_FIELDS if row.count("\t") == 60 else GDELT1_FIELDS


def with_fields(row: str, **changes: str) -> str:
    """The row with some fields changed, by GDELT field name (a generated variant of a real row)."""
    names = fields_of(row)
    values = row.split("\t")
    for name, value in changes.items():
        values[names.index(name)] = value
    return "\t".join(values)


def gdelt_text(rows: list[str], header: str | None = None) -> str:
    """A GDELT export as GDELT writes it: LF line ends, the last line ended too."""
    return "".join(line + "\n" for line in ([header] if header else []) + rows)


def zipped(text: str, member: str = "20160728.export.CSV") -> bytes:
    """One member, as GDELT serves its exports (`.export.CSV.zip`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text)
    return buffer.getvalue()


def write_gdelt(path: Path, text: str, packing: str = "plain") -> Path:
    """Write a GDELT export plain, gzip'd or zipped."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    if packing == "gzip":
        data = gzip.compress(data, mtime=0)
    elif packing == "zip":
        data = zipped(text)
    path.write_bytes(data)
    return path
