//! Companies register themselves: the confirmation mail really sent (to an SMTP server started by
//! the test) and its link followed, expiry and reuse refused, the same answer whether the e-mail
//! or the SIRET is known, throttling, a second person joining a company only once a member
//! accepts, the company's profile. On SQLite and PostgreSQL.

mod common;

use common::smtp::SmtpServer;
use common::{app, call, call_as, form, get, get_as, session_cookie, Answer, Client, TestDb};
use jesaisfaire::server::demo;
use jesaisfaire::server::mail::{deliver_due, MailSender};

const NEW_SIRET: &str = "52314789600014";
/// Brie Informatique Services, a demo company (entreprise@demo is a member).
const BRIE_SIRET: &str = "73282932000074";
const PASSWORD: &str = "une phrase assez longue pour être sûre";

fn registration(siret: &str, email: &str) -> String {
    form(&[
        ("siret", siret),
        ("company_name", "Paysages de la Brie"),
        ("display_name", "Camille Martin"),
        ("email", email),
        ("password", PASSWORD),
        ("confirm", PASSWORD),
    ])
}

/// The SMTP server and a sender to it: what the background sender does, one pass at a time.
struct Mailbox {
    smtp: SmtpServer,
    sender: MailSender,
}

impl Mailbox {
    async fn start() -> Mailbox {
        let smtp = SmtpServer::start().await;
        let sender = MailSender::new(&smtp.config()).unwrap();
        Mailbox { smtp, sender }
    }

    /// Delivers the outbox, then the text of the last mail received by `to`.
    async fn last_text_to(&self, db: &TestDb, to: &str) -> String {
        deliver_due(&db.db, &self.sender).await.unwrap();
        let mail = self
            .smtp
            .received()
            .into_iter()
            .rev()
            .find(|m| m.to.iter().any(|t| t == to))
            .unwrap_or_else(|| panic!("no mail to {to}"));
        mail.part("text/plain").expect("a text body")
    }

    async fn count_to(&self, db: &TestDb, to: &str) -> usize {
        deliver_due(&db.db, &self.sender).await.unwrap();
        self.smtp
            .received()
            .iter()
            .filter(|m| m.to.iter().any(|t| t == to))
            .count()
    }
}

fn confirmation_token(text: &str) -> String {
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:3000/inscription/confirmer/"))
        .unwrap_or_else(|| panic!("no confirmation link in:\n{text}"));
    link.rsplit('/').next().unwrap().to_string()
}

fn accepted(answer: &Answer) -> bool {
    answer.status.is_success() || answer.status.is_redirection()
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.db.pool()).await.unwrap()
}

async fn a_company_registers_through_the_mailed_link_and_fills_its_profile(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let mailbox = Mailbox::start().await;
    let app = app(&db.db);
    let sent = call(
        &app,
        "account/register",
        &registration(NEW_SIRET, "Camille.Martin@Paysages.fr"),
    )
    .await;
    assert!(accepted(&sent), "{} {}", sent.status, sent.body);
    assert_eq!(
        count(
            db,
            "select count(*) from users where email = 'camille.martin@paysages.fr'"
        )
        .await,
        0,
        "no account before confirmation"
    );
    let text = mailbox.last_text_to(db, "camille.martin@paysages.fr").await;
    assert!(text.contains("Paysages de la Brie"), "{text}");
    assert!(text.contains("24 heures"), "{text}");
    let token = confirmation_token(&text);
    // The link opens a page that asks to confirm (a mail scanner following it creates nothing).
    let page = get(&app, &format!("/inscription/confirmer/{token}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("camille.martin@paysages.fr") && page.body.contains("Confirmer et créer mon compte"));
    assert_eq!(
        count(
            db,
            "select count(*) from users where email = 'camille.martin@paysages.fr'"
        )
        .await,
        0
    );
    let confirmed = call(&app, "account/confirm-registration", &form(&[("token", &token)])).await;
    assert!(accepted(&confirmed), "{} {}", confirmed.status, confirmed.body);
    let cookie = session_cookie(&confirmed).expect("signed in after confirming");
    // Single use.
    let again = call(&app, "account/confirm-registration", &form(&[("token", &token)])).await;
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(again.body.contains("n'est plus valable"), "{}", again.body);
    // The company exists, with its SIRET, and the person is its member.
    let me = Client {
        app: app.clone(),
        cookie,
    };
    let profile = me.ok("company/profile", "").await.json();
    assert_eq!(profile["name"], "Paysages de la Brie");
    assert_eq!(profile["siret"], NEW_SIRET);
    // The profile: bad input refused with every problem, nothing changed.
    let bad = me
        .call(
            "company/profile/save",
            &form(&[
                ("departement", "77"),
                ("cpv_codes", "77310000-0"),
                ("departements_served", "77 999"),
                ("presentation", ""),
                ("website", "javascript:alert(1)"),
            ]),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("999") && bad.body.contains("javascript:alert(1)"),
        "{}",
        bad.body
    );
    assert_eq!(
        me.ok("company/profile", "").await.json()["departements_served"],
        serde_json::json!([])
    );
    let saved = me
        .ok(
            "company/profile/save",
            &form(&[
                ("departement", "77"),
                ("cpv_codes", "90910000-9 72250000-2"),
                ("departements_served", "77, 91"),
                ("is_sme", "on"),
                (
                    "presentation",
                    "Entretien des **espaces verts** <script>alert(1)</script>",
                ),
                ("website", "https://paysages-brie.fr"),
            ]),
        )
        .await
        .json();
    assert_eq!(saved["departements_served"], serde_json::json!(["77", "91"]));
    assert_eq!(saved["is_sme"], true);
    let html = saved["presentation_html"].as_str().unwrap();
    assert!(html.contains("<strong>espaces verts</strong>"), "{html}");
    assert!(!html.contains("<script"), "sanitised: {html}");
    // A member takes part: the new company joins the demo's open sourcing.
    let joined = me.call("contributions/participate", "id=1").await;
    assert_eq!(joined.status, 200, "{}", joined.body);
    // The account page holds the profile form.
    let page = get_as(&app, Some(&me.cookie), "/compte").await;
    assert!(
        page.body.contains("Profil de Paysages de la Brie"),
        "the account page shows the profile"
    );
}

async fn an_expired_link_creates_nothing(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let mailbox = Mailbox::start().await;
    let app = app(&db.db);
    assert!(accepted(
        &call(&app, "account/register", &registration(NEW_SIRET, "tard@paysages.fr")).await
    ));
    let token = confirmation_token(&mailbox.last_text_to(db, "tard@paysages.fr").await);
    db.db.clock().advance(24 * 3600 + 1);
    let page = get(&app, &format!("/inscription/confirmer/{token}")).await;
    assert!(
        page.body.contains("n'est plus valable"),
        "the page says the link expired"
    );
    let confirmed = call(&app, "account/confirm-registration", &form(&[("token", &token)])).await;
    assert_eq!(confirmed.status, 422);
    assert!(session_cookie(&confirmed).is_none());
    assert_eq!(
        count(db, "select count(*) from users where email = 'tard@paysages.fr'").await,
        0
    );
    assert_eq!(
        count(
            db,
            &format!("select count(*) from organisations where siret = '{NEW_SIRET}'")
        )
        .await,
        0
    );
    // Registering again sends a fresh link that works.
    assert!(accepted(
        &call(&app, "account/register", &registration(NEW_SIRET, "tard@paysages.fr")).await
    ));
    let fresh = confirmation_token(&mailbox.last_text_to(db, "tard@paysages.fr").await);
    assert_ne!(fresh, token);
    let confirmed = call(&app, "account/confirm-registration", &form(&[("token", &fresh)])).await;
    assert!(accepted(&confirmed), "{}", confirmed.body);
}

async fn the_answer_never_tells_what_is_known(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let mailbox = Mailbox::start().await;
    let app = app(&db.db);
    let new = call(
        &app,
        "account/register",
        &registration(NEW_SIRET, "nouvelle@exemple.fr"),
    )
    .await;
    let known_email = call(
        &app,
        "account/register",
        &registration(NEW_SIRET, "entreprise@demo.jesaisfaire.fr"),
    )
    .await;
    let known_siret = call(&app, "account/register", &registration(BRIE_SIRET, "autre@exemple.fr")).await;
    let shape = |a: &Answer, email: &str| (a.status, a.headers.get("location").cloned(), a.body.replace(email, "E"));
    assert_eq!(
        shape(&new, "nouvelle@exemple.fr"),
        shape(&known_email, "entreprise@demo.jesaisfaire.fr")
    );
    assert_eq!(
        shape(&new, "nouvelle@exemple.fr"),
        shape(&known_siret, "autre@exemple.fr")
    );
    // The owner of a known address is told by mail, and no second account is prepared.
    let text = mailbox.last_text_to(db, "entreprise@demo.jesaisfaire.fr").await;
    assert!(text.contains("vous avez déjà un compte"), "{text}");
    assert!(!text.contains("/inscription/confirmer/"), "{text}");
    assert_eq!(
        count(
            db,
            "select count(*) from pending_registrations where email = 'entreprise@demo.jesaisfaire.fr'"
        )
        .await,
        0
    );
}

async fn bad_input_is_refused_and_nothing_is_kept(db: &TestDb) {
    let app = app(&db.db);
    for (siret, expected) in [
        ("73282932000075", "clé de contrôle"),
        ("732829320", "SIREN"),
        ("7328 2932 0000 7", "14"),
    ] {
        let answer = call(&app, "account/register", &registration(siret, "x@exemple.fr")).await;
        assert_eq!(answer.status, 422, "{siret}");
        assert!(answer.body.contains(expected), "{siret}: {}", answer.body);
    }
    let mismatch = call(
        &app,
        "account/register",
        &form(&[
            ("siret", NEW_SIRET),
            ("company_name", "P"),
            ("display_name", "C"),
            ("email", "pas-une-adresse"),
            ("password", PASSWORD),
            ("confirm", "autre chose encore plus longue"),
        ]),
    )
    .await;
    assert_eq!(mismatch.status, 422);
    for expected in ["raison sociale", "prénom", "différentes"] {
        assert!(
            mismatch.body.contains(expected),
            "{expected} missing: {}",
            mismatch.body
        );
    }
    assert_eq!(count(db, "select count(*) from pending_registrations").await, 0);
    assert_eq!(count(db, "select count(*) from outbox").await, 0);
}

async fn registrations_are_throttled_per_email_and_per_address(db: &TestDb) {
    let app = app(&db.db);
    for _ in 0..3 {
        assert!(accepted(
            &call(
                &app,
                "account/register",
                &registration(NEW_SIRET, "insistant@exemple.fr")
            )
            .await
        ));
    }
    let fourth = call(
        &app,
        "account/register",
        &registration(NEW_SIRET, "insistant@exemple.fr"),
    )
    .await;
    assert_eq!(fourth.status, 403);
    assert!(fourth.body.contains("Trop de demandes"), "{}", fourth.body);
    assert_eq!(
        count(db, "select count(*) from outbox").await,
        3,
        "no mail for the refused one"
    );
    // From one address: 20 per hour, whatever the e-mails.
    let address: String = sqlx::query_scalar("select address from registration_attempts limit 1")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    for i in 0..17 {
        sqlx::query("insert into registration_attempts (email, address, attempted_at) values ($1, $2, $3)")
            .bind(format!("robot{i}@exemple.fr"))
            .bind(&address)
            .bind(db.db.now())
            .execute(db.db.pool())
            .await
            .unwrap();
    }
    let other = call(&app, "account/register", &registration(NEW_SIRET, "autre@exemple.fr")).await;
    assert_eq!(other.status, 403, "{}", other.body);
    // An hour later, allowed again.
    db.db.clock().advance(3601);
    assert!(accepted(
        &call(&app, "account/register", &registration(NEW_SIRET, "autre@exemple.fr")).await
    ));
}

async fn a_second_person_joins_only_when_a_member_accepts(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let mailbox = Mailbox::start().await;
    let app = app(&db.db);
    assert!(accepted(
        &call(
            &app,
            "account/register",
            &registration(BRIE_SIRET, "nouveau@brie-informatique.fr")
        )
        .await
    ));
    let token = confirmation_token(&mailbox.last_text_to(db, "nouveau@brie-informatique.fr").await);
    let confirmed = call(&app, "account/confirm-registration", &form(&[("token", &token)])).await;
    assert!(accepted(&confirmed), "{}", confirmed.body);
    let newcomer = Client {
        app: app.clone(),
        cookie: session_cookie(&confirmed).unwrap(),
    };
    // No second company; the person waits, reads, but does not take part.
    assert_eq!(
        count(
            db,
            &format!("select count(*) from organisations where siret = '{BRIE_SIRET}'")
        )
        .await,
        1
    );
    assert_eq!(newcomer.call("contributions/participate", "id=1").await.status, 403);
    assert_eq!(newcomer.call("company/profile", "").await.status, 403);
    assert_eq!(newcomer.call("company/join-requests", "").await.status, 403);
    assert_eq!(newcomer.get("/consultations/1").await.status, 200);
    let home = newcomer.get("/entreprise").await;
    assert!(
        home.body.contains("attend l'accord"),
        "the company space says the request waits"
    );
    // The member is told by mail and sees the request; another company does not.
    let told = mailbox.last_text_to(db, "entreprise@demo.jesaisfaire.fr").await;
    assert!(
        told.contains("nouveau@brie-informatique.fr") && told.contains("/compte"),
        "{told}"
    );
    let member = Client::signed_in(&app, "entreprise@demo.jesaisfaire.fr").await;
    let outsider = Client::signed_in(&app, "numerique@demo.jesaisfaire.fr").await;
    let waiting = member.ok("company/join-requests", "").await.json();
    assert_eq!(waiting.as_array().unwrap().len(), 1);
    let id = waiting[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(
        outsider.ok("company/join-requests", "").await.json(),
        serde_json::json!([])
    );
    let stolen = outsider
        .call(
            "company/join-requests/decide",
            &form(&[("request_id", &id), ("decision", "accept")]),
        )
        .await;
    assert_eq!(stolen.status, 404, "another company's request is not found");
    // The newcomer cannot accept themselves either.
    let own = newcomer
        .call(
            "company/join-requests/decide",
            &form(&[("request_id", &id), ("decision", "accept")]),
        )
        .await;
    assert_eq!(own.status, 403);
    assert_eq!(newcomer.call("contributions/participate", "id=1").await.status, 403);
    // The member accepts: the newcomer is told and takes part.
    let left = member
        .ok(
            "company/join-requests/decide",
            &form(&[("request_id", &id), ("decision", "accept")]),
        )
        .await;
    assert_eq!(left.json(), serde_json::json!([]));
    let decided = member
        .call(
            "company/join-requests/decide",
            &form(&[("request_id", &id), ("decision", "refuse")]),
        )
        .await;
    assert_eq!(decided.status, 404, "decided once");
    assert!(mailbox
        .last_text_to(db, "nouveau@brie-informatique.fr")
        .await
        .contains("est acceptée"));
    let profile = newcomer.ok("company/profile", "").await.json();
    assert_eq!(profile["name"], "Brie Informatique Services");
    let joined = newcomer.call("contributions/participate", "id=1").await;
    assert_eq!(joined.status, 200, "{}", joined.body);
    // A refused request leaves the person without a company.
    assert!(accepted(
        &call(
            &app,
            "account/register",
            &registration(BRIE_SIRET, "inconnu@exemple.fr")
        )
        .await
    ));
    let token = confirmation_token(&mailbox.last_text_to(db, "inconnu@exemple.fr").await);
    let stranger =
        session_cookie(&call(&app, "account/confirm-registration", &form(&[("token", &token)])).await).unwrap();
    let id = member.ok("company/join-requests", "").await.json()[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    member
        .ok(
            "company/join-requests/decide",
            &form(&[("request_id", &id), ("decision", "refuse")]),
        )
        .await;
    assert!(mailbox
        .last_text_to(db, "inconnu@exemple.fr")
        .await
        .contains("n'a pas été acceptée"));
    assert_eq!(
        call_as(&app, Some(&stranger), "contributions/participate", "id=1")
            .await
            .status,
        403
    );
    assert_eq!(
        mailbox.count_to(db, "inconnu@exemple.fr").await,
        2,
        "the link, then the decision"
    );
}

async fn a_public_buyer_siret_is_not_a_company(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let mailbox = Mailbox::start().await;
    let app = app(&db.db);
    assert!(accepted(
        &call(
            &app,
            "account/register",
            &registration("13000770100019", "faux@exemple.fr")
        )
        .await
    ));
    let token = confirmation_token(&mailbox.last_text_to(db, "faux@exemple.fr").await);
    let confirmed = call(&app, "account/confirm-registration", &form(&[("token", &token)])).await;
    assert_eq!(confirmed.status, 409);
    assert!(confirmed.body.contains("acheteur public"), "{}", confirmed.body);
    assert_eq!(
        count(db, "select count(*) from users where email = 'faux@exemple.fr'").await,
        0
    );
}

on_both_backends!(
    a_company_registers_through_the_mailed_link_and_fills_its_profile,
    an_expired_link_creates_nothing,
    the_answer_never_tells_what_is_known,
    bad_input_is_refused_and_nothing_is_kept,
    registrations_are_throttled_per_email_and_per_address,
    a_second_person_joins_only_when_a_member_accepts,
    a_public_buyer_siret_is_not_a_company,
);
