"""Certificates: a person's own PDF, and the public page a certificate's QR code opens."""

import re

from flask import Blueprint, abort, g, render_template, request
from flask_login import current_user, login_required

from ..errors import DomainError
from ..extensions import db
from ..labels import GROUP_LABELS
from ..models import Round, utcnow
from ..results.exports import PRIZE_LABELS
from ..xlsx import attachment
from . import queries, services

bp = Blueprint("certificates", __name__)

PDF_MIMETYPE = "application/pdf"
# What secrets.token_urlsafe makes; anything else is not a code, without a database query.
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,40}")


@bp.get("/rounds/<int:round_id>/certificate.pdf")
@login_required
def mine(round_id: int):
    """The logged-in person's certificate of a published round; 404 for anyone unranked."""
    round_ = db.get_or_404(Round, round_id)
    try:
        data = services.own_certificate(
            round_, current_user, base_url=request.host_url, now=utcnow()
        )
    except DomainError as err:
        abort(err.status)
    g.no_store = True  # one person's paper
    return attachment(data, f"giay-chung-nhan-dot-{round_.id}.pdf", PDF_MIMETYPE)


@bp.get("/certificates/<code>")
def verify(code: str):
    """Who the certificate names, for which contest and round, and what it certifies."""
    if not CODE_PATTERN.fullmatch(code):
        abort(404)
    found = queries.by_code(code)
    if found is None:
        abort(404)
    certificate, result, round_, contest = found
    if not queries.issues(round_):
        abort(404)
    return render_template(
        "certificates/verify.html",
        certificate=certificate,
        result=result,
        round=round_,
        contest=contest,
        group=GROUP_LABELS.get(result.participant_group, result.participant_group),
        prize=PRIZE_LABELS.get(result.prize) if result.prize else None,
    )
