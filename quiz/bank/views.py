"""Admin pages of the question banks: upload → preview → confirm, browse, edit, retire."""

from collections import Counter

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from question_bank.questions import (
    LETTERS,
    QuestionChecker,
    questions_template_xlsx,
)

from ..access import admins_only
from ..errors import DomainError
from ..extensions import db
from ..jobs import services as jobs
from ..labels import DIFFICULTY_LABELS
from ..models import Bank, Question, Upload, utcnow
from ..navigation import back
from ..query_args import id_arg, page_arg
from ..xlsx import attachment
from . import queries, services
from .forms import BankForm, QuestionForm, QuestionUploadForm

bp = Blueprint("bank", __name__, url_prefix="/admin/banks")
PAGE_SIZE = 30


bp.before_request(admins_only)


def _problems(result) -> list[tuple]:
    return [(p.row, p.where(_), p.text(_)) for p in result.problems]


@bp.get("")
def index(form: BankForm | None = None):
    banks = queries.all_banks()
    return render_template(
        "bank/index.html", banks=banks, counts=queries.bank_counts(), form=form or BankForm()
    )


@bp.post("")
def create():
    form = BankForm()
    if form.validate_on_submit():
        try:
            bank = services.create_bank(
                form.name.data, form.description.data, actor=current_user, now=utcnow()
            )
        except DomainError as err:
            form.name.errors = [*form.name.errors, err.text()]
        else:
            flash(_("Đã tạo ngân hàng câu hỏi “%(name)s”.", name=bank.name), "success")
            return redirect(url_for("bank.detail", bank_id=bank.id))
    return index(form), 422


@bp.get("/template.xlsx")
def template():
    return attachment(questions_template_xlsx(), "mau-cau-hoi.xlsx")


def _detail(bank: Bank, form: QuestionUploadForm):
    topics, totals = queries.topic_difficulty_counts(bank)
    columns = [(k.value, v) for k, v in DIFFICULTY_LABELS.items()] + [("unset", _("Chưa xác định"))]
    formats = [
        ("xlsx", _("Excel (.xlsx)")),
        ("csv", _("CSV (UTF-8)")),
        ("gift", _("GIFT (Moodle)")),
        ("aiken", _("Aiken (Moodle, không có chủ đề)")),
    ]
    return render_template(
        "bank/detail.html",
        bank=bank,
        topics=topics,
        totals=totals,
        difficulty_columns=columns,
        export_formats=formats,
        form=form,
    )


@bp.get("/<int:bank_id>")
def detail(bank_id: int):
    return _detail(db.get_or_404(Bank, bank_id), QuestionUploadForm())


@bp.post("/<int:bank_id>/upload")
def upload(bank_id: int):
    bank = db.get_or_404(Bank, bank_id)
    form = QuestionUploadForm()
    if not form.validate_on_submit():
        return _detail(bank, form), 422
    data = form.file.data.read()
    stashed = services.stash_upload(
        current_user, bank, form.file.data.filename or "", data, now=utcnow()
    )
    topic = form.topic.data or None
    return redirect(url_for("bank.preview", bank_id=bank.id, upload_id=stashed.id, topic=topic))


def _own_upload(bank: Bank, upload_id: int) -> Upload:
    upload = db.session.get(Upload, upload_id)
    if upload is None or upload.user_id != current_user.id or upload.target_id != bank.id:
        abort(404)
    return upload


@bp.get("/<int:bank_id>/uploads/<int:upload_id>")
def preview(bank_id: int, upload_id: int):
    bank = db.get_or_404(Bank, bank_id)
    upload = _own_upload(bank, upload_id)
    topic = request.args.get("topic") or None
    result = services.read_file(upload.data, upload.filename, bank, topic)
    per_topic = sorted(Counter(r.topic for r in result.records).items())
    return render_template(
        "bank/preview.html",
        bank=bank,
        upload=upload,
        topic=topic,
        records=result.records if result.ok else [],
        per_topic=per_topic,
        problems=_problems(result),
    ), (200 if result.ok else 422)


@bp.post("/<int:bank_id>/uploads/<int:upload_id>/confirm")
def confirm(bank_id: int, upload_id: int):
    """Queue the import of the previewed file; the job page shows how it went."""
    bank = db.get_or_404(Bank, bank_id)
    upload = _own_upload(bank, upload_id)
    job = jobs.enqueue(
        "bank.import",
        actor=current_user,
        now=utcnow(),
        params={"bank_id": bank.id, "topic": request.form.get("topic") or None},
        upload_id=upload.id,
    )
    return redirect(url_for("jobs.detail", job_id=job.id))


@bp.get("/<int:bank_id>/export/<fmt>")
def export(bank_id: int, fmt: str):
    bank = db.get_or_404(Bank, bank_id)
    if fmt not in services.EXPORT_FORMATS:
        abort(404)
    mimetype, extension, write = services.EXPORT_FORMATS[fmt]
    filename = f"ngan-hang-{bank.id}.{extension}"
    return attachment(write(services.current_records(bank)), filename, mimetype)


@bp.get("/<int:bank_id>/questions")
def questions(bank_id: int):
    bank = db.get_or_404(Bank, bank_id)
    stmt = queries.question_search(
        bank,
        request.args.get("q", ""),
        id_arg("topic"),
        request.args.get("difficulty") or None,
        request.args.get("status", "active"),
    )
    page = db.paginate(stmt, page=page_arg(), per_page=PAGE_SIZE, error_out=False)
    topics = queries.topics(bank)
    statuses = [("active", _("Đang dùng")), ("retired", _("Đã loại")), ("all", _("Tất cả"))]
    return render_template(
        "bank/questions.html",
        bank=bank,
        page=page,
        topics=list(topics),
        difficulties=DIFFICULTY_LABELS,
        statuses=statuses,
    )


@bp.get("/questions/<int:question_id>")
def question(question_id: int):
    q = db.get_or_404(Question, question_id)
    return render_template("bank/question.html", question=q, versions=queries.versions(q))


# Which form field shows a problem of the shared question checker.
_FIELD = {"question": "text"}


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit(question_id: int):
    q = db.get_or_404(Question, question_id)
    if not q.is_current:
        abort(404)
    form = QuestionForm()
    if request.method == "GET":
        form.topic.data, form.text.data = q.topic.name, q.text
        for c in q.choices:
            form[LETTERS[c.position - 1]].data = c.text
        form.answer.data = q.letter
        form.explanation.data, form.source.data = q.explanation or "", q.source or ""
        form.difficulty.data = q.difficulty or ""
    elif form.validate_on_submit():
        others = services.existing_keys(q.bank) - {q.text_key}
        record, problems = QuestionChecker(others).check(
            0,
            topic=form.topic.data or "",
            question=form.text.data or "",
            choices=[form[letter].data or "" for letter in LETTERS],
            answer=form.answer.data or "",
            explanation=form.explanation.data or "",
            source=form.source.data or "",
            difficulty=form.difficulty.data or "",
        )
        for p in problems:
            field = getattr(form, _FIELD.get(p.column or "", p.column or ""), None)
            if field is not None:
                field.errors = [*field.errors, p.text(_)]
            else:
                form.form_errors.append(p.text(_))
        if record is not None:
            try:
                new = services.edit_question(q, record, actor=current_user, now=utcnow())
            except DomainError as err:
                form.form_errors.append(err.text())
            else:
                flash(_("Đã lưu phiên bản %(n)d của câu hỏi.", n=new.version), "success")
                return redirect(url_for("bank.questions", bank_id=new.bank_id))
    status = 422 if request.method == "POST" else 200
    return render_template("bank/edit.html", form=form, question=q), status


def _set_retired(question_id: int, retired: bool):
    q = db.get_or_404(Question, question_id)
    if not q.is_current:
        abort(404)
    services.set_retired(q, retired, actor=current_user, now=utcnow())
    if retired:
        flash(_("Đã loại câu hỏi khỏi các lần rút đề mới."), "success")
    else:
        flash(_("Câu hỏi được dùng lại."), "success")
    return redirect(back("bank.index"))


@bp.post("/questions/<int:question_id>/retire")
def retire(question_id: int):
    return _set_retired(question_id, True)


@bp.post("/questions/<int:question_id>/restore")
def restore(question_id: int):
    return _set_retired(question_id, False)
