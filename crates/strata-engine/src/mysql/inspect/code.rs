//! Triggers, views and routines of the MySQL/MariaDB inspector: the objects that carry code.

use super::queries::*;
use super::{int, opt, s, Inspector};
use crate::mysql::dialect::ident;
use std::collections::BTreeMap;
use strata_migrate::DriverError;
use strata_schema::{lex, quote, Engine, Name, Routine, RoutineKind, Table, Trigger, View};

impl Inspector<'_> {
    pub(super) async fn triggers(
        &mut self,
        tables: &mut BTreeMap<String, Table>,
    ) -> Result<(), DriverError> {
        let rows = self.rows(TRIGGERS_SQL).await?;
        // Several triggers for one table, timing and event fire in ACTION_ORDER: each after the
        // first says which one it follows, so the order survives being created again.
        let mut previous: Option<(String, String, String, String)> = None;
        for r in &rows {
            let Some(t) = tables.get_mut(&s(r, 1)) else {
                continue;
            };
            let name = s(r, 0);
            let group = (s(r, 1), s(r, 2), s(r, 3));
            let follows = match &previous {
                Some((table, timing, event, prev))
                    if (table, timing, event) == (&group.0, &group.1, &group.2) =>
                {
                    format!("FOLLOWS {} ", ident(prev))
                }
                _ => String::new(),
            };
            let definition = format!(
                "CREATE TRIGGER {} {} {} ON {} FOR EACH ROW {follows}{}",
                ident(&name),
                group.1,
                group.2,
                ident(&t.name.name),
                s(r, 4)
            );
            previous = Some((group.0, group.1, group.2, name.clone()));
            t.triggers.push(Trigger { name, definition });
        }
        Ok(())
    }

    /// Views, with references to the connected database removed from their definition: the
    /// server qualifies every name (`` `db`.`t`.`id` ``), and the same view in another database
    /// (the dev database) must compare equal.
    pub(super) async fn views(&mut self) -> Result<Vec<View>, DriverError> {
        let rows = self.rows(VIEWS_SQL).await?;
        let prefix = format!("{}.", quote::ident(Engine::Mysql, &self.database));
        Ok(rows
            .iter()
            .map(|r| {
                let mut definition = strip_outside_strings(&s(r, 1), &prefix);
                match s(r, 2).as_str() {
                    "CASCADED" => definition.push_str(" WITH CASCADED CHECK OPTION"),
                    "LOCAL" => definition.push_str(" WITH LOCAL CHECK OPTION"),
                    _ => {}
                }
                View {
                    name: Name::new(s(r, 0)),
                    definition,
                    materialized: false,
                    comment: None,
                    indexes: Vec::new(),
                    triggers: Vec::new(),
                    // DEFINER is the default (and the definer itself is the environment's).
                    options: if s(r, 3).eq_ignore_ascii_case("INVOKER") {
                        vec!["sql_security=invoker".into()]
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect())
    }

    /// Functions and procedures, as the `CREATE` statement that makes them again.
    pub(super) async fn routines(&mut self) -> Result<Vec<Routine>, DriverError> {
        let params = self.rows(PARAMETERS_SQL).await?;
        let mut signatures: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for r in &params {
            if int(r, 5) == Some(0) {
                continue; // a function's return value
            }
            let mode = s(r, 2);
            let param = format!(
                "{}{} {}",
                if s(r, 1) == "PROCEDURE" {
                    format!("{mode} ")
                } else {
                    String::new()
                },
                ident(&s(r, 3)),
                s(r, 4)
            );
            signatures
                .entry((s(r, 1), s(r, 0)))
                .or_default()
                .push(param);
        }
        let rows = self.rows(ROUTINES_SQL).await?;
        let mut out = Vec::new();
        for r in &rows {
            let kind = match s(r, 1).as_str() {
                "FUNCTION" => RoutineKind::Function,
                "PROCEDURE" => RoutineKind::Procedure,
                _ => continue, // MariaDB packages
            };
            let name = s(r, 0);
            let args = signatures
                .get(&(s(r, 1), name.clone()))
                .map(|p| p.join(", "))
                .unwrap_or_default();
            let mut def = format!("CREATE {} {}({args})", s(r, 1), ident(&name));
            if kind == RoutineKind::Function {
                def.push_str(&format!(" RETURNS {}", s(r, 2)));
            }
            let comment = opt(r, 7).filter(|c| !c.is_empty());
            if let Some(c) = &comment {
                def.push_str(&format!(" COMMENT {}", quote::literal(Engine::Mysql, c)));
            }
            if s(r, 4) == "YES" {
                def.push_str(" DETERMINISTIC");
            }
            let access = s(r, 5);
            if !access.is_empty() && access != "CONTAINS SQL" {
                def.push_str(&format!(" {access}"));
            }
            if s(r, 6) == "INVOKER" {
                def.push_str(" SQL SECURITY INVOKER");
            }
            def.push('\n');
            def.push_str(&s(r, 3));
            out.push(Routine {
                name: Name::new(name),
                kind,
                signature: String::new(),
                definition: def,
                comment,
            });
        }
        Ok(out)
    }
}

/// `text` with every `prefix` outside string literals and comments removed (a quoted identifier
/// that is not the prefix is kept whole, so `` `a``d` `` survives a prefix `` `d`. ``).
fn strip_outside_strings(text: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut tokens = lex::tokens(text, Engine::Mysql);
    loop {
        let at = tokens.pos();
        if text[at..].starts_with(prefix) {
            tokens.seek(at + prefix.len());
            continue;
        }
        let Some(t) = tokens.next() else {
            return out;
        };
        out.push_str(t.text(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_database_outside_literals() {
        assert_eq!(
            strip_outside_strings(
                "select `d`.`t`.`a` AS `a` from `d`.`t` where x = '`d`.'",
                "`d`."
            ),
            "select `t`.`a` AS `a` from `t` where x = '`d`.'"
        );
        assert_eq!(
            strip_outside_strings("select `a``d`.`x` from `d`.`t`", "`d`."),
            "select `a``d`.`x` from `t`"
        );
        assert_eq!(
            strip_outside_strings(r#"select 'it\'s `d`.' as a, "`d`.\"" from `d`.`t`"#, "`d`."),
            r#"select 'it\'s `d`.' as a, "`d`.\"" from `t`"#
        );
    }
}
