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


def test_math_is_marked_for_katex_and_not_mangled_by_emphasis():
    html = render_markdown("Intensity is $\\frac{2MNK}{bytes}$ and $a_i b_i$.\n\n$$\\sum_i x_i$$")
    assert '<span class="math inline">\\frac{2MNK}{bytes}</span>' in html
    assert '<span class="math inline">a_i b_i</span>' in html
    assert '<div class="math block">' in html
    assert "<em>" not in html


def test_prices_with_dollar_signs_stay_text():
    html = render_markdown("The warehouse bills $6.25 per TB, so the full scan costs $125.")
    assert "math" not in html and "$6.25 per TB" in html


def test_a_table_is_wrapped_in_a_box_that_scrolls_on_its_own():
    html = render_markdown("| op | ms |\n| --- | --- |\n| aten::addmm | 41.0 |\n")
    assert html.startswith('<div class="table-wrap"><table>')
    assert html.rstrip().endswith("</table>\n</div>")
