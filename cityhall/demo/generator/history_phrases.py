"""What residents write and what staff answer, in both languages, for the demo's past requests.

`{street}` in a description is replaced by the street of the request's address.
"""

from __future__ import annotations

#: Relative request volume per month (January first) for each service the history uses.
SEASONS: dict[str, tuple[int, ...]] = {
    "snow-removal": (10, 9, 5, 1, 0, 0, 0, 0, 0, 0, 3, 8),
    "icy-sidewalk": (8, 8, 5, 2, 0, 0, 0, 0, 0, 0, 2, 6),
    "snowbank": (6, 6, 3, 0, 0, 0, 0, 0, 0, 0, 1, 4),
    "outdoor-rink": (4, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2),
    "pothole": (2, 3, 8, 10, 8, 4, 2, 2, 2, 2, 2, 2),
    "damaged-sidewalk": (1, 1, 2, 4, 4, 3, 3, 3, 3, 2, 1, 1),
    "road-debris": (1, 1, 3, 4, 2, 1, 1, 1, 1, 2, 2, 1),
    "catch-basin": (1, 1, 4, 5, 2, 2, 2, 2, 2, 3, 3, 1),
    "streetlight": (4, 3, 3, 2, 2, 1, 1, 2, 3, 4, 5, 5),
    "graffiti": (1, 1, 2, 3, 4, 4, 4, 4, 3, 2, 1, 1),
    "park-maintenance": (0, 0, 1, 2, 4, 6, 7, 7, 4, 2, 1, 0),
    "playground": (0, 0, 0, 1, 3, 4, 5, 5, 3, 1, 0, 0),
    "noise": (1, 1, 1, 2, 3, 6, 8, 7, 3, 2, 1, 1),
    "tree-maintenance": (1, 1, 1, 2, 2, 2, 2, 2, 4, 7, 6, 1),
    "fallen-tree": (1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 2, 1),
    "missed-collection": (3, 3, 3, 3, 3, 3, 3, 3, 4, 6, 6, 3),
    "bulky-items": (1, 1, 1, 3, 5, 6, 6, 4, 3, 3, 2, 1),
    "illegal-dumping": (1, 1, 1, 2, 3, 3, 4, 3, 2, 2, 1, 1),
    "water-leak": (3, 3, 3, 2, 1, 1, 1, 1, 1, 1, 2, 3),
    "dead-animal": (1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 1, 1),
}

#: Openings of citizens' descriptions, by service and language.
DESCRIPTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "snow-removal": {
        "en": (
            "The plow has not come down {street} since the storm.",
            "{street} is still covered in snow, cars are getting stuck.",
            "Our end of {street} was skipped by the snow plow.",
        ),
        "fr": (
            "La déneigeuse n'est pas passée sur {street} depuis la tempête.",
            "La rue {street} est encore enneigée, des autos restent prises.",
            "Notre bout de {street} a été oublié par le déneigement.",
        ),
    },
    "icy-sidewalk": {
        "en": (
            "The sidewalk on {street} is a sheet of ice.",
            "Very slippery sidewalk on {street}, someone fell this morning.",
            "No salt or sand on the sidewalk of {street}.",
        ),
        "fr": (
            "Le trottoir de {street} est une vraie patinoire.",
            "Trottoir très glissant sur {street}, une personne est tombée ce matin.",
            "Aucun sel ni sable sur le trottoir de {street}.",
        ),
    },
    "snowbank": {
        "en": (
            "A snowbank on {street} blocks the view at the corner.",
            "The plow left a huge snowbank across my driveway on {street}.",
        ),
        "fr": (
            "Un banc de neige sur {street} bloque la vue au coin.",
            "La charrue a laissé un énorme banc de neige devant mon entrée sur {street}.",
        ),
    },
    "outdoor-rink": {
        "en": (
            "The ice at the rink near {street} is full of cracks.",
            "The rink lights near {street} stay off in the evening.",
        ),
        "fr": (
            "La glace de la patinoire près de {street} est pleine de fissures.",
            "Les lumières de la patinoire près de {street} restent éteintes le soir.",
        ),
    },
    "pothole": {
        "en": (
            "Deep pothole in the right lane of {street}.",
            "There is a big hole in the pavement on {street}, it damaged my tire.",
            "Several potholes in front of the school on {street}.",
        ),
        "fr": (
            "Nid-de-poule profond dans la voie de droite sur {street}.",
            "Gros trou dans la chaussée sur {street}, mon pneu est endommagé.",
            "Plusieurs nids-de-poule devant l'école sur {street}.",
        ),
    },
    "damaged-sidewalk": {
        "en": (
            "A slab of the sidewalk on {street} is lifted, easy to trip on.",
            "Broken sidewalk on {street}, hard to pass with a stroller.",
        ),
        "fr": (
            "Une dalle du trottoir de {street} est soulevée, on peut trébucher.",
            "Trottoir brisé sur {street}, difficile de passer avec une poussette.",
        ),
    },
    "road-debris": {
        "en": (
            "Gravel and debris all over the road on {street}.",
            "Pieces of wood lying in the middle of {street}.",
        ),
        "fr": (
            "Du gravier et des débris partout sur la chaussée de {street}.",
            "Des morceaux de bois au milieu de {street}.",
        ),
    },
    "catch-basin": {
        "en": (
            "The catch basin on {street} is blocked, water is pooling.",
            "Big puddle on {street}, the drain seems clogged with leaves.",
        ),
        "fr": (
            "Le puisard de {street} est bouché, l'eau s'accumule.",
            "Grande flaque sur {street}, la grille semble bouchée par les feuilles.",
        ),
    },
    "streetlight": {
        "en": (
            "The streetlight in front of my house on {street} is out.",
            "A street lamp on {street} keeps flickering at night.",
            "Two lights are off on {street}, it is very dark.",
        ),
        "fr": (
            "Le lampadaire devant chez moi sur {street} est éteint.",
            "Un lampadaire de {street} clignote toute la nuit.",
            "Deux lumières sont éteintes sur {street}, c'est très sombre.",
        ),
    },
    "graffiti": {
        "en": (
            "New graffiti on the wall of the underpass on {street}.",
            "Tags painted on the bus shelter on {street}.",
        ),
        "fr": (
            "Nouveaux graffitis sur le mur du passage sous {street}.",
            "Des tags peints sur l'abribus de {street}.",
        ),
    },
    "park-maintenance": {
        "en": (
            "The grass in the park near {street} has not been cut in weeks.",
            "Trash bins overflowing in the park by {street}.",
            "A bench is broken in the small park on {street}.",
        ),
        "fr": (
            "Le gazon du parc près de {street} n'a pas été coupé depuis des semaines.",
            "Les poubelles débordent dans le parc près de {street}.",
            "Un banc est brisé dans le petit parc de {street}.",
        ),
    },
    "playground": {
        "en": (
            "A swing is broken at the playground near {street}.",
            "Sharp edge on the slide at the playground on {street}.",
        ),
        "fr": (
            "Une balançoire est brisée au module de jeux près de {street}.",
            "Rebord coupant sur la glissoire du parc de {street}.",
        ),
    },
    "noise": {
        "en": (
            "Loud music every night from a house on {street}.",
            "Construction noise on {street} starting before 7 a.m.",
            "A party on {street} is still going at 2 a.m.",
        ),
        "fr": (
            "Musique forte tous les soirs dans une maison de {street}.",
            "Bruit de chantier sur {street} dès 6 h du matin.",
            "Une fête sur {street} continue encore à 2 h du matin.",
        ),
    },
    "tree-maintenance": {
        "en": (
            "Branches of the city tree on {street} hang over the sidewalk.",
            "The leaves from the trees on {street} are blocking the gutter.",
            "A city tree on {street} looks dead and could fall.",
        ),
        "fr": (
            "Les branches de l'arbre de la ville sur {street} pendent au-dessus du trottoir.",
            "Les feuilles des arbres de {street} bouchent le caniveau.",
            "Un arbre public sur {street} semble mort et pourrait tomber.",
        ),
    },
    "fallen-tree": {
        "en": (
            "A large branch fell on {street} after the wind.",
            "A tree came down across {street} last night.",
        ),
        "fr": (
            "Une grosse branche est tombée sur {street} après le vent.",
            "Un arbre est tombé en travers de {street} cette nuit.",
        ),
    },
    "missed-collection": {
        "en": (
            "Our bins on {street} were not picked up this week.",
            "The leaf bags on {street} were left behind by the truck.",
        ),
        "fr": (
            "Nos bacs sur {street} n'ont pas été ramassés cette semaine.",
            "Les sacs de feuilles sur {street} ont été oubliés par le camion.",
        ),
    },
    "bulky-items": {
        "en": (
            "I would like an old sofa picked up at my address on {street}.",
            "Pickup of a mattress and a table, please, on {street}.",
        ),
        "fr": (
            "J'aimerais faire ramasser un vieux divan à mon adresse sur {street}.",
            "Collecte d'un matelas et d'une table, s'il vous plaît, sur {street}.",
        ),
    },
    "illegal-dumping": {
        "en": (
            "Someone dumped construction waste in the lane behind {street}.",
            "Old tires left on the empty lot on {street}.",
        ),
        "fr": (
            "Quelqu'un a jeté des déchets de construction dans la ruelle derrière {street}.",
            "De vieux pneus abandonnés sur le terrain vague de {street}.",
        ),
    },
    "water-leak": {
        "en": (
            "Water is running out of the ground on {street}.",
            "A leak near the curb stop on {street}, the sidewalk is flooded.",
        ),
        "fr": (
            "De l'eau sort du sol sur {street}.",
            "Une fuite près de la boîte de service sur {street}, le trottoir est inondé.",
        ),
    },
    "dead-animal": {
        "en": (
            "A dead raccoon is lying on the side of {street}.",
            "There is a dead bird on the sidewalk of {street}.",
        ),
        "fr": (
            "Un raton laveur mort sur le bord de {street}.",
            "Un oiseau mort sur le trottoir de {street}.",
        ),
    },
}

#: Endings appended to some descriptions, so that no two residents sound exactly alike.
ENDINGS: dict[str, tuple[str, ...]] = {
    "en": (
        "",
        " Thank you.",
        " It has been like this for a few days.",
        " Could someone take a look soon?",
        " It is dangerous for children walking to school.",
    ),
    "fr": (
        "",
        " Merci.",
        " C'est comme ça depuis quelques jours.",
        " Quelqu'un pourrait-il venir voir bientôt?",
        " C'est dangereux pour les enfants qui vont à l'école.",
    ),
}

#: Notes staff left for the reporter, by the status reached and the language of the request.
NOTES: dict[str, dict[str, tuple[str, ...]]] = {
    "acknowledged": {
        "en": ("We received your request.", "Thank you, your request was sent to the team."),
        "fr": (
            "Nous avons reçu votre demande.",
            "Merci, votre demande a été transmise à l'équipe.",
        ),
    },
    "in_progress": {
        "en": ("A crew is scheduled.", "Work has started.", ""),
        "fr": ("Une équipe est planifiée.", "Les travaux sont commencés.", ""),
    },
    "on_hold": {
        "en": ("Waiting for parts.", "Waiting for better weather to do the work."),
        "fr": ("En attente de pièces.", "En attente d'une meilleure météo pour les travaux."),
    },
    "resolved": {
        "en": ("The work is done.", "Fixed. Thank you for reporting it.", "Repaired today."),
        "fr": ("Les travaux sont terminés.", "Réglé. Merci de l'avoir signalé.", "Réparé ce jour."),
    },
    "closed": {"en": ("",), "fr": ("",)},
    "rejected": {
        "en": (
            "This is on private property; the owner is responsible.",
            "Not the city's responsibility; we forwarded it to the province.",
        ),
        "fr": (
            "Il s'agit d'un terrain privé; le propriétaire est responsable.",
            "Ce n'est pas de compétence municipale; transmis à la province.",
        ),
    },
    "duplicate": {
        "en": ("Already reported; we are following up on the first request.",),
        "fr": ("Déjà signalé; nous donnons suite à la première demande.",),
    },
}
