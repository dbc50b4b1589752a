"""Practice pages: choose, take (a plain form), see the graded answers. Nothing is stored."""

from flask import Blueprint, g, render_template, request
from flask_login import login_required

from ..errors import DomainError
from ..models import utcnow
from . import services
from .forms import PracticeForm, parse_submission

bp = Blueprint("practice", __name__, url_prefix="/practice")

# Which form field shows a service's error.
FIELD_OF = {
    "bank_not_public": "bank_id",
    "bank_reserved": "bank_id",
    "unknown_topic": "topic",
    "invalid_size": "size",
}


def _setup_page(form: PracticeForm, status: int = 200):
    banks = services.bank_options(utcnow())
    return render_template("practice/index.html", form=form, banks=banks), status


@bp.get("")
@login_required
def index():
    return _setup_page(PracticeForm())


@bp.post("")
@login_required
def start():
    form = PracticeForm()
    if form.validate_on_submit():
        try:
            quiz = services.draw(
                int(form.bank_id.data),
                form.topic.data or None,
                int(form.size.data),
                timed=form.timed.data == "1",
                now=utcnow(),
            )
        except DomainError as err:
            field = getattr(form, FIELD_OF.get(err.code, ""), None)
            if field is not None:
                field.errors = [*field.errors, err.text()]
            else:
                form.form_errors.append(err.text())
            return _setup_page(form, err.status)
        # The page holds this person's drawn questions: never from a cache.
        g.no_store = True
        return render_template("practice/quiz.html", quiz=quiz)
    return _setup_page(form, 422)


@bp.post("/grade")
@login_required
def grade():
    g.no_store = True
    try:
        result = services.grade(parse_submission(request.form), utcnow())
    except DomainError as err:
        return render_template("practice/invalid.html", message=err.text()), err.status
    return render_template("practice/result.html", result=result)
