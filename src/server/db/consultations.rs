//! Queries on consultations and their published specification versions.

use super::DbResult;
use crate::domain::calendar::{Date, SourcingSettings};
use crate::domain::consultation::status_on;
use crate::domain::criteria::Criterion;
use crate::domain::spec::Specification;
use crate::model::{ConsultationStatus, ConsultationSummary, KeyDates, SourcingMode};
use crate::server::auth::ConsultationAccess;
use sqlx::{Any, AnyConnection, Executor};

/// A consultation row joined with its buyer's name and its latest version number.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    buyer_organisation_id: i64,
    title: String,
    buyer_name: String,
    #[sqlx(try_from = "String")]
    status: ConsultationStatus,
    #[sqlx(try_from = "String")]
    mode: SourcingMode,
    departements: String,
    exchanges_start: Option<String>,
    exchanges_end: Option<String>,
    expected_tender_date: Option<String>,
    latest_version: Option<i64>,
    calendar_settings: Option<String>,
}

impl SummaryRow {
    /// The status as stored (what the buyer decided last).
    fn stored_status(&self) -> ConsultationStatus {
        self.status
    }

    fn calendar(&self) -> Option<SourcingSettings> {
        let json = self.calendar_settings.as_deref()?;
        serde_json::from_str::<SourcingSettings>(json)
            .map_err(|e| tracing::error!(error = %e, "unreadable calendar in the database"))
            .ok()
            .map(SourcingSettings::normalised)
    }

    /// The summary on `today`: with a calendar, the phases follow the dates.
    fn into_summary(self, today: Date) -> ConsultationSummary {
        let status = match self.calendar() {
            Some(settings) => status_on(self.stored_status(), &settings.calendar(), today),
            None => self.stored_status(),
        };
        ConsultationSummary {
            id: self.id,
            title: self.title,
            buyer_name: self.buyer_name,
            status,
            mode: self.mode,
            departements: split_list(&self.departements),
            dates: KeyDates {
                exchanges_start: self.exchanges_start,
                exchanges_end: self.exchanges_end,
                expected_tender: self.expected_tender_date,
            },
            latest_version: self.latest_version.map(|n| n as i32),
        }
    }
}

const SUMMARY_SELECT: &str =
    "select c.id, c.buyer_organisation_id, c.title, o.name as buyer_name, c.status, c.mode, c.departements, \
     c.exchanges_start, c.exchanges_end, c.expected_tender_date, \
     (select max(v.number) from spec_versions v where v.consultation_id = c.id) as latest_version, \
     c.calendar_settings from consultations c join organisations o on o.id = c.buyer_organisation_id";

/// A consultation as the catalogue lists it.
pub struct Listed {
    pub buyer_organisation_id: i64,
    pub summary: ConsultationSummary,
    pub calendar: Option<SourcingSettings>,
    /// A calendar is stored but cannot be read (logged): whoever exports calendars must say so.
    pub calendar_unreadable: bool,
}

/// Every consultation with the id of its buyer organisation and its calendar, soonest exchanges
/// first, with its status on `today`. The caller filters them through the permission module.
pub async fn list_all<'e>(db: impl Executor<'e, Database = Any>, today: Date) -> DbResult<Vec<Listed>> {
    let sql = format!(
        "{SUMMARY_SELECT} \
         order by case when c.exchanges_start is null then 1 else 0 end, c.exchanges_start, c.id"
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let calendar = r.calendar();
            Listed {
                buyer_organisation_id: r.buyer_organisation_id,
                calendar_unreadable: calendar.is_none() && r.calendar_settings.is_some(),
                calendar,
                summary: r.into_summary(today),
            }
        })
        .collect())
}

/// Restricted consultations a company is invited to and has accepted.
pub async fn invited_to<'e>(db: impl Executor<'e, Database = Any>, organisation_id: i64) -> DbResult<Vec<i64>> {
    sqlx::query_scalar(
        "select consultation_id from consultation_invitations where organisation_id = $1 and status = 'accepted'",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    object: String,
    cpv_codes: String,
}

pub struct ConsultationRecord {
    pub buyer_organisation_id: i64,
    /// The status stored (the summary's is the one of today's date).
    pub stored_status: ConsultationStatus,
    pub calendar: Option<SourcingSettings>,
    pub summary: ConsultationSummary,
    pub object: String,
    pub cpv_codes: Vec<String>,
}

impl ConsultationRecord {
    /// What the permission rules need; `caller_invited` is false (the caller fills it in).
    pub fn access(&self) -> ConsultationAccess {
        ConsultationAccess {
            buyer_organisation_id: self.buyer_organisation_id,
            status: self.summary.status,
            mode: self.summary.mode,
            caller_invited: false,
        }
    }
}

/// A consultation with its status on `today`.
pub async fn find(db: &sqlx::AnyPool, id: i64, today: Date) -> DbResult<Option<ConsultationRecord>> {
    let mut conn = db.acquire().await?;
    find_in(&mut conn, id, today).await
}

/// [`find`] on a connection or inside a transaction.
pub async fn find_in(db: &mut sqlx::AnyConnection, id: i64, today: Date) -> DbResult<Option<ConsultationRecord>> {
    let sql = format!("{SUMMARY_SELECT} where c.id = $1");
    let Some(row) = sqlx::query_as::<_, SummaryRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *db)
        .await?
    else {
        return Ok(None);
    };
    let detail: DetailRow = sqlx::query_as("select object, cpv_codes from consultations where id = $1")
        .bind(id)
        .fetch_one(&mut *db)
        .await?;
    Ok(Some(ConsultationRecord {
        buyer_organisation_id: row.buyer_organisation_id,
        stored_status: row.stored_status(),
        calendar: row.calendar(),
        summary: row.into_summary(today),
        object: detail.object,
        cpv_codes: split_list(&detail.cpv_codes),
    }))
}

#[derive(Clone, sqlx::FromRow)]
pub struct SpecVersionRow {
    pub number: i64,
    pub markdown: String,
    pub changelog: String,
    pub published_at: i64,
    /// Newline-separated clause ids fixed at publication (empty for old rows).
    pub clause_ids: String,
    /// JSON array of `Criterion`.
    pub criteria: String,
    pub author_name: Option<String>,
}

impl SpecVersionRow {
    pub fn clause_ids(&self) -> Vec<String> {
        self.clause_ids.lines().map(str::to_owned).collect()
    }

    /// The text parsed with the clause ids fixed at publication.
    pub fn specification(&self) -> Specification {
        Specification::parse_with_ids(&self.markdown, &self.clause_ids())
    }

    pub fn criteria(&self) -> Vec<Criterion> {
        parse_criteria(&self.criteria)
    }

    /// The SHA-256 of the text, as `sha256sum` prints it for the downloaded `.md`: what a
    /// sign-off is bound to.
    pub fn text_sha256(&self) -> String {
        crate::server::auth::token::sha256_hex(self.markdown.as_bytes())
    }
}

/// Criteria as stored (JSON written by `criteria_json`); an unreadable value reads as none and is
/// logged, rather than making the whole version unreadable.
pub fn parse_criteria(json: &str) -> Vec<Criterion> {
    serde_json::from_str(json).unwrap_or_else(|e| {
        tracing::error!(error = %e, "unreadable criteria in the database");
        Vec::new()
    })
}

pub fn criteria_json(criteria: &[Criterion]) -> String {
    serde_json::to_string(criteria).expect("criteria always serialise")
}

const VERSION_SELECT: &str = "select v.number, v.markdown, v.changelog, v.published_at, v.clause_ids, v.criteria, \
     u.display_name as author_name from spec_versions v left join users u on u.id = v.author_id \
     where v.consultation_id = $1";

/// Version `number`, or the latest when `None`.
pub async fn version<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
    number: Option<i64>,
) -> DbResult<Option<SpecVersionRow>> {
    let sql = match number {
        Some(_) => format!("{VERSION_SELECT} and v.number = $2"),
        None => format!("{VERSION_SELECT} order by v.number desc limit 1"),
    };
    let mut query = sqlx::query_as(&sql).bind(consultation_id);
    if let Some(n) = number {
        query = query.bind(n);
    }
    query.fetch_optional(db).await
}

/// Every published version, newest first. Texts included: the history counts their clauses, and
/// a consultation has a few dozen versions at most.
pub async fn versions<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
) -> DbResult<Vec<SpecVersionRow>> {
    sqlx::query_as(&format!("{VERSION_SELECT} order by v.number desc"))
        .bind(consultation_id)
        .fetch_all(db)
        .await
}

/// Number of the latest published version, if any.
pub async fn latest_version_number<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
) -> DbResult<Option<i64>> {
    sqlx::query_scalar("select max(number) from spec_versions where consultation_id = $1")
        .bind(consultation_id)
        .fetch_one(db)
        .await
}

pub struct NewConsultation<'a> {
    pub buyer_organisation_id: i64,
    pub title: &'a str,
    pub object: &'a str,
    pub cpv_codes: &'a [&'a str],
    pub departements: &'a [&'a str],
    pub mode: SourcingMode,
    pub status: ConsultationStatus,
    pub dates: KeyDates,
}

pub async fn insert(db: &mut AnyConnection, c: &NewConsultation<'_>, now: i64) -> DbResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "insert into consultations (buyer_organisation_id, title, object, cpv_codes, departements, mode, \
         status, exchanges_start, exchanges_end, expected_tender_date, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) returning id",
    )
    .bind(c.buyer_organisation_id)
    .bind(c.title)
    .bind(c.object)
    .bind(c.cpv_codes.join(" "))
    .bind(c.departements.join(" "))
    .bind(c.mode.as_str())
    .bind(c.status.as_str())
    .bind(c.dates.exchanges_start.as_deref())
    .bind(c.dates.exchanges_end.as_deref())
    .bind(c.dates.expected_tender.as_deref())
    .bind(now)
    .fetch_one(&mut *db)
    .await?;
    if c.status != ConsultationStatus::Draft {
        record_status(db, id, c.status, now).await?;
    }
    Ok(id)
}

/// A version about to be stored; see `server::publishing` for how it is prepared.
pub struct NewVersion<'a> {
    pub consultation_id: i64,
    pub number: i64,
    pub markdown: &'a str,
    pub clause_ids: &'a [String],
    pub criteria: &'a [Criterion],
    pub changelog: &'a str,
    pub author_id: Option<i64>,
}

/// Appends a version of a consultation's specification. The unique key on (consultation, number)
/// makes a concurrent publication of the same number fail.
pub async fn insert_version<'e>(db: impl Executor<'e, Database = Any>, v: &NewVersion<'_>, now: i64) -> DbResult<()> {
    sqlx::query(
        "insert into spec_versions (consultation_id, number, markdown, changelog, published_at, clause_ids, \
         criteria, author_id) values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(v.consultation_id)
    .bind(v.number)
    .bind(v.markdown)
    .bind(v.changelog)
    .bind(now)
    .bind(v.clause_ids.join("\n"))
    .bind(criteria_json(v.criteria))
    .bind(v.author_id)
    .execute(db)
    .await
    .map(|_| ())
}

/// The editable facts of a consultation (everything but its status and buyer).
pub struct ConsultationDetails<'a> {
    pub title: &'a str,
    pub object: &'a str,
    pub cpv_codes: &'a [String],
    pub departements: &'a [String],
    pub mode: SourcingMode,
    pub expected_tender: Option<&'a str>,
}

pub async fn update_details<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    d: &ConsultationDetails<'_>,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "update consultations set title = $1, object = $2, cpv_codes = $3, departements = $4, mode = $5, \
         expected_tender_date = $6, updated_at = $7 where id = $8",
    )
    .bind(d.title)
    .bind(d.object)
    .bind(d.cpv_codes.join(" "))
    .bind(d.departements.join(" "))
    .bind(d.mode.as_str())
    .bind(d.expected_tender)
    .bind(now)
    .bind(id)
    .execute(db)
    .await
    .map(|_| ())
}

/// Back to drafting after a review or a sign-off, when a new version is published.
pub async fn reopen_drafting(db: &mut AnyConnection, id: i64, now: i64) -> DbResult<()> {
    let moved = sqlx::query(
        "update consultations set status = 'drafting', updated_at = $1 where id = $2 \
         and status in ('in_review', 'approved')",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *db)
    .await?;
    if moved.rows_affected() == 1 {
        record_status(db, id, ConsultationStatus::Drafting, now).await?;
    }
    Ok(())
}

/// Writes down when a consultation reached a step (see migration 0015).
async fn record_status(db: &mut AnyConnection, id: i64, status: ConsultationStatus, now: i64) -> DbResult<()> {
    sqlx::query("insert into status_changes (consultation_id, status, at) values ($1, $2, $3)")
        .bind(id)
        .bind(status.as_str())
        .bind(now)
        .execute(db)
        .await
        .map(|_| ())
}

/// Moves a consultation to `to` if it is still at `from` (the caller checked the transition);
/// returns whether it moved.
pub async fn set_status(
    db: &mut AnyConnection,
    id: i64,
    from: ConsultationStatus,
    to: ConsultationStatus,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query("update consultations set status = $1, updated_at = $2 where id = $3 and status = $4")
        .bind(to.as_str())
        .bind(now)
        .bind(id)
        .bind(from.as_str())
        .execute(&mut *db)
        .await?;
    let moved = done.rows_affected() == 1;
    if moved {
        record_status(db, id, to, now).await?;
    }
    Ok(moved)
}

/// When a consultation reached each step it went through, oldest first.
pub async fn status_changes<'e>(db: impl Executor<'e, Database = Any>, id: i64) -> DbResult<Vec<(String, i64)>> {
    sqlx::query_as("select status, at from status_changes where consultation_id = $1 order by at, status")
        .bind(id)
        .fetch_all(db)
        .await
}

/// The working draft of the next version.
#[derive(sqlx::FromRow)]
pub struct DraftRow {
    pub markdown: String,
    pub criteria: String,
    pub changelog: String,
    pub revision: i64,
    pub updated_at: i64,
    pub updated_by_name: Option<String>,
}

pub async fn draft<'e>(db: impl Executor<'e, Database = Any>, consultation_id: i64) -> DbResult<Option<DraftRow>> {
    sqlx::query_as(
        "select d.markdown, d.criteria, d.changelog, d.revision, d.updated_at, u.display_name as updated_by_name \
         from spec_drafts d left join users u on u.id = d.updated_by where d.consultation_id = $1",
    )
    .bind(consultation_id)
    .fetch_optional(db)
    .await
}

pub struct DraftUpdate<'a> {
    pub consultation_id: i64,
    pub markdown: &'a str,
    pub criteria: &'a [Criterion],
    pub changelog: &'a str,
    pub author_id: Option<i64>,
}

/// Writes the draft as revision `revision` (the first save is revision 1). Call inside a write
/// transaction after checking that the stored revision is `revision - 1`.
pub async fn write_draft<'e>(
    db: impl Executor<'e, Database = Any>,
    d: &DraftUpdate<'_>,
    revision: i64,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "insert into spec_drafts (consultation_id, markdown, criteria, changelog, revision, updated_at, updated_by) \
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (consultation_id) do update set markdown = excluded.markdown, \
         criteria = excluded.criteria, changelog = excluded.changelog, revision = excluded.revision, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(d.consultation_id)
    .bind(d.markdown)
    .bind(criteria_json(d.criteria))
    .bind(d.changelog)
    .bind(revision)
    .bind(now)
    .bind(d.author_id)
    .execute(db)
    .await
    .map(|_| ())
}

pub async fn count<'e>(db: impl Executor<'e, Database = Any>) -> DbResult<i64> {
    sqlx::query_scalar("select count(*) from consultations")
        .fetch_one(db)
        .await
}

/// Lists are stored space-separated (CPV codes and département numbers contain no spaces).
fn split_list(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_owned).collect()
}

/// Stores the calendar and the exchange dates it gives (kept for lists and sorting).
pub async fn save_calendar<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    settings: &SourcingSettings,
    now: i64,
) -> DbResult<()> {
    let calendar = settings.calendar();
    let exchanges = calendar.phase(crate::domain::calendar::PhaseKind::Exchanges);
    sqlx::query(
        "update consultations set calendar_settings = $1, exchanges_start = $2, exchanges_end = $3, updated_at = $4 \
         where id = $5",
    )
    .bind(serde_json::to_string(settings).expect("settings always serialise"))
    .bind(exchanges.map(|p| p.start.to_string()))
    .bind(exchanges.map(|p| p.end.to_string()))
    .bind(now)
    .bind(id)
    .execute(db)
    .await
    .map(|_| ())
}
