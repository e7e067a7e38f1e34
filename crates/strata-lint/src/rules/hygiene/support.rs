//! The columns a statement declares, with the span of each declared type, for the hygiene rules
//! about types.

use crate::rules::data_loss::support::{byte_span, name_text};
use crate::Statement;
use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnDef, DataType, Ident, Statement as Ast,
};

/// A column definition or type change in a statement.
pub(crate) struct Declared<'s> {
    /// The table, as written.
    pub table: String,
    pub column: &'s Ident,
    pub data_type: &'s DataType,
    /// Bytes of the type in the statement.
    pub type_span: (usize, usize),
}

/// Columns declared by `CREATE TABLE` and `ADD COLUMN`, and new types given by
/// `ALTER COLUMN ... TYPE`, `MODIFY` and `CHANGE`.
pub(crate) fn declared_columns(stmt: &Statement) -> Vec<Declared<'_>> {
    let mut out = Vec::new();
    match &stmt.ast {
        Some(Ast::CreateTable(ct)) => {
            let table = name_text(&ct.name);
            for c in &ct.columns {
                push_def(stmt, &table, c, &mut out);
            }
        }
        Some(Ast::AlterTable(alter)) => {
            let table = name_text(&alter.name);
            for op in &alter.operations {
                match op {
                    AlterTableOperation::AddColumn { column_def, .. } => {
                        push_def(stmt, &table, column_def, &mut out)
                    }
                    AlterTableOperation::AlterColumn {
                        column_name,
                        op: AlterColumnOperation::SetDataType { data_type, .. },
                    } => push(stmt, &table, column_name, column_name, data_type, &mut out),
                    AlterTableOperation::ModifyColumn {
                        col_name,
                        data_type,
                        ..
                    } => push(stmt, &table, col_name, col_name, data_type, &mut out),
                    AlterTableOperation::ChangeColumn {
                        new_name,
                        data_type,
                        ..
                    } => push(stmt, &table, new_name, new_name, data_type, &mut out),
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out
}

fn push_def<'s>(stmt: &'s Statement, table: &str, c: &'s ColumnDef, out: &mut Vec<Declared<'s>>) {
    push(stmt, table, &c.name, &c.name, &c.data_type, out);
}

/// Records `column` of type `data_type`; the type is the first run of words after `after` that
/// spells it.
fn push<'s>(
    stmt: &'s Statement,
    table: &str,
    column: &'s Ident,
    after: &Ident,
    data_type: &'s DataType,
    out: &mut Vec<Declared<'s>>,
) {
    let from = byte_span(stmt, after.span).map_or(0, |(_, e)| e);
    out.push(Declared {
        table: table.to_string(),
        column,
        data_type,
        type_span: type_span(stmt, from, data_type)
            .or_else(|| byte_span(stmt, column.span))
            .unwrap_or_else(|| stmt.span_of(0, 1)),
    });
}

/// Bytes of `data_type` as written after byte `from` of the statement: its words, and the
/// parenthesised modifiers right after them (`char(10)`).
fn type_span(stmt: &Statement, from: usize, data_type: &DataType) -> Option<(usize, usize)> {
    let rendered = data_type.to_string().to_uppercase();
    let words: Vec<&str> = rendered
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
        .collect();
    let first = *words.first()?;
    let start = stmt
        .words
        .iter()
        .position(|w| w.offset >= from && w.upper == first)?;
    let last = stmt.words.get(start + words.len() - 1)?;
    let mut end = last.offset + last.len;
    let rest = &stmt.sql[end..];
    if rest.trim_start().starts_with('(') {
        if let Some(close) = rest.find(')') {
            end += close + 1;
        }
    }
    Some((stmt.words[start].offset, end))
}
