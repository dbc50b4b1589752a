"""Announcements: the public list and detail pages, what the home and contest pages show,
and the organizers' pages to post, edit, unpublish and delete them."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markdown_it import MarkdownIt
from markupsafe import Markup

from ..access import admin_view
from ..contest import queries as contest_queries
from ..errors import DomainError
from ..extensions import db
from ..models import Announcement, Contest, utcnow
from ..query_args import PAGE_SIZE, page_arg
from . import queries, services
from .forms import ActionForm, AnnouncementForm

bp = Blueprint("announcements", __name__)

# CommonMark without raw HTML (a <script> in a body is shown as text, never run), bare
# URLs turned into links; markdown-it refuses javascript:, vbscript: and data: links.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable("linkify")


@bp.app_template_filter("markdown")
def render_markdown(text: str | None) -> Markup:
    return Markup(_markdown.render(text or ""))  # noqa: S704 - html disabled above


@bp.app_template_global()
def latest_announcements(limit: int = 3) -> list[Announcement]:
    """The home page's few latest announcements (pinned first)."""
    return queries.latest(limit)


@bp.app_template_global()
def contest_announcements(contest: Contest) -> list[Announcement]:
    return queries.for_contest(contest.id)


@bp.get("/announcements")
def index():
    return render_template("announcements/index.html", page=queries.public_page(page_arg()))


@bp.get("/announcements/<int:announcement_id>")
def detail(announcement_id: int):
    announcement = queries.published_or_none(announcement_id)
    if announcement is None:
        abort(404)
    return render_template("announcements/detail.html", announcement=announcement)


@bp.get("/admin/announcements")
@admin_view
def admin_index():
    return render_template(
        "announcements/admin_index.html",
        page=queries.admin_page(page_arg(), PAGE_SIZE),
        action_form=ActionForm(),
    )


def _form(announcement: Announcement | None) -> AnnouncementForm:
    if request.method == "POST":
        form = AnnouncementForm()
    else:
        form = AnnouncementForm(obj=announcement)
        if announcement is not None:
            form.contest_id.data = announcement.contest_id or 0
            form.published.data = announcement.published_at is not None
    form.contest_id.choices = [(0, _("Chung cho cả trang"))] + [
        (c.id, c.title) for c in contest_queries.contests_with_rounds()
    ]
    return form


def _edit_page(announcement: Announcement | None):
    form = _form(announcement)
    if form.validate_on_submit():
        fields = services.AnnouncementFields(
            title=form.title.data or "",
            body=form.body.data or "",
            pinned=bool(form.pinned.data),
            contest_id=form.contest_id.data or None,
            published=bool(form.published.data),
        )
        try:
            announcement = services.save(announcement, fields, actor=current_user, now=utcnow())
        except DomainError as err:
            form.form_errors.append(err.text())
        else:
            flash(_("Đã lưu thông báo “%(title)s”.", title=announcement.title), "success")
            return redirect(url_for("announcements.admin_index"))
    status = 422 if request.method == "POST" else 200
    return render_template("announcements/edit.html", form=form, announcement=announcement), status


@bp.route("/admin/announcements/new", methods=["GET", "POST"])
@admin_view
def new():
    return _edit_page(None)


@bp.route("/admin/announcements/<int:announcement_id>/edit", methods=["GET", "POST"])
@admin_view
def edit(announcement_id: int):
    return _edit_page(db.get_or_404(Announcement, announcement_id))


@bp.post("/admin/announcements/<int:announcement_id>/delete")
@admin_view
def delete(announcement_id: int):
    announcement = db.get_or_404(Announcement, announcement_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    title = announcement.title
    services.delete(announcement, actor=current_user, now=utcnow())
    flash(_("Đã xóa thông báo “%(title)s”.", title=title), "success")
    return redirect(url_for("announcements.admin_index"))
