"""`vnie show`: spans highlighted by label in the terminal, the tables below."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pipeline.apps.cli import app
from pipeline.apps.show import (LABEL_COLOURS, OTHER_COLOUR, highlight_tree, label_class, label_colour,
                           render_article, value_differs)

from conftest import CORPUS

SEED = CORPUS / "dev" / "000_a16c13a7aae6f99c.txt"
runner = CliRunner()


def m(start, end, label, value=None):
    return {"start": start, "end": end, "label": label, "value": value}


def flat(nodes, depth=0):
    out = []
    for n in nodes:
        out.append((depth, n.start, n.end, n.label))
        out += flat(n.children, depth + 1)
    return out


@pytest.mark.parametrize("mentions, expected", [
    # separate spans, given out of order
    ([m(5, 8, "DATE"), m(0, 3, "OFFICIAL")], [(0, 0, 3, "OFFICIAL"), (0, 5, 8, "DATE")]),
    # the same span twice (official and official mention) is kept once
    ([m(0, 3, "OFFICIAL"), m(0, 3, "OFFICIAL")], [(0, 0, 3, "OFFICIAL")]),
    # a span inside another nests under it, whatever the input order
    ([m(2, 4, "ORG"), m(0, 9, "TITLE")], [(0, 0, 9, "TITLE"), (1, 2, 4, "ORG")]),
    # a span crossing another's end is left out
    ([m(0, 5, "TITLE"), m(3, 8, "AWARD_COUNT")], [(0, 0, 5, "TITLE")]),
    # offsets outside the text are ignored, not a crash
    ([m(-1, 3, "DATE"), m(8, 99, "DATE"), m(4, 4, "DATE")], []),
    # adjacent spans do not nest
    ([m(0, 3, "RANK"), m(3, 6, "OFFICIAL")], [(0, 0, 3, "RANK"), (0, 3, 6, "OFFICIAL")]),
])
def test_highlight_tree(mentions, expected):
    assert flat(highlight_tree("0123456789", mentions)) == expected


@pytest.mark.parametrize("text, value, differs", [
    ("Chiều 30-11", "2020-11-30", True),
    ("danh hiệu Đơn vị Tiên tiến", "Đơn vị Tiên tiến", False),
    ("cờ thi đua của Bộ Công an", "Cờ thi đua của Bộ Công an", False),
    ("2020", "2020", False),
    ("HOÀNG TÂN", None, False),
])
def test_value_differs(text, value, differs):
    assert value_differs(text, highlight_tree(text, [m(0, len(text), "X", value)])[0]) is differs


@pytest.mark.parametrize("label, expected", [
    ("OFFICIAL", "label-OFFICIAL"),
    ("AWARD_COUNT", "label-AWARD_COUNT"),
    ('x" onmouseover="alert(1)', "label-xonmouseoveralert1"),
    ("<>", "label-other"),
])
def test_label_class_is_a_safe_class_name(label, expected):
    assert label_class(label) == expected


def test_unknown_label_gets_the_fallback_colour():
    assert label_colour("SOMETHING_NEW") == OTHER_COLOUR
    assert label_colour("OFFICIAL") == LABEL_COLOURS["OFFICIAL"]


def test_render_article_colours_each_span_and_adds_values(rows):
    text = SEED.read_text(encoding="utf-8")
    doc_rows = rows(text)
    rendered = render_article(text, doc_rows["mentions"])
    plain = rendered.plain
    # The value is shown after a date whose text does not say it.
    assert "Chiều 30-11⟨2020-11-30⟩" in plain
    # Everything else is the article, unchanged.
    assert plain.replace("⟨2020-11-30⟩", "").replace("⟨2020-12-06T17:25⟩", "").startswith(text[:40])
    styled = {(plain[s.start:s.end], str(s.style)) for s in rendered.spans}
    assert ("Mai Thế Quang", f"black on {LABEL_COLOURS['OFFICIAL']}") in styled
    assert ("Chiều 30-11", f"black on {LABEL_COLOURS['DATE']}") in styled
    assert ("6/8 đơn vị", f"black on {LABEL_COLOURS['AWARD_COUNT']}") in styled


def test_show_prints_article_and_tables():
    result = runner.invoke(app, ["show", str(SEED)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "000_a16c13a7aae6f99c" in out
    assert "Mai Thế Quang" in out
    for heading in ("officials (1)", "dates (7)", "clusters (1)", "titles (3)", "award_counts (3)"):
        assert heading in out
    assert "Trung tá" in out and "Phó Giám đốc Công an tỉnh" in out
    assert "mentions (" not in out


def test_show_mentions_option_lists_every_span():
    result = runner.invoke(app, ["show", "--mentions", str(SEED)])
    assert result.exit_code == 0, result.output
    assert "mentions (" in result.output and "AWARD_COUNT" in result.output


def test_show_reads_stdin_and_keeps_markup_literal():
    text = "Trung tá Mai Thế Quang [bold red]chủ trì[/bold red] hội nghị ngày 30/11/2020."
    result = runner.invoke(app, ["show", "-"], input=text)
    assert result.exit_code == 0, result.output
    assert "[bold red]chủ trì[/bold red]" in result.output
    assert "officials (1)" in result.output


def test_show_colours_in_a_terminal():
    result = runner.invoke(app, ["show", str(SEED)], env={"FORCE_COLOR": "1", "COLORTERM": "truecolor", "TERM": "xterm-256color"})
    assert result.exit_code == 0, result.output
    # The OFFICIAL colour (#ffd166) as a 24-bit background escape, just before the name.
    assert "\x1b[30;48;2;255;209;102mMai Thế Quang" in result.output


def test_show_missing_file_is_a_clear_error(tmp_path):
    missing = tmp_path / "nope.txt"
    result = runner.invoke(app, ["show", str(missing)])
    assert result.exit_code == 1
    assert f"vnie: error: {missing}: no such file or folder" in result.output


def test_show_empty_file_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    result = runner.invoke(app, ["show", str(empty)])
    assert result.exit_code == 1
    assert "empty document" in result.output


def test_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("extract", "evaluate", "show", "serve", "query"):
        assert f" {command} " in result.output


@pytest.mark.parametrize("color_system, colours", [
    # rich's names for a terminal's colours: each label keeps a colour of its own on every one.
    ("standard", 11), ("256", 11), ("truecolor", 11),
])
def test_palette_is_distinct_on_every_terminal(color_system, colours):
    from pipeline.apps.show import TERMINAL_COLOURS, label_style

    assert len({label_style(label, color_system) for label in TERMINAL_COLOURS}) == colours


def test_show_one_document_by_id():
    result = CliRunner().invoke(app, ["show", str(CORPUS / "dev"), "--doc", "001_19a7306ab84b14c6"])
    assert result.exit_code == 0
    assert "001_19a7306ab84b14c6" in result.output and "000_a16c13a7aae6f99c" not in result.output


def test_show_unknown_id_names_the_ids_there_are():
    result = CliRunner().invoke(app, ["show", str(CORPUS / "dev"), "--doc", "nope"])
    assert result.exit_code == 1
    assert "no document 'nope'" in result.output and "000_a16c13a7aae6f99c" in result.output
