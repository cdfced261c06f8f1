"""Word lists the geoparser's recognition rules use, written for this project.

They encode English usage, not places: words that are capitalised for other
reasons (months, titles, sentence starters, institutions), words that join the
parts of a place name, and demonyms that hint at the text's country.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that, standing alone, are not places in English news even
# when some village bears the name ("May", "Police", "Of", "Hope", "Union").
NOT_PLACE_WORDS = _words(
    """
    January February March April May June July August September October November December
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    The A An Of In On At To For From By With Without Into Onto Over Under About Above Below
    And Or But Nor So Yet If When While Where Whereas After Before Since During Until Though
    Although Because As Than Then There Here This That These Those It Its He She We They You I
    Me Him Her Us Them His Our Their Your My Mine Who Whom Whose What Which Why How
    Is Are Was Were Be Been Being Has Have Had Do Does Did Will Would Can Could Shall Should May
    Might Must Not No Yes All Some Any Each Every Other Another Such Same Many Much More Most
    Less Least Few Several Both Either Neither One Two Three Four Five Six Seven Eight Nine Ten
    First Second Third Last Next New Old Good Best Better Great Big Little Long Short High Low
    Also Just Only Even Still Already Now Today Tonight Tomorrow Yesterday Once Again Ever Never
    Mr Mrs Ms Miss Dr Sir Dame Lord Lady President Governor Senator Minister Secretary Mayor
    Police Army Navy Air Force Forces Military Troops Government Ministry Department Office
    Council Court Congress Parliament Senate House Assembly Committee Commission Agency Bureau
    University College School Academy Institute Hospital Clinic Church Mosque Temple Museum
    Center Centre Company Corporation Group Bank Fund Foundation Association Union League Party
    Club Team Station Airport Port Street Road Avenue Boulevard Square Park Bridge Highway
    National International Federal Central General Public Royal Republic Republican Democrat
    Democratic Liberal Conservative Labour Labor Islamic Christian Muslim Jewish Catholic
    Independence Liberty Victory Freedom Peace Hope Unity Progress Justice Security Defense
    Defence Health Education Energy Water Power Media News Times Post Press Herald Tribune
    Journal Daily Weekly Radio Television Network Online Internet Facebook Twitter Google Apple
    God Christmas Easter Ramadan Eid Halloween Thanksgiving Weekend Week Month Year Day Night
    Morning Evening Afternoon Summer Winter Spring Autumn Fall Mission Operation Project Program
    Programme Report Reports Update Breaking Photo Video Image Source Sources Reuters AP AFP
    Chief Director Manager Officer Spokesman Spokeswoman Commander Coach Captain Major Colonel
    Judge Prince Princess King Queen Pope Saint Father Mother Brother Sister Son Daughter
    Man Woman Men Women People Children Child Family Friends Home World Earth Sun Moon Star
    Well Deal Split Reading Mobile Bath Sale Hull Nice Orange Banner Boring Battle Speed Energy
    According Meanwhile However Moreover Furthermore Finally Overall Instead Indeed Please Thanks
    Click Read Share Follow Subscribe Sign Log Search Menu Contact Privacy Terms Copyright
    Black White Red Blue Green Brown Gray Grey Gold Silver Rock Hill Lake River Mountain Beach
    Northern Southern Eastern Western North South East West Upper Lower Middle Greater
    State City County Route Web Olympic Olympics Commerce None Let Patrol Safety Leader Pack
    Jesus Christ English Arab Arabic Passover Sabbath Bible Koran Quran Internet Net Prize
    Service Services Authority Authorities Administration Foundation Trust Board Cabinet
    Hamas Hezbollah Hizbollah Taliban Fatah Duma Knesset Honda Toyota Delta Dow Act Free Holy
    Room Region Metro Fourth Forest Pct Sens Boulevard Prime Premier Division Brigade Battalion
    War Wars Crisis Conflict Summit Agreement Accords Treaty Games Cup Championship Olympics
    """
)

# Words after a place name that make it a modifier of an institution, not part of a
# person's name: "Athens Police Department", "Kabul Airport", "Idlib Governorate".
ORGANISATION_WORDS = _words(
    """
    Police Department Dept Council City County Mayor Airport Airbase University College School
    Schools Hospital Fire Sheriff Board Court Township Town Village Region Area Metro Regional
    Community Public Library Museum Center Centre Stadium Harbor Harbour River Lake Valley Bay
    Street Road Avenue Highway Bridge Station Port Province State District Governorate Oblast
    Parish Borough Municipality Park Parks Mosque Church Cathedral Square Market Prison Jail
    Base Camp Checkpoint Crossing Border Front Sector Region Governorate Branch Office Police's
    Society Services Festival Film Arts Club Association Commission Chamber Committee Agency
    Authority Times Post Journal Herald Tribune Gazette News Daily Register Star Chronicle
    Zoo Mall Hotel Theater Theatre Library Courthouse Hall Stadium Arena Team Fair Show
    Project Center Institute Academy Church Temple Synagogue Company Corporation Inc Ltd LLC
    Group Bank Fund Party Union League Forces Army Brigade Regiment Battalion Unit Guard
    """
)

# Institutions more often named after a person, a saint or a neighbourhood than after the
# town they stand in: "Franklin Elementary", "Lipscomb University", "Snyder Funeral Home".
# A small town's name right before one of them is not kept as a place on that ground alone.
NAMESAKE_INSTITUTIONS = _words(
    """
    Elementary Primary Middle Academy College University Seminary Institute Comprehensive
    Memorial Funeral Apartments Chapel Baptist Methodist Lutheran Presbyterian Theater Theatre
    Club Group Bank Law
    """
)

# Words that may sit inside a multi-word place name in lower case.
CONNECTORS = _words(
    "of de del della di da do dos das du des d la le les el al an am im upon on en sur and "
    "the y e van von der den bin ibn ar ad as ash az ul ol ez es ed et er au aux"
)

# Arabic definite articles as romanised in place names: "al-Bab", "Deir ez-Zor", "el-Fasher".
ARABIC_ARTICLES = _words("al el ad ar as ash az an ed er es ez at ath adh")

# Capitalised words allowed right before a place without making it part of a person's name.
DIRECTION_WORDS = _words(
    "North South East West Northern Southern Eastern Western Central Upper Lower Greater "
    "Northeast Northwest Southeast Southwest Northeastern Northwestern Southeastern "
    "Southwestern Downtown Uptown Midtown Suburban Rural Metro Metropolitan Historic Coastal Inner Outer Old"
)

# Lower-case words after which a capitalised word is most likely a place.
LOCATIVE_WORDS = _words(
    "in near at from to into outside inside across around towards toward via through between "
    "of off on onto upon over nearby beyond within throughout village town city region province district "
    # conflict reporting names its targets right after the verb: "shelled Tovuz", "hit Sotk"
    "hit shelled struck attacked targeted bombed bombarded captured seized retook liberated "
    "entered reached besieged stormed evacuated"
)

# A capitalised word right after one of these is a person's name.
PERSON_TITLES = _words(
    """
    Mr Mrs Ms Miss Dr Sir Dame Lord Lady President Governor Gov Senator Sen Rep Representative
    Minister Secretary Chancellor Premier Mayor Judge Justice General Gen Col Colonel Lt
    Lieutenant Maj Capt Captain Sgt Sergeant Officer Detective Det Prof Professor Rev Reverend
    Father Pope King Queen Prince Princess Sheikh Emir Ayatollah Imam Bishop Coach Chairman
    Commander Ambassador Deputy Director Agent Spokesman Spokeswoman Cardinal Rabbi Pastor
    Brother Sister Uncle Aunt Dear Mister Madam Attorney Trooper Corporal Cpl Pvt Private
    Councilman Councilwoman Councillor Congressman Congresswoman Assemblyman Superintendent
    Commissioner Sheriff Constable Chief
    """
)

# "X said": X speaks, so it is a person or (metonymically) a government, never an incident place.
SPEECH_VERBS = _words(
    "said says told added stated announced wrote tweeted claimed argued explained noted asked "
    "replied insisted warned urged vowed admitted denied"
)

# Given names that are also place names somewhere ("Georgia Stevens", "Chad Walker",
# "Jordan Spieth", "Florence Welch"). A name from this list is a place only with a
# locative cue ("in Florence") or when no surname follows it.
FIRST_NAMES = _words(
    """
    Aaron Adam Adrian Alan Albert Alex Alexander Alexandra Alice Alicia Allen Amanda Amber Amy Andrea
    Andrew Angela Anna Anne Anthony Antonio Arthur Ashley Austin Barbara Ben Benjamin Beth Betty Bill
    Billy Bob Bobby Bonnie Brad Brandon Brenda Brian Bruce Bryan Carl Carlos Carol Caroline Carrie
    Catherine Charles Charlie Charlotte Chad Chelsea Chris Christian Christina Christine Christopher
    Cindy Clara Claire Clinton Colin Craig Cynthia Dale Dallas Daniel Danny Dave David Dean Deborah
    Denise Dennis Diana Diane Donald Donna Doris Dorothy Douglas Dylan Ed Eddie Edward Elizabeth Ellen
    Emily Emma Eric Erica Eugene Eva Evan Florence Frank Fred Gareth Gary George Georgia Gerald Grace
    Greg Gregory Hannah Harold Harry Heather Helen Henry Holly Howard Ian Irene Isaac Israel Jack
    Jackson Jacob James Jamie Jane Janet Jason Jean Jeff Jeffrey Jennifer Jeremy Jerry Jesse Jessica
    Jim Jimmy Joan Joe John Johnny Jon Jonathan Jordan Joseph Josh Joshua Joyce Juan Judith Judy Julia
    Julie Justin Karen Kate Katherine Kathleen Kathy Keith Kelly Ken Kenneth Kevin Kim Kimberly Kyle
    Larry Laura Lauren Lawrence Lee Leo Leon Linda Lisa Logan Louis Louise Lucy Luis Luke Madison
    Marc Margaret Maria Marie Mario Mark Martha Martin Mary Matt Matthew Megan Melissa Michael Michelle
    Mike Nancy Nathan Neil Nicholas Nick Nicole Noah Oliver Olivia Pamela Patricia Patrick Paul
    Paula Peter Philip Phillip Rachel Ralph Randy Raul Ray Raymond Rebecca Richard Rick Rita Rob
    Robert Roberto Robin Roger Ron Ronald Rose Ruth Ryan Sam Samantha Samuel Sandra Sara Sarah Scott
    Sean Sharon Shawn Sophia Stephanie Stephen Steve Steven Susan Tammy Teresa Terry Thomas Tiffany
    Tim Timothy Tina Todd Tom Tommy Tony Tracy Travis Troy Tyler Valerie Victor Victoria Vincent
    Virginia Walter Wayne William Willie Zachary Ahmed Ali Hassan Hussein Mohammed Muhammad Omar
    Ibrahim Mustafa Yusuf Khalid Abdullah Salman Vladimir Sergei Dmitry Ivan Igor Olga Natalia
    Pierre Jacques Hans Klaus Giuseppe Marco Pedro Jose Manuel Miguel Carmen Lucia Sofia Elena
    """
)

# Named features the gazetteer of towns and regions lacks: "X Street", "X River", "Lake X".
FEATURE_SUFFIXES = _words(
    """
    Street St Road Rd Avenue Ave Boulevard Blvd Lane Drive Highway Freeway Expressway Motorway
    Bridge Square Plaza River Creek Lake Mountains Mountain Hills Valley Canyon Bay Island Islands
    Peninsula Desert Sea Ocean Gulf Strait Canal Dam Airport Airbase Port Harbor Harbour Base
    Checkpoint Crossing Border Pass Gorge Corridor Reservoir Forest Beach Coast Heights Glacier
    """
)
FEATURE_PREFIXES = _words("Lake Mount Mt Gulf Strait Bay Isle Cape Camp")
# Features placed at the town they are named after ("Donetsk Airport", "Kabul Airbase").
ANCHORED_FEATURES = _words("Airport Airbase Port Harbor Harbour Base Checkpoint Crossing")

# Newspaper and broadcaster names after a place: "New York Times", "China Daily".
MEDIA_WORDS = _words(
    """
    Times Post Herald Journal Tribune Gazette Daily Chronicle Register Examiner Observer
    Inquirer Telegraph Guardian Globe Mail Courier Bulletin Dispatch Review Sentinel Star-Tribune
    Star Sun
    """
)
