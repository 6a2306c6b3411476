from interviews.templatetags.markdown import render_markdown


def test_markdown_renders_emphasis_lists_and_code():
    html = render_markdown("**bold** and `x @ y`\n\n- one\n- two\n\n```python\nprint(1)\n```")
    assert "<strong>bold</strong>" in html
    assert "<code>x @ y</code>" in html
    assert "<li>one</li>" in html
    assert '<code class="language-python"><span class="nb">print</span>' in html  # highlighted by Pygments


def test_raw_html_is_shown_as_text_never_run():
    html = render_markdown('<script>alert(1)</script> <img src=x onerror=alert(2)> <a onclick="evil()">x</a>')
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_javascript_links_are_dropped_and_real_links_get_safe_rel():
    html = render_markdown("[click](javascript:alert(3)) [ok](https://example.com)")
    assert 'href="javascript' not in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">ok</a>' in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
