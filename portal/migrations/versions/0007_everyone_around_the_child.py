"""everyone around the child: professionals' kind, each invitation's due day and when
it was sent, whether views came on time, contact digests to know one person across
their invitations, one-time sign-in links, and each authority's due days

Invitations made before this get the due day the portal always used (carers 5 days
before the review, everyone else 1), so nothing already sent changes from on time to
late; consultations already sent get their on-time fact from that day.

Revision ID: 0007_everyone_around_the_child
Revises: 0006_answer_audiences
Create Date: 2026-11-29 22:00:00

"""
import hashlib
from datetime import timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_everyone_around_the_child'
down_revision = '0006_answer_audiences'
branch_labels = None
depends_on = None


def _email_key(email):
    email = (email or "").strip().casefold()
    if "@" not in email:
        return None
    return hashlib.sha256(f"email:{email}".encode()).hexdigest()


def _phone_key(phone):
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if len(digits) < 10:
        return None
    return hashlib.sha256(f"phone:+{digits}".encode()).hexdigest()


def upgrade():
    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        batch_op.add_column(sa.Column('child_views_due_days', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('parent_views_due_days', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('professional_views_due_days', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('professional_kind', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('contact_email_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('contact_phone_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_invitation_contact_email_key'), ['contact_email_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_contact_phone_key'), ['contact_phone_key'], unique=False)

    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_on_time', sa.Boolean(), nullable=True))

    connection = op.get_bind()
    invitation = sa.table(
        'invitation',
        sa.column('id', sa.Integer), sa.column('review_id', sa.Integer),
        sa.column('role', sa.String), sa.column('contact_email', sa.String),
        sa.column('contact_phone', sa.String), sa.column('contact_email_key', sa.String),
        sa.column('contact_phone_key', sa.String), sa.column('due_on', sa.Date),
        sa.column('sent_at', sa.DateTime(timezone=True)), sa.column('created_at', sa.DateTime(timezone=True)),
    )
    review = sa.table('review', sa.column('id', sa.Integer), sa.column('planned_on', sa.Date))
    consultation = sa.table(
        'consultation',
        sa.column('invitation_id', sa.Integer), sa.column('submitted_at', sa.DateTime(timezone=True)),
        sa.column('submitted_on_time', sa.Boolean),
    )
    delivery = sa.table(
        'delivery', sa.column('invitation_id', sa.Integer), sa.column('purpose', sa.String),
        sa.column('status', sa.String), sa.column('created_at', sa.DateTime(timezone=True)),
    )
    sent = dict(
        connection.execute(
            sa.select(delivery.c.invitation_id, sa.func.min(delivery.c.created_at))
            .where(delivery.c.purpose == 'invitation', delivery.c.status.in_(['sent', 'printed']))
            .group_by(delivery.c.invitation_id)
        ).all()
    )
    rows = connection.execute(
        sa.select(
            invitation.c.id, invitation.c.role, invitation.c.contact_email,
            invitation.c.contact_phone, review.c.planned_on, consultation.c.submitted_at,
        )
        .join(review, review.c.id == invitation.c.review_id)
        .outerjoin(consultation, consultation.c.invitation_id == invitation.c.id)
    ).all()
    for row in rows:
        due_on = row.planned_on - timedelta(days=5 if row.role == 'carer' else 1)
        connection.execute(
            invitation.update().where(invitation.c.id == row.id).values(
                due_on=due_on,
                contact_email_key=_email_key(row.contact_email),
                contact_phone_key=_phone_key(row.contact_phone),
                sent_at=sent.get(row.id),
            )
        )
        if row.submitted_at is not None:
            connection.execute(
                consultation.update().where(consultation.c.invitation_id == row.id).values(
                    submitted_on_time=row.submitted_at.date() <= due_on
                )
            )

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.alter_column('due_on', existing_type=sa.Date(), nullable=False)

    op.create_table('contact_sign_in_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_authority_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('contact_key', sa.String(length=64), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['local_authority_id'], ['local_authority.id'], name=op.f('fk_contact_sign_in_link_local_authority_id_local_authority')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_sign_in_link')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_contact_sign_in_link_token_digest'))
    )
    with op.batch_alter_table('contact_sign_in_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_sign_in_link_local_authority_id'), ['local_authority_id'], unique=False)


def downgrade():
    with op.batch_alter_table('contact_sign_in_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_sign_in_link_local_authority_id'))
    op.drop_table('contact_sign_in_link')

    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_column('submitted_on_time')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_contact_phone_key'))
        batch_op.drop_index(batch_op.f('ix_invitation_contact_email_key'))
        batch_op.drop_column('sent_at')
        batch_op.drop_column('due_on')
        batch_op.drop_column('contact_phone_key')
        batch_op.drop_column('contact_email_key')
        batch_op.drop_column('professional_kind')

    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        batch_op.drop_column('professional_views_due_days')
        batch_op.drop_column('parent_views_due_days')
        batch_op.drop_column('child_views_due_days')
