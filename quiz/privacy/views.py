"""The personal-data notice, and a person's own data: download it, ask for its deletion."""

import json
from datetime import UTC, datetime

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError
from ..xlsx import attachment
from . import services
from .forms import DeletionRequestForm

bp = Blueprint("privacy", __name__, url_prefix="/privacy")


@bp.get("/notice")
def notice():
    return render_template("privacy/notice.html", version=services.NOTICE_VERSION)


@bp.get("/me")
@login_required
def mine():
    g.no_store = True
    user = current_user._get_current_object()
    return render_template(
        "privacy/mine.html",
        user=user,
        pending=services.pending_request(user),
        form=DeletionRequestForm(),
    )


@bp.get("/me/data.json")
@login_required
def export():
    g.no_store = True
    data = services.my_data(current_user._get_current_object())
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return attachment(body, "du-lieu-cua-toi.json", "application/json")


@bp.post("/me/delete")
@login_required
def request_deletion():
    form = DeletionRequestForm()
    if form.validate_on_submit():
        try:
            services.request_deletion(
                current_user._get_current_object(), form.reason.data, now=datetime.now(UTC)
            )
        except DomainError as err:
            flash(err.text(), "error")
        else:
            flash(_("Đã gửi yêu cầu xóa dữ liệu. Ban Tổ chức sẽ xem xét và xử lý."), "success")
    else:
        flash(_("Lý do dài tối đa 1000 ký tự."), "error")
    return redirect(url_for("privacy.mine"))
