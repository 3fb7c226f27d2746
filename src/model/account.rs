use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Buyer,
    Supplier,
    Reviewer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Buyer, Role::Supplier, Role::Reviewer, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Buyer => "buyer",
            Role::Supplier => "supplier",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Role::Buyer => "Acheteur",
            Role::Supplier => "Entreprise",
            Role::Reviewer => "Relecteur (PFRA)",
            Role::Admin => "Administrateur",
        }
    }

    /// The page a person of this role lands on after signing in.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Buyer => "/acheteur",
            Role::Supplier => "/entreprise",
            Role::Reviewer => "/relecture",
            Role::Admin => "/admin",
        }
    }

    /// Whether an account of this role belongs to an organisation, and of which kind.
    pub fn organisation_kind(self) -> Option<OrganisationKind> {
        match self {
            Role::Buyer => Some(OrganisationKind::Buyer),
            Role::Supplier => Some(OrganisationKind::Company),
            Role::Reviewer | Role::Admin => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrganisationKind {
    Buyer,
    Company,
}

impl OrganisationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::Buyer => "buyer",
            OrganisationKind::Company => "company",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [OrganisationKind::Buyer, OrganisationKind::Company]
            .into_iter()
            .find(|k| k.as_str() == s)
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            OrganisationKind::Buyer => "Acheteur public",
            OrganisationKind::Company => "Entreprise",
        }
    }
}

/// The signed-in person as the browser sees them: what to show and where home is. No ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub organisation_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationView {
    pub id: i64,
    pub kind: OrganisationKind,
    pub name: String,
    pub siret: Option<String>,
    pub departement: Option<String>,
    pub cpv_codes: Vec<String>,
    pub departements_served: Vec<String>,
    pub is_sme: bool,
}

/// A private agenda subscription link, shown once when created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarFeedLink {
    pub url: String,
    /// Unix seconds; the link stops working then (a new one can be created at any time).
    pub expires_at: i64,
}

/// The caller's agenda link as the account page describes it (never the link itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarFeedStatus {
    pub created_at: i64,
    pub expires_at: i64,
}
