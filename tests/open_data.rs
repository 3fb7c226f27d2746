//! The open data (`/donnees/…`) through the real HTTP stack, on SQLite and PostgreSQL: what is
//! published and what never is, validators and conditional requests, the bulk file, and every
//! file checked by the standards' own tools (lib-cove-ocds, ocdsmerge, frictionless: see
//! scripts/check-open-data.py) on the demo data and on a generated corpus of 200 consultations
//! through all their phases.

mod common;

use common::{app, get, send, Client, TestDb};
use jesaisfaire::server::config::TEST_OCID_PREFIX;
use jesaisfaire::server::demo;
use std::io::Read;
use std::path::Path;

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";
const AUTHOR: &str = "entreprise@demo.jesaisfaire.fr"; // « Entreprise A » on the maintenance

/// What no open-data file may contain: the companies' names, SIRETs, e-mails, their people.
const IDENTITIES: [&str; 5] = [
    "Brie Informatique",
    "entreprise@demo",
    "numerique@demo",
    "Sophie Lambert",
    "Julien Petit",
];

async fn id_of(db: &TestDb, title_like: &str) -> i64 {
    sqlx::query_scalar("select id from consultations where title like $1")
        .bind(format!("%{title_like}%"))
        .fetch_one(db.db.pool())
        .await
        .unwrap()
}

fn ocid(id: i64) -> String {
    format!("{TEST_OCID_PREFIX}-{id}")
}

fn gunzip(bytes: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .expect("a gzip file");
    text
}

/// A conditional GET, as a reuser's client polls.
async fn get_if_none_match(app: &axum::Router, uri: &str, etag: &str) -> common::Answer {
    let request = axum::http::Request::get(uri).header("if-none-match", etag);
    send(app, request.body(axum::body::Body::empty()).unwrap()).await
}

/// A file's bytes (the bulk file is gzip, not text).
async fn get_bytes(app: &axum::Router, uri: &str) -> Vec<u8> {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = app
        .clone()
        .oneshot(axum::http::Request::get(uri).body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{uri}");
    assert_eq!(response.headers()["content-type"], "application/gzip");
    assert!(
        response.headers().get("content-encoding").is_none(),
        "a .gz file is not compressed again"
    );
    response.into_body().collect().await.unwrap().to_bytes().to_vec()
}

/// Every open-data file as served, written into `dir` for the checker; returns their texts.
async fn download_all(app: &axum::Router, dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for name in ["consultations", "versions", "besoins", "contributions"] {
        for (suffix, file) in [
            (".csv", format!("{name}.csv")),
            (".schema.json", format!("{name}.schema.json")),
        ] {
            let answer = get(app, &format!("/donnees/{name}{suffix}")).await;
            assert_eq!(answer.status, 200, "{file}: {}", answer.body);
            std::fs::write(dir.join(&file), &answer.body).unwrap();
            files.push((file, answer.body));
        }
    }
    let lines = gunzip(&get_bytes(app, "/donnees/ocds.jsonl.gz").await);
    std::fs::write(dir.join("bulk.jsonl"), &lines).unwrap();
    let ocids: std::collections::BTreeSet<String> = lines
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["ocid"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for ocid in &ocids {
        let package = get(app, &format!("/donnees/ocds/{ocid}.json")).await;
        assert_eq!(package.status, 200, "{ocid}: {}", package.body);
        std::fs::write(dir.join(format!("{ocid}.release.json")), &package.body).unwrap();
        let record = get(app, &format!("/donnees/ocds/{ocid}/record.json")).await;
        assert_eq!(record.status, 200, "{ocid}: {}", record.body);
        std::fs::write(dir.join(format!("{ocid}.record.json")), &record.body).unwrap();
        files.push((format!("{ocid}.json"), package.body));
        files.push((format!("{ocid}/record.json"), record.body));
    }
    files.push(("ocds.jsonl.gz".into(), lines));
    files
}

/// Runs scripts/check-open-data.py on `dir`; returns its summary.
fn check_with_the_standards_tools(dir: &Path) -> serde_json::Value {
    // To look at the files: JSF_KEEP_OPEN_DATA=/some/dir cargo test --test open_data.
    if let Ok(keep) = std::env::var("JSF_KEEP_OPEN_DATA") {
        std::fs::create_dir_all(&keep).unwrap();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, Path::new(&keep).join(path.file_name().unwrap())).unwrap();
        }
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/check-open-data.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(dir)
        .output()
        .expect("python3 runs (scripts/install-tools.sh test installs libcoveocds, ocdsmerge, frictionless)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the standards' tools refused the open data:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap()
}

async fn what_is_published_and_what_never_is(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let maintenance = id_of(db, "Maintenance").await;
    let restricted = sqlx::query_scalar::<_, i64>("select id from consultations where mode = 'restricted' limit 1")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let draft = sqlx::query_scalar::<_, i64>("select id from consultations where status = 'draft' limit 1")
        .fetch_one(db.db.pool())
        .await
        .unwrap();

    // The open consultation is published; the draft and the restricted one are not, anywhere.
    let listed = get(&app, "/donnees/consultations.csv").await;
    assert_eq!(listed.status, 200);
    assert!(listed.body.starts_with("\u{feff}ocid,numero,titre"), "{}", listed.body);
    assert!(listed.body.contains(&ocid(maintenance)));
    for hidden in [restricted, draft] {
        assert!(
            !listed.body.contains(&format!("{},", ocid(hidden))),
            "{hidden}: {}",
            listed.body
        );
        assert_eq!(
            get(&app, &format!("/donnees/ocds/{}.json", ocid(hidden))).await.status,
            404
        );
        assert_eq!(
            get(&app, &format!("/donnees/ocds/{}/record.json", ocid(hidden)))
                .await
                .status,
            404
        );
    }
    for wrong in [
        "/donnees/ocds/ocds-other-1.json",
        "/donnees/ocds/x.txt",
        "/donnees/registres.csv",
    ] {
        assert_eq!(get(&app, wrong).await.status, 404, "{wrong}");
    }
    let draft_title: String = sqlx::query_scalar("select title from consultations where id = $1")
        .bind(draft)
        .fetch_one(db.db.pool())
        .await
        .unwrap();

    // Before the public dossier: versions yes, contributions no.
    let package: serde_json::Value = serde_json::from_str(
        &get(&app, &format!("/donnees/ocds/{}.json", ocid(maintenance)))
            .await
            .body,
    )
    .unwrap();
    let ids: Vec<&str> = package["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&format!("{}-version-2", ocid(maintenance)).as_str()),
        "{ids:?}"
    );
    assert!(!package.to_string().contains("enquiries"));
    let contributions = get(&app, "/donnees/contributions.csv").await;
    assert!(
        !contributions.body.contains(&ocid(maintenance)),
        "{}",
        contributions.body
    );

    // Conditional requests: the same data, 304; a change, a new ETag.
    let first = get(&app, "/donnees/versions.csv").await;
    let etag = first.headers.get("etag").expect("an ETag").to_str().unwrap().to_owned();
    assert!(first.headers.get("last-modified").is_some());
    let again = get_if_none_match(&app, "/donnees/versions.csv", &etag).await;
    assert_eq!(again.status, 304);

    // An organisation renamed: no count or instant moves, the files do.
    let listed = get(&app, "/donnees/consultations.csv").await;
    let listed_etag = listed
        .headers
        .get("etag")
        .expect("an ETag")
        .to_str()
        .unwrap()
        .to_owned();
    sqlx::query(
        "update organisations set name = 'Ville de Renommée-sur-Loire' \
         where id = (select buyer_organisation_id from consultations where id = $1)",
    )
    .bind(maintenance)
    .execute(db.db.pool())
    .await
    .unwrap();
    let renamed = get_if_none_match(&app, "/donnees/consultations.csv", &listed_etag).await;
    assert_eq!(renamed.status, 200, "the new name is in the file");
    assert!(renamed.body.contains("Ville de Renommée-sur-Loire"), "{}", renamed.body);

    // The author redacts a passage; the exchanges close; the buyer publishes the dossier.
    let buyer = Client::signed_in(&app, BUYER).await;
    let author = Client::signed_in(&app, AUTHOR).await;
    let (contribution, justification): (i64, String) = sqlx::query_as(
        "select c.id, c.justification from contributions c join participants p \
         on p.consultation_id = c.consultation_id and p.organisation_id = c.organisation_id \
         where c.consultation_id = $1 and p.pseudonym_index = 0 order by c.id limit 1",
    )
    .bind(maintenance)
    .fetch_one(db.db.pool())
    .await
    .unwrap();
    let secret: String = justification.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
    author
        .ok(
            "record/dossier/redact",
            &common::form(&[
                ("contribution", &contribution.to_string()),
                ("passage", &secret),
                ("reason", "Secret"),
            ]),
        )
        .await;
    sqlx::query("update consultations set status = 'drafting', calendar_settings = null where id = $1")
        .bind(maintenance)
        .execute(db.db.pool())
        .await
        .unwrap();
    buyer.ok("record/dossier/publish", &format!("id={maintenance}")).await;
    let changed = get_if_none_match(&app, "/donnees/versions.csv", &etag).await;
    assert_eq!(changed.status, 200, "the dossier changed the data");

    // A reviewer's note: for the buyer's organisation only, never in the open data.
    let note = "Note de relecture confidentielle 7f3a";
    let request: i64 = sqlx::query_scalar(
        "insert into review_requests (consultation_id, version_number, text_sha256, message, requested_by, \
         requested_at) values ($1, 2, 'x', 'Relire', (select min(id) from users), 0) returning id",
    )
    .bind(maintenance)
    .fetch_one(db.db.pool())
    .await
    .unwrap();
    sqlx::query("insert into review_notes (request_id, clause_id, body, author_id, created_at) values ($1, 'objet', $2, (select min(id) from users), 0)")
        .bind(request)
        .bind(note)
        .execute(db.db.pool())
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let files = download_all(&app, dir.path()).await;
    let package = &files
        .iter()
        .find(|(name, _)| *name == format!("{}.json", ocid(maintenance)))
        .unwrap()
        .1;
    assert!(package.contains("\"enquiries\""), "{package}");
    assert!(package.contains("Entreprise A"));
    assert!(package.contains("[passage occulté]"));
    for (name, text) in &files {
        assert!(!text.contains(&secret), "{name} holds the redacted passage");
        assert!(!text.contains(&draft_title), "{name} holds the draft");
        assert!(!text.contains(note), "{name} holds a review note");
        for identity in IDENTITIES {
            assert!(!text.contains(identity), "{name} holds {identity}");
        }
    }
    let contributions = &files.iter().find(|(name, _)| name == "contributions.csv").unwrap().1;
    assert!(contributions.contains(&ocid(maintenance)) && contributions.contains("Entreprise A"));

    let summary = check_with_the_standards_tools(dir.path());
    assert!(summary["release_packages"].as_i64().unwrap() >= 2, "{summary}");
    assert_eq!(summary["bulk_releases"], summary["releases"], "{summary}");
}

async fn a_corpus_through_every_phase_validates(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    // 200 consultations through every phase (see `demo::corpus`).
    demo::corpus::generate(&db.db, 200, common::test_clock().now() - 90 * 86_400)
        .await
        .unwrap();
    let app = app(&db.db);
    let dir = tempfile::tempdir().unwrap();
    let files = download_all(&app, dir.path()).await;
    let consultations = &files.iter().find(|(name, _)| name == "consultations.csv").unwrap().1;
    // 200 generated: 25 drafts, and a third restricted of which only those with a dossier count.
    let generated = consultations.matches("Consultation générée").count();
    assert!((120..=175).contains(&generated), "{generated} published");
    let summary = check_with_the_standards_tools(dir.path());
    assert!(summary["release_packages"].as_i64().unwrap() >= 120, "{summary}");
    assert!(summary["csv_rows"].as_i64().unwrap() > 400, "{summary}");
}

on_both_backends!(
    what_is_published_and_what_never_is,
    a_corpus_through_every_phase_validates
);
