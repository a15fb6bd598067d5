//! `POST /preferences`: the header's language and theme switch without
//! JavaScript. Stores the choice in cookies and sends the browser back to
//! the page it came from, which the server then renders in that language
//! and theme. Unknown values are ignored, never an error.

use axum::Extension;
use axum::Form;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use scanport_app::i18n::{I18nLocaleTrait as _, Locale};
use scanport_app::prefs::{LANG_COOKIE, THEME_COOKIE, Theme, set_cookie};
use serde::Deserialize;
use std::str::FromStr;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PreferencesForm {
    lang: String,
    theme: String,
    /// The page to go back to (path and query on this site).
    back: String,
}

/// The `Set-Cookie` values for what the form chose.
fn cookies(form: &PreferencesForm, secure: bool) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(locale) = Locale::from_str(&form.lang) {
        out.push(set_cookie(LANG_COOKIE, locale.as_str(), secure));
    }
    if let Some(theme) = Theme::parse(&form.theme) {
        out.push(set_cookie(THEME_COOKIE, theme.as_str(), secure));
    }
    out
}

pub async fn set_preferences(
    Extension(sign_in): Extension<crate::auth::SignIn>,
    Form(form): Form<PreferencesForm>,
) -> Response {
    let back = crate::sign_in::safe_next(&form.back).to_owned();
    let mut response = Redirect::to(&back).into_response();
    for cookie in cookies(&form, sign_in.cookie.secure) {
        if let Ok(value) = header::HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(lang: &str, theme: &str) -> PreferencesForm {
        PreferencesForm {
            lang: lang.to_owned(),
            theme: theme.to_owned(),
            back: "/".to_owned(),
        }
    }

    #[test]
    fn sets_only_known_languages_and_themes() {
        let set = cookies(&form("es", "dark"), false);
        assert_eq!(set.len(), 2);
        assert!(set[0].starts_with("i18n_pref_locale=es;"));
        assert!(set[1].starts_with("scanport_theme=dark;"));
        assert!(cookies(&form("fr", "blue"), false).is_empty());
        assert!(cookies(&form("", ""), true).is_empty());
        assert!(cookies(&form("zh", ""), true)[0].ends_with("; Secure"));
    }
}
