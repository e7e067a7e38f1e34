//! `changelog.html`: what each migration added, modified and dropped.

use crate::html::fragments::page_head;
use crate::html::markdown;
use crate::html::site::Site;
use maud::{html, PreEscaped};

impl Site<'_> {
    /// The changelog page, from the changelog's Markdown.
    pub(in crate::html) fn changelog(&self) -> String {
        let body = html! {
            (page_head(html! { "History" }, html! { "Changelog" }, html! {}))
            section class="changelog prose" {
                "\n"
                @match &self.input.changelog {
                    Some(md) if !md.trim().is_empty() => {
                        // The page has its own <h1>: drop a leading top-level heading of the Markdown.
                        @let md = match md.trim_start().strip_prefix("# ") {
                            Some(rest) => rest.split_once('\n').map_or("", |(_, r)| r),
                            None => md.as_str(),
                        };
                        (PreEscaped(markdown::to_html(md)))
                    }
                    _ => {
                        p class="empty" {
                            "No migrations were read, so there is no changelog. Run "
                            code { "strata docs" }
                            " in a project with a migrations folder."
                        }
                        "\n"
                    }
                }
            }
            "\n"
        };
        self.page("", "Changelog", Some("changelog"), body)
    }
}
