"""Invariant 7 with good rows around the bad one: the good rows must not load either."""

from quiz.bank import services
from quiz.extensions import db
from quiz.models import Question
from tests.bank.test_bank import _xlsx_bytes
from tests.factories import make_bank

GOOD = [
    ("CĐS", f"Câu hỏi tốt số {i}?", "Đúng", "Sai", "", "", "", "", "A", "", "", "")
    for i in range(3)
]
BAD = ("CĐS", "", "a", "b", "", "", "", "", "A", "", "", "")


def questions() -> int:
    return db.session.scalar(db.select(db.func.count(Question.id)))


def test_a_file_with_good_rows_and_one_bad_row_imports_nothing(app, runner, tmp_path):
    existing = make_bank(name="Có sẵn")
    before = questions()
    mixed = tmp_path / "mixed.xlsx"
    mixed.write_bytes(_xlsx_bytes([GOOD[0], BAD, *GOOD[1:]]))
    for name in ("Mới", existing.name):
        result = runner.invoke(args=["bank", "import", str(mixed), "--bank", name])
        assert result.exit_code == 1 and "dòng 3" in result.output, result.output
    db.session.expire_all()
    assert services.bank_by_name("Mới") is None
    assert questions() == before
