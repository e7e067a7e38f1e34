//! Schema comparisons for round-trip tests, with failure messages a reader can act on.

use strata_schema::Schema;

/// The schema as pretty JSON, the form fixtures and failure messages use.
pub fn json(s: &Schema) -> String {
    serde_json::to_string_pretty(s).expect("a Schema serializes to JSON")
}

/// The lines where two texts differ (`- expected`, `+ actual`) with three lines of context.
///
/// Only the differing middle is aligned line by line (a longest common subsequence), so two
/// large schemas that differ in one table stay cheap to compare.
pub fn line_diff(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let a: Vec<&str> = actual.lines().collect();
    let prefix = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let suffix = e[prefix..]
        .iter()
        .rev()
        .zip(a[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (e_mid, a_mid) = (&e[prefix..e.len() - suffix], &a[prefix..a.len() - suffix]);
    let mut out = String::new();
    for l in &e[prefix.saturating_sub(3)..prefix] {
        out.push_str(&format!("  {l}\n"));
    }
    if e_mid.len().saturating_mul(a_mid.len()) > 4_000_000 {
        // Too large to align: show both sides whole.
        e_mid.iter().for_each(|l| out.push_str(&format!("- {l}\n")));
        a_mid.iter().for_each(|l| out.push_str(&format!("+ {l}\n")));
    } else {
        align(e_mid, a_mid, &mut out);
    }
    for l in a[a.len() - suffix..].iter().take(3) {
        out.push_str(&format!("  {l}\n"));
    }
    out
}

fn align(e: &[&str], a: &[&str], out: &mut String) {
    let mut lcs = vec![vec![0u32; a.len() + 1]; e.len() + 1];
    for i in (0..e.len()).rev() {
        for j in (0..a.len()).rev() {
            lcs[i][j] = if e[i] == a[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < e.len() || j < a.len() {
        if i < e.len() && j < a.len() && e[i] == a[j] {
            out.push_str(&format!("  {}\n", e[i]));
            i += 1;
            j += 1;
        } else if i < e.len() && (j == a.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // On a tie the expected line goes first: "- old" above "+ new", as diff prints.
            out.push_str(&format!("- {}\n", e[i]));
            i += 1;
        } else {
            out.push_str(&format!("+ {}\n", a[j]));
            j += 1;
        }
    }
}

/// `Ok` when the schemas are equal, else a message starting with `what` and the JSON line diff.
pub fn same_schema(expected: &Schema, actual: &Schema, what: &str) -> Result<(), String> {
    if expected == actual {
        return Ok(());
    }
    Err(format!(
        "{what}: schemas differ (- expected, + actual):\n{}",
        line_diff(&json(expected), &json(actual))
    ))
}

/// The schema without rename hints (a catalog never has them).
pub fn without_hints(s: &Schema) -> Schema {
    let mut s = s.clone();
    for t in &mut s.tables {
        t.renamed_from = None;
        for c in &mut t.columns {
            c.renamed_from = None;
        }
    }
    s
}

/// The schema with each table's columns in name order, for comparisons where column order is
/// not something a migration can restore (an added column goes last).
pub fn columns_by_name(s: &Schema) -> Schema {
    let mut s = s.clone();
    for t in &mut s.tables {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::line_diff;

    #[test]
    fn line_diff_shows_the_changed_lines_with_context() {
        let d = line_diff("a\nb\nc\nd\n", "a\nb\nX\nd\n");
        assert_eq!(d, "  a\n  b\n- c\n+ X\n  d\n");
    }
}
