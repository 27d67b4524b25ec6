"""What an authority holds, row by row: to show that something changed nothing."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db


def authority_snapshot(local_authority_id: int) -> dict[str, list[tuple[str, ...]]]:
    """Everything the first authority holds, to show the walk changed nothing."""
    from portal.models import Consultation as ConsultationModel
    from portal.models import StaffUser as StaffModel

    theirs_staff = select(StaffModel.id).where(StaffModel.local_authority_id == local_authority_id)
    theirs_consultations = select(ConsultationModel.id).where(
        ConsultationModel.local_authority_id == local_authority_id
    )
    snapshot = {}
    for table in db.metadata.sorted_tables:
        columns = table.c
        if table.name in ("sign_in_session", "parked_answers"):
            continue
        if "local_authority_id" in columns:
            query = select(table).where(columns.local_authority_id == local_authority_id)
        elif table.name == "local_authority":
            query = select(table).where(columns.id == local_authority_id)
        elif "staff_user_id" in columns:
            query = select(table).where(columns.staff_user_id.in_(theirs_staff))
        elif "consultation_id" in columns:
            query = select(table).where(columns.consultation_id.in_(theirs_consultations))
        else:
            raise AssertionError(f"say how {table.name} belongs to an authority")
        rows = db.session.execute(query).all()
        snapshot[table.name] = sorted(tuple(map(str, row)) for row in rows)
    return snapshot
