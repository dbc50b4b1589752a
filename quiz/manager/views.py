"""The unit manager's view of the people in its unit subtree."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from ..admin.queries import user_search_query
from ..admin.views import PAGE_SIZE
from ..extensions import db
from ..labels import GROUP_LABELS, ROLE_LABELS
from ..models import Unit
from ..unit_tree import in_tree_order, subtree_filter

bp = Blueprint("manager", __name__, url_prefix="/manager")


@bp.before_request
@login_required
def _managers_only():
    if not (current_user.is_manager or current_user.is_admin):
        abort(403)


@bp.get("/")
def index():
    scope = current_user.unit
    units = list(db.session.execute(db.select(Unit).where(subtree_filter(scope))).scalars())
    page = db.paginate(
        user_search_query(
            request.args.get("q", ""), request.args.get("unit", type=int), None, scope
        ),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template(
        "manager/index.html",
        scope=scope,
        units=in_tree_order(units),
        page=page,
        roles=ROLE_LABELS,
        groups=GROUP_LABELS,
    )
