//! Queries on organisations (buyers and companies).

use super::DbResult;
use crate::model::{OrganisationKind, OrganisationView};
use sqlx::{Any, Executor};

#[derive(Default)]
pub struct NewOrganisation<'a> {
    pub kind: Option<OrganisationKind>,
    pub name: &'a str,
    pub siret: Option<&'a str>,
    pub departement: Option<&'a str>,
    pub cpv_codes: &'a [String],
    pub departements_served: &'a [String],
    pub is_sme: bool,
}

/// The words the directory finds a company by: its name and presentation (see `domain::search`).
pub fn search_terms(name: &str, presentation: &str) -> String {
    crate::domain::search::index_text(&format!("{name} {presentation}"))
}

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, org: &NewOrganisation<'_>, now: i64) -> DbResult<i64> {
    sqlx::query_scalar(
        "insert into organisations (kind, name, siret, departement, cpv_codes, departements_served, is_sme, created_at, \
         search_terms) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
    )
    .bind(org.kind.unwrap_or(OrganisationKind::Buyer).as_str())
    .bind(org.name)
    .bind(org.siret)
    .bind(org.departement)
    .bind(org.cpv_codes.join(" "))
    .bind(org.departements_served.join(" "))
    .bind(i64::from(org.is_sme))
    .bind(now)
    .bind(search_terms(org.name, ""))
    .fetch_one(db)
    .await
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    #[sqlx(try_from = "String")]
    kind: OrganisationKind,
    name: String,
    siret: Option<String>,
    departement: Option<String>,
    cpv_codes: String,
    departements_served: String,
    is_sme: i64,
}

impl From<Row> for OrganisationView {
    fn from(r: Row) -> Self {
        OrganisationView {
            id: r.id,
            kind: r.kind,
            name: r.name,
            siret: r.siret,
            departement: r.departement,
            cpv_codes: r.cpv_codes.split_whitespace().map(str::to_owned).collect(),
            departements_served: r.departements_served.split_whitespace().map(str::to_owned).collect(),
            is_sme: r.is_sme != 0,
        }
    }
}

const SELECT: &str =
    "select id, kind, name, siret, departement, cpv_codes, departements_served, is_sme from organisations";

pub async fn list<'e>(db: impl Executor<'e, Database = Any>) -> DbResult<Vec<OrganisationView>> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} order by kind, name"))
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn find<'e>(db: impl Executor<'e, Database = Any>, id: i64) -> DbResult<Option<OrganisationView>> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} where id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(Into::into))
}

pub async fn siret_taken<'e>(db: impl Executor<'e, Database = Any>, siret: &str) -> DbResult<bool> {
    let n: i64 = sqlx::query_scalar("select count(*) from organisations where siret = $1")
        .bind(siret)
        .fetch_one(db)
        .await?;
    Ok(n > 0)
}

/// Invites a company to a restricted consultation.
pub async fn invite_to_consultation<'e>(
    db: impl Executor<'e, Database = Any>,
    consultation_id: i64,
    organisation_id: i64,
) -> DbResult<()> {
    sqlx::query("insert into consultation_invitations (consultation_id, organisation_id) values ($1, $2)")
        .bind(consultation_id)
        .bind(organisation_id)
        .execute(db)
        .await
        .map(|_| ())
}
