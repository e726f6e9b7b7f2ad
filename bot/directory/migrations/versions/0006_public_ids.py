"""public ids: a stored UUID for every service, organisation and service-at-location

Revision ID: 0006_public_ids
Revises: 0005_search_filters
Create Date: 2026-12-07

HSDS 3.0 and Open Referral UK 3.0 require UUIDs. Records keep their own ids (slugs, or a
publisher's id with its source prefix); the UUID they are published under is stored for the
three kinds the public API looks up by id, so ``/oruk/services/{id}`` reads one index entry.
Existing rows get the id ``bot.directory.public_ids.public_id`` gives them, the same UUID
an export made before this migration would have derived. ``service.last_modified`` gets an
index for the API's ``modified_after``, and ``lower(service.name)`` one so the API can count
services whose names are on the excluded list without reading every service.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.directory.public_ids import derived_id, public_id

revision = "0006_public_ids"
down_revision = "0005_search_filters"
branch_labels = None
depends_on = None

TABLES = ("service", "organization", "service_at_location")


def upgrade() -> None:
    connection = op.get_bind()
    for table in TABLES:
        op.add_column(table, sa.Column("uuid", sa.String(36), nullable=True))
        rows = connection.execute(sa.text(f"SELECT id FROM {table} ORDER BY id")).scalars().all()
        taken: set[str] = set()
        values = []
        for internal_id in rows:
            uuid = public_id(table, internal_id)
            if uuid in taken:  # two sources published the same UUID: the later one gets its own
                uuid = derived_id(table, internal_id)
            taken.add(uuid)
            values.append({"id": internal_id, "uuid": uuid})
        if values:
            connection.execute(sa.text(f"UPDATE {table} SET uuid = :uuid WHERE id = :id"), values)
        op.create_index(f"ix_{table}_uuid", table, ["uuid"], unique=True)
    op.create_index("ix_service_last_modified", "service", ["last_modified", "id"])
    # The API leaves out names on the excluded list: this counts those among all services at once.
    op.create_index("ix_service_lower_name", "service", [sa.text("lower(name)")])


def downgrade() -> None:
    op.drop_index("ix_service_lower_name", table_name="service")
    op.drop_index("ix_service_last_modified", table_name="service")
    for table in TABLES:
        op.drop_index(f"ix_{table}_uuid", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("uuid")
