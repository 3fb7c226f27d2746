pub mod error;
pub mod layout;
pub mod status;
