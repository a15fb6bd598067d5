//! Cloud credentials. Deliberately not `Serialize`, and `Debug` shows no
//! secret, so a credential can travel through the server without any route
//! into a response, hydration data or a log line.

use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// A Huawei access key pair, optionally temporary (with a security token).
#[derive(Clone)]
pub struct HuaweiCredentials {
    ak: SecretString,
    sk: SecretString,
    security_token: Option<SecretString>,
}

impl HuaweiCredentials {
    pub fn new(ak: impl Into<String>, sk: impl Into<String>) -> Self {
        Self {
            ak: SecretString::from(ak.into()),
            sk: SecretString::from(sk.into()),
            security_token: None,
        }
    }

    /// Temporary credentials carry an `X-Security-Token`.
    #[must_use]
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(SecretString::from(token.into()));
        self
    }

    pub(crate) fn ak(&self) -> &str {
        self.ak.expose_secret()
    }

    pub(crate) fn sk(&self) -> &str {
        self.sk.expose_secret()
    }

    pub(crate) fn security_token(&self) -> Option<&str> {
        self.security_token.as_ref().map(|t| t.expose_secret())
    }
}

impl fmt::Debug for HuaweiCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HuaweiCredentials([redacted])")
    }
}

impl fmt::Display for HuaweiCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A Tencent Cloud SecretId/SecretKey, optionally temporary (with a token).
#[derive(Clone)]
pub struct TencentCredentials {
    secret_id: SecretString,
    secret_key: SecretString,
    token: Option<SecretString>,
}

impl TencentCredentials {
    pub fn new(secret_id: impl Into<String>, secret_key: impl Into<String>) -> Self {
        Self {
            secret_id: SecretString::from(secret_id.into()),
            secret_key: SecretString::from(secret_key.into()),
            token: None,
        }
    }

    /// Temporary credentials carry an `X-TC-Token`.
    #[must_use]
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(SecretString::from(token.into()));
        self
    }

    pub(crate) fn secret_id(&self) -> &str {
        self.secret_id.expose_secret()
    }

    pub(crate) fn secret_key(&self) -> &str {
        self.secret_key.expose_secret()
    }

    pub(crate) fn token(&self) -> Option<&str> {
        self.token.as_ref().map(|t| t.expose_secret())
    }
}

impl fmt::Debug for TencentCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TencentCredentials([redacted])")
    }
}

impl fmt::Display for TencentCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_a_secret() {
        let hw = HuaweiCredentials::new("CANARY-AK", "CANARY-SK").with_security_token("CANARY-TOK");
        let tc = TencentCredentials::new("CANARY-ID", "CANARY-KEY").with_token("CANARY-TOK");
        for text in [
            format!("{hw:?}"),
            format!("{hw}"),
            format!("{hw:#?}"),
            format!("{tc:?}"),
            format!("{tc}"),
        ] {
            assert!(!text.contains("CANARY"), "leaked: {text}");
        }
    }
}
