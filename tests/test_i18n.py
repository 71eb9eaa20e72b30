"""The UI is Chinese by default, switches to English with ?lang=en, and the catalog is complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "disputes" / "translations"
POT = TRANSLATIONS / "messages.pot"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
EN_MO = EN_PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def read_catalog(path: Path):
    with path.open("rb") as fh:
        return read_po(fh, locale="en" if path.suffix == ".po" else None)


@pytest.fixture(scope="module", autouse=True)
def compiled_english_catalog() -> None:
    """Compile messages.po like `make translations` does, when the .mo is missing or stale."""
    if EN_MO.exists() and EN_MO.stat().st_mtime >= EN_PO.stat().st_mtime:
        return
    with EN_MO.open("wb") as fh:
        write_mo(fh, read_catalog(EN_PO))


def test_home_page_is_chinese_by_default(client):
    html = client.get("/").get_data(as_text=True)

    assert '<html lang="zh-CN">' in html
    assert "汽车三包争议，在线申请技术咨询" in html
    assert "三包规定的主要数字" in html


def test_lang_en_switches_to_english_and_the_choice_sticks(client):
    first = client.get("/?lang=en").get_data(as_text=True)
    second = client.get("/").get_data(as_text=True)

    for html in (first, second):
        assert '<html lang="en">' in html
        assert "Car three-guarantee disputes: ask for technical consultation online" in html
        assert "汽车三包争议，在线申请技术咨询" not in html


def test_lang_zh_switches_back_to_chinese(client):
    client.get("/?lang=en")

    html = client.get("/?lang=zh").get_data(as_text=True)

    assert "汽车三包争议，在线申请技术咨询" in html


def test_language_switch_links_keep_the_page(client):
    html = client.get("/?lang=en").get_data(as_text=True)

    assert 'href="/?lang=zh"' in html


def test_every_msgid_in_the_template_has_an_english_msgstr():
    english = {m.id: m.string for m in read_catalog(EN_PO) if m.id}

    untranslated = [m.id for m in read_catalog(POT) if m.id and not english.get(m.id)]

    assert untranslated == []


def test_catalog_template_is_up_to_date_with_the_source():
    """A new _("…") in Python or a template must be extracted and translated (see babel.cfg)."""
    with (ROOT / "babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    extracted = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map
        )
    }
    in_pot = {m.id for m in read_catalog(POT) if m.id}

    assert sorted(map(str, extracted - in_pot)) == []


def test_english_msgstr_keeps_every_placeholder():
    mismatched = [
        m.id
        for m in read_catalog(EN_PO)
        if m.id
        and isinstance(m.id, str)
        and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
    ]

    assert mismatched == []


def test_status_badges_and_navigation_follow_the_language(client, login, consumer, make_case):
    make_case(consumer)
    login(consumer)

    html = client.get("/cases/?lang=en").get_data(as_text=True)

    assert "<h1>My cases</h1>" in html
    assert ">Submitted</span>" in html
    assert ">Log out</button>" in html
