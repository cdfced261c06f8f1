"""Short reports of the commonest shapes, each giving exactly its incident, and the sentences
that give none (talks, a ceasefire that held, totals, forecasts, history, denials).

Invented sentences, read with the real offline gazetteer: the extractor and the geoparser
together, as a user meets them. Each row is a class of report, not a report we have seen.
"""

from __future__ import annotations

import pytest

from incidents import schema
from incidents.extract.extractor import extract, extract_explained
from incidents.geo.geoparse import get_geoparser
from incidents.reports.model import Report

SHELLING, CLASH, AIR = schema.SHELLING, schema.ARMED_CLASH, schema.AIR_DRONE


@pytest.fixture(scope="module")
def geoparser():
    return get_geoparser()


def _extract(geoparser, text: str, published: str) -> list[dict]:
    return extract(Report(id="shape", text=text, published=published), geoparser)


# (publication day, report, [(a word of the location, event_date, sub_event_type), ...])
SHAPES = [
    # a side's nationality is context, never the place's country
    ("2022-06-04", "Russian forces shelled Avdiivka on 3 June 2022, the regional governor said.",
     [("Avdiyivka", "2022-06-03", SHELLING)]),
    ("2022-03-09", "Azerbaijani forces fired mortars at Sotk on March 8, 2022.", [("Sotk", "2022-03-08", SHELLING)]),
    # a ministry's statement: a window, a unit, weapons, a village
    ("2022-03-11", "From 14:00 to 16:30 on 10 March, units of the enemy fired mortars at our positions near Horlivka.",
     [("Horlivka", "2022-03-10", SHELLING)]),
    # a dateline of every shape is never the event place
    ("2023-05-04", "BAKU (Agency \u2013 4th May, 2023) \u2013 Armenian units fired small arms at positions near Kalbajar.",
     [("Kalbajar", "2023-05-04", CLASH)]),
    ("2022-03-11", "Title of the story\n\nYEREVAN \u2014 Two soldiers were wounded when mortars hit a post near Sotk on "
                   "Thursday.", [("Sotk", "2022-03-10", SHELLING)]),
    ("2021-02-23", "JAMMU, Feb 22: Troops fired mortars at posts in the Uri sector, a defence spokesman said.",
     [("Uri", "2021-02-22", SHELLING)]),
    ("2021-02-23", "SRINAGAR, Feb 22 (Wire) Troops fired mortars at posts in the Uri sector.",
     [("Uri", "2021-02-22", SHELLING)]),
    ("2020-02-25", "Title\n\nBaku / 02.24.20 / Wire: On 24 February, units fired mortars at posts near Tovuz.",
     [("Tovuz", "2020-02-24", SHELLING)]),
    # a list of places shares the clause's date and weapons: one incident each
    ("2022-05-13", "On 12 May, the enemy shelled Horlivka, Avdiivka and Marinka with 122mm artillery.",
     [("Horlivka", "2022-05-12", SHELLING), ("Avdiyivka", "2022-05-12", SHELLING),
      ("Mar", "2022-05-12", SHELLING)]),
    # ... names the gazetteer lacks included, and whatever word follows the list
    ("2022-05-13", "On 12 May, the enemy fired on Zaitseve, Qorthivka, Zzyzx and Avdiivka with mortars.",
     [("Avdiyivka", "2022-05-12", CLASH), ("Qorthivka", "2022-05-12", CLASH),
      ("Zaitseve", "2022-05-12", CLASH), ("Zzyzx", "2022-05-12", CLASH)]),
    # weapons named for a list of places together: a clash at each, unless they are said to be shelled
    ("2022-05-13", "On 12 May, the enemy fired on our positions near Horlivka and Avdiivka using grenade "
                   "launchers and infantry fighting vehicles.",
     [("Avdiyivka", "2022-05-12", CLASH), ("Horlivka", "2022-05-12", CLASH)]),
    # ... but a place of the list said to be shelled elsewhere in the report was shelled
    ("2022-05-13", "On 12 May, near Horlivka and Avdiivka the enemy opened fire with mortars and heavy machine "
                   "guns. The shelling of Avdiivka damaged a school.",
     [("Avdiyivka", "2022-05-12", SHELLING), ("Horlivka", "2022-05-12", CLASH)]),
    # a region's weapons, mortars among small arms, say nothing of the place each was used at
    ("2022-05-13", "On 12 May, the enemy used small arms and, six times, mortars. Most ceasefire violations "
                   "occurred in the Donetsk region. Positions near Avdiivka came under fire in the evening.",
     [("Avdiyivka", "2022-05-12", CLASH)]),
    # what came next, or the target firing back, is another event: its weapons are not the last one's
    ("2022-08-04", "On Wednesday morning, rebels fired at army positions in the Lachin district. Later on "
                   "Wednesday, the army said it had carried out a drone strike against the rebels.",
     [("Lachin", "2022-08-03", CLASH)]),
    ("2022-08-04", "On Wednesday morning, Armenian units fired at Azerbaijani positions in the Lachin district. "
                   "Azerbaijani units fired back with mortars.", [("Lachin", "2022-08-03", CLASH)]),
    # damage told without the fire that did it is that fire's
    ("2022-05-13", "On 12 May, the enemy shelled Zaitseve. Two houses were damaged in Avdiivka.",
     [("Avdiyivka", "2022-05-12", SHELLING), ("Zaitseve", "2022-05-12", SHELLING)]),
    # gunfire at homes or people with no armed opponent is an attack on civilians; an exchange is a clash
    ("2023-05-02", "Militants fired at houses in Sotk on Monday.", [("Sotk", "2023-05-01", schema.ATTACK)]),
    ("2023-05-02", "Gunmen opened fire on villagers in Beni on Sunday.", [("Beni", "2023-04-30", schema.ATTACK)]),
    ("2023-05-02", "Troops and rebels exchanged fire near houses in Beni on Sunday.", [("Beni", "2023-04-30", CLASH)]),
    # ... so is fire on a village that hit its people, said in the same sentence or the next
    ("2023-05-02", "Gunmen opened fire on the village of Beni on Sunday, wounding two residents.",
     [("Beni", "2023-04-30", schema.ATTACK)]),
    ("2022-05-13", "On 12 May, militants opened fire on the village of Sotk with small arms. A local woman was "
                   "wounded by a bullet and taken to hospital.", [("Sotk", "2022-05-12", schema.ATTACK)]),
    ("2022-05-13", "On 12 May, the enemy opened fire on our positions near the village of Sotk. A soldier was "
                   "wounded.", [("Sotk", "2022-05-12", CLASH)]),
    # aircraft by any of their names, and a drone that struck, are an air or drone strike
    ("2023-05-02", "Israeli jets struck targets in Khan Younis on Monday.", [("Kh", "2023-05-01", AIR)]),
    ("2023-05-02", "The junta carried out an aerial bombardment of a village near Mandalay on Monday.",
     [("Mandalay", "2023-05-01", AIR)]),
    ("2023-05-02", "A drone targeted a car in Nabatieh on Monday, killing two people.",
     [("Nabat", "2023-05-01", AIR)]),
    # grenades that are fired are a launcher's: a clash
    ("2022-05-13", "On 12 May, the enemy fired 13 grenades at positions near Horlivka.",
     [("Horlivka", "2022-05-12", CLASH)]),
    # a unit named after a place is no event place
    ("2022-05-13", "In the area of the Eastvale task force, the enemy fired on 12 May at positions near Avdiivka.",
     [("Avdiyivka", "2022-05-12", CLASH)]),
    # rolling windows: the later day of the two
    ("2022-02-10", "Over the past 24 hours, the enemy opened fire on our positions near Svitlodarsk.",
     [("Svetlodarsk", "2022-02-10", CLASH)]),
    # a side's nationality does not make a same-named province abroad the report's country,
    # and fire "opened in" a sector is no meeting's venue
    ("2022-05-13", "On 12 May, Pakistani troops opened fire in the Uri sector.", [("Uri", "2022-05-12", CLASH)]),
    # a month name that is also a word
    ("2022-05-06", "On May 5, mortar shells hit Shyrokyne, the mission said.", [("Shyrokyne", "2022-05-05", SHELLING)]),
    # the passive voice and weapons "used" are fire too
    ("2022-05-13", "On 12 May, fire was opened on our positions near Svitlodarsk.",
     [("Svetlodarsk", "2022-05-12", CLASH)]),
    ("2022-05-13", "On 12 May, machine guns were used in the attacks on positions near Avdiivka.",
     [("Avdiyivka", "2022-05-12", CLASH)]),
    # sides and direction: fire across the line is placed at the target
    ("2022-05-06", "A rocket fired from Lebanon hit a military post near Metula on Thursday.",
     [("Metula", "2022-05-05", SHELLING)]),
    # a count for a region is a region-level incident when the report places none of it
    ("2022-05-06", "On 5 May, the SMM recorded 215 ceasefire violations in Donetsk region.",
     [("Donetsk", "2022-05-05", CLASH)]),
    # a conflict zone is no event place, but a part of it named as where fire fell is
    ("2022-05-13", "On 12 May, mortars were fired across the Line of Control into Kashmir.", []),
    ("2022-05-13", "On 12 May, drone strikes hit army positions in the north-western part of the Nagorno-Karabakh "
                   "region.", [("Nagorno-Karabakh", "2022-05-12", AIR)]),
    # a sector named after a town is context when the sentence names the village hit
    ("2022-05-13", "On the Horlivka direction, the enemy shelled the village of Zaitseve on 12 May.",
     [("Zaitseve", "2022-05-12", SHELLING)]),
    # a place a distance is measured from, a capital accused, a body named after a city: not event places
    ("2022-05-13", "On 12 May, mortars hit Avdiivka, a city 700 kilometres south-east of Kyiv.",
     [("Avdiyivka", "2022-05-12", SHELLING)]),
    # capitals standing for governments and a venue of talks do not say where the events are
    ("2022-05-13", "Kyiv blamed Moscow for the shelling of Avdiivka on 12 May.", [("Avdiyivka", "2022-05-12", SHELLING)]),
    ("2022-05-13", "Talks were held in Moscow. On 12 May, mortars hit Avdiivka.", [("Avdiyivka", "2022-05-12", SHELLING)]),
    ("2022-05-13", "On 12 May, the ministry accused Baku of shelling the village of Sotk.",
     [("Sotk", "2022-05-12", SHELLING)]),
    ("2022-05-13", "Sources in the Horlivka city administration said mortars hit Zaitseve on 12 May.",
     [("Zaitseve", "2022-05-12", SHELLING)]),
    ("2022-05-13", "On 12 May, mortars hit Zaitseve, the head of the Horlivka town administration said.",
     [("Zaitseve", "2022-05-12", SHELLING)]),
    ("2022-05-13", '"On 12 May, mortars hit Zaitseve," Horlivka Inform Center quoted a soldier as saying.',
     [("Zaitseve", "2022-05-12", SHELLING)]),
    # a town whose outskirts are named by their villages is their context
    ("2022-05-13", "On 12 May, shelling was recorded on the outskirts of Horlivka (the villages of Zaitseve and "
                   "Qorthivka).", [("Qorthivka", "2022-05-12", SHELLING), ("Zaitseve", "2022-05-12", SHELLING)]),
    ("2022-05-13", "The district police department said the enemy shelled Zaitseve on 12 May.",
     [("Zaitseve", "2022-05-12", SHELLING)]),
    ("2022-05-13", "On 12 May, mortars hit Zaitseve; the shelling was heard all the way to Horlivka.",
     [("Zaitseve", "2022-05-12", SHELLING)]),
    # a name in its Russian form, or typed with a Cyrillic letter, is the gazetteer's Ukrainian one
    ("2022-05-13", "On 12 May, the enemy fired mortars in the direction of Novoluhanskoye.",
     [("Novoluhanske", "2022-05-12", SHELLING)]),
    ("2022-05-13", "On 12 May, the enemy fired mortars near Novoluhansk\u0443.",
     [("Novoluhanske", "2022-05-12", SHELLING)]),
    # a time after "to" is no day: the window runs over two days, coded to the later one
    ("2022-05-13", "Units fired at our positions near Sotk from 22:15 on May 11 to 01:15 on May 12.",
     [("Sotk", "2022-05-12", CLASH)]),
    # a place given by the next sentence, or named by the sentence before and pointed back at
    ("2022-05-13", "On 12 May, the enemy fired twice at our positions. The incident occurred near Zaitseve.",
     [("Zaitseve", "2022-05-12", CLASH)]),
    ("2022-05-13", "The town of Avdiivka remains the hottest spot. On 12 May, the enemy shelled our positions "
                   "here for five hours.",
     [("Avdiyivka", "2022-05-12", SHELLING)]),
    # a town a village is said to be near only says where the village is
    ("2022-05-13", "On 12 May, mortars hit the village of Qorthivka, near Zaitseve.", [("Qorthivka", "2022-05-12", SHELLING)]),
    # a town named right after a place the gazetteer lacks, near it or around it, only says where it is;
    # so does an unknown name after a town and a bare comma (its province)
    ("2024-07-09", "Rebels attacked Zzyxville, north of Goma, on Monday.", [("Zzyxville", "2024-07-08", CLASH)]),
    ("2024-07-09", "Armed men attacked the village of Qorthane near Omdurman on Monday.",
     [("Qorthane", "2024-07-08", CLASH)]),
    ("2024-07-09", "Insurgents ambushed soldiers near the village of Qorthane in Zzyxville town on Sunday.",
     [("Qorthane", "2024-07-07", CLASH)]),
    ("2024-07-09", "Militants fired on an army post in Omdurman, Zorvania, on Monday.",
     [("Omdurman", "2024-07-08", CLASH)]),
    ("2024-07-09", "Rebels attacked Zzyxville in Ituri province on Monday.", [("Zzyxville", "2024-07-08", CLASH)]),
    # a site named after a place, listed with places, is a place of the list
    ("2022-05-13", "On 12 May, the enemy fired at positions near Avdiivka, Zaitseve, Qorthivka mine and Horlivka.",
     [("Avdiyivka", "2022-05-12", CLASH), ("Horlivka", "2022-05-12", CLASH), ("Qorthivka mine", "2022-05-12", CLASH),
      ("Zaitseve", "2022-05-12", CLASH)]),
    # other theatres' wire and army styles: general conflict-reporting verbs make the event
    ("2023-05-30", "Heavy fighting broke out between the army and the paramilitary forces in Omdurman on Monday, "
                   "witnesses said.", [("Omdurman", "2023-05-29", CLASH)]),
    ("2025-12-09", "Thai and Cambodian troops exchanged fire near the Preah Vihear temple on Monday, an army "
                   "spokesman said.", [("Preah Vihear", "2025-12-08", CLASH)]),
    ("2024-07-09", "Government troops and rebels fought near Goma on Monday, a rebel spokesman said.",
     [("Goma", "2024-07-08", CLASH)]),
    ("2020-05-04", "Gunfire was heard overnight near Cheorwon, the Joint Chiefs of Staff said.",
     [("Cheorwon", "2020-05-04", CLASH)]),
    ("2023-05-30", "Witnesses reported heavy gunfire and artillery in Omdurman on Monday.",
     [("Omdurman", "2023-05-29", SHELLING)]),
    ("2022-10-12", "Russian warplanes pounded rebel-held areas of Idlib on Tuesday.", [("Idlib", "2022-10-11", AIR)]),
    ("2022-10-12", "Rival factions traded fire near Manbij on Tuesday.", [("Manbij", "2022-10-11", CLASH)]),
    # where a side is based, or where people fled to, is no event place
    ("2022-10-12", "The RSF, which has its headquarters in Nyala, said its fighters repelled an attack near El Obeid "
                   "on Tuesday.", [("El Obeid", "2022-10-11", CLASH)]),
    ("2022-10-12", "Thousands of people fled to Wad Madani after shelling hit their homes in Khartoum on Tuesday.",
     [("Khartoum", "2022-10-11", SHELLING)]),
    # a bare "strike" is of the kind the report tells of
    ("2021-06-16", "Israeli airstrikes hit Khan Younis on Tuesday. Another strike hit a house in Rafah, killing three.",
     [("Kh", "2021-06-15", AIR), ("Rafa", "2021-06-15", AIR)]),
    ("2021-06-16", "Militants shelled Sderot on Tuesday. A later strike hit a house in Ashkelon.",
     [("Ashkelon", "2021-06-15", SHELLING), ("Sderot", "2021-06-15", SHELLING)]),
    # a monitor's or a wire's scene: the sentence before says where, the next tells of fire
    ("2024-05-13", "On 12 May, a team of ceasefire monitors was positioned 2 km north of Kadugli. At 10:15, the team "
                   "heard an explosion and bursts of gunfire about 300 m to the south.",
     [("Kadugli", "2024-05-12", SHELLING)]),
    ("2022-05-11", "The situation remained tense in the area of Kupwara on Tuesday. Here, troops were firing at "
                   "posts with machine guns for several hours.", [("Kupw", "2022-05-10", CLASH)]),
    ("2020-05-13", "On 12 May, a patrol was positioned near Cheorwon. Two bullets flew over the patrol.",
     [("Cheorwon", "2020-05-12", CLASH)]),
    # ... but a place only located, or a side's policy, is no scene and no event
    ("2018-05-20", "ISPR press release, Rawalpindi, 20 May 2018\n\nIndian troops resorted to unprovoked firing "
                   "on civilians along the LOC. A woman was killed.", []),
    ("2022-05-13", "The village of Zaitseve lies 5 km north of Horlivka. Mortar shells hit houses there in 2015.", []),
    ("2022-05-13", "Monitors visited Goma on Monday. The army says it retaliates only when fired upon.", []),
    # bullets that flew, weapons used, violations that took place somewhere: fire
    ("2020-05-13", "On 12 May, bullets whizzed over a patrol near Cheorwon, the command said.",
     [("Cheorwon", "2020-05-12", CLASH)]),
    ("2022-05-13", "On 12 May, the use of weapons by the enemy was recorded near Pavlopil.",
     [("Pavlopil", "2022-05-12", CLASH)]),
    ("2021-07-04", "On 3 July, the ceasefire violations occurred near Zolote.", [("Zolote", "2021-07-03", CLASH)]),
    # flight, deployments, a war's toll, a fight that goes on for weeks: no event
    ("2023-05-30", "Residents fled their homes in Omdurman as fighting approached.", []),
    ("2024-07-09", "The army deployed additional troops to Goma after the attack.", []),
    ("2023-05-30", "The war has killed more than 1,800 people since April, the health ministry said.", []),
    ("2025-12-09", "The two countries fought a brief border war in 2011 over the temple.", []),
    ("2023-05-30", "Clashes continued in Omdurman for a third week, residents said.", []),
    ("2024-07-09", "The rebels and the army accused each other of violating the truce near Goma.", []),
    # a headline sums up the incidents the body dates; so does a mention over several days
    ("2021-06-16", "Clash in Khan Younis\n\nMilitants opened fire on troops in Rafah on Tuesday, the army said.",
     [("Rafa", "2021-06-15", CLASH)]),
    ("2021-07-16", "Over the past few days, militants fired at troops near Rafah twice. On 15 July, militants fired "
                   "at troops near Rafah.", [("Rafa", "2021-07-15", CLASH)]),
    # a clause where the truce held does not void the clause that tells of fire
    ("2021-06-16", "The truce held for ten hours after militants fired at troops near Rafah on Tuesday morning.",
     [("Rafa", "2021-06-15", CLASH)]),
    ("2021-06-16", "The truce held near Khan Younis - militants fired once near Rafah on Tuesday.",
     [("Rafa", "2021-06-15", CLASH)]),
    # weapons belong to the places of their clause: a list's weapons are collective (a clash each)
    ("2021-06-16", "On Tuesday, near Rafah and Khan Younis, militants fired machine guns and mortars, and near "
                   "Sderot, they fired rockets.",
     [("Kh", "2021-06-15", CLASH), ("Rafa", "2021-06-15", CLASH), ("Sderot", "2021-06-15", SHELLING)]),
    # ... unless the places are said to be struck
    ("2023-05-30", "On Monday, the army attacked Omdurman and Bahri, targeting them with missile and artillery "
                   "strikes.", [("Khartoum", "2023-05-29", SHELLING), ("Omdurman", "2023-05-29", SHELLING)]),
    ("2023-05-30", "Main hostilities took place in Omdurman on Monday evening, residents said.",
     [("Omdurman", "2023-05-29", CLASH)]),
    # an anti-tank grenade launcher is no tank
    ("2021-06-16", "On Tuesday, militants fired anti-tank grenade launchers at troops near Rafah.",
     [("Rafa", "2021-06-15", CLASH)]),
    # an attempted attack or infiltration is a clash
    ("2021-06-16", "On Tuesday, militants attempted to infiltrate near Rafah, the army said.",
     [("Rafa", "2021-06-15", CLASH)]),
    # no fire, no attack, or no event at that place: a truce that held, nothing fired, a drone downed,
    # a controlled detonation, a reaction, a place's history, a funeral, an outlet named after a city
    ("2023-05-30", "The truce largely held on Sunday, residents of Omdurman said.", []),
    ("2021-06-16", "No rockets were fired at Sderot on Tuesday, the army said.", []),
    ("2021-06-16", "A drone was shot down near Sderot on Tuesday.", []),
    ("2021-11-24", "Sappers destroyed the explosives in a controlled detonation near Sderot on Tuesday.", []),
    ("2023-05-30", "The EU condemned the shelling of civilians in Omdurman.", []),
    ("2024-07-09", "Kirumba has been the scene of heavy fighting in recent months.", []),
    ("2023-05-30", "Omdurman has seen some of the fiercest fighting of the war.", []),
    ("2021-06-16", "Thousands attended the funeral in Khan Younis of a man killed in an airstrike on Sunday.", []),
    ("2015-09-04", "No victims were registered after the shelling, the Luhansk Information Center quoted an officer "
                   "as saying.", []),
    # nothing happened, or nothing here is an event
    ("2022-03-09", "The ceasefire held overnight, the ministry said.", []),
    ("2022-03-09", "Talks between the two sides resumed in Geneva on Monday after a week of shelling.", []),
    ("2022-03-09", "Since January, the mission has recorded 1,240 ceasefire violations in Donetsk region.", []),
    ("2022-03-09", "The army warned that it would respond to any shelling of its positions near Horlivka.", []),
    ("2022-05-06", "Experts fear that fighting could resume near Idlib next week.", []),
    ("2022-05-06", "In 2020, a six-week war over Nagorno-Karabakh killed thousands of soldiers.", []),
    ("2020-04-14", "Haftar launched his offensive on Tripoli a year ago.", []),
    # with no date anywhere, a sentence without a verb in the past tells of a state of affairs
    ("2023-06-14", "Aid in Darfur\n\nAid groups say the fighting in Nyala and El Geneina makes it impossible to "
                   "deliver food.", []),
    ("2023-06-14", "Accusations\n\nThe RSF accuses the army of bombing civilians in Omdurman.", []),
    # a periodic report's events inside the period it covers are its news, not history
    ("2024-12-05", "Report of the Secretary-General on South Sudan, 1 September to 30 November 2024\n\nOn 14 "
                   "October, gunmen attacked a cattle camp near Yei, killing 12 people.",
     [("Yei", "2024-10-14", CLASH)]),
    ("2024-12-05", "Report on South Sudan\n\nOn 14 October, gunmen attacked a cattle camp near Yei, killing 12 "
                   "people.", []),
    # an earlier event told in passing ("days after ...", "came a week after ...") is not this one
    ("2022-11-05", "Drone strikes hit Mekelle on Thursday, days after the two sides agreed to a truce in Pretoria, "
                   "aid workers said.", [("Mek", "2022-11-03", AIR)]),
    ("2024-03-08", "The clash came a week after a bombing at a market in Jolo killed six people.", []),
    ("2024-07-09", "The rebels seized Goma two years earlier after heavy fighting.", []),
    ("2022-05-06", "The ministry denied the reports, which it called disinformation.", []),
    ("2022-05-06", "The defence minister met his counterpart in Moscow on Tuesday to discuss the shelling.", []),
    ("2019-03-05", "India moved additional troops and artillery to forward areas in Poonch on Tuesday as tensions "
                   "remained high after last week's air strikes.", []),
    ("2020-10-20", "Armenia and Azerbaijan agreed in Washington on Sunday to a new ceasefire, after two previous "
                   "truces collapsed amid shelling of Stepanakert and Ganja.", []),
]


@pytest.mark.parametrize("published, text, expected", SHAPES, ids=[s[1][:50] for s in SHAPES])
def test_each_shape_gives_exactly_its_incidents(geoparser, published, text, expected):
    found = _extract(geoparser, text, published)
    got = sorted((i["location"], i["event_date"], i["sub_event_type"]) for i in found)
    assert len(got) == len(expected), got
    for (location, day, sub), (word, want_day, want_sub) in zip(got, sorted(expected)):
        assert word in location and day == want_day and sub == want_sub, got


def test_a_settlement_the_gazetteer_lacks_keeps_its_name_at_its_region(geoparser):
    text = "On 12 May, the enemy shelled the villages of Zzyxville and Qorthane of Tovuz district."
    found = _extract(geoparser, text, "2022-05-13")
    assert sorted(i["location"] for i in found) == ["Qorthane", "Zzyxville"]
    for incident in found:
        assert incident["geo_precision"] == 3 and incident["geocoder"] == "region-fallback"
        assert incident["latitude"] is not None and incident["country_code"] == "AZ"


@pytest.mark.parametrize("text, location", [
    ("On 12 May, mortars hit Avdiivka.", "Avdiyivka (Avdiivka)"),  # the report's spelling after the gazetteer's
    ("On 12 May, mortars hit Horlivka.", "Horlivka"),
    ("On 12 May, militants fired at troops in Rafah.", "Rafa\u1e29"),  # an accent apart: one name
    ("On 12 May, the enemy shelled villages of the Tovuz district.", "Tovuz"),  # the kind of region is no name
    ("On 12 May, the enemy shelled the village of Zzyxville.", "Zzyxville"),  # unplaced: as written
])
def test_the_location_keeps_the_reports_spelling(geoparser, text, location):
    (incident,) = _extract(geoparser, text, "2022-05-13")
    assert incident["location"] == location


@pytest.mark.parametrize("text, precision, near", [
    ("Rebels attacked Zzyxville, north of Goma, on Monday.", 2, (-1.68, 29.23)),  # near the town it is located by
    ("Rebels attacked Zzyxville in Ituri province on Monday.", 3, None),  # at the province named with it
    ("Fighting erupted on Monday in Zzyxville, about 40 km west of Goma.", 2, (-1.67, 28.87)),  # as measured
])
def test_a_name_the_gazetteer_lacks_is_put_at_what_locates_it(geoparser, text, precision, near):
    (incident,) = _extract(geoparser, text, "2024-07-09")
    assert incident["location"] == "Zzyxville" and incident["geocoder"] == "region-fallback"
    assert incident["geo_precision"] == precision and incident["country_code"] == "CD"
    if near:
        assert abs(incident["latitude"] - near[0]) < 0.1 and abs(incident["longitude"] - near[1]) < 0.1


def test_a_name_the_gazetteer_lacks_takes_the_country_of_the_reports_places(geoparser):
    found = _extract(geoparser, "On 12 May, mortars hit Horlivka. The enemy also shelled the village of Zzyxville.",
                     "2022-05-13")
    unplaced = next(i for i in found if i["location"] == "Zzyxville")
    assert unplaced["latitude"] is None and (unplaced["country_code"], unplaced["country"]) == ("UA", "Ukraine")
    assert "not on the map; in Ukraine" in unplaced["notes"]
    assert "not found in the gazetteer and no region named" in unplaced["explanation"]
    # ... or of the country the sentence puts it in
    (incident,) = _extract(geoparser, "An Israeli drone hit a car in the town of Zzyxville in southern Lebanon on "
                           "Tuesday.", "2024-07-10")
    assert incident["latitude"] is None and incident["country_code"] == "LB"
    # places on both sides of a line say nothing of which side an unknown village lies on
    found = _extract(geoparser, "On 12 May, mortars hit Sotk and Kalbajar. The enemy also shelled the village of "
                     "Zzyxville.", "2022-05-13")
    assert next(i for i in found if i["location"] == "Zzyxville")["country_code"] is None


def test_a_summary_says_why_it_gave_no_incident_of_its_own(geoparser):
    report = Report(id="why", text="Clash in Khan Younis\n\nMilitants fired at troops in Rafah on Tuesday.",
                    published="2021-06-16")
    incidents, notes = extract_explained(report, geoparser)
    assert [i["location"] for i in incidents] == ["Rafa\u1e29"]
    assert "a headline summing up" in notes[0].decision


@pytest.mark.parametrize("text, precision", [
    ("On 12 May, Armenian units fired at positions in the Tovuz direction.", 2),  # named after the town: near it
    ("On 12 May, the enemy shelled villages of the Tovuz district.", 3),  # the district itself: region-level
])
def test_a_sector_is_near_its_town_a_district_is_region_level(geoparser, text, precision):
    (incident,) = _extract(geoparser, text, "2022-05-13")
    assert incident["location"] == "Tovuz" and incident["geo_precision"] == precision


def test_every_incident_says_why_it_is_there(geoparser):
    report = Report(id="why", text="The ceasefire held on Monday. On 12 May, mortars hit Horlivka.", published="2022-05-13")
    incidents, notes = extract_explained(report, geoparser)
    assert [n.incident for n in notes] == [False, True]
    assert "no word of fire" in notes[0].decision
    (incident,) = incidents
    assert "Horlivka" in incident["explanation"] and "12 May" in incident["explanation"]
    assert "mortar" in incident["explanation"]


def test_a_denied_claim_stays_as_claimed_disputed_never_claimed_by_the_denier(geoparser):
    report = Report(id="denial", text="The ministry rejected claims that its units had fired mortars at Sotk on "
                    "Tuesday.", published="2022-05-06", outlet="Ministry of Defence of Armenia",
                    source_type="belligerent")
    (incident,) = extract(report, geoparser)
    assert incident["location"] == "Sotk" and incident["disputed"] is True
    assert incident["claimed_by"] == "Azerbaijan" and incident["actor1"] == "Armenia"


def test_a_denial_followed_by_its_own_account_gives_that_account_undisputed(geoparser):
    (incident,) = _extract(geoparser, "The army denied the claim, saying rebels attacked an army base near Goma "
                           "on Monday.", "2017-12-27")
    assert incident["location"] == "Goma" and incident["disputed"] is False


def test_sides_follow_the_clause(geoparser):
    (incident,) = _extract(geoparser, "A rocket fired from Lebanon hit a military post near Metula on Thursday.",
                           "2022-05-06")
    assert incident["actor1"] == "Lebanon"  # fired from X: X's side fired; the place is the target's
    (incident,) = _extract(geoparser, "On 12 May, Pakistani troops opened fire at Indian posts in the Uri sector.",
                           "2022-05-13")
    assert (incident["actor1"], incident["actor2"]) == ("Pakistan", "India")
