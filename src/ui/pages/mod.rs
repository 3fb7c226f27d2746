mod admin;
mod consultation;
pub(crate) mod consultation_list;
mod history;
mod homes;
mod invitation;
mod not_found;
mod sign_in;

pub use admin::AdminPage;
pub use consultation::ConsultationPage;
pub use consultation_list::ConsultationListPage;
pub use history::HistoryPage;
pub use homes::{BuyerHomePage, ReviewerHomePage, SupplierHomePage};
pub use invitation::InvitationPage;
pub use not_found::NotFoundPage;
pub use sign_in::{AccountPage, SignInPage};
