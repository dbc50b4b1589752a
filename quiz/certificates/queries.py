"""Read-only queries for certificates."""

from collections.abc import Iterator

from sqlalchemy import select

from ..extensions import db
from ..models import Certificate, CertificateSetting, Contest, Round, RoundResult, Unit

BUNDLE_FETCH = 1000  # rows read at a time when building every certificate of a round


def setting(contest_id: int) -> CertificateSetting | None:
    return db.session.get(CertificateSetting, contest_id)


def issues(round_: Round) -> bool:
    """Whether the round's certificates can be had: published, and the contest issues them."""
    if round_.results_published_at is None:
        return False
    found = setting(round_.contest_id)
    return found is not None and found.enabled


def certified_rounds(user_id: int, round_ids: list[int]) -> set[int]:
    """Which of these rounds offer the person a certificate (published, ranking them, the
    contest issues certificates), in one query however many rounds."""
    if not round_ids:
        return set()
    return set(
        db.session.execute(
            select(RoundResult.round_id)
            .join(Round, Round.id == RoundResult.round_id)
            .join(CertificateSetting, CertificateSetting.contest_id == Round.contest_id)
            .where(
                RoundResult.user_id == user_id,
                RoundResult.round_id.in_(round_ids),
                Round.results_published_at.is_not(None),
                CertificateSetting.enabled.is_(True),
            )
        ).scalars()
    )


def certificate_of(round_id: int, user_id: int) -> Certificate | None:
    return db.session.execute(
        select(Certificate).where(Certificate.round_id == round_id, Certificate.user_id == user_id)
    ).scalar_one_or_none()


def by_code(code: str) -> tuple[Certificate, RoundResult, Round, Contest] | None:
    """A certificate by its verification code, with what it certifies (one query)."""
    row = db.session.execute(
        select(Certificate, RoundResult, Round, Contest)
        .join(
            RoundResult,
            (RoundResult.round_id == Certificate.round_id)
            & (RoundResult.user_id == Certificate.user_id),
        )
        .join(Round, Round.id == Certificate.round_id)
        .join(Contest, Contest.id == Round.contest_id)
        .where(Certificate.code == code)
        .options(db.joinedload(RoundResult.unit))
    ).first()
    return tuple(row) if row else None


def uncertified_user_ids(round_id: int) -> list[int]:
    """People ranked in the published round who have no certificate code yet."""
    has_code = (
        select(Certificate.id)
        .where(Certificate.round_id == round_id, Certificate.user_id == RoundResult.user_id)
        .exists()
    )
    return list(
        db.session.execute(
            select(RoundResult.user_id)
            .where(RoundResult.round_id == round_id, ~has_code)
            .order_by(RoundResult.user_id)
        ).scalars()
    )


def ranked_count(round_id: int) -> int:
    return db.session.scalar(
        select(db.func.count(RoundResult.id)).where(RoundResult.round_id == round_id)
    )


def bundle_rows(round_id: int) -> Iterator[tuple[RoundResult, str, str]]:
    """Every ranked person of the round with their unit's name and code, by group and rank;
    read in batches, never the whole round at once."""
    stmt = (
        select(RoundResult, Unit.name, Certificate.code)
        .join(Unit, Unit.id == RoundResult.unit_id)
        .join(
            Certificate,
            (Certificate.round_id == RoundResult.round_id)
            & (Certificate.user_id == RoundResult.user_id),
        )
        .where(RoundResult.round_id == round_id)
        .order_by(RoundResult.participant_group.desc(), RoundResult.rank)
        .execution_options(yield_per=BUNDLE_FETCH)
    )
    for result, unit_name, code in db.session.execute(stmt):  # noqa: UP028 - rows to tuples
        yield result, unit_name, code
