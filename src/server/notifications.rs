//! The notification centre: what happened that concerns a person (an invitation, a new version,
//! an answer, a need matching their alert…), in the app and by mail as they chose for each kind.
//!
//! Every notification names its event (`dedup_key`): the same event never notifies the same
//! person twice, whether it is noticed by a request or by the scheduler, after a restart or on
//! another app server. A notification and its mail are written in the transaction of what caused
//! them (see `server::mail`): both or neither (a new version: just after, as its publication
//! runs its own transaction). Time-based notifications (the exchanges opening
//! and ending in two business days, consultations matching alerts, the daily digests) come from
//! [`run_due`], which the scheduler calls every few minutes; it only ever adds what is missing.

use super::auth::{authorize, Actor, Permission};
use super::db;
use super::db::DbResult;
use super::failure::OrInternal;
use super::mail::{self, Mail};
use super::AppState;
use crate::domain::calendar::{add_business_days, paris_date, Date};
use crate::domain::consultation::split_list;
use crate::domain::need::AlertCriteria;
use crate::error::AppError;
use crate::model::{
    AlertFrequency, AlertView, Channel, ConsultationStatus, NotificationCentre, NotificationKind, NotificationView,
    SourcingMode,
};
use sqlx::AnyConnection;

/// Notifications shown at most in the centre.
const SHOWN: i64 = 100;
/// The hour (Paris) after which the daily digests leave.
const DIGEST_HOUR: u32 = 7;

/// One event to tell people about.
pub struct Notice {
    pub kind: NotificationKind,
    /// Names the event, the same for everyone it concerns.
    pub dedup_key: String,
    /// A sentence in French; also the mail's subject.
    pub title: String,
    /// A path inside the site.
    pub link: String,
}

/// How the mail of a notification leaves, for those who want mail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    Now,
    /// In the daily digest (alerts set so).
    Digest,
    /// The cause sends its own mail already (an invitation): in the app only.
    AppOnly,
}

/// Tells `users` about `notice` inside the caller's transaction, each as they chose; how many
/// were told now (those told before are left alone).
pub async fn notify(
    conn: &mut AnyConnection,
    users: &[i64],
    notice: &Notice,
    delivery: Delivery,
    public_url: &str,
    now: i64,
) -> DbResult<usize> {
    let mut told = 0;
    for &user in users {
        let chosen = db::notifications::preferences(&mut *conn, user)
            .await?
            .into_iter()
            .find(|(kind, _)| kind == notice.kind.as_str())
            .and_then(|(_, channel)| Channel::parse(&channel))
            .unwrap_or(Channel::Mail);
        let mail_state = match chosen {
            Channel::None => continue,
            Channel::App => "none",
            Channel::Mail => match delivery {
                Delivery::Now => "queued",
                Delivery::Digest => "digest",
                Delivery::AppOnly => "none",
            },
        };
        let new = db::notifications::insert(
            &mut *conn,
            user,
            notice.kind.as_str(),
            &notice.dedup_key,
            &notice.title,
            &notice.link,
            mail_state,
            now,
        )
        .await?;
        if !new {
            continue;
        }
        told += 1;
        if mail_state == "queued" {
            if let Some(email) = db::notifications::email_of(&mut *conn, user).await? {
                let text = format!(
                    "Bonjour,\n\n{title}\n\n{public_url}{link}\n\nVos notifications et leurs réglages : {public_url}/notifications\n",
                    title = notice.title,
                    link = notice.link
                );
                let unsubscribe = format!("{public_url}/notifications");
                let mail = Mail {
                    to: &email,
                    subject: &notice.title,
                    text: &text,
                    list_unsubscribe: (notice.kind == NotificationKind::Alert).then_some(unsubscribe.as_str()),
                };
                mail::queue(&mut *conn, &mail, public_url, now).await?;
            }
        }
    }
    Ok(told)
}

/// Tells the people whose alert matches something announced (a need, an open consultation).
pub async fn alert(
    conn: &mut AnyConnection,
    cpv_codes: &[String],
    departements: &[String],
    notice: &Notice,
    public_url: &str,
    now: i64,
) -> DbResult<usize> {
    let mut told = 0;
    for row in db::notifications::all_alerts(&mut *conn).await? {
        let criteria = AlertCriteria {
            cpv_prefixes: split_list(&row.cpv_prefixes),
            departements: split_list(&row.departements),
        };
        if criteria.matches(cpv_codes, departements) {
            let delivery = if row.frequency == AlertFrequency::Daily.as_str() {
                Delivery::Digest
            } else {
                Delivery::Now
            };
            told += notify(conn, &[row.user_id], notice, delivery, public_url, now).await?;
        }
    }
    Ok(told)
}

/// What the scheduler did in one pass.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Due {
    pub notified: usize,
    pub digests: usize,
}

/// Adds every time-based notification due at `now` and not yet made, and sends the daily
/// digests due. Safe to run at any time, as often as wanted, on every app server at once.
pub async fn run_due(database: &db::Db, public_url: &str, now: i64) -> DbResult<Due> {
    let today = paris_date(now);
    let mut due = Due::default();
    for listed in db::consultations::list_all(database.pool(), today).await? {
        let c = &listed.summary;
        let title = &c.title;
        let link = format!("/consultations/{}", c.id);
        let mut tx = database.begin_write().await?;
        // Open consultations that companies can still join are announced to matching alerts.
        if c.mode == SourcingMode::Open
            && matches!(
                c.status,
                ConsultationStatus::Announced
                    | ConsultationStatus::CallForParticipation
                    | ConsultationStatus::Exchanges
            )
        {
            let cpv = split_list(&db::notifications::consultation_cpv_codes(&mut *tx, c.id).await?);
            let notice = Notice {
                kind: NotificationKind::Alert,
                dedup_key: format!("alert:consultation:{}", c.id),
                title: format!(
                    "Consultation annoncée pour votre alerte : « {title} » ({})",
                    c.buyer_name
                ),
                link: link.clone(),
            };
            due.notified += alert(&mut tx, &cpv, &c.departements, &notice, public_url, now).await?;
        }
        if c.status == ConsultationStatus::Exchanges {
            let people = db::notifications::taking_part(&mut *tx, c.id).await?;
            let start = c.dates.exchanges_start.clone().unwrap_or_default();
            let opening = Notice {
                kind: NotificationKind::Exchanges,
                dedup_key: format!("exchanges-open:{}:{start}", c.id),
                title: format!("Les échanges sont ouverts : « {title} »"),
                link: link.clone(),
            };
            due.notified += notify(&mut tx, &people, &opening, Delivery::Now, public_url, now).await?;
            let end = c.dates.exchanges_end.as_deref().and_then(|d| Date::parse_iso(d).ok());
            let region = listed.calendar.as_ref().map(|s| s.region).unwrap_or_default();
            if let Some(end) = end.filter(|end| today >= add_business_days(*end, -2, region) && today <= *end) {
                let closing = Notice {
                    kind: NotificationKind::Exchanges,
                    dedup_key: format!("exchanges-closing:{}:{end}", c.id),
                    title: format!(
                        "Les échanges de « {title} » se terminent le {} : dernières contributions",
                        crate::domain::format::date_fr(&end.to_string())
                    ),
                    link: link.clone(),
                };
                due.notified += notify(&mut tx, &people, &closing, Delivery::Now, public_url, now).await?;
            }
        }
        tx.commit().await?;
    }
    if crate::domain::calendar::paris_datetime(now).hour >= DIGEST_HOUR {
        due.digests = send_digests(database, public_url, today, now).await?;
    }
    Ok(due)
}

/// One mail per person with what waited for their daily digest; once a day at most.
async fn send_digests(database: &db::Db, public_url: &str, today: Date, now: i64) -> DbResult<usize> {
    let mut sent = 0;
    for (user, email) in db::notifications::waiting_for_digest(database.pool()).await? {
        let mut tx = database.begin_write().await?;
        if !db::notifications::claim_digest(&mut *tx, user, &today.to_string(), now).await? {
            continue;
        }
        let items = db::notifications::take_digest(&mut tx, user).await?;
        if items.is_empty() {
            continue;
        }
        let lines: String = items
            .iter()
            .map(|(title, link)| format!("- {title}\n  {public_url}{link}\n"))
            .collect();
        let text = format!(
            "Bonjour,\n\nVoici ce qui correspond à votre alerte depuis hier :\n\n{lines}\nVos notifications et leurs réglages : {public_url}/notifications\n"
        );
        let subject = match items.len() {
            1 => "1 nouveauté pour votre alerte".to_string(),
            n => format!("{n} nouveautés pour votre alerte"),
        };
        let unsubscribe = format!("{public_url}/notifications");
        let mail = Mail {
            to: &email,
            subject: &subject,
            text: &text,
            list_unsubscribe: Some(&unsubscribe),
        };
        mail::queue(&mut *tx, &mail, public_url, now).await?;
        tx.commit().await?;
        sent += 1;
    }
    Ok(sent)
}

/// Runs [`run_due`] now and every five minutes, for as long as the server runs.
pub fn spawn_scheduler(state: AppState) {
    tokio::spawn(async move {
        loop {
            if let Err(error) = run_due(&state.db, &state.public_url, state.now()).await {
                tracing::error!(%error, "scheduled notifications");
            }
            tokio::time::sleep(std::time::Duration::from_secs(300)).await;
        }
    });
}

fn signed_in_user(actor: &Actor) -> Result<i64, AppError> {
    authorize(actor, Permission::ManageOwnAccount)?;
    actor.user_id().ok_or(AppError::Internal)
}

/// The caller's notifications (latest first), preferences and alert.
pub async fn centre(state: &AppState, actor: &Actor) -> Result<NotificationCentre, AppError> {
    let user = signed_in_user(actor)?;
    let role = actor.role().ok_or(AppError::Internal)?;
    let pool = state.db.pool();
    let rows = db::notifications::latest(pool, user, SHOWN)
        .await
        .or_internal("reading notifications")?;
    let unread = db::notifications::unread(pool, user)
        .await
        .or_internal("reading notifications")?;
    let chosen = db::notifications::preferences(pool, user)
        .await
        .or_internal("reading preferences")?;
    let preferences = NotificationKind::for_role(role)
        .iter()
        .map(|kind| {
            let channel = chosen
                .iter()
                .find(|(k, _)| k == kind.as_str())
                .and_then(|(_, c)| Channel::parse(c))
                .unwrap_or(Channel::Mail);
            (*kind, channel)
        })
        .collect();
    let can_set_alert = authorize(actor, Permission::ManageAlerts).is_ok();
    let alert = if can_set_alert {
        db::notifications::alert_of(pool, user)
            .await
            .or_internal("reading an alert")?
            .map(|a| AlertView {
                cpv_prefixes: split_list(&a.cpv_prefixes),
                departements: split_list(&a.departements),
                frequency: AlertFrequency::parse(&a.frequency).unwrap_or(AlertFrequency::Immediate),
            })
    } else {
        None
    };
    Ok(NotificationCentre {
        notifications: rows
            .into_iter()
            .filter_map(|r| {
                Some(NotificationView {
                    id: r.id,
                    kind: NotificationKind::parse(&r.kind)?,
                    title: r.title,
                    link: r.link,
                    created_at: r.created_at,
                    read: r.read_at.is_some(),
                })
            })
            .collect(),
        unread: unread as u32,
        preferences,
        can_set_alert,
        alert,
    })
}

/// How many of the caller's notifications are unread (0 for visitors).
pub async fn unread(state: &AppState, actor: &Actor) -> Result<u32, AppError> {
    match actor.user_id() {
        Some(user) => Ok(db::notifications::unread(state.db.pool(), user)
            .await
            .or_internal("counting notifications")? as u32),
        None => Ok(0),
    }
}

/// Marks one notification (or all, `id` = None) read.
pub async fn mark_read(state: &AppState, actor: &Actor, id: Option<i64>) -> Result<NotificationCentre, AppError> {
    let user = signed_in_user(actor)?;
    let mut tx = state.db.begin_write().await.or_internal("marking notifications read")?;
    db::notifications::mark_read(&mut *tx, user, id, state.now())
        .await
        .or_internal("marking notifications read")?;
    tx.commit().await.or_internal("marking notifications read")?;
    centre(state, actor).await
}

/// Saves the caller's channel for each kind, as the form sends them (`kind=channel` pairs).
pub async fn save_preferences(
    state: &AppState,
    actor: &Actor,
    choices: Vec<(String, String)>,
) -> Result<NotificationCentre, AppError> {
    let user = signed_in_user(actor)?;
    let role = actor.role().ok_or(AppError::Internal)?;
    let mut checked = Vec::new();
    for (kind, channel) in choices.iter().take(NotificationKind::ALL.len()) {
        let kind = NotificationKind::parse(kind)
            .filter(|k| NotificationKind::for_role(role).contains(k))
            .ok_or_else(|| {
                AppError::Invalid("Ce type de notification n'existe pas pour votre rôle. Rechargez la page.".into())
            })?;
        let channel = Channel::parse(channel).ok_or_else(|| {
            AppError::Invalid(
                "Choisissez « Dans l'application et par e-mail », « Dans l'application seulement » ou « Jamais »."
                    .into(),
            )
        })?;
        checked.push((kind, channel));
    }
    let mut tx = state.db.begin_write().await.or_internal("saving preferences")?;
    for (kind, channel) in checked {
        db::notifications::set_preference(&mut *tx, user, kind.as_str(), channel.as_str())
            .await
            .or_internal("saving preferences")?;
    }
    tx.commit().await.or_internal("saving preferences")?;
    centre(state, actor).await
}

/// Sets (or, with both lists empty and `remove`, removes) the caller's alert.
pub async fn save_alert(
    state: &AppState,
    actor: &Actor,
    cpv_prefixes: &str,
    departements: &str,
    frequency: &str,
    remove: bool,
) -> Result<NotificationCentre, AppError> {
    authorize(actor, Permission::ManageAlerts)?;
    let user = actor.user_id().ok_or(AppError::Internal)?;
    let mut tx = state.db.begin_write().await.or_internal("saving an alert")?;
    if remove {
        db::notifications::delete_alert(&mut *tx, user)
            .await
            .or_internal("removing an alert")?;
    } else {
        if cpv_prefixes.len() > 2_000 || departements.len() > 1_000 {
            return Err(AppError::Invalid(
                "Cette alerte est trop longue : gardez les codes qui comptent.".into(),
            ));
        }
        let criteria = AlertCriteria::check(cpv_prefixes, departements).map_err(|p| AppError::Invalid(p.join(" ")))?;
        let frequency = AlertFrequency::parse(frequency).ok_or_else(|| {
            AppError::Invalid("Choisissez de recevoir l'alerte « tout de suite » ou « une fois par jour ».".into())
        })?;
        db::notifications::set_alert(
            &mut *tx,
            user,
            &criteria.cpv_prefixes.join(" "),
            &criteria.departements.join(" "),
            frequency.as_str(),
            state.now(),
        )
        .await
        .or_internal("saving an alert")?;
    }
    tx.commit().await.or_internal("saving an alert")?;
    centre(state, actor).await
}

/// Tells `users` about `notice` in a transaction of its own (after what caused it was committed).
pub async fn notify_now(state: &AppState, users: &[i64], notice: &Notice) -> Result<usize, AppError> {
    let mut tx = state.db.begin_write().await.or_internal("notifying")?;
    let told = notify(&mut tx, users, notice, Delivery::Now, &state.public_url, state.now())
        .await
        .or_internal("notifying")?;
    tx.commit().await.or_internal("notifying")?;
    Ok(told)
}
