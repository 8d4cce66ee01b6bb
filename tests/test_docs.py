"""The README and the docs/ pages: size, links and anchors, and the model table.

The README stays short (under 15,000 bytes) and links the docs/ pages, which
hold the long material. Every relative link in README.md and docs/*.md must
point at a file that exists and, when it has a `#fragment`, at a heading of
that file (GitHub's anchors). The README's model table must list exactly the
registered models, with the registry's class, paper year, arXiv number and
data kinds, so adding a model without its row fails here.
"""

import re
from pathlib import Path

import pytest

import keras_gan_zoo

pytestmark = pytest.mark.neutral

REPO_ROOT = Path(__file__).resolve().parents[1]
README = REPO_ROOT / "README.md"
DOCS = REPO_ROOT / "docs"
README_MAX_BYTES = 15_000

# An inline link or image: [text](target) or [text](target "title").
_LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*)?\)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def markdown_files():
    return [README, *sorted(DOCS.glob("*.md"))]


def without_code_blocks(text):
    """`text` without its fenced code blocks (a `# comment` there is not a heading)."""
    lines, in_fence = [], False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            lines.append(line)
    return "\n".join(lines)


def without_code(text):
    """`text` without code blocks and inline code spans: a link there is not a link."""
    return re.sub(r"`[^`]*`", "", without_code_blocks(text))


def github_slug(heading):
    """The anchor GitHub gives a heading: its rendered text lowercased, punctuation
    other than `-` and `_` dropped, each space a hyphen."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link renders as its text
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def heading_anchors(text):
    """The anchors of a Markdown file's headings, repeated names numbered as GitHub does."""
    anchors, seen = set(), {}
    for line in without_code_blocks(text).splitlines():
        match = re.match(r" {0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        slug = github_slug(match.group(1))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def broken_links(path):
    """The relative links of the Markdown file `path` that lead nowhere, with why."""
    problems = []
    for target in _LINK.findall(without_code(path.read_text(encoding="utf-8"))):
        if _SCHEME.match(target):
            continue  # https:, mailto: ...: not checked offline
        file_part, _, fragment = target.partition("#")
        if file_part.startswith("/"):
            destination = REPO_ROOT / file_part.lstrip("/")
        else:
            destination = (path.parent / file_part) if file_part else path
        if not destination.exists():
            problems.append(f"{target}: {destination.relative_to(REPO_ROOT)} does not exist")
            continue
        if fragment:
            if destination.suffix != ".md":
                problems.append(f"{target}: a #fragment into a file that is not Markdown")
            elif fragment not in heading_anchors(destination.read_text(encoding="utf-8")):
                problems.append(f"{target}: {destination.name} has no heading #{fragment}")
    return list(dict.fromkeys(problems))  # a link repeated in a file is named once


def model_table_rows(readme_text):
    """{name: [class, paper, data]} from the table in the README's "Models" section."""
    section = re.search(r"^## Models\s*$(.*?)(?=^## |\Z)", readme_text, re.M | re.S)
    assert section, "README.md has no '## Models' section"
    rows = {}
    for line in section.group(1).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or cells[0] == "name" or set(cells[0]) <= set("-: "):
            continue
        name = cells[0].strip("`")
        assert name not in rows, f"the model table lists {name!r} twice"
        rows[name] = cells[1:]
    return rows


def test_github_slugs():
    # Anchors GitHub gives these headings (checked against rendered READMEs).
    assert github_slug("`fit` in ten lines") == "fit-in-ten-lines"
    assert github_slug("Checkpoints, saving and resume") == "checkpoints-saving-and-resume"
    assert (
        github_slug("Mode-collapse benchmark (2D mixtures of Gaussians)")
        == "mode-collapse-benchmark-2d-mixtures-of-gaussians"
    )
    assert github_slug("A - B [link](x.md)") == "a---b-link"
    assert heading_anchors("# Notes\n```\n# not a heading\n```\n## Notes\n") == {
        "notes",
        "notes-1",
    }


def test_readme_is_short():
    size = README.stat().st_size
    assert size < README_MAX_BYTES, (
        f"README.md is {size:,} bytes; keep it under {README_MAX_BYTES:,} and move the "
        "long material to a docs/ page it links"
    )


@pytest.mark.parametrize("path", markdown_files(), ids=lambda path: path.name)
def test_relative_links_resolve(path):
    problems = broken_links(path)
    assert not problems, f"{path.relative_to(REPO_ROOT)}: " + "; ".join(problems)


def test_readme_links_every_docs_page():
    linked = {
        (REPO_ROOT / target.partition("#")[0]).resolve()
        for target in _LINK.findall(without_code(README.read_text(encoding="utf-8")))
        if not _SCHEME.match(target)
    }
    unlinked = [page.name for page in sorted(DOCS.glob("*.md")) if page.resolve() not in linked]
    assert not unlinked, f"README.md does not link docs/ pages {unlinked}"


def test_docs_pages_start_with_a_title_and_a_one_line_summary():
    for page in sorted(DOCS.glob("*.md")):
        lines = page.read_text(encoding="utf-8").splitlines() + ["", "", ""]
        assert lines[0].startswith("# "), f"docs/{page.name} must start with a '# Title' line"
        assert lines[1] == "" and lines[2].strip() and lines[3] == "", (
            f"docs/{page.name}: after the title, a one-line summary between blank lines"
        )


def test_readme_model_table_matches_the_registry():
    rows = model_table_rows(README.read_text(encoding="utf-8"))
    registered = keras_gan_zoo.list_models()
    missing = [name for name in registered if name not in rows]
    extra = [name for name in rows if name not in registered]
    assert not missing and not extra, (
        f"README.md's model table lacks rows for {missing} and has rows for unregistered "
        f"{extra}; one row per keras_gan_zoo.list_models() name"
    )
    for name, (class_cell, paper_cell, data_cell) in rows.items():
        entry = keras_gan_zoo.get_model_entry(name)
        expected_class = f"`{entry.model_class.__name__}`"
        assert class_cell == expected_class, (
            f"{name}: class {class_cell}, registered {expected_class}"
        )
        kinds = ", ".join(entry.data_kinds) + (", with labels" if entry.labels else "")
        assert data_cell == kinds, f"{name}: data {data_cell!r}, registered {kinds!r}"
        year = re.search(r"\b(19|20)\d\d\b", entry.paper).group()
        assert year in paper_cell, f"{name}: the paper cell {paper_cell!r} lacks the year {year}"
        arxiv = re.search(r"arXiv:(\d{4}\.\d{4,5})", entry.paper)
        if arxiv:
            assert arxiv.group(1) in paper_cell, f"{name}: {paper_cell!r} lacks {arxiv.group()}"
