"""Word lists and patterns extraction uses: weapons, triggers, places, casualties and counts.

Kept apart from :mod:`incidents.extract.extractor` so that the lists can grow (new
theatres, new weapons) without touching the logic. Every pattern is compiled
once at import. Countries, actors and claimants (and the actor naming
convention) are in :mod:`incidents.extract.actor_rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from incidents import schema
from incidents.extract.regex import FoldedRegex, alternation, any_of
from incidents.geo import namesakes
from incidents.text.numbers import NUMBER_WORDS




# ---------------------------------------------------------------------------
# Weapons: canonical name, pattern, rank (heaviest wins at a place), sub-event type
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Weapon:
    name: str
    pattern: re.Pattern[str]
    rank: float
    sub_event_type: str


def _weapon(name: str, regex: str, rank: float, sub: str) -> Weapon:
    return Weapon(name, FoldedRegex(regex), rank, sub)


WEAPONS: tuple[Weapon, ...] = (
    _weapon("small arms", r"\bsmall[- ]arms?\b|\b(?:assault\s+)?rifles?\b|\bautomatic\s+(?:weapons?|fire)\b|"
            r"\bfirearms?\b|\bof\s+various\s+calibres?\b|\bgunfire\b|\bgunshots?\b", 1, schema.ARMED_CLASH),
    _weapon("sniper rifle", r"\bsnipers?\b", 1.2, schema.ARMED_CLASH),
    _weapon("machine gun", r"\b(?:heavy\s+|large[- ]calibre\s+)?machine[- ]guns?\b", 2, schema.ARMED_CLASH),
    # Ranked under machine guns: in an exchange of infantry weapons the clash is the event (Armed
    # clash); a grenade alone is a Grenade; dropped from a drone it is the drone's strike.
    _weapon("hand grenade", r"\b(?:hand\s+)?grenades?\b(?!\s+launchers?)", 1.9, schema.GRENADE),
    _weapon("landmine", r"\b(?:land)?mines?\b(?!\s*-?\s*(?:laying|clearance|clearing))|\banti[- ](?:personnel|tank)\s+mines?\b",
            3, schema.REMOTE_EXPLOSIVE),
    _weapon("IED", r"\bIEDs?\b|\bimprovised\s+explosive\s+devices?\b|\broadside\s+bombs?\b|\bexplosive\s+devices?\b",
            3.2, schema.REMOTE_EXPLOSIVE),
    _weapon("grenade launcher", r"\bgrenade[- ]launchers?\b|\bRPGs?\b|\bAGS(?:-17)?\b|\brocket-propelled\s+grenades?\b|"
            r"\b(?:fired|launched)\s+(?:\w+\s+){0,2}?grenades?\b",  # a grenade fired is a launcher's
            4, schema.ARMED_CLASH),
    _weapon("anti-tank missile", r"\banti[- ]tank\s+(?:guided\s+)?(?:missiles?|weapons?)\b|\bATGMs?\b", 4.5, schema.SHELLING),
    _weapon("mortar", r"\bmortars?\b|\b(?:60|82|120)\s*-?\s*mm\b", 5, schema.SHELLING),
    # (the word boundary first: lookbehinds tried at every position made this the costliest scan)
    _weapon("tank", r"\b(?<!anti-)(?<!anti\s)tanks?\b(?!\s+(?:mines?|traps?))|\binfantry\s+fighting\s+vehicles?\b|\bIFVs?\b|\bBMP\b", 5.2,
            schema.SHELLING),
    _weapon("drone", r"\bdrones?\b|\bUAVs?\b|\bunmanned\s+aerial\s+vehicles?\b|\bquadcopters?\b|\bloitering\s+munitions?\b",
            5.5, schema.AIR_DRONE),
    _weapon("shells", r"\bshells\b|\bshrapnel\b|\bshell\s+fragments?\b|\bprojectiles?\b", 4.8, schema.SHELLING),
    _weapon("artillery", r"\bartillery\b|\bhowitzers?\b|\bcannons?\b|\b(?:122|152|155)\s*-?\s*mm\b", 6, schema.SHELLING),
    _weapon("MLRS", r"\bMLRS\b|\bmultiple[- ]launch\s+rocket\s+systems?\b|\bGrad\b|\brocket\s+launchers?\b|\brockets?\b",
            7, schema.SHELLING),
    _weapon("missile", r"\b(?:ballistic|cruise)?\s*missiles?\b", 7, schema.SHELLING),
    _weapon("aircraft", r"\b(?:aircraft|air\s*strikes?|airstrikes?|air\s*raids?|warplanes?|(?:fighter\s+)?jets|fighter\s+jet|"
            r"helicopters?|gunships?|bombers?|aerial\s+(?:bombardments?|bombings?|attacks?|strikes?))\b",
            8, schema.AIR_DRONE),
)

# One scan finds every weapon: each alternative is a named group w<index into WEAPONS>.
ANY_WEAPON = any_of(
    [w.pattern.pattern for w in WEAPONS], "w",
    gate=frozenset("""
    small arms arm rifle rifles automatic firearm firearms calibre calibres gunfire gunshot gunshots sniper snipers
    machine grenade grenades mine mines landmine landmines anti ied ieds improvised roadside explosive rpg rpgs ags
    atgm atgms mortar mortars mm tank tanks infantry ifv ifvs bmp drone drones uav uavs unmanned quadcopter
    quadcopters loitering artillery howitzer howitzers cannon cannons mlrs multiple grad rocket rockets missile
    missiles ballistic cruise aircraft air airstrike airstrikes warplane warplanes fighter helicopter helicopters
    bomber bombers shells shrapnel shell projectile projectiles jets jet gunship gunships aerial
    """.split()),
)

# A drone or a mine is only an incident when it strikes or explodes.
DRONE_STRIKE = FoldedRegex(r"\b(?:drone|UAV|quadcopter)s?\s+(?:strike|attack|hit|struck|dropped|bomb|targeted|fired)|"
                          r"\b(?:dropped|drop)\b|\b(?:kamikaze|strike|attack)\s+drones?\b|\bdrone\s+strikes?\b|"
                          r"\bloitering\s+munitions?\b")
EXPLOSION = FoldedRegex(r"\b(?:explo(?:sion|sions|ded|de|ding)|detonat\w*|blew\s+up|blast|"
                       r"(?:hit|struck|stepped\s+on|triggered|ran\s+over|drove\s+over)\s+an?\s+(?:[\w-]+\s+)?(?:land)?mine)\b")

# ---------------------------------------------------------------------------
# Triggers: what makes a sentence describe an incident
# ---------------------------------------------------------------------------

# Bullets that flew or hit are fire, whoever fired them.
_BULLETS = (r"bullets?\s+(?:\w+\s+){0,2}?(?:fl(?:ying|ew)|whizz\w*|whistl\w*|hit|struck|pierc\w*)|"
            r"bullet\s+(?:impacts?|holes?|wounds?)")
# Wire verbs of heavy fire and of an exchange: "warplanes pounded X", "the two sides traded fire".
_WIRE_VERBS = (r"pound(?:ed|ing)|hammer(?:ed|ing)|lobb(?:ed|ing)|rain(?:ed|ing)\s+(?:down\s+)?(?:shells|rockets|bombs|fire)|"
               r"trad(?:ed|ing)\s+(?:\w+\s+)?(?:fire|gunfire|shots|strikes)|massacred?")
FIRE_TRIGGER = FoldedRegex(
    r"\b(?:fired|fires|firing|opened\s+fire|under\s+(?:[\w'’-]+\s+){0,3}?fire|shots|bursts\s+of|subjected\s+to\s+(?:\w+\s+)?fire|"
    r"(?:artillery|mortar|sniper|small[- ]arms|machine[- ]gun|"
    r"automatic|heavy|intense|tank|rocket)\s+fire|fire\s+(?:at|on|from|towards?)|shot\s+at|shooting|shelled|"
    r"shelling|shells?\s+(?:hit|landed|fell|struck)|bombard\w*|struck|strikes?|attack(?:ed|s|ing)?|assault(?:ed|s)?|"
    r"clash(?:ed|es)?|firefights?|gunfights?|gun\s+battles?|battl(?:e|es|ed|ing)|fight(?:ing|s)?|fought|"
    r"exchanges?\s+of\s+(?:\w+\s+)?fire|exchang(?:ed|ing)\s+(?:\w+\s+){0,2}?(?:fire|gunfire|shots|strikes)|"
    r"open\s+fire|gunfire|gunshots?|shots\s+(?:were\s+)?fired|bomb(?:ed|ing|ings)|air\s*raids?|air\s*strikes?|"
    r"raid(?:ed|s)?|stormed|mortared|rocketed|sabotage|infiltrat\w*|incursions?|"
    r"attempt\w*\s+to\s+(?:attack|advance|storm|break|seize|capture|cross)|"
    r"hostilities\s+(?:took\s+place|occurred|broke\s+out|erupted|flared|resumed)|"
    r"skirmish\w*|ambush\w*|targeted|targeting|hit|shot|"
    r"violat\w*\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+){0,2}?(?:cease-?fire|truce)|(?:cease-?fire|truce)\s+violations?|"
    r"violations?\s+of\s+the\s+(?:cease-?fire|truce)|provocations?|killed|wounded|injured|killing|wounding|"
    r"fire\s+(?:was|were|had\s+been)\s+opened|(?:was|were)\s+used\s+(?:in|during|against|on)|"
    r"used\s+(?:[\w-]+\s+){0,3}(?:mortars?|artillery|grenade\s+launchers?|machine[- ]guns?|small\s+arms|tanks?|"
    r"drones?|UAVs?|weapons)|using\s+(?:[\w-]+\s+){0,3}(?:mortars?|artillery|grenade\s+launchers?|machine[- ]guns?|"
    r"small\s+arms|tanks?|drones?|UAVs?)|"
    r"launch(?:es|ed)|impacts?|impacting|impacted|craters?|violations?\s+of\s+the\s+cessation\s+of\s+hostilities|"
    r"embraced\s+shahadat|martyred|damaged\s+by|(?:was|were)\s+damaged|"
    r"projectiles?\s+in\s+flight|shrapnel|"
    # what fire leaves or does, and a violation said to have happened somewhere
    + _BULLETS + r"|" + _WIRE_VERBS + r"|"
    r"use\s+of\s+(?:\w+\s+){0,2}?weapons|"
    r"violations?\s+(?:\w+\s+){0,2}?(?:occurred|took\s+place|(?:was|were)\s+(?:recorded|registered|observed)))\b",
)
STRONG_FIRE = FoldedRegex(
    r"\b(?:fired|firing|opened\s+fire|under\s+(?:[\w'’-]+\s+){0,3}?fire|shelled|shelling|bombard\w*|struck|"
    r"clash\w*|firefights?|"
    r"gunfights?|fought|gunfire|bombed|bombing|raided|ambushed|exchanged\s+fire|"
    r"shot|explo\w+|strikes?|air\s*strikes?|attacked|killed|wounded|injured|" + _BULLETS + r"|" + _WIRE_VERBS + r")\b")
LOOTING = FoldedRegex(r"\b(?:looted|looting|plunder\w*|pillag\w*|torched|set\s+(?:on\s+)?fire\s+to|"
                     r"burn(?:ed|t)\s+(?:down\s+)?(?:the\s+)?(?:houses?|homes?|property|crops|fields)|"
                     r"demolish\w*|vandali\w*)\b")
# "a strike", "strikes" with no weapon named: of the kind the report has been telling of.
BARE_STRIKE = FoldedRegex(r"\bstrikes?\b")
# "Two houses were damaged in X": damage told without the fire that did it.
DAMAGE = FoldedRegex(r"\b(?:(?:was|were|been)\s+)?(?:damaged|destroyed)(?:\s+by)?\b")
# "Later on Wednesday, ...", "In response, ...": a sentence that tells of what came next is another event.
NEXT_EVENT = FoldedRegex(r"^\W*(?:(?:\w+\s+)?later|afterwards|subsequently|shortly\s+after\w*|then|"
                         r"in\s+(?:response|retaliation|return))\b")
SHELLING_WORDS = FoldedRegex(r"\b(?:shell(?:ed|ing|s)?|bombard\w*|explosions?|exploded|craters?)\b")
# "The DPR representative claimed ...": a side named as the speaker is no actor of the sentence.
SPEAKER_AFTER = FoldedRegex(r"^\S+(?:\s+(?:armed\s+forces|army|military|side|forces))?(?:'s|’s)?\s+"
                            r"(?:representatives?|spokes(?:man|woman|person)|officials?|press\s+service|ministry|"
                            r"statement|said|says|claimed|claims|reported|denied|accused)\b")

# A verb in the past, or a word placing the sentence in the past: with no date anywhere, a sentence
# without one ("Aid groups say the fighting in X makes deliveries impossible", "The army accuses the
# rebels of shelling Y") speaks of a state of affairs, not of an event.
PAST_EVENT = FoldedRegex(
    r"\b(?:\w{2,}ed|hit|struck|shot|fought|came|come|broke|blew|fell|threw|heard|saw|took|began|ran|lost|"
    r"was|were|had|been|overnight|yesterday|earlier|ago|last)\b")
# "Militants had opened fire near X": the past before the past, which goes on telling of the earlier
# date the text gave, not the news of the day.
PAST_PERFECT = FoldedRegex(r"\bhad\s+(?:\w+ly\s+)?(?:been\s+)?(?:\w{2,}ed|hit|struck|shot|fought|come|broken|blown|fallen|"
                           r"thrown|heard|seen|taken|begun|run|lost)\b")
# "..., days after the two sides agreed a truce in X", "The clash came a week after a bombing in Y",
# "... after last week's strikes":
# what follows is an earlier event told in passing.
EARLIER_EVENT = FoldedRegex(r"\b(?:(?:a|one|two|three|four|five|six|several|few|\d+)\s+)?(?:days|weeks?|months?|years?)"
                            r"\s+(?:after|since)\b|\bafter\s+last\s+(?:week|month|year)['’]s\b")
# ", which has its headquarters in X,", ", who control Y,": a clause telling where a side is.
RELATIVE_CLAUSE = FoldedRegex(r",\s+(?:which|who)\s+(?:(?:has|have|had)\s+(?:its|their)\s+(?:headquarters|main\s+base|base)|"
                              r"controls?|controlled|holds?|held|runs?|ran|(?:is|are|was|were)\s+based)\b[^,;]*(?=,)")
# Sentences that never give an incident (design notes: "No incident for ...").
CUMULATIVE = FoldedRegex(
    r"\b(?:since\s+the\s+(?:beginning|start)\s+of(?!\s+(?:the\s+)?(?:day|today|this\s+day))|"
    r"since\s+(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December|the\s+ceasefire|the\s+truce|the\s+agreement|the\s+war|(?:19|20)\d\d)|"
    r"so\s+far\s+this\s+(?:year|month)|this\s+year|in\s+(?:19|20)\d\d\b|over\s+the\s+(?:past|last)\s+(?:month|year|"
    r"\d+\s+months)|during\s+the\s+(?:year|month)|previous\s+reporting\s+period|compared\s+(?:with|to)|"
    r"cumulative|to\s+date|in\s+total\s+since|a\s+total\s+of\s+[\d,]+\s+\w+\s+since|last\s+year|per\s+(?:day|week)|"
    r"on\s+average|every\s+day|previous\s+week|per\s*cent\s+(?:fewer|more|less|higher|lower)|"
    r"(?:fewer|more)\s+than\s+(?:the\s+)?(?:previous|last|a\s+week)|had\s+recorded|weekly|in\s+the\s+past\s+week|"
    r"over\s+the\s+week|in\s+recent\s+(?:weeks|months|years)|(?:a|one|two|three|four|five|six|several|few|\d+)\s+"
    r"(?:years?|months?|decades?)\s+(?:ago|earlier|before)|(?:has|have)\s+(?:also\s+)?seen|scene\s+of|"
    r"(?:worst|deadliest|fiercest|heaviest|bloodiest)\s+(?:\w+\s+){0,3}(?:since|of\s+the\s+(?:war|conflict)))\b",
)
NO_INCIDENT = FoldedRegex(
    r"\b(?:training\s+(?:exercise|ground)|military\s+exercises?|drills?|build-?ups?|"
    r"concentrat\w+\s+(?:of\s+)?(?:troops|forces|equipment)|redeploy\w*|amass\w*|reinforce\w*|"
    r"(?:moved|moving|sent|sending|rushed|dispatched)\s+(?:\w+\s+){0,2}(?:troops|forces|units|reinforcements|tanks)|"
    r"reconnaissance|surveillance|overflights?|(?<!bullets\s)(?<!shells\s)flew\s+over|airspace|"
    r"(?:shot\s+down|downed)\s+(?:\w+\s+){0,3}?(?:drones?|UAVs?|quadcopters?)|"
    r"(?:drones?|UAVs?|quadcopters?)\s+(?:was|were)\s+(?:shot\s+down|downed|eliminated|suppressed|intercepted)|"
    r"demining|mine\s+clearance|"
    r"(?:laid|laying|planted|planting|placed|placing|installed|installing)\s+(?:\w+\s+){0,3}(?:land)?mines|"
    r"mine-?laying|threaten(?:s|ed)?|vowed|would\s+respond|will\s+respond|exhumation|prisoner\s+exchange|"
    r"handed\s+over|repatriat\w*|commemorat\w*|funeral|anniversary|deploy(?:ed|ing|s|ment)|"
    r"fled|flee\w*|displac\w*|"
    # "the truce held": no violation in this clause (another clause may still tell of fire)
    r"(?:adhered|adhering|adheres|complied|complying)\s+(?:\w+\s+){0,2}(?:to|with)\s+(?:the\s+)?(?:cease-?fire|truce)|"
    r"(?:cease-?fire|truce)\s+(?:largely\s+|mostly\s+|generally\s+)?(?:held|holds|was\s+(?:observed|respected)))\b",
)
# Nothing was fired, or what blew up was no attack ("no rockets were fired", "destroyed by
# sappers"), or a death of another cause.
ACCIDENT = FoldedRegex(r"\b(?:(?:observed|heard|recorded|saw|reported)\s+no\b|no\s+(?:ceasefire\s+)?violations?\b|"
                       r"warning\s+shots?|"
                       r"no\s+(?:\w+\s+)?(?:rockets?|missiles?|shells?|shots?)\s+(?:was|were|had\s+been)\s+fired|"
                       r"sappers|defus\w*|controlled\s+(?:detonation|explosion)|bomb\s+disposal|"
                       r"accident\w*|careless\w*|negligen\w*|traffic|car\s+crash|"
                       r"drown\w*|suicide|heart\s+attack|illness|self-inflicted|mishandl\w*)\b")
TALKS = FoldedRegex(r"\b(?:talks|meeting|summit|negotiat\w*|peace\s+(?:process|deal|treaty|agreement)|met\s+with|"
                   r"foreign\s+ministers?|diplomat\w*|mediat\w*|signed|envoy|phone\s+call|"
                   r"called\s+on|urged|appealed|agree[ds]?(?=[^.;]{0,60}\b(?:cease-?fire|truce|deal|accord)))\b")
# What has not happened (warnings, forecasts, conditions): a fire word after these, in the same
# clause, tells of no event ("warned it would respond to any shelling", "fighting could resume").
FORECAST = FoldedRegex(r"\b(?:would|could|might|will|shall|threaten\w*|warn\w*|vow\w*|plann?\w*\s+to|"
                       r"prepar\w*\s+to|intend\w*|fears?|feared|risks?|in\s+case\s+of|if|unless|only\s+when|whenever|"
                       r"(?:is|are)\s+(?:going|expected|likely)\s+to|ready\s+to)\b")
# Where a new clause starts: "talks in X failed, and that the enemy shelled Y".
CLAUSE_BREAK = re.compile(r",\s*(?:and|but|while|whereas|following\s+which|after\s+which)\b|;|\band\s+that\b|\.\s|"
                          r"\s[-\u2013\u2014]\s")
# A sentence that only says where a place lies ("X is located 5 km north of Y") sets no scene.
LOCATED = FoldedRegex(r"\b(?:located|situated|lies|lying)\b")
# A place right after these is where talks were held, not an event place ("rebel-held" is no venue).
# "talks resumed in Geneva", but not "opened fire in the Uri sector", "began shelling in ...".
VENUE_BEFORE = FoldedRegex(r"\b(?:resumed|(?<!-)held|opened|began|met|meet|meeting|gathered|convened|hosted|talks)\s+"
                           r"(?!(?:fire|firing|shelling|shooting|attacks?|an?\s+attack)\b)"
                           r"(?:\w+\s+){0,2}(?:in|at)\s+(?:the\s+)?$")
VAGUE = FoldedRegex(r"\b(?:upsurge|surge|escalat\w*|increase[ds]?|rise|rising|intensif\w*|sporadic|tensions?|"
                   r"continu\w+\s+(?:to\s+)?(?:violat|fight|clash|shell|hostil)\w*|ongoing|persistent|"
                   r"(?:fighting|clashes|shelling|hostilities|violence)\s+(?:has\s+|have\s+)?continu\w+|"
                   r"for\s+(?:a|the)\s+\w+\s+(?:straight\s+)?(?:day|week)|"
                   r"regular\w*|periodic\w*|tense|accus\w+\s+each\s+other|"
                   r"mutual\s+accusations|condemn\w*|denounc\w*|deplor\w*|(?:series|wave|spate)\s+of)\b")
DENIAL = FoldedRegex(
    r"\b(?:denied|denies|deny|denial|refuted|refutes|rejected|rejects|dismissed|untrue|not\s+true|false|fake|"
    r"disinformation|misinformation|fabricat\w*|groundless|baseless|did\s+not\s+(?:open\s+fire|fire|violate|shell|"
    r"attack)|had\s+not\s+(?:opened\s+fire|fired|violated|shelled)|no\s+truth|does\s+not\s+correspond|"
    r"(?:information|allegations?|claims?|reports?)\s+(?:spread|disseminated|circulated|made|published)\s+by)\b",
)

# Appeals ("urges the other side to refrain from spreading disinformation") deny nothing.
APPEAL = FoldedRegex(r"\b(?:urges?|urged|calls?\s+on|called\s+on|refrain|appeals?\s+to)\b")

# In a denial, what follows these words is the other side's own claim.
COUNTER_CLAIM = FoldedRegex(r"\b(?:adding\s+that|added\s+that|accus\w+|instead|in\s+fact|on\s+the\s+contrary|"
                           r"while\s+it\s+was|it\s+was\s+the|(?:and|but)\s+said|saying)\b")
# "Pakistan's military said Indian troops had opened fire first": a counter-accusation, which
# disputes the earlier claim and is itself an incident.
COUNTER_ACCUSATION = FoldedRegex(r"\b(?:opened\s+fire|fired|started\s+(?:the\s+)?(?:firing|shooting|exchange)|"
                                 r"initiated\s+(?:the\s+)?(?:firing|exchange))\s+first\b|\bprovoked\s+the\b")

# ---------------------------------------------------------------------------
# Places: words before a name that change its precision or role
# ---------------------------------------------------------------------------

_SETTLEMENT_WORD = (r"(?:the\s+)?(?:villages?|towns?|cit(?:y|ies)|settlements?|hamlets?|townships?|communit(?:y|ies)|"
                    r"localit(?:y|ies)|areas?)\s+of\s+")  # "near the villages of A and B"
NEAR_BEFORE = FoldedRegex(
    r"(?:\bnear|\bnearby|\boutskirts\s+of|\bvicinity\s+of|\bdirection\s+of|\bclose\s+to|\baround|\boutside|"
    r"\barea\s+of|\bapproaches\s+to|\benvirons\s+of|\bedge\s+of|\bsector|"
    r"\bpositioned\s+(?:[\w-]+\s+){0,5}?(?:in|at|near|on|of)|\bwhile\s+in|"
    r"\b(?:camera|cameras)\s+in|\b(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
    r"(?:\s+outskirts)?\s+(?:of|from)|\bkm\s+(?:\w+\s+){0,2}(?:of|from))\s+(?:the\s+)?(?:" + _SETTLEMENT_WORD + r")?"
    r"(?:\w+\s+){0,1}$",
)
FROM_BEFORE = FoldedRegex(
    r"(?:\bstationed\s+(?:in|near|at|around|on)\s+(?:the\s+)?(?:directions?\s+of\s+)?(?:the\s+)?|"
    r"\barmed\s+forces\s+located\s+(?:in|near|at)\s+(?:the\s+)?(?:directions?\s+of\s+)?(?:the\s+)?|"
    r"\bfrom\s+(?:the\s+)?)(?:direction\s+of\s+|positions?\s+(?:in|near|at)\s+|area\s+of\s+|territory\s+of\s+|"
    r"side\s+of\s+|outskirts\s+of\s+|villages?\s+of\s+|settlements?\s+of\s+|towns?\s+of\s+)?(?:the\s+)?"
    r"(?:(?:north|south|east|west)(?:ern)?(?:-?(?:east|west)(?:ern)?)?\s+)?"
    r"(?:" + _SETTLEMENT_WORD + r")?$",
)
TARGET_BEFORE = FoldedRegex(
    r"\b(?:at|on|towards?|targeting)\s+(?:our|the|their|its|[a-z]+(?:ian|ani|i|ese))?\s*(?:combat\s+|army\s+|military\s+)?"
    r"(?:positions?|posts?|outposts?)\s+(?:[\w-]+\s+){0,3}?(?:near|in|at|of|around)\s+(?:the\s+)?"
    r"(?:(?:villages?|settlements?|towns?)\s+of\s+)?$")
# "the positions of the Azerbaijani Army units stationed in the direction of X": X is the target.
TARGET_UNITS_BEFORE = FoldedRegex(
    r"\bpositions\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,4}?(?:units|forces|army|troops|subdivisions),?\s+"
    r"(?:stationed|located|deployed)\s+(?:in|near|at|around|on)\s+(?:the\s+)?(?:directions?\s+of\s+)?(?:the\s+)?"
    r"(?:(?:villages?|settlements?|towns?)\s+of\s+)?$")
# "143 violations in Luhansk region, most of them near Popasna": the region is the incident.
DESCRIPTIVE_BEFORE = FoldedRegex(r"\b(?:most|mainly|mostly|majority|many)\s+of\s+them\b[^.;]{0,70}$|"
                                 r"\b(?:mainly|mostly|chiefly)\s+(?:in|near|around)\b[^.;]{0,50}$")
PART_OF_BEFORE = re.compile(r"(?i)\b(?:north|south|east|west|central)\w*(?:-\w+)?\s+(?:part|areas?)\s+of\s+(?:the\s+)?$")
BETWEEN_BEFORE = FoldedRegex(r"\bbetween\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$")
STREET_WORDS = FoldedRegex(r"\b(?:street|avenue|square|road|lane|boulevard|highway|market)$")
# Between two places of one list (matched up to the next place's start).
LIST_GAP = re.compile(r"\s*(?:,|\band\b|\bor\b|,\s*and\b|,\s*or\b)\s*(?:the\s+)?(?:(?:villages?|settlements?|towns?)\s+(?:of\s+)?)?$")
LIST_JOIN = FoldedRegex(r"^\s*(?:,|and|,\s*and|or)\s*(?:the\s+)?$")
PART_OF_JOIN = FoldedRegex(r"^\s*(?:villages?|settlements?|towns?|city|sector|area)?\s*(?:of|,|in)\s*(?:the\s+)?$")
REFERENCE_BEFORE = FoldedRegex(r",\s*(?:(?:about\s+)?\d+\s*(?:km|kilomet\w+)\s+)?(?:north|south|east|west)[\w-]*\s+of\s+"
                              r"(?:the\s+)?(?:[\w-]+\s+){0,3}$|"
                              # "the town of X, near Y": Y only says where X is
                              r",\s*near\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?$|"
                              # "a city 700 kilometres south-east of Kyiv": a distance from it locates the other
                              r"\b\d[\d,.]*\s*(?:km|kilomet\w+|miles?)\s+(?:[\w-]+\s+){0,4}(?:of|from)\s+(?:the\s+)?$")
REGION_WORD_AFTER = FoldedRegex(r"^\s*(?:district|province|region|rayon|raion|oblast|governorate|marz|county|"
                               r"municipality|division|tehsil)\b")
AGREEMENT_AFTER = FoldedRegex(r"^\s*(?:agreements?|accords?|protocols?|format|group|talks|process|memorandum|"
                             r"declaration|summit|format)\b")
# "the Red Sea port of X", "the Syria border town of X": the name only says where X lies.
ATTRIBUTE_AFTER = FoldedRegex(r"^\s+(?:(?:border|coastal|frontline|front-line)\s+(?:town|city|village)|port)\s+of\s+[A-Z]")
DIRECTION_OF_BEFORE = FoldedRegex(r"\b(?:north|south|east|west)(?:ern)?(?:-?(?:east|west)(?:ern)?)?\s+of\s+(?:the\s+)?$|"
                                  r"\b(?:outskirts|edge|vicinity)\s+of\s+(?:the\s+)?$")
BEARING = FoldedRegex(r"\b\d+(?:[.,]\d+)?(?:\s*(?:-|\u2013|to)\s*\d+(?:[.,]\d+)?)?\s*(?:km|kilomet(?:re|er)s?)\s+"
                     r"(?:to\s+the\s+)?(?:north|south|east|west)")
NOT_EVENT_PLACE_BEFORE = FoldedRegex(
    r"\b(?:speaking|spoke|talks|summit|meeting|met|conference|told\s+(?:reporters|journalists)|statement|"
    r"visit\w*|interview|briefing|based|headquartered|embassy|consulate|flew|travel\w*|arrived|returned|"
    r"resident|native|hails|born|hometown|hospital|taken|evacuated|transferred|agreement|reached|signed|(?<!-)held|"
    r"funeral|burial|buried|mourn\w*|headquarters|fled|flee\w*|displaced|refuge|shelter\w*)\s+"
    r"(?:\w+\s+){0,2}(?:in|at|to|of|from)\s+(?:the\s+)?$",
)
SPEECH_AFTER = FoldedRegex(r"^\s*(?:'s\s+)?(?:said|says|claimed|claims|accused|accuses|denied|denies|insists|"
                          r"responded|reported|announced|blamed|warned|officials?|authorities|government)\b")
# A place name that names a body (a side, an administration, a republic) is no event place.
GROUP_AFTER = FoldedRegex(r"^\s*(?:People's\s+Republic|People’s\s+Republic|separatists?|militants?|-backed|"
                          r"(?:self-proclaimed\s+)?republic|(?:(?:city|town|village|regional|district|military-civil(?:ian)?|state)\s+)*"
                          r"(?:administration|council|police|prosecutor\w*|governor\w*|mayor\w*)|"
                          # a news outlet named after a city: "Luhansk Inform Center", "Donetsk News Agency", "Gaza TV"
                          r"inform(?:ation)?\s+(?:cent(?:er|re)|agency|bureau)|news(?:\s+agency)?|"
                          r"press\s+(?:cent(?:er|re)|service)|tv|television|radio|"
                          r"(?:\([\w\s]+\)\s+)?(?:operational[- ]tactical\s+group|task\s+force|brigade|battalion|"
                          r"regiment|corps))\b")
# "shelling was heard all the way to X": where it was heard, not where it fell.
HEARD_AS_FAR_BEFORE = FoldedRegex(r"\b(?:all\s+the\s+way\s+to|as\s+far\s+(?:away\s+)?as)\s+(?:the\s+)?$")
# A capital or country as the one accused or addressed stands for its government.
SIDE_BEFORE = FoldedRegex(r"\b(?:accus\w+|blam\w+|urg\w+|called\s+on|calls\s+on|warn\w+|told|"
                          r"self-proclaimed|so-called)\s+(?:the\s+)?$")
# A sentence that says where the incident just told of happened ("The incident occurred near X").
LOCATES_EVENT = FoldedRegex(r"\b(?:incident|attack|shelling|fire|firing|violation|provocation|it|this)\s+"
                            r"(?:occurred|took\s+place|happened|was\s+(?:recorded|registered))\b")
# "in the X direction", "X sector": a sector named after a place, context when a finer place is named
SECTOR_AFTER = FoldedRegex(namesakes.SECTOR_AFTER)
PLACE_NEAR_AFTER = FoldedRegex(r"^\s*(?:sector|direction|area|front|axis|outskirts|environs|vicinity|section)\b")

# ---------------------------------------------------------------------------
# Casualties and counts
# ---------------------------------------------------------------------------

_NUM = r"(?:\d[\d,]*|" + alternation([w for w in NUMBER_WORDS if w not in ("twice", "once")]) + ")"
_FILLER = (r"(?:(?!(?:and|or|of|in|on|at|by|when|were|was|killed|wounded|injured|died|dead|Jan\w*|Feb\w*|Mar\w*|"
           r"Apr\w*|May|Jun\w*|Jul\w*|Aug\w*|Sep\w*|Oct\w*|Nov\w*|Dec\w*)\b)[\w'-]+\s)")
_PEOPLE = (r"(?:" + _FILLER + r"{0,3}?(?:soldiers?|servicem[ae]n|service\s+members?|troops|militar(?:y|ies)|"
           r"civilians?|people|persons?|residents?|villagers?|farmers?|shepherds?|children|child|boys?|girls?|"
           r"wom[ae]n|m[ae]n|fighters?|militants?|officers?|policem[ae]n|guards?|border\s+guards?|"
           r"contract\s+soldiers?|conscripts?|privates?|sergeants?|members?|personnel|workers?|others|"
           r"peacekeepers?|casualties|riders?|drivers?|passengers?|passers?-by|operatives?|sepoys?|porters?|"
           r"teenagers?|youths?|students?|herders?))")
CIVILIAN = FoldedRegex(r"\b(?:civilians?|residents?|villagers?|farmers?|shepherds?|children|child|boys?|girls?|"
                      r"wom[ae]n|locals?|inhabitants?|homes?|houses?|residential|schools?|kindergartens?|"
                      r"hospitals?|civilian\s+(?:infrastructure|objects?|cars?|vehicles?)|passers-?by|pensioners?|"
                      r"workers?|journalists?)\b")
CIVILIAN_TARGET = FoldedRegex(
    r"\b(?:fired|opened\s+fire|shot|attacked|beat|beaten|abducted|detained|kidnapped|assaulted|targeting)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:at\s+|on\s+|upon\s+|towards?\s+)?(?:\w+\s+){0,2}?"
    r"(?:civilians?|residents?|villagers?|farmers?|shepherds?|wom[ae]n|children|passers-?by|workers?|"
    r"homes|houses|residential|schools?)|"
    r"\b(?:civilians?|residents?|villagers?|farmers?|shepherds?|wom[ae]n|child|boy|girl|man|workers?)\s+(?:\w+\s+){0,3}"
    r"(?:was|were)\s+(?:shot|attacked|beaten|abducted|kidnapped|detained|assaulted)")
# "opened fire on the village of X": fire at a settlement, an attack on civilians when it hit them.
FIRE_ON_SETTLEMENT = FoldedRegex(r"\b(?:fired|opened\s+fire|shot)\s+(?:\w+\s+){0,2}?(?:at|on|upon|into)\s+(?:the\s+)?"
                                 r"(?:villages?|towns?|settlements?|neighbou?rhoods?|residential)\b")
# Civilians or their homes were hit (ACLED's civilian_targeting, as the design notes use it).
CIVILIAN_HIT = FoldedRegex(
    r"\b(?:hit|struck|damaged|destroyed|at|on|targeting|shelled)\s+(?:\w+\s+){0,3}?"
    r"(?:civilians?|residents?|villagers?|homes?|houses?|residential|schools?|farmers?|shepherds?|"
    r"kindergartens?|hospitals?|civilian)")
# Two armed sides (a clash, a ceasefire broken across a line): fire that hits civilians in such a
# sentence is that fight's, not an attack on them.
TWO_SIDED = FoldedRegex(r"\b(?:clash\w*|firefights?|gunfights?|gun\s+battles?|battl\w+|fight(?:ing|s)?|fought|"
                        r"exchang\w+\s+(?:\w+\s+){0,2}?(?:fire|gunfire|shots)|exchanges?\s+of\s+(?:\w+\s+)?fire|"
                        r"returned\s+fire|repell?\w*|retaliat\w*|skirmish\w*|cease-?fire|truce|"
                        r"cross-?border|across\s+the\s+(?:border|line))\b")
MILITARY_TARGET = FoldedRegex(
    r"\b(?:at|on|upon|targeting|against)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:positions?|posts?|outposts?|soldiers?|"
    r"servicem[ae]n|troops|trenches|units?|patrols?)\b|\b(?:soldiers?|servicem[ae]n|troops)\s+(?:\w+\s+){0,2}"
    r"(?:were|was)\s+(?:killed|wounded|injured)\b|\b(?:killing|killed|wounding|wounded|injuring|injured)\s+"
    r"(?:\w+\s+){0,2}?(?:soldiers?|servicem[ae]n|troops|fighters|militants|policem[ae]n|police\s+officers|guards)\b")
KILLED = (r"(?:killed|died|dead|embraced\s+shahadat|martyred|lost\s+(?:their|his|her)\s+lives?|"
          r"fatally\s+(?:wounded|injured)|shot\s+dead|perished)")
HURT = (r"(?:wounded|injured|hurt|injuries|wounds|sustained\s+(?:\w+\s+)?(?:wounds|injuries)|"
        r"received\s+(?:\w+\s+)?(?:wounds|injuries))")
CASUALTY_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "two soldiers were killed", "a serviceman was wounded", "three civilians injured"
    (FoldedRegex(rf"\b(?P<n>{_NUM})\s+{_PEOPLE}\s+(?:(?!and\b|or\b|but\b)[\w,]+\s+){{0,4}}?"
                rf"(?:were|was|have\s+been|has\s+been|had\s+been|got)?"
                rf"\s*(?:(?!and\b)\w+\s+)?(?P<verb>{KILLED}|{HURT})"), ""),
    # "killing two soldiers", "wounded three civilians", "shot dead a farmer", "killing its rider"
    (FoldedRegex(rf"\b(?P<verb>killing|killed|shot\s+dead|shooting\s+dead|wounding|wounded|injuring|injured)\s+"
                 rf"(?:at\s+least\s+)?"
                 rf"(?P<n>{_NUM}|its|his|her|their)\s+"
                rf"{_PEOPLE}"), ""),
    # "two dead", "three wounded", "4 injured"
    (FoldedRegex(r"\b(?P<n>\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?P<verb>dead|killed|wounded|injured)\b"),
     ""),
    # one person named or described: "Sepoy X, resident of Y, embraced shahadat", "received a gunshot wound"
    (FoldedRegex(r"\b(?P<n>was|has\s+been)\s+(?P<verb>killed|martyred|shot\s+dead|wounded|injured)\b|"
                 r"\b(?P<n2>embraced)\s+(?P<verb2>shahadat)\b|"
                 r"\b(?P<n3>received|sustained|suffered)\s+(?:an?\s+)?(?:\w+\s+)?(?P<verb3>wound|injury)\b"), "one"),
    # "X of them were wounded" is rare; "one dead and two wounded" covered above.
)
# Applied to folded text by casualties_in (so a plain lower-case pattern).
NO_CASUALTIES_BLANK = re.compile(
    r"\b(?:no\s+(?:one|body)|nobody|none)\s+(?:was|were)\s+(?:\w+\s+)?(?:hurt|injured|killed|wounded)\b|"
    r"\bno\s+(?:casualties|injuries|losses|deaths?|fatalities|loss\s+of\s+life)\b|\bwithout\s+casualties\b")
CASUALTY_TAIL = re.compile(
    rf"\s+and\s+(?:(?P<n>\w+)\s+(?:\w+\s+)?(?P<verb>{HURT}|{KILLED})|"
    r"(?P<verb2>wounded|injured|killed|wounding|injuring|killing)\s+(?:at\s+least\s+)?(?P<n2>\w+))\b")
# Counts are stated numbers: "a violation" or "several times" is no count.
_COUNT_NUM = r"(?:\d[\d,]*|" + alternation([w for w, n in NUMBER_WORDS.items()
                                             if w not in ("a", "an", "another", "several", "few", "a few", "dozen",
                                                          "dozens", "hundreds", "scores", "both")]) + ")"
# (each gated on the word every match holds: the number alternation is long, most sentences count nothing)
COUNT_PATTERNS: tuple[FoldedRegex, ...] = (
    FoldedRegex(rf"\bviolat\w*\s+(?:the\s+)?(?:ceasefire|truce)(?:\s+regime)?\s+(?P<n>{_COUNT_NUM})"
                r"(?:\s+times)?\b", gate=frozenset(("ceasefire", "truce"))),
    FoldedRegex(rf"\b(?P<n>{_COUNT_NUM})\s+(?:\w+\s+){{0,2}}?(?:ceasefire\s+)?(?:violations?|"
                r"cases\s+of\s+(?:ceasefire\s+)?violations?)\b", gate=frozenset(("violation", "violations"))),
    FoldedRegex(rf"\b(?P<n>{_COUNT_NUM})\s+times\b", gate=frozenset(("times",))),
)
