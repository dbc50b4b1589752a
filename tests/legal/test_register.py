"""The register of legal documents: links from sources, replacement, pages, import/export."""

import io
from datetime import date

import pytest
from flask import render_template_string

from question_bank.legal import number_key
from question_bank.questions import QuestionRecord
from quiz.bank import services as bank_services
from quiz.extensions import db
from quiz.legal import queries, services
from quiz.models import AuditLog, LegalDocument, Question
from tests.factories import make_round, now


def _doc(number, name, kind="decree", **fields) -> LegalDocument:
    doc = LegalDocument(
        number=number, number_key=number_key(number), name=name, kind=kind, **fields
    )
    db.session.add(doc)
    db.session.commit()
    return doc


def _bank(sources: dict[str, str | None], name="Ngân hàng thử", topic="Dữ liệu cá nhân"):
    bank = bank_services.create_bank(name, None, actor=None, now=now())
    records = [
        QuestionRecord(
            row=i,
            topic=topic,
            text=text,
            choices=("Đúng", "Sai một", "Sai hai", "Sai ba"),
            answer=0,
            explanation=None,
            source=source,
            difficulty=None,
        )
        for i, (text, source) in enumerate(sources.items(), start=2)
    ]
    bank_services.import_records(bank, records, actor=None, now=now())
    db.session.commit()
    return bank


def _question(text) -> Question:
    return db.session.execute(
        db.select(Question).filter_by(text=text, is_current=True)
    ).scalar_one()


@pytest.fixture
def docs(app):
    return {
        "nd13": _doc("13/2023/NĐ-CP", "Nghị định về bảo vệ dữ liệu cá nhân"),
        "luat91": _doc("91/2025/QH15", "Luật Bảo vệ dữ liệu cá nhân", kind="law"),
        "nq57": _doc("57-NQ/TW", "Nghị quyết về đột phá phát triển KHCN", kind="party"),
    }


SOURCES = {
    "Câu một?": "Nghị định số 13/2023/NĐ-CP ngày 17/4/2023 của Chính phủ",
    "Câu hai?": "NĐ 13/2023",
    "Câu ba?": "Luật số 91/2025/QH15",
    "Câu bốn?": "Nghị quyết 57-NQ/TW",
    "Câu năm?": "Luật số 91/2025/QH15 (thay thế Nghị định 13/2023/NĐ-CP)",
    "Câu sáu?": None,
    "Câu bảy?": "Kỹ năng an toàn thông tin (không căn cứ văn bản)",
}


def test_marking_a_document_replaced_lists_exactly_the_questions_citing_it(
    docs, make_unit, make_user
):
    _bank(SOURCES)
    _bank({"Câu ở ngân hàng khác?": "NĐ 13/2023"}, name="Ngân hàng khác")
    # An edit makes a new version: only the current one is listed.
    first = _question("Câu một?")
    record = QuestionRecord(
        0, "Dữ liệu cá nhân", "Câu một (sửa)?", ("Đúng", "Sai"), 0, None, first.source, None
    )
    bank_services.edit_question(first, record, actor=None, now=now())
    admin = make_user(make_unit(), role="admin")

    affected = services.mark_replaced(
        docs["nd13"], docs["luat91"], date(2026, 1, 1), actor=admin, now=now()
    )

    expected = {"Câu một (sửa)?", "Câu hai?", "Câu năm?", "Câu ở ngân hàng khác?"}
    assert {q.text for q in affected} == expected
    assert {q.text for q in queries.citing_questions(docs["luat91"])} == {"Câu ba?", "Câu năm?"}
    log = db.session.execute(db.select(AuditLog).filter_by(action="legal.replace")).scalar_one()
    assert log.actor_id == admin.id
    assert log.details["replaced_by"] == "91/2025/QH15"
    assert sorted(log.details["questions"]) == sorted(q.id for q in affected)


def test_replace_page_lists_the_questions_and_retires_them_in_one_place(
    docs, client, login, make_unit, make_user
):
    _bank(SOURCES)
    login(make_user(make_unit(), role="admin"))
    nd13 = docs["nd13"]
    response = client.post(
        f"/admin/legal/{nd13.id}/replace",
        data={"replaced_by": "Luật số 91/2025/QH15", "replaced_from": "2026-01-01"},
    )
    assert response.status_code == 302
    page = client.get(f"/admin/legal/{nd13.id}").text
    for text in ("Câu một?", "Câu hai?", "Câu năm?"):
        assert text in page
    for text in ("Câu ba?", "Câu bốn?", "Câu sáu?", "Câu bảy?"):
        assert text not in page
    assert "91/2025/QH15" in page

    assert client.post(f"/admin/legal/{nd13.id}/retire").status_code == 302
    retired = db.session.execute(
        db.select(Question.text).where(Question.retired_at.is_not(None), Question.is_current)
    ).scalars()
    assert set(retired) == {"Câu một?", "Câu hai?", "Câu năm?"}


def test_replace_refuses_an_unknown_replacement_and_changes_nothing(
    docs, client, login, make_unit, make_user
):
    login(make_user(make_unit(), role="admin"))
    nd13 = docs["nd13"]
    response = client.post(
        f"/admin/legal/{nd13.id}/replace",
        data={"replaced_by": "999/2030/NĐ-CP", "replaced_from": "2026-01-01"},
    )
    assert response.status_code == 422
    assert "999/2030/NĐ-CP" in response.text
    assert db.session.get(LegalDocument, nd13.id).status == "in_force"


def test_organizer_corrects_a_question_link_and_a_register_import_keeps_it(
    docs, client, login, make_unit, make_user, tmp_path
):
    _bank({"Câu có nguồn sai?": "Nghị định 13/2023/NĐ-CP"})
    question = _question("Câu có nguồn sai?")
    login(make_user(make_unit(), role="admin"))
    response = client.post(
        f"/admin/legal/questions/{question.id}/links", data={"numbers": "91/2025/QH15\n57-NQ/TW"}
    )
    assert response.status_code == 302
    assert {d.number for d in queries.citations_of(question.id)} == {"91/2025/QH15", "57-NQ/TW"}
    bank_services.relink_current()
    db.session.commit()
    assert {d.number for d in queries.citations_of(question.id)} == {"91/2025/QH15", "57-NQ/TW"}
    unknown = client.post(
        f"/admin/legal/questions/{question.id}/links", data={"numbers": "1/2099/NĐ-CP"}
    )
    assert unknown.status_code == 422


def test_a_register_loaded_after_the_bank_links_its_questions(app):
    _bank({"Câu trước danh mục?": "NĐ 13/2023", "Câu khác?": "Quyết định 06/QĐ-TTg"})
    csv = (
        "số hiệu,tên,loại,cơ quan ban hành,ngày ban hành,ngày hiệu lực,tình trạng,"
        "thay thế bởi,thay thế từ ngày,ghi chú\n"
        "13/2023/NĐ-CP,Nghị định về bảo vệ dữ liệu cá nhân,nghị định,Chính phủ,17/4/2023,"
        "01/7/2023,đã được thay thế,91/2025/QH15,01/01/2026,\n"
        "91/2025/QH15,Luật Bảo vệ dữ liệu cá nhân,luật,Quốc hội,26/6/2025,01/01/2026,"
        "còn hiệu lực,,,\n"
        "06/QĐ-TTg,Đề án 06,quyết định,Thủ tướng Chính phủ,06/01/2022,06/01/2022,"
        "còn hiệu lực,,,\n"
    ).encode()
    result, counts = services.import_file(csv, "danh-muc.csv", actor=None, now=now())
    assert result.ok, result.problems
    assert (counts.added, counts.updated, counts.linked) == (3, 0, 2)
    nd13 = queries.by_number_key(number_key("13/2023/NĐ-CP"))
    assert nd13.replaced_by.number == "91/2025/QH15"
    assert [q.text for q in queries.citing_questions(nd13)] == ["Câu trước danh mục?"]
    # A second import updates in place and adds no duplicate link.
    _, again = services.import_file(csv, "danh-muc.csv", actor=None, now=now())
    assert (again.added, again.updated, again.linked) == (0, 3, 0)


def test_register_xlsx_round_trip_through_the_app(docs, client, login, make_unit, make_user):
    services.mark_replaced(docs["nd13"], docs["luat91"], date(2026, 1, 1), actor=None, now=now())
    login(make_user(make_unit(), role="admin"))
    exported = client.get("/admin/legal/export.xlsx")
    assert exported.status_code == 200
    before = [
        (
            d.number,
            d.name,
            d.kind,
            d.status,
            d.replaced_by and d.replaced_by.number,
            d.replaced_from,
        )
        for d in queries.all_documents()
    ]
    db.session.execute(db.update(LegalDocument).values(replaced_by_id=None))
    db.session.execute(db.delete(LegalDocument))
    db.session.commit()
    response = client.post(
        "/admin/legal/import",
        data={"file": (io.BytesIO(exported.data), "danh-muc.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.text
    after = [
        (
            d.number,
            d.name,
            d.kind,
            d.status,
            d.replaced_by and d.replaced_by.number,
            d.replaced_from,
        )
        for d in queries.all_documents()
    ]
    assert after == before


def test_a_bad_register_upload_imports_nothing(client, login, make_unit, make_user):
    login(make_user(make_unit(), role="admin"))
    bad = "number,name,kind,status\n1/2025/NĐ-CP,,decree,in_force\n".encode()
    response = client.post(
        "/admin/legal/import",
        data={"file": (io.BytesIO(bad), "x.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert db.session.execute(db.select(LegalDocument)).first() is None


def test_cli_legal_import_then_export(runner, app, tmp_path):
    path = tmp_path / "danh-muc.csv"
    path.write_text(
        "number,name,kind,status\n91/2025/QH15,Luật Bảo vệ dữ liệu cá nhân,law,in_force\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["legal", "import", str(path)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "ra.xlsx"
    result = runner.invoke(args=["legal", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    bad = tmp_path / "bad.csv"
    bad.write_text("number,name,kind,status\n,Thiếu số,law,in_force\n", encoding="utf-8")
    result = runner.invoke(args=["legal", "import", str(bad)])
    assert result.exit_code == 1


PAGES = [
    "/admin/legal",
    "/admin/legal?q=du+lieu&status=replaced",
    "/admin/legal/new",
    "/admin/legal/{doc}",
    "/admin/legal/{doc}/edit",
    "/admin/legal/questions/{question}/links",
    "/admin/legal/export.xlsx",
]


@pytest.mark.parametrize("path", PAGES)
def test_register_pages_are_admin_only(docs, client, login, make_unit, make_user, path):
    _bank({"Câu?": "NĐ 13/2023"})
    path = path.format(doc=docs["nd13"].id, question=_question("Câu?").id)
    assert client.get(path).status_code == 302  # anonymous: to the login page
    unit = make_unit()
    login(make_user(unit, role="unit_manager"))
    assert client.get(path).status_code == 403
    client.post("/auth/logout")
    login(make_user(unit, role="admin"))
    assert client.get(path).status_code == 200


def test_rounds_drawing_questions_on_a_replaced_document_are_warned(
    docs, client, login, make_unit, make_user, runner
):
    bank = _bank(SOURCES)
    round_ = make_round(bank)
    assert queries.round_warning_messages(round_) == []
    services.mark_replaced(docs["nd13"], docs["luat91"], date(2026, 1, 1), actor=None, now=now())
    (warning,) = queries.round_warning_messages(round_)
    assert "13/2023/NĐ-CP" in warning and "91/2025/QH15" in warning and "3 câu" in warning
    # A round whose draw rules fill it from a topic with no such question: no warning.
    other = make_round(bank, question_count=1, draws={"Chủ đề khác": 1})
    assert queries.round_warning_messages(other) == []

    login(make_user(make_unit(), role="admin"))
    page = client.get(f"/admin/rounds/{round_.id}/edit").text
    assert "13/2023/NĐ-CP" in page

    result = runner.invoke(
        args=[
            "rounds",
            "create",
            "--contest",
            round_.contest.slug,
            "--title",
            "Đợt 2",
            "--bank",
            bank.name,
            "--questions",
            "3",
            "--time-limit",
            "300",
            "--opens",
            "2026-12-01T08:00",
            "--closes",
            "2026-12-08T08:00",
        ]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1].isdigit()
    assert any("13/2023/NĐ-CP" in line for line in lines[:-1])


def test_source_line_shows_that_a_cited_document_was_replaced(docs, app):
    _bank({"Câu?": "NĐ 13/2023"})
    question = _question("Câu?")
    template = (
        '{% from "legal/_source.html" import source_line %}'
        "{{ source_line(q, legal_citations([q])) }}"
    )
    with app.test_request_context():
        assert "thay thế" not in render_template_string(template, q=question)
    services.mark_replaced(docs["nd13"], docs["luat91"], date(2026, 1, 1), actor=None, now=now())
    with app.test_request_context():
        shown = render_template_string(template, q=question)
    assert "13/2023/NĐ-CP đã được thay thế bởi 91/2025/QH15" in shown
    assert "01/01/2026" in shown


def test_the_sample_bank_imported_after_the_register_cites_only_documents_in_force(app):
    from pathlib import Path

    services.load_sample_register(now=now())
    sample = Path(services.SAMPLE_REGISTER).with_name("cds_cchc.csv")
    bank, result, _ = bank_services.import_file(
        "Mẫu", sample.read_bytes(), sample.name, actor=None, now=now()
    )
    assert result.ok
    replaced = [d for d in queries.all_documents() if d.is_replaced and queries.citing_questions(d)]
    assert replaced == []
    cited = queries.citation_counts()
    assert cited[queries.by_number_key(number_key("91/2025/QH15")).id] >= 10
