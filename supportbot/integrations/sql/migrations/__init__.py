"""The database's migrations (Alembic): ``env.py`` and the revisions in ``versions``, run by ``migrate``."""
