"""Homophone typos read as the plan's word they sound like; real words and word boundaries are left alone."""
import pytest

# question as typed -> as read (the plan's vocabulary, jieba's dictionary)
CASES = [
    ("研发经费投入年均增涨多少？", "研发经费投入年均增长多少？"),
    ("谁负责知识产全保护？", "谁负责知识产权保护？"),
    ("光谷的人材政策有哪些？", "光谷的人才政策有哪些？"),
    ("我想了解一下营商环竟", "我想了解一下营商环境"),
    ("高新技术企页数量要达到多少？", "高新技术企业数量要达到多少？"),
    # unchanged: correct text, common words that sound like a plan word, spans across two words
    ("谁负责知识产权保护？", "谁负责知识产权保护？"),
    ("市长是谁？", "市长是谁？"),
    ("我想了解一下人才政策", "我想了解一下人才政策"),
    ("在东湖高新区落户积分怎么算？", "在东湖高新区落户积分怎么算？"),
    ("地方按什么比例配套？", "地方按什么比例配套？"),
    ("我是跑设备销售的，有什么支持？", "我是跑设备销售的，有什么支持？"),  # 是 is grammar, not a slip for 市
    ("光谷国际一院是在哪条任务里提的？", "光谷国际医院是在哪条任务里提的？"),  # 一 is no word of grammar
    ("What is the 2025 target?", "What is the 2025 target?"),
]


@pytest.mark.parametrize("typed, read", CASES)
def test_homophone_typos(assistant, typed, read):
    assert assistant.index.homophones().correct(typed) == read


def test_a_typo_finds_its_clause(assistant):
    answer = assistant.ask("谁负责知识产全保护？")
    assert answer.citations[0].title == "强化知识产权保护"
    assert "市市场监管局" in answer.text


def test_a_typo_is_read_before_a_compound_question_is_split(assistant):
    # 研发经废 read as 研发经费 gives the second part a topic of its own: it is asked alone, not joined to the first
    answer = assistant.ask("请问东湖高心区到２０２５年经济总亮要突破多少？研发经废每年增长多少？")
    assert not answer.refused and [c.title for c in answer.citations[:2]] == ["经济发展领跑全省全市", "创新能力稳居全国第一梯队"]
    assert "5000亿元" in answer.text and "14%" in answer.text
