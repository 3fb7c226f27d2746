//! Mail really leaves: the outbox is delivered to a real SMTP server (started by the test) with
//! both bodies and a link that works; a server that refuses then accepts gets each mail once,
//! across a restart and with two senders at once. On SQLite and PostgreSQL.

mod common;

use common::smtp::SmtpServer;
use common::{app, call_as, form, get, sign_in, TestDb};
use jesaisfaire::server::demo::{self, DEMO_PASSWORD};
use jesaisfaire::server::mail::{deliver_due, queue, Delivered, Mail, MailSender};

const ADMIN: &str = "admin@demo.jesaisfaire.fr";

async fn queue_one(db: &TestDb, to: &str) {
    let mail = Mail {
        to,
        subject: "Essai d'envoi",
        text: "Bonjour,\n\nCeci est un essai.",
        list_unsubscribe: None,
    };
    queue(db.db.pool(), &mail, "http://127.0.0.1:3000", db.db.now())
        .await
        .unwrap();
}

async fn an_invitation_reaches_the_smtp_server_and_its_link_works(db: &TestDb) {
    demo::load_if_empty(&db.db).await.unwrap();
    let smtp = SmtpServer::start().await;
    let sender = MailSender::new(&smtp.config()).unwrap();
    // The demo data queues no mail: what is delivered is this invitation only.
    let before = deliver_due(&db.db, &sender).await.unwrap();
    let app = app(&db.db);
    let admin = sign_in(&app, ADMIN, DEMO_PASSWORD).await;
    let sent = call_as(
        &app,
        Some(&admin),
        "admin/invite",
        &form(&[("email", "relecture@exemple.fr"), ("role", "admin")]),
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let report = deliver_due(&db.db, &sender).await.unwrap();
    assert_eq!(
        report,
        Delivered {
            sent: 1,
            ..Default::default()
        },
        "before: {before:?}"
    );
    let received = smtp.received();
    let mail = received.last().expect("the SMTP server received the invitation");
    assert_eq!(mail.to, vec!["relecture@exemple.fr".to_string()]);
    assert!(mail.from.contains("ne-pas-repondre@jesaisfaire.test"), "{}", mail.from);
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("Votre invitation à JeSaisFaire")
    );
    assert!(mail.header("Message-ID").is_some_and(|id| id.ends_with("@127.0.0.1>")));
    let text = mail.part("text/plain").expect("a plain-text body");
    let html = mail.part("text/html").expect("an HTML alternative");
    assert!(text.contains("Vous êtes invité(e) à rejoindre JeSaisFaire"), "{text}");
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:3000/invitation/"))
        .expect("the invitation link in the text");
    assert!(html.contains(&format!("<a href=\"{link}\">")), "{html}");
    // Followed, the link opens the invitation of this address.
    let page = get(&app, link.trim_start_matches("http://127.0.0.1:3000")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("relecture@exemple.fr"),
        "the invitation page names the address"
    );
    // Sent is sent: another pass delivers nothing.
    assert_eq!(deliver_due(&db.db, &sender).await.unwrap(), Delivered::default());
    assert_eq!(smtp.received().len(), received.len());
}

async fn a_server_that_refuses_then_accepts_gets_the_mail_once(db: &TestDb) {
    let smtp = SmtpServer::start().await;
    smtp.refuse_next(1);
    let sender = MailSender::new(&smtp.config()).unwrap();
    queue_one(db, "contact@exemple.fr").await;
    let first = deliver_due(&db.db, &sender).await.unwrap();
    assert_eq!(
        first,
        Delivered {
            retrying: 1,
            ..Default::default()
        }
    );
    assert!(smtp.received().is_empty());
    let (attempts, error): (i64, String) = sqlx::query_as("select attempts, last_error from outbox")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert_eq!(attempts, 1);
    assert!(
        error.contains("451") || error.to_lowercase().contains("try again"),
        "{error}"
    );
    // Not due again before its back-off.
    assert_eq!(deliver_due(&db.db, &sender).await.unwrap(), Delivered::default());
    db.db.clock().advance(61);
    assert_eq!(deliver_due(&db.db, &sender).await.unwrap().sent, 1);
    assert_eq!(smtp.received().len(), 1);
    // A restart: a new connection pool and a new sender on the same database send nothing again.
    let restarted = jesaisfaire::server::db::Db::connect(&db.url)
        .await
        .unwrap()
        .with_clock(db.db.clock().clone());
    let sender = MailSender::new(&smtp.config()).unwrap();
    db.db.clock().advance(3600);
    assert_eq!(deliver_due(&restarted, &sender).await.unwrap(), Delivered::default());
    assert_eq!(smtp.received().len(), 1, "the mail is sent once");
    restarted.close().await;
    let (sent_at, attempts): (Option<i64>, i64) = sqlx::query_as("select sent_at, attempts from outbox")
        .fetch_one(db.db.pool())
        .await
        .unwrap();
    assert!(sent_at.is_some());
    assert_eq!(attempts, 2);
}

async fn two_senders_at_once_send_each_mail_once(db: &TestDb) {
    let smtp = SmtpServer::start().await;
    for i in 0..6 {
        queue_one(db, &format!("contact{i}@exemple.fr")).await;
    }
    let (a, b) = (
        MailSender::new(&smtp.config()).unwrap(),
        MailSender::new(&smtp.config()).unwrap(),
    );
    let (ra, rb) = tokio::join!(deliver_due(&db.db, &a), deliver_due(&db.db, &b));
    assert_eq!(ra.unwrap().sent + rb.unwrap().sent, 6);
    let mut recipients: Vec<String> = smtp.received().into_iter().flat_map(|m| m.to).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 6, "six distinct mails");
    assert_eq!(smtp.received().len(), 6, "none twice");
}

async fn a_server_that_never_answers_leaves_the_mail_waiting(db: &TestDb) {
    // Nothing listens on this port: the attempt fails, the mail stays and is retried later.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut config = SmtpServer::start().await.config();
    config.port = port;
    let sender = MailSender::new(&config).unwrap();
    queue_one(db, "contact@exemple.fr").await;
    assert_eq!(deliver_due(&db.db, &sender).await.unwrap().retrying, 1);
    let waiting = jesaisfaire::server::db::outbox::waiting(db.db.pool()).await.unwrap();
    assert_eq!(waiting.len(), 1, "nothing is lost");
}

on_both_backends!(
    an_invitation_reaches_the_smtp_server_and_its_link_works,
    a_server_that_refuses_then_accepts_gets_the_mail_once,
    two_senders_at_once_send_each_mail_once,
    a_server_that_never_answers_leaves_the_mail_waiting,
);
