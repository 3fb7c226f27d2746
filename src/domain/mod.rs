//! Pure domain logic: no I/O, no framework. Compiled twice, for the server and for the browser
//! (WebAssembly), so that both compute exactly the same results.

pub mod anchor;
pub mod calendar;
pub mod consultation;
pub mod contribution;
pub mod criteria;
pub mod diff;
pub mod identity;
pub mod markdown;
pub mod spec;
