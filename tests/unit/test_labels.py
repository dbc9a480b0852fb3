"""Label variants of Easy Comext and the data browser map to the publishers' codes."""

import pytest

from pipelines.domains.trade import labels


@pytest.mark.parametrize(
    "label, code",
    [
        ("Kazakhstan", "KZ"),
        ("Belgium (incl. Luxembourg 'LU' -> 1998)", "BE"),
        ("Germany (incl. German Democratic Republic 'DD' from 1991)", "DE"),
        ("Allemagne (incl. République démocratique allemande 'DD' depuis 1991)", "DE"),
        ("Ireland (Eire)", "IE"),
        ("Russian Federation (Russia)", "RU"),
        ("Belarus (Belorussia)", "BY"),
        ("République dominicaine", "DO"),  # country_converter alone reads it as Dominica
        ("Biélorussie (Belarus)", "BY"),
        ("Extra-EU27 (from 2020)", "EXT_EU27_2020"),
        ("Extra-UE27 (à partir de 2020)", "EXT_EU27_2020"),
        (
            "European Union - 27 countries (AT, BE, BG, CY, CZ, DE, DK, EE, ES, FI, FR, GR, HR, HU, IE, IT, LT, LU, "
            "LV, MT, NL, PL, PT, RO, SE, SI, SK)",
            "EU27_2020",
        ),
        ("High seas", "QP"),
        ("Stores and provisions within the framework of extra-Union trade", "QS"),
        ("KZ", "KZ"),
        ("AT:Austria", "AT"),
    ],
)
def test_geo_labels(label, code):
    assert labels.geo_code_for_label(label) == code


def test_label_language_decides_guinea():
    # Easy Comext's French 2016 export labels Guinea-Bissau "Guinea", beside "Guinée" (Guinea).
    assert labels.geo_code_for_label("Guinea", "en") == "GN"
    assert labels.geo_code_for_label("Guinea", "fr") == "GW"
    assert labels.geo_code_for_label("Guinée", "fr") == "GN"


def test_unknown_label_is_none():
    assert labels.geo_code_for_label("Atlantis (incl. Lemuria)") is None


def test_reporters_use_eurostat_geo_code_for_greece():
    assert labels.reporter_code_for_label("Greece") == "EL"
    assert labels.reporter_code_for_label("GR") == "EL"


@pytest.mark.parametrize(
    "label, flow",
    [
        ("1-IMPORT", "import"),
        ("IMPORT", "import"),
        ("IMPORTATION", "import"),
        ("1", "import"),
        ("2-EXPORT", "export"),
        ("EXPORT", "export"),
        ("EXPORTATION", "export"),
        ("re-export", None),
    ],
)
def test_flow_labels(label, flow):
    assert labels.flow_for_label(label) == flow


@pytest.mark.parametrize(
    "label, period",
    [
        ("201901-Jan. 2019", "201901"),
        ("201952-Jan.-Dec. 2019", "201952"),
        ("Jan.-Dec. 2018", "201852"),
        ("Janv.-Déc. 2018", "201852"),
        ("Jan. 2019", "201901"),
        ("Déc. 2020", "202012"),
        ("2021-02", "202102"),
        ("2021", "202152"),
        ("Jan.-Mar. 2019", None),  # quarters are not a Comext period we land
        ("2019-13", None),
    ],
)
def test_period_labels(label, period):
    assert labels.period_code_for_label(label) == period


@pytest.mark.parametrize(
    "label, code",
    [
        ("TOTAL-Total", "TOTAL"),
        ("Total", "TOTAL"),
        ("TOTAL", "TOTAL"),
        ("27-MINERAL FUELS, MINERAL OILS AND PRODUCTS OF THEIR DISTILLATION", "27"),
        ("27", "27"),
        ("39XXXXXX", "39XXXXXX"),
        ("fuel", None),
    ],
)
def test_product_labels(label, code):
    assert labels.product_code_for_label(label) == code
