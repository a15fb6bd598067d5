use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// What went wrong and what to do, in the page's language. The details
/// that come from the cloud or the server (`message`, `field`) stay as
/// they were sent.
pub fn error_title(i18n: I18n, error: &AppError) -> String {
    use AppError as E;
    match error {
        E::Unauthenticated => t_string!(i18n, err_unauthenticated).to_owned(),
        E::Forbidden => t_string!(i18n, err_forbidden).to_owned(),
        E::OutOfScope { limit } => t_string!(i18n, err_out_of_scope, limit = limit).to_string(),
        E::InvalidInput { field, message } => {
            t_string!(i18n, err_invalid_input, field = field, message = message).to_string()
        }
        E::NotFound { what } => t_string!(i18n, err_not_found, what = what).to_string(),
        E::Conflict { message } => message.clone(),
        E::TooLarge { message } => t_string!(i18n, err_too_large, message = message).to_string(),
        E::TooManyAttempts { retry_after_secs } => {
            t_string!(i18n, err_too_many_attempts, secs = retry_after_secs).to_string()
        }
        E::AuthRejected { code, .. } => t_string!(i18n, err_auth_rejected, code = code).to_string(),
        E::ClockSkew { code, .. } => t_string!(i18n, err_clock_skew, code = code).to_string(),
        E::RateLimited {
            retry_after_secs, ..
        } => t_string!(i18n, err_rate_limited, secs = retry_after_secs).to_string(),
        E::UpstreamRejected { code, message, .. } => {
            use scanport_wire::upstream::{CodeClass, classify};
            match classify(code) {
                CodeClass::InvalidParameter => {
                    t_string!(i18n, err_upstream_invalid, code = code, message = message)
                        .to_string()
                }
                CodeClass::NotFound => {
                    t_string!(i18n, err_upstream_not_found, code = code, message = message)
                        .to_string()
                }
                CodeClass::Permission => t_string!(
                    i18n,
                    err_upstream_permission,
                    code = code,
                    message = message
                )
                .to_string(),
                _ => t_string!(i18n, err_upstream_rejected, code = code, message = message)
                    .to_string(),
            }
        }
        E::AccountPaused { code, .. } => {
            t_string!(i18n, err_account_paused, code = code).to_string()
        }
        E::Unavailable { message, .. } => {
            t_string!(i18n, err_unavailable, message = message).to_string()
        }
        E::TimedOut { .. } => t_string!(i18n, err_timed_out).to_owned(),
        E::Transport { message } => t_string!(i18n, err_transport, message = message).to_string(),
        E::Internal { message } => t_string!(i18n, err_internal, message = message).to_string(),
    }
}

/// An error, what to do about it, and the upstream request id to quote.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let request_id = error.request_id().map(str::to_owned);
    let detail = match &error {
        AppError::UpstreamRejected { message, .. }
        | AppError::AccountPaused { message, .. }
        | AppError::AuthRejected { message, .. }
        | AppError::ClockSkew { message, .. } => Some(message.clone()),
        _ => None,
    };
    // A session that ended while the page was open (signed out elsewhere,
    // expired, user disabled): go to the sign-in page, which brings the
    // user back here; the link is for when that cannot happen.
    let sign_in = matches!(error, AppError::Unauthenticated).then(|| {
        let here = leptos_router::hooks::use_location();
        let next = format!(
            "{}{}",
            here.pathname.get_untracked(),
            here.search.get_untracked()
        );
        let href = format!("/login?next={}", crate::format::url_encode(&next));
        let target = href.clone();
        Effect::new(move |_| {
            let _ = window().location().set_href(&target);
        });
        view! { <p class="notice-detail"><a href=href rel="external">{t!(i18n, err_sign_in_again)}</a></p> }
    });
    let title = move || error_title(i18n, &error);
    view! {
        <div class="notice error" role="alert">
            <p class="notice-title">{title}</p>
            {sign_in}
            {detail.map(|d| view! { <p class="notice-detail">{d}</p> })}
            {request_id.map(|id| view! { <p class="notice-id">{t!(i18n, err_request_id)}" " <code>{id}</code></p> })}
        </div>
    }
}
