//! Configuration from the environment (the README lists the settings). Secrets (the database URLs may carry
//! passwords) are wrapped so they never reach a log line.

use crate::auth::session::SessionPolicy;
pub use crate::infra::rate_limits::{Rate, RatePolicy};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

/// A value that must not be printed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    /// The server's connection: the application role, which row-level security applies to.
    pub database_url: Secret,
    /// Migrations and seeding need the tables' owner; defaults to `database_url`.
    pub database_admin_url: Secret,
    pub redis_url: Option<Secret>,
    pub addr: SocketAddr,
    /// Where the built browser bundle lives (`pkg/frontend.js`, `pkg/frontend_bg.wasm`).
    pub site_root: PathBuf,
    /// The origin users reach the site at (`PLANBOARD_PUBLIC_URL`); https makes cookies Secure.
    pub public_origin: Option<String>,
    pub session_policy: SessionPolicy,
    pub rate_policy: RatePolicy,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is not set")]
    Missing(&'static str),
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

impl Config {
    /// Settings from the environment, over those of the file `PLANBOARD_CONFIG_FILE` names
    /// (lines `NAME=value`; `#` starts a comment), over the defaults.
    pub fn from_env() -> Result<Self, ConfigError> {
        let file = match std::env::var("PLANBOARD_CONFIG_FILE").ok().filter(|p| !p.is_empty()) {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Invalid {
                    name: "PLANBOARD_CONFIG_FILE",
                    reason: format!("{path}: {e}"),
                })?;
                parse_file(&text).map_err(|reason| ConfigError::Invalid { name: "PLANBOARD_CONFIG_FILE", reason })?
            }
            None => Vec::new(),
        };
        Self::from_lookup(|name| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .or_else(|| file.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
        })
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database_url = lookup("DATABASE_URL").ok_or(ConfigError::Missing("DATABASE_URL"))?;
        let database_admin_url = lookup("DATABASE_ADMIN_URL").unwrap_or_else(|| database_url.clone());
        let addr_text = lookup("PLANBOARD_ADDR").unwrap_or_else(|| DEFAULT_ADDR.to_owned());
        let addr = addr_text.parse().map_err(|e: std::net::AddrParseError| ConfigError::Invalid {
            name: "PLANBOARD_ADDR",
            reason: format!("{addr_text:?}: {e}"),
        })?;
        let site_root = PathBuf::from(lookup("PLANBOARD_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()));
        let public_origin = match lookup("PLANBOARD_PUBLIC_URL") {
            Some(url) => Some(origin_of(&url).ok_or(ConfigError::Invalid {
                name: "PLANBOARD_PUBLIC_URL",
                reason: format!("{url:?} is not an http(s) URL"),
            })?),
            None => None,
        };
        let defaults = SessionPolicy::default();
        let minutes = |name: &'static str, default: chrono::Duration| -> Result<chrono::Duration, ConfigError> {
            match lookup(name) {
                None => Ok(default),
                Some(v) => {
                    v.parse::<u32>().ok().filter(|m| *m > 0).map(|m| chrono::Duration::minutes(m.into())).ok_or(
                        ConfigError::Invalid { name, reason: format!("{v:?} is not a positive number of minutes") },
                    )
                }
            }
        };
        let session_policy = SessionPolicy {
            idle: minutes("PLANBOARD_SESSION_IDLE_MINUTES", defaults.idle)?,
            absolute: minutes("PLANBOARD_SESSION_MAX_MINUTES", defaults.absolute)?,
            secure: public_origin.as_deref().is_some_and(|o| o.starts_with("https://")),
        };
        let defaults = RatePolicy::default();
        let rate = |name: &'static str, default: Option<Rate>| -> Result<Option<Rate>, ConfigError> {
            match lookup(name).as_deref() {
                None => Ok(default),
                Some("off") => Ok(None),
                Some(v) => v.parse::<u32>().ok().filter(|n| *n > 0).map(|per_minute| Some(Rate { per_minute })).ok_or(
                    ConfigError::Invalid { name, reason: format!("{v:?} is neither a positive number nor off") },
                ),
            }
        };
        let trusted_proxies = lookup("PLANBOARD_TRUSTED_PROXIES")
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<ipnet::IpNet>().or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from)).map_err(
                    |_| ConfigError::Invalid {
                        name: "PLANBOARD_TRUSTED_PROXIES",
                        reason: format!("{p:?} is not an address or a network (10.0.0.0/8)"),
                    },
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let rate_policy = RatePolicy {
            anonymous: rate("PLANBOARD_ANONYMOUS_PER_MINUTE", defaults.anonymous)?,
            sign_in: rate("PLANBOARD_SIGN_IN_PER_MINUTE", defaults.sign_in)?,
            token: rate("PLANBOARD_TOKEN_PER_MINUTE", defaults.token)?,
            trusted_proxies,
        };
        Ok(Config {
            database_url: Secret::new(database_url),
            database_admin_url: Secret::new(database_admin_url),
            redis_url: lookup("REDIS_URL").map(Secret::new),
            addr,
            site_root,
            public_origin,
            session_policy,
            rate_policy,
        })
    }
}

/// `NAME=value` lines; blank lines and `#` comments are skipped.
fn parse_file(text: &str) -> Result<Vec<(String, String)>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, l)| {
            let (k, v) = l.split_once('=').ok_or_else(|| format!("line {}: expected NAME=value", i + 1))?;
            Ok((k.trim().to_owned(), v.trim().trim_matches('"').to_owned()))
        })
        .collect()
}

/// `scheme://host[:port]` of an http(s) URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().filter(|h| !h.is_empty())?;
    matches!(scheme, "http" | "https").then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_fill_what_is_not_set() {
        let c = config(&[("DATABASE_URL", "postgres://app@db/x")]).unwrap();
        assert_eq!(c.addr.to_string(), DEFAULT_ADDR);
        assert_eq!(c.database_admin_url.expose(), "postgres://app@db/x");
        assert!(c.redis_url.is_none());
    }

    #[test]
    fn errors_name_the_setting() {
        assert_eq!(config(&[]).unwrap_err().to_string(), "DATABASE_URL is not set");
        let err = config(&[("DATABASE_URL", "x"), ("PLANBOARD_ADDR", "nowhere")]).unwrap_err();
        assert!(err.to_string().starts_with("PLANBOARD_ADDR is invalid"), "{err}");
    }

    #[test]
    fn the_public_url_gives_the_origin_and_secure_cookies() {
        let c = config(&[("DATABASE_URL", "x"), ("PLANBOARD_PUBLIC_URL", "https://plan.example.cn/app/")]).unwrap();
        assert_eq!(c.public_origin.as_deref(), Some("https://plan.example.cn"));
        assert!(c.session_policy.secure);
        assert!(config(&[("DATABASE_URL", "x"), ("PLANBOARD_PUBLIC_URL", "plan.example.cn")]).is_err());
        assert!(config(&[("DATABASE_URL", "x"), ("PLANBOARD_SESSION_IDLE_MINUTES", "0")]).is_err());
    }

    #[test]
    fn rates_are_per_minute_or_off_and_proxies_addresses_or_networks() {
        let c = config(&[("DATABASE_URL", "x")]).unwrap();
        assert_eq!(c.rate_policy, RatePolicy::default());
        let c = config(&[
            ("DATABASE_URL", "x"),
            ("PLANBOARD_ANONYMOUS_PER_MINUTE", "300"),
            ("PLANBOARD_SIGN_IN_PER_MINUTE", "off"),
            ("PLANBOARD_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7"),
        ])
        .unwrap();
        assert_eq!(c.rate_policy.anonymous, Some(Rate { per_minute: 300 }));
        assert_eq!(c.rate_policy.sign_in, None);
        let proxies: Vec<String> = c.rate_policy.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(proxies, ["10.0.0.0/8", "192.0.2.7/32"]);
        for (name, value) in [
            ("PLANBOARD_ANONYMOUS_PER_MINUTE", "0"),
            ("PLANBOARD_SIGN_IN_PER_MINUTE", "fast"),
            ("PLANBOARD_TRUSTED_PROXIES", "lb"),
        ] {
            let err = config(&[("DATABASE_URL", "x"), (name, value)]).unwrap_err();
            assert!(err.to_string().starts_with(name), "{err}");
        }
    }

    #[test]
    fn a_config_file_holds_name_value_lines() {
        let parsed = parse_file("# defaults\nPLANBOARD_ADDR=0.0.0.0:3000\n\nREDIS_URL = \"redis://r:6379\"\n").unwrap();
        assert_eq!(
            parsed,
            vec![
                ("PLANBOARD_ADDR".to_owned(), "0.0.0.0:3000".to_owned()),
                ("REDIS_URL".to_owned(), "redis://r:6379".to_owned())
            ]
        );
        assert_eq!(parse_file("oops").unwrap_err(), "line 1: expected NAME=value");
    }

    #[test]
    fn secrets_do_not_print() {
        let c = config(&[("DATABASE_URL", "postgres://app:hunter2@db/x")]).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
