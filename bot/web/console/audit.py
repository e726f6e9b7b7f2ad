"""The audit trail of directory changes made in the console, and saving a change with its audit row.

A change and its audit row are written in one transaction: there is never an edit without a record
of who made it, nor an audit row for an edit that failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import desc, select
from sqlalchemy.engine import Engine

from bot.accounts.models import DirectoryAudit
from bot.directory.importers.validation import validate_batch
from bot.directory.records import Batch, Problem, ServiceRecord
from bot.directory.repository import DirectoryRepository

ACTIONS = ("add", "edit", "retire")


@dataclass(frozen=True)
class AuditEntry:
    at: datetime  # UTC
    username: str
    action: str
    service_id: str
    changes: dict[str, list[Any]]


def problems_with(record: ServiceRecord, repository: DirectoryRepository, adding: bool) -> list[Problem]:
    """The directory's own validation of one service (plus: a new id must be unused)."""
    problems = validate_batch(
        Batch(services=[record]), repository.organization_ids(), repository.excluded_names(), today=date.today()
    )
    if adding and record.id and repository.get(record.id) is not None:
        problems.insert(0, Problem("form", "id", f"'{record.id}' is already used by another entry"))
    return problems


def save_with_audit(
    repository: DirectoryRepository,
    record: ServiceRecord,
    *,
    account_id: int,
    username: str,
    action: str,
    changes: dict[str, list[Any]],
) -> None:
    """Stores a validated service and its audit row in one transaction."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    with repository.engine.begin() as connection:
        # The repository writes inside our transaction, so the audit row joins it.
        repository.store_services(connection, [record])
        connection.execute(
            DirectoryAudit.__table__.insert().values(
                at=datetime.now(timezone.utc).replace(tzinfo=None),
                account_id=account_id,
                username=username,
                action=action,
                service_id=record.id,
                changes=changes,
            )
        )


def audit_entries(engine: Engine, service_id: str | None = None, limit: int = 100) -> list[AuditEntry]:
    """Newest first; for one service or all."""
    audit = DirectoryAudit.__table__
    query = select(audit).order_by(desc(audit.c.at), desc(audit.c.id)).limit(limit)
    if service_id is not None:
        query = query.where(audit.c.service_id == service_id)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [AuditEntry(r.at, r.username, r.action, r.service_id, dict(r.changes or {})) for r in rows]
