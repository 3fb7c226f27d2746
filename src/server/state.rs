//! What every handler and server function can reach.

use super::auth::password::PasswordWorkers;
use super::clock::Clock;
use super::contributions::AnchorCache;
use super::db::Db;
use super::events::Events;
use super::versions::VersionCache;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::net::IpAddr;
use std::sync::Arc;

#[derive(Clone, Debug, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// "Now" for every rule (the database's clock).
    pub clock: Clock,
    /// Live updates to the pages (see `server::events`).
    pub events: Events,
    /// Served over HTTPS: cookies get `Secure` and the `__Host-` prefix, responses HSTS.
    pub secure_cookies: bool,
    /// Public address of the site, for links in mails (e.g. `https://jesaisfaire.example.fr`).
    pub public_url: String,
    /// Reverse proxies whose `X-Forwarded-For` is believed (see `server::http::client`).
    pub trusted_proxies: Arc<[IpAddr]>,
    /// Where passwords are hashed and checked: each Argon2 computation takes 19 MiB and a core
    /// for a fraction of a second, so a flood of sign-ins waits there instead of exhausting memory.
    pub password_checks: Arc<PasswordWorkers>,
    /// Live-event streams open per client address (see `server::http::live`).
    pub event_streams: Arc<std::sync::Mutex<std::collections::HashMap<IpAddr, usize>>>,
    /// The key that authenticates a form error carried in a URL (see `server::http::security`),
    /// read from the database on first use.
    pub form_error_key: Arc<tokio::sync::OnceCell<[u8; 32]>>,
    /// Published versions parsed, rendered and sanitised once (see `server::versions`).
    pub versions: Arc<VersionCache>,
    /// Where each contribution stands in each version, computed once.
    pub anchors: Arc<AnchorCache>,
    /// Anonymous reads not yet written (see `server::access_register::flush_reads`).
    pub anonymous_reads: Arc<super::access_register::ReadCounter>,
    /// The lines of the access register, written in shared transactions.
    pub register: Arc<super::access_register::RegisterWriter>,
    /// Pages served again while nothing they show has changed (see `server::http::pages`).
    pub pages: Arc<super::http::pages::PageCache>,
    /// The dossiers' PDFs: a few renders at a time, the latest kept by content.
    pub dossiers: Arc<super::dossier::cache::RenderedDossiers>,
    /// Pages rendered at the same time (see `server::http::render_gate`).
    pub renders: Arc<tokio::sync::Semaphore>,
    /// How long a page may wait for a permit, then be built (see `server::http::render_gate`).
    pub page_deadline: std::time::Duration,
    /// Pages built since the start, whether or not their client waited for them (for the tests).
    pub pages_built: Arc<std::sync::atomic::AtomicUsize>,
    /// The prefix of the open data's ocids (see `server::open_data`).
    pub ocid_prefix: Arc<str>,
    /// Open-data files built at the same time: each reads every public consultation.
    pub open_data_builds: Arc<super::open_data::Builds>,
    /// Word conversions running at once (`server::word`).
    pub word_conversions: Arc<super::word::WordConversions>,
    /// The open-data page's counts, with the `ETag` of the data they were counted on.
    pub open_data_catalogue: Arc<std::sync::Mutex<Option<(String, crate::model::OpenDataCatalogue)>>>,
}

impl AppState {
    /// Must be called inside the Tokio runtime (it may start the notification listener).
    pub fn new(leptos_options: LeptosOptions, db: Db, public_url: &str) -> AppState {
        let public_url = public_url.trim_end_matches('/').to_string();
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        AppState {
            leptos_options,
            events: Events::start(&db),
            clock: db.clock().clone(),
            db,
            secure_cookies: public_url.starts_with("https://"),
            public_url,
            trusted_proxies: Arc::from([]),
            password_checks: Arc::new(PasswordWorkers::start(cores)),
            event_streams: Arc::default(),
            form_error_key: Arc::default(),
            versions: Arc::default(),
            anchors: Arc::default(),
            anonymous_reads: Arc::default(),
            register: Arc::default(),
            pages: Arc::default(),
            dossiers: Arc::new(super::dossier::cache::RenderedDossiers::new(cores)),
            renders: Arc::new(tokio::sync::Semaphore::new(Self::renders_at_once(cores))),
            page_deadline: super::http::PAGE_DEADLINE,
            pages_built: Arc::default(),
            ocid_prefix: Arc::from(super::config::TEST_OCID_PREFIX),
            open_data_builds: Arc::new(super::open_data::Builds::new(cores.max(2))),
            open_data_catalogue: Arc::default(),
            word_conversions: Arc::new(super::word::WordConversions::new(cores.max(2))),
        }
    }

    /// Two per core: rendering is CPU work, so more at once only makes each slower while the
    /// memory of all of them is held (a Code civil page takes tens of MB while it is built).
    pub fn renders_at_once(cores: usize) -> usize {
        (cores * 2).max(4)
    }

    /// The ocid prefix registered for this site (`[open_data]` in `Leptos.toml`).
    pub fn with_ocid_prefix(mut self, prefix: &str) -> AppState {
        self.ocid_prefix = Arc::from(prefix);
        self
    }

    /// Believes `X-Forwarded-For` from these addresses only (the site's own reverse proxies).
    pub fn with_trusted_proxies(mut self, proxies: Vec<IpAddr>) -> AppState {
        self.trusted_proxies = proxies.into();
        self
    }

    /// The state of the current request, inside a server function or a component rendered on
    /// the server. Missing when the browser went away in the middle of a page: its render was
    /// dropped with its context while a resource of the page was still loading; nobody waits
    /// for the answer, so it is not an error worth a log line (under load, hundreds of them
    /// buried real errors). A wiring bug would make every server function fail with 500,
    /// which the integration tests see at once.
    pub fn current() -> Result<AppState, crate::error::AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            tracing::debug!("no AppState in the request context: the request was abandoned");
            crate::error::AppError::Internal
        })
    }

    /// Seconds since the Unix epoch.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}
