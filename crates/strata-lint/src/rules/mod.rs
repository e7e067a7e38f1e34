//! The rule catalogue: one file per rule, named after it, grouped by family. [`all`] lists every
//! rule in code order.

use crate::rule::Rule;
use std::sync::OnceLock;

pub mod data_loss;
pub mod hygiene;
pub mod mysql;
pub mod postgres;
pub mod sqlite;
pub mod syntax;

#[cfg(test)]
pub(crate) mod test_support;

/// Every rule, in code order.
pub fn all() -> &'static [&'static dyn Rule] {
    static ALL: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<&'static dyn Rule> = Vec::new();
        v.extend_from_slice(data_loss::RULES);
        v.extend_from_slice(hygiene::RULES);
        v.extend_from_slice(mysql::RULES);
        v.extend_from_slice(postgres::RULES);
        v.extend_from_slice(sqlite::RULES);
        v.extend_from_slice(syntax::RULES);
        v.sort_by_key(|r| r.code());
        v
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_and_names_are_unique() {
        let all = super::all();
        let mut codes: Vec<_> = all.iter().map(|r| r.code()).collect();
        let mut names: Vec<_> = all.iter().map(|r| r.name()).collect();
        codes.dedup();
        names.sort();
        names.dedup();
        assert_eq!(codes.len(), all.len(), "duplicate rule code");
        assert_eq!(names.len(), all.len(), "duplicate rule name");
    }
}
