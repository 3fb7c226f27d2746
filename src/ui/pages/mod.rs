mod consultation;
mod consultation_list;
mod not_found;

pub use consultation::ConsultationPage;
pub use consultation_list::ConsultationListPage;
pub use not_found::NotFoundPage;
