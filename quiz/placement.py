"""The page that corrects a person's unit and group: the unit manager's and the admin's."""

from datetime import UTC, datetime

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from . import accounts
from .errors import DomainError
from .extensions import db
from .manager.forms import PlacementForm
from .models import Unit, User
from .unit_tree import in_tree_order, subtree_filter


def _unit_choices(scope: Unit | None) -> list[SelectChoice]:
    """The units an actor may move people to: its subtree (an admin: every unit)."""
    stmt = db.select(Unit) if scope is None else db.select(Unit).where(subtree_filter(scope))
    rows = in_tree_order(list(db.session.execute(stmt).scalars()))
    return [SelectChoice(r.unit.id, "\u00a0\u00a0" * r.depth + r.unit.name) for r in rows]


def placement_page(person: User, form: PlacementForm, scope: Unit | None, template: str, **context):
    """Show and save the correction (None once saved: the caller redirects)."""
    form.unit_id.choices = _unit_choices(scope)
    if request.method == "GET":
        form.unit_id.data, form.group.data = person.unit_id, person.participant_group
    if form.validate_on_submit():
        try:
            accounts.place(
                person.id,
                unit_id=form.unit_id.data,
                group=form.group.data,
                actor=current_user._get_current_object(),
                now=datetime.now(UTC),
            )
        except DomainError as err:
            db.session.rollback()
            form.form_errors.append(err.text())
        else:
            flash(
                _("Đã lưu đơn vị và đối tượng dự thi của %(name)s.", name=person.full_name),
                "success",
            )
            return None
    status = 422 if request.method == "POST" else 200
    return render_template(template, form=form, person=person, **context), status
