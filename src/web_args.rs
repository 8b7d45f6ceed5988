//! `serve`'s settings for the web interface.

use samverkan_web::{AccessibilityContact, WebConfig};

/// The web interface: where it is reached, how long sessions last, and who
/// answers for its accessibility.
#[derive(Debug, clap::Args)]
pub struct WebArgs {
    /// The address people reach Samverkan at, e.g.
    /// `https://samverkan.example.se` behind a TLS proxy. An `https://`
    /// address makes the session cookie `Secure` (and `__Host-`).
    #[arg(long, env = "SAMVERKAN_PUBLIC_URL")]
    public_url: Option<String>,
    /// Minutes a signed-in session may stay unused before it ends.
    #[arg(long, env = "SAMVERKAN_SESSION_IDLE_MINUTES", default_value_t = 480, value_parser = clap::value_parser!(u32).range(5..=10_080))]
    session_idle_minutes: u32,
    /// Days a session lasts at most, however much it is used.
    #[arg(long, env = "SAMVERKAN_SESSION_LIFETIME_DAYS", default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=90))]
    session_lifetime_days: u32,
    /// The organisation named on the accessibility statement
    /// (`/tillganglighet`) as answering for the site.
    #[arg(long, env = "SAMVERKAN_ACCESSIBILITY_ORGANISATION", default_value_t = AccessibilityContact::default().organisation)]
    accessibility_organisation: String,
    /// The e-mail address for reports of accessibility problems.
    #[arg(long, env = "SAMVERKAN_ACCESSIBILITY_EMAIL", default_value_t = AccessibilityContact::default().email)]
    accessibility_email: String,
}

impl WebArgs {
    pub fn config(self) -> anyhow::Result<WebConfig> {
        let public_url = match self.public_url {
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => Some(url),
            Some(url) => anyhow::bail!("--public-url must start with https:// or http://, not {url:?}"),
            None => None,
        };
        Ok(WebConfig {
            public_url,
            session_idle: chrono::Duration::minutes(i64::from(self.session_idle_minutes)),
            session_lifetime: chrono::Duration::days(i64::from(self.session_lifetime_days)),
            accessibility: AccessibilityContact {
                organisation: self.accessibility_organisation,
                email: self.accessibility_email,
            },
        })
    }
}
