"""Database tables of the service directory, shaped on Open Referral UK 3.0 / HSDS 3.0.

Each HSDS table keeps the fields we use as columns and everything else from the source
record in ``extra`` (JSON), so a council's directory loads and exports without loss.
Homeward's own facts about a service (councils served, discharge pathways, lifecycle
status, source and when it was last checked) are columns and link tables of ``service``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()

# Homeward lifecycle statuses, and the ORUK/HSDS status each one exports as.
STATUSES = ("live", "pilot", "planned", "ended")
ORUK_STATUS_FOR = {"live": "active", "pilot": "active", "planned": "inactive", "ended": "defunct"}
SCOPES = ("local", "county", "national")
PATHWAYS = (0, 1, 2, 3)


class JsonFields:
    """Copies a record to and from an HSDS JSON object: known fields as columns, the rest in ``extra``."""

    json_fields: ClassVar[tuple[str, ...]] = ()

    def set_from_json(self, data: dict[str, Any], *, skip: tuple[str, ...] = ()) -> None:
        extra = {}
        for key, value in data.items():
            if key in self.json_fields:
                setattr(self, key, value)
            elif key not in skip:
                extra[key] = value
        self.extra = extra or None

    def fields_as_json(self) -> dict[str, Any]:
        data = {key: getattr(self, key) for key in self.json_fields if getattr(self, key) is not None}
        data.update(self.extra or {})
        return data


class Organization(Base, JsonFields):
    __tablename__ = "organization"
    json_fields = ("id", "name", "alternate_name", "description", "email", "website", "url", "uri")

    id = Column(String(255), primary_key=True)
    name = Column(Text, nullable=False)
    alternate_name = Column(Text)
    description = Column(Text)
    email = Column(Text)
    website = Column(Text)
    url = Column(Text)
    uri = Column(Text)
    uuid = Column(String(36), unique=True, index=True)  # the public id (see public_ids.py)
    extra = Column(JSON)


class Service(Base, JsonFields):
    __tablename__ = "service"
    json_fields = (
        "id",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "interpretation_services",
        "application_process",
        "fees_description",
        "accreditations",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "alert",
        "last_modified",
    )

    id = Column(String(255), primary_key=True)
    organization_id = Column(String(255), ForeignKey("organization.id"), index=True)
    name = Column(Text, nullable=False)
    alternate_name = Column(Text)
    description = Column(Text)
    url = Column(Text)
    email = Column(Text)
    interpretation_services = Column(Text)
    application_process = Column(Text)  # "how to access" in the seed data
    fees_description = Column(Text)
    accreditations = Column(Text)
    eligibility_description = Column(Text)
    minimum_age = Column(Integer)
    maximum_age = Column(Integer)
    alert = Column(Text)
    last_modified = Column(String(40), index=True)  # HSDS date-time, set when stored if the source has none
    uuid = Column(String(36), unique=True, index=True)  # the public id (see public_ids.py)
    oruk_status = Column(String(40))  # HSDS status as received (active, inactive, defunct, temporarily closed)
    extra = Column(JSON)
    # Homeward's facts about the service.
    status = Column(String(20), nullable=False, default="live")  # no index: most services are live
    scope = Column(String(20), nullable=False, default="local", index=True)
    contact_note = Column(Text)
    source_id = Column(String(255))
    source_where = Column(Text)
    as_of = Column(String(20))
    last_checked = Column(Date)  # exported as HSDS assured_date
    search_document = Column(Text, nullable=False, default="")
    # The search filters as words for the text index (see migration 0005 and the repository).
    search_facets = Column(Text, nullable=False, default="")

    organization = relationship("Organization", lazy="joined")


class ServiceCouncil(Base):
    """Council areas (our codes, e.g. ``bcp``) a service is for."""

    __tablename__ = "service_council"
    service_id = Column(String(255), ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    council = Column(String(40), primary_key=True)
    __table_args__ = (Index("ix_service_council_council", "council", "service_id"),)


class ServicePathway(Base):
    """Discharge pathways (0 to 3) a service is part of."""

    __tablename__ = "service_pathway"
    service_id = Column(String(255), ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    pathway = Column(Integer, primary_key=True)
    __table_args__ = (Index("ix_service_pathway_pathway", "pathway", "service_id"),)


class ServiceFacet(Base):
    """Search index rows, derived from a service on every store (never edited by hand).

    One row per (council, need) pair a search can ask for: ``council`` is a council code, "*"
    for a national service, or "" for "any council"; ``need`` is a category code or "" for
    "any need". Each search then reads one narrow index range instead of joining tables.
    """

    __tablename__ = "service_facet"
    service_id = Column(String(255), ForeignKey("service.id", ondelete="CASCADE"), primary_key=True)
    council = Column(String(40), primary_key=True)
    need = Column(String(60), primary_key=True)
    status = Column(String(20), nullable=False)
    tier = Column(Integer, nullable=False)  # 0 local, 1 county / several councils, 2 national
    sort_name = Column(Text, nullable=False)
    pathways = Column(Integer, nullable=False, default=0)  # bit n set: serves pathway n
    # Covers every column a search reads, so the search never visits the table itself.
    __table_args__ = (
        Index(
            "ix_service_facet_search", "council", "need", "status", "tier", "sort_name", "service_id", "pathways"
        ),
    )


class Location(Base, JsonFields):
    __tablename__ = "location"
    json_fields = ("id", "name", "alternate_name", "description", "transportation", "latitude", "longitude")

    id = Column(String(255), primary_key=True)
    organization_id = Column(String(255))
    name = Column(Text)
    alternate_name = Column(Text)
    description = Column(Text)
    transportation = Column(Text)
    latitude = Column(Float)
    longitude = Column(Float)
    extra = Column(JSON)  # addresses, accessibility, languages, ... as received


class ServiceAtLocation(Base, JsonFields):
    __tablename__ = "service_at_location"
    json_fields = ("id", "description")

    id = Column(String(255), primary_key=True)
    service_id = Column(String(255), ForeignKey("service.id", ondelete="CASCADE"), nullable=False, index=True)
    location_id = Column(String(255), ForeignKey("location.id"))
    description = Column(Text)
    uuid = Column(String(36), unique=True, index=True)  # the public id (see public_ids.py)
    extra = Column(JSON)


class ServiceChild(JsonFields):
    """Shared columns of rows that belong to one service (phones, contacts, schedules, areas)."""

    position = Column(Integer, nullable=False, default=0)  # keeps the order of the source list
    extra = Column(JSON)


class Phone(Base, ServiceChild):
    __tablename__ = "phone"
    # extension stays in ``extra``: HSDS has it as a number, and a Text column would make it a string.
    json_fields = ("id", "number", "type", "description")

    id = Column(String(255), primary_key=True)
    service_id = Column(String(255), ForeignKey("service.id", ondelete="CASCADE"), index=True)
    number = Column(Text)
    extension = Column(Text)
    type = Column(Text)
    description = Column(Text)


class Contact(Base, ServiceChild):
    __tablename__ = "contact"
    json_fields = ("id", "name", "title", "department", "email")

    id = Column(String(255), primary_key=True)
    service_id = Column(String(255), ForeignKey("service.id", ondelete="CASCADE"), index=True)
    name = Column(Text)
    title = Column(Text)
    department = Column(Text)
    email = Column(Text)


class Schedule(Base, ServiceChild):
    __tablename__ = "schedule"
    json_fields = ("id", "description", "opens_at", "closes_at", "byday", "freq", "notes")

    id = Column(String(255), primary_key=True)
    service_id = Column(String(255), ForeignKey("service.id", ondelete="CASCADE"), index=True)
    description = Column(Text)  # "hours" in the seed data
    opens_at = Column(String(20))
    closes_at = Column(String(20))
    byday = Column(Text)
    freq = Column(String(20))
    notes = Column(Text)


class ServiceArea(Base, ServiceChild):
    __tablename__ = "service_area"
    json_fields = ("id", "name", "description", "extent", "extent_type", "uri")

    id = Column(String(255), primary_key=True)
    service_id = Column(String(255), ForeignKey("service.id", ondelete="CASCADE"), index=True)
    name = Column(Text)
    description = Column(Text)
    extent = Column(Text)
    extent_type = Column(Text)
    uri = Column(Text)


class TaxonomyTerm(Base, JsonFields):
    __tablename__ = "taxonomy_term"
    json_fields = ("id", "code", "name", "description", "parent_id", "taxonomy", "taxonomy_id", "term_uri")

    id = Column(String(255), primary_key=True)
    code = Column(Text)
    name = Column(Text)
    description = Column(Text)
    parent_id = Column(String(255))
    taxonomy = Column(Text, index=True)  # the vocabulary, e.g. "homeward-need"
    taxonomy_id = Column(String(255))
    term_uri = Column(Text)
    extra = Column(JSON)


class Attribute(Base, JsonFields):
    """HSDS 3.0 link between an entity (here: a service) and a taxonomy term."""

    __tablename__ = "attribute"
    json_fields = ("id", "link_id", "link_type", "link_entity", "value", "label")

    id = Column(String(255), primary_key=True)
    link_id = Column(String(255), ForeignKey("service.id", ondelete="CASCADE"), nullable=False)
    link_type = Column(Text)
    link_entity = Column(String(40), nullable=False, default="service")
    taxonomy_term_id = Column(String(255), ForeignKey("taxonomy_term.id"), nullable=False)
    value = Column(Text)
    label = Column(Text)
    position = Column(Integer, nullable=False, default=0)
    extra = Column(JSON)
    __table_args__ = (
        Index("ix_attribute_link", "link_id"),
        Index("ix_attribute_term", "taxonomy_term_id", "link_id"),
    )


class ExcludedEntry(Base):
    """Named in the source documents but not a service (boards, strategies): never searchable."""

    __tablename__ = "excluded_entry"
    name_key = Column(String(255), primary_key=True)  # lower case, single spaces
    name = Column(Text, nullable=False)
    reason = Column(Text)


class Postcode(Base):
    """ONS Postcode Directory rows: a full postcode and its local authority district (GSS code)."""

    __tablename__ = "postcode"
    postcode = Column(String(10), primary_key=True)  # upper case, one space: "BH1 1AA"
    district_code = Column(String(12), nullable=False)


def name_key(name: str) -> str:
    """How names are compared with the excluded list."""
    return " ".join(name.lower().split())
