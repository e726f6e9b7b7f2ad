"""Redaction of what people type: personal details go, ordinary words and numbers stay."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.privacy.redact import (
    DATE,
    EMAIL_ADDRESS,
    NHS_NUMBER,
    PHONE_NUMBER,
    POSTCODE,
    is_valid_nhs_number,
    redact,
)

# NHS numbers that pass the modulus 11 check, worked by hand:
# 943 476 5919: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 % 11 = 2; 11 - 2 = 9.
VALID_NHS = "9434765919"


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("9434765919", True),
        ("943 476 5919", True),
        ("943-476-5919", True),
        ("9434765918", False),  # wrong check digit
        ("4010232137", True),  # 4*10+0+1*8+0+2*6+3*5+2*4+1*3+3*2 = 92; 92 % 11 = 4; 11 - 4 = 7
        ("1000000010", False),  # check digit would be 10: never issued
        ("943476591", False),  # nine digits
    ],
)
def test_nhs_number_check_digit(number: str, valid: bool) -> None:
    assert is_valid_nhs_number(number) is valid


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # NHS numbers, however they are written, valid check digit or not
        ("His NHS number is 943 476 5919", f"His NHS number is {NHS_NUMBER}"),
        ("nhs no: 943-476-5919.", f"nhs no: {NHS_NUMBER}."),
        ("9434765919", NHS_NUMBER),
        ("NHS9434765919", f"NHS{NHS_NUMBER}"),
        ("it's 943 476 5918 I think", f"it's {NHS_NUMBER} I think"),
        ("1234567890", NHS_NUMBER),
        ("943  476  5919", NHS_NUMBER),
        ("943 - 476 - 5919", NHS_NUMBER),
        # UK phone numbers
        ("call me on 07700 900123", f"call me on {PHONE_NUMBER}"),
        ("07700900123", PHONE_NUMBER),
        ("(01202) 123456 after 6pm", f"{PHONE_NUMBER} after 6pm"),
        ("+44 7700 900123", PHONE_NUMBER),
        ("+44 (0)1202 123 456", PHONE_NUMBER),
        ("0044 20 7946 0000", PHONE_NUMBER),
        ("020 7946 0000", PHONE_NUMBER),
        ("0113-496-0000", PHONE_NUMBER),
        ("tel:01632960123", f"tel:{PHONE_NUMBER}"),
        ("ring 0800 123 4567 or 07700 900 123", f"ring {PHONE_NUMBER} or {PHONE_NUMBER}"),
        ("from abroad +1 555 123 4567", f"from abroad {PHONE_NUMBER}"),
        # email addresses
        ("email jo.bloggs+ward@example.co.uk.", f"email {EMAIL_ADDRESS}."),
        ("Mum's is MARY_SMITH1941@mail.example.com, thanks", f"Mum's is {EMAIL_ADDRESS}, thanks"),
        ("(a@b.org)", f"({EMAIL_ADDRESS})"),
        # full postcodes: the outward code stays
        ("We live at BH15 2AA", f"We live at BH15 {POSTCODE}"),
        ("postcode bh15 2aa", f"postcode bh15 {POSTCODE}"),
        ("SW1A 1AA", f"SW1A {POSTCODE}"),
        ("M11AE", f"M1 {POSTCODE}"),
        ("HR4 9AA, Hereford", f"HR4 {POSTCODE}, Hereford"),
        ("RM7 0AG", f"RM7 {POSTCODE}"),
        # dates and dates of birth
        ("born 12/03/1941", f"born {DATE}"),
        ("DOB 12.3.41", f"DOB {DATE}"),
        ("born 1941-03-12", f"born {DATE}"),
        ("born on 12 March 1941", f"born on {DATE}"),
        ("12th of March, 1941", DATE),
        ("March 12, 1941", DATE),
        ("3 Sept 2024 she fell", f"{DATE} she fell"),
        ("date of birth: 1941", f"date of birth: {DATE}"),
        ("she was born in 1941", f"she was born in {DATE}"),
        ("DOB: March 1941", f"DOB: {DATE}"),
        # two dates in a row are two dates, not one 10-digit number
        ("born 12-03-1941 or 12-03-1942", f"born {DATE} or {DATE}"),
        ("12/03/1941 14/05/1950", f"{DATE} {DATE}"),
        # a date pattern never takes the first digits of a longer number
        ("seen 12 March 48 57773456", f"seen 12 March {NHS_NUMBER}"),
        # several at once
        (
            "Dad (NHS 943 476 5919, born 12/03/1941) lives at BH15 2AA, call 07700 900123",
            f"Dad (NHS {NHS_NUMBER}, born {DATE}) lives at BH15 {POSTCODE}, call {PHONE_NUMBER}",
        ),
    ],
)
def test_personal_details_are_replaced(typed: str, stored: str) -> None:
    assert redact(typed) == stored


@pytest.mark.parametrize(
    "ordinary",
    [
        "What is pathway 1?",
        "P1 or P2, 2nd time in hospital",
        "Is it free for 6 weeks?",
        "Do I pay if he has savings over £30,000?",
        "£23,250 upper capital limit",
        "Call NHS 111 or 999",
        "Samaritans 116 123",
        "between 2015 and 2023",
        "24/7 care",
        "visiting 10:30 to 12:00",
        "discharged on 3 May",
        "about 20-30% of people",
        "ward B4",
        "meet at L1 2pm",
        "BH15",
        "Christchurch, Dorset",
        "room 101, bed 12",
        "She's 84 and lives alone",
        "grammar 12, 2023",
        "",
    ],
)
def test_ordinary_text_is_untouched(ordinary: str) -> None:
    assert redact(ordinary) == ordinary


@pytest.mark.parametrize(
    "awkward",
    ["a" * 2000, "1 " * 1000, "@a." * 666, "a." * 1000 + "@", "x@" + "a-" * 999, "0" * 2000, "12 March " * 220],
    ids=["letters", "spaced digits", "at-dots", "dots then at", "long domain", "zeros", "repeated dates"],
)
def test_long_awkward_messages_are_quick(awkward: str) -> None:
    def seconds() -> float:
        started = time.perf_counter()
        redact(awkward)
        return time.perf_counter() - started

    # About 25 ms each on a quiet machine; a runaway pattern takes many seconds. Best of three,
    # so a busy shared machine doesn't fail it.
    assert min(seconds() for _ in range(3)) < 1.0


def _ten_digit_runs(text: str) -> list[str]:
    """Every run of exactly ten digits, single spaces or dashes allowed between them."""
    runs = re.findall(r"[0-9](?:[ \u00a0-]?[0-9])*", text)
    return [run for run in runs if len(re.sub(r"\D", "", run)) == 10]


def _nhs_numbers(draw: st.DrawFn) -> tuple[str, str]:
    first_nine = draw(st.lists(st.integers(0, 9), min_size=9, max_size=9))
    total = sum(d * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    if check == 10:
        first_nine[0] = (first_nine[0] + 1) % 10  # moves the total by 10, so the check digit is no longer 10
        total = sum(d * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
    digits = "".join(map(str, first_nine)) + str(check)
    separators = draw(st.lists(st.sampled_from(["", " ", "-"]), min_size=9, max_size=9))
    written = digits[0] + "".join(sep + digit for sep, digit in zip(separators, digits[1:], strict=True))
    return digits, written


nhs_numbers = st.composite(_nhs_numbers)()
# Characters that make redaction patterns interact: digits, separators, @, brackets, letters.
tricky_text = st.text(alphabet="0123456789 -+()./@:abeBHSW", max_size=60)
any_text = st.text(max_size=80)


@given(nhs_numbers)
def test_generated_nhs_numbers_pass_the_check(number: tuple[str, str]) -> None:
    digits, written = number
    assert is_valid_nhs_number(digits)
    assert is_valid_nhs_number(written)


@settings(max_examples=300)
@given(any_text | tricky_text)
@example("0 1 2 3 4 5 6 7 8 9")
@example("+0123456789")
@example("x@y.com@z.org")
def test_redaction_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@settings(max_examples=300)
@given(any_text | tricky_text)
def test_no_ten_digit_number_survives(text: str) -> None:
    assert _ten_digit_runs(redact(text)) == []


@settings(max_examples=300)
@given(nhs_numbers, any_text | tricky_text, any_text | tricky_text)
def test_an_nhs_number_in_any_sentence_is_removed(number: tuple[str, str], before: str, after: str) -> None:
    digits, written = number
    result = redact(f"{before} {written} {after}")
    # The ten digits must not be readable in order anywhere, with or without spaces or dashes.
    assert not re.search(r"[ \u00a0-]*".join(digits), result), result


@settings(max_examples=300)
@given(st.emails(), any_text | tricky_text, any_text | tricky_text)
def test_an_email_address_in_any_sentence_is_removed(email: str, before: str, after: str) -> None:
    result = redact(f"{before} {email} {after}")
    assert email not in result
    assert "@" + email.rsplit("@", 1)[1] not in result


@given(st.sampled_from(["BH15 2AA", "HP20 1QA", "HR1 2ZZ", "IG11 8PT", "W1A 0AX"]), any_text, any_text)
def test_a_postcode_in_any_sentence_keeps_only_its_outward_code(postcode: str, before: str, after: str) -> None:
    outward, inward = postcode.split()
    result = redact(f"{before} {postcode} {after}")
    assert postcode not in result
    assert f"{outward} {POSTCODE}" in result
