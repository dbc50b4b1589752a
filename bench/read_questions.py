"""Time read_questions on a 10,000-question XLSX and report its peak memory.

Run from the project root: .venv/bin/python -m bench.read_questions [COUNT]
"""

import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from openpyxl import Workbook

from question_bank import read_questions
from question_bank.questions import QUESTION_COLUMNS

TOPICS = ["Chuyển đổi số", "Cải cách hành chính", "Dịch vụ công trực tuyến", "Công dân số"]


def write_bank(path: Path, count: int) -> None:
    """A realistic bank: four choices, an explanation and a source on every row."""
    rng = random.Random(2024)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Câu hỏi")
    sheet.append(list(QUESTION_COLUMNS))
    for n in range(1, count + 1):
        choices = [
            f"Phương án {letter} của câu {n}: Quyết định {rng.randint(1, 999)}/QĐ-TTg"
            for letter in "ABCD"
        ]
        sheet.append(
            [
                TOPICS[n % len(TOPICS)],
                f"Câu hỏi số {n}: theo Nghị quyết 76/NQ-CP ngày 15/7/2021, mục tiêu cải cách "
                "hành chính nhà nước giai đoạn 2021–2030 là gì?",
                *choices,
                None,
                None,
                "ABCD"[n % 4],
                "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021–2030 được "
                "ban hành kèm theo Nghị quyết 76/NQ-CP ngày 15/7/2021 của Chính phủ.",
                "Nghị quyết 76/NQ-CP ngày 15/7/2021 của Chính phủ",
                ("easy", "trung bình", "khó", None)[n % 4],
            ]
        )
    workbook.save(path)


def read(path: Path) -> int:
    with path.open("rb") as stream:
        result = read_questions(stream, path.name)
    if not result.ok:
        raise SystemExit(f"unexpected problems: {result.problems[:3]}")
    return len(result.records)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "questions.xlsx"
        started = time.perf_counter()
        write_bank(path, count)
        print(
            f"wrote {count} questions in {time.perf_counter() - started:.2f} s, "
            f"{path.stat().st_size / 1e6:.2f} MB"
        )
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        started = time.perf_counter()
        records = read(path)
        elapsed = time.perf_counter() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        # tracemalloc slows Python down, so memory is measured on a second read.
        tracemalloc.start()
        read(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    print(f"read {records} questions in {elapsed:.2f} s ({records / elapsed:,.0f} rows/s)")
    print(f"tracemalloc peak during read: {peak / 2**20:.1f} MiB")
    # ru_maxrss is in KiB on Linux: the process's high-water mark, not the read alone.
    print(f"maxrss: {rss_before / 1024:.1f} MiB before read, {rss_after / 1024:.1f} MiB after")


if __name__ == "__main__":
    main()
