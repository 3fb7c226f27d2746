//! Queries on participants, contributions, their revisions and replies. Rows carry the
//! organisation and user ids; `server::contributions` turns them into pseudonymised views.

use super::DbResult;
use crate::domain::anchor::{TextPosition, TextQuote, TextSelector};
use crate::domain::contribution::{
    ContributionContent, ContributionKind, ContributionStatus, CostImpact, Target, TargetKind,
};
use sqlx::{Any, Executor};

/// The pseudonym index of a company in a consultation, if it takes part.
pub async fn participant<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
    organisation_id: i64,
) -> DbResult<Option<i64>> {
    sqlx::query_scalar("select pseudonym_index from participants where consultation_id = $1 and organisation_id = $2")
        .bind(consultation_id)
        .bind(organisation_id)
        .fetch_optional(db)
        .await
}

/// Every participant of a consultation: (organisation id, pseudonym index).
pub async fn participants<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
) -> DbResult<Vec<(i64, i64)>> {
    sqlx::query_as("select organisation_id, pseudonym_index from participants where consultation_id = $1")
        .bind(consultation_id)
        .fetch_all(db)
        .await
}

/// Registers a company in a consultation (inside a write transaction, so that two companies
/// never get the same letter); returns its pseudonym index, the existing one if registered.
pub async fn register(
    conn: &mut sqlx::AnyConnection,
    consultation_id: i64,
    organisation_id: i64,
    now: i64,
) -> DbResult<i64> {
    if let Some(index) = participant(&mut *conn, consultation_id, organisation_id).await? {
        return Ok(index);
    }
    let next: i64 =
        sqlx::query_scalar("select coalesce(max(pseudonym_index) + 1, 0) from participants where consultation_id = $1")
            .bind(consultation_id)
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query(
        "insert into participants (consultation_id, organisation_id, pseudonym_index, registered_at) \
         values ($1, $2, $3, $4)",
    )
    .bind(consultation_id)
    .bind(organisation_id)
    .bind(next)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(next)
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ContributionRow {
    pub id: i64,
    pub consultation_id: i64,
    pub version_number: i64,
    #[sqlx(try_from = "String")]
    pub target: TargetKind,
    pub target_id: String,
    pub quote_exact: Option<String>,
    pub quote_prefix: Option<String>,
    pub quote_suffix: Option<String>,
    pub position_start: Option<i64>,
    pub position_end: Option<i64>,
    pub target_text: String,
    pub target_label: String,
    #[sqlx(try_from = "String")]
    pub kind: ContributionKind,
    pub justification: String,
    #[sqlx(try_from = "String")]
    pub cost_impact: CostImpact,
    pub cost_amount_cents: Option<i64>,
    pub proposed_text: String,
    #[sqlx(try_from = "String")]
    pub status: ContributionStatus,
    pub integrated_version: Option<i64>,
    pub organisation_id: i64,
    pub author_id: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub withdrawn_at: Option<i64>,
}

impl ContributionRow {
    pub fn target(&self) -> Target {
        Target {
            kind: self.target,
            id: self.target_id.clone(),
        }
    }

    pub fn selector(&self) -> Option<TextSelector> {
        Some(TextSelector {
            quote: TextQuote {
                exact: self.quote_exact.clone()?,
                prefix: self.quote_prefix.clone().unwrap_or_default(),
                suffix: self.quote_suffix.clone().unwrap_or_default(),
            },
            position: TextPosition {
                start: self.position_start? as usize,
                end: self.position_end? as usize,
            },
        })
    }
}

const CONTRIBUTION_SELECT: &str = "select id, consultation_id, version_number, target, target_id, quote_exact, \
     quote_prefix, quote_suffix, position_start, position_end, target_text, target_label, kind, justification, \
     cost_impact, cost_amount_cents, proposed_text, status, integrated_version, organisation_id, author_id, created_at, \
     updated_at, withdrawn_at from contributions";

/// The contributions of a consultation, oldest first.
pub async fn list<'e>(db: impl Executor<'e, Database = Any>, consultation_id: i64) -> DbResult<Vec<ContributionRow>> {
    sqlx::query_as(&format!("{CONTRIBUTION_SELECT} where consultation_id = $1 order by id"))
        .bind(consultation_id)
        .fetch_all(db)
        .await
}

pub async fn find<'e>(db: impl Executor<'e, Database = Any>, id: i64) -> DbResult<Option<ContributionRow>> {
    sqlx::query_as(&format!("{CONTRIBUTION_SELECT} where id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await
}

pub struct NewContributionRow<'a> {
    pub consultation_id: i64,
    pub version_number: i64,
    pub target: &'a Target,
    pub selector: Option<&'a TextSelector>,
    pub target_text: &'a str,
    pub target_label: &'a str,
    pub content: &'a ContributionContent,
    pub organisation_id: i64,
    pub author_id: i64,
    pub client_key: Option<&'a str>,
}

/// The contribution a company already sent with this client key: (consultation, id).
pub async fn by_client_key<'e>(
    db: impl Executor<'e, Database = Any>,
    organisation_id: i64,
    client_key: &str,
) -> DbResult<Option<(i64, i64)>> {
    sqlx::query_as("select consultation_id, id from contributions where organisation_id = $1 and client_key = $2")
        .bind(organisation_id)
        .bind(client_key)
        .fetch_optional(db)
        .await
}

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, c: &NewContributionRow<'_>, now: i64) -> DbResult<i64> {
    let quote = c.selector.map(|s| &s.quote);
    let position = c.selector.map(|s| s.position);
    sqlx::query_scalar(
        "insert into contributions (consultation_id, version_number, target, target_id, quote_exact, quote_prefix, \
         quote_suffix, position_start, position_end, target_text, target_label, kind, justification, \
         cost_impact, cost_amount_cents, proposed_text, status, organisation_id, author_id, created_at, \
         updated_at, client_key) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
         'open', $17, $18, $19, $19, $20) \
         returning id",
    )
    .bind(c.consultation_id)
    .bind(c.version_number)
    .bind(c.target.kind.as_str())
    .bind(&c.target.id)
    .bind(quote.map(|q| q.exact.as_str()))
    .bind(quote.map(|q| q.prefix.as_str()))
    .bind(quote.map(|q| q.suffix.as_str()))
    .bind(position.map(|p| p.start as i64))
    .bind(position.map(|p| p.end as i64))
    .bind(c.target_text)
    .bind(c.target_label)
    .bind(c.content.kind.as_str())
    .bind(&c.content.justification)
    .bind(c.content.cost_impact.as_str())
    .bind(c.content.cost_amount_cents)
    .bind(&c.content.proposed_text)
    .bind(c.organisation_id)
    .bind(c.author_id)
    .bind(now)
    .bind(c.client_key)
    .fetch_one(db)
    .await
}

/// Replaces what a contribution says, keeping what it said before as a revision.
pub async fn edit(
    conn: &mut sqlx::AnyConnection,
    before: &ContributionRow,
    content: &ContributionContent,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "insert into contribution_revisions (contribution_id, kind, justification, cost_impact, cost_amount_cents, \
         proposed_text, written_at, replaced_at) values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(before.id)
    .bind(before.kind.as_str())
    .bind(&before.justification)
    .bind(before.cost_impact.as_str())
    .bind(before.cost_amount_cents)
    .bind(&before.proposed_text)
    .bind(before.updated_at)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "update contributions set kind = $2, justification = $3, cost_impact = $4, cost_amount_cents = $5, \
         proposed_text = $6, updated_at = $7 where id = $1",
    )
    .bind(before.id)
    .bind(content.kind.as_str())
    .bind(&content.justification)
    .bind(content.cost_impact.as_str())
    .bind(content.cost_amount_cents)
    .bind(&content.proposed_text)
    .bind(now)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

pub async fn withdraw<'e>(db: impl Executor<'e, Database = Any>, id: i64, now: i64) -> DbResult<bool> {
    let done = sqlx::query("update contributions set withdrawn_at = $2 where id = $1 and withdrawn_at is null")
        .bind(id)
        .bind(now)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_status<'e>(
    db: impl Executor<'e, Database = Any>,
    id: i64,
    status: ContributionStatus,
    integrated_version: Option<i64>,
) -> DbResult<()> {
    sqlx::query("update contributions set status = $2, integrated_version = $3 where id = $1")
        .bind(id)
        .bind(status.as_str())
        .bind(integrated_version)
        .execute(db)
        .await
        .map(|_| ())
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct RevisionRow {
    pub contribution_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: ContributionKind,
    pub justification: String,
    #[sqlx(try_from = "String")]
    pub cost_impact: CostImpact,
    pub cost_amount_cents: Option<i64>,
    pub proposed_text: String,
    pub written_at: i64,
}

/// Every earlier wording of the contributions of a consultation, oldest first.
pub async fn revisions<'e>(db: impl Executor<'e, Database = Any>, consultation_id: i64) -> DbResult<Vec<RevisionRow>> {
    sqlx::query_as(
        "select r.contribution_id, r.kind, r.justification, r.cost_impact, r.cost_amount_cents, r.proposed_text, \
         r.written_at from contribution_revisions r join contributions c on c.id = r.contribution_id \
         where c.consultation_id = $1 order by r.id",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ReplyRow {
    pub contribution_id: i64,
    pub from_buyer: i64,
    pub body: String,
    pub created_at: i64,
}

/// Every reply under the contributions of a consultation, oldest first.
pub async fn replies<'e>(db: impl Executor<'e, Database = Any>, consultation_id: i64) -> DbResult<Vec<ReplyRow>> {
    sqlx::query_as(
        "select r.contribution_id, r.from_buyer, r.body, r.created_at from contribution_replies r \
         join contributions c on c.id = r.contribution_id where c.consultation_id = $1 order by r.id",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await
}

pub async fn insert_reply<'e>(
    db: impl Executor<'e, Database = Any>,
    contribution_id: i64,
    from_buyer: bool,
    body: &str,
    author_id: i64,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "insert into contribution_replies (contribution_id, from_buyer, body, author_id, created_at) \
         values ($1, $2, $3, $4, $5)",
    )
    .bind(contribution_id)
    .bind(i64::from(from_buyer))
    .bind(body)
    .bind(author_id)
    .bind(now)
    .execute(db)
    .await
    .map(|_| ())
}

/// Per consultation of a buyer organisation, the contributions not answered yet (open, not
/// withdrawn).
pub async fn unanswered_counts<'e>(
    db: impl Executor<'e, Database = Any>,
    buyer_organisation_id: i64,
) -> DbResult<Vec<(i64, i64)>> {
    sqlx::query_as(
        "select c.consultation_id, count(*) from contributions c \
         join consultations k on k.id = c.consultation_id \
         where k.buyer_organisation_id = $1 and c.status = 'open' and c.withdrawn_at is null \
         group by c.consultation_id",
    )
    .bind(buyer_organisation_id)
    .fetch_all(db)
    .await
}

/// Per consultation, the buyer's answers written since `since` to the contributions of a
/// company.
pub async fn buyer_answers_to<'e>(
    db: impl Executor<'e, Database = Any>,
    organisation_id: i64,
    since: i64,
) -> DbResult<Vec<(i64, i64)>> {
    sqlx::query_as(
        "select c.consultation_id, count(*) from contribution_replies r \
         join contributions c on c.id = r.contribution_id \
         where c.organisation_id = $1 and r.from_buyer = 1 and r.created_at >= $2 \
         group by c.consultation_id",
    )
    .bind(organisation_id)
    .bind(since)
    .fetch_all(db)
    .await
}

/// The consultations a company takes part in (has a pseudonym in).
pub async fn participations<'e>(db: impl Executor<'e, Database = Any>, organisation_id: i64) -> DbResult<Vec<i64>> {
    sqlx::query_scalar("select consultation_id from participants where organisation_id = $1")
        .bind(organisation_id)
        .fetch_all(db)
        .await
}
