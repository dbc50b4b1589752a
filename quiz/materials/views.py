"""Study materials (tài liệu tham khảo): the public page grouped by topic, file downloads,
the public view of the register of legal documents, and the organizers' pages."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..access import admin_view
from ..errors import DomainError
from ..extensions import db
from ..legal import queries as legal_queries
from ..legal.labels import LEGAL_KIND_LABELS, LEGAL_STATUS_LABELS
from ..models import StudyMaterial, utcnow
from . import queries, services, storage
from .forms import ActionForm, MaterialForm

bp = Blueprint("materials", __name__)


@bp.get("/materials")
def index():
    return render_template("materials/index.html", groups=queries.by_topic())


@bp.get("/materials/<int:material_id>/file")
def download(material_id: int):
    material = db.get_or_404(StudyMaterial, material_id)
    if material.stored_name is None:
        abort(404)
    path = storage.folder() / material.stored_name
    if not path.is_file():
        abort(404)
    # Always a download with our own Content-Type: an uploaded file is never rendered by
    # the browser as a page of this site, and never sniffed into one.
    response = send_file(
        path,
        mimetype=material.content_type,
        as_attachment=True,
        download_name=material.file_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/materials/legal-documents")
def legal_register():
    return render_template(
        "materials/legal.html",
        documents=legal_queries.all_documents(),
        kinds=LEGAL_KIND_LABELS,
        statuses=LEGAL_STATUS_LABELS,
    )


@bp.get("/admin/materials")
@admin_view
def admin_index():
    return render_template(
        "materials/admin_index.html", materials=queries.all_materials(), action_form=ActionForm()
    )


def _edit_page(material: StudyMaterial | None):
    form = MaterialForm(obj=None if request.method == "POST" else material)
    if form.validate_on_submit():
        fields = services.MaterialFields(
            topic=form.topic.data or "",
            title=form.title.data or "",
            description=form.description.data,
            url=form.url.data,
            position=form.position.data or 0,
        )
        upload = None
        if form.file.data and form.file.data.filename:
            upload = services.Upload(form.file.data.read(), form.file.data.filename)
        try:
            material = services.save(material, fields, upload, actor=current_user, now=utcnow())
        except DomainError as err:
            form.form_errors.append(err.text())
            status = err.status
        else:
            flash(_("Đã lưu tài liệu “%(title)s”.", title=material.title), "success")
            return redirect(url_for("materials.admin_index"))
    else:
        status = 422 if request.method == "POST" else 200
    return render_template(
        "materials/edit.html",
        form=form,
        material=material,
        topics=queries.topics(),
        max_mb=storage.max_megabytes(),
    ), status


@bp.route("/admin/materials/new", methods=["GET", "POST"])
@admin_view
def new():
    return _edit_page(None)


@bp.route("/admin/materials/<int:material_id>/edit", methods=["GET", "POST"])
@admin_view
def edit(material_id: int):
    return _edit_page(db.get_or_404(StudyMaterial, material_id))


@bp.post("/admin/materials/<int:material_id>/delete")
@admin_view
def delete(material_id: int):
    material = db.get_or_404(StudyMaterial, material_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    title = material.title
    services.delete(material, actor=current_user, now=utcnow())
    flash(_("Đã xóa tài liệu “%(title)s”.", title=title), "success")
    return redirect(url_for("materials.admin_index"))
