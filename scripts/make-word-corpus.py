#!/usr/bin/env python3
"""(Re)generate the Word/ODT import corpus in tests/data/word/.

Usage: python3 scripts/make-word-corpus.py [OUTDIR]      (default: tests/data/word)

Needs python-docx (1.2.0), lxml and LibreOffice (`soffice`, 7.4 from Debian 12). The texts are in
scripts/word_corpus_content.py; see tests/data/word/README.md for what each file exercises.
The python-docx files are byte-for-byte the same on every run; the files LibreOffice converts
differ only by the timestamps and ids it writes into them.

For every NAME.docx / NAME.odt it writes NAME.expected.json:
  {"headings": [[level, text], ...], "phrases": [...], "tables": N, "footnotes": N, "losses": [...]}
"""

import base64
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from xml.sax.saxutils import escape, quoteattr

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from word_corpus_content import DOCUMENTS  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# ---------------------------------------------------------------------------------------------
# Parsing the notation of word_corpus_content.py

INLINE = re.compile(
    r"\*\*(?P<b>.+?)\*\*|\*(?P<i>.+?)\*|\^\[(?P<fn>.+?)\]|\[(?P<a>[^\]]+)\]\((?P<url>https://[^)]+)\)"
)


def parse_inline(text):
    """-> list of (kind, text[, url]) with kind in plain, b, i, fn, a."""
    out, pos = [], 0
    for m in INLINE.finditer(text):
        if m.start() > pos:
            out.append(("plain", text[pos:m.start()]))
        if m.group("b") is not None:
            out.append(("b", m.group("b")))
        elif m.group("i") is not None:
            out.append(("i", m.group("i")))
        elif m.group("fn") is not None:
            out.append(("fn", m.group("fn")))
        else:
            out.append(("a", m.group("a"), m.group("url")))
        pos = m.end()
    if pos < len(text):
        out.append(("plain", text[pos:]))
    return out


def parse_document(source):
    """-> list of blocks: ("h", level, text) ("p", inl) ("li", kind, level, inl)
    ("table", rows of inl) ("image",) ("textbox", text) ("comment", text)."""
    blocks = []
    for line in source.strip("\n").split("\n"):
        if not line.strip():
            continue
        m = re.match(r"(#{1,6}) (.*)", line)
        if m:
            blocks.append(("h", len(m.group(1)), m.group(2)))
            continue
        m = re.match(r"( *)(-|\d+\.) (.*)", line)
        if m:
            kind = "ul" if m.group(2) == "-" else "ol"
            blocks.append(("li", kind, len(m.group(1)) // 2 + 1, parse_inline(m.group(3))))
            continue
        if line.startswith("|"):
            cells = [parse_inline(c.strip()) for c in line.strip().strip("|").split("|")]
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(cells)
            else:
                blocks.append(("table", [cells]))
            continue
        if line == "@image":
            blocks.append(("image",))
            continue
        m = re.match(r"@(textbox|comment) (.*)", line)
        if m:
            blocks.append((m.group(1), m.group(2)))
            continue
        blocks.append(("p", parse_inline(line)))
    return blocks


def list_groups(blocks):
    """Yields blocks, with consecutive list items grouped as ("list", [li, ...])."""
    group = []
    for b in blocks:
        if b[0] == "li":
            group.append(b)
            continue
        if group:
            yield ("list", group)
            group = []
        yield b
    if group:
        yield ("list", group)


# ---------------------------------------------------------------------------------------------
# Expected results


def plain(inl, with_notes=False):
    return "".join(s[1] for s in inl if s[0] != "fn" or with_notes)


WORD = re.compile(r"^[^\W_]+$")


def phrase_in(text, n=4):
    """First run of n words made of letters and digits only, or None."""
    words = text.split()
    for k in range(0, len(words) - n + 1):
        window = words[k:k + n]
        if all(WORD.match(w) for w in window):
            return " ".join(window)
    return None


def expected(blocks, kind):
    headings, cands = [], {"p": [], "li": [], "cell": [], "fn": []}
    counters = [0] * 6
    tables = footnotes = 0
    losses = set()
    for b in blocks:
        if b[0] == "h":
            level, text = b[1], b[2]
            if kind == "docx-autonum":
                counters[level - 1] += 1
                counters[level:] = [0] * (6 - level)
                text = ".".join(str(c) for c in counters[:level]) + " " + text
            headings.append([level, text])
            continue
        inls = []
        if b[0] == "p":
            inls = [("p", b[1])]
        elif b[0] == "li":
            inls = [("li", b[3])]
        elif b[0] == "table":
            tables += 1
            inls = [("cell", c) for row in b[1][1:] for c in row]
        elif b[0] == "image":
            losses.add("image")
        elif b[0] == "textbox":
            losses.add("text_box")
        elif b[0] == "comment":
            losses.add("comment")
        for cat, inl in inls:
            for seg in inl:
                if seg[0] == "fn":
                    footnotes += 1
                    cands["fn"].append(seg[1])
                elif seg[0] == "plain":
                    cands[cat].append(seg[1])
    phrases = []

    def take(cat, start=0):
        for n in ((3,) if cat == "cell" else (4, 3)):
            for text in cands[cat][start:]:
                p = phrase_in(text, n)
                if p and p not in phrases:
                    phrases.append(p)
                    return

    take("p", len(cands["p"]) // 2)
    take("li")
    take("cell")
    take("fn")
    for text in cands["p"][1:]:  # [0] is the cover line, the same in every file
        if len(phrases) >= 5:
            break
        p = phrase_in(text, 5)
        if p and p not in phrases:
            phrases.append(p)
    assert len(phrases) >= 3, phrases
    return {
        "headings": headings,
        "phrases": phrases,
        "tables": tables,
        "footnotes": footnotes,
        "losses": sorted(losses),
    }


def expected_json(exp):
    """JSON with one heading per line, for readable diffs."""
    def dump(v):
        return json.dumps(v, ensure_ascii=False)
    heads = ",\n  ".join(dump(h) for h in exp["headings"])
    phrases = ",\n  ".join(dump(p) for p in exp["phrases"])
    return (f'{{\n "headings": [\n  {heads}\n ],\n "phrases": [\n  {phrases}\n ],\n'
            f' "tables": {exp["tables"]},\n "footnotes": {exp["footnotes"]},\n "losses": {dump(exp["losses"])}\n}}\n')


# ---------------------------------------------------------------------------------------------
# A small PNG, made here


def png_bytes(width=48, height=24):
    rows = b""
    for y in range(height):
        row = b"\x00"
        for x in range(width):
            blue = (x // 6 + y // 6) % 2
            row += bytes((20, 90, 160) if blue else (235, 235, 235))
        rows += row

    def chunk(tag, data):
        c = tag + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


# ---------------------------------------------------------------------------------------------
# .docx with python-docx

EXTRA_STYLES = """
<w:styles %s>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/>
  <w:link w:val="FootnoteTextChar"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="character" w:customStyle="1" w:styleId="FootnoteTextChar"><w:name w:val="Footnote Text Char"/>
  <w:basedOn w:val="DefaultParagraphFont"/><w:link w:val="FootnoteText"/><w:uiPriority w:val="99"/>
  <w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>
  <w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/>
  <w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:color w:val="0563C1" w:themeColor="hyperlink"/><w:u w:val="single"/></w:rPr></w:style>
</w:styles>""" % nsdecls("w")

# Lists: one abstract numbering for bullets and one for numbers, two levels each; each list of
# the document gets its own w:num (numbers restart at 1, as Word does for a new list).
LIST_ABSTRACTS = """
<w:numbering %s>
<w:abstractNum w:abstractNumId="20"><w:multiLevelType w:val="hybridMultilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2013"/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="21"><w:multiLevelType w:val="hybridMultilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%%1."/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%%2)"/><w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="22"><w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading1"/><w:suff w:val="space"/>
    <w:lvlText w:val="%%1"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading2"/><w:suff w:val="space"/>
    <w:lvlText w:val="%%1.%%2"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading3"/><w:suff w:val="space"/>
    <w:lvlText w:val="%%1.%%2.%%3"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>
</w:abstractNum>
</w:numbering>""" % nsdecls("w")

HEADING_NUM_ID = 40


class DocxWriter:
    def __init__(self, kind):
        self.kind = kind
        self.doc = docx.Document()
        self.footnotes = []  # inline lists
        self.next_num_id = 50
        self.last_paragraph = None
        self.shape_id = 1
        self._setup_styles()
        self._setup_numbering()
        core = self.doc.core_properties
        core.author = "Service de la commande publique"
        core.title = ""
        import datetime
        core.created = core.modified = datetime.datetime(2024, 3, 1, 9, 0, 0)
        core.last_modified_by = "Service de la commande publique"
        core.revision = 1

    # -- styles and numbering
    def _setup_styles(self):
        styles = self.doc.styles.element
        for s in parse_xml(EXTRA_STYLES):
            styles.append(s)
        if self.kind == "docx-fr":
            # As Word and LibreOffice in French write them: styleId Titre1, name "Titre 1".
            ids = {f"Heading{n}": f"Titre{n}" for n in (1, 2, 3)}
            ids.update({f"Heading{n}Char": f"Titre{n}Car" for n in (1, 2, 3)})
            for s in styles.iterchildren(qn("w:style")):
                sid = s.get(qn("w:styleId"))
                if sid in ids:
                    s.set(qn("w:styleId"), ids[sid])
                    name = s.find(qn("w:name"))
                    name.set(qn("w:val"), ids[sid].replace("Titre", "Titre ").replace("Car", " Car"))
                for tag in ("w:basedOn", "w:next", "w:link"):
                    el = s.find(qn(tag))
                    if el is not None and el.get(qn("w:val")) in ids:
                        el.set(qn("w:val"), ids[el.get(qn("w:val"))])
            for n in (1, 2, 3):
                st = styles.xpath(f'w:style[@w:styleId="Titre{n}"]')[0]
                assert st.find(qn("w:pPr")).find(qn("w:outlineLvl")).get(qn("w:val")) == str(n - 1)
        if self.kind == "docx-autonum":
            for n in (1, 2, 3):
                ppr = styles.xpath(f'w:style[@w:styleId="Heading{n}"]/w:pPr')[0]
                numpr = parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{n - 1}"/>'
                                  f'<w:numId w:val="{HEADING_NUM_ID}"/></w:numPr>')
                ppr.find(qn("w:keepLines")).addnext(numpr)

    def _setup_numbering(self):
        self.numbering = self.doc.part.numbering_part.element
        first_num = self.numbering.find(qn("w:num"))
        for a in parse_xml(LIST_ABSTRACTS):
            first_num.addprevious(a)
        if self.kind == "docx-autonum":
            self._add_num(HEADING_NUM_ID, 22)

    def _add_num(self, num_id, abstract, restart=False):
        over = ('<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
                if restart else "")
        self.numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>{over}</w:num>'))

    # -- inline content
    def _runs(self, paragraph, inl, bold_all=False):
        for seg in inl:
            if seg[0] == "fn":
                self.footnotes.append(seg[1])
                r = paragraph.add_run()
                r._r.append(parse_xml(f'<w:rPr {nsdecls("w")}><w:rStyle w:val="FootnoteReference"/></w:rPr>'))
                r._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{len(self.footnotes)}"/>'))
            elif seg[0] == "a":
                rid = paragraph.part.relate_to(seg[2], RT.HYPERLINK, is_external=True)
                paragraph._p.append(parse_xml(
                    f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}" w:history="1"><w:r><w:rPr>'
                    f'<w:rStyle w:val="Hyperlink"/></w:rPr><w:t xml:space="preserve">{escape(seg[1])}</w:t>'
                    '</w:r></w:hyperlink>'))
            else:
                r = paragraph.add_run(seg[1])
                if seg[0] == "b" or bold_all:
                    r.bold = True
                if seg[0] == "i":
                    r.italic = True

    # -- blocks
    def heading(self, level, text):
        if self.kind == "docx-article":
            p = self.doc.add_paragraph()
            p.paragraph_format.space_before = Pt(12)
            p.paragraph_format.keep_with_next = True
            self._runs(p, [("plain", text)], bold_all=True)
        else:
            style = f"Titre {level}" if self.kind == "docx-fr" else f"Heading {level}"
            p = self.doc.add_paragraph(text, style=style)
        self.last_paragraph = p

    def paragraph(self, inl):
        p = self.doc.add_paragraph()
        self._runs(p, inl)
        self.last_paragraph = p

    def list(self, items):
        num_ids = {}
        for _, kind, level, inl in items:
            if kind not in num_ids:
                num_ids[kind] = self.next_num_id
                self._add_num(self.next_num_id, 20 if kind == "ul" else 21, restart=kind == "ol")
                self.next_num_id += 1
            p = self.doc.add_paragraph(style="List Paragraph")
            p._p.pPr.find(qn("w:pStyle")).addnext(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level - 1}"/><w:numId w:val="{num_ids[kind]}"/></w:numPr>'))
            self._runs(p, inl)
            self.last_paragraph = p

    def table(self, rows):
        t = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        t.style = "Table Grid"
        for i, row in enumerate(rows):
            for j, inl in enumerate(row):
                p = t.cell(i, j).paragraphs[0]
                self._runs(p, inl, bold_all=(i == 0))
        # the header row repeats on each page, as in a real CCTP
        trpr = t.rows[0]._tr.get_or_add_trPr()
        trpr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        self.doc.add_paragraph()  # Word puts an empty paragraph between a table and what follows

    def image(self):
        self.doc.add_paragraph().add_run().add_picture(io.BytesIO(png_bytes()), width=Cm(3))

    def comment(self, text):
        runs = self.last_paragraph.runs
        c = self.doc.add_comment(runs[0], text=text, author="Anne Relectrice", initials="AR")
        c._comment_elm.set(qn("w:date"), "2024-03-04T10:00:00Z")  # python-docx writes the time of the run

    def textbox(self, text):
        sid = self.shape_id
        self.shape_id += 1
        p = self.doc.add_paragraph()
        p._p.append(parse_xml(
            f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml" '
            'xmlns:o="urn:schemas-microsoft-com:office:office"><w:pict>'
            f'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            f'<v:shape id="Zone de texte {sid}" o:spid="_x0000_s10{25 + sid}" type="#_x0000_t202" '
            'style="width:360pt;height:48pt;mso-wrap-style:square" strokeweight="1pt">'
            f'<v:textbox><w:txbxContent><w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
            '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))

    def save(self, path):
        if self.footnotes:
            self._write_footnotes()
        buf = io.BytesIO()
        self.doc.save(buf)
        # Same bytes on every run: rewrite the zip with a fixed timestamp on each entry.
        with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 3, 1, 9, 0, 0)),
                             src.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)

    def _write_footnotes(self):
        notes = [f'<w:footnotes {nsdecls("w", "r")}>',
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
                 'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
                 '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
                 'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>']
        for n, text in enumerate(self.footnotes, start=1):
            notes.append(
                f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
                '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>')
        notes.append("</w:footnotes>")
        blob = "".join(notes).encode("utf-8")
        blob = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + blob
        part = Part(PackURI("/word/footnotes.xml"),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                    blob, self.doc.part.package)
        self.doc.part.relate_to(part, RT.FOOTNOTES)


def write_docx(path, kind, blocks):
    w = DocxWriter(kind)
    for b in list_groups(blocks):
        if b[0] == "h":
            w.heading(b[1], b[2])
        elif b[0] == "p":
            w.paragraph(b[1])
        elif b[0] == "list":
            w.list(b[1])
        elif b[0] == "table":
            w.table(b[1])
        elif b[0] == "image":
            w.image()
        elif b[0] == "comment":
            w.comment(b[1])
        elif b[0] == "textbox":
            w.textbox(b[1])
    w.save(path)


# ---------------------------------------------------------------------------------------------
# Flat ODT

FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><meta:initial-creator>Service de la commande publique</meta:initial-creator>
 <meta:creation-date>2024-03-01T09:00:00</meta:creation-date></office:meta>
<office:font-face-decls>
 <style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'" style:font-family-generic="roman"/>
 <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph"><style:text-properties style:font-name="Liberation Serif" fo:font-size="12pt" fo:language="fr" fo:country="FR"/></style:default-style>
 <style:style style:name="Standard" style:family="paragraph" style:class="text"/>
 <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
  <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.247cm"/></style:style>
 <style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text">
  <style:paragraph-properties fo:margin-top="0.423cm" fo:margin-bottom="0.212cm" fo:keep-with-next="always"/>
  <style:text-properties style:font-name="Liberation Sans" fo:font-size="14pt"/></style:style>
 <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="1" style:class="text">
  <style:text-properties fo:font-size="130%" fo:font-weight="bold"/></style:style>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="2" style:class="text">
  <style:text-properties fo:font-size="115%" fo:font-weight="bold"/></style:style>
 <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="3" style:class="text">
  <style:text-properties fo:font-size="101%" fo:font-weight="bold"/></style:style>
 <style:style style:name="List_20_Paragraph" style:display-name="List Paragraph" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="list"/>
 <style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
  <style:text-properties fo:font-size="10pt"/></style:style>
 <style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"/>
 <style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra">
  <style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="Internet_20_link" style:display-name="Internet link" style:family="text">
  <style:text-properties fo:color="#000080" style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>
 <text:outline-style style:name="Outline">
  <text:outline-level-style text:level="1" style:num-format=""/>
  <text:outline-level-style text:level="2" style:num-format=""/>
  <text:outline-level-style text:level="3" style:num-format=""/>
 </text:outline-style>
 <text:notes-configuration text:note-class="footnote" style:num-format="1" text:start-value="0" text:footnotes-position="page" text:start-numbering-at="document"/>
</office:styles>
<office:automatic-styles>
 <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="T2" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
 <style:style style:name="Tab1" style:family="table"><style:table-properties style:width="16cm" table:align="margins"/></style:style>
 <style:style style:name="Tab1.A1" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/></style:style>
 <style:style style:name="fr1" style:family="graphic" style:parent-style-name="Graphics"/>
 <style:style style:name="fr2" style:family="graphic"><style:graphic-properties fo:border="0.5pt solid #000000" fo:padding="0.2cm" style:wrap="none" style:vertical-pos="top" style:horizontal-pos="center" style:horizontal-rel="paragraph"/></style:style>
 <text:list-style style:name="L1">
  <text:list-level-style-bullet text:level="1" text:bullet-char="\u2022"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.635cm" fo:margin-left="1.27cm"/></style:list-level-properties></text:list-level-style-bullet>
  <text:list-level-style-bullet text:level="2" text:bullet-char="\u2013"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.635cm" fo:margin-left="1.905cm"/></style:list-level-properties></text:list-level-style-bullet>
 </text:list-style>
 <text:list-style style:name="L2">
  <text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.635cm" fo:margin-left="1.27cm"/></style:list-level-properties></text:list-level-style-number>
  <text:list-level-style-number text:level="2" style:num-suffix=")" style:num-format="a"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.635cm" fo:margin-left="1.905cm"/></style:list-level-properties></text:list-level-style-number>
 </text:list-style>
</office:automatic-styles>
<office:body><office:text>
"""

FODT_TAIL = "</office:text></office:body></office:document>\n"


class FodtWriter:
    def __init__(self):
        self.out = []
        self.notes = 0
        self.tables = 0
        self.frames = 0
        self.pending_comment = None

    def inline(self, inl):
        s = []
        for seg in inl:
            if seg[0] == "plain":
                s.append(escape(seg[1]))
            elif seg[0] == "b":
                s.append(f'<text:span text:style-name="T1">{escape(seg[1])}</text:span>')
            elif seg[0] == "i":
                s.append(f'<text:span text:style-name="T2">{escape(seg[1])}</text:span>')
            elif seg[0] == "a":
                s.append(f'<text:a xlink:type="simple" xlink:href={quoteattr(seg[2])} '
                         f'text:style-name="Internet_20_link">{escape(seg[1])}</text:a>')
            else:
                self.notes += 1
                n = self.notes
                s.append(f'<text:note text:id="ftn{n}" text:note-class="footnote"><text:note-citation>{n}'
                         f'</text:note-citation><text:note-body><text:p text:style-name="Footnote">'
                         f'{escape(seg[1])}</text:p></text:note-body></text:note>')
        return "".join(s)

    def heading(self, level, text):
        self.out.append(f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">'
                        f'{escape(text)}</text:h>\n')

    def paragraph(self, inl):
        self.out.append(f'<text:p text:style-name="Text_20_body">{self.inline(inl)}</text:p>\n')

    def comment(self, text):
        # an annotation anchored at the start of the previous paragraph
        last = self.out[-1]
        i = last.index(">") + 1
        note = ('<office:annotation><dc:creator>Anne Relectrice</dc:creator><dc:date>2024-03-04T10:00:00'
                f'</dc:date><text:p>{escape(text)}</text:p></office:annotation>')
        self.out[-1] = last[:i] + note + last[i:]

    def list(self, items):
        # nested text:list inside the last list-item of the outer list
        def render(k, level):
            style = "L1" if items[k][1] == "ul" else "L2"
            parts = [f'<text:list text:style-name="{style}">' if level == 1 else "<text:list>"]
            while k < len(items) and items[k][2] >= level:
                if items[k][2] == level:
                    parts.append(f'<text:list-item><text:p text:style-name="List_20_Paragraph">'
                                 f'{self.inline(items[k][3])}</text:p>')
                    k += 1
                    if k < len(items) and items[k][2] > level:
                        sub, k = render(k, level + 1)
                        parts.append(sub)
                    parts.append("</text:list-item>")
            parts.append("</text:list>")
            return "".join(parts), k

        k = 0
        while k < len(items):
            s, k = render(k, 1)
            self.out.append(s + "\n")

    def table(self, rows):
        self.tables += 1
        name = f"Tableau{self.tables}"
        cols = len(rows[0])
        out = [f'<table:table table:name="{name}" table:style-name="Tab1">'
               f'<table:table-column table:number-columns-repeated="{cols}"/>']

        def row(cells, para_style):
            r = ["<table:table-row>"]
            for inl in cells:
                r.append('<table:table-cell table:style-name="Tab1.A1" office:value-type="string">'
                         f'<text:p text:style-name="{para_style}">{self.inline(inl)}</text:p></table:table-cell>')
            r.append("</table:table-row>")
            return "".join(r)

        out.append("<table:table-header-rows>" + row(rows[0], "Table_20_Heading") + "</table:table-header-rows>")
        for cells in rows[1:]:
            out.append(row(cells, "Table_20_Contents"))
        out.append("</table:table>\n")
        self.out.append("".join(out))

    def image(self):
        self.frames += 1
        data = base64.b64encode(png_bytes()).decode()
        self.out.append(
            f'<text:p text:style-name="Standard"><draw:frame draw:style-name="fr1" draw:name="Image{self.frames}" '
            'text:anchor-type="as-char" svg:width="3cm" svg:height="1.5cm" draw:z-index="0"><draw:image>'
            f'<office:binary-data>{data}</office:binary-data></draw:image></draw:frame></text:p>\n')

    def textbox(self, text):
        self.frames += 1
        self.out.append(
            f'<text:p text:style-name="Standard"><draw:frame draw:style-name="fr2" draw:name="Cadre{self.frames}" '
            'text:anchor-type="paragraph" svg:width="12cm" draw:z-index="1"><draw:text-box fo:min-height="1cm">'
            f'<text:p text:style-name="Standard">{escape(text)}</text:p></draw:text-box></draw:frame></text:p>\n')

    def text(self):
        return FODT_HEAD + "".join(self.out) + FODT_TAIL


def write_fodt(path, blocks):
    w = FodtWriter()
    for b in list_groups(blocks):
        if b[0] == "h":
            w.heading(b[1], b[2])
        elif b[0] == "p":
            w.paragraph(b[1])
        elif b[0] == "list":
            w.list(b[1])
        elif b[0] == "table":
            w.table(b[1])
        elif b[0] == "image":
            w.image()
        elif b[0] == "comment":
            w.comment(b[1])
        elif b[0] == "textbox":
            w.textbox(b[1])
    with open(path, "w", encoding="utf-8") as f:
        f.write(w.text())


def soffice_convert(sources, fmt, outdir, profile):
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", fmt, "--outdir", outdir] + sources
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    if done.returncode != 0:
        sys.exit(f"make-word-corpus: soffice failed ({done.returncode}):\n{done.stdout}")


# ---------------------------------------------------------------------------------------------


def main():
    outdir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "data", "word"))
    os.makedirs(outdir, exist_ok=True)
    srcdir = os.path.join(outdir, "sources")
    os.makedirs(srcdir, exist_ok=True)
    for f in os.listdir(outdir):
        if f.endswith((".docx", ".odt", ".expected.json")):
            os.remove(os.path.join(outdir, f))
    for f in os.listdir(srcdir):
        if f.endswith(".fodt"):
            os.remove(os.path.join(srcdir, f))

    fodts = []
    for name, (kind, source) in DOCUMENTS.items():
        blocks = parse_document(source)
        exp = expected_json(expected(blocks, kind))
        if kind == "fodt":
            src = os.path.join(srcdir, name + ".fodt")
            write_fodt(src, blocks)
            fodts.append(src)
            outputs = [name + ".odt", name + "-lo.docx"]
        else:
            write_docx(os.path.join(outdir, name + ".docx"), kind, blocks)
            outputs = [name + ".docx"]
        for out in outputs:
            with open(os.path.join(outdir, os.path.splitext(out)[0] + ".expected.json"), "w") as f:
                f.write(exp)
    # The ODT half: one soffice run per output format, with a private profile.
    profile = tempfile.mkdtemp(prefix="jsf-lo-profile-")
    try:
        soffice_convert(fodts, "odt", outdir, profile)
        soffice_convert(fodts, "docx:MS Word 2007 XML", outdir, profile)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    for src in fodts:
        base = os.path.splitext(os.path.basename(src))[0]
        for ext in (".odt", ".docx"):
            if not os.path.exists(os.path.join(outdir, base + ext)):
                sys.exit(f"make-word-corpus: LibreOffice did not write {base}{ext}")
        # NAME.docx from LibreOffice becomes NAME-lo.docx: NAME.expected.json belongs to NAME.odt
        os.replace(os.path.join(outdir, base + ".docx"), os.path.join(outdir, base + "-lo.docx"))
    print(f"make-word-corpus: wrote {len(DOCUMENTS) + len(fodts)} files to {outdir}")


if __name__ == "__main__":
    main()
