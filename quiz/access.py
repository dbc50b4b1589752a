"""Who may open a blueprint's pages: hooks for `bp.before_request`."""

from flask import abort
from flask_login import current_user, login_required


@login_required
def admins_only():
    """Anonymous visitors are sent to log in; everyone but admins gets 403."""
    if not current_user.is_admin:
        abort(403)
