mod admin;
mod calendar;
mod company;
mod compare;
mod consultation;
mod consultation_list;
mod dossier;
mod editor;
mod history;
mod homes;
mod invitation;
mod invitations;
mod minutes;
mod needs;
mod new_consultation;
mod not_found;
mod notifications;
mod overview;
mod planning;
mod registers;
mod registration;
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
    buyer_home_data, reviewer_home_data, supplier_home_data, BuyerHomePage, HomeData, ReviewerHomePage,
    SupplierHomePage,
};
pub use invitation::{invitation_data, InvitationPage};
pub use invitations::{InvitationsData, InvitationsPage};
pub use minutes::{MinutesData, MinutesPage};
pub use needs::{NeedPageView, NeedsPage, NewNeedPage};
pub use new_consultation::NewConsultationPage;
pub use not_found::NotFoundPage;
pub use notifications::NotificationsPage;
pub use overview::{overview_data, ContributionsOverviewPage};
pub use planning::{PlanningData, PlanningPage};
pub use registers::{registers_data, RegistersPage};
pub use registration::{registration_data, ConfirmRegistrationPage, RegistrationPage, RegistrationSentPage};
pub use review::{ReviewData, ReviewPage};
pub use sign_in::{AccountData, AccountPage, SignInPage};
