"""answer audiences: who may read each answer, and each change a child makes to it;
the authority's default audience and its advocacy service's email address; the carer
who helped a young child with their form

Answers already written are for the IRO only: they were written before the choice
existed, and the only promise their pages made was that the IRO would read them
(see portal.domain.audiences). Authorities start with "everyone at the meeting" for
new answers, and no advocacy email address (nobody is emailed until one is set).

Revision ID: 0006_answer_audiences
Revises: 0005_retention_periods
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_answer_audiences'
down_revision = '0005_retention_periods'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        batch_op.add_column(sa.Column('advocacy_email', sa.String(length=254), server_default='', nullable=False))
        batch_op.add_column(sa.Column('default_answer_audience', sa.String(length=20), server_default='meeting', nullable=False))

    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', sa.String(length=20), server_default='iro', nullable=False))

    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('helped_by_invitation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_consultation_helped_by_invitation_id'), ['helped_by_invitation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_consultation_helped_by_invitation_id_invitation'), 'invitation', ['helped_by_invitation_id'], ['id'], ondelete='SET NULL')

    op.create_table('answer_audience_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_authority_id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('from_audience', sa.String(length=20), nullable=False),
    sa.Column('to_audience', sa.String(length=20), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_answer_audience_change_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['local_authority_id'], ['local_authority.id'], name=op.f('fk_answer_audience_change_local_authority_id_local_authority')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_audience_change'))
    )
    with op.batch_alter_table('answer_audience_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_audience_change_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_audience_change_local_authority_id'), ['local_authority_id'], unique=False)


def downgrade():
    with op.batch_alter_table('answer_audience_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_audience_change_local_authority_id'))
        batch_op.drop_index(batch_op.f('ix_answer_audience_change_answer_id'))

    op.drop_table('answer_audience_change')

    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_consultation_helped_by_invitation_id_invitation'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_consultation_helped_by_invitation_id'))
        batch_op.drop_column('helped_by_invitation_id')

    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_column('audience')

    with op.batch_alter_table('local_authority', schema=None) as batch_op:
        batch_op.drop_column('default_answer_audience')
        batch_op.drop_column('advocacy_email')
