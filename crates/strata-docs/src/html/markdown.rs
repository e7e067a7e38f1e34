//! A small Markdown to HTML converter for the changelog page: headings, paragraphs, bullet lists
//! (nested by indentation), fenced code, `code`, **bold**, *emphasis* and [links](url). That is
//! all the changelog writes; anything else is shown as text, escaped.

use crate::escape::text as esc;

/// Converts `md` to HTML. Headings get ids (`#` + slug of the text) so entries can be linked.
pub fn to_html(md: &str) -> String {
    let mut out = String::new();
    let mut para: Vec<&str> = Vec::new();
    // Open list levels, as the indentation of their items.
    let mut lists: Vec<usize> = Vec::new();
    let mut in_item = false;
    let mut fence = false;
    let flush_para = |out: &mut String, para: &mut Vec<&str>| {
        if !para.is_empty() {
            out.push_str("<p>");
            out.push_str(&inline(&para.join(" ")));
            out.push_str("</p>\n");
            para.clear();
        }
    };
    let close_lists = |out: &mut String, lists: &mut Vec<usize>, in_item: &mut bool, to: usize| {
        while lists.len() > to {
            out.push_str("</li></ul>\n");
            lists.pop();
        }
        *in_item = !lists.is_empty();
    };
    for line in md.lines() {
        if fence {
            if line.trim_start().starts_with("```") {
                out.push_str("</code></pre>\n");
                fence = false;
            } else {
                out.push_str(&esc(line));
                out.push('\n');
            }
            continue;
        }
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(lang) = trimmed.strip_prefix("```") {
            flush_para(&mut out, &mut para);
            close_lists(&mut out, &mut lists, &mut in_item, 0);
            let lang = lang.trim();
            if lang.is_empty() {
                out.push_str("<pre><code>");
            } else {
                out.push_str(&format!("<pre><code class=\"language-{}\">", esc(lang)));
            }
            fence = true;
            continue;
        }
        if trimmed.is_empty() {
            flush_para(&mut out, &mut para);
            continue;
        }
        if let Some(level) = heading_level(trimmed) {
            flush_para(&mut out, &mut para);
            close_lists(&mut out, &mut lists, &mut in_item, 0);
            let text = trimmed[level..].trim().trim_end_matches('#').trim();
            out.push_str(&format!(
                "<h{l} id=\"{id}\">{t}</h{l}>\n",
                l = level + 1,
                id = anchor(text),
                t = inline(text)
            ));
            continue;
        }
        let bullet = ["- ", "* ", "+ "]
            .iter()
            .find_map(|b| trimmed.strip_prefix(b));
        if let Some(item) = bullet {
            flush_para(&mut out, &mut para);
            while lists.last().is_some_and(|&l| l > indent) {
                out.push_str("</li></ul>\n");
                lists.pop();
            }
            if lists.last() == Some(&indent) {
                out.push_str("</li>\n<li>");
            } else {
                out.push_str("\n<ul>\n<li>");
                lists.push(indent);
            }
            in_item = true;
            out.push_str(&inline(item.trim()));
            continue;
        }
        if in_item && indent > 0 {
            // A continuation line of a list item.
            out.push(' ');
            out.push_str(&inline(trimmed));
            continue;
        }
        close_lists(&mut out, &mut lists, &mut in_item, 0);
        para.push(trimmed);
    }
    if fence {
        out.push_str("</code></pre>\n");
    }
    flush_para(&mut out, &mut para);
    close_lists(&mut out, &mut lists, &mut in_item, 0);
    out
}

fn heading_level(line: &str) -> Option<usize> {
    let n = line.bytes().take_while(|b| *b == b'#').count();
    ((1..=6).contains(&n) && line[n..].starts_with(' ')).then_some(n)
}

/// An id for a heading: lower-case letters and digits, runs of anything else as one `-`.
pub fn anchor(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Inline markup: `code`, **bold**, *emphasis*, [text](url); everything else escaped.
fn inline(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("``") {
            if let Some(end) = r.find("``") {
                let inner = r[..end].strip_prefix(' ').unwrap_or(&r[..end]);
                let inner = inner.strip_suffix(' ').unwrap_or(inner);
                out.push_str("<code>");
                out.push_str(&esc(inner));
                out.push_str("</code>");
                rest = &r[end + 2..];
                continue;
            }
        }
        if let Some(r) = rest.strip_prefix('`') {
            if let Some(end) = r.find('`') {
                out.push_str("<code>");
                out.push_str(&esc(&r[..end]));
                out.push_str("</code>");
                rest = &r[end + 1..];
                continue;
            }
        }
        if let Some(r) = rest.strip_prefix("**") {
            if let Some(end) = r.find("**") {
                out.push_str("<strong>");
                out.push_str(&inline(&r[..end]));
                out.push_str("</strong>");
                rest = &r[end + 2..];
                continue;
            }
        }
        if let Some(r) = rest.strip_prefix('*') {
            if let Some(end) = r.find('*').filter(|&e| e > 0) {
                out.push_str("<em>");
                out.push_str(&inline(&r[..end]));
                out.push_str("</em>");
                rest = &r[end + 1..];
                continue;
            }
        }
        if let Some(r) = rest.strip_prefix('[') {
            if let Some(mid) = r.find("](") {
                if let Some(end) = r[mid + 2..].find(')') {
                    let url = &r[mid + 2..mid + 2 + end];
                    let safe = !url
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("javascript:");
                    if safe {
                        out.push_str(&format!(
                            "<a href=\"{}\">{}</a>",
                            esc(url),
                            inline(&r[..mid])
                        ));
                        rest = &r[mid + 2 + end + 1..];
                        continue;
                    }
                }
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push_str(&esc(&rest[..c.len_utf8()]));
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_the_changelog_subset() {
        let md = "# Changelog\n\n## 20261101090000 create_users\n\nAdded:\n\n- table `users`\n  - column **email** <x>\n- index [a](b.html)\n\n```sql\nCREATE TABLE t (a int);\n```\ntext *em* `` a`b ``\n";
        let html = to_html(md);
        assert_eq!(
            html,
            "<h2 id=\"changelog\">Changelog</h2>\n\
             <h3 id=\"20261101090000-create-users\">20261101090000 create_users</h3>\n\
             <p>Added:</p>\n\
             \n<ul>\n<li>table <code>users</code>\n<ul>\n<li>column <strong>email</strong> &lt;x&gt;</li></ul>\n\
             </li>\n<li>index <a href=\"b.html\">a</a></li></ul>\n\
             <pre><code class=\"language-sql\">CREATE TABLE t (a int);\n</code></pre>\n\
             <p>text <em>em</em> <code>a`b</code></p>\n"
        );
    }
}
