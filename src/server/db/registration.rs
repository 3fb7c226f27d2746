//! Queries on self-registration: pending registrations, their throttling, requests to join a
//! company, and the company's profile.

use super::DbResult;
use sqlx::{Any, Executor};

pub struct NewRegistration<'a> {
    pub token_hash: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub siret: &'a str,
    pub company_name: &'a str,
    pub expires_at: i64,
    /// The hash of the invitation link the person came by, or empty.
    pub invitation_token_hash: &'a str,
}

pub async fn insert_pending<'e>(
    db: impl Executor<'e, Database = Any>,
    r: &NewRegistration<'_>,
    now: i64,
) -> DbResult<()> {
    sqlx::query(
        "insert into pending_registrations (token_hash, email, display_name, password_hash, siret, company_name, \
         created_at, expires_at, invitation_token_hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(r.token_hash)
    .bind(r.email)
    .bind(r.display_name)
    .bind(r.password_hash)
    .bind(r.siret)
    .bind(r.company_name)
    .bind(now)
    .bind(r.expires_at)
    .bind(r.invitation_token_hash)
    .execute(db)
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct PendingRow {
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub siret: String,
    pub company_name: String,
    pub invitation_token_hash: String,
}

/// A registration whose link is still valid (not used, not expired).
pub async fn live_pending<'e>(
    db: impl Executor<'e, Database = Any>,
    token_hash: &str,
    now: i64,
) -> DbResult<Option<PendingRow>> {
    sqlx::query_as(
        "select email, display_name, password_hash, siret, company_name, invitation_token_hash \
         from pending_registrations \
         where token_hash = $1 and used_at is null and expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await
}

/// Marks the link used; false when it already was or has expired (single use, even under a race).
pub async fn use_pending<'e>(db: impl Executor<'e, Database = Any>, token_hash: &str, now: i64) -> DbResult<bool> {
    let done = sqlx::query(
        "update pending_registrations set used_at = $1 where token_hash = $2 and used_at is null and expires_at > $1",
    )
    .bind(now)
    .bind(token_hash)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Counts the registrations asked since `since` for this e-mail and from this address and, when
/// `admit` accepts the counts, records this one (inside the caller's write transaction).
pub async fn admit_attempt(
    conn: &mut sqlx::AnyConnection,
    email: &str,
    address: &str,
    now: i64,
    since: i64,
    admit: impl FnOnce(i64, i64) -> bool,
) -> DbResult<bool> {
    let (by_email, by_address): (i64, i64) = sqlx::query_as(
        "select \
           (select count(*) from registration_attempts where email = $1 and attempted_at >= $3), \
           (select count(*) from registration_attempts where address = $2 and attempted_at >= $3)",
    )
    .bind(email)
    .bind(address)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    if !admit(by_email, by_address) {
        return Ok(false);
    }
    sqlx::query("insert into registration_attempts (email, address, attempted_at) values ($1, $2, $3)")
        .bind(email)
        .bind(address)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    // Attempts older than a day are forgotten (the table stays small).
    sqlx::query("delete from registration_attempts where attempted_at < $1")
        .bind(now - 24 * 3600)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// The id, kind and name of the organisation registered with this SIRET, or else with its SIREN.
pub async fn organisation_by_siret<'e>(
    db: impl Executor<'e, Database = Any>,
    siret: &str,
    siren: &str,
) -> DbResult<Option<(i64, String, String)>> {
    sqlx::query_as(
        "select id, kind, name from organisations where siret = $1 or siret = $2 \
         order by case when siret = $1 then 0 else 1 end, id limit 1",
    )
    .bind(siret)
    .bind(siren)
    .fetch_optional(db)
    .await
}

pub async fn insert_join_request<'e>(
    db: impl Executor<'e, Database = Any>,
    user_id: i64,
    organisation_id: i64,
    now: i64,
) -> DbResult<i64> {
    sqlx::query_scalar(
        "insert into join_requests (user_id, organisation_id, created_at) values ($1, $2, $3) returning id",
    )
    .bind(user_id)
    .bind(organisation_id)
    .bind(now)
    .fetch_one(db)
    .await
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct JoinRequestRow {
    pub id: i64,
    pub user_id: i64,
    pub organisation_id: i64,
    pub display_name: String,
    pub email: String,
    pub created_at: i64,
}

const JOIN_SELECT: &str = "select j.id, j.user_id, j.organisation_id, u.display_name, u.email, j.created_at \
     from join_requests j join users u on u.id = j.user_id";

/// Requests to join this company that no member has decided yet, oldest first.
pub async fn waiting_join_requests<'e>(
    db: impl Executor<'e, Database = Any>,
    organisation_id: i64,
) -> DbResult<Vec<JoinRequestRow>> {
    sqlx::query_as(&format!(
        "{JOIN_SELECT} where j.organisation_id = $1 and j.decided_at is null order by j.id"
    ))
    .bind(organisation_id)
    .fetch_all(db)
    .await
}

pub async fn join_request<'e>(db: impl Executor<'e, Database = Any>, id: i64) -> DbResult<Option<JoinRequestRow>> {
    sqlx::query_as(&format!("{JOIN_SELECT} where j.id = $1 and j.decided_at is null"))
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The company a person asked to join and is still waiting for, if any.
pub async fn waiting_for<'e>(db: impl Executor<'e, Database = Any>, user_id: i64) -> DbResult<Option<String>> {
    sqlx::query_scalar(
        "select o.name from join_requests j join organisations o on o.id = j.organisation_id \
         where j.user_id = $1 and j.decided_at is null order by j.id desc limit 1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// Records the decision once (false when another member decided first); an accepted person
/// becomes a member of the company.
pub async fn decide_join_request(
    conn: &mut sqlx::AnyConnection,
    request: &JoinRequestRow,
    accepted: bool,
    decided_by: i64,
    now: i64,
) -> DbResult<bool> {
    let done = sqlx::query(
        "update join_requests set decided_at = $1, decided_by = $2, accepted = $3 where id = $4 and decided_at is null",
    )
    .bind(now)
    .bind(decided_by)
    .bind(i64::from(accepted))
    .bind(request.id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    if accepted {
        sqlx::query("update users set organisation_id = $1 where id = $2 and organisation_id is null")
            .bind(request.organisation_id)
            .bind(request.user_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

/// The e-mail addresses of a company's members (to tell them of a request to join).
pub async fn member_emails<'e>(db: impl Executor<'e, Database = Any>, organisation_id: i64) -> DbResult<Vec<String>> {
    sqlx::query_scalar("select email from users where organisation_id = $1 and role = 'supplier' order by id")
        .bind(organisation_id)
        .fetch_all(db)
        .await
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct ProfileRow {
    pub id: i64,
    pub name: String,
    pub siret: Option<String>,
    pub departement: Option<String>,
    pub cpv_codes: String,
    pub departements_served: String,
    pub is_sme: i64,
    pub presentation: String,
    pub website: String,
}

const PROFILE_SELECT: &str = "select id, name, siret, departement, cpv_codes, departements_served, is_sme, \
     presentation, website from organisations where kind = 'company'";
const PROFILE_SELECT_COUNTED: &str = "select id, name, siret, departement, cpv_codes, departements_served, is_sme, \
     presentation, website, count(*) over () as total from organisations where kind = 'company'";

pub async fn profile<'e>(db: impl Executor<'e, Database = Any>, organisation_id: i64) -> DbResult<Option<ProfileRow>> {
    sqlx::query_as(&format!("{PROFILE_SELECT} and id = $1"))
        .bind(organisation_id)
        .fetch_optional(db)
        .await
}

/// The companies of the directory whose name or presentation match `text`, that work in a CPV
/// code starting with `cpv_prefix` (digits), in `departement` (served, or their head office),
/// SMEs only if asked; by name, one page; and how many match.
/// What the directory is searched by, checked.
pub struct DirectoryFilter<'a> {
    pub text: &'a crate::domain::search::TextQuery,
    /// Digits.
    pub cpv_prefix: &'a str,
    pub departement: &'a str,
    pub sme_only: bool,
}

pub async fn directory<'e, E>(
    db: E,
    backend: super::Backend,
    filter: &DirectoryFilter<'_>,
    limit: i64,
    offset: i64,
) -> DbResult<(Vec<ProfileRow>, i64)>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let DirectoryFilter {
        text,
        cpv_prefix,
        departement,
        sme_only,
    } = *filter;
    let text_condition = if text.is_empty() {
        "$4 = ''".to_string()
    } else {
        super::needs::text_match(backend, "organisations", "companies_fts", "$4")
    };
    let conditions = format!(
        "and ($1 = '' or (' ' || cpv_codes) like '% ' || $1 || '%') \
         and ($2 = '' or (' ' || departements_served || ' ') like '% ' || $2 || ' %' or departement = $2) \
         and ($3 = 0 or is_sme = 1) and {text_condition}"
    );
    let text = if text.is_empty() {
        String::new()
    } else {
        super::needs::text_param(backend, text)
    };
    #[derive(sqlx::FromRow)]
    struct Counted {
        #[sqlx(flatten)]
        profile: ProfileRow,
        total: i64,
    }
    // One pass: the count of every match rides along each row of the page.
    let rows: Vec<Counted> = sqlx::query_as(&format!(
        "{PROFILE_SELECT_COUNTED} {conditions} order by name, id limit {limit} offset {offset}"
    ))
    .bind(cpv_prefix)
    .bind(departement)
    .bind(i64::from(sme_only))
    .bind(&text)
    .fetch_all(db)
    .await?;
    let total = match rows.first() {
        Some(row) => row.total,
        None if offset > 0 => {
            sqlx::query_scalar(&format!(
                "select count(*) from organisations where kind = 'company' {conditions}"
            ))
            .bind(cpv_prefix)
            .bind(departement)
            .bind(i64::from(sme_only))
            .bind(&text)
            .fetch_one(db)
            .await?
        }
        None => 0,
    };
    let rows = rows.into_iter().map(|r| r.profile).collect();
    Ok((rows, total))
}

pub struct ProfileUpdate<'a> {
    pub departement: Option<&'a str>,
    pub cpv_codes: &'a [String],
    pub departements_served: &'a [String],
    pub is_sme: bool,
    pub presentation: &'a str,
    pub website: &'a str,
    /// `domain::search::index_text` of the name and presentation.
    pub search_terms: &'a str,
}

pub async fn update_profile<'e>(
    db: impl Executor<'e, Database = Any>,
    organisation_id: i64,
    p: &ProfileUpdate<'_>,
) -> DbResult<()> {
    sqlx::query(
        "update organisations set departement = $1, cpv_codes = $2, departements_served = $3, is_sme = $4, \
         presentation = $5, website = $6, search_terms = $8 where id = $7 and kind = 'company'",
    )
    .bind(p.departement)
    .bind(p.cpv_codes.join(" "))
    .bind(p.departements_served.join(" "))
    .bind(i64::from(p.is_sme))
    .bind(p.presentation)
    .bind(p.website)
    .bind(organisation_id)
    .bind(p.search_terms)
    .execute(db)
    .await
    .map(|_| ())
}
