//! The catalogue of upcoming needs (« Besoins à venir ») and companies' interest in them.

use super::CompanyProfile;
use crate::domain::need::Quarter;
use serde::{Deserialize, Serialize};

/// A need as listed in the catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedSummary {
    pub id: i64,
    pub title: String,
    pub buyer_id: i64,
    pub buyer_name: String,
    pub cpv_codes: Vec<String>,
    pub departements: Vec<String>,
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub quarter: Quarter,
    /// The sourcing consultation that followed, once the buyer linked it.
    pub consultation_id: Option<i64>,
    pub published_at: i64,
}

/// The catalogue's search, as typed in the address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedSearch {
    pub words: String,
    pub cpv: String,
    pub departement: String,
    /// « 2027 » or « 2027-T2 ».
    pub period: String,
    pub buyer: Option<i64>,
    pub amount_from: String,
    pub amount_to: String,
    /// Pages start at 1.
    pub page: u32,
    /// The year view: every need of the period's year (this year by default), not paged.
    pub whole_year: bool,
}

/// One page of the catalogue, or a whole year (the year view).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedPage {
    pub needs: Vec<NeedSummary>,
    /// How many needs match, over every page.
    pub total: u32,
    /// Pages start at 1.
    pub page: u32,
    pub page_size: u32,
    /// The buyers that have needs in the catalogue, for the filter.
    pub buyers: Vec<(i64, String)>,
}

/// A company that said it is interested in a need, with its profile (for the buyer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterestedCompany {
    pub company: CompanyProfile,
    pub person: String,
    pub message: String,
    pub at: i64,
}

/// A need's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedDetail {
    pub summary: NeedSummary,
    /// The description as written (Markdown), for the buyer's form.
    pub description: String,
    /// The description rendered and sanitised on the server.
    pub description_html: String,
    pub contact: String,
    pub updated_at: i64,
    pub consultation_title: Option<String>,
    /// The caller is a buyer of its organisation: edits it, links the consultation.
    pub can_edit: bool,
    /// The caller's company may say it is interested.
    pub can_show_interest: bool,
    /// The caller's company already said so (with its message).
    pub own_interest: Option<String>,
    /// For its buyer's organisation and reviewers: the companies interested.
    pub interested: Option<Vec<InterestedCompany>>,
    /// The buyer's consultations the need can be linked to (for the form).
    pub linkable: Vec<(i64, String)>,
    /// « Portes ouvertes »: the meeting slots offered on the need, in time order.
    pub slots: Vec<OpenDaySlot>,
}

/// A meeting slot of « portes ouvertes » on a need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDaySlot {
    pub id: i64,
    /// UTC unix seconds.
    pub starts_at: i64,
    pub duration_minutes: u32,
    pub place: String,
    pub capacity: u32,
    pub booked: u32,
    /// The caller's company booked this slot.
    pub own: bool,
    /// For its buyers and reviewers: the companies that booked it, by name.
    pub companies: Option<Vec<String>>,
}
