//! What the open data reads: public consultations by batches of ids, needs, and a fingerprint
//! of everything it publishes (for `ETag` and `Last-Modified`).

use super::DbResult;
use sqlx::{Any, Executor};

/// A consultation past its draft, with its buyer and its dossier's publication.
#[derive(sqlx::FromRow)]
pub struct ConsultationRow {
    pub id: i64,
    pub title: String,
    pub object: String,
    pub cpv_codes: String,
    pub departements: String,
    pub mode: String,
    pub status: String,
    pub calendar_settings: Option<String>,
    pub expected_tender_date: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub buyer_id: i64,
    pub buyer_name: String,
    pub buyer_siret: Option<String>,
    pub dossier_published_at: Option<i64>,
}

const CONSULTATION_SELECT: &str = "select c.id, c.title, c.object, c.cpv_codes, c.departements, c.mode, c.status, \
     c.calendar_settings, c.expected_tender_date, c.created_at, c.updated_at, o.id as buyer_id, \
     o.name as buyer_name, o.siret as buyer_siret, d.published_at as dossier_published_at \
     from consultations c join organisations o on o.id = c.buyer_organisation_id \
     left join dossier_publications d on d.consultation_id = c.id where c.status <> 'draft'";

/// Up to `limit` consultations past their draft with an id above `after`, by id (the caller
/// applies `domain::open_data::publishable`).
pub async fn consultations_after<'e>(
    db: impl Executor<'e, Database = Any>,
    after: i64,
    limit: i64,
) -> DbResult<Vec<ConsultationRow>> {
    sqlx::query_as(&format!("{CONSULTATION_SELECT} and c.id > $1 order by c.id limit $2"))
        .bind(after)
        .bind(limit)
        .fetch_all(db)
        .await
}

pub async fn consultation<'e>(db: impl Executor<'e, Database = Any>, id: i64) -> DbResult<Option<ConsultationRow>> {
    sqlx::query_as(&format!("{CONSULTATION_SELECT} and c.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// A need not withdrawn, with its buyer and the consultation it became.
#[derive(sqlx::FromRow)]
pub struct NeedRow {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub cpv_codes: String,
    pub departements: String,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub tender_year: i64,
    pub tender_quarter: i64,
    pub published_at: i64,
    pub updated_at: i64,
    pub buyer_id: i64,
    pub buyer_name: String,
    pub buyer_siret: Option<String>,
    pub consultation_id: Option<i64>,
    pub consultation_status: Option<String>,
    pub consultation_mode: Option<String>,
    pub consultation_dossier_at: Option<i64>,
}

pub async fn needs<'e>(db: impl Executor<'e, Database = Any>) -> DbResult<Vec<NeedRow>> {
    sqlx::query_as(
        "select n.id, n.title, n.summary, n.cpv_codes, n.departements, n.amount_min, n.amount_max, n.tender_year, \
         n.tender_quarter, n.published_at, n.updated_at, o.id as buyer_id, o.name as buyer_name, \
         o.siret as buyer_siret, n.consultation_id, c.status as consultation_status, c.mode as consultation_mode, \
         d.published_at as consultation_dossier_at \
         from needs n join organisations o on o.id = n.organisation_id \
         left join consultations c on c.id = n.consultation_id \
         left join dossier_publications d on d.consultation_id = n.consultation_id \
         where n.withdrawn_at is null order by n.id",
    )
    .fetch_all(db)
    .await
}

/// Counts and latest instants of everything the open data shows, and the data's generation
/// (raised by every change to a table pages show: it catches what counts and instants miss, such
/// as an organisation renamed): equal fingerprints, equal files (on the same day: statuses follow
/// the calendar's dates).
pub async fn fingerprint<'e>(db: impl Executor<'e, Database = Any>) -> DbResult<Vec<i64>> {
    let row = sqlx::query(
        "select (select count(*) from consultations), (select coalesce(max(updated_at), 0) from consultations), \
         (select count(*) from spec_versions), (select coalesce(max(published_at), 0) from spec_versions), \
         (select count(*) from dossier_publications), \
         (select coalesce(max(published_at), 0) from dossier_publications), \
         (select coalesce(max(id), 0) from contribution_replies), \
         (select coalesce(max(updated_at), 0) from contributions), (select count(*) from redactions), \
         (select count(*) from needs), (select coalesce(max(updated_at), 0) from needs), \
         (select count(*) from needs where withdrawn_at is not null), \
         (select generation from data_generation where id = 1)",
    )
    .fetch_one(db)
    .await?;
    (0..sqlx::Row::len(&row))
        .map(|column| sqlx::Row::try_get(&row, column))
        .collect()
}

/// The latest instant among those of the fingerprint (its `Last-Modified`).
pub fn last_modified(fingerprint: &[i64]) -> i64 {
    [1, 3, 5, 7, 10]
        .iter()
        .filter_map(|&i| fingerprint.get(i))
        .copied()
        .max()
        .unwrap_or(0)
}
