//! The equal-treatment dossier through the real HTTP stack, on SQLite and PostgreSQL: published
//! by the buyer after the exchanges only, its public edition free of identities and of redacted
//! passages in every form (JSON, HTML page, PDF read back by `pdftotext`, every file of the ZIP),
//! its internal edition for the buyer's organisation and its reviewers.

mod common;

use common::{app, call_as, form, get, Client, TestDb};
use jesaisfaire::model::Dossier;
use jesaisfaire::server::demo;

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";
const AUTHOR: &str = "entreprise@demo.jesaisfaire.fr"; // Brie Informatique Services, « Entreprise A »
const OTHER: &str = "numerique@demo.jesaisfaire.fr";
const REVIEWER: &str = "relecteur@demo.jesaisfaire.fr";

/// What no public response may contain: the companies' names, SIRETs, e-mails, their people.
const IDENTITIES: [&str; 6] = [
    "Brie Informatique",
    "entreprise@demo",
    "numerique@demo",
    "Sophie Lambert",
    "Julien Petit",
    "SIRET",
];

async fn maintenance(db: &TestDb) -> i64 {
    sqlx::query_scalar("select id from consultations where title like '%Maintenance%'")
        .fetch_one(db.db.pool())
        .await
        .unwrap()
}

/// The text of a PDF, read back by `pdftotext` (poppler-utils, installed by the project).
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dossier.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, see scripts/install-tools.sh)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The files of a stored ZIP (the dossier's writer never compresses), checked with their CRC.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut at = 0;
    while bytes[at..].starts_with(&[0x50, 0x4b, 0x03, 0x04]) {
        let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
        let u16_at = |i: usize| u16::from_le_bytes(bytes[i..i + 2].try_into().unwrap()) as usize;
        assert_eq!(u16_at(at + 8), 0, "stored");
        let (crc, size, name_len, extra) = (
            u32_at(at + 14),
            u32_at(at + 18) as usize,
            u16_at(at + 26),
            u16_at(at + 28),
        );
        let name = String::from_utf8(bytes[at + 30..at + 30 + name_len].to_vec()).unwrap();
        let start = at + 30 + name_len + extra;
        let data = bytes[start..start + size].to_vec();
        assert_eq!(crc32(&data), crc, "{name}");
        files.push((name, data));
        at = start + size;
    }
    assert!(
        bytes[at..].starts_with(&[0x50, 0x4b, 0x01, 0x02]),
        "the central directory follows"
    );
    files
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

async fn the_public_dossier_is_published_after_the_exchanges_without_secrets(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let id = maintenance(db).await;
    let buyer = Client::signed_in(&app, BUYER).await;
    let author = Client::signed_in(&app, AUTHOR).await;
    let other = Client::signed_in(&app, OTHER).await;
    let reviewer = Client::signed_in(&app, REVIEWER).await;

    // Before publication: the public gets nothing, the buyer previews.
    let public = |edition: &str| format!("id={id}&edition={edition}");
    assert_eq!(
        call_as(&app, None, "record/dossier", &public("public")).await.status,
        404
    );
    assert_eq!(get(&app, &format!("/consultations/{id}/dossier.pdf")).await.status, 404);
    let preview: Dossier = serde_json::from_str(&buyer.ok("record/dossier", &public("public")).await.body).unwrap();
    assert!(!preview.can_publish, "the exchanges still run");
    assert!(preview.targets.iter().map(|t| t.contributions.len()).sum::<usize>() > 0);
    assert_eq!(preview.versions.len(), 2);
    assert!(
        preview.versions[1].changes.contains("modifiée"),
        "{:?}",
        preview.versions[1]
    );
    let early = buyer.call("record/dossier/publish", &format!("id={id}")).await;
    assert_eq!(early.status, 409, "{}", early.body);
    assert!(early.body.contains("après la clôture des échanges"), "{}", early.body);
    // The internal edition: the buyer's organisation and its reviewers only.
    assert_eq!(author.call("record/dossier", &public("internal")).await.status, 403);
    reviewer.ok("record/dossier", &public("internal")).await;

    // Redactions: the buyer, or the company that wrote the contribution; words of it only.
    let mine = preview
        .targets
        .iter()
        .flat_map(|t| &t.contributions)
        .find(|c| c.pseudonym == "Entreprise A")
        .cloned()
        .unwrap();
    let secret: String = mine
        .justification
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ");
    let redact = |passage: &str| {
        form(&[
            ("contribution", &mine.id.to_string()),
            ("passage", passage),
            ("reason", "Secret des affaires"),
        ])
    };
    let absent = buyer
        .call("record/dossier/redact", &redact("des mots qui n'y sont pas"))
        .await;
    assert_eq!(absent.status, 422);
    assert!(absent.body.contains("ne figure pas"), "{}", absent.body);
    assert_eq!(other.call("record/dossier/redact", &redact(&secret)).await.status, 403);
    assert_eq!(
        call_as(&app, None, "record/dossier/redact", &redact(&secret))
            .await
            .status,
        401
    );
    author.ok("record/dossier/redact", &redact(&secret)).await;

    // The exchanges close; the buyer publishes once.
    // (Its calendar set aside: the status then is the one stored.)
    sqlx::query("update consultations set status = 'drafting', calendar_settings = null where id = $1")
        .bind(id)
        .execute(db.db.pool())
        .await
        .unwrap();
    buyer.ok("record/dossier/publish", &format!("id={id}")).await;
    assert_eq!(
        buyer.call("record/dossier/publish", &format!("id={id}")).await.status,
        409
    );

    // Anyone now reads the public edition: pseudonyms, the passage replaced, in every form.
    let json = call_as(&app, None, "record/dossier", &public("public")).await;
    assert_eq!(json.status, 200, "{}", json.body);
    let page = get(&app, &format!("/consultations/{id}/dossier")).await;
    assert_eq!(page.status, 200);
    let consultation_page = get(&app, &format!("/consultations/{id}")).await;
    assert!(
        consultation_page.body.contains("dossier.pdf"),
        "the consultation page offers the dossier"
    );
    let pdf = get_bytes(&app, &format!("/consultations/{id}/dossier.pdf")).await;
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    assert!(text.contains("Dossier de sourcing"), "{text}");
    assert!(
        text.contains("Entreprise A") && text.contains("[passage occulté]"),
        "{text}"
    );
    let zip = unzip(&get_bytes(&app, &format!("/consultations/{id}/dossier.zip")).await);
    let names: Vec<&str> = zip.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            &format!("dossier-sourcing-{id}.pdf"),
            "versions/cctp-v1.md",
            "versions/cctp-v2.md",
            "contributions.csv"
        ]
    );
    let mut public_texts = vec![
        ("JSON".to_string(), json.body.clone()),
        ("page".to_string(), page.body.clone()),
        ("PDF".to_string(), text.clone()),
    ];
    for (name, data) in &zip {
        let content = if name.ends_with(".pdf") {
            pdf_text(data)
        } else {
            String::from_utf8(data.clone()).unwrap()
        };
        public_texts.push((name.clone(), content));
    }
    let csv = &public_texts.last().unwrap().1;
    assert!(csv.contains("[passage occulté]"), "{csv}");
    for (what, content) in &public_texts {
        assert!(
            !content.contains(&secret),
            "the redacted passage reached the public {what}"
        );
        for identity in IDENTITIES {
            assert!(!content.contains(identity), "{identity} in the public {what}");
        }
    }

    // The internal edition keeps the passage and says who asked; with the identities once the
    // exchanges are closed.
    let internal: Dossier = serde_json::from_str(&buyer.ok("record/dossier", &public("internal")).await.body).unwrap();
    assert_eq!(internal.redactions.len(), 1);
    assert!(internal.redactions[0].by_company);
    assert!(internal
        .participants
        .iter()
        .any(|p| p.identity.as_ref().is_some_and(|i| i.name.contains("Brie"))));
    let internal_pdf =
        pdf_text(&buyer_bytes(&buyer, &format!("/consultations/{id}/dossier.pdf?edition=interne")).await);
    assert!(internal_pdf.contains("Brie Informatique"), "{internal_pdf}");
    assert_eq!(
        get(&app, &format!("/consultations/{id}/dossier.pdf?edition=interne"))
            .await
            .status,
        401,
        "the internal edition is not for the public"
    );
    // Downloads by companies are in the access register.
    author.get(&format!("/consultations/{id}/dossier.zip")).await;
    let logged: i64 = sqlx::query_scalar("select count(*) from access_log where kind = 'dossier'")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert_eq!(logged, 1);
}

/// The internal edition draws a contribution's redaction form only when asked for
/// (`?edition=interne&occulter=ID`): a form on each of 300 contributions took Chromium seconds to
/// load. Only for those who may redact.
async fn the_internal_edition_draws_one_redaction_form_when_asked(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let id = maintenance(db).await;
    let buyer = Client::signed_in(&app, BUYER).await;
    let reviewer = Client::signed_in(&app, REVIEWER).await;
    let dossier: Dossier = serde_json::from_str(
        &buyer
            .ok("record/dossier", &format!("id={id}&edition=internal"))
            .await
            .body,
    )
    .unwrap();
    assert!(dossier.can_redact);
    let contributions: Vec<i64> = dossier
        .targets
        .iter()
        .flat_map(|t| &t.contributions)
        .map(|c| c.id)
        .collect();
    assert!(contributions.len() >= 2, "{contributions:?}");
    let page = format!("/consultations/{id}/dossier?edition=interne");
    // Attributes come escaped (`&amp;`): read them as the browser does.
    let html = |body: &str| body.replace("&amp;", "&");
    let fields = |body: &str| body.matches("name=\"passage\"").count();

    let closed = html(&buyer.get(&page).await.body);
    assert_eq!(fields(&closed), 0, "no redaction field before one is asked for");
    for c in &contributions {
        let link = format!("href=\"{page}&occulter={c}\"");
        assert!(closed.contains(&link), "no link to redact in {c}");
    }
    let card = contributions[1];
    let open = buyer.get(&format!("{page}&occulter={card}")).await;
    assert_eq!(open.status, 200);
    let open = html(&open.body);
    assert_eq!(fields(&open), 1);
    assert!(
        open.contains(&format!("id=\"passage-{card}\"")),
        "that contribution's field"
    );
    assert!(
        open.contains(&format!("href=\"{page}#contribution-{card}\"")),
        "a link puts it away, the edition kept"
    );
    for query in ["occulter=999999", "occulter=abc", "occulter="] {
        let other = buyer.get(&format!("{page}&{query}")).await;
        assert_eq!(other.status, 200, "{query}");
        assert_eq!(fields(&other.body), 0, "{query}");
    }
    // The reviewer reads the internal edition but does not redact: no link, no form.
    let read_only = html(&reviewer.get(&format!("{page}&occulter={card}")).await.body);
    assert!(read_only.contains("Dossier de sourcing"));
    assert_eq!(fields(&read_only), 0);
    assert!(!read_only.contains("occulter="), "no link to redact for the reviewer");
}

/// No version, no dossier: a clear message, nothing published.
async fn no_dossier_before_any_version(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let buyer = Client::signed_in(&app, BUYER).await;
    let empty: i64 = sqlx::query_scalar(
        "select c.id from consultations c where not exists (select 1 from spec_versions v where v.consultation_id = c.id) \
         and c.buyer_organisation_id = (select organisation_id from users where email = $1) order by c.id limit 1",
    )
    .bind(BUYER)
    .fetch_one(db.db.pool())
    .await
    .unwrap();
    let answer = buyer
        .call("record/dossier", &format!("id={empty}&edition=internal"))
        .await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert!(answer.body.contains("Aucune version"), "{}", answer.body);
    let publish = buyer.call("record/dossier/publish", &format!("id={empty}")).await;
    assert_eq!(publish.status, 422, "{}", publish.body);
    let published: i64 = sqlx::query_scalar("select count(*) from dossier_publications")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert_eq!(published, 0);
}

async fn get_bytes(app: &axum::Router, uri: &str) -> Vec<u8> {
    fetch(app, None, uri).await
}

async fn buyer_bytes(client: &Client, uri: &str) -> Vec<u8> {
    fetch(&client.app, Some(&client.cookie), uri).await
}

async fn fetch(app: &axum::Router, cookie: Option<&str>, uri: &str) -> Vec<u8> {
    use tower::ServiceExt;
    let mut request = axum::http::Request::get(uri);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = app
        .clone()
        .oneshot(request.body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{uri}");
    axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec()
}

on_both_backends!(
    the_public_dossier_is_published_after_the_exchanges_without_secrets,
    the_internal_edition_draws_one_redaction_form_when_asked,
    no_dossier_before_any_version,
);
