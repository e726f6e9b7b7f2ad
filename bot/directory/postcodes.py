"""Postcodes to council areas.

Two sources, best first:

1. The ``postcode`` table, loaded from the ONS Postcode Directory (ONSPD) by
   ``import_onspd``: every full postcode in the UK with its local authority district, so a
   deployment can cover all of England. A full postcode found there is an exact answer.
2. A small built-in table of outward codes (the part before the space) for the areas we
   cover. It is deliberately cautious: an outward code is given one council only where the
   whole postcode district lies in the middle of that council's towns; any district that
   reaches a council boundary (many BH districts are split between BCP and Dorset; London
   districts often cross borough lines; HR, HP and SL districts cross county and Welsh
   borders) is "ambiguous", so the assistant asks rather than guesses. It was compiled by
   hand from the postcode districts' towns, not from ONSPD; load ONSPD for exact answers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from bot.directory.models import Postcode

# ONS local authority district (GSS) codes of the councils we cover.
COUNCIL_FOR_DISTRICT = {
    "E06000058": "bcp",  # Bournemouth, Christchurch and Poole (from April 2019)
    "E06000059": "dorset",  # Dorset Council (from April 2019)
    "E09000002": "barking_dagenham",
    "E09000016": "havering",
    "E09000026": "redbridge",
    "E06000019": "herefordshire",
    "E06000060": "buckinghamshire",  # Buckinghamshire Council (from April 2020)
}

# Outward codes wholly inside one covered council (towns at the heart of the council area).
SINGLE_COUNCIL_OUTWARD_CODES: dict[str, str] = {
    # Bournemouth, Poole and Christchurch town districts.
    **{f"BH{n}": "bcp" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18)},
    # Dorchester, Weymouth, Portland, Bridport, Sturminster Newton, Blandford, Swanage, Wareham.
    **{f"DT{n}": "dorset" for n in (1, 2, 3, 4, 5, 6, 10, 11)},
    "BH19": "dorset",
    "BH20": "dorset",
    # Barking and Dagenham.
    "IG11": "barking_dagenham",
    "RM9": "barking_dagenham",
    # Romford, Gidea Park, Harold Hill, Hornchurch.
    **{code: "havering" for code in ("RM1", "RM2", "RM3", "RM11", "RM12")},
    # Ilford, Gants Hill, Redbridge, Clayhall, Barkingside.
    **{code: "redbridge" for code in ("IG1", "IG2", "IG4", "IG5", "IG6")},
    # Hereford.
    "HR1": "herefordshire",
    "HR4": "herefordshire",
    # Aylesbury, High Wycombe, Amersham, Beaconsfield, Chalfont St Giles, Great Missenden, Bourne End.
    **{f"HP{n}": "buckinghamshire" for n in (6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 19, 20, 21)},
    "SL8": "buckinghamshire",
}

# Outward codes that reach beyond one covered council: the covered councils they may be in.
# Where one council is listed, the other possibility is an area we do not cover.
AMBIGUOUS_OUTWARD_CODES: dict[str, tuple[str, ...]] = {
    # BH: Poole/Dorset edge (Upton, Lytchett, Turlin Moor), Wimborne/Merley, Ferndown/West Parley,
    # Christchurch/Hampshire edge, Ringwood (Hampshire) with St Leonards (Dorset), Verwood.
    "BH16": ("bcp", "dorset"),
    "BH21": ("dorset", "bcp"),
    "BH22": ("dorset", "bcp"),
    "BH23": ("bcp",),
    "BH24": ("dorset",),
    "BH31": ("dorset",),
    # DT and SP districts on the Devon, Somerset and Wiltshire borders.
    **{code: ("dorset",) for code in ("DT7", "DT8", "DT9", "SP7", "SP8")},
    # Barking and Dagenham, Havering and Redbridge edges; Essex and other London boroughs.
    "RM5": ("havering", "redbridge"),
    "RM6": ("barking_dagenham", "redbridge"),
    "RM7": ("havering", "barking_dagenham"),
    "RM8": ("barking_dagenham", "redbridge"),
    "RM10": ("barking_dagenham", "havering"),
    "RM13": ("havering", "barking_dagenham"),
    "IG3": ("redbridge", "barking_dagenham"),
    **{code: ("havering",) for code in ("RM4", "RM14")},
    **{code: ("redbridge",) for code in ("IG7", "IG8", "E11", "E12", "E18")},
    # Herefordshire districts that reach Wales, Shropshire, Worcestershire or Gloucestershire.
    **{f"HR{n}": ("herefordshire",) for n in (2, 3, 5, 6, 7, 8, 9)},
    # Buckinghamshire districts that reach Oxfordshire, Hertfordshire, Berkshire, Slough or Milton Keynes.
    **{code: ("buckinghamshire",) for code in ("HP5", "HP14", "HP17", "HP18", "HP22", "HP23", "HP27")},
    **{code: ("buckinghamshire",) for code in ("SL0", "SL1", "SL2", "SL3", "SL7", "SL9")},
    **{code: ("buckinghamshire",) for code in ("MK17", "MK18", "MK19", "LU7")},
}

# Every UK postcode area (the letters at the start of a postcode), and those our councils lie in.
# A full postcode in any other area is certainly outside the areas we cover.
UK_POSTCODE_AREAS = frozenset("""
AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC
EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU
M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS
ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
""".split())
_AREA_LETTERS = re.compile(r"^[A-Z]+")


def postcode_area(outward: str) -> str:
    match = _AREA_LETTERS.match(outward)
    return match.group(0) if match else ""


COVERED_POSTCODE_AREAS = frozenset(
    postcode_area(code) for code in (*SINGLE_COUNCIL_OUTWARD_CODES, *AMBIGUOUS_OUTWARD_CODES)
)

# "BH1 1AA", "bh11aa", "BH1" (outward code only); the inward part is a digit and two letters.
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})?\b")


@dataclass(frozen=True)
class PostcodeResolution:
    """What a postcode says about the council area.

    ``kind``: "council" (``councils`` has one code), "ambiguous" (several, or one plus an area
    we do not cover), "outside" (a known postcode in an area we do not cover; ``district`` is
    its ONS code) or "unknown".
    """

    kind: str
    councils: tuple[str, ...] = ()
    postcode: str = ""  # normalised: "BH1 1AA", or the outward code "BH1"
    district: str = ""
    source: str = ""  # "postcode directory" or "outward code table"


def find_postcode(text: str) -> tuple[str, str | None] | None:
    """The first postcode or outward code in ``text``: (outward, inward or None)."""
    for match in _POSTCODE.finditer(text.upper()):
        outward, inward = match.group(1), match.group(2)
        if inward or outward in SINGLE_COUNCIL_OUTWARD_CODES or outward in AMBIGUOUS_OUTWARD_CODES:
            return outward, inward
    return None


def normalise_postcode(text: str) -> str | None:
    """A full postcode in the ONS ``pcds`` form ("BH1 1AA"), or None."""
    found = find_postcode(text)
    if not found or not found[1]:
        return None
    return f"{found[0]} {found[1]}"


def _from_outward_code(outward: str) -> PostcodeResolution:
    if outward in SINGLE_COUNCIL_OUTWARD_CODES:
        return PostcodeResolution(
            "council", (SINGLE_COUNCIL_OUTWARD_CODES[outward],), outward, source="outward code table"
        )
    if outward in AMBIGUOUS_OUTWARD_CODES:
        return PostcodeResolution("ambiguous", AMBIGUOUS_OUTWARD_CODES[outward], outward, source="outward code table")
    return PostcodeResolution("unknown", postcode=outward)


def resolve_postcode(text: str, session: Session | None = None) -> PostcodeResolution:
    """The council area of the first postcode in ``text``.

    With a ``session`` on the directory database, a full postcode is looked up in the
    ``postcode`` table first; otherwise (or if it is not there) its outward code is used.
    """
    found = find_postcode(text)
    if found is None:
        return PostcodeResolution("unknown")
    outward, inward = found
    if inward and session is not None:
        full = f"{outward} {inward}"
        district = session.execute(select(Postcode.district_code).where(Postcode.postcode == full)).scalar()
        if district:
            council = COUNCIL_FOR_DISTRICT.get(district)
            kind = "council" if council else "outside"
            return PostcodeResolution(kind, (council,) if council else (), full, district, "postcode directory")
    resolution = _from_outward_code(outward)
    if inward and resolution.kind == "unknown":
        area = postcode_area(outward)
        kind = "outside" if area in UK_POSTCODE_AREAS and area not in COVERED_POSTCODE_AREAS else "unknown"
        return PostcodeResolution(kind, postcode=f"{outward} {inward}", source="postcode area")
    return resolution


# ----- ONS Postcode Directory import -----------------------------------------------------------

# Column names differ between ONSPD editions: the district column is "oslaua" in older files,
# "lad23cd", "lad24cd", ... in newer ones. The first one present is used unless one is named.
POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2")
DISTRICT_COLUMNS = ("oslaua", "lad25cd", "lad24cd", "lad23cd", "lad22cd", "laua", "lad")
TERMINATED_COLUMN = "doterm"  # date a postcode was terminated; empty for live postcodes
IMPORT_BATCH = 5_000


class PostcodeImportError(Exception):
    """The file cannot be imported; the message says what to do."""


def _pick(header: list[str], wanted: str | None, candidates: tuple[str, ...], what: str) -> str:
    if wanted:
        if wanted not in header:
            raise PostcodeImportError(f"There is no column '{wanted}' in the file. Its columns: {', '.join(header)}")
        return wanted
    for name in candidates:
        if name in header:
            return name
    raise PostcodeImportError(
        f"Could not find the {what} column (tried {', '.join(candidates)}). Name it with the option for it."
    )


def import_onspd(
    path: Path,
    engine: Engine,
    postcode_column: str | None = None,
    district_column: str | None = None,
    include_terminated: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Replaces the ``postcode`` table with the postcodes in an ONSPD CSV file, in one transaction.

    Returns the number of postcodes stored. Terminated postcodes are left out unless asked for.
    """
    stored = 0
    with path.open(newline="", encoding="utf-8-sig") as handle, engine.begin() as connection:
        reader = csv.DictReader(handle)
        header = [name.strip().lower() for name in reader.fieldnames or []]
        reader.fieldnames = header
        postcode_key = _pick(header, postcode_column and postcode_column.lower(), POSTCODE_COLUMNS, "postcode")
        district_key = _pick(header, district_column and district_column.lower(), DISTRICT_COLUMNS, "district")
        connection.execute(delete(Postcode))
        rows: dict[str, str] = {}
        for row in reader:
            if not include_terminated and (row.get(TERMINATED_COLUMN) or "").strip():
                continue
            postcode = normalise_postcode(row.get(postcode_key) or "")
            district = (row.get(district_key) or "").strip()
            if not postcode or not district:
                continue
            rows[postcode] = district
            if len(rows) >= IMPORT_BATCH:
                stored += _insert(connection, rows, progress, stored)
        stored += _insert(connection, rows, progress, stored)
    return stored


def _insert(
    connection: Connection, rows: dict[str, str], progress: Callable[[int], None] | None, before: int
) -> int:
    if not rows:
        return 0
    connection.execute(Postcode.__table__.insert(), [{"postcode": p, "district_code": d} for p, d in rows.items()])
    count = len(rows)
    rows.clear()
    if progress:
        progress(before + count)
    return count
