"""``manage.py check --deploy``: warn when the app's database role could reach the server's
files or programs (a superuser, or a member of pg_read_server_files and its kin).

An SQL injection or a hostile GDAL connection string would then reach the whole machine; the
app needs only to own its database (see the README's Database section).
"""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError, connections

from geo_civic.operations import database_errors

DANGEROUS_ROLES = ("pg_read_server_files", "pg_write_server_files", "pg_execute_server_program")

ROLE_RIGHTS = """
SELECT session_user, r.rolsuper,
       ARRAY(SELECT name FROM unnest(%s::text[]) AS name
             WHERE pg_has_role(session_user, name, 'MEMBER'))
FROM pg_roles AS r WHERE r.rolname = session_user
"""


@checks.register(checks.Tags.security, deploy=True)
def check_database_role(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """geo_civic.W001 when a database connection's role is too powerful."""
    messages: list[checks.CheckMessage] = []
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(ROLE_RIGHTS, [list(DANGEROUS_ROLES)])
                role, superuser, memberships = cursor.fetchone()
        except DatabaseError as exc:
            messages.append(
                checks.Info(
                    f"database {alias!r}: could not check the role's rights "
                    f"({database_errors.reason(exc)})",
                    id="geo_civic.I001",
                )
            )
            continue
        too_much = ["a superuser"] if superuser else [f"a member of {m}" for m in memberships]
        if too_much:
            messages.append(
                checks.Warning(
                    f"database {alias!r}: the app connects as role {role!r}, which is "
                    f"{' and '.join(too_much)}: through it, the server's files or programs "
                    "are within reach.",
                    hint="Connect as a role that owns the app's database and nothing more "
                    "(NOSUPERUSER, no pg_*_server_* membership); see the README, Database.",
                    id="geo_civic.W001",
                )
            )
    return messages
