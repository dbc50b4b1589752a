"""Admin pages of the register of legal documents, and what other pages show of it."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import admins_only
from ..bank import services as bank_services
from ..errors import DomainError
from ..extensions import db
from ..models import LegalDocument, LegalStatus, Question, Round, utcnow
from ..xlsx import attachment
from . import queries, services
from .forms import ActionForm, DocumentForm, LinksForm, RegisterUploadForm, ReplaceForm
from .labels import LEGAL_KIND_LABELS, LEGAL_STATUS_LABELS

bp = Blueprint("legal", __name__, url_prefix="/admin/legal")
bp.before_request(admins_only)


@bp.app_template_global()
def legal_citations(questions) -> dict[int, list[LegalDocument]]:
    """What each question cites, for the source lines of practice and review (one query)."""
    return queries.citations_by_question([q.id for q in questions])


@bp.app_template_global()
def legal_round_warnings(round_: Round | None) -> list[tuple[LegalDocument, int]]:
    return queries.round_stale_citations(round_) if round_ is not None else []


@bp.app_template_global()
def legal_status_label(status: str) -> str:
    return str(LEGAL_STATUS_LABELS.get(status, status))


@bp.get("")
def index():
    q = request.args.get("q", "")
    status = request.args.get("status", "")
    if status not in {s.value for s in LegalStatus}:
        status = ""
    return render_template(
        "legal/index.html",
        documents=queries.document_search(q, status),
        counts=queries.citation_counts(),
        q=q,
        status=status,
        statuses=LEGAL_STATUS_LABELS,
        kinds=LEGAL_KIND_LABELS,
        upload_form=RegisterUploadForm(),
    )


def _fields(form: DocumentForm) -> services.DocumentFields:
    return services.DocumentFields(
        number=form.number.data or "",
        name=form.name.data or "",
        kind=form.kind.data,
        issuer=(form.issuer.data or "").strip() or None,
        issued_on=form.issued_on.data,
        effective_on=form.effective_on.data,
        status=form.status.data,
        note=(form.note.data or "").strip() or None,
    )


def _edit_page(form: DocumentForm, document: LegalDocument | None):
    if form.validate_on_submit():
        try:
            document = services.save_document(
                document, _fields(form), actor=current_user, now=utcnow()
            )
        except DomainError as err:
            form.form_errors.append(err.text())
        else:
            flash(_("Đã lưu văn bản %(number)s.", number=document.number), "success")
            return redirect(url_for("legal.detail", document_id=document.id))
    status = 422 if request.method == "POST" else 200
    return render_template("legal/edit.html", form=form, document=document), status


@bp.route("/new", methods=["GET", "POST"])
def new():
    return _edit_page(DocumentForm(), None)


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
def edit(document_id: int):
    document = db.get_or_404(LegalDocument, document_id)
    form = DocumentForm(obj=None if request.method == "POST" else document)
    if request.method == "GET" and document.status == LegalStatus.REPLACED:
        form.status.data = LegalStatus.IN_FORCE.value  # saving here undoes the replacement
    return _edit_page(form, document)


def _detail_page(document: LegalDocument, replace_form: ReplaceForm | None = None, status=200):
    return render_template(
        "legal/detail.html",
        document=document,
        questions=queries.citing_questions(document),
        replace_form=replace_form or ReplaceForm(),
        action_form=ActionForm(),
        kinds=LEGAL_KIND_LABELS,
    ), status


@bp.get("/<int:document_id>")
def detail(document_id: int):
    return _detail_page(db.get_or_404(LegalDocument, document_id))


@bp.post("/<int:document_id>/replace")
def replace(document_id: int):
    document = db.get_or_404(LegalDocument, document_id)
    form = ReplaceForm()
    if not form.validate_on_submit():
        return _detail_page(document, form, 422)
    replacement = None
    if (form.replaced_by.data or "").strip():
        replacement = queries.document_for(form.replaced_by.data)
        if replacement is None:
            form.replaced_by.errors = [
                _(
                    "Chưa có văn bản “%(number)s” trong danh mục: hãy thêm văn bản đó trước.",
                    number=form.replaced_by.data.strip(),
                )
            ]
            return _detail_page(document, form, 422)
    try:
        affected = services.mark_replaced(
            document, replacement, form.replaced_from.data, actor=current_user, now=utcnow()
        )
    except DomainError as err:
        form.form_errors.append(err.text())
        return _detail_page(document, form, 422)
    flash(
        _(
            "Đã đánh dấu %(number)s đã được thay thế. %(count)d câu hỏi căn cứ văn bản này "
            "được liệt kê dưới đây: hãy sửa hoặc loại từng câu.",
            number=document.number,
            count=len(affected),
        ),
        "success",
    )
    return redirect(url_for("legal.detail", document_id=document.id))


@bp.post("/<int:document_id>/retire")
def retire_all(document_id: int):
    document = db.get_or_404(LegalDocument, document_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    count = bank_services.retire_many(
        queries.citing_questions(document),
        actor=current_user,
        now=utcnow(),
        reason=f"legal_document:{document.number}",
    )
    flash(_("Đã loại %(count)d câu hỏi khỏi các lần rút đề mới.", count=count), "success")
    return redirect(url_for("legal.detail", document_id=document.id))


@bp.post("/<int:document_id>/questions/<int:question_id>/retire")
def retire_one(document_id: int, question_id: int):
    document = db.get_or_404(LegalDocument, document_id)
    question = db.get_or_404(Question, question_id)
    if not ActionForm().validate_on_submit() or question.id not in {
        q.id for q in queries.citing_questions(document)
    }:
        abort(400)
    bank_services.retire_many(
        [question], actor=current_user, now=utcnow(), reason=f"legal_document:{document.number}"
    )
    flash(_("Đã loại câu hỏi khỏi các lần rút đề mới."), "success")
    return redirect(url_for("legal.detail", document_id=document.id))


@bp.route("/questions/<int:question_id>/links", methods=["GET", "POST"])
def links(question_id: int):
    question = db.get_or_404(Question, question_id)
    if not question.is_current:
        abort(404)
    form = LinksForm()
    if request.method == "GET":
        form.numbers.data = "\n".join(d.number for d in queries.citations_of(question.id))
    elif form.validate_on_submit():
        ids, unknown = [], []
        for line in (form.numbers.data or "").replace(",", "\n").replace(";", "\n").splitlines():
            if line.strip():
                doc = queries.document_for(line)
                (ids.append(doc.id) if doc else unknown.append(line.strip()))
        if unknown:
            form.numbers.errors = [
                _("Chưa có trong danh mục: %(numbers)s.", numbers=", ".join(unknown))
            ]
        else:
            try:
                bank_services.set_citations(question, ids, actor=current_user, now=utcnow())
            except DomainError as err:
                form.form_errors.append(err.text())
            else:
                flash(_("Đã lưu liên kết văn bản của câu hỏi."), "success")
                return redirect(url_for("legal.links", question_id=question.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "legal/links.html",
        form=form,
        question=question,
        documents=queries.citations_of(question.id),
    ), status


@bp.get("/export.xlsx")
def export():
    return attachment(services.export_xlsx(), "danh-muc-van-ban.xlsx")


@bp.post("/import")
def import_():
    form = RegisterUploadForm()
    if not form.validate_on_submit():
        flash(_("Vui lòng chọn một tệp để tải lên."), "error")
        return redirect(url_for("legal.index"))
    upload = form.file.data
    result, counts = services.import_file(
        upload.read(), upload.filename or "", actor=current_user, now=utcnow()
    )
    if counts is None:
        return render_template(
            "legal/import_report.html",
            problems=[(p.row, p.where(_), p.text(_)) for p in result.problems],
        ), 422
    flash(
        _(
            "Đã nhập danh mục: thêm %(added)d, cập nhật %(updated)d văn bản; "
            "liên kết thêm %(linked)d câu hỏi.",
            added=counts.added,
            updated=counts.updated,
            linked=counts.linked,
        ),
        "success",
    )
    return redirect(url_for("legal.index"))
