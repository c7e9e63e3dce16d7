"""accounts: several rights each, single-use links, recovery codes, session versions, SSO

Revision ID: c8da11ac3349
Revises: b8d2f4a6c0e1
Create Date: 2026-12-09 09:00:00

An account held one role (``users.role``); now it holds any number of rights
(``account_rights``), some for named bodies or partners. Every account keeps its effective
rights: its role becomes one right held everywhere (a clerk for every body, an officer of their
person's partner, a scrutiny member of every scrutiny body), which an administrator can narrow.

Also: invitations and password resets as single-use links (only a hash of the token is kept),
two-factor recovery codes, and on ``users`` the session version (raised to end every session of
the account), the TOTP secret, the identity provider's subject, and when personal data was
erased. ``password_hash`` may be empty: an invited person has not chosen one yet.

Downgrade puts back one role per account: the highest right it holds (administrator, clerk,
scrutiny member, officer, councillor), a councillor where it holds none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govtrack.db

revision: str = "c8da11ac3349"
down_revision: str | None = "b8d2f4a6c0e1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RIGHTS = ("admin", "clerk", "member", "officer", "scrutiny")
RANK = ("admin", "clerk", "scrutiny", "officer", "member")


def _moment(column: str, nullable: bool = True) -> sa.Column:
    return sa.Column(column, govtrack.db.UTCDateTime(timezone=True), nullable=nullable)


def _create_account_rights() -> None:
    op.create_table(
        "account_rights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "right",
            sa.Enum(*RIGHTS, name="account_right", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("body_id", sa.Integer(), nullable=True),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        _moment("granted_at", nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_account_rights_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"], ["users.id"], name=op.f("fk_account_rights_granted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_account_rights_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_account_rights_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_rights")),
        sa.UniqueConstraint("user_id", "right", "body_id", "partner_id", name="uq_account_rights"),
    )
    with op.batch_alter_table("account_rights") as batch_op:
        batch_op.create_index(batch_op.f("ix_account_rights_body_id"), ["body_id"])
        batch_op.create_index(batch_op.f("ix_account_rights_partner_id"), ["partner_id"])
        batch_op.create_index(batch_op.f("ix_account_rights_user_id"), ["user_id"])


def _create_links_and_codes() -> None:
    op.create_table(
        "account_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "invitation",
                "reset",
                name="account_link_purpose",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        _moment("created_at", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _moment("expires_at", nullable=False),
        _moment("used_at"),
        _moment("revoked_at"),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_account_links_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_account_links_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_links_token_hash")),
    )
    with op.batch_alter_table("account_links") as batch_op:
        batch_op.create_index("ix_account_links_user_purpose", ["user_id", "purpose"])
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=255), nullable=False),
        _moment("created_at", nullable=False),
        _moment("used_at"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_recovery_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
    )
    with op.batch_alter_table("recovery_codes") as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_codes_user_id"), ["user_id"])


def upgrade() -> None:
    _create_account_rights()
    _create_links_and_codes()
    bind = op.get_bind()
    # SQLite rebuilds ``users`` to drop a column, and the rebuild cascades to rows that point
    # at it: the roles wait in a table of their own until the rebuild is done.
    bind.execute(sa.text("CREATE TABLE _roles AS SELECT id, role, created_at FROM users"))
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(_moment("totp_enrolled_at"))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("oidc_issuer", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("oidc_subject", sa.String(length=255), nullable=True))
        batch_op.add_column(_moment("erased_at"))
        batch_op.alter_column("password_hash", existing_type=sa.String(length=255), nullable=True)
        batch_op.create_unique_constraint("uq_users_oidc", ["oidc_issuer", "oidc_subject"])
        batch_op.drop_constraint(op.f("ck_users_user_role"), type_="check")
        batch_op.drop_column("role")
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("session_version", server_default=None)
    # Each account's one role becomes one right held everywhere, granted when the account was.
    bind.execute(
        sa.text(
            'INSERT INTO account_rights (user_id, "right", granted_at) '
            "SELECT id, role, created_at FROM _roles"
        )
    )
    op.drop_table("_roles")


def downgrade() -> None:
    bind = op.get_bind()
    # The highest right each account holds (a councillor where it holds none), kept aside
    # before SQLite's rebuild of ``users`` cascades to the rights.
    bind.execute(sa.text("CREATE TABLE _roles (id INTEGER PRIMARY KEY, role VARCHAR(8))"))
    bind.execute(sa.text("INSERT INTO _roles (id, role) SELECT id, 'member' FROM users"))
    for right in reversed(RANK):
        bind.execute(
            sa.text(
                "UPDATE _roles SET role = :right WHERE id IN "
                '(SELECT user_id FROM account_rights WHERE "right" = :right)'
            ),
            {"right": right},
        )
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("role", sa.String(length=8), nullable=False, server_default="member")
        )
    bind.execute(
        sa.text("UPDATE users SET role = (SELECT role FROM _roles WHERE _roles.id = users.id)")
    )
    op.drop_table("_roles")
    # Accounts with no password yet cannot be kept as they were: give them one nobody knows.
    bind.execute(sa.text("UPDATE users SET password_hash = '!' WHERE password_hash IS NULL"))
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("role", server_default=None)
        batch_op.create_check_constraint(op.f("ck_users_user_role"), sa.column("role").in_(RIGHTS))
        batch_op.drop_constraint("uq_users_oidc", type_="unique")
        batch_op.alter_column("password_hash", existing_type=sa.String(length=255), nullable=False)
        for column in (
            "erased_at",
            "oidc_subject",
            "oidc_issuer",
            "totp_last_step",
            "totp_enrolled_at",
            "totp_secret",
            "session_version",
        ):
            batch_op.drop_column(column)
    op.drop_table("recovery_codes")
    op.drop_table("account_links")
    op.drop_table("account_rights")
