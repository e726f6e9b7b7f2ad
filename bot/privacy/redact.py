"""Takes personal details out of what people type, before it is stored or logged.

Removes NHS numbers, phone numbers, email addresses, full dates (and years given as a date
of birth), and the second half of full UK postcodes. Each is replaced by a placeholder that
says what was there, e.g. "[NHS number]", so a reader of a stored conversation still
understands it. The outward half of a postcode ("BH15") is kept because it says roughly
where someone lives, which the assistant needs for local answers, without saying which street.

It errs towards removing too much: any 10-digit number is removed as a possible NHS number
even if its check digit is wrong, because people mistype. Short numbers ("pathway 1",
"6 weeks", "£30,000", "NHS 111", "116 123") are left alone.

This is for text people type. The assistant's own replies are not passed through it: they
come from reviewed content and include helpline numbers that must stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NHS_NUMBER = "[NHS number]"
PHONE_NUMBER = "[phone number]"
EMAIL_ADDRESS = "[email address]"
POSTCODE = "[postcode]"
DATE = "[date]"

# Between the digits of an NHS number people type nothing, a space or two, or a dash.
_NHS_SEPARATOR = r"(?:[ \u00a0]{1,3}|[ \u00a0]?-[ \u00a0]?)"
_TEN_DIGITS = re.compile(rf"(?<![0-9])[0-9](?:{_NHS_SEPARATOR}?[0-9]){{9}}(?![0-9])")

# UK numbers: 0 then 9 or 10 digits; +44 / 0044 (optionally "(0)") then 9 or 10 digits.
# Spaces, dashes, dots and brackets may sit between digits: "(01202) 123 456", "+44 (0)7700-900123".
_PHONE_GAP = r"[ \u00a0\-.()]*"
_UK_PHONE = re.compile(
    rf"(?<![0-9+])(?:(?:\+|00)44{_PHONE_GAP}(?:\(0\){_PHONE_GAP})?|\(?0)[0-9](?:{_PHONE_GAP}[0-9]){{8,9}}(?![0-9])"
)
# Other countries' numbers written with "+": 8 to 15 digits in all (the international maximum).
_INTERNATIONAL_PHONE = re.compile(rf"(?<![0-9+])\+[1-9](?:{_PHONE_GAP}[0-9]){{7,14}}(?![0-9])")

_EMAIL = re.compile(
    r"[\w.!#$%&'*+/=?^`{|}~-]+@(?:[\w-]+\.)+[\w-]*[^\W\d_][\w-]*",
)

_MONTH = (
    r"(?<![a-z])(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:[0-9]{4}|'?[0-9]{2})"
_TEXT_DATES = re.compile(
    rf"(?<![0-9])(?:{_DAY}(?:\s+of)?[\s-]*{_MONTH}[\s,-]*{_YEAR}|{_MONTH}\s*{_DAY},?\s*{_YEAR})(?![0-9])",
    re.IGNORECASE,
)
# Numeric dates stand alone: not glued by "/", "." or "-" to more digits, as in a longer number.
_ALONE_BEFORE = r"(?<![0-9])(?<![0-9][/.-])"
_ALONE_AFTER = r"(?![0-9])(?![/.-][0-9])"
_DAY_MONTH_YEAR = re.compile(
    rf"{_ALONE_BEFORE}([0-9]{{1,2}})([/.-])([0-9]{{1,2}})\2([0-9]{{4}}|[0-9]{{2}}){_ALONE_AFTER}"
)
_YEAR_MONTH_DAY = re.compile(rf"{_ALONE_BEFORE}([0-9]{{4}})([/.-])([0-9]{{1,2}})\2([0-9]{{1,2}}){_ALONE_AFTER}")
# A year (or month and year) said to be a date of birth: "born in 1941", "DOB: March 1941".
_BIRTH_YEAR = re.compile(
    rf"(\b(?:born|date\s+of\s+birth|d\.?o\.?b)\b\.?[\s:-]*(?:(?:in|on|is|was)\s+)?)((?:{_MONTH}\s+)?[0-9]{{4}})\b",
    re.IGNORECASE,
)

# The postcode areas of the UK, Channel Islands and Isle of Man (the letters before the first digit).
# Naming them keeps "P1" (pathway 1) or "ward Q2" from being read as postcodes.
_POSTCODE_AREAS = (
    "AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY "
    "E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN "
    "LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP "
    "SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"
).split()
_AREA = "|".join(sorted(_POSTCODE_AREAS, key=len, reverse=True))
# Inward codes never use the letters C, I, K, M, O or V, so "L1 2pm" is a time, not a postcode.
_FULL_POSTCODE = re.compile(
    rf"(?<![A-Za-z0-9])((?:{_AREA})[0-9][A-Za-z0-9]?)[ \u00a0]*([0-9][ABD-HJLNP-UW-Z]{{2}})(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def is_valid_nhs_number(number: str) -> bool:
    """True if ``number`` (digits, with any spaces or dashes) passes the NHS modulus 11 check."""
    digits = [int(c) for c in number if c.isascii() and c.isdigit()]
    if len(digits) != 10:
        return False
    total = sum(digit * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == digits[9]


def _is_day_and_month(first: int, second: int) -> bool:
    """Either British (day, month) or American (month, day) order makes a real date."""
    return (1 <= first <= 31 and 1 <= second <= 12) or (1 <= first <= 12 and 1 <= second <= 31)


def _numeric_date(match: re.Match[str]) -> str:
    return DATE if _is_day_and_month(int(match[1]), int(match[3])) else match[0]


def _iso_date(match: re.Match[str]) -> str:
    return DATE if 1 <= int(match[3]) <= 12 and 1 <= int(match[4]) <= 31 else match[0]


def _redact_numeric_dates(text: str) -> str:
    text = _YEAR_MONTH_DAY.sub(_iso_date, text)
    return _DAY_MONTH_YEAR.sub(_numeric_date, text)


def _redact_written_dates(text: str) -> str:
    text = _TEXT_DATES.sub(DATE, text)
    return _BIRTH_YEAR.sub(lambda m: m[1] + DATE, text)


def _redact_phone_numbers(text: str) -> str:
    text = _UK_PHONE.sub(PHONE_NUMBER, text)
    return _INTERNATIONAL_PHONE.sub(PHONE_NUMBER, text)


def _redact_nhs_numbers(text: str) -> str:
    # Every 10-digit run goes, valid check digit or not: a mistyped NHS number still identifies someone.
    return _TEN_DIGITS.sub(NHS_NUMBER, text)


def _redact_emails(text: str) -> str:
    return _EMAIL.sub(EMAIL_ADDRESS, text)


def _redact_postcodes(text: str) -> str:
    return _FULL_POSTCODE.sub(lambda m: f"{m[1]} {POSTCODE}", text)


# Emails first, as they can hold digits. Numeric dates next, so two dates in a row are not read
# as one 10-digit number. Then phone and NHS numbers, before written dates, so a date never takes
# the first digits of a longer number ("12 March 48 57773456"). Postcodes last: their outward code stays.
_STEPS: tuple[Callable[[str], str], ...] = (
    _redact_emails,
    _redact_numeric_dates,
    _redact_phone_numbers,
    _redact_nhs_numbers,
    _redact_written_dates,
    _redact_postcodes,
)


def redact(text: str) -> str:
    """``text`` with personal details replaced by placeholders. Safe to apply more than once."""
    for step in _STEPS:
        text = step(text)
    return text
