"""Alembic environment for claimtrack; the engine comes from claimtrack.db.alembic_config."""

from alembic import context
from sqlalchemy import text

from claimtrack.config import database_url
from claimtrack.db import include_in_autogenerate, make_engine
from claimtrack.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or make_engine(database_url())
    is_sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if is_sqlite:
            # Batch migrations copy tables; with foreign keys enforced the copy
            # would cascade deletes into child tables. The pragma is a no-op
            # inside a transaction, so it is set before one begins.
            connection.execute(text("PRAGMA foreign_keys = OFF"))
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=is_sqlite,
            compare_type=True,
            include_name=include_in_autogenerate,
        )
        with context.begin_transaction():
            context.run_migrations()
        if is_sqlite:
            connection.execute(text("PRAGMA foreign_keys = ON"))
            connection.commit()


if context.is_offline_mode():
    raise SystemExit("claimtrack migrations run online only: use `claimtrack db upgrade`")
run_migrations_online()
