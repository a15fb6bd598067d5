//! The viewer's display preferences (language, theme), kept in cookies so
//! the server renders the chosen ones on the next load with no flash.
//! Pure logic shared by the server route that sets them and the app.

/// Cookie holding the language; the name `leptos_i18n` reads by default.
pub const LANG_COOKIE: &str = "i18n_pref_locale";
/// Cookie holding the theme.
pub const THEME_COOKIE: &str = "scanport_theme";
/// How long a preference is remembered: a year.
pub const MAX_AGE_SECS: i64 = 365 * 24 * 3600;

/// Light, dark, or whatever the system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == value)
    }

    /// The `data-theme` value on `<html>`: none for System, so the
    /// `prefers-color-scheme` media query decides.
    pub const fn attribute(self) -> Option<&'static str> {
        match self {
            Self::System => None,
            Self::Light => Some("light"),
            Self::Dark => Some("dark"),
        }
    }
}

/// The value of cookie `name` in a `Cookie:` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then(|| value.trim_matches('"'))
    })
}

/// A `Set-Cookie` value for a preference: site-wide, a year, readable by
/// the page's script (which updates it when the switch is used in place).
pub fn set_cookie(name: &str, value: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={MAX_AGE_SECS}; SameSite=Lax{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_cookie_among_others() {
        let header = "scanport_session=abc; i18n_pref_locale=es;scanport_theme=\"dark\"";
        assert_eq!(cookie_value(header, LANG_COOKIE), Some("es"));
        assert_eq!(cookie_value(header, THEME_COOKIE), Some("dark"));
        assert_eq!(cookie_value(header, "missing"), None);
        // A name that only ends like ours is another cookie.
        assert_eq!(cookie_value("x_scanport_theme=dark", THEME_COOKIE), None);
        assert_eq!(cookie_value("", THEME_COOKIE), None);
    }

    #[test]
    fn theme_round_trips_and_rejects_unknown_values() {
        for theme in Theme::ALL {
            assert_eq!(Theme::parse(theme.as_str()), Some(theme));
        }
        assert_eq!(Theme::parse("Dark"), None);
        assert_eq!(Theme::parse("blue"), None);
        assert_eq!(Theme::System.attribute(), None);
        assert_eq!(Theme::Dark.attribute(), Some("dark"));
    }

    #[test]
    fn set_cookie_is_site_wide_and_secure_on_https() {
        assert_eq!(
            set_cookie(THEME_COOKIE, "dark", false),
            "scanport_theme=dark; Path=/; Max-Age=31536000; SameSite=Lax"
        );
        assert!(set_cookie(LANG_COOKIE, "zh", true).ends_with("; Secure"));
    }
}
