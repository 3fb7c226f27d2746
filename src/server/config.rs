//! Runtime configuration, read by the server at start from `Leptos.toml` (the build settings
//! live in `scripts/build.sh` and are not repeated here), then from the environment.

use super::clock::Clock;
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct Config {
    pub address: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub site_root: PathBuf,
    pub max_body_bytes: usize,
    pub public_url: String,
    /// Reverse proxies whose `X-Forwarded-For` header is believed; none by default.
    pub trusted_proxies: Vec<IpAddr>,
    /// A fixed "now" (`JSF_FIXED_NOW`, tests only); `None` runs on the system clock.
    pub fixed_now: Option<Clock>,
    /// The SMTP server mails are delivered to; `None` (development) keeps them in the outbox.
    pub mail: Option<MailConfig>,
    /// The prefix of every ocid in the open data (`[open_data] ocid_prefix`, `JSF_OCID_PREFIX`).
    pub ocid_prefix: String,
}

/// The prefix used until a publisher registers its own with the Open Contracting Partnership:
/// `test` says plainly that these identifiers are not registered.
pub const TEST_OCID_PREFIX: &str = "ocds-test00-jesaisfaire";

/// Where and how mails leave: `[mail]` in `Leptos.toml`, credentials from the environment only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailConfig {
    pub host: String,
    pub port: u16,
    pub tls: MailTls,
    /// The `From:` of every mail, e.g. `JeSaisFaire <ne-pas-repondre@jesaisfaire.example.fr>`.
    pub from: String,
    /// `JSF_SMTP_USERNAME` and `JSF_SMTP_PASSWORD`, when the server asks for them.
    pub credentials: Option<(String, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailTls {
    /// TLS from the first byte (port 465).
    Tls,
    /// Plain connection upgraded with STARTTLS, refused if the server does not offer it (port 587).
    StartTls,
    /// No encryption: a relay on the same machine or the tests' server only.
    None,
}

impl MailTls {
    fn parse(value: &str) -> Option<MailTls> {
        match value {
            "tls" => Some(MailTls::Tls),
            "starttls" => Some(MailTls::StartTls),
            "none" => Some(MailTls::None),
            _ => None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    server: FileServer,
    mail: Option<FileMail>,
    open_data: Option<FileOpenData>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileOpenData {
    ocid_prefix: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileMail {
    host: Option<String>,
    port: Option<u16>,
    tls: Option<String>,
    from: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileServer {
    address: Option<String>,
    data_dir: Option<String>,
    database_url: Option<String>,
    site_root: Option<String>,
    max_body_bytes: Option<usize>,
    public_url: Option<String>,
    trusted_proxies: Option<Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("invalid {path}: {source}")]
    Parse { path: String, source: toml::de::Error },
    #[error("invalid value for {key}: {value:?} ({reason})")]
    Value {
        key: &'static str,
        value: String,
        reason: String,
    },
}

impl Config {
    /// Reads `JSF_CONFIG` (default `Leptos.toml`; a missing default file means built-in
    /// defaults), then lets environment variables override each key.
    pub fn load() -> Result<Config, ConfigError> {
        let explicit = std::env::var("JSF_CONFIG").ok();
        let path = explicit.clone().unwrap_or_else(|| "Leptos.toml".into());
        let file = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str::<File>(&text).map_err(|source| ConfigError::Parse {
                path: path.clone(),
                source,
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => File::default(),
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        let env = |key: &str| std::env::var(key).ok();
        let mut config = Self::from_parts(file.server, env)?;
        config.mail = mail_config(file.mail, env)?;
        config.ocid_prefix = ocid_prefix(file.open_data.and_then(|o| o.ocid_prefix), env)?;
        Ok(config)
    }

    fn from_parts(file: FileServer, env: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let address = env("JSF_ADDR")
            .or(file.address)
            .unwrap_or_else(|| "127.0.0.1:3000".into());
        let address = address
            .parse()
            .map_err(|e: std::net::AddrParseError| ConfigError::Value {
                key: "address",
                value: address.clone(),
                reason: e.to_string(),
            })?;
        let data_dir = PathBuf::from(env("JSF_DATA_DIR").or(file.data_dir).unwrap_or_else(|| "data".into()));
        let database_url = env("DATABASE_URL")
            .or(file.database_url)
            .unwrap_or_else(|| default_sqlite_url(&data_dir));
        let site_root = PathBuf::from(
            env("JSF_SITE_ROOT")
                .or(file.site_root)
                .unwrap_or_else(|| "target/site".into()),
        );
        let max_body_bytes = match env("JSF_MAX_BODY_BYTES") {
            Some(v) => v.parse().map_err(|e: std::num::ParseIntError| ConfigError::Value {
                key: "max_body_bytes",
                value: v.clone(),
                reason: e.to_string(),
            })?,
            None => file.max_body_bytes.unwrap_or(4 * 1024 * 1024),
        };
        let public_url = env("JSF_PUBLIC_URL")
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{address}"));
        let proxies: Vec<String> = match env("JSF_TRUSTED_PROXIES") {
            Some(list) => list
                .split([',', ' '])
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
            None => file.trusted_proxies.unwrap_or_default(),
        };
        let trusted_proxies = proxies
            .iter()
            .map(|p| {
                p.trim()
                    .parse()
                    .map_err(|e: std::net::AddrParseError| ConfigError::Value {
                        key: "trusted_proxies",
                        value: p.clone(),
                        reason: e.to_string(),
                    })
            })
            .collect::<Result<Vec<IpAddr>, _>>()?;
        let fixed_now = match env("JSF_FIXED_NOW") {
            Some(v) => Some(Clock::parse_fixed(&v).map_err(|reason| ConfigError::Value {
                key: "JSF_FIXED_NOW",
                value: v.clone(),
                reason,
            })?),
            None => None,
        };
        Ok(Config {
            address,
            data_dir,
            database_url,
            site_root,
            max_body_bytes,
            public_url,
            trusted_proxies,
            fixed_now,
            mail: None,
            ocid_prefix: TEST_OCID_PREFIX.into(),
        })
    }
}

/// `[open_data] ocid_prefix`, overridable by `JSF_OCID_PREFIX`: `ocds-` then letters, digits
/// and dashes (what the Open Contracting Partnership registers).
fn ocid_prefix(file: Option<String>, env: impl Fn(&str) -> Option<String>) -> Result<String, ConfigError> {
    let value = env("JSF_OCID_PREFIX")
        .or(file)
        .unwrap_or_else(|| TEST_OCID_PREFIX.into());
    let rest = value.strip_prefix("ocds-").unwrap_or_default();
    if rest.is_empty() || value.len() > 60 || !rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(ConfigError::Value {
            key: "ocid_prefix",
            value,
            reason: "ocds- followed by letters, digits and dashes, as registered with the Open Contracting Partnership"
                .into(),
        });
    }
    Ok(value)
}

/// `[mail]`, each key overridable by `JSF_SMTP_HOST`, `JSF_SMTP_PORT`, `JSF_SMTP_TLS`,
/// `JSF_MAIL_FROM`. No host anywhere: no delivery (mails wait in the outbox).
fn mail_config(
    file: Option<FileMail>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Option<MailConfig>, ConfigError> {
    let file = file.unwrap_or_default();
    let Some(host) = env("JSF_SMTP_HOST").or(file.host).filter(|h| !h.trim().is_empty()) else {
        return Ok(None);
    };
    let tls_text = env("JSF_SMTP_TLS").or(file.tls).unwrap_or_else(|| "starttls".into());
    let tls = MailTls::parse(&tls_text).ok_or_else(|| ConfigError::Value {
        key: "mail.tls",
        value: tls_text.clone(),
        reason: "expected \"tls\", \"starttls\" or \"none\"".into(),
    })?;
    let port = match env("JSF_SMTP_PORT") {
        Some(v) => v.parse().map_err(|e: std::num::ParseIntError| ConfigError::Value {
            key: "mail.port",
            value: v.clone(),
            reason: e.to_string(),
        })?,
        None => file.port.unwrap_or(match tls {
            MailTls::Tls => 465,
            MailTls::StartTls => 587,
            MailTls::None => 25,
        }),
    };
    let from = env("JSF_MAIL_FROM").or(file.from).ok_or_else(|| ConfigError::Value {
        key: "mail.from",
        value: String::new(),
        reason: "the sender address of the mails is required with a mail host".into(),
    })?;
    let credentials = match (env("JSF_SMTP_USERNAME"), env("JSF_SMTP_PASSWORD")) {
        (Some(user), Some(password)) => Some((user, password)),
        (None, None) => None,
        _ => {
            return Err(ConfigError::Value {
                key: "JSF_SMTP_USERNAME/JSF_SMTP_PASSWORD",
                value: String::new(),
                reason: "set both or neither".into(),
            })
        }
    };
    Ok(Some(MailConfig {
        host: host.trim().to_string(),
        port,
        tls,
        from,
        credentials,
    }))
}

fn default_sqlite_url(data_dir: &Path) -> String {
    format!("sqlite:{}", data_dir.join("jesaisfaire.db").display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_file_and_defaults_fill_the_rest() {
        let file = FileServer {
            address: Some("0.0.0.0:8080".into()),
            ..Default::default()
        };
        let cfg = Config::from_parts(file, |k| (k == "JSF_DATA_DIR").then(|| "/tmp/x".into())).unwrap();
        assert_eq!(cfg.address.to_string(), "0.0.0.0:8080");
        assert_eq!(cfg.database_url, "sqlite:/tmp/x/jesaisfaire.db");
        assert_eq!(cfg.max_body_bytes, 4 * 1024 * 1024);
    }

    #[test]
    fn trusted_proxies_come_from_the_file_or_the_environment() {
        let file = FileServer {
            trusted_proxies: Some(vec!["10.0.0.1".into(), "::1".into()]),
            ..Default::default()
        };
        let cfg = Config::from_parts(file, |_| None).unwrap();
        assert_eq!(cfg.trusted_proxies.len(), 2);
        let none = Config::from_parts(FileServer::default(), |_| None).unwrap();
        assert!(none.trusted_proxies.is_empty(), "never trusted by default");
        let env = Config::from_parts(FileServer::default(), |k| {
            (k == "JSF_TRUSTED_PROXIES").then(|| "192.0.2.1, 192.0.2.2".into())
        })
        .unwrap();
        assert_eq!(env.trusted_proxies.len(), 2);
        let bad = Config::from_parts(FileServer::default(), |k| {
            (k == "JSF_TRUSTED_PROXIES").then(|| "proxy".into())
        });
        assert!(bad.unwrap_err().to_string().contains("trusted_proxies"));
    }

    #[test]
    fn mail_is_off_without_a_host_and_checked_with_one() {
        assert_eq!(mail_config(None, |_| None).unwrap(), None);
        let file = FileMail {
            host: Some("smtp.example.fr".into()),
            from: Some("JeSaisFaire <ne-pas-repondre@example.fr>".into()),
            ..Default::default()
        };
        let mail = mail_config(Some(file), |_| None).unwrap().unwrap();
        assert_eq!((mail.port, mail.tls, mail.credentials), (587, MailTls::StartTls, None));
        let no_from = mail_config(None, |k| (k == "JSF_SMTP_HOST").then(|| "localhost".into()));
        assert!(no_from.unwrap_err().to_string().contains("mail.from"));
        let bad_tls = mail_config(None, |k| match k {
            "JSF_SMTP_HOST" => Some("localhost".into()),
            "JSF_MAIL_FROM" => Some("a@b.fr".into()),
            "JSF_SMTP_TLS" => Some("ssl".into()),
            _ => None,
        });
        assert!(bad_tls.unwrap_err().to_string().contains("mail.tls"));
        let half = mail_config(None, |k| match k {
            "JSF_SMTP_HOST" => Some("localhost".into()),
            "JSF_MAIL_FROM" => Some("a@b.fr".into()),
            "JSF_SMTP_USERNAME" => Some("u".into()),
            _ => None,
        });
        assert!(half.is_err(), "a user name without a password is refused");
    }

    #[test]
    fn a_bad_address_is_reported_with_its_key() {
        let err = Config::from_parts(FileServer::default(), |k| (k == "JSF_ADDR").then(|| "nope".into())).unwrap_err();
        assert!(err.to_string().contains("address"), "{err}");
    }

    #[test]
    fn the_repository_leptos_toml_parses() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Leptos.toml")).unwrap();
        let file: File = toml::from_str(&text).unwrap();
        let cfg = Config::from_parts(file.server, |_| None).unwrap();
        assert_eq!(cfg.address.to_string(), "127.0.0.1:3000");
        assert!(cfg.database_url.starts_with("sqlite:"));
    }
}
