//! Types that cross the wire between the server and the browser. Integers are fixed-width
//! (never `usize`, whose size differs between the two builds).

pub mod account;
pub mod consultation;
pub mod contribution;
pub mod dossier;
pub mod minutes;
pub mod need;
pub mod notification;
pub mod open_data;
pub mod record;

pub use account::*;
pub use consultation::*;
pub use contribution::*;
pub use dossier::*;
pub use minutes::*;
pub use need::*;
pub use notification::*;
pub use open_data::*;
pub use record::*;
