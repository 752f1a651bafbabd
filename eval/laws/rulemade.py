"""Statements to verify made by rule from the articles of current laws: does `verify` catch a rule turned round?

Hand-written statements are few (eval/laws/verify.jsonl: 26). These are many and made mechanically, so they
measure one thing each, on laws nobody picked:
- `as written`: a sentence of an article, unchanged (expected supported);
- `polarity`: the same sentence with its modal word or negation turned round (可以 → 不得, 视为 → 不视为,
  予以 → 不予 …; expected contradicted);
- `same polarity`: the modal word put in other words of the same sense (不得 → 禁止, 应当 → 必须, 可以 → 有权;
  expected supported);
- `swap`: one word put for another word of the same law ending in the same character and as long
  (申请日 → 公告日; expected contradicted). Many such swaps are not of things (本法 → 依法), which `verify`
  leaves to its coverage test on purpose, so this kind is a hard upper bound, not a target.
Laws are split in two by a hash of their name: `train` (looked at while building) and `held` (totals only).

    python eval/laws/rulemade.py make            # writes eval/laws/rulemade.jsonl from the packaged laws.db
    python eval/laws/rulemade.py score KB        # KB: a folder with corpus/ and index/ holding the laws
"""
from __future__ import annotations

import json
import random
import re
import sys
import zlib
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
OUT = HERE / "rulemade.jsonl"
LAWS = 150            # laws sampled
PER_LAW = 2           # sentences per law and kind
FLIPS = [("不得", "可以"), ("可以", "不得"), ("应当", "不得"), ("不视为", "视为"), ("视为", "不视为"),
         ("不予", "予以"), ("予以", "不予"), ("有权", "无权"), ("无权", "有权"), ("不属于", "属于"),
         ("属于", "不属于"), ("不构成", "构成"), ("构成", "不构成")]
SAME = [("不得", "禁止"), ("应当", "必须"), ("可以", "有权")]
SENTENCE = re.compile(r"[^。；\n]{18,90}[。；]")


def make() -> None:
    from assistant.laws import LawCatalog
    from assistant.text import tokenize

    catalog = LawCatalog.open()
    rng = random.Random(2026)
    entries = [e for e in catalog.entries if "修正" not in e.name and "决定" not in e.name]
    rng.shuffle(entries)
    items = []
    for entry in entries[:LAWS]:
        split = "train" if zlib.crc32(entry.name.encode()) % 2 == 0 else "held"
        rows = catalog.db.execute("SELECT article_no, article_text FROM articles WHERE law_id = ? ORDER BY id",
                                  (entry.law_id,)).fetchall()
        sentences = [(no, s) for no, text in rows for s in SENTENCE.findall(text or "")]
        rng.shuffle(sentences)
        base = {"law": entry.name, "split": split}
        items += _polarity(sentences, base)
        items += _swaps(sentences, base, rows, tokenize, rng)
    for n, item in enumerate(items, 1):
        item["id"] = f"R{n:04d}"
    OUT.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    print(len(items), dict(Counter((i["split"], i["kind"]) for i in items)))


def _item(base, article, kind, statement, expected) -> dict:
    return {**base, "articles": [article], "kind": kind, "statement": statement, "expected": expected}


def _polarity(sentences, base) -> list[dict]:
    items, made = [], 0
    for article, sentence in sentences:
        flip = next(((a, b) for a, b in FLIPS if a in sentence and not (f"不{a}" in sentence)), None)
        if flip is None or made == PER_LAW:
            continue
        made += 1
        items += [_item(base, article, "as written", sentence, "supported"),
                  _item(base, article, "polarity", sentence.replace(flip[0], flip[1], 1), "contradicted")]
        same = next(((a, b) for a, b in SAME if a in sentence), None)
        if same:
            items.append(_item(base, article, "same polarity", sentence.replace(same[0], same[1], 1), "supported"))
    return items


def _swaps(sentences, base, rows, tokenize, rng) -> list[dict]:
    words = Counter(w for _, text in rows for w in set(tokenize(text or ""))
                    if len(w) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", w))
    by_head: dict[tuple[str, int], list[str]] = {}
    for word, count in sorted(words.items()):
        if count >= 2:
            by_head.setdefault((word[-1], len(word)), []).append(word)
    for article, sentence in sentences:
        candidates = [w for w in dict.fromkeys(tokenize(sentence)) if len(w) >= 2 and sentence.count(w) == 1]
        for word in candidates:
            others = [o for o in by_head.get((word[-1], len(word)), []) if o != word and o not in sentence]
            if others:
                return [_item(base, article, "swap", sentence.replace(word, rng.choice(others)), "contradicted")]
    return []


def score(kb: Path) -> None:
    from assistant.app import App, Settings

    app = App(Settings(corpus=kb / "corpus", index=kb / "index"))
    right, total = Counter(), Counter()
    for line in OUT.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        statuses = [s.status for s in app.verifier.verify(item["statement"]).sentences]
        verdict = next((s for s in ("contradicted", "not_found") if s in statuses), "supported")
        key = (item["kind"], item["split"])
        total[key] += 1
        right[key] += verdict == item["expected"]
    for kind, split in sorted(total):
        print(f"{kind:14} {split:5} {right[kind, split]:4} / {total[kind, split]}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["make"]:
        make()
    elif sys.argv[1:2] == ["score"] and len(sys.argv) == 3:
        score(Path(sys.argv[2]))
    else:
        sys.exit(__doc__)
