"""The law beside every conclusion: every basis id ``rules/`` can emit has its article's text.

The ids are enumerated from the sources themselves (every string constant shaped like a basis id,
and the id each regime function's docstring opens with), so a new rule without its text fails.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from rules import ARTICLES, article_text, article_texts, cited
from rules.articles import basis_for
from rules.explain import article as article_number
from tests.rules.command_line import cli

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
BASIS = re.compile(r"20(13|22)(\.\d+)+")
DATA_MODULES = {"articles_2013.py", "articles_2022.py"}


def emitted_ids() -> set[str]:
    """Every basis id the engine's modules name (the articles' own data excluded)."""
    found: set[str] = set()
    for path in RULES_DIR.glob("*.py"):
        if path.name in DATA_MODULES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and BASIS.fullmatch(str(node.value)):
                found.add(str(node.value))
            if isinstance(node, ast.FunctionDef) and (doc := ast.get_docstring(node)):
                first = doc.split()[0]
                if BASIS.fullmatch(first):
                    found.add(first)
    return found


def test_the_enumeration_finds_every_kind_of_basis():
    ids = emitted_ids()
    # remedies, exclusions, periods, deadlines, compensation and thresholds of both regimes
    for basis in ("2013.20.3.1", "2013.30.1.2", "2013.17", "2013.26", "2013.25", "2022.24.1.4"):
        assert basis in ids
    for basis in ("2022.18", "2022.28", "2022.27", "2022.40", "2022.32.1.5"):
        assert basis in ids


@pytest.mark.parametrize("basis", sorted(emitted_ids()))
def test_every_basis_id_has_its_article_text(basis):
    found = article_text(basis)
    assert found is not None, f"{basis} has no article text in rules/articles_{basis[:4]}.py"
    assert found.regime == basis[:4]
    assert found.article == article_number(basis)
    assert found.text.strip()
    assert found.gloss.strip()
    assert found.mark in {"V", "Q", "P", "R"}
    assert found.order.endswith(("第150号", "第43号"))


def test_the_text_is_the_regulation_s_own_wording():
    assert "累计修理时间超过30日" in ARTICLES["2022.24.1.4"].text
    assert "修理时间累计超过35日" in ARTICLES["2013.21.1"].text
    assert ARTICLES["2013.26"].mark == "R"  # reconstructed, and says so
    assert ARTICLES["2022.22"].source("en") == (
        "SAMR Order No. 43, published 2021-07-22, in force 2022-01-01"
    )


def test_every_window_count_and_deadline_rests_on_an_article_with_text():
    for regime in ("2013", "2022"):
        for what in ("repair_warranty", "three_guarantee", "early", "wear_parts",
                     "repair_days_total", "repairs_by_problem", "single_repair_days",
                     "serious_safety_repairs", "assembly_replacements", "compensation",
                     "written_answer_due"):  # fmt: skip
            bases = basis_for(regime, what)
            assert bases, (regime, what)
            assert all(b in ARTICLES for b in bases), (regime, what)
    assert basis_for("2022", "first_week") == ("2022.22",)
    assert basis_for("2013", "first_week") == ()
    assert basis_for(None, "early") == ()


def test_cited_lists_the_remedies_exclusions_windows_and_deadlines(run, facts):
    out = run(facts())
    bases = cited(out)
    assert {r["basis"] for r in out["remedies"]} <= set(bases)
    assert {"2013.17", "2013.18.2", "2013.26"} <= set(bases)
    assert "2013.25" not in bases  # no compensation in this case
    texts = article_texts(out)
    assert list(texts) == list(bases)
    assert texts["2013.20.2"]["text"].startswith("家用汽车产品自销售者开具购车发票之日起60日内")
    assert (
        texts["2013.20.2"]["source"]
        == "国家质量监督检验检疫总局令第150号，2012-12-29 公布，2013-10-01 施行"
    )


def test_outside_both_regimes_nothing_is_cited(run, facts):
    out = run(facts(**{"purchase.invoice_date": "2012-05-01"}))
    assert cited(out) == ()


def test_cli_article_text_flag_adds_the_texts_and_leaves_the_rest_alone(facts, run, tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts(), ensure_ascii=False), encoding="utf-8")
    status, out, _ = cli("assess", "--article-text", str(path))
    assert status == 0
    texts = out.pop("article_text")
    assert out == run(facts())
    assert texts == article_texts(out)
    status, plain, _ = cli("assess", str(path))
    assert "article_text" not in plain
