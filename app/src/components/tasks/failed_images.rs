use leptos::prelude::*;
use scanport_wire::hss::FailedImage;

/// A documented `failed_reason` in plain words.
pub fn reason_text(reason: Option<&str>) -> String {
    match reason.unwrap_or("unknown_error") {
        "unknown_error" => "Unknown error".to_owned(),
        "authentication_failed" => "The registry refused the credentials".to_owned(),
        "download_failed" => "The image could not be downloaded".to_owned(),
        "image_over_sized" | "image_oversized" => "The image is too large to scan".to_owned(),
        "failed_to_scan_vulnerability" => "The vulnerability scan failed".to_owned(),
        "failed_to_scan_file" => "The file scan failed".to_owned(),
        "failed_to_scan_software" => "The software scan failed".to_owned(),
        "failed_to_check_sensitive_information" => {
            "The sensitive-information check failed".to_owned()
        }
        "failed_to_check_baseline" => "The baseline check failed".to_owned(),
        "failed_to_check_software_compliance" => "The software-compliance check failed".to_owned(),
        "failed_to_query_basic_image_information" => {
            "The image's basic information could not be read".to_owned()
        }
        "response_timed_out" => "The scanner did not answer in time".to_owned(),
        "database_error" => "The scanner's database failed".to_owned(),
        "failed_to_send_the_scan_request" => "The scan request could not be sent".to_owned(),
        other => other.replace('_', " "),
    }
}

/// Failed images grouped by reason, most frequent first.
pub fn group_by_reason(images: &[FailedImage]) -> Vec<(String, Vec<FailedImage>)> {
    let mut groups: Vec<(String, Vec<FailedImage>)> = Vec::new();
    for image in images {
        let reason = reason_text(image.failed_reason.as_deref());
        match groups.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, list)) => list.push(image.clone()),
            None => groups.push((reason, vec![image.clone()])),
        }
    }
    groups.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    groups
}

/// Which tasks' failed images are open, kept across live re-renders.
#[derive(Debug, Clone, Copy)]
pub struct OpenFailures(pub RwSignal<Vec<String>>);

/// Whether a `<details>` element is open, from its toggle event.
#[cfg(feature = "hydrate")]
fn is_open(event: &leptos::ev::Event) -> Option<bool> {
    let target = event.target()?;
    js_sys::Reflect::get(&target, &"open".into())
        .ok()?
        .as_bool()
}

#[cfg(not(feature = "hydrate"))]
fn is_open(_: &leptos::ev::Event) -> Option<bool> {
    None
}

/// A task's failed images, expandable (a `<details>`, so it works without
/// JavaScript): a count per reason, then each image.
#[component]
pub fn FailedImages(
    task_id: String,
    images: Vec<FailedImage>,
    columns: usize,
    /// Where this task's failed images download as CSV.
    #[prop(optional_no_strip)]
    csv: Option<String>,
) -> impl IntoView {
    let open_set = use_context::<OpenFailures>().map(|o| o.0);
    let open = {
        let id = task_id.clone();
        move || open_set.is_some_and(|set| set.with(|s| s.contains(&id)))
    };
    let on_toggle = move |event: leptos::ev::Event| {
        let (Some(set), Some(now_open)) = (open_set, is_open(&event)) else {
            return;
        };
        set.update(|s| {
            s.retain(|t| *t != task_id);
            if now_open {
                s.push(task_id.clone());
            }
        });
    };
    let groups = group_by_reason(&images);
    let summary = groups
        .iter()
        .map(|(reason, list)| format!("{} × {}", list.len(), reason.to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ");
    let count = images.len();
    view! {
        <tr class="failures">
            <td colspan=columns.to_string()>
                <details open=open on:toggle=on_toggle>
                    <summary>
                        {format!("{count} failed image{}: ", if count == 1 { "" } else { "s" })}
                        <span class="reasons">{summary}</span>
                    </summary>
                    {csv.map(|href| view! { <a class="download" href=href download="">"Download failed images (CSV)"</a> })}
                    {groups
                        .into_iter()
                        .map(|(reason, list)| {
                            view! {
                                <section class="reason-group">
                                    <h3>{format!("{reason} ({})", list.len())}</h3>
                                    <table class="failed-images">
                                        <thead>
                                            <tr>
                                                <th scope="col">"Registry"</th>
                                                <th scope="col">"Namespace"</th>
                                                <th scope="col">"Image"</th>
                                                <th scope="col">"Tag"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {list
                                                .into_iter()
                                                .map(|i| {
                                                    view! {
                                                        <tr>
                                                            <td>{i.registry_name.or(i.registry_type).unwrap_or_default()}</td>
                                                            <td>{i.namespace}</td>
                                                            <td>{i.image_name}</td>
                                                            <td>{i.image_version}</td>
                                                        </tr>
                                                    }
                                                    .into_any()
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </section>
                            }
                            .into_any()
                        })
                        .collect_view()}
                </details>
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(reason: &str) -> FailedImage {
        FailedImage {
            failed_reason: Some(reason.to_owned()),
            ..FailedImage::default()
        }
    }

    #[test]
    fn groups_by_plain_reason_most_frequent_first() {
        let images = [
            failed("download_failed"),
            failed("image_oversized"),
            failed("download_failed"),
            failed("image_over_sized"),
            failed("download_failed"),
        ];
        let groups = group_by_reason(&images);
        assert_eq!(
            groups.len(),
            2,
            "both spellings of oversized are one reason"
        );
        assert_eq!(groups[0].0, "The image could not be downloaded");
        assert_eq!(groups[0].1.len(), 3);
        assert_eq!(groups[1].1.len(), 2);
    }

    #[test]
    fn unknown_reasons_still_read_as_words() {
        assert_eq!(
            reason_text(Some("new_kind_of_failure")),
            "new kind of failure"
        );
        assert_eq!(reason_text(None), "Unknown error");
    }
}
