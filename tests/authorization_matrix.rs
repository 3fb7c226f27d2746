//! The authorization matrix: every server function, called by every kind of caller, on SQLite
//! and PostgreSQL. Adding a server function without rows here fails `every_server_function_has_rows`.

mod common;

use common::{app, call_as, form, sign_in, TestDb};
use jesaisfaire::server::demo::{self, DEMO_PASSWORD};
use std::collections::BTreeSet;

/// The kinds of caller, in the column order of the matrix.
const CALLERS: [(&str, Option<&str>); 7] = [
    ("anonymous", None),
    ("supplier, not invited", Some("entreprise@demo.jesaisfaire.fr")),
    ("supplier, invited", Some("proprete@demo.jesaisfaire.fr")),
    (
        "buyer of another organisation",
        Some("acheteur.ddt@demo.jesaisfaire.fr"),
    ),
    ("buyer", Some("acheteuse@demo.jesaisfaire.fr")),
    ("reviewer", Some("relecteur@demo.jesaisfaire.fr")),
    ("admin", Some("admin@demo.jesaisfaire.fr")),
];

const Y: bool = true;
const N: bool = false;

/// What a row calls. `{restricted}`, `{draft}`, `{open}` stand for consultation ids.
struct Row {
    endpoint: &'static str,
    case: &'static str,
    form: &'static str,
    allowed: [bool; 7],
}

/// Columns: anonymous, supplier not invited, supplier invited, buyer of another organisation,
/// buyer, reviewer, admin. The consultations belong to the buyer's organisation (the préfecture);
/// the reviewer reviews it; the restricted one invited the "invited" supplier only.
const MATRIX: &[Row] = &[
    Row {
        endpoint: "consultations/list",
        case: "catalogue",
        form: "",
        allowed: [Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/get",
        case: "open sourcing",
        form: "id={open}",
        allowed: [Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/get",
        case: "restricted sourcing",
        form: "id={restricted}",
        allowed: [N, N, Y, N, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/get",
        case: "draft",
        form: "id={draft}",
        allowed: [N, N, N, N, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/versions",
        case: "open sourcing",
        form: "id={open}",
        allowed: [Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/versions",
        case: "restricted sourcing",
        form: "id={restricted}",
        allowed: [N, N, Y, N, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/versions",
        case: "draft",
        form: "id={draft}",
        allowed: [N, N, N, N, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/get",
        case: "an older version",
        form: "id={open}&version=1",
        allowed: [Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/mine",
        case: "own organisation's",
        form: "",
        allowed: [N, N, N, Y, Y, Y, N],
    },
    Row {
        endpoint: "account/current",
        case: "who am I",
        form: "",
        allowed: [Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "account/sign-in",
        case: "valid credentials",
        form: "email=proprete%40demo.jesaisfaire.fr&password={password}",
        allowed: [Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "account/password",
        case: "wrong current password (422 once allowed)",
        form: "current=nope&new=une%20longue%20phrase%20neuve&confirm=une%20longue%20phrase%20neuve",
        allowed: [N, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "account/invitation",
        case: "unknown token (422)",
        form: "token=00",
        allowed: [Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "account/accept-invitation",
        case: "unknown token (422)",
        form: "token=00&display_name=X&password=a&confirm=a",
        allowed: [Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "admin/organisations",
        case: "list",
        form: "",
        allowed: [N, N, N, N, N, N, Y],
    },
    Row {
        endpoint: "admin/create-organisation",
        case: "invalid SIRET (422 once allowed)",
        form: "kind=company&name=Test&siret=123&departement=77&cpv_codes=&departements_served=",
        allowed: [N, N, N, N, N, N, Y],
    },
    Row {
        endpoint: "admin/invite",
        case: "invalid e-mail (422 once allowed)",
        form: "email=pas-une-adresse&role=supplier",
        allowed: [N, N, N, N, N, N, Y],
    },
    Row {
        endpoint: "consultations/create",
        case: "too short a title (422 once allowed)",
        form: "title=ab&object=&cpv_codes=&departements=&mode=open&expected_tender=",
        allowed: [N, N, N, Y, Y, N, N],
    },
    Row {
        endpoint: "consultations/draft",
        case: "open sourcing",
        form: "id={open}",
        allowed: [N, N, N, N, Y, N, N],
    },
    Row {
        endpoint: "consultations/draft",
        case: "restricted sourcing",
        form: "id={restricted}",
        allowed: [N, N, N, N, Y, N, N],
    },
    Row {
        endpoint: "consultations/draft",
        case: "draft",
        form: "id={draft}",
        allowed: [N, N, N, N, Y, N, N],
    },
    Row {
        endpoint: "consultations/draft/save",
        case: "stale revision (409 once allowed)",
        form: r#"{"id":{open},"revision":-1,"draft":{"markdown":"Texte","criteria":[],"changelog":""}}"#,
        allowed: [N, N, N, N, Y, N, N],
    },
    Row {
        endpoint: "consultations/publish",
        case: "text without clauses (422 once allowed)",
        form: r#"{"id":{draft},"base_version":null,"draft":{"markdown":"","criteria":[],"changelog":""}}"#,
        allowed: [N, N, N, N, Y, N, N],
    },
    Row {
        endpoint: "consultations/publish",
        case: "restricted sourcing, text without clauses (422 once allowed)",
        form: r#"{"id":{restricted},"base_version":null,"draft":{"markdown":"","criteria":[],"changelog":""}}"#,
        allowed: [N, N, N, N, Y, N, N],
    },
    Row {
        endpoint: "consultations/status",
        case: "not the next step (409 once allowed)",
        form: "id={open}&to=draft",
        allowed: [N, N, N, N, Y, N, N],
    },
    Row {
        endpoint: "contributions/list",
        case: "open sourcing",
        form: "id={open}",
        allowed: [Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "contributions/list",
        case: "restricted sourcing",
        form: "id={restricted}",
        allowed: [N, N, Y, N, Y, Y, Y],
    },
    Row {
        endpoint: "contributions/list",
        case: "draft",
        form: "id={draft}",
        allowed: [N, N, N, N, Y, Y, Y],
    },
    Row {
        endpoint: "contributions/participate",
        case: "open sourcing",
        form: "id={open}",
        allowed: [N, Y, Y, N, N, N, N],
    },
    Row {
        endpoint: "contributions/participate",
        case: "restricted sourcing",
        form: "id={restricted}",
        allowed: [N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "contributions/participate",
        case: "draft",
        form: "id={draft}",
        allowed: [N, N, N, N, N, N, N],
    },
    Row {
        endpoint: "contributions/create",
        case: "open sourcing, no justification (422 once allowed)",
        form: r#"{"contribution":{"consultation_id":{open},"version":2,"target":{"kind":"Clause","id":"objet-du-marche"},"selector":null,"input":{"kind":"solution","justification":"","cost_impact":"up","cost_amount":"","proposed_text":""}}}"#,
        allowed: [N, Y, Y, N, N, N, N],
    },
    Row {
        endpoint: "contributions/create",
        case: "restricted sourcing, not in exchanges (409 once allowed)",
        form: r#"{"contribution":{"consultation_id":{restricted},"version":1,"target":{"kind":"Clause","id":"x"},"selector":null,"input":{"kind":"solution","justification":"x","cost_impact":"up","cost_amount":"","proposed_text":""}}}"#,
        allowed: [N, N, Y, N, N, N, N],
    },
    Row {
        endpoint: "contributions/edit",
        case: "a contribution of the not-invited supplier, no justification (422 once allowed)",
        form: r#"{"id":{contribution},"input":{"kind":"solution","justification":"","cost_impact":"up","cost_amount":"","proposed_text":""}}"#,
        allowed: [N, Y, N, N, N, N, N],
    },
    Row {
        endpoint: "contributions/reply",
        case: "empty reply (422 once allowed)",
        form: "id={contribution}&body=",
        allowed: [N, Y, N, N, Y, N, N],
    },
    Row {
        endpoint: "contributions/status",
        case: "unknown status (422 once allowed)",
        form: "id={contribution}&status=bogus",
        allowed: [N, N, N, N, Y, N, N],
    },
    Row {
        endpoint: "contributions/withdraw",
        case: "a contribution of the not-invited supplier",
        form: "id={contribution}",
        allowed: [N, Y, N, N, N, N, N],
    },
    Row {
        endpoint: "calendar/preview",
        case: "pure computation",
        form: r#"{"settings":{"mode":"Open","start":"2027-01-11","call_days":14,"exchange_days":14,"drafting_days":21}}"#,
        allowed: [Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/calendar",
        case: "call too short (422 once allowed)",
        form: r#"{"id":{open},"settings":{"mode":"Open","start":"2027-01-11","call_days":3,"exchange_days":14,"drafting_days":21}}"#,
        allowed: [N, N, N, N, Y, N, N],
    },
    Row {
        endpoint: "consultations/calendar",
        case: "draft, call too short (422 once allowed)",
        form: r#"{"id":{draft},"settings":{"mode":"Open","start":"2027-01-11","call_days":3,"exchange_days":14,"drafting_days":21}}"#,
        allowed: [N, N, N, N, Y, N, N],
    },
    Row {
        endpoint: "planning/mine",
        case: "own retro-plannings",
        form: "",
        allowed: [N, Y, Y, N, N, N, N],
    },
    Row {
        endpoint: "planning/save",
        case: "invalid date (422 once allowed)",
        form: "title=AO&submission=demain",
        allowed: [N, Y, Y, N, N, N, N],
    },
    Row {
        endpoint: "planning/task",
        case: "someone else's or missing plan (404 for all)",
        form: "plan=999999&key=submission.submit&done=true&note=",
        allowed: [N, N, N, N, N, N, N],
    },
    Row {
        endpoint: "account/calendar-feed",
        case: "own subscription link",
        form: "",
        allowed: [N, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/compare",
        case: "open sourcing",
        form: "id={open}",
        allowed: [Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/compare",
        case: "restricted sourcing",
        form: "id={restricted}&from=1&to=2",
        allowed: [N, N, Y, N, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/clauses",
        case: "open sourcing",
        form: r#"{"id":{open},"version":1,"clause_ids":["objet-du-marche"]}"#,
        allowed: [Y, Y, Y, Y, Y, Y, Y],
    },
    Row {
        endpoint: "consultations/clauses",
        case: "restricted sourcing (no version published: nothing asked)",
        form: r#"{"id":{restricted},"version":1,"clause_ids":[]}"#,
        allowed: [N, N, Y, N, Y, Y, Y],
    },
    // Last: it ends the caller's session.
    Row {
        endpoint: "account/sign-out",
        case: "own session",
        form: "",
        allowed: [Y, Y, Y, Y, Y, Y, Y],
    },
];

#[test]
fn every_server_function_has_rows() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let covered: BTreeSet<String> = MATRIX.iter().map(|r| r.endpoint.to_string()).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "server functions without a row in the authorization matrix: {missing:?}"
    );
    let unknown: Vec<_> = covered.difference(&registered).collect();
    assert!(
        unknown.is_empty(),
        "rows for server functions that do not exist: {unknown:?}"
    );
}

async fn the_matrix_holds(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let id_of = |title_part: &'static str| {
        let pool = db.db.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>("select id from consultations where title like $1")
                .bind(format!("%{title_part}%"))
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    // A contribution of the "not invited" supplier (Brie Informatique) on the open consultation.
    let contribution: i64 = sqlx::query_scalar(
        "select c.id from contributions c join organisations o on o.id = c.organisation_id \
         where o.name = 'Brie Informatique Services' order by c.id desc limit 1",
    )
    .fetch_one(db.db.pool())
    .await
    .unwrap();
    let (open, restricted, draft) = (
        id_of("Maintenance").await,
        id_of("Nettoyage").await,
        id_of("Refonte").await,
    );
    let app = app(&db.db);
    let mut cookies = Vec::new();
    for (_, email) in CALLERS {
        cookies.push(match email {
            Some(email) => Some(sign_in(&app, email, DEMO_PASSWORD).await),
            None => None,
        });
    }
    let mut failures = Vec::new();
    for row in MATRIX {
        let body = row
            .form
            .replace("{open}", &open.to_string())
            .replace("{restricted}", &restricted.to_string())
            .replace("{draft}", &draft.to_string())
            .replace("{contribution}", &contribution.to_string())
            .replace("{password}", &form(&[("p", DEMO_PASSWORD)])[2..]);
        for (column, (caller, _)) in CALLERS.iter().enumerate() {
            let answer = call_as(&app, cookies[column].as_deref(), row.endpoint, &body).await;
            let status = answer.status.as_u16();
            assert!(
                status < 500,
                "{} ({}) as {caller}: {status} {}",
                row.endpoint,
                row.case,
                answer.body
            );
            let allowed = !matches!(status, 401 | 403 | 404);
            if allowed != row.allowed[column] {
                failures.push(format!(
                    "{} ({}) as {caller}: expected {}, got {status} {}",
                    row.endpoint,
                    row.case,
                    if row.allowed[column] { "allowed" } else { "denied" },
                    answer.body
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix violated:\n{}",
        failures.join("\n")
    );
}

on_both_backends!(the_matrix_holds);
