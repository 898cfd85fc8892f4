"""The per-app caches of rendered parts: kept() for one part, kept_each() for many."""

from __future__ import annotations

from complaints.core.kept import kept, kept_each


def test_kept_each_renders_only_the_new_keys_and_answers_in_order(app):
    rendered: list[str] = []

    def render(key):
        rendered.append(key)
        return f"<{key}>"

    with app.app_context():
        assert kept_each("test.parts", ["a", "b"], render, 10) == ["<a>", "<b>"]
        assert kept_each("test.parts", ["b", "c", "a"], render, 10) == ["<b>", "<c>", "<a>"]
        assert kept_each("test.parts", [], render, 10) == []
    assert rendered == ["a", "b", "c"]


def test_kept_each_keeps_at_most_the_limit_dropping_the_one_used_longest_ago(app):
    with app.app_context():
        kept_each("test.parts", ["a", "b"], str.upper, 3)
        kept_each("test.parts", ["b", "c", "a"], str.upper, 3)  # b and a used again, c new
        kept_each("test.parts", ["d"], str.upper, 3)
        assert list(app.extensions["test.parts"]) == ["a", "c", "d"]


def test_kept_and_kept_each_share_one_cache_per_name_and_app(app):
    with app.app_context():
        assert kept("test.parts", "a", lambda: "from kept", 5) == "from kept"
        assert kept_each("test.parts", ["a"], lambda key: "rendered again", 5) == ["from kept"]
        assert kept_each("test.other", ["a"], lambda key: "another cache", 5) == ["another cache"]
