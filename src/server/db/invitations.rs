//! Queries on the invitations of companies to consultations and their answers.

use super::DbResult;
use crate::model::{CompanyInvitation, InvitationState, InvitationStatus};
use sqlx::{Any, Executor};

/// Invites a company (pending); a company that declined is asked again. False when it was
/// already invited and has not declined.
pub async fn invite<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
    organisation_id: i64,
    invited_by: i64,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "insert into consultation_invitations (consultation_id, organisation_id, status, invited_at, invited_by) \
         values ($1, $2, 'pending', $3, $4) \
         on conflict (consultation_id, organisation_id) do update set status = 'pending', \
         invited_at = excluded.invited_at, invited_by = excluded.invited_by, answered_at = null \
         where consultation_invitations.status = 'declined'",
    )
    .bind(consultation_id)
    .bind(organisation_id)
    .bind(now)
    .bind(invited_by)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
struct StateRow {
    organisation_id: i64,
    company_name: String,
    #[sqlx(try_from = "String")]
    status: InvitationStatus,
    invited_at: i64,
    answered_at: Option<i64>,
}

pub async fn of_consultation<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
) -> DbResult<Vec<InvitationState>> {
    let rows: Vec<StateRow> = sqlx::query_as(
        "select i.organisation_id, o.name as company_name, i.status, i.invited_at, i.answered_at \
         from consultation_invitations i join organisations o on o.id = i.organisation_id \
         where i.consultation_id = $1 order by o.name, o.id",
    )
    .bind(consultation_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InvitationState {
            organisation_id: r.organisation_id,
            company_name: r.company_name,
            status: r.status,
            invited_at: r.invited_at,
            answered_at: r.answered_at,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    consultation_id: i64,
    title: String,
    buyer_name: String,
    invited_at: i64,
}

/// The invitations waiting for one company's answer, newest first.
pub async fn pending_for<'e>(
    db: impl Executor<'e, Database = Any>,
    organisation_id: i64,
) -> DbResult<Vec<CompanyInvitation>> {
    let rows: Vec<PendingRow> = sqlx::query_as(
        "select c.id as consultation_id, c.title, b.name as buyer_name, i.invited_at \
         from consultation_invitations i join consultations c on c.id = i.consultation_id \
         join organisations b on b.id = c.buyer_organisation_id \
         where i.organisation_id = $1 and i.status = 'pending' order by i.invited_at desc, c.id desc",
    )
    .bind(organisation_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CompanyInvitation {
            consultation_id: r.consultation_id,
            title: r.title,
            buyer_name: r.buyer_name,
            invited_at: r.invited_at,
        })
        .collect())
}

/// Records the company's answer to a pending invitation; false when there is none.
pub async fn answer<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
    organisation_id: i64,
    status: InvitationStatus,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "update consultation_invitations set status = $1, answered_at = $2 \
         where consultation_id = $3 and organisation_id = $4 and status = 'pending'",
    )
    .bind(status.as_str())
    .bind(now)
    .bind(consultation_id)
    .bind(organisation_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}
