"""When colour is used: --color wins, else NO_COLOR and TERM=dumb switch it off, else the terminal decides."""
import pytest

from searcher.render import use_color


@pytest.mark.parametrize(
    "choice, tty, env, expected",
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"TERM": "dumb"}, False),
        ("always", False, {"NO_COLOR": "1"}, True),
        ("never", True, {}, False),
    ],
)
def test_colour_choice(monkeypatch, choice, tty, env, expected):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert use_color(choice, tty) is expected


def test_control_characters_show_as_visible_escapes():
    from searcher.render import terminal_safe

    assert terminal_safe("a\x1b]0;title\x07b") == "a\\x1b]0;title\\x07b"
    assert terminal_safe("\x1b[2J\x7f\x9b31m") == "\\x1b[2J\\x7f\\x9b31m"
    assert terminal_safe("abc\u202edef\u2066x\u2069\u202c") == "abc\\u202edef\\u2066x\\u2069\\u202c"
    assert terminal_safe("one\ntwo\tthree\r") == "one\\ntwo\\tthree\\r"
    assert terminal_safe("one\ntwo", keep="\n") == "one\ntwo"
    assert terminal_safe("t\udcffn") == "t\\xffn"  # an undecodable byte of a file name
    assert terminal_safe("Tết Nguyên đán “Đồng khởi”") == "Tết Nguyên đán “Đồng khởi”"


def test_json_lines_escape_what_a_terminal_would_act_on_and_decode_exactly():
    import json

    from searcher.render import json_line

    record = {"title": "Tết\x1b]0;x\x07 \x9b2J \u202eabc \x7f \u2028 bảo hiểm"}
    line = json_line(record)
    assert line == ('{"title": "Tết\\u001b]0;x\\u0007 \\u009b2J \\u202eabc \\u007f \\u2028 bảo hiểm"}')
    assert json.loads(line) == record


def test_a_hit_header_shows_the_section_between_place_and_score():
    from searcher.render import format_hit
    from searcher.search import Hit

    hit = Hit(rank=1, score=3.5, doc_id="luat.txt", title="LUẬT THỬ NGHIỆM", path="/nowhere/luat.txt", line=12,
              start=0, end=20, text="2. Hồ sơ gồm đơn.", section="Chương II, Điều 12, khoản 2")
    assert format_hit(hit, color=False).splitlines()[0] == "1. /nowhere/luat.txt:12  Chương II, Điều 12, khoản 2  score 3.50"
    hit.section = None
    assert format_hit(hit, color=False).splitlines()[0] == "1. /nowhere/luat.txt:12  score 3.50"
