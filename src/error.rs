//! The application error: what crosses the wire is a kind and a French message a person can act
//! on; internal causes (SQL errors, I/O) are logged on the server and never sent.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist, or the caller may not know it exists.
    #[error("{0}")]
    NotFound(String),
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The caller must sign in first.
    #[error("{0}")]
    Unauthenticated(String),
    /// The input is wrong; the message says what to change.
    #[error("{0}")]
    Invalid(String),
    /// Fields of a form are wrong: each message goes under its field (`aria-describedby`), all of
    /// them in the form's summary.
    #[error("{}", .0.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join(" "))]
    InvalidFields(Vec<FieldProblem>),
    /// Someone else changed the same thing first.
    #[error("{0}")]
    Conflict(String),
    /// Too many requests of this kind right now; the message says when to try again.
    #[error("{0}")]
    Busy(String),
    /// Something failed on our side; details are in the server logs only.
    #[error("Une erreur interne est survenue. Réessayez dans un instant ; si elle persiste, contactez l'équipe JeSaisFaire.")]
    Internal,
    /// The request could not reach the server or its answer could not be read.
    #[error(
        "Le serveur est injoignable ou a répondu de façon inattendue ({0}). Vérifiez votre connexion et réessayez."
    )]
    Transport(String),
}

/// What is wrong with one field of a form: `field` is the field's `name`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// `(field, message)`, as the pure validations of `domain` return them.
impl From<(&str, String)> for FieldProblem {
    fn from((field, message): (&str, String)) -> Self {
        FieldProblem::new(field, message)
    }
}

impl FieldProblem {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        FieldProblem {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl AppError {
    /// One field is wrong.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::InvalidFields(vec![FieldProblem::new(field, message)])
    }

    /// The messages about `field`, if this error names it.
    pub fn problem_with(&self, field: &str) -> Option<String> {
        let AppError::InvalidFields(problems) = self else {
            return None;
        };
        let messages: Vec<&str> = problems
            .iter()
            .filter(|p| p.field == field)
            .map(|p| p.message.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join(" "))
    }

    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!(
            "{what} est introuvable. Vérifiez le lien ou revenez à la liste."
        ))
    }

    /// HTTP status for this error, used by the server so that API clients see a meaningful code.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::Forbidden(_) => 403,
            AppError::Unauthenticated(_) => 401,
            AppError::Invalid(_) | AppError::InvalidFields(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::Busy(_) => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server, the errors leptos raises before the function body runs are about what the
    /// caller sent (arguments that do not decode, a missing field, a body of the wrong kind):
    /// they answer "invalid request" in French, never serde's or leptos' own words, and
    /// `server::http` gives them the status 422. In the browser the same errors mean the server
    /// could not be reached or answered something unreadable.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        {
            match value {
                ServerFnErrorErr::Args(_)
                | ServerFnErrorErr::MissingArg(_)
                | ServerFnErrorErr::Deserialization(_)
                | ServerFnErrorErr::Request(_)
                | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::Invalid(MALFORMED_REQUEST.into()),
                other => {
                    tracing::error!(error = %other, "server function failed outside its body");
                    AppError::Internal
                }
            }
        }
        #[cfg(not(feature = "ssr"))]
        {
            match value {
                ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                    AppError::Invalid(MALFORMED_REQUEST.into())
                }
                ServerFnErrorErr::Request(e) | ServerFnErrorErr::Response(e) => AppError::Transport(e),
                other => AppError::Transport(other.to_string()),
            }
        }
    }
}

/// What a caller who sent arguments the server cannot read is told.
pub const MALFORMED_REQUEST: &str =
    "La requête est incomplète ou mal formée. Rechargez la page et réessayez ; si le problème persiste, \
     contactez l'équipe JeSaisFaire.";
