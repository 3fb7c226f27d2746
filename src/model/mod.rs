//! Types that cross the wire between the server and the browser. Integers are fixed-width
//! (never `usize`, whose size differs between the two builds).

pub mod consultation;

pub use consultation::*;
