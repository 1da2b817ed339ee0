"""Word lists for the demo city: district, street, people and landmark names.

Every place name comes as an (English, French) pair or as a French form plus the language of
the district it belongs to, so that the portal can show either language. The lists are long
enough for a city of about 150 street segments and 30,000 residents without repeats that
would look artificial.
"""

from __future__ import annotations

from typing import Final

CITY_NAME_FR: Final = "Rivière-aux-Saules"
CITY_NAME_EN: Final = "Willow River"

#: (official name, English form, French form, language most residents speak). The first
#: entry is the historic core, placed where the river crosses the city centre.
DISTRICTS: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("Vieux-Port", "Old Port", "Vieux-Port", "fr"),
    ("Les Saules", "The Willows", "Les Saules", "fr"),
    ("Colline-Verte", "Green Hill", "Colline-Verte", "fr"),
    ("Maplewood", "Maplewood", "Maplewood", "en"),
    ("Saint-Éloi", "Saint-Éloi", "Saint-Éloi", "fr"),
    ("Les Prés-Fleuris", "Flowering Meadows", "Les Prés-Fleuris", "fr"),
    ("Bois-Joli", "Pretty Woods", "Bois-Joli", "fr"),
    ("Domaine-du-Moulin", "Mill Estate", "Domaine-du-Moulin", "fr"),
    ("Pointe-aux-Hérons", "Heron Point", "Pointe-aux-Hérons", "fr"),
    ("Terrasse-Laurier", "Laurier Terrace", "Terrasse-Laurier", "fr"),
    ("Riverside", "Riverside", "Bord-de-l'Eau", "en"),
    ("Sainte-Cécile", "Sainte-Cécile", "Sainte-Cécile", "fr"),
    ("Les Hauts-Champs", "High Fields", "Les Hauts-Champs", "fr"),
)

#: Forward sortation areas of the demo city, one per district in order. J is Québec's
#: letter; these are chosen to look local and are not meant to match real areas.
POSTAL_AREAS: Final = (
    "J5X", "J5Y", "J5Z", "J6X", "J6Y", "J6Z", "J7X", "J7Y", "J7Z", "J8X", "J8Y", "J8Z", "J9X",
)  # fmt: skip

#: Letters allowed in Canadian postal codes (Canada Post excludes D, F, I, O, Q and U).
POSTAL_LETTERS: Final = "ABCEGHJKLMNPRSTVWXYZ"

#: Names of the main roads, which keep their name across districts.
ARTERIES: Final = (
    "boulevard des Saules", "boulevard Laurier", "chemin de la Montagne", "boulevard du Fleuve",
    "rue Principale", "avenue Papineau", "chemin du Roy", "boulevard Saint-Joseph",
    "montée Saint-Jean", "rang du Petit-Bois", "avenue Champlain", "boulevard de l'Industrie",
    "chemin des Patriotes", "rue Notre-Dame", "avenue Frontenac", "rang Sainte-Anne",
)  # fmt: skip

#: Kinds of French street and how common each is.
FRENCH_STREET_KINDS: Final = (
    ("rue", 10), ("avenue", 3), ("place", 1), ("croissant", 1), ("terrasse", 1), ("chemin", 1),
)  # fmt: skip

FRENCH_STREET_SPECIFICS: Final = (
    "des Érables", "des Pins", "des Bouleaux", "des Cèdres", "des Chênes", "des Ormes",
    "des Peupliers", "des Merisiers", "des Tilleuls", "des Trembles", "des Mélèzes",
    "des Sapins", "des Noyers", "des Frênes", "des Aulnes", "des Pommiers", "des Lilas",
    "des Roses", "des Tulipes", "des Marguerites", "des Jonquilles", "des Iris", "des Hirondelles",
    "des Geais-Bleus", "des Cardinaux", "des Mésanges", "des Colibris", "des Outardes",
    "des Hérons", "du Ruisseau", "des Prés", "des Champs", "du Verger", "des Sources",
    "de la Colline", "du Boisé", "de la Seigneurie", "du Domaine", "des Artisans", "des Forges",
    "des Meuniers", "des Draveurs", "des Voltigeurs", "du Belvédère", "de la Fabrique",
    "de l'Hôtel-de-Ville", "du Moulin", "de l'Église", "de la Gare", "du Couvent", "du Parc",
    "de la Rivière", "du Quai", "des Pionniers", "de l'École", "du Marché", "des Écluses",
    "Saint-Louis", "Saint-Pierre", "Saint-Paul", "Saint-Charles", "Sainte-Marie",
    "Sainte-Geneviève", "Saint-Denis", "Saint-André", "Saint-Michel", "Sainte-Thérèse",
    "Cartier", "Montcalm", "Lafontaine", "Brébeuf", "Marquette", "Dollard", "Jolliet",
    "Beaudry", "Gauthier", "Lavallée", "Robillard", "Boucher", "Lacombe", "Provost",
    "Dupuis", "Chartrand", "Brisebois", "Lacasse", "Rivard", "Dufresne", "Racine",
    "Beauchamp", "Vaillancourt", "Desrosiers", "Plante", "Archambault", "Corbeil",
    "Gervais", "Lamarche", "Hétu", "Maisonneuve", "Jeanne-Mance", "Marie-Victorin",
    "Émile-Nelligan", "Félix-Leclerc", "Gabrielle-Roy", "Anne-Hébert", "Louis-Fréchette",
    "de la Visitation", "de l'Anse", "du Rocher", "de la Traverse", "du Vallon",
)  # fmt: skip

#: English street names for the districts where English is the common language.
ENGLISH_STREET_KINDS: Final = (("Street", 8), ("Avenue", 3), ("Road", 2), ("Crescent", 1),
                               ("Lane", 1), ("Drive", 1))  # fmt: skip

ENGLISH_STREET_SPECIFICS: Final = (
    "Maple", "Oak", "Birch", "Elm", "Cedar", "Pine", "Willow", "Spruce", "Ash", "Chestnut",
    "Walnut", "Poplar", "Hawthorn", "Church", "Mill", "Bridge", "King", "Queen", "Victoria",
    "Albert", "Wellington", "Nelson", "Union", "Park", "Lakeview", "Riverview", "Hillcrest",
    "Meadow", "Orchard", "Brookside", "Greenfield", "Fairview", "Sunset", "Highland",
    "Station", "School", "Market", "Harbour", "Heron", "Kingfisher", "Sparrow", "Robin",
    "McGill", "Sherbrooke", "Stanstead", "Argyle", "Dunbar", "Lorne", "Abbott",
)  # fmt: skip

FRENCH_FEMALE_FIRST: Final = (
    "Marie", "Julie", "Isabelle", "Nathalie", "Geneviève", "Catherine", "Émilie", "Camille",
    "Léa", "Chloé", "Sophie", "Mélanie", "Véronique", "Josée", "Chantal", "Sylvie", "Louise",
    "Lucie", "Annie", "Karine", "Maude", "Rosalie", "Florence", "Zoé", "Alice", "Jeanne",
    "Gabrielle", "Élodie", "Marianne", "Audrey", "Marie-Ève", "Anne-Sophie", "Noémie",
    "Justine", "Océane", "Laurence", "Béatrice", "Mireille", "Ginette", "Francine",
)  # fmt: skip

FRENCH_MALE_FIRST: Final = (
    "Jean", "Pierre", "Luc", "Marc", "François", "Mathieu", "Simon", "Olivier", "Étienne",
    "Philippe", "Alexandre", "Sébastien", "Jérôme", "Martin", "Éric", "Patrick", "Louis",
    "Félix", "William", "Samuel", "Gabriel", "Thomas", "Nicolas", "Benoît", "Denis", "Michel",
    "Guillaume", "Vincent", "Maxime", "Antoine", "Jean-François", "Charles-Antoine", "Réjean",
    "Gilles", "Yves", "Raymond", "Léo", "Émile", "Hugo", "Zachary",
)  # fmt: skip

FRENCH_SURNAMES: Final = (
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin",
    "Gagné", "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette",
    "Girard", "Simard", "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier",
    "Fournier", "Lapointe", "Leclerc", "Lefebvre", "Poulin", "Thibault", "St-Pierre", "Nadeau",
    "Martin", "Landry", "Martel", "Bédard", "Grenier", "Lessard", "Bernier", "Richard",
    "Michaud", "Hébert", "Desjardins", "Couture", "Turcotte", "Lachance", "Parent", "Blais",
    "Gosselin", "Savard", "Proulx", "Beaudoin", "Demers", "Perreault", "Boudreau", "Lemieux",
    "Cyr", "Larouche", "Lacasse", "Brisebois", "Rivard", "Chartrand", "Dufresne", "Racine",
    "Charbonneau", "Beauchamp", "Vaillancourt", "Desrosiers", "Plante", "Archambault",
    "Sauvé", "Gingras", "Lalonde", "Marchand", "Robitaille", "Ménard", "Chabot",
)  # fmt: skip

ENGLISH_FEMALE_FIRST: Final = (
    "Emily", "Sarah", "Jessica", "Hannah", "Olivia", "Emma", "Grace", "Megan", "Rachel",
    "Laura", "Karen", "Susan", "Linda", "Margaret", "Heather", "Amanda", "Claire", "Fiona",
    "Natalie", "Abigail", "Charlotte", "Ava", "Madison", "Jennifer",
)  # fmt: skip

ENGLISH_MALE_FIRST: Final = (
    "James", "John", "Robert", "Michael", "David", "William", "Richard", "Thomas", "Daniel",
    "Matthew", "Andrew", "Ryan", "Kevin", "Brian", "Patrick", "Sean", "Liam", "Ethan", "Noah",
    "Owen", "Connor", "Jack", "Benjamin", "Graham",
)  # fmt: skip

ENGLISH_SURNAMES: Final = (
    "Smith", "Brown", "Wilson", "MacDonald", "Campbell", "Stewart", "Anderson", "Taylor",
    "Johnston", "Robertson", "Thompson", "Murray", "Reid", "Ross", "Clarke", "Walker", "Young",
    "Scott", "Morrison", "Fraser", "Graham", "Hamilton", "Kennedy", "Murphy", "O'Brien",
    "Kelly", "Sullivan", "Ryan", "Doyle", "Burke", "Mitchell", "Bell", "Wright", "Hughes",
    "Turner", "Cooper", "Hill", "Baker", "Ward", "Price", "McKenzie", "Henderson",
)  # fmt: skip

#: Names of newer residents, who may prefer either official language.
WORLD_FIRST: Final = (
    "Mohamed", "Amira", "Fatima", "Youssef", "Mamadou", "Aïcha", "Wei", "Mei", "Priya",
    "Arjun", "Jean-Robert", "Nadège", "Luca", "Sofia", "Carlos", "Ana", "Karim", "Leila",
    "Minh", "Linh", "Rania", "Omar", "Daniela", "Mateo",
)  # fmt: skip

WORLD_SURNAMES: Final = (
    "Nguyen", "Tran", "Haddad", "Khoury", "Benali", "Diallo", "Traoré", "Joseph",
    "Pierre-Louis", "Jean-Baptiste", "Chen", "Wang", "Singh", "Patel", "Rossi", "Santos",
    "Silva", "Rodriguez", "Bouzid", "Saint-Fleur", "Kaur", "Ahmed", "Mendes", "Lopez",
)  # fmt: skip

#: Local figures that parks, libraries and centres are named after (fictional people).
HONOREES: Final = (
    "Marie-Anne-Lacasse", "Joseph-Brisebois", "Henriette-Dufresne", "Alphonse-Rivard",
    "Éva-Chartrand", "Omer-Vaillancourt", "Rose-Délima-Plante", "Napoléon-Archambault",
    "Thérèse-Lamarche", "Adélard-Hétu", "Cécile-Gervais", "Wilfrid-Corbeil",
    "Margaret-Fraser", "Hugh-McKenzie", "Irène-Desrosiers", "Ovila-Beauchamp",
)  # fmt: skip

#: Park names that are not honorifics: (English, French).
PARK_NAMES: Final = (
    ("Willow Park", "Parc des Saules"), ("Riverfront Park", "Parc riverain"),
    ("Heron Marsh Nature Park", "Parc nature du Marais-aux-Hérons"),
    ("Mill Falls Park", "Parc des Chutes-du-Moulin"), ("Orchard Park", "Parc du Verger"),
    ("Green Hill Park", "Parc de la Colline-Verte"), ("Maple Grove", "Parc de l'Érablière"),
    ("Pioneers' Square", "Square des Pionniers"), ("Lock Park", "Parc des Écluses"),
    ("Meadow Park", "Parc des Prés"), ("Sugar Shack Park", "Parc de la Cabane-à-Sucre"),
    ("Skate Park", "Planchodrome"), ("Dog Park", "Parc canin"),
    ("Community Garden Park", "Parc du Jardin-Communautaire"),
    ("Belvedere Park", "Parc du Belvédère"), ("Birch Park", "Parc des Bouleaux"),
    ("Brookside Park", "Parc du Ruisseau"), ("Splash Pad Park", "Parc des Jeux-d'Eau"),
)  # fmt: skip
