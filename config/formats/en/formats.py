"""English date and time formats: the city's Canadian English, readable inside a sentence.

Django's own English formats end times with "p.m.", which doubles the full stop of any
sentence that ends with a time ("by Dec. 7, 2026, 4:30 p.m.."); "PM" never does. Short dates
are ISO 8601 (2026-12-07), which Canada's standards recommend and nobody reads as 12 July.
"""

DATE_FORMAT = "N j, Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "N j, Y, g:i A"
MONTH_DAY_FORMAT = "F j"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d g:i A"
