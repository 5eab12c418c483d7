"""City staff produce the year's bulletin from the bulletins page and download the Word file.

With Celery eager (no broker) the page comes back finished; with a broker and a worker the
page refreshes itself until it is: either way the journey waits for the download button.
"""

import pytest
from docx import Document

from tests.browser.conftest import log_in, screenshot
from tests.members.factories import make_member
from tests.reports.factories import YEAR, make_exit, make_plan, make_programme

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def register(tree):
    """青山县 4 members (2 out of poverty in YEAR, the target met), 白河县 2 (1 out, 3 planned)."""
    make_programme()
    qing = [make_member(tree.a1v, name=f"青山党员{i}") for i in range(4)]
    bai = [make_member(tree.b1v, name=f"白河党员{i}") for i in range(2)]
    for member in (qing[0], qing[1], bai[0]):
        make_exit(member)
    make_plan(tree.a, out=2)
    make_plan(tree.b, out=3)


def test_city_staff_generate_the_bulletin_and_download_the_word_file(desk_page, tree, users, register, tmp_path):
    page = desk_page
    log_in(page, users.city_staff.username)
    page.get_by_role("button", name="统计与考核").click()
    page.get_by_role("link", name="年度通报").click()
    form = page.get_by_test_id("bulletin-request")
    form.locator("input[name=year]").fill(str(YEAR))
    form.locator("select[name=region]").select_option(label=tree.city.full_name)
    form.get_by_role("button", name="生成年度通报").click()

    # done at once (eager) or after the page's own refreshes (a worker): wait for the button
    download_button = page.get_by_test_id("download-docx")
    download_button.wait_for(timeout=60_000)
    screenshot(page, "bulletin_done")
    assert page.get_by_test_id("bulletin-state").inner_text().strip() == "已完成"
    main = page.locator("main").inner_text()
    assert "已开始生成" not in main  # a finished bulletin is not announced as "started"
    assert f"河洛市共有贫困党员6人，其中贫困3人、脱贫3人、小康0人；{YEAR}年度实际脱贫3人。" in main
    ranking = page.locator("main table").first.inner_text()
    assert ranking.index("青山县") < ranking.index("白河县")  # 100% of its target before 33.3%

    with page.expect_download() as event:
        download_button.click()
    download = event.value
    assert download.suggested_filename == f"河洛市{YEAR}年度通报.docx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    document = Document(str(path))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "河洛市共有贫困党员6人，其中贫困3人、脱贫3人、小康0人" in text
    assert f"{YEAR}年度实际脱贫3人" in text
    rows = {row.cells[1].text: [cell.text for cell in row.cells] for row in document.tables[0].rows[1:]}
    assert rows["青山县"][0] == "1"  # ranked first
    assert (rows["青山县"][2], rows["青山县"][9], rows["青山县"][10]) == ("4", "2", "2")  # members, target, exits
    assert (rows["白河县"][2], rows["白河县"][9], rows["白河县"][10]) == ("2", "3", "1")
