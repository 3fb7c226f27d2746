//! What every server function needs on the server side.

use crate::error::AppError;
use crate::server::auth::{self, Actor};
use crate::server::AppState;

pub use crate::server::auth::authorize;

/// The state and the caller of the current request: the first line of every server function.
/// (The HTTP status of an error is set from its kind by `server::http::security`.)
pub async fn caller() -> Result<(AppState, Actor), AppError> {
    let state = AppState::current()?;
    let actor = auth::current_actor(&state).await?;
    Ok((state, actor))
}
