pub mod consultation_card;
pub mod error;
pub mod form;
pub mod layout;
pub mod pager;
pub mod sign_in;
pub mod status;
pub mod timeline;
