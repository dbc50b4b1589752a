"""Question banks: upload → preview → confirm, CLI import/export, versions, retire, search."""

import io

import pytest
from openpyxl import load_workbook

from question_bank.questions import QuestionRecord, read_questions
from quiz.bank import services
from quiz.extensions import db
from quiz.models import AuditLog, Bank, Choice, Question, Upload
from tests.admin.helpers import xlsx
from tests.factories import now

HEADER = [
    "topic",
    "question",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "answer",
    "explanation",
    "source",
    "difficulty",
]
ROWS = [
    (
        "Chuyển đổi số",
        "Ngày Chuyển đổi số quốc gia là ngày nào hằng năm?",
        "10/10",
        "20/10",
        "2/9",
        "19/8",
        "",
        "",
        "A",
        "Theo Quyết định 505/QĐ-TTg.",
        "Quyết định 505/QĐ-TTg ngày 22/4/2022",
        "dễ",
    ),
    (
        "Cải cách hành chính",
        "Nghị quyết 76/NQ-CP ban hành chương trình nào?",
        "Chương trình chuyển đổi số",
        "Chương trình tổng thể cải cách hành chính nhà nước 2021–2030",
        "",
        "",
        "",
        "",
        "B",
        "",
        "Nghị quyết 76/NQ-CP ngày 15/7/2021",
        "trung bình",
    ),
]


@pytest.fixture
def admin(make_unit, make_user, login):
    user = make_user(make_unit(), role="admin")
    login(user)
    return user


@pytest.fixture
def bank(app):
    bank = services.create_bank("Ngân hàng thử", None, actor=None, now=now())
    return bank


def current(bank_id):
    return list(
        db.session.execute(
            db.select(Question).filter_by(bank_id=bank_id, is_current=True).order_by(Question.id)
        ).scalars()
    )


def upload(client, bank_id, rows, filename="cau-hoi.xlsx", header=HEADER):
    return client.post(
        f"/admin/banks/{bank_id}/upload",
        data={"file": (xlsx(header, rows), filename)},
        content_type="multipart/form-data",
    )


def test_upload_preview_confirm_loads_the_questions(client, admin, bank, run_jobs):
    response = upload(client, bank.id, ROWS)
    assert response.status_code == 302
    preview = client.get(response.headers["Location"])
    assert preview.status_code == 200
    assert "Xem trước: 2 câu hỏi hợp lệ" in preview.text
    assert current(bank.id) == []  # nothing yet: the admin has not confirmed
    upload_id = db.session.execute(db.select(Upload.id)).scalar_one()
    confirmed = client.post(f"/admin/banks/{bank.id}/uploads/{upload_id}/confirm")
    assert confirmed.status_code == 302
    assert run_jobs() == (1, 0)
    assert "Đã nạp 2 câu hỏi" in client.get(confirmed.headers["Location"]).text
    questions = current(bank.id)
    assert [q.text for q in questions] == [r[1] for r in ROWS]
    first = questions[0]
    assert [c.text for c in first.choices] == ["10/10", "20/10", "2/9", "19/8"]
    assert (first.correct_choice.text, first.difficulty, first.topic.name) == (
        "10/10",
        "easy",
        "Chuyển đổi số",
    )
    assert first.lineage_id == first.id and first.version == 1
    assert db.session.execute(db.select(Upload)).first() is None
    entry = db.session.execute(db.select(AuditLog).filter_by(action="bank.import")).scalar_one()
    assert entry.details["added"] == 2
    detail = client.get(f"/admin/banks/{bank.id}").text
    assert "Cải cách hành chính" in detail


def test_confirming_the_same_file_twice_adds_nothing_the_second_time(client, admin, bank, run_jobs):
    upload(client, bank.id, ROWS)
    upload(client, bank.id, ROWS)
    first, second = db.session.execute(db.select(Upload.id).order_by(Upload.id)).scalars()
    client.post(f"/admin/banks/{bank.id}/uploads/{first}/confirm")
    assert run_jobs() == (1, 0)
    response = client.post(f"/admin/banks/{bank.id}/uploads/{second}/confirm")
    assert run_jobs() == (0, 1)
    page = client.get(response.headers["Location"])
    assert "đã có trong ngân hàng" in page.text
    assert "không có dữ liệu nào bị thay đổi" in page.text
    assert len(current(bank.id)) == 2


BAD_ROWS = {
    "empty question": (("T", "", "a", "b", "", "", "", "", "A", "", "", ""), "question"),
    "one choice": (("T", "Câu?", "a", "", "", "", "", "", "A", "", "", ""), "B"),
    "answer not A-F": (("T", "Câu?", "a", "b", "", "", "", "", "G", "", "", ""), "answer"),
    "answer on empty choice": (("T", "Câu?", "a", "b", "", "", "", "", "C", "", "", ""), "answer"),
    "duplicate choices": (("T", "Câu?", "Có", " có ", "", "", "", "", "A", "", "", ""), "B"),
    "unknown difficulty": (
        ("T", "Câu?", "a", "b", "", "", "", "", "A", "", "", "rất khó"),
        "difficulty",
    ),
    "overlong choice": (("T", "Câu?", "a" * 501, "b", "", "", "", "", "A", "", "", ""), "A"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_is_reported_by_row_and_column_and_nothing_loads(client, admin, bank, case):
    row, column = BAD_ROWS[case]
    response = upload(client, bank.id, [ROWS[0], row])
    preview = client.get(response.headers["Location"])
    assert preview.status_code == 422
    assert '<td class="num">3</td>' in preview.text
    # The column as the organizer sees it: Excel's letter and the file's own header.
    letter = "ABCDEFGHIJKL"[HEADER.index(column)]
    assert f"<td>{letter} «{column}»</td>" in preview.text
    assert "Xác nhận nạp" not in preview.text
    assert current(bank.id) == []


def test_duplicate_of_a_question_already_in_the_bank_is_refused(client, admin, bank):
    services.import_file(bank.name, _xlsx_bytes(ROWS[:1]), "a.xlsx", actor=None, now=now())
    changed_case = (
        ROWS[0][0],
        "  ngày chuyển đổi số quốc gia là NGÀY NÀO hằng năm? ",
        *ROWS[0][2:],
    )
    response = upload(client, bank.id, [changed_case])
    preview = client.get(response.headers["Location"])
    assert preview.status_code == 422
    assert "đã có trong ngân hàng" in preview.text


def test_someone_elses_upload_is_not_found(client, web_app, admin, bank, make_user, make_unit):
    upload(client, bank.id, ROWS)
    upload_id = db.session.execute(db.select(Upload.id)).scalar_one()
    other_admin = make_user(make_unit(), role="admin")
    other = web_app.test_client()
    other.post("/auth/login", data={"login": other_admin.email, "password": "mat-khau-1"})
    assert other.get(f"/admin/banks/{bank.id}/uploads/{upload_id}").status_code == 404
    assert other.post(f"/admin/banks/{bank.id}/uploads/{upload_id}/confirm").status_code == 404


def _xlsx_bytes(rows) -> bytes:
    return xlsx(HEADER, rows).getvalue()


def test_editing_makes_a_new_version_and_keeps_the_old_one_intact(client, admin, bank):
    services.import_file(bank.name, _xlsx_bytes(ROWS), "a.xlsx", actor=None, now=now())
    old = current(bank.id)[0]
    old_id, old_choices = old.id, [(c.id, c.text) for c in old.choices]
    response = client.post(
        f"/admin/banks/questions/{old_id}/edit",
        data={
            "topic": "Chuyển đổi số",
            "text": "Ngày nào là Ngày Chuyển đổi số quốc gia?",
            "A": "20/10",
            "B": "10/10",
            "C": "2/9",
            "answer": "B",
            "explanation": "QĐ 505.",
            "source": "Quyết định 505/QĐ-TTg",
            "difficulty": "easy",
        },
    )
    assert response.status_code == 302, response.text
    db.session.expire_all()
    before = db.session.get(Question, old_id)
    assert (before.is_current, before.text, before.correct_position) == (False, ROWS[0][1], 1)
    assert [(c.id, c.text) for c in before.choices] == old_choices
    new = next(q for q in current(bank.id) if q.lineage_id == old_id)
    assert (new.version, new.correct_choice.text, new.id != old_id) == (2, "10/10", True)
    history = client.get(f"/admin/banks/questions/{new.id}").text
    assert "Phiên bản 1" in history and "Phiên bản 2" in history
    assert client.get(f"/admin/banks/questions/{old_id}/edit").status_code == 404


def test_edit_with_problems_explains_and_changes_nothing(client, admin, bank):
    services.import_file(bank.name, _xlsx_bytes(ROWS), "a.xlsx", actor=None, now=now())
    q = current(bank.id)[0]
    response = client.post(
        f"/admin/banks/questions/{q.id}/edit",
        data={"topic": "Chuyển đổi số", "text": ROWS[1][1], "A": "x", "B": "y", "answer": "C"},
    )
    assert response.status_code == 422
    assert "đã có trong ngân hàng" in response.text
    assert len(current(bank.id)) == 2 and current(bank.id)[0].version == 1


def test_retire_and_restore_are_audited_and_filter_the_list(client, admin, bank):
    services.import_file(bank.name, _xlsx_bytes(ROWS), "a.xlsx", actor=None, now=now())
    q = current(bank.id)[0]
    client.post(f"/admin/banks/questions/{q.id}/retire")
    assert db.session.get(Question, q.id).retired_at is not None
    active = client.get(f"/admin/banks/{bank.id}/questions").text
    assert ROWS[0][1] not in active and ROWS[1][1] in active
    assert ROWS[0][1] in client.get(f"/admin/banks/{bank.id}/questions?status=retired").text
    assert [r.text for r in services.current_records(bank)] == [ROWS[1][1]]
    client.post(f"/admin/banks/questions/{q.id}/restore")
    assert db.session.get(Question, q.id).retired_at is None
    actions = {a.action for a in db.session.execute(db.select(AuditLog)).scalars()}
    assert {"question.retire", "question.restore"} <= actions


def test_search_is_accent_insensitive(client, admin, bank):
    services.import_file(bank.name, _xlsx_bytes(ROWS), "a.xlsx", actor=None, now=now())
    page = client.get(f"/admin/banks/{bank.id}/questions?q=chuyen doi so quoc gia").text
    assert ROWS[0][1] in page and ROWS[1][1] not in page
    page = client.get(f"/admin/banks/{bank.id}/questions?q=NGHỊ QUYET 76").text
    assert ROWS[1][1] in page and ROWS[0][1] not in page


def test_database_refuses_a_question_without_its_correct_choice(app, bank):
    topic_bank = db.session.get(Bank, bank.id)
    record = QuestionRecord(2, "T", "Câu hỏi?", ("a", "b"), 1, None, None, None)
    services.import_records(topic_bank, [record], actor=None, now=now())
    db.session.commit()
    q = current(bank.id)[0]
    q.correct_position = 5  # no choice E: the composite foreign key refuses at commit
    with pytest.raises(Exception, match="(?i)foreign key"):
        db.session.commit()
    db.session.rollback()
    db.session.add(Choice(question_id=q.id, position=1, text="trùng vị trí"))
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "gift", "aiken"])
def test_cli_export_then_import_gives_the_same_questions(runner, bank, tmp_path, fmt):
    services.import_file(bank.name, _xlsx_bytes(ROWS), "a.xlsx", actor=None, now=now())
    out = tmp_path / f"bank.{ {'aiken': 'txt'}.get(fmt, fmt) }"
    result = runner.invoke(args=["bank", "export", bank.name, "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    args = ["bank", "import", str(out), "--bank", "Bản sao"]
    if fmt == "aiken":
        args += ["--topic", "Chuyển đổi số"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    copy = services.bank_by_name("Bản sao")
    original, copied = services.current_records(bank), services.current_records(copy)
    assert [(r.text, r.choices, r.answer) for r in copied] == [
        (r.text, r.choices, r.answer) for r in original
    ]
    if fmt != "aiken":
        assert [(r.topic, r.explanation, r.source) for r in copied] == [
            (r.topic, r.explanation, r.source) for r in original
        ]


def test_cli_import_refuses_a_bad_file_and_creates_no_bank(runner, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_xlsx_bytes([("T", "", "a", "b", "", "", "", "", "A", "", "", "")]))
    result = runner.invoke(args=["bank", "import", str(bad), "--bank", "Mới"])
    assert result.exit_code == 1 and "dòng 2, cột B «question»" in result.output
    assert services.bank_by_name("Mới") is None
    result = runner.invoke(args=["bank", "import", str(tmp_path / "x.pdf"), "--bank", "Mới"])
    assert result.exit_code != 0


def test_cli_import_prints_a_summary_per_topic(runner, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(_xlsx_bytes(ROWS))
    result = runner.invoke(args=["bank", "import", str(good), "--bank", "Mới"])
    assert result.exit_code == 0
    assert "Chuyển đổi số: 1" in result.output and "Đã thêm 2 câu hỏi" in result.output


def test_template_has_headers_and_instructions(client, admin):
    response = client.get("/admin/banks/template.xlsx")
    wb = load_workbook(io.BytesIO(response.data))
    assert "Hướng dẫn" in wb.sheetnames
    assert [c.value for c in wb.worksheets[0][1]] == VIETNAMESE_HEADER
    result = read_questions(io.BytesIO(response.data), "mau.xlsx")
    assert result.ok and len(result.records) >= 1


VIETNAMESE_HEADER = [
    "Chủ đề",
    "Câu hỏi",
    *"ABCDEF",
    "Đáp án",
    "Giải thích",
    "Nguồn",
    "Độ khó",
]


def test_a_vietnamese_header_file_loads_like_an_english_one(client, admin, bank, run_jobs):
    response = upload(client, bank.id, ROWS, header=VIETNAMESE_HEADER)
    preview = client.get(response.headers["Location"])
    assert preview.status_code == 200, preview.text
    client.post(f"{preview.request.path}/confirm")
    assert run_jobs() == (1, 0)
    assert len(current(bank.id)) == len(ROWS)


def test_a_bad_row_names_the_files_own_header_and_excel_column(client, admin, bank):
    header = ["STT", "Chủ đề", "Câu hỏi", "Đáp án", "Phương án A", "Phương án B"]
    rows = [(1, "T", "Câu một?", "A", "Có", "Không"), (2, "T", "Câu hai?", "X", "Có", "Không")]
    response = upload(client, bank.id, rows, header=header)
    preview = client.get(response.headers["Location"])
    assert preview.status_code == 422
    assert "<td>D «Đáp án»</td>" in preview.text
    assert current(bank.id) == []


def test_bank_name_must_be_unique(client, admin, bank):
    response = client.post("/admin/banks", data={"name": "Ngân hàng thử"})
    assert response.status_code == 422
    assert "Đã có ngân hàng câu hỏi" in response.text


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("gift", "text/plain; charset=utf-8"),
        ("aiken", "text/plain; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_export_downloads_name_their_charset_once(client, admin, bank, fmt, content_type):
    response = client.get(f"/admin/banks/{bank.id}/export/{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"].startswith("attachment;")
