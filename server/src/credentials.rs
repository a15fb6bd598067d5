//! Reads an account's credentials at start: from the environment (the
//! official SDKs' variable names by default) or from a file that only its
//! owner can read.

use crate::config::{AccountConfig, ConfigError, ProviderName};
use scanport_cloud::{HuaweiCredentials, TencentCredentials};
use serde::Deserialize;
use std::path::Path;

pub const HUAWEI_AK_ENV: &str = "CLOUD_SDK_AK";
pub const HUAWEI_SK_ENV: &str = "CLOUD_SDK_SK";
pub const HUAWEI_TOKEN_ENV: &str = "CLOUD_SDK_SECURITY_TOKEN";
pub const TENCENT_ID_ENV: &str = "TENCENTCLOUD_SECRET_ID";
pub const TENCENT_KEY_ENV: &str = "TENCENTCLOUD_SECRET_KEY";
pub const TENCENT_TOKEN_ENV: &str = "TENCENTCLOUD_SESSION_TOKEN";

/// An account's credentials, whichever provider.
pub enum Credentials {
    Huawei(HuaweiCredentials),
    Tencent(TencentCredentials),
}

/// The contents of a credentials file. Not `Debug`: it holds secrets.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CredentialsFile {
    ak: Option<String>,
    sk: Option<String>,
    security_token: Option<String>,
    secret_id: Option<String>,
    secret_key: Option<String>,
    token: Option<String>,
}

fn invalid(account: &AccountConfig, message: impl std::fmt::Display) -> ConfigError {
    ConfigError::Invalid(format!("account {:?}: {message}", account.id))
}

/// Reads the credentials of `account`; `env` looks up a variable (the
/// process environment in production, a map in tests).
pub fn read(
    account: &AccountConfig,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Credentials, ConfigError> {
    if let Some(path) = &account.credentials_file {
        return read_file(account, path);
    }
    let required = |name: &str| {
        env(name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| invalid(account, format!("environment variable {name} is not set")))
    };
    Ok(match account.provider {
        ProviderName::Huawei => {
            let ak = required(account.ak_env.as_deref().unwrap_or(HUAWEI_AK_ENV))?;
            let sk = required(account.sk_env.as_deref().unwrap_or(HUAWEI_SK_ENV))?;
            let mut creds = HuaweiCredentials::new(ak, sk);
            if let Some(token) = env(account
                .security_token_env
                .as_deref()
                .unwrap_or(HUAWEI_TOKEN_ENV))
            {
                creds = creds.with_security_token(token);
            }
            Credentials::Huawei(creds)
        }
        ProviderName::Tencent => {
            let id = required(account.secret_id_env.as_deref().unwrap_or(TENCENT_ID_ENV))?;
            let key = required(account.secret_key_env.as_deref().unwrap_or(TENCENT_KEY_ENV))?;
            let mut creds = TencentCredentials::new(id, key);
            if let Some(token) = env(account.token_env.as_deref().unwrap_or(TENCENT_TOKEN_ENV)) {
                creds = creds.with_token(token);
            }
            Credentials::Tencent(creds)
        }
    })
}

fn read_file(account: &AccountConfig, path: &Path) -> Result<Credentials, ConfigError> {
    refuse_if_others_can_read(account, path)?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| invalid(account, format!("cannot read {}: {e}", path.display())))?;
    // The parse error could quote a line of the file, so it is not shown.
    let file: CredentialsFile = toml_from_str(&text).map_err(|()| {
        invalid(
            account,
            format!(
                "{} is not a valid credentials file (TOML with ak/sk or secret_id/secret_key)",
                path.display()
            ),
        )
    })?;
    let missing = |what: &str| invalid(account, format!("{} has no `{what}`", path.display()));
    Ok(match account.provider {
        ProviderName::Huawei => {
            let mut creds = HuaweiCredentials::new(
                file.ak.ok_or_else(|| missing("ak"))?,
                file.sk.ok_or_else(|| missing("sk"))?,
            );
            if let Some(token) = file.security_token {
                creds = creds.with_security_token(token);
            }
            Credentials::Huawei(creds)
        }
        ProviderName::Tencent => {
            let mut creds = TencentCredentials::new(
                file.secret_id.ok_or_else(|| missing("secret_id"))?,
                file.secret_key.ok_or_else(|| missing("secret_key"))?,
            );
            if let Some(token) = file.token {
                creds = creds.with_token(token);
            }
            Credentials::Tencent(creds)
        }
    })
}

fn toml_from_str(text: &str) -> Result<CredentialsFile, ()> {
    use figment::providers::{Format, Toml};
    figment::Figment::from(Toml::string(text))
        .extract()
        .map_err(|_| ())
}

#[cfg(unix)]
fn refuse_if_others_can_read(account: &AccountConfig, path: &Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| invalid(account, format!("cannot read {}: {e}", path.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(invalid(
            account,
            format!(
                "{} can be read by other users (mode {:o}); run `chmod 600` on it",
                path.display(),
                mode & 0o777
            ),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_if_others_can_read(_: &AccountConfig, _: &Path) -> Result<(), ConfigError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn account(provider: ProviderName) -> AccountConfig {
        AccountConfig {
            id: "a".into(),
            provider,
            region: "r".into(),
            project_id: Some("p".into()),
            enterprise_project_id: None,
            endpoint: None,
            credentials_file: None,
            max_calls_per_minute: None,
            ak_env: None,
            sk_env: None,
            security_token_env: None,
            secret_id_env: None,
            secret_key_env: None,
            token_env: None,
        }
    }

    #[test]
    fn reads_the_sdk_variable_names_by_default() {
        let env = |name: &str| match name {
            "CLOUD_SDK_AK" => Some("ak".to_owned()),
            "CLOUD_SDK_SK" => Some("sk".to_owned()),
            _ => None,
        };
        assert!(matches!(
            read(&account(ProviderName::Huawei), &env),
            Ok(Credentials::Huawei(_))
        ));
        let err = read(&account(ProviderName::Tencent), &env)
            .err()
            .expect("no tencent vars");
        assert!(err.to_string().contains("TENCENTCLOUD_SECRET_ID"), "{err}");
    }

    #[test]
    fn per_account_variable_names_override_the_defaults() {
        let mut acc = account(ProviderName::Tencent);
        acc.secret_id_env = Some("TEAM_B_ID".into());
        acc.secret_key_env = Some("TEAM_B_KEY".into());
        let env = |name: &str| name.starts_with("TEAM_B_").then(|| "x".to_owned());
        assert!(matches!(read(&acc, &env), Ok(Credentials::Tencent(_))));
    }

    #[cfg(unix)]
    #[test]
    fn a_credentials_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let mut file = tempfile::NamedTempFile::new().expect("temp");
        file.write_all(b"ak = \"a\"\nsk = \"s\"\n").expect("write");
        let mut acc = account(ProviderName::Huawei);
        acc.credentials_file = Some(file.path().to_owned());
        let none = |_: &str| None;

        std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o644))
            .expect("chmod");
        let err = read(&acc, &none).err().expect("refused");
        assert!(err.to_string().contains("chmod 600"), "{err}");

        std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o600))
            .expect("chmod");
        assert!(matches!(read(&acc, &none), Ok(Credentials::Huawei(_))));
    }
}
