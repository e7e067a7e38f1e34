//! `strata inspect`: the live schema as DDL or JSON.

use super::source::inspect_url;
use crate::cli::Global;
use anyhow::Result;
use strata_schema::Schema;

pub async fn run(g: &Global) -> Result<u8> {
    let project = super::project(g)?;
    let url = project.require_url()?.to_string();
    let spinner = crate::progress::spinner("inspecting");
    let schema = inspect_url(&url, Some(&project)).await?;
    if g.json {
        drop(spinner);
        super::print_json(&schema)?;
    } else {
        use std::io::Write;
        crate::progress::phase(format!("rendering {} table(s) as DDL", schema.tables.len()));
        let dialect = strata_engine::dialect(project.engine);
        let changes = strata_diff::diff(&Schema::default(), &schema, dialect);
        // Rendered in memory first: the spinner must be gone before the DDL reaches the terminal.
        let mut out = Vec::with_capacity(1 << 16);
        for (i, c) in changes.iter().enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            writeln!(out, "-- {}", c.describe())?;
            let statements = dialect.render(c).map_err(|e| {
                anyhow::anyhow!("{e}; the database holds an object strata cannot print as DDL yet: please report it (`strata inspect --json` shows it)")
            })?;
            for stmt in statements {
                let stmt = stmt.trim_end();
                if stmt.ends_with(';') {
                    writeln!(out, "{stmt}")?;
                } else {
                    writeln!(out, "{stmt};")?;
                }
            }
        }
        drop(spinner);
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&out)?;
        stdout.flush()?;
    }
    Ok(0)
}
