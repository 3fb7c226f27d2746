//! Accounts: sign-in, sessions, throttling, password change, invitations; and no secret ever
//! reaches the logs or a response body. On SQLite and PostgreSQL.

mod common;

use common::{app, call, call_as, form, session_cookie, sign_in, TestDb};
use jesaisfaire::server::demo::{self, DEMO_PASSWORD};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// Every log line of this test binary, at every level, kept to search for secrets.
fn logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || SharedWriter(writer.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one subscriber per test binary");
        buffer
    })
    .clone()
}

struct SharedWriter(Arc<Mutex<Vec<u8>>>);

impl Write for SharedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Tests that call this must call `logs()` first, before the secret is handled.
fn assert_not_logged(secret: &str, what: &str) {
    let logs = String::from_utf8_lossy(&logs().lock().unwrap()).into_owned();
    assert!(!logs.is_empty(), "the log capture is not working");
    assert!(!logs.contains(secret), "{what} found in the logs");
}

/// The invitation token in the mail waiting for `recipient`.
async fn mailed_token(db: &TestDb, recipient: &str) -> String {
    let body: String = sqlx::query_scalar("select body from outbox where recipient = $1")
        .bind(recipient)
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let link = body.split("/invitation/").nth(1).expect("a link in the mail");
    link.split_whitespace().next().unwrap().to_string()
}

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";

async fn signing_in_sets_a_protected_session_cookie(db: &TestDb) {
    logs();
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let answer = call(
        &app,
        "account/sign-in",
        &form(&[("email", BUYER), ("password", DEMO_PASSWORD)]),
    )
    .await;
    assert!(
        answer.status.is_success() || answer.status.is_redirection(),
        "{}",
        answer.body
    );
    let header = answer.headers["set-cookie"].to_str().unwrap().to_string();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
        assert!(header.contains(attribute), "{attribute} missing: {header}");
    }
    let cookie = session_cookie(&answer).unwrap();
    let token = cookie.split('=').nth(1).unwrap();
    assert!(!answer.body.contains(token), "the session token is in the body");
    let me = call_as(&app, Some(&cookie), "account/current", "").await.json();
    assert_eq!(me["role"], "buyer");
    assert_eq!(me["organisation_name"], "Préfecture de Seine-et-Marne");
    assert!(me.get("id").is_none(), "no database ids on the wire");
    // Signed out, the same cookie opens nothing.
    call_as(&app, Some(&cookie), "account/sign-out", "").await;
    assert!(call_as(&app, Some(&cookie), "account/current", "")
        .await
        .json()
        .is_null());
    assert_not_logged(token, "a session token");
    assert_not_logged(DEMO_PASSWORD, "a password");

    // Signing in goes back to the page the person was reading, never to another site.
    for (back_to, expected) in [
        ("/compte", "/compte"),
        ("/consultations/1?de=1&a=2", "/consultations/1?de=1&a=2"),
        ("//evil.example/", "/acheteur"),
        ("https://evil.example/", "/acheteur"),
        ("/compte\r\nSet-Cookie: x=1", "/acheteur"),
    ] {
        let answer = call(
            &app,
            "account/sign-in",
            &form(&[("email", BUYER), ("password", DEMO_PASSWORD), ("back_to", back_to)]),
        )
        .await;
        assert_eq!(answer.headers["location"].to_str().unwrap(), expected, "{back_to:?}");
    }
}

async fn an_expired_session_opens_nothing(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let cookie = sign_in(&app, BUYER, DEMO_PASSWORD).await;
    assert!(!call_as(&app, Some(&cookie), "account/current", "")
        .await
        .json()
        .is_null());
    sqlx::query("update sessions set expires_at = 0")
        .execute(db.db.pool())
        .await
        .unwrap();
    assert!(call_as(&app, Some(&cookie), "account/current", "")
        .await
        .json()
        .is_null());
    assert_eq!(call_as(&app, Some(&cookie), "consultations/mine", "").await.status, 401);
}

async fn unknown_email_and_wrong_password_get_the_same_answer(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let wrong = call(
        &app,
        "account/sign-in",
        &form(&[("email", BUYER), ("password", "pas le bon mot de passe")]),
    )
    .await;
    let unknown = call(
        &app,
        "account/sign-in",
        &form(&[("email", "personne@nulle-part.fr"), ("password", "pas le bon")]),
    )
    .await;
    assert_eq!(wrong.status, 401);
    assert_eq!((wrong.status, &wrong.body), (unknown.status, &unknown.body));
    assert!(
        wrong.body.contains("Adresse e-mail ou mot de passe incorrect"),
        "{}",
        wrong.body
    );
    assert!(session_cookie(&wrong).is_none());
}

async fn repeated_failures_throttle_the_account(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    for _ in 0..5 {
        let a = call(
            &app,
            "account/sign-in",
            &form(&[("email", BUYER), ("password", "essai au hasard")]),
        )
        .await;
        assert_eq!(a.status, 401, "{}", a.body);
    }
    // Even the right password is refused now, with a message that says what to do.
    let a = call(
        &app,
        "account/sign-in",
        &form(&[("email", BUYER), ("password", DEMO_PASSWORD)]),
    )
    .await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("Trop de tentatives"), "{}", a.body);
    assert!(session_cookie(&a).is_none());
    // Another account is not affected.
    sign_in(&app, "relecteur@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
}

async fn a_password_change_checks_the_policy_and_closes_other_sessions(db: &TestDb) {
    logs();
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let here = sign_in(&app, BUYER, DEMO_PASSWORD).await;
    let elsewhere = sign_in(&app, BUYER, DEMO_PASSWORD).await;
    let weak = call_as(
        &app,
        Some(&here),
        "account/password",
        &form(&[("current", DEMO_PASSWORD), ("new", "azerty"), ("confirm", "azerty")]),
    )
    .await;
    assert_eq!(weak.status, 422);
    assert!(weak.body.contains("au moins 12"), "{}", weak.body);
    let new = "une phrase que personne ne devine";
    let ok = call_as(
        &app,
        Some(&here),
        "account/password",
        &form(&[("current", DEMO_PASSWORD), ("new", new), ("confirm", new)]),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(
        !call_as(&app, Some(&here), "account/current", "").await.json().is_null(),
        "this session stays"
    );
    assert!(
        call_as(&app, Some(&elsewhere), "account/current", "")
            .await
            .json()
            .is_null(),
        "other sessions close"
    );
    let old = call(
        &app,
        "account/sign-in",
        &form(&[("email", BUYER), ("password", DEMO_PASSWORD)]),
    )
    .await;
    assert_eq!(old.status, 401);
    sign_in(&app, BUYER, new).await;
    assert_not_logged(new, "a new password");
}

async fn an_invitation_is_a_single_use_link_that_expires(db: &TestDb) {
    logs();
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let admin = sign_in(&app, "admin@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
    let company: i64 = sqlx::query_scalar("select id from organisations where name = 'Propreté Meldoise'")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    let sent = call_as(
        &app,
        Some(&admin),
        "admin/invite",
        &form(&[
            ("email", "Nouvelle.Personne@Exemple.fr"),
            ("role", "supplier"),
            ("organisation_id", &company.to_string()),
        ]),
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let token = mailed_token(db, "nouvelle.personne@exemple.fr").await;
    assert_eq!(token.len(), 64);
    assert!(
        !sent.body.contains(&token),
        "the admin's answer must not carry the link"
    );
    let stored: i64 = sqlx::query_scalar("select count(*) from invitations where token_hash = $1")
        .bind(&token)
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert_eq!(stored, 0, "only a hash of the token is stored");

    let page = common::get(&app, &format!("/invitation/{token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("nouvelle.personne@exemple.fr"), "{}", page.body);
    let details = call(&app, "account/invitation", &form(&[("token", &token)])).await;
    assert_eq!(details.json()["organisation_name"], "Propreté Meldoise");
    let password = "un mot de passe pour le sourcing";
    let accept = |token: String| {
        let app = app.clone();
        async move {
            call(
                &app,
                "account/accept-invitation",
                &form(&[
                    ("token", &token),
                    ("display_name", "Nouvelle Personne"),
                    ("password", password),
                    ("confirm", password),
                ]),
            )
            .await
        }
    };
    let first = accept(token.clone()).await;
    assert!(
        first.status.is_success() || first.status.is_redirection(),
        "{}",
        first.body
    );
    let cookie = session_cookie(&first).expect("signed in after accepting");
    assert_eq!(
        call_as(&app, Some(&cookie), "account/current", "").await.json()["role"],
        "supplier"
    );
    let again = accept(token.clone()).await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("plus valable"), "{}", again.body);

    // An expired link is refused too.
    call_as(
        &app,
        Some(&admin),
        "admin/invite",
        &form(&[("email", "tard@exemple.fr"), ("role", "admin")]),
    )
    .await;
    let late = mailed_token(db, "tard@exemple.fr").await;
    sqlx::query("update invitations set expires_at = 0 where email = 'tard@exemple.fr'")
        .execute(db.db.pool())
        .await
        .unwrap();
    assert_eq!(accept(late.clone()).await.status, 422);

    assert_not_logged(&token, "an invitation token");
    assert_not_logged(&late, "an invitation token");
    assert_not_logged(password, "a password");
}

async fn organisations_are_validated_before_creation(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let app = app(&db.db);
    let admin = sign_in(&app, "admin@demo.jesaisfaire.fr", DEMO_PASSWORD).await;
    let create = |siret: &'static str, departement: &'static str| {
        let (app, admin) = (app.clone(), admin.clone());
        async move {
            call_as(
                &app,
                Some(&admin),
                "admin/create-organisation",
                &form(&[
                    ("kind", "company"),
                    ("name", "Atelier Numérique de la Brie"),
                    ("siret", siret),
                    ("departement", departement),
                    ("cpv_codes", "72250000-2"),
                    ("departements_served", "77, 91"),
                    ("is_sme", "on"),
                ]),
            )
            .await
        }
    };
    let bad_key = create("73282932000075", "77").await;
    assert_eq!(bad_key.status, 422);
    assert!(bad_key.body.contains("clé de contrôle"), "{}", bad_key.body);
    // Named by field, for the form to show each message under its field.
    let problem_with = |body: &str, field: &str| {
        serde_json::from_str::<jesaisfaire::error::AppError>(body)
            .unwrap()
            .problem_with(field)
    };
    assert!(problem_with(&bad_key.body, "siret").is_some_and(|m| m.contains("clé de contrôle")));
    assert_eq!(problem_with(&bad_key.body, "departement"), None);
    assert!(
        create("73282932000074", "77").await.body.contains("existe déjà"),
        "SIRET already used by a demo company"
    );
    let bad_departement = create("552100554", "99").await;
    assert!(problem_with(&bad_departement.body, "departement").is_some_and(|m| m.contains("« 99 »")));
    let ok = create("552100554", "77").await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.json()["is_sme"], true);
    assert_eq!(ok.json()["departements_served"], serde_json::json!(["77", "91"]));
}

/// The password hash is read only where a password is checked: the user a request carries (and
/// may print in a log) has none (defect 10).
async fn the_user_of_a_request_carries_no_password_hash(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let pool = db.db.pool();
    let user = jesaisfaire::server::db::accounts::user_by_email(pool, "acheteuse@demo.jesaisfaire.fr")
        .await
        .unwrap()
        .unwrap();
    let printed = format!("{user:?}");
    assert!(printed.contains("acheteuse@demo"), "{printed}");
    assert!(!printed.contains("argon2"), "{printed}");
    let (_, hash) = jesaisfaire::server::db::accounts::credentials(pool, "acheteuse@demo.jesaisfaire.fr")
        .await
        .unwrap()
        .unwrap();
    assert!(
        hash.as_str().starts_with("$argon2id$"),
        "the credentials are there when asked for"
    );
}

on_both_backends!(
    the_user_of_a_request_carries_no_password_hash,
    signing_in_sets_a_protected_session_cookie,
    an_expired_session_opens_nothing,
    unknown_email_and_wrong_password_get_the_same_answer,
    repeated_failures_throttle_the_account,
    a_password_change_checks_the_policy_and_closes_other_sessions,
    an_invitation_is_a_single_use_link_that_expires,
    organisations_are_validated_before_creation,
);

#[tokio::test]
async fn over_https_the_cookie_is_secure_with_the_host_prefix() {
    let db = TestDb::sqlite().await;
    demo::load_if_empty(&db.db).await.unwrap();
    let state = jesaisfaire::server::AppState::new(
        leptos::prelude::LeptosOptions::builder()
            .output_name("jesaisfaire")
            .build(),
        db.db.clone(),
        "https://jesaisfaire.example.fr",
    );
    let app = jesaisfaire::server::http::router(state, 1 << 20);
    let answer = call(
        &app,
        "account/sign-in",
        &form(&[("email", BUYER), ("password", DEMO_PASSWORD)]),
    )
    .await;
    let header = answer.headers["set-cookie"].to_str().unwrap();
    assert!(header.starts_with("__Host-jsf_session="), "{header}");
    assert!(header.contains("; Secure"), "{header}");
    db.finish().await;
}
