"""Who may do what: each rule written once, asked by services, view decorators and templates.

Flask-free, so services raise :class:`~claimtrack.errors.PermissionDenied` from
the same answers that the desk's decorators and templates use to show or hide
a button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimtrack.accounts.models import Role, User

if TYPE_CHECKING:
    from claimtrack.ratings.models import Rating

#: Every role; a view that names no roles is open to any logged-in desk user.
ANY_ROLE: tuple[Role, ...] = tuple(Role)
#: Who publishes ratings (and so may fix anyone's draft before it is published).
EDITORS: tuple[Role, ...] = (Role.EDITOR, Role.ADMIN)
#: Who manages the team and reads the audit trail.
ADMINS: tuple[Role, ...] = (Role.ADMIN,)


def may_publish(user: User | None) -> bool:
    """Editors and admins publish ratings; ``None`` (anonymous) never does."""
    return user is not None and user.is_authenticated and user.role in EDITORS


def may_edit_draft(user: User | None, rating: Rating) -> bool:
    """A draft is fixed in place by its rater, or by anyone who may publish it; a published or retracted rating never is."""
    if user is None or not user.is_authenticated or rating.is_published or rating.is_retracted:
        return False
    return rating.rater_id == user.id or may_publish(user)


def may_change_draft(user: User | None, creator_id: int | None) -> bool:
    """A draft that is not a rating (a link, say) is changed or discarded by whoever made it, or by
    anyone who may publish it. Whether it is still a draft is for the caller to ask."""
    if user is None or not user.is_authenticated:
        return False
    return (creator_id is not None and creator_id == user.id) or may_publish(user)


def may_manage_team(user: User | None) -> bool:
    """Admins add people, change roles, reset passwords and read the audit trail."""
    return user is not None and user.is_authenticated and user.role in ADMINS


def may_manage_speakers(user: User | None) -> bool:
    """Editors and admins edit, rename and merge speakers and topics: every public page names them."""
    return user is not None and user.is_authenticated and user.role in EDITORS


def may_revoke_token(user: User | None, owner_id: int) -> bool:
    """An API token is revoked by its owner, or by an admin (who may revoke anyone's)."""
    return user is not None and user.is_authenticated and (user.id == owner_id or may_manage_team(user))
