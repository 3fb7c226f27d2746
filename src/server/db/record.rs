//! Queries of the sourcing record: requests for validation and their decisions, review notes,
//! the access register (appended to, never changed: no function here updates or deletes it, and
//! the database's triggers refuse it) and the count of anonymous reads.

use super::DbResult;
use crate::domain::record::{AccessKind, ReviewDecision};
use sqlx::{Any, Executor};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReviewRow {
    pub id: i64,
    pub consultation_id: i64,
    pub version_number: i64,
    pub text_sha256: String,
    pub message: String,
    pub requested_by_name: String,
    pub requested_at: i64,
    #[sqlx(try_from = "String")]
    pub decision: OptionalDecision,
    pub decision_message: String,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<i64>,
}

/// A decision column that may be empty (a pending request), decoded strictly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionalDecision(pub Option<ReviewDecision>);

impl TryFrom<String> for OptionalDecision {
    type Error = crate::domain::enums::UnknownValue;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        if s.is_empty() {
            Ok(OptionalDecision(None))
        } else {
            s.parse().map(|d| OptionalDecision(Some(d)))
        }
    }
}

const REVIEW_COLUMNS: &str = "r.id, r.consultation_id, r.version_number, r.text_sha256, r.message, \
     u.display_name as requested_by_name, r.requested_at, coalesce(r.decision, '') as decision, r.decision_message, \
     d.display_name as decided_by_name, r.decided_at";
const REVIEW_FROM: &str =
    "from review_requests r join users u on u.id = r.requested_by left join users d on d.id = r.decided_by";

/// The requests of a consultation, newest first.
pub async fn reviews<'e>(db: impl Executor<'e, Database = Any>, consultation_id: i64) -> DbResult<Vec<ReviewRow>> {
    sqlx::query_as(&format!(
        "select {REVIEW_COLUMNS} {REVIEW_FROM} where r.consultation_id = $1 order by r.id desc"
    ))
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

pub async fn review<'e>(db: impl Executor<'e, Database = Any>, id: i64) -> DbResult<Option<ReviewRow>> {
    sqlx::query_as(&format!("select {REVIEW_COLUMNS} {REVIEW_FROM} where r.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The requests still waiting for a decision, oldest first, on consultations of these buyer
/// organisations.
pub async fn pending_for<'e>(
    db: impl Executor<'e, Database = Any>,
    organisations: &[i64],
) -> DbResult<Vec<(ReviewRow, String)>> {
    #[derive(sqlx::FromRow)]
    struct Pending {
        #[sqlx(flatten)]
        review: ReviewRow,
        title: String,
        buyer_organisation_id: i64,
    }
    let rows: Vec<Pending> = sqlx::query_as(&format!(
        "select {REVIEW_COLUMNS}, c.title, c.buyer_organisation_id {REVIEW_FROM} \
         join consultations c on c.id = r.consultation_id where r.decision is null order by r.id"
    ))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|p| organisations.contains(&p.buyer_organisation_id))
        .map(|p| (p.review, p.title))
        .collect())
}

pub struct NewReview<'a> {
    pub consultation_id: i64,
    pub version_number: i64,
    pub text_sha256: &'a str,
    pub message: &'a str,
    pub requested_by: i64,
}

pub async fn insert_review(conn: &mut sqlx::AnyConnection, r: &NewReview<'_>, now: i64) -> DbResult<i64> {
    sqlx::query_scalar(
        "insert into review_requests (consultation_id, version_number, text_sha256, message, requested_by, requested_at) \
         values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(r.consultation_id)
    .bind(r.version_number)
    .bind(r.text_sha256)
    .bind(r.message)
    .bind(r.requested_by)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// Records the decision on a pending request; false if it was decided meanwhile.
pub async fn decide(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    decision: ReviewDecision,
    message: &str,
    decided_by: i64,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "update review_requests set decision = $1, decision_message = $2, decided_by = $3, decided_at = $4 \
         where id = $5 and decision is null",
    )
    .bind(decision.as_str())
    .bind(message)
    .bind(decided_by)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the requests still waiting on a consultation as superseded (a newer version is
/// published).
pub async fn supersede_pending<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "update review_requests set decision = 'superseded', decided_at = $1 \
         where consultation_id = $2 and decision is null",
    )
    .bind(now)
    .bind(consultation_id)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReviewNoteRow {
    pub id: i64,
    pub request_id: i64,
    pub clause_id: String,
    pub body: String,
    pub author_name: String,
    pub created_at: i64,
}

/// The notes on every request of a consultation, oldest first.
pub async fn notes<'e>(db: impl Executor<'e, Database = Any>, consultation_id: i64) -> DbResult<Vec<ReviewNoteRow>> {
    sqlx::query_as(
        "select n.id, n.request_id, n.clause_id, n.body, u.display_name as author_name, n.created_at \
         from review_notes n join review_requests r on r.id = n.request_id join users u on u.id = n.author_id \
         where r.consultation_id = $1 order by n.id",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

pub async fn insert_note(
    conn: &mut sqlx::AnyConnection,
    request_id: i64,
    clause_id: &str,
    body: &str,
    author_id: i64,
    now: i64,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "insert into review_notes (request_id, clause_id, body, author_id, created_at) values ($1, $2, $3, $4, $5) \
         returning id",
    )
    .bind(request_id)
    .bind(clause_id)
    .bind(body)
    .bind(author_id)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// One line of the access register.
pub struct Access<'a> {
    pub consultation_id: i64,
    pub organisation_id: i64,
    pub user_id: i64,
    pub kind: AccessKind,
    pub version_number: Option<i64>,
    pub detail: &'a str,
}

/// Appends to the access register (there is no other write to it).
pub async fn append_access<'e>(db: impl Executor<'e, Database = Any>, a: &Access<'_>, now: i64) -> DbResult<()> {
    sqlx::query(
        "insert into access_log (consultation_id, organisation_id, user_id, kind, version_number, detail, at) \
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(a.consultation_id)
    .bind(a.organisation_id)
    .bind(a.user_id)
    .bind(a.kind.as_str())
    .bind(a.version_number)
    .bind(a.detail)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AccessRow {
    pub organisation_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: AccessKind,
    pub version_number: Option<i64>,
    pub detail: String,
    pub at: i64,
}

/// The register of a consultation, oldest first.
pub async fn accesses<'e>(db: impl Executor<'e, Database = Any>, consultation_id: i64) -> DbResult<Vec<AccessRow>> {
    sqlx::query_as(
        "select organisation_id, kind, version_number, detail, at from access_log where consultation_id = $1 \
         order by id",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

/// Adds anonymous reads to the counters.
pub async fn count_anonymous<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
    kind: AccessKind,
    reads: i64,
) -> DbResult<()> {
    sqlx::query(
        "insert into anonymous_reads (consultation_id, kind, reads) values ($1, $2, $3) \
         on conflict (consultation_id, kind) do update set reads = anonymous_reads.reads + excluded.reads",
    )
    .bind(consultation_id)
    .bind(kind.as_str())
    .bind(reads)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn anonymous_reads<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
) -> DbResult<Vec<(String, i64)>> {
    sqlx::query_as("select kind, reads from anonymous_reads where consultation_id = $1 order by kind")
        .bind(consultation_id)
        .fetch_all(db)
        .await
}

/// A participant with its identity, for the identity register.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct IdentityRow {
    pub organisation_id: i64,
    pub pseudonym_index: i64,
    pub registered_at: i64,
    pub name: String,
    pub siret: Option<String>,
}

pub async fn identities<'e>(db: impl Executor<'e, Database = Any>, consultation_id: i64) -> DbResult<Vec<IdentityRow>> {
    sqlx::query_as(
        "select p.organisation_id, p.pseudonym_index, p.registered_at, o.name, o.siret \
         from participants p join organisations o on o.id = p.organisation_id \
         where p.consultation_id = $1 order by p.pseudonym_index",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

/// The e-mail addresses of the users of some organisations: (organisation id, e-mail).
pub async fn contacts<'e>(db: impl Executor<'e, Database = Any>, consultation_id: i64) -> DbResult<Vec<(i64, String)>> {
    sqlx::query_as(
        "select u.organisation_id, u.email from users u join participants p on p.organisation_id = u.organisation_id \
         where p.consultation_id = $1 order by u.id",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

/// The names of the companies that read the consultation without taking part.
pub async fn organisation_names<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
) -> DbResult<Vec<(i64, String, Option<String>)>> {
    sqlx::query_as(
        "select distinct o.id, o.name, o.siret from access_log a join organisations o on o.id = a.organisation_id \
         where a.consultation_id = $1",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}
