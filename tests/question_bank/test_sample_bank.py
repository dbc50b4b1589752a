"""The shipped sample bank: size, topics, balance, duplicates, length cue, sources in force."""

import json
from collections import Counter
from pathlib import Path

import pytest

from question_bank.legal import find_references, number_key, read_register, resolve
from question_bank.questions import normalize_text, read_questions

SAMPLES = Path(__file__).resolve().parents[2] / "question_bank" / "samples"
SKILL_SOURCE = "không căn cứ văn bản pháp luật"


@pytest.fixture(scope="module")
def bank():
    with (SAMPLES / "cds_cchc.csv").open("rb") as stream:
        result = read_questions(stream, "cds_cchc.csv")
    assert result.ok, result.problems[:5]
    return result.records


@pytest.fixture(scope="module")
def register():
    with (SAMPLES / "legal_documents.csv").open("rb") as stream:
        result = read_register(stream, "legal_documents.csv")
    assert result.ok, result.problems[:5]
    return result.records


def test_the_bank_states_the_date_it_is_current_to():
    meta = json.loads((SAMPLES / "cds_cchc.meta.json").read_text(encoding="utf-8"))
    assert meta["current_as_of"] == "2026-11-30"
    assert meta["file"] == "cds_cchc.csv"


def test_at_least_200_questions_in_at_least_6_topics(bank):
    assert len(bank) >= 200
    topics = Counter(q.topic for q in bank)
    assert len(topics) >= 6
    assert min(topics.values()) >= 20


def test_answer_letters_are_balanced(bank):
    letters = Counter("ABCDEF"[q.answer] for q in bank)
    assert set(letters) == set("ABCD")
    assert max(letters.values()) - min(letters.values()) <= len(bank) * 0.05


def test_no_duplicate_stems(bank):
    stems = Counter(normalize_text(q.text) for q in bank)
    assert [s for s, n in stems.items() if n > 1] == []


def test_the_correct_choice_is_not_systematically_the_longest(bank):
    longest = [
        q
        for q in bank
        if all(len(q.choices[q.answer]) > len(c) for i, c in enumerate(q.choices) if i != q.answer)
    ]
    # Four choices: a cue-free bank has the right one longest about a quarter of the time.
    assert len(longest) / len(bank) <= 0.35


def test_every_legal_source_links_to_a_register_entry_in_force(bank, register):
    keys = [(number_key(d.number), i) for i, d in enumerate(register)]
    for q in bank:
        assert q.source, q.text
        if SKILL_SOURCE in q.source:
            assert find_references(q.source) == [], q.source
            continue
        linked = [register[i] for i in resolve(q.source, keys)]
        assert linked, f"row {q.row}: no register entry for {q.source!r}"
        assert all(d.status != "replaced" for d in linked), f"row {q.row}: {q.source!r}"


def test_the_register_lists_what_the_new_laws_replaced(register):
    by_number = {d.number: d for d in register}
    assert by_number["13/2023/NĐ-CP"].replaced_by == "356/2025/NĐ-CP"
    assert by_number["86/2015/QH13"].replaced_by == "116/2025/QH15"
    assert by_number["24/2018/QH14"].replaced_by == "116/2025/QH15"
    assert by_number["61/2018/NĐ-CP"].replaced_by == "118/2025/NĐ-CP"
