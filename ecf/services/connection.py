"""Connection safety: a password in a database URL is never shown, and a database failure a person can act on (a lost
connection, a refused permission) is one plain line."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from ecf.storage.database import mask

# SQLSTATE classes for a connection lost or refused (08), the server shutting down or ending the session (57P0x).
_LOST = ("08", "57P01", "57P02", "57P03")
ASK = "ask your ecf administrator"
__all__ = ["explain_failure", "is_lost_connection", "mask"]


def is_lost_connection(exc: BaseException) -> bool:
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    state = getattr(exc.orig, "sqlstate", None) or ""
    return state.startswith(_LOST)


def explain_failure(exc: BaseException) -> str | None:
    """One line for a database failure a person can act on, or None for anything else."""
    if not isinstance(exc, DBAPIError):
        return None
    if is_lost_connection(exc):
        return ("lost the connection to the database; nothing was half-stored (each change is one transaction): "
                "run the command again once it is back")  # fmt: skip
    if getattr(exc.orig, "sqlstate", None) == "42501":
        reason = mask(str(exc.orig).splitlines()[0]) if str(exc.orig) else "permission denied"
        return f"the database refused: {reason}; your login lacks the role this needs; {ASK}"
    return None
