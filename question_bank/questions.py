"""The questions file: multiple-choice questions with 2–6 choices, one of them right."""

import csv
import io
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font

from . import messages
from .tabular import (
    Choices,
    FileRejected,
    Layout,
    Problem,
    ReadResult,
    csv_safe,
    read_rows,
    template_xlsx,
)

LETTERS = ("A", "B", "C", "D", "E", "F")
MIN_CHOICES = 2

QUESTION_COLUMNS = {
    "topic": ("chủ đề",),
    "question": ("câu hỏi", "nội dung câu hỏi"),
    **{letter: (f"phương án {letter}", f"đáp án {letter}") for letter in LETTERS},
    "answer": ("đáp án", "đáp án đúng"),
    "explanation": ("giải thích",),
    "source": ("nguồn", "căn cứ"),
    "difficulty": ("độ khó", "mức độ"),
}
QUESTION_REQUIRED = {"topic", "question", "A", "B", "answer"}
# The headers of the template (DESIGN §7): chủ đề, câu hỏi, A…F, đáp án, giải thích…
QUESTION_HEADERS = {
    "topic": "Chủ đề",
    "question": "Câu hỏi",
    **{letter: letter for letter in LETTERS},
    "answer": "Đáp án",
    "explanation": "Giải thích",
    "source": "Nguồn",
    "difficulty": "Độ khó",
}

DIFFICULTY_CHOICES = Choices(
    {
        "easy": ("dễ", "de"),
        "medium": ("trung bình", "trung binh", "vừa", "vua"),
        "hard": ("khó", "kho"),
    }
)
DIFFICULTIES = DIFFICULTY_CHOICES.values

TOPIC_MAX_LENGTH = 120
QUESTION_MAX_LENGTH = 2000
CHOICE_MAX_LENGTH = 500
EXPLANATION_MAX_LENGTH = 2000
SOURCE_MAX_LENGTH = 500

# Control characters (tab and line breaks are split off before) cannot be
# stored in an XLSX cell, and show as nothing on a page.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Text Excel or LibreOffice could take for a formula in a cell.
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class QuestionRecord:
    row: int
    topic: str
    text: str
    choices: tuple[str, ...]
    answer: int  # index of the correct choice in `choices`
    explanation: str | None
    source: str | None
    difficulty: str | None


def normalize_text(text: str) -> str:
    """Duplicate key of a question: NFC, case-folded, spaces collapsed, accents kept."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return " ".join(folded.split())


def one_line(text: str) -> str:
    """Text on one line: NFC, control characters dropped, every space run as one space."""
    return " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", text)).split())


def paragraphs(text: str) -> str:
    """Like one_line, but keeping the line breaks between lines of text."""
    lines = unicodedata.normalize("NFC", text).splitlines()
    return "\n".join(" ".join(_CONTROL.sub(" ", line).split()) for line in lines).strip()


class QuestionChecker:
    """Check questions one at a time, remembering their texts to find duplicates.

    Every reader (XLSX/CSV, Aiken, GIFT) turns a question into these raw fields
    and lets this class decide, so the three formats accept the same questions.
    """

    def __init__(self, existing: Collection[str] = ()):
        self.existing = set(existing)
        self.first_row: dict[str, int] = {}  # normalize_text(question) → row

    def check(
        self,
        row: int,
        *,
        topic: str,
        question: str,
        choices: Sequence[str],
        answer: str,
        explanation: str = "",
        source: str = "",
        difficulty: str = "",
    ) -> tuple[QuestionRecord | None, list[Problem]]:
        """The question as a record (None when it has problems) and its problems."""
        found: list[Problem] = []
        topic = one_line(topic)
        if not topic:
            found.append(Problem(row, "topic", messages.MISSING_TOPIC))
        elif len(topic) > TOPIC_MAX_LENGTH:
            found.append(Problem(row, "topic", messages.TOPIC_TOO_LONG, {"max": TOPIC_MAX_LENGTH}))
        text = paragraphs(question)
        self._check_text(row, text, found)
        cleaned = [one_line(choice) for choice in choices]
        count = self._check_choices(row, cleaned, found)
        index = self._answer_index(row, answer, cleaned, found)
        explanation = paragraphs(explanation)
        if len(explanation) > EXPLANATION_MAX_LENGTH:
            params = {"max": EXPLANATION_MAX_LENGTH}
            found.append(Problem(row, "explanation", messages.EXPLANATION_TOO_LONG, params))
        source = one_line(source)
        if len(source) > SOURCE_MAX_LENGTH:
            params = {"max": SOURCE_MAX_LENGTH}
            found.append(Problem(row, "source", messages.SOURCE_TOO_LONG, params))
        level = DIFFICULTY_CHOICES.get(difficulty) if difficulty.strip() else None
        if difficulty.strip() and level is None:
            params = {"value": difficulty.strip(), "accepted": DIFFICULTY_CHOICES.accepted}
            found.append(Problem(row, "difficulty", messages.UNKNOWN_DIFFICULTY, params))
        if found or index is None:
            return None, found
        record = QuestionRecord(
            row=row,
            topic=topic,
            text=text,
            choices=tuple(cleaned[:count]),
            answer=index,
            explanation=explanation or None,
            source=source or None,
            difficulty=level,
        )
        return record, found

    def _check_text(self, row: int, text: str, found: list[Problem]) -> None:
        if not text:
            found.append(Problem(row, "question", messages.MISSING_QUESTION))
            return
        if len(text) > QUESTION_MAX_LENGTH:
            params = {"max": QUESTION_MAX_LENGTH}
            found.append(Problem(row, "question", messages.QUESTION_TOO_LONG, params))
        key = normalize_text(text)
        if key in self.first_row:
            params = {"other_row": self.first_row[key]}
            found.append(Problem(row, "question", messages.DUPLICATE_QUESTION, params))
            return
        self.first_row[key] = row
        if key in self.existing:
            found.append(Problem(row, "question", messages.QUESTION_IN_BANK))

    @staticmethod
    def _check_choices(row: int, choices: list[str], found: list[Problem]) -> int:
        """Report gaps, too few or too many, overlong and repeated choices; the count."""
        filled = [index for index, choice in enumerate(choices) if choice]
        count = filled[-1] + 1 if filled else 0
        for index in range(count):
            if not choices[index]:
                following = next(i for i in filled if i > index)
                params = {"letter": _letter(index), "next": _letter(following)}
                found.append(Problem(row, _letter(index), messages.CHOICE_GAP, params))
        if len(filled) < MIN_CHOICES:
            column = _letter(0 if not choices or not choices[0] else 1)
            params = {"min": MIN_CHOICES}
            found.append(Problem(row, column, messages.TOO_FEW_CHOICES, params))
        if count > len(LETTERS):
            params = {"count": len(filled), "max": len(LETTERS)}
            found.append(Problem(row, LETTERS[-1], messages.TOO_MANY_CHOICES, params))
        seen: dict[str, int] = {}
        for index in filled:
            letter = _letter(index)
            if len(choices[index]) > CHOICE_MAX_LENGTH:
                params = {"letter": letter, "max": CHOICE_MAX_LENGTH}
                found.append(Problem(row, letter, messages.CHOICE_TOO_LONG, params))
            key = normalize_text(choices[index])
            if key in seen:
                params = {"letter": letter, "other": _letter(seen[key])}
                found.append(Problem(row, letter, messages.DUPLICATE_CHOICE, params))
            else:
                seen[key] = index
        return count

    @staticmethod
    def _answer_index(
        row: int, answer: str, choices: list[str], found: list[Problem]
    ) -> int | None:
        raw = answer.strip()
        letter = raw.upper()
        if not raw:
            found.append(Problem(row, "answer", messages.MISSING_ANSWER))
        elif letter not in LETTERS:
            found.append(Problem(row, "answer", messages.BAD_ANSWER, {"value": raw}))
        elif LETTERS.index(letter) >= len(choices) or not choices[LETTERS.index(letter)]:
            params = {"letter": letter}
            found.append(Problem(row, "answer", messages.ANSWER_NOT_A_CHOICE, params))
        else:
            return LETTERS.index(letter)
        return None


def _letter(index: int) -> str:
    # Aiken and GIFT files may hold more choices than the A–F of a spreadsheet.
    return chr(ord("A") + index) if index < 26 else str(index + 1)


def read_questions(
    stream: BinaryIO, filename: str, existing: Collection[str] = ()
) -> ReadResult[QuestionRecord]:
    """Read a questions file (XLSX or CSV) and report every problem.

    `existing` holds the normalize_text() keys of the questions already in the bank.
    """
    checker = QuestionChecker(existing)
    records: list[QuestionRecord] = []
    problems: list[Problem] = []
    layout = Layout()
    try:
        rows = read_rows(stream, filename, QUESTION_COLUMNS, QUESTION_REQUIRED, layout=layout)
        for row, values in rows:
            record, found = checker.check(
                row,
                topic=values["topic"],
                question=values["question"],
                choices=[values[letter] for letter in LETTERS],
                answer=values["answer"],
                explanation=values["explanation"],
                source=values["source"],
                difficulty=values["difficulty"],
            )
            problems += found
            if record is not None:
                records.append(record)
    except FileRejected as rejected:
        return ReadResult([], layout.locate(problems + rejected.problems))
    return ReadResult(records, layout.locate(problems))


def _row(record: QuestionRecord) -> list[str]:
    """The record as cells under the English header; "" for an empty cell."""
    if len(record.choices) > len(LETTERS):
        raise ValueError(f"question of row {record.row} has more than {len(LETTERS)} choices")
    choices = [*record.choices, *[""] * (len(LETTERS) - len(record.choices))]
    return [
        record.topic,
        record.text,
        *choices,
        LETTERS[record.answer],
        record.explanation or "",
        record.source or "",
        record.difficulty or "",
    ]


def write_csv(records: Iterable[QuestionRecord]) -> bytes:
    """The questions as CSV in UTF-8 with a BOM, so Excel shows the accents right.

    A cell that a spreadsheet could run as a formula gets an apostrophe in front
    (OWASP's advice for CSV injection); the CSV reader takes it off again.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(QUESTION_COLUMNS)
    writer.writerows([csv_safe(cell) for cell in _row(record)] for record in records)
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(records: Iterable[QuestionRecord]) -> bytes:
    """The questions as a workbook (sheet "Câu hỏi"), every cell stored as text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Câu hỏi")
    for letter, width in zip("ABCDEFGHIJKL", (20, 60, *[24] * 6, 8, 40, 30, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    # The header stays in row 1 (the file imports back), frozen and with a filter.
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    header = []
    for key in QUESTION_COLUMNS:
        cell = WriteOnlyCell(sheet, value=key)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    last_row = 1
    for record in records:
        sheet.append([_text_cell(sheet, value) for value in _row(record)])
        last_row += 1
    sheet.auto_filter.ref = f"A1:L{last_row}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet, value: str) -> Cell | None:
    if not value:
        return None
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    if value.startswith(_FORMULA_START):
        # openpyxl stores "=1+1" as a formula: a choice must stay the text typed.
        cell.data_type = "s"
    return cell


_HELP = {
    "topic": "Chủ đề của câu hỏi (bắt buộc), tối đa 120 ký tự, ví dụ: Chuyển đổi số, "
    "Cải cách hành chính, Dịch vụ công trực tuyến. Đợt thi rút câu hỏi theo chủ đề.",
    "question": "Nội dung câu hỏi (bắt buộc), tối đa 2000 ký tự. Mỗi dòng của bảng là "
    "một câu hỏi; không được trùng với câu hỏi khác trong tệp hay đã có trong ngân hàng.",
    "A": "Nội dung phương án A (bắt buộc), tối đa 500 ký tự.",
    "B": "Nội dung phương án B (bắt buộc): mỗi câu hỏi có ít nhất 2 phương án.",
    **{
        letter: f"Nội dung phương án {letter}, có thể để trống. Các phương án điền liên "
        "tục từ A, không bỏ trống ở giữa."
        for letter in LETTERS[2:]
    },
    "answer": "Chữ cái của phương án đúng (bắt buộc): một trong A, B, C, D, E, F, và "
    "phương án đó phải có nội dung. Mỗi câu hỏi có đúng một đáp án đúng.",
    "explanation": "Giải thích đáp án, hiện cho thí sinh khi được xem lại bài; có thể "
    "để trống; tối đa 2000 ký tự.",
    "source": "Văn bản làm căn cứ cho câu hỏi, ví dụ: Quyết định 505/QĐ-TTg ngày "
    "22/4/2022 của Thủ tướng Chính phủ; có thể để trống; tối đa 500 ký tự.",
    "difficulty": f"Độ khó: {DIFFICULTY_CHOICES.accepted}; có thể để trống.",
}
_NOTES = [
    "Mỗi dòng là một câu hỏi; dòng đầu tiên là dòng tiêu đề, dùng tên cột tiếng Việt "
    "như trong tệp mẫu hoặc tên cột tiếng Anh tương đương (topic, question, A…F, answer, "
    "explanation, source, difficulty).",
    "Mỗi câu hỏi có từ 2 đến 6 phương án, điền liên tục từ cột A (có phương án C thì "
    "phải có phương án B). Cột Đáp án ghi chữ cái của phương án đúng, ví dụ B.",
    "Độ khó ghi dễ, trung bình hoặc khó (hoặc easy, medium, hard), hoặc để trống.",
    "Tệp được nhập theo nguyên tắc tất cả hoặc không: chỉ cần một dòng sai thì không "
    "câu hỏi nào được nhập; hệ thống liệt kê mọi dòng sai kèm số dòng và lý do để sửa.",
    "Hai câu hỏi giống nhau (không phân biệt chữ hoa, chữ thường và khoảng trắng thừa) "
    "bị coi là trùng.",
    "Phương án là số hoặc ngày tháng (ví dụ 10/10) phải được nhập ở ô định dạng Văn bản "
    "(Text), nếu không Excel sẽ tự đổi thành ngày; các cột phương án trong tệp mẫu đã "
    "được định dạng sẵn.",
    "Lưu tệp dưới dạng Sổ làm việc Excel (*.xlsx) hoặc CSV UTF-8 (*.csv).",
]
_EXAMPLES = [
    (
        "Chuyển đổi số",
        "Ngày Chuyển đổi số quốc gia là ngày nào hằng năm?",
        "10/10",
        "20/10",
        "2/9",
        "19/8",
        None,
        None,
        "A",
        "Quyết định 505/QĐ-TTg ngày 22/4/2022 lấy ngày 10/10 hằng năm là Ngày Chuyển "
        "đổi số quốc gia.",
        "Quyết định 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ",
        "dễ",
    ),
    (
        "Chuyển đổi số",
        "“Chương trình Chuyển đổi số quốc gia đến năm 2025, định hướng đến năm 2030” "
        "được phê duyệt tại văn bản nào?",
        "Nghị quyết 76/NQ-CP ngày 15/7/2021 của Chính phủ",
        "Quyết định 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ",
        "Quyết định 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ",
        None,
        None,
        None,
        "B",
        "Thủ tướng Chính phủ phê duyệt “Chương trình Chuyển đổi số quốc gia đến năm "
        "2025, định hướng đến năm 2030” tại Quyết định 749/QĐ-TTg ngày 03/6/2020.",
        "Quyết định 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ",
        "trung bình",
    ),
    (
        "Cải cách hành chính",
        "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021–2030 được "
        "ban hành kèm theo văn bản nào?",
        "Quyết định 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ",
        "Quyết định 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ",
        "Nghị quyết 76/NQ-CP ngày 15/7/2021 của Chính phủ",
        None,
        None,
        None,
        "C",
        "Chính phủ ban hành Chương trình tổng thể cải cách hành chính nhà nước giai "
        "đoạn 2021–2030 kèm theo Nghị quyết 76/NQ-CP ngày 15/7/2021.",
        "Nghị quyết 76/NQ-CP ngày 15/7/2021 của Chính phủ",
        None,
    ),
]


def questions_template_xlsx() -> bytes:
    """An example questions workbook (sheet "Câu hỏi") with a help sheet."""
    return template_xlsx(
        "Câu hỏi",
        QUESTION_COLUMNS,
        QUESTION_HEADERS,
        _EXAMPLES,
        _HELP,
        notes=_NOTES,
        text_columns=LETTERS,
    )
