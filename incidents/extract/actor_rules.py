"""Word lists and patterns for who is involved: countries and theatres, actors, claimants.

Kept apart from :mod:`incidents.extract.rules` (weapons, triggers, places,
casualties) so that a new theatre is added here alone. Every pattern is compiled
once at import.

Actor names follow one convention, shared with the gold annotations:

- state forces are the country's short English name ("the Armenian side",
  "Azerbaijani armed forces", "units of the Indian army" -> "Armenia",
  "Azerbaijan", "India"): in a ceasefire dataset the side is what analysts
  filter by, and ACLED's "Military Forces of X (2018-)" adds nothing here;
- non-state armed groups keep a canonical group name ("Hezbollah", "Hamas");
  the Donbas formations (DPR, LPR, "Russian-backed separatists") are
  "Russia-backed forces";
- civilians are ``"Civilians (<Country>)"``, or ``"Civilians"`` when the
  country is unknown.
"""

from __future__ import annotations

import re

from incidents.countries import NAME_ALIASES, country_code, country_name, demonym_country
from incidents.extract.regex import FoldedRegex, alternation, any_of, words_of

# ---------------------------------------------------------------------------
# Actors
# ---------------------------------------------------------------------------

# Nationality words that name a side of a conflict ("Russian forces", "Azerbaijani MoD"): a
# narrower set than every demonym, so that "American officials" never becomes an actor.
PARTY_ADJECTIVES = (
    "armenian azerbaijani azeri russian ukrainian indian pakistani israeli lebanese syrian georgian "
    "kyrgyz tajik thai cambodian turkish iranian iraqi sudanese ethiopian eritrean moldovan serbian "
    "kosovan chinese yemeni saudi afghan egyptian libyan malian congolese rwandan somali colombian "
    "venezuelan burmese myanmar filipino philippine ugandan burundian kenyan nigerian burkinabe "
    "nigerien mozambican cameroonian jordanian kosovar bosnian cypriot greek uzbek kazakh tigrayan "
    "ossetian abkhaz "
).split() + ["north korean", "south korean", "south sudanese"]
ADJECTIVE_TO_COUNTRY = {word: country_name(demonym_country(word) or country_code(word)) for word in PARTY_ADJECTIVES}
COUNTRY_NAMES = {name.lower(): name for name in ADJECTIVE_TO_COUNTRY.values()}
COUNTRY_CODES = {name: country_code(name) for name in ADJECTIVE_TO_COUNTRY.values()}
# Countries a theatre's places may lie in besides the two sides' own.
THEATRE_NEIGHBOURS = {"IL": ("PS", "LB", "SY"), "LB": ("IL", "SY"), "PS": ("IL", "EG"), "RU": ("UA",), "UA": ("RU",),
                      "IN": ("PK",), "PK": ("IN",), "AM": ("AZ",), "AZ": ("AM",)}
THEATRE_PHRASES = {"line of control": ("IN", "PK"), "blue line": ("IL", "LB"), "joint forces": ("UA",),
                   "nagorno": ("AZ", "AM"), "gaza strip": ("PS", "IL")}
COUNTRY_NAMES.update({alias: country_name(code) for alias, code in NAME_ALIASES.items()
                      if country_name(code) in COUNTRY_CODES})
# Words that name a theatre without naming its countries.
THEATRE_WORDS = {
    "gaza": ("PS", "IL"), "palestinian": ("PS", "IL"), "hamas": ("PS", "IL"), "hezbollah": ("LB", "IL"),
    "idf": ("IL",), "kashmir": ("IN", "PK"), "loc": ("IN", "PK"), "karabakh": ("AZ", "AM"),
    "nakhchivan": ("AZ", "AM"), "donbas": ("UA", "RU"), "donbass": ("UA", "RU"), "dpr": ("UA", "RU"),
    "lpr": ("UA", "RU"), "smm": ("UA",), "ispr": ("PK", "IN"),
}
THEATRE_KEYS = {key: key for key in list(ADJECTIVE_TO_COUNTRY) + list(COUNTRY_NAMES) + list(THEATRE_WORDS)
                if " " not in key}
THEATRE_MULTIWORD = tuple(key for key in list(ADJECTIVE_TO_COUNTRY) + list(COUNTRY_NAMES) if " " in key)

# Two sides that face each other: "the enemy" in one side's statement is the other.
OPPONENTS = {
    "Armenia": "Azerbaijan", "Azerbaijan": "Armenia", "India": "Pakistan", "Pakistan": "India",
    "Russia": "Ukraine", "Ukraine": "Russia-backed forces", "Russia-backed forces": "Ukraine", "Thailand": "Cambodia",
    "Cambodia": "Thailand", "Kyrgyzstan": "Tajikistan", "Tajikistan": "Kyrgyzstan",
}

NON_STATE_GROUPS = {
    r"\bDPR\b|\bDonetsk\s+People'?s\s+Republic\b|\bDNR\b|\bLPR\b|\bLuhansk\s+People'?s\s+Republic\b|"
    r"\bLNR\b|\b(?:Russian-backed|pro-Russian|Russia-backed|Moscow-backed)\s+(?:separatists|forces|fighters|"
    r"militants|formations)\b|\bseparatists?\b|\barmed\s+formations\b|\b(?:Russian\s+)?occupation\s+forces\b":
        "Russia-backed forces",
    r"\bHezbollah\b": "Hezbollah",
    r"\bHamas\b": "Hamas",
    r"\bHouthis?\b": "Houthis",
    r"\bRSF\b|\bRapid\s+Support\s+Forces\b": "Rapid Support Forces",
    r"\b(?:Nagorno-Karabakh|Karabakh|Artsakh)\s+(?:Defen[cs]e\s+Army|army|forces)\b": "Artsakh Defence Army",
    r"\bIDF\b|\bIsrael\s+Defen[cs]e\s+Forces\b|\bIsraeli\s+military\b": "Israel",
    r"\bBSF\b|\bBorder\s+Security\s+Force\b": "India",
    r"\bterrorists?\b|\binfiltrators?\b|\bmilitants?\b": "Militants",
}
NON_STATE_RE = [(FoldedRegex(k), v) for k, v in NON_STATE_GROUPS.items()]
ANY_NON_STATE = FoldedRegex("|".join(f"(?:{k})" for k in NON_STATE_GROUPS))

_FORCE_NOUNS = (r"(?:armed\s+forces|army|troops?|forces|military|side|soldiers?|servicem[ae]n|units?|positions?|"
                r"conscripts?|officers?|rangers|navy|air\s+force|jets?|aircraft|warplanes?|tanks?|mortars?|"
                r"posts?|border\s+guards?|border\s+troops|snipers?|artillery(?:men)?|drones?|military\s+personnel|"
                r"subdivisions?|formations?|defen[cs]e\s+forces|fighters?|guards?)")
_ADJ = alternation(list(ADJECTIVE_TO_COUNTRY))
_COUNTRY = alternation(list(COUNTRY_NAMES))
# Every state-forces phrase names a country or its adjective, all of its words: a sentence with
# none of their longest words ("herzegovina", not "and") is not scanned (this long alternation
# was the costliest scan of a sentence's sides).
_COUNTRY_WORDS = frozenset(max(words_of(name), key=len) for name in [*ADJECTIVE_TO_COUNTRY, *COUNTRY_NAMES])
STATE_FORCES = FoldedRegex(
    rf"\b(?:(?P<adj>{_ADJ})\s+(?:\w+\s+)?{_FORCE_NOUNS}|"
    rf"(?:armed\s+forces|army|troops|forces|units|military)\s+of\s+(?:the\s+(?:Republic\s+of\s+)?)?(?P<of>{_COUNTRY})|"
    rf"(?P<poss>{_COUNTRY})(?:'s|’s)\s+(?:\w+\s+)?{_FORCE_NOUNS}|"
    rf"(?P<bare>{_COUNTRY})\s+(?:army|rangers|troops|forces|military|armed\s+forces|border\s+guards?|side|"
    rf"initiated|resorted|opened|fired|shelled|violated|attacked|targeted|launched|struck))\b",
    gate=_COUNTRY_WORDS,
)
FROM_COUNTRY = FoldedRegex(rf"\b(?:fired|launched|shot|came)\s+(?:\w+\s+){{0,2}}?from\s+(?:the\s+)?"
                           rf"(?:territory\s+of\s+|direction\s+of\s+|side\s+of\s+)?(?:the\s+)?(?P<country>{_COUNTRY})\b",
                           gate=_COUNTRY_WORDS)
ENEMY = FoldedRegex(r"\b(?:the\s+)?(?:enemy|adversary|opponent|opposing\s+side|other\s+side|occupiers|"
                   r"occupation\s+forces|invaders)\b")
OWN_SIDE = FoldedRegex(r"\b(?:our|own)\s+(?:positions?|units?|troops|soldiers|servicemen|posts?|military)\b")
ACTOR1_BEFORE = FoldedRegex(r"\b(?:by|from|units\s+of|subdivisions\s+of|servicemen\s+of|blaming|blamed|accusing|"
                            r"accused)\s+(?:the\s+)?"
                           r"(?:positions\s+of\s+(?:the\s+)?|units\s+of\s+(?:the\s+)?)?$")
ACTOR2_BEFORE = FoldedRegex(r"\b(?:at|on|upon|against|targeting|towards?|positions\s+of|posts\s+of|territory\s+of|"
                           r"(?:killing|wounding|injuring)(?:\s+\w+)?)\s+(?:the\s+)?$")
VICTIM_AFTER = FoldedRegex(r"^[\w\s-]{0,25}?\b(?:was|were|had\s+been|have\s+been|has\s+been)\s+(?:\w+\s+)?"
                          r"(?:killed|wounded|injured|hurt|shelled|attacked|targeted|hit|fired\s+(?:at|upon|on))\b")
ATTACK_VERB = FoldedRegex(r"\b(?:fired|fire|firing|opened\s+fire|shelled|shelling|attacked|attack|struck|targeted|"
                         r"shot|bombarded|violated|used|launched|dropped|initiated|resorted|violation)\b")
PASSIVE = FoldedRegex(r"^\s*(?:was|were|been|being|came|come|comes|had\s+been|have\s+been|has\s+been)\s+(?:\w+\s+)?"
                     r"(?:under|shelled|attacked|fired|targeted|hit|struck|shot|subjected)\b")

# ---------------------------------------------------------------------------
# Who says so
# ---------------------------------------------------------------------------

_DEFENCE = r"(?:Defen[cs]e\s+Ministry|Ministry\s+of\s+Defen[cs]e|MoD|Defen[cs]e\s+Department)"
CLAIMANTS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (FoldedRegex(regex), name, kind)
    for regex, name, kind in (
        (r"\bOSCE\b|\bSpecial\s+Monitoring\s+Mission\b|\bSMM\b", "OSCE Special Monitoring Mission", "monitor"),
        (r"\bUNMOGIP\b|\bUN\s+Military\s+Observer\s+Group\b", "UNMOGIP", "monitor"),
        (r"\bUNIFIL\b", "UNIFIL", "monitor"),
        (r"\bUNDOF\b", "UNDOF", "monitor"),
        (r"\bEUMM\b|\bEU\s+Monitoring\s+Mission\b|\bEuropean\s+Union\s+Monitoring\s+Mission\b", "EU Monitoring Mission",
         "monitor"),
        (r"\bEUMA\b|\bEU\s+Mission\s+in\s+Armenia\b", "EU Mission in Armenia", "monitor"),
        (r"\b(?:monitoring\s+mission|monitors|observers|observer\s+mission|peacekeepers|peacekeeping\s+(?:force|mission))\b",
         "Monitoring mission", "monitor"),
        (r"\bISPR\b|\bInter-?Services\s+Public\s+Relations\b", "Inter-Services Public Relations (Pakistan)",
         "belligerent"),
        (r"\bGeneral\s+Staff\b", "General Staff", "belligerent"),
        (r"\bJoint\s+Forces\s+Operation\b|\bJFO\b", "Joint Forces Operation (Ukraine)", "belligerent"),
        (rf"\b{_DEFENCE}\b", "Ministry of Defence", "belligerent"),
        (r"\b(?:Border\s+(?:Guard|Security)\s+(?:Service|Force)|BSF)\b", "Border Guard Service", "belligerent"),
        (r"\b(?:army|military)\s+spokes(?:man|woman|person)\b|"
         r"\b(?:army|military|armed\s+forces|defen[cs]e\s+forces)\s+(?:said|says|reported|stated|claimed)\b",
         "Armed forces", "belligerent"),
        (r"\b(?:state\s+)?news\s+agency\b|\bstate\s+media\b|\bstate\s+television\b", "State media", "media"),
        (r"\bhealth\s+(?:ministry|officials|authorities)\b|\bministry\s+of\s+health\b|\bmedics\b",
         "Health officials", "other"),
        (r"\b(?:Human\s+Rights\s+Defender|Ombuds(?:man|person)|local\s+authorities|governor|head\s+of\s+the\s+"
         r"(?:village|community|district)|police|emergency\s+service)\b", "Local authorities", "other"),
    )
)
# Bodies whose name says nothing of their country.
CLAIMANT_COUNTRY = {"Inter-Services Public Relations (Pakistan)": "Pakistan", "Joint Forces Operation (Ukraine)": "Ukraine"}
# The leftmost claimant of a text wins; each alternative is a named group c<index into CLAIMANTS>.
ANY_CLAIMANT = any_of(
    [pattern.pattern for pattern, _, _ in CLAIMANTS], "c",
    gate=frozenset("""
    osce special smm unmogip un unifil undof eumm eu european euma monitoring monitors observers observer
    peacekeepers peacekeeping ispr inter general joint jfo defence defense ministry mod border bsf army military
    news state health medics human ombudsman ombudsperson local governor head police emergency
    """.split()),
)
