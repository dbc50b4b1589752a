"""Read-only queries of the study materials."""

from ..extensions import db
from ..models import StudyMaterial


def all_materials() -> list[StudyMaterial]:
    """Every material, by order then title (a few dozen rows: no pages)."""
    return list(
        db.session.execute(
            db.select(StudyMaterial).order_by(
                StudyMaterial.position, StudyMaterial.title, StudyMaterial.id
            )
        ).scalars()
    )


def by_topic() -> list[tuple[str, list[StudyMaterial]]]:
    """Materials grouped by topic; a topic comes where its first material is in the order."""
    groups: dict[str, list[StudyMaterial]] = {}
    for material in all_materials():
        groups.setdefault(material.topic, []).append(material)
    return list(groups.items())


def topics() -> list[str]:
    return list(
        db.session.execute(
            db.select(StudyMaterial.topic).distinct().order_by(StudyMaterial.topic)
        ).scalars()
    )
