"""Importing children and reviews from the case management system's CSV export.

An upload is kept as an ImportBatch (the decoded text and its SHA-256) between
the preview and the import. The plan (what will be created, updated or left
alone) is worked out against the database, matching children and reviews by the
case management system's reference within the authority. The import applies the
whole plan in the caller's transaction, or nothing: any problem in any row stops
it, and the caller rolls back on a database error. Applying the same data twice
changes nothing the second time.

Every query names the authority, besides the tenant scope in portal.web.tenancy.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from portal.domain import case_import
from portal.domain.case_import import ChildRow, Code, Column, Finding, ParsedFile, ReviewRow
from portal.domain.text import clean_answer_text
from portal.extensions import db
from portal.models import (
    Child,
    ImportBatch,
    Review,
    ReviewStatusChange,
    StaffRole,
    StaffUser,
    utcnow,
)

# Kept as stored data in the review's history, in English like other stored reasons.
IMPORT_REASON = "Imported from the case management system"
MAX_FILENAME = 200
# Enough references in one IN (...) to be quick, few enough for any database.
_CHUNK = 500


# --- Batches ------------------------------------------------------------------------


def store_batch(staff: StaffUser, filename: str, parsed: ParsedFile) -> ImportBatch:
    """Keep an uploaded file (already decoded) until it is previewed and imported."""
    batch = ImportBatch(
        local_authority_id=staff.local_authority_id,
        uploaded_by_id=staff.id,
        filename=clean_filename(filename),
        content=parsed.text,
        content_digest=hashlib.sha256(parsed.text.encode("utf-8")).hexdigest(),
        summary=json.dumps({"encoding": parsed.encoding.value if parsed.encoding else None}),
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def clean_filename(filename: str) -> str:
    name = " ".join(clean_answer_text(filename).split()) or "upload.csv"
    return name[-MAX_FILENAME:] if len(name) > MAX_FILENAME else name


def batch_for(staff: StaffUser, batch_id: int) -> ImportBatch | None:
    """A batch uploaded to the member of staff's own authority, or None."""
    return db.session.scalar(
        select(ImportBatch).where(
            ImportBatch.id == batch_id,
            ImportBatch.local_authority_id == staff.local_authority_id,
        )
    )


def recent_batches(staff: StaffUser, limit: int = 10) -> list[ImportBatch]:
    return list(
        db.session.scalars(
            select(ImportBatch)
            .where(ImportBatch.local_authority_id == staff.local_authority_id)
            .order_by(ImportBatch.uploaded_at.desc(), ImportBatch.id.desc())
            .limit(limit)
        )
    )


def same_file_imported_at(batch: ImportBatch) -> datetime | None:
    """When a file with exactly the same content was last imported into the authority."""
    return db.session.scalar(
        select(func.max(ImportBatch.imported_at)).where(
            ImportBatch.local_authority_id == batch.local_authority_id,
            ImportBatch.content_digest == batch.content_digest,
            ImportBatch.id != batch.id,
        )
    )


def uploader_name(batch: ImportBatch) -> str:
    uploader = db.session.get(StaffUser, batch.uploaded_by_id)
    return uploader.display_name if uploader is not None else ""


@dataclass(frozen=True)
class Counts:
    children_created: int = 0
    children_updated: int = 0
    children_unchanged: int = 0
    reviews_created: int = 0
    reviews_updated: int = 0
    reviews_unchanged: int = 0
    status_changes: int = 0

    @property
    def changes(self) -> bool:
        return bool(
            self.children_created
            or self.children_updated
            or self.reviews_created
            or self.reviews_updated
        )


def _summary(batch: ImportBatch) -> dict[str, object]:
    try:
        found = json.loads(batch.summary or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def batch_encoding(batch: ImportBatch) -> case_import.Encoding | None:
    """The encoding the file was read in when it was uploaded."""
    value = _summary(batch).get("encoding")
    try:
        return case_import.Encoding(value) if isinstance(value, str) else None
    except ValueError:
        return None


def batch_result(batch: ImportBatch) -> Counts | None:
    """What the import did, once the batch is imported."""
    found = _summary(batch).get("result")
    if batch.imported_at is None or not isinstance(found, dict):
        return None
    known = {name for name in Counts.__dataclass_fields__}
    return Counts(**{k: int(v) for k, v in found.items() if k in known})


def parse_batch(batch: ImportBatch, today: date) -> ParsedFile:
    return case_import.parse_text(batch.content, today, encoding=batch_encoding(batch))


# --- The plan -----------------------------------------------------------------------


@dataclass
class Plan:
    """What importing the file would do now, and what stops it."""

    problems: list[Finding] = field(default_factory=list)
    new_children: list[ChildRow] = field(default_factory=list)
    changed_children: list[tuple[Child, ChildRow]] = field(default_factory=list)
    unchanged_children: int = 0
    new_reviews: list[ReviewRow] = field(default_factory=list)
    changed_reviews: list[tuple[Review, ReviewRow]] = field(default_factory=list)
    unchanged_reviews: int = 0
    existing_children: dict[str, Child] = field(default_factory=dict)
    iro_ids: dict[str, int] = field(default_factory=dict)

    @property
    def counts(self) -> Counts:
        return Counts(
            children_created=len(self.new_children),
            children_updated=len(self.changed_children),
            children_unchanged=self.unchanged_children,
            reviews_created=len(self.new_reviews),
            reviews_updated=len(self.changed_reviews),
            reviews_unchanged=self.unchanged_reviews,
            status_changes=sum(
                1 for review, row in self.changed_reviews if review.status != row.status
            ),
        )


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _children_by_ref(local_authority_id: int, refs: Iterable[str]) -> dict[str, Child]:
    found: dict[str, Child] = {}
    for chunk in _chunks(sorted(set(refs))):
        for child in db.session.scalars(
            select(Child).where(
                Child.local_authority_id == local_authority_id, Child.external_ref.in_(chunk)
            )
        ):
            found[child.external_ref or ""] = child
    return found


def _reviews_by_ref(local_authority_id: int, refs: Iterable[str]) -> dict[str, Review]:
    found: dict[str, Review] = {}
    for chunk in _chunks(sorted(set(refs))):
        for review in db.session.scalars(
            select(Review)
            .where(Review.local_authority_id == local_authority_id, Review.external_ref.in_(chunk))
            .options(joinedload(Review.child))
        ):
            found[review.external_ref or ""] = review
    return found


def _reviewing_officers(local_authority_id: int, emails: Iterable[str]) -> dict[str, int]:
    """Active IROs and managers of the authority by email: who a child may be assigned to."""
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(set(emails))):
        for staff in db.session.scalars(
            select(StaffUser).where(
                StaffUser.local_authority_id == local_authority_id,
                func.lower(StaffUser.email).in_(chunk),
                StaffUser.active.is_(True),
                StaffUser.role.in_([StaffRole.IRO, StaffRole.MANAGER]),
            )
        ):
            found[staff.email.lower()] = staff.id
    return found


def _differs(record: object, values: dict[str, object]) -> bool:
    return any(getattr(record, name) != value for name, value in values.items())


def plan_import(local_authority_id: int, parsed: ParsedFile) -> Plan:
    """Compare the file's children and reviews with the authority's records.

    Also finds the problems only the database can show: an IRO who is not one of
    the authority's active IROs or managers, and a review that already belongs to
    another child.
    """
    plan = Plan()
    children = list(parsed.children.values())
    plan.existing_children = _children_by_ref(local_authority_id, (c.ref for c in children))
    plan.iro_ids = _reviewing_officers(local_authority_id, parsed.iro_emails.values())
    for number, email in parsed.iro_emails.items():
        if email not in plan.iro_ids:
            plan.problems.append(
                Finding(
                    Code.UNKNOWN_IRO,
                    number,
                    Column.IRO_EMAIL,
                    {"value": case_import.shown(email)},
                )
            )
    for row in children:
        iro_id = plan.iro_ids.get(row.iro_email)
        if iro_id is None:
            continue
        existing = plan.existing_children.get(row.ref)
        if existing is None:
            plan.new_children.append(row)
        elif existing.iro_id != iro_id or _differs(existing, row.values()):
            plan.changed_children.append((existing, row))
        else:
            plan.unchanged_children += 1

    existing_reviews = _reviews_by_ref(local_authority_id, (r.ref for r in parsed.reviews))
    for review_row in parsed.reviews:
        review = existing_reviews.get(review_row.ref)
        if review is None:
            plan.new_reviews.append(review_row)
        elif review.child.external_ref != review_row.child_ref:
            plan.problems.append(
                Finding(
                    Code.REVIEW_OF_ANOTHER_CHILD,
                    review_row.row,
                    Column.REVIEW_REF,
                    {"ref": case_import.shown(review_row.ref)},
                )
            )
        elif review.status != review_row.status or _differs(review, review_row.values()):
            plan.changed_reviews.append((review, review_row))
        else:
            plan.unchanged_reviews += 1
    plan.problems = case_import.sort_findings(plan.problems)
    return plan


@dataclass
class Preview:
    parsed: ParsedFile
    plan: Plan

    @property
    def problems(self) -> list[Finding]:
        """Every problem, from the file and from the database, in reading order."""
        return case_import.sort_findings([*self.parsed.row_problems, *self.plan.problems])


def preview(batch: ImportBatch, today: date) -> Preview:
    parsed = parse_batch(batch, today)
    plan = plan_import(batch.local_authority_id, parsed) if parsed.readable else Plan()
    return Preview(parsed, plan)


# --- The import ---------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What pressing Import did. The caller commits only when ``imported``."""

    imported: bool = False
    already_imported: bool = False
    preview: Preview | None = None
    counts: Counts = field(default_factory=Counts)


def import_batch(staff: StaffUser, batch: ImportBatch, today: date) -> Outcome:
    """Apply the batch's plan, all of it, in the session's transaction.

    The batch is claimed first with a conditional update, so two presses of the
    button (or two people) cannot import it twice: the second finds it taken.
    If any problem is found, nothing is applied and the caller rolls back the claim.
    """
    if batch.imported_at is not None:
        return Outcome(already_imported=True)
    now = utcnow()
    claimed = db.session.execute(
        update(ImportBatch)
        .where(
            ImportBatch.id == batch.id,
            ImportBatch.local_authority_id == staff.local_authority_id,
            ImportBatch.imported_at.is_(None),
        )
        .values(imported_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]  # a CursorResult
        return Outcome(already_imported=True)
    checked = preview(batch, today)
    if not checked.parsed.valid or checked.problems:
        return Outcome(preview=checked)
    counts = _apply(staff, checked.plan)
    batch.imported_at = now
    batch.summary = json.dumps(
        {
            "encoding": checked.parsed.encoding.value if checked.parsed.encoding else None,
            "result": asdict(counts),
        }
    )
    return Outcome(imported=True, preview=checked, counts=counts)


def _apply(staff: StaffUser, plan: Plan) -> Counts:
    counts = plan.counts
    la = staff.local_authority_id
    children = dict(plan.existing_children)
    for row in plan.new_children:
        child = Child(
            local_authority_id=la,
            external_ref=row.ref,
            iro_id=plan.iro_ids[row.iro_email],
            **row.values(),
        )
        db.session.add(child)
        children[row.ref] = child
    for child, row in plan.changed_children:
        child.iro_id = plan.iro_ids[row.iro_email]
        for name, value in row.values().items():
            setattr(child, name, value)
    db.session.flush()  # new children get their ids for their reviews

    for review_row in plan.new_reviews:
        db.session.add(
            _new_review(la, children[review_row.child_ref].id, review_row),
        )
    for review, review_row in plan.changed_reviews:
        if review.status != review_row.status:
            db.session.add(
                ReviewStatusChange(
                    local_authority_id=la,
                    review_id=review.id,
                    from_status=review.status,
                    to_status=review_row.status,
                    reason=IMPORT_REASON,
                    changed_by_id=staff.id,
                )
            )
            review.status = review_row.status
            review.status_reason = IMPORT_REASON
        for name, value in review_row.values().items():
            setattr(review, name, value)
    db.session.flush()
    return counts


def _new_review(local_authority_id: int, child_id: int, row: ReviewRow) -> Review:
    return Review(
        local_authority_id=local_authority_id,
        child_id=child_id,
        external_ref=row.ref,
        status=row.status,
        **row.values(),
    )


# --- The export ---------------------------------------------------------------------


def export_rows(staff: StaffUser) -> list[list[str]]:
    """The authority's children and their reviews, one row per review, in import columns.

    A child or review made in the portal has no case management reference: its
    reference cell is left blank.
    """
    children = db.session.scalars(
        select(Child)
        .where(Child.local_authority_id == staff.local_authority_id)
        .options(joinedload(Child.iro), selectinload(Child.reviews))
        .order_by(Child.external_ref, Child.id)
    ).unique()
    rows: list[list[str]] = []
    for child in children:
        child_row = ChildRow(
            ref=child.external_ref or "",
            preferred_name=child.preferred_name,
            date_of_birth=child.date_of_birth,
            came_into_care_on=child.came_into_care_on,
            uasc=child.uasc,
            preferred_language=child.preferred_language,
            communication_needs=child.communication_needs,
            iro_email=child.iro.email,
        )
        reviews = [r for r in child.reviews if r.local_authority_id == staff.local_authority_id]
        if not reviews:
            rows.append(case_import.cells(child_row, None))
        for review in reviews:
            rows.append(
                case_import.cells(
                    child_row,
                    ReviewRow(
                        ref=review.external_ref or "",
                        child_ref=child_row.ref,
                        kind=review.kind,
                        planned_on=review.planned_on,
                        planned_time=review.planned_time,
                        venue=review.venue,
                        status=review.status,
                    ),
                )
            )
    return rows
