//! Who is calling: sessions in cookies, passwords, tokens, and the one permission module that
//! every server function consults before doing anything.

pub mod password;
pub mod permissions;
pub mod session;
pub mod token;

pub use permissions::{authorize, Actor, ConsultationAccess, Permission};
pub use session::{actor_from_headers, current_actor, ActorMemo};
