"""French date and time formats as written in Quebec: 7 décembre 2026, 16 h 30.

Short dates are ISO 8601 (2026-12-07), the Office québécois de la langue française's
recommendation, so the staff queue reads the same way in both languages.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "G \\h i"
DATETIME_FORMAT = "j F Y, G \\h i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d G \\h i"
