"""Countries, once: codes, the names users expect, and the words that stand for them.

Every stage that names a country comes here, so an extracted incident, an
analyst's place correction, a filter and an export all say "Russia" for RU,
never "Russia" in one place and "Russian Federation" in another. Codes and
official names come from pycountry (ISO 3166-1); this module adds what ISO
lacks: the short names reports and analysts use, Kosovo's user-assigned code,
and demonyms (which are evidence of a conflict, never places themselves).
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

# Where ISO's name is not what a report or an analyst writes (pycountry's common_name,
# when it has one, is used for the rest: "Iran", "Syria", "Moldova", "Bolivia"...).
SHORT_NAMES: dict[str, str] = {
    "RU": "Russia", "PS": "Palestine", "CD": "DR Congo", "CG": "Republic of Congo", "TR": "Turkey",
    "KP": "North Korea", "KR": "South Korea", "VE": "Venezuela", "TW": "Taiwan", "XK": "Kosovo",
    "GB": "United Kingdom", "US": "United States", "CZ": "Czech Republic", "BN": "Brunei",
    "VA": "Vatican", "FM": "Micronesia", "CI": "Ivory Coast", "CV": "Cape Verde", "SZ": "Eswatini",
    "LA": "Laos", "VN": "Vietnam", "TZ": "Tanzania", "SY": "Syria", "IR": "Iran", "MD": "Moldova",
}
# Other spellings of a country's name that reports use.
NAME_ALIASES: dict[str, str] = {
    "the ukraine": "UA", "turkiye": "TR", "türkiye": "TR", "burma": "MM", "drc": "CD",
    "russian federation": "RU", "syrian arab republic": "SY", "state of palestine": "PS",
}

# Demonyms and nationality adjectives -> country code, as reports capitalise them.
DEMONYMS: dict[str, str] = {
    word: code
    for code, words in {
        "AF": "Afghan Afghans", "AL": "Albanian", "DZ": "Algerian", "US": "American Americans",
        "AR": "Argentine Argentinian", "AM": "Armenian Armenians", "AU": "Australian",
        "AT": "Austrian", "AZ": "Azerbaijani Azeri Azerbaijanis", "BD": "Bangladeshi",
        "BY": "Belarusian", "BE": "Belgian", "BA": "Bosnian", "BR": "Brazilian",
        "GB": "British Briton Britons", "BG": "Bulgarian", "MM": "Burmese", "KH": "Cambodian",
        "CM": "Cameroonian", "CA": "Canadian Canadians", "TD": "Chadian", "CL": "Chilean",
        "CN": "Chinese", "CO": "Colombian", "CD": "Congolese", "HR": "Croatian", "CU": "Cuban",
        "CY": "Cypriot", "CZ": "Czech", "DK": "Danish", "NL": "Dutch", "EG": "Egyptian",
        "ER": "Eritrean", "EE": "Estonian", "ET": "Ethiopian Tigrayan", "PH": "Filipino Philippine",
        "FI": "Finnish", "FR": "French", "GE": "Georgian Ossetian Abkhaz", "DE": "German Germans",
        "GH": "Ghanaian", "GR": "Greek", "HT": "Haitian", "HU": "Hungarian", "IN": "Indian",
        "ID": "Indonesian", "IR": "Iranian Iranians", "IQ": "Iraqi Iraqis", "IE": "Irish",
        "IL": "Israeli Israelis", "IT": "Italian", "JP": "Japanese", "JO": "Jordanian",
        "KZ": "Kazakh", "KE": "Kenyan", "KW": "Kuwaiti", "KG": "Kyrgyz", "LB": "Lebanese",
        "LY": "Libyan", "LT": "Lithuanian", "LV": "Latvian", "MY": "Malaysian", "ML": "Malian",
        "MX": "Mexican", "MD": "Moldovan", "MN": "Mongolian", "MA": "Moroccan",
        "NP": "Nepalese Nepali", "NG": "Nigerian", "NO": "Norwegian", "PK": "Pakistani",
        "PS": "Palestinian Palestinians", "PE": "Peruvian", "PL": "Polish", "PT": "Portuguese",
        "QA": "Qatari", "RO": "Romanian", "RU": "Russian Russians", "RW": "Rwandan",
        "SA": "Saudi", "RS": "Serbian Serb Serbs", "SO": "Somali", "ES": "Spanish",
        "SD": "Sudanese", "SE": "Swedish", "CH": "Swiss", "SY": "Syrian Syrians",
        "TW": "Taiwanese", "TJ": "Tajik", "TH": "Thai", "TN": "Tunisian",
        "TR": "Turkish Turk Turks", "TM": "Turkmen", "UG": "Ugandan",
        "UA": "Ukrainian Ukrainians", "UZ": "Uzbek", "VE": "Venezuelan", "VN": "Vietnamese",
        "YE": "Yemeni", "ZW": "Zimbabwean", "AE": "Emirati", "BH": "Bahraini", "OM": "Omani",
        "LK": "Lankan", "NZ": "Zealander", "XK": "Kosovan Kosovar", "SS": "South_Sudanese", "BI": "Burundian", "BF": "Burkinabe",
        "NE": "Nigerien", "MZ": "Mozambican", "KP": "North_Korean", "KR": "South_Korean",
    }.items()
    for word in (w.replace("_", " ") for w in words.split())
}


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    """The name users expect for an ISO 3166-1 alpha-2 code ("RU" -> "Russia"); None if unknown."""
    if not code:
        return None
    code = code.upper()
    if code in SHORT_NAMES:
        return SHORT_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=2048)
def country_code(name: str | None) -> str | None:
    """The alpha-2 code of a country's name, short name, alias or code ("Russia", "Türkiye"); None if none."""
    if not name or not name.strip():
        return None
    key = name.strip().lower()
    if key in NAME_ALIASES:
        return NAME_ALIASES[key]
    for code, short in SHORT_NAMES.items():
        if short.lower() == key:
            return code
    try:
        return pycountry.countries.lookup(name.strip()).alpha_2
    except LookupError:
        return None


@lru_cache(maxsize=512)
def iso_numeric(code: str | None) -> int | None:
    """ISO 3166-1 numeric code of an alpha-2 code (51 for "AM"), as ACLED's ``iso`` column has it."""
    country = pycountry.countries.get(alpha_2=str(code).upper()) if code else None
    return int(country.numeric) if country is not None else None


def demonym_country(word: str) -> str | None:
    """The code of the country a nationality word refers to ("Azeri" -> "AZ"), any case."""
    return DEMONYMS.get(word) or _LOWER_DEMONYMS.get(word.lower())


_LOWER_DEMONYMS = {word.lower(): code for word, code in DEMONYMS.items()}
