//! Sourcing calendars and retro-plannings through the real HTTP stack, on SQLite and PostgreSQL;
//! the exported iCalendar files are read by a real parser (PyPI `icalendar`, scripts/check-ics.py).

mod common;

use common::{app, form, get, TestDb};
use jesaisfaire::domain::calendar::Date;
use jesaisfaire::model::{CalendarFeedLink, CalendarFeedStatus, ConsultationDetail, ConsultationStatus, RetroPlans};
use jesaisfaire::server::demo::{self, DEMO_PASSWORD};
use serde_json::json;

const BUYER: &str = "acheteuse@demo.jesaisfaire.fr";

fn today() -> Date {
    common::today()
}

type Session = common::Client;

impl common::Client {
    async fn new(db: &TestDb, email: &str) -> Session {
        demo::load_if_empty(&db.db).await.unwrap();
        Session::signed_in(&app(&db.db), email).await
    }

    /// A consultation with version 1 published and announced.
    async fn announced_consultation(&self) -> i64 {
        let answer = self
            .call(
                "consultations/create",
                &form(&[
                    ("title", "Entretien des espaces verts"),
                    ("object", "Tonte et taille."),
                    ("cpv_codes", "77310000-6"),
                    ("departements", "77"),
                    ("mode", "open"),
                    ("expected_tender", ""),
                ]),
            )
            .await;
        let id: i64 = answer.body.parse().unwrap_or_else(|_| panic!("{}", answer.body));
        let body = json!({"id": id, "base_version": null,
            "draft": {"markdown": "## 1 Objet\n\nTonte.\n", "criteria": [], "changelog": ""}});
        assert_eq!(self.call("consultations/publish", &body.to_string()).await.status, 200);
        let announced = self
            .call("consultations/status", &format!("id={id}&to=announced"))
            .await;
        assert!(
            announced.status.is_success() || announced.status.is_redirection(),
            "{}",
            announced.body
        );
        id
    }

    async fn save_calendar(&self, id: i64, start: Date, call_days: u32, exchange_days: u32) -> common::Answer {
        let body = json!({"id": id, "settings": {"mode": "Open", "start": start.to_string(),
            "call_days": call_days, "exchange_days": exchange_days, "drafting_days": 21}});
        self.call("consultations/calendar", &body.to_string()).await
    }

    async fn detail(&self, id: i64) -> ConsultationDetail {
        let answer = self.call("consultations/get", &format!("id={id}")).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        serde_json::from_str(&answer.body).unwrap()
    }
}

/// Runs scripts/check-ics.py on an exported file and returns its event lines (UID, first day,
/// last day, summary, description).
fn check_ics(body: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.ics");
    std::fs::write(&path, body).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/check-ics.py");
    let output = std::process::Command::new("python3")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 runs (scripts/install-tools.sh test installs icalendar)");
    assert!(
        output.status.success(),
        "check-ics refused the file: {}\n{body}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|line| line.split('\t').next().is_some_and(|uid| uid.contains('@')))
        .map(str::to_owned)
        .collect()
}

async fn the_status_follows_the_calendar(db: &TestDb) {
    let buyer = Session::new(db, BUYER).await;
    let id = buyer.announced_consultation().await;

    // A call for participation that started 16 days ago: the exchanges are open by now.
    let answer = buyer.save_calendar(id, today().add_days(-16), 14, 14).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let detail = buyer.detail(id).await;
    assert_eq!(detail.summary.status, ConsultationStatus::Exchanges);
    let calendar = detail.calendar.expect("the calendar is shown");
    assert_eq!(calendar.phases.len(), 3);
    assert_eq!(
        detail.summary.dates.exchanges_start.as_deref(),
        Some(calendar.phases[1].start.to_string().as_str())
    );

    // Moved to start next month: announced, the phases are ahead.
    assert_eq!(buyer.save_calendar(id, today().add_days(30), 14, 14).await.status, 200);
    assert_eq!(buyer.detail(id).await.summary.status, ConsultationStatus::Announced);

    // Dated phases cannot be forced by hand.
    let forced = buyer
        .call("consultations/status", &format!("id={id}&to=call_for_participation"))
        .await;
    assert_eq!(forced.status, 409, "{}", forced.body);
    assert!(forced.body.contains("suivent son calendrier"), "{}", forced.body);
}

async fn a_calendar_that_breaks_the_rules_is_refused_in_french(db: &TestDb) {
    let buyer = Session::new(db, BUYER).await;
    let id = buyer.announced_consultation().await;
    let answer = buyer.save_calendar(id, today().add_days(10), 10, 30).await;
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert!(
        answer
            .body
            .contains("L'appel à participation doit durer au moins 2 semaines"),
        "{}",
        answer.body
    );
    assert!(buyer.detail(id).await.calendar.is_none(), "nothing saved");
}

async fn a_new_version_late_in_the_exchanges_extends_them(db: &TestDb) {
    let buyer = Session::new(db, BUYER).await;
    let id = buyer.announced_consultation().await;
    // Exchanges of 14 days that started 13 days ago: they close tomorrow or so.
    let start = today().add_days(-13 - 14);
    assert_eq!(buyer.save_calendar(id, start, 14, 14).await.status, 200);
    let before = buyer.detail(id).await.calendar.unwrap().phases[1];
    assert!(before.contains(today()), "exchanges open today: {before:?}");

    let body = json!({"id": id, "base_version": 1,
        "draft": {"markdown": "## 1 Objet\n\nTonte et taille.\n", "criteria": [], "changelog": "Taille ajoutée."}});
    let published = buyer.call("consultations/publish", &body.to_string()).await;
    assert_eq!(published.status, 200, "{}", published.body);
    let notice = published.json()["calendar_notice"]
        .as_str()
        .map(str::to_owned)
        .expect("a notice");
    assert!(notice.contains("prolongée"), "{notice}");
    let after = buyer.detail(id).await.calendar.unwrap().phases[1];
    assert!(after.end > before.end, "{before:?} -> {after:?}");
    assert!(
        jesaisfaire::domain::calendar::business_days_between(today(), after.end, Default::default()) >= 5,
        "at least 5 business days after the version: {after:?}"
    );
    // The extension is a fact: the buyer can still save the calendar as planned (14 days of
    // exchanges), and the extension stays (defect 4: saving re-checked the extended length).
    let settings = buyer.detail(id).await.calendar.unwrap().settings;
    assert_eq!(settings.exchange_days, 14, "the plan is unchanged");
    assert!(settings.extension_days > 0, "{settings:?}");
    let saved = buyer.save_calendar(id, start, 14, 14).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let again = buyer.detail(id).await.calendar.unwrap().phases[1];
    assert_eq!(again, after, "saving keeps the extension");
    let page = buyer.get(&format!("/consultations/{id}/calendrier")).await;
    assert!(page.body.contains("ont été prolongés de"), "the page explains it");
}

async fn the_calendar_exports_to_icalendar(db: &TestDb) {
    let buyer = Session::new(db, BUYER).await;
    let id = buyer.announced_consultation().await;
    assert_eq!(
        buyer
            .save_calendar(id, Date::new(2030, 3, 4).unwrap(), 14, 14)
            .await
            .status,
        200
    );
    let answer = get(&buyer.app, &format!("/consultations/{id}/calendrier.ics")).await;
    assert_eq!(answer.status, 200, "announced open sourcing: public calendar");
    assert!(answer.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let events = check_ics(&answer.body);
    assert_eq!(events.len(), 3, "{events:#?}");
    assert!(
        events[0].contains("2030-03-04\t2030-03-18\tAppel à participation"),
        "{events:#?}"
    );
    assert!(events[1].contains("Échanges"), "{events:#?}");
    assert!(events[2].contains("Rédaction du CCTP final"), "{events:#?}");

    let none = get(&buyer.app, "/consultations/999999/calendrier.ics").await;
    assert_eq!(none.status, 404);
}

async fn a_supplier_keeps_a_retro_planning_and_exports_it(db: &TestDb) {
    let supplier = Session::new(db, "entreprise@demo.jesaisfaire.fr").await;
    let created = supplier
        .call(
            "planning/save",
            &form(&[("title", "Maintenance informatique 77"), ("submission", "2027-09-15")]),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let plan: i64 = created.body.parse().unwrap();
    let ticked = supplier
        .call(
            "planning/task",
            &form(&[
                ("plan", &plan.to_string()),
                ("key", "submission.submit"),
                ("done", "true"),
                ("note", "Dossier prêt"),
            ]),
        )
        .await;
    assert_eq!(ticked.status, 200, "{}", ticked.body);
    let mine: RetroPlans = serde_json::from_str(&supplier.call("planning/mine", "").await.body).unwrap();
    assert_eq!(mine.today, today(), "the server's date, for the timelines");
    let plans = mine.plans;
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].submission, Date::new(2027, 9, 15).unwrap());
    let task = plans[0].tasks.iter().find(|t| t.key == "submission.submit").unwrap();
    assert!(task.done);
    assert_eq!(task.note, "Dossier prêt");

    let ics = supplier
        .get(&format!("/entreprise/planning/{plan}/calendrier.ics"))
        .await;
    assert_eq!(ics.status, 200, "{}", ics.body);
    let events = check_ics(&ics.body);
    assert_eq!(events.len(), 4, "{events:#?}");
    assert!(events[0].contains("2026-09-15"), "J-12 months: {events:#?}");
    assert!(events[3].contains("2027-09-15\t2027-09-15"), "J: {events:#?}");

    // Another company sees neither the plan nor its calendar, and cannot tick its tasks.
    let other = Session::new(db, "proprete@demo.jesaisfaire.fr").await;
    assert_eq!(
        other
            .get(&format!("/entreprise/planning/{plan}/calendrier.ics"))
            .await
            .status,
        404
    );
    let refused = other
        .call(
            "planning/task",
            &form(&[
                ("plan", &plan.to_string()),
                ("key", "submission.submit"),
                ("done", "false"),
                ("note", ""),
            ]),
        )
        .await;
    assert_eq!(refused.status, 404);
    let bad = supplier
        .call("planning/save", &form(&[("title", "AO"), ("submission", "2027-02-30")]))
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("n'existe pas"), "{}", bad.body);
}

async fn a_private_link_subscribes_to_every_calendar_one_follows(db: &TestDb) {
    let buyer = Session::new(db, BUYER).await;
    let id = buyer.announced_consultation().await;
    assert_eq!(
        buyer
            .save_calendar(id, Date::new(2030, 3, 4).unwrap(), 14, 14)
            .await
            .status,
        200
    );
    let supplier = Session::new(db, "entreprise@demo.jesaisfaire.fr").await;
    supplier
        .call(
            "planning/save",
            &form(&[("title", "Nettoyage 77"), ("submission", "2028-01-10")]),
        )
        .await;

    let link = supplier.call("account/calendar-feed", "").await;
    assert_eq!(link.status, 200, "{}", link.body);
    let link: CalendarFeedLink = serde_json::from_str(&link.body).unwrap();
    assert_eq!(link.expires_at, common::test_clock().now() + 365 * 86_400, "a year");
    let url = link.url;
    let path = url
        .strip_prefix("http://127.0.0.1:3000")
        .expect("an absolute link on the public URL");
    // No cookie: an agenda application cannot sign in.
    let feed = get(&supplier.app, path).await;
    assert_eq!(feed.status, 200, "{}", feed.body);
    let events = check_ics(&feed.body);
    assert!(
        events.iter().any(|e| e.contains(&format!("consultation-{id}@"))),
        "{events:#?}"
    );
    assert!(events.iter().any(|e| e.contains("Nettoyage 77")), "{events:#?}");

    // A new link replaces the old one.
    let renewed: CalendarFeedLink =
        serde_json::from_str(&supplier.call("account/calendar-feed", "").await.body).unwrap();
    assert_ne!(renewed.url, url);
    assert_eq!(get(&supplier.app, path).await.status, 404);
    let path = renewed.url.strip_prefix("http://127.0.0.1:3000").unwrap().to_owned();
    assert_eq!(get(&supplier.app, &path).await.status, 200);

    // The buyer's feed has the organisation's consultation, not the company's plans.
    let buyer_link: CalendarFeedLink =
        serde_json::from_str(&buyer.call("account/calendar-feed", "").await.body).unwrap();
    let buyer_feed = get(
        &buyer.app,
        buyer_link.url.strip_prefix("http://127.0.0.1:3000").unwrap(),
    )
    .await;
    let events = check_ics(&buyer_feed.body);
    assert!(
        events.iter().any(|e| e.contains(&format!("consultation-{id}@"))),
        "{events:#?}"
    );
    assert!(!events.iter().any(|e| e.contains("Nettoyage 77")), "{events:#?}");
}

/// The consultation page offers the buyer only the step the server accepts: no « Clore les
/// échanges » on a consultation whose phases follow its calendar (defect 7).
async fn only_the_steps_the_server_accepts_are_offered(db: &TestDb) {
    let buyer = Session::new(db, BUYER).await;
    let id = buyer.announced_consultation().await;
    let page = buyer.get(&format!("/consultations/{id}")).await;
    assert!(
        page.body.contains("Ouvrir l&#x27;appel à participation")
            || page.body.contains("Ouvrir l'appel à participation"),
        "without a calendar the buyer moves the phases"
    );
    let start = today().add_days(-14);
    assert_eq!(buyer.save_calendar(id, start, 14, 14).await.status, 200);
    assert_eq!(buyer.detail(id).await.summary.status, ConsultationStatus::Exchanges);
    let page = buyer.get(&format!("/consultations/{id}")).await;
    assert!(!page.body.contains("Clore les échanges"), "offered, then refused");
    let refused = buyer
        .call("consultations/status", &format!("id={id}&to=drafting"))
        .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("suivent son calendrier"), "{}", refused.body);
}

/// An agenda link stops working when its owner revokes it, changes their password, or a year
/// after it was made (defect F: it never expired and survived a password change).
async fn an_agenda_link_can_be_revoked_and_expires(db: &TestDb) {
    let supplier = Session::new(db, "entreprise@demo.jesaisfaire.fr").await;
    let new_link = || async {
        let answer = supplier.call("account/calendar-feed", "").await;
        let link: CalendarFeedLink = serde_json::from_str(&answer.body).unwrap();
        link.url.strip_prefix("http://127.0.0.1:3000").unwrap().to_owned()
    };
    let app = &supplier.app;
    let status = |path: String| async move { get(app, &path).await.status.as_u16() };
    let current = || async {
        let answer = supplier.call("account/calendar-feed/status", "").await;
        serde_json::from_str::<Option<CalendarFeedStatus>>(&answer.body).unwrap()
    };

    let path = new_link().await;
    assert_eq!(status(path.clone()).await, 200);
    assert!(current().await.is_some());
    let revoked = supplier.call("account/calendar-feed/revoke", "").await;
    assert_eq!(revoked.status, 200, "{}", revoked.body);
    assert_eq!(status(path).await, 404, "revoked");
    assert_eq!(current().await, None);

    let path = new_link().await;
    let changed = supplier
        .call(
            "account/password",
            &form(&[
                ("current", DEMO_PASSWORD),
                ("new", "une toute nouvelle phrase"),
                ("confirm", "une toute nouvelle phrase"),
            ]),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(status(path).await, 404, "a password change revokes the link");

    let path = new_link().await;
    db.db.clock().advance(364 * 86_400);
    assert_eq!(status(path.clone()).await, 200, "still valid after 364 days");
    db.db.clock().advance(2 * 86_400);
    assert_eq!(status(path).await, 404, "expired after a year");
}

/// A consultation whose calendar cannot be read fails the feed (logged, 500) instead of being
/// silently left out of it (defect 8).
async fn an_unreadable_calendar_fails_the_feed(db: &TestDb) {
    let buyer = Session::new(db, BUYER).await;
    let id = buyer.announced_consultation().await;
    assert_eq!(buyer.save_calendar(id, today().add_days(3), 14, 14).await.status, 200);
    let link: CalendarFeedLink = serde_json::from_str(&buyer.call("account/calendar-feed", "").await.body).unwrap();
    let path = link.url.strip_prefix("http://127.0.0.1:3000").unwrap().to_owned();
    assert_eq!(get(&buyer.app, &path).await.status, 200);
    sqlx::query("update consultations set calendar_settings = '{\"mode\": 12' where id = $1")
        .bind(id)
        .execute(db.db.pool())
        .await
        .unwrap();
    let feed = get(&buyer.app, &path).await;
    assert_eq!(feed.status, 500, "{}", feed.body);
    assert!(feed.body.contains("erreur interne"), "{}", feed.body);
}

on_both_backends!(
    only_the_steps_the_server_accepts_are_offered,
    an_agenda_link_can_be_revoked_and_expires,
    an_unreadable_calendar_fails_the_feed,
    a_private_link_subscribes_to_every_calendar_one_follows,
    the_status_follows_the_calendar,
    a_calendar_that_breaks_the_rules_is_refused_in_french,
    a_new_version_late_in_the_exchanges_extends_them,
    the_calendar_exports_to_icalendar,
    a_supplier_keeps_a_retro_planning_and_exports_it,
);
