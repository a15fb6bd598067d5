//! What the admin page's controls share: the server's refusals as
//! sentences, the field an error belongs to, and whether the page is
//! interactive yet.

use crate::components::common::moment::Hydrated;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The server's refusal as a sentence to show beside the control:
/// `you cannot disable yourself` becomes `You cannot disable yourself.`
pub fn sentence(err: &AppError) -> String {
    let text = match err {
        AppError::InvalidInput { message, .. } | AppError::Conflict { message } => message.clone(),
        AppError::NotFound { what } => format!("{what} was not found"),
        other => return other.to_string(),
    };
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return err.to_string(),
    };
    if !out.ends_with(['.', '!', '?', '。', '！', '？']) {
        out.push('.');
    }
    out
}

/// The input field an error names, if it names one.
pub fn field_of(err: &AppError) -> Option<&str> {
    match err {
        AppError::InvalidInput { field, .. } if field != "request" => Some(field.as_str()),
        _ => None,
    }
}

/// Whether the page has hydrated. Controls that call the server are
/// disabled until then: without JavaScript the lists still show, and a
/// form cannot send a password in a GET address by accident. Use it in
/// attributes only: inside a `Suspense` the page may already be
/// interactive when its part hydrates, so a different structure would
/// not match the server's HTML.
pub fn use_interactive() -> Signal<bool> {
    let hydrated = use_context::<Hydrated>().map(|h| h.0);
    Signal::derive(move || hydrated.is_some_and(|h| h.get()))
}

/// The result of the last change in a region screen readers announce.
/// `result` is `None` before the first change.
#[component]
pub fn ChangeResult(result: Signal<Option<Result<String, String>>>) -> impl IntoView {
    view! {
        <div class="change-result" aria-live="polite">
            {move || {
                result
                    .get()
                    .map(|r| match r {
                        Ok(text) => view! { <p class="notice ok">{text}</p> }.into_any(),
                        Err(text) => view! { <p class="notice error">{text}</p> }.into_any(),
                    })
            }}
        </div>
    }
}

/// A note, shown until the page is interactive, that changes need
/// JavaScript (the lists are complete without it). Hidden by an attribute,
/// not removed: this may hydrate after the page already became
/// interactive, and the markup must match the server's.
///
/// `what` is the English phrase (`"Adding and changing users"`); the
/// phrases the admin page uses are shown in the page's language, any other
/// as given.
#[component]
pub fn NeedsScript(what: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let interactive = use_interactive();
    let text = move || {
        let what = match what {
            "Adding and changing users" => t_string!(i18n, needs_script_users),
            "Creating and revoking tokens" => t_string!(i18n, needs_script_tokens),
            other => other,
        };
        t_string!(i18n, needs_script, what = what).to_string()
    };
    view! {
        <p class="hint needs-script" hidden=move || interactive.get()>
            {text}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_read_as_sentences() {
        assert_eq!(
            sentence(&AppError::invalid("name", "you cannot disable yourself")),
            "You cannot disable yourself."
        );
        assert_eq!(
            sentence(&AppError::Conflict {
                message: "a user named \"x\" already exists".into()
            }),
            "A user named \"x\" already exists."
        );
        assert_eq!(
            sentence(&AppError::Forbidden),
            "Your role does not allow this."
        );
        assert_eq!(
            field_of(&AppError::invalid("label", "too long")),
            Some("label")
        );
        assert_eq!(field_of(&AppError::invalid("request", "bad json")), None);
    }
}
