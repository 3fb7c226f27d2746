//! Word files, end to end:
//! - the corpus (`tests/data/word/`, made by LibreOffice and python-docx, see its README) imports
//!   to the expected clauses, phrases, tables, footnotes and losses;
//! - the Code civil comes back from `.docx` with the same clauses, text and ids;
//! - tracked-changes comparisons resolve to either version, checked by an independent reading
//!   of the revisions (scripts/check-word.py), with pandoc as the oracle of the imported
//!   headings and LibreOffice converting every exported file to PDF;
//! - the site's routes, on SQLite and PostgreSQL: who may download and import, the limits, and
//!   the access register.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{app, sign_in, TestDb};
use http_body_util::BodyExt;
use jesaisfaire::domain::spec::{carry_ids, Specification};
use jesaisfaire::domain::word::{self, comparison_docx, version_docx, Cover, Side};
use jesaisfaire::server::demo;
use std::path::{Path, PathBuf};
use tower::ServiceExt;

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";
const SUPPLIER: &str = "entreprise@demo.jesaisfaire.fr";
const PASSWORD: &str = "sourcing-demo-2026";

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(path)
}

/// The corpus: every `.docx` / `.odt` with its `.expected.json`.
fn corpus() -> Vec<(PathBuf, serde_json::Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data("word"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("docx" | "odt")))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let expected = path.with_extension("expected.json");
            let expected = std::fs::read_to_string(&expected).unwrap_or_else(|e| panic!("{}: {e}", expected.display()));
            (path, serde_json::from_str(&expected).unwrap())
        })
        .collect()
}

/// Markdown without its escapes and with whitespace collapsed: the text a reader sees.
fn plain(markdown: &str) -> String {
    let mut out = String::new();
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| n.is_ascii_punctuation()) => out.push(chars.next().unwrap()),
            '*' => {}
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn headings(markdown: &str) -> Vec<(u8, String)> {
    Specification::parse(markdown)
        .clauses
        .iter()
        .map(|c| {
            let line = c.heading.trim_start_matches('#').trim();
            let line = match line.rfind(" {#") {
                Some(i) if line.ends_with('}') => &line[..i],
                _ => line,
            };
            (c.level, plain(line))
        })
        .collect()
}

#[test]
fn every_file_of_the_corpus_imports_to_its_expected_clauses() {
    let corpus = corpus();
    assert!(corpus.len() >= 10, "the corpus has {} files", corpus.len());
    for (path, expected) in corpus {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let imported = word::import(&std::fs::read(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let md = &imported.markdown;
        let want: Vec<(u8, String)> = expected["headings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h[0].as_u64().unwrap() as u8, h[1].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(headings(md), want, "{name}:\n{md}");
        let text = plain(md);
        for phrase in expected["phrases"].as_array().unwrap() {
            let phrase = phrase.as_str().unwrap();
            assert!(text.contains(phrase), "{name}: « {phrase} » missing from\n{md}");
        }
        let tables = md.lines().filter(|l| l.starts_with("| ---")).count();
        assert_eq!(
            tables as u64,
            expected["tables"].as_u64().unwrap(),
            "{name}: tables\n{md}"
        );
        let notes = md.lines().filter(|l| l.starts_with("[^") && l.contains("]: ")).count();
        assert_eq!(
            notes as u64,
            expected["footnotes"].as_u64().unwrap(),
            "{name}: footnotes\n{md}"
        );
        let mut losses: Vec<&str> = imported
            .losses
            .iter()
            .map(|l| l.kind.code())
            .filter(|c| *c != "header_footer")
            .collect();
        losses.sort();
        let mut want_losses: Vec<&str> = expected["losses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        want_losses.sort();
        assert_eq!(losses, want_losses, "{name}: losses");
        // What the buyer gets is a specification within the limits, with clauses.
        jesaisfaire::domain::spec::check_limits(md).unwrap();
    }
}

fn cover(version: &str) -> Cover {
    Cover {
        title: "Code civil".into(),
        lines: vec![format!("Version {version}")],
    }
}

#[test]
fn the_code_civil_comes_back_from_word_with_the_same_clauses_text_and_ids() {
    let markdown = std::fs::read_to_string(data("code-civil/v2015-03-22.md")).unwrap();
    let spec = Specification::parse(&markdown);
    let docx = version_docx(&markdown, &spec, &cover("2015"));
    let back = word::import(&docx).unwrap();
    assert!(back.losses.is_empty(), "{:?}", back.losses);
    let again = Specification::parse(&back.markdown);
    assert_eq!(again.clauses.len(), spec.clauses.len());
    for (a, b) in spec.clauses.iter().zip(&again.clauses) {
        assert_eq!((&a.id, a.label(), a.level), (&b.id, b.label(), b.level));
        assert_eq!(plain(&a.body), plain(&b.body), "{}", a.id);
    }
    assert_eq!(plain(&spec.preamble), plain(&again.preamble));
}

/// Pairs of versions whose comparison is checked: the Code civil, and texts edited in every way
/// a buyer edits (words, clauses added, removed, moved, tables, lists, footnotes).
fn pairs() -> Vec<(&'static str, String, String)> {
    let old = std::fs::read_to_string(data("code-civil/v2013-01-01.md")).unwrap();
    let new = std::fs::read_to_string(data("code-civil/v2015-03-22.md")).unwrap();
    let base = "# CCTP\n\n## 1 Objet\n\nLe titulaire assure la *maintenance* des **ascenseurs**[^1].\n\n- visites\n- dépannages\n  - sous 4 heures\n\n## 2 Prix\n\n| Prestation | Prix |\n| --- | --- |\n| Visite | 120 € |\n| Dépannage | 80 € |\n\n## 3 Pénalités\n\nAucune.\n\n[^1]: Norme NF EN 13015.\n";
    let edited = base
        .replace("*maintenance*", "*maintenance préventive et corrective*")
        .replace("- dépannages\n", "- dépannages\n- contrôles\n")
        .replace("| Visite | 120 € |", "| Visite | 130 € |")
        .replace("Norme NF EN 13015.", "Norme NF EN 13015+A1.")
        .replace("## 3 Pénalités\n\nAucune.\n", "")
        + "\n## 4 Garanties\n\nUn an.\n\n## 3 Pénalités\n\nAucune.\n";
    vec![
        ("code-civil", old, new),
        ("edits", base.to_owned(), edited),
        ("from-empty", String::new(), base.to_owned()),
    ]
}

fn compare(old: &str, new: &str) -> Vec<u8> {
    let old_spec = Specification::parse(old);
    let mut new_spec = Specification::parse(new);
    carry_ids(&old_spec, &mut new_spec);
    let (old_cover, new_cover) = (cover("1"), cover("2"));
    comparison_docx(
        Side {
            markdown: old,
            spec: &old_spec,
            cover: &old_cover,
        },
        Side {
            markdown: new,
            spec: &new_spec,
            cover: &new_cover,
        },
        "2026-12-02T10:00:00Z",
    )
}

#[test]
fn pandoc_libreoffice_and_an_independent_reading_of_the_revisions_agree() {
    let dir = tempfile::tempdir().unwrap();
    let (import, compared) = (dir.path().join("import"), dir.path().join("compare"));
    std::fs::create_dir_all(&import).unwrap();
    std::fs::create_dir_all(&compared).unwrap();
    for (path, _) in corpus() {
        let name = path.file_name().unwrap();
        std::fs::copy(&path, import.join(name)).unwrap();
        std::fs::copy(
            path.with_extension("expected.json"),
            import.join(Path::new(name).with_extension("expected.json")),
        )
        .unwrap();
        let imported = word::import(&std::fs::read(&path).unwrap()).unwrap();
        std::fs::write(
            import.join(Path::new(name).with_extension("imported.md")),
            imported.markdown,
        )
        .unwrap();
    }
    for (name, old, new) in pairs() {
        let old_spec = Specification::parse(&old);
        let mut new_spec = Specification::parse(&new);
        carry_ids(&old_spec, &mut new_spec);
        std::fs::write(compared.join(format!("{name}.tracked.docx")), compare(&old, &new)).unwrap();
        std::fs::write(
            compared.join(format!("{name}.old.docx")),
            version_docx(&old, &old_spec, &cover("1")),
        )
        .unwrap();
        std::fs::write(
            compared.join(format!("{name}.new.docx")),
            version_docx(&new, &new_spec, &cover("2")),
        )
        .unwrap();
    }
    // To look at the files: JSF_KEEP_WORD=/some/dir cargo test --features ssr --test word.
    if let Ok(keep) = std::env::var("JSF_KEEP_WORD") {
        let _ = std::process::Command::new("cp")
            .arg("-r")
            .arg(dir.path())
            .arg(&keep)
            .status();
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/check-word.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(dir.path())
        .output()
        .expect("python3 runs (scripts/install-tools.sh test installs pandoc, LibreOffice, python-docx)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "check-word refused:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(summary["failures"], 0, "{summary}");
    assert_eq!(summary["compare_files"], 3, "{summary}");
    assert!(summary["import_oracle_matches"].as_u64().unwrap() >= 15, "{summary}");
    assert_eq!(summary["pdf_files"], 9, "{summary}");
}

async fn fetch(
    app: &axum::Router,
    cookie: Option<&str>,
    method: &str,
    uri: &str,
    body: Vec<u8>,
) -> (u16, String, Vec<u8>) {
    // Browsers announce the length of what they send; `send_unannounced` does not.
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("sec-fetch-site", "same-origin")
        .header("content-length", body.len());
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, content_type, bytes)
}

async fn word_on_the_site(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let id: i64 = sqlx::query_scalar("select id from consultations where title like '%Maintenance%'")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let buyer = sign_in(&app, BUYER, PASSWORD).await;
    let supplier = sign_in(&app, SUPPLIER, PASSWORD).await;

    // A version as .docx: anyone who may read the consultation; it imports back to its clauses.
    let (status, content_type, docx) = fetch(
        &app,
        None,
        "GET",
        &format!("/consultations/{id}/versions/2/cctp.docx"),
        vec![],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(content_type, word::DOCX_MEDIA_TYPE);
    let version: String =
        sqlx::query_scalar("select markdown from spec_versions where consultation_id = $1 and number = 2")
            .bind(id)
            .fetch_one(db.db.pool())
            .await
            .unwrap();
    let back = word::import(&docx).unwrap();
    let labels = |md: &str| {
        Specification::parse(md)
            .clauses
            .iter()
            .map(|c| (c.id.clone(), c.label()))
            .collect::<Vec<_>>()
    };
    assert_eq!(labels(&back.markdown), labels(&version));

    // The comparison, with real revisions dated at the publication of version 2.
    let (status, _, tracked) = fetch(
        &app,
        Some(&supplier),
        "GET",
        &format!("/consultations/{id}/versions/2/suivi-des-modifications.docx?depuis=1"),
        vec![],
    )
    .await;
    assert_eq!(status, 200);
    let document = unzip(&tracked, "word/document.xml");
    assert!(document.contains("<w:ins ") && document.contains(r#"w:author="JeSaisFaire""#));
    let (status, _, refusal) = fetch(
        &app,
        Some(&supplier),
        "GET",
        &format!("/consultations/{id}/versions/2/suivi-des-modifications.docx?depuis=9"),
        vec![],
    )
    .await;
    assert_eq!(status, 404, "{}", String::from_utf8_lossy(&refusal));

    // The supplier's downloads are in the access register, by kind of file.
    let details: Vec<String> =
        sqlx::query_scalar("select detail from access_log where consultation_id = $1 order by id")
            .bind(id)
            .fetch_all(db.db.pool())
            .await
            .unwrap();
    assert!(details.iter().any(|d| d == "1 → 2, .docx"), "{details:?}");

    // Import: the buyer gets the Markdown and the losses; nothing is stored.
    let draft_before: Option<String> =
        sqlx::query_scalar("select markdown from spec_drafts where consultation_id = $1")
            .bind(id)
            .fetch_optional(db.db.pool())
            .await
            .unwrap();
    let upload = |name: &str| std::fs::read(data(&format!("word/{name}"))).unwrap();
    let url = format!("/consultations/{id}/brouillon/import-word");
    let (status, content_type, body) = fetch(&app, Some(&buyer), "POST", &url, upload("flotte-vehicules.docx")).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(content_type.starts_with("application/json"));
    let imported: jesaisfaire::model::WordImport = serde_json::from_slice(&body).unwrap();
    assert!(imported.markdown.contains("# "));
    assert!(
        imported.losses.iter().any(|l| l.contains("image")),
        "{:?}",
        imported.losses
    );
    let draft_after: Option<String> = sqlx::query_scalar("select markdown from spec_drafts where consultation_id = $1")
        .bind(id)
        .fetch_optional(db.db.pool())
        .await
        .unwrap();
    assert_eq!(draft_before, draft_after, "an import stores nothing");

    // Not for a supplier; garbage and oversize files get a French message.
    let (status, ..) = fetch(&app, Some(&supplier), "POST", &url, upload("flotte-vehicules.docx")).await;
    assert!(matches!(status, 403 | 404), "{status}");
    let (status, _, body) = fetch(
        &app,
        Some(&buyer),
        "POST",
        &url,
        b"%PDF-1.7 pas un document Word".to_vec(),
    )
    .await;
    assert_eq!(status, 422);
    assert!(String::from_utf8_lossy(&body).contains("ni un document Word"));
    let (status, _, body) = fetch(
        &app,
        Some(&buyer),
        "POST",
        &url,
        vec![b'P'; word::MAX_FILE_BYTES + 100 * 1024],
    )
    .await;
    assert_eq!(status, 413, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("trop volumineux"));
    // Sent without its length, it stops being read at the bound all the same.
    let request = Request::post(&url)
        .header("sec-fetch-site", "same-origin")
        .header("cookie", &buyer)
        .body(Body::from(vec![b'P'; word::MAX_FILE_BYTES + 1]))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status().as_u16(), 413);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("10 Mo"));
    // Other requests keep the ordinary bound.
    let (status, ..) = fetch(
        &app,
        Some(&buyer),
        "POST",
        "/api/consultations/draft/save",
        vec![b' '; 5 * 1024 * 1024],
    )
    .await;
    assert_eq!(status, 413);
}

fn unzip(bytes: &[u8], part: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(part).unwrap(), &mut text).unwrap();
    text
}

on_both_backends!(word_on_the_site);
