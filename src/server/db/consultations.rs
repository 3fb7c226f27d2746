//! Queries on consultations and their published specification versions.

use super::{now_unix, DbResult};
use crate::model::{ConsultationStatus, ConsultationSummary, KeyDates, SourcingMode};
use sqlx::{Any, Executor};

/// A consultation row joined with its buyer's name and its latest version number.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    buyer_organisation_id: i64,
    title: String,
    buyer_name: String,
    status: String,
    mode: String,
    departements: String,
    exchanges_start: Option<String>,
    exchanges_end: Option<String>,
    expected_tender_date: Option<String>,
    latest_version: Option<i64>,
}

impl SummaryRow {
    fn into_summary(self) -> ConsultationSummary {
        ConsultationSummary {
            id: self.id,
            title: self.title,
            buyer_name: self.buyer_name,
            // The check constraints of the schema guarantee known values; fall back safely anyway.
            status: ConsultationStatus::parse(&self.status).unwrap_or(ConsultationStatus::Draft),
            mode: SourcingMode::parse(&self.mode).unwrap_or(SourcingMode::Restricted),
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
     (select max(v.number) from spec_versions v where v.consultation_id = c.id) as latest_version \
     from consultations c join organisations o on o.id = c.buyer_organisation_id";

/// Every consultation with the id of its buyer organisation, soonest exchanges first. The
/// caller filters them through the permission module.
pub async fn list_all<'e>(db: impl Executor<'e, Database = Any>) -> DbResult<Vec<(i64, ConsultationSummary)>> {
    let sql = format!(
        "{SUMMARY_SELECT} \
         order by case when c.exchanges_start is null then 1 else 0 end, c.exchanges_start, c.id"
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.buyer_organisation_id, r.into_summary()))
        .collect())
}

/// Restricted consultations a company is invited to.
pub async fn invited_to<'e>(db: impl Executor<'e, Database = Any>, organisation_id: i64) -> DbResult<Vec<i64>> {
    sqlx::query_scalar("select consultation_id from consultation_invitations where organisation_id = $1")
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
    pub summary: ConsultationSummary,
    pub object: String,
    pub cpv_codes: Vec<String>,
}

pub async fn find(db: &sqlx::AnyPool, id: i64) -> DbResult<Option<ConsultationRecord>> {
    let sql = format!("{SUMMARY_SELECT} where c.id = $1");
    let Some(row) = sqlx::query_as::<_, SummaryRow>(&sql)
        .bind(id)
        .fetch_optional(db)
        .await?
    else {
        return Ok(None);
    };
    let detail: DetailRow = sqlx::query_as("select object, cpv_codes from consultations where id = $1")
        .bind(id)
        .fetch_one(db)
        .await?;
    Ok(Some(ConsultationRecord {
        buyer_organisation_id: row.buyer_organisation_id,
        summary: row.into_summary(),
        object: detail.object,
        cpv_codes: split_list(&detail.cpv_codes),
    }))
}

#[derive(sqlx::FromRow)]
pub struct SpecVersionRow {
    pub number: i64,
    pub markdown: String,
    pub changelog: String,
    pub published_at: i64,
}

const VERSION_SELECT: &str =
    "select number, markdown, changelog, published_at from spec_versions where consultation_id = $1";

/// Version `number`, or the latest when `None`.
pub async fn version<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
    number: Option<i64>,
) -> DbResult<Option<SpecVersionRow>> {
    let sql = match number {
        Some(_) => format!("{VERSION_SELECT} and number = $2"),
        None => format!("{VERSION_SELECT} order by number desc limit 1"),
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
    sqlx::query_as(&format!("{VERSION_SELECT} order by number desc"))
        .bind(consultation_id)
        .fetch_all(db)
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

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, c: &NewConsultation<'_>) -> DbResult<i64> {
    let now = now_unix();
    sqlx::query_scalar(
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
    .fetch_one(db)
    .await
}

/// Appends version `number` of a consultation's specification. The unique key on
/// (consultation, number) makes a concurrent publication of the same number fail.
pub async fn insert_version<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
    number: i64,
    markdown: &str,
    changelog: &str,
) -> DbResult<()> {
    sqlx::query(
        "insert into spec_versions (consultation_id, number, markdown, changelog, published_at) \
         values ($1, $2, $3, $4, $5)",
    )
    .bind(consultation_id)
    .bind(number)
    .bind(markdown)
    .bind(changelog)
    .bind(now_unix())
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
