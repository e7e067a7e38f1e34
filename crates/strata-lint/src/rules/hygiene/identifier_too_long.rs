use crate::rule::{Findings, Rule};
use crate::rules::data_loss::support::ident_span;
use crate::{Context, LintFile, Severity, Statement};
use sqlparser::ast::{
    AlterTableOperation, ColumnDef, Ident, ObjectName, RenameTableNameKind, Statement as Ast,
    TableConstraint,
};
use strata_schema::Engine;

/// PostgreSQL's `NAMEDATALEN - 1`.
const MAX_BYTES: usize = 63;

/// ## What it does
/// Finds identifiers longer than 63 bytes that a statement creates: table, column, index,
/// constraint, view and sequence names, including new names given by `RENAME`.
///
/// ## Why is this bad?
/// PostgreSQL silently truncates identifiers to 63 bytes (with only a NOTICE). The object gets a
/// different name than the migration says, later migrations and application code that use the
/// full name refer to something else or nothing, and two long names that share their first 63
/// bytes collide.
///
/// ## Example
/// ```sql
/// CREATE INDEX index_customer_invoices_on_billing_account_id_and_created_at_and_status
///     ON customer_invoices (billing_account_id, created_at, status);
/// ```
///
/// ## Use instead
/// A name of at most 63 bytes (mind multi-byte characters):
/// ```sql
/// CREATE INDEX customer_invoices_account_created_status
///     ON customer_invoices (billing_account_id, created_at, status);
/// ```
pub struct IdentifierTooLong;

impl Rule for IdentifierTooLong {
    fn code(&self) -> &'static str {
        "HY004"
    }
    fn name(&self) -> &'static str {
        "identifier-too-long"
    }
    fn engines(&self) -> &'static [Engine] {
        &[Engine::Postgres]
    }
    fn check(&self, _file: &LintFile, stmt: &Statement, _ctx: &Context, out: &mut Findings) {
        let Some(ast) = &stmt.ast else {
            return check_words(stmt, out);
        };
        for ident in created(ast) {
            if ident.value.len() > MAX_BYTES {
                report(stmt, ident_span(stmt, ident), &ident.value, out);
            }
        }
    }
}

/// The identifiers a statement creates.
fn created(ast: &Ast) -> Vec<&Ident> {
    let mut out = Vec::new();
    match ast {
        Ast::CreateTable(ct) => {
            push_last(&ct.name, &mut out);
            for c in &ct.columns {
                push_column(c, &mut out);
            }
            for c in &ct.constraints {
                push_constraint(c, &mut out);
            }
        }
        Ast::CreateIndex(ci) => {
            if let Some(name) = &ci.name {
                push_last(name, &mut out);
            }
        }
        Ast::CreateView(cv) => push_last(&cv.name, &mut out),
        Ast::CreateSequence { name, .. } => push_last(name, &mut out),
        Ast::AlterTable(alter) => {
            for op in &alter.operations {
                match op {
                    AlterTableOperation::AddColumn { column_def, .. } => {
                        push_column(column_def, &mut out)
                    }
                    AlterTableOperation::AddConstraint { constraint, .. } => {
                        push_constraint(constraint, &mut out)
                    }
                    AlterTableOperation::RenameTable {
                        table_name: RenameTableNameKind::To(n) | RenameTableNameKind::As(n),
                    } => push_last(n, &mut out),
                    AlterTableOperation::RenameColumn {
                        new_column_name, ..
                    } => out.push(new_column_name),
                    AlterTableOperation::RenameConstraint { new_name, .. } => out.push(new_name),
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out
}

fn push_last<'a>(name: &'a ObjectName, out: &mut Vec<&'a Ident>) {
    if let Some(i) = name.0.last().and_then(|p| p.as_ident()) {
        out.push(i);
    }
}

fn push_column<'a>(c: &'a ColumnDef, out: &mut Vec<&'a Ident>) {
    out.push(&c.name);
    out.extend(c.options.iter().filter_map(|o| o.name.as_ref()));
}

fn push_constraint<'a>(c: &'a TableConstraint, out: &mut Vec<&'a Ident>) {
    let name = match c {
        TableConstraint::Unique(u) => u.name.as_ref(),
        TableConstraint::PrimaryKey(p) => p.name.as_ref(),
        TableConstraint::ForeignKey(f) => f.name.as_ref(),
        TableConstraint::Check(k) => k.name.as_ref(),
        TableConstraint::Index(i) => i.name.as_ref(),
        TableConstraint::PrimaryKeyUsingIndex(u) | TableConstraint::UniqueUsingIndex(u) => {
            u.name.as_ref()
        }
        TableConstraint::Exclude(e) => e.name.as_ref(),
        TableConstraint::FulltextOrSpatial(f) => f.opt_index_name.as_ref(),
    };
    out.extend(name);
}

/// A `CREATE` or `ALTER` statement the parser could not read: any long word in it is an
/// identifier that PostgreSQL will truncate.
fn check_words(stmt: &Statement, out: &mut Findings) {
    if !(stmt.starts_with(&["CREATE"]) || stmt.starts_with(&["ALTER"])) {
        return;
    }
    for (i, w) in stmt.words.iter().enumerate() {
        if w.text.len() > MAX_BYTES {
            report(stmt, stmt.span_of(i, i), &w.text, out);
        }
    }
}

fn report(stmt: &Statement, span: (usize, usize), name: &str, out: &mut Findings) {
    let mut cut = MAX_BYTES;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    out.report(
        stmt,
        span,
        Severity::Error,
        format!(
            "identifier {name} is {} bytes: PostgreSQL silently truncates it to {}",
            name.len(),
            &name[..cut]
        ),
        Some(format!("use a name of at most {MAX_BYTES} bytes")),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::check;

    #[test]
    fn finds_long_identifiers() {
        insta::assert_snapshot!(check(
            &IdentifierTooLong,
            Engine::Postgres,
            "CREATE TABLE customer_invoices (\n  billing_account_identifier_for_the_customer_invoice_reconciliation bigint,\n  CONSTRAINT customer_invoices_billing_account_identifier_reconciliation_check CHECK (billing_account_identifier_for_the_customer_invoice_reconciliation > 0)\n);\nCREATE INDEX index_customer_invoices_on_billing_account_id_and_created_at_and_status ON customer_invoices (created_at);\nALTER TABLE customer_invoices RENAME COLUMN total TO total_amount_including_taxes_and_discounts_after_the_reconciliation;"
        ));
    }

    #[test]
    fn does_not_find_short_or_referenced_identifiers() {
        let long = "x".repeat(64);
        insta::assert_snapshot!(check(
            &IdentifierTooLong,
            Engine::Postgres,
            &format!("CREATE TABLE t (id bigint, {} int);\nSELECT {long} FROM t;\nDROP INDEX {long};", "y".repeat(63))
        ), @"no findings");
    }
}
