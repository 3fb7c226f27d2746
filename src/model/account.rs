use crate::domain::enums::stored_enum;
use serde::{Deserialize, Serialize};

stored_enum! {
    /// What a person does in the product; decides what they may do (`server::auth::permissions`).
    pub enum Role {
        Buyer = "buyer",
        Supplier = "supplier",
        Reviewer = "reviewer",
        Admin = "admin",
    }
}

impl Role {
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

stored_enum! {
    pub enum OrganisationKind {
        Buyer = "buyer",
        Company = "company",
    }
}

impl OrganisationKind {
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
    /// Notifications not read yet (the bell).
    pub unread_notifications: u32,
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

/// What an invitation link is for, shown before the person chooses a password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
    pub role: Role,
    pub organisation_name: Option<String>,
}

/// What the admin sees after inviting: never the link itself, which goes to the invitee only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationSent {
    pub email: String,
    pub expires_at: i64,
}

/// What a registration form gets back: the same answer whether the address or the SIRET is
/// already known (nothing to enumerate).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationSent {
    pub email: String,
}

/// A confirmation link's registration, shown before the person confirms it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationView {
    pub email: String,
    pub company_name: String,
}

/// A confirmed registration: the account exists and is signed in; `waiting_for` names the
/// company whose members must still accept the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationConfirmed {
    pub user: SessionUser,
    pub waiting_for: Option<String>,
    /// The consultation the person was invited to by the link they registered through.
    pub invited_to: Option<i64>,
}

/// A person asking to join one's company.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequestView {
    pub id: i64,
    pub display_name: String,
    pub email: String,
    pub requested_at: i64,
}

/// A company as it presents itself to buyers and reviewers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyProfile {
    pub id: i64,
    pub name: String,
    pub siret: Option<String>,
    /// Département of the head office.
    pub departement: Option<String>,
    pub cpv_codes: Vec<String>,
    pub departements_served: Vec<String>,
    pub is_sme: bool,
    /// Markdown as written.
    pub presentation: String,
    /// The presentation rendered and sanitised on the server.
    pub presentation_html: String,
    pub website: String,
}

stored_enum! {
    /// Where an invitation of a company to a consultation stands.
    pub enum InvitationStatus {
        Pending = "pending",
        Accepted = "accepted",
        Declined = "declined",
    }
}

impl InvitationStatus {
    pub fn label_fr(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "En attente de réponse",
            InvitationStatus::Accepted => "Acceptée",
            InvitationStatus::Declined => "Déclinée",
        }
    }
}

/// A company invited to a consultation, as its buyer and reviewers see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationState {
    pub organisation_id: i64,
    pub company_name: String,
    pub status: InvitationStatus,
    pub invited_at: i64,
    pub answered_at: Option<i64>,
}

/// An invitation waiting for the answer of one's company.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyInvitation {
    pub consultation_id: i64,
    pub title: String,
    pub buyer_name: String,
    pub invited_at: i64,
}

/// One page of the companies' directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryPage {
    pub companies: Vec<CompanyProfile>,
    /// How many companies match, over every page.
    pub total: usize,
    /// Pages start at 1.
    pub page: usize,
    pub page_size: usize,
}

/// An invitation sent by e-mail to a company not registered yet, as its buyer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailInvitationState {
    pub email: String,
    pub invited_at: i64,
    pub expires_at: i64,
    /// The company that registered through the link, once one did.
    pub company_name: Option<String>,
}

/// What an invitation link leads to, shown on the registration page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationLinkView {
    pub consultation_id: i64,
    pub title: String,
    pub buyer_name: String,
}
