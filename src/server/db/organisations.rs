//! Queries on organisations (buyers and companies).

use super::{now_unix, DbResult};
use sqlx::{Any, Executor};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrganisationKind {
    Buyer,
    Company,
}

impl OrganisationKind {
    fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::Buyer => "buyer",
            OrganisationKind::Company => "company",
        }
    }
}

pub struct NewOrganisation<'a> {
    pub kind: OrganisationKind,
    pub name: &'a str,
    pub siret: Option<&'a str>,
    pub departement: Option<&'a str>,
}

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, org: &NewOrganisation<'_>) -> DbResult<i64> {
    sqlx::query_scalar(
        "insert into organisations (kind, name, siret, departement, created_at) \
         values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(org.kind.as_str())
    .bind(org.name)
    .bind(org.siret)
    .bind(org.departement)
    .bind(now_unix())
    .fetch_one(db)
    .await
}
