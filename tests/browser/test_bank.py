"""An organizer loads a question file through the pages: upload, preview, confirm, browse."""

import pytest
from playwright.sync_api import expect

from quiz.bank import services
from tests.admin.helpers import xlsx
from tests.browser.test_accessibility import assert_accessible
from tests.factories import now

pytestmark = pytest.mark.browser

HEADER = ["topic", "question", "A", "B", "C", "D", "answer", "explanation", "source", "difficulty"]
ROWS = [
    (
        "Chuyển đổi số",
        "Ngày Chuyển đổi số quốc gia là ngày nào hằng năm?",
        "10/10",
        "20/10",
        "2/9",
        "19/8",
        "A",
        "Quyết định 505/QĐ-TTg chọn ngày 10/10.",
        "Quyết định 505/QĐ-TTg ngày 22/4/2022",
        "dễ",
    ),
    (
        "Cải cách hành chính",
        "Nghị quyết 76/NQ-CP ban hành chương trình nào?",
        "Chương trình A",
        "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021–2030",
        "",
        "",
        "B",
        "",
        "Nghị quyết 76/NQ-CP ngày 15/7/2021",
        "",
    ),
]


@pytest.fixture
def admin_login(make_unit, make_user, end_reads):
    login = make_user(make_unit(), role="admin").login
    bank_id = services.create_bank("Ngân hàng Hội thi", None, actor=None, now=now()).id
    end_reads()
    return login, bank_id


def test_admin_uploads_previews_confirms_and_finds_questions(
    page, live_server, admin_login, log_in, tmp_path, run_jobs
):
    login, bank_id = admin_login
    path = tmp_path / "cau-hoi.xlsx"
    path.write_bytes(xlsx(HEADER, ROWS).getvalue())
    log_in(page, live_server, login)
    page.goto(f"{live_server}/admin/banks/{bank_id}")
    assert_accessible(page)
    page.get_by_label("Tệp câu hỏi (.xlsx, .csv, .gift, .txt)").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.get_by_role("heading", name="Xem trước: 2 câu hỏi hợp lệ")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Xác nhận nạp 2 câu hỏi").click()
    expect(page.get_by_text("Đang chờ đến lượt xử lý")).to_be_visible()
    assert_accessible(page)
    assert run_jobs() == (1, 0)
    # The job page refreshes itself (no script): the result appears without a click.
    expect(page.get_by_text("Đã nạp 2 câu hỏi")).to_be_visible()
    page.get_by_role("link", name="Xem ngân hàng câu hỏi").click()
    page.get_by_role("link", name="Xem và tìm câu hỏi").click()
    page.get_by_label("Tìm trong nội dung (có dấu hoặc không dấu)").fill("ngay chuyen doi so")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.get_by_text("Tìm thấy 1 câu hỏi.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Sửa câu hỏi").first.click()
    expect(page.get_by_label("Câu hỏi", exact=True)).to_have_value(ROWS[0][1])
    assert_accessible(page)


def test_a_bad_file_shows_the_report_and_loads_nothing(
    page, live_server, admin_login, log_in, tmp_path
):
    login, bank_id = admin_login
    path = tmp_path / "loi.xlsx"
    bad = [("Chuyển đổi số", "Câu thiếu đáp án?", "Có", "Không", "", "", "", "", "", "")]
    path.write_bytes(xlsx(HEADER, bad).getvalue())
    log_in(page, live_server, login)
    page.goto(f"{live_server}/admin/banks/{bank_id}")
    page.get_by_label("Tệp câu hỏi (.xlsx, .csv, .gift, .txt)").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.get_by_role("heading", name="Tệp chưa thể nạp")).to_be_visible()
    expect(page.get_by_role("cell", name="G «answer»", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Xác nhận nạp")).to_have_count(0)
    assert_accessible(page)
