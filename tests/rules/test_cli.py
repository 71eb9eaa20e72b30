"""``python -m rules assess``: exit 0 with the assessment, exit 2 with an error body on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.rules.command_line import ROOT, cli


def _write(tmp_path: Path, d: Any, name: str = "facts.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_valid_facts_exit_0_with_the_assessment(facts, run, tmp_path):
    status, out, _ = cli("assess", _write(tmp_path, facts()))
    assert status == 0
    assert out == run(facts())
    assert (out["contract"], out["regime"]) == (2, "2013")


def test_the_output_is_utf8_json_indented_with_chinese_unescaped(facts, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "rules", "assess", _write(tmp_path, facts())],
        capture_output=True,
        cwd=ROOT,
        check=True,
    )
    text = done.stdout.decode("utf-8")
    assert "适用" in text
    assert "\\u" not in text
    assert text.startswith('{\n  "contract": 2,')


def test_lang_en_gives_english_explanations(facts, tmp_path):
    status, out, _ = cli("assess", "--lang", "en", _write(tmp_path, facts()))
    assert status == 0
    assert out["explanation"].isascii()
    assert all(r["because"].isascii() for r in out["remedies"])


def test_a_dash_reads_the_facts_from_standard_input(facts, run):
    status, out, _ = cli("assess", "-", stdin=json.dumps(facts()))
    assert (status, out) == (0, run(facts()))


def test_invalid_facts_exit_2_with_the_error_on_stdout(facts, tmp_path):
    path = _write(tmp_path, facts(**{"purchase.invoice_date": "2014-02-30"}))
    status, out, _ = cli("assess", "--lang", "en", path)
    assert status == 2
    assert out == {"error": {"field": "purchase.invoice_date", "message": "impossible date"}}


def test_an_unknown_key_exits_2_naming_it(facts):
    status, out, _ = cli("assess", "-", stdin=json.dumps(facts(colour="red")))
    assert (status, out["error"]["field"]) == (2, "colour")


def test_a_lone_surrogate_exits_2_naming_the_field(facts):
    body = json.dumps(facts(**{"problems.P1.description": "异响\ud800"}))  # written \\ud800
    status, out, _ = cli("assess", "-", stdin=body)
    assert (status, out["error"]["field"]) == (2, "problems.P1.description")


def test_bad_json_exits_2_without_a_field():
    status, out, _ = cli("assess", "-", stdin="{not json")
    assert status == 2
    assert out["error"]["field"] is None
    assert out["error"]["message"]


def test_a_missing_file_exits_2(tmp_path):
    status, out, _ = cli("assess", str(tmp_path / "nope.json"))
    assert status == 2
    assert out["error"]["field"] is None


def test_a_shared_case_file_is_read_as_its_facts(facts, run, tmp_path):
    path = _write(tmp_path, {"title": "t", "facts": facts(), "expect": {}})
    status, out, _ = cli("assess", path)
    assert (status, out) == (0, run(facts()))


def test_holidays_folder_overrides_the_package(facts, tmp_path):
    folder = tmp_path / "holidays"
    folder.mkdir()
    _write(folder, {"year": 2014, "holidays": ["2014-03-10"]}, "2014.json")
    status, out, _ = cli("assess", "--holidays", str(folder), _write(tmp_path, facts()))
    assert status == 0
    assert out["deadlines"]["written_answer_due"] == "2014-03-17"


def test_a_bad_holiday_file_exits_2_naming_file_and_field(facts, tmp_path):
    folder = tmp_path / "holidays"
    folder.mkdir()
    _write(folder, {"year": 2014, "holidays": ["2014-02-30"]}, "2014.json")
    status, out, _ = cli("assess", "--holidays", str(folder), _write(tmp_path, facts()))
    assert status == 2
    assert out["error"]["field"] == "2014.json:holidays[0]"


def test_a_usage_error_exits_2():
    status, _, stderr = cli("assess")
    assert status == 2
    assert "usage" in stderr


def test_a_missing_holidays_folder_exits_2(facts, tmp_path):
    status, out, _ = cli("assess", "--holidays", str(tmp_path / "nope"), _write(tmp_path, facts()))
    assert status == 2
    assert "nope" in out["error"]["message"]
