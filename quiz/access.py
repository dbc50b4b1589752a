"""Who may open a blueprint's pages: hooks for `bp.before_request`, and a decorator for
the admin routes of a blueprint whose other pages are public."""

import functools

from flask import abort
from flask_login import current_user, login_required


@login_required
def admins_only():
    """Anonymous visitors are sent to log in; everyone but admins gets 403."""
    if not current_user.is_admin:
        abort(403)


def admin_view(view):
    """admins_only for one route: anonymous visitors log in first, everyone else gets 403."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        refused = admins_only()
        return refused if refused is not None else view(*args, **kwargs)

    return wrapped
