mod admin;
mod calendar;
mod compare;
mod consultation;
mod consultation_list;
mod dossier;
mod editor;
mod history;
mod homes;
mod invitation;
mod minutes;
mod new_consultation;
mod not_found;
mod overview;
mod planning;
mod registers;
mod review;
mod sign_in;

pub use admin::{AdminData, AdminPage};
pub use calendar::{calendar_data, CalendarPage};
pub use compare::{comparison_data, ComparePage};
pub use consultation::{ConsultationData, ConsultationPage};
pub use consultation_list::ConsultationListPage;
pub use dossier::{DossierData, DossierPage};
pub use editor::{draft_data, EditorPage};
pub use history::{history_data, HistoryPage};
pub use homes::{
    own_consultations_data, supplier_home_data, BuyerHomePage, HomeData, ReviewerHomePage, SupplierHomePage,
};
pub use invitation::{invitation_data, InvitationPage};
pub use minutes::{MinutesData, MinutesPage};
pub use new_consultation::NewConsultationPage;
pub use not_found::NotFoundPage;
pub use overview::{overview_data, ContributionsOverviewPage};
pub use planning::{PlanningData, PlanningPage};
pub use registers::{registers_data, RegistersPage};
pub use review::{ReviewData, ReviewPage};
pub use sign_in::{AccountData, AccountPage, SignInPage};
