"""The line classifier against markdown-it, its reference, on every line it claims.

`classify` may decline a doc (None), never answer differently: over a table of
tricky cases covering every CommonMark block construct and GFM tables, over
random block-structured Markdown, and over the benchmark's generated reports.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from image_docs_audit.docs import blocks
from image_docs_audit.docs.blocks import LineKinds, classify, classify_lines, markdown_kinds
from image_docs_audit.model import Kind

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))

from corpus import DENSE, make_doc, make_images  # the benchmark's generator (its densest)

CASES = [
    # ATX headings
    "# Title\n\ntext\n\n## Section\n\nmore",
    "#5 bolt\n\n#hashtag",
    "####### seven\n\n###### six",
    "#\n\n# \n\n### trailing ###",
    "   # three spaces\n    # four spaces",
    "text\n# heading interrupts\ntext",
    "# first\n# second h1\n## h2",
    "\\# escaped\n\n# real",
    "#\ttab heading",
    # setext headings
    "Title\n=====\n\ntext",
    "Sub\n---\n\ntext",
    "line one\nline two\n===\n",
    "Title\n= =\n",
    "Title\n    ===\n",
    "Title\n   ===   \n",
    "Title\n-\n",
    "Title\n=\n\n# later h1",
    "para\n\n===\n",
    "- item\n===\n",
    "> quote\n===\n",
    # thematic breaks
    "***\n---\n___\n",
    "* * *\n- - -\n_ _ _",
    "text\n***\ntext",
    "text\n- - -\ntext",
    "--\n**\n",
    "    ***\n",
    # fenced code
    "```\ncode\n```\n\ntext",
    "~~~ python\ncode\n~~~\n",
    "```\ncode\n``\nstill code\n```",
    "````\n```\nnested\n````\n",
    "``` a`b\nnot a fence\n",
    "~~~ a`b\nfence\n~~~",
    "```\nunclosed\n\ncode to the end",
    "   ```\n   indented fence\n   ```",
    "    ```\n    not a fence\n",
    "```\ncode\n    ```\nstill code\n```",
    "text\n```\nfence interrupts\n```",
    "```bash\ndocker pull x\n```\n# after",
    "```\n\n\n```",
    "~~~\n```\n~~~~\n",
    # indented code
    "    code\n    more\n\ntext",
    "text\n    continuation\n",
    "    code\n\n    after blank\n\n  text",
    "\tcode with tab\n",
    "  \tcode\n",
    "    code\n      deeper\n",
    # block quotes
    "> simple quote\n> second line\n\ntext",
    "> quote\nlazy line\n",
    "> - list in quote\n",
    "> # heading in quote\n",
    "> > nested\n",
    ">     code in quote\n",
    ">\n> after empty\n",
    "> quote\n\n> another",
    "text\n> quote interrupts\n",
    "> | a | b |\n> |---|---|\n> | c | d |\n",
    ">quote without space\n",
    "   > indented quote\n",
    "    > code not quote\n",
    "> ```\n> code\n> ```\n",
    # lists
    "- one\n- two\n- three",
    "* star\n* star\n\n+ plus\n+ plus",
    "1. one\n2. two\n3) three",
    "- item\n  continued\n- next",
    "- item\ncontinued lazily\n",
    "- item\n\n  second paragraph\n\ntext after",
    "- item\n\ntext after",
    "- outer\n  - inner\n    - innermost\n- outer again",
    "- outer\n    - four-space nested\n",
    "text\n- list interrupts\n",
    "text\n2. cannot interrupt\n",
    "text\n1. can interrupt\n",
    "text\n-\n",
    "-\n  empty start\n",
    "- \n\n  foo\n",
    "- a\n-\n- c",
    "- a\n* b\n",
    "1. a\n1) b\n",
    "- a\n\n      code in item\n",
    "- a\n  ```\n  code\n  ```\n",
    "- a\n  # heading in item\n",
    "- # heading item\n",
    "- ```\n  code\n  ```\n",
    "- a\n  ---\n",
    "- a\n---\n",
    "- a\n  | x | y |\n  |---|---|\n",
    "-\ttab after marker\n",
    "- a\n\t- tab nested\n",
    "10. ten\n    continued\n",
    "100. wide marker\n     continued\n",
    "-     five spaces after\n",
    "- a\n\n    b\n",
    "- a\n# heading ends list\n",
    "- a\n> quote ends list\n",
    "- a\n```\nfence ends list\n```",
    "- a\n\n    code after list?\n",
    "1.\n",
    "- a\n 1. b\n",
    "- [ ] task\n- [x] done\n",
    "- a\n  > quote in item\n",
    "* a\n\n* b\n\n\n* c",
    # GFM tables
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "a | b\n--|--\n1 | 2",
    "| a | b |\n|:--|--:|\n| 1 | 2 |\n\ntext",
    "| a | b |\n|---|\n| 1 | 2 |",
    "| a |\n| - |\n| 1 |",
    "|a|\n|-|\n|1|",
    "| a \\| b | c |\n|---|---|\n| 1 | 2 |",
    "text\n| a | b |\n|---|---|\n| 1 | 2 |",
    "| a | b |\n|---|---|\n| 1 | 2 |\n# heading ends",
    "| a | b |\n|---|---|\n| 1 | 2 |\n- list ends\n",
    "| a | b |\n|---|---|\nrow without pipes\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n> quote ends",
    "    | a | b |\n|---|---|\n",
    "| a | b |\n    |---|---|\n",
    "| a | b |\n| --- | --- |\n",
    "| a | b |\n|- | -|\n",
    "| a | b |\n- | -\n",
    "| a | b |\n|---||---|\n",
    "no pipe\n|---|\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n2. ordered ends\n",
    "| a | b |\n|---|---|\n|\u2003|\n| 3 | 4 |",
    "# a | b\n--|--\n",
    "- a | b\n--|--\n",
    "| a |\n|:-:|\n| 1 |\n    indented row\n",
    "| Service | Port |\n|---|---|\n| app | 80 |\n\n| Name | Image |\n|---|---|\n| x | y |",
    # Every white space but the line end around a table's rows: markdown-it trims some
    # (a no-break space, an ideographic space), not others (U+001C, U+0085). (A `\r` is a
    # line end: tests/test_blocks_windows.py.)
    *(
        f"{space}| Image | Port |{space}\n|---|---|\n{space}| x | 80 |{space}\n"
        for space in "\t\x0b\x0c\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u200a\u2028\u2029"
        "\u202f\u205f\u3000\ufeff"
    ),
    # HTML blocks and link reference definitions
    "<div>\ntext\n</div>\n\n# after",
    "<!-- comment -->\n# heading",
    "text\n<div>\n",
    "<br> inline html start\n",
    "<!--\n\n# not a heading\n\n-->\n# heading",
    "<!-- unclosed\n\n# still a comment\n- item",
    "<pre>\n\n# inside pre\n</pre>\n# after",
    "<PRE class=x>\ncode\n</pre> trailing\ntext after",
    "<script>x</script>\n# heading",
    "<style\n>\n</style>\n- item",
    "<textarea>\n\n</textarea>\n# after",
    "<?php echo 1; ?>\n# h",
    "<?php\n\n# in\n?>\n# out",
    "<!DOCTYPE html>\n# h",
    "<![CDATA[\n# in\n]]>\n# out",
    "<details>\n<summary>Ports</summary>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n</details>",
    "<span>\n# in a type 7 block\n\n# out",
    "para\n<span>\n# heading after",
    "text\n<!-- interrupts -->\nmore",
    "| a | b |\n|---|---|\n| 1 | 2 |\n<div>\n| 3 | 4 |",
    "| a | b |\n|---|---|\n| 1 | 2 |\n<span>\n| 3 | 4 |",
    "- item\n<div>\n# in html",
    "- item\n\n<div>\n# in html\n\n# out",
    "  <div>\n  indented html\n\n    <div> is code",
    "<3 hearts\n# heading",
    "<https://example.com>\n===",
    '<a href="x">\n===\n',
    "<div>\n```\nnot code\n```\n\n```\nreal code\n```",
    "<table>\n<tr><td>acme-api</td></tr>\n</table>\n\n## Ports",
    "<!-- a -->\n<!-- b -->\ntext\n\n# h",
    "<div>text</div>\n# heading in the block",
    "   <!-- three spaces -->\n# h",
    "<del>*x*</del>\n# h",
    "<div\n# h\n\n- after",
    "</div>\n# h",
    "<div/>\n# h",
    "<!---->\n# h",
    "<!-- x --> <!--\n# h",
    "[a link](https://x) starts a paragraph\n===\n\n[x] [y]\n\n[a[b]]: /u\n# h",
    "[a\\]]: /url\n# h",
    "[a\\]b](u) text\n# h",
    "[label\ngoes on]: /url\n# h",
    "[]: /url\n\n# after",
    "- [a link](https://x) first\n- `code` first\n- #tag first\n- <3 first\n- ~x first",
    "- item\n  [a link](x) continues\n  `code` continues\n\n  #tag after a blank\n- next",
    "- [ref]: /url\n- item",
    "- item\n\n  [ref]: /url\n\n  text",
    "- ```\n  code\n  ```\n- item",
    "- ~~~\n  code\n  ~~~",
    "1. Start it:\n\n   ```bash\n   docker run acme-api\n\n   ```\n"
    "2. Check it:\n   ~~~\n   curl x\n   ~~~",
    "- step\n  ```\n  unclosed, the item ends it\nout of the list\n\n# after",
    "- step\n  ```\n  code\n      ```\n  ```\n- next",
    "- ```\n  a\n ```\nlazy?",
    "- a\n\n  ````\n  ```\n  ````\n\n  text",
    "1. ``` |\n      ---\n1. ```x",
    "- ``` a | b\n  --|--",
    "- --- x\n  ~~~\n  ---",
    "10. ```\n    code\n    ```",
    # lazy continuation lines: a list item's paragraph goes on over an unindented line
    "- an item that wraps\nonto the next line\n- next item\nwraps too\n\nafter",
    "1. a\nlazy\n   more\nlazy again\n2. b",
    "- ```\n  code\n  ```\nnot lazy after code",
    "- a\n<span>\n- b",
    "- a\n[x]: /u\n- b",
    "- a\n===\n- b",
    "- a\n| b |\n- c",
    "- a\n  - nested\nlazy into the nested item\n- b",
    "- a\n#tag\n`code` and <3\n# heading",
    "- ``not a fence``\n- `` ``` `` spans",
    "- # heading in an item\n- item",
    "- <div>\n- item",
    "- <span>\n\n- item",
    "1. [link](x)\n   2. `nested`\n      - [deep](y)",
    "> [a link](x)\n> `code`\n> #tag\n> <3",
    "> [a link](x)\n\n> [ref]: /u",
    "> ```\n> code\n> ```",
    "> # heading in a quote",
    "[foo]: /url\n\n# after",
    "[foo]: /url\n===\n",
    "[not a ref] text\n",
    # a README's closing block of link reference definitions (badges, links): body text,
    # read by the classifier, whether markdown-it takes each as a definition or a paragraph
    "# app-x\n\n[![build][badge]][ci]\n\n[badge]: https://ci/x.svg\n[ci]: https://ci/x\n",
    "[a]: /u\n[b]: </with space> \"title\"\n[c]: /v 'single'\n[d]: /w (parens)\n\n# after",
    "   [a]: /u\n\n    [b]: /indented-code\n",
    "[a]: /u\n[ ]: /empty-label\n[b]: /v\n\n## after",
    "[a]: /u\n[b]: /v)\n\n## after",  # markdown-it refuses the second: a paragraph's line
    '[a]: /u "unclosed\n\n## after',
    "[a]: /u\n[b]: /v\n===\n",  # a setext underline after them: a paragraph of its own
    "[a]: /u)\n[b]: /v\n===\n",  # the first may be refused: left to markdown-it
    "[`rule`]: fix a crash ([#12], thanks [@x])\n[`other`]: add a flag\n\n# after",
    "[x]: dest words here\n---\n",
    '[x]: /u "t" junk\n# h',
    "[JSON API]:\n  https://jsonapi.org\n\n# after",
    "[JSON API]:\n  https://jsonapi.org\n- item\n",
    '[a]:\n/u\n"title"\n# h',
    "[a]:\n- item\n",
    "[a]:\n# h\n",
    "[a]: /u\n'title'\n===\n",
    "[a]: /u\n- item\n",
    "[a]: /u\n    indented\n",
    "[a]: /u\n| x | y |\n|---|---|\n| 1 | 2 |\n",
    "[a]: /u\n```\ncode\n```\n",
    "[a]: /u\n> quote\n",
    "[a]: /u\n<div>\n",
    "[ ]: /u\ntext\n===\n",
    "[a]: <>\ntext\n---\n",
    "[a]: /u\x01v\ntext\n---\n",
    "- [a]: /u\n  text\n  ---\n",
    "[a]: /u\nprose after\n",  # a paragraph after a definition: left to markdown-it
    "[a]:\n/u\n\n# split over lines",
    '[a]: /u\n"title on the next line"\n',
    "- [a]: /u\n- item\n\n[b]: /v",
    "> [a]: /u\n\n[b]: /v\n# heading right after",
    "[a]: /u\n- a list right after\n",
    # quotes read as docs of their own
    "> - a list in a quote\n> - nginx:1.25\n>\n> after the list\n",
    "> # a title in a quote\n\n# not the title",
    "# the title\n\n> # a heading in a quote",
    "> ## Note\n> text\n\n## after",
    "> ```\n> code nginx:1.25\n> ```\n\ntext",
    "> ```\n> unclosed in the quote\n\nafter: body",
    "> | a | b |\n> |---|---|\n> | nginx | 1 |\n",
    "> > nested\n> > - item\n>\n> back",
    ">     indented code in a quote\n",
    "> <div>\n> html in a quote\n> </div>\n\ntext",
    "> Title\n> ===\n\n# title taken",
    "> - item\n>   continued\n>\n>   paragraph of the item\n",
    "> > > > > five deep\n",
    "> quote\nlazy line\n",
    "> [a]: /u\n>\n> [a] link\n",
    "> 1. one\n> 2. two\n\n1. top",
    "- item\n\n> quote after a list\n> - with a list\n",
    # a list item's text read as a doc of its own: its blocks keep their kinds, the rest of
    # its lines are list lines
    "- a\n  # heading in an item\n  text\n- b",
    "- a\n\n  ## Section\n\n  text\n\n# after",
    "1. Install:\n\n       indented code in an item\n\n   text\n2. next",
    "- a\n  > a quote in an item\n  > more\n- b",
    "- a\n\n  > quote\n  lazy in the quote\n",
    "- a\n  > quote\nlazy after a quote in an item\n",
    "- a\n  | x | y |\n  |---|---|\n  | 1 | 2 |\n- b",
    "- a\n  | x | y |\n  |---|---|\n  | 1 | 2 |\nafter the table\n",
    "- a\n  | x | y |\n|---|---|\n",
    "- a\n  <div>\n  html in an item\n  </div>\n- b",
    "- a\n  <!--\n\n  # in a comment\n\n  -->\n  # after",
    "- a\n  <!--\n\n# out of the item?\n-->",
    "- a\n  <span>\n  # in the html block\n\n  # after\n",
    "- a\n  - b\n    ```\n    code in a nested item\n    ```\n  - c\n    # heading in c\n",
    "- a\n  - b\n\n        code in a nested item\n\n  text of a\n",
    "- a\n  - b\n    # h\n  - c\nlazy into c\n- d",
    "- a\n  # h\nnot lazy after a heading\n",
    "- a\n  # h\n\nback at the top\n",
    "- a\n  text\nlazy line\n  # a block after it\n",
    "- a\n  # h\n  text\nlazy line\n  more\n- b",
    "- a\n  # h\n  text\nlazy line\n  ---\n",
    "- a\n  # h\n  text\nlazy line\n  ```\n  code\n  ```\n",
    "10. wide marker\n\n    # heading\n\n        code\n11. next",
    "100. wider\n     # h\n     ```\n     code\n     ```\n",
    "1) a\n   # h\n2) b\n   | x |\n   |---|\n",
    "-\n  # an item that starts with a blank line\n",
    "-\n\n  # after an empty item\n",
    "- # heading item\n  text under it\n- > quote item\n- | a | b |\n  |---|---|",
    "- # a first h1 in an item is the title\n\n# a heading then",
    "# title\n\n- # a heading in an item\n",
    "- a\n  Title in an item\n  ===\n",
    "- a\n  text\n  ---\n",
    "- a\n  text\nlazy\n  ===\n",
    "- a\n\n  [ref]: /u\n  text\n",
    "- a\n  # h\n  [ref]: /u\n",
    "* a\n\n  ```\n  code\n\n  more code\n  ```\n\n  text\n\n* b",
    "- a\n  # h\n  ```\n  unclosed\n\nout\n",
    "- a\n  ```\n  unclosed\n\nout\n",
    "1. a\n   > - b\n   >   # c\n2. d",
    "- a\n  - b\n    - c\n      # deep heading\n",
    "- > - > - > - > # deep\n",
    "- a\n   # three columns in\n",
    "- a\n      # paragraph continuation, not code\n",
    "- a\n\n      # indented code\n",
    " - a\n\n   # h\n - b\n",
    "- a\n  # h\n 1. an ordered list ends the bullet list\n",
    "- a\n  # h\n* another marker\n",
    "- a\n  # h\n  \n  text after a blank line of spaces\n",
    "- a\n  # h\n\t- tab\n",
    "- a\n  # h\n  \tcode after a tab\n",
    "- a\n  # h\n    - b\n        # h in b\n",
    "- a\n  # h\n\n    code after the list\n",
    "- a\n  # h\n> a quote after the list\n",
    "- a\n  # h\n```\na fence after the list\n```\n",
    "- a\n  # h\n    lazy? four columns, less than the item's\n",
    "-   a\n    # h\n\n  text: not in the item\n",
    "- - a\n    # h\n  b\n",
    "- - ```\n    code\n    ```\n  - b\n",
    "- a\n\n  - b\n\n    > quote\n\n  c\n",
    # front matter
    "---\ntitle: Report\n---\n# H1 is a heading",
    "---\ndate: 2024\n---\n# H1 is the title",
    "---\ntitle: unclosed\n\n# heading",
    "---\ntitle: x\n...\n# after dots",
    "----\ntitle: x\n---\nstill front matter\n----\n",
    "---\nauthor: a\nTitle: Second Key\n---\n",
    "--- text after\ntitle: x\n---\n",
    "---\n---\n# empty front matter",
    "text\n---\ntitle: not front matter\n---",
    "---\ntitle: x\n  ---\n",
    "---\ntitle: x\n    ---\nmore\n---",
    # a title whose value goes on below its key: those lines are the title
    "---\ntitle: >-\n  nginx:1.25\n  guide\nlayout: x\n---\n# H1 is a heading",
    "---\ntitle: |\n\n  a\n\n  b\n\nnext: y\n---\n",
    "---\ntitle:\n  en: x\n---\n# H1 is a heading",
    "---\ntitle: a\n  b\n---\ntext",
    # TOML front matter (Hugo)
    '+++\ntitle = "Report"\n+++\n# H1 is a heading',
    "+++\ndate = 2024\n+++\n# H1 is the title",
    '+++\ntitle = "unclosed"\n\n# heading',
    '+++  \ntitle = "x"\n+++\t\ntext',
    "+++\n+++\n# empty",
    '+++\ntitle: "a YAML key"\n+++\n',
    'text\n+++\ntitle = "not front matter"\n+++',
    ' +++\ntitle = "indented"\n+++\n',
    '+++\ntitle = "x"\n +++\n+++\n# after',
    "++++\ntitle = 'four'\n++++\n",
    '+++\n# a TOML comment\ntitle = "x"\n+++\n',
    "+++ x\ntitle = 'y'\n+++\n",
    # mixed and whitespace
    "\u00a0 non-breaking space line\n\n# after",
    "text\u2003\n\u2003\n# heading",
    "para one\n\n\n\npara two",
    "",
    "\n\n\n",
    "# Title\n\n| Service | Port | Status |\n|---|---|---|\n| acme-api | 80 | PASS |\n\n- acme-x\n",
    # a fence in a nested list item ends with that item, not with the outer one
    "- a\n  - b\n    ```\n    code\n  nginx:1.25",
    "- a\n  - b\n    ```\n    code\n      ```\n    nginx:1.25",
    "2) * e\n     ```\n   a",
    "- Setup\n  - Pull\n    ```\n    docker pull x\n  Uses nginx:1.25",
    # markdown-it's front matter in a first list item: from the `--` after its first character
    "- x--\n  ```\n  ---\n  nginx:1.25",
    "- a--\n  b\n  ---\n  c",
    "- - x--\n    ```\n    ---\n    nginx:1.25",
    # more nested markers on a line than the classifier reads: markdown-it's
    "- - - - - x\n\n# title",
    # an admonition's or a content tab's marker where no block starts (from READMEs of npm
    # packages: `x === "y"` in JavaScript, `What???` in prose) is text; where one may start
    # (after indentation, `>`, a list marker) the doc is markdown-it's
    'Fetch it:\n\n```js\nif (options.hostname === "example.com") {\n    - x\n}\n```\n# h',
    'Checks `type === "file"` first\n    - not a list\n\n    code',
    "Our first beta!!! \U0001f389\n    - code\n\nWhat??? now\n    - code",
    "--- pattern: '**/????/*.txt' ---\n    - code",
    '- a === "b"\n      - c\n> x !!! note\n>     - y',
    "> !!! note\n>     - y\n",
    "- ??? tip\n      - y\n",
    '1. === "Tab"\n       - y\n',
    "\t!!! note\n\t    - y\n",
    # a table header that starts like a fence is a table
    "``` | Image\n--- | ---\n\ntext\n\n```\n\nnginx:1.25\n",
    "~~~ | a\n-|-\n\n# nginx:1.25",
]


def _check(text: str, last: int | None = None) -> bool:
    """Whether classify agrees with markdown-it on every line it claims (every line that can
    hold a mention, up to `last`); False if it declines the doc."""
    lines = text.split("\n")
    last = len(lines) if last is None else last
    claimed = classify(lines, last)
    if claimed is None:
        return False
    reference = markdown_kinds(text)
    for line in range(1, last + 1):
        if not lines[line - 1].strip(" \t>"):
            # A blank line, or a quote's (`>`), holds no mention: markdown-it counts some in
            # a list item.
            continue
        assert claimed(line) == reference(line), (line, text)
        if reference(line).value == "table":
            assert claimed.headers.get(line) == reference.headers.get(line), (line, text)
    return True


@pytest.mark.parametrize("text", CASES)
def test_classifier_agrees_with_markdown_it(text: str) -> None:
    _check(text)
    for last in range(1, text.count("\n") + 2):
        _check(text, last)


def _read_and_left(claimed: tuple[str, ...], declined: tuple[str, ...]) -> None:
    """The classifier reads each doc of `claimed` as markdown-it does, and leaves each of
    `declined` to markdown-it when it reads it whole."""
    for text in claimed:
        assert _check(text), text
    for text in declined:
        assert classify(text.split("\n"), text.count("\n")) is None, text
        _check(text)


def test_a_list_indented_with_tabs_is_read_by_the_classifier() -> None:
    """Editors that indent with tabs write nested items so (`\\t- b`), and some write a tab
    after the marker (`*\\tname`, `>\\tquoted`): a tab in a line's indentation, after a
    list marker or after a quote's `>` (which takes one column of it) is read as the
    columns markdown-it reads it as (a doc of such items took a markdown-it window each).
    Code after a marker is still left to markdown-it."""
    claimed = (
        "- a\n\t- nested\n",
        "1. a\n\t1. b\n\t\t- c\n",
        "* a\n \t* b\n\t \t* c\n",
        "- a\n\n\t```\n\tcode\n\t```\n",
        "- a\n\n\t\tcode in the item\n",
        "- a\n\t\tlazy text, no code\n",
        "- a\n  \tcontinued text\n",
        "- a\n\t| x | y |\n\t|---|---|\n\t| 1 | 2 |\n",
        "- a\n\t> quoted\n",
        "> q\n\n\t- b\n",
        "text\n\t- item\n",
        "  \tcode after two blanks and a tab\n",
        "\t\t\n- a\n",
        # a tab after a marker: the item's text starts at the next stop
        "*\t`scheme` (string)\n\n    Indicates the scheme\n\n*\t`reference` (string)\n",
        "-\ttab after a marker\n  its text\n",
        "1.\t-\tnested on the line\n",
        " -\tx\n  y\n",
        "-\t\n  an empty item's text\n",
        "*\t*\t*\n",  # a thematic break
        "text\n2.\tgoes on in the paragraph\n",
        # a tab after a quote's `>`: one column of it is the marker's blank
        ">\ttab after a quote's marker\n",
        "> git request-pull commit-id \\\n>\tgit://example.invalid/x.git\n",
        ">\t\tcode in a quote\n",
        "- a\n\t>\tb\n",
        "> -\ttab after a marker in a quote\n",
        ">\t>\tnested quotes\n",
        " > \t x\n",
    )
    declined = ("-\t\tcode after a marker\n", ">\t- a\n  lazy after the quote's list\n")
    _read_and_left(claimed, declined)


def test_lines_right_after_a_quote_are_read_by_the_classifier() -> None:
    """A quote's last paragraph goes on over the lines after it that open no block (lazy
    continuation lines: a hard-wrapped quote that lost a `>`); a line that opens a block,
    or any line after an empty `>` line, ends it. Each took a markdown-it window."""
    claimed = (
        "> a\nlazy line\n",
        "> a\n> b\nlazy one\nlazy two\n\nafter\n",
        "text\n\n> a\n> b\nlazy c\n\n| x | y |\n|---|---|\n| 1 | 2 |\n",
        "> a\nlazy\n# a heading ends it\n",
        "> a\nlazy\n- so does a list item\n",
        "> a\n2. numbered from two, even\n",
        "> a\nlazy\n```\ncode\n```\n",
        "> a\n<div>\n",
        "> a\n===\n",  # body text, no underline
        "> a\n---\n",  # a thematic break
        "> a\n| x | y |\n|---|---|\n",  # no table
        "> a\n    four columns in, no code\n",
        "> a\n<span>no HTML block of this kind</span>\n",
        ">\ntext after an empty `>` line\n",
        "> a\n>\n# h\n",
        "> # h\n# next\n",
    )
    # Left to markdown-it: a last block but a paragraph (a list item's may go on), one
    # that may be a definition, the quote going on after a lazy line, a `>` indented as
    # code (a quote's line there), a quote in a quote or in a list item.
    declined = (
        "> - a\nlazy\n",
        "> ## h\nlazy\n",
        "> ```\n> code\nlazy\n",
        "> [a]: /u\nlazy\n",
        "> [a\nb]: /u\n",
        "> a\nlazy\n> more\n",
        "> a\n    > indented\n",
        "> > a\nlazy\n",
        "- a\n  > q\n  lazy\n",
    )
    _read_and_left(claimed, declined)


def test_a_link_whose_text_goes_over_lines_is_read_by_the_classifier() -> None:
    """`[It's very\\nfast](...)` opens a paragraph: a definition's label ends at its first
    `]` with a `:` right after it, and this one does not (markdown-it read each such doc).
    A label that may end so on a later line is left to markdown-it, as is one still open
    at the end of a quote's or an item's text (a lazy line may end it)."""
    claimed = (
        "[It's very\nfast](https://example.invalid) for objects.\n",
        "[a\nb] text\n",
        "[a\n\nb]: /u\n",  # a blank line before the `]`
        "[a\nb\\]: c\n[d]\n",  # an escaped `]`, then a `[`
        "text\n\n[see the\n[docs]]: x\n",
    )
    declined = ("[a\nb]: /u\n", "[a\nb\\]\nc]: /u\n", "> [a\n> b]: /u\n", "- [a\n  b]: /u\n")
    _read_and_left(claimed, declined)


def test_an_admonition_is_read_by_the_classifier() -> None:
    """mkdocs-material's boxes (`!!! note "Title"`, `??? tip`, `???+ tip`), as the
    admonition rule of mdit-py-plugins reads them: the lines below at column 3 and the
    blanks after the marker (the marker's own indent aside), a doc of their own, up to a
    line left of it that is not blank or a second line left of it in a row; a box ends a
    paragraph or a table. Each took a markdown-it window; one in another block or in
    another box, and a content tab, still do."""
    claimed = (
        '!!! note "T"\n    # h\n    text\n\n    | a | b |\n    |---|---|\n    | 1 | 2 |\n',
        '# Title\n\n!!! warning "Ports"\n    The api uses 8080.\n\n## Next\n',
        "!!! note\n    ```\n    code\n\n    more\n    ```\n\nafter\n",
        "para\n!!! tip\n    x\nafter\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n!!! note\n    x\n",
        "  !!! note\n    x\n",
        "!!!note\n   # three columns in\n",
        "!!!  two\n     # five columns in\n",
        "???+ tip\n    - a\n",
        "!!! note\n\n\n    code after two blank lines\n",
    )
    declined = (
        "!!! note\n    !!! tip\n        x\n",
        "- a\n  !!! note\n      x\n",
        "> !!! note\n>     x\n",
        '=== "Tab"\n    x\n',
    )
    _read_and_left(claimed, declined)


def test_a_block_of_link_reference_definitions_is_read_by_the_classifier() -> None:
    """A README ends with its badges' and links' definitions: the classifier reads them
    (markdown-it read every such doc, four times as long)."""
    text = '# app-x\n\nSee [docs][d].\n\n[d]: https://example.invalid/docs "Docs"\n[e]: <x y>\n'
    assert _check(text)
    assert classify(text.split("\n"), 6) is not None
    # After definitions markdown-it surely takes, a block of its own; a label over its
    # destination; a changelog's line that it refuses (a paragraph's first line).
    for claimed in (
        "[a]: /u\nprose after\n===\n",
        "[a]:\n/u\n",
        "[a]: /u\n===\n",
        "[`rule`]: fix a crash ([#12])\n[`other`]: add a flag\n---\n",
    ):
        assert _check(claimed), claimed
    # Where markdown-it may refuse one (a parenthesis), or a title may follow on the next
    # line, the lines after them are left to it.
    for declined in ("[a]: /u)\n===\n", '[a]: /u\n"title"\n===\n', '[a]:\n"t"\n'):
        assert classify(declined.split("\n"), 2) is None, declined


def test_definitions_markdown_it_refuses_are_read_by_the_classifier() -> None:
    """Changelogs' and footnotes' lines that look like definitions and are none: the
    classifier reads them as a paragraph's first line, as markdown-it does; where the
    line after a label alone may hold its destination, or a table's header, it leaves
    the doc to markdown-it."""
    _read_and_left(
        (
            # a destination with parentheses, text after it
            "* [#764]: `render()` now reads a config\n* [#765]: b(c) d\n\n# h\n",
            # a title closed on the line, text after it
            '- [`order`]: recognize ".." as a "parent" path ([#1658])\n- [`x`]: a (b) c\n\n# h\n',
            "[a]: b) c\n---\n",  # markdown-it's destination ends at a `)` it did not open
            '[a]: (b "t") c\n===\n',  # a `(` not closed before the blank: no destination
            # a label alone, then a line whose first word would be the destination
            "[^1]:\n    We're using `npx` in the example\n    scripts.\n\n# h\n",
            "[^1]:\n\n# h\n",  # no destination
            "[a]:\n- an item\n",  # a list ends the definition: no destination either
            "[a]:\na | b\n-|-\n",  # a table does
            # a label over its destination, an anchor
            "[Fastify]:\n    #fastify-raw-server\n[Raw]: #raw\n===\n",
        ),
        (
            # the first word alone on the next line: a destination, the line a table's
            # header (a table ends the definition before it: markdown-it asks it first)
            "[x]:\nfoo|bar\n---|---\n",
            '[a]:\n/u "t\n',  # a title that goes on over lines
            "- [a]:\n  word more\n",  # a label alone in an item: the next line may be lazy
        ),
    )


def test_empty_list_items_are_read_by_the_classifier() -> None:
    """An item whose marker ends its line (a template's `1.`, `2.`, a list's `-` left to be
    filled in): its text starts on the next line, one column past the marker; over a blank
    line it holds nothing, and the list goes on with its next item only. The classifier
    reads it as markdown-it does; a line left of its text but indented as code is left."""
    _read_and_left(
        (
            "1.\n2.\n3.\n",
            "- Check the secret\n-\n- Call `res.setDraftMode`\n",
            "-\n  its text\nlazy\n",  # the text on the next line, a lazy line after it
            "-\n\n  not its text\n",  # over a blank line: nothing, then a paragraph
            "-\n\n    code\n",  # then an indented code block after the list
            "-\nnot its text\n",  # no paragraph to go on in: the list ends
            "-\n\n- b\n",
            "-\n  a\n  ===\n",  # its text a doc of its own: a setext heading
            "10.\n    x\n",
            "- a\n 1.\n",  # another kind of list
            "a\n1.\n",  # no empty item ends a paragraph
        ),
        ("   -\n    x\n",),
    )


def test_the_table_is_long_enough_and_mostly_claimed() -> None:
    assert len(CASES) >= 100
    claimed = sum(_check(text) for text in CASES)
    assert claimed >= len(CASES) // 2, claimed


_WORDS = st.sampled_from(["acme-api", "gateway", "text", "x", "`code`", "é", "✅", "a|b", "1."])
_LINE_STARTS = st.sampled_from(
    ["", " ", "  ", "   ", "    ", "\t", "# ", "## ", "- ", "* ", "+ ", "1. ", "2) ", "> ",
     "| ", "```", "~~~", "---", "===", "***", "|---|---|", "| - |", "<div>", "[a]: /u", "-",
     "<!--", "-->", "<pre>", "</pre>", "<span>", "<?x", "?>", "<!X", "<![CDATA[", "]]>", "<3",
     "[a](b) ", "[a]: ", "[a", "- [a](b) ", "- `", "- ```", "- #", "- <3 ", "- <div>", "  [a]: ",
     "  `", "  #x", "> [a](b) ", "> `"]
)  # fmt: skip
_LINE = st.builds(
    lambda start, words: start + " ".join(words), _LINE_STARTS, st.lists(_WORDS, max_size=4)
)


_INNER_BLOCKS = st.one_of(
    st.lists(_LINE, min_size=1, max_size=5).map("\n".join),
    st.builds(lambda h, r: f"| {h} | b |\n|---|---|\n| {r} | 2 |", _WORDS, _WORDS),
    st.builds(lambda c: f"```\n{c}\n```", _LINE),
    st.builds(lambda a, b: f"- {a}\n\n  {b}\n- {b}", _LINE, _LINE),
)
# A quote of any block, its lines marked alike, or each its own way (`>` with no blank,
# a quote in a quote, a blank line of the quote's).
_QUOTES = st.builds(
    lambda inner, markers: "\n".join(
        markers[index % len(markers)] + line for index, line in enumerate(inner.split("\n"))
    ),
    st.lists(_INNER_BLOCKS, min_size=1, max_size=3).map("\n\n".join),
    st.lists(st.sampled_from(["> ", ">", "> > ", ">  ", ">     "]), min_size=1, max_size=3),
)


def _item(marker: str, inner: str, shifts: list[int]) -> str:
    """A list item of `marker` holding `inner`: its lines at the item's content column,
    shifted by `shifts` in turn (left of it: a lazy line, or the item's end)."""
    first, *rest = inner.split("\n")
    lines = [marker + first]
    for index, line in enumerate(rest):
        indent = len(marker) + shifts[index % len(shifts)]
        lines.append(" " * max(indent, 0) + line if line else "")
    return "\n".join(lines)


_ITEM_MARKERS = st.sampled_from(["- ", "* ", "1. ", "10. ", "2) ", "-   ", "- - "])
_SHIFTS = st.lists(st.sampled_from([0, 0, 0, 0, 1, 2, 4, -1, -2, -3]), min_size=1, max_size=3)
_BLOCK_SEPARATORS = st.sampled_from(["\n", "\n\n"])
# List items holding any block (a quote, a nested item holding blocks too), one after the
# other: a list, or lists of different markers.
_NESTED_ITEMS = st.builds(
    _item, _ITEM_MARKERS, st.lists(_INNER_BLOCKS, min_size=1, max_size=3).map("\n\n".join), _SHIFTS
)
_ITEMS = st.lists(
    st.builds(
        _item,
        _ITEM_MARKERS,
        st.builds(
            lambda blocks, separator: separator.join(blocks),
            st.lists(st.one_of(_INNER_BLOCKS, _QUOTES, _NESTED_ITEMS), min_size=1, max_size=3),
            _BLOCK_SEPARATORS,
        ),
        _SHIFTS,
    ),
    min_size=1,
    max_size=3,
).map("\n".join)


@st.composite
def _documents(draw: st.DrawFn) -> str:
    blocks = draw(
        st.lists(
            st.one_of(
                st.lists(_LINE, min_size=1, max_size=5).map("\n".join),
                st.builds(lambda h, r: f"| {h} | b |\n|---|---|\n| {r} | 2 |", _WORDS, _WORDS),
                st.builds(lambda c: f"```\n{c}\n```", _LINE),
                _QUOTES,
                _ITEMS,
                st.builds(lambda t: f"---\ntitle: {t}\n---", _WORDS),
                st.builds(lambda t: f'+++\ntitle = "{t}"\n+++', _WORDS),
            ),
            max_size=8,
        )
    )
    separators = draw(
        st.lists(st.sampled_from(["\n", "\n\n"]), min_size=len(blocks), max_size=len(blocks))
    )
    return "".join(block + sep for block, sep in zip(blocks, separators, strict=True))


@settings(max_examples=600, deadline=None)
@given(_documents())
def test_random_markdown(text: str) -> None:
    _check(text)


def test_generated_reports() -> None:
    rng = random.Random(3)
    images = make_images(60, rng)
    claimed = 0
    for index in range(150):
        _, text = make_doc(index, rng, images, DENSE)
        claimed += _check(text)
    assert claimed >= 140, claimed  # the reports are what the classifier is made for


def test_line_kinds_defaults_to_body() -> None:
    assert LineKinds()(3).value == "body"


def test_line_soup() -> None:
    """Random lines from the pieces that open blocks, cut at a random last line."""
    rng = random.Random(5)
    starts = ["", "  ", "    ", "\t", "# ", "#", "- ", "* ", "1. ", "2) ", "1.", "> ", "> - ",
              "  - ", "    - ", "| ", "```", "~~~", "---", "===", "***", "|---|---|", "-|-",
              "<div>", "[a]: /u", "-", "  ```", "title: x", "...", "<!--", "-->", "<pre>", "+++",
              '=== "T"', '===+  "T" ', "=== T",
              "title = x",
              "</pre>", "<a b='c'>", "<?", "?>", "</span>", "<x", "[a](b)", "[a]:", "[a\\]",
              "- [a](b)", "- `x`", "- ```", "- #x", "- # x", "  [a]: ", "  `x`",
              "> [a]"]  # fmt: skip
    words = ["acme-api", "gateway", "é", "a|b", "1.", "|", "\\|", "---", "```", "#"]
    claimed = 0
    for _ in range(3000):
        lines = [
            rng.choice(starts) + " ".join(rng.choices(words, k=rng.randint(0, 3)))
            for _ in range(rng.randint(1, 12))
        ]
        claimed += _check("\n".join(lines), rng.randint(1, len(lines)))
    assert claimed > 1000, claimed


def test_skipping_to_a_mention_agrees_on_a_table_header_that_starts_like_a_fence() -> None:
    """The restarts pair the fences of the first column: `` ``` | Image `` over a delimiter
    row is a table's header (markdown-it reads a table first), and the fence further down
    opens the code the mention stands in."""
    text = "``` | Image\n--- | ---\n\n" + "text\n\n" * 6 + "```\n\nnginx:1.25\n"
    lines = text.split("\n")
    claimed = classify_lines(text, lines, [18])
    assert claimed is not None and claimed(18) == markdown_kinds(text)(18) == Kind.CODE


@pytest.mark.parametrize("text", ["> nginx:1.25\n> - <!--\n>", ">1. <!--\n>", ">*\n>   <!--\n>"])
def test_the_reference_reads_a_doc_markdown_it_fails_on_without_its_last_line_end(
    text: str,
) -> None:
    """markdown-it 4.3 raises IndexError on a quoted list item that opens HTML when the doc
    ends with `>` and no line end: the same lines with one are read."""
    assert markdown_kinds(text).kinds == markdown_kinds(text + "\n").kinds
    assert Kind.LIST in markdown_kinds(text).kinds.values()


def test_markdown_it_s_nesting_limit_is_left_to_it_when_the_doc_is_read_whole() -> None:
    """markdown-it nests 10 lists at most: the rest of the doc goes into the innermost item.
    Read whole, the classifier declines the line; a skip from above it to a restart below
    (tests/test_blocks_windows.py) does not see it, and reads the title there, as strong
    as the list item markdown-it reads."""
    text = "- - - - - - - - - - x\n\n# nginx:1.25"
    assert classify(text.split("\n"), 3) is None
    assert markdown_kinds(text)(3) is Kind.LIST


def test_a_line_of_many_nested_markers_is_left_to_markdown_it() -> None:
    """Each nested marker of a line copies the rest of it: past a few, the classifier
    declines (markdown-it stops nesting at 10 lists anyway), so a line of 100,000 markers
    is read once, by markdown-it."""
    many = ("- " * 100_000 + "nginx:1.25", "1. " * 100_000 + "x", "> " + "- " * 100_000 + "x")
    for text in many:
        assert classify(text.split("\n"), 1) is None
    assert classify(["- - - - x"], 1) is not None  # four: still the classifier's
    # With no text after them, the markers are a thematic break, in a quote too: body text.
    assert _check("> " + "- " * 100_000)


def test_list_items_holding_blocks_are_read_by_the_classifier() -> None:
    """A README's steps hold code, quotes, tables and headings: each item's text is read as a
    doc of its own (half the docs left to markdown-it were so), its blocks keep their kinds."""
    text = (
        "# Setup\n\n1. Pull it:\n\n   ```\n   docker pull acme-api\n   ```\n\n"
        "   > Note: nginx:1.25 first\n\n10. Ports:\n\n    | Port | Use |\n    |---|---|\n"
        "    | 80 | http |\n\n    #### Check\n\n        curl localhost\n    - nested\n"
        "      <details>\n      acme-api\n      </details>\n\nDone.\n"
    )
    assert _check(text)
    kinds = classify(text.split("\n"), text.count("\n") + 1)
    assert kinds is not None
    expected = {3: Kind.LIST, 6: Kind.CODE, 9: Kind.LIST, 13: Kind.TABLE, 17: Kind.HEADING}
    assert {line: kinds(line) for line in expected} == expected
    assert (kinds(19), kinds(22), kinds(25)) == (Kind.CODE, Kind.LIST, Kind.BODY)


@pytest.mark.parametrize(
    "text",
    [
        "- > " * 10_000 + "nginx:1.25",
        "> - " * 10_000 + "nginx:1.25\n# title",
        "1. > - " * 10_000 + "x\n\n# title",
        "> " * 10_000 + "# nginx:1.25",
        "- a\n\n  > b\n\n  # c\n" * 3_000,  # many items, each read once as a doc
        "".join(" " * (2 * i) + "- a\n" + " " * (2 * i + 2) + "# h\n" for i in range(300))
        + "# out",
        "".join("  " * i + "- a\n" + "  " * i + "  > b\n" for i in range(300)) + "# out",
    ],
)
def test_nesting_10_000_deep_is_read_to_a_bounded_depth(text: str) -> None:
    """Quotes and list items are read as docs of their own a few levels deep at most: a
    deeper doc is markdown-it's (which puts the rest of the doc in its tenth nested list)."""
    lines = text.split("\n")
    start = time.perf_counter()
    claimed = classify(lines, len(lines))
    assert time.perf_counter() - start < 2
    if claimed is not None:
        assert _check(text)


def test_markdown_it_s_nesting_limit_holds_in_list_items_holding_blocks() -> None:
    """Twelve nested items each holding a heading: markdown-it puts `# out` in the tenth
    nested list's item. The classifier reads so deep no doc of its own: markdown-it's."""
    text = "".join("  " * i + "- a\n" + "  " * i + "  # h\n" for i in range(12)) + "# out"
    assert markdown_kinds(text)(25) is Kind.LIST
    assert classify(text.split("\n"), 25) is None


def _every_rule() -> Any:
    """markdown-it with every rule `blocks._parser` may add, whatever the doc."""
    from markdown_it import MarkdownIt  # noqa: PLC0415
    from mdit_py_plugins.admon import admon_plugin  # noqa: PLC0415
    from mdit_py_plugins.front_matter import front_matter_plugin  # noqa: PLC0415

    every = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    every.use(blocks._toml_front_matter_plugin).use(admon_plugin).use(blocks._tabs_plugin)
    return every.disable(["inline", "text_join"])


def test_a_doc_parsed_without_the_rules_it_cannot_need_parses_the_same() -> None:
    """`_parser` leaves out the rules a doc cannot need (front matter, boxes, tabs): each
    doc's tokens are those of markdown-it with every rule."""
    every = _every_rule()
    rng = random.Random(11)
    images = make_images(30, rng)
    extra = [
        '+++\ntitle = "x"\n+++\n# a',
        '---\ntitle: x\n---\n=== "T"\n    - a',
        '!!! note "n"\n    - a\n=== "T"\n    | a | b |\n    |---|---|\n',
        "- x--\n  ```\n  ---\n  y",
        "-\n+++\n???+ tip\n    - a",
    ]
    docs = [*CASES, *extra, *(make_doc(index, rng, images, DENSE)[1] for index in range(40))]
    for doc in docs:
        text = doc + "\n"
        chosen = [(t.type, t.map) for t in blocks._parser(text).parse(text)]
        assert chosen == [(t.type, t.map) for t in every.parse(text)], text


@pytest.mark.parametrize(
    "text",
    [
        "[a\n# h\n" * 20_000,  # a label read on over the lines after it: to the next `[`
        "[a\n" + "# h\n" * 40_000,
        "> [a\n" + "> # h\n" * 40_000,
        "!!! note\n" + "    - a\n" * 40_000,
        "> a\n" + "lazy\n" * 40_000 + "# out",
        "\t- a\n" * 40_000,
        "-\t-\t" * 10_000 + "x\n",  # tabs after markers: one run of 20,000 markers
        ">\t" * 40_000 + "x\n",  # and after 40,000 quote markers
        "-\n" * 40_000,  # empty items
        "[^1]:\n" * 40_000,  # labels alone, each over the next line
        "[a]: b(" + "(" * 40_000 + " c\n",  # a destination of parentheses, refused
    ],
)
def test_the_shapes_read_over_lines_are_read_once(text: str) -> None:
    """Hostile shapes for the readers that look past a block's first line (a definition's
    label, an admonition's lines, the lines after a quote, tabs in indentation or after
    list markers, empty items, labels alone): each line is read a bounded number of
    times."""
    lines = text.split("\n")
    start = time.perf_counter()
    classify(lines, len(lines))
    classify_lines(text, lines, [len(lines) // 2, len(lines)])
    assert time.perf_counter() - start < 5  # linear: 0.1 s; twice the lines, twice the time
