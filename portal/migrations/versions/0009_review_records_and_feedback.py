"""review records and feedback: what happened at each review held (the day, who came,
whether the child chaired, an advocate, an interpreter, the facts behind the PN code, the
code the portal suggested and the one the IRO confirmed, whether it was in timescale);
each authority's choice of participation rate; feedback after the review, once per
invitation; and the indexes the participation figures count with

Nothing already stored changes: reviews held before this have no record, and the figures
show them as "not recorded".

Revision ID: 0009_review_records_and_feedback
Revises: 0008_plans_and_letters
Create Date: 2026-11-29 21:57:06.195886

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_review_records_and_feedback'
down_revision = '0008_plans_and_letters'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_authority_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('how_was_it', sa.String(length=10), nullable=True),
    sa.Column('right_place', sa.String(length=10), nullable=True),
    sa.Column('right_day', sa.String(length=10), nullable=True),
    sa.Column('right_time', sa.String(length=10), nullable=True),
    sa.Column('asked_who_should_come', sa.String(length=10), nullable=True),
    sa.Column('listened_to', sa.String(length=10), nullable=True),
    sa.Column('understand_decisions', sa.String(length=10), nullable=True),
    sa.Column('make_it_better', sa.Text(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_review_feedback_invitation_id_invitation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['local_authority_id'], ['local_authority.id'], name=op.f('fk_review_feedback_local_authority_id_local_authority')),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_feedback_review_id_review')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_feedback')),
    sa.UniqueConstraint('invitation_id', name=op.f('uq_review_feedback_invitation_id'))
    )
    with op.batch_alter_table('review_feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_feedback_local_authority_id'), ['local_authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_feedback_review_id'), ['review_id'], unique=False)

    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('attendees', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('child_attended', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('child_chaired', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('child_spoke', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('views_without_words', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('advocate', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('interpreter', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('views_another_way', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('suggested_code', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('participation_code', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('held_in_timescale', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_review_figures', ['local_authority_id', 'status', 'planned_on'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_review_recorded_by_id_staff_user'), 'staff_user', ['recorded_by_id'], ['id'])

    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participation_measure', sa.String(length=20), server_default='participated', nullable=False))



def downgrade():
    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        batch_op.drop_column('participation_measure')

    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_review_recorded_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_index('ix_review_figures')
        batch_op.drop_column('recorded_at')
        batch_op.drop_column('recorded_by_id')
        batch_op.drop_column('held_in_timescale')
        batch_op.drop_column('participation_code')
        batch_op.drop_column('suggested_code')
        batch_op.drop_column('views_another_way')
        batch_op.drop_column('interpreter')
        batch_op.drop_column('advocate')
        batch_op.drop_column('views_without_words')
        batch_op.drop_column('child_spoke')
        batch_op.drop_column('child_chaired')
        batch_op.drop_column('child_attended')
        batch_op.drop_column('attendees')
        batch_op.drop_column('held_on')

    with op.batch_alter_table('review_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_feedback_review_id'))
        batch_op.drop_index(batch_op.f('ix_review_feedback_local_authority_id'))

    op.drop_table('review_feedback')
