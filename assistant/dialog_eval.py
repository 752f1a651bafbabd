"""Evaluation of conversations: eval/dialogs.jsonl scored turn by turn.

Each dialog is played through one `Conversation`, as a user would type it. Every turn
is graded against its hand-written gold with the fact matching of `assistant.evaluate`:
an `answer` turn needs every gold fact in the answer text (and no abstention), a
`refuse` turn an abstention, a `clarify` turn a request for the missing part. How the
turn was read (`understood_as`) is compared with the gold reading: exact (after
normalisation, punctuation aside) or equivalent (same documents/places, same kind of
question, and most of the same topic words).
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from .answer import classify
from .app import App
from .conversation import Conversation, Mentions, Reply, Resolution, topic_words
from .evaluate import facts_answered
from .text import normalize

EXPECTS = ("answer", "refuse", "clarify")
# Share of topic words two readings must share (Jaccard) to count as the same question.
EQUIVALENT_TOPIC_OVERLAP = 0.5
_PUNCTUATION = re.compile(r"[\s，,。？?！!：:；;、“”\"'（）()《》]")


class DialogSetError(ValueError):
    """A dialog file that cannot be read; the message names the line."""


@dataclass
class TurnResult:
    dialog: str
    split: str
    turn: int
    question: str
    expect: str
    gold_understood: str
    understood_as: str
    outcome: str               # answer | refuse | clarify: what the assistant did
    answer: str
    correct: bool              # answered with every gold fact / refused / asked to clarify, as expected
    understood_exact: bool
    understood_equivalent: bool
    missing_facts: list[str] = field(default_factory=list)


def load_dialogs(path: Path) -> list[dict]:
    dialogs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            dialog = json.loads(line)
            turns = dialog["turns"]
            if not turns or any(t["expect"] not in EXPECTS or not t["question"] for t in turns):
                raise KeyError("expect")
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise DialogSetError(f"{path}:{number}: not a dialog ({exc})") from exc
        dialogs.append(dialog)
    return dialogs


def same_reading(ours: str, gold: str, mentions: Mentions) -> tuple[bool, bool]:
    """(exact, equivalent): the two readings of a question compared."""
    a, b = (_PUNCTUATION.sub("", normalize(x)) for x in (ours, gold))
    if a == b:
        return True, True
    places = set(mentions.places_in(a)) == set(mentions.places_in(b))
    kind = classify(ours) == classify(gold)
    # A document named by its title (浦东新区…培育工作方案) is the same as by its place: title words are no topic.
    titles = "".join(mentions.titles[d] for d in mentions.documents_in(a) + mentions.documents_in(b))
    words_a, words_b = ({w for w in topic_words(x, mentions) if w not in titles} for x in (ours, gold))
    overlap = len(words_a & words_b) / len(words_a | words_b) if words_a | words_b else 1.0
    return False, places and kind and overlap >= EQUIVALENT_TOPIC_OVERLAP


def grade_turn(dialog: dict, number: int, gold: dict, reply: Reply, mentions: Mentions) -> TurnResult:
    answer = reply.answer
    outcome = "clarify" if answer is None else "refuse" if answer.abstained else "answer"
    missing = [f for f in gold.get("gold_facts", []) if answer is None or not facts_answered(answer.text, [f])]
    correct = outcome == gold["expect"] and (outcome != "answer" or not missing)
    if gold.get("understood_as"):
        exact, equivalent = same_reading(reply.understood_as, gold["understood_as"], mentions)
    else:  # the gold reads the question as typed: it must not have been completed from context
        exact = equivalent = not reply.completed
    return TurnResult(dialog["id"], dialog.get("split", ""), number, reply.question, gold["expect"],
                      gold.get("understood_as", ""), reply.understood_as, outcome,
                      reply.resolution.needs_clarification if answer is None else answer.text,
                      correct, exact, equivalent, missing if outcome == "answer" else [])


MODES = {"conversation": "conversation (shipped)", "alone": "each turn alone (no memory)",
         "gold reading": "gold reading asked alone"}


def run_dialogs(app: App, path: Path, mode: str = "conversation") -> list[TurnResult]:
    """Play every dialog. `mode` "alone" asks each turn as a question of its own (the
    assistant without memory); "gold reading" asks the gold `understood_as` alone, which
    separates reading errors from answering errors."""
    mentions = Mentions(app.index)
    results = []
    for dialog in load_dialogs(path):
        conversation = Conversation(app.answerer)
        for number, gold in enumerate(dialog["turns"], 1):
            if mode == "conversation":
                reply = conversation.ask(gold["question"])
            else:
                reply = _asked_alone(app, gold, mode)
            results.append(grade_turn(dialog, number, gold, reply, mentions))
    return results


def _asked_alone(app: App, gold: dict, mode: str) -> Reply:
    question = gold["question"]
    if mode == "gold reading" and gold["expect"] == "clarify":
        return Reply(question, Resolution(question, question, needs_clarification="(gold)"), None)
    asked = gold.get("understood_as") or question if mode == "gold reading" else question
    return Reply(question, Resolution(asked, asked), app.answerer.ask(asked))


def summarise(results: list[TurnResult]) -> dict:
    """Per-turn figures: correct answers (facts), refusals, clarifications, readings."""
    def share(rows, attribute="correct"):
        return round(sum(getattr(r, attribute) for r in rows) / len(rows), 3) if rows else None

    def figures(rows):
        by = defaultdict(list)
        for r in rows:
            by[r.expect].append(r)
        read = [r for r in rows if r.gold_understood]
        return {"turns": len(rows), "facts": share(by["answer"]), "answer_turns": len(by["answer"]),
                "refusals_correct": share(by["refuse"]), "refuse_turns": len(by["refuse"]),
                "clarifications_correct": share(by["clarify"]), "clarify_turns": len(by["clarify"]),
                "understood_exact": share(read, "understood_exact"),
                "understood_equivalent": share(read, "understood_equivalent"), "completed_turns": len(read),
                "read_as_typed": share([r for r in rows if not r.gold_understood], "understood_equivalent"),
                "all_correct": share(rows)}

    groups = {"all": results, "first turns": [r for r in results if r.turn == 1],
              "follow-ups": [r for r in results if r.turn > 1]}
    for split in sorted({r.split for r in results if r.split}):
        groups[f"split {split}"] = [r for r in results if r.split == split]
        groups[f"split {split}, follow-ups"] = [r for r in results if r.split == split and r.turn > 1]
    return {name: figures(rows) for name, rows in groups.items()}


def write_dialog_report(results: list[TurnResult], path: Path, set_path: Path,
                        others: dict[str, list[TurnResult]] | None = None) -> dict:
    """The report of the shipped conversation, with the other modes (MODES) side by side."""
    summary = summarise(results)
    columns = ("turns", "facts", "refusals_correct", "clarifications_correct", "understood_exact",
               "understood_equivalent", "read_as_typed", "all_correct")
    lines = [f"# Dialog evaluation (`{set_path}`)", "",
             f"Generated {datetime.now().isoformat(timespec='seconds')} by `policy-assistant eval --dialogs`. "
             "Each dialog is played through one conversation; every turn is graded on its own.", "",
             "| group | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for name, row in summary.items():
        lines.append(f"| {name} | " + " | ".join("—" if row[c] is None else str(row[c]) for c in columns) + " |")
    if others:
        lines += ["", "The same turns without memory and with the gold reading (a reading error vs an answering error):",
                  "", "| system | group | facts | refusals_correct | clarifications_correct | all_correct |",
                  "|---|---|---|---|---|---|"]
        for mode, rows in {"conversation": results, **others}.items():
            for name, row in summarise(rows).items():
                if name in ("all", "follow-ups", "split test, follow-ups"):
                    lines.append(f"| {MODES[mode]} | {name} | " + " | ".join(
                        "—" if row[c] is None else str(row[c])
                        for c in ("facts", "refusals_correct", "clarifications_correct", "all_correct")) + " |")
    lines += ["", "How measured:",
              "- **facts**: `answer` turns answered (no abstention) with every gold fact in the text "
              "(`evaluate.contains_fact`).",
              "- **refusals_correct**: `refuse` turns that abstained (a clarification request counts as wrong).",
              "- **clarifications_correct**: `clarify` turns where the assistant asked for the missing part.",
              "- **understood_exact / equivalent**: turns with a gold `understood_as`, compared with the reading "
              "the assistant searched: the same text (normalised, punctuation aside), or the same places and "
              f"documents, the same kind of question and a topic-word Jaccard ≥ {EQUIVALENT_TOPIC_OVERLAP}.",
              "- **read_as_typed**: turns whose gold has no `understood_as` (complete questions): not rewritten.",
              "", "## Failed turns", ""]
    # Held-out turns (a fresh set's `held` split) are counted above, never shown: they stay unread.
    listed = [r for r in results if r.split != "held"]
    for r in listed:
        if not (r.correct and r.understood_equivalent):
            why = [] if r.correct else [f"expected {r.expect}, got {r.outcome}"
                                        + (f", missing {'、'.join(r.missing_facts)}" if r.missing_facts else "")]
            if not r.understood_equivalent:
                why.append(f"read as “{r.understood_as}”, gold “{r.gold_understood or r.question}”")
            lines.append(f"- {r.dialog}.{r.turn} ({r.split}) {r.question} — {'; '.join(why)}")
    if len(listed) < len(results):
        lines += ["", f"`held` turns, counted above, not listed: {len(results) - len(listed)}."]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.with_suffix(".json").write_text(json.dumps({"summary": summary, "turns": [asdict(r) for r in listed],
                                                     "turns_not_listed": len(results) - len(listed)},
                                                    ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return summary
