"""Study materials: organizers add links and files per topic; files live outside the
database, are checked by type and size, and are always served as downloads."""

import io
import os

import pytest

from quiz.extensions import db
from quiz.models import AuditLog, StudyMaterial
from tests.factories import make_material

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def upload_folder(tmp_path):
    return tmp_path / "uploads"


@pytest.fixture
def app_config(upload_folder):
    return {"UPLOAD_FOLDER": str(upload_folder), "MATERIAL_MAX_BYTES": 2048}


@pytest.fixture
def admin(make_unit, make_user, login):
    user = make_user(make_unit(), role="admin")
    login(user)
    return user


def _post(client, path="/admin/materials/new", data=b"", filename=None, **fields):
    form = {"topic": "Chuyển đổi số", "title": "Cẩm nang", "position": "1", **fields}
    if filename is not None:
        form["file"] = (io.BytesIO(data), filename)
    return client.post(path, data=form, content_type="multipart/form-data")


def _materials():
    return db.session.execute(db.select(StudyMaterial)).scalars().all()


def _actions():
    return [a for (a,) in db.session.execute(db.select(AuditLog.action).order_by(AuditLog.id))]


def test_an_uploaded_pdf_is_stored_outside_the_database_and_served_as_a_download(
    client, admin, upload_folder
):
    response = _post(client, data=PDF, filename="../../Cẩm nang CĐS.pdf")
    assert response.status_code == 302, response.text
    (material,) = _materials()
    stored = os.listdir(upload_folder)
    assert stored == [material.stored_name]
    # A random name of our own, never the uploader's (no path, no name to guess).
    assert material.stored_name.endswith(".pdf") and len(material.stored_name) == 36
    assert material.file_name == "Cẩm nang CĐS.pdf"
    assert (upload_folder / material.stored_name).read_bytes() == PDF
    assert material.size == len(PDF) and material.url is None

    client.post("/auth/logout")
    download = client.get(f"/materials/{material.id}/file")
    assert download.status_code == 200
    assert download.data == PDF
    download.close()  # the file is streamed from disk
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''C%E1%BA%A9m" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert "material.create" in _actions()


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("trang.html", b"<html><script>alert(1)</script></html>"),
        ("anh.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),
        ("chay.exe", b"MZ\x90\x00"),
        ("gia-pdf.pdf", b"<html><script>alert(1)</script></html>"),
        ("khong-duoi", PDF),
    ],
)
def test_files_outside_the_allow_list_are_refused_and_nothing_is_stored(
    client, admin, upload_folder, filename, data
):
    response = _post(client, data=data, filename=filename)
    assert response.status_code == 415
    assert "PDF" in response.text
    assert _materials() == []
    assert not upload_folder.exists() or os.listdir(upload_folder) == []
    assert "material.create" not in _actions()


def test_a_file_over_the_size_limit_is_refused(client, admin, upload_folder):
    response = _post(client, data=PDF + b"0" * 3000, filename="lon.pdf")
    assert response.status_code == 413
    assert "2 KB" not in response.text and "MB" in response.text
    assert _materials() == []
    assert not upload_folder.exists() or os.listdir(upload_folder) == []


def test_links_only_http_and_not_both_a_link_and_a_file(client, admin):
    assert _post(client, url="javascript:alert(1)").status_code == 422
    assert _post(client, url="https://x.vn/a", data=PDF, filename="a.pdf").status_code == 422
    assert _post(client).status_code == 422  # neither
    assert _materials() == []
    assert _post(client, url="https://dichvucong.gov.vn").status_code == 302
    (material,) = _materials()
    assert material.url == "https://dichvucong.gov.vn" and material.stored_name is None
    # A link has no file to download.
    assert client.get(f"/materials/{material.id}/file").status_code == 404


def test_replacing_a_file_with_a_link_and_deleting_remove_the_files(client, admin, upload_folder):
    _post(client, data=PDF, filename="mot.pdf")
    (material,) = _materials()
    first = material.stored_name
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    path = f"/admin/materials/{material.id}/edit"
    assert _post(client, path, data=png, filename="anh.png").status_code == 302
    db.session.refresh(material)
    assert material.content_type == "image/png"
    assert os.listdir(upload_folder) == [material.stored_name] != [first]
    # Saving again without a file keeps the file.
    assert _post(client, path, title="Tên mới").status_code == 302
    db.session.refresh(material)
    assert material.title == "Tên mới" and material.stored_name is not None
    assert _post(client, path, url="https://example.vn/x").status_code == 302
    db.session.refresh(material)
    assert material.stored_name is None and os.listdir(upload_folder) == []

    _post(client, data=PDF, filename="hai.pdf")
    second = db.session.execute(
        db.select(StudyMaterial).filter(StudyMaterial.stored_name.is_not(None))
    ).scalar_one()
    assert client.post(f"/admin/materials/{second.id}/delete").status_code == 302
    assert os.listdir(upload_folder) == []
    assert _actions().count("material.edit") == 3
    assert _actions().count("material.delete") == 1


def test_downloads_cannot_reach_outside_the_upload_folder(client, admin, upload_folder):
    secret = upload_folder.parent / "secret.txt"
    secret.write_text("bí mật")
    # Whatever a row says, a name with a directory in it is never served.
    material = make_material(
        url=None,
        stored_name="../secret.txt",
        file_name="x.pdf",
        content_type="application/pdf",
        size=6,
    )
    assert client.get(f"/materials/{material.id}/file").status_code == 404
    for path in (
        "/materials/..%2Fsecret.txt/file",
        "/materials/../secret.txt",
        "/materials/%2e%2e/secret.txt",
    ):
        assert client.get(path).status_code == 404


def test_public_page_groups_by_topic_and_links_the_legal_register(client):
    make_material(topic="Cải cách hành chính", title="Sổ tay CCHC", position=2)
    make_material(topic="Chuyển đổi số", title="Cẩm nang CĐS", position=1)
    make_material(topic="Chuyển đổi số", title="Đề án 06", position=3)
    page = client.get("/materials").text
    # A topic comes where its first material is; inside a topic, by order.
    assert page.index("Cẩm nang CĐS") < page.index("Đề án 06") < page.index("Sổ tay CCHC")
    assert page.count("Chuyển đổi số</h2>") == 1
    assert "/materials/legal-documents" in page
    assert client.get("/materials/legal-documents").status_code == 200


@pytest.mark.parametrize(
    "path", ["/admin/materials", "/admin/materials/new", "/admin/materials/{id}/edit"]
)
def test_material_admin_pages_are_admin_only(client, login, make_unit, make_user, path):
    material = make_material()
    path = path.format(id=material.id)
    assert client.get(path).status_code == 302
    login(make_user(make_unit(), role="unit_manager"))
    assert client.get(path).status_code == 403
    assert client.post(f"/admin/materials/{material.id}/delete").status_code == 403
    assert _post(client, url="https://x.vn").status_code == 403
    assert len(_materials()) == 1
