use super::markdown_in;
use super::package::{self, parse};
use super::*;
use crate::domain::spec::Specification;
use proptest::prelude::*;

const SAMPLE: &str = "# CCTP — Maintenance des ascenseurs

Préambule avec un lien vers [Légifrance](https://www.legifrance.gouv.fr/) et du **gras**.

## 1. Objet {#objet-du-marche}

Le titulaire assure la *maintenance préventive* et **corrective**[^a] des appareils.

- premier point avec un astérisque * isolé
- second point
  - sous-point 5_a et des `codes`
- troisième

1. étape une
2. étape deux

## 2 Prix

| Prestation | Prix | Note |
| --- | --- | --- |
| Visite | 120 € | a \\| b |
| **Dépannage** | 80 € |  |

# Titre en double

Texte 1.

# Titre en double

12. n'est pas une liste ici ; & entité &amp; brute <b>balise</b> et \\*échappé\\* et ~~barré~~.

> Une citation du code.

Ligne avec un saut  \\
dure.

Du code avec un accent grave : `` a`b `` et ``` x``y ```.

[^a]: Selon la norme NF EN 13306.
";

/// Blocks of both texts, compared in a form that ignores what Markdown does not distinguish
/// (list instance numbers, footnote indices: notes by their text).
fn comparable(markdown: &str) -> Vec<String> {
    let spec = Specification::parse(markdown);
    let parsed = markdown_in::read(markdown, &spec);
    let inline_text = |inlines: &[Inline]| -> String {
        inlines
            .iter()
            .map(|i| match i {
                Inline::Text(t, s) => format!(
                    "{t}{}{}{}{}{:?}|",
                    s.bold as u8, s.italic as u8, s.strike as u8, s.code as u8, s.link
                ),
                Inline::Break => "<br>".into(),
                Inline::Note(n) => format!("[^{}]", plain_text(&parsed.notes[*n])),
            })
            .collect()
    };
    parsed
        .sections
        .iter()
        .flat_map(|s| s.blocks.iter().map(move |b| (s.id.clone(), b)))
        .map(|(id, b)| match b {
            Block::Heading {
                level,
                inlines,
                id: heading_id,
            } => format!("{id:?} h{level} {heading_id:?} {}", inline_text(inlines)),
            Block::Paragraph { kind, inlines } => format!("{id:?} p{kind:?} {}", inline_text(inlines)),
            Block::Item {
                ordered,
                depth,
                inlines,
                ..
            } => format!("{id:?} i{ordered}{depth} {}", inline_text(inlines)),
            Block::Table { rows } => format!(
                "{id:?} t {}",
                rows.iter()
                    .flatten()
                    .map(|c| inline_text(c))
                    .collect::<Vec<_>>()
                    .join("¦")
            ),
            Block::Rule => format!("{id:?} rule"),
        })
        .collect()
}

fn cover() -> Cover {
    Cover {
        title: "Maintenance des ascenseurs".into(),
        lines: vec!["Version 2".into()],
    }
}

#[test]
fn a_version_comes_back_from_word_with_the_same_clauses_text_formatting_and_ids() {
    let docx = version_docx(SAMPLE, &Specification::parse(SAMPLE), &cover());
    let imported = import(&docx).expect("our own export imports");
    assert!(imported.losses.is_empty(), "{:?}", imported.losses);
    let (before, after) = (Specification::parse(SAMPLE), Specification::parse(&imported.markdown));
    let ids = |s: &Specification| {
        s.clauses
            .iter()
            .map(|c| (c.id.clone(), c.label(), c.level))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&before), ids(&after), "{}", imported.markdown);
    assert_eq!(after.clauses[4].id, "titre-en-double-2");
    // The cover page is left out: the text is the same, block by block.
    let (expected, got) = (comparable(SAMPLE), comparable(&imported.markdown));
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g, e);
    }
    assert_eq!(got.len(), expected.len());
}

#[test]
fn hostile_or_broken_files_get_a_message_and_nothing_else() {
    assert_eq!(import(b"du texte"), Err(WordError::NotAWordFile));
    let mut compound = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    assert_eq!(import(&compound), Err(WordError::NotAWordFile));
    compound.extend("EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()));
    assert_eq!(import(&compound), Err(WordError::Protected));
    assert!(matches!(import(b"PK\x03\x04 tronque"), Err(WordError::Corrupt(_))));
    assert!(matches!(
        import(&vec![0; MAX_FILE_BYTES + 1]),
        Err(WordError::TooLarge(_))
    ));

    let docx = |document: &str| {
        package::write(&[
            ("[Content_Types].xml", b"<Types/>".to_vec()),
            ("word/document.xml", document.as_bytes().to_vec()),
        ])
    };
    // Entities (the « billion laughs ») and external ones: no DTD is read at all.
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"#;
    assert!(matches!(import(&docx(laughs)), Err(WordError::Corrupt(_))));
    let external = r#"<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"#;
    assert!(matches!(import(&docx(external)), Err(WordError::Corrupt(_))));
    // A zip bomb: 60 MB of one paragraph, a few dozen kilobytes compressed.
    let bomb = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>"#,
        "a".repeat(60 * 1024 * 1024)
    );
    let bomb = docx(&bomb);
    assert!(bomb.len() < MAX_FILE_BYTES / 10, "{}", bomb.len());
    assert_eq!(import(&bomb), Err(WordError::TooComplex));
    // Too many entries.
    let names: Vec<String> = (0..2_100).map(|i| format!("media/{i}.bin")).collect();
    let parts: Vec<(&str, Vec<u8>)> = names.iter().map(|n| (n.as_str(), Vec::new())).collect();
    assert_eq!(import(&package::write(&parts)), Err(WordError::TooComplex));
    // An encrypted OpenDocument.
    let odt = package::write(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text".to_vec()),
        ("META-INF/manifest.xml", br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#.to_vec()),
        ("content.xml", b"\x00\x01binary".to_vec()),
    ]);
    assert_eq!(import(&odt), Err(WordError::Protected));
    // A document without text.
    let empty = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p/></w:body></w:document>"#;
    assert_eq!(import(&docx(empty)), Err(WordError::Empty));
    // Every message is French and says what to do.
    for error in [
        WordError::TooLarge(12 << 20),
        WordError::NotAWordFile,
        WordError::Protected,
        WordError::TooComplex,
        WordError::Corrupt("x".into()),
    ] {
        let message = error.to_string();
        assert!(message.to_lowercase().contains("enregistr"), "{message}");
    }
}

#[test]
fn headings_are_found_by_style_name_in_several_languages_and_by_their_numbering() {
    for (name, level) in [
        ("heading 1", Some(1)),
        ("Heading 3", Some(3)),
        ("Titre 2", Some(2)),
        ("Titre2", Some(2)),
        ("Überschrift 4", Some(4)),
        ("Heading_20_2", Some(2)),
        ("Titre", None),
        ("Normal", None),
        ("heading 9", None),
    ] {
        assert_eq!(heading_level_of_style_name(name), level, "{name}");
    }
    for (text, level) in [
        ("Article 3 – Objet du marché", Some(2)),
        ("ARTICLE 4 : Durée", Some(2)),
        ("Article 3.2 Modalités", Some(3)),
        ("Article premier - Objet", Some(2)),
        ("CHAPITRE II – Prestations", Some(1)),
        ("Article 3 : le titulaire s'engage à respecter les délais.", None),
        ("Articles du code", None),
        ("L'article 5 précise", None),
    ] {
        assert_eq!(numbered_heading_level(text), level, "{text}");
    }
}

/// Paragraph texts of a `.docx` once every revision is accepted (or rejected), as Word does it:
/// what is deleted (inserted) goes, a deleted (inserted) paragraph mark joins its paragraph to
/// the next, a deleted (inserted) row goes. Empty paragraphs are dropped.
fn resolved_paragraphs(docx: &[u8], accept: bool) -> Vec<String> {
    let mut package = package::Package::open(docx).unwrap();
    let xml = package.text("word/document.xml").unwrap().unwrap();
    let doc = parse(&xml, "document").unwrap();
    let (gone, kept_mark) = if accept { ("del", "ins") } else { ("ins", "del") };
    let _ = kept_mark;
    let mut paragraphs: Vec<String> = Vec::new();
    let mut joining = String::new();
    fn text(node: roxmltree::Node, gone: &str, out: &mut String) {
        for c in node.children().filter(|c| c.is_element()) {
            match c.tag_name().name() {
                n if n == gone => {}
                "pPr" | "rPr" | "trPr" => {}
                "t" | "delText" => out.push_str(c.text().unwrap_or("")),
                "br" if c.attribute(("http://schemas.openxmlformats.org/wordprocessingml/2006/main", "type"))
                    != Some("page") =>
                {
                    out.push('\n')
                }
                "footnoteReference" => out.push_str("[^]"),
                _ => text(c, gone, out),
            }
        }
    }
    for p in doc.descendants().filter(|n| n.tag_name().name() == "p") {
        let in_gone_row = p.ancestors().any(|a| {
            a.tag_name().name() == "tr"
                && a.children()
                    .any(|c| c.tag_name().name() == "trPr" && c.children().any(|m| m.tag_name().name() == gone))
        });
        let in_note = p.ancestors().any(|a| a.tag_name().name() == "footnote");
        if in_gone_row || in_note {
            continue;
        }
        let mut line = std::mem::take(&mut joining);
        text(p, gone, &mut line);
        let mark_gone = p.children().any(|c| {
            c.tag_name().name() == "pPr"
                && c.children()
                    .any(|r| r.tag_name().name() == "rPr" && r.children().any(|m| m.tag_name().name() == gone))
        });
        if mark_gone {
            joining = line;
            continue;
        }
        if !line.is_empty() {
            paragraphs.push(line);
        }
    }
    if !joining.is_empty() {
        paragraphs.push(joining);
    }
    paragraphs
}

/// Two raw texts compared as the command line does: ids carried from the old one first.
fn comparison(old: &str, old_cover: &Cover, new: &str, new_cover: &Cover) -> Vec<u8> {
    let old_spec = Specification::parse(old);
    let mut new_spec = Specification::parse(new);
    crate::domain::spec::carry_ids(&old_spec, &mut new_spec);
    comparison_docx(
        Side {
            markdown: old,
            spec: &old_spec,
            cover: old_cover,
        },
        Side {
            markdown: new,
            spec: &new_spec,
            cover: new_cover,
        },
        "2026-12-02T10:00:00Z",
    )
}

fn assert_tracked_changes_resolve(old: &str, new: &str) {
    let old_cover = Cover {
        title: "Nettoyage".into(),
        lines: vec!["Version 1, publiée le 2 novembre 2026".into()],
    };
    let new_cover = Cover {
        title: "Nettoyage".into(),
        lines: vec!["Version 2, publiée le 2 décembre 2026".into()],
    };
    let tracked = comparison(old, &old_cover, new, &new_cover);
    let accepted = resolved_paragraphs(&tracked, true);
    let rejected = resolved_paragraphs(&tracked, false);
    let plain = |text: &str, cover: &Cover| {
        let mut spec = Specification::parse(text);
        crate::domain::spec::carry_ids(&Specification::parse(old), &mut spec);
        resolved_paragraphs(&version_docx(text, &spec, cover), true)
    };
    let (plain_new, plain_old) = (plain(new, &new_cover), plain(old, &old_cover));
    assert_eq!(accepted, plain_new, "accepting every revision gives the new version");
    assert_eq!(rejected, plain_old, "rejecting every revision gives the old version");
}

#[test]
fn accepting_every_tracked_change_gives_the_new_version_and_rejecting_them_the_old_one() {
    let new = SAMPLE
        .replace("*maintenance préventive*", "*maintenance préventive et curative*")
        .replace("- second point\n", "")
        .replace("| Visite | 120 € |", "| Visite annuelle | 130 € |")
        .replace("Texte 1.", "Texte 1 modifié.\n\nUn paragraphe ajouté.")
        .replace("Selon la norme NF EN 13306.", "Selon la norme NF EN 13306 (2018).")
        + "\n## 3 Clause nouvelle\n\nAvec son texte.\n";
    assert_tracked_changes_resolve(SAMPLE, &new);
    // A clause moved, one removed, a heading renamed.
    let moved = SAMPLE.replace("## 2 Prix", "## 2 Prix et révision");
    let (head, tail) = moved.split_at(moved.find("# Titre en double").unwrap());
    let (first_double, rest) = tail.split_at(tail[2..].find("# Titre en double").unwrap() + 2);
    let reordered = format!("{head}{rest}\n{first_double}");
    assert_tracked_changes_resolve(SAMPLE, &reordered);
    assert_tracked_changes_resolve(SAMPLE, "Tout est remplacé.\n");
    assert_tracked_changes_resolve("", SAMPLE);
}

#[test]
fn the_tracked_changes_are_real_revisions_by_jesaisfaire_dated_at_publication() {
    let new = SAMPLE.replace("des appareils", "de tous les appareils");
    let tracked = comparison(SAMPLE, &cover(), &new, &cover());
    let mut package = package::Package::open(&tracked).unwrap();
    let xml = package.text("word/document.xml").unwrap().unwrap();
    assert_eq!(xml.matches("<w:ins ").count(), 1, "one word inserted, nothing else");
    assert!(
        xml.contains(r#"<w:ins w:id="#) && xml.contains(r#"w:author="JeSaisFaire" w:date="2026-12-02T10:00:00Z">"#)
    );
    assert!(
        xml.contains(">tous </w:t>") || xml.contains(">tous les </w:t>") || xml.contains(">de tous les</w:t>"),
        "{}",
        &xml[xml.find("<w:ins ").unwrap()..][..400]
    );
    assert_eq!(xml.matches("<w:del ").count(), 1);
    // Headings on the built-in styles, with the clause id as bookmark.
    assert!(xml.contains(r#"<w:pStyle w:val="Heading2"/></w:pPr><w:bookmarkStart w:id="#));
    assert!(xml.contains(r#"w:name="objet-du-marche"/>"#));
    let styles = package.text("word/styles.xml").unwrap().unwrap();
    assert!(styles.contains(r#"<w:name w:val="heading 2"/>"#) && styles.contains(r#"<w:outlineLvl w:val="1"/>"#));
}

#[test]
fn typed_text_is_escaped_in_the_xml() {
    let hostile = "# Titre <script>alert(1)</script> & \"x\"\n\nTexte ]]> <w:p> \u{1} fin.\n";
    let docx = version_docx(
        hostile,
        &Specification::parse(hostile),
        &Cover {
            title: "</w:t><w:t>".into(),
            lines: vec![],
        },
    );
    let mut package = package::Package::open(&docx).unwrap();
    for part in ["word/document.xml", "docProps/core.xml"] {
        let xml = package.text(part).unwrap().unwrap();
        parse(&xml, part).expect("well-formed");
        assert!(
            !xml.contains("<script>") && !xml.contains("<w:p> ") && !xml.contains("\u{1}"),
            "{part}"
        );
    }
    let back = import(&docx).unwrap().markdown;
    assert!(
        back.contains("Texte \\]\\]> \\<w:p>  fin.") || back.contains("Texte \\]\\]> \\<w:p> fin."),
        "{back}"
    );
}

fn arbitrary_spec() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "le",
        "titulaire",
        "assure",
        "la",
        "maintenance",
        "des",
        "ascenseurs",
        "*préventive*",
        "**corrective**",
        "délai",
        "24",
        "heures",
        "l'entreprise",
        "[lien](https://exemple.fr)",
    ]);
    let sentence = prop::collection::vec(word, 1..8).prop_map(|w| w.join(" "));
    let block = prop_oneof![
        sentence.clone().prop_map(|s| format!("{s}.\n")),
        prop::collection::vec(sentence.clone(), 1..4)
            .prop_map(|items| items.iter().map(|i| format!("- {i}\n")).collect::<String>()),
        (sentence.clone(), sentence.clone()).prop_map(|(a, b)| format!("| A | B |\n| --- | --- |\n| {a} | {b} |\n")),
    ];
    let clause = (
        prop::sample::select(vec!["Objet", "Durée", "Prix", "Pénalités", "Délais", "Garanties"]),
        prop::collection::vec(block, 0..4),
    )
        .prop_map(|(title, blocks)| format!("## {title}\n\n{}", blocks.join("\n")));
    prop::collection::vec(clause, 0..6).prop_map(|clauses| clauses.join("\n"))
}

proptest! {
    #![proptest_config(crate::domain::proptest_config())]
    #[test]
    fn tracked_changes_resolve_to_either_version_for_any_pair(old in arbitrary_spec(), new in arbitrary_spec()) {
        assert_tracked_changes_resolve(&old, &new);
    }
}
