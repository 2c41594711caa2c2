"""Word lists and weights: seeded text, so full-text search has rare and common words."""

from __future__ import annotations


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _split(
    "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Carlos Karen Daniel Lisa Matthew Nancy Anthony "
    "Betty Mark Sandra Donald Ashley Steven Kimberly Andrew Emily Paul Donna Joshua Michelle "
    "Kenneth Carol Kevin Amanda Brian Melissa José Angela Timothy Zoë Marcus Dana Terrence "
    "Keisha Raymond Lucia Darnell Hannah Tyrone Rosa Wesley Imani"
)
LAST_NAMES = _split(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
    "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson "
    "White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott "
    "Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter "
    "Roberts Whitfield Ortiz Grant Moreno Kowalski Okafor Brennan Lindqvist Haddad Petrov "
    "Castellanos Delacroix Abernathy Fairbanks Quintero Yamamoto Oyelaran Whitaker Sutherland "
    "McAllister Beauregard Thibodeaux Vasquez Osei Nakamura Fitzgerald Holloway Pemberton "
    "Rutherford Stallworth Calloway Breckinridge Shelby Boone Crittenden Hardin Marshall Logan"
)
STREETS = (
    "Bardstown Rd",
    "Preston Hwy",
    "S 4th St",
    "Camden Ave",
    "Dixie Hwy",
    "W Broadway",
    "Frankfort Ave",
    "Shelbyville Rd",
    "Taylorsville Rd",
    "Poplar Level Rd",
    "Westport Rd",
    "Brownsboro Rd",
    "E Market St",
    "W Main St",
    "River Rd",
    "Algonquin Pkwy",
    "Southern Pkwy",
    "Manslick Rd",
    "National Tpke",
    "Fern Valley Rd",
    "Outer Loop",
    "Hurstbourne Pkwy",
    "Breckenridge Ln",
    "Cane Run Rd",
    "Greenwood Rd",
    "Crums Ln",
    "Blankenbaker Pkwy",
    "Hikes Ln",
    "Newburg Rd",
    "Bashford Manor Ln",
    "Eastern Pkwy",
    "Cardinal Blvd",
    "W Oak St",
    "Hill St",
    "Magnolia Ave",
    "S Jefferson St",
    "Muhammad Ali Blvd",
    "E Chestnut St",
    "Garland Ave",
    "W Kentucky St",
    "Woodlawn Ave",
    "Berry Blvd",
    "Wilson Ave",
    "Valley Station Rd",
    "Johnson Rd",
    "Stonestreet Rd",
    "Terry Rd",
    "Lower Hunters Trce",
    "Bells Ln",
    "Old Shepherdsville Rd",
    "Beulah Church Rd",
    "Smyrna Pkwy",
    "Goldsmith Ln",
    "Produce Rd",
    "Gagel Ave",
)
VEHICLES = (
    "grey Toyota Camry",
    "black Ford F-150",
    "white Honda Civic",
    "silver Nissan Altima",
    "red Chevrolet Malibu",
    "blue Dodge Caravan",
    "green Jeep Cherokee",
    "white box truck",
)
CRIMES = (
    "Assault reported at the address an hour ago",
    "Shots fired in the parking lot behind the building",
    "Stolen vehicle parked at the scene",
    "Burglary in progress, back door forced",
    "Domestic violence call from a neighbour",
    "Drug sales observed from the front porch",
    "Robbery at the convenience store on the corner",
    "Vandalism of the agents' vehicle",
)
DANGERS = (
    "Subject waving a firearm in the street",
    "Car driven at pedestrians in the lot",
    "Armed standoff with agents at the door",
    "Fire set in the stairwell of the building",
    "Subject threatening neighbours with a knife",
)
EXTRAS = (
    "The subject may have children at home.",
    "Agents are parked two blocks away.",
    "They say a judge signed it this morning.",
    "The agent would not give a supervisor's name at first.",
    "Neighbours have already called about the agents' cars.",
    "The agent asked us not to tell the family.",
    "They want marked cars for visibility.",
    "Spanish speaker needed on scene.",
    "The agent called the non-emergency line twice.",
    "The address is a duplex; unit B.",
)
CANCEL_REASONS = (
    "Caller was not a federal agency (wrong number).",
    "Duplicate of a contact already open.",
    "The agent hung up before saying what they wanted.",
    "Test call from the agency's new dispatch desk.",
)
CAMERA_REASONS = (
    "Camera battery failed on scene.",
    "Officer stayed at the perimeter in the car; camera not activated.",
    "Camera docked for an update at the start of the shift.",
)
AMEND_REASONS = (
    "Cite the clauses in the narrative.",
    "Correct the address after checking the recording.",
    "Spelling of the agent's name checked against the credential.",
    "Add what the supervisor said afterwards.",
)
REVIEW_NOTES = (
    "Check the callback recording against the decision.",
    "Random quarterly review of a decided contact.",
    "Complaint received from a community group about this call.",
    "Confirm that the commander was on scene before units arrived.",
)
FINDING_NOTES = {
    "proper": "Steps followed in order; the decision matches what policy permitted.",
    "improper": "Units were requested before the recorded callback; discussed with the commander.",
    "policy_gap": "The policy does not say what to do when the agency will not give a name.",
    "needs_training": "Call-taker should read the request back to the agent; training booked.",
}
AUTOMATIC_REVIEW = "Officer in distress: units were sent before the usual steps (P9)."
SYLLABLES = _split("ka lo ve ri tan mor sel dun ba zi kel or an ti pa rex vo lin gar mu")

AGENCIES = {  # the app's agencies, with their share of contacts and their badge prefix
    "ice_ero": (40, "ERO"),
    "ice_hsi": (18, "HSI"),
    "cbp": (12, "CBP"),
    "border_patrol": (8, "USBP"),
    "other_dhs": (7, "DHS"),
    "dhs_contractor": (5, "CTR"),
    "unverified": (10, ""),
}
CHANNELS = {
    "metrosafe_911": 45,
    "metrosafe_non_emergency": 33,
    "radio": 7,
    "direct_phone": 9,
    "direct_in_person": 6,
}
DIRECT = frozenset({"direct_phone", "direct_in_person"})
WARRANTS = {
    "none": 45,
    "administrative_immigration": 25,
    "criminal_immigration": 10,
    "federal_criminal": 8,
    "local_criminal": 12,
}
CRIMINAL_WARRANTS = frozenset({"local_criminal", "federal_criminal"})
REQUESTS_WITH_WARRANT = {"warrant_service": 35, "arrest_backup": 35, "door_knock": 25, "other": 5}
REQUESTS_WITHOUT = {
    "door_knock": 25,
    "information": 20,
    "transport": 12,
    "traffic_stop": 12,
    "clear_residence": 8,
    "arrest_backup": 13,
    "other": 10,
}
REQUEST_WORDS = {
    "warrant_service": (
        "We have a warrant for {subject} and need a unit at {loc} to serve it.",
        "Serving papers on {subject} at {loc}; asking for a marked car.",
    ),
    "arrest_backup": (
        "Planning to arrest {subject} at {loc} this morning and want backup.",
        "Target {subject} is at {loc} now; requesting officers for the arrest.",
    ),
    "door_knock": (
        "Need a uniform to knock at {loc} so the subject opens the door.",
        "Can an officer knock at {loc}? The family will not open for us.",
    ),
    "clear_residence": ("Requesting officers to clear the apartment at {loc} before we enter.",),
    "traffic_stop": (
        "Asking for a traffic stop on a {vehicle} leaving {loc}.",
        "Subject is driving a {vehicle} near {loc}; can a patrol car pull it over?",
    ),
    "transport": ("Need a transport for one detainee from {loc} to the federal building.",),
    "information": (
        "Asking whether {subject} has any local contacts or address history near {loc}.",
        "Want to know if officers have been called to {loc} recently.",
    ),
    "other": (
        "Agent asked for help at {loc}; details unclear.",
        "Agent wants to talk to a supervisor about an operation near {loc}.",
    ),
}
NARRATIVES = {
    "no_police_action": (
        "Agent told on the recorded line that no officers would be sent (P5, P6). "
        "No police action.",
        "Request refused; the agent was told why. No officers went to {loc}.",
    ),
    "perimeter_observe": (
        "{units} held a perimeter at {loc} and observed; no contact with the subject.",
        "{units} stayed at the corner of {loc} for traffic and watched; agents made the arrest.",
    ),
    "warrant_served": (
        "{units} served the criminal warrant on {subject} at {loc}; taken to LMDC.",
        "{units} assisted serving warrant {warrant}; subject in custody without injury.",
    ),
    "local_arrest": ("{units} arrested a person at {loc} for the reported crime.",),
    "other": (
        "{units} attended {loc}; the agents had left before officers arrived.",
        "{units} spoke with the agents at {loc}; no enforcement by officers.",
    ),
}
ASSESSMENTS = {
    "deny": (
        "No ground under P5: {why}. Civil immigration matters and door knocks are refused (P6).",
        "Nothing permits officers here ({why}); agent told on the recorded line (P3).",
    ),
    "backup_only": (
        "Dangerous subject and no ground (P7): perimeter and observe only.",
        "Backup only: {why}; officers stay at the perimeter.",
    ),
    "full": (
        "Ground verified ({why}); supervisor notified where needed. I will be on scene first.",
        "Full assistance: {why}. Officers go after I arrive (P8).",
    ),
}
