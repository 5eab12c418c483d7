"""Upload limits: the register import (size, type, zip bombs) and assistance visit photos.

Each bad file is sent through the page a user would use, and must be refused with a
clear message and nothing stored. A zip bomb is small on the wire: an .xlsx whose
sheet unpacks to more than the 200 MB limit, once with honest sizes in the zip's
directory, once with a directory that lies (says a few bytes).
"""

import io
import re
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assistance.models import VisitNote
from members import importing
from members.models import ImportBatch
from tests.members.factories import make_member
from tests.members.workbooks import as_file, person, simple_register

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
UNPACKED = importing.MAX_UNPACKED_BYTES + 1024 * 1024


def bomb(*, lie: bool) -> bytes:
    """A valid .xlsx whose one sheet is padded with blanks past the limit (~200 KB packed)."""
    buffer = io.BytesIO()
    good = zipfile.ZipFile(io.BytesIO(simple_register([person("张三", "411521197506010037")])))
    with good, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in good.infolist():
            if item.filename != SHEET:
                archive.writestr(item, good.read(item.filename))
        head, rest = good.read(SHEET).split(b">", 1)
        with archive.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(head + b">")
            chunk = b" " * (1024 * 1024)  # blanks inside the root element: still well-formed XML
            for _ in range(UNPACKED // len(chunk)):
                sheet.write(chunk)
            sheet.write(rest)
    data = buffer.getvalue()
    if lie:
        # Rewrite the central directory's "uncompressed size" of the big entry to 10 bytes.
        data = bytearray(data)
        at = data.rfind(b"PK\x01\x02")
        while at != -1:
            name_length = struct.unpack_from("<H", data, at + 28)[0]
            if data[at + 46 : at + 46 + name_length] == SHEET.encode():
                struct.pack_into("<I", data, at + 24, 10)
                break
            at = data.rfind(b"PK\x01\x02", 0, at)
        data = bytes(data)
    return data


@pytest.fixture
def upload(client, users):
    client.force_login(users.county_staff)

    def post(content: bytes, name: str = "register.xlsx"):
        before = ImportBatch.objects.count()
        response = client.post(reverse("members_import:upload"), {"file": as_file(content, name)})
        assert ImportBatch.objects.count() == before, "a refused file left a batch behind"
        assert response.status_code == 200
        return response.content.decode()

    return post


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK" + b"\0" * (importing.MAX_UPLOAD_BYTES), "register.xlsx", "文件超过 20 MB"),
        (b"name,id\n", "register.csv", "只能导入 Excel 工作簿（.xlsx）"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "register.xlsx", "旧版 Excel（.xls）"),
        (b"<html>not a workbook</html>", "register.xlsx", "这不是 Excel 工作簿"),
        (b"PK\x03\x04broken", "register.xlsx", "文件已损坏"),
        (b"", "register.xlsx", ""),
    ],
    ids=["too-big", "csv", "old-xls", "not-a-zip", "broken-zip", "empty"],
)
def test_import_refuses_bad_files(upload, content, name, message):
    page = upload(content, name)
    assert message in page
    assert "is-invalid" in page or "invalid-feedback" in page


def test_import_refuses_a_zip_bomb_by_its_declared_size(upload):
    data = bomb(lie=False)
    assert len(data) < 2 * 1024 * 1024  # small on the wire
    assert "解压后超过 200 MB" in upload(data)


def test_import_refuses_a_zip_bomb_whose_directory_lies(upload):
    data = bomb(lie=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sum(entry.file_size for entry in archive.infolist()) < importing.MAX_UNPACKED_BYTES
    # The reader stops at the declared size ("larger than its declared uncompressed size").
    assert "无法读取这个工作簿" in upload(data)


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (PNG + b"\0" * (5 * 1024 * 1024), "big.png", "照片不能超过 5 MB"),
        (b"GIF89a....", "photo.gif", "照片只能是 JPG 或 PNG 格式"),
        (b"%PDF-1.7 not an image", "photo.jpg", "文件内容不是 JPG 或 PNG 图片"),
        (b"<svg onload=alert(1)>", "photo.png", "文件内容不是 JPG 或 PNG 图片"),
    ],
    ids=["too-big", "gif", "pdf-as-jpg", "svg-as-png"],
)
def test_visit_photo_refuses_bad_files(client, tree, users, content, name, message):
    member = make_member(tree.a1v)
    client.force_login(users.work_team)
    from tests.assistance.factories import make_team

    team = make_team(tree.a1, [tree.a1v], [users.work_team])
    response = client.post(
        reverse("assistance:visitnote_add") + f"?member={member.pk}",
        {
            "member": member.pk,
            "helper": team.pk,
            "visited_on": "2026-11-01",
            "findings": "走访",
            "photo": SimpleUploadedFile(name, content),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page, re.findall(r"invalid-feedback[^>]*>([^<]*)", page)
    assert not VisitNote.objects.exists()
