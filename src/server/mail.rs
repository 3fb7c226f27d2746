//! Mail: queued in the outbox inside the transaction of what caused it (an invitation, a
//! registration…), then delivered over SMTP by a background sender.
//!
//! Delivery is at least once, and once in practice: a mail is claimed by one sender at a time
//! (two app servers never send it together), marked sent as soon as the SMTP server accepts it,
//! retried with back-off when refused for a while, given up (and kept, with the server's answer)
//! after a permanent refusal or [`MAX_ATTEMPTS`]. The one window for a duplicate — the server
//! accepted, the process died before writing `sent_at` — is closed by the Message-ID fixed when
//! the mail was queued: the retry carries the same one, which mail servers and clients use to
//! drop the copy. Without `[mail]` (development) nothing is delivered and `jesaisfaire outbox`
//! prints the mails.

use super::auth::token;
use super::config::{MailConfig, MailTls};
use super::db::{self, outbox::NewMail, Db, DbResult};
use crate::domain::mail::html_of;
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// Attempts before a mail is given up (the last one about 8 hours after the first).
pub const MAX_ATTEMPTS: i64 = 10;
/// How long a sender holds a mail it claimed (longer than one SMTP conversation may take).
const CLAIM_SECONDS: i64 = 120;
/// How often the background sender looks at the outbox when nothing wakes it: for retries that
/// fall due and mails queued by another app server. A mail queued by this server wakes it at once.
const POLL_EVERY: Duration = Duration::from_secs(30);

/// Rung by [`queue`]. The sender then claims in a write transaction, which waits for the one that
/// queued the mail to commit (SQLite's single writer, PostgreSQL's write lock): it sees the mail.
static QUEUED: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// A mail to queue: its text in French; the HTML alternative is made from it.
pub struct Mail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    /// The unsubscribe link of an alert (`List-Unsubscribe`), `None` for the other mails.
    pub list_unsubscribe: Option<&'a str>,
}

/// Queues a mail inside the caller's transaction: it leaves only if what caused it is committed.
pub async fn queue<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    mail: &Mail<'_>,
    public_url: &str,
    now: i64,
) -> DbResult<i64> {
    let message_id = format!("<{}@{}>", &token::generate()[..32], message_id_domain(public_url));
    let html = html_of(mail.text);
    let id = db::outbox::insert(
        db,
        &NewMail {
            recipient: mail.to,
            subject: mail.subject,
            text: mail.text,
            html: &html,
            message_id: &message_id,
            list_unsubscribe: mail.list_unsubscribe.unwrap_or_default(),
        },
        now,
    )
    .await?;
    QUEUED.notify_one();
    Ok(id)
}

/// Queues the same mail to every member of a company, inside the caller's transaction.
pub async fn queue_to_company(
    conn: &mut sqlx::AnyConnection,
    company: i64,
    subject: &str,
    text: &str,
    public_url: &str,
    now: i64,
) -> DbResult<()> {
    for member in db::registration::member_emails(&mut *conn, company).await? {
        let mail = Mail {
            to: &member,
            subject,
            text,
            list_unsubscribe: None,
        };
        queue(&mut *conn, &mail, public_url, now).await?;
    }
    Ok(())
}

/// The host of the public address, the right-hand side of every Message-ID.
fn message_id_domain(public_url: &str) -> String {
    let rest = public_url.split("://").nth(1).unwrap_or(public_url);
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    if host.is_empty() || !host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
        "jesaisfaire.invalid".to_string()
    } else {
        host.to_string()
    }
}

/// Back-off after the `attempts`-th failure: 1 min, 2, 4… capped at 2 hours.
pub fn retry_delay(attempts: i64) -> i64 {
    60 * (1_i64 << attempts.clamp(1, 8).saturating_sub(1)).min(120)
}

/// The SMTP connection settings, ready to deliver.
#[derive(Clone)]
pub struct MailSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl MailSender {
    pub fn new(config: &MailConfig) -> Result<MailSender, String> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| format!("mail.from {:?} is not an address: {e}", config.from))?;
        let builder = match config.tls {
            MailTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host),
            MailTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host),
            MailTls::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)),
        }
        .map_err(|e| format!("mail.host {:?}: {e}", config.host))?;
        let mut builder = builder.port(config.port).timeout(Some(Duration::from_secs(30)));
        if let Some((user, password)) = &config.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(MailSender {
            transport: builder.build(),
            from,
        })
    }

    /// Starts the background sender: it runs as long as the server.
    pub fn spawn(self, db: Db) {
        tokio::spawn(async move {
            loop {
                if let Err(e) = deliver_due(&db, &self).await {
                    tracing::warn!(error = %e, "mail delivery pass failed");
                }
                tokio::select! {
                    () = QUEUED.notified() => {}
                    () = tokio::time::sleep(POLL_EVERY) => {}
                }
            }
        });
    }
}

/// What one delivery pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub retrying: usize,
    pub given_up: usize,
}

/// Delivers every mail that is due now, one after the other.
pub async fn deliver_due(db: &Db, sender: &MailSender) -> DbResult<Delivered> {
    let mut report = Delivered::default();
    loop {
        let now = db.now();
        let mut tx = db.begin_write().await?;
        let claimed = db::outbox::claim_next(&mut tx, now, now + CLAIM_SECONDS).await?;
        tx.commit().await?;
        let Some(mail) = claimed else {
            return Ok(report);
        };
        let outcome = match message_of(&mail, &sender.from) {
            Ok(message) => sender.transport.send(message).await.map(|_| ()).map_err(|e| {
                let permanent = e.is_permanent();
                (e.to_string(), permanent)
            }),
            Err(problem) => Err((problem, true)),
        };
        let now = db.now();
        match outcome {
            Ok(()) => {
                db::outbox::mark_sent(db.pool(), mail.id, now).await?;
                tracing::info!(mail = mail.id, "mail sent");
                report.sent += 1;
            }
            Err((error, permanent)) => {
                let attempts = mail.attempts + 1;
                let retry_at = (!permanent && attempts < MAX_ATTEMPTS).then(|| now + retry_delay(attempts));
                db::outbox::mark_failed(db.pool(), mail.id, &error, now, retry_at).await?;
                if retry_at.is_some() {
                    tracing::warn!(mail = mail.id, attempts, %error, "mail refused for now, will retry");
                    report.retrying += 1;
                } else {
                    tracing::error!(mail = mail.id, attempts, %error, "mail given up");
                    report.given_up += 1;
                }
            }
        }
    }
}

/// The MIME message: plain text and HTML alternatives, quoted-printable (safe on any relay).
fn message_of(mail: &db::outbox::MailRow, from: &Mailbox) -> Result<Message, String> {
    let to: Mailbox = mail
        .recipient
        .parse()
        .map_err(|e| format!("recipient {:?}: {e}", mail.recipient))?;
    let part = |content_type: ContentType, body: &str| {
        SinglePart::builder()
            .header(content_type)
            .header(ContentTransferEncoding::QuotedPrintable)
            .body(body.to_string())
    };
    let mut message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(mail.message_id.clone()).filter(|id| !id.is_empty()))
        .multipart(
            MultiPart::alternative()
                .singlepart(part(ContentType::TEXT_PLAIN, &mail.body))
                .singlepart(part(ContentType::TEXT_HTML, &mail.html_body)),
        )
        .map_err(|e| e.to_string())?;
    if !mail.list_unsubscribe.is_empty() && !mail.list_unsubscribe.contains(['<', '>', '\r', '\n']) {
        message.headers_mut().insert_raw(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<{}>", mail.list_unsubscribe),
        ));
    }
    Ok(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_and_is_capped() {
        let delays: Vec<i64> = (1..=MAX_ATTEMPTS).map(retry_delay).collect();
        assert_eq!(&delays[..4], &[60, 120, 240, 480]);
        assert!(delays.iter().all(|d| *d <= 7200), "{delays:?}");
    }

    #[test]
    fn message_ids_use_the_public_host() {
        assert_eq!(
            message_id_domain("https://jesaisfaire.example.fr/"),
            "jesaisfaire.example.fr"
        );
        assert_eq!(message_id_domain("http://127.0.0.1:3000"), "127.0.0.1");
        assert_eq!(message_id_domain("http://bad host\r\n"), "jesaisfaire.invalid");
    }

    #[test]
    fn the_message_has_both_bodies_and_the_unsubscribe_link() {
        let row = db::outbox::MailRow {
            id: 1,
            recipient: "contact@exemple.fr".into(),
            subject: "Nouveau besoin : entretien des espaces verts".into(),
            body: "Bonjour,\n\nUn besoin correspond à votre alerte.".into(),
            html_body: html_of("Bonjour,\n\nUn besoin correspond à votre alerte."),
            message_id: "<abc@exemple.fr>".into(),
            list_unsubscribe: "https://exemple.fr/alertes/desabonner/xyz".into(),
            attempts: 0,
            last_error: String::new(),
        };
        let from: Mailbox = "JeSaisFaire <ne-pas-repondre@exemple.fr>".parse().unwrap();
        let text = String::from_utf8(message_of(&row, &from).unwrap().formatted()).unwrap();
        for expected in [
            "List-Unsubscribe: <https://exemple.fr/alertes/desabonner/xyz>",
            "Message-ID: <abc@exemple.fr>",
            "multipart/alternative",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Type: text/html; charset=utf-8",
        ] {
            assert!(text.contains(expected), "{expected} missing in:\n{text}");
        }
    }
}
