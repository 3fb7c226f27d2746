#!/usr/bin/env python3
"""Check the Word/ODT import and the .docx export against independent tools.

Usage:
  python3 scripts/check-word.py DIR        check the files the Rust tests (tests/word.rs) left in DIR
  python3 scripts/check-word.py --self-test check this script's own tracked-changes logic

Needs only the standard library, lxml, pandoc, soffice (LibreOffice) and pdftotext.
Exit status: 0 when every check holds, 1 when some failed (each failure is printed on stderr),
2 on bad usage or a missing tool. The LAST line of stdout is a one-line JSON summary.

DIR may hold three subdirectories, each optional (but DIR must hold at least one file to check):

  import/NAME.docx | NAME.odt   a corpus file given to the importer
  import/NAME.imported.md       the importer's Markdown for it (required for each file above)
  import/NAME.expected.json     optional (tests/data/word/NAME.expected.json): its "headings" must
                                equal the Markdown's headings and its "phrases" appear in the text

      Oracle: pandoc's headings (`pandoc -f docx|odt -t json`, Header blocks, stringified) must
      equal the ATX headings of NAME.imported.md: same count, order, levels and texts. Ours may
      carry an extra leading number ("1.2 ") that pandoc drops (automatic heading numbering).
      pandoc 2.17 knows a .docx heading only by the style name "heading N" (not "Titre N", not
      w:outlineLvl): each .docx in which it finds no heading is converted to .odt by LibreOffice
      (one soffice run for all of them, private profile, temp dir) and pandoc's headings of that
      .odt are compared the same way (summary: "oracle_via_libreoffice"). A file in which that
      too finds no heading (or an .odt with none) is "oracle silent": listed, not a failure.

  compare/NAME.tracked.docx     the comparison of two versions, with tracked changes
  compare/NAME.old.docx         the plain export of the old version
  compare/NAME.new.docx         the plain export of the new version

      "Accept all" of NAME.tracked.docx must give the paragraphs of NAME.new.docx and "reject
      all" those of NAME.old.docx (body and table-cell paragraphs in order, then the referenced
      footnotes; see paragraphs()). The tracked file must hold revisions when old and new differ;
      the plain exports must hold none.

  export/*.docx                 plain exports

      Every .docx of export/ and compare/ is converted to PDF by LibreOffice (one soffice run
      per directory, private profile); each PDF must be non-empty and its text (pdftotext) must
      contain the first words of the document's first heading (or first paragraph).
"""

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag):
    return f"{{{W}}}{tag}"


def norm(text):
    return " ".join(unicodedata.normalize("NFKC", text).split())


class Report:
    def __init__(self):
        self.failures = []
        self.counts = {}
        self.oracle_silent = []
        self.oracle_via_libreoffice = []

    def fail(self, message):
        self.failures.append(message)

    def count(self, key, n=1):
        self.counts[key] = self.counts.get(key, 0) + n


# ---------------------------------------------------------------------------------------------
# Import: pandoc as the oracle for headings


def stringify(inlines):
    out = []
    for i in inlines:
        t, c = i["t"], i.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript"):
            out.append(stringify(c))
        elif t in ("Span", "Link", "Cite"):
            out.append(stringify(c[1] if t != "Cite" else c[1]))
        elif t == "Code":
            out.append(c[1])
        elif t == "Quoted":
            q = '"' if c[0]["t"] == "DoubleQuote" else "'"
            out.append(q + stringify(c[1]) + q)
        # Note, Image, Math, RawInline: not part of a heading's text
    return "".join(out)


def pandoc_headings(path):
    fmt = "odt" if path.endswith(".odt") else "docx"
    done = subprocess.run(["pandoc", "-f", fmt, "-t", "json", path], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"pandoc failed on {path}: {done.stderr.strip()}")
    heads = []

    def walk(x):
        if isinstance(x, dict):
            if x.get("t") == "Header":
                heads.append((x["c"][0], norm(stringify(x["c"][2]))))
                return
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(json.loads(done.stdout)["blocks"])
    return heads


ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
ESCAPABLE = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def md_inline_text(s):
    """Plain text of a Markdown heading's content."""
    s = re.sub(r"[ \t]+\{#[^}]*\}$", "", s)          # trailing {#anchor}
    s = re.sub(r"(?:^|[ \t]+)#+$", "", s)             # optional closing #s
    s = re.sub(r"(?<!\\)!?\[([^\]]*)\]\([^)]*\)", r"\1", s)  # links and images -> their text
    out, i = [], 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s) and s[i + 1] in ESCAPABLE:
            out.append(s[i + 1])
            i += 2
            continue
        if ch in "*`":
            i += 1
            continue
        if ch == "_":
            before = s[i - 1] if i else " "
            after = s[i + 1] if i + 1 < len(s) else " "
            if not (before.isalnum() and after.isalnum()):  # intra-word _ is literal
                i += 1
                continue
        out.append(ch)
        i += 1
    return norm("".join(out))


def md_headings(text):
    heads, fence = [], None
    for line in text.split("\n"):
        m = FENCE.match(line)
        if m:
            if fence is None:
                fence = m.group(1)[0] * 3
            elif m.group(1).startswith(fence):
                fence = None
            continue
        if fence:
            continue
        m = ATX.match(line)
        if m:
            heads.append((len(m.group(1)), md_inline_text(m.group(2) or "")))
    return heads


def md_plain(text):
    """The Markdown's text with markup removed enough to look phrases up in it."""
    text = re.sub(r"\\(.)", r"\1", text)
    text = re.sub(r"[*_`]", "", text)
    return norm(text)


NUMBER_PREFIX = re.compile(r"^(\d+[.)]?(\.\d+)*\.?|[IVXLC]+\.|[A-Z]\.)\s+")


def heading_matches(ours, theirs):
    if ours == theirs:
        return True
    m = NUMBER_PREFIX.match(ours)
    return bool(m) and ours[m.end():] == theirs


def compare_headings(f, ours, theirs, report, via_lo=False):
    """The oracle's check: pandoc's headings `theirs` against ours (same rules either way)."""
    report.count("import_oracle_checks")
    oracle = "pandoc (via LibreOffice .odt)" if via_lo else "pandoc"
    problems = []
    if len(ours) != len(theirs):
        problems.append(f"{oracle} finds {len(theirs)} headings, the Markdown has {len(ours)}")
    for k, (a, b) in enumerate(zip(ours, theirs)):
        if a[0] != b[0] or not heading_matches(a[1], b[1]):
            problems.append(f"heading {k + 1}: ours {a[0]} {a[1]!r}, {oracle} {b[0]} {b[1]!r}")
    if problems:
        report.fail(f"import/{f} vs {oracle}: " + "; ".join(problems[:6])
                    + (f"; ... ({len(problems)} differences)" if len(problems) > 6 else ""))
    else:
        report.count("import_oracle_matches")


def convert_to_odt(files, report):
    """Convert the .docx `files` to .odt with one soffice run (private profile) into a new temp
    dir; returns that dir (the caller removes it). A file LibreOffice could not convert is
    simply absent from it."""
    outdir = tempfile.mkdtemp(prefix="jsf-word-odt-")
    profile = tempfile.mkdtemp(prefix="jsf-lo-profile-")
    try:
        start = time.monotonic()
        done = subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "odt", "--outdir", outdir] + files,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
        seconds = time.monotonic() - start
        print(f"check-word: LibreOffice converted {len(files)} import/*.docx to ODT in {seconds:.1f} s")
        report.counts["odt_seconds_import"] = round(seconds, 1)
        if done.returncode != 0:
            report.fail(f"import: soffice (to .odt) exited {done.returncode}: {done.stdout.strip()[-500:]}")
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return outdir


def check_import(dirpath, report):
    names = sorted(f for f in os.listdir(dirpath) if f.endswith((".docx", ".odt")))
    silent = []  # (name, our headings) of the .docx in which pandoc finds no heading
    for f in names:
        report.count("import_files")
        stem = f.rsplit(".", 1)[0]
        src = os.path.join(dirpath, f)
        md_path = os.path.join(dirpath, stem + ".imported.md")
        if not os.path.exists(md_path):
            report.fail(f"import/{f}: no {stem}.imported.md beside it")
            continue
        with open(md_path, encoding="utf-8") as fh:
            md = fh.read()
        ours = md_headings(md)
        try:
            theirs = pandoc_headings(src)
        except RuntimeError as e:
            report.fail(f"import/{f}: {e}")
            continue
        if not theirs:
            if f.endswith(".docx"):
                silent.append((f, ours))  # second chance below, through LibreOffice
            else:
                report.oracle_silent.append(f)
        else:
            compare_headings(f, ours, theirs, report)
        exp_path = os.path.join(dirpath, stem + ".expected.json")
        if os.path.exists(exp_path):
            report.count("import_expected_checks")
            with open(exp_path, encoding="utf-8") as fh:
                exp = json.load(fh)
            want = [(lvl, norm(t)) for lvl, t in exp["headings"]]
            if ours != want:
                diffs = [f"{k + 1}: ours {a}, expected {b}" for k, (a, b) in enumerate(zip(ours, want)) if a != b]
                report.fail(f"import/{f} vs {stem}.expected.json: {len(ours)} headings, expected "
                            f"{len(want)}; " + "; ".join(diffs[:5]))
            plain = md_plain(md)
            missing = [p for p in exp["phrases"] if norm(p) not in plain]
            if missing:
                report.fail(f"import/{f}: phrases missing from the Markdown: {missing}")
    if not silent:
        return
    # pandoc 2.17 knows a .docx heading only by its style name "heading N"; LibreOffice also
    # goes by w:outlineLvl (French "Titre N" styles and the like) and writes text:h in .odt,
    # which pandoc reads. So such a file gets a second oracle: .docx -> LibreOffice -> .odt -> pandoc.
    outdir = convert_to_odt([os.path.join(dirpath, f) for f, _ in silent], report)
    try:
        for f, ours in silent:
            odt = os.path.join(outdir, f[: -len(".docx")] + ".odt")
            if not os.path.exists(odt) or os.path.getsize(odt) == 0:
                report.fail(f"import/{f}: LibreOffice wrote no .odt (or an empty one)")
                continue
            try:
                theirs = pandoc_headings(odt)
            except RuntimeError as e:
                report.fail(f"import/{f} (via LibreOffice .odt): {e}")
                continue
            if not theirs:
                report.oracle_silent.append(f)
            else:
                report.oracle_via_libreoffice.append(f)
                compare_headings(f, ours, theirs, report, via_lo=True)
    finally:
        shutil.rmtree(outdir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Tracked changes: accept all / reject all, as lxml transforms

MARK_SKIP = {w(t) for t in ("bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
                            "proofErr", "permStart", "permEnd")}


def _unwrap(el):
    parent = el.getparent()
    idx = parent.index(el)
    for child in list(el):
        parent.insert(idx, child)
        idx += 1
    parent.remove(el)


def _remove(el):
    el.getparent().remove(el)


def _join_marked_paragraphs(root, mark):
    """A paragraph whose mark is deleted (accept: w:del; reject: w:ins in w:pPr/w:rPr) is joined
    to the following paragraph: its content goes to the beginning of that paragraph."""
    for p in root.xpath(f"//w:p[w:pPr/w:rPr/w:{mark}]", namespaces=NS):
        if p.getparent() is None:
            continue
        nxt = p.getnext()
        while nxt is not None and nxt.tag in MARK_SKIP:
            nxt = nxt.getnext()
        if nxt is None or nxt.tag != w("p"):
            continue  # last paragraph of its container: nothing to join it to
        content = [c for c in p if c.tag != w("pPr")]
        ppr = nxt.find(w("pPr"))
        idx = 0 if ppr is None else nxt.index(ppr) + 1
        for c in content:
            nxt.insert(idx, c)
            idx += 1
        _remove(p)


def _drop_marked_rows(root, mark):
    for tr in root.xpath(f"//w:tr[w:trPr/w:{mark}]", namespaces=NS):
        _remove(tr)
    for tbl in root.xpath("//w:tbl[not(w:tr)]", namespaces=NS):
        _remove(tbl)


def _cleanup(root):
    for el in root.xpath("//w:pPrChange | //w:rPrChange | //w:sectPrChange | //w:tblPrChange | "
                         "//w:trPrChange | //w:tcPrChange | //w:tblGridChange | //w:numberingChange | "
                         "//w:moveFromRangeStart | //w:moveFromRangeEnd | //w:moveToRangeStart | "
                         "//w:moveToRangeEnd", namespaces=NS):
        _remove(el)


def accept_all(root):
    root = copy.deepcopy(root)
    _join_marked_paragraphs(root, "del")
    _drop_marked_rows(root, "del")
    # markers of inserted paragraph marks and rows are simply accepted
    for el in root.xpath("//w:pPr/w:rPr/w:ins | //w:trPr/w:ins | //w:pPr/w:rPr/w:moveTo", namespaces=NS):
        _remove(el)
    for el in root.xpath("//w:del | //w:moveFrom", namespaces=NS):
        _remove(el)
    for el in root.xpath("//w:ins | //w:moveTo", namespaces=NS):
        _unwrap(el)
    _cleanup(root)
    return root


def reject_all(root):
    root = copy.deepcopy(root)
    _join_marked_paragraphs(root, "ins")
    _drop_marked_rows(root, "ins")
    for el in root.xpath("//w:pPr/w:rPr/w:del | //w:trPr/w:del | //w:pPr/w:rPr/w:moveFrom", namespaces=NS):
        _remove(el)
    for el in root.xpath("//w:ins | //w:moveTo", namespaces=NS):
        _remove(el)
    for el in root.xpath("//w:del | //w:moveFrom", namespaces=NS):
        _unwrap(el)
    for el in root.xpath("//w:delText", namespaces=NS):
        el.tag = w("t")
    for el in root.xpath("//w:delInstrText", namespaces=NS):
        el.tag = w("instrText")
    _cleanup(root)
    return root


def count_revisions(root):
    return len(root.xpath("//w:ins | //w:del | //w:moveFrom | //w:moveTo", namespaces=NS))


# ---------------------------------------------------------------------------------------------
# Paragraph text


def _paragraph_text(p, note_ordinal):
    out = []
    for el in p.iter(w("t"), w("tab"), w("br"), w("cr"), w("footnoteReference"), w("noBreakHyphen")):
        # only this paragraph's own text, not that of a nested one (text box)
        anc = el.getparent()
        while anc is not None and anc.tag != w("p"):
            anc = anc.getparent()
        if anc is not p:
            continue
        if el.tag == w("t"):
            out.append(el.text or "")
        elif el.getparent().tag != w("r"):
            continue  # w:tab in w:tabs (tab stops) and the like
        elif el.tag == w("tab"):
            out.append("\t")
        elif el.tag in (w("br"), w("cr")):
            out.append("\n")
        elif el.tag == w("noBreakHyphen"):
            out.append("-")
        else:
            out.append(f"[^{note_ordinal(el.get(w('id')))}]")
    return "".join(out)


def paragraphs(document, footnotes=None):
    """Paragraph texts in document order (body and table cells), then the text of each
    referenced footnote in reference order as "[^n]: text" (further paragraphs of a note follow
    as they are). Empty paragraphs are dropped."""
    refs = []

    def note_ordinal(note_id):
        refs.append(note_id)
        return len(refs)

    body = document.find(w("body"))
    out = []
    for p in body.iter(w("p")):
        text = _paragraph_text(p, note_ordinal)
        if text.strip():
            out.append(text)
    if footnotes is not None:
        notes = {n.get(w("id")): n for n in footnotes.findall(w("footnote"))}
        for n, note_id in enumerate(refs, start=1):
            note = notes.get(note_id)
            if note is None:
                out.append(f"[^{n}]: <missing footnote id {note_id}>")
                continue
            texts = [_paragraph_text(p, lambda _id: "?") for p in note.iter(w("p"))]
            texts = [t.strip() for t in texts if t.strip()]
            if texts:
                out.append(f"[^{n}]: " + texts[0])
                out.extend(texts[1:])
            else:
                out.append(f"[^{n}]:")
    return out


def read_docx(path):
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        doc = etree.fromstring(z.read("word/document.xml"))
        notes = etree.fromstring(z.read("word/footnotes.xml")) if "word/footnotes.xml" in names else None
    return doc, notes


def first_difference(got, want, label):
    lines = [f"{label}: {len(got)} paragraphs, expected {len(want)}"]
    shown = 0
    for k in range(max(len(got), len(want))):
        a = got[k] if k < len(got) else None
        b = want[k] if k < len(want) else None
        if a != b:
            lines.append(f"    paragraph {k + 1}: got {a!r}\n    {' ' * len(str(k + 1))}  expected {b!r}")
            shown += 1
            if shown == 3:
                break
    return "\n".join(lines)


def check_compare(dirpath, report):
    tracked = sorted(f for f in os.listdir(dirpath) if f.endswith(".tracked.docx"))
    for f in tracked:
        stem = f[: -len(".tracked.docx")]
        report.count("compare_files")
        paths = {k: os.path.join(dirpath, f"{stem}.{k}.docx") for k in ("tracked", "old", "new")}
        missing = [os.path.basename(p) for p in paths.values() if not os.path.exists(p)]
        if missing:
            report.fail(f"compare/{f}: missing {', '.join(missing)}")
            continue
        try:
            t_doc, t_notes = read_docx(paths["tracked"])
            o_doc, o_notes = read_docx(paths["old"])
            n_doc, n_notes = read_docx(paths["new"])
        except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as e:
            report.fail(f"compare/{stem}: cannot read: {e}")
            continue
        old, new = paragraphs(o_doc, o_notes), paragraphs(n_doc, n_notes)
        accepted = paragraphs(accept_all(t_doc), accept_all(t_notes) if t_notes is not None else None)
        rejected = paragraphs(reject_all(t_doc), reject_all(t_notes) if t_notes is not None else None)
        report.count("compare_checks", 2)
        if accepted != new:
            report.fail(first_difference(accepted, new, f"compare/{stem}: accept all revisions != {stem}.new.docx"))
        if rejected != old:
            report.fail(first_difference(rejected, old, f"compare/{stem}: reject all revisions != {stem}.old.docx"))
        revisions = count_revisions(t_doc) + (count_revisions(t_notes) if t_notes is not None else 0)
        if old != new and revisions == 0:
            report.fail(f"compare/{stem}: old and new differ but {f} holds no revision (w:ins/w:del)")
        for k in ("old", "new"):
            d, n = (o_doc, o_notes) if k == "old" else (n_doc, n_notes)
            plain_revs = count_revisions(d) + (count_revisions(n) if n is not None else 0)
            if plain_revs:
                report.fail(f"compare/{stem}.{k}.docx: a plain export holds {plain_revs} revisions")


# ---------------------------------------------------------------------------------------------
# PDF through LibreOffice


def first_words(path, n=4):
    """First words of the first heading (outline level or Heading/Titre style), else of the first
    paragraph, taken from text unchanged by tracked changes."""
    doc, _ = read_docx(path)
    acc, rej = accept_all(doc), reject_all(doc)
    acc_p = acc.find(w("body")).findall(f".//{w('p')}")
    rej_texts = set(norm(t) for t in paragraphs(rej))
    first = None
    for p in acc_p:
        text = norm(_paragraph_text(p, lambda _id: ""))
        if not text or text not in rej_texts:
            continue
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        sval = style.get(w("val")) if style is not None else ""
        if re.match(r"(Heading|Titre|Title)", sval or "") or p.find(f"{w('pPr')}/{w('outlineLvl')}") is not None:
            return " ".join(text.split()[:n])
        if first is None:
            first = " ".join(text.split()[:n])
    return first


def check_pdf(dirpath, label, report):
    files = sorted(os.path.join(dirpath, f) for f in os.listdir(dirpath) if f.endswith(".docx"))
    if not files:
        return
    outdir = tempfile.mkdtemp(prefix="jsf-word-pdf-")
    profile = tempfile.mkdtemp(prefix="jsf-lo-profile-")
    try:
        start = time.monotonic()
        done = subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", outdir] + files,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
        seconds = time.monotonic() - start
        print(f"check-word: LibreOffice converted {len(files)} {label}/*.docx to PDF in {seconds:.1f} s")
        report.counts[f"pdf_seconds_{label}"] = round(seconds, 1)
        if done.returncode != 0:
            report.fail(f"{label}: soffice exited {done.returncode}: {done.stdout.strip()[-500:]}")
        for src in files:
            report.count("pdf_files")
            name = os.path.basename(src)
            pdf = os.path.join(outdir, name[:-5] + ".pdf")
            if not os.path.exists(pdf) or os.path.getsize(pdf) == 0:
                report.fail(f"{label}/{name}: LibreOffice wrote no PDF (or an empty one)")
                continue
            text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True,
                                  text=True).stdout
            try:
                words = first_words(src)
            except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as e:
                report.fail(f"{label}/{name}: cannot read: {e}")
                continue
            if words is None:
                report.fail(f"{label}/{name}: the document has no text")
            elif norm(words) not in norm(text):
                report.fail(f"{label}/{name}: the PDF's text lacks {words!r} (starts {norm(text)[:120]!r})")
            else:
                report.count("pdf_text_checks")
    finally:
        shutil.rmtree(outdir, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)


# ---------------------------------------------------------------------------------------------


def run_checks(root):
    report = Report()
    found = False
    for sub, fn in (("import", check_import), ("compare", check_compare)):
        d = os.path.join(root, sub)
        if os.path.isdir(d):
            fn(d, report)
    for sub in ("export", "compare"):
        d = os.path.join(root, sub)
        if os.path.isdir(d):
            check_pdf(d, sub, report)
    found = any(report.counts.get(k) for k in ("import_files", "compare_files", "pdf_files"))
    if not found:
        report.fail(f"{root}: nothing to check (no import/, compare/ or export/ files)")
    return report


def summary(report):
    s = dict(report.counts)
    s["oracle_silent"] = report.oracle_silent
    s["oracle_via_libreoffice"] = report.oracle_via_libreoffice
    s["failures"] = len(report.failures)
    return json.dumps(s, ensure_ascii=False, sort_keys=True)


def require_tools():
    missing = [t for t in ("pandoc", "soffice", "pdftotext") if shutil.which(t) is None]
    if missing:
        print(f"check-word: missing tools: {', '.join(missing)} (scripts/install-tools.sh test)", file=sys.stderr)
        sys.exit(2)


def main():
    if len(sys.argv) != 2:
        print("usage: check-word.py DIR | --self-test", file=sys.stderr)
        sys.exit(2)
    require_tools()
    if sys.argv[1] == "--self-test":
        sys.exit(self_test())
    root = sys.argv[1]
    if not os.path.isdir(root):
        print(f"check-word: {root} is not a directory", file=sys.stderr)
        sys.exit(2)
    report = run_checks(root)
    for f in report.failures:
        print(f"check-word: FAIL {f}", file=sys.stderr)
    if report.oracle_silent:
        print(f"check-word: pandoc finds no heading in {', '.join(report.oracle_silent)} (oracle silent)")
    if report.oracle_via_libreoffice:
        print(f"check-word: headings of {', '.join(report.oracle_via_libreoffice)} checked through "
              "LibreOffice (.docx -> .odt -> pandoc)")
    print(summary(report))
    sys.exit(1 if report.failures else 0)


# ---------------------------------------------------------------------------------------------
# Self-test: hand-written fixtures, built with zipfile only

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
%s</Types>"""
FOOTNOTES_CT = ('<Override PartName="/word/footnotes.xml" ContentType="application/'
                'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>\n')
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
%s</Relationships>"""
FOOTNOTES_REL = ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/footnotes" Target="footnotes.xml"/>\n')
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
<w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Titre2"><w:name w:val="Titre 2"/><w:basedOn w:val="Normal"/>
<w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>
<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
</w:styles>"""
REV = 'w:id="{id}" w:author="JeSaisFaire" w:date="2024-03-01T00:00:00Z"'


def make_docx(path, body, footnotes=None):
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}" '
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
           f'<w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    # unique revision ids
    counter = iter(range(1, 10000))
    doc = re.sub(r"\{rev\}", lambda _m: REV.format(id=next(counter)), doc)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES % (FOOTNOTES_CT if footnotes else ""))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("word/_rels/document.xml.rels", DOC_RELS % (FOOTNOTES_REL if footnotes else ""))
        z.writestr("word/document.xml", doc)
        z.writestr("word/styles.xml", STYLES)
        if footnotes:
            notes = "".join(
                f'<w:footnote w:id="{nid}"><w:p><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                f'<w:footnoteRef/></w:r>{content}</w:p></w:footnote>' for nid, content in footnotes)
            notes = re.sub(r"\{rev\}", lambda _m: REV.format(id=next(counter)), notes)
            z.writestr("word/footnotes.xml",
                       f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W}">'
                       '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                       '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                       f'</w:r></w:p></w:footnote>{notes}</w:footnotes>')


def r(text):
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def rd(text):
    return f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r>'


def ins(*runs):
    return "<w:ins {rev}>" + "".join(runs) + "</w:ins>"


def dele(*runs):
    return "<w:del {rev}>" + "".join(runs) + "</w:del>"


def p(*content, style=None, mark=None):
    ppr = ""
    if style or mark:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "")
        ppr += f"<w:rPr><w:{mark} {{rev}}/></w:rPr>" if mark else ""
        ppr += "</w:pPr>"
    return f"<w:p>{ppr}{''.join(content)}</w:p>"


def tr(*cells, mark=None):
    trpr = f"<w:trPr><w:{mark} {{rev}}/></w:trPr>" if mark else ""
    return f"<w:tr>{trpr}" + "".join(f"<w:tc><w:p>{c}</w:p></w:tc>" for c in cells) + "</w:tr>"


def tbl(*rows):
    return ('<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="4000"/>'
            '<w:gridCol w:w="4000"/></w:tblGrid>' + "".join(rows) + "</w:tbl>")


def fref(nid):
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{nid}"/></w:r>'


def self_test_fixtures(d):
    """compare/ (old, new, tracked, and a wrong tracked), import/ and export/ fixtures."""
    comp = os.path.join(d, "compare")
    os.makedirs(comp)
    heading = p(r("1 Objet du marché"), style="Heading1")
    old_body = (
        heading
        + p(r("Le titulaire assure la maintenance "), r("annuelle"), r(" des chaudières."), fref(1))
        + p(r("Paragraphe supprimé dans la nouvelle version."))
        + p(r("Première partie"))
        + p(r("seconde partie."))
        + tbl(tr(r("Équipement"), r("Fréquence")), tr(r("Chaudière"), r("Annuelle")))
        + p(r("Dernier paragraphe avec\ttabulation."))
    )
    new_body = (
        heading
        + p(r("Le titulaire assure la maintenance "), r("semestrielle"), r(" des chaudières."), fref(1))
        + p(r("Un nouveau paragraphe est ajouté."), fref(2))
        + p(r("Première partie seconde partie."))
        + tbl(tr(r("Équipement"), r("Fréquence")), tr(r("Chaudière"), r("Annuelle")),
              tr(r("Groupe froid"), r("Semestrielle")))
        + p(r("Dernier paragraphe avec\ttabulation."))
    )
    tracked_body = (
        heading
        # a word replaced inside a paragraph
        + p(r("Le titulaire assure la maintenance "), dele(rd("annuelle")), ins(r("semestrielle")),
            r(" des chaudières."), fref(1))
        # a wholly inserted paragraph (runs and mark), with a new footnote
        + p(ins(r("Un nouveau paragraphe est ajouté."), fref(2)), mark="ins")
        # a wholly deleted paragraph (runs and mark)
        + p(dele(rd("Paragraphe supprimé dans la nouvelle version.")), mark="del")
        # two paragraphs joined: the first one's mark deleted
        + p(r("Première partie"), ins(r(" ")), mark="del")
        + p(r("seconde partie."))
        # an inserted table row
        + tbl(tr(r("Équipement"), r("Fréquence")), tr(r("Chaudière"), r("Annuelle")),
              tr(ins(r("Groupe froid")), ins(r("Semestrielle")), mark="ins"))
        + p(r("Dernier paragraphe avec\ttabulation."))
    )
    note1_old = [(1, r(" Selon le carnet d'entretien du constructeur."))]
    note1_new = [(1, r(" Selon le carnet d'entretien et les préconisations du constructeur.")),
                 (2, r(" Note ajoutée."))]
    note1_tracked = [(1, r(" Selon le carnet d'entretien ") + ins(r("et les préconisations ")) + r("du constructeur.")),
                     (2, ins(r(" Note ajoutée.")))]
    make_docx(os.path.join(comp, "cvc.old.docx"), old_body, note1_old)
    make_docx(os.path.join(comp, "cvc.new.docx"), new_body, note1_new)
    make_docx(os.path.join(comp, "cvc.tracked.docx"), tracked_body, note1_tracked)
    # A wrong comparison: the row insertion is missing and the replaced word is only inserted.
    wrong_body = tracked_body.replace(dele(rd("annuelle")), "").replace(
        tr(ins(r("Groupe froid")), ins(r("Semestrielle")), mark="ins"), "")
    bad = os.path.join(d, "bad", "compare")
    os.makedirs(bad)
    make_docx(os.path.join(bad, "cvc.old.docx"), old_body, note1_old)
    make_docx(os.path.join(bad, "cvc.new.docx"), new_body, note1_new)
    make_docx(os.path.join(bad, "cvc.tracked.docx"), wrong_body, note1_tracked)
    # the same without any revision
    make_docx(os.path.join(bad, "plain.old.docx"), old_body, note1_old)
    make_docx(os.path.join(bad, "plain.new.docx"), new_body, note1_new)
    make_docx(os.path.join(bad, "plain.tracked.docx"), new_body, note1_new)
    # import/: a file with Heading 1 (pandoc sees it) and the importer's Markdown for it
    imp = os.path.join(d, "import")
    os.makedirs(imp)
    make_docx(os.path.join(imp, "titres.docx"),
              p(r("1 Objet du marché"), style="Heading1") + p(r("Texte de l'objet."))
              + p(r("2 Durée "), r("du marché"), style="Heading1") + p(r("Un an.")))
    with open(os.path.join(imp, "titres.imported.md"), "w") as f:
        f.write("# 1 Objet du *marché* {#objet}\n\nTexte de l'objet.\n\n```\n# pas un titre\n```\n\n"
                "# 2 Durée du marché\n\nUn an.\n")
    # French-named heading style only (w:outlineLvl 1): pandoc misses it, LibreOffice does not
    make_docx(os.path.join(imp, "titres-fr.docx"),
              p(r("1.1 Définitions"), style="Titre2") + p(r("Texte.")) + p(r("1.2 Portée"), style="Titre2"))
    with open(os.path.join(imp, "titres-fr.imported.md"), "w") as f:
        f.write("## 1.1 Définitions\n\nTexte.\n\n## 1.2 Portée\n")
    make_docx(os.path.join(imp, "sans-titre.docx"), p(r("Article 1 – Objet")) + p(r("Texte.")))
    with open(os.path.join(imp, "sans-titre.imported.md"), "w") as f:
        f.write("## Article 1 – Objet\n\nTexte.\n")
    bad_imp = os.path.join(d, "bad", "import")
    os.makedirs(bad_imp)
    shutil.copy(os.path.join(imp, "titres.docx"), bad_imp)
    with open(os.path.join(bad_imp, "titres.imported.md"), "w") as f:
        f.write("# 1 Objet du marché\n\n## 2 Durée du marché\n")
    shutil.copy(os.path.join(imp, "titres-fr.docx"), bad_imp)
    with open(os.path.join(bad_imp, "titres-fr.imported.md"), "w") as f:
        f.write("## 1.1 Définitions\n\nTexte.\n\n### 1.2 Portée\n")
    return comp, os.path.join(d, "bad")


def self_test():
    problems, checks = [], []

    def expect(cond, what):
        checks.append(what)
        print(f"self-test: {'ok  ' if cond else 'FAIL'} {what}")
        if not cond:
            problems.append(what)

    # unit checks of the Markdown side
    expect(md_headings("# A *b* {#x}\n```\n# no\n```\n## C\\_d __e__ snake_case\n#NoSpace\n") ==
           [(1, "A b"), (2, "C_d e snake_case")], "Markdown headings: anchors, fences, escapes, emphasis")
    expect(heading_matches("1.2 Titre", "Titre") and not heading_matches("Titre", "1.2 Titre"),
           "a leading number that pandoc lacks is accepted")

    with tempfile.TemporaryDirectory(prefix="jsf-check-word-") as d:
        comp, bad = self_test_fixtures(d)
        t_doc, t_notes = read_docx(os.path.join(comp, "cvc.tracked.docx"))
        acc = paragraphs(accept_all(t_doc), accept_all(t_notes))
        rej = paragraphs(reject_all(t_doc), reject_all(t_notes))
        expect(acc == [
            "1 Objet du marché",
            "Le titulaire assure la maintenance semestrielle des chaudières.[^1]",
            "Un nouveau paragraphe est ajouté.[^2]",
            "Première partie seconde partie.",
            "Équipement", "Fréquence", "Chaudière", "Annuelle", "Groupe froid", "Semestrielle",
            "Dernier paragraphe avec\ttabulation.",
            "[^1]: Selon le carnet d'entretien et les préconisations du constructeur.",
            "[^2]: Note ajoutée.",
        ], f"accept all: {acc}")
        expect(rej == [
            "1 Objet du marché",
            "Le titulaire assure la maintenance annuelle des chaudières.[^1]",
            "Paragraphe supprimé dans la nouvelle version.",
            "Première partie", "seconde partie.",
            "Équipement", "Fréquence", "Chaudière", "Annuelle",
            "Dernier paragraphe avec\ttabulation.",
            "[^1]: Selon le carnet d'entretien du constructeur.",
        ], f"reject all: {rej}")
        # a table whose rows were all inserted vanishes on reject
        whole = etree.fromstring(
            f'<w:document xmlns:w="{W}"><w:body>'
            + re.sub(r"\{rev\}", REV.format(id=1), tbl(tr(ins(r("A")), mark="ins"), tr(ins(r("B")), mark="ins")))
            + "</w:body></w:document>")
        expect(reject_all(whole).find(f".//{w('tbl')}") is None and paragraphs(accept_all(whole)) == ["A", "B"],
               "a wholly inserted table vanishes on reject, stays on accept")

        report = run_checks(d)
        print(summary(report))
        for f in report.failures:
            print(f"self-test: unexpected failure: {f}")
        expect(not report.failures, "the good fixtures pass (tracked changes, pandoc oracle, PDF)")
        expect(report.oracle_silent == ["sans-titre.docx"], "a file without styled headings is oracle silent")
        expect(report.oracle_via_libreoffice == ["titres-fr.docx"],
               "a file with French-named heading styles is checked through LibreOffice (.odt)")
        expect(report.counts.get("pdf_text_checks") == 3, "three PDFs made and read back")

        bad_report = Report()
        check_compare(os.path.join(bad, "compare"), bad_report)
        check_import(os.path.join(bad, "import"), bad_report)
        msgs = "\n".join(bad_report.failures)
        expect(any("cvc: accept all" in m for m in bad_report.failures), "a missing row insertion is caught (accept)")
        expect(any("cvc: reject all" in m for m in bad_report.failures), "a missing deletion is caught (reject)")
        expect(any("plain.tracked.docx holds no revision" in m for m in bad_report.failures),
               "a comparison without revisions is caught")
        expect(any("titres.docx vs pandoc" in m and "heading 2" in m for m in bad_report.failures),
               "a wrong heading level is caught")
        expect(any("titres-fr.docx vs pandoc (via LibreOffice .odt)" in m and "heading 2" in m
                   for m in bad_report.failures), "a wrong heading level is caught through LibreOffice")
        if problems:
            print("self-test: the failures reported on the bad fixtures were:\n" + msgs)
    print(json.dumps({"self_test_checks": len(checks), "failures": len(problems)}))
    return 1 if problems else 0


if __name__ == "__main__":
    main()
