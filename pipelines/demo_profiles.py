"""Calibration constants for the demo data (sources.md §5). Fictional, never shown as real.

Orders of magnitude follow the published figures: about 270,000 unemployed in Niedersachsen
and 42,000 in Bremen (end of 2025), almost 3.2 million SvB in Niedersachsen, the lowest
Kreis rates in Grafschaft Bentheim, the highest in Wilhelmshaven, and the Agentur
Hildesheim (Hildesheim + Peine) at about 16,000 unemployed.
"""

from __future__ import annotations

# Kreis -> (unemployed end of 2025, SvB at place of work in thousands, unemployed per vacancy)
KREIS_PROFILE: dict[str, tuple[int, int, float]] = {
    "03101": (10_200, 135, 4.2),
    "03102": (5_900, 50, 5.6),
    "03103": (3_900, 125, 2.4),
    "03151": (4_700, 45, 3.9),
    "03153": (5_000, 45, 5.1),
    "03154": (2_700, 20, 4.8),
    "03155": (4_000, 42, 4.4),
    "03157": (4_900, 38, 4.6),
    "03158": (3_300, 30, 4.3),
    "03159": (9_600, 115, 4.5),
    "03241": (50_500, 540, 5.0),
    "03251": (5_800, 70, 3.4),
    "03252": (5_600, 48, 5.2),
    "03254": (11_300, 95, 5.3),
    "03255": (2_300, 22, 4.7),
    "03256": (3_900, 38, 3.9),
    "03257": (5_100, 42, 4.9),
    "03351": (6_500, 55, 4.8),
    "03352": (6_300, 50, 5.0),
    "03353": (5_700, 55, 4.1),
    "03354": (1_600, 14, 4.9),
    "03355": (5_300, 60, 4.3),
    "03356": (2_800, 25, 4.2),
    "03357": (3_600, 52, 3.2),
    "03358": (4_200, 40, 4.4),
    "03359": (6_300, 60, 4.6),
    "03360": (2_800, 26, 4.5),
    "03361": (3_700, 48, 3.3),
    "03401": (4_600, 24, 6.1),
    "03402": (2_700, 35, 4.9),
    "03403": (7_000, 85, 4.8),
    "03404": (7_200, 105, 4.6),
    "03405": (4_900, 28, 7.2),
    "03451": (3_000, 40, 3.3),
    "03452": (7_000, 55, 5.0),
    "03453": (4_700, 65, 3.4),
    "03454": (5_400, 130, 2.6),
    "03455": (2_500, 25, 4.4),
    "03456": (2_300, 52, 2.3),
    "03457": (6_000, 48, 4.8),
    "03458": (3_000, 35, 3.6),
    "03459": (7_800, 125, 3.1),
    "03460": (3_300, 68, 2.6),
    "03461": (2_600, 26, 4.4),
    "03462": (1_500, 14, 4.2),
    "04011": (34_000, 330, 6.9),
    "04012": (8_000, 55, 7.8),
}

# Share of SvB in WZ 29 and extra weight for supplier divisions (22, 24-28) per Kreis.
AUTOMOTIVE_CORE_SHARE: dict[str, float] = {
    "03103": 0.55,
    "03402": 0.30,
    "03102": 0.24,
    "03101": 0.07,
    "03241": 0.045,
    "03254": 0.05,
    "03151": 0.06,
    "03404": 0.05,
    "04011": 0.06,
    "03157": 0.025,
    "03153": 0.02,
    "03158": 0.03,
    "03154": 0.03,
    "03459": 0.02,
    "03454": 0.015,
}
SUPPLIER_BOOST: dict[str, float] = {
    "03254": 2.2,
    "03157": 1.8,
    "03153": 1.6,
    "03102": 2.5,
    "03151": 1.7,
    "03158": 1.5,
    "03252": 1.5,
    "03255": 1.6,
    "03257": 1.3,
    "03454": 1.4,
    "03459": 1.5,
    "03460": 1.3,
    "03456": 1.4,
    "03155": 1.3,
}

# Share of all SvB per WZ section (Niedersachsen-like).
SECTION_SHARE: dict[str, float] = {
    "A": 0.012,
    "B": 0.003,
    "C": 0.205,
    "D": 0.009,
    "E": 0.008,
    "F": 0.068,
    "G": 0.150,
    "H": 0.065,
    "I": 0.032,
    "J": 0.024,
    "K": 0.025,
    "L": 0.005,
    "M": 0.050,
    "N": 0.072,
    "O": 0.058,
    "P": 0.038,
    "Q": 0.152,
    "R": 0.007,
    "S": 0.022,
    "T": 0.0005,
    "U": 0.0005,
}
# Relative weight of a division inside its section where it is not 1.
DIVISION_WEIGHT: dict[str, float] = {
    "10": 4.0,
    "22": 2.0,
    "24": 1.2,
    "25": 2.5,
    "27": 1.5,
    "28": 3.0,
    "29": 3.0,
    "20": 1.0,
    "26": 1.0,
    "12": 0.1,
    "19": 0.2,
    "45": 1.0,
    "46": 2.5,
    "47": 3.5,
    "49": 2.0,
    "52": 2.0,
    "86": 2.5,
    "87": 1.5,
    "88": 2.0,
    "84": 1.0,
    "78": 1.3,
    "62": 1.5,
    "43": 2.5,
    "41": 0.8,
}

# KldB Berufshauptgruppe -> relative weight among the unemployed (the rest weigh 1.0).
OCCUPATION_WEIGHT: dict[str, float] = {
    "51": 4.0,
    "52": 2.0,
    "53": 1.5,
    "54": 3.0,
    "62": 3.5,
    "63": 2.0,
    "71": 3.0,
    "72": 1.0,
    "73": 1.2,
    "81": 1.8,
    "82": 2.0,
    "83": 2.0,
    "84": 0.6,
    "24": 1.6,
    "25": 1.6,
    "26": 1.3,
    "29": 1.8,
    "32": 1.6,
    "34": 1.2,
    "11": 0.6,
    "12": 0.8,
    "01": 0.02,
    "41": 0.4,
    "43": 0.8,
}
# Berufsgruppen that move with the automotive crisis of 2025/26.
AUTOMOTIVE_OCCUPATIONS = (
    "221",
    "222",
    "241",
    "242",
    "243",
    "244",
    "245",
    "251",
    "252",
    "261",
    "263",
    "271",
    "272",
    "273",
)

# Seats of the Kreise the network touches (lon, lat) for firm points.
KREIS_SEAT: dict[str, tuple[float, float]] = {
    "03254": (9.951, 52.151),
    "03157": (10.228, 52.320),
    "03153": (10.430, 51.906),
    "03241": (9.735, 52.375),
    "03102": (10.347, 52.151),
    "03101": (10.524, 52.268),
    "03158": (10.535, 52.163),
    "03252": (9.356, 52.103),
    "03255": (9.633, 51.828),
    "03155": (9.997, 51.707),
    "03103": (10.787, 52.423),
    "03151": (10.546, 52.478),
    "03159": (9.934, 51.541),
}

RELEASING_FIRMS: dict[str, list[tuple[str, str, str]]] = {
    # Kreis -> [(name, WZ division, size class)], all names fictional
    "03254": [
        ("Innerste Antriebskomponenten GmbH", "29", "250-499"),
        ("Leinebergland Kunststofftechnik GmbH", "22", "100-249"),
        ("Ambergau Elektronikmodule AG", "27", "500+"),
        ("Sieben Berge Präzisionsguss GmbH", "24", "250-499"),
        ("Hildesheimer Börde Zierteile GmbH & Co. KG", "29", "100-249"),
        ("Vorholz Fahrwerkstechnik GmbH", "28", "100-249"),
    ],
    "03157": [
        ("Fuhsetal Blechumformung GmbH", "25", "250-499"),
        ("Peiner Moor Kabelsysteme GmbH", "27", "100-249"),
    ],
    "03153": [
        ("Oberharz Metallveredelung GmbH", "25", "100-249"),
        ("Okertal Gummi-Metall-Technik GmbH", "22", "250-499"),
    ],
}

RECEIVING_FIRMS: list[tuple[str, str, str, str, bool]] = [
    # (name, WZ division, Kreis, size class, collective agreement)
    ("Leinewerk Energienetze GmbH", "35", "03254", "250-499", True),
    ("Hildesheimer Schienenfahrzeugservice GmbH", "30", "03254", "100-249", True),
    ("Galgenberg Gebäudetechnik GmbH", "43", "03254", "50-99", False),
    ("Klinikverbund Innerste gGmbH", "86", "03254", "500+", True),
    ("Innerste Logistikpark GmbH", "52", "03254", "250-499", False),
    ("Stadtwerke-Dienstleister Börde AöR", "35", "03254", "100-249", True),
    ("Marienburger Maschinenbau GmbH", "28", "03254", "100-249", True),
    ("Kreisverwaltung-Service Hildesheim (fiktiv)", "84", "03254", "500+", True),
    ("Fuhse Wärmepumpen GmbH", "27", "03157", "100-249", True),
    ("Peiner Trafo- und Schaltanlagenbau GmbH", "27", "03157", "250-499", True),
    ("Eixe Bahninfrastruktur GmbH", "42", "03157", "50-99", False),
    ("Harzer Windkraftservice GmbH", "33", "03153", "50-99", False),
    ("Rammelsberg Medizintechnik GmbH", "32", "03153", "100-249", True),
    ("Oker Pflege- und Wohnstift gGmbH", "87", "03153", "100-249", True),
    ("Maschsee Software & Systeme GmbH", "62", "03241", "100-249", False),
    ("Hannoversche Netzleitstelle GmbH", "35", "03241", "500+", True),
    ("Lindener Verkehrsbetriebe-Werkstatt GmbH", "49", "03241", "500+", True),
    ("Eilenriede Rüstungselektronik GmbH", "26", "03241", "250-499", True),
    ("Salzgitter Wasserstoff-Anlagenbau GmbH", "28", "03102", "250-499", True),
    ("Braunschweiger Batterieforschung GmbH", "72", "03101", "100-249", True),
    ("Lechtal Zeitarbeit Nord GmbH", "78", "03101", "500+", False),
    ("Weserbergland Aufzugstechnik GmbH", "28", "03252", "50-99", True),
    ("Sollinger Holzbau GmbH", "16", "03255", "50-99", False),
    ("Wolfenbütteler Lebensmitteltechnik GmbH", "10", "03158", "100-249", False),
]

# Origin occupations of participants (KldB Berufsgruppe) with weights.
ORIGIN_OCCUPATIONS: dict[str, float] = {
    "241": 3,
    "242": 5,
    "244": 3,
    "245": 2,
    "251": 5,
    "252": 6,
    "261": 3,
    "263": 3,
    "221": 4,
    "222": 1,
    "273": 3,
    "272": 1,
    "271": 1,
    "513": 4,
    "714": 2,
    "722": 1,
}
# Receiving sectors' typical target occupations.
TARGET_OCCUPATIONS: dict[str, list[str]] = {
    "35": ["262", "263", "251"],
    "30": ["252", "251", "244"],
    "43": ["342", "262", "263"],
    "86": ["513", "813", "714"],
    "52": ["513", "521", "525"],
    "28": ["251", "242", "273"],
    "84": ["732", "714", "434"],
    "27": ["263", "262", "261"],
    "42": ["321", "522", "251"],
    "33": ["262", "251", "261"],
    "32": ["245", "825", "261"],
    "87": ["821", "513", "714"],
    "62": ["434", "431", "261"],
    "49": ["252", "521", "263"],
    "26": ["263", "261", "271"],
    "72": ["271", "413", "261"],
    "78": ["242", "513", "251"],
    "16": ["223", "342", "513"],
    "10": ["292", "251", "513"],
}

# Planned funding per quarter 2026-2028 (EUR); adds up to 530,000.
PLANNED_FUNDING: tuple[int, ...] = (
    30_000,
    40_000,
    45_000,
    45_000,
    45_000,
    45_000,
    45_000,
    45_000,
    45_000,
    45_000,
    50_000,
    50_000,
)

# Status of announced cuts and needs (weights): long in effect mostly settled, recent ones open.
SETTLED_STATUS: dict[str, float] = {"filled": 5, "partly": 2, "withdrawn": 1, "open": 1}
OPEN_STATUS: dict[str, float] = {"open": 7, "partly": 2, "withdrawn": 1}

# The Drehscheibe story (fictional): Innerste Antriebskomponenten (Hildesheim) closes its
# machining plant: 120 jobs in metalworking (242) and mechatronics (261) within six months;
# needs in Peine, Salzgitter and Hannover; one need partly filled (its open rest counts).
STORY_NEEDS: list[tuple[str, str, str, int, int, int, bool | None, float | None]] = [
    # firm, kind, KldB, persons, days after the demo's end, of them settled, training, wage offered
    ("R-03254-01", "cut", "24222", 70, 95, 0, None, None),
    ("R-03254-01", "cut", "26122", 50, 150, 0, None, None),
    ("E-019", "need", "24222", 25, 60, 0, True, 3650.0),  # Salzgitter Wasserstoff-Anlagenbau
    ("E-019", "need", "24412", 15, 90, 0, True, 3500.0),  # welding: related group 24
    ("E-010", "need", "24232", 16, 75, 4, False, 3800.0),  # Peiner Trafo- und Schaltanlagenbau, 4 filled
    ("E-009", "need", "26122", 18, 120, 0, True, 3700.0),  # Fuhse Wärmepumpen, Peine
    ("E-018", "need", "26123", 10, 140, 0, False, 4400.0),  # Eilenriede, Hannover (Spezialist)
    ("E-016", "need", "26212", 14, 100, 0, True, None),  # Hannoversche Netzleitstelle: related 26
    ("E-017", "need", "25212", 8, 80, 0, True, 3450.0),  # Lindener Werkstatt: related via switches
]
